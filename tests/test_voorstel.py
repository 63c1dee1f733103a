"""A secretariat routes proposals through the GR JR cycle from the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from workflow.omgeving import Omgeving
from workflow.opslag.models import Beslispunt, Gebeurtenis, Voorstel

Besluitroute = Callable[..., Any]

ROUTE = "grjr-procesvoorstel"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def refused(result: Any) -> str:
    """A user error: exit 2, exactly one Dutch line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: ")
    assert "Traceback" not in result.output
    return str(lines[0].removeprefix("fout: "))


def meeting(run: Besluitroute, orgaan: str, dag: str) -> int:
    rows = json.loads(ok(run("vergadering", "lijst", "--orgaan", orgaan, "--van", dag,
                             "--tot", dag, "--json")))
    assert len(rows) == 1, rows
    return int(rows[0]["id"])


def dossier(run: Besluitroute, kenmerk: str) -> dict[str, Any]:
    return dict(json.loads(ok(run("voorstel", "toon", kenmerk, "--json"))))


def submit(run: Besluitroute, nu: str = "2021-06-07T09:00", *extra: str) -> str:
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Procesvoorstel cliëntparticipatie",
                     "--route", ROUTE, "--opsteller", "A. Opsteller",
                     "--in-opdracht-van", "ab-platform-jeugd",
                     "--beslispunt", "Instemmen met het plan van aanpak",
                     "--beslispunt", "Inzetten van de praatplaat", "--door", "secretaris",
                     *extra, nu=nu)).strip()
    return kenmerk


@pytest.fixture
def run(besluitroute: Besluitroute) -> Besluitroute:
    ok(besluitroute("init"))
    return besluitroute


def at_stuurgroep(run: Besluitroute) -> str:
    """A proposal advised by the programmateam on 14 June and on the stuurgroep of 23 June."""
    kenmerk = submit(run)
    ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-07T09:05"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           nu="2021-06-14T12:00"))
    ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-14T12:05"))
    return kenmerk


def test_the_whole_grjr_route_from_submission_to_adoption(run: Besluitroute) -> None:
    kenmerk = submit(run)
    assert kenmerk == "2021-001"
    out = ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-07T09:05"))
    assert "geagendeerd bij Programmateam" in out and "14 juni 2021" in out
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           nu="2021-06-14T12:00"))
    out = ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-14T12:05"))
    assert "23 juni 2021" in out
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "voorwaardelijk", "--tekst",
           "Bouw voort op bestaande initiatieven", nu="2021-06-23T16:00"))
    aoj = meeting(run, "aoj", "2021-06-24")
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(aoj), "--na-deadline",
           nu="2021-06-23T16:05"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Positief",
           nu="2021-06-24T15:00"))
    ab = meeting(run, "ab-platform-jeugd", "2021-07-02")
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(ab), "--na-deadline",
           nu="2021-06-24T15:05"))
    out = ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                 nu="2021-07-02T12:00"))
    assert out.strip() == f"voorstel {kenmerk}: vastgesteld"

    d = dossier(run, kenmerk)
    assert d["status"] == "vastgesteld" and d["vergadering"] is None
    assert [p["besluit"] for p in d["beslispunten"]] == ["aangenomen", "aangenomen"]
    assert [(r["orgaan"], r["datum"], r["uitkomst"]) for r in d["te_bespreken_in"]] == [
        ("programmateam", "2021-06-14", "positief"),
        ("stuurgroep-transformatie", "2021-06-23", "voorwaardelijk"),
        ("aoj", "2021-06-24", "positief"),
        ("ab-platform-jeugd", "2021-07-02", "vastgesteld"),
    ]
    history = d["geschiedenis"]
    assert [h["handeling"] for h in history] == [
        "indienen", "agenderen", "positief", "agenderen", "voorwaardelijk", "agenderen",
        "positief", "agenderen", "vastgesteld"]
    assert [h["tijdstip"] for h in history] == sorted(h["tijdstip"] for h in history)
    assert history[0]["tijdstip"] == "2021-06-07T09:00:00+02:00"
    assert history[0]["door"] == "secretaris"
    # Both moments are kept: the one acted as and the real time of recording.
    assert all(h["geregistreerd_op"] > "2026" for h in history)
    assert history[4]["tekst"] == "Bouw voort op bestaande initiatieven"
    assert history[4]["van"] == "stuurgroep-transformatie:geagendeerd"
    assert history[4]["naar"] == "stuurgroep-transformatie:geadviseerd"
    shown = ok(run("voorstel", "toon", kenmerk))
    for header in ("Aan:", "Van:", "Datum:", "Onderwerp:", "Status:", "Versie:",
                   "In opdracht van:  AB platform jeugd", "Opgesteld door:   A. Opsteller",
                   "Te bespreken in:", "BESLISPUNTEN", "GESCHIEDENIS"):
        assert header in shown


