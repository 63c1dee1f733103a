"""Votes on a beslispunt: who voted how, with the weights of the definitions, and what follows.
Pure.

A decision is taken by a majority of the votes cast (abstentions are not cast). On a tie (de
stemmen staken) at a full meeting the proposal is not adopted; at a meeting that was not full the
decision is postponed to the next meeting, where a second tie rejects it (Gemeentewet art. 32,
for the general board through the Wgr). "Zonder stemming" is adoption without a vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer
from workflow.besluitvorming.aanwezigheid import Aanwezigheid
from workflow.definities.model import Lid


class Keuze(StrEnum):
    VOOR = "voor"
    TEGEN = "tegen"
    ONTHOUDEN = "onthouden"


class Uitslag(StrEnum):
    AANGENOMEN = "aangenomen"
    VERWORPEN = "verworpen"
    STAKEN = "staken"


@dataclass(frozen=True)
class Stem:
    lid: Lid
    #: Who cast it: the member or their substitute.
    door: str
    keuze: Keuze

    @property
    def gewicht(self) -> int:
        return self.lid.stemmen


@dataclass(frozen=True)
class Telling:
    uitslag: Uitslag
    voor: int
    tegen: int
    zonder_stemming: bool = False
    voltallig: bool = False
    stemmen: tuple[Stem, ...] = ()


@dataclass(frozen=True, slots=True)
class Stemregel:
    """How a beslispunt was voted on at a meeting, as a decision list shows it."""

    #: "aangenomen met 7 tegen 2 stemmen", "aangenomen zonder stemming".
    uitslag: str
    #: "Wethouder jeugd Rotterdam (4)"; a substitute as "X namens Y (1)".
    voor: tuple[str, ...] = ()
    tegen: tuple[str, ...] = ()
    onthouden: tuple[str, ...] = ()


def omschrijving(uitslag: str, voor: int, tegen: int, zonder_stemming: bool) -> str:
    """As on a decision list: "aangenomen met 7 tegen 2 stemmen", "aangenomen zonder stemming"."""
    if zonder_stemming:
        return "aangenomen zonder stemming"
    if uitslag == Uitslag.AANGENOMEN:
        return f"aangenomen met {voor} tegen {tegen} stem{'men' if tegen != 1 else ''}"
    if uitslag == Uitslag.VERWORPEN:
        return f"verworpen met {tegen} tegen {voor} stem{'men' if voor != 1 else ''}"
    return f"de stemmen staken ({voor} tegen {tegen})"


def tel(aanwezigheid: Aanwezigheid, keuzes: Sequence[tuple[str, Keuze]]) -> Telling:
    """Check every voter (present, voting, once) and count the weighted votes."""
    stemmen: list[Stem] = []
    gezien: set[str] = set()
    for naam, keuze in keuzes:
        gevonden = aanwezigheid.stemmer(naam)
        if gevonden is None:
            raise GebruikersFout(f"{citeer(naam)} was niet aanwezig volgens de presentielijst "
                                 "(zie 'besluitroute vergadering aanwezig')")
        lid, door = gevonden
        if not lid.stemgerechtigd:
            raise GebruikersFout(f"{citeer(lid.naam)} heeft geen stem ({lid.rol.value})")
        if lid.naam in gezien:
            raise GebruikersFout(f"de stem van {citeer(lid.naam)} staat er twee keer in")
        gezien.add(lid.naam)
        stemmen.append(Stem(lid, door, keuze))
    voor = sum(s.gewicht for s in stemmen if s.keuze is Keuze.VOOR)
    tegen = sum(s.gewicht for s in stemmen if s.keuze is Keuze.TEGEN)
    if voor + tegen == 0:
        raise GebruikersFout("er is geen stem voor of tegen uitgebracht; zonder stemmen is er "
                             "geen besluit (of gebruik --zonder-stemming)")
    uitslag = (Uitslag.AANGENOMEN if voor > tegen else Uitslag.VERWORPEN if tegen > voor
               else Uitslag.STAKEN)
    return Telling(uitslag, voor, tegen, voltallig=aanwezigheid.voltallig, stemmen=tuple(stemmen))


def past_bij(besluit: str, uitslag: str) -> bool:
    """Whether a beslispunt's besluit (aangenomen, gewijzigd aangenomen, verworpen) agrees with
    the votes' outcome."""
    if uitslag == Uitslag.AANGENOMEN:
        return besluit in ("aangenomen", "gewijzigd aangenomen")
    return besluit == "verworpen"
