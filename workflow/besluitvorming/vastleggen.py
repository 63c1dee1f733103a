"""The database edge of attendance, quorum and votes: record a presentielijst, load what was
recorded for a meeting, and the check `voorstel besluit` runs before it records a decision.

The members are those of the definitions version that applied at the meeting's start (the
latest applied before it), so a member who left the body later still counts for an old meeting.
A presentielijst can be corrected (a new version) until the decision list is fixed: a decision
list is adopted (vastgesteld) at the body's next meeting, so corrections end when that begins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.basis.tekst import citeer, datum, datum_tijd
from workflow.besluitvorming import quorum, stemming
from workflow.besluitvorming.aanwezigheid import (
    MAX_NAAM,
    Aanwezigheid,
    Hoedanigheid,
    Opgave,
    regel,
    stel_vast,
)
from workflow.besluitvorming.model import Presentie, Presentielijst, Stemming
from workflow.definities.model import BESLUIT_UITKOMSTEN, Lid, LidRol, Orgaan
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Vergadering, Voorstel


@dataclass(frozen=True)
class Vastgelegd:
    vergadering: Vergadering
    orgaan: Orgaan
    versie: int
    aanwezigheid: Aanwezigheid
    toets: quorum.Toets


def orgaan_op(env: Omgeving, session: Session, vergadering: Vergadering) -> Orgaan:
    """The body as the definitions had it when the meeting began (else as they are now)."""
    from workflow.definities import versies

    huidig = env.definities.orgaan(vergadering.orgaan)
    koppen = [k for k in versies.koppen(session) if k.toegepast_op <= vergadering.begin]
    if not koppen or koppen[0].nummer == env.versie:
        return huidig
    toen = versies.definities_van(env, koppen[0]).organen.get(vergadering.orgaan)
    return toen if toen is not None else huidig


def vastgesteld_op(env: Omgeving, session: Session, vergadering: Vergadering) -> datetime | None:
    """When the meeting's decision list is (or will be) fixed: the start of the body's next
    meeting; None while the body has none planned."""
    volgende = vergaderingen.volgende(session, env.definities.orgaan(vergadering.orgaan),
                                      vergadering.begin)
    return volgende.begin if volgende is not None else None


def _check_open(env: Omgeving, session: Session, vergadering: Vergadering, orgaan: Orgaan) -> None:
    if vergadering.geannuleerd:
        raise GebruikersFout(f"de vergadering van {orgaan.naam} van {datum(vergadering.begin)} "
                             "is geannuleerd")
    opens = datetime.combine(clock.local(vergadering.begin).date(), time(0), clock.TZ)
    nu = clock.now()
    if nu < opens:
        raise GebruikersFout(f"de aanwezigheid van de vergadering van {orgaan.naam} van "
                             f"{datum(vergadering.begin)} kan pas vanaf die dag worden vastgelegd")
    vast = vastgesteld_op(env, session, vergadering)
    if vast is not None and nu >= vast:
        raise GebruikersFout(f"de besluitenlijst van {orgaan.naam} van {datum(vergadering.begin)} "
                             f"is vastgesteld (in de vergadering van {datum_tijd(vast)}); de "
                             "aanwezigheid kan niet meer worden gewijzigd")


def _herhaalt(env: Omgeving, session: Session, vergadering: Vergadering, orgaan: Orgaan,
              herhaalt: int | None) -> int | None:
    """Check `--herhaalt`: an earlier meeting of the same body whose attendance lacked a quorum."""
    if herhaalt is None:
        return None
    eerste = vergaderingen.haal(session, herhaalt)
    if eerste.orgaan != vergadering.orgaan or eerste.begin >= vergadering.begin:
        raise GebruikersFout(f"--herhaalt {herhaalt}: noem een eerdere vergadering van "
                             f"{orgaan.naam}")
    eerdere = aanwezigheid_van(env, session, eerste)
    if eerdere is None or quorum.toets(orgaan_op(env, session, eerste), eerdere).gehaald:
        raise GebruikersFout(f"--herhaalt {herhaalt}: die vergadering van {datum(eerste.begin)} "
                             "had geen vastgelegd tekort aan aanwezigen")
    return eerste.id


def leg_vast(env: Omgeving, vergadering_id: int, opgaven: Sequence[Opgave], *, door: str,
             herhaalt: int | None = None) -> Vastgelegd:
    """Record (or correct) who attended meeting `vergadering_id`: a new version of its list."""
    door = regel(door, "de naam bij --door", MAX_NAAM)
    with env.db.schrijf() as session:
        vergadering = vergaderingen.haal(session, vergadering_id)
        orgaan = orgaan_op(env, session, vergadering)
        _check_open(env, session, vergadering, orgaan)
        aanwezigheid = stel_vast(orgaan, orgaan.leden, opgaven)
        herhaalt_id = _herhaalt(env, session, vergadering, orgaan, herhaalt)
        _check_recorded(session, vergadering, orgaan, aanwezigheid, herhaalt_id)
        versie = (session.scalar(select(func.max(Presentielijst.versie)).where(
            Presentielijst.vergadering_id == vergadering.id)) or 0) + 1
        lijst = Presentielijst(
            vergadering_id=vergadering.id, versie=versie, door=door, tijdstip=clock.now(),
            geregistreerd_op=clock.real_now(),
            herhaalt_vergadering_id=herhaalt_id)
        lijst.regels = [Presentie(hoedanigheid=Hoedanigheid.AANWEZIG.value, naam=lid.naam)
                        for lid in aanwezigheid.aanwezig]
        lijst.regels += [Presentie(hoedanigheid=Hoedanigheid.VERVANGER.value, naam=v.vervanger,
                                   namens=v.lid.naam) for v in aanwezigheid.vervangen]
        lijst.regels += [Presentie(hoedanigheid=Hoedanigheid.AFWEZIG.value, naam=a.lid.naam,
                                   reden=a.reden or None) for a in aanwezigheid.afwezig]
        session.add(lijst)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"de aanwezigheid van vergadering {vergadering.id} is tegelijk door "
                           "iemand anders gewijzigd; bekijk hem en probeer het opnieuw") from None
        return Vastgelegd(vergadering, orgaan, versie, aanwezigheid,
                          quorum.toets(orgaan, aanwezigheid))


def _check_recorded(session: Session, vergadering: Vergadering, orgaan: Orgaan,
                    aanwezigheid: Aanwezigheid, herhaalt_id: int | None) -> None:
    """A correction may not take away a voter of a recorded vote, nor the quorum of a decision
    already recorded at this meeting."""
    laatste: dict[tuple[int, int], Stemming] = {}
    for s in session.scalars(select(Stemming).where(Stemming.vergadering_id == vergadering.id)
                             .order_by(Stemming.versie)):
        laatste[(s.voorstel_id, s.beslispunt)] = s
    for (voorstel_id, nummer), s in sorted(laatste.items()):
        for stem in s.stemmen:
            gevonden = aanwezigheid.stemmer(stem.door_naam)
            if gevonden is None or gevonden[0].naam != stem.lid:
                raise GebruikersFout(f"{citeer(stem.door_naam)} stemde over beslispunt {nummer} "
                                     f"van voorstel {_kenmerk(session, voorstel_id)} en moet op "
                                     "de presentielijst blijven; leg die stemming eerst opnieuw "
                                     "vast")
    besloten = session.scalars(select(Agendapunt.voorstel_id).where(
        Agendapunt.vergadering_id == vergadering.id, Agendapunt.status == "behandeld",
        Agendapunt.uitkomst.in_([u.value for u in BESLUIT_UITKOMSTEN])))
    for voorstel_id in besloten:
        herhaald = herhaalt_id is not None and session.scalar(select(Agendapunt.id).where(
            Agendapunt.vergadering_id == herhaalt_id,
            Agendapunt.voorstel_id == voorstel_id).limit(1)) is not None
        toets = quorum.toets(orgaan, aanwezigheid, herhaalde_vergadering=herhaald)
        if not toets.gehaald:
            raise GebruikersFout(f"over voorstel {_kenmerk(session, voorstel_id)} is in deze "
                                 f"vergadering besloten; met deze aanwezigheid kon dat niet: "
                                 f"{toets.melding}")


def _kenmerk(session: Session, voorstel_id: int) -> str:
    voorstel = session.get(Voorstel, voorstel_id)
    return voorstel.kenmerk if voorstel is not None else str(voorstel_id)


@dataclass(frozen=True)
class Versie:
    """One recorded version of a presentielijst, for `vergadering aanwezig ID` without changes."""

    versie: int
    door: str
    tijdstip: datetime
    aanwezigheid: Aanwezigheid


def versies(env: Omgeving, vergadering_id: int) -> tuple[Vergadering, Orgaan, list[Versie]]:
    """Every recorded version of a meeting's attendance, oldest first: its history."""
    with env.db.lees() as session:
        vergadering = vergaderingen.haal(session, vergadering_id)
        orgaan = orgaan_op(env, session, vergadering)
        lijsten = session.scalars(select(Presentielijst).where(
            Presentielijst.vergadering_id == vergadering_id).order_by(Presentielijst.versie))
        result = [Versie(lijst.versie, lijst.door, lijst.tijdstip,
                         stel_vast(orgaan, _leden_uit(orgaan, lijst), opgaven(lijst)))
                  for lijst in lijsten]
        return vergadering, orgaan, result


