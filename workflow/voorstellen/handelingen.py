"""The acts of the secretariat. Each act is one transaction: load, check, change, record history.

Either everything of an act is written, or nothing is: a refused step, a conflict or a crash rolls
the whole transaction back. The route machine decides what is legal; these functions add the
checks that need the calendar (the meeting's date, the submission deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.basis.tekst import datum, datum_tijd
from workflow.definities.model import BESLUIT_UITKOMSTEN, Orgaan, StapRol, Uitkomst
from workflow.kalender import vergaderingen, werkdagen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Gebeurtenis, Kenmerkteller, Vergadering, Voorstel
from workflow.routes import machine as routemachine
from workflow.voorstellen.kern import (
    BEHANDELD,
    GEAGENDEERD,
    GEPLAND,
    VERVALLEN,
    haal_voorstel,
    leg_vast,
    tekst_veld,
    vuur,
    zet_op_agenda,
)

if TYPE_CHECKING:
    from workflow.voorstellen.documenten import Document


BESLISPUNT_BESLUIT = {
    Uitkomst.VASTGESTELD: "aangenomen",
    Uitkomst.GEWIJZIGD_VASTGESTELD: "gewijzigd aangenomen",
    Uitkomst.AFGEWEZEN: "verworpen",
}
BESLISPUNT_KEUZES = ("aangenomen", "gewijzigd aangenomen", "verworpen")


@dataclass(frozen=True)
class Resultaat:
    """What an act did, for the CLI to print."""

    kenmerk: str
    toestand: str
    omschrijving: str
    vergadering: Vergadering | None = None


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


def indienen(env: Omgeving, *, titel: str, route: str, opsteller: str, door: str,
             in_opdracht_van: str | None = None, beslispunten: tuple[str, ...] = (),
             aan: str | None = None, van: str | None = None, versie: str | None = None,
             documentstatus: str = "Concept", onderwerp: str | None = None) -> str:
    """Register a new proposal on `route`; returns its kenmerk (such as 2026-014)."""
    definitie = env.definities.route(route)
    titel = tekst_veld(titel, "de titel", required=True, max_len=500, een_regel=True)
    opsteller = tekst_veld(opsteller, "de opsteller", required=True, max_len=200, een_regel=True)
    door = tekst_veld(door, "de naam bij --door", required=True, max_len=200, een_regel=True)
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
        raise GebruikersFout(f"onbekende status '{documentstatus}' (Concept of Definitief)")
    nu = clock.now()
    with env.db.schrijf() as session:
        kenmerk = _next_kenmerk(session, clock.local(nu).year)
        voorstel = Voorstel(
            kenmerk=kenmerk, titel=titel, opsteller=opsteller, in_opdracht_van=opdrachtgever,
            aan=tekst_veld(aan, "'aan'", een_regel=True) or definitie.aan,
            van=tekst_veld(van, "'van'", een_regel=True) or definitie.van,
            route=definitie.naam, toestand=routemachine.INGEDIEND, documentstatus=documentstatus,
            versie=tekst_veld(versie, "de versie", max_len=80, een_regel=True) or datum(nu),
            onderwerp=tekst_veld(onderwerp, "het onderwerp", max_len=80, een_regel=True) or None,
            ingediend_op=nu, gewijzigd_op=nu,
        )
        voorstel.beslispunten = [Beslispunt(volgnummer=i, tekst=t)
                                 for i, t in enumerate(punten, start=1)]
        session.add(voorstel)
        session.flush()
        leg_vast(session, voorstel, "indienen", door, van=None, naar=routemachine.INGEDIEND,
                 tekst=f"route {definitie.naam}; {len(punten)} beslispunt(en)")
    return kenmerk


def _current_item(session: Session, voorstel: Voorstel) -> Agendapunt | None:
    return session.scalar(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.status == GEAGENDEERD))


def agenderen(env: Omgeving, kenmerk: str, *, door: str, vergadering_id: int | None = None,
              na_deadline: bool = False) -> Resultaat:
    """Put a proposal on a meeting of its current step's body (the next open one by default)."""
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        naar = vuur(env, voorstel, routemachine.AGENDEREN)
        machine = env.routes.machine(voorstel.route)
        stap = machine.huidige_stap(voorstel.toestand)
        assert stap is not None
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


