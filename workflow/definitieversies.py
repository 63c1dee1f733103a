"""Applied definitions live in the database, as numbered versions.

A version is the source text of every YAML file (validated when it was applied) with its content
hash. Every command works from the newest version, whatever folder it runs from; the typed
`Definities` are rebuilt from the stored text once and then read from a pickle keyed by the hash.
A folder only changes the database through `init` (the first version) or `definities toepassen`,
which previews the difference, then applies it in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from workflow import definities as definitiemodule
from workflow.definities import Definities, Orgaan, Route
from workflow.fouten import Conflict, DefinitieFout, GebruikersFout

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow.omgeving import Omgeving

SUBMAPPEN = ("organen", "routes")
#: At most this many lines per kind of meeting change in a preview.
MAX_REGELS = 40


def afwijkend(map_: Path | str, nummer: int) -> str:
    return (f"de definities in {map_} wijken af van de toegepaste versie {nummer}; bekijk de "
            f"verschillen met 'besluitroute definities toepassen {map_} --droog'")


GEEN_VERSIE = ("de database heeft nog geen toegepaste definities (aangemaakt met een oudere "
               "versie?); voer eenmalig 'besluitroute --definities MAP init' uit met de map "
               "waarmee deze database werkte")


# ---------------------------------------------------------------------------------------------
# Folders and stored content


@dataclass(frozen=True)
class Bron:
    """A validated definitions folder: its files as text, their hash, the typed definitions."""

    map: Path
    inhoud: dict[str, str]
    hash: str
    definities: Definities


def bestanden(map_: Path) -> dict[str, str]:
    """The YAML files of a definitions folder as {"organen/aoj.yaml": text}."""
    if not map_.is_dir():
        raise GebruikersFout(f"{map_}: map met definities bestaat niet")
    result: dict[str, str] = {}
    for sub in SUBMAPPEN:
        for path in sorted((map_ / sub).glob("*.y*ml")):
            try:
                result[f"{sub}/{path.name}"] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise GebruikersFout(f"{path}: niet te lezen ({exc})") from None
    return result


def inhoudshash(inhoud: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def lees_map(map_: Path) -> Bron:
    """Validate a folder (every error with file and line) and read its content."""
    definities = definitiemodule.load(map_)
    inhoud = bestanden(map_)
    return Bron(map_, inhoud, inhoudshash(inhoud), definities)


@dataclass(frozen=True)
class Kop:
    """A version without its content: what a command needs to find its definitions."""

    nummer: int
    hash: str
    bron: str
    toegepast_door: str
    toegepast_op: datetime


def koppen(session: Session, *, alleen_laatste: bool = False) -> list[Kop]:
    from sqlalchemy import select

    from workflow.models import Definitieversie as D

    query = select(D.nummer, D.hash, D.bron, D.toegepast_door, D.toegepast_op) \
        .order_by(D.nummer.desc())
    if alleen_laatste:
        query = query.limit(1)
    return [Kop(*row) for row in session.execute(query)]


def huidige_kop(session: Session) -> Kop | None:
    found = koppen(session, alleen_laatste=True)
    return found[0] if found else None


def inhoud_van(session: Session, nummer: int) -> dict[str, str]:
    from workflow.models import Definitieversie

    row = session.get(Definitieversie, nummer)
    if row is None:
        raise GebruikersFout(f"onbekende definitieversie {nummer} "
                             "(zie 'besluitroute definities lijst')")
    data = json.loads(row.inhoud)
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def _veilig_pad(relatief: str) -> PurePosixPath:
    pad = PurePosixPath(relatief)
    if len(pad.parts) != 2 or pad.parts[0] not in SUBMAPPEN or pad.name.startswith(".") \
            or pad.suffix not in (".yaml", ".yml"):
        raise GebruikersFout(f"ongeldige bestandsnaam '{relatief}' in een opgeslagen "
                             "definitieversie")
    return pad


def schrijf_map(inhoud: dict[str, str], doel: Path) -> None:
    """Write stored content out as a folder (with the editor schemas beside it)."""
    import shutil

    for relatief, tekst in inhoud.items():
        pad = doel / _veilig_pad(relatief)
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(tekst, encoding="utf-8")
    schemas = schema_map()
    if schemas.is_dir():
        shutil.copytree(schemas, doel / "schema", dirs_exist_ok=True)


def schema_map() -> Path:
    from workflow.omgeving import meegeleverd

    return meegeleverd("definities") / "schema"


def bouw(inhoud: dict[str, str], nummer: int) -> Definities:
    """The typed definitions of stored content (validated again: the code may have changed)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="besluitroute-versie-") as tmp:
        root = Path(tmp)
        schrijf_map(inhoud, root)
        try:
            result = definitiemodule.load(root, cache=False)
        except DefinitieFout as exc:
            # Name the version instead of the temporary folder.
            meldingen = [f"definities versie {nummer}/{m.split(root.name + '/', 1)[-1]}"
                         for m in exc.meldingen]
            raise DefinitieFout(meldingen) from None
    return replace(result, map=Path(f"definities versie {nummer}"))


