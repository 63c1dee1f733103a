"""The one place where the portal imports the rest of the project.

A later restructuring moves modules around; only these imports then need to follow.
"""

from __future__ import annotations

from workflow.agenda import rendering
from workflow.agenda import samenstelling as agenda
from workflow.agenda.generatie import render_voorblad
from workflow.agenda.laden import aanmeldingen, agenda_van, laad_voorblad, vergaderinfo
from workflow.basis import bestanden, clock, tekst
from workflow.basis.fouten import (
    Conflict,
    DefinitieFout,
    GebruikersFout,
    NietGevonden,
    OngeldigeStap,
)
from workflow.basis.paden import meegeleverd
from workflow.berichten import uitgaand as mail
from workflow.berichten.ronde import laad_bijeenkomsten
from workflow.berichten.weekoverzicht import Mislukt, moment_weekoverzicht, weekoverzichten
from workflow.berichten.weekstaat import weekstaat
from workflow.definities.model import Definities, Orgaan, Stap, StapRol, Stapsoort
from workflow.kalender import ical, verplichtingen
from workflow.kalender import werkdagen as kalender
from workflow.omgeving import Omgeving
from workflow.openbaarheid.model import Publicatie, Uitzondering
from workflow.openbaarheid.wooindex import export as wooindex
from workflow.opslag.models import (
    Agendapunt,
    Base,
    Definitieversie,
    Gebeurtenis,
    Synchronisatie,
    UTCDateTime,
    Vergadering,
    Voorstel,
)
from workflow.voorstellen import takken
from workflow.voorstellen.documenten import Bijlage, huidige_versies
from workflow.voorstellen.documenttekst import Documenttekst
from workflow.voorstellen.takmodel import Tak, Takstatus

__all__ = [
    "Agendapunt",
    "Base",
    "Bijlage",
    "Conflict",
    "DefinitieFout",
    "Definities",
    "Definitieversie",
    "Documenttekst",
    "Gebeurtenis",
    "GebruikersFout",
    "Mislukt",
    "NietGevonden",
    "Omgeving",
    "OngeldigeStap",
    "Orgaan",
    "Publicatie",
    "Stap",
    "StapRol",
    "Stapsoort",
    "Synchronisatie",
    "Tak",
    "Takstatus",
    "UTCDateTime",
    "Uitzondering",
    "Vergadering",
    "Voorstel",
    "aanmeldingen",
    "agenda",
    "agenda_van",
    "bestanden",
    "clock",
    "huidige_versies",
    "ical",
    "kalender",
    "laad_bijeenkomsten",
    "laad_voorblad",
    "mail",
    "meegeleverd",
    "moment_weekoverzicht",
    "render_voorblad",
    "rendering",
    "takken",
    "tekst",
    "vergaderinfo",
    "verplichtingen",
    "weekoverzichten",
    "weekstaat",
    "wooindex",
]
