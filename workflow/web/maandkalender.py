"""A month at a glance: per day the meetings, submission deadlines and agenda dispatch moments
of a set of bodies, moved and cancelled meetings marked. Server-rendered as a table of weeks
(Monday first); the same days as the calendar feeds (workflow.kalender.werkdagen)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from workflow.openbaarheid.zichtbaarheid import live
from workflow.web.bronnen import (
    GebruikersFout,
    Omgeving,
    Publicatie,
    Vergadering,
    clock,
    kalender,
    tekst,
)
from workflow.web.gegevens import vergaderlijst
from workflow.web.toegang import Bezoeker

#: A submission deadline lies at most this long before its meeting (working days and holidays).
VOORLOOP = timedelta(days=120)
WEEKDAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
WEEKDAGEN_VOLUIT = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                    "zondag")


@dataclass
class Dag:
    datum: date
    in_maand: bool
    vandaag: bool
    items: list[dict[str, Any]] = field(default_factory=list)


def maand_van(tekst_: str | None, nu: datetime) -> tuple[int, int]:
    """`2021-07` as (2021, 7); None: the month of `nu`. Anything else is bad input (400)."""
    if not tekst_:
        vandaag = clock.local(nu).date()
        return vandaag.year, vandaag.month
    try:
        jaar, maand = (int(d) for d in tekst_.split("-", 1))
        date(jaar, maand, 1)
    except ValueError:
        raise GebruikersFout(f"{tekst.citeer(tekst_)} is geen maand (verwacht JJJJ-MM)") from None
    if not 1900 <= jaar <= 2999:
        raise GebruikersFout(f"{tekst.citeer(tekst_)} is geen maand (verwacht JJJJ-MM)")
    return jaar, maand


def maand(env: Omgeving, b: Bezoeker, organen: list[str], jaar: int, maand_: int,
          nu: datetime) -> dict[str, Any]:
    """The month `jaar`-`maand_` for the bodies `organen` (keys the visitor may see)."""
    eerste = date(jaar, maand_, 1)
    laatste = date(jaar, maand_, calendar.monthrange(jaar, maand_)[1])
    van = datetime.combine(eerste, datetime.min.time(), clock.TZ)
    tot = datetime.combine(laatste + timedelta(days=1), datetime.min.time(), clock.TZ)
    definities = env.definities
    with env.db.lees() as session:
        rows = list(session.scalars(select(Vergadering).where(
            Vergadering.orgaan.in_(sorted(organen)), Vergadering.begin >= van,
            Vergadering.begin < tot + VOORLOOP).order_by(Vergadering.begin, Vergadering.id)))
        lijst = vergaderlijst(session, b, rows, definities, nu)
    per_dag: dict[date, list[dict[str, Any]]] = {}
    for v, gegeven in zip(rows, lijst, strict=True):
        for item in _items(v, gegeven, definities.organen.get(v.orgaan)):
            if eerste <= item["dag"] <= laatste:
                per_dag.setdefault(item["dag"], []).append(item)
    vandaag = clock.local(nu).date()
    weken = [[Dag(d, d.month == maand_, d == vandaag,
                  sorted(per_dag.get(d, []), key=lambda i: (i["volgorde"], i["tekst"])))
              for d in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(jaar, maand_)]
    vorige = eerste - timedelta(days=1)
    volgende = laatste + timedelta(days=1)
    return {"jaar": jaar, "maand": maand_, "naam": _maandnaam(eerste), "weken": weken,
            "weekdagen": list(zip(WEEKDAGEN, WEEKDAGEN_VOLUIT, strict=True)),
            "vorige": f"{vorige.year:04d}-{vorige.month:02d}", "vorige_naam": _maandnaam(vorige),
            "volgende": f"{volgende.year:04d}-{volgende.month:02d}",
            "volgende_naam": _maandnaam(volgende),
            "aantal": sum(len(i) for i in per_dag.values())}


def _maandnaam(d: date) -> str:
    return tekst.datum(d.replace(day=1)).split(" ", 1)[1]  # "1 juli 2021" -> "juli 2021"


def _items(v: Vergadering, gegeven: dict[str, Any], body: Any) -> list[dict[str, Any]]:
    """The meeting itself and (for a body still defined) its deadline and dispatch moment."""
    naam = gegeven["orgaan_naam"]
    begin = clock.local(v.begin)
    items = [{"soort": "vergadering", "dag": begin.date(), "volgorde": 2, "id": v.id,
              "open": gegeven["open"], "tijd": tekst.tijd(begin),
              "tekst": f"Vergadering {naam}", "plaats": v.plaats,
              "geannuleerd": v.geannuleerd, "verplaatst": gegeven["verplaatst"],
              "was": gegeven["oorspronkelijk_begin"]}]
    if body is None or v.geannuleerd:
        return items
    verzend = kalender.verzendmoment(body, v.begin)
    items.append({"soort": "aanleverdatum", "dag": kalender.aanleverdatum(body, v.begin),
                  "volgorde": 0, "tekst": f"Aanleveren voor {naam}", "tijd": "",
                  "geannuleerd": False,
                  "vergadering": tekst.datum(begin)})
    items.append({"soort": "verzending", "dag": clock.local(verzend).date(), "volgorde": 1,
                  "tekst": f"Agenda verzenden {naam}", "tijd": tekst.tijd(verzend),
                  "geannuleerd": False,
                  "vergadering": tekst.datum(begin)})
    return items


#: How far back the start page lists what was published.
ONLANGS = timedelta(weeks=3)


def onlangs_gepubliceerd(env: Omgeving, b: Bezoeker, nu: datetime, limiet: int = 15
                         ) -> list[dict[str, Any]]:
    """Meetings of the visible bodies whose agenda or decision list went public in the last
    weeks (and is still public), newest publication first."""
    keys = sorted(b.zichtbaar & set(env.definities.organen))
    if not keys:
        return []
    with env.db.lees() as session:
        rijen = session.execute(
            select(Vergadering, Publicatie.soort, Publicatie.gepubliceerd_op)
            .join(Publicatie, Publicatie.vergadering_id == Vergadering.id)
            .where(Vergadering.orgaan.in_(keys), Publicatie.soort.in_(("agenda", "besluitenlijst")),
                   Publicatie.gepubliceerd_op > nu - ONLANGS, live(nu))
            .order_by(Publicatie.gepubliceerd_op.desc(), Publicatie.id.desc())
            .limit(limiet)).all()
        lijst = vergaderlijst(session, b, (r[0] for r in rijen), env.definities, nu)
    return [{**v, "soort": soort, "gepubliceerd_op": clock.local(op)}
            for v, (_, soort, op) in zip(lijst, rijen, strict=True)]