def _cache_pad(kop: Kop) -> Path | None:
    from workflow import __version__
    from workflow.omgeving import cache_map

    folder = cache_map()
    if folder is None:
        return None
    code = Path(definitiemodule.__file__).stat().st_mtime_ns
    key = hashlib.sha256(f"{__version__}|{code}|{kop.nummer}|{kop.hash}".encode()) \
        .hexdigest()[:32]
    return folder / f"versie-{key}.pickle"


def definities_van(env: Omgeving, kop: Kop) -> Definities:
    """The typed definitions of a version: from the cache, else rebuilt from the database."""
    import os
    import pickle

    path = _cache_pad(kop)
    if path is not None:
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, Definities):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
    with env.db.lees() as session:
        inhoud = inhoud_van(session, kop.nummer)
    if inhoudshash(inhoud) != kop.hash:
        raise GebruikersFout(f"definitieversie {kop.nummer} is beschadigd: de inhoud past niet "
                             "bij de opgeslagen hash")
    result = bouw(inhoud, kop.nummer)
    if path is not None:
        try:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return result


def toegepaste_kop(env: Omgeving) -> Kop | None:
    """The newest version, or None when the database has not been set up at all.

    A database set up before versions existed (tables, but no version) is an error that says how
    to adopt its definitions.
    """
    from workflow.db import NIET_AANGEMAAKT

    if not env.db.bestaat():
        return None
    try:
        with env.db.lees() as session:
            kop = huidige_kop(session)
    except GebruikersFout as exc:
        if str(exc) != NIET_AANGEMAAKT:
            raise
        if env.db.is_aangemaakt():
            raise GebruikersFout(GEEN_VERSIE) from None
        return None
    if kop is None and env.db.is_aangemaakt():
        raise GebruikersFout(GEEN_VERSIE)
    return kop


def actueel(env: Omgeving) -> Definities:
    """What every command works from: the applied version.

    A folder named explicitly (--definities, BESLUITROUTE_DEFINITIES, the config file) must hold
    exactly that version; before `init` the folder itself is used (read-only commands).
    """
    kop = toegepaste_kop(env)
    if kop is None:
        return definitiemodule.load(env.definities_map)
    if env.definities_expliciet and env.map_controleren:
        _vergelijk(env, kop)
    env.versie = kop.nummer
    return definities_van(env, kop)


def _vergelijk(env: Omgeving, kop: Kop) -> None:
    if inhoudshash(bestanden(env.definities_map)) != kop.hash:
        raise GebruikersFout(afwijkend(env.definities_map, kop.nummer))


