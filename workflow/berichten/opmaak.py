"""Composing a message: the sender, and subject, text and html from a template pair."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from workflow.basis.fouten import GebruikersFout
from workflow.berichten import transport
from workflow.berichten.herinneringen import Herinnering

if TYPE_CHECKING:

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.planner")


def render_bericht(env: Omgeving, h: Herinnering) -> tuple[str, str, str]:
    """(subject, text, html) from the template pair `<sjabloon>.txt` / `.html`. The text
    template's first line is 'Onderwerp: ...', so subject and body live in one file."""
    from workflow.agenda.rendering import render

    tekst = render(f"{h.sjabloon}.txt", h.context, env.sjablonen_map)
    html = render(f"{h.sjabloon}.html", h.context, env.sjablonen_map)
    eerste, _, rest = tekst.partition("\n")
    if not eerste.lower().startswith("onderwerp:"):
        raise GebruikersFout(f"sjabloon '{h.sjabloon}.txt' moet beginnen met een regel "
                             "'Onderwerp: ...'")
    return transport.enkele_regel(eerste.partition(":")[2]), rest.lstrip("\n"), html


def afzender_voor(env: Omgeving, orgaan_sleutel: str | None) -> str | None:
    """The configured sender, else the body's secretary ('Naam <adres>')."""
    geconfigureerd = transport.geconfigureerde_afzender(env.config)
    if geconfigureerd:
        return geconfigureerd
    orgaan = env.definities.organen.get(orgaan_sleutel or "")
    if orgaan is None:
        return None
    return transport.adres_met_naam(orgaan.secretaris.naam, orgaan.secretaris.email)