def test_postponed_proposal_moves_to_the_bodys_next_meeting(run: Besluitroute) -> None:
    kenmerk = at_stuurgroep(run)
    out = ok(run("voorstel", "aanhouden", kenmerk, "--reden", "Meer tijd nodig",
                 nu="2021-06-23T16:00"))
    assert "geagendeerd bij Stuurgroep" in out
    d = dossier(run, kenmerk)
    assert d["vergadering"]["orgaan"] == "stuurgroep-transformatie"
    assert d["vergadering"]["datum"] == "2021-09-15"
    assert [h["handeling"] for h in d["geschiedenis"]][-2:] == ["aanhouden", "agenderen"]
    assert d["geschiedenis"][-2]["tekst"] == "Meer tijd nodig"


def test_referred_back_proposal_is_revised_and_reenters_at_the_start(run: Besluitroute) -> None:
    kenmerk = at_stuurgroep(run)
    ok(run("voorstel", "terugverwijzen", kenmerk, "--reden", "Begroting ontbreekt",
           nu="2021-06-23T16:00"))
    assert dossier(run, kenmerk)["status"] == "stuurgroep-transformatie:terugverwezen"
    out = ok(run("voorstel", "herindienen", kenmerk, "--versie", "2", nu="2021-06-28T09:00"))
    assert "heringediend, wacht op Programmateam" in out
    ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-28T09:05"))
    d = dossier(run, kenmerk)
    assert d["versie"] == "2"
    assert d["vergadering"]["orgaan"] == "programmateam"
    assert d["geschiedenis"][-3]["tekst"] == "Begroting ontbreekt"


def test_withdrawn_proposal_cannot_be_acted_on(run: Besluitroute) -> None:
    kenmerk = at_stuurgroep(run)
    ok(run("voorstel", "intrekken", kenmerk, "--reden", "Niet meer nodig",
           nu="2021-06-20T10:00"))
    d = dossier(run, kenmerk)
    assert d["status"] == "ingetrokken" and d["vergadering"] is None
    message = refused(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst",
                          "x", nu="2021-06-23T16:00"))
    assert message == f"voorstel {kenmerk} is ingetrokken; er kan niets meer mee gebeuren"


def test_rejected_proposal_records_each_decision_point(run: Besluitroute) -> None:
    kenmerk = at_stuurgroep(run)
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "negatief", "--tekst", "Te duur",
           nu="2021-06-23T16:00"))
    aoj = meeting(run, "aoj", "2021-06-24")
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(aoj), "--na-deadline",
           nu="2021-06-23T16:05"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "negatief", "--tekst", "Eens",
           nu="2021-06-24T15:00"))
    ab = meeting(run, "ab-platform-jeugd", "2021-07-02")
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(ab), "--na-deadline",
           nu="2021-06-24T15:05"))
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "afgewezen", "--beslispunt",
           "2=gewijzigd-aangenomen", nu="2021-07-02T12:00"))
    d = dossier(run, kenmerk)
    assert d["status"] == "afgewezen"
    assert [p["besluit"] for p in d["beslispunten"]] == ["verworpen", "gewijzigd aangenomen"]


