"""The agenda to the members at its dispatch moment, and an aanvulling after every change.

A meeting's agenda goes out once (its `agenda` reminders are the trigger); from then on every
reminder pass composes the agenda again and compares it with what the members were last sent
(table `agendaverzending`). A difference (an item added late, withdrawn or moved, a document added
or replaced, a reservation lifted, the meeting moved or cancelled) becomes one aanvulling per
member for the whole pass, with the new agenda version; the agenda files get the same version.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workflow.agenda import laden, samenstelling
from workflow.basis import tekst
from workflow.basis.tekst import datum_tijd
from workflow.berichten import uitgaand
from workflow.berichten.herinneringen import Herinnering, Soort
from workflow.definities.model import Persoon
from workflow.opslag.models import Agendapunt, Agendaverzending, Vergadering, Voorstel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.agendapost")

#: Outbox states in which a message counts as (being) delivered to its member.
LEVEND = (uitgaand.Status.WACHTEND.value, uitgaand.Status.BEZIG.value, uitgaand.Status.VERZONDEN.value,
          uitgaand.Status.MISLUKT.value)


def verstuur(env: Omgeving, session: Session, nu: datetime,
             agendas: Mapping[str, Sequence[Herinnering]], van: str) -> int:
    """First dispatches for `agendas` (due agenda reminders per meeting key), then the
    aanvullingen of every meeting already sent that has not begun. Returns messages made."""
    verzonden = _verzonden(session, nu)
    aantal = 0
    for sleutel, hs in sorted(agendas.items()):
        if sleutel in verzonden:
            continue  # sent before (a moved meeting's new cycle): changes go as an aanvulling
        vergadering = session.scalar(select(Vergadering).where(Vergadering.sleutel == sleutel))
        if vergadering is not None:
            aantal += _post(env, session, vergadering, nu, van, hs)
    for sleutel in sorted(verzonden):
        vergadering = session.scalar(select(Vergadering).where(Vergadering.sleutel == sleutel))
        if vergadering is not None and vergadering.begin > nu:
            aantal += _post(env, session, vergadering, nu, van, None)
    return aantal


def _verzonden(session: Session, nu: datetime) -> set[str]:
    """Keys of meetings not yet begun whose agenda reached (or is on its way to) the members."""
    Bericht = uitgaand.Bericht
    return set(session.scalars(
        select(Bericht.vergadering).distinct()
        .join(Vergadering, Vergadering.sleutel == Bericht.vergadering)
        .where(Bericht.soort.in_((Soort.AGENDA.value, Soort.AANVULLING.value)),
               Bericht.status.in_(LEVEND), Vergadering.begin > nu)))


def _post(env: Omgeving, session: Session, vergadering: Vergadering, nu: datetime, van: str,
          hs: Sequence[Herinnering] | None) -> int:
    orgaan = env.definities.organen.get(vergadering.orgaan)
    if orgaan is None:
        return 0
    data = laden.agenda_van(env, session, vergadering)
    nieuw = samenstelling.momentopname(data)
    vorige = session.scalar(
        select(Agendaverzending).where(Agendaverzending.vergadering_id == vergadering.id)
        .order_by(Agendaverzending.volgnummer.desc()).limit(1))
    wijzigingen: list[str] = []
    if hs is None:
        if vorige is None:  # sent before this log existed: what is there now is the baseline
            versie = laden.leg_versie_vast(env, session, vergadering, data, nu)
            _log(session, vergadering, 1, versie, nieuw, nu)
            return 0
        oud = json.loads(vorige.inhoud)
        if oud == nieuw:
            return 0
        wijzigingen = samenstelling.wijzigingen(oud, nieuw, _elders(session, vergadering, oud, nieuw))
        if not wijzigingen:
            return 0
    elif not data.voorstellen:
        return 0
    versie = laden.leg_versie_vast(env, session, vergadering, data, nu)
    volgnummer = vorige.volgnummer + 1 if vorige is not None else 1
    _log(session, vergadering, volgnummer, versie, nieuw, nu)

    soort = Soort.AGENDA if hs is not None else Soort.AANVULLING
    if hs is not None:
        ontvangers = [(h.aan, h.sleutel) for h in hs]
    else:
        gezien: set[str] = set()
        ontvangers = []
        for lid in orgaan.leden:
            if lid.email not in gezien:
                gezien.add(lid.email)
                ontvangers.append((Persoon(lid.naam, lid.email),
                                   f"{soort.value}:{vergadering.sleutel}:{volgnummer}:{lid.email}"))
    bijlagen, te_bijlagen = _bijlagen(session, data, uitgaand.bijlagen_max(env.config))
    basis = {
        **samenstelling.context(data),
        "soort": soort.value,
        "versie": versie,
        "secretariaat": {"naam": orgaan.secretaris.naam, "email": orgaan.secretaris.email},
        "kenmerken": [p.kenmerk for p in data.voorstellen],
        "voorbehoud": any(p.voorbehoud for p in data.voorstellen),
        "wijzigingen": wijzigingen,
        "geannuleerd": vergadering.geannuleerd,
        "bijlagen": bijlagen,
        "nog_geen_stukken": True,
    }
    from workflow.berichten.opmaak import afzender_voor, render_bericht

    afzender = afzender_voor(env, vergadering.orgaan)
    aantal = 0
    for persoon, sleutel in ontvangers:
        h = Herinnering(sleutel=sleutel, soort=soort, moment=nu, aan=persoon,
                        sjabloon=f"mail/{soort.value}",
                        context={**basis, "ontvanger": persoon.naam},
                        vergadering=vergadering.sleutel, begin=vergadering.begin)
        onderwerp, tekst, html = render_bericht(env, h)
        if uitgaand.nieuw_bericht(session, sleutel=sleutel, soort=soort.value, aan=[persoon.email],
                              onderwerp=onderwerp, tekst=tekst, html=html,
                              msgid_domein=uitgaand.domein(afzender or van),
                              vergadering=vergadering.sleutel,
                              vergadering_begin=vergadering.begin, afzender=afzender,
                              bijlagen=te_bijlagen):
            aantal += 1
    log.info("%s: %s, agenda versie %d, %d bericht(en)%s", soort.value, vergadering.sleutel,
             versie, aantal, f"; {'; '.join(wijzigingen)}" if wijzigingen else "")
    return aantal


def _log(session: Session, vergadering: Vergadering, volgnummer: int, versie: int,
         inhoud: dict[str, Any], nu: datetime) -> None:
    session.add(Agendaverzending(vergadering_id=vergadering.id, volgnummer=volgnummer,
                                 agendaversie=versie, verzonden_op=nu,
                                 inhoud=json.dumps(inhoud, sort_keys=True, ensure_ascii=False)))
    session.flush()


def _elders(session: Session, vergadering: Vergadering, oud: Mapping[str, Any],
            nieuw: Mapping[str, Any]) -> dict[str, str]:
    """Where the withdrawn items went: another meeting of the same body, if any."""
    weg = sorted(set(oud["punten"]) - set(nieuw["punten"]))
    if not weg:
        return {}
    result: dict[str, str] = {}
    for kenmerk, begin in session.execute(
            select(Voorstel.kenmerk, Vergadering.begin)
            .join(Agendapunt, Agendapunt.voorstel_id == Voorstel.id)
            .join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
            .where(Voorstel.kenmerk.in_(weg), Vergadering.orgaan == vergadering.orgaan,
                   Vergadering.id != vergadering.id,
                   Agendapunt.status.in_(("gepland", "geagendeerd")))
            .order_by(Vergadering.begin)):
        result.setdefault(kenmerk, f"de vergadering van {datum_tijd(begin)}")
    return result


def _bijlagen(session: Session, data: samenstelling.Agenda, maximum: int
              ) -> tuple[dict[str, Any], str | None]:
    """(template context, JSON for the outbox row): the documents attached while their total
    stays within `maximum` bytes; otherwise, or when a file is gone or changed, listed."""
    from workflow.voorstellen.documenten import Bijlage

    regels = {(d.naam, d.versie, d.sha256): d for p in data.voorstellen for d in p.documenten}
    rijen: dict[tuple[str, int, str], Bijlage] = {}
    if regels:
        for b in session.scalars(select(Bijlage).where(
                Bijlage.sha256.in_(sorted({k[2] for k in regels})))):
            rijen.setdefault((b.naam, b.versie, b.sha256), b)
    totaal = sum(b.grootte for k, b in rijen.items() if k in regels)
    te_groot = totaal > maximum
    mee: list[dict[str, Any]] = []
    niet: list[dict[str, Any]] = []
    for sleutel in sorted(regels, key=lambda k: (k[0].casefold(), k)):
        regel = samenstelling.context(regels[sleutel])
        rij = rijen.get(sleutel)
        if te_groot or rij is None or not _zelfde(rij.bron, rij.sha256):
            niet.append(regel)
        else:
            mee.append({**regel, "pad": rij.bron, "grootte": rij.grootte})
    context = {"meegestuurd": mee, "niet_meegestuurd": niet, "te_groot": te_groot,
               "max": tekst.omvang(maximum),
               "omvang": tekst.omvang(sum(int(d["grootte"]) for d in mee))}
    te_bijlagen = json.dumps([{"naam": d["naam"], "pad": d["pad"], "sha256": d["sha256"],
                               "grootte": d["grootte"]} for d in mee]) if mee else None
    return context, te_bijlagen


def _zelfde(pad: str, sha256: str) -> bool:
    """The registered file is still there with the registered content."""
    if not pad:
        return False
    try:
        h = hashlib.sha256()
        with Path(pad).open("rb") as f:
            for blok in iter(lambda: f.read(1 << 20), b""):
                h.update(blok)
    except OSError:
        return False
    return h.hexdigest() == sha256
