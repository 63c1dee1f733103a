"""Publication rules (Woo): which documents of a body's meetings go public, and when.

In an orgaan file:

    soort: algemeen-bestuur          # or dagelijks-bestuur; absent: another body
    publicatie:
      agenda: bij verzending
      stukken: bij verzending
      besluitenlijst: 10 werkdagen na de vergadering   # or: bij besluit, nooit

Without a `publicatie` key the defaults of Woo article 3.3 (2)(c, d) apply to the general board
(agenda, documents and decision list) and the executive board (agenda and decision list) of a
joint arrangement; any other body publishes nothing unless its definition says so.
What is never published is recorded per proposal (`publicatie uitzonderen`) with one of the
grounds of WOO_GRONDEN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Orgaansoort(StrEnum):
    ALGEMEEN_BESTUUR = "algemeen-bestuur"
    DAGELIJKS_BESTUUR = "dagelijks-bestuur"


class Documentsoort(StrEnum):
    AGENDA = "agenda"
    STUKKEN = "stukken"
    BESLUITENLIJST = "besluitenlijst"


class Wanneer(StrEnum):
    BIJ_VERZENDING = "bij verzending"
    NA_VERGADERING = "na de vergadering"
    BIJ_BESLUIT = "bij besluit"


#: The grounds of Woo article 5.1 and 5.2 on which a document is not made public (fixed list).
WOO_GRONDEN: dict[str, str] = {
    "5.1.1.a": "eenheid van de Kroon",
    "5.1.1.b": "veiligheid van de Staat",
    "5.1.1.c": "vertrouwelijk verstrekte bedrijfs- en fabricagegegevens",
    "5.1.1.d": "bijzondere persoonsgegevens",
    "5.1.1.e": "nationale identificatienummers",
    "5.1.2.a": "internationale betrekkingen",
    "5.1.2.b": "economische of financiële belangen van de Staat of andere overheden",
    "5.1.2.c": "opsporing en vervolging van strafbare feiten",
    "5.1.2.d": "inspectie, controle en toezicht",
    "5.1.2.e": "eerbiediging van de persoonlijke levenssfeer",
    "5.1.2.f": "bescherming van andere dan bedrijfs- en fabricagegegevens",
    "5.1.2.h": "beveiliging van personen en bedrijven",
    "5.1.2.i": "het goed functioneren van de Staat of andere overheden",
    "5.2": "persoonlijke beleidsopvattingen in documenten voor intern beraad",
}

#: The Woo deadline for decision lists: within two weeks, so ten working days.
STANDAARD_WERKDAGEN = 10


@dataclass(frozen=True)
class Publicatieregel:
    """When one kind of document goes public."""

    wanneer: Wanneer
    werkdagen: int = 0

    @property
    def tekst(self) -> str:
        if self.wanneer is Wanneer.NA_VERGADERING:
            return f"{self.werkdagen} werkdagen na de vergadering"
        return self.wanneer.value


@dataclass(frozen=True)
class Publicatieregels:
    agenda: Publicatieregel | None = None
    stukken: Publicatieregel | None = None
    besluitenlijst: Publicatieregel | None = None

    def regel(self, soort: Documentsoort) -> Publicatieregel | None:
        rule: Publicatieregel | None = getattr(self, soort.value)
        return rule

    @property
    def publiceert(self) -> bool:
        return any((self.agenda, self.stukken, self.besluitenlijst))


_VERZENDING = Publicatieregel(Wanneer.BIJ_VERZENDING)
_LIJST = Publicatieregel(Wanneer.NA_VERGADERING, STANDAARD_WERKDAGEN)


def standaard(soort: Orgaansoort | None) -> Publicatieregels:
    """Woo art. 3.3 (2): (c) agendas and decision lists of the boards, (d) the meeting documents
    of the general board."""
    if soort is Orgaansoort.ALGEMEEN_BESTUUR:
        return Publicatieregels(agenda=_VERZENDING, stukken=_VERZENDING, besluitenlijst=_LIJST)
    if soort is Orgaansoort.DAGELIJKS_BESTUUR:
        return Publicatieregels(agenda=_VERZENDING, besluitenlijst=_LIJST)
    return Publicatieregels()


class _Lezer(Protocol):
    def error(self, line: int, message: str) -> None: ...
    def mapping(self, value: Any, line: int, what: str) -> Any: ...
    def unknown_keys(self, node: Any, allowed: set[str]) -> None: ...


_WERKDAGEN = re.compile(r"^(\d{1,2}) werkdagen? na de vergadering$")


def _regel(text: str) -> Publicatieregel | None:
    """'bij verzending', 'bij besluit', 'N werkdagen na de vergadering' or 'nooit'."""
    text = " ".join(text.split()).lower()
    if text == "nooit":
        return None
    if text in (Wanneer.BIJ_VERZENDING.value, Wanneer.BIJ_BESLUIT.value):
        return Publicatieregel(Wanneer(text))
    match = _WERKDAGEN.match(text)
    if match:
        return Publicatieregel(Wanneer.NA_VERGADERING, int(match.group(1)))
    raise ValueError(text)


def lees(lezer: _Lezer, node: Any) -> tuple[Orgaansoort | None, Publicatieregels]:
    """The `soort` and `publicatie` keys of an orgaan file (errors go to the reader)."""
    soort: Orgaansoort | None = None
    if "soort" in node:
        waarde = node["soort"]
        try:
            soort = Orgaansoort(str(waarde))
        except ValueError:
            lezer.error(node.sleutelregels["soort"],
                        f"'soort': onbekend: '{str(waarde)[:40]}' (toegestaan: "
                        f"{', '.join(s.value for s in Orgaansoort)})")
    regels = standaard(soort)
    if "publicatie" not in node:
        return soort, regels
    sub = lezer.mapping(node["publicatie"], node.sleutelregels["publicatie"], "'publicatie'")
    if sub is None:
        return soort, regels
    lezer.unknown_keys(sub, {"agenda", "stukken", "besluitenlijst"})
    gelezen: dict[str, Publicatieregel | None] = {}
    for document in Documentsoort:
        if document.value not in sub:
            gelezen[document.value] = None
            continue
        waarde = sub[document.value]
        try:
            if not isinstance(waarde, str):
                raise ValueError(str(waarde))
            gelezen[document.value] = _regel(waarde)
        except ValueError:
            lezer.error(sub.sleutelregels[document.value],
                        f"'publicatie.{document.value}': onbekend moment '{str(waarde)[:40]}' "
                        f"(verwacht: bij verzending, bij besluit, N werkdagen na de vergadering "
                        f"of nooit)")
    # An explicit `publicatie` replaces the defaults: what it does not name is not published.
    return soort, Publicatieregels(**gelezen)
