"""Moving, cancelling and adding meetings, and what that means for the proposals on them.

`vergadering verplaats / annuleer / toevoegen`, and the same for a move or cancellation found in
the definities (synchroniseer): history gets a row per proposal on the meeting, and the proposals
are re-planned with workflow.voorstellen.herplanning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum, datum_tijd
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
from workflow.voorstellen import takken
from workflow.voorstellen.herplanning import (
    ANNULEREN,
    GEAGENDEERD,
    GEPLAND,
    HERPLANNEN,
    VERPLAATSEN,
    VERVALLEN,
    herplan_voorstel,
)


@dataclass(frozen=True)
class Wijziging:
    """What moving or cancelling a meeting did."""

    vergadering: Vergadering
    omschrijving: str
    gevolgen: list[str]


def _affected(session: Session, vergadering: Vergadering) -> list[tuple[Voorstel, Agendapunt]]:
    rows = session.execute(
        select(Voorstel, Agendapunt).join(Agendapunt, Agendapunt.voorstel_id == Voorstel.id)
        .where(Agendapunt.vergadering_id == vergadering.id,
               Agendapunt.status.in_((GEPLAND, GEAGENDEERD)))
        .order_by(Voorstel.kenmerk)).all()
    return [(v, a) for v, a in rows]


def _is_planned(session: Session, voorstel: Voorstel) -> bool:
    return session.scalar(select(Agendapunt.id).where(
        Agendapunt.voorstel_id == voorstel.id, Agendapunt.status == GEPLAND).limit(1)) is not None


def _check_changeable(vergadering: Vergadering, naam: str, nu: datetime) -> None:
    if vergadering.geannuleerd:
        raise GebruikersFout(f"vergadering {vergadering.id} van {naam} op "
                             f"{datum(vergadering.begin)} is geannuleerd")
    if vergadering.begin <= nu:
        raise GebruikersFout(f"vergadering {vergadering.id} van {naam} op "
                             f"{datum_tijd(vergadering.begin)} is al geweest")


def verplaats(env: Omgeving, vergadering_id: int, naar: datetime, *, door: str) -> Wijziging:
    """Move a meeting (it keeps its identity and calendar UID) and re-plan affected proposals."""
    from workflow.voorstellen.kern import regel_tekst

    door = regel_tekst(door, "de naam bij --door", required=True, max_len=200)
    nu = clock.now()
    with env.db.schrijf() as session:
        vergadering = vergaderingen.haal(session, vergadering_id)
        orgaan = env.definities.orgaan(vergadering.orgaan)
        _check_changeable(vergadering, orgaan.naam, nu)
        if naar <= nu:
            raise GebruikersFout(f"{datum_tijd(naar)} ligt in het verleden")
        clash = session.scalar(select(Vergadering).where(
            Vergadering.orgaan == orgaan.sleutel, Vergadering.begin == naar,
            Vergadering.id != vergadering.id, Vergadering.geannuleerd.is_(False)))
        if clash is not None:
            raise GebruikersFout(f"{orgaan.naam} vergadert al op {datum_tijd(naar)} "
                                 f"(vergadering {clash.id})")
        oud = vergadering.begin
        vergadering.begin = naar
        vergadering.handmatig = True
        vergadering.volgnummer += 1
        omschrijving = (f"vergadering {vergadering.id} van {orgaan.naam} verplaatst van "
                        f"{datum_tijd(oud)} naar {datum_tijd(naar)}")
        gevolgen = _na_verplaatsing(env, session, vergadering, omschrijving, door, nu,
                                    vermelding=_verplaatst(orgaan.naam, oud, naar))
        return Wijziging(vergadering, omschrijving,
                         gevolgen + takken.herplan_raad(env, session, orgaan.sleutel, door))


def _verplaatst(naam: str, oud: datetime, nieuw: datetime, bron: str = "") -> str:
    """The history line of a move: 'vergadering AOJ van 14 december 2026 verplaatst naar ...'."""
    return f"vergadering {naam} van {datum(oud)} verplaatst{bron} naar {datum_tijd(nieuw)}"


def _na_verplaatsing(env: Omgeving, session: Session, vergadering: Vergadering,
                     omschrijving: str, door: str, nu: datetime, *, vermelding: str
                     ) -> list[str]:
    """Record the move with every affected proposal (its own history row, `vermelding`, without
    internal ids) and re-plan their later steps. `omschrijving` is the line for the CLI."""
    from workflow.voorstellen import kern

    gevolgen: list[str] = []
    for voorstel, _item in _affected(session, vergadering):
        kern.leg_vast(session, voorstel, VERPLAATSEN, door, van=voorstel.toestand,
                            naar=voorstel.toestand, vergadering_id=vergadering.id,
                            tekst=vermelding, definities=env.definities)
        voorstel.gewijzigd_op = nu
        gevolgen.append(f"{voorstel.kenmerk}: {omschrijving}")
        gevolgen += herplan_voorstel(env, session, voorstel, door, "vergadering verplaatst")
    return gevolgen


def annuleer(env: Omgeving, vergadering_id: int, *, door: str) -> Wijziging:
    """Cancel a meeting: its proposals move to the body's next meeting, plans are re-planned."""
    from workflow.voorstellen.kern import regel_tekst

    door = regel_tekst(door, "de naam bij --door", required=True, max_len=200)
    nu = clock.now()
    with env.db.schrijf() as session:
        vergadering = vergaderingen.haal(session, vergadering_id)
        orgaan = env.definities.orgaan(vergadering.orgaan)
        _check_changeable(vergadering, orgaan.naam, nu)
        vergadering.geannuleerd = True
        vergadering.handmatig = True
        vergadering.volgnummer += 1
        session.flush()
        omschrijving = (f"vergadering {vergadering.id} van {orgaan.naam} op "
                        f"{datum_tijd(vergadering.begin)} geannuleerd")
        vermelding = f"vergadering {orgaan.naam} van {datum_tijd(vergadering.begin)} geannuleerd"
        gevolgen = _na_annulering(env, session, vergadering, omschrijving, door, nu,
                                  strikt=True, vermelding=vermelding)
        return Wijziging(vergadering, omschrijving,
                         gevolgen + takken.herplan_raad(env, session, orgaan.sleutel, door))


