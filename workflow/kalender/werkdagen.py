"""Working days and deadlines of the meeting cycle. Pure: no I/O, no clock.

The meetings themselves come from the definitions (workflow.definities.ritme).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from workflow.basis.clock import TZ
from workflow.definities.model import Orgaan
from workflow.definities.ritme import is_werkdag


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
    """`dag` itself if it is a working day, else the working day before it."""
    while not is_werkdag(dag):
        dag -= timedelta(days=1)
    return dag


def aanleverdatum(orgaan: Orgaan, begin: datetime) -> date:
    """Last day on which an author's documents count for the meeting starting at `begin`."""
    return werkdagen_terug(begin.astimezone(TZ).date(), orgaan.aanleveren_werkdagen)


def aanlevermoment(orgaan: Orgaan, begin: datetime) -> datetime:
    """The moment the submission deadline passes: the end of the aanleverdatum, local time.

    Never later than the meeting itself (a body with `aanleveren_werkdagen: 0`).
    """
    einde_dag = datetime.combine(aanleverdatum(orgaan, begin) + timedelta(days=1), time(0), TZ)
    return min(einde_dag, begin.astimezone(TZ))


def verzendmoment(orgaan: Orgaan, begin: datetime) -> datetime:
    """When the agenda goes to the members: M days before, on a working day, at reminder time."""
    dag = werkdag_op_of_voor(begin.astimezone(TZ).date() - timedelta(days=orgaan.verzenden_dagen))
    return min(datetime.combine(dag, orgaan.herinneringen.tijd, TZ), begin.astimezone(TZ))


def einde(orgaan: Orgaan, begin: datetime) -> datetime:
    """When the meeting starting at `begin` ends (its body's `duur_minuten`)."""
    return begin + timedelta(minutes=orgaan.duur_minuten)
