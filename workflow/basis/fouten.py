"""The errors a user can cause; the CLI prints their Dutch message on one line and exits 2."""

from __future__ import annotations


class GebruikersFout(Exception):
    """A mistake in input or an act that is not allowed now; the message is Dutch and complete."""

    exit_code = 2

    def regels(self) -> list[str]:
        """The lines the CLI prints, each after `fout: ` (escaped there onto one line each)."""
        return [str(self)]


class DefinitieFout(GebruikersFout):
    """One or more errors in definities/, each naming file, line and problem."""

    def __init__(self, meldingen: list[str]) -> None:
        self.meldingen = meldingen
        super().__init__("\n".join(meldingen))

    def regels(self) -> list[str]:
        return list(self.meldingen)


class OngeldigeStap(GebruikersFout):
    """A trigger not allowed in the proposal's current state."""


class Conflict(GebruikersFout):
    """Someone else changed the proposal between our read and our write."""


class NietGevonden(GebruikersFout):
    """An unknown kenmerk, meeting id, body or route."""
