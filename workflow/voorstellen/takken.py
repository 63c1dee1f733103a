"""The acts of a group step: dispatch to every branch, record each branch's answer, join.

A `tegelijk` step puts the proposal on a meeting of each adviser at once and joins when every
adviser gave an outcome (or at `termijn_dagen`); a `zienswijze` step sends it to the council of
every participant and joins when the period ends, whoever has not answered. The machine state is
`<groep>:verzonden` meanwhile; the branches are rows of `tak` (workflow.voorstellen.takmodel).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum
from workflow.definities.model import (
    TAKSCHEIDING,
    Definities,
    Orgaan,
    Stap,
    Stapsoort,
    Uitkomst,
)
from workflow.kalender import vergaderingen
from workflow.kalender.ical import Item, uid
from workflow.kalender.planning import Optie
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.routes import toestanden
from workflow.voorstellen.kern import (
    BEHANDELD,
    GEAGENDEERD,
    GEPLAND,
    VERVALLEN,
    leg_vast,
    zet_op_agenda,
)
from workflow.voorstellen.takmodel import Tak, Takstatus

#: History `handeling` of a branch's own rows.
VERZENDEN = "verzenden"
ZIENSWIJZE = "zienswijze"
TAKADVIES = "takadvies"
SAMENVOEGEN = "samenvoegen"
TAK_VERVALLEN = "tak vervallen"


def termijn_eind(verzonden: datetime, dagen: int) -> datetime:
    """The end of a period of `dagen` days from `verzonden`: the start of the next local day
    after its last day (dispatched 1 March with 84 days: until the end of 24 May)."""
    from workflow.kalender.takplanning import einde_termijn

    return einde_termijn(verzonden, dagen)


def open_takken(env: Omgeving, session: Session, voorstel: Voorstel, stap: Stap,
                door: str) -> list[Tak]:
    """Dispatch: one `tak` row per branch (a new round), a tegelijk adviser on a meeting."""
    nu = clock.now()
    ronde = (session.scalar(select(func.max(Tak.ronde)).where(
        Tak.voorstel_id == voorstel.id, Tak.stap == stap.id)) or 0) + 1
    eind = termijn_eind(nu, stap.termijn_dagen) if stap.termijn_dagen else None
    rows: list[Tak] = []
    for tak in stap.takken:
        orgaan = env.definities.orgaan(tak.orgaan)
        if stap.soort is Stapsoort.TEGELIJK:
            vergadering = _adviser_meeting(session, voorstel, stap, tak.id, orgaan, nu)
            if vergadering is None:
                raise GebruikersFout(
                    f"er is geen vergadering van {orgaan.naam} meer met een open aanleverdatum; "
                    f"voeg vergaderingen toe voordat de adviezen tegelijk gevraagd worden")
            zet_op_agenda(session, voorstel, vergadering, f"{stap.id}{TAKSCHEIDING}{tak.id}",
                          tak.rol, nagekomen=False)
        else:
            vergadering = laatste_raad(session, tak.orgaan, nu, eind)
        rows.append(Tak(voorstel_id=voorstel.id, stap=stap.id, tak=tak.id, orgaan=tak.orgaan,
                        ronde=ronde, status=Takstatus.OPEN, verzonden_op=nu, termijn_eind=eind,
                        vergadering_id=vergadering.id if vergadering is not None else None,
                        te_laat=False, herinneren_op=_herinneren_op(
                            env, stap, tak.orgaan, vergadering, nu)))
    session.add_all(rows)
    tot = f"; termijn tot en met {datum(eind - timedelta(days=1))}" if eind else ""
    leg_vast(session, voorstel, VERZENDEN, door, van=None, naar=None,
             tekst=f"verzonden aan {len(rows)} {_wie(stap)}{tot}")
    return rows


def _herinneren_op(env: Omgeving, stap: Stap, raad: str, vergadering: Vergadering | None,
                   nu: datetime) -> datetime | None:
    """09:00 a week before the council's submission deadline for its meeting in the period."""
    if stap.soort is not Stapsoort.ZIENSWIJZE or vergadering is None:
        return None
    from workflow.kalender import werkdagen

    deadline = werkdagen.aanlevermoment(env.definities.orgaan(raad), vergadering.begin)
    dag = clock.local(deadline).date() - timedelta(days=7)
    moment = datetime.combine(dag, time(9), clock.TZ)
    return moment if moment > nu else None


