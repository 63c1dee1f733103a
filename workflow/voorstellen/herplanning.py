"""Plans in the database: a proposal's "Te bespreken in" plan, recording it (agendering every
step at once), and re-planning when a proposal is postponed or a meeting moves or is cancelled.

The planning itself is `workflow.kalender.planning` (pure); this module turns rows into its input and its
answer back into agenda items and history. A recorded plan is the current step's meeting as the
'geagendeerd' agenda item plus one 'gepland' item per later step; `uitkomsten._follow_up` moves the
proposal onto the next planned meeting after each outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum
from workflow.definities.model import Definities
from workflow.kalender import hiaten, planning, werkdagen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.routes import toestanden

GEPLAND = "gepland"
GEAGENDEERD = "geagendeerd"
BEHANDELD = "behandeld"
VERVALLEN = "vervallen"
#: History `handeling` of every change a re-plan makes.
HERPLANNEN = "herplannen"
PLANNEN = "plannen"
#: History `handeling` of the row a moved or cancelled meeting adds to each proposal on it.
VERPLAATSEN = "verplaatsen"
ANNULEREN = "annuleren"


@dataclass(frozen=True)
class Planregel:
    """One line of the "Te bespreken in" table."""

    stap: str
    orgaan: str
    naam: str
    rol: str
    status: str  #: behandeld, geagendeerd, gepland, or 'voorstel' (not recorded)
    begin: datetime | None
    vergadering_id: int | None
    aanleverdatum: date | None
    uitkomst: str | None = None
    nagekomen: bool = False


@dataclass(frozen=True)
class Voorstelplan:
    kenmerk: str
    titel: str
    route: str
    regels: list[Planregel]
    melding: str | None = None  #: why no (complete) plan exists, Dutch
    aanleveren_voor: datetime | None = None
    opmerkingen: list[str] = field(default_factory=list)

    @property
    def te_bespreken_in(self) -> str:
        from workflow.basis.tekst import datum_kort

        return ", ".join(f"{r.naam} {datum_kort(r.begin)}" for r in self.regels if r.begin)


def agenda(session: Session, definities: Definities, organen: Iterable[str], *,
           na: datetime | None = None) -> dict[str, list[planning.Optie]]:
    """The non-cancelled meetings of `organen` in the database, as planner options."""
    keys = sorted(set(organen))
    query = (select(Vergadering)
             .where(Vergadering.orgaan.in_(keys), Vergadering.geannuleerd.is_(False))
             .order_by(Vergadering.begin, Vergadering.id))
    if na is not None:
        query = query.where(Vergadering.begin > na)
    result: dict[str, list[planning.Optie]] = {key: [] for key in keys}
    for v in session.scalars(query):
        result[v.orgaan].append(planning.optie(definities.orgaan(v.orgaan), v.begin,
                                               vergadering_id=v.id, sleutel=v.sleutel))
    return result


@dataclass
class _Stand:
    """Where a proposal is: its remaining steps, what is fixed, what was planned."""

    stappen: list[planning.PlanStap]
    alle_stappen: list[planning.PlanStap]
    vast: list[planning.Optie]
    na: datetime
    gepland: dict[str, Agendapunt]
    items: list[Agendapunt]
    klaar: bool


def _stand(env: Omgeving, session: Session, voorstel: Voorstel, nu: datetime) -> _Stand:
    route = env.definities.route(voorstel.route)
    alle = planning.stappen(route, env.definities)
    items = list(session.scalars(
        select(Agendapunt).join(Vergadering)
        .where(Agendapunt.voorstel_id == voorstel.id, Agendapunt.status != VERVALLEN)
        .order_by(Vergadering.begin, Agendapunt.id)))
    machine = env.routes.machine(voorstel.route)
    huidig = machine.huidige_stap(voorstel.toestand)
    if huidig is None or voorstel.toestand in toestanden.EINDTOESTANDEN:
        return _Stand([], alle, [], nu, {}, items, klaar=True)
    k = route.index(huidig.id)
    rest = alle[k:]
    vast: list[planning.Optie] = []
    na = nu
    current = next((i for i in items if i.status == GEAGENDEERD and i.stap == huidig.id), None)
    from workflow.voorstellen.takken import vast_voor_plan

    groep = vast_voor_plan(env, session, voorstel, huidig)
    if groep is not None:  # a group step under way: its dispatch and period are fixed
        vast = [groep]
    elif current is not None and not current.vergadering.geannuleerd:
        orgaan = env.definities.orgaan(current.vergadering.orgaan)
        vast = [planning.optie(orgaan, current.vergadering.begin,
                               vergadering_id=current.vergadering.id,
                               sleutel=current.vergadering.sleutel)]
    else:
        handled = [i for i in items if i.status == BEHANDELD]
        if handled:
            last = handled[-1].vergadering
            na = max(nu, werkdagen.einde(env.definities.orgaan(last.orgaan), last.begin))
    later = {s.id for s in rest[len(vast):]}
    gepland = {i.stap: i for i in items if i.status == GEPLAND and i.stap in later}
    return _Stand(rest, alle, vast, na, gepland, items, klaar=False)


def _compute(env: Omgeving, session: Session, voorstel: Voorstel, stand: _Stand, nu: datetime, *,
             besluit_op: datetime | None, opnieuw: bool
             ) -> tuple[planning.Plan | planning.Onhaalbaar, list[str]]:
    """Plan the remaining steps. `opnieuw`: start from scratch, ignoring a recorded plan."""
    organen = planning.organen_van(stand.stappen)
    options = agenda(session, env.definities, organen)
    opmerkingen: list[str] = []
    if besluit_op is not None:
        laatste = stand.stappen[-1]
        doel = planning.doelvergadering(options, laatste.orgaan, besluit_op)
        if doel is None:
            raise GebruikersFout(f"{laatste.naam} heeft op of vóór {datum(besluit_op)} geen "
                                 f"vergadering")
        if doel.begin.astimezone(clock.TZ).date() != besluit_op.astimezone(clock.TZ).date():
            opmerkingen.append(f"{laatste.naam} vergadert niet op {datum(besluit_op)}; gepland "
                               f"op de laatste vergadering daarvoor, {datum(doel.begin)}")
        if len(stand.stappen) == len(stand.vast):
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} staat al op zijn laatste stap")
        return planning.terug(stand.stappen, options, doel, nu, vast=stand.vast), opmerkingen
    recorded = bool(stand.gepland) and not opnieuw
    voorkeur = {stap: planning.optie(env.definities.orgaan(i.vergadering.orgaan),
                                     i.vergadering.begin, vergadering_id=i.vergadering.id,
                                     sleutel=i.vergadering.sleutel)
                for stap, i in stand.gepland.items()} if recorded else None
    # A recorded plan's documents are in; a fresh plan's documents go in now.
    aangeleverd = None if recorded else nu
    result = planning.vooruit(stand.stappen, options, stand.na, aangeleverd_op=aangeleverd,
                              vast=stand.vast, voorkeur=voorkeur)
    return result, opmerkingen


def _table(env: Omgeving, voorstel: Voorstel, stand: _Stand,
           result: planning.Plan | planning.Onhaalbaar, opmerkingen: list[str]) -> Voorstelplan:
    regels: list[Planregel] = []
    remaining = {s.id for s in stand.stappen}
    # Handled steps first (the last handling per step), then the plan for the rest.
    handled: dict[str, Agendapunt] = {}
    for item in stand.items:
        if item.status == BEHANDELD and item.stap not in remaining:
            handled[item.stap] = item
    for stap in stand.alle_stappen:
        done = handled.get(stap.id)
        if done is not None:
            regels.append(_line(env, stap, done.vergadering, BEHANDELD, done))
    melding = None
    plan: planning.Plan | None
    if isinstance(result, planning.Onhaalbaar):
        melding = result.melding
        plan = result.vroegst_mogelijk
    else:
        plan = result
    aanleveren = plan.aanleveren_voor if plan is not None else None
    if plan is not None:
        # A plan across a hole in a body's calendar says so (the calendar makes it late).
        opmerkingen = [*opmerkingen, *hiaten.hiaten(plan, env.definities, stand.na)]
        items = {(i.stap, i.vergadering_id): i for i in stand.items
                 if i.status in (GEPLAND, GEAGENDEERD)}
        for regel in plan.regels:
            found = items.get((regel.stap.id, regel.vergadering.vergadering_id or -1))
            status = found.status if found is not None else "voorstel"
            regels.append(Planregel(
                stap=regel.stap.id, orgaan=regel.stap.orgaan, naam=regel.stap.naam,
                rol=regel.stap.rol, status=status, begin=regel.vergadering.begin,
                vergadering_id=regel.vergadering.vergadering_id,
                aanleverdatum=_aanleverdatum(env, regel),
                nagekomen=bool(found and found.nagekomen)))
    else:
        for stap in stand.stappen:
            regels.append(Planregel(stap.id, stap.orgaan, stap.naam, stap.rol, "niet te plannen",
                                    None, None, None))
    return Voorstelplan(voorstel.kenmerk, voorstel.titel, voorstel.route, regels, melding,
                        aanleveren, opmerkingen)


def _aanleverdatum(env: Omgeving, regel: planning.Regel) -> date:
    """The step's submission deadline; for a zienswijze period, the period's last day."""
    if regel.vergadering.termijn:
        return (regel.vergadering.eind - timedelta(days=1)).astimezone(clock.TZ).date()
    return werkdagen.aanleverdatum(env.definities.orgaan(regel.stap.orgaan),
                                   regel.vergadering.begin)


def route_plan(env: Omgeving, route_naam: str, *, vanaf: datetime | None = None,
               besluit_op: datetime | None = None) -> Voorstelplan:
    """A what-if plan for `route_naam`: forward from a submission moment, or backward from a
    decision date (then the documents go in now at the latest)."""
    if (vanaf is None) == (besluit_op is None):
        raise GebruikersFout("geef --vanaf DATUM of --besluit-op DATUM (precies een van beide)")
    route = env.definities.route(route_naam)
    alle = planning.stappen(route, env.definities)
    nu = clock.now()
    with env.db.lees() as session:
        stand = _Stand(alle, alle, [], vanaf or nu, {}, [], klaar=False)
        fake = Voorstel(kenmerk="", titel=route.titel, route=route.naam, toestand=toestanden.INGEDIEND)
        if vanaf is not None:
            options = agenda(session, env.definities, planning.organen_van(alle))
            result: planning.Plan | planning.Onhaalbaar = planning.vooruit(
                alle, options, vanaf, aangeleverd_op=vanaf)
            opmerkingen: list[str] = []
        else:
            result, opmerkingen = _compute(env, session, fake, stand, nu, besluit_op=besluit_op,
                                           opnieuw=True)
        return _table(env, fake, stand, result, opmerkingen)


def _line(env: Omgeving, stap: planning.PlanStap, vergadering: Vergadering, status: str,
          item: Agendapunt) -> Planregel:
    orgaan = env.definities.orgaan(vergadering.orgaan)
    return Planregel(stap.id, stap.orgaan, stap.naam, stap.rol, status, vergadering.begin,
                     vergadering.id, werkdagen.aanleverdatum(orgaan, vergadering.begin),
                     item.uitkomst, item.nagekomen)


def toon(env: Omgeving, kenmerk: str, *, besluit_op: datetime | None = None) -> Voorstelplan:
    """The proposal's plan: its recorded plan if still valid, else a fresh proposal from now."""
    from workflow.voorstellen.kern import haal_voorstel

    nu = clock.now()
    with env.db.lees() as session:
        voorstel = haal_voorstel(session, kenmerk)
        return plan_in_sessie(env, session, voorstel, nu, besluit_op=besluit_op)


