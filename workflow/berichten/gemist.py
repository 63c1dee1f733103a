"""Reminders no pass could make: their whole window fell between two passes (the planner was
down). They are recorded in the outbox as skipped (`overgeslagen`), not sent, and listed in the
secretaries' weekly overviews; `besluitroute berichten opnieuw ID` can still send one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from workflow.basis import clock
from workflow.basis.tekst import datum_tijd
from workflow.berichten import uitgaand
from workflow.berichten.herinneringen import Herinnering

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.planner")


def leg_vast(session: Session, gemist: Sequence[Herinnering], vorige: datetime, van: str) -> None:
    """Record each skipped reminder once (its key), with when it was due and the last pass."""
    existing = uitgaand.bestaande_sleutels(session, [h.sleutel for h in gemist])
    for h in gemist:
        if h.sleutel in existing:
            continue
        wat = _wat(h)
        onderwerp, tekst, html = _bericht(h, wat)
        uitgaand.nieuw_bericht(
            session, sleutel=h.sleutel, soort=h.soort.value, aan=[h.aan],
            onderwerp=onderwerp, tekst=tekst, html=html, msgid_domein=uitgaand.domein(van),
            vergadering=h.vergadering, vergadering_begin=h.begin,
            status=uitgaand.Status.OVERGESLAGEN.value, verschuldigd_op=h.moment,
            opmerking=f"niet verzonden: er liep geen ronde tussen het moment "
                      f"({h.moment.isoformat()}) en het einde van zijn termijn; vorige ronde "
                      f"{vorige.isoformat()}")
        # A person reads this (`herinneringen verstuur` prints it): what, to whom, for which
        # meeting, in Dutch time; the key stays in the outbox (`berichten lijst --json`).
        log.warning("overgeslagen (geen ronde in de termijn): %s, verschuldigd %s", wat,
                    datum_tijd(h.moment))


def overgeslagen(env: Omgeving, session: Session, nu: datetime) -> list[dict[str, Any]]:
    """Messages recorded as skipped in the last two weeks, for the weekly overviews."""
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering

    Bericht = uitgaand.Bericht
    rows = session.execute(
        select(Bericht.id, Bericht.sleutel, Bericht.soort, Bericht.aan, Bericht.volgende_poging,
               Bericht.verschuldigd_op, Vergadering.orgaan, Vergadering.begin)
        .join(Vergadering, Vergadering.sleutel == Bericht.vergadering)
        .where(Bericht.status == uitgaand.Status.OVERGESLAGEN.value,
               Bericht.volgende_poging >= nu - timedelta(days=15))).all()
    result = []
    for r in rows:
        moment = r.verschuldigd_op or r.volgende_poging
        orgaan = env.definities.organen.get(r.orgaan)
        result.append({"id": r.id, "sleutel": r.sleutel, "soort": r.soort, "aan": ", ".join(r.aan),
                       "orgaan": r.orgaan, "orgaan_naam": orgaan.naam if orgaan else r.orgaan,
                       "vastgelegd": r.volgende_poging.astimezone(UTC),
                       "moment": moment.astimezone(clock.TZ),
                       "vergadering_begin": r.begin.astimezone(clock.TZ)})
    return result


def _wat(h: Herinnering) -> str:
    """'aanleveren aan A. Opsteller voor Ambtelijk Overleg Jeugd van 28 januari 2027 13:00'."""
    ctx = h.context.get("vergadering", {})
    wat = f"{h.soort.value} aan {h.aan.naam}"
    if isinstance(ctx, dict) and "orgaan" in ctx:
        wat += f" voor {ctx['orgaan']} van {datum_tijd(ctx['begin'])}"
    return wat


def _bericht(h: Herinnering, wat: str) -> tuple[str, str, str]:
    """A skipped message is recorded, not rendered: (subject, text, html) saying what it was."""
    # markupsafe (Jinja2's) rather than the html module: that one loads its table of 2,231 named
    # entities (0.3 MB a planner keeps) to escape five characters.
    from markupsafe import escape

    tekst = (f"Dit bericht ({wat}) is niet verzonden: op het moment "
             f"{datum_tijd(h.moment)} en in de termijn daarna draaide er geen ronde.\n"
             "Met 'besluitroute berichten opnieuw ID' kan het alsnog (de inhoud wordt dan niet "
             "opnieuw opgebouwd).\n")
    return (f"Niet verzonden: {wat}", tekst,
            f"<p>{escape(tekst)}</p>")
