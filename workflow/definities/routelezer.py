"""One file in routes/ -> a Route: its ordered steps with their body, role and allowed outcomes.

The steps are read first as drafts, then checked together (unique ids, exactly one deciding step
and it comes last, `terugverwijzen_naar` names a step), then built.
"""

from __future__ import annotations

from typing import Any

from workflow.basis import grenzen
from workflow.definities import takkenlezer, yamlbron
from workflow.definities.lezer import _enum, _int, _key, _Lezer, _naam, _safe, _text
from workflow.definities.model import (
    ADVIES_UITKOMSTEN,
    BESLUIT_UITKOMSTEN,
    PROCES_UITKOMSTEN,
    STANDAARD_UITKOMSTEN,
    Orgaan,
    Route,
    Stap,
    StapRol,
    Stapsoort,
    Uitkomst,
)

_ROUTE_KEYS = {"naam", "titel", "omschrijving", "aan", "van", "stappen"}
_STAP_KEYS = {"id", "orgaan", "rol", "uitkomsten", "terugverwijzen_naar", "min_dagen_na_vorige",
              "tegelijk", "zienswijze", "termijn_dagen"}


_Draft = tuple[dict[str, Any], int, yamlbron.Mapping_]  # a step's fields, its line, its mapping


def read_route(lezer: _Lezer, root: Any, organen: dict[str, Orgaan],
               kapot: frozenset[str] | set[str] = frozenset()) -> Route | None:
    """`kapot`: bodies whose own file is broken; a step naming one gets no second error."""
    node = lezer.mapping(root, 1, "een routebestand")
    if node is None:
        return None
    lezer.unknown_keys(node, _ROUTE_KEYS)
    naam = lezer.field(node, "naam", _key, required=True)
    titel = lezer.field(node, "titel", _naam, naam)
    if "stappen" not in node:
        lezer.error(node.regel, "verplichte sleutel 'stappen' ontbreekt")
        return None
    raw_steps = list(lezer.items(node, "stappen"))
    stappen_regel = node.sleutelregels["stappen"]
    if not raw_steps:
        lezer.error(stappen_regel, "de route heeft geen stappen")
        return None
    drafts = _drafts(lezer, raw_steps, organen, kapot)
    _check_steps(lezer, drafts, stappen_regel)
    stappen = _build_steps(lezer, drafts, organen, kapot)
    if naam is None or len(stappen) != len(raw_steps):
        return None
    return Route(naam=naam, titel=titel or naam, stappen=tuple(stappen),
                 aan=lezer.field(node, "aan", _naam, "") or "",
                 van=lezer.field(node, "van", _naam, "") or "",
                 omschrijving=lezer.field(node, "omschrijving", _text, "") or "")


def _drafts(lezer: _Lezer, raw_steps: list[tuple[Any, int]], organen: dict[str, Orgaan],
            kapot: frozenset[str] | set[str]) -> list[_Draft]:
    """Each step's own fields, checked one by one."""
    drafts: list[_Draft] = []
    for item, line in raw_steps:
        s = lezer.mapping(item, line, "een stap")
        if s is None:
            continue
        lezer.unknown_keys(s, _STAP_KEYS)
        if takkenlezer.is_groep(s):
            groep = takkenlezer.groep_draft(lezer, s, organen, kapot)
            drafts.append(({
                **groep, "id": lezer.field(s, "id", _key, groep["standaard_id"]),
                "uitkomsten": (),
                "terugverwijzen_naar": lezer.field(s, "terugverwijzen_naar", _key),
                "min_dagen_na_vorige": lezer.field(s, "min_dagen_na_vorige",
                                                   _int(0, grenzen.MAX_DAGEN_NA_VORIGE), 0) or 0,
            }, line, s))
            continue
        if "termijn_dagen" in s:
            lezer.error(s.sleutelregels["termijn_dagen"],
                        "'termijn_dagen' hoort bij een groepsstap ('tegelijk')")
        orgaan = lezer.field(s, "orgaan", _key, required=True)
        if orgaan and orgaan not in organen and orgaan not in kapot:
            bekend = ", ".join(sorted(organen)) or "geen"
            lezer.error(s.sleutelregels["orgaan"], f"onbekend orgaan '{orgaan}' (bekend: {bekend})")
        rol = lezer.field(s, "rol", _enum(StapRol, "rol"), required=True)
        uitkomsten: tuple[Uitkomst, ...] | None = None
        if "uitkomsten" in s:
            parsed = [_safe(lezer, line, _enum(Uitkomst, "uitkomst"), u)
                      for u, line in lezer.items(s, "uitkomsten")]
            uitkomsten = tuple(u for u in parsed if u is not None)
            if rol is not None:
                _check_outcomes(lezer, s.sleutelregels["uitkomsten"], rol, uitkomsten)
        drafts.append(({
            "id": lezer.field(s, "id", _key, orgaan),
            "orgaan": orgaan,
            "rol": rol,
            "uitkomsten": uitkomsten,
            "terugverwijzen_naar": lezer.field(s, "terugverwijzen_naar", _key),
            "min_dagen_na_vorige": lezer.field(s, "min_dagen_na_vorige",
                                               _int(0, grenzen.MAX_DAGEN_NA_VORIGE), 0) or 0,
        }, line, s))
    return drafts


