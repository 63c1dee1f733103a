"""The publication plan (from the rules and the meetings) and the acts: publish what is due,
record an exception. The plan is computed; what went public is recorded (model.Publicatie)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum_tijd
from workflow.definities.model import Definities, Orgaan
from workflow.definities.publicatie import WOO_GRONDEN, Documentsoort, Publicatieregel, Wanneer
from workflow.definities.ritme import is_werkdag
from workflow.kalender.werkdagen import verzendmoment
from workflow.omgeving import Omgeving
from workflow.openbaarheid.model import Publicatie, Uitzondering
from workflow.opslag.models import Agendapunt, Gebeurtenis, Vergadering, Voorstel

log = logging.getLogger("besluitroute.openbaarheid")

#: Agenda item statuses that are on a meeting's agenda (gepland: onder voorbehoud).
OP_AGENDA = ("gepland", "geagendeerd", "behandeld")
#: The status of a publication due before its rule came in (see `ingevoerd`).
VOOR_INVOERING = "voor invoering"
#: The window a publication pass looks at, around now: decision lists fall after the meeting,
#: agendas before it.
TERUG = timedelta(days=90)
VOORUIT = timedelta(days=60)


@dataclass(frozen=True)
class Moment:
    """One planned publication."""

    sleutel: str
    soort: Documentsoort
    vergadering_id: int
    orgaan: str
    begin: datetime
    regel: Publicatieregel
    #: When it is due; None while it cannot be known yet (bij besluit, not decided).
    moment: datetime | None
    voorstel_id: int | None = None
    kenmerk: str | None = None
    titel: str = ""


def sleutel(soort: Documentsoort, vergadering_id: int, voorstel_id: int | None = None) -> str:
    if voorstel_id is None:
        return f"{soort.value}:{vergadering_id}"
    return f"{soort.value}:{vergadering_id}:{voorstel_id}"


def werkdagen_na(dag: datetime, aantal: int, orgaan: Orgaan) -> datetime:
    """`aantal` working days after the day of `dag`, at the body's reminder time."""
    current = dag.astimezone(TZ).date()
    remaining = aantal
    while remaining > 0:
        current += timedelta(days=1)
        if is_werkdag(current):
            remaining -= 1
    return datetime.combine(current, orgaan.herinneringen.tijd or time(9, 0), TZ)


def plan(env: Omgeving, session: Session, van: datetime, tot: datetime,
         organen: Iterable[str] | None = None) -> list[Moment]:
    """Every publication the rules ask for, of the meetings starting between `van` and `tot`."""
    defs = env.definities
    publiceren = {k: o for k, o in defs.organen.items() if o.publicatie.publiceert
                  and (organen is None or k in set(organen))}
    if not publiceren:
        return []
    meetings = list(session.scalars(
        select(Vergadering).where(Vergadering.orgaan.in_(sorted(publiceren)),
                                  Vergadering.begin >= van, Vergadering.begin < tot,
                                  Vergadering.geannuleerd.is_(False))
        .order_by(Vergadering.begin, Vergadering.id)))
    if not meetings:
        return []
    ids = [m.id for m in meetings]
    items: dict[int, list[tuple[int, str, str, str | None]]] = {}
    for vergadering_id, voorstel_id, kenmerk, titel, uitkomst in session.execute(
            select(Agendapunt.vergadering_id, Agendapunt.voorstel_id, Voorstel.kenmerk,
                   Voorstel.titel, Agendapunt.uitkomst)
            .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
            .where(Agendapunt.vergadering_id.in_(ids), Agendapunt.status.in_(OP_AGENDA))
            .order_by(Agendapunt.vergadering_id, Voorstel.kenmerk)):
        items.setdefault(vergadering_id, []).append((voorstel_id, kenmerk, titel, uitkomst))
    decided: dict[tuple[int | None, int], datetime] = {
        (v, p): t for v, p, t in session.execute(
            select(Gebeurtenis.vergadering_id, Gebeurtenis.voorstel_id,
                   func.max(Gebeurtenis.tijdstip))
            .where(Gebeurtenis.vergadering_id.in_(ids), Gebeurtenis.uitkomst.is_not(None))
            .group_by(Gebeurtenis.vergadering_id, Gebeurtenis.voorstel_id))}
    uitgezonderd = uitgezonderde_voorstellen(session)
    result: list[Moment] = []
    for v in meetings:
        orgaan = publiceren[v.orgaan]
        punten = items.get(v.id, [])

        def when(regel: Publicatieregel, besloten: datetime | None, orgaan: Orgaan = orgaan,
                 v: Vergadering = v) -> datetime | None:
            if regel.wanneer is Wanneer.BIJ_VERZENDING:
                return verzendmoment(orgaan, v.begin).astimezone(UTC)
            if regel.wanneer is Wanneer.NA_VERGADERING:
                return werkdagen_na(v.begin, regel.werkdagen, orgaan).astimezone(UTC)
            return besloten

        alles_besloten = [decided.get((v.id, p)) for p, _, _, _ in punten]
        vergadering_besloten = (max(t for t in alles_besloten if t is not None)
                                if punten and all(alles_besloten) else None)
        for soort in (Documentsoort.AGENDA, Documentsoort.BESLUITENLIJST):
            regel = orgaan.publicatie.regel(soort)
            if regel is not None:
                result.append(Moment(sleutel(soort, v.id), soort, v.id, v.orgaan, v.begin, regel,
                                     when(regel, vergadering_besloten)))
        regel = orgaan.publicatie.stukken
        if regel is None:
            continue
        for voorstel_id, kenmerk, titel, _ in punten:
            if voorstel_id in uitgezonderd:
                continue
            result.append(Moment(sleutel(Documentsoort.STUKKEN, v.id, voorstel_id),
                                 Documentsoort.STUKKEN, v.id, v.orgaan, v.begin, regel,
                                 when(regel, decided.get((v.id, voorstel_id))),
                                 voorstel_id, kenmerk, titel))
    return result


