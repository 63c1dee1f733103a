"""The answers of a group step's branches, and its join.

`zienswijze` records a council's answer (geen bezwaar, or a zienswijze with its text and
document), late or not; `tak_uitkomst` records an adviser's outcome in a `tegelijk` step.
`samenvoegen` joins a step: a `tegelijk` step when every adviser answered, any group step when its
period ended (`sluit_verlopen`, run by the reminder pass and before the next step is agendered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer, datum
from workflow.definities import deelnemers
from workflow.definities.model import Stap, Stapsoort, Uitkomst
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.routes import toestanden
from workflow.voorstellen import takken
from workflow.voorstellen.kern import (
    BEHANDELD,
    GEAGENDEERD,
    GEPLAND,
    haal_voorstel,
    leg_vast,
    tekst_veld,
    zet_op_agenda,
)
from workflow.voorstellen.overgang import vuur
from workflow.voorstellen.takmodel import Tak, Takstatus


class Antwoord(StrEnum):
    """A council's answer to a draft of the joint arrangement."""

    GEEN_BEZWAAR = "geen-bezwaar"
    ZIENSWIJZE = "zienswijze"


@dataclass(frozen=True)
class Vastgelegd:
    kenmerk: str
    melding: str


def zienswijze(env: Omgeving, kenmerk: str, raad: str, antwoord: Antwoord, *, door: str,
               tekst: str | None = None, bijlage: Path | None = None) -> Vastgelegd:
    """Record council `raad`'s answer; after the period it is recorded and marked late."""
    tekst = tekst_veld(tekst, "de tekst van de zienswijze")
    if antwoord is Antwoord.ZIENSWIJZE and not tekst and bijlage is None:
        raise GebruikersFout("een zienswijze heeft een tekst (--tekst) of een bijlage "
                             "(--bijlage) nodig")
    with env.db.lees() as session:
        _branch(env, session, haal_voorstel(session, kenmerk), raad)  # checked before any write
    if bijlage is not None:
        from workflow.voorstellen import documenten

        documenten.registreer(env, kenmerk, bijlage, door=door,
                              omschrijving=f"zienswijze {raad}")
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        tak, naam = _branch(env, session, voorstel, raad)
        tak.status, tak.uitkomst, tak.tekst = Takstatus.BEANTWOORD, antwoord.value, tekst or None
        tak.beantwoord_op, tak.bijlage = nu, bijlage.name if bijlage is not None else None
        tak.te_laat = tak.termijn_eind is not None and nu >= tak.termijn_eind
        voorstel.gewijzigd_op = nu  # bumps its version: a second writer of this answer conflicts
        laat = " (te laat: na het einde van de termijn)" if tak.te_laat else ""
        wat = "geen bezwaar" if antwoord is Antwoord.GEEN_BEZWAAR else "zienswijze"
        leg_vast(session, voorstel, takken.ZIENSWIJZE, door, van=None, naar=None,
                 uitkomst=antwoord.value, tekst=f"{naam}: {wat}{laat}"
                 + (f"\n{tekst}" if tekst else ""))
        return Vastgelegd(voorstel.kenmerk, f"voorstel {voorstel.kenmerk}: {wat} van {naam} "
                                            f"vastgelegd{laat}")


def _branch(env: Omgeving, session: Session, voorstel: Voorstel, raad: str) -> tuple[Tak, str]:
    """The council's branch of the proposal's latest zienswijze round, open or expired."""
    route = env.definities.route(voorstel.route)
    stappen = [s for s in route.stappen if s.soort is Stapsoort.ZIENSWIJZE]
    rows = [t for s in stappen for t in takken.takken_van(session, voorstel.id, s.id)]
    if not rows:
        raise GebruikersFout(f"voorstel {voorstel.kenmerk} is niet aan de raden verzonden "
                             f"(route {route.naam}); eerst 'voorstel agenderen'")
    orgaan = env.definities.orgaan(stappen[0].orgaan)
    deelnemer = deelnemers.zoek(orgaan.deelnemers, raad)
    tak = next((t for t in rows if deelnemer is not None and t.tak == deelnemer.sleutel), None)
    if deelnemer is None or tak is None:
        bekend = ", ".join(d.sleutel for d in orgaan.deelnemers)
        raise GebruikersFout(f"onbekende raad {citeer(raad)} (deelnemers: {bekend})")
    if tak.status == Takstatus.BEANTWOORD:
        raise GebruikersFout(f"{deelnemer.naam} heeft al geantwoord op voorstel "
                             f"{voorstel.kenmerk} ({(tak.uitkomst or '').replace('-', ' ')}, "
                             f"{datum(tak.beantwoord_op or tak.verzonden_op)})")
    if tak.status == Takstatus.VERVALLEN:
        raise GebruikersFout(f"de vraag om een zienswijze aan {deelnemer.naam} is vervallen "
                             f"(voorstel {voorstel.kenmerk} is {voorstel.toestand})")
    return tak, deelnemer.naam


