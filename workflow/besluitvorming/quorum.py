"""Whether a meeting may decide: the body's quorum rule against the recorded attendance. Pure.

For the general board of a joint arrangement the Wgr applies the Gemeentewet's meeting rules:
the meeting opens only with more than half of the members present (Gemeentewet art. 20 (1)); a
meeting convened again because the first lacked a quorum may decide without one on the subjects
the first was convened for (art. 20 (2, 3)). docs/besluitvorming.md cites the articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.besluitvorming.aanwezigheid import Aanwezigheid
from workflow.definities.besluitregels import Quorum
from workflow.definities.model import Orgaan
from workflow.definities.publicatie import Orgaansoort

WETTEKST = "Gemeentewet art. 20"
WETTEKST_AB = "Gemeentewet art. 20, van toepassing via Wgr art. 22"


@dataclass(frozen=True)
class Toets:
    gehaald: bool
    aanwezig: int
    leden: int
    #: The fewest members present that reach the quorum (0: no quorum rule).
    nodig: int
    regel: str

    @property
    def melding(self) -> str:
        """One Dutch sentence naming the count and the rule."""
        return (f"{self.aanwezig} van de {self.leden} leden aanwezig; het quorum is "
                f"{self.regel}")


def nodig(regel: Quorum, leden: int) -> int:
    """Members needed present: 'more than half' of 7 is 4, of 8 is 5."""
    return leden // 2 + 1 if regel is Quorum.MEER_DAN_DE_HELFT else 0


def toets(orgaan: Orgaan, aanwezigheid: Aanwezigheid, *, herhaalde_vergadering: bool = False
          ) -> Toets:
    """The quorum at a meeting with `aanwezigheid`. `herhaalde_vergadering`: convened again
    under art. 20 (2) and deciding on a subject of the meeting that could not open (art. 20 (3))."""
    leden = len(aanwezigheid.stemgerechtigden)
    aantal = aanwezigheid.aantal_aanwezig
    minimum = nodig(orgaan.quorum, leden)
    wet = WETTEKST_AB if orgaan.soort is Orgaansoort.ALGEMEEN_BESTUUR else "de definities"
    if orgaan.quorum is Quorum.GEEN:
        return Toets(True, aantal, leden, 0, "geen (de definities)")
    regel = f"meer dan de helft, {minimum} leden ({wet})"
    if herhaalde_vergadering:
        return Toets(True, aantal, leden, minimum,
                     f"{regel}, behalve in een opnieuw belegde vergadering over de onderwerpen "
                     "van de vergadering die niet kon worden geopend (art. 20, derde lid)")
    return Toets(aantal >= minimum, aantal, leden, minimum, regel)
