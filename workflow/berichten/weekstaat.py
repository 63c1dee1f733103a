"""The secretariat's week: the weekly overview's facts for one week, always current.

What the Monday mail says (submission deadlines, agenda dispatch, meetings, meetings held without
a recorded outcome), plus what needs attention now: messages failed, waiting or skipped, cadence
duties behind, the P&C cycle's dated duties and Woo publications due. The portal's secretariat
board and `besluitroute week` show the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workflow.basis import clock
from workflow.berichten import uitgaand
from workflow.berichten.kern import Bijeenkomst
from workflow.berichten.ronde import laad_bijeenkomsten
from workflow.berichten.weekoverzicht import (
    moment_weekoverzicht,
    termijn_context,
    weekoverzichten,
)
from workflow.definities.model import Definities
from workflow.kalender import pcyclus, verplichtingen
from workflow.opslag.models import Vergadering

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving

#: Messages that ask for attention: failed, waiting (not sent yet), being sent, skipped.
AANDACHT = (uitgaand.Status.MISLUKT, uitgaand.Status.WACHTEND, uitgaand.Status.BEZIG,
            uitgaand.Status.OVERGESLAGEN)


@dataclass(frozen=True)
class Week:
    titel: str  #: "Deze week" or "Volgende week"
    van: date
    tot: date  #: the last day, inclusive
    #: Deadlines, dispatch moments and meetings in the week, in order (the weekly overview's lines).
    regels: list[dict[str, Any]]
    #: Meetings held before the week without a recorded outcome (this week only).
    achterstallig: list[dict[str, Any]]


@dataclass(frozen=True)
class Weekstaat:
    organen: list[str]  #: the bodies' names
    weken: list[Week]
    berichten: list[dict[str, Any]]  #: messages asking for attention, newest first
    jaar: int
    achter: list[dict[str, Any]]  #: cadence duties behind this year
    publicaties: list[str]  #: Woo publications overdue or due in the coming week
    #: The P&C cycle's dated duties of the bodies this year: due, done or late.
    termijnen: list[dict[str, Any]]


def _week(definities: Definities, meetings: list[Bijeenkomst], moment: datetime, *,
          deze: bool) -> Week:
    """The weekly overview as it is made at that week's `moment` (without failed messages:
    those are listed apart, always current)."""
    # The board shows every meeting of the week, also those with nothing on them yet.
    overzichten = weekoverzichten(definities, meetings, moment, timedelta(seconds=1),
                                  volledig=True, vooruit=timedelta(days=7))
    regels: list[dict[str, Any]] = []
    achterstallig: list[dict[str, Any]] = []
    for h in overzichten:
        regels.extend(h.context["regels"])
        if deze:
            achterstallig.extend(h.context["achterstallig"])
    regels.sort(key=lambda r: r["moment"])
    van = clock.local(moment).date()
    return Week("Deze week" if deze else "Volgende week", van, van + timedelta(days=6), regels,
                achterstallig)


def weekstaat(env: Omgeving, organen: list[str], nu: datetime, *,
              weken: tuple[int, ...] = (0, 1)) -> Weekstaat:
    """The facts for the bodies `organen` (keys) in the weeks `weken` (0: this week, 1: next)."""
    from workflow.openbaarheid import publiceren

    definities = env.definities
    eigen = sorted(set(organen) & set(definities.organen))
    bodies = [definities.organen[k] for k in eigen]
    tijd = min(o.herinneringen.tijd for o in bodies) if bodies else None
    deze_week = moment_weekoverzicht(nu, tijd) if tijd else nu
    with env.db.lees() as session:
        meetings = laad_bijeenkomsten(session, deze_week - timedelta(days=62),
                                      deze_week + timedelta(days=21))
        meetings = [m for m in meetings if m.orgaan in eigen]
        berichten = list(session.scalars(
            select(uitgaand.Bericht).where(uitgaand.Bericht.status.in_(
                [s.value for s in AANDACHT]))
            .order_by(uitgaand.Bericht.id.desc()).limit(500)))
        vergadering_orgaan = dict(session.execute(
            select(Vergadering.sleutel, Vergadering.orgaan).where(
                Vergadering.sleutel.in_(sorted({m.vergadering for m in berichten
                                                if m.vergadering})))).all())
    eigen_definities = Definities(map=definities.map,
                                  organen={k: definities.organen[k] for k in eigen},
                                  routes=definities.routes)
    result_weken = [] if tijd is None else [
        _week(eigen_definities, meetings, moment_weekoverzicht(
            deze_week + timedelta(days=7 * index), tijd), deze=index == 0) for index in weken]
    mails = []
    for m in berichten:
        o = vergadering_orgaan.get(m.vergadering or "")
        if o is not None and o not in eigen:
            continue
        mails.append({"id": m.id, "status": m.status, "soort": m.soort, "aan": m.ontvangers,
                      "onderwerp": m.onderwerp,
                      "fout": uitgaand.leesbare_fout(m.laatste_fout or m.opmerking),
                      "moment": clock.local(m.volgende_poging)})
    jaar = clock.local(nu).year
    achter = [s for s in verplichtingen.verzamel(env, jaar, nu)
              if s.orgaan in eigen and s.status == verplichtingen.ACHTER]
    publicaties = [tekst for orgaan, tekst in publiceren.waarschuwingen_per_orgaan(env, nu)
                   if orgaan in eigen]
    return Weekstaat(
        organen=[o.naam for o in bodies], weken=result_weken, berichten=mails, jaar=jaar,
        achter=[{"orgaan": s.orgaan_naam, "omschrijving": s.omschrijving,
                 "vereist": s.vereist, "gehouden": s.gehouden, "gepland": s.gepland,
                 "tekort": s.tekort} for s in achter],
        publicaties=publicaties,
        termijnen=[termijn_context(t) for t in pcyclus.verzamel(env, jaar, nu)
                   if t.orgaan in eigen])
