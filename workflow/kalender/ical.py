"""iCalendar export (RFC 5545) of meetings and the deadlines people act on.

UIDs are stable: a meeting's UID comes from its `sleutel` (the date it was first scheduled on), so
a calendar client that imports the file again updates the event instead of adding a second one,
also after the meeting moved; SEQUENCE is the meeting's `volgnummer`. Cancelled meetings (and
their deadlines) are exported with STATUS:CANCELLED, never left out: a calendar that imported an
earlier file must learn that the appointment is off. The same holds in an author's feed for a step
of their proposal that moved to another meeting or was dropped; there SEQUENCE also counts the
proposal's history rows (append-only, so it only grows), so every such change is newer than what a
client holds. `bouw` is pure; `exporteer` reads the database for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from workflow.basis.tekst import citeer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.definities.model import Definities, Orgaan
    from workflow.kalender.bron import Bron
    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

UID_DOMEIN = "besluitroute"
PRODID = "-//besluitroute//vergaderkalender//NL"


@dataclass(frozen=True, slots=True)
class Item:
    """One calendar event: a meeting, or a deadline (all-day when `begin` is a date)."""

    uid: str
    samenvatting: str
    begin: datetime | date
    eind: datetime | date
    volgnummer: int = 0
    plaats: str = ""
    omschrijving: str = ""
    geannuleerd: bool = False
    categorie: str = "vergadering"


def uid(sleutel: str, *delen: str) -> str:
    """'stuurgroep-transformatie-20210623@besluitroute', or with a suffix per deadline kind."""
    return ".".join((sleutel, *delen)) + f"@{UID_DOMEIN}"


def bouw(items: Sequence[Item], gemaakt_op: datetime, naam: str = "besluitroute") -> bytes:
    """The .ics file for `items`, with VTIMEZONE for every zone used."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", naam)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", gemaakt_op)
        event.add("sequence", item.volgnummer)
        event.add("summary", item.samenvatting)
        event.add("dtstart", item.begin)
        event.add("dtend", item.eind)
        if item.plaats:
            event.add("location", item.plaats)
        if item.omschrijving:
            event.add("description", item.omschrijving)
        event.add("status", "CANCELLED" if item.geannuleerd else "CONFIRMED")
        event.add("categories", [item.categorie])
        if not isinstance(item.begin, datetime):
            event.add("transp", "TRANSPARENT")  # a deadline day does not make anyone busy
        cal.add_component(event)
    cal.add_missing_timezones()  # icalendar 7 leaves out VTIMEZONE for Europe/Amsterdam otherwise
    return bytes(cal.to_ical())


@dataclass(frozen=True, slots=True)
class Openbaar:
    """What an anonymous subscriber may see of the agendas (Woo): the meetings whose agenda is
    published, and the (meeting, proposal) pairs whose documents are. Dates, times and places
    of the meetings are public anyway."""

    agendas: frozenset[int] = frozenset()
    stukken: frozenset[tuple[int, int]] = frozenset()
    #: Proposals under a Woo exception: id -> what stands instead of kenmerk and title
    #: ("niet openbaar (Woo art. 5.1 lid 2 sub b)").
    verborgen: dict[int, str] = field(default_factory=dict)

    def toont(self, vergadering_id: int, voorstel_id: int) -> bool:
        return vergadering_id in self.agendas or (vergadering_id, voorstel_id) in self.stukken


