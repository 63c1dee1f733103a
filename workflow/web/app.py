"""The portal as a WSGI application (Flask). Read-only on the domain: the only writes are the
portal's own sign-in links, sessions, feed secrets and the sign-in mail in the outbox.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from jinja2 import FileSystemLoader, StrictUndefined
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from workflow.web import beveiliging, doorverwijzing, feedstempel, gegevens, opslag, stempels, toegang
from workflow.web import inloggen as inlogverzoeken
from workflow.web.bronnen import (
    Bijlage,
    GebruikersFout,
    NietGevonden,
    Omgeving,
    Vergadering,
    Voorstel,
    bestanden,
    clock,
    ical,
    mail,
    meegeleverd,
    rendering,
    tekst,
)

log = logging.getLogger("besluitroute.web")

COOKIE = "besluitroute_sessie"
#: No script at all, styles from the page and ourselves, nothing framed, forms only to us.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: How often a worker looks for a newly applied version of the definitions.
VERVERS_SECONDEN = 30.0
#: Endpoints that never look at who is signed in.
ZONDER_BEZOEKER = frozenset({"gezond", "css", "feed_orgaan", "feed_persoonlijk_orgaan",
                             "feed_lid", "feed_opsteller", "wooindex.robots", "wooindex.sitemap"})
#: Rendered meeting pages kept per worker (keyed by everything they show, see vergadering()).
MAX_VERGADERINGEN_IN_CACHE = 256
MAX_VOORSTELLEN_IN_CACHE = 1024


def maak_app(env: Omgeving, *, veilige_cookies: bool = True, proxies: int = 1,
             adres: str = "") -> Flask:
    """The portal for `env`'s configuration and database.

    `veilige_cookies`: the session cookie is Secure and HSTS is sent (the portal is behind TLS);
    only for plain http on localhost switch it off. `proxies`: how many proxies in front set
    X-Forwarded-* (nginx: 1), 0 when the server faces the browser directly. `adres`: the public
    address for sign-in links when `[web] adres` is not set (`web` passes its loopback address)."""
    app = Flask("workflow.web", static_folder=None, template_folder=None)
    app.jinja_loader = FileSystemLoader(str(meegeleverd("sjablonen")))
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        datum=rendering._filter(tekst.datum), dag_datum=rendering._filter(tekst.dag_datum),
        tijd=rendering._filter(tekst.tijd), datum_tijd=rendering._filter(tekst.datum_tijd),
        css_tekst=rendering.css_tekst)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024
    doorverwijzing.installeer(app)  # redirects in Dutch, not werkzeug's English page
    if proxies:
        # X-Forwarded-For/-Proto/-Host/-Prefix from the proxy in front (nginx with a path prefix).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_prefix=proxies)
    web_config: dict[str, Any] = dict(env.config.get("web", {}) or {})
    geconfigureerd = str(web_config.get("adres", "") or "").rstrip("/")
    adres = geconfigureerd or adres.rstrip("/")
    laatst_ververst = [time.monotonic()]

    def mail_link(email: str) -> None:
        """For a member's address: a new link, mailed through the outbox (the queue's thread,
        outside any request). Built only from the configured address, never from a Host."""
        naam, organen, _ = toegang.persoon(env.definities, email)
        if not organen:
            return
        if not adres:
            log.error("geen inloglink: zet [web] adres in de configuratie")
            return
        token, link_id = opslag.maak_link(env, email)
        _mail_link(env, email, naam, f"{adres}/inloggen/{token}", link_id)

    bezorger = inlogverzoeken.Bezorger(env, mail_link)

    def _formuliergeheim() -> str | None:
        """The secret this browser's form tokens derive from: its session cookie, else its form
        cookie."""
        return request.cookies.get(COOKIE) or request.cookies.get(beveiliging.FORMULIER_COOKIE)

    @app.before_request
    def _poort() -> Any:
        """A forged Host: 400. A POST from another origin, or without the form's token: 403."""
        if not beveiliging.host_toegestaan(request.host, geconfigureerd):
            log.warning("verzoek voor host %r geweigerd: alleen [web] adres (%s) en loopback",
                        request.host[:100], geconfigureerd or "niet ingesteld")
            return render_template("web/melding.html", titel="Onbekend adres",
                                   tekst="Dit portaal is niet bereikbaar onder dit adres."), 400
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            vreemd = beveiliging.herkomst_vreemd(
                request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site"),
                request.headers.get("Referer"), request.host)
            if vreemd or not beveiliging.token_klopt(
                    _formuliergeheim(), request.form.get(beveiliging.CSRF_VELD)):
                log.warning("formulier geweigerd: %s %s (Origin %r)", request.method,
                            request.path, request.headers.get("Origin"))
                return render_template(
                    "web/melding.html", titel="Formulier geweigerd",
                    tekst="Dit formulier komt niet van deze pagina, of de pagina was verouderd. "
                          "Open de pagina opnieuw en probeer het nog eens."), 403
        return None

    def csrf_token() -> str:
        """The token for this browser's forms (a new form cookie if it has no cookie yet)."""
        geheim = _formuliergeheim() or g.get("nieuw_geheim")
        if not geheim:
            geheim = g.nieuw_geheim = opslag.nieuw_token()
        return beveiliging.token(geheim)

    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def _wie() -> None:
        if request.endpoint in ZONDER_BEZOEKER:
            # Health check, stylesheet and calendar feeds (a secret in the URL, or public):
            # no visitor, no session lookup.
            g.bezoeker = toegang.Bezoeker()
            g.nu = clock.now()
            return
        if time.monotonic() - laatst_ververst[0] > VERVERS_SECONDEN:
            laatst_ververst[0] = time.monotonic()
            env.ververs_definities()
        token = request.cookies.get(COOKIE)
        email = opslag.sessie_email(env, token) if token else None
        g.bezoeker = toegang.bezoeker(env.definities, email)
        g.nu = clock.now()

    @app.after_request
    def _koppen(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Sign-in links and feed secrets are in URLs: never send them to another origin as a
        # Referer. Not `no-referrer`: with it a browser sends `Origin: null` on our own forms,
        # and a form with Origin null is refused (workflow.web.beveiliging).
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if veilige_cookies and request.is_secure:
            response.headers["Strict-Transport-Security"] = beveiliging.HSTS
        nieuw = g.get("nieuw_geheim")
        if nieuw:
            response.set_cookie(beveiliging.FORMULIER_COOKIE, nieuw, httponly=True,
                                secure=veilige_cookies, samesite="Strict",
                                path=request.script_root or "/")
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store" \
                if getattr(g, "bezoeker", None) is not None and g.bezoeker.ingelogd \
                else "no-cache"
        return response

    @app.context_processor
    def _overal() -> dict[str, Any]:
        b = getattr(g, "bezoeker", None) or toegang.Bezoeker()
        return {"bezoeker": b, "nu": getattr(g, "nu", clock.now())}

    @app.errorhandler(404)
    def _niet_gevonden(_exc: Any) -> tuple[str, int]:
        return render_template("web/melding.html", titel="Niet gevonden",
                               tekst="Deze pagina bestaat niet, of u hebt er geen toegang toe. "
                                     "Leden van een orgaan kunnen inloggen om de besloten "
                                     "vergaderingen van hun orgaan te zien."), 404

    @app.errorhandler(GebruikersFout)
    def _fout(exc: GebruikersFout) -> tuple[str, int]:
        log.warning("fout: %s", exc)
        return render_template("web/melding.html", titel="Fout", tekst=str(exc)), 500

    # -----------------------------------------------------------------------------------------
    # Pages.

    from workflow.web import oparl

    app.register_blueprint(oparl.blueprint(env))  # OParl 1.1, published data only
    from workflow.web import wooindex

    app.register_blueprint(wooindex.blueprint(env))  # robots.txt and the Woo-index sitemaps

    @app.get("/gezond")
    def gezond() -> Response:
        """A trivial endpoint: for load balancers and as the benchmark's yardstick."""
        return Response("ok\n", mimetype="text/plain")

    @app.get("/portaal.css")
    def css() -> Response:
        pad = meegeleverd("sjablonen") / "web" / "portaal.css"
        response = Response(pad.read_bytes(), mimetype="text/css")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.get("/")
    def start() -> str:
        return render_template("web/start.html", organen=gegevens.start(env, g.bezoeker, g.nu))

    @app.get("/zoeken")
    def zoeken() -> str:
        vraag = request.args.get("q", "")[:gegevens.MAX_ZOEK]
        return render_template("web/zoeken.html", vraag=vraag,
                               resultaten=gegevens.zoek(env, g.bezoeker, vraag, g.nu))

    def _zichtbaar_orgaan(sleutel: str) -> Any:
        o = env.definities.organen.get(sleutel)
        if o is None or sleutel not in g.bezoeker.zichtbaar:
            abort(404)
        return o

    @app.get("/orgaan/<sleutel>")
    def orgaan(sleutel: str) -> str:
        o = _zichtbaar_orgaan(sleutel)
        return render_template("web/orgaan.html", o=gegevens.orgaan(env, g.bezoeker, o, g.nu),
                               feed=_orgaanfeed(sleutel))

    def _orgaanfeed(sleutel: str) -> str | None:
        if env.definities.organen[sleutel].openbaar:
            return _webcal(url_for("feed_orgaan", sleutel=sleutel, _external=True))
        return None

    #: Per worker: the data of rendered meeting pages (agenda, decision list, documents).
    vergaderingen: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()

    def _zichtbare_vergadering(vergadering_id: int) -> dict[str, Any]:
        """The data of a meeting page for this visitor: everything for a member of its body,
        else what is published now; 404 when there is nothing to see (unpublished: as unknown).

        Rendering the agenda and decision list is the costly part; the result is kept under
        everything it shows: the meeting's own fields, what of it is public now, and the
        fingerprint of its body's meetings, history, documents and definitions (the feeds'
        ETag). Three indexed queries, compiled once, decide whether it can be reused."""
        gevonden = stempels.vergadering(env, vergadering_id)
        if gevonden is None:
            abort(404)
        orgaan, velden = gevonden
        nu_openbaar = toegang.openbaar(env, vergadering_id, g.nu)
        eigen = orgaan in g.bezoeker.organen
        if not eigen and not nu_openbaar.pagina:
            abort(404)
        stempel, laatst, _ = feedstempel.stempel(env, [orgaan])
        begin = velden[1]
        sleutel = (request.script_root, vergadering_id, eigen, nu_openbaar.sleutel, stempel,
                   laatst, velden, begin <= g.nu)
        data = vergaderingen.get(sleutel)
        if data is None:
            with env.db.lees() as session:
                v = session.get(Vergadering, vergadering_id)
            if v is None:  # removed since the first question
                abort(404)
            data = gegevens.vergadering(env, v, g.nu, None if eigen else nu_openbaar)
            vergaderingen[sleutel] = data
            while len(vergaderingen) > MAX_VERGADERINGEN_IN_CACHE:
                vergaderingen.popitem(last=False)
        else:
            vergaderingen.move_to_end(sleutel)
        return data

    @app.get("/vergadering/<int:vergadering_id>")
    def vergadering(vergadering_id: int) -> str:
        return _pagina("web/vergadering.html", _zichtbare_vergadering(vergadering_id))

    @app.get("/vergadering/<int:vergadering_id>/besluitenlijst")
    def besluitenlijst(vergadering_id: int) -> str:
        """The decision list alone (to print or link): after the meeting, and for the public
        only once it is published."""
        data = _zichtbare_vergadering(vergadering_id)
        if data["besluiten_html"] is None:  # not held yet, or (for the public) not published
            abort(404)
        return render_template("web/besluitenlijst.html", **data)

    #: Per worker: the data of proposal pages, per set of the visitor's bodies.
    voorstellen: OrderedDict[tuple[Any, ...], dict[str, Any] | None] = OrderedDict()

    def _zichtbaar_voorstel(kenmerk: str) -> dict[str, Any]:
        """The data of a proposal page for this visitor; 404 when they may not see it.

        Kept under the visitor's bodies and the page's change stamp (workflow.web.stempels):
        one indexed query decides whether the kept data (or the kept refusal) still holds."""
        if len(kenmerk) > 20:
            abort(404)
        stempel = stempels.voorstel(env, kenmerk, g.nu)
        if stempel is None:
            abort(404)
        sleutel = (request.script_root, kenmerk, g.bezoeker.organen, stempel, id(env.definities))
        if sleutel in voorstellen:
            voorstellen.move_to_end(sleutel)
            data = voorstellen[sleutel]
        else:
            with env.db.lees() as session:
                v = session.scalar(select(Voorstel).where(
                    Voorstel.id == stempel[0],
                    gegevens.zichtbaar_voorstel(g.bezoeker, g.nu)))
            data = gegevens.voorstel(env, g.bezoeker, v, g.nu) if v is not None else None
            voorstellen[sleutel] = data
            while len(voorstellen) > MAX_VOORSTELLEN_IN_CACHE:
                voorstellen.popitem(last=False)
        if data is None:
            abort(404)
        return data

    @app.get("/voorstel/<kenmerk>")
    def voorstel(kenmerk: str) -> str:
        return _pagina("web/voorstel.html", _zichtbaar_voorstel(kenmerk))

    def _pagina(sjabloon: str, data: dict[str, Any]) -> str:
        """A kept page: its own content is rendered once and kept with its data (the links in it
        carry the path prefix, which is part of the keys); the frame with the visitor's name is
        rendered per request."""
        if "inhoud" not in data:
            data["inhoud"] = Markup(render_template(sjabloon.replace("web/", "web/_", 1)
                                                    .replace(".html", "_inhoud.html"), **data))
        return render_template(sjabloon, **data)

    @app.get("/document/<int:bijlage_id>")
    def document(bijlage_id: int) -> Response:
        """A registered document, by its id only: the file it was registered from, if it still
        has the registered content (SHA-256); never a path from the URL."""
        with env.db.lees() as session:
            rij = session.get(Bijlage, bijlage_id) if bijlage_id < 2**31 else None
            kenmerk = session.scalar(select(Voorstel.kenmerk).where(
                Voorstel.id == rij.voorstel_id)) if rij is not None else None
        if rij is None or kenmerk is None:
            abort(404)
        _zichtbaar_voorstel(kenmerk)
        inhoud = bestanden.lees_geregistreerd(Path(rij.bron), rij.sha256, rij.grootte)
        if inhoud is None:
            response = Response(render_template(
                "web/melding.html", titel="Document niet beschikbaar",
                tekst=f"{rij.naam} (versie {rij.versie}) is geregistreerd, maar het bestand is "
                      f"niet meer beschikbaar met de geregistreerde inhoud. Vraag het "
                      f"secretariaat om het document."), status=410)
            return response
        response = Response(inhoud, mimetype="application/octet-stream")
        response.headers["Content-Disposition"] = _bijlage_kop(rij.naam)
        response.headers["Digest"] = f"sha-256={_b64(rij.sha256)}"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @app.get("/secretariaat")
    def secretariaat() -> Any:
        b = g.bezoeker
        if not b.ingelogd:
            return redirect(url_for("inloggen", volgende="secretariaat"))
        if not b.is_secretaris:
            return render_template("web/melding.html", titel="Geen toegang",
                                   tekst="Het secretariaatsbord is er voor de secretarissen "
                                         "van de organen."), 403
        return render_template("web/secretariaat.html", **gegevens.secretariaat(env, b, g.nu))

    # -----------------------------------------------------------------------------------------
    # Signing in.

    @app.route("/inloggen", methods=["GET", "POST"])
    def inloggen() -> Any:
        if request.method == "GET":
            return render_template("web/inloggen.html", verstuurd=False, fout="")
        email = request.form.get("email", "").strip().lower()[:opslag.MAX_EMAIL]
        if "@" not in email:
            return render_template("web/inloggen.html", verstuurd=False,
                                   fout="Vul uw e-mailadres in."), 400
        # The same work, the same answer and so the same time for every address: one row in
        # the queue (workflow.web.inloggen); whether it is a member's is decided outside.
        minuten = inlogverzoeken.vraag_aan(env, email, request.remote_addr or "")
        if minuten is not None:
            eenheid = "minuut" if minuten == 1 else "minuten"
            response = app.make_response((render_template(
                "web/inloggen.html", verstuurd=False,
                fout=f"Te veel inlogverzoeken; probeer het over {minuten} {eenheid} opnieuw."),
                429))
            response.headers["Retry-After"] = str(minuten * 60)
            return response
        bezorger.wek()
        return render_template("web/inloggen.html", verstuurd=True, fout="")

    @app.get("/inloggen/<token>")
    def bevestig(token: str) -> Any:
        """Show what the link does; only the button (POST) uses it, so a mail scanner that
        follows links does not use it up."""
        stand = opslag.bekijk_link(env, token)
        if stand.reden != "geldig":
            return _ongeldige_link(stand.reden)
        return render_template("web/bevestig.html", email=stand.email, token=token)

    @app.post("/inloggen/<token>")
    def gebruik(token: str) -> Any:
        uitkomst = opslag.gebruik_link(env, token)
        if isinstance(uitkomst, opslag.Linkstand):
            return _ongeldige_link(uitkomst.reden)
        _email, sessie = uitkomst
        response = redirect(url_for("mijn"), code=303)
        response.set_cookie(COOKIE, sessie, max_age=int(opslag.SESSIE_GELDIG.total_seconds()),
                            httponly=True, secure=veilige_cookies, samesite="Lax",
                            path=request.script_root or "/")
        return response

    def _ongeldige_link(reden: str) -> tuple[str, int]:
        teksten = {
            "verlopen": "Deze inloglink is verlopen. Vraag een nieuwe aan.",
            "gebruikt": "Deze inloglink is al gebruikt; een link werkt één keer. Vraag een "
                        "nieuwe aan.",
        }
        return render_template("web/melding.html", titel="Inloglink werkt niet",
                               tekst=teksten.get(reden, "Deze inloglink is onbekend."),
                               inloggen=True), 410 if reden in teksten else 404

    @app.post("/uitloggen")
    def uitloggen() -> Any:
        opslag.beeindig_sessie(env, request.cookies.get(COOKIE))
        response = redirect(url_for("start"), code=303)
        response.delete_cookie(COOKIE, path=request.script_root or "/", httponly=True,
                               secure=veilige_cookies, samesite="Lax")
        return response

    @app.get("/mijn")
    def mijn() -> Any:
        b = g.bezoeker
        if not b.ingelogd:
            return redirect(url_for("inloggen"))
        return render_template("web/mijn.html", feeds=None,
                               heeft_geheim=opslag.heeft_feedgeheim(env, b.email),
                               organen=_eigen_organen(b))

    @app.post("/mijn/kalender")
    def nieuwe_kalender() -> Any:
        """A new personal feed secret: shown once, every earlier URL stops working."""
        b = g.bezoeker
        if not b.ingelogd:
            return redirect(url_for("inloggen"), code=303)
        geheim = opslag.nieuw_feedgeheim(env, b.email)
        feeds = {
            "lid": _webcal(url_for("feed_lid", geheim=geheim, _external=True)),
            "opsteller": _webcal(url_for("feed_opsteller", geheim=geheim, _external=True)),
            "organen": [(o["naam"], _webcal(url_for("feed_persoonlijk_orgaan", geheim=geheim,
                                                    sleutel=o["sleutel"], _external=True)))
                        for o in _eigen_organen(b)],
        }
        return render_template("web/mijn.html", feeds=feeds, heeft_geheim=True,
                               organen=_eigen_organen(b))

    def _eigen_organen(b: toegang.Bezoeker) -> list[dict[str, str]]:
        return sorted(({"sleutel": k, "naam": env.definities.organen[k].naam}
                       for k in b.organen if k in env.definities.organen),
                      key=lambda o: o["naam"].casefold())

    # -----------------------------------------------------------------------------------------
    # Calendar feeds (the files of `kalender export`), with ETag and Last-Modified.

    @app.get("/kalender/orgaan/<sleutel>.ics")
    def feed_orgaan(sleutel: str) -> Response:
        # The calendar of a body marked `openbaar` or that publishes is public; of its agendas
        # only what is published at this moment (Woo), as on the public meeting page.
        if sleutel not in toegang.openbare_organen(env.definities):
            abort(404)
        stempel, laatst, _ = feedstempel.stempel(env, [sleutel])
        return _feed(stempel, laatst, lambda: _openbare_kalender(sleutel))

    def _openbare_kalender(sleutel: str) -> bytes:
        with env.db.lees() as session:
            openbaar = toegang.openbaar_in_kalender(session, sleutel, g.nu)
        return ical.exporteer(env, orgaan=sleutel, openbaar=openbaar)

    @app.get("/kalender/p/<geheim>/orgaan/<sleutel>.ics")
    def feed_persoonlijk_orgaan(geheim: str, sleutel: str) -> Response:
        if sleutel not in env.definities.organen or not opslag.geldig_token(geheim):
            abort(404)
        # A calendar app asks every quarter of an hour: the secret's owner and the fingerprint
        # in one query, and a 304 without anything else.
        stempel, laatst, email = feedstempel.stempel(env, [sleutel], opslag.hash_van(geheim))
        b = toegang.bezoeker(env.definities, email) if email is not None else None
        if b is None or sleutel not in b.zichtbaar:
            abort(404)
        if sleutel not in b.organen:  # a public body they are no member of: what the public sees
            return _feed(stempel, laatst, lambda: _openbare_kalender(sleutel), prive=True)
        return _feed(stempel, laatst, lambda: ical.exporteer(env, orgaan=sleutel), prive=True)

    @app.get("/kalender/p/<geheim>/lid.ics")
    def feed_lid(geheim: str) -> Response:
        email = opslag.feed_email(env, geheim)
        b = toegang.bezoeker(env.definities, email) if email else None
        if b is None or not b.ingelogd:
            abort(404)
        stempel, laatst = feedstempel.feed_stempel(env, sorted(b.organen))
        return _feed(stempel, laatst, lambda: ical.exporteer(env, lid=email), prive=True)

    @app.get("/kalender/p/<geheim>/opsteller.ics")
    def feed_opsteller(geheim: str) -> Response:
        email = opslag.feed_email(env, geheim)
        b = toegang.bezoeker(env.definities, email) if email else None
        if b is None or not b.ingelogd:
            abort(404)
        stempel, laatst = feedstempel.feed_stempel(env, None)
        return _feed(stempel, laatst, lambda: ical.exporteer(env, opsteller=b.naam), prive=True,
                     extra=b.naam)

    def _feed(stempel: str, laatst: datetime, maak: Any, *, prive: bool = False,
              extra: str = "") -> Response:
        etag = hashlib.sha256(f"{stempel}|{request.path}|{extra}".encode()).hexdigest()[:32]
        kop = {"ETag": f'"{etag}"', "Last-Modified": format_datetime(laatst, usegmt=True),
               "Cache-Control": "private, no-cache" if prive else "public, no-cache"}
        if _niet_gewijzigd(etag, laatst):
            return Response(status=304, headers=kop)
        response = Response(maak(), mimetype="text/calendar")
        response.headers.update(kop)
        response.headers["Content-Disposition"] = "inline; filename=kalender.ics"
        return response

    return app


def _niet_gewijzigd(etag: str, laatst: datetime) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or f'"{etag}"' in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if moment.tzinfo is not None:
            return laatst <= moment
    return False


def _webcal(url: str) -> str:
    """webcal:// for calendar apps (they subscribe over https/http)."""
    return "webcal://" + url.split("://", 1)[1]


def _bijlage_kop(naam: str) -> str:
    from urllib.parse import quote

    ascii_naam = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in naam)
    return f"attachment; filename=\"{ascii_naam}\"; filename*=UTF-8''{quote(naam, safe='')}"


def _b64(hexdigest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hexdigest)).decode("ascii")


def _mail_link(env: Omgeving, email: str, naam: str, link: str, link_id: int) -> None:
    """The sign-in link through the outbox (so the .eml folder or SMTP delivers it, and
    `berichten lijst` shows it), then delivered at once (by the queue's thread)."""
    minuten = int(opslag.LINK_GELDIG.total_seconds() // 60)
    tekst_ = (f"Beste {naam or email},\n\n"
              f"Met deze link logt u één keer in op het portaal van besluitroute. De link werkt "
              f"{minuten} minuten en één keer:\n\n{link}\n\n"
              f"Hebt u niet om deze link gevraagd? Dan kunt u deze e-mail negeren.\n")
    from html import escape

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


__all__ = ["COOKIE", "CSP", "NietGevonden", "maak_app"]
