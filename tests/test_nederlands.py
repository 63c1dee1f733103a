"""Issue 28: the causes libraries give (errno, SQLSTATE, SQLite, TOML, dateutil, codecs, the
template sandbox) reach the user as Dutch causes, never as the library's English text; that
text is there with --debug. One line each, checked for English words (tests/nederlands.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from nederlands import controleer_nederlands, engelse_woorden

from workflow.basis.paden import meegeleverd
from workflow.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, prog_name="besluitroute")


def dutch_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: "), result.stderr
    controleer_nederlands(lines[0])
    return lines[0]


def test_the_english_check_itself_finds_library_text_and_leaves_quotes_alone() -> None:
    assert engelse_woorden("fout: x (Connection refused)") == ["Connection", "refused"]
    assert engelse_woorden("fout: onbekend voorstel 'the file'") == []
    assert engelse_woorden("fout: bestand /tmp/test_the_file0/x: bestaat niet") == []


def test_a_refused_connection_names_the_server(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg2")
    monkeypatch.chdir(tmp_path)
    line = dutch_line(run("--database", "postgresql://postgres@127.0.0.1:1/test", "voorstel",
                          "lijst"))
    assert "verbinding geweigerd door 127.0.0.1:1" in line


def test_a_database_that_does_not_exist_is_named(postgres_url: str) -> None:
    url = postgres_url.split("?")[0].rsplit("/", 1)[0] + "/bestaat_niet_i28"
    line = dutch_line(run("--database", url, "voorstel", "lijst"))
    assert "database 'bestaat_niet_i28' bestaat niet" in line


def test_ssl_asked_of_a_server_without_it_is_dutch(postgres_url: str) -> None:
    result = run("--database", postgres_url + "&sslmode=require", "voorstel", "lijst")
    if result.exit_code == 0:
        pytest.skip("deze testserver biedt SSL aan")
    assert "server biedt geen SSL aan" in dutch_line(result)


def test_an_sqlite_file_in_a_missing_folder_is_dutch(tmp_path: Path) -> None:
    line = dutch_line(run("--database", f"sqlite:///{tmp_path}/bestaat/niet/x.db", "init"))
    assert "kan het databasebestand niet openen" in line


def test_debug_shows_the_library_text_beside_the_dutch_line(tmp_path: Path) -> None:
    result = run("--debug", "--database", f"sqlite:///{tmp_path}/bestaat/niet/x.db", "init")
    assert result.exit_code == 2
    assert "unable to open database file" in result.stderr
    assert [regel for regel in result.stderr.splitlines() if regel.startswith("fout: ")] == \
        [f"fout: database niet bereikbaar (sqlite:///{tmp_path}/bestaat/niet/x.db): kan het "
         f"databasebestand niet openen"]


def test_bad_toml_names_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "slecht.toml").write_text("a = @\n", encoding="utf-8")
    assert dutch_line(run("--config", "slecht.toml", "voorstel", "lijst")) == \
        "fout: slecht.toml: ongeldige TOML op regel 1, kolom 5"


def test_an_input_output_error_is_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = dutch_line(run("--config", "/proc/self/mem", "voorstel", "lijst"))
    assert "invoer-/uitvoerfout" in line


def test_a_folder_that_is_a_file_is_dutch(tmp_path: Path) -> None:
    from workflow.agenda.generatie import controleer_map
    from workflow.basis.fouten import GebruikersFout

    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    with pytest.raises(GebruikersFout) as info:
        controleer_map(tmp_path / "bestand")
    assert "(bestaat al)" in str(info.value)
    controleer_nederlands(str(info.value))


@pytest.fixture
def defs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "defs"
    shutil.copytree(meegeleverd("definities"), folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BESLUITROUTE_CACHE", str(tmp_path / "cache"))
    return folder


@pytest.mark.parametrize(("regel", "reden"), [
    ("FREQ=WHAT", "FREQ=WHAT is geen geldige herhaling"),
    ("FREQ=MONTHLY;FOO=1", "onbekend onderdeel FOO"),
])
def test_an_invalid_recurrence_rule_is_dutch(defs: Path, regel: str, reden: str) -> None:
    pad = defs / "organen" / "aoj.yaml"
    tekst = pad.read_text(encoding="utf-8")
    assert 'regel: "FREQ=MONTHLY;BYMONTH' in tekst
    pad.write_text(tekst.replace('regel: "FREQ=MONTHLY;BYMONTH', f'regel: "{regel};BYMONTH', 1),
                   encoding="utf-8")
    line = dutch_line(run("definities", "controleer", str(defs)))
    assert reden in line


def test_invalid_utf8_in_a_definition_is_dutch(defs: Path) -> None:
    (defs / "organen" / "aoj.yaml").write_bytes(b"naam: \xff\xfe\n")
    line = dutch_line(run("definities", "controleer", str(defs)))
    assert line.endswith("aoj.yaml:1: geen geldige UTF-8 (byte 7)")


@pytest.mark.parametrize(("template", "reden"), [
    ("{{ ''.__class__ }}", "attribuut '__class__' van een str-waarde is in een sjabloon niet "
                           "toegestaan"),
    ("{{ range(10**9) }}", "range() met 1.000.000.000 getallen"),
    ("{{ 1 + }}", "syntaxfout: onverwacht: het einde van de uitvoer"),
    ("{{ x }}", "onbekende naam 'x'"),
    ("{{ '2026-13-45'|datum }}", "'2026-13-45' is geen datum"),
    ("{% blok %}", "syntaxfout: onbekende opdracht 'blok'"),
    ("{{ 1/0 }}", "deling door nul"),
    ("{{ {}['x'] }}", "onbekend attribuut 'x'"),
], ids=["attribuut", "range", "syntax", "onbekend", "datum", "tag", "nul", "sleutel"])
def test_template_errors_are_dutch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   template: str, reden: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert run("vergadering", "lijst").exit_code == 0
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    (sjablonen / "agenda.txt").write_text(template, encoding="utf-8")
    line = dutch_line(run("--sjablonen", str(sjablonen), "agenda", "maak", "1", "--formaat",
                          "tekst"))
    assert reden in line