def uitgezonderde_voorstellen(session: Session) -> set[int]:
    return set(session.scalars(select(Uitzondering.voorstel_id)))


#: The last result of `ingevoerd`, with what it was computed from: the definitions in use and
#: the versions (number, hash, applied at), newest first.
_ingevoerd: list[tuple[Definities, tuple[tuple[int, str, datetime], ...],
                       dict[tuple[str, Documentsoort], datetime]]] = []


def ingevoerd(env: Omgeving, session: Session) -> dict[tuple[str, Documentsoort], datetime]:
    """Per (orgaan, document kind) with a rule now: when the rule came in, the moment the oldest
    definitions version of the unbroken run of versions with a rule for it was applied (version
    1: the install). A publication due before that is no duty of this tool: not overdue."""
    from workflow.definities.versies import definities_van, koppen

    alle = koppen(session)  # newest first
    sleutel = tuple((k.nummer, k.hash, k.toegepast_op) for k in alle)
    if _ingevoerd and _ingevoerd[0][0] is env.definities and _ingevoerd[0][1] == sleutel:
        return _ingevoerd[0][2]
    result: dict[tuple[str, Documentsoort], datetime] = {}
    if alle:
        open_ = {(k, d) for k, o in env.definities.organen.items() for d in Documentsoort
                 if o.publicatie.regel(d) is not None}
        for index, kop in enumerate(alle):
            if index > 0:  # an older version: does it have the rule too?
                oud = definities_van(env, kop).organen
                open_ = {(k, d) for k, d in open_
                         if k in oud and oud[k].publicatie.regel(d) is not None}
            for key in open_:
                result[key] = kop.toegepast_op
            if not open_:
                break
    _ingevoerd[:] = [(env.definities, sleutel, result)]
    return result


def voor_invoering(m: Moment, invoering: dict[tuple[str, Documentsoort], datetime]) -> bool:
    """Due before its rule came in (see `ingevoerd`)."""
    sinds = invoering.get((m.orgaan, m.soort))
    return m.moment is not None and sinds is not None and m.moment < sinds


def publiceer(env: Omgeving, nu: datetime | None = None, *, door: str = "planner",
              van_voor_invoering: bool = False) -> int:
    """Record every publication due at `nu` that is not recorded yet (idempotent); the count.

    What was due before its rule came in is left to the secretariat (they may first need to
    record a Woo exception): published only with `van_voor_invoering`, then over the window
    `publicatie lijst` shows."""
    nu = nu or clock.now()
    terug = timedelta(days=366) if van_voor_invoering else TERUG
    with env.db.schrijf() as session:
        invoering = ingevoerd(env, session)
        due = [m for m in plan(env, session, nu - terug, nu + VOORUIT)
               if m.moment is not None and m.moment <= nu
               and (van_voor_invoering or not voor_invoering(m, invoering))]
        if not due:
            return 0
        bestaand = set(session.scalars(select(Publicatie.sleutel).where(
            Publicatie.sleutel.in_([m.sleutel for m in due]))))
        nieuw = 0
        for m in due:
            if m.sleutel in bestaand:
                continue
            assert m.moment is not None
            session.add(Publicatie(sleutel=m.sleutel, soort=m.soort.value,
                                   vergadering_id=m.vergadering_id, voorstel_id=m.voorstel_id,
                                   gepland_op=m.moment, gepubliceerd_op=nu, gewijzigd_op=nu,
                                   door=door))
            nieuw += 1
            log.info("gepubliceerd: %s", m.sleutel)
    return nieuw


