"""Meetings in the database: synchronised from the definitions, looked up for agendering."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.basis.grenzen import MAX_ID
from workflow.basis.tekst import citeer
from workflow.definities import ritme
from workflow.definities.model import Definities, Orgaan
from workflow.kalender import werkdagen
from workflow.opslag.models import Synchronisatie, Vergadering


def vingerafdruk(orgaan: Orgaan) -> str:
    """Changes when anything in the body's definition, or our calendar rules, change."""
    cached = _vingerafdrukken.get(id(orgaan))
    if cached is not None and cached[0] is orgaan:
        return cached[1]
    import hashlib

    afdruk = hashlib.sha256(f"{_kalender_versie()}|{orgaan!r}".encode()).hexdigest()
    _vingerafdrukken[id(orgaan)] = (orgaan, afdruk)
    return afdruk


#: Per loaded body definition (kept alive here, so its id cannot be reused): its fingerprint.
#: A long-running planner computes each body's fingerprint once, not on every pass.
_vingerafdrukken: dict[int, tuple[Orgaan, str]] = {}


@lru_cache(maxsize=1)
def _kalender_versie() -> str:
    """The code that expands calendars: ours and the holiday data."""
    from importlib.metadata import PackageNotFoundError, version

    from workflow import __version__

    try:
        holidays = version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        holidays = "?"
    return f"{__version__}/{Path(ritme.__file__).stat().st_mtime_ns}/{holidays}"


def synchroniseer(session: Session, definities: Definities,
                  organen: Iterable[str] | None = None, *,
                  gewijzigd: list[tuple[Vergadering, datetime]] | None = None) -> int:
    """Bring the meetings of `organen` (all by default) in line with the definitions.

    New meetings are added and changed ones updated, except those the secretariat moved or
    cancelled by hand. A meeting that disappeared from the definitions is marked cancelled, never
    deleted: agenda items and history may point at it. Bodies whose definition is unchanged since
    their last synchronisation are skipped (fingerprint). Returns the number of rows changed;
    `gewijzigd` collects each existing meeting that moved or was cancelled, with its old start.
    """
    requested = list(organen) if organen is not None else sorted(definities.organen)
    fingerprints = {key: vingerafdruk(definities.orgaan(key)) for key in requested}
    known = {orgaan: afdruk for orgaan, afdruk in session.execute(
        select(Synchronisatie.orgaan, Synchronisatie.vingerafdruk)
        .where(Synchronisatie.orgaan.in_(requested)))}
    keys = [key for key in requested if known.get(key) != fingerprints[key]]
    if not keys:
        return 0
    wanted: dict[str, ritme.Vergaderdatum] = {}
    for key in keys:
        for m in ritme.vergaderingen(definities.orgaan(key)):
            wanted[m.sleutel] = m
    existing = {
        v.sleutel: v
        for v in session.scalars(select(Vergadering).where(Vergadering.orgaan.in_(keys)))
    }
    changed = _apply(session, wanted, existing, gewijzigd)
    _mark_synchronised(session, keys, fingerprints)
    session.flush()
    return changed


def _apply(session: Session, wanted: dict[str, ritme.Vergaderdatum],
           existing: dict[str, Vergadering],
           gewijzigd: list[tuple[Vergadering, datetime]] | None) -> int:
    """Add, update and cancel rows so `existing` matches `wanted`; returns the rows changed.
    Meetings moved or cancelled by hand (`handmatig`) are left alone."""
    changed = 0
    for sleutel, m in wanted.items():
        row = existing.get(sleutel)
        if row is None:
            session.add(Vergadering(
                sleutel=sleutel, orgaan=m.orgaan, begin=m.begin, oorspronkelijk_begin=m.begin,
                plaats=m.plaats, geannuleerd=m.geannuleerd, opmerking=m.opmerking,
                handmatig=False, volgnummer=0,
            ))
            changed += 1
        elif not row.handmatig and (row.begin != m.begin or row.plaats != m.plaats
                                    or row.geannuleerd != m.geannuleerd
                                    or row.opmerking != m.opmerking):
            if gewijzigd is not None and (row.begin != m.begin or
                                          (m.geannuleerd and not row.geannuleerd)):
                gewijzigd.append((row, row.begin))
            row.begin, row.plaats = m.begin, m.plaats
            row.geannuleerd, row.opmerking = m.geannuleerd, m.opmerking
            row.volgnummer += 1
            changed += 1
    for sleutel, row in existing.items():
        if sleutel not in wanted and not row.handmatig and not row.geannuleerd:
            if gewijzigd is not None:
                gewijzigd.append((row, row.begin))
            row.geannuleerd = True
            row.volgnummer += 1
            changed += 1
    return changed


