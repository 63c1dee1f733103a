"""The route planner: which meeting of each step's body a proposal goes to. Pure: plain values in,
a `Plan` or an `Onhaalbaar` (with a Dutch explanation) out.

Rules (the same forward and backward):
- a step's meeting starts after the previous step's meeting has ended, and at least the step's
  `min_dagen_na_vorige` calendar days after the previous meeting's date;
- the documents are delivered once, when the proposal is planned (as in seed 002, where the AOJ
  met the day after the Stuurgroep): every planned meeting's submission deadline must still be
  open at that delivery moment. Re-planning a proposal whose documents are in passes None.

Forward picks the earliest meeting per step (which gives the earliest decision); backward, from a
meeting of the deciding body, the latest meeting per earlier step (which leaves the most room).

Group steps (workflow.kalender.takplanning) plan each branch: the advisers of a `tegelijk` step
each get a meeting like a step of their own, and the next step follows the last of them; a
`zienswijze` step is a dispatch moment and a period, each council gets its last meeting in the
period, and the next step's meeting starts, and its submission deadline passes, after the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from workflow.basis.clock import TZ
from workflow.basis.tekst import datum, datum_tijd
from workflow.definities import ritme
from workflow.definities.model import Definities, Orgaan, Route
from workflow.kalender import werkdagen
from workflow.kalender.planmodel import ZIENSWIJZE_ROL as ZIENSWIJZE_ROL
from workflow.kalender.planmodel import Agenda as Agenda
from workflow.kalender.planmodel import Onhaalbaar as Onhaalbaar
from workflow.kalender.planmodel import Optie as Optie
from workflow.kalender.planmodel import Plan as Plan
from workflow.kalender.planmodel import PlanStap as PlanStap
from workflow.kalender.planmodel import Regel as Regel


def _fits_after(optie: Optie, vorige: Optie | None, stap: PlanStap) -> bool:
    if vorige is None:
        return True
    if optie.begin < vorige.eind:
        return False
    if vorige.termijn and optie.aanlevermoment < vorige.eind:
        return False
    if stap.min_dagen_na_vorige:
        gap = optie.begin.astimezone(TZ).date() - vorige.begin.astimezone(TZ).date()
        return gap.days >= stap.min_dagen_na_vorige
    return True


def _open(optie: Optie, aangeleverd_op: datetime | None) -> bool:
    return aangeleverd_op is None or optie.aanlevermoment > aangeleverd_op


def vooruit(stappen: Sequence[PlanStap], agenda: Agenda, na: datetime, *,
            aangeleverd_op: datetime | None, vast: Sequence[Optie] = (),
            voorkeur: Mapping[str, Optie] | None = None) -> Plan | Onhaalbaar:
    """Plan forward: the earliest feasible meeting per step.

    `na`: meetings must start after this moment (now, or the submission moment). `vast`: the
    meetings of the first steps that are already fixed (handled, or agendered). `voorkeur`: per
    step id a meeting to keep while it still fits (re-planning shifts only what must shift).
    """
    if not stappen:
        raise ValueError("a route has at least one step")
    eerst_aangeleverd = aangeleverd_op
    regels = [Regel(s, o, vast=True) for s, o in zip(stappen, vast, strict=False)]
    vorige = regels[-1].vergadering if regels else None
    for stap in stappen[len(regels):]:
        if stap.takken:
            from workflow.kalender import takplanning

            groep = takplanning.vooruit(stap, agenda, vorige, na, aangeleverd_op, _kies)
            if isinstance(groep, Onhaalbaar):
                return groep
            regels += groep[0]
            vorige = groep[1]
            if vorige.termijn:  # what follows gets its documents after the period
                aangeleverd_op = None
            continue
        kandidaten = [o for o in agenda.get(stap.orgaan, ()) if o.begin > na]
        gekozen = _kies(stap, kandidaten, vorige, aangeleverd_op, (voorkeur or {}).get(stap.id))
        if gekozen is None:
            return Onhaalbaar(stap, _why_none_after(stap, kandidaten, vorige, aangeleverd_op, na))
        regels.append(Regel(stap, gekozen))
        vorige = gekozen
    return Plan(tuple(regels), _deadline(regels, eerst_aangeleverd))


def _kies(stap: PlanStap, kandidaten: Sequence[Optie], vorige: Optie | None,
          aangeleverd_op: datetime | None, wens: Optie | None) -> Optie | None:
    """The wished meeting while it still fits, else the earliest that does."""
    if wens is not None and wens in kandidaten and _fits_after(wens, vorige, stap) \
            and _open(wens, aangeleverd_op):
        return wens
    return next((o for o in kandidaten
                 if _fits_after(o, vorige, stap) and _open(o, aangeleverd_op)), None)


def terug(stappen: Sequence[PlanStap], agenda: Agenda, doel: Optie, nu: datetime, *,
          vast: Sequence[Optie] = ()) -> Plan | Onhaalbaar:
    """Plan backward from `doel`, a meeting of the deciding (last) step's body.

    Every meeting starts after `nu`, has its submission deadline open at `nu` (the documents go
    in now at the latest) and is the latest one that still leaves room for the steps after it.
    When no plan exists, the result names the first step that cannot be met (counted from the
    decision backwards) and carries the earliest forward plan from `nu`.
    """
    if not stappen:
        raise ValueError("a route has at least one step")
    laatste = stappen[-1]
    if doel.orgaan != laatste.orgaan:
        raise ValueError("the target meeting is not of the deciding body")
    n_vast = len(vast)

    def infeasible(stap: PlanStap, reden: str) -> Onhaalbaar:
        return Onhaalbaar(stap, reden, doel,
                          _as_plan(vooruit(stappen, agenda, nu, aangeleverd_op=nu, vast=vast)))

    if len(stappen) <= n_vast:
        raise ValueError("nothing left to plan")
    if doel.begin <= nu:
        return infeasible(laatste, f"de vergadering van {datum_tijd(doel.begin)} is al geweest")
    if not _open(doel, nu):
        return infeasible(laatste, f"de aanleverdatum voor {datum(doel.begin)} is verstreken "
                                   f"({_deadline_text(doel)})")
    gekozen: list[Optie] = [doel]
    takregels: dict[int, list[Regel]] = {}
    for index in range(len(stappen) - 2, n_vast - 1, -1):
        stap, volgende_stap = stappen[index], stappen[index + 1]
        volgende = gekozen[0]
        if stap.takken:
            from workflow.kalender import takplanning

            groep = takplanning.terug(stap, volgende_stap, volgende, agenda, nu, _fits_after,
                                      _open)
            if isinstance(groep, str):
                return infeasible(stap, groep)
            takregels[index] = groep[0]
            gekozen.insert(0, groep[1])
            continue
        keuze = _latest_before(stap, volgende_stap, volgende, agenda, nu)
        if isinstance(keuze, str):
            return infeasible(stap, keuze)
        gekozen.insert(0, keuze)
    if n_vast:
        eerste = stappen[n_vast]
        if not _fits_after(gekozen[0], vast[-1], eerste):
            return infeasible(eerste, f"de vergadering van {datum(gekozen[0].begin)} ligt niet "
                                      f"na de vorige stap ({datum(vast[-1].begin)})")
    regels = [Regel(s, o, vast=True) for s, o in zip(stappen, vast, strict=False)]
    for index, (s, o) in enumerate(zip(stappen[n_vast:], gekozen, strict=True), start=n_vast):
        regels += takregels.get(index, [Regel(s, o)])
    return Plan(tuple(regels), _deadline(regels, nu))


def _latest_before(stap: PlanStap, volgende_stap: PlanStap, volgende: Optie, agenda: Agenda,
                   nu: datetime) -> Optie | str:
    """The step's latest meeting open at `nu` that fits before `volgende`, or why none does."""
    passend = [o for o in agenda.get(stap.orgaan, ())
               if o.begin > nu and _fits_after(volgende, o, volgende_stap)]
    open_ = [o for o in passend if _open(o, nu)]
    if open_:
        return open_[-1]
    if passend:
        last = passend[-1]
        return (f"de aanleverdatum voor de vergadering van {datum(last.begin)} was "
                f"{_deadline_text(last)}, en er is geen latere vergadering die vóór "
                f"{datum(volgende.begin)} past")
    return (f"er is geen vergadering tussen {datum(nu)} en {datum(volgende.begin)} "
            f"die nog vóór {_name_at(volgende_stap, volgende)} past")


