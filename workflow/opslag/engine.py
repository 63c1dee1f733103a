"""An engine for a database URL: the URL checked first (one Dutch line for a bad one), SQLite
set up for our own transactions, PostgreSQL with or without autocommit.

SQLite: the sqlite3 driver emits no BEGIN before a SELECT, so a read-then-write in two processes
loses updates. We take transactions into our own hands (recipe from the SQLAlchemy SQLite docs):
WAL, a busy timeout, and `BEGIN IMMEDIATE` for every writing transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer

#: Query parameters SQLAlchemy's SQLite driver understands (the rest it ignores with a warning).
_SQLITE_PARAMETERS = {"uri", "mode", "cache", "immutable", "nolock", "vfs", "check_same_thread"}


def _parse_url(url: str) -> Any:
    """The URL, parsed and checked before any engine exists: one Dutch line for a bad one."""
    from sqlalchemy.engine import make_url

    toon = citeer(veilig(url))
    if not url.strip():
        raise GebruikersFout("database-URL is leeg (bijvoorbeeld sqlite:///besluitroute.db of "
                             "postgresql://gebruiker@host/database)")
    try:
        parsed = make_url(url)
    except Exception:
        raise GebruikersFout(f"database-URL {toon} is geen geldige URL (bijvoorbeeld "
                             f"sqlite:///besluitroute.db of postgresql://gebruiker@host/db)") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise GebruikersFout(f"database-URL {toon}: onbekend databasetype '{backend}' "
                             f"(alleen sqlite en postgresql)")
    if backend == "sqlite":
        if parsed.get_driver_name() not in ("pysqlite", ""):
            raise GebruikersFout(f"database-URL {toon}: onbekend stuurprogramma "
                                 f"'{parsed.get_driver_name()}' voor sqlite")
        if parsed.database and not parsed.database.startswith("file:"):
            from workflow.basis.bestanden import controleer_padlengte

            controleer_padlengte(parsed.database, f"database-URL {toon}")
        onbekend = sorted(set(parsed.query) - _SQLITE_PARAMETERS)
        if onbekend:
            raise GebruikersFout(f"database-URL {toon}: onbekende parameter(s) "
                                 f"{', '.join(onbekend)} voor sqlite")
    return parsed


def make_engine(url: str, *, autocommit: bool = False) -> Engine:
    """An engine for `url`. PostgreSQL `autocommit`: every statement its own transaction, no
    ping before a connection is used and no rollback when it goes back (see Database.lees_ruw)."""
    url = met_stuurprogramma(url)
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        try:
            engine = create_engine(url, connect_args={"timeout": 30})
        except Exception as exc:  # an unusable driver: a user error, not a crash
            raise GebruikersFout(f"database-URL {citeer(veilig(url))} is niet bruikbaar "
                                 f"({_stuurprogramma(exc)})") from None

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            if not url.endswith(":memory:") and url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    try:
        if autocommit:
            return create_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.startswith("psycopg2"):
            raise GebruikersFout(ZONDER_STUURPROGRAMMA) from None
        raise GebruikersFout(f"database-URL '{veilig(url)}' is niet bruikbaar (module "
                             f"{exc.name} ontbreekt)") from None
    except Exception as exc:  # an unknown dialect or driver: a user error, not a crash
        raise GebruikersFout(f"database-URL {citeer(veilig(url))} is niet bruikbaar "
                             f"({_stuurprogramma(exc)})") from None


def _stuurprogramma(exc: Exception) -> str:
    from workflow.basis.oorzaken import log

    log.debug("%s: %s", type(exc).__name__, exc)
    if isinstance(exc, ImportError) or "plugin" in str(exc).lower():
        return "dit stuurprogramma is niet geïnstalleerd of onbekend"
    return "de URL past niet bij het stuurprogramma"


#: URL schemes that mean PostgreSQL through psycopg2, the one driver besluitroute ships with.
#: A bare `postgresql://` must be mapped here: SQLAlchemy 2.0 reads it as psycopg2, but 2.1 as
#: psycopg 3, which besluitroute does not install. `postgresql+psycopg://` (psycopg 3, the driver
#: before December 2026) keeps working in existing settings: it names the same server.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://", "postgresql+psycopg://")

#: The one line for a PostgreSQL URL on an installation without the driver.
ZONDER_STUURPROGRAMMA = ("PostgreSQL heeft het stuurprogramma psycopg2 nodig, dat hier niet is "
                         "geïnstalleerd: pip install 'besluitroute[postgres]' (in een checkout: "
                         ".venv/bin/pip install '.[postgres]')")


def met_stuurprogramma(url: str) -> str:
    """`url` with the driver besluitroute uses spelled out: every PostgreSQL spelling becomes
    `postgresql+psycopg2://`, whatever SQLAlchemy's default; other URLs stay as they are. Every
    engine is made from a URL passed through here (the tests' and the benchmark's too)."""
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url.removeprefix(scheme)
    return url


def sqlite_bestand(url: str) -> Path | None:
    """The SQLite file `url` names; None for PostgreSQL, in-memory and `file:` URIs."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    if not parsed.drivername.startswith("sqlite") or not parsed.database or \
            parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def veilig(url: str) -> str:
    """The URL without its password, for messages (at most 200 characters)."""
    from sqlalchemy.engine import make_url

    try:
        tekst = make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"
    return tekst if len(tekst) <= 200 else tekst[:200] + "..."