def _check_steps(lezer: _Lezer, drafts: list[_Draft], stappen_regel: int) -> None:
    """The steps together: unique ids, and exactly one deciding step, the last one."""
    ids = [d["id"] for d, _, _ in drafts]
    for (draft, line, _s), position in zip(drafts, range(len(drafts)), strict=True):
        if draft["id"] is not None and ids.index(draft["id"]) != position:
            lezer.error(line, f"stap '{draft['id']}' komt twee keer voor; geef de tweede een 'id'")
    besluit = [(d, line) for d, line, _ in drafts if d["rol"] is StapRol.BESLUIT]
    if not besluit and all(d["rol"] is not None for d, _, _ in drafts):
        lezer.error(stappen_regel, "de route heeft geen beslissende stap (rol: besluit)")
    elif len(besluit) > 1:
        lezer.error(besluit[1][1], "de route heeft meer dan één beslissende stap")
    elif besluit and drafts[-1][0]["rol"] is not StapRol.BESLUIT:
        lezer.error(besluit[0][1], "de beslissende stap moet de laatste stap van de route zijn")


def _build_steps(lezer: _Lezer, drafts: list[_Draft], organen: dict[str, Orgaan],
                 kapot: frozenset[str] | set[str]) -> list[Stap]:
    """The steps whose fields are all valid and whose `terugverwijzen_naar` names a step."""
    ids = [d["id"] for d, _, _ in drafts]
    beslissend = next((d["orgaan"] for d, _, _ in drafts if d["rol"] is StapRol.BESLUIT), None)
    stappen: list[Stap] = []
    for draft, line, s in drafts:
        if draft.get("soort") is Stapsoort.ZIENSWIJZE:
            van = draft["deelnemers_van"] or beslissend
            takken = takkenlezer.zienswijze_takken(lezer, line, van, organen, kapot)
            draft = {**draft, "takken": takken, "orgaan": van}
        terug = draft["terugverwijzen_naar"] or ids[0]
        if terug not in ids:
            lezer.error(s.sleutelregels.get("terugverwijzen_naar", s.regel),
                        f"'terugverwijzen_naar': onbekende stap '{terug}' "
                        f"(stappen: {', '.join(i for i in ids if i)})")
            continue
        soort = draft.get("soort", Stapsoort.ENKEL)
        if None in (draft["id"], draft["orgaan"], draft["rol"]) or (
                soort is not Stapsoort.ENKEL and not draft.get("takken")):
            continue
        rol = draft["rol"]
        stappen.append(Stap(
            id=draft["id"], orgaan=draft["orgaan"], rol=rol,
            uitkomsten=draft["uitkomsten"] if soort is not Stapsoort.ENKEL
            else draft["uitkomsten"] or STANDAARD_UITKOMSTEN[rol],
            terugverwijzen_naar=terug, min_dagen_na_vorige=draft["min_dagen_na_vorige"],
            soort=soort, takken=draft.get("takken") or (),
            termijn_dagen=draft.get("termijn_dagen"),
        ))
    return stappen


def _check_outcomes(lezer: _Lezer, line: int, rol: StapRol, uitkomsten: tuple[Uitkomst, ...]) -> None:
    for u in uitkomsten:
        if rol is StapRol.BESLUIT and u in ADVIES_UITKOMSTEN | {Uitkomst.KENNISGENOMEN}:
            lezer.error(line, f"uitkomst '{u}' past niet bij een beslissende stap")
        if rol is not StapRol.BESLUIT and u in BESLUIT_UITKOMSTEN:
            lezer.error(line, f"uitkomst '{u}' kan alleen bij een beslissende stap (rol: besluit)")
    if not uitkomsten:
        lezer.error(line, "de stap heeft geen uitkomsten")
    elif not set(uitkomsten) - PROCES_UITKOMSTEN:
        lezer.error(line, "de stap heeft geen uitkomst die verder leidt (advies of besluit)")
