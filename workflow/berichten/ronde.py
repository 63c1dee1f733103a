"""One pass of due work (`ronde`): create the reminders due now into the outbox in one transaction,
then send what is pending. `besluitroute herinneringen verstuur` runs one pass; the planner
(workflow.berichten.planner) runs them on a schedule. Our tables decide what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.berichten import (
    bijeenkomststand,
    gemist,
    herinneringen,
    model,
    onderdelen,
    stempel,
    uitgaand,
    vervallen,
    weekoverzicht,
)
from workflow.berichten.bijeenkomststand import CHUNK
from workflow.berichten.herinneringen import Bijeenkomst, Herinnering, Punt
from workflow.berichten.opmaak import afzender_voor, render_bericht
from workflow.kalender import pcyclus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.planner")


#: How long after its moment a reminder is still made (after downtime): the catch-up period.
STANDAARD_INHAALTERMIJN = timedelta(hours=24)


#: Meetings looked at: this far back (outcomes overdue) and ahead (deadlines, dispatches).
TERUG = timedelta(days=42)


VOORUIT = timedelta(days=90)


def inhaaltermijn(env: Omgeving, uren: float | None = None) -> timedelta:
    """`--grace`, else [herinneringen] inhaaltermijn_uren in the config file, else 24 hours."""
    if uren is None:
        uren = env.instellingen.herinneringen_inhaaltermijn_uren
        if uren is None:
            return STANDAARD_INHAALTERMIJN
    from workflow.basis.grenzen import MAX_INHAALTERMIJN_UREN

    # `not (0 < x <= max)` also refuses NaN; 1e309 (inf) and 1e300 would overflow timedelta.
    if not 0 < uren <= MAX_INHAALTERMIJN_UREN:
        raise GebruikersFout(f"de inhaaltermijn moet groter dan 0 en hoogstens "
                             f"{MAX_INHAALTERMIJN_UREN} uur zijn, niet {uren:g}")
    return timedelta(hours=uren)


def laad_bijeenkomsten(session: Session, van: datetime, tot: datetime,
                       organen: Sequence[str] | None = None) -> list[Bijeenkomst]:
    """Meetings starting in [van, tot) with their proposals, as plain data; only those of
    `organen` when given."""
    from sqlalchemy import select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    # Columns, not entities: thousands of meetings per pass at 400 bodies.
    query = select(Vergadering.id, Vergadering.sleutel, Vergadering.orgaan, Vergadering.begin,
                   Vergadering.plaats, Vergadering.geannuleerd) \
        .where(Vergadering.begin >= van, Vergadering.begin < tot)
    if organen is not None:
        query = query.where(Vergadering.orgaan.in_(sorted(organen)))
    meetings = session.execute(query.order_by(Vergadering.begin, Vergadering.id)).all()
    if not meetings:
        return []
    # By the meetings' ids (index on agendapunt.vergadering_id), in chunks: a join on the
    # meeting's start made SQLite walk every agenda item of every year (300 ms at 400 bodies).
    ids = sorted(v.id for v in meetings)
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(session.execute(
            select(Agendapunt.vergadering_id, Agendapunt.rol, Agendapunt.status,
                   Agendapunt.nagekomen, Voorstel.id, Voorstel.kenmerk, Voorstel.titel,
                   Voorstel.opsteller, Voorstel.opsteller_email)
            .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
            .where(Agendapunt.vergadering_id.in_(ids[start:start + CHUNK]),
                   Agendapunt.status.in_(("gepland", "geagendeerd")))
            .order_by(Agendapunt.vergadering_id, Voorstel.kenmerk)).all())
    documenten = bijeenkomststand.documenten(session, sorted({r[4] for r in rows}))
    verouderd = bijeenkomststand.verouderd(session, sorted({r[4] for r in rows})) if documenten else set()
    punten: dict[int, list[Punt]] = {}
    for verg_id, rol, status, nagekomen, voorstel_id, kenmerk, titel, opsteller, adres in rows:
        docs = None if documenten is None else documenten.get(voorstel_id, ())
        punten.setdefault(verg_id, []).append(
            Punt(kenmerk, titel, opsteller, rol, status, bool(nagekomen), docs, adres,
                 nieuwe_versie=voorstel_id in verouderd))
    verzonden = bijeenkomststand.agenda_verzonden(session, ids)
    return [Bijeenkomst(v.sleutel, v.orgaan, v.begin, v.plaats, v.geannuleerd,
                        tuple(punten.get(v.id, ())), verzonden.get(v.id)) for v in meetings]


@dataclass
class Rondeverslag:
    aangemaakt: int = 0
    vervallen: int = 0
    verzonden: int = 0
    uitgesteld: int = 0
    mislukt: int = 0
    gepubliceerd: int = 0  #: Woo publications recorded in this pass

    def regel(self) -> str:
        return (f"{self.aangemaakt} bericht(en) aangemaakt, {self.verzonden} verzonden, "
                f"{self.uitgesteld} uitgesteld, {self.mislukt} mislukt, "
                f"{self.vervallen} vervallen")


def _vorige_ronde(session: Session, nu: datetime) -> datetime | None:
    """The moment of the previous pass (None the first time), and record this one."""
    from workflow.opslag.models import Plannerstand

    stand = session.get(Plannerstand, "ronde")
    if stand is None:
        session.add(Plannerstand(naam="ronde", laatste_ronde=nu))
        return None
    vorige = stand.laatste_ronde
    stand.laatste_ronde = nu
    return vorige


def _orgaan_van(h: Herinnering, env: Omgeving) -> str | None:
    if h.soort is herinneringen.Soort.WEEKOVERZICHT:
        for sleutel in sorted(env.definities.organen):
            if env.definities.organen[sleutel].secretaris.email == h.aan.email:
                return sleutel
        return None
    context_vergadering = h.context.get("vergadering", {})
    naam = context_vergadering.get("orgaan") if isinstance(context_vergadering, dict) else None
    for sleutel, orgaan in env.definities.organen.items():
        if orgaan.naam == naam:
            return sleutel
    return None


#: Conclusions a quiet pass keeps (workflow.berichten.stempel): the meetings ahead as read,
#: that no pending mail lapsed, and which weekly overviews had nothing to say.
GELEZEN, NIETS_VERVALLEN, LEGE_WEEKOVERZICHTEN = "bijeenkomsten", "niets-vervallen", \
    "lege-weekoverzichten"

#: How much further ahead than it needs a pass reads, so the passes after it can use the same.
_MARGE = timedelta(days=1)


def _bijeenkomsten_van_ronde(env: Omgeving, session: Session, nu: datetime,
                             vorige: datetime | None, inhaal: timedelta,
                             gemaakt: set[str]) -> tuple[
        list[Bijeenkomst], list[str], tuple[datetime, datetime, list[Bijeenkomst]] | None]:
    """The meetings a pass at `nu` needs, the bodies whose weekly overview it composes, and the
    stretch it read anew (van, tot, meetings) for the passes after it (None: kept from before).

    A reminder due now, or skipped since the previous pass (at most TERUG and the catch-up period
    back), is of a meeting beginning after that pass and within the definitions' lead
    (`herinneringen.vooruitloop`) of now; only a weekly
    overview still to compose looks further back (outcomes overdue) and ahead, and only at its
    own secretary's bodies. A pass with nothing new reads a few weeks of meetings, not months,
    and while nothing changed it keeps what an earlier pass read."""
    # After long downtime, skipped reminders are recorded as far back as a weekly overview looks.
    van = max(min(nu, vorige), nu - TERUG - inhaal) if vorige is not None else nu
    lead = herinneringen.vooruitloop(env.definities)
    tot = nu + lead
    bewaard = stempel.geldend(env.db.engine, session, GELEZEN, nu)
    if bewaard is not None and bewaard[0][0] <= van and tot <= bewaard[0][1]:
        gelezen = None
        van_tot_meetings = bewaard[0]
    else:
        gelezen = van_tot_meetings = (van, tot + _MARGE,
                                      laad_bijeenkomsten(session, van, tot + _MARGE))
    meetings = [m for m in van_tot_meetings[2] if van <= m.begin < tot]
    organen = weekoverzicht.weekoverzicht_organen(env.definities, nu, inhaal, gemaakt)
    if organen:
        al = {m.sleutel for m in meetings}
        meetings += [m for m in laad_bijeenkomsten(session, nu - TERUG - inhaal,
                                                   nu + max(VOORUIT, timedelta(days=7) + lead),
                                                   organen)
                     if m.sleutel not in al]
        meetings.sort(key=lambda m: m.begin)
    return meetings, organen, gelezen


def maak_herinneringen(env: Omgeving, inhaal: timedelta = STANDAARD_INHAALTERMIJN,
                       publicaties: Sequence[tuple[str, str]] = (),
                       archief: Sequence[tuple[str, str]] = (),
                       termijnen: Sequence[pcyclus.Termijnstand] = ()) -> Rondeverslag:
    """Write every reminder due now into the outbox, in one transaction; each key once.

    The agenda itself, and the aanvulling after a change, are made per meeting (agendapost);
    a reminder whose whole window fell between two passes is recorded as skipped. What a pass
    read and concluded is kept while the database's change stamp stands still
    (workflow.berichten.stempel): a pass with nothing new reads little more than that stamp."""
    nu = clock.now()
    verslag = Rondeverslag()
    van = uitgaand.afzender(env.config)
    engine = env.db.engine
    with env.db.schrijf() as session:
        begin_stempel = stempel.Stempel.lees(session, nu)  # before this pass writes anything
        vorige = _vorige_ronde(session, nu)
        meldingen = (*publicaties, *archief, *termijnen)
        gemaakt = _weekoverzichten_gedaan(env, session, nu, inhaal, meldingen)
        meetings, week_organen, gelezen = _bijeenkomsten_van_ronde(
            env, session, nu, vorige, inhaal, gemaakt)
        # Only a meeting moved or cancelled makes pending mail lapse: it moves the stamp.
        nagekeken = stempel.geldend(engine, session, NIETS_VERVALLEN, nu) is None
        if nagekeken:
            verslag.vervallen = vervallen.laat_vervallen(session)
        # Only a weekly overview still to compose lists failed and skipped messages.
        mislukt, overgeslagen = _mislukt_en_overgeslagen(env, session, nu, inhaal) \
            if week_organen else ([], [])
        if vorige is not None and vorige < nu:
            gemist.leg_vast(session, herinneringen.gemist(env.definities, meetings, vorige, nu,
                                                          inhaal), vorige, van)
        due = herinneringen.verschuldigd(env.definities, meetings, nu, inhaal, mislukt,
                                         overgeslagen, publicaties, gemaakt, archief,
                                         volledig=weekoverzicht.overzicht_volledig(env.config),
                                         termijnen=termijnen)
        aantal, vergeleken = _maak_alles(env, session, nu, due, van)
        verslag.aangemaakt += aantal
        # Secretaries whose overview was due and had nothing to say (no mail is made for them).
        zonder_inhoud = weekoverzicht.weeksleutels(env.definities, week_organen, nu) \
            - {h.sleutel for h in due if h.soort is herinneringen.Soort.WEEKOVERZICHT}
    # Kept only once the pass has committed, at the stamp read before it wrote anything (what it
    # wrote itself moves the stamp: the next pass looks once more, then keeps quiet), and only
    # when drawn anew: a conclusion lives at most stempel.GELDIG, then it is drawn again.
    if gelezen is not None:
        stempel.onthoud(engine, GELEZEN, begin_stempel, gelezen)
    if nagekeken:
        stempel.onthoud(engine, NIETS_VERVALLEN, begin_stempel)
    if vergeleken is not None:
        stempel.onthoud(engine, vergeleken, begin_stempel)
    if week_organen:
        stempel.onthoud(engine, LEGE_WEEKOVERZICHTEN, begin_stempel,
                        (meldingen, frozenset(zonder_inhoud)))
    return verslag


def _maak_alles(env: Omgeving, session: Session, nu: datetime, due: Sequence[Herinnering],
               van: str) -> tuple[int, str | None]:
    """Into the outbox, the agendas per meeting (agendapost): how many new; VERGELEKEN or None."""
    from workflow.berichten import agendapost

    agendas: dict[str, list[Herinnering]] = {}
    for h in due:
        if h.soort is herinneringen.Soort.AGENDA:
            agendas.setdefault(h.vergadering or "", []).append(h)
    aantal = _maak_berichten(
        env, session, [h for h in due if h.soort is not herinneringen.Soort.AGENDA], van)
    extra, alles_vergeleken = agendapost.verstuur(env, session, nu, agendas, van)
    return aantal + extra, agendapost.VERGELEKEN if alles_vergeleken else None


def _maak_berichten(env: Omgeving, session: Session, due: Sequence[Herinnering],
                    van: str) -> int:
    """Render each reminder not yet in the outbox into it; returns how many were new."""
    existing = uitgaand.bestaande_sleutels(session, [h.sleutel for h in due])
    aantal = 0
    for h in due:
        if h.sleutel in existing:
            continue
        onderwerp, tekst, html = render_bericht(env, h)
        afzender = afzender_voor(env, _orgaan_van(h, env))
        if uitgaand.nieuw_bericht(session, sleutel=h.sleutel, soort=h.soort.value,
                                  aan=[h.aan], onderwerp=onderwerp, tekst=tekst,
                                  html=html, msgid_domein=uitgaand.domein(afzender or van),
                                  vergadering=h.vergadering, vergadering_begin=h.begin,
                                  afzender=afzender):
            aantal += 1
            kenmerken = h.context.get("kenmerken") or []
            log.info("aangemaakt: %s%s", h.sleutel,
                     f" (kenmerk {', '.join(kenmerken)})" if kenmerken else "")
    return aantal


def _mislukt_en_overgeslagen(env: Omgeving, session: Session, nu: datetime, inhaal: timedelta
                             ) -> tuple[list[herinneringen.Mislukt], list[dict[str, Any]]]:
    """Messages refused for good lately, and those recorded as skipped: for weekly overviews."""
    mislukt = [herinneringen.Mislukt(b.id, b.soort, b.ontvangers, b.onderwerp, b.laatste_fout or "",
                                     b.mislukt_op or nu, orgaan)
               for b, orgaan in model.mislukt_sinds(session, nu - timedelta(days=7) - inhaal)]
    return mislukt, gemist.overgeslagen(env, session, nu)


def _weekoverzichten_gedaan(env: Omgeving, session: Session, nu: datetime, inhaal: timedelta,
                            meldingen: Sequence[object]) -> set[str]:
    """Keys of this week's and last week's overviews already made (a secretary's week may start
    before or after `nu`'s Monday), or found to have nothing to say while nothing changed since
    (`meldingen`, what else an overview lists, included): they are not composed again."""
    if not weekoverzicht.weekoverzicht_open(env.definities, nu, inhaal):
        return set()
    gedaan = uitgaand.sleutels_met_voorvoegsel(session, weekoverzicht.weekvoorvoegsel(nu)) \
        | uitgaand.sleutels_met_voorvoegsel(
            session, weekoverzicht.weekvoorvoegsel(nu - timedelta(days=7)))
    leeg = stempel.geldend(env.db.engine, session, LEGE_WEEKOVERZICHTEN, nu)
    if leeg is not None and leeg[0][0] == tuple(meldingen):
        gedaan |= leeg[0][1]
    return gedaan


def ronde(env: Omgeving, inhaal: timedelta = STANDAARD_INHAALTERMIJN) -> Rondeverslag:
    """One pass: publish what is due (Woo, idempotent), create what is due, then send what is
    pending; each part on its own (workflow.berichten.onderdelen): sending goes on when
    publishing or creating failed."""
    from workflow.archief import herinnering as archief
    from workflow.berichten import griffies
    from workflow.openbaarheid import publiceren
    from workflow.openbaarheid.wooindex import export as wooindex
    from workflow.voorstellen import zienswijzen

    nu = clock.now()  # the weekly overview warns about what was overdue before this pass
    week = weekoverzicht.weekoverzicht_open(env.definities, nu, inhaal)
    verslag = Rondeverslag()
    # What the weekly overview warns of: publications overdue, meetings of the last quarter
    # not yet exported for the e-Depot (ORI-A); read before this pass publishes.
    waarschuwingen: list[Sequence[tuple[str, str]]] = [[], []]
    # The P&C cycle's dated duties of this year (workflow.kalender.pcyclus).
    termijnen: list[pcyclus.Termijnstand] = []

    def lees_waarschuwingen() -> None:
        if week:
            waarschuwingen[:] = [publiceren.waarschuwingen_per_orgaan(env, nu),
                                 archief.niet_geexporteerd(env, nu)]
            termijnen[:] = pcyclus.verzamel(env, clock.local(nu).year, nu)

    def publiceer() -> None:
        verslag.gepubliceerd = publiceren.publiceer(env, nu)

    def maak() -> None:
        gemaakt = maak_herinneringen(env, inhaal, waarschuwingen[0], waarschuwingen[1], termijnen)
        verslag.aangemaakt, verslag.vervallen = gemaakt.aangemaakt, gemaakt.vervallen

    def verstuur() -> None:
        verzonden = uitgaand.verstuur_wachtende(
            env.db, uitgaand.transport_voor(env.config, env.uitgaand_map),
            uitgaand.afzender(env.config))
        verslag.verzonden, verslag.uitgesteld, verslag.mislukt = \
            verzonden.verzonden, verzonden.uitgesteld, verzonden.mislukt

    w, p, g, z = "waarschuwingen lezen", "publiceren", "griffies berichten", "zienswijzen sluiten"
    onderdelen.voer_uit([
        onderdelen.Onderdeel(w, lees_waarschuwingen),
        onderdelen.Onderdeel(p, publiceer),
        # With [woo_index] map: the files follow what is public now.
        onderdelen.Onderdeel("Woo-index bijwerken", lambda: wooindex.bijwerken(env, nu), (p,)),
        # The griffies and the DB secretary first (the period's end lists who did not answer),
        # then a zienswijze period that ended opens the next step, whoever has not answered.
        onderdelen.Onderdeel(g, lambda: griffies.maak(env, nu, uitgaand.afzender(env.config))),
        onderdelen.Onderdeel(z, lambda: zienswijzen.sluit_verlopen(env, door="planner"), (g,)),
        # The weekly overview lists the warnings; an agenda mail follows its publication.
        onderdelen.Onderdeel("herinneringen maken", maak, (w, p, z)),
        # What is in the outbox goes out, whatever failed before.
        onderdelen.Onderdeel("versturen", verstuur),
    ])
    return verslag