def _record_outcome(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, *, door: str,
                    tekst: str | None, wat: str,
                    beslispunten: dict[int, str] | None = None, een_regel: bool = False
                    ) -> Resultaat:
    tekst = tekst_veld(tekst, "de reden" if een_regel else "de tekst", een_regel=een_regel)
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
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
            _decide_points(session, voorstel, uitkomst, beslispunten or {})
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
                   per_punt: dict[int, str]) -> None:
    punten = list(session.scalars(select(Beslispunt).where(
        Beslispunt.voorstel_id == voorstel.id).order_by(Beslispunt.volgnummer)))
    nummers = {p.volgnummer for p in punten}
    for nummer, besluit in per_punt.items():
        if nummer not in nummers:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} heeft geen beslispunt {nummer}")
        if besluit not in BESLISPUNT_KEUZES:
            raise GebruikersFout(f"onbekend besluit '{besluit}' voor beslispunt {nummer} "
                                 f"({', '.join(BESLISPUNT_KEUZES)})")
    for punt in punten:
        punt.besluit = per_punt.get(punt.volgnummer, BESLISPUNT_BESLUIT[uitkomst])


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


def advies(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, tekst: str, *, door: str) -> Resultaat:
    if uitkomst not in (Uitkomst.POSITIEF, Uitkomst.NEGATIEF, Uitkomst.VOORWAARDELIJK,
                        Uitkomst.KENNISGENOMEN):
        raise GebruikersFout(f"'{uitkomst}' is geen advies")
    if uitkomst is not Uitkomst.KENNISGENOMEN:
        tekst_veld(tekst, "de tekst van het advies", required=True)
    return _record_outcome(env, kenmerk, uitkomst, door=door, tekst=tekst, wat="het advies")


def besluit(env: Omgeving, kenmerk: str, uitkomst: Uitkomst, tekst: str | None, *, door: str,
            beslispunten: dict[int, str] | None = None) -> Resultaat:
    if uitkomst not in BESLUIT_UITKOMSTEN:
        raise GebruikersFout(f"'{uitkomst}' is geen besluit")
    return _record_outcome(env, kenmerk, uitkomst, door=door, tekst=tekst, wat="het besluit",
                           beslispunten=beslispunten)


def aanhouden(env: Omgeving, kenmerk: str, reden: str | None, *, door: str) -> Resultaat:
    return _record_outcome(env, kenmerk, Uitkomst.AANHOUDEN, door=door, tekst=reden,
                           wat="aanhouden", een_regel=True)


def terugverwijzen(env: Omgeving, kenmerk: str, reden: str, *, door: str) -> Resultaat:
    tekst_veld(reden, "de reden", required=True, een_regel=True)
    return _record_outcome(env, kenmerk, Uitkomst.TERUGVERWIJZEN, door=door, tekst=reden,
                           wat="terugverwijzen", een_regel=True)


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


def wijzig(env: Omgeving, kenmerk: str, *, door: str, titel: str | None = None,
           beslispunten: dict[int, str] | None = None, opsteller: str | None = None
           ) -> Resultaat:
    """Correct a proposal's title, beslispunten or author before its first outcome.

    `beslispunten` maps a number to its new text; the number after the last one adds a point.
    Afterwards the record stands: a body advised on what it read.
    """
    punten_nieuw = beslispunten or {}
    if titel is None and opsteller is None and not punten_nieuw:
        raise GebruikersFout("geef aan wat er wijzigt: --titel, --beslispunt N=TEKST of "
                             "--opsteller")
    nieuwe_titel = None if titel is None else tekst_veld(titel, "de titel", required=True,
                                                     max_len=500, een_regel=True)
    nieuwe_opsteller = None if opsteller is None else tekst_veld(
        opsteller, "de opsteller", required=True, max_len=200, een_regel=True)
    teksten = {n: tekst_veld(t, f"beslispunt {n}", required=True, een_regel=True)
               for n, t in sorted(punten_nieuw.items())}
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        _check_changeable(session, voorstel)
        per_nummer = _points_to_change(session, voorstel, teksten)
        gewijzigd: list[str] = []
        if nieuwe_titel is not None and nieuwe_titel != voorstel.titel:
            gewijzigd.append(f'titel was "{voorstel.titel}"')
            voorstel.titel = nieuwe_titel
        for nummer, tekst in teksten.items():
            punt = per_nummer.get(nummer)
            if punt is None:
                session.add(Beslispunt(voorstel_id=voorstel.id, volgnummer=nummer, tekst=tekst))
                gewijzigd.append(f"beslispunt {nummer} toegevoegd")
            elif punt.tekst != tekst:
                gewijzigd.append(f'beslispunt {nummer} was "{punt.tekst}"')
                punt.tekst = tekst
        if nieuwe_opsteller is not None and nieuwe_opsteller != voorstel.opsteller:
            gewijzigd.append(f'opsteller was "{voorstel.opsteller}"')
            voorstel.opsteller = nieuwe_opsteller
        machine = env.routes.machine(voorstel.route)
        label = machine.label(voorstel.toestand, env.definities)
        if not gewijzigd:
            return Resultaat(voorstel.kenmerk, voorstel.toestand, "niets gewijzigd")
        voorstel.gewijzigd_op = nu  # bumps the version: a concurrent writer gets a conflict
        leg_vast(session, voorstel, "wijzigen", door, van=voorstel.toestand,
                 naar=voorstel.toestand, tekst="; ".join(gewijzigd))
        return Resultaat(voorstel.kenmerk, voorstel.toestand,
                         f"gewijzigd ({'; '.join(gewijzigd)}); {label}")


