"""The dated duties of the planning-and-control cycle (`termijnen:` in a body's file).

Each year a proposal on `route` must reach `handeling` (a history act: `verzenden` to the councils,
`vastgesteld`, `toezenden` to Gedeputeerde Staten) by `uiterlijk` (day and month), and, with
`binnen_dagen_na_besluit`, within that many days after its decision (Wgr art. 34: within two
weeks of adoption and before 15 September). Reported by workflow.kalender.pcyclus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the planner imports this module (via the model): no YAML reader then
    from workflow.definities import yamlbron
    from workflow.definities.lezer import _Lezer

_KEYS = {"omschrijving", "route", "handeling", "uiterlijk", "binnen_dagen_na_besluit", "artikel"}
_DAG_MAAND = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Termijnplicht:
    omschrijving: str
    route: str
    handeling: str
    maand: int
    dag: int
    binnen_dagen_na_besluit: int | None = None
    #: The statutory basis as users cite it: "Wgr art. 34".
    artikel: str = ""


def _maand_dag(value: Any) -> tuple[int, int]:
    from datetime import date

    from workflow.definities.lezer import _Ongeldig

    match = _DAG_MAAND.match(str(value).strip())
    try:
        if match is None:
            raise ValueError
        maand, dag = int(match.group(1)), int(match.group(2))
        date(2024, maand, dag)  # a leap year: 02-29 is a valid yearly date
    except ValueError:
        raise _Ongeldig(f"ongeldige datum '{value}' (verwacht MM-DD, zoals 09-15)") from None
    return maand, dag


def lees(lezer: _Lezer, node: yamlbron.Mapping_) -> tuple[Termijnplicht, ...]:
    from workflow.definities.lezer import _int, _key, _naam, _text

    result: list[Termijnplicht] = []
    for item, line in lezer.items(node, "termijnen"):
        m = lezer.mapping(item, line, "een termijn")
        if m is None:
            continue
        lezer.unknown_keys(m, _KEYS)
        omschrijving = lezer.field(m, "omschrijving", _text, required=True)
        route = lezer.field(m, "route", _key, required=True)
        handeling = lezer.field(m, "handeling", _key, required=True)
        uiterlijk = lezer.field(m, "uiterlijk", _maand_dag, required=True)
        binnen = lezer.field(m, "binnen_dagen_na_besluit", _int(1, 366))
        artikel = lezer.field(m, "artikel", _naam, "") or ""
        if omschrijving and route and handeling and uiterlijk:
            result.append(Termijnplicht(omschrijving, route, handeling, uiterlijk[0],
                                        uiterlijk[1], binnen, artikel))
    return tuple(result)
