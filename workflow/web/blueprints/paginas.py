"""The pages anyone can open: start, search, body, meeting, decision list, proposal; and the
health check and stylesheet."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from markupsafe import Markup

from workflow.web import documentzoeken, gegevens, maandkalender, zichtbaar
from workflow.web.blueprints.feeds import webcal
from workflow.web.bronnen import meegeleverd
from workflow.web.portaal import huidig

bp = Blueprint("pagina", __name__)


@bp.get("/gezond")
def gezond() -> Response:
    """A trivial endpoint: for load balancers and as the benchmark's yardstick."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/portaal.css")
def css() -> Response:
    pad = meegeleverd("sjablonen") / "web" / "portaal.css"
    response = Response(pad.read_bytes(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/")
def start() -> str:
    env = huidig().env
    return render_template("web/start.html", organen=gegevens.start(env, g.bezoeker, g.nu),
                           onlangs=maandkalender.onlangs_gepubliceerd(env, g.bezoeker, g.nu))


@bp.get("/zoeken")
def zoeken() -> str:
    vraag = request.args.get("q", "")[:gegevens.MAX_ZOEK]
    env = huidig().env
    return render_template("web/zoeken.html", vraag=vraag,
                           resultaten=gegevens.zoek(env, g.bezoeker, vraag, g.nu),
                           in_documenten=documentzoeken.zoek(env, g.bezoeker, vraag, g.nu))


@bp.get("/orgaan/<sleutel>")
def orgaan(sleutel: str) -> str:
    o = zichtbaar.orgaan(sleutel)
    feed = webcal(url_for("feeds.orgaan", sleutel=sleutel, _external=True)) \
        if o.openbaar else None
    return render_template("web/orgaan.html",
                           o=gegevens.orgaan(huidig().env, g.bezoeker, o, g.nu), feed=feed)


@bp.get("/orgaan/<sleutel>/maand")
@bp.get("/orgaan/<sleutel>/maand/<maand>")
def maand_orgaan(sleutel: str, maand: str | None = None) -> str:
    """A body's month: its meetings, submission deadlines and dispatch moments."""
    o = zichtbaar.orgaan(sleutel)
    jaar, nummer = maandkalender.maand_van(maand, g.nu)
    data = maandkalender.maand(huidig().env, g.bezoeker, [sleutel], jaar, nummer, g.nu)
    return render_template("web/maand.html", m=data, titel=o.naam, orgaan=o.sleutel)


@bp.get("/mijn/maand")
@bp.get("/mijn/maand/<maand>")
def maand_lid(maand: str | None = None) -> Any:
    """The month of every body the signed-in member belongs to."""
    if not g.bezoeker.ingelogd:
        return redirect(url_for("inloggen.inloggen"))
    jaar, nummer = maandkalender.maand_van(maand, g.nu)
    data = maandkalender.maand(huidig().env, g.bezoeker, sorted(g.bezoeker.organen), jaar,
                               nummer, g.nu)
    return render_template("web/maand.html", m=data, titel="Mijn organen", orgaan=None)


@bp.get("/vergadering/<int:vergadering_id>")
def vergadering(vergadering_id: int) -> str:
    return _pagina("web/vergadering.html", zichtbaar.vergadering(vergadering_id))


@bp.get("/vergadering/<int:vergadering_id>/besluitenlijst")
def besluitenlijst(vergadering_id: int) -> str:
    """The decision list alone (to print or link): after the meeting, and for the public only
    once it is published."""
    data = zichtbaar.vergadering(vergadering_id)
    if data["besluiten_html"] is None:  # not held yet, or (for the public) not published
        abort(404)
    return render_template("web/besluitenlijst.html", **data)


@bp.get("/voorstel/<kenmerk>")
def voorstel(kenmerk: str) -> str:
    return _pagina("web/voorstel.html", zichtbaar.voorstel(kenmerk))


def _pagina(sjabloon: str, data: dict[str, Any]) -> str:
    """A kept page: its own content is rendered once and kept with its data (the links in it
    carry the path prefix, which is part of the keys); the frame with the visitor's name is
    rendered per request."""
    if "inhoud" not in data:
        data["inhoud"] = Markup(render_template(sjabloon.replace("web/", "web/_", 1)
                                                .replace(".html", "_inhoud.html"), **data))
    return render_template(sjabloon, **data)
