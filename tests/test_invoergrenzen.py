"""Issue 12: every input has bounds, checked where it enters. Each case below once ended in a
traceback, a hang or a runaway; now each is one Dutch line `fout: ...` and exit code 2."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from nederlands import controleer_nederlands

from workflow.basis.paden import meegeleverd
from workflow.cli import cli
from workflow.opslag.engine import met_stuurprogramma

Besluitroute = Callable[..., Result]


def run(*args: str, cwd: Path | None = None) -> Result:
    """The CLI in-process; an exception that escapes it fails the test (no tracebacks)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, prog_name="besluitroute")


def one_dutch_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: ")
    assert "Traceback" not in result.output
    assert "Try '" not in result.stderr and "\nError: " not in "\n" + result.stderr
    controleer_nederlands(lines[0])
    return lines[0]


@pytest.fixture
def defs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped definitions to break, with the working directory beside it."""
    folder = tmp_path / "defs"
    shutil.copytree(meegeleverd("definities"), folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BESLUITROUTE_CACHE", str(tmp_path / "cache"))
    return folder


def set_key(path: Path, key: str, value: str) -> int:
    """Replace a top-level `key:` line; returns its 1-based line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[number] = f"{key}: {value}"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return number + 1
    path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n", encoding="utf-8")
    return len(lines) + 1


def controleer(folder: Path) -> Result:
    return run("definities", "controleer", str(folder))


# ---------------------------------------------------------------------------------------------
# Definitions: numbers and dates that would overflow a later command.

@pytest.mark.parametrize(("key", "value"), [
    ("aanleveren_werkdagen", "99999999999999999999"),
    ("verzenden_dagen", "999999999999"),
    ("duur_minuten", "99999999999999"),
])
def test_numbers_that_would_overflow_a_date_are_refused(defs: Path, key: str, value: str) -> None:
    line = set_key(defs / "organen" / "aoj.yaml", key, value)
    result = controleer(defs)
    assert result.exit_code == 2
    assert f"defs/organen/aoj.yaml:{line}: '{key}': mag hoogstens" in result.stderr
    assert "Traceback" not in result.output


def test_a_meeting_in_the_year_9999_is_refused(defs: Path) -> None:
    path = defs / "organen" / "aoj.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "vergaderingen:", "vergaderingen:\n  - datum: 9999-12-31", 1), encoding="utf-8")
    result = controleer(defs)
    assert result.exit_code == 2
    assert "datum 9999-12-31 valt buiten 1900-01-01 .. 2199-12-31" in result.stderr


def test_a_body_name_with_a_line_break_is_refused(defs: Path) -> None:
    line = set_key(defs / "organen" / "aoj.yaml", "naam", '"AOJ\\r\\nBcc: iedereen"')
    result = controleer(defs)
    assert result.exit_code == 2
    assert f"defs/organen/aoj.yaml:{line}: 'naam': bevat een stuurteken" in result.stderr


def test_an_hourly_rhythm_is_refused(defs: Path) -> None:
    path = defs / "organen" / "aoj.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ritmes:\n", 'ritmes:\n  - {regel: "FREQ=SECONDLY", '
                                              'vanaf: 2026-01-01}\n', 1), encoding="utf-8")
    result = controleer(defs)
    assert result.exit_code == 2
    assert "FREQ moet YEARLY, MONTHLY, WEEKLY of DAILY zijn" in result.stderr


@pytest.mark.parametrize("regel", ["FREQ=MONTHLY;BYDAY=-99999999999999999999TH",
                                   "FREQ=MONTHLY;BYDAY=60TH", "FREQ=YEARLY;BYMONTH=3;BYDAY=9TH"])
def test_a_weekday_rank_dateutil_cannot_expand_is_refused(defs: Path, regel: str) -> None:
    """Found by the fuzz (issue 28): accepted, then an IndexError in every later command."""
    path = defs / "organen" / "aoj.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ritmes:\n", f'ritmes:\n  - {{regel: "{regel}", '
                                              'vanaf: 2026-01-01}\n', 1), encoding="utf-8")
    line = one_dutch_line(controleer(defs))
    assert "het rangnummer in BYDAY moet tussen -5 en 5 liggen" in line