def huidige_lijst(session: Session, vergadering_id: int) -> Presentielijst | None:
    return session.scalar(select(Presentielijst).where(
        Presentielijst.vergadering_id == vergadering_id)
        .order_by(Presentielijst.versie.desc()).limit(1))


def opgaven(lijst: Presentielijst) -> list[Opgave]:
    return [Opgave(Hoedanigheid(r.hoedanigheid), r.naam, r.namens, r.reden) for r in lijst.regels]


def aanwezigheid_van(env: Omgeving, session: Session, vergadering: Vergadering
                     ) -> Aanwezigheid | None:
    """The attendance last recorded for `vergadering`, None when none was."""
    lijst = huidige_lijst(session, vergadering.id)
    if lijst is None:
        return None
    orgaan = orgaan_op(env, session, vergadering)
    try:
        return stel_vast(orgaan, orgaan.leden, opgaven(lijst))
    except GebruikersFout:
        # A member renamed in a later definitions version: show what was recorded as it was.
        return stel_vast(orgaan, _leden_uit(orgaan, lijst), opgaven(lijst))


def _leden_uit(orgaan: Orgaan, lijst: Presentielijst) -> list[Lid]:
    """The members a stored list names, for a list the definitions no longer match."""
    bekend = {lid.naam: lid for lid in orgaan.leden}
    namen = [r.namens or r.naam if r.hoedanigheid == Hoedanigheid.VERVANGER else r.naam
             for r in lijst.regels]
    return [bekend.get(n) or Lid(n, "", LidRol.LID, "") for n in namen]


