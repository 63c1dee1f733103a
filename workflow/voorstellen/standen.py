"""Where a proposal can stand, per definitions version: what `voorstel lijst` prints and filters.

The listing prints a label per row ("geagendeerd bij AOJ") and `--orgaan` selects the states in
which a proposal is on, or waiting for, a meeting of that body. Both follow from the applied
version alone. Loading the typed definitions for them (importing the model, unpickling 400
bodies and their routes) cost about 45 ms of the listing's start-up at national scale, more than
reading and printing its rows; so the states per body and every label are kept once per version,
as a small JSON file in the cache beside the pickled definitions, and rebuilt from the
definitions only when that file is missing or unreadable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workflow.basis.fouten import NietGevonden
from workflow.basis.tekst import citeer

if TYPE_CHECKING:
    from workflow.definities.model import Definities
    from workflow.omgeving import Omgeving

#: Raise when the file's shape, or what it derives from the same definitions, changes.
FORMAAT = 2


@dataclass(frozen=True)
class Standen:
    #: Per body (every body, also one no route passes), per route: the states at that body.
    per_orgaan: dict[str, dict[str, list[str]]]
    #: Per route, per state: its short Dutch description.
    labels: dict[str, dict[str, str]]

    def bij_orgaan(self, orgaan: str) -> dict[str, list[str]]:
        """Per route, the states in which a proposal is on or waiting for a meeting of `orgaan`."""
        try:
            return self.per_orgaan[orgaan]
        except KeyError:
            bekend = ", ".join(sorted(self.per_orgaan))
            raise NietGevonden(f"onbekend orgaan {citeer(orgaan)} (bekend: {bekend})") from None

    def label(self, route: str, toestand: str) -> str:
        """The state's description. A state the version lacks (its route or step was removed
        later) is shown as machine.label shows a removed step: "geagendeerd (stap)"."""
        bekend = self.labels.get(route, {}).get(toestand)
        if bekend is not None:
            return bekend
        stap, _, fase = toestand.rpartition(":")
        return f"{fase} ({stap})" if stap else toestand


def uit_definities(definities: Definities) -> Standen:
    """Derived from the routes (no state machine is built)."""
    from workflow.routes import machine

    per_orgaan: dict[str, dict[str, list[str]]] = {sleutel: {} for sleutel in definities.organen}
    labels: dict[str, dict[str, str]] = {}
    for naam, route in sorted(definities.routes.items()):
        for orgaan in dict.fromkeys(o for stap in route.stappen
                                    for o in (stap.orgaan, *(t.orgaan for t in stap.takken))):
            states = machine.toestanden_bij_orgaan(route, orgaan)
            if states:
                per_orgaan.setdefault(orgaan, {})[naam] = states
        labels[naam] = {state: machine.label(route, state, definities)
                        for state in machine.alle_toestanden(route)}
    return Standen(per_orgaan, labels)


def van(env: Omgeving) -> Standen:
    """Of the version this command works from: from the cache when the version is applied."""
    from workflow.definities import cache, versies

    if "definities" in env.__dict__:  # already loaded in this process: nothing to save
        return uit_definities(env.definities)
    kop = versies.toegepaste_kop(env)
    if kop is None:  # before `init`: the folder itself, as every command reads it then
        return uit_definities(env.definities)
    pad = cache.pad("standen", FORMAAT, kop.nummer, kop.hash, achtervoegsel=".json")
    bewaard = _uit_json(cache.lees_tekst(pad)) if pad is not None else None
    if bewaard is not None:
        return bewaard
    standen = uit_definities(env.definities)
    if pad is not None:
        cache.schrijf_tekst(pad, json.dumps({"per_orgaan": standen.per_orgaan,
                                             "labels": standen.labels}))
    return standen


def _uit_json(tekst: str | None) -> Standen | None:
    if tekst is None:
        return None
    try:
        data = json.loads(tekst)
        per_orgaan, labels = data["per_orgaan"], data["labels"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(per_orgaan, dict) or not isinstance(labels, dict):
        return None  # written by something else: built again
    return Standen(per_orgaan=per_orgaan, labels=labels)