def doelvergadering(agenda: Agenda, orgaan: str, dag: datetime) -> Optie | None:
    """The deciding body's meeting on the local date of `dag`, else its last one before it."""
    target_day = dag.astimezone(TZ).date()
    eerder = [o for o in agenda.get(orgaan, ()) if o.begin.astimezone(TZ).date() <= target_day]
    return eerder[-1] if eerder else None


def _as_plan(result: Plan | Onhaalbaar) -> Plan | None:
    return result if isinstance(result, Plan) else None


def _deadline(regels: Sequence[Regel], aangeleverd_op: datetime | None) -> datetime | None:
    if aangeleverd_op is None:
        return None
    # A council's deadline is for its own college's proposal, not for our documents.
    open_ = [r.vergadering.aanlevermoment for r in regels
             if not r.vast and r.stap.rol != ZIENSWIJZE_ROL and not r.vergadering.termijn]
    return min(open_) if open_ else None


def _deadline_text(optie: Optie) -> str:
    """The aanleverdatum: the day before the moment the deadline passes."""
    last_day = (optie.aanlevermoment - timedelta(microseconds=1)).astimezone(TZ)
    return datum(last_day)


def _name_at(stap: PlanStap, optie: Optie) -> str:
    return f"{stap.naam} van {datum(optie.begin)}"


