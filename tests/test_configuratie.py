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


@pytest.mark.parametrize(("inhoud", "melding"), [
    ('[smtp]\nhots = "smtp.example"\n', "besluitroute.toml: onbekende instelling [smtp] hots"),
    ('databse = "sqlite:///x.db"\n', "besluitroute.toml: onbekende instelling databse"),
    ('[smpt]\nhost = "smtp.example"\n', "besluitroute.toml: onbekende sectie [smpt]"),
    ('[smtp]\nport = "587"\n', "besluitroute.toml: [smtp] port moet een geheel getal zijn"),
    ('[web]\ntls = "uit"\n', "besluitroute.toml: [web] tls moet true of false zijn"),
    ('[mail]\nbijlagen_max_mb = "veel"\n', "[mail] bijlagen_max_mb moet een getal zijn"),
])
def test_a_misspelled_or_mistyped_setting_is_one_dutch_line_naming_file_and_key(
        werkmap: Path, inhoud: str, melding: str) -> None:
    """A typo in besluitroute.toml used to be ignored: the mail went to the folder, not SMTP."""
    (werkmap / "besluitroute.toml").write_text(inhoud, encoding="utf-8")
    code, _, err = run("route", "lijst")
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("fout: ") and melding in err, err
    assert "Traceback" not in err


def test_every_setting_is_typed_and_the_environment_wins_over_the_file(
        werkmap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (werkmap / "besluitroute.toml").write_text(
        '[smtp]\nhost = "uit-bestand.example"\nport = 2525\n[web]\ntls = false\n'
        '[agenda]\nmap = "agendas"\n', encoding="utf-8")
    monkeypatch.setenv("BESLUITROUTE_SMTP_HOST", "uit-omgeving.example")
    ingesteld = Omgeving.maak().instellingen
    assert (ingesteld.smtp_host, ingesteld.smtp_port, ingesteld.web_tls) == (
        "uit-omgeving.example", 2525, False)
    assert ingesteld.agenda_map == werkmap.absolute() / "agendas"  # relative to the file
    assert ingesteld.mail_bijlagen_max_mb == 10.0
    monkeypatch.setenv("BESLUITROUTE_SMTP_PORT", "vijf")
    code, _, err = run("route", "lijst")
    assert (code, err) == (2, "fout: BESLUITROUTE_SMTP_PORT moet een geheel getal zijn\n")


def test_docs_configuratie_is_the_table_the_settings_module_declares() -> None:
    """docs/configuratie.md cannot drift: its table is generated from the declarations."""
    from workflow.basis import instellingen

    pagina = (Path(__file__).resolve().parent.parent / "docs" / "configuratie.md").read_text(
        encoding="utf-8")
    inleiding = pagina.split("## Alle instellingen", 1)[0]
    assert pagina == instellingen.configuratie_md(inleiding), \
        "werk docs/configuratie.md bij: .venv/bin/python -m workflow.basis.instellingen"


def test_no_module_reads_a_setting_of_its_own() -> None:
    """Only the settings module knows keys and BESLUITROUTE_* variables (and start.py's cache
    folder, read before anything is imported, for --help)."""
    import re

    workflow = Path(__file__).resolve().parent.parent / "workflow"
    toegestaan = {"basis/instellingen.py", "omgeving.py", "start.py", "basis/paden.py",
                  "definities/versies.py"}
    for bestand in workflow.rglob("*.py"):
        naam = str(bestand.relative_to(workflow))
        if naam in toegestaan:
            continue
        tekst = bestand.read_text(encoding="utf-8")
        assert not re.search(r"\.config\.get\(|config\.get\(\"|environ.get\(\"BESLUITROUTE_"
                             r"|environ\[\"BESLUITROUTE_", tekst), naam