def presentie(env: Omgeving, session: Session, vergadering: Vergadering
              ) -> tuple[Aanwezigheid | None, quorum.Toets | None]:
    """The recorded attendance of `vergadering` and the quorum it gives (None, None: none)."""
    aanwezigheid = aanwezigheid_van(env, session, vergadering)
    if aanwezigheid is None:
        return None, None
    return aanwezigheid, quorum.toets(orgaan_op(env, session, vergadering), aanwezigheid)


def toets_voor(env: Omgeving, session: Session, vergadering: Vergadering, voorstel_id: int
               ) -> tuple[Aanwezigheid, quorum.Toets] | None:
    """The quorum at `vergadering` for a decision on proposal `voorstel_id`; None without a
    recorded attendance."""
    lijst = huidige_lijst(session, vergadering.id)
    aanwezigheid = aanwezigheid_van(env, session, vergadering)
    if lijst is None or aanwezigheid is None:
        return None
    herhaald = lijst.herhaalt_vergadering_id is not None and session.scalar(
        select(Agendapunt.id).where(Agendapunt.vergadering_id == lijst.herhaalt_vergadering_id,
                                    Agendapunt.voorstel_id == voorstel_id).limit(1)) is not None
    orgaan = orgaan_op(env, session, vergadering)
    return aanwezigheid, quorum.toets(orgaan, aanwezigheid, herhaalde_vergadering=herhaald)


def vereis_quorum(env: Omgeving, session: Session, vergadering: Vergadering, voorstel_id: int,
                  wat: str) -> None:
    """Refuse `wat` (het besluit, de stemming) at a meeting whose attendance lacks the quorum."""
    gevonden = toets_voor(env, session, vergadering, voorstel_id)
    if gevonden is not None and not gevonden[1].gehaald:
        orgaan = env.definities.orgaan(vergadering.orgaan)
        raise GebruikersFout(f"{orgaan.genoemd()} kan niet besluiten: {gevonden[1].melding}; "
                             f"{wat} is niet vastgelegd")


def laatste_stemmingen(session: Session, vergadering_ids: Iterable[int],
                       voorstel_ids: Iterable[int]) -> dict[tuple[int, int, int], Stemming]:
    """The last recorded vote per (meeting, proposal, beslispunt)."""
    v_ids, p_ids = sorted(set(vergadering_ids)), sorted(set(voorstel_ids))
    result: dict[tuple[int, int, int], Stemming] = {}
    if not v_ids or not p_ids:
        return result
    for s in session.scalars(select(Stemming).where(
            Stemming.vergadering_id.in_(v_ids), Stemming.voorstel_id.in_(p_ids))
            .order_by(Stemming.versie)):
        result[(s.vergadering_id, s.voorstel_id, s.beslispunt)] = s
    return result