ILLEGAL: list[tuple[str, list[str], str, str]] = [
    ("a decision while at the stuurgroep",
     ["besluit", "{k}", "--uitkomst", "vastgesteld"], "2021-06-23T16:00",
     "voorstel {k} staat bij de Stuurgroep; een besluit van het AB kan pas na het advies van "
     "het AOJ"),
    ("advice before the meeting's date",
     ["advies", "{k}", "--uitkomst", "positief", "--tekst", "x"], "2021-06-22T16:00",
     "voorstel {k} staat op de vergadering van Stuurgroep transformatie van 23 juni 2021; het "
     "advies kan pas vanaf 23 juni 2021 worden vastgelegd"),
    ("agendering twice", ["agenderen", "{k}"], "2021-06-15T10:00",
     "voorstel {k} is geagendeerd bij Stuurgroep; 'agenderen' kan nu niet (nu mogelijk: advies, "
     "aanhouden, terugverwijzen, intrekken)"),
    ("resubmission of a proposal that was not referred back", ["herindienen", "{k}"],
     "2021-06-23T16:00", "voorstel {k} is geagendeerd bij Stuurgroep; 'herindienen' kan nu niet "
     "(nu mogelijk: advies, aanhouden, terugverwijzen, intrekken)"),
    ("an unknown kenmerk", ["toon", "2021-999"], "2021-06-23T16:00",
     "onbekend voorstel '2021-999' (zie 'besluitroute voorstel lijst')"),
    ("referral without a reason", ["terugverwijzen", "{k}", "--reden", "  "], "2021-06-23T16:00",
     "de reden mag niet leeg zijn"),
]


@pytest.mark.parametrize(("args", "nu", "expected"), [c[1:] for c in ILLEGAL],
                         ids=[c[0] for c in ILLEGAL])
def test_illegal_steps_are_refused_and_write_nothing(run: Besluitroute, args: list[str], nu: str,
                                                     expected: str) -> None:
    kenmerk = at_stuurgroep(run)
    before = dossier(run, kenmerk)
    message = refused(run("voorstel", *[a.format(k=kenmerk) for a in args], nu=nu))
    assert message == expected.format(k=kenmerk)
    assert dossier(run, kenmerk) == before


def test_a_decision_on_a_proposal_only_submitted_says_where_it_really_stands(
        run: Besluitroute) -> None:
    kenmerk = submit(run)
    message = refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                          nu="2021-06-10T16:00"))
    # Not "staat bij het Programmateam": it is on no meeting yet.
    assert message == (f"voorstel {kenmerk} is ingediend en nog nergens geagendeerd; een besluit "
                       "van het AB kan pas na het advies van het AOJ")


def test_agendering_on_another_bodys_meeting_or_after_the_deadline_is_refused(
        run: Besluitroute) -> None:
    kenmerk = submit(run)
    aoj = meeting(run, "aoj", "2021-06-24")
    message = refused(run("voorstel", "agenderen", kenmerk, "--vergadering", str(aoj),
                          nu="2021-06-07T09:05"))
    assert message == (f"vergadering {aoj} is van Ambtelijk Overleg Jeugd; voorstel {kenmerk} moet "
                       "nu naar Programmateam regiovisie")
    pt = meeting(run, "programmateam", "2021-06-14")
    message = refused(run("voorstel", "agenderen", kenmerk, "--vergadering", str(pt),
                          nu="2021-06-09T09:00"))
    assert message == ("de aanleverdatum voor Programmateam regiovisie van 14 juni 2021 was 7 juni "
                       "2021; agenderen kan alleen nog als nagekomen stuk (--na-deadline)")
    assert dossier(run, kenmerk)["status"] == "ingediend"
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(pt), "--na-deadline",
           nu="2021-06-09T09:00"))
    d = dossier(run, kenmerk)
    assert d["te_bespreken_in"][0]["nagekomen"] is True
    assert "[nagekomen]" in ok(run("voorstel", "toon", kenmerk))


