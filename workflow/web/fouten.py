"""The HTTP status of each kind of error a page can meet, and the page that says it in Dutch.

A `NietGevonden` deep in the domain is a 404, a `Conflict` (or a step not allowed in the
current state) a 409, a refusal for this visitor a 403, any other `GebruikersFout` bad input
(400). A `DefinitieFout` is the configuration's fault, not the visitor's: 500."""

from __future__ import annotations

import logging

from flask import render_template

from workflow.web.bronnen import Conflict, DefinitieFout, GebruikersFout, NietGevonden, OngeldigeStap

log = logging.getLogger("besluitroute.web")


class Verboden(GebruikersFout):
    """This visitor may not do or see this (signed in, but not in the right role)."""


#: Most specific first; the first class the error is an instance of decides.
STATUS: tuple[tuple[type[GebruikersFout], int, str], ...] = (
    (NietGevonden, 404, "Niet gevonden"),
    (Conflict, 409, "Conflict"),
    (OngeldigeStap, 409, "Niet mogelijk"),
    (Verboden, 403, "Geen toegang"),
    (DefinitieFout, 500, "Fout in de definities"),
    (GebruikersFout, 400, "Fout"),
)

NIET_GEVONDEN = ("Deze pagina bestaat niet, of u hebt er geen toegang toe. Leden van een orgaan "
                 "kunnen inloggen om de besloten vergaderingen van hun orgaan te zien.")


def status_van(exc: GebruikersFout) -> tuple[int, str]:
    """The HTTP status and page title for `exc`."""
    for soort, status, titel in STATUS:
        if isinstance(exc, soort):
            return status, titel
    return 400, "Fout"  # pragma: no cover - GebruikersFout is the last entry


def gebruikersfout(exc: GebruikersFout) -> tuple[str, int]:
    status, titel = status_van(exc)
    if status >= 500:
        log.error("fout: %s", exc)
    else:
        log.warning("fout (%d): %s", status, exc)
    tekst = NIET_GEVONDEN if status == 404 and not str(exc) else str(exc)
    return render_template("web/melding.html", titel=titel, tekst=tekst), status


def niet_gevonden(_exc: object) -> tuple[str, int]:
    return render_template("web/melding.html", titel="Niet gevonden", tekst=NIET_GEVONDEN), 404
