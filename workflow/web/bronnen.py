"""The one place where the portal imports the rest of the project.

A later restructuring moves modules around; only these imports then need to follow.
"""

from __future__ import annotations

from workflow import agenda, clock, ical, kalender, mail, rendering, tekst, verplichtingen
from workflow.agenda_db import (
    aanmeldingen,
    agenda_van,
    laad_voorblad,
    render_voorblad,
    vergaderinfo,
)
from workflow.definities import Definities, Orgaan, StapRol
from workflow.documenten import Bijlage, huidige_versies
from workflow.fouten import GebruikersFout, NietGevonden
from workflow.herinneringen import Mislukt, _weekoverzichten, moment_weekoverzicht
from workflow.jobs import laad_bijeenkomsten
from workflow.models import (
    Agendapunt,
    Base,
    Definitieversie,
    Gebeurtenis,
    Synchronisatie,
    UTCDateTime,
    Vergadering,
    Voorstel,
)
from workflow.omgeving import Omgeving, meegeleverd

__all__ = [
    "Agendapunt", "Base", "Bijlage", "Definities", "Definitieversie", "Gebeurtenis",
    "GebruikersFout", "Mislukt", "NietGevonden", "Omgeving", "Orgaan", "StapRol", "Synchronisatie",
    "UTCDateTime", "Vergadering", "Voorstel", "_weekoverzichten", "aanmeldingen", "agenda",
    "agenda_van", "clock", "huidige_versies", "ical", "kalender", "laad_bijeenkomsten",
    "laad_voorblad", "mail", "meegeleverd", "moment_weekoverzicht", "render_voorblad", "rendering",
    "tekst", "vergaderinfo", "verplichtingen",
]
