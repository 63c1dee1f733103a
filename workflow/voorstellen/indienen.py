"""The acts that bring a proposal into its route and along it by hand: submit, put on a meeting,
resubmit a revised version, withdraw. Each act is one transaction: load, check, change, record
history; a refused step, a conflict or a crash rolls the whole transaction back. The route machine
decides what is legal; these functions add the checks that need the calendar (the meeting's date,
the submission deadline).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer, datum, datum_tijd, zoektekst
from workflow.definities.model import Stap, StapRol
from workflow.kalender import vergaderingen, werkdagen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Kenmerkteller, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.routes import toestanden
from workflow.voorstellen import takken, zienswijzen
from workflow.voorstellen.kern import (
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


def _next_kenmerk(session: Session, jaar: int) -> str:
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(Kenmerkteller).values(jaar=jaar, laatste=1)
        stmt = stmt.on_conflict_do_update(index_elements=["jaar"],
                                          set_={"laatste": Kenmerkteller.laatste + 1})
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(Kenmerkteller).values(jaar=jaar, laatste=1)
        stmt = stmt.on_conflict_do_update(index_elements=["jaar"],
                                          set_={"laatste": Kenmerkteller.laatste + 1})
    nummer = session.scalar(stmt.returning(Kenmerkteller.laatste))
    assert nummer is not None
    return f"{jaar}-{nummer:03d}"


def opsteller_adres(text: str | None) -> str | None:
    """`--opsteller-email`, checked like a member's address in the definitions."""
    from workflow.basis.adressen import OngeldigAdres, normaliseer

    if text is None:
        return None
    try:
        return normaliseer(text.strip())
    except OngeldigAdres as exc:
        raise GebruikersFout(f"--opsteller-email: {exc}") from None


def indienen(env: Omgeving, *, titel: str, route: str, opsteller: str, door: str,
             opsteller_email: str | None = None,
             in_opdracht_van: str | None = None, beslispunten: tuple[str, ...] = (),
             aan: str | None = None, van: str | None = None, versie: str | None = None,
             documentstatus: str = "Concept", onderwerp: str | None = None) -> str:
    """Register a new proposal on `route`; returns its kenmerk (such as 2026-014)."""
    definitie = env.definities.route(route)
    titel = tekst_veld(titel, "de titel", required=True, max_len=500, een_regel=True)
    opsteller = tekst_veld(opsteller, "de opsteller", required=True, max_len=200, een_regel=True)
    door = tekst_veld(door, "de naam bij --door", required=True, max_len=200, een_regel=True)
    adres = opsteller_adres(opsteller_email)
    opdrachtgever = ""
    if in_opdracht_van:
        opdrachtgever = env.definities.orgaan(in_opdracht_van.strip()).sleutel
    punten = [tekst_veld(p, f"beslispunt {i}", required=True, een_regel=True)
              for i, p in enumerate(beslispunten, start=1)]
    beslissend = next((s for s in definitie.stappen if s.rol is StapRol.BESLUIT), None)
    if beslissend is not None and not punten:
        naam = env.definities.orgaan(beslissend.orgaan).naam
        raise GebruikersFout(f"route {definitie.naam} gaat ter besluitvorming naar {naam}: geef "
                             "minstens één beslispunt (--beslispunt TEKST)")
    if documentstatus not in ("Concept", "Definitief"):
        raise GebruikersFout(f"onbekende status {citeer(documentstatus)} (Concept of Definitief)")
    nu = clock.now()
    with env.db.schrijf() as session:
        kenmerk = _next_kenmerk(session, clock.local(nu).year)
        voorstel = Voorstel(
            kenmerk=kenmerk, titel=titel, zoektekst=zoektekst(kenmerk, titel),
            opsteller=opsteller, opsteller_email=adres, in_opdracht_van=opdrachtgever,
            aan=tekst_veld(aan, "'aan'", een_regel=True) or definitie.aan,
            van=tekst_veld(van, "'van'", een_regel=True) or definitie.van,
            route=definitie.naam, toestand=toestanden.INGEDIEND, documentstatus=documentstatus,
            versie=tekst_veld(versie, "de versie", max_len=80, een_regel=True) or datum(nu),
            onderwerp=tekst_veld(onderwerp, "het onderwerp", max_len=80, een_regel=True) or None,
            ingediend_op=nu, gewijzigd_op=nu,
        )
        voorstel.beslispunten = [Beslispunt(volgnummer=i, tekst=t)
                                 for i, t in enumerate(punten, start=1)]
        session.add(voorstel)
        session.flush()
        leg_vast(session, voorstel, "indienen", door, van=None, naar=toestanden.INGEDIEND,
                 tekst=f"route {definitie.naam}; {len(punten)} beslispunt(en)")
    return kenmerk


