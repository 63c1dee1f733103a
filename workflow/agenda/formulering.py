"""How a list of beslispunten is introduced, in the words a secretariat uses.

Seed 003 writes "Verzoek is om in te stemmen met de aangescherpte ontwikkelopgave"; a point that
itself begins with a verb ("Instemmen met de uitwerking", "Vaststellen van het akkoord") must not
follow that heading: "in te stemmen met: Instemmen met ..." repeats itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

INSTEMMEN_KOP = "Verzoek is om in te stemmen met:"
BESLUIT_KOP = "Voorgesteld besluit:"
ANDERE_KOP = "Beslispunten:"
_INSTEMMEN = "instemmen met "
#: Verbs a beslispunt can open with, as its author writes it (the infinitive).
_WERKWOORDEN = ("instemmen", "vaststellen", "kennisnemen", "kennis nemen", "besluiten",
                "goedkeuren", "akkoord gaan", "aannemen", "verlenen", "machtigen", "opdragen",
                "verzoeken", "intrekken", "wijzigen", "beschikbaar stellen", "zienswijze")


def _tekst(punt: Any) -> str:
    return str(punt.get("tekst", "") if isinstance(punt, dict) else getattr(punt, "tekst", punt))


def _begint_met_werkwoord(tekst: str) -> bool:
    klein = tekst.strip().casefold()
    return any(klein == w or klein.startswith(w + " ") for w in _WERKWOORDEN)


def kop(punten: Iterable[Any], besluit: bool) -> str:
    """The heading above `punten`; `besluit`: the body decides (else it advises or hears)."""
    teksten = [_tekst(p).strip() for p in punten]
    if teksten and all(t.casefold().startswith(_INSTEMMEN) for t in teksten):
        return INSTEMMEN_KOP
    if any(_begint_met_werkwoord(t) for t in teksten):
        return BESLUIT_KOP if besluit else ANDERE_KOP
    return INSTEMMEN_KOP if besluit else ANDERE_KOP


def punt(tekst: str, gekozen_kop: str) -> str:
    """A point under `gekozen_kop`: "Instemmen met de uitwerking" under "in te stemmen met:"
    reads "De uitwerking"."""
    if gekozen_kop == INSTEMMEN_KOP and tekst.strip().casefold().startswith(_INSTEMMEN):
        rest = tekst.strip()[len(_INSTEMMEN):]
        return rest[:1].upper() + rest[1:]
    return tekst