def exporteer(env: Bron, *, orgaan: str | None = None, lid: str | None = None,
              opsteller: str | None = None, openbaar: Openbaar | None = None,
              extra: Sequence[Item] = ()) -> bytes:
    """The calendar from the database: meetings, per body the submission deadline and dispatch
    moment; with `opsteller` that author's proposals' meetings and deadlines; with `lid` the
    meetings of the bodies that member belongs to. With `openbaar` (the public feed) a meeting's
    description names only the items that `openbaar` shows, as the public meeting page does.
    `extra`: more events, such as the zienswijze periods (workflow.voorstellen.takken)."""
    from workflow.basis import clock

    definities = env.definities
    keys = _organen(definities, orgaan, lid)
    items: list[Item] = []
    with env.db.lees() as session:
        rows, per_meeting, wijzigingen = _lees(session, keys, opsteller)
        for v in rows:
            body = definities.organen.get(v.orgaan)
            if body is None:
                continue
            alle = per_meeting.get(v.id, [])
            if openbaar is not None:
                alle = [(p, vs) for p, vs in alle if openbaar.toont(v.id, vs.id)]
            items.append(_vergadering(v, body, alle, wijzigingen, opsteller,
                                      openbaar.verborgen if openbaar is not None else {}))
            if opsteller is None:
                items.extend(_termijnen(v, body))
            else:
                items.extend(_aanleveren_per_voorstel(v, body, alle, wijzigingen))
    items.extend(extra)  # deadlines the layers above know of (zienswijze periods)
    naam = "besluitroute"
    if orgaan is not None:
        naam = definities.orgaan(orgaan).naam
    return bouw(items, clock.now(), naam)


def _organen(definities: Definities, orgaan: str | None, lid: str | None) -> list[str]:
    """The keys of the bodies in the calendar: all, one (`orgaan`), or those `lid` belongs to."""
    from workflow.basis.fouten import GebruikersFout

    keys = sorted(definities.organen)
    if orgaan is not None:
        keys = [definities.orgaan(orgaan).sleutel]
    if lid is not None:
        email = lid.strip().lower()
        van_lid = {o.sleutel for o in definities.organen.values()
                   if any(m.email == email for m in o.leden) or o.secretaris.email == email}
        if not van_lid:
            raise GebruikersFout(f"{citeer(lid)} is geen lid van een orgaan (zie 'orgaan lijst')")
        keys = [k for k in keys if k in van_lid]
    return keys


def _lees(session: Session, keys: list[str], opsteller: str | None
          ) -> tuple[list[Vergadering], dict[int, list[tuple[Agendapunt, Voorstel]]],
                     dict[int, int]]:
    """The meetings of `keys`; per meeting its agenda items (of `opsteller` only, if given); and
    for an author's feed, per own proposal its number of history rows."""
    from sqlalchemy import func, select

    from workflow.opslag.models import Agendapunt, Gebeurtenis, Vergadering, Voorstel

    rows = list(session.scalars(select(Vergadering).where(Vergadering.orgaan.in_(keys))
                                .order_by(Vergadering.begin, Vergadering.id)))
    # Dropped items too: an author's feed marks a moved or dropped step as cancelled.
    agenda_items = session.execute(
        select(Agendapunt, Voorstel).join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
        .where(Agendapunt.vergadering_id.in_([v.id for v in rows]))
        .order_by(Agendapunt.id)).all()
    per_meeting: dict[int, list[tuple[Agendapunt, Voorstel]]] = {}
    for punt, voorstel in agenda_items:
        if opsteller is not None and \
                voorstel.opsteller.strip().casefold() != opsteller.strip().casefold():
            continue
        per_meeting.setdefault(punt.vergadering_id, []).append((punt, voorstel))
    wijzigingen: dict[int, int] = {}  #: per own proposal, its number of history rows
    if opsteller is not None:
        rows = [v for v in rows if v.id in per_meeting]
        eigen = sorted({vs.id for punten in per_meeting.values() for _, vs in punten})
        if eigen:
            wijzigingen = {voorstel_id: aantal for voorstel_id, aantal in session.execute(
                select(Gebeurtenis.voorstel_id, func.count(Gebeurtenis.id))
                .where(Gebeurtenis.voorstel_id.in_(eigen))
                .group_by(Gebeurtenis.voorstel_id))}
    return rows, per_meeting, wijzigingen


