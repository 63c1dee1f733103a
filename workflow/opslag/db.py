"""Sessions, migrations and Dutch messages for database errors. SQLite is the embedded default,
PostgreSQL the shared one; the engine itself comes from workflow.opslag.engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError

from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.basis.oorzaken import VERBINDING_GEWEIGERD, oorzaak
from workflow.basis.tekst import citeer
from workflow.opslag.engine import make_engine, sqlite_bestand, veilig

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from workflow.opslag.wijzigingen import Wachter

MIGRATIES = Path(__file__).parent / "migraties"


class Database:
    """One engine with a read session and a write session (BEGIN IMMEDIATE on SQLite).

    The ORM is imported with the first session, not before: a command that only selects
    columns (`verbinding`) starts without it (workflow.opslag.tabellen)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._schema_checked = False
        self._versie_checked = False
        #: The SQLite file, if any: connecting would create it, so only `migreer` may.
        self.bestand = sqlite_bestand(url)
        #: Called once, before the first session (the check of a named definitions folder).
        self.voor_gebruik: Callable[[], None] | None = None

    def bestaat(self) -> bool:
        """False for a SQLite file that is not there (nothing is created to find out)."""
        try:
            return self.bestand is None or self.bestand.exists()
        except OSError:  # a name too long, a path through a file: not there
            return False

    def schemaversie(self) -> str | None:
        """The Alembic revision the database is at; None without one (not set up)."""
        with _translate_errors(self.url), self.engine.connect() as conn:
            try:
                versie = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            except (OperationalError, ProgrammingError) as exc:
                if _missing_table(str(exc.orig)):
                    return None
                raise
        return str(versie) if versie is not None else None

    def _vereis_bestand(self) -> None:
        if not self.bestaat():
            raise GebruikersFout(NIET_AANGEMAAKT)
        if not self._versie_checked:
            # Once per process, before the first session: a database an older version set up
            # says so (and how to upgrade) instead of failing on a missing column later.
            melding = schema_melding(self.schemaversie())
            if melding is not None:
                raise GebruikersFout(melding)
            self._versie_checked = True
        if self.voor_gebruik is not None:
            check, self.voor_gebruik = self.voor_gebruik, None
            check()

    @cached_property
    def _read(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @cached_property
    def _write(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        writer = self.engine.execution_options(sqlite_immediate=True) if self.is_sqlite \
            else self.engine
        return sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def proef(self) -> Iterator[Session]:
        """A write transaction that is always rolled back: a preview of what an act would do."""
        self._vereis_bestand()
        with self._write() as session, _translate_errors(self.url, self):
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def lees(self) -> Iterator[Session]:
        # No schema check up front (an inspector round trip per command): a missing table is
        # translated into the same Dutch message by _translate_errors.
        # close() (via the with-block), not rollback(): rollback would expire what was loaded.
        self._vereis_bestand()
        with self._read() as session, _translate_errors(self.url, self):
            yield session

    @contextmanager
    def verbinding(self) -> Iterator[Connection]:
        """A read on a Core connection, for a command that maps no rows: the same checks and
        Dutch messages as `lees`, without importing the ORM. Rolled back at the end."""
        self._vereis_bestand()
        with _translate_errors(self.url, self), self.engine.connect() as connection:
            yield connection

    def lees_ruw(self, sql: str, parameters: Any) -> list[tuple[Any, ...]]:
        """The rows of one read-only statement, run on a bare driver connection.

        For the few statements the portal runs on every request (see workflow.web.prepared):
        SQLAlchemy's session and execution layers cost several times the query. A single SELECT
        is consistent on its own. On PostgreSQL these statements have a small pool of their own
        in autocommit mode, without a ping before each use: on the shared pool one statement
        took four round trips (the ping's BEGIN and SELECT 1, the statement, the ROLLBACK when
        the connection went back), here it takes one. A connection the server dropped since (a
        restart) is found when its statement fails: it is discarded and the statement runs once
        more on a new one. Driver errors get the same Dutch messages."""
        self._vereis_bestand()
        engine = self.ruw_engine
        dbapi = engine.dialect.loaded_dbapi
        with _translate_errors(self.url):
            for poging in (1, 2):
                raw = engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    try:
                        cursor.execute(sql, parameters)
                        return [tuple(row) for row in cursor.fetchall()]
                    finally:
                        cursor.close()
                except dbapi.Error as exc:
                    if poging == 1 and not self.is_sqlite and engine.dialect.is_disconnect(
                            exc, raw.dbapi_connection, None):
                        raw.invalidate()
                        continue
                    raise DBAPIError.instance(None, None, exc, dbapi.Error) from exc
                finally:
                    raw.close()
        raise AssertionError("a dropped connection is retried once")  # pragma: no cover

    @cached_property
    def wachter(self) -> Wachter:
        """Tells whether anything was committed since (workflow.opslag.wijzigingen)."""
        from workflow.opslag.wijzigingen import Wachter

        return Wachter(self)

    @cached_property
    def ruw_engine(self) -> Engine:
        if self.is_sqlite:
            return self.engine
        return make_engine(self.url, autocommit=True)

    @contextmanager
    def schrijf(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error."""
        from sqlalchemy.orm.exc import StaleDataError

        self._vereis_bestand()
        with self._write() as session, _translate_errors(self.url, self):
            try:
                yield session
                session.commit()
            except StaleDataError:
                session.rollback()
                raise Conflict(
                    "conflict: iemand anders heeft dit voorstel zojuist gewijzigd; er is niets "
                    "vastgelegd, bekijk de nieuwe stand en probeer het opnieuw"
                ) from None
            except BaseException:
                session.rollback()
                raise

    def is_aangemaakt(self) -> bool:
        if not self.bestaat():
            return False
        with _translate_errors(self.url, self):
            return inspect(self.engine).has_table("voorstel")

    def vereis_schema(self) -> None:
        """Refuse, in Dutch, to work on a database that `besluitroute init` has not set up."""
        self._check_schema()

    def _check_schema(self) -> None:
        if self._schema_checked:
            return
        if not self.is_aangemaakt():
            raise GebruikersFout(NIET_AANGEMAAKT)
        melding = schema_melding(self.schemaversie())
        if melding is not None:
            raise GebruikersFout(melding)
        self._schema_checked = True

    def migreer(self) -> None:
        """Bring the schema to the newest version (Alembic)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIES))
        from alembic.util.exc import CommandError

        try:
            with _translate_errors(self.url), self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            self._versie_checked = True
        except CommandError as exc:
            # "Can't locate revision identified by '...'": a newer besluitroute (or another
            # program) stamped this database; upgrading from an unknown point would guess.
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "?"
            raise GebruikersFout(f"de database heeft een schemaversie die deze versie van "
                                 f"besluitroute niet kent ({first}); gebruik een nieuwere "
                                 f"besluitroute of een andere database") from None
        self._schema_checked = True

    def dispose(self) -> None:
        if "wachter" in self.__dict__:
            self.wachter.sluit()
        if "ruw_engine" in self.__dict__ and self.ruw_engine is not self.engine:
            self.ruw_engine.dispose()
        self.engine.dispose()


NIET_AANGEMAAKT = "de database is nog niet aangemaakt; voer eerst 'besluitroute init' uit"


def migraties() -> list[str]:
    """The revisions this version knows, oldest first (the files are named after them)."""
    return sorted(p.stem for p in (MIGRATIES / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def schema_melding(versie: str | None) -> str | None:
    """None when the schema is the newest this version knows; else what to do, in Dutch."""
    bekend = migraties()
    if versie == bekend[-1]:
        return None
    if versie is None:
        return NIET_AANGEMAAKT
    if versie in bekend and versie < "0008_definitieversies":
        # From before stored definitions: `init` adopts a folder, which must be the right one.
        return (f"het databaseschema is verouderd (versie {versie}, nodig: {bekend[-1]}) en de "
                f"database heeft nog geen toegepaste definities; voer eenmalig 'besluitroute "
                f"--definities MAP init' uit met de map waarmee deze database werkte")
    if versie in bekend:
        return (f"het databaseschema is verouderd (versie {versie}, nodig: {bekend[-1]}); "
                f"werk het bij met 'besluitroute init' (de gegevens blijven staan)")
    return (f"de database heeft schemaversie '{versie[:40]}', die deze versie van besluitroute "
            f"niet kent; gebruik een nieuwere besluitroute of een andere database")


def _missing_table(text: str) -> bool:
    # SQLite says "no such table: voorstel" or "no such column: voorstel.x" or "table voorstel
    # has no column named x"; PostgreSQL 'relation "voorstel" does not exist' or 'column
    # voorstel.x does not exist'.
    return "no such table" in text or "no such column" in text or "has no column named" in text \
        or (("relation" in text or "column" in text) and "does not exist" in text)


def _schema_fout(db: Database | None) -> GebruikersFout:
    """A table or column is missing: not set up, or set up by an older version (say which)."""
    if db is None:
        return GebruikersFout(NIET_AANGEMAAKT)
    try:
        melding = schema_melding(db.schemaversie()) if db.is_aangemaakt() else NIET_AANGEMAAKT
    except GebruikersFout as exc:
        return exc
    return GebruikersFout(melding or NIET_AANGEMAAKT)


@contextmanager
def _translate_errors(url: str, db: Database | None = None) -> Iterator[None]:
    try:
        yield
    except IntegrityError:
        # Two writers adding the same row at once (say, two syncs of a new meeting): the loser's
        # transaction is rolled back whole; doing it again sees the winner's row.
        raise Conflict("conflict: iemand anders legde tegelijk hetzelfde vast; er is niets "
                       "vastgelegd, probeer het opnieuw") from None
    except ProgrammingError as exc:
        if _missing_table(str(exc.orig)):
            raise _schema_fout(db) from None
        if "connection option" in str(exc.orig) or "URI query parameter" in str(exc.orig):
            raise GebruikersFout(f"database-URL {citeer(veilig(url))} is niet bruikbaar "
                                 f"({oorzaak(exc.orig or exc)})") from None
        raise
    except OperationalError as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if _missing_table(text):
            raise _schema_fout(db) from None
        if "database is locked" in text:
            raise Conflict("conflict: de database is bezet door een andere schrijver; "
                           "er is niets vastgelegd, probeer het opnieuw") from None
        raise GebruikersFout(f"database niet bereikbaar ({veilig(url)}): "
                             f"{_reden(exc, url)}") from None
    except DBAPIError as exc:
        # "file is not a database", "invalid connection option": the driver refuses the
        # database or the URL itself; nothing was written.
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "file is not a database" in text:
            raise GebruikersFout(f"{veilig(url)} is geen SQLite-database van besluitroute "
                                 f"(het bestand is iets anders)") from None
        raise GebruikersFout(f"database niet bruikbaar ({veilig(url)}): "
                             f"{_reden(exc, url)}") from None


def _reden(exc: DBAPIError, url: str) -> str:
    """The driver's error as a Dutch cause; a refused connection names the server."""
    reden = oorzaak(exc.orig if exc.orig is not None else exc)
    if reden == VERBINDING_GEWEIGERD:
        from sqlalchemy.engine import make_url

        try:
            parsed = make_url(url)
            reden += f" door {parsed.host or 'localhost'}:{parsed.port or 5432}"
        except Exception:
            pass
    return reden
