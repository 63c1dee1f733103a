"""Change stamps of portal pages: one cheap statement that says whether a kept page still holds.

A proposal page shows the proposal, its agenda items and their meetings, its history, its
documents, what of it is published at this moment, and names from the definitions. Every act on
a proposal writes a history row and bumps the proposal's change number; a meeting that is moved
or cancelled bumps its own `volgnummer` (and adds history rows); a publication, an exception or
a withdrawal changes the set of publications that are live. The stamp is all of these, read in
one indexed SELECT compiled once (workflow.web.prepared): equal stamps, equal page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, case, func, or_, select

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import (
    Agendapunt,
    Bijlage,
    Definitieversie,
    Gebeurtenis,
    Omgeving,
    Publicatie,
    UTCDateTime,
    Vergadering,
    Voorstel,
)
from workflow.web.prepared import Prepared, aware


def _voorstel_select() -> Any:
    nu = bindparam("nu", type_=UTCDateTime())
    # Correlated to the outer proposal explicitly: nested one level deeper, SQLAlchemy would
    # otherwise add `voorstel` to this subquery's FROM and scan every agenda item.
    vergaderingen = select(Agendapunt.vergadering_id).where(
        Agendapunt.voorstel_id == Voorstel.id).correlate(Voorstel)
    relevant = or_(Publicatie.voorstel_id == Voorstel.id,
                   Publicatie.vergadering_id.in_(vergaderingen))
    live = zichtbaarheid.live(nu)
    # Each status its own weight: a status change that no history row records still shows.
    status = case((Agendapunt.status == "gepland", 1), (Agendapunt.status == "geagendeerd", 2),
                  (Agendapunt.status == "behandeld", 3), else_=5)
    return select(
        Voorstel.id,
        Voorstel.wijzigingsnummer,
        select(func.max(Gebeurtenis.id)).where(Gebeurtenis.voorstel_id == Voorstel.id)
        .scalar_subquery(),
        select(func.count(Agendapunt.id)).where(Agendapunt.voorstel_id == Voorstel.id)
        .scalar_subquery(),
        select(func.coalesce(func.sum(Agendapunt.id * status), 0))
        .where(Agendapunt.voorstel_id == Voorstel.id).scalar_subquery(),
        select(func.coalesce(func.sum(Vergadering.volgnummer), 0))
        .where(Vergadering.id.in_(vergaderingen)).scalar_subquery(),
        select(func.count(Bijlage.id)).where(Bijlage.voorstel_id == Voorstel.id)
        .scalar_subquery(),
        select(func.coalesce(func.sum(Bijlage.id), 0)).where(Bijlage.voorstel_id == Voorstel.id)
        .scalar_subquery(),
        select(func.coalesce(func.sum(Publicatie.id), -1)).where(relevant, live)
        .scalar_subquery(),
        select(func.max(Publicatie.gewijzigd_op)).where(relevant).scalar_subquery(),
        select(func.max(Definitieversie.nummer)).scalar_subquery(),
    ).where(Voorstel.kenmerk == bindparam("kenmerk", type_=String()))


_VOORSTEL = Prepared(_voorstel_select())
_VERGADERING = Prepared(select(
    Vergadering.orgaan, Vergadering.volgnummer, Vergadering.begin, Vergadering.plaats,
    Vergadering.geannuleerd, Vergadering.opmerking,
).where(Vergadering.id == bindparam("id", type_=Integer())), bewaren=True)


def voorstel(env: Omgeving, kenmerk: str, nu: datetime) -> tuple[Any, ...] | None:
    """The stamp of proposal `kenmerk`'s page at `nu`, or None when there is no such proposal.
    Its first field is the proposal's id."""
    return _VOORSTEL.row(env, kenmerk=kenmerk, nu=nu)


def vergadering(env: Omgeving, vergadering_id: int) -> tuple[str, tuple[Any, ...]] | None:
    """(body, the fields a meeting page shows of the meeting itself) or None when unknown. A
    move or cancellation bumps `volgnummer`; place and remark are shown as they are."""
    if not 0 < vergadering_id < 2**31:
        return None
    row = _VERGADERING.row(env, id=vergadering_id)
    if row is None:
        return None
    orgaan, volgnummer, begin, plaats, geannuleerd, opmerking = row
    return str(orgaan), (volgnummer, aware(begin), plaats, bool(geannuleerd), opmerking)
