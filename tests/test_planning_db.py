"""Planning in the database, through the CLI as the secretariat uses it: recording seed 002's plan,
postponing, moving and cancelling meetings, late items. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from click.testing import Result as _Result
from sqlalchemy import select

from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Gebeurtenis, Vergadering, Voorstel

Besluitroute = Callable[..., _Result]


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def submit(besluitroute: Besluitroute, nu: str, *, onderwerp: str | None = None,
           opsteller: str = "Anja Jongerius") -> str:
    ok(besluitroute("init"))
    args = ["voorstel", "indienen", "--titel", "Procesvoorstel cliëntparticipatie", "--route",
            "grjr-procesvoorstel", "--opsteller", opsteller, "--in-opdracht-van",
            "ab-platform-jeugd", "--beslispunt", "Uitwerking van de adviezen"]
    if onderwerp:
        args += ["--onderwerp", onderwerp]
    return ok(besluitroute(*args, nu=nu)).strip()


def plan_json(besluitroute: Besluitroute, kenmerk: str, nu: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(besluitroute("voorstel", "plan", kenmerk, "--json",
                                                      nu=nu)))
    return data


def table(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(r["orgaan"], r["begin"][:10], r["status"]) for r in data["regels"]]


def meeting_id(omgeving: Omgeving, orgaan: str, dag: str) -> int:
    with omgeving.db.lees() as session:
        for v in session.scalars(select(Vergadering).where(Vergadering.orgaan == orgaan)):
            if v.begin.astimezone(TZ).date().isoformat() == dag:
                return v.id
    raise AssertionError(f"no meeting of {orgaan} on {dag}")


def herplannen(omgeving: Omgeving, kenmerk: str, handeling: str = "herplannen") -> list[str]:
    with omgeving.db.lees() as session:
        voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk))
        assert voorstel is not None
        return [g.tekst or "" for g in session.scalars(
            select(Gebeurtenis).where(Gebeurtenis.voorstel_id == voorstel.id,
                                      Gebeurtenis.handeling == handeling)
            .order_by(Gebeurtenis.id))]


def test_the_secretariat_records_seed_002s_plan_and_it_is_followed(
        besluitroute: Besluitroute) -> None:
    kenmerk = submit(besluitroute, "2021-06-01T09:00")
    proposal = ok(besluitroute("voorstel", "plan", kenmerk, nu="2021-06-01T09:00"))
    assert "stukken uiterlijk aanleveren op 7 juni 2021" in proposal
    recorded = ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01T09:00"))
    lines = recorded.splitlines()
    assert lines[0] == f"voorstel {kenmerk}: Procesvoorstel cliëntparticipatie"
    assert lines[3].split()[:6] == ["Programmateam", "regiovisie", "ter", "advisering", "14",
                                    "juni"]
    assert "geagendeerd" in lines[3]
    assert "23 juni 2021 14:00" in lines[4] and "gepland" in lines[4]
    assert "24 juni 2021 13:00" in lines[5] and "gepland" in lines[5]
    assert "2 juli 2021 10:00" in lines[6] and "gepland" in lines[6]
    data = plan_json(besluitroute, kenmerk, "2021-06-02")
    assert data["te_bespreken_in"] == ("Programmateam regiovisie 14 juni, Stuurgroep "
                                       "transformatie 23 juni, Ambtelijk Overleg Jeugd 24 juni, "
                                       "AB platform jeugd 2 juli")
    # After each advice it moves on to the planned meeting, although the AOJ's deadline (17 June)
    # passed since planning: the documents were delivered when it was planned.
    ok(besluitroute("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
                    nu="2021-06-14T12:00"))
    ok(besluitroute("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst",
                    "Bouw voort op bestaande initiatieven", nu="2021-06-23T16:00"))
    data = plan_json(besluitroute, kenmerk, "2021-06-23T16:30")
    assert table(data) == [("programmateam", "2021-06-14", "behandeld"),
                           ("stuurgroep-transformatie", "2021-06-23", "behandeld"),
                           ("aoj", "2021-06-24", "geagendeerd"),
                           ("ab-platform-jeugd", "2021-07-02", "gepland")]


def test_planning_backward_from_the_decision_date_records_the_same_plan(
        besluitroute: Besluitroute) -> None:
    kenmerk = submit(besluitroute, "2021-05-25T09:00")
    data = json.loads(ok(besluitroute("voorstel", "plan", kenmerk, "--besluit-op", "2021-07-02",
                                      "--vastleggen", "--json", nu="2021-05-25T09:00")))
    assert table(data) == [("programmateam", "2021-06-14", "geagendeerd"),
                           ("stuurgroep-transformatie", "2021-06-23", "gepland"),
                           ("aoj", "2021-06-24", "gepland"),
                           ("ab-platform-jeugd", "2021-07-02", "gepland")]


def test_an_infeasible_decision_date_is_refused_with_the_earliest_possible_one(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    result = besluitroute("plan", "--route", "grjr-procesvoorstel", "--besluit-op", "2021-07-02",
                          nu="2021-06-10T09:00")
    assert result.exit_code == 2
    assert result.stderr == (
        "fout: een besluit op 2 juli 2021 is niet haalbaar: Programmateam regiovisie "
        "(programmateam) is niet te halen: de aanleverdatum voor de vergadering van 14 juni 2021 "
        "was 7 juni 2021, en er is geen latere vergadering die vóór 23 juni 2021 past; vroegst "
        "mogelijke besluit: AB platform jeugd op 8 oktober 2021\n")
    assert "vroegst mogelijke planning:" in result.stdout
    assert "8 oktober 2021 10:00" in result.stdout
    feasible = ok(besluitroute("plan", "--route", "grjr-procesvoorstel", "--vanaf", "2021-06-01"))
    assert "stukken uiterlijk aanleveren op 7 juni 2021" in feasible


def test_postponing_shifts_every_later_step_and_history_records_it(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    kenmerk = submit(besluitroute, "2021-06-01T09:00")
    ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01T09:00"))
    ok(besluitroute("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
                    nu="2021-06-14T12:00"))
    ok(besluitroute("voorstel", "aanhouden", kenmerk, "--reden", "Eerst de begroting",
                    nu="2021-06-23T16:00"))
    data = plan_json(besluitroute, kenmerk, "2021-06-23T16:30")
    assert table(data) == [("programmateam", "2021-06-14", "behandeld"),
                           ("stuurgroep-transformatie", "2021-09-15", "geagendeerd"),
                           ("aoj", "2021-09-30", "gepland"),
                           ("ab-platform-jeugd", "2021-10-08", "gepland")]
    assert herplannen(omgeving, kenmerk) == [
        "aangehouden: Ambtelijk Overleg Jeugd van 24 juni 2021 naar 30 september 2021",
        "aangehouden: AB platform jeugd van 2 juli 2021 naar 8 oktober 2021"]
    with omgeving.db.lees() as session:
        statuses = sorted((a.status, a.stap) for a in session.scalars(select(Agendapunt)))
    assert statuses.count(("vervallen", "aoj")) == 1
    assert statuses.count(("gepland", "aoj")) == 1


def test_moving_a_meeting_re_plans_the_proposals_on_it(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    first = submit(besluitroute, "2021-06-01T09:00")
    second = ok(besluitroute("voorstel", "indienen", "--titel", "Inrichting programmateam",
                             "--route", "grjr-procesvoorstel", "--opsteller", "Kwartiermaker",
                             "--beslispunt", "Instemmen", nu="2021-06-01T09:05")).strip()
    for kenmerk in (first, second):
        ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01T10:00"))
    aoj = meeting_id(omgeving, "aoj", "2021-06-24")
    # The AOJ of 24 June moves to 5 July, after the AB of 2 July: the AB step must shift.
    moved = ok(besluitroute("vergadering", "verplaats", str(aoj), "--naar", "2021-07-05",
                            nu="2021-06-02T09:00"))
    assert moved.splitlines()[0] == (f"vergadering {aoj} van Ambtelijk Overleg Jeugd verplaatst "
                                     "van 24 juni 2021 13:00 naar 5 juli 2021 13:00")
    for kenmerk in (first, second):
        assert f"{kenmerk}: vergadering verplaatst: AB platform jeugd van 2 juli 2021 naar " \
               "8 oktober 2021" in moved
        data = plan_json(besluitroute, kenmerk, "2021-06-02T09:30")
        assert table(data)[2:] == [("aoj", "2021-07-05", "gepland"),
                                   ("ab-platform-jeugd", "2021-10-08", "gepland")]
        # Its own history row, without internal ids; the re-plan follows it.
        assert herplannen(omgeving, kenmerk, "verplaatsen") == [
            "vergadering Ambtelijk Overleg Jeugd van 24 juni 2021 verplaatst naar 5 juli 2021 13:00"]
        assert herplannen(omgeving, kenmerk)[0].startswith("vergadering verplaatst: AB platform")
    with omgeving.db.lees() as session:
        vergadering = session.get(Vergadering, aoj)
        assert vergadering is not None
        assert vergadering.handmatig and vergadering.volgnummer == 1
        assert vergadering.sleutel == "aoj-20210624"
    # Synchronising with the definitions leaves the moved meeting alone.
    ok(besluitroute("vergadering", "lijst", "--orgaan", "aoj"))
    with omgeving.db.lees() as session:
        vergadering = session.get(Vergadering, aoj)
        assert vergadering is not None and vergadering.begin.day == 5


def test_cancelling_the_current_meeting_moves_the_proposal_to_the_next_one(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    kenmerk = submit(besluitroute, "2021-06-01T09:00")
    ok(besluitroute("voorstel", "plan", kenmerk, "--vastleggen", nu="2021-06-01T09:00"))
    programmateam = meeting_id(omgeving, "programmateam", "2021-06-14")
    cancelled = ok(besluitroute("vergadering", "annuleer", str(programmateam),
                                nu="2021-06-10T09:00"))
    assert f"{kenmerk}: vergadering {programmateam} van Programmateam regiovisie op " \
           "14 juni 2021 10:00 geannuleerd; naar de volgende vergadering, 28 juni 2021" in cancelled
    data = plan_json(besluitroute, kenmerk, "2021-06-10T09:30")
    assert table(data) == [("programmateam", "2021-06-28", "geagendeerd"),
                           ("stuurgroep-transformatie", "2021-09-15", "gepland"),
                           ("aoj", "2021-09-30", "gepland"),
                           ("ab-platform-jeugd", "2021-10-08", "gepland")]
    listing = json.loads(ok(besluitroute("vergadering", "lijst", "--orgaan", "programmateam",
                                         "--van", "2021-06-14", "--tot", "2021-06-14", "--json")))
    assert listing[0]["geannuleerd"] is True
    again = besluitroute("vergadering", "annuleer", str(programmateam), nu="2021-06-10T09:00")
    assert again.exit_code == 2
    assert again.stderr.startswith(f"fout: vergadering {programmateam} van Programmateam "
                                   "regiovisie op 14 juni 2021 is geannuleerd")


def test_moving_a_meeting_into_the_past_is_refused_and_nothing_changes(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    ok(besluitroute("init"))
    aoj = meeting_id(omgeving, "aoj", "2021-06-24")
    result = besluitroute("vergadering", "verplaats", str(aoj), "--naar", "2021-06-01T13:00",
                          nu="2021-06-10T09:00")
    assert result.exit_code == 2
    assert result.stderr == "fout: 1 juni 2021 13:00 ligt in het verleden\n"
    with omgeving.db.lees() as session:
        vergadering = session.get(Vergadering, aoj)
        assert vergadering is not None and not vergadering.handmatig


def test_a_late_item_shows_as_nagekomen_in_the_plan(
        besluitroute: Besluitroute, omgeving: Omgeving) -> None:
    kenmerk = submit(besluitroute, "2021-06-10T09:00")
    programmateam = meeting_id(omgeving, "programmateam", "2021-06-14")
    refused = besluitroute("voorstel", "agenderen", kenmerk, "--vergadering", str(programmateam),
                           nu="2021-06-10T09:00")
    assert refused.exit_code == 2 and "7 juni 2021" in refused.stderr
    ok(besluitroute("voorstel", "agenderen", kenmerk, "--vergadering", str(programmateam),
                    "--na-deadline", nu="2021-06-10T09:00"))
    shown = ok(besluitroute("voorstel", "plan", kenmerk, nu="2021-06-10T09:05"))
    assert "geagendeerd (nagekomen)" in shown
    data = plan_json(besluitroute, kenmerk, "2021-06-10T09:05")
    assert data["regels"][0]["nagekomen"] is True
