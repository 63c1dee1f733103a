"""Reading proposals and meetings for the CLI: a listing, one proposal's file (`Dossier`), the
meetings of a body. Nothing here writes, and no state machine is attached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workflow.basis.fouten import NietGevonden
from workflow.basis.tekst import citeer
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Gebeurtenis, Vergadering, Voorstel
from workflow.voorstellen.kern import VERVALLEN

if TYPE_CHECKING:
    from workflow.besluitvorming.stemming import Stemregel
    from workflow.voorstellen.documenten import Document
    from workflow.voorstellen.takmodel import Tak


def lijst(env: Omgeving, *, status: str | None = None, orgaan: str | None = None
          ) -> list[Voorstel]:
    """Proposals as rows, newest first, without paging (`overzicht.pagina` is what the CLI
    prints). No state machine is attached: listing reads columns only."""
    from workflow.voorstellen import overzicht

    clauses = overzicht.voorwaarden(env, status, orgaan)
    if clauses is None:
        return []
    query = (select(Voorstel).where(*clauses)
             .order_by(Voorstel.ingediend_op.desc(), Voorstel.id.desc()))
    with env.db.lees() as session:
        return list(session.scalars(query))


@dataclass(frozen=True)
class Dossier:
    """A proposal with everything `voorstel toon` shows."""

    voorstel: Voorstel
    beslispunten: list[Beslispunt]
    agendapunten: list[Agendapunt]
    geschiedenis: list[Gebeurtenis]
    documenten: tuple[Document, ...] = ()  #: the current version of each document
    #: Per beslispunt its last recorded vote: (meeting id, the vote as a decision list shows it).
    stemmingen: dict[int, tuple[int, Stemregel]] = field(default_factory=dict)
    #: The branches of its group steps (latest round of each): advisers and councils.
    takken: tuple[Tak, ...] = ()


def dossier(env: Omgeving, kenmerk: str) -> Dossier:
    with env.db.lees() as session:
        voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk.strip())
                                  .options(selectinload(Voorstel.beslispunten),
                                           selectinload(Voorstel.vergadering)))
        if voorstel is None:
            raise NietGevonden(f"onbekend voorstel {citeer(kenmerk)} (zie 'besluitroute voorstel lijst')")
        items = list(session.scalars(
            select(Agendapunt).join(Vergadering)
            .where(Agendapunt.voorstel_id == voorstel.id, Agendapunt.status != VERVALLEN)
            .order_by(Vergadering.begin, Agendapunt.id)))
        history = list(session.scalars(select(Gebeurtenis).where(
            Gebeurtenis.voorstel_id == voorstel.id).order_by(Gebeurtenis.id)))
        from workflow.besluitvorming import vastleggen as besluitvorming
        from workflow.voorstellen.documenten import documenten_per_voorstel

        documenten = documenten_per_voorstel(session, [voorstel.id])[voorstel.id]
        from workflow.voorstellen.takken import takken_van

        return Dossier(voorstel, list(voorstel.beslispunten), items, history, documenten,
                       besluitvorming.stemmingen_van(session, voorstel.id),
                       tuple(takken_van(session, voorstel.id)))


def aantal_voorstellen(env: Omgeving) -> int:
    with env.db.lees() as session:
        return int(session.scalar(select(func.count(Voorstel.id))) or 0)


def vergaderlijst(env: Omgeving, *, orgaan: str | None = None, van: datetime | None = None,
                  tot: datetime | None = None) -> list[Vergadering]:
    if orgaan is not None:
        env.definities.orgaan(orgaan)
    with env.db.lees() as session:
        return vergaderingen.lijst(session, orgaan, van, tot)