def test_bad_input_on_submission_is_refused(run: Besluitroute) -> None:
    base = ["voorstel", "indienen", "--opsteller", "A. Opsteller"]
    assert refused(run(*base, "--titel", "T", "--route", "bestaat-niet")).startswith(
        "onbekende route 'bestaat-niet' (bekend: ")
    assert refused(run(*base, "--titel", "T", "--route", ROUTE, "--in-opdracht-van",
                       "geen-orgaan")).startswith("onbekend orgaan 'geen-orgaan' (bekend: ")
    assert refused(run(*base, "--titel", " ", "--route", ROUTE)) == "de titel mag niet leeg zijn"
    assert refused(run("--nu", "gisteren", "voorstel", "lijst")) == (
        "--nu: ongeldig tijdstip 'gisteren' (verwacht JJJJ-MM-DD, JJJJ-MM-DD UU:MM of "
        "JJJJ-MM-DDTUU:MM)")
    assert json.loads(ok(run("voorstel", "lijst", "--json"))) == []


def test_lists_filter_by_status_and_body(run: Besluitroute) -> None:
    first = at_stuurgroep(run)
    second = submit(run, "2021-06-08T10:00")
    rows = json.loads(ok(run("voorstel", "lijst", "--json")))
    assert [r["kenmerk"] for r in rows] == [second, first]
    assert set(rows[0]) >= {"kenmerk", "titel", "route", "status"}
    at_sg = json.loads(ok(run("voorstel", "lijst", "--orgaan", "stuurgroep-transformatie",
                              "--json")))
    assert [r["kenmerk"] for r in at_sg] == [first]
    waiting = json.loads(ok(run("voorstel", "lijst", "--orgaan", "programmateam", "--json")))
    assert [r["kenmerk"] for r in waiting] == [second]
    assert [r["kenmerk"] for r in json.loads(ok(run("voorstel", "lijst", "--status",
                                                    "geagendeerd", "--json")))] == [first]
    assert refused(run("voorstel", "lijst", "--status", "zoek")).startswith(
        "onbekende status 'zoek'")
    assert refused(run("voorstel", "lijst", "--orgaan", "zoek")).startswith(
        "onbekend orgaan 'zoek'")
    table = ok(run("voorstel", "lijst"))
    assert first in table and "geagendeerd bij Stuurgroep" in table


def test_a_long_list_comes_in_pages_with_the_count_below(run: Besluitroute) -> None:
    kenmerken = [submit(run, f"2021-06-{dag:02d}T09:00") for dag in range(1, 6)]
    newest_first = kenmerken[::-1]
    page = ok(run("voorstel", "lijst", "--aantal", "2"))
    rows = [line.split()[0] for line in page.splitlines()[2:-1]]
    assert rows == newest_first[:2]
    assert page.splitlines()[-1] == (f"2 van 5 voorstellen getoond; verder met --na "
                                     f"{newest_first[1]}, alles met --alles")
    nxt = ok(run("voorstel", "lijst", "--aantal", "2", "--na", newest_first[1]))
    assert [line.split()[0] for line in nxt.splitlines()[2:-1]] == newest_first[2:4]
    last = ok(run("voorstel", "lijst", "--aantal", "2", "--na", newest_first[3]))
    assert [line.split()[0] for line in last.splitlines()[2:-1]] == newest_first[4:]
    assert last.splitlines()[-1] == "1 van 5 voorstellen getoond"
    everything = ok(run("voorstel", "lijst", "--aantal", "2", "--alles"))
    assert [line.split()[0] for line in everything.splitlines()[2:]] == newest_first
    # JSON is for scripts: everything unless a page is asked for.
    assert [r["kenmerk"] for r in json.loads(ok(run("voorstel", "lijst", "--json")))] == \
        newest_first
    assert [r["kenmerk"] for r in json.loads(ok(run("voorstel", "lijst", "--json", "--aantal",
                                                    "3")))] == newest_first[:3]
    assert refused(run("voorstel", "lijst", "--na", "2021-999")) == (
        "onbekend voorstel '2021-999' (bij --na)")