def _wie(stap: Stap) -> str:
    return "raden" if stap.soort is Stapsoort.ZIENSWIJZE else "adviserende organen"


def _adviser_meeting(session: Session, voorstel: Voorstel, stap: Stap, tak: str,
                     orgaan: Orgaan, nu: datetime) -> Vergadering | None:
    """The adviser's planned meeting for this branch, else its next one with an open deadline."""
    gepland = session.scalar(
        select(Vergadering).join(Agendapunt, Agendapunt.vergadering_id == Vergadering.id)
        .where(Agendapunt.voorstel_id == voorstel.id,
               Agendapunt.stap == f"{stap.id}{TAKSCHEIDING}{tak}",
               Agendapunt.status == GEPLAND, Vergadering.geannuleerd.is_(False),
               Vergadering.begin > nu).order_by(Vergadering.begin))
    if gepland is not None:
        return gepland
    return vergaderingen.volgende(session, orgaan, nu, deadline_open_op=nu)


def laatste_raad(session: Session, raad: str, na: datetime,
                 eind: datetime | None) -> Vergadering | None:
    """The council's last meeting after `na` that starts before the period ends."""
    query = (select(Vergadering).where(Vergadering.orgaan == raad, Vergadering.begin > na,
                                       Vergadering.geannuleerd.is_(False))
             .order_by(Vergadering.begin.desc()))
    if eind is not None:
        query = query.where(Vergadering.begin < eind)
    return session.scalars(query.limit(1)).first()


def takken_van(session: Session, voorstel_id: int, stap: str | None = None) -> list[Tak]:
    """The branches of the proposal's latest round of each group step (or of `stap`)."""
    query = select(Tak).where(Tak.voorstel_id == voorstel_id)
    if stap is not None:
        query = query.where(Tak.stap == stap)
    rows = list(session.scalars(query.order_by(Tak.stap, Tak.ronde, Tak.id)))
    laatste: dict[str, int] = {}
    for row in rows:
        laatste[row.stap] = max(laatste.get(row.stap, 0), row.ronde)
    return [r for r in rows if r.ronde == laatste[r.stap]]


def annuleer_open(env: Omgeving, session: Session, voorstel: Voorstel, reden: str,
                  door: str) -> int:
    """A referral back or withdrawal: every open branch is cancelled, with a history row each."""
    open_ = [t for t in takken_van(session, voorstel.id) if t.status == Takstatus.OPEN]
    for tak in open_:
        tak.status = Takstatus.VERVALLEN
        session.execute(update(Agendapunt).where(
            Agendapunt.voorstel_id == voorstel.id,
            Agendapunt.stap == f"{tak.stap}{TAKSCHEIDING}{tak.tak}",
            Agendapunt.status.in_((GEPLAND, GEAGENDEERD))).values(status=VERVALLEN))
        leg_vast(session, voorstel, TAK_VERVALLEN, door, van=None, naar=None,
                 tekst=f"{taknaam(env.definities, voorstel.route, tak)}: vervallen ({reden})")
    return len(open_)


def taknaam(definities: Definities, route: str, tak: Tak) -> str:
    stap = definities.routes[route].stap(tak.stap) if route in definities.routes else None
    if stap is not None and any(t.id == tak.tak for t in stap.takken):
        t = stap.tak(tak.tak)
        if t.naam:
            return t.naam
    orgaan = definities.organen.get(tak.orgaan)
    return orgaan.afkorting if orgaan is not None else tak.tak


def stand(definities: Definities, route: str, takken: Sequence[Tak]) -> str:
    """Where the branches stand, in one Dutch clause, grouped by answer:
    "geen bezwaar: gemeente Rotterdam; nog open: gemeente Schiedam (termijn tot en met ...)"."""
    groepen: dict[str, list[str]] = {}
    for tak in takken:
        naam = taknaam(definities, route, tak) + (" (te laat)" if tak.te_laat else "")
        if tak.status == Takstatus.BEANTWOORD:
            wat = (tak.uitkomst or "").replace("-", " ")
            if tak.uitkomst in {u.value for u in Uitkomst}:
                wat = Uitkomst(tak.uitkomst).label
        else:
            wat = "nog open" if tak.status == Takstatus.OPEN else str(tak.status)
        groepen.setdefault(wat, []).append(naam)
    # The answers first, then who has still to answer.
    volgorde = sorted(groepen.items(), key=lambda g: g[0] == "nog open")
    delen = [f"{wat}: {', '.join(namen)}" for wat, namen in volgorde]
    eind = next((t.termijn_eind for t in takken if t.termijn_eind is not None), None)
    tot = f" (termijn tot en met {datum(eind - timedelta(days=1))})" if eind else ""
    return "; ".join(delen) + tot