def uitzonderen(env: Omgeving, kenmerk: str, grond: str, toelichting: str, *, door: str) -> int:
    """Keep a proposal's documents closed on a Woo ground: history row, and a publication that
    already happened is withdrawn (OParl shows it deleted). Returns how many were withdrawn."""
    from workflow.voorstellen.kern import haal_voorstel, regel_tekst

    if grond not in WOO_GRONDEN:
        raise GebruikersFout(f"onbekende Woo-grond '{grond[:20]}' (bekend: "
                             f"{', '.join(WOO_GRONDEN)})")
    toelichting = regel_tekst(toelichting, "de toelichting", required=True, max_len=2000) or ""
    door = regel_tekst(door, "de naam bij --door", required=True, max_len=200) or ""
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        session.add(Uitzondering(voorstel_id=voorstel.id, grond=grond, toelichting=toelichting,
                                 door=door, tijdstip=nu))
        session.add(Gebeurtenis(
            voorstel_id=voorstel.id, tijdstip=nu, geregistreerd_op=clock.real_now(), door=door,
            handeling="uitgezonderd", van_toestand=voorstel.toestand,
            naar_toestand=voorstel.toestand,
            tekst=f"Niet openbaar: art. {grond} Woo ({WOO_GRONDEN[grond]}). {toelichting}"))
        ingetrokken = 0
        for rij in session.scalars(select(Publicatie).where(
                Publicatie.voorstel_id == voorstel.id, Publicatie.ingetrokken_op.is_(None))):
            rij.ingetrokken_op = nu
            rij.gewijzigd_op = nu
            ingetrokken += 1
    return ingetrokken


@dataclass(frozen=True)
class Regel:
    """A line of `publicatie lijst`."""

    moment: Moment
    #: gepubliceerd, ingetrokken, gepland, achterstallig, or `voor invoering` (due before its
    #: rule came in: not overdue, published only on request).
    status: str
    gepubliceerd_op: datetime | None


def lijst(env: Omgeving, nu: datetime | None = None, *, terug: timedelta = timedelta(days=366),
          vooruit: timedelta = VOORUIT) -> list[Regel]:
    """The plan around now with what happened: done, due later, overdue."""
    nu = nu or clock.now()
    with env.db.lees() as session:
        invoering = ingevoerd(env, session)
        momenten = plan(env, session, nu - terug, nu + vooruit)
        rijen = {p.sleutel: p for p in session.scalars(select(Publicatie).where(
            Publicatie.vergadering_id.in_({m.vergadering_id for m in momenten})))}
    result = []
    for m in momenten:
        rij = rijen.get(m.sleutel)
        if rij is not None:
            status = "ingetrokken" if rij.ingetrokken_op else "gepubliceerd"
            result.append(Regel(m, status, rij.gepubliceerd_op))
        elif m.moment is not None and m.moment <= nu:
            result.append(Regel(m, VOOR_INVOERING if voor_invoering(m, invoering)
                                else "achterstallig", None))
        else:
            result.append(Regel(m, "gepland", None))
    return sorted(result, key=lambda r: (r.moment.moment or r.moment.begin, r.moment.sleutel))


def waarschuwingen(env: Omgeving, nu: datetime | None = None) -> list[str]:
    """For the weekly overview: overdue publications, and those due in the coming week."""
    return [tekst for _, tekst in waarschuwingen_per_orgaan(env, nu)]


def waarschuwingen_per_orgaan(env: Omgeving, nu: datetime | None = None
                              ) -> list[tuple[str, str]]:
    """(orgaan, line) of every publication overdue at `nu` or due in the week after it."""
    nu = nu or clock.now()
    regels = []
    for r in lijst(env, nu, terug=TERUG, vooruit=timedelta(days=14)):
        m = r.moment
        orgaan = env.definities.organen.get(m.orgaan)
        wat = f"{m.soort.value} {orgaan.naam if orgaan else m.orgaan} {datum_tijd(m.begin)}" + (
            f" ({m.kenmerk})" if m.kenmerk else "")
        if r.status == "achterstallig":
            regels.append((m.orgaan, f"te laat gepubliceerd: {wat}, was {datum_tijd(m.moment)}"
                           if m.moment else f"te laat: {wat}"))
        elif r.status == "gepland" and m.moment is not None and m.moment <= nu + timedelta(days=7):
            regels.append((m.orgaan, f"deze week te publiceren: {wat} op {datum_tijd(m.moment)}"))
    return regels