def test_json_outputs_keep_their_documented_keys(run: Besluitroute) -> None:
    routes = json.loads(ok(run("route", "lijst", "--json")))
    grjr = next(r for r in routes if r["naam"] == ROUTE)
    assert grjr == {"naam": ROUTE, "titel": "Procesvoorstel GR Jeugdhulp Rijnmond", "stappen": [
        {"orgaan": "programmateam", "rol": "advies"},
        {"orgaan": "stuurgroep-transformatie", "rol": "advies"},
        {"orgaan": "aoj", "rol": "advies"},
        {"orgaan": "ab-platform-jeugd", "rol": "besluit"}]}
    meetings = json.loads(ok(run("vergadering", "lijst", "--orgaan", "aoj", "--van",
                                 "2021-06-24", "--tot", "2021-06-24", "--json")))
    assert len(meetings) == 1
    assert set(meetings[0]) >= {"id", "orgaan", "datum", "tijd", "plaats", "geannuleerd"}
    assert (meetings[0]["datum"], meetings[0]["tijd"]) == ("2021-06-24", "13:00")
    kenmerk = submit(run)
    d = dossier(run, kenmerk)
    assert set(d) >= {"kenmerk", "titel", "route", "status", "stap", "vergadering",
                      "beslispunten", "geschiedenis"}
    assert d["stap"] == "programmateam" and d["vergadering"] is None
    assert set(d["geschiedenis"][0]) >= {"tijdstip", "door", "van", "naar", "vergadering",
                                         "uitkomst", "tekst"}


def test_route_is_shown_as_a_mermaid_state_diagram(run: Besluitroute) -> None:
    out = ok(run("route", "toon", ROUTE, "--mermaid"))
    assert out.startswith("stateDiagram-v2\n")
    assert "ingediend --> programmateam__geagendeerd: agenderen" in out
    assert "ab_platform_jeugd__geagendeerd --> vastgesteld: vastgesteld" in out
    assert refused(run("route", "toon", "geen-route")).startswith("onbekende route")


def test_kenmerk_numbers_per_year(run: Besluitroute) -> None:
    assert submit(run, "2026-03-01T10:00") == "2026-001"
    assert submit(run, "2026-03-02T10:00") == "2026-002"
    assert submit(run, "2027-01-04T10:00") == "2027-001"


def test_hostile_text_cannot_drive_the_terminal(run: Besluitroute, omgeving: Omgeving) -> None:
    titel = "Voorstel\x1b[2J\x1b]0;gekaapt\x07 met\nnieuwe regel <script>alert(1)</script>"
    # Refused at the door: a title and a beslispunt are one line without control characters.
    assert refused(run("voorstel", "indienen", "--titel", titel, "--route", ROUTE,
                       "--opsteller", "O", "--beslispunt", "punt")) == (
        "de titel moet op één regel staan, zonder stuurtekens; bevat een stuurteken (U+001B)")
    assert refused(run("voorstel", "indienen", "--titel", "T", "--route", ROUTE,
                       "--opsteller", "O", "--beslispunt", "punt\x1b[31m rood")) == (
        "beslispunt 1 moet op één regel staan, zonder stuurtekens; bevat een stuurteken (U+001B)")
    assert json.loads(ok(run("voorstel", "lijst", "--json"))) == []
    # Text stored before that rule existed still prints as one safe line.
    kenmerk = submit(run)
    with omgeving.db.schrijf() as session:
        session.execute(update(Voorstel).where(Voorstel.kenmerk == kenmerk).values(titel=titel))
        session.execute(update(Beslispunt).values(tekst="punt\x1b[31m rood"))
    assert dossier(run, kenmerk)["titel"] == titel  # shown exactly as stored in JSON
    for out in (ok(run("voorstel", "toon", kenmerk)), ok(run("voorstel", "lijst"))):
        assert "\x1b" not in out and "\x07" not in out
    assert "Onderwerp:        Voorstel [2J ]0;gekaapt met nieuwe regel <script>" in ok(
        run("voorstel", "toon", kenmerk))


