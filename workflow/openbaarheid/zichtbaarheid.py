"""What of a meeting is public at a moment: the one rule the portal's pages, its feeds, OParl
and the Woo-index share (the Woo-index may list only URLs the portal shows the public).

- a publication is public ("live") from `gepubliceerd_op` until it is withdrawn
  (`ingetrokken_op`, a Woo exception);
- a meeting's page (/vergadering/<id>) is public once its agenda is live;
- its decision list (/vergadering/<id>/besluitenlijst) once, in addition, the decision list is
  live and the meeting was held (begun, not cancelled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import BindParameter

from workflow.openbaarheid.model import Publicatie


def gepubliceerd(nu: datetime | BindParameter[datetime], soort: str | None = None) -> Any:
    """SQL: a publication that went public at or before `nu`, withdrawn since or not (OParl
    lists a withdrawn one as deleted)."""
    conditions = [Publicatie.gepubliceerd_op <= nu]
    if soort:
        conditions.append(Publicatie.soort == soort)
    return and_(*conditions)


def niet_ingetrokken(nu: datetime | BindParameter[datetime]) -> Any:
    """SQL: a publication not withdrawn at `nu`."""
    return or_(Publicatie.ingetrokken_op.is_(None), Publicatie.ingetrokken_op > nu)


def ingetrokken(pub: Publicatie, nu: datetime) -> bool:
    """A loaded publication was withdrawn at or before `nu`."""
    return pub.ingetrokken_op is not None and pub.ingetrokken_op <= nu


def live(nu: datetime | BindParameter[datetime], soort: str | None = None) -> Any:
    """SQL: a publication that is public at `nu` (published by then, not withdrawn by then):
    what the portal's pages, feeds, search and the Woo-index show."""
    return and_(gepubliceerd(nu, soort), niet_ingetrokken(nu))


def is_live(pub: Publicatie, nu: datetime) -> bool:
    """`live` for a loaded row."""
    return pub.gepubliceerd_op <= nu and not ingetrokken(pub, nu)


def vergaderpagina_openbaar(agenda_op: datetime | None) -> bool:
    """A meeting's page is public once its agenda is live (`agenda_op`: the moment of the live
    agenda publication, None when there is none)."""
    return agenda_op is not None


def besluitenlijst_gehouden(begin: datetime, geannuleerd: bool, nu: datetime) -> bool:
    """A meeting has a decision list (for anyone) once it has begun and was not cancelled."""
    return begin <= nu and not geannuleerd


def besluitenlijst_openbaar(begin: datetime, geannuleerd: bool, nu: datetime,
                            agenda_op: datetime | None, lijst_op: datetime | None) -> bool:
    """The decision list is public: the meeting page is public, the list is live and the
    meeting was held."""
    return (vergaderpagina_openbaar(agenda_op) and lijst_op is not None
            and besluitenlijst_gehouden(begin, geannuleerd, nu))
