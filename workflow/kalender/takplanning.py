"""Planning a group step (pure): its branches' meetings, and what the next step must follow.

`tegelijk`: each adviser a meeting of its own, as if it were the only step there; the next step
follows the last of them (forward), the previous step precedes the first (backward).
`zienswijze`: dispatch, then the period (`termijn_dagen`, ending at the start of the day after
its last day); each council its last meeting in the period, with its own submission deadline.
The period is returned as an `Optie` with `termijn=True` (and is the plan's line of the step
itself, before its councils), so the next step starts after it and
has its submission deadline after it (the zienswijzen and the DB's reaction go with it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta

from workflow.basis.clock import TZ
from workflow.basis.tekst import datum
from workflow.kalender.planmodel import Agenda, Onhaalbaar, Optie, PlanStap, Regel

_Kies = Callable[[PlanStap, Sequence[Optie], Optie | None, datetime | None, Optie | None],
                 Optie | None]
_Past = Callable[[Optie, Optie | None, PlanStap], bool]
_Open = Callable[[Optie, datetime | None], bool]


def einde_termijn(verzonden: datetime, dagen: int) -> datetime:
    """The start of the local day after the period's last day (workflow.voorstellen.takken)."""
    laatste = verzonden.astimezone(TZ).date() + timedelta(days=dagen)
    return datetime.combine(laatste + timedelta(days=1), time(0), TZ)


def laatste_verzenddag(aanlevermoment: datetime, dagen: int) -> datetime:
    """The start of the latest day a draft can go out so its period ends by `aanlevermoment`."""
    dag = aanlevermoment.astimezone(TZ).date() - timedelta(days=dagen + 1)
    return datetime.combine(dag, time(0), TZ)


def _raden(stap: PlanStap, agenda: Agenda, verzonden: datetime,
           eind: datetime) -> list[Regel]:
    """Each council's last meeting in the period (a council without one is left out)."""
    regels: list[Regel] = []
    for tak in stap.takken:
        in_termijn = [o for o in agenda.get(tak.orgaan, ()) if verzonden < o.begin < eind]
        if in_termijn:
            regels.append(Regel(tak, in_termijn[-1]))
    return regels


def vooruit(stap: PlanStap, agenda: Agenda, vorige: Optie | None, na: datetime,
            aangeleverd_op: datetime | None, kies: _Kies
            ) -> tuple[list[Regel], Optie] | Onhaalbaar:
    """The earliest plan of the group after `vorige` (or `na`)."""
    if stap.soort == "zienswijze":
        verzonden = max(na, vorige.eind) if vorige is not None else na
        eind = einde_termijn(verzonden, stap.termijn_dagen or 0)
        termijn = Optie(stap.orgaan, verzonden, eind, verzonden, termijn=True)
        return [Regel(stap, termijn), *_raden(stap, agenda, verzonden, eind)], termijn
    regels: list[Regel] = []
    for tak in stap.takken:
        kandidaten = [o for o in agenda.get(tak.orgaan, ()) if o.begin > na]
        gekozen = kies(tak, kandidaten, vorige, aangeleverd_op, None)
        if gekozen is None:
            return Onhaalbaar(tak, f"{tak.naam} heeft geen passende vergadering meer in de "
                                   f"agenda" + (f" na {datum(vorige.begin)}" if vorige else ""))
        regels.append(Regel(tak, gekozen))
    return regels, max((r.vergadering for r in regels), key=lambda o: o.eind)


def terug(stap: PlanStap, volgende_stap: PlanStap, volgende: Optie, agenda: Agenda,
          nu: datetime, past: _Past, open_: _Open) -> tuple[list[Regel], Optie] | str:
    """The latest plan of the group before `volgende`; a Dutch reason when there is none."""
    if stap.soort == "zienswijze":
        dagen = stap.termijn_dagen or 0
        verzenddag = laatste_verzenddag(volgende.aanlevermoment, dagen)
        if verzenddag.date() < nu.astimezone(TZ).date():
            return (f"een termijn van {dagen // 7} weken vóór de aanleverdatum van "
                    f"{volgende_stap.naam} ({datum(volgende.aanlevermoment - timedelta(days=1))}) "
                    f"had uiterlijk op {datum(verzenddag)} moeten beginnen")
        verzonden = max(verzenddag, nu)
        eind = einde_termijn(verzenddag, dagen)
        termijn = Optie(stap.orgaan, verzonden, eind, verzonden, termijn=True)
        return [Regel(stap, termijn), *_raden(stap, agenda, verzonden, eind)], termijn
    regels: list[Regel] = []
    for tak in stap.takken:
        passend = [o for o in agenda.get(tak.orgaan, ())
                   if o.begin > nu and past(volgende, o, volgende_stap) and open_(o, nu)]
        if not passend:
            return (f"{tak.naam} heeft geen vergadering met een open aanleverdatum die nog "
                    f"vóór {datum(volgende.begin)} past")
        regels.append(Regel(tak, passend[-1]))
    return regels, min((r.vergadering for r in regels), key=lambda o: o.begin)
