"""`voorstel lijst`: proposals newest first, one page at a time.

Its cost is the start-up plus the rows it prints, not the size of the database: it selects only
the printed columns (no ORM entities, no state machine), pages by keyset on (ingediend_op, id)
(`na`: continue after that kenmerk), and counts the matches with one aggregate. It imports
neither the acts nor the calendar, not the typed definitions (the states per body and the labels
come from workflow.voorstellen.standen) and not even the ORM: its tables are declared in Core
(workflow.opslag.tabellen) and it reads on a Core connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.basis.tekst import citeer
from workflow.opslag.tabellen import VOORSTEL
from workflow.routes import toestanden
from workflow.voorstellen import standen

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving

_TABEL = VOORSTEL
V = _TABEL.c

#: What `--status` accepts.
STATUS_FILTERS = ("lopend", "ingediend", "geagendeerd", "verzonden", "aangehouden",
                  "geadviseerd", "terugverwezen", "heringediend", "vastgesteld", "afgewezen",
                  "ingetrokken")

#: Rows per page when neither `--alles` nor `--aantal` is given.
STANDAARD_AANTAL = 50


@dataclass(frozen=True, slots=True)
class Regel:
    """One printed row."""

    kenmerk: str
    titel: str
    route: str
    toestand: str
    opsteller: str
    vergadering_id: int | None
    ingediend_op: datetime


@dataclass(frozen=True, slots=True)
class Pagina:
    regels: list[Regel]
    #: All matches (every page together).
    totaal: int
    #: The kenmerk to continue after (`--na`), or None on the last page.
    volgende: str | None
    #: The description of each (route, state) on this page.
    labels: dict[tuple[str, str], str]


def voorwaarden(env: Omgeving, status: str | None, orgaan: str | None,
                bekend: standen.Standen | None = None) -> list[Any] | None:
    """WHERE clauses, or None when nothing can match."""
    clauses: list[Any] = []
    if status is not None:
        if status not in STATUS_FILTERS:
            raise GebruikersFout(f"onbekende status {citeer(status)} (kies uit: "
                                 f"{', '.join(STATUS_FILTERS)})")
        if status == "lopend":
            clauses.append(V.toestand.not_in(sorted(toestanden.EINDTOESTANDEN)))
        elif status in (toestanden.INGEDIEND, *toestanden.EINDTOESTANDEN):
            clauses.append(V.toestand == status)
        else:
            clauses.append(V.toestand.like(f"%:{status}"))
    if orgaan is not None:
        per_route = (bekend or standen.van(env)).bij_orgaan(orgaan)
        if not per_route:
            return None
        clauses.append(or_(*(and_(V.route == naam, V.toestand.in_(states))
                             for naam, states in sorted(per_route.items()))))
    return clauses


def pagina(env: Omgeving, *, status: str | None = None, orgaan: str | None = None,
           na: str | None = None, aantal: int | None = STANDAARD_AANTAL) -> Pagina:
    """The matching proposals, newest first: `aantal` of them (None: all) after kenmerk `na`."""
    bekend = standen.van(env)
    clauses = voorwaarden(env, status, orgaan, bekend)
    if clauses is None:
        return Pagina([], 0, None, {})
    kolommen = (V.kenmerk, V.titel, V.route, V.toestand,
                V.opsteller, V.vergadering_id, V.ingediend_op, V.id)
    with env.db.verbinding() as session:
        totaal = session.execute(select(func.count()).select_from(_TABEL).where(*clauses)
                                 ).scalar_one()
        query = select(*kolommen).where(*clauses)
        if na is not None:
            vanaf = session.execute(select(V.ingediend_op, V.id)
                                    .where(V.kenmerk == na.strip())).first()
            if vanaf is None:
                raise NietGevonden(f"onbekend voorstel {citeer(na)} (bij --na)")
            query = query.where(or_(V.ingediend_op < vanaf[0],
                                    and_(V.ingediend_op == vanaf[0],
                                         V.id < vanaf[1])))
        query = query.order_by(V.ingediend_op.desc(), V.id.desc())
        if aantal is not None:
            query = query.limit(aantal + 1)
        rows = session.execute(query).all()
    meer = aantal is not None and len(rows) > aantal
    regels = [Regel(*row[:7]) for row in (rows[:aantal] if aantal is not None else rows)]
    labels = {(r.route, r.toestand): bekend.label(r.route, r.toestand) for r in regels}
    return Pagina(regels, totaal, regels[-1].kenmerk if meer and regels else None, labels)