# ---------------------------------------------------------------------------------------------
# Definitions: files that are not what they claim.

BILLION_LAUGHS = "\n".join(
    ['sleutel: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
       for i in range(8)]) + "\n"


@pytest.mark.parametrize(("content", "message"), [
    (BILLION_LAUGHS, "aliassen breiden te ver uit"),
    ("sleutel: " + "[" * 1000 + "]" * 1000 + "\n", "te diep genest"),
    ("[" * 100_000, "te diep genest"),
    ("naam: x\n" + "# opvulling\n" * 100_000, "te groot"),
    ("sleutel: [1, 2\nnaam: x\n", "',' of ']' verwacht"),
    ("naam: {a: 1\n", "',' of '}' verwacht"),
    ("naam: 'open\n", "bestand houdt onverwacht op"),
    (b"naam: \xff\xfe\n", "geen geldige UTF-8"),
])
def test_hostile_yaml_is_refused_before_it_is_built(defs: Path, content: str | bytes,
                                                    message: str) -> None:
    path = defs / "organen" / "boos.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = controleer(defs)
    assert result.exit_code == 2
    line = next(line for line in result.stderr.splitlines() if "boos.yaml" in line)
    assert line.startswith("fout: defs/organen/boos.yaml:")
    assert message in line
    # No English from the parser.
    assert "did not find" not in result.stderr and "while parsing" not in result.stderr


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "bestaat-niet.yaml")


def _loop(path: Path) -> None:
    path.symlink_to(path)


def _outside(path: Path) -> None:
    path.symlink_to("/etc/hostname")


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize(("make", "message"), [
    (_fifo, "named pipe (FIFO), geen gewoon bestand"),
    (_dangling, "bestaat niet"),
    (_loop, "kring"),
    (_outside, "buiten de map"),
    (_dev_zero, "buiten de map"),
    (_directory, "is een map"),
], ids=["fifo", "dangling", "loop", "outside", "dev-zero", "directory"])
def test_only_regular_files_inside_the_folder_are_read(defs: Path, make, message: str) -> None:
    make(defs / "organen" / "x.yaml")
    result = controleer(defs)
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: defs/organen/x.yaml:1: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreadable_file_is_named(defs: Path) -> None:
    """Run as a user the file system holds to its permissions: .ci/run runs it once more
    without root's right to read anything (setpriv), where a skip is a failure."""
    path = defs / "organen" / "aoj.yaml"
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("deze gebruiker leest alles (root): .ci/run draait dit zonder die rechten")
        result = controleer(defs)
    finally:
        path.chmod(0o644)
    assert result.exit_code == 2
    assert "defs/organen/aoj.yaml:1: geen leesrechten" in result.stderr


def test_values_at_the_bounds_work_in_every_later_command(defs: Path, database_url: str) -> None:
    """What controleer accepts at the edge must not crash lijst, plan, export or the cron round."""
    path = defs / "organen" / "aoj.yaml"
    set_key(path, "aanleveren_werkdagen", "120")
    set_key(path, "verzenden_dagen", "180")
    set_key(path, "duur_minuten", "1440")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "vergaderingen:", "vergaderingen:\n  - datum: 2199-12-31\n  - datum: 1900-01-02", 1),
        encoding="utf-8")
    assert controleer(defs).exit_code == 0
    base = ["--database", database_url, "--definities", str(defs)]
    assert run(*base, "init").exit_code == 0
    for args in (["vergadering", "lijst"], ["kalender", "export"], ["verplichtingen"],
                 ["plan", "--route", "grjr-procesvoorstel", "--vanaf", "2199-06-01"],
                 ["agenda", "genereer", "--map", "agendas"]):
        result = run(*base, *args)
        assert result.exit_code in (0, 2), (args, result.output)
    assert run(*base, "--nu", "2199-12-30T09:00", "herinneringen", "verstuur").exit_code == 0


# ---------------------------------------------------------------------------------------------
# The command line.

@pytest.fixture
def cli_db(besluitroute: Besluitroute) -> Besluitroute:
    assert besluitroute("init").exit_code == 0
    return besluitroute


