"""Reminders: who gets which mail when, once, in local time, without a mail storm."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import json
import logging
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import update

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.berichten import herinneringen, ronde, uitgaand
from workflow.berichten.herinneringen import Bijeenkomst, Punt, Soort
from workflow.definities.model import (
    Definities,
    Herinneringsregels,
    Lid,
    LidRol,
    Orgaan,
    Persoon,
    Uitkomst,
)
from workflow.omgeving import Omgeving
from workflow.opslag.models import Voorstel
from workflow.voorstellen import indienen, uitkomsten

TZ = clock.TZ
UUR = timedelta(hours=1)
DAG = timedelta(hours=24)


@pytest.fixture(autouse=True)
def _geen_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unless a test asks for SMTP, mail goes to the uitgaand/ folder."""
    for key in ("HOST", "PORT", "BEVEILIGING", "GEBRUIKER", "WACHTWOORD"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)


def agendeer(env: Omgeving, titel: str, opsteller: str, moment: datetime,
             route: str = "grjr-procesvoorstel") -> str:
    with time_machine.travel(moment, tick=False):
        kenmerk = indienen.indienen(env, titel=titel, route=route, opsteller=opsteller,
                                      door="secretariaat", beslispunten=("Instemmen",))
        indienen.agenderen(env, kenmerk, door="secretariaat")
    return kenmerk


def berichten(env: Omgeving) -> list[uitgaand.Bericht]:
    return sorted(uitgaand.lijst(env.db), key=lambda b: b.id)


# ---------------------------------------------------------------------------------------------
# The pure rules.

def _orgaan(**kwargs: Any) -> Orgaan:
    leden = (Lid("Voorzitter", "voorzitter@grjr.example", LidRol.VOORZITTER, "GR"),
             Lid("Anna Opsteller", "anna@grjr.example", LidRol.LID, "GR"),
             Lid("Bert Lid", "bert@grjr.example", LidRol.LID, "GR"))
    return Orgaan(sleutel="team", naam="Team", afkorting="Team",
                  secretaris=Persoon("Secretaris", "secr@grjr.example"), leden=leden,
                  aanleveren_werkdagen=5, verzenden_dagen=7, **kwargs)


def _defs(*organen: Orgaan) -> Definities:
    return Definities(map=Path(), organen={o.sleutel: o for o in organen}, routes={})


def _vergadering(begin: datetime, punten: tuple[Punt, ...]) -> Bijeenkomst:
    return Bijeenkomst("team-20260309", "team", begin, "Rotterdam", False, punten)


def test_one_author_with_five_proposals_gets_one_mail_and_unknown_authors_go_to_the_secretary(
        ) -> None:
    begin = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)  # a Monday
    punten = (*(Punt(f"2026-00{i}", f"Plan {i}", "anna  OPSTELLER", "advies", "geagendeerd")
                for i in range(1, 6)),
              Punt("2026-009", "Los plan", "Iemand Anders", "besluit", "geagendeerd"))
    defs = _defs(_orgaan())
    moment = herinneringen.moment_aanleveren(defs.organen["team"], begin)
    # Aanleverdatum: 5 working days before Monday 9 March = Monday 2 March; 2 before: 26 Feb.
    assert moment == datetime(2026, 2, 26, 9, 0, tzinfo=TZ)
    due = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment, DAG)
    assert [(h.soort, h.aan.email) for h in due] == [
        (Soort.AANLEVEREN, "secr@grjr.example"), (Soort.AANLEVEREN, "anna@grjr.example")]
    secr, anna = due
    # The unknown author's reminder goes to the secretary once per proposal, whichever meeting
    # of its route asks: the key names the proposal, not the meeting (the outbox keeps one).
    assert secr.sleutel == "aanleveren:doorsturen:2026-009"
    # Documents in: no reminder to deliver them.
    binnen = tuple(replace(p, documenten=("Plan.pdf (versie 1)",)) for p in punten[:5])
    assert [h.aan.email for h in herinneringen.verschuldigd(
        defs, [_vergadering(begin, binnen)], moment, DAG)] == []
    assert anna.context["kenmerken"] == [f"2026-00{i}" for i in range(1, 6)]
    assert secr.context["voorstellen"] == []
    assert [v["opsteller"] for v in secr.context["door_te_sturen"]] == ["Iemand Anders"]
    assert anna.sleutel == "aanleveren:team-20260309@20260309T1000:anna@grjr.example"
    # A minute earlier nothing; after the catch-up period nothing; after the deadline nothing.
    assert herinneringen.verschuldigd(defs, [_vergadering(begin, punten)],
                                      moment - timedelta(minutes=1), DAG) == []
    assert herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment + DAG,
                                      DAG) == []
    later = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment + 5 * DAG,
                                       10 * DAG)
    assert Soort.AANLEVEREN not in {h.soort for h in later}


