"""Gaps in a body's calendar that a plan crosses. Pure: a plan and the definitions in, one Dutch
line per gap out.

A plan that waits for a body's next meeting longer than its rhythm would allow is a warning, not
an error: "geen vergadering van het SAO gedefinieerd tussen 2 december 2023 en 6 januari 2026"
tells the secretariat that the calendar, not the route, is what makes the plan late. The
rhythm is measured as the median distance between the body's defined meetings; the wait is
counted from the previous step's meeting (or the start of planning), or from the body's last
meeting when that is later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median

from workflow.basis.clock import TZ
from workflow.basis.tekst import datum
from workflow.definities import ritme
from workflow.definities.model import Definities, Orgaan
from workflow.kalender.planning import Plan

#: A wait longer than this many times the body's usual distance between meetings is a gap; a
#: summer recess of a monthly body (two and a half months) is not.
RITME_FACTOR = 3
#: Never a gap below this: a weekly body's Christmas break is none.
MINIMUM = timedelta(days=31)


def _dagen(orgaan: Orgaan) -> list[date]:
    return sorted({m.begin.astimezone(TZ).date() for m in ritme.vergaderingen(orgaan)
                   if not m.geannuleerd})


def toegestaan(dagen: Sequence[date]) -> timedelta:
    """The longest wait the body's rhythm allows: a few times its median distance."""
    afstanden = [(b - a).days for a, b in pairwise(dagen)]
    if not afstanden:
        return MINIMUM
    return max(MINIMUM, timedelta(days=RITME_FACTOR * median(afstanden)))


def hiaten(plan: Plan, definities: Definities, vanaf: datetime) -> list[str]:
    """One line per planned step whose meeting comes after a longer stretch without meetings of
    its body than that body's rhythm allows."""
    result: list[str] = []
    begin = vanaf.astimezone(TZ).date()
    for regel in plan.regels:
        gekozen = regel.vergadering.begin.astimezone(TZ).date()
        orgaan = definities.organen.get(regel.stap.orgaan)
        if orgaan is not None and not regel.vast:
            dagen = _dagen(orgaan)
            eerder = [d for d in dagen if d < gekozen]
            van = max(begin, eerder[-1]) if eerder else begin
            if gekozen - van > toegestaan(dagen):
                result.append(f"geen vergadering van {orgaan.genoemd(orgaan.afkorting)} "
                              f"gedefinieerd tussen {datum(van)} en {datum(gekozen)}")
        begin = max(begin, gekozen)
    return result