@pytest.mark.parametrize("args", [
    ["voorstel", "agenderen", "2026-001", "--vergadering", "99999999999999999999"],
    ["vergadering", "verplaats", "99999999999999999999", "--naar", "2026-06-30"],
    ["vergadering", "annuleer", "99999999999999999999"],
    ["berichten", "opnieuw", "99999999999999999999"],
    ["verplichtingen", "--jaar", "99999"],
    ["planner", "--grace", "1e309"],
    ["herinneringen", "verstuur", "--inhaaltermijn", "nan"],
    ["vergadering", "lijst", "--van", "0001-01-01"],
], ids=["agenderen", "verplaats", "annuleer", "opnieuw", "jaar", "grace", "inhaal-nan",
        "lijst-van"])
def test_numbers_out_of_range_are_refused_at_the_edge(cli_db: Besluitroute, args: list[str]) -> None:
    line = one_dutch_line(cli_db(*args))
    assert "(zie '" in line or "buiten" in line or "inhaaltermijn" in line


def test_an_id_beyond_a_database_integer_is_unknown_not_a_crash(cli_db: Besluitroute) -> None:
    line = one_dutch_line(cli_db("agenda", "maak", "99999999999999999999"))
    assert "onbekende vergadering '99999999999999999999'" in line


#: A value with CR and LF, as a header-injection attempt would give it.
GESPLITST = "a\r\nBcc: evil@x.example"


@pytest.mark.parametrize("args", [
    ["--nu", GESPLITST, "voorstel", "lijst"],
    ["voorstel", "toon", GESPLITST],
    ["vergadering", "lijst", "--van", GESPLITST],
    ["vergadering", "lijst", "--tot", GESPLITST],
    ["vergadering", "verplaats", "1", "--naar", GESPLITST],
    ["vergadering", "toevoegen", "--orgaan", "aoj", "--op", GESPLITST],
    ["vergadering", "toevoegen", "--orgaan", GESPLITST, "--op", "2026-06-30"],
    ["plan", "--route", "grjr-procesvoorstel", "--vanaf", GESPLITST],
    ["plan", "--route", GESPLITST],
    ["agenda", "maak", GESPLITST],
    ["agenda", "genereer", "--binnen", GESPLITST],
    ["voorstel", "aanhouden", GESPLITST],
    ["besluitenlijst", GESPLITST],
    ["voorstel", "lijst", "--status", GESPLITST],
    ["kalender", "export", "--lid", GESPLITST],
], ids=lambda args: "-".join(a for a in args if a != GESPLITST)[:40])
def test_an_echoed_value_with_cr_and_lf_stays_on_one_line(cli_db: Besluitroute,
                                                          args: list[str]) -> None:
    result = cli_db(*args)
    line = one_dutch_line(result)
    if "a\\r\\nBcc" in line:
        assert "'a\\r\\nBcc: evil@x.example'" in line
    assert "\r" not in result.stderr


