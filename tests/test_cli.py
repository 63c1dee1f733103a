"""The installed `besluitroute` command, run as a real subprocess the way a secretary runs it."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def installed_command() -> str:
    beside = Path(sys.executable).parent / "besluitroute"
    found = str(beside) if beside.exists() else shutil.which("besluitroute")
    if found is None:
        if os.environ.get("BESLUITROUTE_VEREIS_COMMANDO") == "1":  # CI installs it: must be there
            pytest.fail("het commando besluitroute ontbreekt, maar BESLUITROUTE_VEREIS_COMMANDO=1")
        pytest.skip("het commando besluitroute is niet geïnstalleerd (pip install .)")
    return found


def besluitroute(*args: str, cwd: Path, database_url: str | None = None,
                 nu: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    if database_url:
        env["BESLUITROUTE_DATABASE_URL"] = database_url
    if nu:
        env["BESLUITROUTE_NU"] = nu
    return subprocess.run([installed_command(), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_help_is_dutch_and_lists_the_commands(tmp_path: Path) -> None:
    result = besluitroute("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("Gebruik: besluitroute [OPTIES] COMMANDO [ARGUMENTEN]...")
    for word in ("Opties:", "Commando's:", "voorstel", "vergadering", "route", "demo",
                 "Toon deze hulp en stop."):
        assert word in result.stdout, word
    # The second time it comes from the cached text, without importing click: the same words.
    again = besluitroute("--help", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, result.stdout)
    sub = besluitroute("voorstel", "indienen", "--help", cwd=tmp_path)
    assert sub.stdout.startswith("Gebruik: besluitroute voorstel indienen [OPTIES]")


def test_installed_command_finds_the_shipped_definitions_outside_a_checkout(
        tmp_path: Path) -> None:
    result = besluitroute("definities", "controleer", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("in orde: 24 organen")


def test_a_secretary_session_in_subprocesses(tmp_path: Path, database_url: str) -> None:
    assert besluitroute("init", cwd=tmp_path, database_url=database_url).returncode == 0
    submitted = besluitroute("voorstel", "indienen", "--titel", "Procesvoorstel", "--route",
                             "grjr-procesvoorstel", "--opsteller", "A. Opsteller",
                             "--beslispunt", "Instemmen",
                             cwd=tmp_path, database_url=database_url, nu="2026-03-02T10:00")
    assert submitted.returncode == 0, submitted.stderr
    assert submitted.stdout == "2026-001\n"  # the kenmerk alone, for scripts
    agendered = besluitroute("voorstel", "agenderen", "2026-001", cwd=tmp_path,
                             database_url=database_url, nu="2026-03-02T10:05")
    assert agendered.returncode == 0, agendered.stderr
    assert "geagendeerd bij Programmateam" in agendered.stdout
    refused = besluitroute("voorstel", "besluit", "2026-001", "--uitkomst", "vastgesteld",
                           cwd=tmp_path, database_url=database_url, nu="2026-03-09T10:00")
    assert refused.returncode == 2
    assert refused.stdout == ""
    # Each body with its own article from the definitions (`lidwoord`).
    assert refused.stderr == ("fout: voorstel 2026-001 staat bij het Programmateam; een besluit "
                              "van het AB kan pas na het advies van het AOJ\n")
    shown = besluitroute("voorstel", "toon", "2026-001", "--json", cwd=tmp_path,
                         database_url=database_url)
    assert json.loads(shown.stdout)["status"] == "programmateam:geagendeerd"


def test_usage_errors_are_dutch_with_exit_code_2(tmp_path: Path) -> None:
    result = besluitroute("voorstel", "advies", "2026-001", "--uitkomst", "misschien",
                          cwd=tmp_path)
    assert result.returncode == 2
    assert "Ongeldige waarde voor '--uitkomst'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_uninitialised_database_is_a_clear_error(tmp_path: Path) -> None:
    result = besluitroute("voorstel", "lijst", cwd=tmp_path,
                          database_url=f"sqlite:///{tmp_path / 'leeg.db'}")
    assert result.returncode == 2
    assert result.stderr == ("fout: de database is nog niet aangemaakt; voer eerst "
                             "'besluitroute init' uit\n")


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = besluitroute("voorstel", "lijst", cwd=tmp_path,
                          database_url="postgresql://postgres@127.0.0.1:1/geen")
    assert result.returncode == 2
    assert result.stderr.startswith("fout: database niet bereikbaar (postgresql://postgres@")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_demo_walks_seed_002_to_adoption(tmp_path: Path) -> None:
    result = besluitroute("demo", "--map", str(tmp_path / "demo"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for line in ("Programmateam regiovisie", "14 juni 2021", "Stuurgroep transformatie",
                 "23 juni 2021", "Ambtelijk Overleg Jeugd", "24 juni 2021", "AB platform jeugd",
                 "2 juli 2021", "Stand:            vastgesteld"):
        assert line in out, line
    # The main job on the embedded default: SQLite, agendas written, mail as .eml files.
    folder = tmp_path / "demo"
    assert (folder / "besluitroute.db").exists()
    mails = list((folder / "uitgaand").glob("*.eml"))
    assert any(m.name.endswith("-agenda.eml") for m in mails)
    assert any("Subject: Agenda Programmateam regiovisie 14 juni 2021 (2021-001)" in
               m.read_text(encoding="utf-8") for m in mails)
    assert list((folder / "agendas").glob("agenda-ab-platform-jeugd-2021-07-02-*.html"))


def test_de_lijst_toont_de_stand_van_de_toegepaste_versie_zonder_de_definities_te_laden(
        tmp_path: Path, database_url: str) -> None:
    """`voorstel lijst` takes each row's stand and the states per body from a small file per
    applied version (workflow.voorstellen.standen), not from the typed definitions, and selects
    from Core tables on a Core connection: a warm listing imports neither the definitions nor the
    ORM nor the mapped classes. A new version shows its own names; a damaged file is rebuilt."""
    mijn = tmp_path / "mijn"
    shutil.copytree(Path(__file__).parents[1] / "definities", mijn)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    env.update(BESLUITROUTE_DATABASE_URL=database_url, BESLUITROUTE_CACHE=str(cache),
               BESLUITROUTE_NU="2026-03-02T10:00")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([installed_command(), *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    zwaar = ["workflow.definities.model", "sqlalchemy.orm", "workflow.opslag.models"]

    def lijst(*args: str) -> tuple[str, list[str]]:
        """The listing's output, and which of `zwaar` the process imported."""
        code = ("import runpy, sys\n"
                f"sys.argv = ['besluitroute', 'voorstel', 'lijst', *{list(args)!r}]\n"
                "try:\n    runpy.run_module('workflow', run_name='__main__')\n"
                "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
                f"print([m for m in {zwaar!r} if m in sys.modules], file=sys.stderr)\n")
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        geladen = ast.literal_eval(result.stderr.strip().splitlines()[-1])
        assert isinstance(geladen, list)
        return result.stdout, geladen

    assert run("--definities", str(mijn), "init").returncode == 0
    for titel in ("Regiovisie", "Inkoopkader"):
        assert run("voorstel", "indienen", "--titel", titel, "--route", "grjr-procesvoorstel",
                   "--opsteller", "A. Opsteller", "--beslispunt", "Instemmen").returncode == 0
    assert run("voorstel", "agenderen", "2026-001").returncode == 0

    eerste, _ = lijst("--orgaan", "programmateam")
    assert "geagendeerd bij Programmateam" in eerste and "2026-002" in eerste
    assert lijst("--orgaan", "programmateam") == (eerste, [])
    assert lijst("--status", "geagendeerd")[1] == []
    assert [r.split()[0] for r in lijst("--status", "ingediend")[0].splitlines()[2:]] == \
        ["2026-002"]

    yaml = mijn / "organen" / "programmateam.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "afkorting: Programmateam", "afkorting: PT regiovisie"), encoding="utf-8")
    toegepast = run("definities", "toepassen", str(mijn), "--ja")
    assert toegepast.returncode == 0, toegepast.stderr
    nieuw, _ = lijst("--orgaan", "programmateam")
    assert "geagendeerd bij PT regiovisie" in nieuw
    assert lijst("--orgaan", "programmateam") == (nieuw, [])

    for bestand in cache.glob("standen-*.json"):
        bestand.write_text('{"per_orgaan": [', encoding="utf-8")
    assert lijst("--orgaan", "programmateam")[0] == nieuw
    onbekend = run("voorstel", "lijst", "--orgaan", "geen-orgaan")
    assert onbekend.returncode == 2
    assert onbekend.stderr.startswith("fout: onbekend orgaan 'geen-orgaan' (bekend: ")
