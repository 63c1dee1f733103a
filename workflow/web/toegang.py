"""Who may see what: visitors, public bodies and what is published at a moment (Woo).

See the module docstring of workflow.web.gegevens and docs/portaal.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from workflow.openbaarheid.zichtbaarheid import live, vergaderpagina_openbaar
from workflow.web.bronnen import (
    Agendapunt,
    Definities,
    Omgeving,
    Publicatie,
    Uitzondering,
    UTCDateTime,
    Vergadering,
    Voorstel,
    ical,
)
from workflow.web.prepared import Prepared, aware

#: Agenda item statuses that put a proposal on a meeting (a dropped one is history only).
OP_VERGADERING = ("gepland", "geagendeerd", "behandeld")


@dataclass(frozen=True)
class Bezoeker:
    """Who is looking: anonymous (email None) or a signed-in member or secretary."""

    email: str | None = None
    naam: str = ""
    organen: frozenset[str] = frozenset()  #: bodies they belong to (member or secretary)
    secretaris_van: frozenset[str] = frozenset()
    zichtbaar: frozenset[str] = field(default_factory=frozenset)  #: bodies whose meetings they see

    @property
    def ingelogd(self) -> bool:
        return self.email is not None

    @property
    def is_secretaris(self) -> bool:
        return bool(self.secretaris_van)


def openbare_organen(definities: Definities) -> frozenset[str]:
    """Bodies whose page and calendar (dates) anyone sees: marked `openbaar` or publishing."""
    if _publiek and _publiek[0][0] is definities:
        return _publiek[0][1]
    result = frozenset(k for k, o in definities.organen.items()
                       if o.openbaar or o.publicatie.publiceert)
    _publiek[:] = [(definities, result)]
    return result


_publiek: list[tuple[Definities, frozenset[str]]] = []


def besloten_advies(definities: Definities) -> frozenset[str]:
    """The names (as agendas and histories show them) of the bodies whose advice is not public
    (`advies_openbaar`, by default: bodies that publish nothing)."""
    return frozenset(o.naam for o in definities.organen.values() if not o.advies_openbaar)


def woo_tekst(grond: str) -> str:
    """What the public sees instead of a proposal under a Woo exception:
    '5.1.2.b' -> 'niet openbaar (Woo art. 5.1 lid 2 sub b)'."""
    delen = grond.split(".")
    artikel = f"{delen[0]}.{delen[1]} lid {delen[2]} sub {delen[3]}" if len(delen) == 4 \
        else grond
    return f"niet openbaar (Woo art. {artikel})"


def openbare_voorstellen(session: Session, nu: datetime) -> frozenset[int]:
    """The proposals whose documents are public at `nu` and under no Woo exception: those whose
    zienswijze period the public calendar feed shows."""
    ids = select(Publicatie.voorstel_id).where(
        live(nu), Publicatie.soort == "stukken", Publicatie.voorstel_id.is_not(None)).distinct()
    gepubliceerd = {i for i in session.scalars(ids) if i is not None}
    return frozenset(gepubliceerd - set(uitzonderingen(session, gepubliceerd)))


def uitzonderingen(session: Session, voorstel_ids: Iterable[int] | Select[Any]
                   ) -> dict[int, str]:
    """Of these proposals (ids, or a selection of ids), those under a Woo exception: id -> the
    text the public sees instead (woo_tekst of the first ground recorded)."""
    if not isinstance(voorstel_ids, Select):
        voorstel_ids = sorted(set(voorstel_ids))
        if not voorstel_ids:
            return {}
    result: dict[int, str] = {}
    for voorstel_id, grond in session.execute(  # newest first: the first recorded wins
            select(Uitzondering.voorstel_id, Uitzondering.grond)
            .where(Uitzondering.voorstel_id.in_(voorstel_ids))
            .order_by(Uitzondering.id.desc())):
        result[voorstel_id] = woo_tekst(grond)
    return result


def uitzonderingen_per_kenmerk(session: Session, kenmerken: Iterable[str]) -> dict[str, str]:
    """As `uitzonderingen`, by kenmerk: kenmerk -> the text the public sees instead."""
    namen = sorted(set(kenmerken))
    if not namen:
        return {}
    result: dict[str, str] = {}
    for kenmerk, grond in session.execute(  # newest first: the first recorded wins
            select(Voorstel.kenmerk, Uitzondering.grond)
            .join(Voorstel, Voorstel.id == Uitzondering.voorstel_id)
            .where(Voorstel.kenmerk.in_(namen))
            .order_by(Uitzondering.id.desc())):
        result[kenmerk] = woo_tekst(grond)
    return result


def gepubliceerde_agendas(session: Session, ids: Iterable[int], nu: datetime
                          ) -> dict[int, datetime]:
    """Of these meetings, those whose agenda is public at `nu`: id -> publication moment."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {vid: moment for vid, moment in session.execute(
        select(Publicatie.vergadering_id, Publicatie.gepubliceerd_op)
        .where(Publicatie.vergadering_id.in_(ids), live(nu, "agenda")))}