def plan_in_sessie(env: Omgeving, session: Session, voorstel: Voorstel, nu: datetime, *,
                   besluit_op: datetime | None = None) -> Voorstelplan:
    """`toon` inside an open session (also for a preview of changed definitions)."""
    stand = _stand(env, session, voorstel, nu)
    if stand.klaar:
        return _table(env, voorstel, stand, planning.Plan(()), [])
    result, opmerkingen = _compute(env, session, voorstel, stand, nu, besluit_op=besluit_op,
                                   opnieuw=besluit_op is not None)
    return _table(env, voorstel, stand, result, opmerkingen)


def vastleggen(env: Omgeving, kenmerk: str, *, door: str,
               besluit_op: datetime | None = None) -> Voorstelplan:
    """Record the plan: agender the current step's meeting, plan every later step."""
    from workflow.voorstellen import kern, overgang

    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = kern.haal_voorstel(session, kenmerk)
        stand = _stand(env, session, voorstel, nu)
        if stand.klaar:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} is afgerond "
                                 f"({voorstel.toestand}); er valt niets te plannen")
        result, opmerkingen = _compute(env, session, voorstel, stand, nu, besluit_op=besluit_op,
                                       opnieuw=True)
        if isinstance(result, planning.Onhaalbaar):
            raise GebruikersFout(result.melding)
        machine = env.routes.machine(voorstel.route)
        regels = list(result.regels)
        # A group step first: `voorstel agenderen` dispatches it; its advisers' meetings are
        # planned here like any later step's.
        groep_eerst = machine.route.stap(regels[0].stap.id).is_groep or "/" in regels[0].stap.id
        if not stand.vast and not groep_eerst:
            eerste = regels[0]
            stap = machine.route.stap(eerste.stap.id)
            vergadering = session.get(Vergadering, eerste.vergadering.vergadering_id)
            assert vergadering is not None
            van = voorstel.toestand
            naar = overgang.vuur(env, voorstel, routemachine.AGENDEREN)
            kern.zet_op_agenda(session, voorstel, vergadering, stap.id, stap.rol, nagekomen=False)
            voorstel.toestand = naar
            kern.leg_vast(session, voorstel, "agenderen", door, van=van, naar=naar,
                                vergadering_id=vergadering.id, tekst="volgens planning",
                                definities=env.definities)
        for regel in regels[0 if groep_eerst else 1:]:
            if _plannable(regel):
                _plan_item(session, voorstel, regel, machine.route.stap(regel.stap.id).rol.value)
        voorstel.gewijzigd_op = nu
        plan = planning.Plan(tuple(regels), result.aanleveren_voor)
        kern.leg_vast(session, voorstel, PLANNEN, door, van=voorstel.toestand,
                            naar=voorstel.toestand, tekst=f"Te bespreken in: "
                                                          f"{plan.te_bespreken_in()}")
        session.flush()
        stand = _stand(env, session, voorstel, nu)
        return _table(env, voorstel, stand, plan, opmerkingen)