def test_registered_documents_are_shown_with_the_proposal(run: Besluitroute, tmp_path: Any) -> None:
    kenmerk = submit(run)
    stuk = tmp_path / "plan van aanpak.pdf"
    stuk.write_bytes(b"%PDF-1.4 plan")
    ok(run("voorstel", "bijlage", kenmerk, str(stuk), "--omschrijving", "Plan van aanpak"))
    [document] = dossier(run, kenmerk)["documenten"]
    assert (document["naam"], document["versie"], document["grootte"]) == (
        "plan van aanpak.pdf", 1, 13)
    assert "plan van aanpak.pdf (versie 1, 13 bytes): Plan van aanpak" in ok(
        run("voorstel", "toon", kenmerk))


# ---------------------------------------------------------------------------------------------
# History is a record: it keeps the meeting as it was when something happened.

def history_rows(omgeving: Omgeving, kenmerk: str) -> list[tuple[Any, ...]]:
    with omgeving.db.lees() as session:
        voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk))
        assert voorstel is not None
        return [(g.id, g.handeling, g.vergadering_id, g.orgaan, g.vergadering_begin,
                 g.vergadering_titel, g.tekst)
                for g in session.scalars(select(Gebeurtenis).where(
                    Gebeurtenis.voorstel_id == voorstel.id).order_by(Gebeurtenis.id))]


def history_lines(toon: str) -> list[str]:
    """The rows of the GESCHIEDENIS table, spaces collapsed (column widths follow the content)."""
    rows: list[str] = []
    for line in toon.split("GESCHIEDENIS\n")[1].splitlines()[2:]:
        if line.startswith(" ") and rows:  # a long text wrapped onto the next line
            rows[-1] += " " + line
        else:
            rows.append(line)
    return [" ".join(r.split()) for r in rows]


def test_moving_a_meeting_after_an_outcome_leaves_earlier_history_as_it_was(
        run: Besluitroute, omgeving: Omgeving) -> None:
    kenmerk = at_stuurgroep(run)  # advised on 14 June, on the stuurgroep of 23 June 14:00
    stuurgroep = meeting(run, "stuurgroep-transformatie", "2021-06-23")
    before_rows = history_rows(omgeving, kenmerk)
    before_json = dossier(run, kenmerk)["geschiedenis"]
    before_text = history_lines(ok(run("voorstel", "toon", kenmerk)))
    agenderen = before_json[-1]
    assert (agenderen["handeling"], agenderen["orgaan"], agenderen["vergadering_begin"],
            agenderen["vergadering_titel"]) == (
        "agenderen", "stuurgroep-transformatie", "2021-06-23T14:00:00+02:00",
        "Stuurgroep transformatie")
    assert "Stuurgroep transformatie 23 juni 2021 14:00" in before_text[-1]

    moved = ok(run("vergadering", "verplaats", str(stuurgroep), "--naar", "2021-06-25T10:00",
                   nu="2021-06-15T09:00"))
    assert f"{kenmerk}: vergadering {stuurgroep} van Stuurgroep transformatie verplaatst" in moved

    # In the database the earlier rows are exactly as they were; one row was added.
    after_rows = history_rows(omgeving, kenmerk)
    assert after_rows[:len(before_rows)] == before_rows
    [added] = after_rows[len(before_rows):]
    assert added[1:4] == ("verplaatsen", stuurgroep, "stuurgroep-transformatie")
    assert added[6] == ("vergadering Stuurgroep transformatie van 23 juni 2021 verplaatst naar "
                        "25 juni 2021 10:00")
    # The same in the JSON and in the text the secretariat reads.
    after_json = dossier(run, kenmerk)["geschiedenis"]
    assert after_json[:len(before_json)] == before_json
    assert after_json[-1]["vergadering_begin"] == "2021-06-25T10:00:00+02:00"
    after_text = history_lines(ok(run("voorstel", "toon", kenmerk, nu="2021-06-15T09:05")))
    assert after_text[:len(before_text)] == before_text
    assert "Stuurgroep transformatie 23 juni 2021 14:00" in after_text[-2]
    assert "Stuurgroep transformatie 25 juni 2021 10:00 vergadering Stuurgroep transformatie " \
           "van 23 juni 2021 verplaatst" in after_text[-1]
    assert f"vergadering {stuurgroep} " not in " ".join(after_text)  # no internal ids


