"""The route planner (pure): seed 002's "Te bespreken in" forward and backward, infeasible targets,
minimum gaps and re-planning that shifts only what must shift."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from workflow.basis.clock import TZ
from workflow.basis.paden import meegeleverd
from workflow.definities import lezen
from workflow.definities.model import Definities
from workflow.kalender import planning

SEED_002 = [("programmateam", date(2021, 6, 14)), ("stuurgroep-transformatie", date(2021, 6, 23)),
            ("aoj", date(2021, 6, 24)), ("ab-platform-jeugd", date(2021, 7, 2))]


@pytest.fixture(scope="module")
def shipped() -> Definities:
    return lezen.load(meegeleverd("definities"))


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def route_input(shipped: Definities, naam: str = "grjr-procesvoorstel"
                ) -> tuple[list[planning.PlanStap], dict[str, list[planning.Optie]]]:
    stappen = planning.stappen(shipped.route(naam), shipped)
    return stappen, planning.agenda_uit_definities(shipped, {s.orgaan for s in stappen})


def plan_dates(plan: planning.Plan | planning.Onhaalbaar) -> list[tuple[str, date]]:
    assert isinstance(plan, planning.Plan), getattr(plan, "melding", plan)
    return [(r.stap.orgaan, r.vergadering.begin.astimezone(TZ).date()) for r in plan.regels]


@pytest.mark.parametrize("ingediend", ["2021-06-01T09:00", "2021-06-07T16:30"])
def test_seed_002_forward_from_the_submission_date(shipped: Definities, ingediend: str) -> None:
    stappen, agenda = route_input(shipped)
    nu = moment(ingediend)
    plan = planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)
    assert plan_dates(plan) == SEED_002
    assert isinstance(plan, planning.Plan)
    assert plan.te_bespreken_in() == ("Programmateam regiovisie 14 juni, Stuurgroep transformatie "
                                      "23 juni, Ambtelijk Overleg Jeugd 24 juni, "
                                      "AB platform jeugd 2 juli")
    # The documents must be in by the end of 7 June (5 working days before 14 June).
    assert plan.aanleveren_voor == moment("2021-06-08T00:00")


def test_a_day_too_late_for_the_programmateam_shifts_the_whole_route(shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    nu = moment("2021-06-08T09:00")
    assert plan_dates(planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)) == [
        ("programmateam", date(2021, 6, 28)), ("stuurgroep-transformatie", date(2021, 9, 15)),
        ("aoj", date(2021, 9, 30)), ("ab-platform-jeugd", date(2021, 10, 8))]


def test_seed_002_backward_from_the_ab_of_2_july(shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-02T00:00"))
    assert doel is not None
    plan = planning.terug(stappen, agenda, doel, moment("2021-05-25T09:00"))
    assert plan_dates(plan) == SEED_002


def test_an_infeasible_target_says_which_step_fails_and_the_earliest_decision(
        shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-02T00:00"))
    assert doel is not None
    result = planning.terug(stappen, agenda, doel, moment("2021-06-10T09:00"))
    assert isinstance(result, planning.Onhaalbaar)
    assert result.stap.orgaan == "programmateam"
    assert result.melding == (
        "een besluit op 2 juli 2021 is niet haalbaar: Programmateam regiovisie (programmateam) "
        "is niet te halen: de aanleverdatum voor de vergadering van 14 juni 2021 was 7 juni 2021, "
        "en er is geen latere vergadering die vóór 23 juni 2021 past; vroegst mogelijke besluit: "
        "AB platform jeugd op 8 oktober 2021")
    assert result.vroegst_mogelijk is not None
    assert plan_dates(result.vroegst_mogelijk)[-1] == ("ab-platform-jeugd", date(2021, 10, 8))


def test_a_target_whose_own_deadline_passed_is_infeasible(shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-02T00:00"))
    assert doel is not None
    result = planning.terug(stappen, agenda, doel, moment("2021-06-21T09:00"))
    assert isinstance(result, planning.Onhaalbaar)
    assert result.stap.orgaan == "ab-platform-jeugd"
    assert "de aanleverdatum voor 2 juli 2021 is verstreken (18 juni 2021)" in result.melding


def test_a_target_date_without_meeting_takes_the_last_meeting_before_it(
        shipped: Definities) -> None:
    _, agenda = route_input(shipped)
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-20T00:00"))
    assert doel is not None and doel.begin.date() == date(2021, 7, 2)
    assert planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2020-01-01T00:00")) \
        is None


def test_the_minimum_gap_of_a_step_is_respected_forward_and_backward(
        shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    # The AOJ wants a week between the Stuurgroep's advice and its own meeting.
    stappen[2] = replace(stappen[2], min_dagen_na_vorige=7)
    nu = moment("2021-06-01T09:00")
    assert plan_dates(planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu))[1:] == [
        ("stuurgroep-transformatie", date(2021, 6, 23)), ("aoj", date(2021, 9, 30)),
        ("ab-platform-jeugd", date(2021, 10, 8))]
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-02T00:00"))
    assert doel is not None
    # Backward the Stuurgroep must then meet by 17 June (the one of 26 May), and no programmateam
    # meets before that in 2021.
    backward = planning.terug(stappen, agenda, doel, moment("2021-05-01T09:00"))
    assert isinstance(backward, planning.Onhaalbaar)
    assert backward.stap.orgaan == "programmateam"
    assert "vóór Stuurgroep transformatie van 26 mei 2021" in backward.melding
    assert backward.vroegst_mogelijk is not None
    assert plan_dates(backward.vroegst_mogelijk) == [
        ("programmateam", date(2021, 5, 31)), ("stuurgroep-transformatie", date(2021, 6, 23)),
        ("aoj", date(2021, 9, 30)), ("ab-platform-jeugd", date(2021, 10, 8))]


def test_a_step_follows_only_after_the_previous_meeting_has_ended() -> None:
    stap_a = planning.PlanStap("a", "a", "A")
    stap_b = planning.PlanStap("b", "b", "B")
    begin = moment("2026-03-02T10:00")
    a = planning.Optie("a", begin, moment("2026-03-02T12:00"), moment("2026-02-20T00:00"))
    b_same_morning = planning.Optie("b", moment("2026-03-02T11:00"), moment("2026-03-02T12:00"),
                                    moment("2026-02-20T00:00"))
    b_afternoon = planning.Optie("b", moment("2026-03-02T14:00"), moment("2026-03-02T16:00"),
                                 moment("2026-02-20T00:00"))
    plan = planning.vooruit([stap_a, stap_b], {"a": [a], "b": [b_same_morning, b_afternoon]},
                            moment("2026-02-01T00:00"), aangeleverd_op=moment("2026-02-01T00:00"))
    assert isinstance(plan, planning.Plan)
    assert plan.regels[1].vergadering == b_afternoon


def test_re_planning_keeps_meetings_that_still_fit_and_shifts_the_rest(
        shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    by_day = {(o.orgaan, o.begin.date()): o for opties in agenda.values() for o in opties}
    # Postponed at the Stuurgroep of 23 June: it is now on the one of 15 September.
    vast = [by_day[("programmateam", date(2021, 6, 14))]]
    voorkeur = {"stuurgroep-transformatie": by_day[("stuurgroep-transformatie",
                                                    date(2021, 6, 23))],
                "aoj": by_day[("aoj", date(2021, 6, 24))],
                "ab-platform-jeugd": by_day[("ab-platform-jeugd", date(2021, 7, 2))]}
    nu = moment("2021-06-23T16:00")
    replanned = planning.vooruit(stappen[1:], agenda, nu, aangeleverd_op=None,
                                 vast=[by_day[("stuurgroep-transformatie", date(2021, 9, 15))]],
                                 voorkeur=voorkeur)
    assert plan_dates(replanned) == [("stuurgroep-transformatie", date(2021, 9, 15)),
                                     ("aoj", date(2021, 9, 30)),
                                     ("ab-platform-jeugd", date(2021, 10, 8))]
    # Nothing moved: the recorded plan stands, even though its deadlines have passed.
    unchanged = planning.vooruit(stappen, agenda, moment("2021-06-01T09:00"), aangeleverd_op=None,
                                 vast=vast, voorkeur=voorkeur)
    assert plan_dates(unchanged) == SEED_002


def test_forward_planning_past_the_last_known_meeting_says_so(shipped: Definities) -> None:
    stappen, agenda = route_input(shipped)
    # The shipped calendars run to the end of 2028.
    nu = moment("2028-12-20T09:00")
    result = planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)
    assert isinstance(result, planning.Onhaalbaar)
    assert result.stap.orgaan == "programmateam"
    assert result.melding.startswith("geen planning mogelijk: Programmateam regiovisie "
                                     "(programmateam) is niet te halen: Programmateam regiovisie "
                                     "heeft na 20 december 2028 geen vergadering meer")


def test_planning_back_from_the_decision_gives_the_plan_forward_gave(shipped: Definities
                                                                    ) -> None:
    """Seed 002 both ways: asked "when must it go in to be decided on 2 July?", the planner
    names the very meetings it named forward from 1 June. (Its speed is a benchmark figure:
    scripts/benchmark.py, `plannen`.)"""
    stappen, agenda = route_input(shipped)
    nu = moment("2021-06-01T09:00")
    doel = planning.doelvergadering(agenda, "ab-platform-jeugd", moment("2021-07-02T00:00"))
    assert doel is not None and doel.begin.astimezone(TZ).date() == date(2021, 7, 2)
    vooruit = planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)
    terug = planning.terug(stappen, agenda, doel, nu)
    assert plan_dates(terug) == plan_dates(vooruit) == SEED_002
