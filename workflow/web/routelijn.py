"""A proposal's route as a timeline: the route's steps in order, each with its treatments at
meetings (held, planned, dropped) or still open, and the meetings of steps no longer in the
route where they happened.

The shape allows parallel branches: the timeline is a list of levels, each level a list of
steps side by side. Today's routes are linear (one step per level); a route that branches puts
its parallel steps in one level and the template already draws them beside each other."""

from __future__ import annotations

from typing import Any

from workflow.web.bronnen import Definities, StapRol

#: A step's status on the timeline, from its treatments (most advanced first).
GEHOUDEN, GEPLAND, OPEN = "gehouden", "gepland", "open"
STATUSTEKST = {GEHOUDEN: "gehouden", GEPLAND: "gepland", OPEN: "nog niet gepland"}


def niveaus(definities: Definities, route_naam: str, punten: list[dict[str, Any]]
            ) -> list[list[dict[str, Any]]]:
    """The levels of the timeline. `punten`: the proposal's agenda items as the proposal page
    shows them (each with `stap`, `status` and `vergadering`), in meeting order."""
    route = definities.routes.get(route_naam)
    per_stap: dict[str, list[dict[str, Any]]] = {}
    for punt in punten:
        per_stap.setdefault(punt["stap"], []).append(punt)
    uit: list[list[dict[str, Any]]] = []
    bekend = set()
    for stap in route.stappen if route is not None else ():
        bekend.add(stap.id)
        orgaan = definities.organen.get(stap.orgaan)
        uit.append([_stap(stap.id, orgaan.naam if orgaan else stap.orgaan, _rol(stap.rol),
                          per_stap.get(stap.id, []))])
    # Treatments of steps the route no longer has: where they happened, in meeting order.
    for stap_id, lijst in per_stap.items():
        if stap_id not in bekend:
            eerste = lijst[0]
            uit.append([_stap(stap_id, eerste["orgaan_naam"], eerste["rol"], lijst)])
            bekend.add(stap_id)
    if route is None:
        uit.sort(key=lambda niveau: niveau[0]["behandelingen"][0]["vergadering"]["begin"])
    return uit


def _rol(rol: StapRol | str) -> str:
    return rol.label if isinstance(rol, StapRol) else str(rol)


def _stap(stap_id: str, orgaan_naam: str, rol: str, behandelingen: list[dict[str, Any]]
          ) -> dict[str, Any]:
    statussen = {p["status"] for p in behandelingen}
    status = GEHOUDEN if "behandeld" in statussen else \
        GEPLAND if statussen & {"gepland", "geagendeerd"} else OPEN
    return {"stap": stap_id, "orgaan_naam": orgaan_naam, "rol": rol, "status": status,
            "statustekst": STATUSTEKST[status], "behandelingen": behandelingen}
