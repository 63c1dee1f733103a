"""`reservekopie MAP`: a consistent copy of the database and of the registered documents, with a
manifest that `herstel` checks.

Consistent while the planner and the portal write: SQLite through its online backup API (one
step, one read transaction: in WAL mode writers go on), PostgreSQL through pg_dump from a
snapshot that our own REPEATABLE READ transaction exports, and the manifest's counts are read in
that same transaction. The folder is written beside MAP under a temporary name and renamed into
place when complete: a crash leaves no half backup under MAP's name.

Documents are registered, not stored (workflow.voorstellen.documenten): each file is read from
where it was registered and kept under its SHA-256 in stukken/ when it still holds the
registered content; a file that vanished or changed since is named in the manifest and in the
report, not copied.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.basis import clock
from workflow.basis.bestanden import BestandFout, zorg_voor_map
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import iso

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from workflow.opslag.db import Database

MANIFEST = "manifest.json"
FORMAAT = 1
SQLITE_KOPIE = "database.sqlite3"
PG_KOPIE = "database.pgdump"
STUKKEN = "stukken"


@dataclass(frozen=True)
class Stuk:
    """One registered document version, as the manifest lists it."""

    bijlage: int
    kenmerk: str
    naam: str
    versie: int
    sha256: str
    grootte: int
    bron: str
    #: True when stukken/<sha256> in the backup holds it.
    bewaard: bool = False


@dataclass
class Inhoud:
    """What a database (or its copy) holds, as far as the manifest records it."""

    schemaversie: str | None
    definitieversie: int | None
    tabellen: dict[str, int]
    stukken: list[Stuk] = field(default_factory=list)


@dataclass(frozen=True)
class Verslag:
    """What `reservekopie` wrote, for the CLI to print."""

    map: Path
    inhoud: Inhoud

    @property
    def ontbrekend(self) -> list[Stuk]:
        return [s for s in self.inhoud.stukken if not s.bewaard]


def lees_inhoud(conn: Connection) -> Inhoud:
    """Tables and row counts, schema and definitions version, and the registered documents."""
    from sqlalchemy import inspect

    namen = sorted(inspect(conn).get_table_names())
    tabellen = {n: int(conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one())
                for n in namen}
    schemaversie = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
        if "alembic_version" in namen else None
    definitieversie = conn.exec_driver_sql("SELECT max(nummer) FROM definitieversie").scalar() \
        if "definitieversie" in namen else None
    stukken = [Stuk(*rij) for rij in conn.exec_driver_sql(
        "SELECT b.id, v.kenmerk, b.naam, b.versie, b.sha256, b.grootte, b.bron FROM bijlage b "
        "JOIN voorstel v ON v.id = b.voorstel_id ORDER BY b.id")] if "bijlage" in namen else []
    return Inhoud(str(schemaversie) if schemaversie else None,
                  int(definitieversie) if definitieversie is not None else None, tabellen,
                  stukken)


def sha256_bestand(pad: Path) -> str:
    digest = hashlib.sha256()
    with pad.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def kopieer_gecontroleerd(bron: Path, doel: Path, sha256: str) -> bool:
    """Copy `bron` to `doel` (through a temporary name) only if its content has `sha256`."""
    deel = doel.with_name(f".{doel.name}.deel")
    digest = hashlib.sha256()
    try:
        with bron.open("rb") as lezen, deel.open("wb") as schrijven:
            while block := lezen.read(1 << 20):
                digest.update(block)
                schrijven.write(block)
            schrijven.flush()
            os.fsync(schrijven.fileno())
    except OSError:
        deel.unlink(missing_ok=True)
        return False
    if digest.hexdigest() != sha256:
        deel.unlink(missing_ok=True)
        return False
    os.replace(deel, doel)
    return True


def _bewaar_stukken(stukken: list[Stuk], map_: Path) -> list[Stuk]:
    """Each distinct content once, under its SHA-256, from the first registration whose file
    still holds it."""
    map_.mkdir()
    bewaard: set[str] = set()
    for stuk in stukken:
        if stuk.sha256 not in bewaard and kopieer_gecontroleerd(
                Path(stuk.bron), map_ / stuk.sha256, stuk.sha256):
            bewaard.add(stuk.sha256)
    return [replace(s, bewaard=s.sha256 in bewaard) for s in stukken]


def _sqlite(db: Database, map_: Path) -> Inhoud:
    import sqlite3

    from sqlalchemy import create_engine

    assert db.bestand is not None
    kopie = map_ / SQLITE_KOPIE
    bron = sqlite3.connect(db.bestand, timeout=30)
    doel = sqlite3.connect(kopie)
    try:
        bron.backup(doel)  # all pages in one step: one read transaction, one moment
    finally:
        doel.close()
        bron.close()
    engine = create_engine(f"sqlite:///{kopie}")
    try:
        with engine.connect() as conn:
            return lees_inhoud(conn)
    finally:
        engine.dispose()


def _postgres(db: Database, map_: Path) -> tuple[Inhoud, str]:
    from workflow.beheer import pgdump

    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = str(conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())
            schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar_one())
            server = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
            # The counts first: the dump then runs on the same snapshot.
            inhoud = lees_inhoud(conn)
            pgdump.dump(db.url, map_ / PG_KOPIE, schema=schema, snapshot=snapshot,
                        server_versie=server)
    return inhoud, schema


def _manifest(db: Database, inhoud: Inhoud, database: Path, schema: str | None) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "formaat": FORMAAT,
        "besluitroute": version("besluitroute"),
        "gemaakt_op": iso(clock.real_now()),
        "database": {"soort": "sqlite" if db.is_sqlite else "postgresql",
                     "bestand": database.name, "sha256": sha256_bestand(database),
                     "schema": schema},
        "schemaversie": inhoud.schemaversie,
        "definitieversie": inhoud.definitieversie,
        "tabellen": inhoud.tabellen,
        "stukken": [asdict(s) for s in inhoud.stukken],
    }


def _vrij_doel(doel: Path, maak_map: bool) -> None:
    zorg_voor_map(doel.parent, maak=maak_map)
    if doel.is_symlink() or (doel.exists() and (not doel.is_dir() or any(doel.iterdir()))):
        raise BestandFout(f"{doel} bestaat al; een reservekopie komt in een nieuwe (of lege) "
                          f"map, bijvoorbeeld met de datum in de naam")


def maak(db: Database, doel: Path, *, maak_map: bool = False) -> Verslag:
    """Write the backup to the new folder `doel`, atomically."""
    if db.schemaversie() is None:  # also: a database that cannot be reached, in Dutch
        from workflow.opslag.db import NIET_AANGEMAAKT

        raise GebruikersFout(NIET_AANGEMAAKT)
    _vrij_doel(doel, maak_map)
    tijdelijk = Path(tempfile.mkdtemp(prefix=f".{doel.name}-", dir=doel.parent))
    try:
        if db.is_sqlite:
            inhoud, schema, database = _sqlite(db, tijdelijk), None, tijdelijk / SQLITE_KOPIE
        else:
            inhoud, schema = _postgres(db, tijdelijk)
            database = tijdelijk / PG_KOPIE
        inhoud.stukken = _bewaar_stukken(inhoud.stukken, tijdelijk / STUKKEN)
        tekst = json.dumps(_manifest(db, inhoud, database, schema), ensure_ascii=False, indent=1)
        with (tijdelijk / MANIFEST).open("w", encoding="utf-8") as handle:
            handle.write(tekst + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        tijdelijk.chmod(0o700)  # the copy holds personal data: its owner only
        if doel.is_dir():
            doel.rmdir()  # empty (checked above); rename cannot replace it
        tijdelijk.rename(doel)
    except BaseException:
        shutil.rmtree(tijdelijk, ignore_errors=True)
        raise
    return Verslag(doel, inhoud)