def voeg_toe(env: Omgeving, orgaan_sleutel: str, begin: datetime, *, plaats: str | None,
             titel: str | None, door: str) -> Vergadering:
    """An extra one-off meeting, added by the secretariat (never touched by the definitions)."""
    nu = clock.now()
    orgaan = env.definities.orgaan(orgaan_sleutel)
    if begin <= nu:
        raise GebruikersFout(f"{datum_tijd(begin)} ligt in het verleden")
    with env.db.schrijf() as session:
        clash = session.scalar(select(Vergadering).where(
            Vergadering.orgaan == orgaan.sleutel, Vergadering.begin == begin,
            Vergadering.geannuleerd.is_(False)))
        if clash is not None:
            raise GebruikersFout(f"{orgaan.naam} vergadert al op {datum_tijd(begin)} "
                                 f"(vergadering {clash.id})")
        basis = f"{orgaan.sleutel}-{begin.astimezone(clock.TZ):%Y%m%d}-extra"
        sleutel, n = basis, 1
        while session.scalar(select(Vergadering.id).where(Vergadering.sleutel == sleutel)):
            n += 1
            sleutel = f"{basis}-{n}"
        opmerking = f"{titel.strip() if titel and titel.strip() else 'extra vergadering'} " \
                    f"(toegevoegd door {door} op {datum(nu)})"
        vergadering = Vergadering(
            sleutel=sleutel, orgaan=orgaan.sleutel, begin=begin, oorspronkelijk_begin=begin,
            plaats=(plaats or "").strip() or orgaan.standaard_plaats, geannuleerd=False,
            opmerking=opmerking, handmatig=True, volgnummer=0)
        session.add(vergadering)
        session.flush()
        return vergadering


