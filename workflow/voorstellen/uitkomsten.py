"""The outcomes a meeting records for a proposal on its agenda: advice, decision, postponing,
referring back. Each is one transaction, valid only from the day of the meeting; where the
secretariat has nothing to choose, the proposal moves on by itself (`_follow_up`).
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer, datum
from workflow.besluitvorming import vastleggen
from workflow.definities.model import BESLUIT_UITKOMSTEN, Orgaan, Stap, Stapsoort, Uitkomst
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.routes import toestanden
from workflow.voorstellen import zienswijzen
from workflow.voorstellen.kern import (
    BEHANDELD,
    GEAGENDEERD,
    GEPLAND,
    VERVALLEN,
    Resultaat,
    haal_voorstel,
    leg_vast,
    tekst_veld,
    zet_op_agenda,
)
from workflow.voorstellen.overgang import vuur

BESLISPUNT_BESLUIT = {
    Uitkomst.VASTGESTELD: "aangenomen",
    Uitkomst.GEWIJZIGD_VASTGESTELD: "gewijzigd aangenomen",
    Uitkomst.AFGEWEZEN: "verworpen",
}
BESLISPUNT_KEUZES = ("aangenomen", "gewijzigd aangenomen", "verworpen")


def _current_item(session: Session, voorstel: Voorstel) -> Agendapunt | None:
    return session.scalar(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.status == GEAGENDEERD))



def _check_meeting_reached(orgaan: Orgaan, vergadering: Vergadering, kenmerk: str,
                           wat: str) -> None:
    local_day = clock.local(vergadering.begin).date()
    opens = datetime.combine(local_day, time(0), clock.TZ)
    if clock.now() < opens:
        raise GebruikersFout(
            f"voorstel {kenmerk} staat op de vergadering van {orgaan.naam} van "
            f"{datum(vergadering.begin)}; {wat} kan pas vanaf {datum(vergadering.begin)} "
            f"worden vastgelegd"
        )


def _group_step(env: Omgeving, voorstel: Voorstel) -> Stap | None:
    """The `tegelijk` step whose branches are open; a zienswijze step has its own command."""
    stap_id, fase = routemachine.split(voorstel.toestand)
    if stap_id is None or fase != toestanden.VERZONDEN:
        return None
    stap = env.definities.route(voorstel.route).stap(stap_id)
    if stap.soort is Stapsoort.ZIENSWIJZE:
        raise GebruikersFout(f"voorstel {voorstel.kenmerk} ligt ter zienswijze bij de raden; "
                             f"leg een antwoord vast met 'voorstel zienswijze'")
    return stap


def _branch_outcome(env: Omgeving, session: Session, voorstel: Voorstel, groep: Stap,
                    tak_orgaan: str | None, uitkomst: Uitkomst, tekst: str | None,
                    door: str) -> Resultaat:
    vergadering = zienswijzen.tak_uitkomst(env, session, voorstel, groep, tak_orgaan, uitkomst,
                                           tekst, door)
    machine = env.routes.machine(voorstel.route)
    return Resultaat(voorstel.kenmerk, voorstel.toestand,
                     machine.label(voorstel.toestand, env.definities), vergadering)


def _record_outcome(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, *, door: str,
                    tekst: str | None, wat: str,
                    beslispunten: dict[int, str] | None = None, een_regel: bool = False,
                    tak_orgaan: str | None = None) -> Resultaat:
    tekst = tekst_veld(tekst, "de reden" if een_regel else "de tekst", een_regel=een_regel)
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        groep = _group_step(env, voorstel) if uitkomst not in BESLUIT_UITKOMSTEN else None
        if groep is not None:
            return _branch_outcome(env, session, voorstel, groep, tak_orgaan, uitkomst, tekst,
                                   door)
        naar = vuur(env, voorstel, uitkomst.value)
        machine = env.routes.machine(voorstel.route)
        stap = machine.huidige_stap(voorstel.toestand)
        assert stap is not None
        orgaan = env.definities.orgaan(stap.orgaan)
        item = _current_item(session, voorstel)
        if item is None:  # guarded by the machine: an outcome needs a 'geagendeerd' state
            raise GebruikersFout(f"voorstel {kenmerk} staat op geen vergadering")
        vergadering = item.vergadering
        _check_meeting_reached(orgaan, vergadering, voorstel.kenmerk, wat)
        van = voorstel.toestand
        item.status, item.uitkomst, item.tekst = BEHANDELD, uitkomst.value, tekst or None
        voorstel.toestand, voorstel.vergadering_id, voorstel.gewijzigd_op = naar, None, nu
        if uitkomst in BESLUIT_UITKOMSTEN:
            besloten = _decide_points(session, voorstel, uitkomst, beslispunten or {})
            # Quorum and recorded votes (workflow.besluitvorming): refused here rolls it all back.
            vastleggen.controleer_besluit(env, session, vergadering, voorstel.id, besloten)
        if uitkomst is Uitkomst.TERUGVERWIJZEN:
            _drop_planned(session, voorstel)
        leg_vast(session, voorstel, uitkomst.value, door, van=van, naar=naar,
                 vergadering_id=vergadering.id, uitkomst=uitkomst.value, tekst=tekst,
                 definities=env.definities)
        verder = _follow_up(env, session, voorstel, uitkomst, vergadering, door)
        return Resultaat(voorstel.kenmerk, voorstel.toestand,
                         machine.label(voorstel.toestand, env.definities),
                         verder or vergadering)


def _decide_points(session: Session, voorstel: Voorstel, uitkomst: Uitkomst,
                   per_punt: dict[int, str]) -> dict[int, str]:
    punten = list(session.scalars(select(Beslispunt).where(
        Beslispunt.voorstel_id == voorstel.id).order_by(Beslispunt.volgnummer)))
    nummers = {p.volgnummer for p in punten}
    for nummer, besluit in per_punt.items():
        if nummer not in nummers:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} heeft geen beslispunt {nummer}")
        if besluit not in BESLISPUNT_KEUZES:
            raise GebruikersFout(f"onbekend besluit {citeer(besluit)} voor beslispunt {nummer} "
                                 f"({', '.join(BESLISPUNT_KEUZES)})")
    for punt in punten:
        punt.besluit = per_punt.get(punt.volgnummer, BESLISPUNT_BESLUIT[uitkomst])
    return {p.volgnummer: p.besluit for p in punten if p.besluit is not None}


def _drop_planned(session: Session, voorstel: Voorstel) -> None:
    session.execute(update(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.status == GEPLAND,
    ).values(status=VERVALLEN))


def _follow_up(env: Omgeving, session: Session, voorstel: Voorstel, uitkomst: Uitkomst,
               vergadering: Vergadering, door: str) -> Vergadering | None:
    """Move on by itself where the secretariat has nothing to choose.

    Postponed: onto the body's next meeting (its deadline does not apply again: the documents are
    in). Advised: onto the next step's planned meeting, if the proposal was planned.
    """
    machine = env.routes.machine(voorstel.route)
    stap = machine.huidige_stap(voorstel.toestand)
    if stap is None or routemachine.AGENDEREN not in machine.toegestaan(voorstel.toestand):
        return None
    orgaan = env.definities.orgaan(stap.orgaan)
    if uitkomst is Uitkomst.AANHOUDEN:
        volgende = vergaderingen.volgende(session, orgaan, vergadering.begin)
        toelichting = "aangehouden: op de volgende vergadering"
    else:
        volgende = session.scalar(
            select(Vergadering).join(Agendapunt, Agendapunt.vergadering_id == Vergadering.id)
            .where(Agendapunt.voorstel_id == voorstel.id, Agendapunt.stap == stap.id,
                   Agendapunt.status == GEPLAND, Vergadering.geannuleerd.is_(False))
            .order_by(Vergadering.begin))
        toelichting = "volgens planning"
    if volgende is None:
        return None
    van = voorstel.toestand
    naar = vuur(env, voorstel, routemachine.AGENDEREN)
    zet_op_agenda(session, voorstel, volgende, stap.id, stap.rol, nagekomen=False)
    voorstel.toestand = naar
    leg_vast(session, voorstel, "agenderen", door, van=van, naar=naar,
             vergadering_id=volgende.id, tekst=toelichting, definities=env.definities)
    from workflow.voorstellen import herplanning

    herplanning.herplan_voorstel(env, session, voorstel, door, uitkomst.label)
    return volgende


def advies(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, tekst: str, *, door: str,
           orgaan: str | None = None) -> Resultaat:
    """`orgaan`: which adviser of a `tegelijk` step gave it (needed when more are open)."""
    if uitkomst not in (Uitkomst.POSITIEF, Uitkomst.NEGATIEF, Uitkomst.VOORWAARDELIJK,
                        Uitkomst.KENNISGENOMEN):
        raise GebruikersFout(f"{citeer(uitkomst)} is geen advies")
    if uitkomst is not Uitkomst.KENNISGENOMEN:
        tekst_veld(tekst, "de tekst van het advies", required=True)
    return _record_outcome(env, kenmerk, uitkomst, door=door, tekst=tekst, wat="het advies",
                           tak_orgaan=orgaan)


def besluit(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, tekst: str | None, *, door: str,
            beslispunten: dict[int, str] | None = None) -> Resultaat:
    if uitkomst not in BESLUIT_UITKOMSTEN:
        raise GebruikersFout(f"{citeer(uitkomst)} is geen besluit")
    return _record_outcome(env, kenmerk, uitkomst, door=door, tekst=tekst, wat="het besluit",
                           beslispunten=beslispunten)


def aanhouden(env: Omgeving, kenmerk: str, reden: str | None, *, door: str,
              orgaan: str | None = None) -> Resultaat:
    return _record_outcome(env, kenmerk, Uitkomst.AANHOUDEN, door=door, tekst=reden,
                           wat="aanhouden", een_regel=True, tak_orgaan=orgaan)


def terugverwijzen(env: Omgeving, kenmerk: str, reden: str, *, door: str,
                   orgaan: str | None = None) -> Resultaat:
    tekst_veld(reden, "de reden", required=True, een_regel=True)
    return _record_outcome(env, kenmerk, Uitkomst.TERUGVERWIJZEN, door=door, tekst=reden,
                           wat="terugverwijzen", een_regel=True, tak_orgaan=orgaan)
