"""A secretariat keeps its own definitions, templates and database in a config file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflow.basis.paden import meegeleverd
from workflow.cli import cli
from workflow.omgeving import Omgeving


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def werkmap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("BESLUITROUTE_DATABASE_URL", "BESLUITROUTE_DEFINITIES", "BESLUITROUTE_CONFIG",
                 "BESLUITROUTE_SJABLONEN", "BESLUITROUTE_NU"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(meegeleverd("definities"), tmp_path / "mijn-definities")
    # A route of our own: a new file, no new code.
    (tmp_path / "mijn-definities" / "routes" / "snel.yaml").write_text(
        "naam: snel\ntitel: Snelle route\nstappen:\n  - {orgaan: ab-platform-jeugd, rol: besluit}\n",
        encoding="utf-8")
    return tmp_path


def test_config_file_names_database_and_definitions(werkmap: Path) -> None:
    (werkmap / "besluitroute.toml").write_text(
        'database = "sqlite:///grjr.db"\ndefinities = "mijn-definities"\n', encoding="utf-8")
    code, out, err = run("init")
    assert code == 0, err
    assert (werkmap / "grjr.db").exists()
    code, out, _ = run("route", "lijst")
    assert "snel" in out
    code, out, err = run("--nu", "2026-03-02", "voorstel", "indienen", "--titel", "T",
                         "--route", "snel", "--opsteller", "O", "--beslispunt", "Instemmen")
    assert (code, out) == (0, "2026-001\n"), err


def test_options_and_environment_win_over_the_config_file(
        werkmap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (werkmap / "besluitroute.toml").write_text('database = "sqlite:///uit-config.db"\n',
                                               encoding="utf-8")
    monkeypatch.setenv("BESLUITROUTE_DEFINITIES", str(werkmap / "mijn-definities"))
    env = Omgeving.maak(database="sqlite:///optie.db")
    assert env.database_url == "sqlite:///optie.db"
    assert env.definities_map == werkmap / "mijn-definities"
    # The config file names it relative to itself.
    assert Omgeving.maak().database_url == f"sqlite:///{werkmap.absolute()}/uit-config.db"


def test_without_settings_the_database_is_besluitroute_db_here(werkmap: Path) -> None:
    env = Omgeving.maak()
    assert env.database_url == "sqlite:///besluitroute.db"
    assert env.definities_map == meegeleverd("definities")
    assert env.uitgaand_map == Path("uitgaand")


def test_a_broken_config_file_is_a_clear_error(werkmap: Path) -> None:
    (werkmap / "besluitroute.toml").write_text('database = "niet gesloten\n', encoding="utf-8")
    code, _, err = run("route", "lijst")
    assert code == 2
    assert err.startswith("fout: besluitroute.toml: ongeldige TOML")
    code, _, err = run("--config", "bestaat-niet.toml", "route", "lijst")
    assert (code, err) == (2, "fout: configuratiebestand bestaat-niet.toml bestaat niet\n")