def _na_annulering(env: Omgeving, session: Session, vergadering: Vergadering, omschrijving: str,
                   door: str, nu: datetime, *, strikt: bool, vermelding: str) -> list[str]:
    """Move the proposals on a cancelled meeting to the body's next one; re-plan later steps.

    Each affected proposal first gets its own history row for the cancellation (`vermelding`,
    without internal ids); `omschrijving` is the line for the CLI.
    `strikt` (the secretariat's own act): refuse when the body has no next meeting. From the
    definitions there is nobody to refuse: the proposal stays and its history says why.
    """
    from workflow.voorstellen import kern

    orgaan = env.definities.orgaan(vergadering.orgaan)
    gevolgen: list[str] = []
    affected = _affected(session, vergadering)
    planned = {voorstel.id: _is_planned(session, voorstel) for voorstel, _ in affected}
    for _voorstel, item in affected:
        item.status = VERVALLEN
    for voorstel, item in affected:
        kern.leg_vast(session, voorstel, ANNULEREN, door, van=voorstel.toestand,
                            naar=voorstel.toestand, vergadering_id=vergadering.id,
                            tekst=vermelding, definities=env.definities)
        if voorstel.vergadering_id == vergadering.id:
            volgende = vergaderingen.volgende(session, orgaan, max(vergadering.begin, nu))
            if volgende is None and strikt:
                raise GebruikersFout(
                    f"voorstel {voorstel.kenmerk} staat op deze vergadering en {orgaan.naam} "
                    f"heeft geen volgende vergadering; voeg er eerst een toe")
            if volgende is None:
                item.status = GEAGENDEERD
                rest = (f"{orgaan.naam} heeft geen volgende vergadering: voeg er een toe met "
                        "'besluitroute vergadering toevoegen'")
                kern.leg_vast(session, voorstel, HERPLANNEN, door,
                                    van=voorstel.toestand, naar=voorstel.toestand,
                                    vergadering_id=vergadering.id, tekst=rest,
                                    definities=env.definities)
                gevolgen.append(f"{voorstel.kenmerk}: {omschrijving}; {rest}")
                continue
            stap = env.routes.machine(voorstel.route).route.stap(item.stap)
            kern.zet_op_agenda(session, voorstel, volgende, stap.id, stap.rol,
                               nagekomen=False)
            rest = f"naar de volgende vergadering, {datum(volgende.begin)}"
            kern.leg_vast(session, voorstel, HERPLANNEN, door, van=voorstel.toestand,
                                naar=voorstel.toestand, vergadering_id=volgende.id,
                                tekst=f"vergadering geannuleerd: {rest}",
                                definities=env.definities)
            tekst = f"{omschrijving}; {rest}"
        else:
            tekst = omschrijving
        voorstel.gewijzigd_op = nu
        gevolgen.append(f"{voorstel.kenmerk}: {tekst}")
        gevolgen += herplan_voorstel(env, session, voorstel, door, "vergadering geannuleerd",
                                     altijd=planned[voorstel.id])
    return gevolgen


def synchroniseer(env: Omgeving, session: Session, organen: Iterable[str] | None = None,
                  door: str = "definities", bron: str = "de definities") -> int:
    """Synchronise meetings from the definitions, then apply what a move or cancellation there
    means for proposals on those meetings, exactly as `vergadering verplaats / annuleer` would.

    Only `init` and `definities toepassen` call this: `bron` names the version in history.
    """
    gewijzigd: list[tuple[Vergadering, datetime]] = []
    aantal = vergaderingen.synchroniseer(session, env.definities, organen, gewijzigd=gewijzigd)
    nu = clock.now()
    for vergadering, oud in gewijzigd:
        if max(oud, vergadering.begin) <= nu or not _affected(session, vergadering):
            continue  # history is not rewritten; nothing planned is touched
        naam = env.definities.orgaan(vergadering.orgaan).naam
        if vergadering.geannuleerd:
            omschrijving = (f"vergadering {vergadering.id} van {naam} op {datum_tijd(oud)} "
                            f"afgelast in {bron}")
            _na_annulering(env, session, vergadering, omschrijving, door, nu, strikt=False,
                           vermelding=f"vergadering {naam} van {datum_tijd(oud)} afgelast in "
                                      f"{bron}")
        else:
            omschrijving = (f"vergadering {vergadering.id} van {naam} verplaatst in "
                            f"{bron}, van {datum_tijd(oud)} naar "
                            f"{datum_tijd(vergadering.begin)}")
            _na_verplaatsing(env, session, vergadering, omschrijving, door, nu,
                             vermelding=_verplaatst(naam, oud, vergadering.begin,
                                                    " in de definities"))
    return aantal
