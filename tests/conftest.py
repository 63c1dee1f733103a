"""Shared fixtures: a real SQLite file and a real PostgreSQL schema per test, and the CLI.

PostgreSQL comes from BESLUITROUTE_TEST_POSTGRES (default: the local server on 127.0.0.1:5432,
database `test`). Each test gets its own schema, dropped afterwards. Without a reachable server the
PostgreSQL variants are skipped, and say so, unless BESLUITROUTE_VEREIS_POSTGRES=1 (as in .ci/run),
which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workflow.basis import clock
from workflow.basis.paden import meegeleverd
from workflow.omgeving import Omgeving

#: As a user writes it: a bare `postgresql://` (SQLAlchemy 2.1 reads that as psycopg 3, which is
#: not installed; every engine below goes through `met_stuurprogramma`, as the CLI's do).
POSTGRES_URL = os.environ.get("BESLUITROUTE_TEST_POSTGRES",
                              "postgresql://postgres@127.0.0.1:5432/test")
_pg_reachable: bool | None = None


def postgres_reachable() -> bool:
    global _pg_reachable
    if _pg_reachable is None:
        try:
            import psycopg2
            from sqlalchemy.engine import make_url

            conninfo = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(False)
            psycopg2.connect(conninfo, connect_timeout=3).close()
            _pg_reachable = True
        except Exception:
            _pg_reachable = False
    return _pg_reachable


def _require_postgres() -> None:
    if postgres_reachable():
        return
    if os.environ.get("BESLUITROUTE_VEREIS_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL niet bereikbaar op {POSTGRES_URL}")
    pytest.skip(f"PostgreSQL niet bereikbaar op {POSTGRES_URL}: PostgreSQL-deel overgeslagen")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a fresh, private schema on the test server."""
    _require_postgres()
    from sqlalchemy import create_engine, text

    from workflow.opslag.engine import met_stuurprogramma

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(met_stuurprogramma(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each database-touching test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'besluitroute.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    clock.act_as(None)
    yield
    clock.act_as(None)


#: When the tests' besluitroute was installed: before the seeds' year 2021, which they replay
#: (what fell due before the install is no duty of the tool, see publiceren.ingevoerd).
INSTALLATIE = datetime(2021, 1, 4, 9, 0, tzinfo=clock.TZ)


@pytest.fixture
def omgeving(database_url: str, tmp_path: Path) -> Iterator[Omgeving]:
    """A migrated database with the shipped definitions applied as version 1 at INSTALLATIE, and
    meetings."""
    from workflow.beheer import toepassen

    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    clock.act_as(INSTALLATIE)
    try:
        toepassen.init(env, door="test")
    finally:
        clock.act_as(None)
    yield env
    env.sluit()


Besluitroute = Callable[..., Result]


@pytest.fixture
def besluitroute(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Besluitroute:
    """Run the CLI in-process against this test's database: besluitroute("voorstel", "lijst")."""
    from workflow.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BESLUITROUTE_NU", raising=False)

    def run(*args: str, nu: str | None = None, input: str | None = None) -> Result:
        prefix = ["--database", database_url]
        if nu is not None:
            prefix += ["--nu", nu]
        return CliRunner().invoke(cli, [*prefix, *args], input=input, catch_exceptions=False)

    return run


_FUZZ_TELLING = pytest.StashKey[dict[str, int]]()


@pytest.fixture
def fuzz_telling(request: pytest.FixtureRequest) -> dict[str, int]:
    """Examples run per fuzz target, printed at the end of the run (see test_fuzz.py)."""
    return request.config.stash.setdefault(_FUZZ_TELLING, {})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    telling = config.stash.get(_FUZZ_TELLING, {})
    for doel, aantal in sorted(telling.items()):
        terminalreporter.write_line(f"fuzz {doel}: {aantal} voorbeelden"
                                    if aantal else f"fuzz {doel}: geen voorbeelden")


def _programma_of_overslaan(namen: tuple[str, ...], pakket: str) -> str:
    """The first of `namen` on the PATH. Without it a browser test is skipped, unless
    BESLUITROUTE_VEREIS_BROWSER=1 (CI with Chromium installed): then it fails."""
    import shutil

    for naam in namen:
        pad = shutil.which(naam)
        if pad:
            return pad
    if os.environ.get("BESLUITROUTE_VEREIS_BROWSER") == "1":
        pytest.fail(f"{namen[0]} niet gevonden, maar BESLUITROUTE_VEREIS_BROWSER=1")
    pytest.skip(f"{namen[0]} niet gevonden (apt-get install {pakket}): browsertest overgeslagen")


@pytest.fixture
def chromium() -> str:
    """Headless Chromium for the browser tests: the one place that decides "browser required"."""
    return _programma_of_overslaan(("chromium", "chromium-browser", "google-chrome"), "chromium")


@pytest.fixture
def pdftotext(chromium: str) -> str:
    """pdftotext, for reading back what Chromium printed."""
    return _programma_of_overslaan(("pdftotext",), "poppler-utils")
