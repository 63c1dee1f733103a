"""The organisation a body belongs to (for the Woo-index) and how its meetings are archived (for
the e-Depot).

In an orgaan file:

    organisatie:
      naam: Openbaar Lichaam Jeugdhulp Rijnmond
      tooi: https://identifier.overheid.nl/tooi/id/so/so0842
      # uitgever: {naam: ..., tooi: ...}   # only when another organisation publishes
    archief:
      waardering: blijvend te bewaren       # or: tijdelijk te bewaren (then bewaartermijn_jaren)
      selectielijst: Selectielijst gemeenten en intergemeentelijke organen 2020
      categorie: "1.1"
      # archiefvormer: {naam: ..., tooi: ...}   # default: the organisatie

`tooi` is a TOOI organisation URI (identifier.overheid.nl): the DiWoo metadata of the Woo-index
accept only organisations from the TOOI value lists. Without `organisatie` a body's publications
do not go into the Woo-index; without `archief` its meetings are not exported to ORI-A.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

#: The shape of a TOOI organisation URI: a register and its code (gm0599, so0842, mnre1034, ...).
TOOI_ORGANISATIE = re.compile(
    r"^https://identifier\.overheid\.nl/tooi/id/"
    r"(gemeente/gm|provincie/pv|waterschap/ws|ministerie/mnre|so/so|oorg/oorg|zbo/zb|col/col)"
    r"\d{1,6}$")


class Waardering(StrEnum):
    """MDTO's Begrippenlijst Waarderingen: permanent (B) or destroyed after a term (V)."""

    BLIJVEND = "blijvend te bewaren"
    TIJDELIJK = "tijdelijk te bewaren"

    @property
    def code(self) -> str:
        return "B" if self is Waardering.BLIJVEND else "V"


@dataclass(frozen=True)
class Organisatie:
    naam: str
    tooi: str


@dataclass(frozen=True)
class Archiefregels:
    """How a body's meetings go to the e-Depot (ORI-A with MDTO per document)."""

    waardering: Waardering
    selectielijst: str
    categorie: str
    archiefvormer: Organisatie
    #: Years after the meeting, for `tijdelijk te bewaren`.
    bewaartermijn_jaren: int | None = None


T = TypeVar("T")


class _Lezer(Protocol):
    def error(self, line: int, message: str) -> None: ...
    def mapping(self, value: Any, line: int, what: str) -> Any: ...
    def unknown_keys(self, node: Any, allowed: set[str]) -> None: ...


def _tekst(lezer: _Lezer, node: Any, key: str, what: str) -> str | None:
    if key not in node:
        lezer.error(node.regel, f"{what}: verplichte sleutel '{key}' ontbreekt")
        return None
    waarde = node[key]
    text = " ".join(str(waarde).split()) if isinstance(waarde, (str, int, float)) else ""
    if not text or len(text) > 200:
        lezer.error(node.sleutelregels[key],
                    f"{what}.{key}: tekst van 1 tot 200 tekens verwacht")
        return None
    return text


def _geldig(lezer: _Lezer, line: int, parse: Callable[[Any], T], waarde: Any,
            melding: str) -> T | None:
    """`parse(waarde)` with the reader's field parsers; `melding` (this file's own wording,
    naming the key under `archief`) when it is refused."""
    from workflow.definities.lezer import _Ongeldig

    try:
        return parse(waarde)
    except _Ongeldig:
        lezer.error(line, melding)
        return None


def _organisatie(lezer: _Lezer, waarde: Any, line: int, what: str,
                 extra: frozenset[str] = frozenset()) -> Organisatie | None:
    node = lezer.mapping(waarde, line, f"'{what}'")
    if node is None:
        return None
    lezer.unknown_keys(node, {"naam", "tooi"} | extra)
    naam = _tekst(lezer, node, "naam", f"'{what}'")
    tooi = _tekst(lezer, node, "tooi", f"'{what}'")
    if tooi is not None and not TOOI_ORGANISATIE.match(tooi):
        lezer.error(node.sleutelregels["tooi"],
                    f"'{what}.tooi': geen TOOI-organisatie-URI: '{tooi[:60]}' (verwacht zoals "
                    f"https://identifier.overheid.nl/tooi/id/so/so0842)")
        return None
    if naam is None or tooi is None:
        return None
    return Organisatie(naam, tooi)


def lees(lezer: _Lezer, node: Any) -> tuple[Organisatie | None, Organisatie | None,
                                             Archiefregels | None]:
    """The `organisatie` and `archief` keys of an orgaan file: (organisatie, uitgever, archief);
    errors go to the reader."""
    organisatie = uitgever = None
    if "organisatie" in node:
        sub = node["organisatie"]
        organisatie = _organisatie(lezer, sub, node.sleutelregels["organisatie"], "organisatie",
                                   frozenset({"uitgever"}))
        if organisatie is not None and "uitgever" in sub:
            uitgever = _organisatie(lezer, sub["uitgever"], sub.sleutelregels["uitgever"],
                                    "organisatie.uitgever")
    archief = None
    if "archief" in node:
        archief = _archief(lezer, node, organisatie)
    return organisatie, uitgever, archief


def _archief(lezer: _Lezer, node: Any, organisatie: Organisatie | None) -> Archiefregels | None:
    # The reader's parsers, imported here: the model imports this module, and a planner that
    # only unpickles definitions must not load the YAML reader.
    from workflow.definities.lezer import _enum, _int

    line = node.sleutelregels["archief"]
    sub = lezer.mapping(node["archief"], line, "'archief'")
    if sub is None:
        return None
    lezer.unknown_keys(sub, {"waardering", "selectielijst", "categorie", "archiefvormer",
                             "bewaartermijn_jaren"})
    waardering: Waardering | None = None
    tekst = _tekst(lezer, sub, "waardering", "'archief'")
    if tekst is not None:
        waardering = _geldig(
            lezer, sub.sleutelregels["waardering"], _enum(Waardering, "waardering"),
            tekst.lower(), f"'archief.waardering': onbekend: '{tekst[:40]}' (toegestaan: "
                           f"{', '.join(w.value for w in Waardering)})")
    selectielijst = _tekst(lezer, sub, "selectielijst", "'archief'")
    categorie = _tekst(lezer, sub, "categorie", "'archief'")
    vormer = organisatie
    if "archiefvormer" in sub:
        vormer = _organisatie(lezer, sub["archiefvormer"], sub.sleutelregels["archiefvormer"],
                              "archief.archiefvormer")
    elif organisatie is None:
        lezer.error(line, "'archief': zonder 'organisatie' is 'archief.archiefvormer' verplicht")
    jaren: int | None = None
    if "bewaartermijn_jaren" in sub:
        jaren = _geldig(lezer, sub.sleutelregels["bewaartermijn_jaren"], _int(1, 200),
                        sub["bewaartermijn_jaren"],
                        "'archief.bewaartermijn_jaren': een geheel getal van 1 tot 200")
    if waardering is Waardering.TIJDELIJK and jaren is None:
        lezer.error(line, "'archief': 'tijdelijk te bewaren' vraagt 'bewaartermijn_jaren'")
        return None
    if waardering is None or selectielijst is None or categorie is None or vormer is None:
        return None
    return Archiefregels(waardering, selectielijst, categorie, vormer,
                        jaren if waardering is Waardering.TIJDELIJK else None)