def _why_none_after(stap: PlanStap, kandidaten: Sequence[Optie], vorige: Optie | None,
                    aangeleverd_op: datetime | None, na: datetime) -> str:
    after = [o for o in kandidaten if vorige is None or o.begin >= vorige.eind]
    grens = f"na {datum(vorige.begin)}" if vorige is not None else f"na {datum(na)}"
    if not after:
        return f"{stap.naam} heeft {grens} geen vergadering meer in de agenda"
    if stap.min_dagen_na_vorige and not any(_fits_after(o, vorige, stap) for o in after):
        return (f"geen vergadering minstens {stap.min_dagen_na_vorige} dagen {grens}")
    return (f"geen vergadering {grens} waarvan de aanleverdatum nog open is "
            f"(de laatste, {datum(after[-1].begin)}, had {_deadline_text(after[-1])})")


# ---------------------------------------------------------------------------------------------
# Building the planner's input from definitions (the database side builds it from its rows).

def optie(orgaan: Orgaan, begin: datetime, *, vergadering_id: int | None = None,
          sleutel: str = "") -> Optie:
    """A meeting of `orgaan` starting at `begin`, with its end and submission deadline."""
    return Optie(orgaan.sleutel, begin, werkdagen.einde(orgaan, begin),
                 werkdagen.aanlevermoment(orgaan, begin), vergadering_id, sleutel)


def stappen(route: Route, definities: Definities) -> list[PlanStap]:
    result: list[PlanStap] = []
    for s in route.stappen:
        takken = tuple(PlanStap(
            f"{s.id}/{t.id}", t.orgaan, t.naam or definities.orgaan(t.orgaan).naam,
            ZIENSWIJZE_ROL if s.soort == "zienswijze" else t.rol.label, s.min_dagen_na_vorige)
            for t in s.takken)
        naam = "verzenden aan de raden" if s.soort == "zienswijze" \
            else definities.orgaan(s.orgaan).naam
        rol = f"termijn {(s.termijn_dagen or 0) // 7} weken" if s.soort == "zienswijze" \
            else s.rol.label
        result.append(PlanStap(s.id, s.orgaan, naam, rol,
                               s.min_dagen_na_vorige, s.soort.value, takken, s.termijn_dagen))
    return result


def organen_van(stappen: Sequence[PlanStap]) -> set[str]:
    """The bodies whose meetings a plan of `stappen` needs: every step's and branch's."""
    return {s.orgaan for s in stappen} | {t.orgaan for s in stappen for t in s.takken}


def agenda_uit_definities(definities: Definities, organen: Iterable[str]) -> dict[str, list[Optie]]:
    """The non-cancelled meetings of `organen` as the definitions describe them."""
    result: dict[str, list[Optie]] = {}
    for key in organen:
        orgaan = definities.orgaan(key)
        result[key] = [optie(orgaan, m.begin, sleutel=m.sleutel)
                       for m in ritme.vergaderingen(orgaan) if not m.geannuleerd]
    return result
