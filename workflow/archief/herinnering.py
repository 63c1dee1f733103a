"""The weekly overview's reminder of meetings not yet exported for the e-Depot, and which
meetings were held: light, for the reminder pass (no templates, no ORI-A or MDTO)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.archief.model import ArchiefExport
from workflow.basis import clock, tekst
from workflow.basis.fouten import GebruikersFout
from workflow.definities.model import Orgaan
from workflow.kalender.werkdagen import einde
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering

#: How far back the weekly overview looks for meetings not yet exported.
KWARTAAL = timedelta(days=92)


def archief_organen(env: Omgeving, organen: Iterable[str] | None = None) -> dict[str, Orgaan]:
    """The bodies with archive rules (all, or those named; an unknown or unsuitable name is a
    user error)."""
    alle = {k: o for k, o in env.definities.organen.items() if o.archief is not None}
    if organen is None:
        return alle
    result = {}
    for naam in organen:
        env.definities.orgaan(naam)  # an unknown body: its Dutch message
        if naam not in alle:
            raise GebruikersFout(f"orgaan {tekst.citeer(naam)} heeft geen 'archief' in de "
                                 f"definities")
        result[naam] = alle[naam]
    return result


def gehouden(session: Session, organen: dict[str, Orgaan], nu: datetime, van: datetime | None,
             tot: datetime | None) -> list[Vergadering]:
    """Meetings of `organen` that were held (ended before `nu`, not cancelled), in order."""
    if not organen:
        return []
    vraag = select(Vergadering).where(Vergadering.orgaan.in_(sorted(organen)),
                                      Vergadering.geannuleerd.is_(False), Vergadering.begin < nu)
    if van is not None:
        vraag = vraag.where(Vergadering.begin >= van)
    if tot is not None:
        vraag = vraag.where(Vergadering.begin < tot)
    return [v for v in session.scalars(vraag.order_by(Vergadering.begin, Vergadering.id))
            if einde(organen[v.orgaan], v.begin) <= nu]


def niet_geexporteerd(env: Omgeving, nu: datetime | None = None) -> list[tuple[str, str]]:
    """For the weekly overview: (orgaan, line) per meeting held in the last quarter of a body
    with archive rules that was never exported for the archive."""
    nu = nu or clock.now()
    organen = archief_organen(env)
    with env.db.lees() as session:
        vergaderingen = gehouden(session, organen, nu, nu - KWARTAAL, None)
        gedaan = set(session.scalars(select(ArchiefExport.vergadering_id).where(
            ArchiefExport.vergadering_id.in_([v.id for v in vergaderingen])))) \
            if vergaderingen else set()
    return [(v.orgaan, f"nog niet gearchiveerd (ORI-A): {organen[v.orgaan].naam} "
                       f"{tekst.datum(v.begin)}")
            for v in vergaderingen if v.id not in gedaan]
