"""Who attended a meeting: the members present, those absent (with or without a reason given)
and the substitutes, checked against the body's members as the definitions had them on the
meeting's date. Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer
from workflow.definities.model import Lid, Orgaan

#: A name or reason on the command line: one line of at most this many characters.
MAX_NAAM = 200
MAX_REDEN = 500


class Hoedanigheid(StrEnum):
    AANWEZIG = "aanwezig"
    AFWEZIG = "afwezig"
    VERVANGER = "vervanger"


@dataclass(frozen=True)
class Opgave:
    """What the secretariat recorded, before it is checked: one row each."""

    hoedanigheid: Hoedanigheid
    naam: str
    namens: str | None = None
    reden: str | None = None


def regel(tekst: str, wat: str, maximum: int, *, verplicht: bool = True) -> str:
    """A name or reason: one line without control characters, at most `maximum` long."""
    tekst = " ".join(tekst.split()) if tekst.isprintable() else ""
    if verplicht and not tekst:
        raise GebruikersFout(f"{wat} moet een naam op één regel zijn, zonder stuurtekens")
    if len(tekst) > maximum:
        raise GebruikersFout(f"{wat} is te lang ({len(tekst)} tekens, hoogstens {maximum})")
    return tekst


def opgave(hoedanigheid: Hoedanigheid, naam: str, *, namens: str | None = None,
           reden: str | None = None) -> Opgave:
    """One row as typed on the command line, its texts checked (one line, bounded)."""
    if reden is not None and not reden.isprintable():
        raise GebruikersFout("de reden moet op één regel staan, zonder stuurtekens")
    return Opgave(hoedanigheid, regel(naam, "de naam", MAX_NAAM),
                  regel(namens, "het lid bij --vervanger", MAX_NAAM) if namens is not None
                  else None,
                  regel(reden, "de reden", MAX_REDEN, verplicht=False) or None
                  if reden is not None else None)


@dataclass(frozen=True)
class Vervanging:
    lid: Lid
    vervanger: str


@dataclass(frozen=True)
class Afmelding:
    lid: Lid
    #: The reason given; "" when the member was absent without one (zonder bericht).
    reden: str


@dataclass(frozen=True)
class Aanwezigheid:
    """The attendance of a meeting, every member of the body accounted for."""

    leden: tuple[Lid, ...]
    aanwezig: tuple[Lid, ...]
    vervangen: tuple[Vervanging, ...]
    afwezig: tuple[Afmelding, ...]

    @property
    def stemgerechtigden(self) -> tuple[Lid, ...]:
        """The members with a seat and a vote: they count for the quorum."""
        return tuple(lid for lid in self.leden if lid.stemgerechtigd)

    @property
    def aantal_aanwezig(self) -> int:
        """Voting members present in person or through their substitute."""
        return (sum(1 for lid in self.aanwezig if lid.stemgerechtigd)
                + sum(1 for v in self.vervangen if v.lid.stemgerechtigd))

    @property
    def voltallig(self) -> bool:
        return self.aantal_aanwezig == len(self.stemgerechtigden)

    def stemmer(self, naam: str) -> tuple[Lid, str] | None:
        """The member whose vote `naam` casts (a member present, or a substitute), and who casts
        it; None when `naam` is neither."""
        sleutel = _sleutel(naam)
        for lid in self.aanwezig:
            if _sleutel(lid.naam) == sleutel:
                return lid, lid.naam
        for v in self.vervangen:
            if sleutel in (_sleutel(v.vervanger), _sleutel(v.lid.naam)):
                return v.lid, v.vervanger
        return None


def _sleutel(naam: str) -> str:
    return " ".join(naam.split()).casefold()


def zoek_lid(orgaan: Orgaan, leden: Sequence[Lid], naam: str) -> Lid:
    """The member called `naam` (case and spacing aside), or one Dutch line."""
    sleutel = _sleutel(naam)
    for lid in leden:
        if _sleutel(lid.naam) == sleutel:
            return lid
    bekend = ", ".join(lid.naam for lid in leden[:10]) + (", ..." if len(leden) > 10 else "")
    raise GebruikersFout(f"{citeer(naam)} is geen lid van {orgaan.naam} op de datum van de "
                         f"vergadering (leden: {bekend})")


def stel_vast(orgaan: Orgaan, leden: Sequence[Lid], opgaven: Iterable[Opgave]) -> Aanwezigheid:
    """Check what was recorded against the members; a member not named was absent without a
    reason (zonder bericht)."""
    gezien: dict[str, str] = {}
    aanwezig: list[Lid] = []
    vervangen: list[Vervanging] = []
    afwezig: dict[str, Afmelding] = {}

    def eenmaal(lid: Lid, hoe: str) -> None:
        vorige = gezien.get(lid.naam)
        if vorige is not None:
            raise GebruikersFout(f"{citeer(lid.naam)} staat twee keer op de presentielijst "
                                 f"({vorige} en {hoe})")
        gezien[lid.naam] = hoe

    for opgave in opgaven:
        if opgave.hoedanigheid is Hoedanigheid.VERVANGER:
            lid = zoek_lid(orgaan, leden, opgave.namens or "")
            if any(_sleutel(x.naam) == _sleutel(opgave.naam) for x in leden):
                raise GebruikersFout(f"vervanger {citeer(opgave.naam)} is zelf lid van "
                                     f"{orgaan.naam}; noem een lid met --lid")
            eenmaal(lid, f"vervangen door {opgave.naam}")
            vervangen.append(Vervanging(lid, opgave.naam))
            continue
        lid = zoek_lid(orgaan, leden, opgave.naam)
        if opgave.hoedanigheid is Hoedanigheid.AANWEZIG:
            eenmaal(lid, "aanwezig")
            aanwezig.append(lid)
        else:
            eenmaal(lid, "afwezig")
            afwezig[lid.naam] = Afmelding(lid, opgave.reden or "")
    namen = [v.vervanger for v in vervangen]
    dubbel = next((n for n in namen if namen.count(n) > 1), None)
    if dubbel is not None:
        raise GebruikersFout(f"{citeer(dubbel)} vervangt meer dan één lid")
    volgorde = {lid.naam: i for i, lid in enumerate(leden)}
    for lid in leden:  # not named: absent without a reason given
        if lid.naam not in gezien:
            afwezig[lid.naam] = Afmelding(lid, "")
    return Aanwezigheid(
        leden=tuple(leden),
        aanwezig=tuple(sorted(aanwezig, key=lambda x: volgorde[x.naam])),
        vervangen=tuple(sorted(vervangen, key=lambda v: volgorde[v.lid.naam])),
        afwezig=tuple(sorted(afwezig.values(), key=lambda a: volgorde[a.lid.naam])),
    )