def test_an_authors_name_finds_the_first_body_in_key_order_and_only_asked_names_are_kept() -> None:
    """Two bodies share a member's name: the first in key order gives the address. The planner
    keeps the names it was asked for, not an index of every member of every body."""
    begin = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
    team = _orgaan()
    ander = replace(_orgaan(), sleutel="aa-ander", naam="Ander", leden=(
        Lid("Anna Opsteller", "anna@ander.example", LidRol.LID, "Ander"),
        *(Lid(f"Lid {i}", f"lid{i}@ander.example", LidRol.LID, "Ander") for i in range(50))))
    defs = _defs(team, ander)
    moment = herinneringen.moment_aanleveren(team, begin)
    punten = (Punt("2026-001", "Plan", "Anna Opsteller", "advies", "geagendeerd"),)
    due = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment, DAG)
    assert [h.aan.email for h in due] == ["anna@ander.example"]  # "aa-ander" < "team"
    boek = herinneringen.opstellers(defs, ())
    assert boek == {"anna opsteller": ander.leden[0]}
    # A later pass with a new author (and one nobody has) finds them without forgetting Anna.
    punten += (Punt("2026-002", "Ander plan", " lid  7 ", "advies", "geagendeerd"),
               Punt("2026-003", "Los plan", "Iemand Anders", "advies", "geagendeerd"))
    due = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment, DAG)
    assert sorted(h.aan.email for h in due) == ["anna@ander.example", "lid7@ander.example",
                                                "secr@grjr.example"]
    assert herinneringen.opstellers(defs, ()) == {"anna opsteller": ander.leden[0],
                                                  "lid 7": ander.leden[8],
                                                  "iemand anders": None}
    # New definitions (a new version) start afresh.
    assert herinneringen.opstellers(_defs(team), ["Anna Opsteller"]) == {
        "anna opsteller": team.leden[1]}


def test_members_get_one_agenda_mail_each_and_nothing_for_a_meeting_without_proposals() -> None:
    begin = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
    defs = _defs(_orgaan())
    orgaan = defs.organen["team"]
    moment = herinneringen.moment_agenda(orgaan, begin)
    assert moment == datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    punten = tuple(Punt(f"2026-00{i}", f"Plan {i}", "x", "advies", "geagendeerd",
                        documenten=("Notitie.pdf (versie 1)",)) for i in range(1, 4))
    alles = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment, DAG)
    due = [h for h in alles if h.soort is Soort.AGENDA]
    assert sorted(h.aan.email for h in due) == ["anna@grjr.example", "bert@grjr.example",
                                                "voorzitter@grjr.example"]
    # It is a Monday: the secretary's weekly digest, not an agenda mail.
    assert [(h.soort, h.aan.email) for h in alles if h not in due] == [
        (Soort.WEEKOVERZICHT, "secr@grjr.example")]
    assert due[0].context["voorstellen"][0]["documenten"] == ["Notitie.pdf (versie 1)"]
    leeg = herinneringen.verschuldigd(defs, [_vergadering(begin, ())], moment, DAG)
    assert leeg == []  # no overview about a meeting with nothing on it
    volledig = herinneringen.verschuldigd(defs, [_vergadering(begin, ())], moment, DAG,
                                          volledig=True)
    assert [h.soort for h in volledig] == [Soort.WEEKOVERZICHT]  # `[mail] overzicht = volledig`
    # A later pass that Monday: the overview already made is not composed (nor due) again.
    [overzicht] = [h for h in alles if h.soort is Soort.WEEKOVERZICHT]
    assert overzicht.sleutel == "weekoverzicht:2026-W10:secr@grjr.example"
    later = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment + UUR, DAG,
                                       gemaakt={overzicht.sleutel})
    assert Soort.WEEKOVERZICHT not in {h.soort for h in later}


