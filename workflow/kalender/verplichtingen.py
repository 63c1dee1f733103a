"""Cadence duties ("at least N times a year") per body: required, held, planned, behind or on track.

A duty with an `onderwerp` counts the body's meetings in the year that have an agenda item of a
proposal about that subject (Voorstel.onderwerp); without one it counts the body's meetings that
were not cancelled. Meetings up to now are held, later ones planned. The report is pure
(`rapport`); `verzamel` reads the database for it.

A duty holds from `vanaf` until `tot` (its source says when: the Hervormingsagenda exists from
June 2023): a year outside that period is not measured, a year it partly covers requires its
share of the yearly number (rounded, at least one). Where the body's defined meetings in that period are
fewer than required, the duty is "niet haalbaar met de gedefinieerde vergaderingen", not behind:
the calendar, not the secretariat, falls short.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from workflow.basis.clock import TZ
from workflow.definities.model import Orgaan, Verplichting

if TYPE_CHECKING:
    from workflow.kalender.bron import Bron

GEHAALD = "gehaald"
OP_SCHEMA = "op schema"
ACHTER = "achter"
NIET_HAALBAAR = "niet haalbaar met de gedefinieerde vergaderingen"


@dataclass(frozen=True, slots=True)
class Bijeenkomst:
    """A meeting as the report needs it."""

    orgaan: str
    begin: datetime  #: aware
    geannuleerd: bool = False
    #: The subjects of the proposals on its agenda (items not dropped).
    onderwerpen: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Stand:
    """How one duty of one body stands in a year."""

    orgaan: str
    orgaan_naam: str
    omschrijving: str
    onderwerp: str | None
    vereist: int
    gehouden: int
    gepland: int
    #: The body's meetings (not cancelled) in the part of the year the duty holds.
    vergaderingen: int | None = None
    bron: str = ""

    @property
    def status(self) -> str:
        """'gehaald' (held often enough), 'niet haalbaar ...' (fewer meetings defined than
        required), 'op schema' (with the planned ones), or 'achter'."""
        if self.gehouden >= self.vereist:
            return GEHAALD
        if self.vergaderingen is not None and self.vergaderingen < self.vereist:
            return NIET_HAALBAAR
        if self.gehouden + self.gepland >= self.vereist:
            return OP_SCHEMA
        return ACHTER

    @property
    def tekort(self) -> int:
        """How many meetings are still missing beyond those held and planned."""
        return max(0, self.vereist - self.gehouden - self.gepland)


def rapport(organen: Iterable[Orgaan], bijeenkomsten: Iterable[Bijeenkomst], jaar: int,
            nu: datetime) -> list[Stand]:
    """Every duty of `organen` for `jaar` (local calendar year), as of `nu`."""
    per_orgaan: dict[str, list[Bijeenkomst]] = {}
    for b in bijeenkomsten:
        if b.geannuleerd or b.begin.astimezone(TZ).year != jaar:
            continue
        per_orgaan.setdefault(b.orgaan, []).append(b)
    result: list[Stand] = []
    for orgaan in organen:
        for plicht in orgaan.verplichtingen:
            periode = geldig_in(plicht, jaar)
            if periode is None:
                continue  # not in force that year: nothing to measure
            van, tot, vereist = periode
            meetings = [b for b in per_orgaan.get(orgaan.sleutel, [])
                        if van <= b.begin.astimezone(TZ).date() <= tot]
            counted = [b for b in meetings
                       if plicht.onderwerp is None or plicht.onderwerp in b.onderwerpen]
            gehouden = sum(1 for b in counted if b.begin <= nu)
            result.append(Stand(orgaan.sleutel, orgaan.naam, plicht.omschrijving,
                                plicht.onderwerp, vereist, gehouden, len(counted) - gehouden,
                                len(meetings), plicht.bron))
    return result


def geldig_in(plicht: Verplichting, jaar: int) -> tuple[date, date, int] | None:
    """The days of `jaar` the duty holds (first, last) and how many meetings it requires in
    them: its yearly number, pro rata for a part of the year; None: not in force."""
    begin, einde = date(jaar, 1, 1), date(jaar, 12, 31)
    van = max(begin, plicht.vanaf) if plicht.vanaf else begin
    tot = min(einde, plicht.tot) if plicht.tot else einde
    if tot < van:
        return None
    dagen = (tot - van).days + 1
    jaardagen = (einde - begin).days + 1
    # Rounded half up, at least one: "4 a year" from 2 July is 2, not 3.
    return van, tot, max(1, (2 * plicht.minimaal_per_jaar * dagen + jaardagen) // (2 * jaardagen))


def verzamel(env: Bron, jaar: int, nu: datetime) -> list[Stand]:
    """The report for `jaar` from the database (meetings synchronised with the definitions)."""
    from datetime import time

    from sqlalchemy import select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    organen = [o for _, o in sorted(env.definities.organen.items()) if o.verplichtingen]
    keys = [o.sleutel for o in organen]
    van = datetime.combine(datetime(jaar, 1, 1).date(), time(0), TZ)
    tot = datetime.combine(datetime(jaar + 1, 1, 1).date(), time(0), TZ)
    with env.db.lees() as session:
        rows = list(session.scalars(select(Vergadering).where(
            Vergadering.orgaan.in_(keys), Vergadering.begin >= van, Vergadering.begin < tot)))
        subjects: dict[int, set[str]] = {}
        for vergadering_id, onderwerp in session.execute(
                select(Agendapunt.vergadering_id, Voorstel.onderwerp)
                .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
                .where(Agendapunt.vergadering_id.in_([v.id for v in rows]),
                       Agendapunt.status != "vervallen", Voorstel.onderwerp.is_not(None))):
            if onderwerp is not None:
                subjects.setdefault(vergadering_id, set()).add(onderwerp)
        meetings = [Bijeenkomst(v.orgaan, v.begin, v.geannuleerd,
                                frozenset(subjects.get(v.id, ()))) for v in rows]
    return rapport(organen, meetings, jaar, nu)
