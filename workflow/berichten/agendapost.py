"""The agenda to the members at its dispatch moment, and an aanvulling after every change.

A meeting's agenda goes out once (its `agenda` reminders are the trigger); from then on every
reminder pass composes the agenda again and compares it with what the members were last sent
(table `agendaverzending`). A difference (an item added late, withdrawn or moved, a document added
or replaced, a reservation lifted, the meeting moved or cancelled) becomes one aanvulling per
member for the whole pass, with the new agenda version; the agenda files get the same version.

Comparing is cheap in three layers: a database-wide change stamp (stempel.Stempel) says whether
anything an agenda is made of changed since the last full comparison; only then a fingerprint
per sent meeting; only a differing fingerprint composes the agenda.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from workflow.agenda import aanvulling, generatie, laden, model, samenstelling
from workflow.basis import tekst
from workflow.basis.bestanden import lees_geregistreerd
from workflow.basis.tekst import datum_tijd
from workflow.berichten import stempel, uitgaand
from workflow.berichten.herinneringen import Herinnering, Soort
from workflow.definities.model import Orgaan, Persoon
from workflow.opslag.models import Agendapunt, Agendaverzending, Vergadering, Voorstel
from workflow.voorstellen.documenten import documenten_per_voorstel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.agendapost")

#: Outbox states in which a message counts as (being) delivered to its member.
LEVEND = (uitgaand.Status.WACHTEND.value, uitgaand.Status.BEZIG.value, uitgaand.Status.VERZONDEN.value,
          uitgaand.Status.MISLUKT.value)


def verstuur(env: Omgeving, session: Session, nu: datetime,
             agendas: Mapping[str, Sequence[Herinnering]], van: str,
             ) -> tuple[int, bool]:
    """First dispatches for `agendas` (due agenda reminders per meeting key), then the
    aanvullingen of every meeting already sent that has not begun. Returns the messages made and
    whether every sent agenda was compared (then the pass keeps that conclusion, VERGELEKEN,
    once it has committed).

    A sent meeting is composed again only when the fingerprint of what its agenda is made of
    differs from the one stored with its last snapshot: a pass with nothing new reads a few
    columns in bulk instead of composing every agenda. And the fingerprints are computed only
    when the database's change stamp moved since the last full comparison (workflow.berichten.
    stempel)."""
    geldig = stempel.geldend(env.db.engine, session, VERGELEKEN, nu) is not None
    aantal = 0
    if agendas:
        al_verzonden = _verzonden(session, nu, sorted(agendas))
        for sleutel, hs in sorted(agendas.items()):
            if sleutel in al_verzonden:
                continue  # sent before (a moved meeting's new cycle): changes go as an aanvulling
            vergadering = session.scalar(select(Vergadering).where(Vergadering.sleutel == sleutel))
            if vergadering is not None:
                afdruk = vingerafdrukken(env, session, [vergadering.id]).get(vergadering.id)
                aantal += _post(env, session, vergadering, nu, van, hs, afdruk)
    if geldig:
        return aantal, False
    verzonden = _verzonden(session, nu)
    ids = sorted(set(verzonden.values()))
    laatste = _laatste_afdrukken(session, ids)
    afdrukken = vingerafdrukken(env, session, ids)
    for sleutel in sorted(verzonden):
        vid = verzonden[sleutel]
        afdruk = afdrukken.get(vid)
        if afdruk is not None and laatste.get(vid) == afdruk:
            continue  # nothing the agenda is made of changed since it was last compared
        vergadering = session.get(Vergadering, vid)
        if vergadering is not None and vergadering.begin > nu:
            aantal += _post(env, session, vergadering, nu, van, None, afdruk)
    return aantal, True


#: The conclusion (workflow.berichten.stempel) that every sent agenda matches its last snapshot.
VERGELEKEN = "agendas-vergeleken"


def _verzonden(session: Session, nu: datetime,
               sleutels: Sequence[str] | None = None) -> dict[str, int]:
    """Meetings (key: id) not yet begun whose agenda reached (or is on its way to) the members;
    only those of `sleutels` when given.

    Driven from the meetings (index on begin) with a probe into the outbox per meeting (index on
    vergadering, soort): joining the other way round read every sent message of every year."""
    query = select(Vergadering.sleutel, Vergadering.id).where(Vergadering.begin > nu,
                                                              agenda_verstuurd())
    if sleutels is None:
        return {sleutel: vid for sleutel, vid in session.execute(query)}
    result: dict[str, int] = {}
    for start in range(0, len(sleutels), _CHUNK):
        result.update({sleutel: vid for sleutel, vid in session.execute(
            query.where(Vergadering.sleutel.in_(sleutels[start:start + _CHUNK])))})
    return result


def agenda_verstuurd() -> Any:
    """EXISTS: a live agenda or aanvulling message of this meeting is in the outbox."""
    Bericht = uitgaand.Bericht
    return (select(Bericht.id)
            .where(Bericht.vergadering == Vergadering.sleutel,
                   Bericht.soort.in_((Soort.AGENDA.value, Soort.AANVULLING.value)),
                   Bericht.status.in_(LEVEND))
            .exists())


#: Ids per IN (...) list: well below SQLite's limit on bound parameters.
_CHUNK = 500


def _stukken(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def _laatste_afdrukken(session: Session, ids: Sequence[int]) -> dict[int, str | None]:
    """Per meeting, the fingerprint stored with its last snapshot (None: none stored yet)."""
    result: dict[int, tuple[int, str | None]] = {}
    for stuk in _stukken(ids):
        for vid, volgnummer, afdruk in session.execute(
                select(Agendaverzending.vergadering_id, Agendaverzending.volgnummer,
                       Agendaverzending.vingerafdruk)
                .where(Agendaverzending.vergadering_id.in_(stuk))):
            if vid not in result or volgnummer > result[vid][0]:
                result[vid] = (volgnummer, afdruk)
    return {vid: afdruk for vid, (_, afdruk) in result.items()}


_DEFINITIES_AFDRUK: list[tuple[object, str]] = []


def _definities_afdruk(env: Omgeving) -> str:
    """A hash of the definitions in use as far as an agenda shows them (bodies' fixed items and
    names, routes' steps: everything but the members), kept for the same definitions object: a
    new version that changes them changes every fingerprint once."""
    definities = env.definities
    if _DEFINITIES_AFDRUK and _DEFINITIES_AFDRUK[0][0] is definities:
        return _DEFINITIES_AFDRUK[0][1]
    # Without the members: no agenda shows them (a new member gets the next mail, not an
    # aanvulling), and 10,000 members' reprs made this a 2 MB string, built from small ones, that
    # left a long-running planner larger for good.
    organen = sorted((sleutel, replace(orgaan, leden=()))
                     for sleutel, orgaan in definities.organen.items())
    afdruk = hashlib.sha256(repr((organen, sorted(definities.routes.items()))).encode()
                            ).hexdigest()
    _DEFINITIES_AFDRUK[:] = [(definities, afdruk)]
    return afdruk


def vingerafdrukken(env: Omgeving, session: Session, ids: Sequence[int]) -> dict[int, str]:
    """Per meeting id, a SHA-256 over everything its agenda snapshot (aanvulling.momentopname)
    is composed from: the meeting's columns, its items with their proposals, every treatment of
    those proposals (the voorbehoud names earlier steps' meetings), their current documents and
    the definitions. Four bulk queries for all meetings, instead of composing each agenda."""
    if not ids:
        return {}
    definities = _definities_afdruk(env)
    meetings: dict[int, tuple[Any, ...]] = {}
    items: dict[int, list[tuple[Any, ...]]] = {}
    for stuk in _stukken(sorted(ids)):
        for row in session.execute(
                select(Vergadering.id, Vergadering.orgaan, Vergadering.begin, Vergadering.plaats,
                       Vergadering.geannuleerd, Vergadering.opmerking)
                .where(Vergadering.id.in_(stuk))):
            meetings[row[0]] = tuple(row)
        for punt in session.execute(
                select(Agendapunt.vergadering_id, Agendapunt.id, Agendapunt.rol, Agendapunt.stap,
                       Agendapunt.status, Agendapunt.nagekomen, Agendapunt.uitkomst, Voorstel.id,
                       Voorstel.kenmerk, Voorstel.titel, Voorstel.opsteller, Voorstel.route)
                .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
                .where(Agendapunt.vergadering_id.in_(stuk),
                       Agendapunt.status.in_(laden.OP_DE_AGENDA))):
            items.setdefault(punt[0], []).append(tuple(punt[1:]))
    voorstel_ids = sorted({item[6] for rij in items.values() for item in rij})
    behandelingen: dict[int, list[tuple[Any, ...]]] = {}
    documenten: dict[int, tuple[Any, ...]] = {}
    for stuk in _stukken(voorstel_ids):
        for behandeling in session.execute(
                select(Agendapunt.voorstel_id, Agendapunt.id, Agendapunt.stap, Agendapunt.status,
                       Agendapunt.uitkomst, Agendapunt.tekst, Vergadering.begin,
                       Vergadering.orgaan)
                .join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
                .where(Agendapunt.voorstel_id.in_(stuk))):
            behandelingen.setdefault(behandeling[0], []).append(tuple(behandeling[1:]))
        for vid, docs in documenten_per_voorstel(session, stuk).items():
            documenten[vid] = tuple((d.naam, d.versie, d.sha256) for d in docs)
    result: dict[int, str] = {}
    for vid, meeting in meetings.items():
        delen = [definities, repr(meeting)]
        for item in sorted(items.get(vid, ()), key=lambda i: i[0]):
            delen.append(repr((item, sorted(behandelingen.get(item[6], ()), key=lambda b: b[0]),
                               documenten.get(item[6], ()))))
        result[vid] = hashlib.sha256("\n".join(delen).encode()).hexdigest()
    return result


def _post(env: Omgeving, session: Session, vergadering: Vergadering, nu: datetime, van: str,
          hs: Sequence[Herinnering] | None, afdruk: str | None = None) -> int:
    orgaan = env.definities.organen.get(vergadering.orgaan)
    if orgaan is None:
        return 0
    data = laden.agenda_van(env, session, vergadering)
    nieuw = aanvulling.momentopname(data)
    vorige = session.scalar(
        select(Agendaverzending).where(Agendaverzending.vergadering_id == vergadering.id)
        .order_by(Agendaverzending.volgnummer.desc()).limit(1))
    wijzigingen: list[str] = []
    if hs is None:
        if vorige is None:  # sent before this log existed: what is there now is the baseline
            versie = generatie.leg_versie_vast(env, session, vergadering, data, nu)
            _log(session, vergadering, 1, versie, nieuw, nu, afdruk)
            return 0
        oud = json.loads(vorige.inhoud)
        if oud != nieuw:
            wijzigingen = aanvulling.wijzigingen(
                oud, nieuw, _elders(session, vergadering, oud, nieuw))
        if not wijzigingen:
            # Nothing to tell (the outcome depends only on these inputs and the snapshot):
            # remember the inputs so the next pass need not compose this agenda again.
            if afdruk is not None and vorige.vingerafdruk != afdruk:
                vorige.vingerafdruk = afdruk
            return 0
    elif not data.voorstellen:
        return 0
    versie = generatie.leg_versie_vast(env, session, vergadering, data, nu)
    volgnummer = vorige.volgnummer + 1 if vorige is not None else 1
    _log(session, vergadering, volgnummer, versie, nieuw, nu, afdruk)

    soort = Soort.AGENDA if hs is not None else Soort.AANVULLING
    ontvangers = _ontvangers(orgaan, vergadering, hs, soort, volgnummer)
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
    aantal = _berichten(env, session, vergadering, nu, van, soort, ontvangers, basis, te_bijlagen)
    log.info("%s: %s, agenda versie %d, %d bericht(en)%s", soort.value, vergadering.sleutel,
             versie, aantal, f"; {'; '.join(wijzigingen)}" if wijzigingen else "")
    return aantal


def _ontvangers(orgaan: Orgaan, vergadering: Vergadering, hs: Sequence[Herinnering] | None,
                soort: Soort, volgnummer: int) -> list[tuple[Persoon, str]]:
    """Who gets the mail, each with the outbox key: the reminders' recipients for the agenda,
    every member once for an aanvulling."""
    if hs is not None:
        return [(h.aan, h.sleutel) for h in hs]
    gezien: set[str] = set()
    ontvangers = []
    for lid in orgaan.leden:
        if lid.email not in gezien:
            gezien.add(lid.email)
            ontvangers.append((Persoon(lid.naam, lid.email),
                               f"{soort.value}:{vergadering.sleutel}:{volgnummer}:{lid.email}"))
    return ontvangers


def _berichten(env: Omgeving, session: Session, vergadering: Vergadering, nu: datetime, van: str,
               soort: Soort, ontvangers: Sequence[tuple[Persoon, str]], basis: dict[str, Any],
               te_bijlagen: str | None) -> int:
    """Render one mail per recipient into the outbox; returns how many were new."""
    from workflow.berichten.opmaak import afzender_voor, render_bericht

    afzender = afzender_voor(env, vergadering.orgaan)
    aantal = 0
    for persoon, sleutel in ontvangers:
        h = Herinnering(sleutel=sleutel, soort=soort, moment=nu, aan=persoon,
                        sjabloon=f"mail/{soort.value}",
                        context={**basis, "ontvanger": persoon.naam},
                        vergadering=vergadering.sleutel, begin=vergadering.begin)
        onderwerp, tekst, html = render_bericht(env, h)
        if uitgaand.nieuw_bericht(session, sleutel=sleutel, soort=soort.value, aan=[persoon],
                              onderwerp=onderwerp, tekst=tekst, html=html,
                              msgid_domein=uitgaand.domein(afzender or van),
                              vergadering=vergadering.sleutel,
                              vergadering_begin=vergadering.begin, afzender=afzender,
                              bijlagen=te_bijlagen):
            aantal += 1
    return aantal


def _log(session: Session, vergadering: Vergadering, volgnummer: int, versie: int,
         inhoud: dict[str, Any], nu: datetime, afdruk: str | None = None) -> None:
    session.add(Agendaverzending(vergadering_id=vergadering.id, volgnummer=volgnummer,
                                 agendaversie=versie, verzonden_op=nu,
                                 inhoud=json.dumps(inhoud, sort_keys=True, ensure_ascii=False),
                                 vingerafdruk=afdruk))
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


def _bijlagen(session: Session, data: model.Agenda, maximum: int
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
        if te_groot or rij is None or lees_geregistreerd(
                Path(rij.bron), rij.sha256, rij.grootte) is None:
            niet.append(regel)
        else:
            mee.append({**regel, "pad": rij.bron, "grootte": rij.grootte})
    context = {"meegestuurd": mee, "niet_meegestuurd": niet, "te_groot": te_groot,
               "max": tekst.omvang(maximum),
               "omvang": tekst.omvang(sum(int(d["grootte"]) for d in mee))}
    te_bijlagen = json.dumps([{"naam": d["naam"], "pad": d["pad"], "sha256": d["sha256"],
                               "grootte": d["grootte"]} for d in mee]) if mee else None
    return context, te_bijlagen
