"""One pass of due work (`ronde`): create the reminders due now into the outbox in one transaction,
then send what is pending. `besluitroute herinneringen verstuur` runs one pass; the planner
(workflow.berichten.planner) runs them on a schedule. Our tables decide what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.berichten import herinneringen, uitgaand
from workflow.berichten.herinneringen import Bijeenkomst, Herinnering, Punt
from workflow.berichten.opmaak import afzender_voor, render_bericht

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
        value = (env.config.get("herinneringen", {}) or {}).get("inhaaltermijn_uren")
        if value is None:
            return STANDAARD_INHAALTERMIJN
        try:
            uren = float(value)
        except (TypeError, ValueError):
            raise GebruikersFout(f"inhaaltermijn_uren moet een getal zijn, niet '{value}'") \
                from None
    from workflow.basis.grenzen import MAX_INHAALTERMIJN_UREN

    # `not (0 < x <= max)` also refuses NaN; 1e309 (inf) and 1e300 would overflow timedelta.
    if not 0 < uren <= MAX_INHAALTERMIJN_UREN:
        raise GebruikersFout(f"de inhaaltermijn moet groter dan 0 en hoogstens "
                             f"{MAX_INHAALTERMIJN_UREN} uur zijn, niet {uren:g}")
    return timedelta(hours=uren)


def _documenten(session: Session, voorstel_ids: list[int]) -> dict[int, tuple[str, ...]] | None:
    """Documents per proposal from the documents table, or None when there is none (yet)."""
    try:
        from sqlalchemy import inspect

        from workflow.voorstellen.documenten import documenten_per_voorstel
    except ImportError:
        return None
    if not inspect(session.connection()).has_table("bijlage"):
        return None
    per = documenten_per_voorstel(session, voorstel_ids)
    return {i: tuple(f"{d.naam} (versie {d.versie})" for d in docs) for i, docs in per.items()}


#: Ids per IN (...) list: well below SQLite's limit on bound parameters.
_CHUNK = 500


def laad_bijeenkomsten(session: Session, van: datetime, tot: datetime) -> list[Bijeenkomst]:
    """Meetings starting in [van, tot) with their proposals, as plain data."""
    from sqlalchemy import select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    # Columns, not entities: thousands of meetings per pass at 400 bodies.
    meetings = session.execute(
        select(Vergadering.id, Vergadering.sleutel, Vergadering.orgaan, Vergadering.begin,
               Vergadering.plaats, Vergadering.geannuleerd)
        .where(Vergadering.begin >= van, Vergadering.begin < tot)
        .order_by(Vergadering.begin, Vergadering.id)).all()
    if not meetings:
        return []
    # By the meetings' ids (index on agendapunt.vergadering_id), in chunks: a join on the
    # meeting's start made SQLite walk every agenda item of every year (300 ms at 400 bodies).
    ids = sorted(v.id for v in meetings)
    rows: list[Any] = []
    for start in range(0, len(ids), _CHUNK):
        rows.extend(session.execute(
            select(Agendapunt.vergadering_id, Agendapunt.rol, Agendapunt.status,
                   Agendapunt.nagekomen, Voorstel.id, Voorstel.kenmerk, Voorstel.titel,
                   Voorstel.opsteller)
            .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
            .where(Agendapunt.vergadering_id.in_(ids[start:start + _CHUNK]),
                   Agendapunt.status.in_(("gepland", "geagendeerd")))
            .order_by(Agendapunt.vergadering_id, Voorstel.kenmerk)).all())
    documenten = _documenten(session, sorted({r[4] for r in rows}))
    punten: dict[int, list[Punt]] = {}
    for verg_id, rol, status, nagekomen, voorstel_id, kenmerk, titel, opsteller in rows:
        docs = None if documenten is None else documenten.get(voorstel_id, ())
        punten.setdefault(verg_id, []).append(
            Punt(kenmerk, titel, opsteller, rol, status, bool(nagekomen), docs))
    verzonden = _agenda_verzonden(session, ids)
    return [Bijeenkomst(v.sleutel, v.orgaan, v.begin, v.plaats, v.geannuleerd,
                        tuple(punten.get(v.id, ())), verzonden.get(v.id)) for v in meetings]


def _agenda_verzonden(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Per meeting, when its agenda first went to the members (the dispatch log)."""
    from sqlalchemy import func, inspect, select

    from workflow.berichten import agendapost
    from workflow.opslag.models import Agendaverzending, Vergadering

    if not inspect(session.connection()).has_table("agendaverzending"):
        return {}
    result: dict[int, datetime] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        # Only a dispatch whose mails are (on their way) out counts; one whose mails all
        # lapsed (the meeting moved before they went) is sent again in the new cycle.
        levend = set(session.scalars(
            select(Vergadering.id).where(Vergadering.id.in_(chunk),
                                         agendapost.agenda_verstuurd())))
        if not levend:
            continue
        for verg_id, eerste in session.execute(
                select(Agendaverzending.vergadering_id, func.min(Agendaverzending.verzonden_op))
                .where(Agendaverzending.vergadering_id.in_(sorted(levend)))
                .group_by(Agendaverzending.vergadering_id)):
            result[verg_id] = eerste if eerste.tzinfo else eerste.replace(tzinfo=UTC)
    return result


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


