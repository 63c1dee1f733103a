"""What one portal application keeps between requests: its environment, its address, its
cookie setting and the per-worker caches of rendered pages. The blueprints find it through
`huidig()` instead of closing over the factory's locals."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from workflow.web.bronnen import Omgeving

#: The key under `app.extensions`.
SLEUTEL = "besluitroute"
#: Rendered meeting pages kept per worker (keyed by everything they show).
MAX_VERGADERINGEN_IN_CACHE = 256
MAX_VOORSTELLEN_IN_CACHE = 1024


@dataclass
class Portaal:
    """`adres`: the public address for sign-in links; `geconfigureerd`: `[web] adres` as set
    (empty when not set), the only host besides loopback the portal answers for."""

    env: Omgeving
    veilige_cookies: bool
    adres: str
    geconfigureerd: str
    laatst_ververst: float = field(default_factory=time.monotonic)
    #: Per worker: the data of rendered meeting pages (agenda, decision list, documents).
    vergaderingen: OrderedDict[tuple[Any, ...], dict[str, Any]] = field(
        default_factory=OrderedDict)
    #: Per worker: the data of proposal pages (or a kept refusal), per set of bodies.
    voorstellen: OrderedDict[tuple[Any, ...], dict[str, Any] | None] = field(
        default_factory=OrderedDict)
    #: The sign-in mail's queue (workflow.web.inloggen.Bezorger), set by the factory.
    bezorger: Any = None


def huidig() -> Portaal:
    """The portal of the application handling this request."""
    portaal: Portaal = current_app.extensions[SLEUTEL]
    return portaal


def bewaar(cache: OrderedDict[tuple[Any, ...], Any], sleutel: tuple[Any, ...], waarde: Any,
           maximum: int) -> None:
    """Keep `waarde` under `sleutel`, forgetting the least recently used beyond `maximum`."""
    cache[sleutel] = waarde
    while len(cache) > maximum:
        cache.popitem(last=False)