def stand_van(env: Omgeving, session: Session, voorstel: Voorstel) -> str | None:
    """The branches' clause for a proposal in a group step, None otherwise."""
    stap_id, fase = routemachine.split(voorstel.toestand)
    if stap_id is None or fase != toestanden.VERZONDEN:
        return None
    return stand(env.definities, voorstel.route, takken_van(session, voorstel.id, stap_id))


@dataclass(frozen=True, slots=True)
class Zienswijzeregel:
    """A council's answer as an agenda shows it (the AB's item after the period)."""

    stap: str
    gemeente: str
    #: "geen bezwaar", "zienswijze" or "geen zienswijze ontvangen"
    antwoord: str
    datum: date | None
    te_laat: bool
    tekst: str
    bijlage: str
    #: One line: "Zienswijze gemeente Schiedam, 20 mei 2027 (te laat): ...".
    citaat: str


def zienswijzeregels(session: Session, definities: Definities,
                     voorstellen: dict[int, Voorstel]) -> dict[int, tuple[Zienswijzeregel, ...]]:
    """Per proposal, its councils' answers of the latest round of each zienswijze step."""
    per: dict[int, list[Zienswijzeregel]] = {i: [] for i in voorstellen}
    if not voorstellen:
        return {}
    rows = list(session.scalars(select(Tak).where(Tak.voorstel_id.in_(sorted(voorstellen)))
                                .order_by(Tak.voorstel_id, Tak.stap, Tak.ronde, Tak.id)))
    laatste: dict[tuple[int, str], int] = {}
    for r in rows:
        laatste[(r.voorstel_id, r.stap)] = max(laatste.get((r.voorstel_id, r.stap), 0), r.ronde)
    for r in rows:
        route = definities.routes.get(voorstellen[r.voorstel_id].route)
        if r.ronde != laatste[(r.voorstel_id, r.stap)] or route is None \
                or not any(s.id == r.stap and s.soort is Stapsoort.ZIENSWIJZE
                           for s in route.stappen) or r.status == Takstatus.VERVALLEN:
            continue
        per[r.voorstel_id].append(_zienswijzeregel(definities, route.naam, r))
    return {i: tuple(z) for i, z in per.items()}


def _zienswijzeregel(definities: Definities, route: str, r: Tak) -> Zienswijzeregel:
    gemeente = taknaam(definities, route, r)
    if r.status != Takstatus.BEANTWOORD:
        return Zienswijzeregel(r.stap, gemeente, "geen zienswijze ontvangen", None, False, "",
                               "", f"{gemeente}: geen zienswijze ontvangen")
    antwoord = (r.uitkomst or "").replace("-", " ")
    dag = clock.local(r.beantwoord_op).date() if r.beantwoord_op else None
    kop = f"{antwoord.capitalize()} {gemeente}" + (f", {datum(dag)}" if dag else "") \
        + (" (te laat)" if r.te_laat else "")
    tekst = (r.tekst or "").strip()
    return Zienswijzeregel(r.stap, gemeente, antwoord, dag, r.te_laat, tekst, r.bijlage or "",
                           f"{kop}: {tekst}" if tekst else kop)