def _vergadering(v: Vergadering, body: Orgaan, alle: list[tuple[Agendapunt, Voorstel]],
                 wijzigingen: dict[int, int], opsteller: str | None,
                 verborgen: dict[int, str]) -> Item:
    """The meeting itself, with its agenda in the description (a proposal in `verborgen` by
    the text given there, without kenmerk and title)."""
    from workflow.basis import clock
    from workflow.kalender import werkdagen

    punten = [(p, vs) for p, vs in alle if p.status != "vervallen"]
    regels = [f"- {verborgen.get(vs.id) or f'{vs.kenmerk} {vs.titel}'} ({p.status}"
              + (", nagekomen" if p.nagekomen else "") + ")" for p, vs in punten]
    opmerking = f"\n{v.opmerking}" if v.opmerking else ""
    volgnummer, geannuleerd = v.volgnummer, v.geannuleerd
    if opsteller is not None:
        # For the author the meeting is off when none of their items is still on it.
        volgnummer += sum(wijzigingen.get(i, 0) for i in {vs.id for _, vs in alle})
        geannuleerd = geannuleerd or not punten
    return Item(
        uid=uid(v.sleutel), samenvatting=body.naam, begin=clock.local(v.begin),
        eind=clock.local(werkdagen.einde(body, v.begin)), volgnummer=volgnummer,
        plaats=v.plaats, geannuleerd=geannuleerd,
        omschrijving=("Agenda:\n" + "\n".join(regels) if regels else "") + opmerking,
    )


def _termijnen(v: Vergadering, body: Orgaan) -> list[Item]:
    """The body's submission deadline and dispatch moment for meeting `v`."""
    from workflow.basis.tekst import datum
    from workflow.kalender import werkdagen

    aanlever = werkdagen.aanleverdatum(body, v.begin)
    verzend = werkdagen.verzendmoment(body, v.begin)
    return [
        Item(
            uid=uid(v.sleutel, "aanleveren"),
            samenvatting=f"Aanleverdatum {body.afkorting} {datum(v.begin)}",
            begin=aanlever, eind=aanlever + timedelta(days=1), volgnummer=v.volgnummer,
            geannuleerd=v.geannuleerd, categorie="aanleverdatum",
            omschrijving=f"Stukken voor {body.naam} van {datum(v.begin)} uiterlijk "
                         f"vandaag aanleveren.",
        ),
        Item(
            uid=uid(v.sleutel, "verzenden"),
            samenvatting=f"Agenda verzenden {body.afkorting} {datum(v.begin)}",
            begin=verzend, eind=verzend + timedelta(minutes=15),
            volgnummer=v.volgnummer, geannuleerd=v.geannuleerd, categorie="verzending",
            omschrijving=f"Agenda en stukken van {body.naam} van {datum(v.begin)} gaan "
                         f"naar de leden.",
        ),
    ]


def _aanleveren_per_voorstel(v: Vergadering, body: Orgaan,
                             alle: list[tuple[Agendapunt, Voorstel]],
                             wijzigingen: dict[int, int]) -> list[Item]:
    """In an author's feed: per own proposal on meeting `v`, the day its documents are due."""
    from workflow.basis.tekst import datum
    from workflow.kalender import werkdagen

    aanlever = werkdagen.aanleverdatum(body, v.begin)
    return [
        Item(
            uid=uid(v.sleutel, vs.kenmerk, p.stap, "aanleveren"),
            samenvatting=f"Stukken {vs.kenmerk} aanleveren voor {body.afkorting} "
                         f"{datum(v.begin)}",
            begin=aanlever, eind=aanlever + timedelta(days=1),
            volgnummer=v.volgnummer + wijzigingen.get(vs.id, 0),
            geannuleerd=v.geannuleerd or p.status == "vervallen",
            categorie="aanleverdatum",
            omschrijving=f"{vs.kenmerk} {vs.titel}: stukken voor {body.naam} van "
                         f"{datum(v.begin)} uiterlijk vandaag aanleveren"
                         + (" (nagekomen)" if p.nagekomen else "") + ".",
        )
        for p, vs in alle
    ]
