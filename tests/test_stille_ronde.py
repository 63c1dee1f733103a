"""A planner's quiet passes: every few minutes a pass with nothing new must cost next to nothing,
and still the first change after any number of quiet passes reaches the members.

A pass keeps what it read and concluded while the database's change stamp stands still
(workflow.berichten.stempel); these stories change the data through each of the secretariat's
acts between quiet passes at one and the same moment, and count the aanvullingen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import event, select, update

from workflow.basis import clock
from workflow.berichten import herinneringen, ronde, uitgaand
from workflow.berichten.herinneringen import Bijeenkomst, Punt, Soort
from workflow.definities.model import Definities, Herinneringsregels, Orgaan, Persoon
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering, Voorstel
from workflow.voorstellen import correcties, documenten, indienen, vergaderwijziging

TZ = clock.TZ
#: The Programmateam of 9 February 2026: its agenda goes out on Wednesday 4 February, 09:00.
VERZENDDAG = datetime(2026, 2, 4, 9, 5, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _geen_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("HOST", "PORT", "BEVEILIGING", "GEBRUIKER", "WACHTWOORD"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)


def agendeer(env: Omgeving, titel: str) -> str:
    with time_machine.travel(datetime(2026, 1, 20, 10, 0, tzinfo=TZ), tick=False):
        kenmerk = indienen.indienen(env, titel=titel, route="grjr-procesvoorstel",
                                    opsteller="Beleidsadviseur jeugd BAR 1",
                                    door="secretariaat", beslispunten=("Instemmen",))
        indienen.agenderen(env, kenmerk, door="secretariaat")
    return kenmerk


def pas(env: Omgeving, moment: datetime) -> ronde.Rondeverslag:
    with time_machine.travel(moment, tick=False):
        return ronde.ronde(env)


def soorten(env: Omgeving) -> dict[str, int]:
    tel: dict[str, int] = {}
    for b in uitgaand.lijst(env.db, limiet=10_000):
        tel[b.soort] = tel.get(b.soort, 0) + 1
    return tel


@pytest.fixture
def verzonden_agenda(omgeving: Omgeving) -> Iterator[tuple[Omgeving, str, str]]:
    """Two proposals on the Programmateam of 9 February, its agenda sent to the ten members,
    then quiet passes (the first compares every sent agenda, the next keep that)."""
    eerste, tweede = agendeer(omgeving, "Plan A"), agendeer(omgeving, "Plan B")
    verslag = pas(omgeving, VERZENDDAG)
    assert verslag.verzonden == 10 and soorten(omgeving) == {"agenda": 10}
    for minuten in (5, 10, 15):
        assert pas(omgeving, VERZENDDAG + timedelta(minutes=minuten)).aangemaakt == 0
    yield omgeving, eerste, tweede
    clock.act_as(None)


def _document(tmp_path: Path) -> Path:
    pad = tmp_path / "raadsvoorstel.txt"
    pad.write_text("Het raadsvoorstel, definitief.\n", encoding="utf-8")
    return pad


def _vergadering_id(env: Omgeving) -> int:
    with env.db.lees() as session:
        vid = session.scalar(select(Vergadering.id).where(
            Vergadering.sleutel == "programmateam-20260209"))
    assert vid is not None
    return vid


#: Each of the secretariat's acts that changes what the members were sent.
HANDELINGEN: dict[str, Callable[[Omgeving, str, str, Path], None]] = {
    "titel gecorrigeerd": lambda env, k, _t, _p: correcties.wijzig(
        env, k, door="secretariaat", titel="Plan A, herzien"),
    "document geregistreerd": lambda env, k, _t, p: documenten.registreer(
        env, k, _document(p), door="secretariaat"),
    "voorstel ingetrokken": lambda env, _k, t, _p: indienen.intrekken(
        env, t, "dubbel ingediend", door="secretariaat"),
    "vergadering verplaatst": lambda env, _k, _t, _p: vergaderwijziging.verplaats(
        env, _vergadering_id(env), datetime(2026, 2, 9, 14, 0, tzinfo=TZ), door="secretariaat"),
}


@pytest.mark.parametrize("handeling", sorted(HANDELINGEN))
def test_the_first_change_after_quiet_passes_reaches_every_member_once(
        verzonden_agenda: tuple[Omgeving, str, str], handeling: str, tmp_path: Path) -> None:
    env, eerste, tweede = verzonden_agenda
    with time_machine.travel(VERZENDDAG + timedelta(minutes=17), tick=False):
        HANDELINGEN[handeling](env, eerste, tweede, tmp_path)
    # Same day, minutes later: the kept conclusions must not hide the change.
    verslag = pas(env, VERZENDDAG + timedelta(minutes=20))
    assert verslag.aangemaakt == 10, handeling
    assert soorten(env) == {"agenda": 10, "aanvulling": 10}
    # And once only: the passes after it are quiet again.
    for minuten in (25, 30, 35):
        assert pas(env, VERZENDDAG + timedelta(minutes=minuten)).aangemaakt == 0
    assert soorten(env) == {"agenda": 10, "aanvulling": 10}


def test_a_quiet_pass_reads_the_change_stamp_not_the_agendas_or_the_outbox(
        verzonden_agenda: tuple[Omgeving, str, str]) -> None:
    env, _, _ = verzonden_agenda
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(env.db.engine, "before_cursor_execute", record)
    try:
        with time_machine.travel(VERZENDDAG + timedelta(minutes=20), tick=False):
            assert ronde.maak_herinneringen(env).aangemaakt == 0
    finally:
        event.remove(env.db.engine, "before_cursor_execute", record)
    # No agenda items, proposals, documents or snapshots are read, no pending mail scanned:
    # what the pass reads does not grow with the meetings whose agenda went out.
    gelezen = [s for s in statements if s.upper().startswith("SELECT")]
    for tabel in ("agendapunt", "voorstel", "agendaverzending", "bijlage.voorstel_id"):
        assert not [s for s in gelezen if f"FROM {tabel}" in s or f"JOIN {tabel}" in s], tabel
    assert not [s for s in gelezen if "bericht.status" in s and "FROM bericht" in s]
    assert len(gelezen) <= 8, gelezen


def test_a_change_that_bypasses_every_act_is_still_found_within_the_hour(
        verzonden_agenda: tuple[Omgeving, str, str]) -> None:
    env, eerste, _ = verzonden_agenda
    # A title changed straight in the database: no history row, no change number.
    with env.db.schrijf() as session:
        session.execute(update(Voorstel).where(Voorstel.kenmerk == eerste)
                        .values(titel="Plan A (in de database gewijzigd)"))
    # Within the hour the kept comparison stands (the stamp cannot see this change) ...
    assert pas(env, VERZENDDAG + timedelta(minutes=40)).aangemaakt == 0
    # ... and an hour after the last full comparison the pass compares every agenda again.
    assert pas(env, VERZENDDAG + timedelta(minutes=5, hours=1)).aangemaakt == 10
    aanvulling = next(b for b in uitgaand.lijst(env.db) if b.soort == "aanvulling")
    assert "in de database gewijzigd" in aanvulling.tekst


def test_a_meeting_moved_between_quiet_passes_lapses_its_pending_mail(
        omgeving: Omgeving) -> None:
    agendeer(omgeving, "Plan A")
    # Made at the dispatch moment, not yet sent (no sending in maak_herinneringen).
    for minuten in (5, 10, 15):
        with time_machine.travel(VERZENDDAG + timedelta(minutes=minuten), tick=False):
            ronde.maak_herinneringen(omgeving)
    with time_machine.travel(VERZENDDAG + timedelta(minutes=17), tick=False):
        vergaderwijziging.verplaats(omgeving, _vergadering_id(omgeving),
                                    datetime(2026, 2, 16, 14, 0, tzinfo=TZ), door="secretariaat")
    verslag = pas(omgeving, VERZENDDAG + timedelta(minutes=20))
    assert verslag.vervallen == 10 and verslag.verzonden == 0
    assert {b.status for b in uitgaand.lijst(omgeving.db)} == {"vervallen"}


def test_a_weekly_overview_with_nothing_to_say_speaks_up_once_there_is_something(
        omgeving: Omgeving) -> None:
    # Monday 2 February 2026: the AOJ has no meeting, deadline or dispatch this week, so its
    # secretary gets no overview, however many passes run that morning.
    maandag = datetime(2026, 2, 2, 9, 5, tzinfo=TZ)
    aoj = omgeving.definities.organen["aoj"].secretaris.email

    def overzichten() -> list[uitgaand.Bericht]:
        return [b for b in uitgaand.lijst(omgeving.db) if b.soort == "weekoverzicht"]

    for minuten in (0, 5, 10):
        pas(omgeving, maandag + timedelta(minutes=minuten))
    assert overzichten() and aoj not in {b.ontvangers for b in overzichten()}
    # The secretariat adds an extra AOJ meeting on Thursday, with nothing on it: still no
    # overview about nothing; with `[mail] overzicht = volledig` the next pass of the same Monday
    # composes the overview that now lists that meeting.
    with time_machine.travel(maandag + timedelta(minutes=12), tick=False):
        vergaderwijziging.voeg_toe(omgeving, "aoj", datetime(2026, 2, 5, 14, 0, tzinfo=TZ),
                                   plaats=None, titel="Extra AOJ", door="secretariaat")
    pas(omgeving, maandag + timedelta(minutes=13))
    assert aoj not in {b.ontvangers for b in overzichten()}
    omgeving.config["mail"] = {"overzicht": "volledig"}
    with time_machine.travel(maandag + timedelta(minutes=14), tick=False):
        vergaderwijziging.voeg_toe(omgeving, "aoj", datetime(2026, 2, 6, 14, 0, tzinfo=TZ),
                                   plaats=None, titel="Tweede extra AOJ", door="secretariaat")
    pas(omgeving, maandag + timedelta(minutes=15))
    [voor_aoj] = [b for b in overzichten() if b.aan == [aoj]]
    assert "5 februari 2026" in voor_aoj.tekst


# ---------------------------------------------------------------------------------------------
# The lead: a pass reads only the meetings whose reminders can fall in its window.

def _orgaan(sleutel: str, aanleveren: int, verzenden: int, opsteller: int) -> Orgaan:
    secretaris = Persoon("Secretaris", f"secretaris@{sleutel}.example")
    return Orgaan(sleutel=sleutel, naam=sleutel, afkorting=sleutel[:3].upper(),
                  secretaris=secretaris, leden=(), aanleveren_werkdagen=aanleveren,
                  verzenden_dagen=verzenden,
                  herinneringen=Herinneringsregels(opsteller_werkdagen_voor_aanlevering=opsteller,
                                                   tijd=time(17, 30)))


@pytest.mark.parametrize("aanleveren,verzenden,opsteller", [
    (0, 0, 0), (1, 1, 1), (5, 7, 2), (10, 14, 5), (25, 30, 10), (60, 3, 0)])
def test_no_reminder_falls_further_before_its_meeting_than_the_lead(
        aanleveren: int, verzenden: int, opsteller: int) -> None:
    orgaan = _orgaan("raad", aanleveren, verzenden, opsteller)
    definities = Definities(map=Path(), organen={"raad": orgaan}, routes={})
    lead = herinneringen.vooruitloop(definities)
    punt = Punt("2026-001", "Plan", "Opsteller", "besluit", "geagendeerd")
    # Every morning of four years: Christmas, Easter, Whitsun, King's Day and the weekends.
    dag = date(2025, 1, 1)
    while dag < date(2029, 1, 1):
        begin = datetime.combine(dag, time(8, 0), TZ)
        m = Bijeenkomst(f"raad-{dag:%Y%m%d}", "raad", begin, punten=(punt,))
        for soort, moment, _ in herinneringen.momenten(orgaan, m):
            assert begin - moment <= lead, (soort, dag, begin - moment, lead)
        dag += timedelta(days=1)


def test_a_pass_after_downtime_reads_back_to_the_previous_pass(omgeving: Omgeving) -> None:
    """A planner down from Friday to Wednesday: the pass reads from Friday on, and records
    the reminders that fell in between as skipped (the window is not only 'from now')."""
    agendeer(omgeving, "Plan A")
    pas(omgeving, datetime(2026, 1, 30, 17, 0, tzinfo=TZ))  # Friday
    pas(omgeving, datetime(2026, 2, 11, 9, 5, tzinfo=TZ))  # the Wednesday after the meeting
    overgeslagen = [b for b in uitgaand.lijst(omgeving.db) if b.status == "overgeslagen"]
    assert {b.soort for b in overgeslagen} >= {Soort.AGENDA.value}
    assert all(b.vergadering == "programmateam-20260209" for b in overgeslagen)


def test_a_new_member_leaves_every_agenda_fingerprint_alone_a_renamed_body_changes_them(
        ) -> None:
    """No agenda shows the members: a version that only adds one must not make the next pass
    compose every sent agenda again. What an agenda does show (a body's name, its fixed items)
    changes the fingerprint, once."""
    from dataclasses import replace
    from types import SimpleNamespace

    from workflow.basis.paden import meegeleverd
    from workflow.berichten import agendapost
    from workflow.definities import lezen
    from workflow.definities.model import Lid, LidRol

    defs = lezen.load(meegeleverd("definities"))
    aoj = defs.organen["aoj"]

    def afdruk(organen: dict[str, Orgaan]) -> str:
        return agendapost._definities_afdruk(
            SimpleNamespace(definities=replace(defs, organen=organen)))  # type: ignore[arg-type]

    eerst = afdruk(dict(defs.organen))
    nieuw_lid = replace(aoj, leden=(*aoj.leden, Lid("Nieuw Lid", "nieuw@grjr.example",
                                                     LidRol.LID, "Capelle")))
    assert afdruk({**defs.organen, "aoj": nieuw_lid}) == eerst
    assert afdruk({**defs.organen, "aoj": replace(aoj, naam="AOJ nieuw")}) != eerst
    assert afdruk({**defs.organen, "aoj": replace(aoj, vaste_punten_na=("Sluiting",))}) != eerst