def _check_changeable(session: Session, voorstel: Voorstel) -> None:
    """A proposal can be corrected until it is finished or has its first outcome."""
    if voorstel.toestand in routemachine.EINDTOESTANDEN:
        raise GebruikersFout(f"voorstel {voorstel.kenmerk} is {voorstel.toestand}; er valt "
                             "niets meer te wijzigen")
    eerste = session.scalar(select(Gebeurtenis).where(
        Gebeurtenis.voorstel_id == voorstel.id, Gebeurtenis.uitkomst.is_not(None))
        .order_by(Gebeurtenis.id).limit(1))
    if eerste is not None:
        waar = f" door {eerste.vergadering_titel}" if eerste.vergadering_titel else ""
        raise GebruikersFout(
            f"voorstel {voorstel.kenmerk} heeft al een uitkomst ({eerste.uitkomst}{waar} op "
            f"{datum(eerste.tijdstip)}); wijzigen kan alleen vóór de eerste uitkomst")


def _points_to_change(session: Session, voorstel: Voorstel,
                      teksten: dict[int, str]) -> dict[int, Beslispunt]:
    """The existing beslispunten by number; every number given exists or adds the next one."""
    punten = list(session.scalars(select(Beslispunt).where(
        Beslispunt.voorstel_id == voorstel.id).order_by(Beslispunt.volgnummer)))
    per_nummer = {p.volgnummer: p for p in punten}
    volgende = len(punten) + 1
    for nummer in teksten:
        if nummer not in per_nummer and nummer != volgende:
            bereik = f"1 tot en met {len(punten)}; " if punten else ""
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} heeft geen beslispunt {nummer} "
                                 f"({bereik}{volgende} voegt er een toe)")
        if nummer == volgende:
            volgende += 1
    return per_nummer


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
        session.execute(update(Agendapunt).where(
            Agendapunt.voorstel_id == voorstel.id,
            Agendapunt.status.in_((GEPLAND, GEAGENDEERD)),
        ).values(status=VERVALLEN))
        voorstel.toestand, voorstel.vergadering_id, voorstel.gewijzigd_op = naar, None, nu
        leg_vast(session, voorstel, "intrekken", door, van=van, naar=naar,
                 vergadering_id=vergadering_id, tekst=reden, definities=env.definities)
        return Resultaat(voorstel.kenmerk, naar, "ingetrokken")


# ---------------------------------------------------------------------------------------------
# Reading.

def lijst(env: Omgeving, *, status: str | None = None, orgaan: str | None = None
          ) -> list[Voorstel]:
    """Proposals as rows, newest first, without paging (`overzicht.pagina` is what the CLI
    prints). No state machine is attached: listing reads columns only."""
    from workflow.voorstellen import overzicht

    clauses = overzicht.voorwaarden(env, status, orgaan)
    if clauses is None:
        return []
    query = (select(Voorstel).where(*clauses)
             .order_by(Voorstel.ingediend_op.desc(), Voorstel.id.desc()))
    with env.db.lees() as session:
        return list(session.scalars(query))


