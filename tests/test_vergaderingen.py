"""Meetings follow the definitions; unchanged bodies cost nothing on every later pass."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import select

from workflow import vergaderingen
from workflow.definities import Definities
from workflow.models import Vergadering
from workflow.omgeving import Omgeving


def test_a_second_synchronisation_skips_every_unchanged_body(omgeving: Omgeving) -> None:
    with omgeving.db.schrijf() as session:
        first = vergaderingen.synchroniseer(session, omgeving.definities)
    with omgeving.db.schrijf() as session:
        again = vergaderingen.synchroniseer(session, omgeving.definities)
    assert first > 300
    assert again == 0


def test_a_changed_body_is_synchronised_again(omgeving: Omgeving) -> None:
    with omgeving.db.schrijf() as session:
        vergaderingen.synchroniseer(session, omgeving.definities)
    aoj = omgeving.definities.orgaan("aoj")
    cancelled = dataclasses.replace(aoj, afgelast=(date(2026, 6, 25),))
    changed = Definities(map=omgeving.definities.map,
                         organen={**omgeving.definities.organen, "aoj": cancelled},
                         routes=omgeving.definities.routes)
    with omgeving.db.schrijf() as session:
        assert vergaderingen.synchroniseer(session, changed) == 1
    with omgeving.db.lees() as session:
        row = session.scalar(select(Vergadering).where(Vergadering.sleutel == "aoj-20260625"))
    assert row is not None and row.geannuleerd and row.volgnummer == 1