def tak_uitkomst(env: Omgeving, session: Session, voorstel: Voorstel, stap: Stap,
                 orgaan: str | None, uitkomst: Uitkomst, tekst: str | None, door: str
                 ) -> Vergadering:
    """An adviser of a `tegelijk` step gave `uitkomst` at its meeting (from `voorstel advies`,
    `aanhouden` or `terugverwijzen` with --orgaan)."""
    open_ = [t for t in takken.takken_van(session, voorstel.id, stap.id)
             if t.status == Takstatus.OPEN]
    if orgaan is None and len(open_) == 1:
        orgaan = open_[0].orgaan
    tak = next((t for t in open_ if t.orgaan == orgaan), None)
    if tak is None:
        raise GebruikersFout(
            f"voorstel {voorstel.kenmerk} ligt tegelijk bij meer organen; noem er een met "
            f"--orgaan ({takken.stand(env.definities, voorstel.route, open_)})" if orgaan is None
            else f"orgaan {citeer(orgaan)} heeft geen open advies over voorstel "
                 f"{voorstel.kenmerk} ({takken.stand(env.definities, voorstel.route, open_)})")
    takstap = stap.takstap(tak.tak)
    if uitkomst not in takstap.uitkomsten:
        raise GebruikersFout(f"uitkomst '{uitkomst}' is niet toegestaan bij {tak.orgaan} "
                             f"(wel: {', '.join(u.value for u in takstap.uitkomsten)})")
    item = session.scalar(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.stap == takstap.id,
        Agendapunt.status == GEAGENDEERD))
    if item is None:
        raise GebruikersFout(f"voorstel {voorstel.kenmerk} staat bij {tak.orgaan} op geen "
                             f"vergadering")
    _check_reached(item.vergadering, voorstel.kenmerk)
    item.status, item.uitkomst, item.tekst = BEHANDELD, uitkomst.value, tekst or None
    leg_vast(session, voorstel, takken.TAKADVIES, door, van=None, naar=None,
             vergadering_id=item.vergadering_id, uitkomst=uitkomst.value, tekst=tekst,
             definities=env.definities)
    if uitkomst is Uitkomst.AANHOUDEN:
        _postpone(env, session, voorstel, takstap, item.vergadering)
    elif uitkomst is Uitkomst.TERUGVERWIJZEN:
        van = voorstel.toestand
        voorstel.toestand = vuur(env, voorstel, uitkomst.value)
        leg_vast(session, voorstel, uitkomst.value, door, van=van, naar=voorstel.toestand,
                 vergadering_id=item.vergadering_id, uitkomst=uitkomst.value, tekst=tekst)
        tak.status, tak.uitkomst, tak.beantwoord_op = Takstatus.BEANTWOORD, uitkomst.value, \
            clock.now()
        takken.annuleer_open(env, session, voorstel, f"terugverwezen door {tak.orgaan}", door)
    else:
        tak.status, tak.uitkomst, tak.tekst = Takstatus.BEANTWOORD, uitkomst.value, tekst
        tak.beantwoord_op = clock.now()
        if all(t.status != Takstatus.OPEN for t in open_):
            samenvoegen(env, session, voorstel, stap, door, "alle adviezen zijn er")
    voorstel.gewijzigd_op = clock.now()
    return item.vergadering


def _check_reached(vergadering: Vergadering, kenmerk: str) -> None:
    if clock.local(clock.now()).date() < clock.local(vergadering.begin).date():
        raise GebruikersFout(f"voorstel {kenmerk} staat op de vergadering van "
                             f"{datum(vergadering.begin)}; een uitkomst kan pas vanaf die dag")