def agenderen(env: Omgeving, kenmerk: str, *, door: str, vergadering_id: int | str | None = None,
              na_deadline: bool = False) -> Resultaat:
    """Put a proposal on a meeting of its current step's body (the next open one by default)."""
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        # A group step whose period ended opens the next step first (whoever did not answer).
        machine = env.routes.machine(voorstel.route)
        if zienswijzen.sluit_als_verlopen(env, session, voorstel, door) \
                and voorstel.vergadering_id is not None:  # onto the next step's planned meeting
            return Resultaat(voorstel.kenmerk, voorstel.toestand,
                             machine.label(voorstel.toestand, env.definities),
                             session.get(Vergadering, voorstel.vergadering_id))
        naar = vuur(env, voorstel, routemachine.AGENDEREN)
        stap = machine.huidige_stap(voorstel.toestand)
        assert stap is not None
        if stap.is_groep:
            if vergadering_id is not None:
                raise GebruikersFout(f"stap '{stap.id}' gaat tegelijk naar meer organen; "
                                     f"agenderen kiest per tak de vergadering (zonder "
                                     f"--vergadering)")
            return _dispatch(env, session, voorstel, stap, naar, door)
        orgaan = env.definities.orgaan(stap.orgaan)
        nagekomen = False
        if vergadering_id is None:
            vergadering = vergaderingen.volgende(session, orgaan, nu, deadline_open_op=nu)
            if vergadering is None:
                raise GebruikersFout(
                    f"er is geen vergadering van {orgaan.naam} meer met een open aanleverdatum; "
                    f"kies er een met --vergadering ID --na-deadline of voeg vergaderingen toe"
                )
        else:
            vergadering = vergaderingen.haal(session, vergadering_id)
            vergaderingen.controleer_orgaan(vergadering, orgaan, voorstel.kenmerk, env.definities)
            if vergadering.geannuleerd:
                raise GebruikersFout(f"vergadering {vergadering.id} van {orgaan.naam} op "
                                     f"{datum(vergadering.begin)} is geannuleerd")
            if vergadering.begin <= nu:
                raise GebruikersFout(f"vergadering {vergadering.id} van {orgaan.naam} op "
                                     f"{datum_tijd(vergadering.begin)} is al geweest")
            deadline = werkdagen.aanlevermoment(orgaan, vergadering.begin)
            if nu >= deadline:
                if not na_deadline:
                    raise GebruikersFout(
                        f"de aanleverdatum voor {orgaan.naam} van {datum(vergadering.begin)} was "
                        f"{datum(werkdagen.aanleverdatum(orgaan, vergadering.begin))}; agenderen kan "
                        f"alleen nog als nagekomen stuk (--na-deadline)"
                    )
                nagekomen = True
        van = voorstel.toestand
        zet_op_agenda(session, voorstel, vergadering, stap.id, stap.rol, nagekomen)
        voorstel.toestand, voorstel.gewijzigd_op = naar, nu
        leg_vast(session, voorstel, "agenderen", door, van=van, naar=naar,
                 vergadering_id=vergadering.id,
                 tekst="nagekomen (na de aanleverdatum)" if nagekomen else None,
                 definities=env.definities)
        return Resultaat(voorstel.kenmerk, naar, machine.label(naar, env.definities), vergadering)


def _dispatch(env: Omgeving, session: Session, voorstel: Voorstel, stap: Stap, naar: str,
              door: str) -> Resultaat:
    """A group step: the proposal goes to every branch at once."""
    van = voorstel.toestand
    takken.open_takken(env, session, voorstel, stap, door)
    voorstel.toestand, voorstel.gewijzigd_op = naar, clock.now()
    leg_vast(session, voorstel, "agenderen", door, van=van, naar=naar)
    machine = env.routes.machine(voorstel.route)
    return Resultaat(voorstel.kenmerk, naar, machine.label(naar, env.definities))


def herindienen(env: Omgeving, kenmerk: str, *, door: str, versie: str | None = None) -> Resultaat:
    """The author delivers a revised version; the proposal re-enters its route."""
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        naar = vuur(env, voorstel, routemachine.HERINDIENEN)
        van = voorstel.toestand
        nieuwe_versie = tekst_veld(versie, "de versie", max_len=80, een_regel=True) or \
            _next_version(voorstel.versie, nu)
        voorstel.versie, voorstel.toestand, voorstel.gewijzigd_op = nieuwe_versie, naar, nu
        leg_vast(session, voorstel, "herindienen", door, van=van, naar=naar,
                 tekst=f"versie {nieuwe_versie}")
        machine = env.routes.machine(voorstel.route)
        return Resultaat(voorstel.kenmerk, naar, machine.label(naar, env.definities))


def _next_version(current: str, nu: datetime) -> str:
    if current.isdigit():
        return str(int(current) + 1)
    nieuw = datum(nu)
    return nieuw if nieuw != current else f"{nieuw} (2)"


def intrekken(env: Omgeving, kenmerk: str, reden: str, *, door: str) -> Resultaat:
    reden = tekst_veld(reden, "de reden", required=True, een_regel=True)
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        naar = vuur(env, voorstel, routemachine.INTREKKEN)
        van = voorstel.toestand
        vergadering_id = voorstel.vergadering_id
        takken.annuleer_open(env, session, voorstel, "ingetrokken", door)
        session.execute(update(Agendapunt).where(
            Agendapunt.voorstel_id == voorstel.id,
            Agendapunt.status.in_((GEPLAND, GEAGENDEERD)),
        ).values(status=VERVALLEN))
        voorstel.toestand, voorstel.vergadering_id, voorstel.gewijzigd_op = naar, None, nu
        leg_vast(session, voorstel, "intrekken", door, van=van, naar=naar,
                 vergadering_id=vergadering_id, tekst=reden, definities=env.definities)
        return Resultaat(voorstel.kenmerk, naar, "ingetrokken")
