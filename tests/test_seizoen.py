"""The secretariat's real week: seed 002 replayed day by day, and a planner down over a weekend."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import time_machine

from workflow.basis import clock
from workflow.berichten import ronde, uitgaand
from workflow.omgeving import Omgeving
from workflow.voorstellen import indienen

TZ = clock.TZ

ORGANEN = {"programmateam": "Programmateam", "stuurgroep-transformatie": "Stuurgroep",
           "aoj": "AOJ", "ab-platform-jeugd": "AB platform jeugd"}


def berichten(env: Omgeving) -> list[uitgaand.Bericht]:
    return sorted(uitgaand.lijst(env.db, limiet=100_000), key=lambda b: b.id)


def test_seed_002_every_member_of_all_four_bodies_gets_the_agenda_and_the_aoj_an_aanvulling(
        omgeving: Omgeving, tmp_path: Path, monkeypatch) -> None:
    for key in ("HOST", "PORT"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)
    from workflow.cli.demo import _walk

    try:
        _walk(omgeving, tmp_path)  # agenda genereer + herinneringen each weekday, outcomes
    finally:
        clock.act_as(None)
    rijen = berichten(omgeving)
    per_orgaan: dict[str, list[uitgaand.Bericht]] = {}
    for r in rijen:
        if r.vergadering:
            per_orgaan.setdefault(r.vergadering.rsplit("-", 1)[0], []).append(r)
    defs = omgeving.definities
    for sleutel in ("programmateam", "stuurgroep-transformatie", "aoj", "ab-platform-jeugd"):
        orgaan = defs.organen[sleutel]
        agendas = [r for r in per_orgaan.get(sleutel, []) if r.soort == "agenda"]
        leden = {lid.email for lid in orgaan.leden}
        # Every member, once, before the meeting, with the proposal on it.
        assert {r.ontvangers for r in agendas} == leden, sleutel
        assert len(agendas) == len(leden), sleutel
        for r in agendas:
            assert r.status == "verzonden"
            assert r.vergadering_begin is not None and r.volgende_poging < r.vergadering_begin
            assert "2021-001" in r.onderwerp and "2021-001  Procesvoorstel" in r.tekst

    aoj = per_orgaan["aoj"]
    [agenda_aoj] = [r for r in aoj if r.soort == "agenda"][:1]
    # Sent on 18 June while the Stuurgroep still had to advise (23 June): onder voorbehoud.
    assert "onder voorbehoud van het advies van de Stuurgroep transformatie van 23 juni 2021" \
        in " ".join(agenda_aoj.tekst.split())
    assert "onder voorbehoud" in agenda_aoj.html
    # The Stuurgroep's advice on 23 June: one aanvulling per AOJ member, without the reservation.
    aanvullingen = [r for r in aoj if r.soort == "aanvulling"]
    assert Counter(r.ontvangers for r in aanvullingen) == Counter(
        {lid.email: 1 for lid in defs.organen["aoj"].leden})
    eerste = aanvullingen[0]
    assert "het voorbehoud is vervallen" in eerste.tekst
    assert "onder voorbehoud van het advies" not in " ".join(
        eerste.tekst.split("Hieronder de nieuwe agenda")[1].split())
    # The mail names the agenda file's version, and that file exists.
    assert "(versie 2" in eerste.onderwerp
    assert list((omgeving.uitgaand_map / "agendas").glob("agenda-aoj-2021-06-24-*-v2.html"))
    # Agenda mails attach the registered documents and come from the body's secretary.
    from email import message_from_bytes, policy

    eml = next(p for p in sorted(omgeving.uitgaand_map.glob("*-agenda.eml")))
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    bijlagen = sorted(p.get_filename() for p in msg.iter_attachments())
    assert bijlagen == ["plan-van-aanpak-clientparticipatie.txt", "praatplaat-regiovisie.txt"]
    assert msg.get_body(("html",)) is not None and "<h1>Agenda" in str(
        msg.get_body(("html",)).get_content())
    # Date in Amsterdam time (the moment acted as, here the travelled clock), From the secretary.
    verstuurd = msg["Date"].datetime
    assert verstuurd.utcoffset() == verstuurd.astimezone(TZ).utcoffset() != timedelta(0)
    assert "localhost" not in msg["From"] and "@grjr.example" in msg["From"]
    assert not msg["Subject"].startswith(" ")


def test_planner_down_from_friday_to_sunday_still_sends_the_day_before_and_reports_the_nudge(
        omgeving: Omgeving, monkeypatch) -> None:
    for key in ("HOST", "PORT"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)

    def agendeer(titel: str, route: str, opsteller: str, moment: datetime) -> str:
        with time_machine.travel(moment, tick=False):
            kenmerk = indienen.indienen(omgeving, titel=titel, route=route,
                                          opsteller=opsteller, door="secretariaat",
                                          beslispunten=("Instemmen",))
            indienen.agenderen(omgeving, kenmerk, door="secretariaat")
        return kenmerk

    # Programmateam meets Monday 9 February 2026 10:00 (day-before: Friday 6 February 09:00).
    agendeer("Plan A", "grjr-procesvoorstel", "Beleidsadviseur jeugd BAR 1",
             datetime(2026, 1, 20, 10, 0, tzinfo=TZ))
    # The college of 17 February: its authors are nudged on Friday 6 February 09:00 too.
    college = agendeer("Raadsvoorstel jeugd", "gemeente-raadsvoorstel", "Wethouder jeugd",
                       datetime(2026, 2, 4, 10, 0, tzinfo=TZ))

    def pass_at(moment: datetime) -> None:
        with time_machine.travel(moment, tick=False):
            ronde.ronde(omgeving)

    for dag in (2, 3, 4, 5):
        pass_at(datetime(2026, 2, dag, 9, 5, tzinfo=TZ))
    pass_at(datetime(2026, 2, 6, 8, 55, tzinfo=TZ))  # the last pass before the planner stops
    assert not [r for r in berichten(omgeving) if r.soort == "dag-ervoor"]
    # Down from Friday 09:00 until Sunday 12:00.
    pass_at(datetime(2026, 2, 8, 12, 0, tzinfo=TZ))
    rijen = berichten(omgeving)
    dag_ervoor = [r for r in rijen if r.soort == "dag-ervoor"
                  and r.vergadering == "programmateam-20260209"]
    leden = {lid.email for lid in omgeving.definities.organen["programmateam"].leden}
    assert {r.ontvangers for r in dag_ervoor} == leden and {r.status for r in dag_ervoor} == {"verzonden"}
    [nudge] = [r for r in rijen if r.soort == "aanleveren" and r.vergadering == "college-20260217"]
    assert nudge.status == "overgeslagen" and "Niet verzonden: aanleveren" in nudge.onderwerp
    assert college
    assert not list(p for p in omgeving.uitgaand_map.glob("*.eml")
                    if p.name.startswith(f"{nudge.id:06d}-"))

    # Monday 09:00: the college secretariat's weekly overview lists the skipped nudge.
    pass_at(datetime(2026, 2, 9, 9, 5, tzinfo=TZ))
    secretaris = omgeving.definities.organen["college"].secretaris.email
    [overzicht] = [r for r in berichten(omgeving) if r.soort == "weekoverzicht"
                   and r.aan == [secretaris] and "2026-W07" in r.sleutel]
    assert "NIET VERZONDEN" in overzicht.tekst
    assert f"aanleveren aan {nudge.ontvangers}" in overzicht.tekst
    # The day-before mail went once: nothing more for the members on Monday.
    assert len([r for r in berichten(omgeving) if r.soort == "dag-ervoor"]) == len(leden)


def test_missing_documents_moment_is_a_working_day() -> None:
    """'Aanlevering verstreken' was scheduled on Saturday 23 January 2027 in one run."""
    from workflow.berichten import herinneringen
    from workflow.definities import ritme

    env = Omgeving(definities_map=Path(__file__).parent.parent / "definities",
                   sjablonen_map=None, database_url="sqlite://", uitgaand_map=Path("."))
    gezien = 0
    for orgaan in env.definities.organen.values():
        for m in ritme.vergaderingen(orgaan):
            for moment in (herinneringen.moment_verstreken(orgaan, m.begin),
                           herinneringen.moment_aanleveren(orgaan, m.begin),
                           herinneringen.moment_agenda(orgaan, m.begin),
                           herinneringen.moment_dag_ervoor(orgaan, m.begin)):
                assert ritme.is_werkdag(moment.astimezone(TZ).date()), (orgaan.sleutel, moment)
                gezien += 1
    assert gezien > 100
