"""The dated duties of the P&C cycle (workflow.definities.termijnen): due, done, late.

A duty is done in a year by the first history act `handeling` of a proposal on its route in that
year; on time when that came by `uiterlijk`, and, with `binnen_dagen_na_besluit`, within that many
days after the proposal was adopted. The report is pure (`rapport`); `verzamel` reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from workflow.basis.clock import TZ
from workflow.definities.model import Orgaan

if TYPE_CHECKING:
    from workflow.kalender.bron import Bron

GEDAAN = "gedaan"
TE_LAAT = "te laat"
OPEN = "open"
VERLOPEN = "verlopen"
#: The history acts of an adoption.
BESLOTEN = frozenset({"vastgesteld", "gewijzigd-vastgesteld"})


@dataclass(frozen=True, slots=True)
class Handeling:
    """A history act of a proposal, as the report needs it."""

    route: str
    handeling: str
    tijdstip: datetime  #: aware
    kenmerk: str
    #: When the proposal was adopted (vastgesteld), if it was.
    besloten_op: datetime | None = None


@dataclass(frozen=True, slots=True)
class Termijnstand:
    orgaan: str
    orgaan_naam: str
    omschrijving: str
    artikel: str
    uiterlijk: date  #: the last day, this year (earlier when the decision sets a nearer one)
    gedaan_op: date | None
    kenmerk: str | None
    status: str


def rapport(organen: Iterable[Orgaan], handelingen: Sequence[Handeling], jaar: int,
            vandaag: date) -> list[Termijnstand]:
    result: list[Termijnstand] = []
    for orgaan in organen:
        for plicht in orgaan.termijnen:
            uiterlijk = date(jaar, plicht.maand, plicht.dag)
            gedaan = min((h for h in handelingen
                          if h.route == plicht.route and h.handeling == plicht.handeling
                          and h.tijdstip.astimezone(TZ).year == jaar),
                         key=lambda h: h.tijdstip, default=None)
            # Adopted this year: the period after the decision may end sooner.
            besluit = gedaan.besloten_op if gedaan is not None else min(
                (h.tijdstip for h in handelingen if h.route == plicht.route
                 and h.handeling in BESLOTEN and h.tijdstip.astimezone(TZ).year == jaar),
                default=None)
            if plicht.binnen_dagen_na_besluit and besluit is not None:
                uiterlijk = min(uiterlijk, besluit.astimezone(TZ).date() + timedelta(
                    days=plicht.binnen_dagen_na_besluit))
            dag = gedaan.tijdstip.astimezone(TZ).date() if gedaan is not None else None
            if dag is not None:
                status = GEDAAN if dag <= uiterlijk else TE_LAAT
            else:
                status = OPEN if vandaag <= uiterlijk else VERLOPEN
            result.append(Termijnstand(orgaan.sleutel, orgaan.naam, plicht.omschrijving,
                                       plicht.artikel, uiterlijk, dag,
                                       gedaan.kenmerk if gedaan else None, status))
    return result


def verzamel(env: Bron, jaar: int, nu: datetime) -> list[Termijnstand]:
    """The report for `jaar` from the proposals' history."""
    from sqlalchemy import select

    from workflow.opslag.models import Gebeurtenis, Voorstel

    organen = [o for _, o in sorted(env.definities.organen.items()) if o.termijnen]
    if not organen:
        return []
    routes = sorted({p.route for o in organen for p in o.termijnen})
    acts = sorted({p.handeling for o in organen for p in o.termijnen} | BESLOTEN)
    van = datetime.combine(date(jaar, 1, 1), time(0), TZ)
    tot = datetime.combine(date(jaar + 1, 1, 1), time(0), TZ)
    with env.db.lees() as session:
        rows = list(session.execute(
            select(Voorstel.id, Voorstel.route, Voorstel.kenmerk, Gebeurtenis.handeling,
                   Gebeurtenis.tijdstip)
            .join(Gebeurtenis, Gebeurtenis.voorstel_id == Voorstel.id)
            .where(Voorstel.route.in_(routes), Gebeurtenis.handeling.in_(acts),
                   Gebeurtenis.tijdstip >= van - timedelta(days=366), Gebeurtenis.tijdstip < tot)))
    besloten = {vid: t for vid, _, _, h, t in rows if h in BESLOTEN}
    handelingen = [Handeling(route, h, t, kenmerk, besloten.get(vid))
                   for vid, route, kenmerk, h, t in rows if t >= van]
    return rapport(organen, handelingen, jaar, nu.astimezone(TZ).date())
