"""What the members were sent, and what changed since (the aanvulling): a snapshot of an agenda
as JSON-able data, and the difference between two snapshots as Dutch sentences. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from workflow.agenda.model import Agenda
from workflow.basis.tekst import datum_tijd


def momentopname(a: Agenda) -> dict[str, Any]:
    """The parts of an agenda members are told about when they change, as JSON-able data."""
    v = a.vergadering
    return {
        "begin": v.begin.isoformat(), "plaats": v.plaats, "geannuleerd": v.geannuleerd,
        "punten": {
            p.kenmerk: {"titel": p.titel, "nummer": p.nummer, "voorbehoud": p.voorbehoud,
                        "nagekomen": p.nagekomen,
                        "documenten": {d.naam: [d.versie, d.sha256] for d in p.documenten}}
            for p in a.voorstellen
        },
    }


def wijzigingen(oud: Mapping[str, Any], nieuw: Mapping[str, Any],
                elders: Mapping[str, str] | None = None) -> list[str]:
    """What changed between two snapshots, one Dutch sentence per change, in agenda order.
    `elders` says where a removed item went ("de vergadering van 8 juli 2021")."""
    elders = elders or {}
    result: list[str] = []
    if nieuw["geannuleerd"] and not oud["geannuleerd"]:
        result.append("De vergadering is geannuleerd.")
    oud_begin = datetime.fromisoformat(oud["begin"])
    nieuw_begin = datetime.fromisoformat(nieuw["begin"])
    if oud_begin != nieuw_begin:
        result.append(f"De vergadering is verplaatst van {_wanneer(oud_begin)} naar "
                      f"{_wanneer(nieuw_begin)}.")
    if oud["plaats"] != nieuw["plaats"] and nieuw["plaats"]:
        result.append(f"Nieuwe plaats: {nieuw['plaats']}.")
    oud_p, nieuw_p = oud["punten"], nieuw["punten"]
    for kenmerk, p in oud_p.items():
        if kenmerk not in nieuw_p:
            waar = f"; verplaatst naar {elders[kenmerk]}" if kenmerk in elders else ""
            result.append(f"Van de agenda gehaald: {kenmerk} {p['titel']}{waar}.")
    for kenmerk, p in sorted(nieuw_p.items(), key=lambda kv: kv[1]["nummer"]):
        naam = f"{kenmerk} {p['titel']}"
        vorig = oud_p.get(kenmerk)
        if vorig is None:
            extra = f", {p['voorbehoud']}" if p["voorbehoud"] else ""
            result.append(f"Toegevoegd als agendapunt {p['nummer']}: {naam}"
                          f"{' (nagekomen)' if p['nagekomen'] else ''}{extra}.")
            continue
        if vorig["titel"] != p["titel"]:
            result.append(f"{kenmerk}: titel gewijzigd in '{p['titel']}'.")
        if vorig["voorbehoud"] and not p["voorbehoud"]:
            result.append(f"{naam}: het voorbehoud is vervallen; het eerdere advies is "
                          "uitgebracht.")
        elif p["voorbehoud"] and vorig["voorbehoud"] != p["voorbehoud"]:
            result.append(f"{naam}: staat nu {p['voorbehoud']}.")
        for doc, (versie, sha) in sorted(p["documenten"].items()):
            was = vorig["documenten"].get(doc)
            if was is None:
                result.append(f"{naam}: stuk toegevoegd: {doc} (versie {versie}).")
            elif was[1] != sha:
                result.append(f"{naam}: stuk vervangen: {doc} (nu versie {versie}).")
        for doc in sorted(set(vorig["documenten"]) - set(p["documenten"])):
            result.append(f"{naam}: stuk vervallen: {doc}.")
    return result


def _wanneer(moment: datetime) -> str:
    return datum_tijd(moment)