def _plannable(regel: planning.Regel) -> bool:
    """A meeting of ours: not a zienswijze period, nor a council's meeting (the griffie makes
    that agenda; the branch keeps its planned meeting in `tak`)."""
    return not regel.vergadering.termijn and regel.stap.rol != planning.ZIENSWIJZE_ROL


def _plan_item(session: Session, voorstel: Voorstel, regel: planning.Regel, rol: str) -> bool:
    """Make `regel` the step's one 'gepland' item; True when something changed."""
    vergadering_id = regel.vergadering.vergadering_id
    assert vergadering_id is not None
    changed = False
    for other in session.scalars(select(Agendapunt).where(
            Agendapunt.voorstel_id == voorstel.id, Agendapunt.stap == regel.stap.id,
            Agendapunt.status == GEPLAND, Agendapunt.vergadering_id != vergadering_id)):
        other.status = VERVALLEN
        changed = True
    existing = session.scalar(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.vergadering_id == vergadering_id,
        Agendapunt.stap == regel.stap.id))
    if existing is None:
        session.add(Agendapunt(vergadering_id=vergadering_id, voorstel_id=voorstel.id,
                               stap=regel.stap.id, rol=rol, status=GEPLAND, nagekomen=False,
                               aangemaakt_op=clock.now()))
        return True
    if existing.status == VERVALLEN:
        existing.status, existing.uitkomst, existing.tekst = GEPLAND, None, None
        return True
    return changed


