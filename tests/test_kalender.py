"""Meeting calendars: rhythms across DST and Dutch public holidays, working-day deadlines, and the
definitions' cancellations and moves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time as timer
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from workflow.basis.clock import TZ
from workflow.basis.fouten import DefinitieFout
from workflow.basis.paden import meegeleverd
from workflow.definities import lezen, ritme
from workflow.definities.model import Feestdagregel, Orgaan, Persoon, Ritme, Verplaatsing
from workflow.kalender import werkdagen


def orgaan(regel: str, vanaf: date, tot: date, *, feestdagen: Feestdagregel =
           Feestdagregel.OVERSLAAN, tijd: time = time(10, 0), **kwargs: object) -> Orgaan:
    return Orgaan(sleutel="testorgaan", naam="Testorgaan", afkorting="TO",
                  secretaris=Persoon("Secretaris", "secretaris@test.example"), leden=(),
                  standaard_tijd=tijd, ritmes=(Ritme(regel, vanaf, tot),), feestdagen=feestdagen,
                  **kwargs)  # type: ignore[arg-type]


def dagen(body: Orgaan) -> list[date]:
    return [m.begin.date() for m in ritme.vergaderingen(body) if not m.geannuleerd]


def test_a_weekly_meeting_stays_at_ten_oclock_local_across_both_dst_changes() -> None:
    body = orgaan("FREQ=WEEKLY;BYDAY=MO", date(2026, 3, 16), date(2026, 11, 2))
    meetings = ritme.vergaderingen(body)
    by_day = {m.begin.date(): m.begin for m in meetings}
    # Summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    assert by_day[date(2026, 3, 23)].utcoffset() == timedelta(hours=1)
    assert by_day[date(2026, 3, 30)].utcoffset() == timedelta(hours=2)
    assert by_day[date(2026, 10, 19)].utcoffset() == timedelta(hours=2)
    assert by_day[date(2026, 10, 26)].utcoffset() == timedelta(hours=1)
    assert {m.begin.astimezone(TZ).time() for m in meetings} == {time(10, 0)}
    # Same wall-clock time, so in UTC the week across the change is an hour short.
    gap = by_day[date(2026, 3, 30)].astimezone(UTC) - by_day[date(2026, 3, 23)].astimezone(UTC)
    assert gap == timedelta(days=7) - timedelta(hours=1)


def test_koningsdag_is_skipped_or_moved_per_the_bodys_rule() -> None:
    # Monday 27 April 2026 is Koningsdag.
    weekly = ("FREQ=WEEKLY;BYDAY=MO", date(2026, 4, 13), date(2026, 5, 11))
    assert date(2026, 4, 27) not in dagen(orgaan(*weekly))
    assert dagen(orgaan(*weekly)) == [date(2026, 4, 13), date(2026, 4, 20), date(2026, 5, 4),
                                      date(2026, 5, 11)]
    later = dagen(orgaan(*weekly, feestdagen=Feestdagregel.LATER))
    assert date(2026, 4, 28) in later and date(2026, 4, 27) not in later
    eerder = dagen(orgaan(*weekly, feestdagen=Feestdagregel.EERDER))
    assert date(2026, 4, 24) in eerder  # the Friday before
    moved = next(m for m in ritme.vergaderingen(orgaan(*weekly,
                                                         feestdagen=Feestdagregel.LATER))
                 if m.begin.date() == date(2026, 4, 28))
    assert moved.sleutel == "testorgaan-20260427"  # identity from the scheduled date
    assert "Koningsdag" in moved.opmerking


def test_hemelvaartsdag_moves_a_thursday_meeting_to_wednesday() -> None:
    # Thursday 14 May 2026 is Hemelvaartsdag.
    body = orgaan("FREQ=WEEKLY;BYDAY=TH", date(2026, 5, 7), date(2026, 5, 21),
                  feestdagen=Feestdagregel.EERDER)
    assert dagen(body) == [date(2026, 5, 7), date(2026, 5, 13), date(2026, 5, 21)]


def test_tweede_pinksterdag_moves_a_monday_meeting_to_tuesday() -> None:
    # Monday 25 May 2026 is Tweede pinksterdag; Sunday 24 May (Eerste pinksterdag) is no issue.
    body = orgaan("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", date(2026, 5, 11), date(2026, 6, 8),
                  feestdagen=Feestdagregel.LATER)
    assert dagen(body) == [date(2026, 5, 11), date(2026, 5, 26), date(2026, 6, 8)]
    assert ritme.feestdag(date(2026, 5, 25)) == "Tweede pinksterdag"


def test_kerstmis_on_a_friday_moves_to_the_monday_after_or_the_thursday_before() -> None:
    # Friday 25 December 2026 is Eerste kerstdag; Saturday 26 December is Tweede kerstdag.
    friday = ("FREQ=WEEKLY;BYDAY=FR", date(2026, 12, 18), date(2026, 12, 31))
    assert dagen(orgaan(*friday, feestdagen=Feestdagregel.LATER)) == [date(2026, 12, 18),
                                                                     date(2026, 12, 28)]
    assert dagen(orgaan(*friday, feestdagen=Feestdagregel.EERDER)) == [date(2026, 12, 18),
                                                                      date(2026, 12, 24)]
    assert dagen(orgaan(*friday)) == [date(2026, 12, 18)]


def test_a_meeting_shifted_onto_a_regular_meeting_day_merges_with_it() -> None:
    # Daily on weekdays: Koningsdag moved 'later' lands on Tuesday, which has its own meeting.
    body = orgaan("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", date(2026, 4, 24), date(2026, 4, 29),
                  feestdagen=Feestdagregel.LATER)
    assert dagen(body) == [date(2026, 4, 24), date(2026, 4, 28), date(2026, 4, 29)]


def test_bevrijdingsdag_blocks_only_in_a_lustrum_year() -> None:
    assert not ritme.is_werkdag(date(2025, 5, 5))
    assert ritme.is_werkdag(date(2026, 5, 5))


def test_submission_deadline_counts_working_days_around_holidays() -> None:
    body = orgaan("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), date(2026, 12, 29),
                  aanleveren_werkdagen=5)
    # Tuesday 28 April 2026: Koningsdag (Mon 27) and the weekend do not count.
    assert werkdagen.werkdagen_terug(date(2026, 4, 28), 5) == date(2026, 4, 20)
    # After Pinksteren: Tuesday 26 May -> Monday 18 May.
    assert werkdagen.werkdagen_terug(date(2026, 5, 26), 5) == date(2026, 5, 18)
    # Across Hemelvaartsdag (Thu 14 May): 3 working days before Tuesday 19 May is Wednesday 13.
    assert werkdagen.werkdagen_terug(date(2026, 5, 19), 3) == date(2026, 5, 13)
    # Across Kerstmis and Nieuwjaarsdag: Monday 4 January 2027 -> Thursday 24 December 2026.
    assert werkdagen.werkdagen_terug(date(2027, 1, 4), 5) == date(2026, 12, 24)
    begin = datetime(2026, 4, 28, 10, 0, tzinfo=TZ)
    assert werkdagen.aanleverdatum(body, begin) == date(2026, 4, 20)
    # The deadline passes at the end of that day, local time.
    assert werkdagen.aanlevermoment(body, begin) == datetime(2026, 4, 21, 0, 0, tzinfo=TZ)


def test_dispatch_moment_falls_on_a_working_day_at_reminder_time() -> None:
    body = orgaan("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), date(2026, 12, 29),
                  verzenden_dagen=3)
    # 3 days before Tuesday 28 April is Saturday 25: the agenda goes out on Friday 24 at 09:00.
    moment = werkdagen.verzendmoment(body, datetime(2026, 4, 28, 10, 0, tzinfo=TZ))
    assert moment == datetime(2026, 4, 24, 9, 0, tzinfo=TZ)


def test_a_body_without_lead_time_has_its_deadline_at_the_meeting() -> None:
    body = orgaan("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), date(2026, 12, 29),
                  aanleveren_werkdagen=0, verzenden_dagen=0, tijd=time(8, 30))
    begin = datetime(2026, 3, 3, 8, 30, tzinfo=TZ)
    assert werkdagen.aanlevermoment(body, begin) == begin
    assert werkdagen.verzendmoment(body, begin) == begin


def test_cancelled_and_moved_meetings_keep_their_identity() -> None:
    body = orgaan("FREQ=WEEKLY;BYDAY=MO", date(2026, 4, 13), date(2026, 5, 11),
                  feestdagen=Feestdagregel.LATER)
    body = replace(body, afgelast=(date(2026, 4, 28),),  # the actual date of a shifted meeting
                   verplaatst=(Verplaatsing(date(2026, 5, 4), date(2026, 5, 6), time(14, 0)),))
    meetings = {m.sleutel: m for m in ritme.vergaderingen(body)}
    assert meetings["testorgaan-20260427"].geannuleerd
    moved = meetings["testorgaan-20260504"]
    assert moved.begin == datetime(2026, 5, 6, 14, 0, tzinfo=TZ)
    assert ritme.onbekende_data(body) == ([], [])


def _copy_definitions(tmp_path: Path) -> Path:
    folder = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), folder)
    return folder


def test_unknown_cancelled_or_moved_dates_are_definition_errors_with_file_and_line(
        tmp_path: Path) -> None:
    folder = _copy_definitions(tmp_path)
    path = folder / "organen" / "aoj.yaml"
    text = path.read_text(encoding="utf-8")
    text += ("afgelast:\n  - 2026-01-29\n  - 2026-02-03\n"
             "verplaatst:\n  - {van: 2026-03-05, naar: 2026-03-12}\n")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(DefinitieFout) as caught:
        lezen.load(folder)
    meldingen = caught.value.meldingen
    assert len(meldingen) == 2, meldingen
    afgelast_line = lines.index("  - 2026-02-03") + 1
    verplaatst_line = lines.index("  - {van: 2026-03-05, naar: 2026-03-12}") + 1
    assert meldingen[0].endswith(
        f"aoj.yaml:{afgelast_line}: 'afgelast': op 2026-02-03 heeft Ambtelijk Overleg Jeugd "
        "geen vergadering (dichtstbij: 2026-01-29, 2026-02-26)")
    assert f"aoj.yaml:{verplaatst_line}: 'verplaatst': op 2026-03-05" in meldingen[1]


def test_every_shipped_calendar_expands_in_order_and_aware() -> None:
    loaded = lezen.load(meegeleverd("definities"))
    ritme._vergaderingen.cache_clear()
    started = timer.perf_counter()
    all_meetings = [m for o in loaded.organen.values() for m in ritme.vergaderingen(o)]
    elapsed = timer.perf_counter() - started
    print(f"\nexpansion of {len(all_meetings)} meetings of {len(loaded.organen)} bodies: "
          f"{elapsed * 1000:.1f} ms")
    assert all(m.begin.tzinfo is not None for m in all_meetings)
    for key, body in loaded.organen.items():
        meetings = ritme.vergaderingen(body)
        assert [m.begin for m in meetings] == sorted(m.begin for m in meetings), key
        assert len({m.sleutel for m in meetings}) == len(meetings), key
    # The 2021 dates the seeds name are there.
    named = {(m.orgaan, m.begin.date()) for m in all_meetings}
    for expected in [("programmateam", date(2021, 6, 14)),
                     ("stuurgroep-transformatie", date(2021, 6, 23)),
                     ("aoj", date(2021, 6, 24)), ("ab-platform-jeugd", date(2021, 7, 2)),
                     ("aoj-directeurenoverleg", date(2021, 5, 20))]:
        assert expected in named


def test_de_planner_leest_feestdagen_uit_de_cache_zonder_het_holidays_pakket(tmp_path: Path
                                                                             ) -> None:
    """The holidays package loads its whole country registry (~11 MB) for the Netherlands: a
    process finds a year another command already computed in the cache folder without it, and a
    damaged cache file is simply computed again."""
    environ = {**os.environ, "BESLUITROUTE_CACHE": str(tmp_path / "cache")}
    code = ("import sys; from datetime import date; from workflow.definities import ritme; "
            "print(ritme.feestdag(date(2026, 4, 27)), ritme.is_werkdag(date(2025, 5, 5)), "
            "'holidays' in sys.modules)")

    def run() -> str:
        result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                                text=True, timeout=120, check=True)
        return result.stdout.strip()

    assert run() == "Koningsdag False True"  # computed by the package, then stored
    assert run() == "Koningsdag False False"  # Bevrijdingsdag 2025 too, without the package
    for bestand in (tmp_path / "cache").glob("feestdagen-*.json"):
        bestand.write_text("{kapot", encoding="utf-8")
    assert run() == "Koningsdag False True"
    assert run() == "Koningsdag False False"


def test_bij_de_start_van_de_planner_rekent_een_kindproces_de_feestdagen_uit(tmp_path: Path
                                                                            ) -> None:
    """The planner fills the holiday cache for the years its passes look at in a short-lived
    child process: even its very first pass then runs without the holidays package."""
    environ = {**os.environ, "BESLUITROUTE_CACHE": str(tmp_path / "cache")}
    code = ("import sys; from datetime import date; "
            "from workflow.definities import feestdagen, ritme; "
            "feestdagen.vul_cache(range(2030, 2032)); "
            "print(ritme.feestdag(date(2031, 12, 25)), ritme.is_werkdag(date(2030, 5, 6)), "
            "'holidays' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "Eerste kerstdag True False"
    assert len(list((tmp_path / "cache").glob("feestdagen-*.json"))) == 2
