"""The Woo-index at the portal's public address: `robots.txt` and `/sitemaps/...` (the files of
workflow.openbaarheid.wooindex, the same bytes `export woo-index` writes).

Absolute links come from the configuration (`[woo_index] adres` or `[web] adres`), never from
the request's Host. Without an address `robots.txt` names no sitemaps and they are not found.
What was built is kept per worker until something is committed (workflow.opslag.wijzigingen).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort

from workflow.web.bronnen import Omgeving, clock, wooindex


def blueprint(env: Omgeving) -> Blueprint:
    bp = Blueprint("wooindex", __name__)

    def _bestanden() -> dict[str, bytes]:
        waar = wooindex.adres(env.config)
        if waar is None:
            return {"robots.txt": b"User-agent: *\nAllow: /\n"}
        return env.db.wachter.onthoud(("wooindex", waar, id(env.definities)),
                                      lambda: wooindex.inhoud(env, waar, clock.now()))

    @bp.get("/robots.txt")
    def robots() -> Response:
        return Response(_bestanden()["robots.txt"], mimetype="text/plain")

    @bp.get("/sitemaps/<naam>")
    def sitemap(naam: str) -> Response:
        inhoud = _bestanden().get(f"sitemaps/{naam}") if naam.endswith(".xml") else None
        if inhoud is None:
            abort(404)
        return Response(inhoud, mimetype="application/xml")

    return bp
