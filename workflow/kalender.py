"""Meeting calendars, Dutch public holidays, working days and deadlines. Pure: no I/O, no clock.

A body's meetings come from explicit dates and RFC 5545 rhythms in its definition, minus
cancellations, plus moves. Every meeting has a stable `sleutel` derived from the date it was first
scheduled on, so a moved meeting keeps its identity (and its calendar UID).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from workflow.clock import TZ
from workflow.definities import Feestdagregel, Orgaan

#: How far an open-ended rhythm (no `tot`, no COUNT/UNTIL) is expanded.
OPEN_RITME_HORIZON = timedelta(days=2 * 366)


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
    import holidays

    # The package's default NL category is the public holidays a body does not meet on; it knows
    # that Bevrijdingsdag is a day off only every fifth year.
    return dict(holidays.country_holidays("NL", years=jaar, language="nl"))


def feestdag(dag: date) -> str | None:
    """The Dutch public holiday on `dag`, by name, or None."""
    return _feestdagen(dag.year).get(dag)


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and feestdag(dag) is None


def werkdagen_terug(dag: date, aantal: int) -> date:
    """The date `aantal` working days before `dag` (weekends and public holidays skipped)."""
    current = dag
    remaining = aantal
    while remaining > 0:
        current -= timedelta(days=1)
        if is_werkdag(current):
            remaining -= 1
    return current


def werkdag_op_of_voor(dag: date) -> date:
    while not is_werkdag(dag):
        dag -= timedelta(days=1)
    return dag


def aanleverdatum(orgaan: Orgaan, begin: datetime) -> date:
    """Last day on which an author's documents count for the meeting starting at `begin`."""
    return werkdagen_terug(begin.astimezone(TZ).date(), orgaan.aanleveren_werkdagen)


def aanlevermoment(orgaan: Orgaan, begin: datetime) -> datetime:
    """The moment the submission deadline passes: the end of the aanleverdatum, local time."""
    return datetime.combine(aanleverdatum(orgaan, begin) + timedelta(days=1), time(0), TZ)


def verzendmoment(orgaan: Orgaan, begin: datetime) -> datetime:
    """When the agenda goes to the members: M days before, on a working day, at reminder time."""
    dag = werkdag_op_of_voor(begin.astimezone(TZ).date() - timedelta(days=orgaan.verzenden_dagen))
    return datetime.combine(dag, orgaan.herinneringen.tijd, TZ)


def _sleutel(orgaan: Orgaan, dag: date) -> str:
    return f"{orgaan.sleutel}-{dag:%Y%m%d}"


def _holiday_shift(dag: date, regel: Feestdagregel) -> date | None:
    if is_werkdag(dag) or dag.weekday() >= 5:
        return dag
    if regel is Feestdagregel.OVERSLAAN:
        return None
    step = timedelta(days=-1 if regel is Feestdagregel.EERDER else 1)
    shifted = dag + step
    while not is_werkdag(shifted):
        shifted += step
    return shifted


def vergaderingen(orgaan: Orgaan) -> list[Vergaderdatum]:
    """Every meeting of `orgaan` from its definition, in time order, cancelled ones included."""
    from dateutil.rrule import rrulestr

    by_key: dict[str, Vergaderdatum] = {}
    standaard_plaats = orgaan.standaard_plaats
    for ritme in orgaan.ritmes:
        tijd = ritme.tijd or orgaan.standaard_tijd
        start = datetime.combine(ritme.vanaf, tijd)
        rule = rrulestr(ritme.regel, dtstart=start)
        if ritme.tot is not None:
            end = datetime.combine(ritme.tot, time(23, 59))
        elif "COUNT=" in ritme.regel.upper() or "UNTIL=" in ritme.regel.upper():
            end = datetime.max
        else:
            end = start + OPEN_RITME_HORIZON
        for occurrence in rule.xafter(start, count=1000, inc=True):
            if occurrence > end:
                break
            dag = _holiday_shift(occurrence.date(), orgaan.feestdagen)
            if dag is None:
                continue
            key = _sleutel(orgaan, occurrence.date())
            by_key[key] = Vergaderdatum(
                sleutel=key,
                orgaan=orgaan.sleutel,
                # Wall-clock time in Amsterdam: a 10:00 meeting stays 10:00 across DST changes.
                begin=datetime.combine(dag, tijd, TZ),
                plaats=ritme.plaats or standaard_plaats,
            )
    for regel in orgaan.vergaderingen:
        key = regel.sleutel or _sleutel(orgaan, regel.datum)
        by_key[key] = Vergaderdatum(
            sleutel=key,
            orgaan=orgaan.sleutel,
            begin=datetime.combine(regel.datum, regel.tijd or orgaan.standaard_tijd, TZ),
            plaats=regel.plaats or standaard_plaats,
            geannuleerd=regel.geannuleerd,
            opmerking=regel.opmerking,
        )
    for dag in orgaan.afgelast:
        key = _sleutel(orgaan, dag)
        if key in by_key:
            m = by_key[key]
            by_key[key] = Vergaderdatum(m.sleutel, m.orgaan, m.begin, m.plaats, True, m.opmerking)
    for move in orgaan.verplaatst:
        key = _sleutel(orgaan, move.van)
        if key in by_key:
            m = by_key[key]
            tijd = move.tijd or m.begin.timetz().replace(tzinfo=None)
            by_key[key] = Vergaderdatum(m.sleutel, m.orgaan, datetime.combine(move.naar, tijd, TZ),
                                        move.plaats or m.plaats, m.geannuleerd, m.opmerking)
    return sorted(by_key.values(), key=lambda m: (m.begin, m.sleutel))
