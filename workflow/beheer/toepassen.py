"""Applying definitions: `init` (the first version) and `definities toepassen` (a new one), which
previews the difference, the refused proposals and the changed meetings, then applies it in one
transaction and re-plans what the new calendar moves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.definities.model import Definities

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

from workflow.definities.verschil import verschil
from workflow.definities.versies import (
    Bron,
    Kop,
    afwijkend,
    definities_van,
    huidige_kop,
    lees_map,
    toegepaste_kop,
)

#: At most this many lines per kind of meeting change in a preview.
MAX_REGELS = 40


# ---------------------------------------------------------------------------------------------
# Applying a version


@dataclass
class Voorbeeld:
    """What applying a folder does: shown before anything is written."""

    vorige: int
    nummer: int
    hash: str
    definities: list[str] = field(default_factory=list)
    vergaderingen: list[str] = field(default_factory=list)
    voorstellen: list[str] = field(default_factory=list)
    weigeringen: list[str] = field(default_factory=list)

    @property
    def ongewijzigd(self) -> bool:
        return not (self.definities or self.vergaderingen or self.voorstellen)

    def regels(self) -> list[str]:
        return [*self.definities, *self.vergaderingen, *self.voorstellen]


def _open_voorstellen(session: Session) -> list[object]:
    from sqlalchemy import select

    from workflow.opslag.models import Voorstel
    from workflow.routes import toestanden

    return list(session.scalars(
        select(Voorstel).where(Voorstel.toestand.not_in(sorted(toestanden.EINDTOESTANDEN)))
        .order_by(Voorstel.kenmerk)))


def _route_weigeringen(env: Omgeving, session: Session, nieuw: Definities, map_: str
                       ) -> list[str]:
    """An open proposal whose route, step or state the new definitions no longer have."""
    from workflow.opslag.models import Voorstel
    from workflow.routes.machine import Routes

    weigeringen: list[str] = []
    machines = Routes(nieuw)
    for voorstel in _open_voorstellen(session):
        assert isinstance(voorstel, Voorstel)
        if voorstel.route not in nieuw.routes:
            weigeringen.append(f"voorstel {voorstel.kenmerk} volgt route '{voorstel.route}', "
                               f"die in {map_} ontbreekt; rond het eerst af of trek het in")
            continue
        stap = env.routes.machine(voorstel.route).huidige_stap(voorstel.toestand) \
            if voorstel.route in env.definities.routes else None
        route = nieuw.routes[voorstel.route]
        if stap is not None and stap.id not in {s.id for s in route.stappen}:
            weigeringen.append(f"voorstel {voorstel.kenmerk} staat op stap '{stap.id}' van route "
                               f"'{voorstel.route}', die in {map_} ontbreekt")
        elif voorstel.toestand not in machines.machine(voorstel.route).toestanden:
            weigeringen.append(f"voorstel {voorstel.kenmerk} is in toestand "
                               f"'{voorstel.toestand}', die route '{voorstel.route}' in {map_} "
                               "niet meer kent")
    return weigeringen


_Momentopname = dict[int, tuple[str, datetime, bool]]


def _momentopname(session: Session) -> _Momentopname:
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering

    session.flush()
    return {row.id: (row.orgaan, row.begin, row.geannuleerd) for row in session.execute(
        select(Vergadering.id, Vergadering.orgaan, Vergadering.begin, Vergadering.geannuleerd))}


def _kort(regels: list[str]) -> list[str]:
    if len(regels) <= MAX_REGELS:
        return regels
    return [*regels[:MAX_REGELS], f"... en nog {len(regels) - MAX_REGELS}"]


def _vergaderingen_verschil(env: Omgeving, voor: _Momentopname, na: _Momentopname
                            ) -> tuple[list[str], list[int]]:
    """Meeting lines of the preview, and the ids of meetings newly cancelled."""
    from workflow.basis.tekst import datum_tijd

    def naam(orgaan: str) -> str:
        found = env.definities.organen.get(orgaan)
        return found.naam if found else orgaan

    toegevoegd, verplaatst, geannuleerd, hersteld = [], [], [], []
    nieuw_geannuleerd: list[int] = []
    for vid, (orgaan, begin, weg) in sorted(na.items(), key=lambda item: (item[1][1], item[0])):
        oud = voor.get(vid)
        if oud is None:
            toegevoegd.append(f"vergadering toegevoegd: {naam(orgaan)}, {datum_tijd(begin)}")
            continue
        if weg and not oud[2]:
            geannuleerd.append(f"vergadering geannuleerd: {naam(orgaan)}, {datum_tijd(oud[1])} "
                               f"(id {vid})")
            nieuw_geannuleerd.append(vid)
        elif oud[2] and not weg:
            hersteld.append(f"vergadering weer ingepland: {naam(orgaan)}, {datum_tijd(begin)} "
                            f"(id {vid})")
        elif oud[1] != begin:
            verplaatst.append(f"vergadering verplaatst: {naam(orgaan)}, {datum_tijd(oud[1])} -> "
                              f"{datum_tijd(begin)} (id {vid})")
    return (_kort(toegevoegd) + _kort(verplaatst) + _kort(geannuleerd) + _kort(hersteld),
            nieuw_geannuleerd)


def _uitkomst_weigeringen(env: Omgeving, session: Session, ids: list[int]) -> list[str]:
    """A cancelled meeting that already has an outcome recorded: one line per proposal."""
    from sqlalchemy import select

    from workflow.basis.tekst import datum_tijd
    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    if not ids:
        return []
    rows = session.execute(
        select(Vergadering, Voorstel.kenmerk, Agendapunt.uitkomst)
        .join(Agendapunt, Agendapunt.vergadering_id == Vergadering.id)
        .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id)
        .where(Vergadering.id.in_(ids), Agendapunt.uitkomst.is_not(None))
        .order_by(Vergadering.begin, Voorstel.kenmerk)).all()
    weigeringen = []
    for vergadering, kenmerk, uitkomst in rows:
        orgaan = env.definities.organen.get(vergadering.orgaan)
        naam = orgaan.naam if orgaan else vergadering.orgaan
        weigeringen.append(
            f"vergadering {vergadering.id} van {naam} op {datum_tijd(vergadering.begin)} zou "
            f"vervallen, maar voorstel {kenmerk} heeft daar al een uitkomst ({uitkomst})")
    return weigeringen


def _laatste_gebeurtenis(session: Session) -> int:
    from sqlalchemy import func, select

    from workflow.opslag.models import Gebeurtenis

    return int(session.scalar(select(func.max(Gebeurtenis.id))) or 0)


def _voorstel_regels(env: Omgeving, session: Session, sinds: int) -> list[str]:
    """Per proposal touched since history row `sinds`: what happened and its plan now."""
    from sqlalchemy import select

    from workflow.basis import clock
    from workflow.opslag.models import Gebeurtenis, Voorstel
    from workflow.voorstellen import herplanning

    session.flush()
    rows = session.execute(
        select(Voorstel, Gebeurtenis.tekst).join(Gebeurtenis, Gebeurtenis.voorstel_id == Voorstel.id)
        .where(Gebeurtenis.id > sinds).order_by(Voorstel.kenmerk, Gebeurtenis.id)).all()
    per_voorstel: dict[str, tuple[Voorstel, list[str]]] = {}
    for voorstel, tekst in rows:
        per_voorstel.setdefault(voorstel.kenmerk, (voorstel, []))[1].append(tekst or "")
    regels: list[str] = []
    nu = clock.now()
    for kenmerk, (voorstel, teksten) in per_voorstel.items():
        regels.append(f"voorstel {kenmerk} ({voorstel.titel}):")
        regels += [f"  {t}" for t in teksten]
        plan = herplanning.plan_in_sessie(env, session, voorstel, nu)
        if plan.melding:
            regels.append(f"  plan: {plan.melding}")
        elif plan.te_bespreken_in:
            regels.append(f"  plan wordt: {plan.te_bespreken_in}")
    return regels


def _bereken(env: Omgeving, session: Session, bron: Bron, kop: Kop, door: str) -> Voorbeeld:
    """Apply `bron` inside `session` (the caller commits or rolls back) and describe it."""
    from workflow.basis import clock
    from workflow.opslag.models import Definitieversie, Vergadering, Voorstel
    from workflow.voorstellen import herplanning, vergaderwijziging

    nummer = kop.nummer + 1
    naam = f"definities versie {nummer}"
    oud = env.definities
    voorbeeld = Voorbeeld(kop.nummer, nummer, bron.hash, definities=verschil(oud, bron.definities))
    voorbeeld.weigeringen += _route_weigeringen(env, session, bron.definities, str(bron.map))
    if voorbeeld.weigeringen:
        return voorbeeld  # the meetings cannot follow definitions that lack a route in use
    voor = _momentopname(session)
    sinds = _laatste_gebeurtenis(session)
    with met_definities(env, bron.definities):
        vergaderwijziging.synchroniseer(env, session, door=door, bron=naam)
        # Meetings of a body that is gone: the future ones are cancelled (never deleted).
        weg = sorted(oud.organen.keys() - bron.definities.organen.keys())
        if weg:
            from sqlalchemy import select

            nu = clock.now()
            for v in session.scalars(select(Vergadering).where(
                    Vergadering.orgaan.in_(weg), Vergadering.begin > nu,
                    Vergadering.geannuleerd.is_(False))):
                v.geannuleerd = True
                v.volgnummer += 1
        # Open proposals on a changed route: their recorded plan follows the new steps.
        for voorstel in _open_voorstellen(session):
            assert isinstance(voorstel, Voorstel)
            r = voorstel.route
            if r in oud.routes and oud.routes[r] != bron.definities.routes[r]:
                herplanning.herplan_voorstel(env, session, voorstel, door,
                                             f"route {r} gewijzigd in {naam}")
        na = _momentopname(session)
        voorbeeld.vergaderingen, geannuleerd = _vergaderingen_verschil(env, voor, na)
        voorbeeld.weigeringen += _uitkomst_weigeringen(env, session, geannuleerd)
        if not voorbeeld.weigeringen:
            voorbeeld.voorstellen = _voorstel_regels(env, session, sinds)
    session.add(Definitieversie(nummer=nummer, hash=bron.hash,
                                inhoud=json.dumps(bron.inhoud, ensure_ascii=False, sort_keys=True),
                                bron=str(bron.map), toegepast_door=door,
                                toegepast_op=clock.now()))
    session.flush()
    return voorbeeld


def voorbeeld(env: Omgeving, bron: Bron, *, door: str) -> Voorbeeld:
    """The preview: everything applied in a transaction that is then rolled back."""
    kop = toegepaste_kop(env)
    if kop is None:
        from workflow.opslag.db import NIET_AANGEMAAKT

        raise GebruikersFout(NIET_AANGEMAAKT)
    if kop.hash == bron.hash:
        return Voorbeeld(kop.nummer, kop.nummer, kop.hash)
    env.gebruik(definities_van(env, kop))
    with env.db.proef() as session:
        return _bereken(env, session, bron, kop, door)


def toepassen(env: Omgeving, bron: Bron, getoond: Voorbeeld, *, door: str) -> Voorbeeld:
    """Apply for real, in one transaction; refuse if the result differs from the preview shown
    (someone changed the database or the definitions in between)."""
    with env.db.schrijf() as session:
        kop = huidige_kop(session)
        if kop is None or kop.nummer != getoond.vorige:
            raise Conflict("conflict: intussen is een andere definitieversie toegepast; er is "
                           "niets vastgelegd, bekijk de verschillen opnieuw")
        result = _bereken(env, session, bron, kop, door)
        if result.weigeringen:
            raise GebruikersFout(result.weigeringen)
        if result.regels() != getoond.regels():
            raise Conflict("conflict: de database is gewijzigd sinds het voorbeeld; er is niets "
                           "vastgelegd, bekijk de verschillen opnieuw")
        return result


# ---------------------------------------------------------------------------------------------
# The first version


@dataclass(frozen=True)
class Init:
    nummer: int
    nieuw: bool  #: True when this run applied the version
    vergaderingen: int
    definities: Definities


def _in_gebruik(session: Session, definities: Definities, map_: Path) -> list[str]:
    """Routes and bodies the database uses that `definities` lack (adopting an older database)."""
    from sqlalchemy import func, select

    from workflow.opslag.models import Vergadering, Voorstel

    fouten = []
    for route, aantal in session.execute(select(Voorstel.route, func.count(Voorstel.id))
                                         .group_by(Voorstel.route).order_by(Voorstel.route)):
        if route not in definities.routes:
            fouten.append(f"{aantal} voorstel(len) volgen route '{route}', die niet in {map_} "
                          "staat; geef de map waarmee deze database werkte: "
                          "besluitroute --definities MAP init")
    for orgaan, in session.execute(select(Vergadering.orgaan).distinct()
                                   .order_by(Vergadering.orgaan)):
        if orgaan not in definities.organen:
            fouten.append(f"de database heeft vergaderingen van orgaan '{orgaan}', dat niet in "
                          f"{map_} staat; geef de map waarmee deze database werkte: "
                          "besluitroute --definities MAP init")
    return fouten


def init(env: Omgeving, *, door: str) -> Init:
    """Create or upgrade the database; apply the folder as version 1 if there is none yet.

    A database from before versions existed adopts the folder it is given as version 1, after
    checking that the folder has every route and body the database uses.
    """
    from workflow.basis import clock
    from workflow.opslag.models import Definitieversie
    from workflow.voorstellen import vergaderwijziging

    bron = lees_map(env.definities_map)  # validate before touching the database
    env.db.migreer()
    with env.db.schrijf() as session:
        kop = huidige_kop(session)
        if kop is not None:
            if env.definities_expliciet and kop.hash != bron.hash:
                raise GebruikersFout(afwijkend(env.definities_map, kop.nummer))
            definities = definities_van(env, kop) if kop.hash != bron.hash else \
                replace(bron.definities, map=Path(kop.bron))
            env.gebruik(definities)
            env.versie = kop.nummer
            aantal = vergaderwijziging.synchroniseer(env, session, door=door,
                                               bron=f"definities versie {kop.nummer}")
            return Init(kop.nummer, False, aantal, definities)
        fouten = _in_gebruik(session, bron.definities, env.definities_map)
        if fouten:
            raise GebruikersFout(fouten)
        session.add(Definitieversie(
            nummer=1, hash=bron.hash,
            inhoud=json.dumps(bron.inhoud, ensure_ascii=False, sort_keys=True),
            bron=str(env.definities_map), toegepast_door=door, toegepast_op=clock.now()))
        session.flush()
        env.gebruik(bron.definities)
        env.versie = 1
        aantal = vergaderwijziging.synchroniseer(env, session, door=door, bron="definities versie 1")
        return Init(1, True, aantal, bron.definities)


@contextmanager
def met_definities(env: Omgeving, definities: Definities) -> Iterator[None]:
    """Let `env` work from `definities` inside the block (the version being applied)."""
    vorige = env.__dict__.get("definities")
    env.gebruik(definities)
    try:
        yield
    finally:
        if vorige is not None:
            env.gebruik(vorige)
