"""Signing in with a one-time link by mail, signing out, and the member's own page with the
personal calendar feeds."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select

from workflow.web import inloggen as inlogverzoeken
from workflow.web import opslag, toegang
from workflow.web.blueprints.feeds import webcal
from workflow.web.bronnen import Omgeving, mail
from workflow.web.portaal import Portaal, huidig

log = logging.getLogger("besluitroute.web")

bp = Blueprint("inloggen", __name__)
#: The session cookie.
COOKIE = "besluitroute_sessie"


def bezorger(portaal: Portaal) -> inlogverzoeken.Bezorger:
    """The queue that mails sign-in links for `portaal` (outside any request)."""
    env = portaal.env

    def mail_link(email: str) -> None:
        """For a member's address: a new link, mailed through the outbox. Built only from the
        configured address, never from a Host."""
        naam, organen, _ = toegang.persoon(env.definities, email)
        if not organen:
            return
        if not portaal.adres:
            log.error("geen inloglink: zet [web] adres in de configuratie")
            return
        token, link_id = opslag.maak_link(env, email)
        _mail_link(env, email, naam, f"{portaal.adres}/inloggen/{token}", link_id)

    return inlogverzoeken.Bezorger(env, mail_link)


@bp.route("/inloggen", methods=["GET", "POST"])
def inloggen() -> Any:
    if request.method == "GET":
        return render_template("web/inloggen.html", verstuurd=False, fout="")
    email = request.form.get("email", "").strip().lower()[:opslag.MAX_EMAIL]
    if "@" not in email:
        return render_template("web/inloggen.html", verstuurd=False,
                               fout="Vul uw e-mailadres in."), 400
    # The same work, the same answer and so the same time for every address: one row in the
    # queue (workflow.web.inloggen); whether it is a member's is decided outside.
    portaal = huidig()
    minuten = inlogverzoeken.vraag_aan(portaal.env, email, request.remote_addr or "")
    if minuten is not None:
        eenheid = "minuut" if minuten == 1 else "minuten"
        response = current_app.make_response((render_template(
            "web/inloggen.html", verstuurd=False,
            fout=f"Te veel inlogverzoeken; probeer het over {minuten} {eenheid} opnieuw."), 429))
        response.headers["Retry-After"] = str(minuten * 60)
        return response
    portaal.bezorger.wek()
    return render_template("web/inloggen.html", verstuurd=True, fout="")


@bp.get("/inloggen/<token>")
def bevestig(token: str) -> Any:
    """Show what the link does; only the button (POST) uses it, so a mail scanner that follows
    links does not use it up."""
    stand = opslag.bekijk_link(huidig().env, token)
    if stand.reden != "geldig":
        return _ongeldige_link(stand.reden)
    return render_template("web/bevestig.html", email=stand.email, token=token)


@bp.post("/inloggen/<token>")
def gebruik(token: str) -> Any:
    portaal = huidig()
    uitkomst = opslag.gebruik_link(portaal.env, token)
    if isinstance(uitkomst, opslag.Linkstand):
        return _ongeldige_link(uitkomst.reden)
    _email, sessie = uitkomst
    response = redirect(url_for("inloggen.mijn"), code=303)
    response.set_cookie(COOKIE, sessie, max_age=int(opslag.SESSIE_GELDIG.total_seconds()),
                        httponly=True, secure=portaal.veilige_cookies, samesite="Lax",
                        path=request.script_root or "/")
    return response


def _ongeldige_link(reden: str) -> tuple[str, int]:
    teksten = {
        "verlopen": "Deze inloglink is verlopen. Vraag een nieuwe aan.",
        "gebruikt": "Deze inloglink is al gebruikt; een link werkt één keer. Vraag een nieuwe "
                    "aan.",
    }
    return render_template("web/melding.html", titel="Inloglink werkt niet",
                           tekst=teksten.get(reden, "Deze inloglink is onbekend."),
                           inloggen=True), 410 if reden in teksten else 404


@bp.post("/uitloggen")
def uitloggen() -> Any:
    portaal = huidig()
    opslag.beeindig_sessie(portaal.env, request.cookies.get(COOKIE))
    response = redirect(url_for("pagina.start"), code=303)
    response.delete_cookie(COOKIE, path=request.script_root or "/", httponly=True,
                           secure=portaal.veilige_cookies, samesite="Lax")
    return response


@bp.get("/mijn")
def mijn() -> Any:
    b = g.bezoeker
    if not b.ingelogd:
        return redirect(url_for("inloggen.inloggen"))
    return render_template("web/mijn.html", feeds=None,
                           heeft_geheim=opslag.heeft_feedgeheim(huidig().env, b.email),
                           organen=eigen_organen(b))


@bp.post("/mijn/kalender")
def nieuwe_kalender() -> Any:
    """A new personal feed secret: shown once, every earlier URL stops working."""
    b = g.bezoeker
    if not b.ingelogd:
        return redirect(url_for("inloggen.inloggen"), code=303)
    geheim = opslag.nieuw_feedgeheim(huidig().env, b.email)
    feeds = {
        "lid": webcal(url_for("feeds.lid", geheim=geheim, _external=True)),
        "opsteller": webcal(url_for("feeds.opsteller", geheim=geheim, _external=True)),
        "organen": [(o["naam"], webcal(url_for("feeds.persoonlijk_orgaan", geheim=geheim,
                                               sleutel=o["sleutel"], _external=True)))
                    for o in eigen_organen(b)],
    }
    return render_template("web/mijn.html", feeds=feeds, heeft_geheim=True,
                           organen=eigen_organen(b))


def eigen_organen(b: toegang.Bezoeker) -> list[dict[str, str]]:
    organen = huidig().env.definities.organen
    return sorted(({"sleutel": k, "naam": organen[k].naam} for k in b.organen if k in organen),
                  key=lambda o: o["naam"].casefold())


def _mail_link(env: Omgeving, email: str, naam: str, link: str, link_id: int) -> None:
    """The sign-in link through the outbox (so the .eml folder or SMTP delivers it, and
    `berichten lijst` shows it), then delivered at once (by the queue's thread)."""
    minuten = int(opslag.LINK_GELDIG.total_seconds() // 60)
    tekst_ = (f"Beste {naam or email},\n\n"
              f"Met deze link logt u één keer in op het portaal van besluitroute. De link werkt "
              f"{minuten} minuten en één keer:\n\n{link}\n\n"
              f"Hebt u niet om deze link gevraagd? Dan kunt u deze e-mail negeren.\n")
    html = (f"<p>Beste {escape(naam or email)},</p><p>Met deze link logt u één keer in op het "
            f"portaal van besluitroute. De link werkt {minuten} minuten en één keer:</p>"
            f"<p><a href=\"{escape(link)}\">Inloggen op het portaal</a></p>"
            f"<p>Hebt u niet om deze link gevraagd? Dan kunt u deze e-mail negeren.</p>")
    van = mail.afzender(env.config)
    with env.db.schrijf() as session:
        mail.nieuw_bericht(session, sleutel=f"inloglink:{link_id}", soort="inloglink",
                           aan=[email], onderwerp="Uw inloglink voor het portaal",
                           tekst=tekst_, html=html, msgid_domein=mail.domein(van))
        bericht_id = session.scalar(select(mail.Bericht.id).where(
            mail.Bericht.sleutel == f"inloglink:{link_id}"))
    if bericht_id is not None:
        _verstuur(env, bericht_id, van)


def _verstuur(env: Omgeving, bericht_id: int, van: str) -> None:
    """Deliver one message now (the planner would otherwise pick it up on its next pass)."""
    try:
        transport = mail.transport_voor(env.config, env.uitgaand_map)
        verslag = mail.verstuur_wachtende(env.db, transport, van, alleen=[bericht_id])
        if not verslag.verzonden:
            log.warning("inloglink (bericht %d) niet verzonden; de outbox bewaart hem",
                        bericht_id)
    except Exception:  # never let the thread die loudly; the outbox keeps the message
        log.exception("inloglink (bericht %d)", bericht_id)
