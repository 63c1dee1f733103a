"""The group steps of a route file: `tegelijk:` (bodies advising at the same time) and
`zienswijze:` (the councils of every participant, within a statutory period).

    - id: advies
      tegelijk:
        - {orgaan: stuurgroep-transformatie, rol: advies}
        - {orgaan: aoj, rol: advies}
      termijn_dagen: 21            # optional: join at this many days after dispatch
    - id: zienswijze
      zienswijze: {termijn_weken: 12, deelnemers_van: ab-platform-jeugd}

A group step's draft has the same fields as a single step's (routelezer), plus `soort`, `takken`
and `termijn_dagen`; the councils of a zienswijze step are resolved in `zienswijze_takken` once
the deciding body is known.
"""

from __future__ import annotations

from typing import Any

from workflow.basis import grenzen
from workflow.definities import yamlbron
from workflow.definities.lezer import _enum, _int, _key, _Lezer, _safe
from workflow.definities.model import (
    BESLUIT_UITKOMSTEN,
    STANDAARD_UITKOMSTEN,
    Orgaan,
    StapRol,
    Stapsoort,
    Tak,
    Uitkomst,
)

_TAK_KEYS = {"orgaan", "rol", "uitkomsten"}
_ZIENSWIJZE_KEYS = {"termijn_weken", "deelnemers_van"}
#: The statutory period of a zienswijze on an ontwerpbegroting (Wgr art. 35 lid 3): 12 weeks.
STANDAARD_TERMIJN_WEKEN = 12
MAX_TERMIJN_WEKEN = 52


def is_groep(s: yamlbron.Mapping_) -> bool:
    return "tegelijk" in s or "zienswijze" in s


def groep_draft(lezer: _Lezer, s: yamlbron.Mapping_, organen: dict[str, Orgaan],
                kapot: frozenset[str] | set[str]) -> dict[str, Any]:
    """The fields of a group step (its `id`, `terugverwijzen_naar` and `min_dagen_na_vorige`
    are read by the caller)."""
    if "tegelijk" in s and "zienswijze" in s:
        lezer.error(s.regel, "een stap is 'tegelijk' of 'zienswijze', niet beide")
    for key in ("orgaan", "rol", "uitkomsten"):
        if key in s:
            lezer.error(s.sleutelregels[key], f"'{key}' hoort bij de takken van een "
                                              f"groepsstap, niet bij de stap zelf")
    if "tegelijk" in s:
        takken = _tegelijk(lezer, s, organen, kapot)
        termijn = lezer.field(s, "termijn_dagen", _int(1, grenzen.MAX_DAGEN_NA_VORIGE))
        return {"soort": Stapsoort.TEGELIJK, "takken": takken, "termijn_dagen": termijn,
                "orgaan": takken[0].orgaan if takken else None, "rol": StapRol.ADVIES,
                "standaard_id": "tegelijk", "deelnemers_van": None}
    if "termijn_dagen" in s:
        lezer.error(s.sleutelregels["termijn_dagen"],
                    "een zienswijzestap noemt zijn termijn in 'termijn_weken'")
    z = lezer.mapping(s["zienswijze"], s.sleutelregels["zienswijze"], "'zienswijze'")
    weken, van = STANDAARD_TERMIJN_WEKEN, None
    if z is not None:
        lezer.unknown_keys(z, _ZIENSWIJZE_KEYS)
        weken = lezer.field(z, "termijn_weken", _int(1, MAX_TERMIJN_WEKEN),
                            STANDAARD_TERMIJN_WEKEN) or STANDAARD_TERMIJN_WEKEN
        van = lezer.field(z, "deelnemers_van", _key)
        if van is not None and van not in organen and van not in kapot:
            lezer.error(z.sleutelregels["deelnemers_van"], f"onbekend orgaan '{van}'")
    return {"soort": Stapsoort.ZIENSWIJZE, "takken": (), "termijn_dagen": weken * 7,
            "orgaan": None, "rol": StapRol.CONSULTATIE, "standaard_id": "zienswijze",
            "deelnemers_van": van}


def _tegelijk(lezer: _Lezer, s: yamlbron.Mapping_, organen: dict[str, Orgaan],
              kapot: frozenset[str] | set[str]) -> tuple[Tak, ...]:
    takken: list[Tak] = []
    regel = s.sleutelregels["tegelijk"]
    raw = list(lezer.items(s, "tegelijk"))
    for item, line in raw:
        t = lezer.mapping(item, line, "een tak van 'tegelijk'")
        if t is None:
            continue
        lezer.unknown_keys(t, _TAK_KEYS)
        orgaan = lezer.field(t, "orgaan", _key, required=True)
        if orgaan and orgaan not in organen and orgaan not in kapot:
            bekend = ", ".join(sorted(organen)) or "geen"
            lezer.error(t.sleutelregels["orgaan"], f"onbekend orgaan '{orgaan}' (bekend: {bekend})")
        rol = lezer.field(t, "rol", _enum(StapRol, "rol"), required=True)
        if rol is StapRol.BESLUIT:
            lezer.error(t.sleutelregels["rol"], "een tak van 'tegelijk' kan niet beslissen "
                                                "(rol: besluit hoort bij de laatste stap)")
            continue
        uitkomsten: tuple[Uitkomst, ...] = ()
        if "uitkomsten" in t:
            parsed = [_safe(lezer, ln, _enum(Uitkomst, "uitkomst"), u)
                      for u, ln in lezer.items(t, "uitkomsten")]
            uitkomsten = tuple(u for u in parsed if u is not None)
            if any(u in BESLUIT_UITKOMSTEN for u in uitkomsten):
                lezer.error(t.sleutelregels["uitkomsten"],
                            "een tak van 'tegelijk' kan geen besluit als uitkomst hebben")
        if orgaan is None or rol is None:
            continue
        if any(k.orgaan == orgaan for k in takken):
            lezer.error(line, f"orgaan '{orgaan}' staat twee keer in dezelfde 'tegelijk'")
            continue
        takken.append(Tak(orgaan, orgaan, rol, uitkomsten or STANDAARD_UITKOMSTEN[rol]))
    if len(raw) < 2:
        lezer.error(regel, "'tegelijk' heeft minstens twee takken nodig")
    return tuple(takken)


def zienswijze_takken(lezer: _Lezer, line: int, van: str | None, organen: dict[str, Orgaan],
                      kapot: frozenset[str] | set[str]) -> tuple[Tak, ...] | None:
    """The council of every participant of `van` (the body named, or the deciding body)."""
    if van is None or van in kapot:
        return None
    orgaan = organen.get(van)
    if orgaan is None:
        return None
    if not orgaan.deelnemers:
        lezer.error(line, f"zienswijze: orgaan '{van}' heeft geen deelnemers (geef ze onder "
                          f"'deelnemers:' in zijn bestand, of kies 'deelnemers_van')")
        return None
    takken: list[Tak] = []
    for d in orgaan.deelnemers:
        if d.raad not in organen:
            if d.raad not in kapot:
                lezer.error(line, f"zienswijze: deelnemer '{d.sleutel}' van '{van}' noemt een "
                                  f"onbekende raad '{d.raad}' (geen bestand organen/{d.raad}.yaml)")
            continue
        takken.append(Tak(d.sleutel, d.raad, StapRol.CONSULTATIE, (), d.naam))
    return tuple(takken)