def test_cancelling_a_meeting_adds_a_row_to_each_proposal_on_it(
        run: Besluitroute, omgeving: Omgeving) -> None:
    kenmerk = at_stuurgroep(run)
    stuurgroep = meeting(run, "stuurgroep-transformatie", "2021-06-23")
    ok(run("vergadering", "annuleer", str(stuurgroep), nu="2021-06-15T09:00"))
    history = dossier(run, kenmerk)["geschiedenis"]
    assert [(h["handeling"], h["tekst"]) for h in history[-2:]] == [
        ("annuleren", "vergadering Stuurgroep transformatie van 23 juni 2021 14:00 geannuleerd"),
        ("herplannen", "vergadering geannuleerd: naar de volgende vergadering, 15 september 2021"),
    ]
    assert history[-2]["vergadering_begin"] == "2021-06-23T14:00:00+02:00"
    assert history[-1]["vergadering_begin"].startswith("2021-09-15")


# ---------------------------------------------------------------------------------------------
# One-line fields are one line; a decision needs something to decide on.

def test_one_line_fields_refuse_line_breaks_and_control_characters(run: Besluitroute,
                                                                  tmp_path: Any) -> None:
    base = ["voorstel", "indienen", "--route", ROUTE, "--beslispunt", "Instemmen"]
    assert refused(run(*base, "--titel", "Plan\r\nBcc: x@example.org", "--opsteller", "O")) == (
        "de titel moet op één regel staan, zonder stuurtekens; bevat een regeleinde (CR)")
    assert refused(run(*base, "--titel", "Plan", "--opsteller", "A.\nOpsteller")) == (
        "de opsteller moet op één regel staan, zonder stuurtekens; bevat een regeleinde (LF)")
    assert refused(run(*base, "--titel", "Plan", "--opsteller", "O", "--door",
                       "secretaris\u2028x")) == (
        "de naam bij --door moet op één regel staan, zonder stuurtekens; bevat een "
        "regelscheiding (U+2028)")
    assert refused(run("voorstel", "indienen", "--route", ROUTE, "--titel", "Plan",
                       "--opsteller", "O", "--beslispunt", "Een\tpunt")) == (
        "beslispunt 1 moet op één regel staan, zonder stuurtekens; bevat een tab")
    assert json.loads(ok(run("voorstel", "lijst", "--json"))) == []

    kenmerk = at_stuurgroep(run)
    stuurgroep = str(meeting(run, "stuurgroep-transformatie", "2021-06-23"))
    for args in (["verplaats", stuurgroep, "--naar", "2021-06-25"], ["annuleer", stuurgroep]):
        assert refused(run("vergadering", *args, "--door", "a\nb", nu="2021-06-15")) == (
            "de naam bij --door moet op één regel staan, zonder stuurtekens; bevat een "
            "regeleinde (LF)")
    stuk = tmp_path / "stuk.pdf"
    stuk.write_bytes(b"%PDF-1.4")
    assert refused(run("voorstel", "bijlage", kenmerk, str(stuk), "--omschrijving",
                       "Plan\nvan aanpak")) == (
        "de omschrijving moet op één regel staan, zonder stuurtekens; bevat een regeleinde (LF)")
    for args in (["aanhouden", kenmerk, "--reden", "eerst\nde begroting"],
                 ["terugverwijzen", kenmerk, "--reden", "her\rschrijven"],
                 ["intrekken", kenmerk, "--reden", "niet\x00meer nodig"]):
        assert "moet op één regel staan" in refused(run("voorstel", *args,
                                                        nu="2021-06-23T16:00"))
    assert refused(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst",
                       "Akkoord \x1b[2J", nu="2021-06-23T16:00")) == (
        "de tekst van het advies bevat een stuurteken (U+001B); alleen regeleinden en tabs "
        "mogen")
    assert dossier(run, kenmerk)["status"].endswith(":geagendeerd")
    # Advice is a long free text: it may run over several lines.
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "voorwaardelijk", "--tekst",
           "Akkoord, mits:\r\n- de planning klopt\n- de begroting sluit", nu="2021-06-23T16:00"))
    assert dossier(run, kenmerk)["geschiedenis"][-1]["tekst"] == (
        "Akkoord, mits:\n- de planning klopt\n- de begroting sluit")


