"""`voorstel lijst`: proposals newest first, one page at a time.

Its cost is the start-up plus the rows it prints, not the size of the database: it selects only
the printed columns (no ORM entities, no state machine), pages by keyset on (ingediend_op, id)
(`na`: continue after that kenmerk), and counts the matches with one aggregate. It imports
neither the acts (workflow.voorstellen.handelingen) nor the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select

from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.opslag.models import Voorstel
from workflow.routes import machine as routemachine

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving

#: What `--status` accepts.
STATUS_FILTERS = ("lopend", "ingediend", "geagendeerd", "aangehouden", "geadviseerd",
                  "terugverwezen", "heringediend", "vastgesteld", "afgewezen", "ingetrokken")

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


def states_at_body(env: Omgeving, orgaan: str) -> dict[str, list[str]]:
    """Per route, the states in which a proposal is on or waiting for a meeting of `orgaan`."""
    env.definities.orgaan(orgaan)
    result: dict[str, list[str]] = {}
    for naam, route in env.definities.routes.items():
        states = routemachine.toestanden_bij_orgaan(route, orgaan)
        if states:
            result[naam] = states
    return result


def voorwaarden(env: Omgeving, status: str | None, orgaan: str | None) -> list[Any] | None:
    """WHERE clauses, or None when nothing can match."""
    clauses: list[Any] = []
    if status is not None:
        if status not in STATUS_FILTERS:
            raise GebruikersFout(f"onbekende status '{status}' (kies uit: "
                                 f"{', '.join(STATUS_FILTERS)})")
        if status == "lopend":
            clauses.append(Voorstel.toestand.not_in(sorted(routemachine.EINDTOESTANDEN)))
        elif status in (routemachine.INGEDIEND, *routemachine.EINDTOESTANDEN):
            clauses.append(Voorstel.toestand == status)
        else:
            clauses.append(Voorstel.toestand.like(f"%:{status}"))
    if orgaan is not None:
        per_route = states_at_body(env, orgaan)
        if not per_route:
            return None
        clauses.append(or_(*(and_(Voorstel.route == naam, Voorstel.toestand.in_(states))
                             for naam, states in sorted(per_route.items()))))
    return clauses


def pagina(env: Omgeving, *, status: str | None = None, orgaan: str | None = None,
           na: str | None = None, aantal: int | None = STANDAARD_AANTAL) -> Pagina:
    """The matching proposals, newest first: `aantal` of them (None: all) after kenmerk `na`."""
    clauses = voorwaarden(env, status, orgaan)
    if clauses is None:
        return Pagina([], 0, None)
    kolommen = (Voorstel.kenmerk, Voorstel.titel, Voorstel.route, Voorstel.toestand,
                Voorstel.opsteller, Voorstel.vergadering_id, Voorstel.ingediend_op, Voorstel.id)
    with env.db.lees() as session:
        totaal = session.execute(select(func.count()).select_from(Voorstel).where(*clauses)
                                 ).scalar_one()
        query = select(*kolommen).where(*clauses)
        if na is not None:
            vanaf = session.execute(select(Voorstel.ingediend_op, Voorstel.id)
                                    .where(Voorstel.kenmerk == na.strip())).first()
            if vanaf is None:
                raise NietGevonden(f"onbekend voorstel '{na}' (bij --na)")
            query = query.where(or_(Voorstel.ingediend_op < vanaf[0],
                                    and_(Voorstel.ingediend_op == vanaf[0],
                                         Voorstel.id < vanaf[1])))
        query = query.order_by(Voorstel.ingediend_op.desc(), Voorstel.id.desc())
        if aantal is not None:
            query = query.limit(aantal + 1)
        rows = session.execute(query).all()
    meer = aantal is not None and len(rows) > aantal
    regels = [Regel(*row[:7]) for row in (rows[:aantal] if aantal is not None else rows)]
    return Pagina(regels, totaal, regels[-1].kenmerk if meer and regels else None)


def labels(env: Omgeving, regels: list[Regel]) -> dict[tuple[str, str], str]:
    """The state's description per distinct (route, state): computed once, not per row."""
    result: dict[tuple[str, str], str] = {}
    for r in regels:
        key = (r.route, r.toestand)
        if key not in result:
            definitie = env.definities.routes.get(r.route)
            result[key] = r.toestand if definitie is None else routemachine.label(
                definitie, r.toestand, env.definities)
    return result
