"""What laad_bijeenkomsten (workflow.berichten.ronde) adds to a meeting and its items: their
documents, whether a new version was asked for, when the agenda went out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Ids per IN (...) list: well below SQLite's limit on bound parameters.
CHUNK = 500


def documenten(session: Session, voorstel_ids: list[int]) -> dict[int, tuple[str, ...]] | None:
    """Documents per proposal from the documents table, or None when there is none (yet)."""
    try:
        from sqlalchemy import inspect

        from workflow.voorstellen.documenten import documenten_per_voorstel
    except ImportError:
        return None
    if not inspect(session.connection()).has_table("bijlage"):
        return None
    per = documenten_per_voorstel(session, voorstel_ids)
    return {i: tuple(f"{d.naam} (versie {d.versie})" for d in docs) for i, docs in per.items()}


def verouderd(session: Session, voorstel_ids: list[int]) -> set[int]:
    """The proposals referred back (terugverwijzen) after their last document came in: their
    authors are asked for a new version."""
    from sqlalchemy import func, select

    from workflow.opslag.models import Gebeurtenis
    from workflow.voorstellen.documenten import Bijlage

    terug: dict[int, datetime] = {}
    stukken: dict[int, datetime] = {}
    for start in range(0, len(voorstel_ids), CHUNK):
        ids = voorstel_ids[start:start + CHUNK]
        terug.update((i, t) for i, t in session.execute(
            select(Gebeurtenis.voorstel_id, func.max(Gebeurtenis.tijdstip))
            .where(Gebeurtenis.voorstel_id.in_(ids), Gebeurtenis.uitkomst == "terugverwijzen")
            .group_by(Gebeurtenis.voorstel_id)))
    teruggestuurd = sorted(terug)
    for start in range(0, len(teruggestuurd), CHUNK):
        stukken.update((i, t) for i, t in session.execute(
            select(Bijlage.voorstel_id, func.max(Bijlage.geregistreerd_op))
            .where(Bijlage.voorstel_id.in_(teruggestuurd[start:start + CHUNK]))
            .group_by(Bijlage.voorstel_id)))
    return {i for i, moment in terug.items() if i in stukken and stukken[i] < moment}


def agenda_verzonden(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Per meeting, when its agenda first went to the members (the dispatch log)."""
    from sqlalchemy import func, inspect, select

    from workflow.berichten import agendapost
    from workflow.opslag.models import Agendaverzending, Vergadering

    if not inspect(session.connection()).has_table("agendaverzending"):
        return {}
    result: dict[int, datetime] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        # Only a dispatch whose mails are (on their way) out counts; one whose mails all
        # lapsed (the meeting moved before they went) is sent again in the new cycle.
        levend = set(session.scalars(
            select(Vergadering.id).where(Vergadering.id.in_(chunk),
                                         agendapost.agenda_verstuurd())))
        if not levend:
            continue
        for verg_id, eerste in session.execute(
                select(Agendaverzending.vergadering_id, func.min(Agendaverzending.verzonden_op))
                .where(Agendaverzending.vergadering_id.in_(sorted(levend)))
                .group_by(Agendaverzending.vergadering_id)):
            result[verg_id] = eerste if eerste.tzinfo else eerste.replace(tzinfo=UTC)
    return result