def test_missing_documents_mail_only_when_documents_are_known_to_be_missing() -> None:
    begin = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)  # a Tuesday
    defs = _defs(_orgaan())
    moment = herinneringen.moment_verstreken(defs.organen["team"], begin)
    assert moment == datetime(2026, 3, 4, 9, 0, tzinfo=TZ)  # the day after Tuesday 3 March
    punten = (Punt("2026-001", "Zonder stukken", "Anna Opsteller", "advies", "geagendeerd",
                   documenten=()),
              Punt("2026-002", "Met stukken", "Anna Opsteller", "advies", "geagendeerd",
                   documenten=("Notitie.pdf (versie 1)",)),
              Punt("2026-003", "Onbekend", "Anna Opsteller", "advies", "geagendeerd",
                   documenten=None))
    due = herinneringen.verschuldigd(defs, [_vergadering(begin, punten)], moment, DAG)
    [h] = [h for h in due if h.soort is Soort.AANLEVERING_VERSTREKEN]
    assert h.context["kenmerken"] == ["2026-001"]


def test_a_meeting_with_only_planned_later_steps_sends_its_agenda_onder_voorbehoud() -> None:
    """Planned here while an earlier step still advises: authors are reminded, and the members
    get the agenda with the item on it onder voorbehoud (it used to be left out)."""
    begin = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)
    defs = _defs(_orgaan())
    orgaan = defs.organen["team"]
    m = _vergadering(begin, (Punt("2026-001", "Plan", "Anna Opsteller", "besluit", "gepland"),))
    assert [h.soort for h in herinneringen.verschuldigd(
        defs, [m], herinneringen.moment_aanleveren(orgaan, begin), DAG)] == [Soort.AANLEVEREN]
    agenda = [h for h in herinneringen.verschuldigd(
        defs, [m], herinneringen.moment_agenda(orgaan, begin), DAG)
        if h.soort is Soort.AGENDA]
    assert len(agenda) == 3
    assert [v["onder_voorbehoud"] for v in agenda[0].context["voorstellen"]] == [True]


def test_rules_switched_off_in_definities_send_nothing() -> None:
    regels = Herinneringsregels(opsteller_bij_verstreken_aanlevering=False,
                                leden_bij_verzending=False, leden_dag_ervoor=False,
                                secretariaat_na_vergadering=False, tijd=time(8, 30))
    orgaan = _orgaan(herinneringen=regels)
    begin = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
    m = _vergadering(begin, (Punt("2026-001", "Plan", "x", "advies", "geagendeerd"),))
    assert [s for s, _, _ in herinneringen.momenten(orgaan, m)] == [Soort.AANLEVEREN]
    assert herinneringen.momenten(orgaan, m)[0][1] == datetime(2026, 2, 26, 8, 30, tzinfo=TZ)


def test_day_before_coinciding_with_dispatch_is_one_mail() -> None:
    orgaan = _orgaan()
    orgaan = Orgaan(**{**{f: getattr(orgaan, f) for f in orgaan.__dataclass_fields__},
                       "verzenden_dagen": 1})
    m = _vergadering(datetime(2026, 3, 10, 10, 0, tzinfo=TZ), ())
    soorten = [s for s, _, _ in herinneringen.momenten(orgaan, m)]
    assert Soort.AGENDA in soorten and Soort.DAG_ERVOOR not in soorten


