"""The calendar export, parsed back with icalendar the way a calendar client reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import icalendar
from click.testing import Result as _Result
from sqlalchemy import select

from workflow.basis.clock import TZ
from workflow.kalender import ical
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering

Besluitroute = Callable[..., _Result]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def events(data: str | bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def aoj_meeting(omgeving: Omgeving, dag: date) -> Vergadering:
    with omgeving.db.lees() as session:
        for v in session.scalars(select(Vergadering).where(Vergadering.orgaan == "aoj")):
            if v.begin.astimezone(TZ).date() == dag:
                return v
    raise AssertionError(dag)


def test_a_body_calendar_has_meetings_and_deadlines_with_stable_uids(
        besluitroute: Besluitroute, omgeving: Omgeving, tmp_path: Path) -> None:
    ok(besluitroute("init"))
    target = tmp_path / "aoj.ics"
    assert ok(besluitroute("kalender", "export", "--orgaan", "aoj", "--uitvoer", str(target),
                           nu="2021-06-01")) == f"kalender geschreven naar {target}\n"
    first = target.read_bytes()
    cal = icalendar.Calendar.from_ical(first)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    found = events(first)
    meeting = found["aoj-20210624@besluitroute"]
    assert str(meeting["SUMMARY"]) == "Ambtelijk Overleg Jeugd"
    assert meeting.decoded("DTSTART") == datetime(2021, 6, 24, 13, 0, tzinfo=TZ)
    assert meeting["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert int(meeting["SEQUENCE"]) == 0
    deadline = found["aoj-20210624.aanleveren@besluitroute"]
    assert deadline.decoded("DTSTART") == date(2021, 6, 17)
    assert str(deadline["SUMMARY"]) == "Aanleverdatum AOJ 24 juni 2021"
    dispatch = found["aoj-20210624.verzenden@besluitroute"]
    assert dispatch.decoded("DTSTART") == datetime(2021, 6, 18, 9, 0, tzinfo=TZ)
    # Exporting again gives the same UIDs: a client updates instead of duplicating.
    again = ok(besluitroute("kalender", "export", "--orgaan", "aoj", nu="2021-06-02"))
    assert set(events(again)) == set(found)
    assert all(uid.endswith("@besluitroute") for uid in found)


def test_a_moved_meeting_keeps_its_uid_and_a_cancelled_one_is_marked_cancelled(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    ok(besluitroute("init"))
    before = events(ok(besluitroute("kalender", "export", "--orgaan", "aoj", nu="2021-06-01")))
    moved = aoj_meeting(omgeving, date(2021, 6, 24))
    cancelled = aoj_meeting(omgeving, date(2021, 9, 30))
    ok(besluitroute("vergadering", "verplaats", str(moved.id), "--naar", "2021-07-01T10:00",
                    nu="2021-06-01"))
    ok(besluitroute("vergadering", "annuleer", str(cancelled.id), nu="2021-06-01"))
    after = events(ok(besluitroute("kalender", "export", "--orgaan", "aoj", nu="2021-06-02")))
    assert set(after) == set(before)
    event = after["aoj-20210624@besluitroute"]
    assert event.decoded("DTSTART") == datetime(2021, 7, 1, 10, 0, tzinfo=TZ)
    assert int(event["SEQUENCE"]) == 1
    assert after["aoj-20210624.aanleveren@besluitroute"].decoded("DTSTART") == date(2021, 6, 24)
    assert str(after["aoj-20210930@besluitroute"]["STATUS"]) == "CANCELLED"
    assert str(after["aoj-20210930.aanleveren@besluitroute"]["STATUS"]) == "CANCELLED"
    assert str(after["aoj-20210624@besluitroute"]["STATUS"]) == "CONFIRMED"


def test_a_member_gets_the_meetings_of_their_bodies_only(besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    found = events(ok(besluitroute("kalender", "export", "--lid",
                                   "Wethouder.Jeugd@Capelle.example")))
    bodies = {uid.rsplit("-", 1)[0] for uid in found if "." not in uid.split("@")[0]}
    assert bodies == {"ab-platform-jeugd"}
    unknown = besluitroute("kalender", "export", "--lid", "niemand@nergens.example")
    assert unknown.exit_code == 2
    assert unknown.stderr == ("fout: 'niemand@nergens.example' is geen lid van een orgaan "
                              "(zie 'orgaan lijst')\n")


def test_an_author_gets_the_deadlines_of_their_own_proposals(besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Procesvoorstel", "--route",
                              "grjr-procesvoorstel", "--opsteller", "Anja Jongerius",
                              "--beslispunt", "Instemmen",
                              nu="2021-06-01")).strip()
    ok(besluitroute("voorstel", "indienen", "--titel", "Ander voorstel", "--route",
                    "grjr-procesvoorstel", "--opsteller", "Iemand Anders", "--beslispunt",
                    "Instemmen", nu="2021-06-01"))
    ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01"))
    found = events(ok(besluitroute("kalender", "export", "--opsteller", "anja jongerius",
                                   nu="2021-06-01")))
    deadlines = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for uid, e in found.items()
                       if uid.endswith(".aanleveren@besluitroute"))
    assert deadlines == [
        (date(2021, 6, 7), f"Stukken {kenmerk} aanleveren voor Programmateam 14 juni 2021"),
        (date(2021, 6, 16), f"Stukken {kenmerk} aanleveren voor Stuurgroep 23 juni 2021"),
        (date(2021, 6, 17), f"Stukken {kenmerk} aanleveren voor AOJ 24 juni 2021"),
        (date(2021, 6, 18), f"Stukken {kenmerk} aanleveren voor AB 2 juli 2021"),
    ]
    meetings = [e for uid, e in found.items() if not uid.endswith(".aanleveren@besluitroute")]
    assert len(meetings) == 4
    assert all(f"{kenmerk} Procesvoorstel" in str(e["DESCRIPTION"]) for e in meetings)


def test_bouw_is_pure_and_round_trips() -> None:
    items = [ical.Item(uid=ical.uid("x-20260302"), samenvatting="X",
                       begin=datetime(2026, 3, 30, 10, 0, tzinfo=TZ),
                       eind=datetime(2026, 3, 30, 12, 0, tzinfo=TZ), volgnummer=3,
                       geannuleerd=True)]
    data = ical.bouw(items, datetime(2026, 3, 1, 12, 0, tzinfo=TZ))
    event = events(data)["x-20260302@besluitroute"]
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 7200  # summer time


def author_feed(besluitroute: Besluitroute, nu: str) -> dict[str, Any]:
    return events(ok(besluitroute("kalender", "export", "--opsteller", "Anja Jongerius", nu=nu)))


def state(event: Any) -> tuple[str, int]:
    return str(event["STATUS"]), int(event["SEQUENCE"])


def test_an_authors_calendar_keeps_a_cancelled_meeting_and_a_moved_step_as_cancelled(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    ok(besluitroute("init"))
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Procesvoorstel", "--route",
                              "grjr-procesvoorstel", "--opsteller", "Anja Jongerius",
                              "--beslispunt", "Instemmen", nu="2021-06-01")).strip()
    ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01"))
    before = author_feed(besluitroute, "2021-06-01")
    assert len(before) == 8 and {str(e["STATUS"]) for e in before.values()} == {"CONFIRMED"}

    # The AOJ meeting of 24 June is cancelled: the proposal moves on to the next one, and the
    # AB step after it too (2 July is before the next AOJ meeting).
    aoj = aoj_meeting(omgeving, date(2021, 6, 24))
    ok(besluitroute("vergadering", "annuleer", str(aoj.id), nu="2021-06-02"))
    after = author_feed(besluitroute, "2021-06-02")
    assert set(before) <= set(after)  # nothing that was exported disappears
    gone = {uid for uid, e in after.items() if str(e["STATUS"]) == "CANCELLED"}
    assert gone == {
        "aoj-20210624@besluitroute",
        f"aoj-20210624.{kenmerk}.aoj.aanleveren@besluitroute",
        "ab-platform-jeugd-20210702@besluitroute",
        f"ab-platform-jeugd-20210702.{kenmerk}.ab-platform-jeugd.aanleveren@besluitroute",
    }
    for uid in gone:
        assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"]), uid
    new = set(after) - set(before)
    assert len(new) == 4 and all(str(after[u]["STATUS"]) == "CONFIRMED" for u in new)
    assert {u.split("@")[0].split(".")[0] for u in new} == {"aoj-20210930",
                                                            "ab-platform-jeugd-20211008"}
    # The steps that did not change keep their state and sequence.
    kept = "programmateam-20210614@besluitroute"
    assert state(after[kept])[0] == "CONFIRMED"

    # Exporting again without changes gives the same sequences (no endless updates).
    assert {u: state(e) for u, e in author_feed(besluitroute, "2021-06-03").items()} == \
        {u: state(e) for u, e in after.items()}


def test_body_and_member_calendars_keep_a_cancelled_meeting_with_a_higher_sequence(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    ok(besluitroute("init"))
    lid = ["--lid", "Wethouder.Jeugd@Capelle.example"]
    body_before = events(ok(besluitroute("kalender", "export", "--orgaan", "ab-platform-jeugd",
                                         nu="2021-06-01")))
    member_before = events(ok(besluitroute("kalender", "export", *lid, nu="2021-06-01")))
    with omgeving.db.lees() as session:
        ab = session.scalar(select(Vergadering).where(
            Vergadering.sleutel == "ab-platform-jeugd-20210702"))
    assert ab is not None
    ok(besluitroute("vergadering", "annuleer", str(ab.id), nu="2021-06-02"))
    for before, args in ((body_before, ["--orgaan", "ab-platform-jeugd"]),
                         (member_before, lid)):
        after = events(ok(besluitroute("kalender", "export", *args, nu="2021-06-02")))
        assert set(after) == set(before)
        for suffix in ("", ".aanleveren", ".verzenden"):
            uid = f"ab-platform-jeugd-20210702{suffix}@besluitroute"
            assert state(before[uid]) == ("CONFIRMED", 0)
            assert state(after[uid]) == ("CANCELLED", 1)