def herplan_voorstel(env: Omgeving, session: Session, voorstel: Voorstel, door: str, reden: str,
                     *, altijd: bool = False) -> list[str]:
    """Re-plan every later step of a planned proposal; one history entry per change.

    A step keeps its planned meeting while that still fits; otherwise it moves to the earliest
    meeting that does. Proposals without a recorded plan are left alone unless `altijd`.
    Returns the changes as Dutch lines.
    """
    from workflow.voorstellen import kern

    session.flush()
    nu = clock.now()
    stand = _stand(env, session, voorstel, nu)
    if stand.klaar or not (stand.gepland or altijd) or len(stand.stappen) == len(stand.vast):
        return []
    result, _ = _compute(env, session, voorstel, stand, nu, besluit_op=None, opnieuw=False)
    machine = env.routes.machine(voorstel.route)
    changes: list[str] = []
    if isinstance(result, planning.Onhaalbaar):
        for item in stand.gepland.values():
            item.status = VERVALLEN
        tekst = f"{reden}; {result.melding}"
        kern.leg_vast(session, voorstel, HERPLANNEN, door, van=voorstel.toestand,
                            naar=voorstel.toestand, tekst=tekst)
        voorstel.gewijzigd_op = nu
        return [tekst]
    for regel in result.regels:
        if regel.vast or not _plannable(regel):
            continue
        old = stand.gepland.get(regel.stap.id)
        if old is not None and old.vergadering_id == regel.vergadering.vergadering_id:
            continue
        _plan_item(session, voorstel, regel, machine.route.stap(regel.stap.id).rol.value)
        was = datum(old.vergadering.begin) if old is not None else "niet gepland"
        tekst = f"{reden}: {regel.stap.naam} van {was} naar {datum(regel.vergadering.begin)}"
        kern.leg_vast(session, voorstel, HERPLANNEN, door, van=voorstel.toestand,
                            naar=voorstel.toestand,
                            vergadering_id=regel.vergadering.vergadering_id, tekst=tekst,
                            definities=env.definities)
        changes.append(f"{voorstel.kenmerk}: {tekst}")
    if changes:
        voorstel.gewijzigd_op = nu
    return changes


def beschrijf(regels: Sequence[Planregel]) -> list[str]:
    """'Programmateam regiovisie  14 juni 2021' lines, for history and messages."""
    return [f"{r.naam} {datum(r.begin)}" for r in regels if r.begin is not None]