@dataclass(frozen=True)
class Dossier:
    """A proposal with everything `voorstel toon` shows."""

    voorstel: Voorstel
    beslispunten: list[Beslispunt]
    agendapunten: list[Agendapunt]
    geschiedenis: list[Gebeurtenis]
    documenten: tuple[Document, ...] = ()  #: the current version of each document


def dossier(env: Omgeving, kenmerk: str) -> Dossier:
    with env.db.lees() as session:
        voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk.strip())
                                  .options(selectinload(Voorstel.beslispunten),
                                           selectinload(Voorstel.vergadering)))
        if voorstel is None:
            raise NietGevonden(f"onbekend voorstel '{kenmerk}' (zie 'besluitroute voorstel lijst')")
        items = list(session.scalars(
            select(Agendapunt).join(Vergadering)
            .where(Agendapunt.voorstel_id == voorstel.id, Agendapunt.status != VERVALLEN)
            .order_by(Vergadering.begin, Agendapunt.id)))
        history = list(session.scalars(select(Gebeurtenis).where(
            Gebeurtenis.voorstel_id == voorstel.id).order_by(Gebeurtenis.id)))
        from workflow.voorstellen.documenten import documenten_per_voorstel

        documenten = documenten_per_voorstel(session, [voorstel.id])[voorstel.id]
        return Dossier(voorstel, list(voorstel.beslispunten), items, history, documenten)


def aantal_voorstellen(env: Omgeving) -> int:
    with env.db.lees() as session:
        return int(session.scalar(select(func.count(Voorstel.id))) or 0)


def vergaderlijst(env: Omgeving, *, orgaan: str | None = None, van: datetime | None = None,
                  tot: datetime | None = None) -> list[Vergadering]:
    if orgaan is not None:
        env.definities.orgaan(orgaan)
    with env.db.lees() as session:
        return vergaderingen.lijst(session, orgaan, van, tot)


def vuur_in_bulk(env: Omgeving, voorstel_ids: list[int], trigger: str, *, door: str,
                 tekst: str | None = None) -> int:
    """Fire one trigger on many proposals in one transaction (imports, mass re-planning).

    The same rules as a single act: the route machine decides per proposal, a refused trigger
    refuses the whole batch, and every change is checked against the version it was read at
    (optimistic locking), in two statements instead of two per proposal.
    """
    if not voorstel_ids:
        return 0
    door = tekst_veld(door, "de naam bij --door", required=True, max_len=200, een_regel=True)
    nu, echt = clock.now(), clock.real_now()
    with env.db.schrijf() as session:
        rows = session.execute(
            select(Voorstel.id, Voorstel.kenmerk, Voorstel.route, Voorstel.toestand,
                   Voorstel.wijzigingsnummer).where(Voorstel.id.in_(voorstel_ids))).all()
        if len(rows) != len(set(voorstel_ids)):
            raise NietGevonden("een of meer voorstellen bestaan niet (meer)")
        updates, history = [], []
        for row in rows:
            machine = env.routes.machine(row.route)
            try:
                naar = machine.vuur(row.toestand, trigger)
            except routemachine.MachineError:
                raise routemachine.weiger(row.kenmerk, machine, row.toestand, trigger,
                                    env.definities) from None
            updates.append({"b_id": row.id, "b_versie": row.wijzigingsnummer, "toestand": naar,
                            "nieuw": row.wijzigingsnummer + 1, "gewijzigd_op": nu})
            history.append({"voorstel_id": row.id, "tijdstip": nu, "geregistreerd_op": echt,
                            "door": door, "handeling": trigger, "van_toestand": row.toestand,
                            "naar_toestand": naar, "vergadering_id": None, "uitkomst": None,
                            "tekst": tekst, "orgaan": None, "vergadering_begin": None,
                            "vergadering_titel": None})
        from sqlalchemy import Table, bindparam, insert

        table = Voorstel.__table__
        assert isinstance(table, Table)
        result = session.connection().execute(
            table.update()
            .where(table.c.id == bindparam("b_id"),
                   table.c.wijzigingsnummer == bindparam("b_versie"))
            .values(toestand=bindparam("toestand"), wijzigingsnummer=bindparam("nieuw"),
                    gewijzigd_op=bindparam("gewijzigd_op")),
            updates)
        if result.rowcount != len(updates):
            from sqlalchemy.orm.exc import StaleDataError

            raise StaleDataError("a proposal changed while the batch was running")
        session.execute(insert(Gebeurtenis), history)
    return len(updates)
