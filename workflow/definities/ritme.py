"""The meeting dates a body's definition yields. Pure: no I/O, no clock.

A body's meetings come from explicit dates and RFC 5545 rhythms in its definition, minus
cancellations, plus moves, with Dutch public holidays applied. Every meeting has a stable `sleutel`
derived from the date it was first scheduled on, so a moved meeting keeps its identity (and its
calendar UID). The definitions' own validation uses these dates: a cancellation or move must name
a meeting the calendar has.

Times are wall-clock times in Europe/Amsterdam: a rhythm "every other Monday at 10:00" stays at
10:00 local across the DST changes (its UTC moment shifts by an hour), because every occurrence is
expanded as a naive local date and only then given the Amsterdam zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from workflow.basis.clock import TZ
from workflow.basis.grenzen import DATUM_MAX
from workflow.definities.model import Feestdagregel, Orgaan

#: How far an open-ended rhythm (no `tot`, no COUNT/UNTIL) is expanded.
OPEN_RITME_HORIZON = timedelta(days=2 * 366)
#: Safety bound on the occurrences of one rhythm (a daily rule over two years stays below it).
MAX_OCCURRENCES = 1000


@dataclass(frozen=True, slots=True)
class Vergaderdatum:
    """One meeting of a body as the definitions describe it."""

    sleutel: str
    orgaan: str
    begin: datetime  #: aware, Europe/Amsterdam
    plaats: str
    geannuleerd: bool = False
    opmerking: str = ""


@lru_cache(maxsize=64)
def _feestdagen(jaar: int) -> dict[date, str]:
    from workflow.definities import feestdagen

    # The package's default NL category (the public holidays a body does not meet on), kept in
    # the cache folder so that a long-running planner need not import the holidays package.
    return feestdagen.van_jaar(jaar)


def feestdag(dag: date) -> str | None:
    """The Dutch public holiday on `dag`, by name ('Koningsdag'), or None."""
    return _feestdagen(dag.year).get(dag)


def is_werkdag(dag: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return dag.weekday() < 5 and feestdag(dag) is None



def _sleutel(orgaan: Orgaan, dag: date) -> str:
    return f"{orgaan.sleutel}-{dag:%Y%m%d}"


def _holiday_shift(dag: date, regel: Feestdagregel) -> date | None:
    """Where a rhythm's occurrence on `dag` takes place; None when it is skipped.

    Only public holidays on weekdays move a meeting: a rhythm that names a Saturday means it.
    """
    if dag.weekday() >= 5 or feestdag(dag) is None:
        return dag
    if regel is Feestdagregel.OVERSLAAN:
        return None
    step = timedelta(days=-1 if regel is Feestdagregel.EERDER else 1)
    shifted = dag + step
    for _ in range(14):  # bounded: Dutch holidays never block two weeks
        if is_werkdag(shifted):
            return shifted
        shifted += step
    return None


def _rhythm_dates(orgaan: Orgaan) -> list[tuple[date, date, time, str]]:
    """(scheduled date, actual date, time, place) of every rhythm occurrence, holidays applied."""
    from dateutil.rrule import rrulestr

    raw: list[tuple[date, time, str]] = []
    for ritme in orgaan.ritmes:
        tijd = ritme.tijd or orgaan.standaard_tijd
        start = datetime.combine(ritme.vanaf, tijd)
        rule = rrulestr(ritme.regel, dtstart=start)
        if ritme.tot is not None:
            end = datetime.combine(ritme.tot, time(23, 59))
        elif "COUNT=" in ritme.regel.upper() or "UNTIL=" in ritme.regel.upper():
            end = datetime.combine(DATUM_MAX, time(23, 59))  # deadlines past it can't overflow
        else:
            end = min(start + OPEN_RITME_HORIZON, datetime.combine(DATUM_MAX, time(23, 59)))
        for occurrence in rule.xafter(start, count=MAX_OCCURRENCES, inc=True):
            if occurrence > end:
                break
            raw.append((occurrence.date(), tijd, ritme.plaats or orgaan.standaard_plaats))
    regular = {dag for dag, _, _ in raw if _holiday_shift(dag, orgaan.feestdagen) == dag}
    result: list[tuple[date, date, time, str]] = []
    taken: set[date] = set()
    for dag, tijd, plaats in sorted(raw):
        actual = _holiday_shift(dag, orgaan.feestdagen)
        if actual is None or actual in taken:
            continue
        if actual != dag and actual in regular:
            continue  # shifted onto a day the body meets anyway: one meeting, not two
        taken.add(actual)
        result.append((dag, actual, tijd, plaats))
    return result


def geplande_vergaderingen(orgaan: Orgaan) -> list[Vergaderdatum]:
    """The meetings from rhythms and explicit dates, before cancellations and moves."""
    by_key: dict[str, Vergaderdatum] = {}
    for dag, actual, tijd, plaats in _rhythm_dates(orgaan):
        key = _sleutel(orgaan, dag)
        opmerking = ""
        if actual != dag:
            opmerking = f"verschoven van {dag.isoformat()} ({feestdag(dag)})"
        by_key[key] = Vergaderdatum(
            sleutel=key,
            orgaan=orgaan.sleutel,
            begin=datetime.combine(actual, tijd, TZ),
            plaats=plaats,
            opmerking=opmerking,
        )
    for regel in orgaan.vergaderingen:
        key = regel.sleutel or _sleutel(orgaan, regel.datum)
        by_key[key] = Vergaderdatum(
            sleutel=key,
            orgaan=orgaan.sleutel,
            begin=datetime.combine(regel.datum, regel.tijd or orgaan.standaard_tijd, TZ),
            plaats=regel.plaats or orgaan.standaard_plaats,
            geannuleerd=regel.geannuleerd,
            opmerking=regel.opmerking,
        )
    return sorted(by_key.values(), key=lambda m: (m.begin, m.sleutel))


def _find(meetings: Iterable[Vergaderdatum], orgaan: Orgaan, dag: date) -> Vergaderdatum | None:
    """The meeting a date in `afgelast`/`verplaatst` means: by scheduled date, else actual date."""
    key = _sleutel(orgaan, dag)
    candidates = list(meetings)
    for m in candidates:
        if m.sleutel == key:
            return m
    for m in candidates:
        if m.begin.date() == dag:
            return m
    return None


def onbekende_data(orgaan: Orgaan) -> tuple[list[date], list[date]]:
    """Dates in `afgelast` and `verplaatst.van` that name no meeting of `orgaan`."""
    meetings = geplande_vergaderingen(orgaan)
    afgelast = [d for d in orgaan.afgelast if _find(meetings, orgaan, d) is None]
    verplaatst = [m.van for m in orgaan.verplaatst if _find(meetings, orgaan, m.van) is None]
    return afgelast, verplaatst


def dichtstbijzijnde(orgaan: Orgaan, dag: date) -> list[date]:
    """The scheduled meeting dates of `orgaan` just before and just after `dag` (for messages)."""
    dates = sorted({m.begin.date() for m in geplande_vergaderingen(orgaan)})
    before = [d for d in dates if d < dag][-1:]
    after = [d for d in dates if d > dag][:1]
    return before + after


@lru_cache(maxsize=128)
def _vergaderingen(orgaan: Orgaan) -> tuple[Vergaderdatum, ...]:
    meetings = geplande_vergaderingen(orgaan)
    by_key = {m.sleutel: m for m in meetings}
    for dag in orgaan.afgelast:
        found = _find(meetings, orgaan, dag)
        if found is not None:
            by_key[found.sleutel] = replace(by_key[found.sleutel], geannuleerd=True)
    for move in orgaan.verplaatst:
        found = _find(meetings, orgaan, move.van)
        if found is not None:
            m = by_key[found.sleutel]
            tijd = move.tijd or m.begin.time()
            by_key[found.sleutel] = replace(
                m, begin=datetime.combine(move.naar, tijd, TZ), plaats=move.plaats or m.plaats,
                opmerking=f"verplaatst van {found.begin.date().isoformat()}",
            )
    return tuple(sorted(by_key.values(), key=lambda m: (m.begin, m.sleutel)))


def vergaderingen(orgaan: Orgaan) -> list[Vergaderdatum]:
    """Every meeting of `orgaan` from its definition, in time order, cancelled ones included."""
    return list(_vergaderingen(orgaan))
