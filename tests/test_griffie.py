"""The seeds' weeks replayed as a griffie lives them: every shipped route from submission to
decision, each weekday at 09:30 the planner's pass (acting as that moment, `--nu`, while the real
clock says today), the outcomes recorded after each meeting. Counted per body the members
reached, per secretary the weekly overviews, per author the reminders; each seed date the text
gives is checked ("8 juli raad", "vaststellen augustus 2022", "BO 16 november 2023")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import Result

from workflow.agenda import formulering
from workflow.basis import clock
from workflow.berichten import ronde, uitgaand
from workflow.berichten.transport import MapTransport
from workflow.definities.model import StapRol, Uitkomst
from workflow.kalender import hiaten, planning
from workflow.omgeving import Omgeving
from workflow.voorstellen import documenten, herplanning, indienen, uitkomsten

TZ = clock.TZ
DOOR = "griffie (test)"
#: Seed 002 replays on both databases; the other routes on SQLite (the machine is small).
alleen_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@dataclass
class Verloop:
    kenmerk: str
    plan: list[tuple[str, date]]  #: (body, date) per step, as planned at submission
    opmerkingen: list[str]
    berichten: list[uitgaand.Bericht]
    eml: list[Path]
    ingediend: date


def _at(moment: datetime) -> None:
    clock.act_as(moment)


def _replay(env: Omgeving, tmp_path: Path, *, route: str, titel: str, opsteller: str,
            ingediend: datetime, beslispunten: tuple[str, ...], besluit_op: datetime | None = None
            ) -> Verloop:
    """Submit with the documents in, record the plan, then every weekday until the decision the
    pass at 09:30 (mail to the folder transport), the outcome recorded after each meeting."""
    _at(ingediend)
    kenmerk = indienen.indienen(env, titel=titel, route=route, opsteller=opsteller, door=DOOR,
                                beslispunten=beslispunten)
    stuk = tmp_path / "voorstel.txt"
    stuk.write_text(f"{titel}\n", encoding="utf-8")
    documenten.registreer(env, kenmerk, stuk, door=DOOR)
    vastgelegd = herplanning.vastleggen(env, kenmerk, door=DOOR, besluit_op=besluit_op)
    assert vastgelegd.melding is None, vastgelegd.melding
    plan = [(r.orgaan, r.begin.astimezone(TZ).date()) for r in vastgelegd.regels if r.begin]
    rollen = {s.orgaan: s.rol for s in env.definities.route(route).stappen}
    transport = MapTransport(tmp_path / "post")
    dag = ingediend.date()
    while dag <= plan[-1][1]:
        if dag.weekday() < 5:
            _at(datetime.combine(dag, time(9, 30), TZ))
            ronde.maak_herinneringen(env)
            uitgaand.verstuur_wachtende(env.db, transport, uitgaand.afzender(env.config))
        for orgaan, op in plan:
            if op == dag:  # after the meeting (the raad meets till 21:30)
                _at(datetime.combine(dag, time(23, 0), TZ))
                if rollen[orgaan] is StapRol.BESLUIT:
                    uitkomsten.besluit(env, kenmerk, Uitkomst.VASTGESTELD, "Aangenomen.",
                                       door=DOOR)
                elif rollen[orgaan] is StapRol.CONSULTATIE:
                    uitkomsten.advies(env, kenmerk, Uitkomst.KENNISGENOMEN, "", door=DOOR)
                else:
                    uitkomsten.advies(env, kenmerk, Uitkomst.POSITIEF, "Akkoord.", door=DOOR)
        dag += timedelta(days=1)
    return Verloop(kenmerk, plan, vastgelegd.opmerkingen,
                   sorted(uitgaand.lijst(env.db, limiet=100_000), key=lambda b: b.id),
                   sorted((tmp_path / "post").glob("*.eml")), ingediend.date())


def _check_mail(env: Omgeving, verloop: Verloop, route: str) -> Counter[str]:
    """What holds on every route: each member of each body once, before the meeting; no overview
    about nothing and none to a secretary without a body on the route; no 'stukken aanleveren'
    (the documents were in); every Date: the moment acted as. Returns overviews per secretary."""
    organen = [env.definities.organen[s.orgaan] for s in env.definities.route(route).stappen]
    for orgaan in organen:
        agendas = [b for b in verloop.berichten
                   if b.soort == "agenda" and b.vergadering
                   and b.vergadering.rsplit("-", 1)[0] == orgaan.sleutel]
        assert Counter(b.ontvangers for b in agendas) == Counter(
            {lid.email: 1 for lid in orgaan.leden}), orgaan.sleutel
        assert all(b.status == "verzonden" and b.vergadering_begin is not None
                   and b.volgende_poging < b.vergadering_begin for b in agendas)
    overzichten = [b for b in verloop.berichten if b.soort == "weekoverzicht"]
    assert {b.ontvangers for b in overzichten} <= {o.secretaris.email for o in organen}
    assert not [b for b in overzichten if "nog geen voorstellen" in b.tekst]
    assert all(verloop.kenmerk in b.tekst for b in overzichten)
    assert not [b for b in verloop.berichten if b.soort in ("aanleveren",
                                                            "aanlevering-verstreken")]
    for pad in verloop.eml:
        verstuurd = message_from_bytes(pad.read_bytes(), policy=policy.default)["Date"].datetime
        # Replayed, not today's clock: between the submission and the decision.
        assert verloop.ingediend <= verstuurd.date() <= verloop.plan[-1][1], pad.name
    return Counter(b.ontvangers for b in overzichten)


def test_seed_002_plans_exactly_and_every_member_is_reached_once(
        omgeving: Omgeving, tmp_path: Path) -> None:
    verloop = _replay(omgeving, tmp_path, route="grjr-procesvoorstel",
                      titel="Procesvoorstel cliëntparticipatie", opsteller="Anja Jongerius",
                      ingediend=datetime(2021, 6, 7, 9, 0, tzinfo=TZ),
                      beslispunten=("Uitwerking van de adviezen uit het plan van aanpak",
                                    "Inzetten van de praatplaat"))
    # "Te bespreken in: Programmteam 14 juni, Stuurgroep transformatie 23 juni, AOJ 24 juni,
    # AB platform jeugd 2 juli".
    assert verloop.plan == [("programmateam", date(2021, 6, 14)),
                            ("stuurgroep-transformatie", date(2021, 6, 23)),
                            ("aoj", date(2021, 6, 24)), ("ab-platform-jeugd", date(2021, 7, 2))]
    assert verloop.opmerkingen == []
    overzichten = _check_mail(omgeving, verloop, "grjr-procesvoorstel")
    # Only weeks with something to act on within two weeks: at most one a week, from the
    # submission's week (7 June) to the decision's (2 July).
    assert overzichten and max(overzichten.values()) <= 4
    # Bestuurders are addressed as a secretariat does; officials as colleagues.
    ab = next(b for b in verloop.berichten if b.soort == "agenda"
              and b.ontvangers == "wethouder.jeugd@bar.example" and "ab-platform" in (b.vergadering or ""))
    assert ab.tekst.startswith("Geachte Wethouder jeugd BAR,")
    team = next(b for b in verloop.berichten if b.soort == "agenda"
                and b.ontvangers == "jeugd2@bar.example")
    assert team.tekst.startswith("Beste Beleidsadviseur jeugd BAR 2,")
    # Seed 002's points are nouns: the heading "in te stemmen met" stays.
    assert "Verzoek is om in te stemmen met:" in ab.tekst


@alleen_sqlite
def test_seed_003_with_the_directeurenoverleg_prints_the_consultation_as_such(
        omgeving: Omgeving, tmp_path: Path) -> None:
    verloop = _replay(omgeving, tmp_path, route="grjr-procesvoorstel-met-voorbespreking",
                      titel="Procesvoorstel inrichting programmateam", opsteller="Ellen Wennink",
                      ingediend=datetime(2021, 5, 10, 9, 0, tzinfo=TZ),
                      beslispunten=("Instemmen met de aangescherpte ontwikkelopgave",),
                      besluit_op=datetime(2021, 7, 2, tzinfo=TZ))
    assert verloop.plan == [("aoj-directeurenoverleg", date(2021, 5, 20)),
                            ("programmateam", date(2021, 6, 14)),
                            ("stuurgroep-transformatie", date(2021, 6, 23)),
                            ("aoj", date(2021, 6, 24)), ("ab-platform-jeugd", date(2021, 7, 2))]
    _check_mail(omgeving, verloop, "grjr-procesvoorstel-met-voorbespreking")
    ab = next(b for b in verloop.berichten if b.soort == "agenda"
              and "ab-platform" in (b.vergadering or ""))
    tekst = " ".join(ab.tekst.split())
    assert "Consultatie AOJ en directeurenoverleg, 20 mei 2021 (kennisgenomen)" in tekst
    assert "Advies AOJ en directeurenoverleg" not in tekst
    # "Instemmen met ..." under "in te stemmen met:" does not repeat itself.
    assert "in te stemmen met: - De aangescherpte ontwikkelopgave" in tekst


@alleen_sqlite
def test_seed_000_the_raad_of_8_july_2021_and_the_college_offering_its_raadsvoorstel(
        omgeving: Omgeving, tmp_path: Path) -> None:
    verloop = _replay(omgeving, tmp_path, route="gemeente-raadsvoorstel",
                      titel="Bestuursopdracht Lokaal Akkoord Transformatie Jeugdbeleid",
                      opsteller="Afdelingshoofd MO",
                      ingediend=datetime(2021, 6, 7, 9, 0, tzinfo=TZ),
                      beslispunten=("Instemmen met de bestuursopdracht",
                                    "Vaststellen van de financiën"))
    # Seed 000: "8 juli raad: instemmen bestuursopdracht".
    assert verloop.plan == [("college", date(2021, 6, 15)), ("commissie-saza", date(2021, 6, 24)),
                            ("gemeenteraad", date(2021, 7, 8))]
    assert verloop.opmerkingen == []
    overzichten = _check_mail(omgeving, verloop, "gemeente-raadsvoorstel")
    # Nothing to the GR's secretaries about GR meetings with nothing on them.
    assert overzichten["kwartiermaker@grjr.example"] == 0
    assert overzichten["bestuurssecretariaat@grjr.example"] == 0
    raad = next(b for b in verloop.berichten if b.soort == "agenda"
                and b.ontvangers == "raad.a@gemeente.example")
    tekst = " ".join(raad.tekst.split())
    # The route's title names what the college offers: "Raadsvoorstel van het college".
    assert "Raadsvoorstel van het college, 15 juni 2021" in tekst
    assert "Advies College" not in tekst and "Akkoord." not in tekst
    assert "Consultatie Commissie Samenleving en Zorg, 24 juni 2021 (kennisgenomen)" in tekst
    assert raad.tekst.startswith("Geachte Raadslid fractie A,")
    # A verb opens one of the points: no "in te stemmen met: - Vaststellen van ...".
    assert "Voorgesteld besluit: - Instemmen met de bestuursopdracht - Vaststellen" in tekst


@alleen_sqlite
def test_seed_000_the_akkoord_is_adopted_in_august_2022(omgeving: Omgeving,
                                                        tmp_path: Path) -> None:
    """"Opsturen aan raad: begin juni; Infobijeenkomst juli 2022; Vaststellen: augustus 2022"."""
    _at(datetime(2022, 6, 1, 9, 0, tzinfo=TZ))
    kenmerk = indienen.indienen(omgeving, titel="Lokaal Akkoord", route="gemeente-raadsvoorstel",
                                opsteller="Afdelingshoofd MO", door=DOOR,
                                beslispunten=("Vaststellen van het lokaal akkoord",))
    vooruit = herplanning.toon(omgeving, kenmerk)
    assert vooruit.melding is None and vooruit.regels[-1].begin is not None
    assert vooruit.regels[-1].begin.year == 2022  # not April 2023 for want of raad meetings
    terug = herplanning.toon(omgeving, kenmerk, besluit_op=datetime(2022, 8, 31, tzinfo=TZ))
    assert [(r.orgaan, r.begin.astimezone(TZ).date()) for r in terug.regels if r.begin] == [
        ("college", date(2022, 7, 5)), ("commissie-saza", date(2022, 7, 7)),
        ("gemeenteraad", date(2022, 8, 25))]
    assert not any(o.startswith("geen vergadering") for o in terug.opmerkingen)


@alleen_sqlite
def test_seed_004_the_bo_of_16_november_2023_and_the_lobby_without_gaps(
        omgeving: Omgeving, tmp_path: Path) -> None:
    verloop = _replay(omgeving, tmp_path, route="hervormingsagenda",
                      titel="Implementatieplan Hervormingsagenda Jeugd",
                      opsteller="Beleidsadviseur VNG",
                      ingediend=datetime(2023, 10, 2, 9, 0, tzinfo=TZ),
                      beslispunten=("Vaststellen van het implementatieplan",))
    assert verloop.plan == [("projectgroep-hervormingsagenda", date(2023, 10, 12)),
                            ("stuurgroep-hervormingsagenda", date(2023, 10, 25)),
                            ("bestuurlijk-overleg", date(2023, 11, 16))]
    _check_mail(omgeving, verloop, "hervormingsagenda")
    bo = next(b for b in verloop.berichten if b.soort == "agenda"
              and b.ontvangers == "staatssecretaris@vws.example")
    assert bo.tekst.startswith("Geachte Staatssecretaris VWS,")
    # The lobby route, submitted in December 2023 (the factsheet's month): January 2024, with no
    # gap in any calendar.
    _at(datetime(2023, 12, 4, 9, 0, tzinfo=TZ))
    lobby = indienen.indienen(omgeving, titel="Lobby Hervormingsagenda", route="vng-lobby",
                              opsteller="Vertegenwoordiger G4", door=DOOR,
                              beslispunten=("Vaststellen van het lobbystandpunt",))
    plan = herplanning.toon(omgeving, lobby)
    assert [r.begin.astimezone(TZ).date() for r in plan.regels if r.begin] == [
        date(2024, 1, 2), date(2024, 1, 18), date(2024, 1, 31)]
    assert plan.opmerkingen == []


@alleen_sqlite
def test_a_plan_across_a_hole_in_a_calendar_says_so_in_one_line(omgeving: Omgeving) -> None:
    """The calendar of before this issue: no SAO meetings before 2026."""
    from dataclasses import replace

    defs = omgeving.definities
    sao = defs.organen["sao"]
    oud = replace(sao, ritmes=tuple(replace(r, vanaf=date(2026, 1, 1)) for r in sao.ritmes))
    oude_defs = replace(defs, organen={**defs.organen, "sao": oud})
    stappen = planning.stappen(defs.route("vng-lobby"), oude_defs)
    agenda = planning.agenda_uit_definities(oude_defs, [s.orgaan for s in stappen])
    nu = datetime(2023, 12, 4, 9, 0, tzinfo=TZ)
    plan = planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)
    assert isinstance(plan, planning.Plan)
    assert hiaten.hiaten(plan, oude_defs, nu) == [
        "geen vergadering van het SAO gedefinieerd tussen 4 december 2023 en 6 januari 2026"]
    # With the shipped calendar: no remark.
    nieuw = planning.vooruit(stappen, planning.agenda_uit_definities(
        defs, [s.orgaan for s in stappen]), nu, aangeleverd_op=nu)
    assert isinstance(nieuw, planning.Plan) and hiaten.hiaten(nieuw, defs, nu) == []


@alleen_sqlite
def test_every_shipped_rhythm_names_its_source_and_reaches_two_years_ahead(
        omgeving: Omgeving) -> None:
    for sleutel, orgaan in omgeving.definities.organen.items():
        assert orgaan.ritmes, sleutel
        for r in orgaan.ritmes:
            assert r.bron.startswith(("seed", "aanname")), (sleutel, r.regel)
        assert max(r.tot or date.min for r in orgaan.ritmes) >= date(2028, 12, 31), sleutel
        for plicht in orgaan.verplichtingen:
            assert plicht.bron.startswith("seed"), (sleutel, plicht.omschrijving)


@pytest.mark.parametrize(("punten", "besluit", "kop", "eerste"), [
    (("Uitwerking van de adviezen", "Inzetten van de praatplaat"), True,
     "Verzoek is om in te stemmen met:", "Uitwerking van de adviezen"),
    (("Instemmen met de uitwerking",), True, "Verzoek is om in te stemmen met:",
     "De uitwerking"),
    (("Instemmen met de uitwerking", "Vaststellen van het akkoord"), True,
     "Voorgesteld besluit:", "Instemmen met de uitwerking"),
    (("Vaststellen van het akkoord",), False, "Beslispunten:", "Vaststellen van het akkoord"),
])
def test_the_beslispunten_heading_follows_their_wording(punten: tuple[str, ...], besluit: bool,
                                                        kop: str, eerste: str) -> None:
    gekozen = formulering.kop([{"tekst": p} for p in punten], besluit)
    assert gekozen == kop
    assert formulering.punt(punten[0], gekozen) == eerste


@alleen_sqlite
def test_controleer_warns_about_bodies_without_meetings_in_the_coming_12_months(
        besluitroute: Callable[..., Result]) -> None:
    vandaag = besluitroute("definities", "controleer", nu="2026-12-05T09:00")
    assert vandaag.exit_code == 0 and "waarschuwing" not in vandaag.stderr
    later = besluitroute("definities", "controleer", nu="2029-01-15T09:00")
    assert later.exit_code == 0, later.stderr
    regels = [r for r in later.stderr.splitlines() if "geen vergadering gedefinieerd" in r]
    # Every shipped body: the 14 of the seeds and the 10 example councils of the GR JR.
    assert len(regels) == len(list((Path(__file__).parent.parent / 'definities' / 'organen').glob('*.yaml')))
    assert ("waarschuwing: orgaan bestuurlijk-overleg: geen vergadering gedefinieerd in de 12 "
            "maanden na 15 januari 2029 (de laatste was 26 oktober 2028); vul de ritmes aan"
            ) in regels


@alleen_sqlite
def test_referred_back_documents_are_asked_again_as_a_new_version(
        omgeving: Omgeving, tmp_path: Path) -> None:
    _at(datetime(2021, 6, 7, 9, 0, tzinfo=TZ))
    kenmerk = indienen.indienen(omgeving, titel="Plan", route="grjr-procesvoorstel",
                                opsteller="Anja Jongerius", door=DOOR, beslispunten=("Plan",))
    stuk = tmp_path / "plan.txt"
    stuk.write_text("versie 1\n", encoding="utf-8")
    documenten.registreer(omgeving, kenmerk, stuk, door=DOOR)
    herplanning.vastleggen(omgeving, kenmerk, door=DOOR)

    def nieuwe_versie() -> set[bool]:
        with omgeving.db.lees() as session:
            return {p.nieuwe_versie for m in ronde.laad_bijeenkomsten(
                session, datetime(2021, 6, 1, tzinfo=TZ), datetime(2021, 12, 31, tzinfo=TZ))
                for p in m.punten if p.kenmerk == kenmerk}

    assert nieuwe_versie() == {False}
    _at(datetime(2021, 6, 14, 23, 0, tzinfo=TZ))
    uitkomsten.terugverwijzen(omgeving, kenmerk, "Werk de begroting uit", door=DOOR)
    _at(datetime(2021, 6, 15, 9, 0, tzinfo=TZ))
    indienen.herindienen(omgeving, kenmerk, door=DOOR)
    herplanning.vastleggen(omgeving, kenmerk, door=DOOR)
    assert nieuwe_versie() == {True}  # the old documents predate the referral
    stuk.write_text("versie 2\n", encoding="utf-8")
    documenten.registreer(omgeving, kenmerk, stuk, door=DOOR)
    assert nieuwe_versie() == {False}


@alleen_sqlite
def test_seed_004_the_lobby_route_replayed_reaches_every_member_once(
        omgeving: Omgeving, tmp_path: Path) -> None:
    verloop = _replay(omgeving, tmp_path, route="vng-lobby", titel="Lobby Hervormingsagenda",
                      opsteller="Vertegenwoordiger G4",
                      ingediend=datetime(2023, 12, 4, 9, 0, tzinfo=TZ),
                      beslispunten=("Vaststellen van het lobbystandpunt",))
    assert verloop.plan == [("sao", date(2024, 1, 2)), ("commissie-zjo", date(2024, 1, 18)),
                            ("vng-bestuur", date(2024, 1, 31))]
    assert verloop.opmerkingen == []
    overzichten = _check_mail(omgeving, verloop, "vng-lobby")
    assert set(overzichten) == {"secretaris.sao@vng.example", "secretaris.zjo@vng.example",
                                "bestuurssecretaris@vng.example"}
