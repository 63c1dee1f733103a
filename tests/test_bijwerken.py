"""An administrator upgrades besluitroute after months or years: a database at any earlier schema
revision, or one written by the previous release, upgrades with `init` and shows the same
proposals; a planner still running the old code stops instead of writing into the new schema."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_planner import Planner, wacht_tot

from workflow.basis import clock
from workflow.basis.paden import meegeleverd
from workflow.beheer import toepassen
from workflow.cli import cli
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.opslag.db import migraties
from workflow.voorstellen import documenten, indienen, uitkomsten

REPO = Path(__file__).resolve().parent.parent
#: The previous release, 0.1.0 (CHANGELOG: "0.1.0 (november 2026)"; its schema is 0006).
VORIGE_UITGAVE = "3b6a932"


def run(url: str, *args: str, nu: str | None = None) -> Result:
    vooraf = ["--database", url] + (["--nu", nu] if nu else [])
    return CliRunner().invoke(cli, [*vooraf, *args], catch_exceptions=False)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def wat_de_cli_toont(url: str) -> dict[str, Any]:
    """The list and every proposal as `voorstel lijst --json` and `voorstel toon --json`."""
    lijst = json.loads(ok(run(url, "voorstel", "lijst", "--json")))
    return {"lijst": lijst, **{v["kenmerk"]: json.loads(ok(run(url, "voorstel", "toon",
                                                                v["kenmerk"], "--json")))
                               for v in lijst}}


def verschillen(oud: Any, nieuw: Any, pad: str = "") -> list[str]:
    """Where `nieuw` differs from `oud` in what `oud` has (new fields in `nieuw` are allowed)."""
    if isinstance(oud, dict) and isinstance(nieuw, dict):
        return [v for k in oud for v in (verschillen(oud[k], nieuw[k], f"{pad}.{k}")
                                         if k in nieuw else [f"{pad}.{k} ontbreekt"])]
    if isinstance(oud, list) and isinstance(nieuw, list) and len(oud) == len(nieuw):
        return [v for i, (a, b) in enumerate(zip(oud, nieuw, strict=True))
                for v in verschillen(a, b, f"{pad}[{i}]")]
    return [] if oud == nieuw else [f"{pad}: {oud!r} werd {nieuw!r}"]


def vul(env: Omgeving, map_: Path) -> None:
    """Proposals in every kind of state, with documents and history."""
    map_.mkdir()
    clock.act_as(datetime(2021, 6, 7, 9, 0, tzinfo=clock.TZ))
    for i in range(3):
        kenmerk = indienen.indienen(env, titel=f"Voorstel {i} <b>&</b>", route="grjr-procesvoorstel",
                                    opsteller="A. Opsteller", door="secretariaat",
                                    beslispunten=("Instemmen", "Kennisnemen"))
        stuk = map_ / f"{kenmerk}.pdf"
        stuk.write_bytes(f"%PDF {i}".encode())
        documenten.registreer(env, kenmerk, stuk, door="secretariaat")
        if i:
            indienen.agenderen(env, kenmerk, door="secretariaat")
        if i == 2:
            clock.act_as(datetime(2021, 6, 14, 12, 0, tzinfo=clock.TZ))
            uitkomsten.advies(env, kenmerk, Uitkomst.POSITIEF, "Akkoord", door="secretariaat")
            clock.act_as(datetime(2021, 6, 7, 9, 0, tzinfo=clock.TZ))
    clock.act_as(None)


def migreer_tot(url: str, revisie: str) -> None:
    from alembic import command
    from alembic.config import Config

    from workflow.opslag.db import MIGRATIES
    from workflow.opslag.engine import make_engine

    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIES))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revisie)
    engine.dispose()


def kopieer_sqlite(bron: Path, doel: Path) -> set[str]:
    """The rows of `bron` into `doel` (the columns `doel`'s older schema has); returns the tables
    `doel` does not have yet."""
    uit, naar = sqlite3.connect(bron), sqlite3.connect(doel)
    try:
        tabellen = [r[0] for r in naar.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' AND name NOT LIKE 'zoek%' "
            "AND name != 'alembic_version'")]
        naar.execute("PRAGMA foreign_keys = OFF")
        for tabel in tabellen:
            kolommen = [r[1] for r in naar.execute(f'PRAGMA table_info("{tabel}")')]
            bronkolommen = {r[1] for r in uit.execute(f'PRAGMA table_info("{tabel}")')}
            gedeeld = [k for k in kolommen if k in bronkolommen]
            lijst = ", ".join(f'"{k}"' for k in gedeeld)
            rijen = uit.execute(f'SELECT {lijst} FROM "{tabel}"').fetchall()
            if rijen:
                naar.executemany(f'INSERT INTO "{tabel}" ({lijst}) VALUES '
                                 f'({", ".join("?" * len(gedeeld))})', rijen)
        naar.commit()
        alle = {r[0] for r in uit.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return alle - {r[0] for r in naar.execute("SELECT name FROM sqlite_master")}
    finally:
        uit.close()
        naar.close()


def kopieer_postgres(conn: Any, bron: str, doel: str) -> set[str]:
    """The same between two schemas of one PostgreSQL database, by INSERT ... SELECT."""
    def kolommen(schema: str) -> dict[str, list[str]]:
        per: dict[str, list[str]] = {}
        for tabel, kolom in conn.exec_driver_sql(
                "SELECT table_name, column_name FROM information_schema.columns WHERE "
                "table_schema = %(s)s AND is_generated = 'NEVER' AND table_name IN (SELECT "
                "table_name FROM information_schema.tables WHERE table_schema = %(s)s AND "
                "table_type = 'BASE TABLE') ORDER BY ordinal_position", {"s": schema}):
            per.setdefault(tabel, []).append(kolom)
        return per

    uit, naar = kolommen(bron), kolommen(doel)
    conn.exec_driver_sql("SET session_replication_role = replica")  # no FK order needed
    for tabel, velden in naar.items():
        gedeeld = ", ".join(f'"{k}"' for k in velden if k in uit.get(tabel, []))
        if tabel != "alembic_version" and tabel in uit:
            conn.exec_driver_sql(f'INSERT INTO "{doel}"."{tabel}" ({gedeeld}) '
                                 f'SELECT {gedeeld} FROM "{bron}"."{tabel}"')
    conn.exec_driver_sql("SET session_replication_role = DEFAULT")
    return set(uit) - set(naar)


def schema_van(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1]


def test_a_database_at_every_earlier_schema_revision_upgrades_and_shows_the_same(
        database_url: str, tmp_path: Path) -> None:
    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    toepassen.init(env, door="test")
    vul(env, tmp_path / "stukken")
    verwacht = wat_de_cli_toont(database_url)
    definities = str(meegeleverd("definities"))
    mislukt = {}
    for revisie in migraties()[:-1]:
        if env.db.is_sqlite:
            oud = tmp_path / f"{revisie}.db"
            url = f"sqlite:///{oud}"
            migreer_tot(url, revisie)
            ontbreekt = kopieer_sqlite(tmp_path / "besluitroute.db", oud)
        else:
            schema = f"{schema_van(database_url)}_{revisie[:4]}"
            url = database_url.replace(schema_van(database_url), schema)
            with env.db.engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            migreer_tot(url, revisie)
            with env.db.engine.begin() as conn:
                ontbreekt = kopieer_postgres(conn, schema_van(database_url), schema)
        # 0001 and its sibling 0003 had no documents (0002): no database of theirs has any.
        zonder = {k: {**v, "documenten": []} if "bijlage" in ontbreekt and k != "lijst" else v
                  for k, v in verwacht.items()}
        # Before stored definitions (0008) `init` adopts the folder the database worked with.
        vooraf = ["--definities", definities] if revisie < "0008" else []
        init = run(url, *vooraf, "init")
        if init.exit_code != 0:
            mislukt[revisie] = init.output
        elif verschil := verschillen(zonder, wat_de_cli_toont(url)):
            mislukt[revisie] = "; ".join(verschil[:5])
        if not env.db.is_sqlite:
            with env.db.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    env.sluit()
    assert mislukt == {}


@pytest.fixture(scope="module")
def vorige_uitgave(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The previous release's `besluitroute`, installed from this repository's history into a
    venv of its own (git archive, then pip, with its own dependencies): ~30 s, once per run."""
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("geen git-geschiedenis van besluitroute hier: de vorige uitgave is niet op te "
                    "halen")
    archief = subprocess.run([git, "-C", str(REPO), "archive", VORIGE_UITGAVE],
                             capture_output=True, check=False)
    if archief.returncode != 0:
        pytest.skip(f"commit {VORIGE_UITGAVE} (0.1.0) ontbreekt in de git-geschiedenis")
    map_ = tmp_path_factory.mktemp("vorige-uitgave")
    bron, venv = map_ / "bron", map_ / "venv"
    bron.mkdir()
    subprocess.run(["tar", "-x", "-C", str(bron)], input=archief.stdout, check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installatie = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"{bron}[postgres]"],
                                 capture_output=True, text=True, timeout=600, check=False)
    if installatie.returncode != 0:
        pytest.skip(f"de vorige uitgave (0.1.0) is niet te installeren: "
                    f"{installatie.stderr.strip().splitlines()[-1:]}")
    return venv / "bin" / "besluitroute"