def herplan_raad(env: Omgeving, session: Session, raad: str, door: str) -> list[str]:
    """A council's meeting moved, was cancelled or added: each open zienswijze branch of that
    council gets its last meeting in the period again; other branches stay as they are."""
    session.flush()
    nu = clock.now()
    gevolgen: list[str] = []
    for tak in session.scalars(select(Tak).where(
            Tak.orgaan == raad, Tak.status == Takstatus.OPEN, Tak.termijn_eind > nu)):
        nieuw = laatste_raad(session, raad, tak.verzonden_op, tak.termijn_eind)
        if (nieuw.id if nieuw is not None else None) == tak.vergadering_id:
            continue
        was = datum(tak.vergadering.begin) if tak.vergadering is not None else "geen"
        tak.vergadering_id = nieuw.id if nieuw is not None else None
        voorstel = session.get(Voorstel, tak.voorstel_id)
        if voorstel is None:
            continue
        stap = env.definities.route(voorstel.route).stap(tak.stap)
        tak.herinneren_op = _herinneren_op(env, stap, raad, nieuw, tak.verzonden_op)
        tekst = (f"{taknaam(env.definities, voorstel.route, tak)}: raadsvergadering van {was} "
                 f"naar {datum(nieuw.begin) if nieuw is not None else 'geen in de termijn'}")
        leg_vast(session, voorstel, "herplannen", door, van=None, naar=None, tekst=tekst)
        gevolgen.append(f"{voorstel.kenmerk}: {tekst}")
    return gevolgen


def vast_voor_plan(env: Omgeving, session: Session, voorstel: Voorstel,
                   stap: Stap) -> Optie | None:
    """A group step under way, as the planner's fixed first step: a zienswijze's period from
    its dispatch, or the last of a tegelijk step's advisers' meetings. None otherwise."""
    from workflow.kalender import planning

    if not stap.is_groep or voorstel.toestand != f"{stap.id}:{toestanden.VERZONDEN}":
        return None
    rows = takken_van(session, voorstel.id, stap.id)
    if stap.soort is Stapsoort.ZIENSWIJZE:
        eind = next((t.termijn_eind for t in rows if t.termijn_eind is not None), None)
        if not rows or eind is None:
            return None
        verzonden = rows[0].verzonden_op
        return planning.Optie(stap.orgaan, verzonden, eind, verzonden, termijn=True)
    items = list(session.scalars(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id,
        Agendapunt.stap.in_([f"{stap.id}{TAKSCHEIDING}{t.tak}" for t in rows]),
        Agendapunt.status.in_((GEAGENDEERD, BEHANDELD)))))
    if not items:
        return None
    laatste = max(items, key=lambda a: a.vergadering.begin).vergadering
    orgaan = env.definities.orgaan(laatste.orgaan)
    return planning.optie(orgaan, laatste.begin, vergadering_id=laatste.id,
                          sleutel=laatste.sleutel)


def ical_items(env: Omgeving, orgaan: str | None,
               voorstellen: Collection[int] | None = None) -> list[Item]:
    """The open zienswijze periods as all-day events on their last day: per council (in its
    feed), and once per proposal for the body that asked (in its feed); all without `orgaan`.
    `voorstellen`: only these proposals (ids; the public feed: those published)."""
    items: list[Item] = []
    with env.db.lees() as session:
        rows = session.execute(select(Tak, Voorstel).join(Voorstel, Voorstel.id == Tak.voorstel_id)
                               .where(Tak.status == Takstatus.OPEN, Tak.termijn_eind.is_not(None))
                               .order_by(Tak.id)).all()
    gezien: set[tuple[int, str, int]] = set()
    for tak, voorstel in rows:
        assert tak.termijn_eind is not None
        if voorstellen is not None and voorstel.id not in voorstellen:
            continue
        dag = clock.local(tak.termijn_eind).date() - timedelta(days=1)
        sleutel = f"zienswijze-{voorstel.id}-{tak.stap}-{tak.ronde}"
        if orgaan in (None, tak.orgaan):
            items.append(Item(uid(sleutel, tak.tak), f"Zienswijze {voorstel.kenmerk}: laatste dag",
                              dag, dag + timedelta(days=1), categorie="zienswijze",
                              omschrijving=f"{voorstel.titel}: de termijn voor de zienswijze van "
                                           f"{taknaam(env.definities, voorstel.route, tak)} "
                                           f"loopt tot en met vandaag."))
        route = env.definities.routes.get(voorstel.route)
        vrager = route.stap(tak.stap).orgaan if route is not None else None
        if orgaan in (None, vrager) and (voorstel.id, tak.stap, tak.ronde) not in gezien:
            gezien.add((voorstel.id, tak.stap, tak.ronde))
            items.append(Item(uid(sleutel), f"Einde zienswijzetermijn {voorstel.kenmerk}",
                              dag, dag + timedelta(days=1), categorie="zienswijze",
                              omschrijving=f"{voorstel.titel}: de termijn voor zienswijzen van "
                                           f"de raden loopt tot en met vandaag."))
    return items