def controleer_besluit(env: Omgeving, session: Session, vergadering: Vergadering,
                       voorstel_id: int, besluiten: dict[int, str]) -> None:
    """Before `voorstel besluit` records: the quorum, and every beslispunt agrees with its votes
    (a tie at a meeting that was not full postpones the decision, Gemeentewet art. 32)."""
    vereis_quorum(env, session, vergadering, voorstel_id, "het besluit")
    stemmingen = laatste_stemmingen(session, [vergadering.id], [voorstel_id])
    for nummer, besluit in sorted(besluiten.items()):
        s = stemmingen.get((vergadering.id, voorstel_id, nummer))
        if s is None:
            continue
        uitslag = stemming.omschrijving(s.uitslag, s.voor, s.tegen, s.zonder_stemming)
        if s.uitslag == stemming.Uitslag.STAKEN:
            _staken(session, vergadering, voorstel_id, nummer, besluit, s)
        elif not stemming.past_bij(besluit, s.uitslag):
            raise GebruikersFout(f"beslispunt {nummer} is volgens de stemming {uitslag}; het "
                                 f"besluit '{besluit}' spreekt dat tegen")


def _staken(session: Session, vergadering: Vergadering, voorstel_id: int, nummer: int,
            besluit: str, s: Stemming) -> None:
    """A tie (Gemeentewet art. 32): at a full meeting, or the second time, the point is not
    adopted; otherwise the decision waits for the next meeting."""
    tweede = _staakte_eerder(session, vergadering, voorstel_id, nummer)
    if not s.voltallig and not tweede:
        raise GebruikersFout(f"over beslispunt {nummer} staakten de stemmen in een niet "
                             "voltallige vergadering: de beslissing wordt uitgesteld tot de "
                             "volgende vergadering (Gemeentewet art. 32); leg 'voorstel "
                             "aanhouden' vast")
    if besluit != "verworpen":
        waar = "voor de tweede keer" if tweede else "in een voltallige vergadering"
        raise GebruikersFout(f"over beslispunt {nummer} staakten de stemmen {waar} ({s.voor} "
                             f"tegen {s.tegen}): het is niet aangenomen (Gemeentewet art. 32); "
                             f"het besluit '{besluit}' spreekt dat tegen")


def _staakte_eerder(session: Session, vergadering: Vergadering, voorstel_id: int,
                    nummer: int) -> bool:
    """A tie on this beslispunt at an earlier meeting: the second tie rejects it."""
    eerder = session.scalars(select(Stemming).join(
        Vergadering, Stemming.vergadering_id == Vergadering.id).where(
        Stemming.voorstel_id == voorstel_id, Stemming.beslispunt == nummer,
        Vergadering.begin < vergadering.begin).order_by(Stemming.versie))
    laatste: dict[int, str] = {s.vergadering_id: s.uitslag for s in eerder}
    return stemming.Uitslag.STAKEN.value in laatste.values()


def stemregel(s: Stemming) -> stemming.Stemregel:
    """A recorded vote as a decision list shows it."""
    def wie(keuze: stemming.Keuze) -> tuple[str, ...]:
        return tuple((x.lid if x.door_naam == x.lid else f"{x.door_naam} namens {x.lid}")
                     + f" ({x.gewicht})" for x in s.stemmen if x.keuze == keuze.value)

    return stemming.Stemregel(
        uitslag=stemming.omschrijving(s.uitslag, s.voor, s.tegen, s.zonder_stemming),
        voor=wie(stemming.Keuze.VOOR), tegen=wie(stemming.Keuze.TEGEN),
        onthouden=wie(stemming.Keuze.ONTHOUDEN))


def stemregels(session: Session, vergadering_id: int, voorstel_ids: Iterable[int]
               ) -> dict[tuple[int, int], stemming.Stemregel]:
    """Per (proposal, beslispunt) its last recorded vote at meeting `vergadering_id`."""
    return {(v, n): stemregel(s) for (_, v, n), s in
            laatste_stemmingen(session, [vergadering_id], voorstel_ids).items()}


def stemmingen_van(session: Session, voorstel_id: int) -> dict[int, tuple[int, stemming.Stemregel]]:
    """Per beslispunt of a proposal its last recorded vote (the latest meeting's last version),
    with the meeting's id."""
    rijen = session.scalars(select(Stemming).join(
        Vergadering, Stemming.vergadering_id == Vergadering.id)
        .where(Stemming.voorstel_id == voorstel_id)
        .order_by(Vergadering.begin, Stemming.versie))
    return {s.beslispunt: (s.vergadering_id, stemregel(s)) for s in rijen}