def controleer_map(env: Omgeving) -> None:
    """Stop when the named folder differs from the applied version (any command but those that
    manage definitions), before the command reads or writes anything."""
    kop = toegepaste_kop(env)
    if kop is not None:
        _vergelijk(env, kop)
    env.map_controleren = False  # checked once per command


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


# ---------------------------------------------------------------------------------------------
# The difference between two versions of the definitions


def _tijd(value: object) -> str:
    return "" if value is None else str(value)[:5]


def _ritme(r: definitiemodule.Ritme) -> str:
    tekst = f"{r.regel} vanaf {r.vanaf.isoformat()}"
    if r.tot:
        tekst += f" tot {r.tot.isoformat()}"
    if r.tijd:
        tekst += f" om {_tijd(r.tijd)}"
    if r.plaats:
        tekst += f" in {r.plaats}"
    return tekst


def _orgaan_verschil(oud: Orgaan, nieuw: Orgaan) -> list[str]:
    regels: list[str] = []
    oude_leden = {lid.email: lid for lid in oud.leden}
    nieuwe_leden = {lid.email: lid for lid in nieuw.leden}
    for email in sorted(nieuwe_leden.keys() - oude_leden.keys()):
        lid = nieuwe_leden[email]
        regels.append(f"lid toegevoegd: {lid.naam} <{email}> ({lid.rol.value})")
    for email in sorted(oude_leden.keys() - nieuwe_leden.keys()):
        regels.append(f"lid verwijderd: {oude_leden[email].naam} <{email}>")
    for email in sorted(oude_leden.keys() & nieuwe_leden.keys()):
        a, b = oude_leden[email], nieuwe_leden[email]
        if a != b:
            regels.append(f"lid gewijzigd: {b.naam} <{email}> ({b.rol.value}, {b.organisatie})")
    if oud.secretaris != nieuw.secretaris:
        regels.append(f"secretaris: {oud.secretaris.naam} <{oud.secretaris.email}> -> "
                      f"{nieuw.secretaris.naam} <{nieuw.secretaris.email}>")
    oude_ritmes = {(r.regel, r.vanaf): r for r in oud.ritmes}
    nieuwe_ritmes = {(r.regel, r.vanaf): r for r in nieuw.ritmes}
    for key in sorted(nieuwe_ritmes.keys() - oude_ritmes.keys()):
        regels.append(f"ritme toegevoegd: {_ritme(nieuwe_ritmes[key])}")
    for key in sorted(oude_ritmes.keys() - nieuwe_ritmes.keys()):
        regels.append(f"ritme verwijderd: {_ritme(oude_ritmes[key])}")
    for key in sorted(oude_ritmes.keys() & nieuwe_ritmes.keys()):
        if oude_ritmes[key] != nieuwe_ritmes[key]:
            regels.append(f"ritme gewijzigd: {_ritme(oude_ritmes[key])} -> "
                          f"{_ritme(nieuwe_ritmes[key])}")
    for naam in ("naam", "afkorting", "aanleveren_werkdagen", "verzenden_dagen",
                 "standaard_tijd", "standaard_plaats", "duur_minuten", "feestdagen"):
        a, b = getattr(oud, naam), getattr(nieuw, naam)
        if a != b:
            regels.append(f"{naam}: {a} -> {b}")
    for naam in ("vergaderingen", "afgelast", "verplaatst", "vaste_punten_voor",
                 "vaste_punten_na", "verplichtingen", "herinneringen"):
        if getattr(oud, naam) != getattr(nieuw, naam):
            regels.append(f"{naam} gewijzigd")
    return regels


def _stappen(route: Route) -> str:
    return " -> ".join(f"{s.id} ({s.orgaan}, {s.rol.value})" for s in route.stappen)


