"""The Woo-index at the portal's public address: `robots.txt` and `/sitemaps/...` (the files of
workflow.openbaarheid.wooindex, the same bytes `export woo-index` writes).

Absolute links come from the configuration (`[woo_index] adres` or `[web] adres`), never from
the request's Host. Without an address `robots.txt` names no sitemaps and they are not found.

With `[woo_index] map` the reminder pass keeps the files on disk, and the portal serves them
from there, streamed with send_file (ETag, Last-Modified, conditional requests): a national
index (hundreds of thousands of URLs, hundreds of MB) is never held in a worker's memory.
Without it the files are built in the worker and kept until what they are made of changes (one
statement tells, workflow.openbaarheid.wooindex.export.stempel), which itself is asked only
after a commit (workflow.opslag.wijzigingen).
"""

from __future__ import annotations

import os
import re
import stat
import threading
from pathlib import Path

from flask import Blueprint, Response, abort, send_file

from workflow.web.bronnen import Omgeving, clock, wooindex

#: A sitemap's name: no folders, nothing but what the files are named with.
_NAAM = re.compile(r"^[a-z0-9-]{1,100}\.xml$")


def _van_schijf(pad: Path, mimetype: str) -> Response | None:
    """A file the reminder pass keeps, streamed (never whole in the worker's memory) with its
    ETag and Last-Modified for conditional requests; None when it is not there (or is no
    regular file)."""
    try:
        handle = open(pad, "rb")  # noqa: SIM115 - send_file closes it once sent
    except OSError:
        return None
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        handle.close()
        return None
    return send_file(handle, mimetype=mimetype, conditional=True,
                     etag=f"{info.st_mtime_ns:x}-{info.st_size:x}",
                     last_modified=info.st_mtime)


def blueprint(env: Omgeving) -> Blueprint:
    bp = Blueprint("wooindex", __name__)
    gebouwd: dict[str, tuple[str, dict[str, bytes]]] = {}
    slot = threading.Lock()

    def _bestand(relatief: str, mimetype: str) -> Response | None:
        waar = wooindex.adres(env.config)
        if waar is None:
            return Response(b"User-agent: *\nAllow: /\n", mimetype=mimetype) \
                if relatief == "robots.txt" else None
        map_ = wooindex.map_van(env.config)
        if map_ is not None:
            return _van_schijf((map_ / wooindex.MAP / relatief).absolute(), mimetype)
        huidig = env.db.wachter.onthoud(("wooindex-stempel", waar),
                                        lambda: wooindex.stempel(env, waar))
        with slot:
            if waar not in gebouwd or gebouwd[waar][0] != huidig:
                gebouwd.clear()
                gebouwd[waar] = (huidig, wooindex.inhoud(env, waar, clock.now()))
            inhoud = gebouwd[waar][1].get(relatief)
        return None if inhoud is None else Response(inhoud, mimetype=mimetype)

    @bp.get("/robots.txt")
    def robots() -> Response:
        antwoord = _bestand("robots.txt", "text/plain")
        if antwoord is None:
            abort(404)
        return antwoord

    @bp.get("/sitemaps/<naam>")
    def sitemap(naam: str) -> Response:
        antwoord = _bestand(f"sitemaps/{naam}", "application/xml") if _NAAM.match(naam) \
            else None
        if antwoord is None:
            abort(404)
        return antwoord

    return bp
