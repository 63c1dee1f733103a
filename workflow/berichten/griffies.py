"""Messages across the border of the arrangement, for a zienswijze step (run by the reminder pass):

- at dispatch, the griffie of each council gets the proposal and its documents, the period and the
  council's planned meeting;
- a week before its council's submission deadline for that meeting, a reminder (`tak.herinneren_op`,
  sent once: `tak.herinnerd_op`);
- the DB secretary (the secretary of the body whose participants were asked) gets the councils
  without a zienswijze a week before the period ends, and when it ends.

Each message has a key in the outbox, so a pass that runs twice makes it once. A pass with nothing
new does three indexed queries (workflow.voorstellen.takmodel's indexes).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.berichten import uitgaand
from workflow.definities.model import Persoon
from workflow.omgeving import Omgeving
from workflow.opslag.models import Voorstel
from workflow.voorstellen import takken
from workflow.voorstellen.documenten import documenten_per_voorstel
from workflow.voorstellen.takmodel import Tak, Takstatus

#: Dispatch mails are made within this time after the dispatch (a pass that was down longer
#: leaves them to the secretariat, like every other reminder's catch-up window).
INHAAL = timedelta(days=2)
VOORAF = timedelta(days=7)


def maak(env: Omgeving, nu: datetime, van: str) -> int:
    """Put every message now due in the outbox; returns how many were new."""
    aantal = 0
    with env.db.schrijf() as session:
        verzonden = list(session.scalars(select(Tak).where(
            Tak.status == Takstatus.OPEN, Tak.verzonden_op > nu - INHAAL,
            Tak.termijn_eind.is_not(None))))
        for tak in verzonden:
            aantal += _griffie(env, session, tak, "zienswijze-verzonden", "verzonden", van)
        te_herinneren = list(session.scalars(select(Tak).where(
            Tak.herinneren_op <= nu, Tak.herinnerd_op.is_(None), Tak.status == Takstatus.OPEN)))
        for tak in te_herinneren:
            tak.herinnerd_op = nu  # marked before the mail is built (rolled back together)
            aantal += _griffie(env, session, tak, "zienswijze-herinnering", "herinnering", van)
        bijna = list(session.scalars(select(Tak).where(
            Tak.status == Takstatus.OPEN, Tak.termijn_eind <= nu + VOORAF)))
        aantal += _secretaris(env, session, bijna, nu, van)
    return aantal


def _griffie(env: Omgeving, session: Session, tak: Tak, sjabloon: str, wat: str,
             van: str) -> int:
    raad = env.definities.organen.get(tak.orgaan)
    voorstel = session.get(Voorstel, tak.voorstel_id)
    if raad is None or voorstel is None:
        return 0
    context = _context(env, voorstel, [tak]) | {
        "gemeente": takken.taknaam(env.definities, voorstel.route, tak),
        "raad": raad.naam, "griffie": raad.secretaris.naam,
        "vergadering": tak.vergadering.begin if tak.vergadering is not None else None,
        "documenten": [d.naam for d in documenten_per_voorstel(session, [voorstel.id])
                       [voorstel.id]],
    }
    return _nieuw(env, session, f"zienswijze:{tak.id}:{wat}", sjabloon, raad.secretaris,
                  context, van)


def _secretaris(env: Omgeving, session: Session, open_: list[Tak], nu: datetime,
                van: str) -> int:
    """One message per proposal and round: the councils still without an answer."""
    groepen: dict[tuple[int, str, int], list[Tak]] = {}
    for tak in open_:
        groepen.setdefault((tak.voorstel_id, tak.stap, tak.ronde), []).append(tak)
    aantal = 0
    for (voorstel_id, stap, ronde), rows in groepen.items():
        eind = rows[0].termijn_eind
        voorstel = session.get(Voorstel, voorstel_id)
        if eind is None or voorstel is None or voorstel.route not in env.definities.routes:
            continue
        wat = "einde" if eind <= nu else "week"
        orgaan = env.definities.organen.get(env.definities.route(voorstel.route).stap(stap).orgaan)
        if orgaan is None:
            continue
        context = _context(env, voorstel, rows) | {"einde": wat == "einde"}
        aantal += _nieuw(env, session, f"zienswijze:{voorstel_id}:{stap}:{ronde}:{wat}",
                         "zienswijze-termijn", orgaan.secretaris, context, van)
    return aantal


def _context(env: Omgeving, voorstel: Voorstel, rows: list[Tak]) -> dict[str, Any]:
    eind = rows[0].termijn_eind
    return {
        "kenmerk": voorstel.kenmerk, "titel": voorstel.titel,
        "termijn_tot": eind - timedelta(days=1) if eind is not None else None,
        "zonder": [takken.taknaam(env.definities, voorstel.route, t) for t in rows],
    }


def _nieuw(env: Omgeving, session: Session, sleutel: str, sjabloon: str, aan: Persoon,
           context: dict[str, Any], van: str) -> int:
    if uitgaand.bestaande_sleutels(session, [sleutel]):
        return 0
    from workflow.agenda.rendering import render
    from workflow.berichten import transport

    context = context | {"ontvanger": aan.naam}
    tekst = render(f"mail/{sjabloon}.txt", context, env.sjablonen_map)
    html = render(f"mail/{sjabloon}.html", context, env.sjablonen_map)
    eerste, _, rest = tekst.partition("\n")
    return int(uitgaand.nieuw_bericht(
        session, sleutel=sleutel, soort=sjabloon, aan=[aan],
        onderwerp=transport.enkele_regel(eerste.partition(":")[2]), tekst=rest.lstrip("\n"),
        html=html, msgid_domein=uitgaand.domein(van)))
