"""The errors a user can cause; the CLI prints their Dutch message on one line and exits 2."""

from __future__ import annotations

from collections.abc import Sequence


class GebruikersFout(Exception):
    """A mistake in input or an act that is not allowed now; the message is Dutch and complete.
    Several problems at once are given as a list: one line each."""

    exit_code = 2

    def __init__(self, melding: str | Sequence[str] = "") -> None:
        self.meldingen = [melding] if isinstance(melding, str) else list(melding)
        super().__init__("\n".join(self.meldingen))

    def regels(self) -> list[str]:
        """The lines the CLI prints, each after `fout: ` (escaped there onto one line each)."""
        return list(self.meldingen)


class DefinitieFout(GebruikersFout):
    """One or more errors in definities/, each naming file, line and problem."""


class OngeldigeStap(GebruikersFout):
    """A trigger not allowed in the proposal's current state."""


class Conflict(GebruikersFout):
    """Someone else changed the proposal between our read and our write."""


class NietGevonden(GebruikersFout):
    """An unknown kenmerk, meeting id, body or route."""
