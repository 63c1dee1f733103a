"""A change stamp of the whole database, for reminder passes: one indexed SELECT that says
whether anything a pass reads changed since an earlier pass, so a pass with nothing new can keep
what that pass read or concluded (the meetings ahead, that the sent agendas still match, that no
pending mail lapsed, that a weekly overview has nothing to say) instead of working it out again.
Conclusions are kept per database engine, in the process (a planner), and only once the pass
that drew them has committed.

What it reads: the newest history row (every act on a proposal writes one: agenderen, an outcome,
a withdrawal, a corrected title or author, a document registered, a meeting moved under it), the
documents' count and newest id, the definitions version, the newest message (a dispatch, a
skipped reminder, a pass of another planner), the newest meeting, and of the meetings beginning
after the stamp's moment their count and the sum of their change numbers (a move, cancellation
or new opmerking bumps it). A conclusion is kept at most GELDIG: a change that bypasses every
part of the stamp (none is known) is found within that time all the same.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from workflow.berichten import uitgaand
from workflow.opslag.models import Definitieversie, Gebeurtenis, Vergadering
from workflow.voorstellen.documenten import Bijlage

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How long a conclusion drawn at a stamp is kept while the stamp stands still.
GELDIG = timedelta(hours=1)


@dataclass(frozen=True)
class Stempel:
    moment: datetime  #: meetings beginning after it are counted
    waarden: tuple[Any, ...]

    @classmethod
    def lees(cls, session: Session, moment: datetime) -> Stempel:
        komend = Vergadering.begin > moment
        row = session.execute(select(
            select(func.max(Gebeurtenis.id)).scalar_subquery(),
            select(func.count(Bijlage.id)).scalar_subquery(),
            select(func.max(Bijlage.id)).scalar_subquery(),
            select(func.max(Definitieversie.nummer)).scalar_subquery(),
            select(func.max(uitgaand.Bericht.id)).scalar_subquery(),
            select(func.max(Vergadering.id)).scalar_subquery(),
            select(func.count(Vergadering.id)).where(komend).scalar_subquery(),
            select(func.coalesce(func.sum(Vergadering.volgnummer), 0)).where(komend)
            .scalar_subquery(),
        )).one()
        return cls(moment, tuple(row))

    def staat_nog(self, session: Session, nu: datetime) -> bool:
        """Nothing changed since this stamp was read, and it is at most GELDIG old at `nu` (a
        clock set back, as with `--nu`, never keeps it). Read once per moment per session."""
        if not timedelta(0) <= nu - self.moment < GELDIG:
            return False
        gelezen = session.info.setdefault("besluitroute.stempels", {})
        if self.moment not in gelezen:
            gelezen[self.moment] = Stempel.lees(session, self.moment)
        return bool(gelezen[self.moment] == self)


#: Per engine: conclusion name -> (the stamp it was drawn at, what was concluded).
_conclusies: weakref.WeakKeyDictionary[Any, dict[str, tuple[Stempel, Any]]] = \
    weakref.WeakKeyDictionary()


def geldend(engine: Any, session: Session, naam: str, nu: datetime) -> tuple[Any] | None:
    """(what was concluded,) under `naam` if its stamp still stands at `nu`, else None."""
    bewaard = _conclusies.get(engine, {}).get(naam)
    if bewaard is None or not bewaard[0].staat_nog(session, nu):
        return None
    return (bewaard[1],)


def onthoud(engine: Any, naam: str, stempel: Stempel, waarde: Any = None) -> None:
    """Keep a conclusion drawn from what the database held at `stempel`; call after commit."""
    _conclusies.setdefault(engine, {})[naam] = (stempel, waarde)
