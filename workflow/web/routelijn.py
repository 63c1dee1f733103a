"""A proposal's route as a timeline: the route's steps in order, each with its treatments at
meetings (held, planned, dropped) or still open, and the meetings of steps no longer in the
route where they happened.

The timeline is a list of levels, each level a list of steps side by side: a `tegelijk` step is
one level with each adviser's branch, a `zienswijze` step one level with each council's answer
(or its absence)."""

from __future__ import annotations

from typing import Any

from workflow.web.bronnen import Definities, Stap, StapRol, Stapsoort

#: A step's status on the timeline, from its treatments (most advanced first).
GEHOUDEN, GEPLAND, OPEN = "gehouden", "gepland", "open"
STATUSTEKST = {GEHOUDEN: "gehouden", GEPLAND: "gepland", OPEN: "nog niet gepland"}


def niveaus(definities: Definities, route_naam: str, punten: list[dict[str, Any]],
            zienswijzen: list[dict[str, Any]] | None = None) -> list[list[dict[str, Any]]]:
    """The levels of the timeline. `punten`: the proposal's agenda items as the proposal page
    shows them (each with `stap`, `status` and `vergadering`), in meeting order; `zienswijzen`:
    the councils' answers of its zienswijze steps (each with `stap`, `gemeente`, `antwoord`,
    `datum` and `te_laat`)."""
    route = definities.routes.get(route_naam)
    per_stap: dict[str, list[dict[str, Any]]] = {}
    for punt in punten:
        per_stap.setdefault(punt["stap"], []).append(punt)
    uit: list[list[dict[str, Any]]] = []
    bekend = set()
    for stap in route.stappen if route is not None else ():
        bekend.add(stap.id)
        if stap.soort is Stapsoort.ZIENSWIJZE:
            uit.append(_raden(definities, stap, zienswijzen or []))
            continue
        leden = [stap.takstap(t.id) for t in stap.takken] \
            if stap.soort is Stapsoort.TEGELIJK else [stap]
        niveau = []
        for lid in leden:
            bekend.add(lid.id)
            orgaan = definities.organen.get(lid.orgaan)
            niveau.append(_stap(lid.id, orgaan.naam if orgaan else lid.orgaan, _rol(lid.rol),
                                per_stap.get(lid.id, [])))
        uit.append(niveau)
    # Treatments of steps the route no longer has: where they happened, in meeting order.
    for stap_id, lijst in per_stap.items():
        if stap_id not in bekend:
            eerste = lijst[0]
            uit.append([_stap(stap_id, eerste["orgaan_naam"], eerste["rol"], lijst)])
            bekend.add(stap_id)
    if route is None:
        uit.sort(key=lambda niveau: niveau[0]["behandelingen"][0]["vergadering"]["begin"])
    return uit


def _raden(definities: Definities, stap: Stap, zienswijzen: list[dict[str, Any]]
           ) -> list[dict[str, Any]]:
    """One entry per council of a zienswijze step: its answer, or that none came (yet)."""
    antwoorden = [z for z in zienswijzen if z["stap"] == stap.id]
    if not antwoorden:  # not dispatched yet: the councils that will be asked
        return [{"stap": f"{stap.id}/{t.id}", "orgaan_naam": _naam(definities, t.orgaan),
                 "rol": "ter zienswijze", "status": OPEN, "statustekst": STATUSTEKST[OPEN],
                 "behandelingen": [], "groep": "Zienswijzen van de raden"} for t in stap.takken]
    return [{"stap": stap.id, "orgaan_naam": z["gemeente"], "rol": "ter zienswijze",
             "status": GEHOUDEN if z["datum"] else OPEN,
             "statustekst": z["antwoord"] + (" (te laat)" if z["te_laat"] else ""),
             "behandelingen": [], "groep": "Zienswijzen van de raden"} for z in antwoorden]


def _naam(definities: Definities, orgaan: str) -> str:
    o = definities.organen.get(orgaan)
    return o.naam if o else orgaan


def _rol(rol: StapRol | str) -> str:
    return rol.label if isinstance(rol, StapRol) else str(rol)


def _stap(stap_id: str, orgaan_naam: str, rol: str, behandelingen: list[dict[str, Any]]
          ) -> dict[str, Any]:
    statussen = {p["status"] for p in behandelingen}
    status = GEHOUDEN if "behandeld" in statussen else \
        GEPLAND if statussen & {"gepland", "geagendeerd"} else OPEN
    return {"stap": stap_id, "orgaan_naam": orgaan_naam, "rol": rol, "status": status,
            "statustekst": STATUSTEKST[status], "behandelingen": behandelingen}