def test_dst_autumn_week_reminders_fire_at_local_nine_on_both_sides_of_the_change() -> None:
    orgaan = _orgaan()
    dinsdag = _vergadering(datetime(2026, 10, 27, 10, 0, tzinfo=TZ),
                           (Punt("2026-001", "Plan", "x", "advies", "geagendeerd"),))
    defs = _defs(orgaan)
    momenten = {s: m for s, m, _ in herinneringen.momenten(orgaan, dinsdag)}
    # Before the change (CEST, UTC+2) and after it (CET, UTC+1): both 09:00 local.
    assert momenten[Soort.AGENDA] == datetime(2026, 10, 20, 7, 0, tzinfo=UTC)
    assert momenten[Soort.DAG_ERVOOR] == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    # The agenda went out on the 20th (a late agenda would still be due until the meeting).
    verzonden = dataclasses.replace(dinsdag, agenda_verzonden=momenten[Soort.AGENDA])
    assert not herinneringen.verschuldigd(defs, [verzonden], datetime(2026, 10, 26, 7, 30,
                                                                      tzinfo=UTC), DAG)


# ---------------------------------------------------------------------------------------------
# Through the database, travelling in time.

def test_a_meeting_cycle_fires_each_reminder_exactly_once_at_its_moment(
        omgeving: Omgeving, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Programmateam of Monday 9 February 2026 10:00: two proposals, one with a known author."""
    a = agendeer(omgeving, "Plan A", "Beleidsadviseur jeugd BAR 1",
                 datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    b = agendeer(omgeving, "Plan B", "Onbekende Schrijver", datetime(2026, 1, 20, 10, 5, tzinfo=TZ))
    notitie = tmp_path / "Notitie Plan A.pdf"
    notitie.write_bytes(b"%PDF-1.4 notitie")
    from workflow.voorstellen import documenten

    stap = timedelta(hours=1)
    moment = datetime(2026, 1, 26, 0, 30, tzinfo=TZ)
    aangemaakt_in: dict[str, datetime] = {}
    while moment < datetime(2026, 2, 11, 0, 0, tzinfo=TZ):
        with time_machine.travel(moment, tick=False), \
                caplog.at_level(logging.INFO, logger="besluitroute.planner"):
            # Plan A's author delivers on Friday 30 January, after the reminder of the 29th.
            if moment == datetime(2026, 1, 30, 12, 30, tzinfo=TZ):
                documenten.registreer(omgeving, a, notitie, door="opsteller")
            ronde.ronde(omgeving)
            ronde.ronde(omgeving)  # a second wake-up at the same moment changes nothing
        for bericht in berichten(omgeving):
            aangemaakt_in.setdefault(bericht.sleutel, moment)
        moment += stap

    rijen = [r for r in berichten(omgeving) if r.vergadering == "programmateam-20260209"]
    per_soort = Counter(r.soort for r in rijen)
    assert per_soort == {"aanleveren": 2, "aanlevering-verstreken": 1, "agenda": 10,
                         "dag-ervoor": 10}
    assert {r.status for r in berichten(omgeving)} == {"verzonden"}
    # Each one at its moment (09:00 local), created within the hour after it.
    expected = {"aanleveren": datetime(2026, 1, 29, 9, 30, tzinfo=TZ),
                "aanlevering-verstreken": datetime(2026, 2, 3, 9, 30, tzinfo=TZ),
                "agenda": datetime(2026, 2, 4, 9, 30, tzinfo=TZ),
                "dag-ervoor": datetime(2026, 2, 6, 9, 30, tzinfo=TZ)}
    for r in rijen:
        assert aangemaakt_in[r.sleutel] == expected[r.soort], r.sleutel
    # Plan A has its document: only Plan B's (unknown) author is chased, via the secretary.
    [verstreken] = [r for r in rijen if r.soort == "aanlevering-verstreken"]
    assert verstreken.aan == ["kwartiermaker@grjr.example"]
    assert b in verstreken.onderwerp and "Onbekende Schrijver" in verstreken.tekst
    # The planner's log names the proposal a message is about (issue 32).
    assert f"aangemaakt: {verstreken.sleutel} (kenmerk {b})" in caplog.messages
    # The agenda lists the proposals with their documents.
    [agenda] = [r for r in rijen if r.soort == "agenda" and r.aan == ["jeugd1@bar.example"]]
    assert agenda.onderwerp == \
        "Agenda Programmateam regiovisie 9 februari 2026 (2026-001, 2026-002)"
    # The mail carries the agenda itself: Plan A under its role, with its document attached.
    assert "TER ADVISERING\n\n 5. 2026-001  Plan A" in agenda.tekst
    assert "Notitie Plan A.pdf (versie 1" in agenda.tekst and "(nog geen stukken)" in agenda.tekst
    assert "Hierbij de agenda (versie 1)" in agenda.tekst and "nog geen stukken" in agenda.html
    assert json.loads(agenda.bijlagen or "[]")[0]["naam"] == "Notitie Plan A.pdf"
    # Every sent message is one .eml file in uitgaand/.
    assert len(list(omgeving.uitgaand_map.glob("*.eml"))) == len(berichten(omgeving))


def test_secretariat_gets_a_weekly_digest_with_overdue_outcomes_instead_of_single_mails(
        omgeving: Omgeving) -> None:
    a = agendeer(omgeving, "Plan A", "Beleidsadviseur jeugd BAR 1",
                 datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    b = agendeer(omgeving, "Plan B", "Beleidsadviseur jeugd BAR 2",
                 datetime(2026, 1, 20, 10, 5, tzinfo=TZ))
    # Monday 2 February: the week of the deadline (3 Feb) and the dispatch (4 Feb).
    with time_machine.travel(datetime(2026, 2, 2, 9, 15, tzinfo=TZ), tick=False):
        ronde.maak_herinneringen(omgeving)
    [week6] = [r for r in berichten(omgeving) if r.soort == "weekoverzicht"
               and r.aan == ["kwartiermaker@grjr.example"]]
    assert week6.sleutel == "weekoverzicht:2026-W06:kwartiermaker@grjr.example"
    # Grouped per body: the programmateam's heading, then its deadline and dispatch.
    blok = week6.tekst.split("PROGRAMMATEAM REGIOVISIE\n")[1]
    assert blok.startswith("- maandag 2 februari 2026: aanleverdatum (vergadering 9 februari")
    assert "verzending agenda (vergadering 9 februari 2026 10:00): 2026-001, 2026-002" in blok
    assert "zonder uitkomst" not in week6.tekst

    # The meeting of 9 February passes; A gets its advice, B nothing.
    with time_machine.travel(datetime(2026, 2, 9, 12, 0, tzinfo=TZ), tick=False):
        uitkomsten.advies(omgeving, a, Uitkomst.POSITIEF, "Akkoord", door="s")
    with time_machine.travel(datetime(2026, 2, 16, 9, 5, tzinfo=TZ), tick=False):
        ronde.maak_herinneringen(omgeving)
        ronde.maak_herinneringen(omgeving)
    week8 = [r for r in berichten(omgeving) if r.sleutel ==
             "weekoverzicht:2026-W08:kwartiermaker@grjr.example"]
    assert len(week8) == 1
    tekst = week8[0].tekst
    assert "Vergaderd, maar nog zonder uitkomst:" in tekst
    assert f"{b} Plan B" in tekst and f"{a} Plan A" not in tekst.split("zonder uitkomst")[1]
    assert b in week8[0].onderwerp
    # No single "overdue" mails exist: the digest is the only mail to the secretariat about it.
    assert not [r for r in berichten(omgeving) if r.soort not in
                {s.value for s in Soort}]


def test_dst_week_reminders_fire_at_local_time_through_the_database(
        omgeving: Omgeving) -> None:
    """College of Tuesday 27 October 2026 09:30; summer time ends Sunday 25 October."""
    agendeer(omgeving, "Raadsvoorstel jeugd", "Wethouder jeugd",
             datetime(2026, 10, 19, 10, 0, tzinfo=TZ), route="gemeente-raadsvoorstel")

    def soorten_na(moment: datetime) -> set[str]:
        with time_machine.travel(moment, tick=False):
            ronde.maak_herinneringen(omgeving)
        return {r.soort for r in berichten(omgeving) if r.vergadering == "college-20261027"}

    # Dispatch: Friday 23 October 09:00 CEST = 07:00 UTC.
    assert "agenda" not in soorten_na(datetime(2026, 10, 23, 6, 59, tzinfo=UTC))
    assert "agenda" in soorten_na(datetime(2026, 10, 23, 7, 0, tzinfo=UTC))
    # Day before: Monday 26 October 09:00 CET = 08:00 UTC (not 07:00: that would be summer time).
    assert "dag-ervoor" not in soorten_na(datetime(2026, 10, 26, 7, 0, tzinfo=UTC))
    assert "dag-ervoor" in soorten_na(datetime(2026, 10, 26, 8, 0, tzinfo=UTC))
    dag_ervoor = [r for r in berichten(omgeving) if r.soort == "dag-ervoor"]
    assert len(dag_ervoor) == 4  # the college's four members, once each
    assert all("dinsdag 27 oktober 2026 om 09:30" in r.onderwerp for r in dag_ervoor)


def test_a_moved_meeting_leaves_no_stale_reminders(omgeving: Omgeving) -> None:
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering

    agendeer(omgeving, "Plan A", "Beleidsadviseur jeugd BAR 1",
             datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    # The agenda mails are made at the dispatch moment, but not yet sent (say SMTP is slow).
    with time_machine.travel(datetime(2026, 2, 4, 9, 5, tzinfo=TZ), tick=False):
        ronde.maak_herinneringen(omgeving)
    oud = [r for r in berichten(omgeving) if r.soort == "agenda"]
    assert len(oud) == 10 and {r.status for r in oud} == {"wachtend"}

    # The secretariat moves the meeting a week later (the calendar's act; here on the row).
    with omgeving.db.schrijf() as session:
        v = session.scalar(select(Vergadering).where(
            Vergadering.sleutel == "programmateam-20260209"))
        assert v is not None
        v.begin = datetime(2026, 2, 16, 14, 0, tzinfo=TZ)
        v.handmatig, v.volgnummer = True, v.volgnummer + 1

    with time_machine.travel(datetime(2026, 2, 4, 9, 10, tzinfo=TZ), tick=False):
        verslag = ronde.ronde(omgeving)
    assert verslag.vervallen == 10 and verslag.verzonden == 0 and verslag.aangemaakt == 0
    assert {r.status for r in berichten(omgeving) if r.soort == "agenda"} == {"vervallen"}

    # The new cycle: agenda at the new dispatch moment (Wednesday 11 February 09:00), once.
    for moment in (datetime(2026, 2, 11, 8, 55, tzinfo=TZ), datetime(2026, 2, 11, 9, 5, tzinfo=TZ),
                   datetime(2026, 2, 11, 11, 0, tzinfo=TZ)):
        with time_machine.travel(moment, tick=False):
            ronde.ronde(omgeving)
    nieuw = [r for r in berichten(omgeving) if r.soort == "agenda" and r.status == "verzonden"]
    assert len(nieuw) == 10
    assert all("16 februari 2026" in r.onderwerp for r in nieuw)
    assert all("@20260216T1400:" in r.sleutel for r in nieuw)
    assert not [r for r in berichten(omgeving) if r.status == "wachtend"]


def test_catch_up_after_downtime_sends_once_within_the_grace_period_and_not_after(
        omgeving: Omgeving) -> None:
    agendeer(omgeving, "Plan A", "Beleidsadviseur jeugd BAR 1",
             datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    # Down from before the dispatch (4 Feb 09:00) until 4 Feb 20:00: caught up, once.
    with time_machine.travel(datetime(2026, 2, 4, 20, 0, tzinfo=TZ), tick=False):
        first = ronde.ronde(omgeving, timedelta(hours=12))
        second = ronde.ronde(omgeving, timedelta(hours=12))
    assert first.aangemaakt == 10 and second.aangemaakt == 0
    # The day-before reminder (6 Feb 09:00) is missed by 13 hours, beyond the grace: its purpose
    # stands until the meeting begins (9 Feb 10:00), so the members get it late, once each.
    with time_machine.travel(datetime(2026, 2, 6, 22, 0, tzinfo=TZ), tick=False):
        late = ronde.ronde(omgeving, timedelta(hours=12))
        again = ronde.ronde(omgeving, timedelta(hours=12))
    assert late.aangemaakt == 10 and again.aangemaakt == 0
    assert {r.soort for r in berichten(omgeving)
            if r.aangemaakt_op and r.sleutel.startswith("dag-ervoor")} == {"dag-ervoor"}
    # Once the meeting has begun nothing more is made for it (only Monday's weekly overviews).
    with time_machine.travel(datetime(2026, 2, 9, 10, 30, tzinfo=TZ), tick=False):
        ronde.ronde(omgeving, timedelta(hours=12))
    assert {r.soort for r in berichten(omgeving) if r.aangemaakt_op and
            r.volgende_poging >= datetime(2026, 2, 9, 10, 0, tzinfo=TZ)} == {"weekoverzicht"}


def test_hostile_title_cannot_inject_a_header_into_a_reminder(omgeving: Omgeving) -> None:
    titel = "Plan\r\nBcc: slachtoffer@evil.example\nX-Kwaad: ja"
    with pytest.raises(GebruikersFout, match="de titel moet op één regel staan"):
        agendeer(omgeving, titel, "Beleidsadviseur jeugd BAR 1",
                 datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    # A title stored before that rule existed still cannot inject a header.
    kenmerk = agendeer(omgeving, "Plan", "Beleidsadviseur jeugd BAR 1",
                       datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    with omgeving.db.schrijf() as session:
        session.execute(update(Voorstel).where(Voorstel.kenmerk == kenmerk).values(titel=titel))
    with time_machine.travel(datetime(2026, 1, 29, 9, 5, tzinfo=TZ), tick=False):
        ronde.ronde(omgeving)
    [eml] = sorted(omgeving.uitgaand_map.glob("*.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert msg["Bcc"] is None and msg["X-Kwaad"] is None
    assert msg["To"] == "jeugd1@bar.example"
    assert "\n" not in msg["Subject"] and "Plan Bcc: slachtoffer@evil.example" in msg["Subject"]
    # The HTML body escapes the title, the text body keeps it as text.
    assert "<script>" not in msg.get_body(("html",)).get_content()


def test_html_body_escapes_a_title(omgeving: Omgeving) -> None:
    agendeer(omgeving, "<script>alert(1)</script> & co", "Beleidsadviseur jeugd BAR 1",
             datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    with time_machine.travel(datetime(2026, 1, 29, 9, 5, tzinfo=TZ), tick=False):
        ronde.maak_herinneringen(omgeving)
    [r] = berichten(omgeving)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in r.html
    assert "<script>alert(1)</script> & co" in r.tekst


def test_herinneringen_verstuur_delivers_to_a_real_smtp_server(
        besluitroute: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_mail import SmtpOntvanger

    server = SmtpOntvanger().start()
    try:
        monkeypatch.setenv("BESLUITROUTE_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("BESLUITROUTE_SMTP_PORT", str(server.port))
        monkeypatch.setenv("BESLUITROUTE_SMTP_BEVEILIGING", "geen")
        monkeypatch.setenv("BESLUITROUTE_AFZENDER", "secretariaat@grjr.example")
        assert besluitroute("init").exit_code == 0
        for titel, opsteller in (("Plan A", "Beleidsadviseur jeugd BAR 1"),
                                 ("Plan B", "Beleidsadviseur jeugd BAR 1"),
                                 ("Plan C", "Beleidsadviseur jeugd Vlaardingen")):
            r = besluitroute("voorstel", "indienen", "--titel", titel, "--route",
                             "grjr-procesvoorstel", "--opsteller", opsteller,
                             "--beslispunt", "Instemmen", nu="2026-01-20T10:00")
            assert r.exit_code == 0, r.stderr
            kenmerk = r.stdout.strip()
            r = besluitroute("voorstel", "agenderen", kenmerk, nu="2026-01-20T10:00")
            assert r.exit_code == 0, r.stderr
        result = besluitroute("herinneringen", "verstuur", nu="2026-01-29T09:30")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("2 bericht(en) aangemaakt, 2 verzonden")
        assert sorted(rcpt[0] for rcpt, _ in server.berichten) == \
            ["jeugd1@bar.example", "jeugd@vlaardingen.example"]
        msg = next(m for rcpt, m in server.berichten if rcpt == ["jeugd1@bar.example"])
        assert msg["Subject"] == ("Herinnering: stukken aanleveren voor het Programmateam regiovisie "
                                  "van 9 februari 2026 (2026-001, 2026-002)")
        body = msg.get_body(("plain",)).get_content()
        assert "Beste Beleidsadviseur jeugd BAR 1" in body
        assert "2026-001 Plan A" in body and "2026-002 Plan B" in body
        assert "dinsdag 3 februari 2026" in body or "maandag 2 februari 2026" in body
        # Run again at the same moment (cron twice): nothing new.
        again = besluitroute("herinneringen", "verstuur", nu="2026-01-29T09:45")
        assert again.stdout.startswith("0 bericht(en) aangemaakt, 0 verzonden")
        assert len(server.berichten) == 2
        lijst = besluitroute("berichten", "lijst")
        assert lijst.exit_code == 0 and "verzonden" in lijst.stdout
    finally:
        server.stop()


def test_due_reminder_query_over_many_rows(omgeving: Omgeving,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Not a threshold: prints how long one pass's 'what is due' takes over 2000 agenda items."""
    import time as _time

    from workflow.kalender import vergaderingen
    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    nu = datetime(2026, 2, 4, 9, 5, tzinfo=TZ)
    with time_machine.travel(nu, tick=False), omgeving.db.schrijf() as session:
        vergaderingen.synchroniseer(session, omgeving.definities)
        session.flush()
        from sqlalchemy import select

        meetings = list(session.scalars(select(Vergadering).where(
            Vergadering.begin >= nu - timedelta(days=40), Vergadering.begin < nu +
            timedelta(days=80))))
        for i in range(2000):
            v = meetings[i % len(meetings)]
            voorstel = Voorstel(kenmerk=f"2026-{i + 1:04d}", titel=f"Voorstel {i}",
                                opsteller=f"Auteur {i % 50}", route="grjr-procesvoorstel",
                                toestand="programmateam:geagendeerd", ingediend_op=nu,
                                gewijzigd_op=nu, vergadering_id=v.id)
            session.add(voorstel)
            session.flush()
            session.add(Agendapunt(vergadering_id=v.id, voorstel_id=voorstel.id,
                                   stap="programmateam", rol="advies", status="geagendeerd",
                                   nagekomen=False, aangemaakt_op=nu))
    with time_machine.travel(nu, tick=False):
        t0 = _time.perf_counter()
        with omgeving.db.lees() as session:
            ms = ronde.laad_bijeenkomsten(session, nu - ronde.TERUG, nu + ronde.VOORUIT)
        t1 = _time.perf_counter()
        due = herinneringen.verschuldigd(omgeving.definities, ms, nu, DAG)
        t2 = _time.perf_counter()
        verslag = ronde.maak_herinneringen(omgeving)
        t3 = _time.perf_counter()
        again = ronde.maak_herinneringen(omgeving)
        t4 = _time.perf_counter()
    assert verslag.aangemaakt == len(due) and again.aangemaakt == 0
    with capsys.disabled():
        print(f"\n[meting] {omgeving.db.engine.dialect.name}: 2000 agendapunten, "
              f"{len(ms)} vergaderingen: laden {1000 * (t1 - t0):.0f} ms, bepalen "
              f"{1000 * (t2 - t1):.0f} ms ({len(due)} verschuldigd); eerste ronde met renderen "
              f"{1000 * (t3 - t2):.0f} ms, herhaalde ronde {1000 * (t4 - t3):.0f} ms")