def test_a_proposal_for_a_decision_needs_a_beslispunt(run: Besluitroute) -> None:
    assert refused(run("voorstel", "indienen", "--titel", "Plan", "--route", ROUTE,
                       "--opsteller", "O")) == (
        "route grjr-procesvoorstel gaat ter besluitvorming naar AB platform jeugd: geef minstens "
        "één beslispunt (--beslispunt TEKST)")
    assert json.loads(ok(run("voorstel", "lijst", "--json"))) == []


# ---------------------------------------------------------------------------------------------
# Correcting a proposal before its first outcome.

def test_a_proposal_is_corrected_before_its_first_outcome_and_not_after(
        run: Besluitroute) -> None:
    kenmerk = submit(run)
    ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-07T09:05"))
    out = ok(run("voorstel", "wijzig", kenmerk, "--titel", "Procesvoorstel participatie",
                 "--beslispunt", "2=Inzetten van de praatplaat regiovisie",
                 "--beslispunt", "3=Evalueren na een jaar", "--opsteller", "B. Opsteller",
                 "--door", "secretaris", nu="2021-06-08T10:00"))
    assert out == (f"voorstel {kenmerk}: gewijzigd (titel was \"Procesvoorstel "
                   "cliëntparticipatie\"; beslispunt 2 was \"Inzetten van de praatplaat\"; "
                   "beslispunt 3 toegevoegd; opsteller was \"A. Opsteller\"); geagendeerd bij "
                   "Programmateam\n")
    d = dossier(run, kenmerk)
    assert (d["titel"], d["opsteller"]) == ("Procesvoorstel participatie", "B. Opsteller")
    assert [p["tekst"] for p in d["beslispunten"]] == [
        "Instemmen met het plan van aanpak", "Inzetten van de praatplaat regiovisie",
        "Evalueren na een jaar"]
    row = d["geschiedenis"][-1]
    assert (row["handeling"], row["door"], row["tijdstip"]) == (
        "wijzigen", "secretaris", "2021-06-08T10:00:00+02:00")
    assert "Procesvoorstel participatie" in ok(run("voorstel", "toon", kenmerk))

    assert refused(run("voorstel", "wijzig", kenmerk)) == (
        "geef aan wat er wijzigt: --titel, --beslispunt N=TEKST, --opsteller of --opsteller-email")
    assert refused(run("voorstel", "wijzig", kenmerk, "--beslispunt", "5=Te ver")) == (
        f"voorstel {kenmerk} heeft geen beslispunt 5 (1 tot en met 3; 4 voegt er een toe)")
    assert refused(run("voorstel", "wijzig", kenmerk, "--beslispunt", "twee")) == (
        "--beslispunt 'twee': verwacht NUMMER=TEKST, bijvoorbeeld 2=Instemmen met de planning")
    assert refused(run("voorstel", "wijzig", kenmerk, "--titel", "Twee\nregels")) == (
        "de titel moet op één regel staan, zonder stuurtekens; bevat een regeleinde (LF)")
    assert ok(run("voorstel", "wijzig", kenmerk, "--titel", "Procesvoorstel participatie")) == (
        f"voorstel {kenmerk}: niets gewijzigd\n")
    assert len(dossier(run, kenmerk)["geschiedenis"]) == len(d["geschiedenis"])

    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           nu="2021-06-14T12:00"))
    assert refused(run("voorstel", "wijzig", kenmerk, "--titel", "Te laat",
                       nu="2021-06-15T09:00")) == (
        f"voorstel {kenmerk} heeft al een uitkomst (positief door Programmateam regiovisie op "
        "14 juni 2021); wijzigen kan alleen vóór de eerste uitkomst")
    assert dossier(run, kenmerk)["titel"] == "Procesvoorstel participatie"
