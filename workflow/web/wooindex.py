"""The Woo-index at the portal's public address: `robots.txt` and `/sitemaps/...` (the files of
workflow.openbaarheid.wooindex, the same bytes `export woo-index` writes).

Absolute links come from the configuration (`[woo_index] adres` or `[web] adres`), never from
the request's Host. Without an address `robots.txt` names no sitemaps and they are not found.

With `[woo_index] map` the reminder pass keeps the files on disk, and the portal serves them
from there: a national index (hundreds of thousands of URLs, hundreds of MB) is never held in a
worker's memory. Without it the files are built in the worker and kept until what they are made
of changes (one statement tells, workflow.openbaarheid.wooindex.export.stempel), which itself is
asked only after a commit (workflow.opslag.wijzigingen).
"""

from __future__ import annotations

import re
import threading

from flask import Blueprint, Response, abort

from workflow.web.bronnen import Omgeving, bestanden, clock, wooindex

#: A sitemap's name: no folders, nothing but what the files are named with.
_NAAM = re.compile(r"^[a-z0-9-]{1,100}\.xml$")


def blueprint(env: Omgeving) -> Blueprint:
    bp = Blueprint("wooindex", __name__)
    gebouwd: dict[str, tuple[str, dict[str, bytes]]] = {}
    slot = threading.Lock()

    def _bestand(relatief: str) -> bytes | None:
        waar = wooindex.adres(env.config)
        if waar is None:
            return b"User-agent: *\nAllow: /\n" if relatief == "robots.txt" else None
        map_ = wooindex.map_van(env.config)
        if map_ is not None:
            pad = map_ / wooindex.MAP / relatief
            try:
                return bestanden.lees_bytes(pad, 100 * 1024 * 1024)
            except bestanden.BestandFout:
                return None
        huidig = env.db.wachter.onthoud(("wooindex-stempel", waar),
                                        lambda: wooindex.stempel(env, waar))
        with slot:
            if waar not in gebouwd or gebouwd[waar][0] != huidig:
                gebouwd.clear()
                gebouwd[waar] = (huidig, wooindex.inhoud(env, waar, clock.now()))
            return gebouwd[waar][1].get(relatief)

    @bp.get("/robots.txt")
    def robots() -> Response:
        inhoud = _bestand("robots.txt")
        if inhoud is None:
            abort(404)
        return Response(inhoud, mimetype="text/plain")

    @bp.get("/sitemaps/<naam>")
    def sitemap(naam: str) -> Response:
        inhoud = _bestand(f"sitemaps/{naam}") if _NAAM.match(naam) else None
        if inhoud is None:
            abort(404)
        return Response(inhoud, mimetype="application/xml")

    return bp