def _mark_synchronised(session: Session, keys: list[str], fingerprints: dict[str, str]) -> None:
    """Remember each body's fingerprint, so an unchanged definition is skipped next time."""
    nu = clock.real_now()
    for key in keys:
        marker = session.get(Synchronisatie, key)
        if marker is None:
            session.add(Synchronisatie(orgaan=key, vingerafdruk=fingerprints[key],
                                       bijgewerkt_op=nu))
        else:
            marker.vingerafdruk, marker.bijgewerkt_op = fingerprints[key], nu


def lijst(session: Session, orgaan: str | None = None, van: datetime | None = None,
          tot: datetime | None = None) -> list[Vergadering]:
    query = select(Vergadering).order_by(Vergadering.begin, Vergadering.id)
    if orgaan is not None:
        query = query.where(Vergadering.orgaan == orgaan)
    if van is not None:
        query = query.where(Vergadering.begin >= van)
    if tot is not None:
        query = query.where(Vergadering.begin < tot)
    return list(session.scalars(query))


def haal(session: Session, aanduiding: int | str) -> Vergadering:
    """A meeting by id (`7`) or by key (`aoj-20210624`), as the CLI accepts it."""
    vergadering = None
    tekst = str(aanduiding).strip()
    if tekst.isascii() and tekst.isdigit() and 0 < int(tekst) <= MAX_ID:
        vergadering = session.get(Vergadering, int(tekst))
    if vergadering is None and isinstance(aanduiding, str):
        vergadering = session.scalar(select(Vergadering).where(Vergadering.sleutel == tekst))
    if vergadering is None:
        raise NietGevonden(f"onbekende vergadering {citeer(str(aanduiding))} (geef het id of de "
                           "sleutel; zie 'besluitroute vergadering lijst')")
    return vergadering


def volgende(session: Session, orgaan: Orgaan, na: datetime, *,
             deadline_open_op: datetime | None = None) -> Vergadering | None:
    """The first meeting of `orgaan` starting after `na` that is not cancelled.

    With `deadline_open_op`, only meetings whose submission deadline is still open at that moment.
    """
    query = (select(Vergadering)
             .where(Vergadering.orgaan == orgaan.sleutel, Vergadering.begin > na,
                    Vergadering.geannuleerd.is_(False))
             .order_by(Vergadering.begin, Vergadering.id))
    for vergadering in session.scalars(query):
        if deadline_open_op is None or \
                werkdagen.aanlevermoment(orgaan, vergadering.begin) > deadline_open_op:
            return vergadering
    return None


def omschrijving(vergadering: Vergadering, definities: Definities) -> str:
    """'Stuurgroep transformatie, 23 juni 2021 14:00 (id 7)'."""
    from workflow.basis.tekst import datum_tijd

    naam = definities.organen[vergadering.orgaan].naam if vergadering.orgaan in \
        definities.organen else vergadering.orgaan
    return f"{naam}, {datum_tijd(vergadering.begin)} (id {vergadering.id})"


def controleer_orgaan(vergadering: Vergadering, orgaan: Orgaan, kenmerk: str,
                      definities: Definities) -> None:
    if vergadering.orgaan != orgaan.sleutel:
        andere = definities.organen.get(vergadering.orgaan)
        raise GebruikersFout(
            f"vergadering {vergadering.id} is van {andere.naam if andere else vergadering.orgaan}; "
            f"voorstel {kenmerk} moet nu naar {orgaan.naam}"
        )
