"""Cadence duties: "at least N times a year", held, planned, behind or on track."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from click.testing import Result as _Result

from workflow.basis.clock import TZ
from workflow.basis.paden import meegeleverd
from workflow.definities import lezen
from workflow.kalender import verplichtingen

Besluitroute = Callable[..., _Result]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_report_counts_held_and_planned_meetings_and_subjects() -> None:
    loaded = lezen.load(meegeleverd("definities"))
    aoj, overleg = loaded.orgaan("aoj"), loaded.orgaan("aoj-directeurenoverleg")
    meetings = [
        verplichtingen.Bijeenkomst("aoj", at("2026-01-29T13:00"), onderwerpen=frozenset({
            "regioagenda"})),
        verplichtingen.Bijeenkomst("aoj", at("2026-02-26T13:00")),
        verplichtingen.Bijeenkomst("aoj", at("2026-03-26T13:00"), geannuleerd=True,
                                   onderwerpen=frozenset({"regioagenda"})),
        verplichtingen.Bijeenkomst("aoj", at("2026-09-24T13:00"), onderwerpen=frozenset({
            "regioagenda"})),
        verplichtingen.Bijeenkomst("aoj", at("2027-01-28T13:00"), onderwerpen=frozenset({
            "regioagenda"})),
        # Meetings enough to hold it (without the subject so far): behind, not infeasible.
        *(verplichtingen.Bijeenkomst("aoj", at(f"2026-{m:02d}-22T13:00")) for m in (4, 10, 12)),
        *(verplichtingen.Bijeenkomst("aoj-directeurenoverleg", at(f"2026-{m:02d}-15T15:00"))
          for m in (1, 3, 5, 7, 9, 11)),
    ]
    report = verplichtingen.rapport([aoj, overleg], meetings, 2026, at("2026-06-01T00:00"))
    by_body = {s.orgaan: s for s in report}
    regio = by_body["aoj"]
    assert (regio.vereist, regio.gehouden, regio.gepland) == (4, 1, 1)
    assert regio.status == "achter" and regio.tekort == 2
    directeuren = by_body["aoj-directeurenoverleg"]
    assert (directeuren.gehouden, directeuren.gepland) == (3, 3)
    assert directeuren.status == "op schema"
    later = verplichtingen.rapport([overleg], meetings, 2026, at("2026-12-31T00:00"))
    assert later[0].status == "gehaald"


def test_a_duty_is_measured_only_in_its_period_and_where_meetings_exist_to_hold_it() -> None:
    loaded = lezen.load(meegeleverd("definities"))
    bo, aoj = loaded.orgaan("bestuurlijk-overleg"), loaded.orgaan("aoj")
    # The Hervormingsagenda exists from June 2023 (seed 004): not measured in 2021 or 2022.
    assert verplichtingen.rapport([bo], [], 2022, at("2022-12-31T00:00")) == []
    # 2023 from June: 2 a year pro rata is 1, and the BO of 16 November holds it.
    [stand] = verplichtingen.rapport(
        [bo], [verplichtingen.Bijeenkomst("bestuurlijk-overleg", at("2023-11-16T14:00"))],
        2023, at("2023-12-31T00:00"))
    assert (stand.vereist, stand.gehouden, stand.status) == (1, 1, "gehaald")
    assert "seed 004" in stand.bron
    # From the AB's decision of 2 July 2021 (seed 003): 4 a year is 2 in 2021. Three AOJ
    # meetings defined, none about the regioagenda yet: on track with planned meetings? No
    # subject planned either: behind. Only one meeting defined: the calendar falls short.
    drie = [verplichtingen.Bijeenkomst("aoj", at(d)) for d in
            ("2021-06-24T13:00", "2021-09-30T13:00", "2021-10-28T13:00", "2021-11-25T13:00")]
    [regio] = verplichtingen.rapport([aoj], drie, 2021, at("2021-08-01T00:00"))
    assert (regio.vereist, regio.vergaderingen, regio.status) == (2, 3, "achter")
    [regio] = verplichtingen.rapport([aoj], drie[:2], 2021, at("2021-08-01T00:00"))
    assert regio.status == "niet haalbaar met de gedefinieerde vergaderingen"


def test_verplichtingen_command_reports_a_body_that_falls_behind(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    # Two regioagenda updates agendered at the AOJ in 2026.
    for maand in ("2026-01-05", "2026-02-02"):
        kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Voortgang regioagenda",
                                  "--route", "grjr-procesvoorstel", "--opsteller", "Kwartiermaker",
                                  "--onderwerp", "regioagenda", "--beslispunt", "Kennisnemen",
                                  nu=maand)).strip()
        ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu=maand))
    data = json.loads(ok(besluitroute("verplichtingen", "--jaar", "2026", "--json",
                                      nu="2026-03-01")))
    regio_aoj = next(d for d in data if d["orgaan"] == "aoj")
    assert regio_aoj["vereist"] == 4
    assert regio_aoj["gehouden"] + regio_aoj["gepland"] == 2
    assert regio_aoj["status"] == "achter" and regio_aoj["tekort"] == 2
    directeuren = next(d for d in data if d["orgaan"] == "aoj-directeurenoverleg")
    # Every other month on the third Thursday: six meetings in 2026, one held by 1 March.
    assert (directeuren["gehouden"], directeuren["gepland"]) == (1, 5)
    assert directeuren["status"] == "op schema"
    text = ok(besluitroute("verplichtingen", "--jaar", "2026", nu="2026-03-01"))
    assert "Update regioagenda aan het AOJ" in text
    assert "achter (2 te weinig)" in text
