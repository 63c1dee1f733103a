"""The parts of a pass (`ronde`), each on its own: a part that fails is logged by name and left
to the next pass (every part is decided by our tables, so nothing is lost); the parts after it
still run unless they depend on it, and those are logged as skipped.

After the pass the first failure is raised again, so `herinneringen verstuur` fails as before
and the planner names the parts in its one line (`mislukt_in`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workflow.basis.logboek import uitzondering

log = logging.getLogger("besluitroute.planner")


@dataclass(frozen=True)
class Onderdeel:
    #: As the administrator reads it: "publiceren", "herinneringen maken", "versturen".
    naam: str
    doe: Callable[[], object]
    #: The parts this one needs: when one of them failed or was skipped, this one is skipped.
    na: tuple[str, ...] = ()


@dataclass(frozen=True)
class Uitslag:
    mislukt: tuple[str, ...]
    overgeslagen: tuple[str, ...]

    def __str__(self) -> str:
        """`publiceren mislukt, herinneringen maken overgeslagen`."""
        return ", ".join([f"{n} mislukt" for n in self.mislukt]
                         + [f"{n} overgeslagen" for n in self.overgeslagen])


def voer_uit(onderdelen: Sequence[Onderdeel]) -> None:
    """Run the parts in order; raise the first failure afterwards, with the Uitslag on it."""
    mislukt: list[str] = []
    overgeslagen: list[str] = []
    eerste: Exception | None = None
    for deel in onderdelen:
        ontbreekt = [n for n in deel.na if n in mislukt or n in overgeslagen]
        if ontbreekt:
            overgeslagen.append(deel.naam)
            log.warning("ronde: %s overgeslagen, want %s lukte niet; de volgende ronde doet het",
                        deel.naam, " en ".join(ontbreekt))
            continue
        try:
            deel.doe()
        except Exception as exc:
            mislukt.append(deel.naam)
            eerste = eerste or exc
            log.error("ronde: %s mislukt (%s); de volgende ronde probeert het opnieuw", deel.naam,
                      uitzondering(exc))
    if eerste is not None:
        eerste.besluitroute_uitslag = Uitslag(tuple(mislukt), tuple(overgeslagen))  # type: ignore[attr-defined]
        raise eerste


def mislukt_in(exc: BaseException) -> Uitslag | None:
    """Which parts of the pass failed and were skipped, when `exc` ended one (else None)."""
    uitslag = getattr(exc, "besluitroute_uitslag", None)
    return uitslag if isinstance(uitslag, Uitslag) else None
