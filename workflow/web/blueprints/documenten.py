"""A registered document, by its id only: the file it was registered from, if it still has the
registered content (SHA-256); never a path from the URL. Visible exactly when its proposal's
page is."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from workflow.web import stukken, zichtbaar
from workflow.web.bronnen import Bijlage, Voorstel, bestanden
from workflow.web.portaal import huidig

bp = Blueprint("documenten", __name__)
#: For a document the browser shows itself: its viewer, no script of ours, never framed.
PDF_CSP = "default-src 'none'; object-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


@bp.get("/document/<int:bijlage_id>")
def document(bijlage_id: int) -> Response:
    with huidig().env.db.lees() as session:
        rij = session.get(Bijlage, bijlage_id) if bijlage_id < 2**31 else None
        kenmerk = session.scalar(select(Voorstel.kenmerk).where(
            Voorstel.id == rij.voorstel_id)) if rij is not None else None
    if rij is None or kenmerk is None:
        abort(404)
    zichtbaar.voorstel(kenmerk)
    inhoud = bestanden.lees_geregistreerd(Path(rij.bron), rij.sha256, rij.grootte)
    if inhoud is None:
        return Response(render_template(
            "web/melding.html", titel="Document niet beschikbaar",
            tekst=f"{rij.naam} (versie {rij.versie}) is geregistreerd, maar het bestand is "
                  f"niet meer beschikbaar met de geregistreerde inhoud. Vraag het "
                  f"secretariaat om het document."), status=410)
    # A PDF opens in the browser's own viewer; anything else is saved. The viewer is a plugin
    # to the page's policy, so a PDF gets one that allows it (and nothing else).
    soort = stukken.mimetype(rij.naam)
    response = Response(inhoud, mimetype=soort or "application/octet-stream")
    response.headers["Content-Disposition"] = bijlage_kop(rij.naam, "inline" if soort
                                                          else "attachment")
    if soort:
        response.headers["Content-Security-Policy"] = PDF_CSP
    response.headers["Digest"] = f"sha-256={_b64(rij.sha256)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def bijlage_kop(naam: str, wijze: str = "attachment") -> str:
    ascii_naam = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in naam)
    return f"{wijze}; filename=\"{ascii_naam}\"; filename*=UTF-8''{quote(naam, safe='')}"


def _b64(hexdigest: str) -> str:
    return base64.b64encode(bytes.fromhex(hexdigest)).decode("ascii")