def test_an_overlong_path_in_a_url_or_option_is_one_line(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lang = "x" * 5000
    assert "pad te lang" in one_dutch_line(run("--database", "sqlite:///" + lang, "voorstel",
                                               "lijst"))
    assert "naam te lang" in one_dutch_line(run("--database", "sqlite:///" + "y" * 300,
                                                "voorstel", "lijst"))
    for args in (["--config", lang, "voorstel", "lijst"],
                 ["--definities", lang, "definities", "controleer"],
                 ["definities", "controleer", lang]):
        one_dutch_line(run(*args))


@pytest.mark.parametrize(("nu", "args"), [
    ("0001-01-01", ["vergadering", "lijst"]),
    ("9999-12-31T23:59", ["herinneringen", "verstuur"]),
])
def test_now_far_in_the_past_or_future_is_refused(cli_db: Besluitroute, nu: str,
                                                  args: list[str]) -> None:
    line = one_dutch_line(cli_db(*args, nu=nu))
    assert f"tijdstip '{nu}' valt buiten 1900-01-01 .. 2199-12-31" in line


@pytest.mark.parametrize("option", ["--door", "--onderwerp", "--opsteller", "--versie"])
def test_text_longer_than_its_column_is_refused_on_both_databases(cli_db: Besluitroute,
                                                                  option: str) -> None:
    args = {"--titel": "Een voorstel", "--route": "grjr-procesvoorstel", "--opsteller": "A",
            option: "x" * 300}
    result = cli_db("voorstel", "indienen", *[p for kv in args.items() for p in kv])
    line = one_dutch_line(result)
    assert f"Ongeldige waarde voor '{option}': te lang (300 tekens; hoogstens" in line
    assert "Een voorstel" not in cli_db("voorstel", "lijst").output  # nothing half-written


def test_usage_errors_are_one_dutch_line_with_a_hint(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cases = {
        ("voorstel", "indienen", "--titel", "x"):
            "fout: Ontbrekende optie '--route'. (zie 'besluitroute voorstel indienen --help')",
        ("voorstel", "indienen", "--titel", "x", "--status", "bijna"):
            "fout: Ongeldige waarde voor '--status': 'bijna' is niet een van 'Concept', "
            "'Definitief'. (zie 'besluitroute voorstel indienen --help')",
        ("verplichtingen", "--jaar", "vorig"):
            "fout: Ongeldige waarde voor '--jaar': 'vorig' is geen geldig geheel getal. "
            "(zie 'besluitroute verplichtingen --help')",
        ("vergadering", "lijstje"):
            "fout: Onbekend commando 'lijstje'. Bedoelde u 'lijst'? "
            "(zie 'besluitroute vergadering --help')",
    }
    for args, expected in cases.items():
        assert one_dutch_line(run(*args)) == expected


# ---------------------------------------------------------------------------------------------
# Config files and databases.

def test_a_binary_or_fifo_config_file_is_one_line(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "binair.toml").write_bytes(bytes(range(256)))
    os.mkfifo(tmp_path / "pijp.toml")
    assert one_dutch_line(run("--config", "binair.toml", "voorstel", "lijst")) == \
        "fout: configuratiebestand binair.toml: geen tekst (geen geldige UTF-8)"
    assert one_dutch_line(run("--config", "pijp.toml", "voorstel", "lijst")) == \
        "fout: configuratiebestand pijp.toml: is een named pipe (FIFO), geen gewoon bestand"


@pytest.mark.parametrize(("url", "message"), [
    ("sqlite:///x.db?bogus=1", "onbekende parameter(s) bogus voor sqlite"),
    ("sqlitefoo://x", "onbekend databasetype 'sqlitefoo'"),
    ("sqlite+bogus:///x", "onbekend stuurprogramma 'bogus' voor sqlite"),
    ("", "--database: geef een database-URL"),
    ("::::", "is geen geldige URL"),
])
def test_bad_database_urls_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        url: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert message in one_dutch_line(run("--database", url, "voorstel", "lijst"))
    assert not (tmp_path / "besluitroute.db").exists()


def test_an_unknown_postgresql_option_is_one_line(postgres_url: str) -> None:
    line = one_dutch_line(run("--database", postgres_url + "&bogus=1", "voorstel", "lijst"))
    assert "onbekende verbindingsoptie 'bogus'" in line


def test_every_spelling_of_a_postgresql_url_reaches_the_server_through_psycopg2(
        postgres_url: str) -> None:
    """`postgres://` and `postgresql://` as a hosting provider hands them out, and the
    `postgresql+psycopg://` of settings from before December 2026: one driver answers all of
    them. A driver besluitroute does not ship is one Dutch line."""
    from workflow.opslag.db import Database

    rest = postgres_url.split("://", 1)[1]
    assert run("--database", postgres_url, "init").exit_code == 0
    for scheme in ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"):
        db = Database(f"{scheme}://{rest}")
        try:
            assert db.engine.dialect.driver == "psycopg2", scheme
        finally:
            db.dispose()
        result = run("--database", f"{scheme}://{rest}", "voorstel", "lijst")
        assert result.exit_code == 0, (scheme, result.output)
    line = one_dutch_line(run("--database", f"postgresql+asyncpg://{rest}", "voorstel", "lijst"))
    assert "is niet bruikbaar" in line


def test_without_the_postgresql_driver_one_line_names_the_extra_to_install(tmp_path: Path) -> None:
    """An installation without `[postgres]`: a PostgreSQL URL gives one Dutch line with the
    install command, not `No module named 'psycopg2'` (or SQLAlchemy 2.1's 'psycopg')."""
    import subprocess
    import sys

    zonder_psycopg2 = ("import sys; sys.modules['psycopg2'] = None; "
                       "from workflow.start import main; main()")
    for url in ("postgresql://gebruiker@127.0.0.1:1/db", "postgres://gebruiker@127.0.0.1:1/db"):
        result = subprocess.run(
            [sys.executable, "-c", zonder_psycopg2, "--database", url, "voorstel", "lijst"],
            capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            "fout: PostgreSQL heeft het stuurprogramma psycopg2 nodig, dat hier niet is "
            "geïnstalleerd: pip install 'besluitroute[postgres]' (in een checkout: "
            ".venv/bin/pip install '.[postgres]')"]


def test_a_random_file_is_not_a_sqlite_database(tmp_path: Path) -> None:
    (tmp_path / "foto.db").write_bytes(os.urandom(4096))
    for args in (["voorstel", "lijst"], ["init"]):
        line = one_dutch_line(run("--database", f"sqlite:///{tmp_path / 'foto.db'}", *args))
        assert "is geen SQLite-database van besluitroute" in line


def test_a_database_from_an_unknown_schema_version_is_one_line(database_url: str) -> None:
    from sqlalchemy import create_engine, text

    assert run("--database", database_url, "init").exit_code == 0
    engine = create_engine(met_stuurprogramma(database_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_van_de_toekomst'"))
    engine.dispose()
    line = one_dutch_line(run("--database", database_url, "init"))
    assert "schemaversie die deze versie van besluitroute niet kent" in line
    assert "9999_van_de_toekomst" in line


# ---------------------------------------------------------------------------------------------
# Template overrides.

@pytest.mark.parametrize(("template", "message"), [
    ("{{ 'x'|datum }}", "(regel 1): 'x' is geen datum"),
    ("{{ 5|datum }}", "(regel 1): '5' is geen datum of tijdstip"),
    ("{{ range(10**10)|list }}", "(regel 1): range() met 10.000.000.000 getallen"),
    ("{{ ('a'*10**9) }}", "een vermenigvuldiging levert 1.000.000.000 tekens"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "roept zichzelf eindeloos aan"),
    ("{% include 'agenda.txt' %}", "roept zichzelf eindeloos aan"),
    ("{% extends 'agenda.txt' %}", "roept zichzelf eindeloos aan"),
    ("{% for i in range(100000) %}{{ 'a' * 1000 }}{% endfor %}", "groter dan 20 miljoen tekens"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "duurde langer dan 5 seconden"),
    ("{{ onbekend }}", "onbekende naam 'onbekend'"),
    ("{% for %}", "(regel 1): syntaxfout"),
    (b"\xff\xfe{{ x }}", "geen geldige UTF-8"),
], ids=["datum-tekst", "datum-getal", "range", "vermenigvuldiging", "macro", "include",
        "extends", "uitvoer", "tijd", "onbekend", "syntax", "utf8"])
def test_a_template_override_fails_in_one_line_within_budget(
        cli_db: Besluitroute, tmp_path: Path, template: str | bytes, message: str) -> None:
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    data = template if isinstance(template, bytes) else template.encode()
    (sjablonen / "agenda.txt").write_bytes(data)
    cli_db("vergadering", "lijst")  # meetings from the definitions
    result = cli_db("--sjablonen", str(sjablonen), "agenda", "maak", "1", "--formaat", "tekst")
    line = one_dutch_line(result)
    assert line.startswith("fout: sjabloon 'agenda.txt'")
    assert message in line


# ---------------------------------------------------------------------------------------------
# Output files.

@pytest.fixture
def agenda_db(cli_db: Besluitroute) -> Besluitroute:
    assert cli_db("vergadering", "lijst").exit_code == 0
    return cli_db


def test_uitvoer_refuses_a_symlink_and_leaves_its_target_alone(agenda_db: Besluitroute,
                                                               tmp_path: Path) -> None:
    target = tmp_path / "van-een-ander.txt"
    target.write_text("niet van ons\n")
    (tmp_path / "agenda.txt").symlink_to(target)
    line = one_dutch_line(agenda_db("agenda", "maak", "1", "--uitvoer", "agenda.txt"))
    assert "het is een symbolische koppeling" in line
    assert target.read_text() == "niet van ons\n"
    assert (tmp_path / "agenda.txt").is_symlink()


def test_uitvoer_refuses_a_fifo_and_a_device(agenda_db: Besluitroute, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pijp.txt")
    assert "named pipe" in one_dutch_line(agenda_db("agenda", "maak", "1", "--uitvoer",
                                                    "pijp.txt"))
    assert "apparaat" in one_dutch_line(agenda_db("agenda", "maak", "1", "--uitvoer",
                                                  "/dev/null"))
    assert Path("/dev/null").is_char_device()


def test_uitvoer_makes_no_folder_unless_asked(agenda_db: Besluitroute, tmp_path: Path) -> None:
    line = one_dutch_line(agenda_db("agenda", "maak", "1", "--uitvoer", "nieuw/agenda.txt"))
    assert "de map nieuw bestaat niet" in line and "--maak-map" in line
    assert not (tmp_path / "nieuw").exists()
    result = agenda_db("agenda", "maak", "1", "--uitvoer", "nieuw/agenda.txt", "--maak-map")
    assert result.exit_code == 0
    assert (tmp_path / "nieuw" / "agenda.txt").is_file()


def test_written_files_follow_the_umask(agenda_db: Besluitroute, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert agenda_db("agenda", "maak", "1", "--uitvoer", "agenda.html").exit_code == 0
        assert agenda_db("besluitenlijst", "1", "--uitvoer", "besluiten.txt").exit_code == 0
        assert agenda_db("--nu", "2030-01-01", "agenda", "genereer", "--binnen", "366d",
                         "--map", "agendas", "--maak-map").exit_code == 0
        os.umask(0o027)
        assert agenda_db("agenda", "maak", "1", "--uitvoer", "strikt.txt").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "agenda.html").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "besluiten.txt").stat().st_mode & 0o777 == 0o644
    for path in (tmp_path / "agendas").iterdir():
        assert path.stat().st_mode & 0o777 == 0o644, path
    assert (tmp_path / "strikt.txt").stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/proc/sys").is_dir(), reason="Linux only")
def test_genereer_into_an_unusable_folder_is_one_line(agenda_db: Besluitroute) -> None:
    line = one_dutch_line(agenda_db("agenda", "genereer", "--map", "/proc/sys"))
    assert line.startswith("fout: kan de map /proc/sys niet gebruiken")


def test_an_oparl_export_never_follows_a_link_and_reports_an_unusable_folder(
        agenda_db: Besluitroute, tmp_path: Path) -> None:
    # A folder named on the command line is made only when asked.
    assert one_dutch_line(agenda_db("export", "oparl", "export")) == \
        "fout: de map export bestaat niet (maak haar aan, of gebruik --maak-map)"
    assert agenda_db("export", "oparl", "export", "--maak-map").exit_code == 0
    system = tmp_path / "export" / "oparl" / "v1" / "system.json"
    assert system.is_file() and system.stat().st_mode & 0o777 == 0o666 & ~_current_umask()
    # A link planted inside the export goes with the old export; what it points to is untouched.
    system.unlink()
    system.symlink_to(tmp_path / "elders.json")
    assert agenda_db("export", "oparl", "export").exit_code == 0
    assert system.is_file() and not system.is_symlink()
    assert not (tmp_path / "elders.json").exists()
    # The export folder itself a link: refused, and left as it is.
    (tmp_path / "echt").mkdir()
    (tmp_path / "koppeling").mkdir()
    (tmp_path / "koppeling" / "oparl").symlink_to(tmp_path / "echt")
    line = one_dutch_line(agenda_db("export", "oparl", "koppeling"))
    assert line == "fout: kan koppeling/oparl niet vervangen: het is een symbolische koppeling; " \
                   "kies een map"
    assert list((tmp_path / "echt").iterdir()) == []
    if Path("/proc/sys").is_dir():
        assert one_dutch_line(agenda_db("export", "oparl", "/proc/sys")).startswith(
            "fout: kan /proc/sys/oparl niet schrijven (")


def _current_umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old
