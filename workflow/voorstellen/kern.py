"""The building blocks every act shares: checked text, loading a proposal, firing a route
trigger, putting a proposal on a meeting's agenda, recording its history, and what an act
returns (`Resultaat`). The acts (indienen, uitkomsten, correcties) and the re-planning
(herplanning) all build on these; none reaches into another's private helpers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.basis.tekst import citeer
from workflow.definities.model import Definities, StapRol
from workflow.opslag.models import Agendapunt, Gebeurtenis, Vergadering, Voorstel

GEPLAND = "gepland"


GEAGENDEERD = "geagendeerd"


BEHANDELD = "behandeld"


VERVALLEN = "vervallen"


@dataclass(frozen=True)
class Resultaat:
    """What an act did, for the CLI to print."""

    kenmerk: str
    toestand: str
    omschrijving: str
    vergadering: Vergadering | None = None


#: Characters that break a line: C0 and C1 controls (CR, LF, TAB, ESC, ...), DEL, and the Unicode
#: line and paragraph separators.
_STUURTEKENS = frozenset([*map(chr, range(0x00, 0x20)), "\x7f", *map(chr, range(0x80, 0xA0)),
                          "\u2028", "\u2029"])


_NAMEN = {"\n": "een regeleinde (LF)", "\r": "een regeleinde (CR)", "\t": "een tab",
          "\u2028": "een regelscheiding (U+2028)", "\u2029": "een alineascheiding (U+2029)",
          "\x85": "een regeleinde (U+0085)"}


def teken_naam(c: str) -> str:
    return _NAMEN.get(c, f"een stuurteken (U+{ord(c):04X})")


def tekst_veld(value: str | None, what: str, *, required: bool = False, max_len: int = 20000,
           een_regel: bool = False) -> str:
    """Checked text. `een_regel`: a title, name, beslispunt or reason, refused with any control
    character; otherwise a long free text (advice), which may hold newlines and tabs."""
    text = (value or "").strip()
    if required and not text:
        raise GebruikersFout(f"{what} mag niet leeg zijn")
    if len(text) > max_len:
        raise GebruikersFout(f"{what} is te lang ({len(text)} tekens, hoogstens {max_len})")
    if een_regel:
        slecht = next((c for c in text if c in _STUURTEKENS), None)
        if slecht is not None:
            raise GebruikersFout(f"{what} moet op één regel staan, zonder stuurtekens; "
                                 f"bevat {teken_naam(slecht)}")
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    slecht = next((c for c in text if c in _STUURTEKENS and c not in "\n\t"), None)
    if slecht is not None:
        raise GebruikersFout(f"{what} bevat {teken_naam(slecht)}; alleen regeleinden en tabs mogen")
    return text


def regel_tekst(value: str | None, what: str, *, required: bool = False,
                max_len: int = 20000) -> str:
    """A one-line field (title, name, beslispunt, reason), for acts outside this module."""
    return tekst_veld(value, what, required=required, max_len=max_len, een_regel=True)


def haal_voorstel(session: Session, kenmerk: str) -> Voorstel:
    voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk.strip()))
    if voorstel is None:
        raise NietGevonden(f"onbekend voorstel {citeer(kenmerk)} (zie 'besluitroute voorstel lijst')")
    return voorstel


def leg_vast(session: Session, voorstel: Voorstel, handeling: str, door: str, *,
             van: str | None, naar: str | None, vergadering_id: int | None = None,
             uitkomst: str | None = None, tekst: str | None = None,
             definities: Definities | None = None) -> None:
    """Append a history row. It keeps the meeting as it is now (body, start, title), so a later
    move or a renamed body does not change what the row says; `definities` give the title."""
    door = tekst_veld(door, "de naam bij --door", required=True, max_len=200, een_regel=True)
    orgaan = begin = titel = None
    if vergadering_id is not None:
        vergadering = session.get(Vergadering, vergadering_id)
        if vergadering is not None:
            orgaan, begin = vergadering.orgaan, vergadering.begin
            body = definities.organen.get(orgaan) if definities is not None else None
            titel = body.naam if body is not None else None
    session.add(Gebeurtenis(
        voorstel_id=voorstel.id, tijdstip=clock.now(), geregistreerd_op=clock.real_now(),
        door=door, handeling=handeling, van_toestand=van, naar_toestand=naar,
        vergadering_id=vergadering_id, uitkomst=uitkomst, tekst=tekst or None,
        orgaan=orgaan, vergadering_begin=begin, vergadering_titel=titel,
    ))


def zet_op_agenda(session: Session, voorstel: Voorstel, vergadering: Vergadering, stap_id: str,
            rol: StapRol, nagekomen: bool) -> Agendapunt:
    existing = session.scalar(select(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.vergadering_id == vergadering.id,
        Agendapunt.stap == stap_id))
    if existing is not None:
        existing.status, existing.nagekomen = GEAGENDEERD, existing.nagekomen or nagekomen
        item = existing
    else:
        item = Agendapunt(vergadering_id=vergadering.id, voorstel_id=voorstel.id, stap=stap_id,
                          rol=rol.value, status=GEAGENDEERD, nagekomen=nagekomen,
                          aangemaakt_op=clock.now())
        session.add(item)
    # An explicit choice replaces any planned meeting for the same step.
    session.execute(update(Agendapunt).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.stap == stap_id,
        Agendapunt.status == GEPLAND, Agendapunt.vergadering_id != vergadering.id,
    ).values(status=VERVALLEN))
    voorstel.vergadering_id = vergadering.id
    return item
