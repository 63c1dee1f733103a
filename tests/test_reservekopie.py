"""An administrator backs up besluitroute while the secretariat and the planner work, and restores
it into a fresh database: the proposals, their history and their documents come back the same."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_planner import wacht_tot

from workflow.basis.fouten import Conflict
from workflow.cli import cli
from workflow.omgeving import Omgeving
from workflow.voorstellen import documenten, indienen

ROUTE = "grjr-procesvoorstel"
SCHRIJVERS = 20


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database", url, *args], catch_exceptions=False)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def dossiers(url: str) -> dict[str, object]:
    """`voorstel toon --json` of every proposal."""
    kenmerken = [v["kenmerk"] for v in json.loads(ok(run(url, "voorstel", "lijst", "--json")))]
    return {k: json.loads(ok(run(url, "voorstel", "toon", k, "--json"))) for k in kenmerken}


@pytest.fixture
def lege_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database to restore into: a new SQLite file, or a new PostgreSQL database (made
    and dropped here) whose search path names the source's schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'hersteld.db'}"
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        if os.environ.get("BESLUITROUTE_VEREIS_POSTGRES") == "1":
            pytest.fail("pg_dump/pg_restore ontbreken, en het PostgreSQL-deel is vereist")
        pytest.skip("pg_dump/pg_restore ontbreken: de reservekopie op PostgreSQL is overgeslagen")
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from workflow.opslag.engine import met_stuurprogramma

    naam = f"besluitroute_herstel_{uuid.uuid4().hex[:10]}"
    beheer = create_engine(met_stuurprogramma(database_url), isolation_level="AUTOCOMMIT")
    with beheer.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{naam}"')
    try:
        yield make_url(database_url).set(database=naam).render_as_string(hide_password=False)
    finally:
        with beheer.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        beheer.dispose()


def registreer_stukken(env: Omgeving, map_: Path, aantal: int) -> list[str]:
    map_.mkdir()
    kenmerken = []
    for i in range(aantal):
        kenmerk = indienen.indienen(env, titel=f"Voorstel {i}", route=ROUTE, opsteller="A. Opsteller",
                                    door="secretariaat", beslispunten=("Instemmen",))
        for versie in (1, 2):  # two versions under one name, each kept where it was put
            stuk = map_ / f"v{versie}" / f"{kenmerk}-plan.pdf"
            stuk.parent.mkdir(exist_ok=True)
            stuk.write_bytes(f"%PDF-1.4 plan {i} versie {versie}\n".encode() * (i + 1))
            documenten.registreer(env, kenmerk, stuk, door="secretariaat")
        kenmerken.append(kenmerk)
    return kenmerken


def start_planner(url: str, map_: Path) -> subprocess.Popen[str]:
    omgeving = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    omgeving["BESLUITROUTE_UITGAAND_MAP"] = str(map_ / "uitgaand")
    planner = subprocess.Popen([sys.executable, "-m", "workflow", "--database", url, "planner",
                                "--interval", "1"], cwd=map_, env=omgeving, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    assert planner.stdout is not None
    for regel in planner.stdout:  # running once its first pass is logged
        if "ronde:" in regel or time.monotonic() > deadline:
            break
    assert planner.poll() is None, "de planner draait niet"
    return planner


def test_a_backup_taken_while_twenty_writers_and_the_planner_work_restores_identically(
        omgeving: Omgeving, database_url: str, lege_database: str, tmp_path: Path) -> None:
    vooraf = registreer_stukken(omgeving, tmp_path / "stukken", 5)
    planner = start_planner(database_url, tmp_path)
    stop = threading.Event()
    geschreven: list[str] = []

    def schrijver(n: int) -> None:
        while not stop.is_set():
            with contextlib.suppress(Conflict):  # one writer won, this one tries again
                geschreven.append(indienen.indienen(
                    omgeving, titel=f"Schrijver {n}", route=ROUTE, opsteller="B. Opsteller",
                    door=f"schrijver-{n}", beslispunten=("Instemmen",)))

    schrijvers = [threading.Thread(target=schrijver, args=(n,)) for n in range(SCHRIJVERS)]
    try:
        for t in schrijvers:
            t.start()
        assert wacht_tot(lambda: len(geschreven) >= 20)
        kopie = tmp_path / "reservekopie" / "2026-12-05"
        uit = ok(run(database_url, "reservekopie", str(kopie), "--maak-map"))
        na_kopie = len(geschreven)  # and the writing goes on after the backup
        assert wacht_tot(lambda: len(geschreven) >= na_kopie + 40)
    finally:
        stop.set()
        for t in schrijvers:
            t.join(timeout=60)
        planner.send_signal(signal.SIGTERM)
        planner.communicate(timeout=60)
    assert planner.returncode == 0
    assert "documenten: 10 van 10 bewaard" in uit

    hersteld = ok(run(database_url, "herstel", str(kopie), "--database", lege_database))
    assert "(aantallen gecontroleerd)" in hersteld
    assert "documenten: 0 teruggezet, 10 al op hun plaats" in hersteld

    manifest = json.loads((kopie / "manifest.json").read_text())
    terug = dossiers(lege_database)
    bron = dossiers(database_url)
    # A moment in the middle of the writing, consistent in itself: every proposal the copy has
    # is exactly as in the source (appended only), the counter matches, the later ones are not.
    assert set(vooraf) <= set(terug) and len(terug) < len(bron)
    assert {k: bron[k] for k in terug} == terug
    assert manifest["tabellen"]["voorstel"] == len(terug)
    assert sum(len(d["geschiedenis"]) for d in terug.values()) \
        == manifest["tabellen"]["gebeurtenis"]
    tellers = json.loads(ok(run(lege_database, "voorstel", "lijst", "--json")))
    assert max(int(v["kenmerk"].split("-")[1]) for v in tellers) == len(terug)
    for stuk in manifest["stukken"]:
        assert documenten.sha256_van(kopie / "stukken" / stuk["sha256"])[0] == stuk["sha256"]
    assert len(manifest["stukken"]) == 10
    assert {s["sha256"] for s in manifest["stukken"] if s["versie"] == 2} == {
        d["sha256"] for k in vooraf for d in terug[k]["documenten"]}


def test_restore_puts_vanished_documents_back_and_refuses_a_database_in_use(
        omgeving: Omgeving, database_url: str, lege_database: str, tmp_path: Path) -> None:
    [kenmerk] = registreer_stukken(omgeving, tmp_path / "stukken", 1)
    kopie = tmp_path / "kopie"
    ok(run(database_url, "reservekopie", str(kopie)))
    assert kopie.stat().st_mode & 0o777 == 0o700
    shutil.rmtree(tmp_path / "stukken")  # the disk with the documents is lost as well

    refused = run(database_url, "herstel", str(kopie), "--database", database_url)
    assert refused.exit_code == 2
    assert "herstel gaat alleen naar een" in refused.output and "lege database" in refused.output

    uit = ok(run(database_url, "herstel", str(kopie), "--database", lege_database))
    assert "documenten: 2 teruggezet" in uit
    assert (tmp_path / "stukken" / "v2" / f"{kenmerk}-plan.pdf").read_bytes().startswith(
        b"%PDF-1.4 plan 0 versie 2")
    assert dossiers(lege_database) == dossiers(database_url)


def test_a_damaged_backup_is_refused_before_anything_is_written(
        omgeving: Omgeving, database_url: str, lege_database: str, tmp_path: Path) -> None:
    registreer_stukken(omgeving, tmp_path / "stukken", 1)
    kopie = tmp_path / "kopie"
    ok(run(database_url, "reservekopie", str(kopie)))
    [stuk] = [p for p in (kopie / "stukken").iterdir() if p.is_file()][:1]
    stuk.write_bytes(b"beschadigd")

    result = run(database_url, "herstel", str(kopie), "--database", lege_database)
    assert result.exit_code == 2
    assert "ontbreekt of is beschadigd in de reservekopie" in result.output
    assert "Traceback" not in result.output
    assert "de database is nog niet aangemaakt" in run(lege_database, "voorstel", "lijst").output

    bezet = run(database_url, "reservekopie", str(kopie))
    assert bezet.exit_code == 2 and "bestaat al" in bezet.output


def test_a_backup_of_a_newer_version_or_with_a_tampered_manifest_is_refused(
        omgeving: Omgeving, database_url: str, lege_database: str, tmp_path: Path) -> None:
    registreer_stukken(omgeving, tmp_path / "stukken", 1)
    kopie = tmp_path / "kopie"
    ok(run(database_url, "reservekopie", str(kopie)))
    manifest = json.loads((kopie / "manifest.json").read_text())
    for wijziging, melding in (
            ({"schemaversie": "0099_nieuwer"}, "de reservekopie heeft schemaversie 0099_nieuwer, "
                                               "die deze versie van besluitroute niet kent"),
            ({"stukken": [{**manifest["stukken"][0], "sha256": "../../../etc/passwd"}]},
             "de lijst van documenten of de database is onvolledig of beschadigd"),
            ({"tabellen": None}, "manifest.json is onvolledig of beschadigd")):
        (kopie / "manifest.json").write_text(json.dumps({**manifest, **wijziging}))
        result = run(database_url, "herstel", str(kopie), "--database", lege_database)
        assert result.exit_code == 2 and melding in result.output, result.output
        assert "Traceback" not in result.output


def test_without_pg_dump_the_backup_says_what_to_install(
        database_url: str, omgeving: Omgeving, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite maakt de kopie zelf, zonder pg_dump")
    monkeypatch.setenv("PATH", str(tmp_path / "leeg"))
    result = run(database_url, "reservekopie", str(tmp_path / "kopie"))
    assert result.exit_code == 2
    assert result.output.startswith("fout: pg_dump ontbreekt: een reservekopie van PostgreSQL "
                                    "gaat met pg_dump (installeer bijvoorbeeld het pakket "
                                    "postgresql-client-15)")
    assert not (tmp_path / "kopie").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kopie")]
