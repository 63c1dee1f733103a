"""Stable random ids for OParl's Person: drawn once per address and stored, never derived from
it (a hash of an address lets anyone confirm a guessed address). Only members of publishing
bodies get one, when a Person is first asked for."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from workflow.web.bronnen import Base, Conflict, Omgeving, UTCDateTime, clock
from workflow.web.opslag import MAX_EMAIL


class OparlPersoon(Base):
    """The OParl id of a member's address."""

    __tablename__ = "oparl_persoon"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address as in the definitions (lower case); unique.
    email: Mapped[str] = mapped_column(String(MAX_EMAIL), unique=True)
    #: 16 random hex characters: the last part of the Person's URL; unique.
    sleutel: Mapped[str] = mapped_column(String(32), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())


def nieuwe_sleutel() -> str:
    return secrets.token_hex(8)


def _alle(env: Omgeving) -> dict[str, str]:
    """Every stored address -> Person id (kept until `oparl_persoon` changes: migration 0020
    makes it notify its changes)."""
    with env.db.lees() as session:
        return {e: s for e, s in session.execute(
            select(OparlPersoon.email, OparlPersoon.sleutel))}


def sleutels(env: Omgeving, emails: Iterable[str]) -> dict[str, str]:
    """Address -> Person id for these addresses; ids are drawn and stored for new ones. Two
    workers drawing for the same address at once: the unique address keeps one, both read it.
    Written only when an address has no id yet."""
    gevraagd = set(emails)
    alle = env.db.wachter.onthoud(("oparl-personen",), lambda: _alle(env))
    bekend = {e: s for e, s in alle.items() if e in gevraagd}
    nieuw = sorted(gevraagd - set(bekend))
    for _poging in range(3):
        if not nieuw:
            break
        try:
            with env.db.schrijf() as session:
                nu = clock.real_now()
                for email in nieuw:
                    session.add(OparlPersoon(email=email, sleutel=nieuwe_sleutel(),
                                             aangemaakt_op=nu))
        except Conflict:
            pass  # someone else stored some of them first: read again
        with env.db.lees() as session:
            bekend.update((e, s) for e, s in session.execute(
                select(OparlPersoon.email, OparlPersoon.sleutel)
                .where(OparlPersoon.email.in_(nieuw))))
        nieuw = sorted(gevraagd - set(bekend))
    return bekend