def _lapse_stale(session: Session) -> int:
    """Pending messages of a meeting that was cancelled or moved since: vervallen.

    Reads only the columns it compares (not every pending message's text) and lapses in bulk;
    a row a sender claimed meanwhile is left alone (status checked in the UPDATE)."""
    from sqlalchemy import select, update

    from workflow.opslag.models import Vergadering

    Bericht = uitgaand.Bericht
    pending = session.execute(select(Bericht.id, Bericht.soort, Bericht.vergadering,
                                     Bericht.vergadering_begin).where(
        Bericht.status == uitgaand.Status.WACHTEND.value, Bericht.vergadering.is_not(None))).all()
    if not pending:
        return 0
    keys = sorted({r.vergadering for r in pending if r.vergadering})
    current: dict[str, tuple[datetime, bool]] = {}
    for start in range(0, len(keys), _CHUNK):
        for sleutel, begin, geannuleerd in session.execute(
                select(Vergadering.sleutel, Vergadering.begin, Vergadering.geannuleerd)
                .where(Vergadering.sleutel.in_(keys[start:start + _CHUNK]))):
            current[sleutel] = (begin, geannuleerd)
    stale = []
    for r in pending:
        v = current.get(r.vergadering or "")
        if v is not None and r.soort == herinneringen.Soort.AANVULLING.value \
                and v[0] == r.vergadering_begin:
            continue  # made after the change it reports (such as the cancellation itself)
        if v is None or v[1] or v[0] != r.vergadering_begin:
            stale.append(r.id)
            log.info("vervallen: bericht %d (%s): vergadering %s verplaatst of geannuleerd",
                     r.id, r.soort, r.vergadering)
    count = 0
    for start in range(0, len(stale), _CHUNK):
        result = session.execute(
            update(Bericht).where(Bericht.id.in_(stale[start:start + _CHUNK]),
                                  Bericht.status == uitgaand.Status.WACHTEND.value)
            .values(status=uitgaand.Status.VERVALLEN.value,
                    laatste_fout="vergadering verplaatst of geannuleerd voor verzending")
            .execution_options(synchronize_session=False))
        count += result.rowcount  # type: ignore[attr-defined]
    return count


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


def _overgeslagen(env: Omgeving, session: Session, nu: datetime) -> list[dict[str, Any]]:
    """Messages recorded as skipped in the last two weeks, for the weekly overviews."""
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering

    Bericht = uitgaand.Bericht
    rows = session.execute(
        select(Bericht.id, Bericht.sleutel, Bericht.soort, Bericht.aan, Bericht.volgende_poging,
               Bericht.laatste_fout, Vergadering.orgaan, Vergadering.begin)
        .join(Vergadering, Vergadering.sleutel == Bericht.vergadering)
        .where(Bericht.status == uitgaand.Status.OVERGESLAGEN.value,
               Bericht.volgende_poging >= nu - timedelta(days=15))).all()
    result = []
    for r in rows:
        moment = _moment_uit_fout(r.laatste_fout) or r.volgende_poging
        orgaan = env.definities.organen.get(r.orgaan)
        result.append({"id": r.id, "sleutel": r.sleutel, "soort": r.soort, "aan": r.aan,
                       "orgaan": r.orgaan, "orgaan_naam": orgaan.naam if orgaan else r.orgaan,
                       "vastgelegd": r.volgende_poging.astimezone(UTC),
                       "moment": moment.astimezone(clock.TZ),
                       "vergadering_begin": r.begin.astimezone(clock.TZ)})
    return result


_GEMIST_PREFIX = "niet verzonden: er liep geen ronde tussen het moment ("


def _moment_uit_fout(fout: str | None) -> datetime | None:
    if not fout or not fout.startswith(_GEMIST_PREFIX):
        return None
    try:
        return datetime.fromisoformat(fout[len(_GEMIST_PREFIX):].split(")")[0])
    except ValueError:
        return None


def _gemist_bericht(h: Herinnering) -> tuple[str, str, str]:
    """A skipped message is recorded, not rendered: (subject, text, html) saying what it was."""
    import html as html_lib

    from workflow.basis.tekst import datum_tijd

    ctx = h.context.get("vergadering", {})
    wat = f"{h.soort.value} aan {h.aan.naam}"
    if isinstance(ctx, dict) and "orgaan" in ctx:
        wat += f" voor {ctx['orgaan']} van {datum_tijd(ctx['begin'])}"
    tekst = (f"Dit bericht ({wat}) is niet verzonden: op het moment "
             f"{datum_tijd(h.moment)} en in de termijn daarna draaide er geen ronde.\n"
             "Met 'besluitroute berichten opnieuw ID' kan het alsnog (de inhoud wordt dan niet "
             "opnieuw opgebouwd).\n")
    return (f"Niet verzonden: {wat}", tekst,
            f"<p>{html_lib.escape(tekst)}</p>")


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


