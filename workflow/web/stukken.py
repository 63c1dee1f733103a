"""The documents of proposals as the portal links them: under each agenda item (current
versions) and on the proposal page (every version). Which documents a visitor gets here is
decided by the caller (the meeting's published proposals, or the visible proposal)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.web.bronnen import Bijlage, clock, huidige_versies, tekst

#: File types a member recognises, by suffix; any other suffix is shown in capitals.
SOORTEN = {".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".odt": "ODT", ".txt": "tekst",
           ".xlsx": "Excel", ".ods": "ODS", ".pptx": "PowerPoint", ".odp": "ODP",
           ".html": "HTML", ".htm": "HTML", ".md": "tekst", ".csv": "CSV"}
#: Types the browser shows itself (opened in a tab rather than saved).
IN_BROWSER = {".pdf": "application/pdf"}


def soort(naam: str) -> str:
    suffix = PurePosixPath(naam).suffix.lower()
    return SOORTEN.get(suffix, suffix.lstrip(".").upper() or "bestand")


def mimetype(naam: str) -> str | None:
    """The type to send `naam` as so the browser opens it; None: a download."""
    return IN_BROWSER.get(PurePosixPath(naam).suffix.lower())


def stuk(b: Bijlage) -> dict[str, Any]:
    """One document version as the templates show it."""
    return {"id": b.id, "naam": b.naam, "versie": b.versie, "grootte": b.grootte,
            "omvang": tekst.omvang(b.grootte), "sha256": b.sha256, "soort": soort(b.naam),
            "url": url_for("documenten.document", bijlage_id=b.id),
            "in_browser": mimetype(b.naam) is not None, "omschrijving": b.omschrijving,
            "geregistreerd_op": clock.local(b.geregistreerd_op)}


def per_voorstel(session: Session, voorstel_ids: Iterable[int]) -> dict[int, list[Bijlage]]:
    """Every registered version, per proposal id."""
    ids = sorted(set(voorstel_ids))
    per: dict[int, list[Bijlage]] = {i: [] for i in ids}
    if ids:
        for rij in session.scalars(select(Bijlage).where(Bijlage.voorstel_id.in_(ids))
                                   .order_by(Bijlage.id)):
            per[rij.voorstel_id].append(rij)
    return per


def links(rijen: Iterable[Bijlage]) -> dict[str, dict[str, Any]]:
    """The current versions by SHA-256: what the agenda template looks a document up by."""
    return {b.sha256: stuk(b) for b in huidige_versies(rijen)}


def met_versies(rijen: Iterable[Bijlage]) -> list[dict[str, Any]]:
    """Per document (current version first in name order): its current version and the older
    ones, newest first."""
    rijen = list(rijen)
    uit = []
    for huidig in huidige_versies(rijen):
        eerdere = sorted((b for b in rijen if b.naam == huidig.naam and b.id != huidig.id),
                         key=lambda b: -b.versie)
        uit.append({**stuk(huidig), "eerdere": [stuk(b) for b in eerdere]})
    return uit