def openbaar_in_kalender(session: Session, orgaan: str, nu: datetime) -> ical.Openbaar:
    """Of the meetings of `orgaan`: the agendas and the proposals' documents public at `nu`, for
    the public calendar feed (the same rule as the public meeting page)."""
    agendas: set[int] = set()
    stukken: set[tuple[int, int]] = set()
    for vergadering_id, soort, voorstel_id in session.execute(
            select(Publicatie.vergadering_id, Publicatie.soort, Publicatie.voorstel_id)
            .join(Vergadering, Vergadering.id == Publicatie.vergadering_id)
            .where(Vergadering.orgaan == orgaan, live(nu),
                   Publicatie.soort.in_(("agenda", "stukken")))):
        if soort == "agenda":
            agendas.add(vergadering_id)
        elif voorstel_id is not None:
            stukken.add((vergadering_id, voorstel_id))
    op_vergaderingen = (select(Agendapunt.voorstel_id)
                        .join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
                        .where(Vergadering.orgaan == orgaan))
    return ical.Openbaar(frozenset(agendas), frozenset(stukken),
                         uitzonderingen(session, op_vergaderingen))


@dataclass(frozen=True)
class Openbaar:
    """What of one meeting is public at a moment (publication moments, aware UTC)."""

    agenda: datetime | None = None
    besluitenlijst: datetime | None = None
    stukken: dict[int, datetime] = field(default_factory=dict)  #: voorstel id -> moment

    @property
    def sleutel(self) -> tuple[Any, ...]:
        return self.agenda, self.besluitenlijst, tuple(sorted(self.stukken.items()))

    @property
    def pagina(self) -> bool:
        """The meeting's page is public (workflow.openbaarheid.zichtbaarheid)."""
        return vergaderpagina_openbaar(self.agenda)


def openbaar(env: Omgeving, vergadering_id: int, nu: datetime) -> Openbaar:
    """The live publications of one meeting at `nu` (one statement compiled once: every meeting
    page asks it)."""
    agenda_op = lijst_op = None
    stukken: dict[int, datetime] = {}
    for soort, voorstel_id, moment in _OPENBAAR.rows(env, vergadering=vergadering_id, nu=nu):
        if soort == "agenda":
            agenda_op = aware(moment)
        elif soort == "besluitenlijst":
            lijst_op = aware(moment)
        elif soort == "stukken" and voorstel_id is not None:
            stukken[voorstel_id] = aware(moment)
    return Openbaar(agenda_op, lijst_op, stukken)


_OPENBAAR = Prepared(
    select(Publicatie.soort, Publicatie.voorstel_id, Publicatie.gepubliceerd_op)
    .where(Publicatie.vergadering_id == bindparam("vergadering", type_=Integer()),
           live(bindparam("nu", type_=UTCDateTime()))))


def persoon(definities: Definities, email: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """(name, bodies, bodies as secretary) of an address in the definitions."""
    return _personen(definities).get(email.strip().lower(), ("", frozenset(), frozenset()))


#: The address book of the definitions in use (one per worker, rebuilt for a new version):
#: looking a visitor up is a dict lookup, not a walk over 400 bodies and 10,000 members.
_boek: list[tuple[Definities, dict[str, tuple[str, frozenset[str], frozenset[str]]]]] = []


def _personen(definities: Definities) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
    if _boek and _boek[0][0] is definities:
        return _boek[0][1]
    namen: dict[str, str] = {}
    organen: dict[str, set[str]] = {}
    secretaris: dict[str, set[str]] = {}
    for sleutel, o in definities.organen.items():
        for lid in o.leden:
            organen.setdefault(lid.email, set()).add(sleutel)
            namen.setdefault(lid.email, lid.naam)
        organen.setdefault(o.secretaris.email, set()).add(sleutel)
        secretaris.setdefault(o.secretaris.email, set()).add(sleutel)
        namen.setdefault(o.secretaris.email, o.secretaris.naam)
    boek = {email: (namen[email], frozenset(keys), frozenset(secretaris.get(email, ())))
            for email, keys in organen.items()}
    _boek[:] = [(definities, boek)]
    return boek


def bezoeker(definities: Definities, email: str | None) -> Bezoeker:
    publiek = openbare_organen(definities)
    if email is None:
        return Bezoeker(zichtbaar=publiek)
    naam, organen, secretaris = persoon(definities, email)
    if not organen:  # no longer in the definitions: as anonymous
        return Bezoeker(zichtbaar=publiek)
    return Bezoeker(email=email, naam=naam, organen=organen, secretaris_van=secretaris,
                    zichtbaar=publiek | organen)