def maak_herinneringen(env: Omgeving, inhaal: timedelta = STANDAARD_INHAALTERMIJN,
                       publicaties: Sequence[tuple[str, str]] = ()) -> Rondeverslag:
    """Write every reminder due now into the outbox, in one transaction; each key once.

    The agenda itself, and the aanvulling after a change, are made per meeting (agendapost);
    a reminder whose whole window fell between two passes is recorded as skipped."""

    nu = clock.now()
    verslag = Rondeverslag()
    van = uitgaand.afzender(env.config)
    with env.db.schrijf() as session:
        vorige = _vorige_ronde(session, nu)
        meetings = laad_bijeenkomsten(session, nu - TERUG - inhaal, nu + VOORUIT)
        verslag.vervallen = _lapse_stale(session)
        mislukt = [herinneringen.Mislukt(b.id, b.soort, b.aan, b.onderwerp, b.laatste_fout or "",
                                         b.mislukt_op or nu, orgaan)
                   for b, orgaan in uitgaand.mislukt_sinds(session, nu - timedelta(days=7) - inhaal)]
        if vorige is not None and vorige < nu:
            gemist = herinneringen.gemist(env.definities, meetings, vorige, nu, inhaal)
            existing = uitgaand.bestaande_sleutels(session, [h.sleutel for h in gemist])
            for h in gemist:
                if h.sleutel in existing:
                    continue
                onderwerp, tekst, html = _gemist_bericht(h)
                uitgaand.nieuw_bericht(
                    session, sleutel=h.sleutel, soort=h.soort.value, aan=[h.aan.email],
                    onderwerp=onderwerp, tekst=tekst, html=html, msgid_domein=uitgaand.domein(van),
                    vergadering=h.vergadering, vergadering_begin=h.begin,
                    status=uitgaand.Status.OVERGESLAGEN.value,
                    fout=f"{_GEMIST_PREFIX}{h.moment.isoformat()}) en het einde van zijn "
                         f"termijn; vorige ronde {vorige.isoformat()}")
                log.warning("overgeslagen (geen ronde in de termijn): %s", h.sleutel)
        # This week's and last week's overviews already made (a secretary's week may start
        # before or after `nu`'s Monday): they are not composed again.
        gemaakt = uitgaand.sleutels_met_voorvoegsel(session, herinneringen.weekvoorvoegsel(nu)) \
            | uitgaand.sleutels_met_voorvoegsel(
                session, herinneringen.weekvoorvoegsel(nu - timedelta(days=7)))
        due = herinneringen.verschuldigd(env.definities, meetings, nu, inhaal, mislukt,
                                         _overgeslagen(env, session, nu), publicaties, gemaakt)
        existing = uitgaand.bestaande_sleutels(session, [h.sleutel for h in due])
        agendas: dict[str, list[Herinnering]] = {}
        for h in due:
            if h.soort is herinneringen.Soort.AGENDA:
                agendas.setdefault(h.vergadering or "", []).append(h)
                continue
            if h.sleutel in existing:
                continue
            onderwerp, tekst, html = render_bericht(env, h)
            afzender = afzender_voor(env, _orgaan_van(h, env))
            if uitgaand.nieuw_bericht(session, sleutel=h.sleutel, soort=h.soort.value,
                                  aan=[h.aan.email], onderwerp=onderwerp, tekst=tekst,
                                  html=html, msgid_domein=uitgaand.domein(afzender or van),
                                  vergadering=h.vergadering, vergadering_begin=h.begin,
                                  afzender=afzender):
                verslag.aangemaakt += 1
                log.info("aangemaakt: %s", h.sleutel)
        from workflow.berichten import agendapost

        verslag.aangemaakt += agendapost.verstuur(env, session, nu, agendas, van)
    return verslag


def ronde(env: Omgeving, inhaal: timedelta = STANDAARD_INHAALTERMIJN) -> Rondeverslag:
    """One pass: publish what is due (Woo, idempotent), create what is due, then send what is
    pending."""
    from workflow.openbaarheid import publiceren

    nu = clock.now()  # the weekly overview warns about what was overdue before this pass
    publicaties = publiceren.waarschuwingen_per_orgaan(env, nu) \
        if herinneringen.weekoverzicht_open(env.definities, nu, inhaal) else []
    gepubliceerd = publiceren.publiceer(env, nu)
    verslag = maak_herinneringen(env, inhaal, publicaties)
    verslag.gepubliceerd = gepubliceerd
    verzonden = uitgaand.verstuur_wachtende(env.db, uitgaand.transport_voor(env.config, env.uitgaand_map),
                                        uitgaand.afzender(env.config))
    verslag.verzonden, verslag.uitgesteld, verslag.mislukt = \
        verzonden.verzonden, verzonden.uitgesteld, verzonden.mislukt
    return verslag
