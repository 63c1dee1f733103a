"""How a body decides: its quorum rule and the votes of its members (`quorum:` and `stemmen:` in
an orgaan file).

    soort: algemeen-bestuur
    quorum: meer dan de helft       # or: geen; absent: the default of the soort
    leden:
      - {naam: Wethouder jeugd Rotterdam, email: ..., rol: voorzitter, stemmen: 4}

The Wgr applies the Gemeentewet's meeting rules to the general board of a joint arrangement
(docs/besluitvorming.md cites the articles): it decides only with more than half of its members
present. Any other body has no quorum unless its file says so. A voting member (voorzitter, lid)
has one vote unless the regulation gives more (`stemmen`); a secretaris or adviseur has none.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from workflow.definities.publicatie import Orgaansoort

#: The most votes one member can have in a regulation (a bound, not a rule of law).
MAX_STEMMEN = 1000


class Quorum(StrEnum):
    MEER_DAN_DE_HELFT = "meer dan de helft"
    GEEN = "geen"


def standaard(soort: Orgaansoort | None) -> Quorum:
    """The quorum when the file names none: the general board's by law, else none."""
    return Quorum.MEER_DAN_DE_HELFT if soort is Orgaansoort.ALGEMEEN_BESTUUR else Quorum.GEEN


class _Lezer(Protocol):
    def error(self, line: int, message: str) -> None: ...


def lees_quorum(lezer: _Lezer, node: Any, soort: Orgaansoort | None) -> Quorum:
    """The `quorum` key of an orgaan file (an error goes to the reader)."""
    if "quorum" not in node:
        return standaard(soort)
    waarde = " ".join(str(node["quorum"]).split()).lower()
    try:
        return Quorum(waarde)
    except ValueError:
        lezer.error(node.sleutelregels["quorum"],
                    f"'quorum': onbekend: '{waarde[:40]}' (toegestaan: "
                    f"{', '.join(q.value for q in Quorum)})")
        return standaard(soort)


def lees_stemmen(lezer: _Lezer, lid: Any, stemgerechtigd: bool) -> int:
    """A member's `stemmen`: 1 by default for a voting member; none for the others."""
    if "stemmen" not in lid:
        return 1 if stemgerechtigd else 0
    regel = lid.sleutelregels["stemmen"]
    waarde = lid["stemmen"]
    if not stemgerechtigd:
        lezer.error(regel, "'stemmen': alleen een voorzitter of lid heeft stemmen")
        return 0
    if isinstance(waarde, bool) or not isinstance(waarde, int) or not 1 <= waarde <= MAX_STEMMEN:
        lezer.error(regel, f"'stemmen': een geheel getal van 1 tot en met {MAX_STEMMEN} verwacht, "
                           f"niet '{str(waarde)[:40]}'")
        return 1
    return waarde