def _postpone(env: Omgeving, session: Session, voorstel: Voorstel, takstap: Stap,
              vergadering: Vergadering) -> None:
    from workflow.kalender import vergaderingen

    orgaan = env.definities.orgaan(takstap.orgaan)
    volgende = vergaderingen.volgende(session, orgaan, vergadering.begin)
    if volgende is None:
        raise GebruikersFout(f"{orgaan.naam} heeft geen volgende vergadering om het voorstel "
                             f"op aan te houden; voeg er een toe")
    zet_op_agenda(session, voorstel, volgende, takstap.id, takstap.rol, nagekomen=False)


def samenvoegen(env: Omgeving, session: Session, voorstel: Voorstel, stap: Stap, door: str,
                reden: str) -> None:
    """Join the step: open branches expire, the machine moves on, the next step's planned
    meeting (if any) gets the proposal."""
    open_ = [t for t in takken.takken_van(session, voorstel.id, stap.id)
             if t.status == Takstatus.OPEN]
    for tak in open_:
        tak.status = Takstatus.VERLOPEN
    van = voorstel.toestand
    voorstel.toestand = vuur(env, voorstel, routemachine.SAMENVOEGEN)
    namen = [takken.taknaam(env.definities, voorstel.route, t) for t in open_]
    zonder = f"; zonder antwoord: {', '.join(namen)}" if namen else ""
    leg_vast(session, voorstel, takken.SAMENVOEGEN, door, van=van, naar=voorstel.toestand,
             tekst=f"{reden}{zonder}")
    _next_planned(env, session, voorstel, door)


def _next_planned(env: Omgeving, session: Session, voorstel: Voorstel, door: str) -> None:
    machine = env.routes.machine(voorstel.route)
    stap = machine.huidige_stap(voorstel.toestand)
    if stap is None or stap.is_groep:
        return
    volgende = session.scalar(
        select(Vergadering).join(Agendapunt, Agendapunt.vergadering_id == Vergadering.id)
        .where(Agendapunt.voorstel_id == voorstel.id, Agendapunt.stap == stap.id,
               Agendapunt.status == GEPLAND, Vergadering.geannuleerd.is_(False),
               Vergadering.begin > clock.now())
        .order_by(Vergadering.begin))
    if volgende is None:
        return
    van = voorstel.toestand
    voorstel.toestand = vuur(env, voorstel, routemachine.AGENDEREN)
    zet_op_agenda(session, voorstel, volgende, stap.id, stap.rol, nagekomen=False)
    leg_vast(session, voorstel, routemachine.AGENDEREN, door, van=van, naar=voorstel.toestand,
             vergadering_id=volgende.id, tekst="volgens planning", definities=env.definities)


def sluit_als_verlopen(env: Omgeving, session: Session, voorstel: Voorstel, door: str) -> bool:
    """Join the proposal's group step if its period has ended; True if it did."""
    stap_id, fase = routemachine.split(voorstel.toestand)
    if stap_id is None or fase != toestanden.VERZONDEN:
        return False
    rows = takken.takken_van(session, voorstel.id, stap_id)
    eind = next((t.termijn_eind for t in rows if t.termijn_eind is not None), None)
    if eind is None or clock.now() < eind:
        return False
    stap = env.definities.route(voorstel.route).stap(stap_id)
    samenvoegen(env, session, voorstel, stap, door,
                f"termijn verstreken op {datum(eind - timedelta(days=1))}")
    return True


def sluit_verlopen(env: Omgeving, door: str) -> list[str]:
    """Join every group step whose period has ended (the reminder pass runs this)."""
    nu = clock.now()
    with env.db.lees() as session:
        ids = sorted(set(session.scalars(select(Tak.voorstel_id).where(
            Tak.status == Takstatus.OPEN, Tak.termijn_eind <= nu))))
    gedaan: list[str] = []
    for voorstel_id in ids:
        with env.db.schrijf() as session:
            voorstel = session.get(Voorstel, voorstel_id)
            if voorstel is not None and sluit_als_verlopen(env, session, voorstel, door):
                gedaan.append(voorstel.kenmerk)
    return gedaan