def verschil(oud: Definities, nieuw: Definities) -> list[str]:
    """Bodies, members, rhythms and routes added, changed or removed, as Dutch lines."""
    regels: list[str] = []
    for key in sorted(nieuw.organen.keys() - oud.organen.keys()):
        regels.append(f"orgaan toegevoegd: {nieuw.organen[key].naam} ({key})")
    for key in sorted(oud.organen.keys() - nieuw.organen.keys()):
        regels.append(f"orgaan verwijderd: {oud.organen[key].naam} ({key})")
    for key in sorted(oud.organen.keys() & nieuw.organen.keys()):
        if oud.organen[key] != nieuw.organen[key]:
            regels.append(f"orgaan gewijzigd: {nieuw.organen[key].naam} ({key})")
            regels += [f"  {r}" for r in _orgaan_verschil(oud.organen[key], nieuw.organen[key])]
    for naam in sorted(nieuw.routes.keys() - oud.routes.keys()):
        regels.append(f"route toegevoegd: {naam}: {_stappen(nieuw.routes[naam])}")
    for naam in sorted(oud.routes.keys() - nieuw.routes.keys()):
        regels.append(f"route verwijderd: {naam}")
    for naam in sorted(oud.routes.keys() & nieuw.routes.keys()):
        a, b = oud.routes[naam], nieuw.routes[naam]
        if a != b:
            regels.append(f"route gewijzigd: {naam}")
            if a.stappen != b.stappen:
                regels.append(f"  stappen: {_stappen(b)}")
                regels.append(f"  was:     {_stappen(a)}")
            regels += [f"  {veld} gewijzigd" for veld in ("titel", "aan", "van", "omschrijving")
                       if getattr(a, veld) != getattr(b, veld)]
    return regels


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

    from workflow import routes
    from workflow.models import Voorstel

    return list(session.scalars(
        select(Voorstel).where(Voorstel.toestand.not_in(sorted(routes.EINDTOESTANDEN)))
        .order_by(Voorstel.kenmerk)))


def _route_weigeringen(env: Omgeving, session: Session, nieuw: Definities, map_: str
                       ) -> list[str]:
    """An open proposal whose route, step or state the new definitions no longer have."""
    from workflow.models import Voorstel
    from workflow.routes import Routes

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

    from workflow.models import Vergadering

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
    from workflow.tekst import datum_tijd

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

    from workflow.models import Agendapunt, Vergadering, Voorstel
    from workflow.tekst import datum_tijd

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

    from workflow.models import Gebeurtenis

    return int(session.scalar(select(func.max(Gebeurtenis.id))) or 0)


def _voorstel_regels(env: Omgeving, session: Session, sinds: int) -> list[str]:
    """Per proposal touched since history row `sinds`: what happened and its plan now."""
    from sqlalchemy import select

    from workflow import clock, herplanning
    from workflow.models import Gebeurtenis, Voorstel

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
    from workflow import clock, herplanning
    from workflow.models import Definitieversie, Vergadering, Voorstel

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
        herplanning.synchroniseer(env, session, door=door, bron=naam)
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
        from workflow.db import NIET_AANGEMAAKT

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
            raise GebruikersFout("\n".join(result.weigeringen))
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

    from workflow.models import Vergadering, Voorstel

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
    from workflow import clock, herplanning
    from workflow.models import Definitieversie

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
            aantal = herplanning.synchroniseer(env, session, door=door,
                                               bron=f"definities versie {kop.nummer}")
            return Init(kop.nummer, False, aantal, definities)
        fouten = _in_gebruik(session, bron.definities, env.definities_map)
        if fouten:
            raise GebruikersFout("\n".join(fouten))
        session.add(Definitieversie(
            nummer=1, hash=bron.hash,
            inhoud=json.dumps(bron.inhoud, ensure_ascii=False, sort_keys=True),
            bron=str(env.definities_map), toegepast_door=door, toegepast_op=clock.now()))
        session.flush()
        env.gebruik(bron.definities)
        env.versie = 1
        aantal = herplanning.synchroniseer(env, session, door=door, bron="definities versie 1")
        return Init(1, True, aantal, bron.definities)
