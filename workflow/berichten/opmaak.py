"""Composing a message: the sender, and subject, text and html from a template pair."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workflow.basis import instellingen
from workflow.basis.fouten import GebruikersFout
from workflow.berichten import transport
from workflow.berichten.kern import Herinnering, aanhef

if TYPE_CHECKING:

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.planner")


def render_bericht(env: Omgeving, h: Herinnering) -> tuple[str, str, str]:
    """(subject, text, html) from the template pair `<sjabloon>.txt` / `.html`. The text
    template's first line is 'Onderwerp: ...', so subject and body live in one file."""
    from workflow.agenda.rendering import render

    context = {**h.context, "aanhef": aanhef(env.definities.organen.get(
        _orgaan_van(env, h) or ""), h.aan.email, aanhef_instelling(env.config))}
    tekst = render(f"{h.sjabloon}.txt", context, env.sjablonen_map)
    html = render(f"{h.sjabloon}.html", context, env.sjablonen_map)
    eerste, _, rest = tekst.partition("\n")
    if not eerste.lower().startswith("onderwerp:"):
        raise GebruikersFout(f"sjabloon '{h.sjabloon}.txt' moet beginnen met een regel "
                             "'Onderwerp: ...'")
    return transport.enkele_regel(eerste.partition(":")[2]), rest.lstrip("\n"), html


def aanhef_instelling(config: Mapping[str, Any]) -> dict[str, str]:
    """`[mail] aanhef`: a table of salutations by body key or role, plus `standaard`; each
    "Beste" or "Geachte"."""
    waarde = instellingen.van(config).mail_aanhef or {}
    if not isinstance(waarde, Mapping) or not all(
            isinstance(v, str) and v in ("Beste", "Geachte") for v in waarde.values()):
        raise GebruikersFout("[mail] aanhef moet een tabel zijn van orgaan of rol naar "
                             "'Beste' of 'Geachte'")
    return {str(k): str(v) for k, v in waarde.items()}


def _orgaan_van(env: Omgeving, h: Herinnering) -> str | None:
    """The key of the body a mail is about, by its meeting's body name in the context."""
    vergadering = h.context.get("vergadering")
    naam = vergadering.get("orgaan") if isinstance(vergadering, dict) else None
    return next((k for k, o in env.definities.organen.items() if o.naam == naam), None)


def afzender_voor(env: Omgeving, orgaan_sleutel: str | None) -> str | None:
    """The configured sender, else the body's secretary ('Naam <adres>')."""
    geconfigureerd = transport.geconfigureerde_afzender(env.config)
    if geconfigureerd:
        return geconfigureerd
    orgaan = env.definities.organen.get(orgaan_sleutel or "")
    if orgaan is None:
        return None
    return transport.adres_met_naam(orgaan.secretaris.naam, orgaan.secretaris.email)
