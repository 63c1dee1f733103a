"""Sending an adopted proposal on to someone outside the route: the adopted begroting to
Gedeputeerde Staten (Wgr art. 34). One history row (`toezenden`), which fulfils a P&C duty
(workflow.kalender.pcyclus)."""

from __future__ import annotations

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum
from workflow.omgeving import Omgeving
from workflow.routes import toestanden
from workflow.voorstellen.kern import haal_voorstel, leg_vast, regel_tekst

TOEZENDEN = "toezenden"


def toezenden(env: Omgeving, kenmerk: str, aan: str, *, door: str) -> str:
    """Record that the adopted proposal `kenmerk` went to `aan`; returns the Dutch line."""
    aan = regel_tekst(aan, "--aan", required=True, max_len=200)
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        if voorstel.toestand != toestanden.VASTGESTELD:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} is nog niet vastgesteld "
                                 f"({voorstel.toestand}); toezenden kan pas na het besluit")
        leg_vast(session, voorstel, TOEZENDEN, door, van=None, naar=None, tekst=f"aan {aan}")
        return f"voorstel {voorstel.kenmerk}: toegezonden aan {aan} op {datum(clock.now())}"
