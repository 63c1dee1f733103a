"""`herstel MAP --database URL`: a backup of `reservekopie` back into an empty database, and its
documents back where they were registered.

Everything is checked before anything is written: the manifest, the database copy's SHA-256 and
every kept document's. The target must be empty. After the restore the row counts and the
documents' checksums in the restored database must equal the manifest's; a SQLite target that
does not is removed again, a PostgreSQL one is named as unusable.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workflow.basis.bestanden import BestandFout, lees_bytes
from workflow.basis.fouten import GebruikersFout
from workflow.beheer.reservekopie import (
    FORMAAT,
    MANIFEST,
    STUKKEN,
    Inhoud,
    Stuk,
    kopieer_gecontroleerd,
    lees_inhoud,
    sha256_bestand,
)
from workflow.opslag.db import Database, migraties


@dataclass
class Herstelverslag:
    """What `herstel` did, for the CLI to print."""

    schemaversie: str | None
    tabellen: int
    rijen: int
    teruggezet: int = 0
    aanwezig: int = 0
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def verouderd(self) -> bool:
        return self.schemaversie != migraties()[-1]


#: What every manifest holds (workflow.beheer.reservekopie._manifest).
VELDEN = {"database", "schemaversie", "definitieversie", "tabellen", "stukken"}


def lees_manifest(map_: Path) -> dict[str, Any]:
    if not (map_ / MANIFEST).exists():
        raise GebruikersFout(f"{map_} is geen reservekopie van besluitroute ({MANIFEST} "
                             f"ontbreekt)")
    try:
        manifest = json.loads(lees_bytes(map_ / MANIFEST, 512 * 1024 * 1024))
    except BestandFout as exc:
        raise GebruikersFout(f"{map_ / MANIFEST}: {exc}") from None
    except ValueError:
        raise GebruikersFout(f"{map_ / MANIFEST} is geen geldige JSON") from None
    if not isinstance(manifest, dict) or manifest.get("formaat") != FORMAAT:
        raise GebruikersFout(f"{map_ / MANIFEST}: onbekend formaat (verwacht formaat {FORMAAT})")
    ontbreekt = sorted(VELDEN - set(manifest))
    if ontbreekt or not isinstance(manifest["database"], dict) \
            or not isinstance(manifest["tabellen"], dict) \
            or not isinstance(manifest["stukken"], list):
        raise GebruikersFout(f"{map_ / MANIFEST} is onvolledig of beschadigd"
                             + (f" (ontbreekt: {', '.join(ontbreekt)})" if ontbreekt else ""))
    return manifest


def _stukken(map_: Path, manifest: dict[str, Any]) -> list[Stuk]:
    """The manifest's documents. A SHA-256 and the database file are names in the backup
    folder: 64 hex digits, and a name without folders."""
    beschadigd = GebruikersFout(f"{map_ / MANIFEST}: de lijst van documenten of de database is "
                                f"onvolledig of beschadigd")
    try:
        stukken = [Stuk(**s) for s in manifest["stukken"]]
        bestand, _ = manifest["database"]["bestand"], manifest["database"]["sha256"]
    except (TypeError, KeyError):
        raise beschadigd from None
    if any(not re.fullmatch(r"[0-9a-f]{64}", str(s.sha256)) for s in stukken) \
            or Path(str(bestand)).name != bestand:
        raise beschadigd
    return stukken


def _controleer_kopie(map_: Path, manifest: dict[str, Any]) -> list[Stuk]:
    """Every file of the backup against the manifest; all problems at once."""
    fouten = []
    database, stukken = manifest["database"], _stukken(map_, manifest)
    pad = map_ / str(database["bestand"])
    if not pad.is_file():
        fouten.append(f"{pad} ontbreekt")
    elif sha256_bestand(pad) != database["sha256"]:
        fouten.append(f"{pad} is beschadigd (SHA-256 klopt niet met het manifest)")
    gezien: set[str] = set()
    for stuk in stukken:
        if not stuk.bewaard or stuk.sha256 in gezien:
            continue
        gezien.add(stuk.sha256)
        bestand = map_ / STUKKEN / stuk.sha256
        if not bestand.is_file() or sha256_bestand(bestand) != stuk.sha256:
            fouten.append(f"document {stuk.naam} (voorstel {stuk.kenmerk}, versie {stuk.versie})"
                          f" ontbreekt of is beschadigd in de reservekopie")
    if manifest["schemaversie"] not in migraties():
        fouten.append(f"de reservekopie heeft schemaversie {manifest['schemaversie']}, die deze "
                      f"versie van besluitroute niet kent; herstel met een nieuwere besluitroute")
    if fouten:
        raise GebruikersFout(fouten)
    return stukken


def _controleer_leeg(db: Database, manifest: dict[str, Any]) -> bool:
    """Refuse a target that is not empty or of another kind; True when the backup's schema
    exists there already (PostgreSQL's `public`)."""
    soort = manifest["database"]["soort"]
    if soort != ("sqlite" if db.is_sqlite else "postgresql"):
        raise GebruikersFout(f"de reservekopie is van een {soort}-database; herstel haar in "
                             f"een {soort}-database")
    if db.is_sqlite:
        if db.bestand is None:
            raise GebruikersFout("herstel in SQLite gaat alleen naar een bestand "
                                 "(sqlite:///pad/naar/besluitroute.db)")
        if db.bestand.exists() and db.bestand.stat().st_size > 0:
            raise GebruikersFout(f"{db.bestand} bestaat al; herstel gaat alleen naar een "
                                 f"nieuwe, lege database")
        return False
    from sqlalchemy import inspect

    db.schemaversie()  # an unreachable server, in Dutch
    with db.engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        tabellen = inspect(conn).get_table_names(schema=manifest["database"]["schema"])
    # None: the search path names a schema that does not exist yet; the dump creates it.
    if schema not in (None, manifest["database"]["schema"]):
        raise GebruikersFout(f"de reservekopie staat in schema '{manifest['database']['schema']}'"
                             f", de doeldatabase gebruikt schema '{schema}'; kies hetzelfde "
                             f"schema (search_path)")
    if tabellen:
        raise GebruikersFout(f"de doeldatabase is niet leeg ({len(tabellen)} tabellen in schema "
                             f"'{schema}'); herstel gaat alleen naar een lege database")
    return schema is not None


def _sqlite_terug(kopie: Path, doel: Path) -> None:
    import sqlite3

    if not doel.parent.is_dir():
        raise GebruikersFout(f"de map {doel.parent} bestaat niet")
    handle, naam = tempfile.mkstemp(dir=doel.parent, prefix=f".{doel.name}.", suffix=".herstel")
    os.close(handle)
    try:
        bron = sqlite3.connect(f"file:{kopie}?mode=ro", uri=True)
        nieuw = sqlite3.connect(naam)
        try:
            bron.backup(nieuw)
        finally:
            nieuw.close()
            bron.close()
        os.replace(naam, doel)
    finally:
        Path(naam).unlink(missing_ok=True)


def _vergelijk(db: Database, manifest: dict[str, Any]) -> Inhoud:
    with db.engine.connect() as conn:
        inhoud = lees_inhoud(conn)
    fouten = [f"tabel {naam}: {inhoud.tabellen.get(naam)} rijen, het manifest zegt {aantal}"
              for naam, aantal in manifest["tabellen"].items()
              if inhoud.tabellen.get(naam) != aantal]
    verwacht = sorted((s["bijlage"], s["sha256"]) for s in manifest["stukken"])
    if sorted((s.bijlage, s.sha256) for s in inhoud.stukken) != verwacht:
        fouten.append("de controlegetallen van de documenten kloppen niet met het manifest")
    if fouten:
        if db.bestand is not None:
            db.dispose()
            db.bestand.unlink(missing_ok=True)
            fouten.append("de herstelde database is weer verwijderd")
        else:
            fouten.append("de doeldatabase is onbruikbaar; maak haar leeg en herstel opnieuw")
        raise GebruikersFout(fouten)
    return inhoud


def _documenten_terug(map_: Path, stukken: list[Stuk], verslag: Herstelverslag) -> None:
    """Each kept document back at the path it was registered from, when it is not there."""
    for stuk in stukken:
        if not stuk.bewaard:
            verslag.waarschuwingen.append(
                f"document {stuk.naam} (voorstel {stuk.kenmerk}, versie {stuk.versie}) zat niet "
                f"in de reservekopie; het ontbrak al op {stuk.bron}")
            continue
        pad = Path(stuk.bron)
        try:
            if pad.is_file() and sha256_bestand(pad) == stuk.sha256:
                verslag.aanwezig += 1
                continue
            if pad.exists():
                verslag.waarschuwingen.append(
                    f"{pad} heeft een andere inhoud dan document {stuk.naam} (voorstel "
                    f"{stuk.kenmerk}, versie {stuk.versie}); niet overschreven")
                continue
            pad.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            verslag.waarschuwingen.append(f"{pad}: niet terug te zetten ({exc.strerror})")
            continue
        if kopieer_gecontroleerd(map_ / STUKKEN / stuk.sha256, pad, stuk.sha256):
            verslag.teruggezet += 1
        else:
            verslag.waarschuwingen.append(f"{pad}: niet terug te zetten")


def herstel(map_: Path, db: Database) -> Herstelverslag:
    """Restore the backup in `map_` into the empty database `db`."""
    manifest = lees_manifest(map_)
    stukken = _controleer_kopie(map_, manifest)
    schema_bestaat = _controleer_leeg(db, manifest)
    kopie = map_ / str(manifest["database"]["bestand"])
    if db.is_sqlite:
        assert db.bestand is not None
        db.dispose()
        _sqlite_terug(kopie, db.bestand)
    else:
        from workflow.beheer import pgdump

        with db.engine.connect() as conn:
            server = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
        pgdump.herstel(db.url, kopie, server_versie=server, schema_bestaat=schema_bestaat)
    inhoud = _vergelijk(db, manifest)
    verslag = Herstelverslag(inhoud.schemaversie, len(inhoud.tabellen),
                             sum(inhoud.tabellen.values()))
    # Where each document goes is what the restored database says (checked against the
    # manifest by bijlage and SHA-256 above), not a path only the manifest names.
    bewaard = {s.bijlage for s in stukken if s.bewaard}
    _documenten_terug(map_, [replace(s, bewaard=s.bijlage in bewaard) for s in inhoud.stukken],
                      verslag)
    return verslag