def test_a_database_written_by_the_previous_release_upgrades_and_shows_the_same(
        database_url: str, tmp_path: Path, vorige_uitgave: Path) -> None:
    stuk = tmp_path / "plan.pdf"
    stuk.write_bytes(b"%PDF plan")
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}

    def oud(*args: str, nu: str) -> str:
        result = subprocess.run([str(vorige_uitgave), "--database", database_url, "--nu", nu,
                                 *args], cwd=tmp_path, env=omgeving, capture_output=True,
                                text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    oud("init", nu="2021-06-01T09:00")
    kenmerken = [oud("voorstel", "indienen", "--titel", f"Voorstel {i}", "--route",
                     "grjr-procesvoorstel", "--opsteller", "A. Opsteller", "--beslispunt",
                     "Instemmen", nu="2021-06-07T09:00") for i in range(2)]
    oud("voorstel", "bijlage", kenmerken[0], str(stuk), "--door", "sec", nu="2021-06-07T09:05")
    oud("voorstel", "agenderen", kenmerken[1], "--door", "sec", nu="2021-06-07T09:10")
    voor = {k: json.loads(oud("voorstel", "toon", k, "--json", nu="2021-06-08T09:00"))
            for k in kenmerken}

    weigering = run(database_url, "voorstel", "lijst")
    assert weigering.exit_code == 2
    assert "voer eenmalig 'besluitroute --definities MAP init' uit" in weigering.output
    definities = vorige_uitgave.parents[2] / "bron" / "definities"  # what the database used
    ok(run(database_url, "--definities", str(definities), "init"))
    na = {k: json.loads(ok(run(database_url, "voorstel", "toon", k, "--json",
                               nu="2021-06-08T09:00"))) for k in kenmerken}
    assert verschillen(voor, na) == []


def test_a_planner_meeting_a_newer_schema_stops_with_one_dutch_line(
        tmp_path: Path, omgeving: Omgeving, database_url: str) -> None:
    if not omgeving.db.is_sqlite:
        pytest.skip("het verhaal is hetzelfde op PostgreSQL; één database volstaat")
    planner = Planner(database_url, tmp_path, "oud")
    try:
        assert wacht_tot(lambda: "planner gestart" in planner.tekst()), planner.tekst()
        # A newer besluitroute upgrades the database while this planner still runs.
        with omgeving.db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_nieuwer'")
        assert planner.proc.wait(timeout=60) == 2
    finally:
        planner.stop()
    regels = [r for r in planner.tekst().splitlines() if r.startswith("fout:")]
    assert regels == ["fout: de database heeft schemaversie '0099_nieuwer', die deze versie van "
                      "besluitroute niet kent; gebruik een nieuwere besluitroute of een andere "
                      "database"]
    assert "Traceback" not in planner.tekst()

    opnieuw = subprocess.run([sys.executable, "-m", "workflow", "--database", database_url,
                              "planner"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=60, check=False)
    assert (opnieuw.returncode, opnieuw.stdout) == (2, "")
    assert opnieuw.stderr.splitlines() == regels
