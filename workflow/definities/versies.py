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
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from workflow.basis.fouten import DefinitieFout, GebruikersFout
from workflow.definities import cache
from workflow.definities.bestandsnamen import SUBMAPPEN, definitiebestanden

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from workflow.definities.model import Definities
    from workflow.opslag.db import Database


class Omgeving(Protocol):
    """What the applied version needs of the environment (workflow.omgeving.Omgeving builds on
    this module, so it is named here by shape, not imported)."""

    definities_map: Path
    definities_expliciet: bool
    map_controleren: bool
    versie: int | None

    @property
    def db(self) -> Database: ...


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
        for path in definitiebestanden(map_ / sub):
            try:
                result[f"{sub}/{path.name}"] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                from workflow.basis.oorzaken import oorzaak

                raise GebruikersFout(f"{path}: niet te lezen ({oorzaak(exc)})") from None
    return result


def inhoudshash(inhoud: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(inhoud, sort_keys=True, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def lees_map(map_: Path) -> Bron:
    """Validate a folder (every error with file and line) and read its content."""
    from workflow.definities import lezen  # the YAML reader: only to read a folder
    definities = lezen.load(map_)
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


def koppen(session: Session | Connection, *, alleen_laatste: bool = False) -> list[Kop]:
    from sqlalchemy import select

    from workflow.opslag.tabellen import DEFINITIEVERSIE

    D = DEFINITIEVERSIE.c
    query = select(D.nummer, D.hash, D.bron, D.toegepast_door, D.toegepast_op) \
        .order_by(D.nummer.desc())
    if alleen_laatste:
        query = query.limit(1)
    return [Kop(*row) for row in session.execute(query)]


def huidige_kop(session: Session | Connection) -> Kop | None:
    found = koppen(session, alleen_laatste=True)
    return found[0] if found else None


def inhoud_van(session: Session, nummer: int) -> dict[str, str]:
    from workflow.opslag.models import Definitieversie

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

    if not doel.parent.is_dir():
        raise GebruikersFout(f"kan {doel} niet maken: de map {doel.parent} bestaat niet")
    for relatief, tekst in inhoud.items():
        pad = doel / _veilig_pad(relatief)
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_text(tekst, encoding="utf-8")
    schemas = schema_map()
    if schemas.is_dir():
        shutil.copytree(schemas, doel / "schema", dirs_exist_ok=True)


def schema_map() -> Path:
    from workflow.basis.paden import meegeleverd

    return meegeleverd("definities") / "schema"


def bouw(inhoud: dict[str, str], nummer: int) -> Definities:
    """The typed definitions of stored content (validated again: the code may have changed)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="besluitroute-versie-") as tmp:
        root = Path(tmp)
        schrijf_map(inhoud, root)
        try:
            from workflow.definities import lezen  # the YAML reader: only to read a folder
            result = lezen.load(root, cache=False)
        except DefinitieFout as exc:
            # Name the version instead of the temporary folder.
            meldingen = [f"definities versie {nummer}/{m.split(root.name + '/', 1)[-1]}"
                         for m in exc.meldingen]
            raise DefinitieFout(meldingen) from None
    return replace(result, map=Path(f"definities versie {nummer}"))


def definities_van(env: Omgeving, kop: Kop) -> Definities:
    """The typed definitions of a version: from the cache, else rebuilt from the database."""
    return _uit_database(env.db, kop.nummer, kop.hash)


def _uit_database(db: Database, nummer: int, hash_: str) -> Definities:
    path = cache.pad("versie", nummer, hash_)
    cached = cache.lees(path) if path is not None else None
    if cached is not None:
        return cached
    with db.lees() as session:
        inhoud = inhoud_van(session, nummer)
    if inhoudshash(inhoud) != hash_:
        raise GebruikersFout(f"definitieversie {nummer} is beschadigd: de inhoud past niet "
                             "bij de opgeslagen hash")
    result = bouw(inhoud, nummer)
    if path is not None:
        cache.schrijf(path, result)
    return result


def bouw_apart(env: Omgeving) -> bool:
    """For a long-running process (the planner): put the applied version in the cache by building
    it in a short-lived child process, so this process only ever unpickles it. Building parses
    every file with the YAML reader: at 400 bodies and 10,000 members a 90 MB peak, and a
    planner that built its definitions itself stayed 4.5 MB larger for its whole life (after
    every upgrade, which renews the cache's key, and every version applied under another user's
    cache folder). Returns whether the cache holds the version now; without a cache folder, or
    when the child fails, this process builds it when it first needs it, as any command does."""
    import os
    import subprocess
    import sys

    kop = toegepaste_kop(env)
    path = cache.pad("versie", kop.nummer, kop.hash) if kop is not None else None
    if kop is None or path is None:
        return False
    if path.exists():
        return True
    # The child reads the version itself: the URL in its environment, not on its command line
    # (where any user sees it, password and all).
    code = ("import os, sys\nfrom workflow.definities import versies\n"
            "versies.bouw_in_cache(os.environ['BESLUITROUTE_DATABASE_URL'], int(sys.argv[1]), "
            "sys.argv[2])\n")
    omgeving = {**os.environ, "BESLUITROUTE_DATABASE_URL": env.db.url}
    try:
        subprocess.run([sys.executable, "-c", code, str(kop.nummer), kop.hash], env=omgeving,
                       capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return False
    return path.exists()


def bouw_in_cache(database_url: str, nummer: int, hash_: str) -> None:
    """The child's half of `bouw_apart`: what any command does on a cache miss (a damaged version
    fails the child; the planner then meets the same error in Dutch when it loads it)."""
    from workflow.opslag.db import Database

    db = Database(database_url)
    try:
        _uit_database(db, nummer, hash_)
    finally:
        db.engine.dispose()


def toegepaste_kop(env: Omgeving) -> Kop | None:
    """The newest version, or None when the database has not been set up at all.

    A database set up before versions existed (tables, but no version) is an error that says how
    to adopt its definitions.
    """
    from workflow.opslag.db import NIET_AANGEMAAKT

    if not env.db.bestaat():
        return None
    try:
        with env.db.verbinding() as verbinding:  # no ORM: see workflow.opslag.tabellen
            kop = huidige_kop(verbinding)
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
        from workflow.definities import lezen  # the YAML reader: only to read a folder
        return lezen.load(env.definities_map)
    if env.definities_expliciet and env.map_controleren:
        _vergelijk(env, kop)
    env.versie = kop.nummer
    return definities_van(env, kop)


def _vergelijk(env: Omgeving, kop: Kop) -> None:
    if maphash(env.definities_map) != kop.hash:
        raise GebruikersFout(afwijkend(env.definities_map, kop.nummer))


def maphash(map_: Path) -> str:
    """`inhoudshash(bestanden(map_))`, kept in the cache folder under the files' stat signature
    (name, size, modification and change time, inode): every command compares the named folder
    with the applied version, and at 400 bodies reading and hashing every file cost ~50 ms where
    a stat of each costs ~2 ms. Any write to a file changes its change time (ctime), which no
    tool can set back."""
    if not map_.is_dir():
        raise GebruikersFout(f"{map_}: map met definities bestaat niet")
    handtekening = []
    for sub in SUBMAPPEN:
        for path in definitiebestanden(map_ / sub):
            try:
                st = path.stat()
            except OSError:
                return inhoudshash(bestanden(map_))  # says which file and why
            handtekening.append((f"{sub}/{path.name}", st.st_size, st.st_mtime_ns,
                                 st.st_ctime_ns, st.st_ino))
    bewaard = cache.pad("maphash", str(map_.resolve()), handtekening, achtervoegsel=".txt")
    if bewaard is not None:
        waarde = cache.lees_tekst(bewaard)
        if waarde is not None and len(waarde) == 64:
            return waarde
    waarde = inhoudshash(bestanden(map_))
    if bewaard is not None:
        cache.schrijf_tekst(bewaard, waarde)
    return waarde


def controleer_map(env: Omgeving) -> None:
    """Stop when the named folder differs from the applied version (any command but those that
    manage definitions), before the command reads or writes anything."""
    kop = toegepaste_kop(env)
    if kop is not None:
        _vergelijk(env, kop)
    env.map_controleren = False  # checked once per command


