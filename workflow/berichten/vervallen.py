"""Pending mail of a meeting that was moved or cancelled since it was made lapses (`vervallen`):
its moment and content belong to the old meeting; the new cycle makes its own."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from workflow.berichten import herinneringen, uitgaand

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger("besluitroute.planner")


def laat_vervallen(session: Session) -> int:
    """Pending messages of a meeting that was cancelled or moved since: vervallen.

    The database picks them (pending rows by the status index, each meeting by its unique key),
    so a pass with a backlog of pending mail reads only the few that lapse; they lapse in bulk,
    and a row a sender claimed meanwhile is left alone (status checked in the UPDATE)."""
    from sqlalchemy import and_, not_, or_, select, update

    from workflow.opslag.models import Vergadering

    Bericht = uitgaand.Bericht
    zelfde_begin = Vergadering.begin.is_not_distinct_from(Bericht.vergadering_begin)
    stale = list(session.execute(
        select(Bericht.id, Bericht.soort, Bericht.vergadering)
        .outerjoin(Vergadering, Vergadering.sleutel == Bericht.vergadering)
        .where(Bericht.status == uitgaand.Status.WACHTEND.value, Bericht.vergadering.is_not(None),
               or_(Vergadering.id.is_(None),
                   and_(or_(Vergadering.geannuleerd, not_(zelfde_begin)),
                        # An aanvulling made after the change it reports (the cancellation
                        # itself) stands.
                        not_(and_(Bericht.soort == herinneringen.Soort.AANVULLING.value,
                                  zelfde_begin)))))))
    # Sorted here: ORDER BY id let SQLite (with statistics) walk the whole outbox in id order.
    stale.sort(key=lambda r: r.id)
    for r in stale:
        log.info("vervallen: bericht %d (%s): vergadering %s verplaatst of geannuleerd",
                 r.id, r.soort, r.vergadering)
    ids = [r.id for r in stale]
    count = 0
    for start in range(0, len(ids), 500):  # ids per IN (...), below SQLite's limit
        result = session.execute(
            update(Bericht).where(Bericht.id.in_(ids[start:start + 500]),
                                  Bericht.status == uitgaand.Status.WACHTEND.value)
            .values(status=uitgaand.Status.VERVALLEN.value,
                    opmerking="vergadering verplaatst of geannuleerd voor verzending")
            .execution_options(synchronize_session=False))
        count += result.rowcount  # type: ignore[attr-defined]
    return count
