"""The participants (deelnemers) of a joint arrangement: each municipality and its council.

A body of a gemeenschappelijke regeling (usually its algemeen bestuur) lists them under
`deelnemers:`; a route's `zienswijze:` step sends a draft to the council (`raad`, itself a body
in organen/ with its own rhythm, submission deadline and griffie as secretary) of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the planner imports this module (via the model): no YAML reader then
    from workflow.definities import yamlbron
    from workflow.definities.lezer import _Lezer

_KEYS = {"sleutel", "naam", "raad"}


@dataclass(frozen=True)
class Deelnemer:
    """One participating municipality: `--raad` accepts its key, its name or its council's key."""

    sleutel: str
    naam: str
    #: The key of its council's body (organen/<raad>.yaml).
    raad: str


def lees(lezer: _Lezer, node: yamlbron.Mapping_) -> tuple[Deelnemer, ...]:
    """`deelnemers:` of a body file; each with a unique key and a council body key."""
    from workflow.definities.lezer import _key, _naam

    result: list[Deelnemer] = []
    for item, line in lezer.items(node, "deelnemers"):
        m = lezer.mapping(item, line, "een deelnemer")
        if m is None:
            continue
        lezer.unknown_keys(m, _KEYS)
        sleutel = lezer.field(m, "sleutel", _key, required=True)
        naam = lezer.field(m, "naam", _naam, required=True)
        raad = lezer.field(m, "raad", _key, required=True)
        if sleutel is None or naam is None or raad is None:
            continue
        if any(d.sleutel == sleutel for d in result):
            lezer.error(m.sleutelregels["sleutel"], f"deelnemer '{sleutel}' komt twee keer voor")
            continue
        result.append(Deelnemer(sleutel, naam, raad))
    return tuple(result)


def zoek(deelnemers: tuple[Deelnemer, ...], tekst: str) -> Deelnemer | None:
    """The participant named by `tekst`: its key, its council's key or its name (any case)."""
    gezocht = " ".join(tekst.split()).casefold()
    for d in deelnemers:
        namen = {d.sleutel, d.raad, d.naam.casefold(), d.naam.casefold().removeprefix("gemeente ")}
        if gezocht in namen:
            return d
    return None

