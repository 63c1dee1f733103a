"""Whether anything was committed: a number per process that moves with every commit.

The portal answers most requests from what it read before. A calendar client asks every quarter
of an hour, and reading a feed's fingerprint (a dozen indexed lookups) cost more than the rest of
its 304; it only has to be read again when something was committed since. This module tells,
exactly and cheaply, also for writes from outside besluitroute:

- SQLite: `PRAGMA data_version` on a connection of its own. Its value changes when any other
  connection, in any process, commits; it reads only the WAL index in shared memory.
- PostgreSQL: a connection that LISTENs. Every table but the outbox and the planner's state has a
  trigger that NOTIFYs per writing statement (migration 0018). Before each answer one `SELECT 1`
  on that connection, a single round trip, collects the notification of every transaction that
  committed before it (psycopg2's `connection.notifies`).

`Wachter.generatie()` is a number that stays the same while nothing was committed, or None when
that cannot be known (the watching connection failed; it is opened again on the next call).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")

#: The NOTIFY channel of migration 0018; the payload is the schema of the table written.
KANAAL = "besluitroute_wijziging"

#: Values kept at most per database; beyond it the memory starts over (a cheap bound).
MAX_BEWAARD = 10_000


class Bron(Protocol):
    """What the watcher needs of a database (workflow.opslag.db.Database, which builds it):
    described here so that this module does not import the one that imports it."""

    is_sqlite: bool
    bestand: Path | None  #: the SQLite file; None in memory or on PostgreSQL

    @property
    def engine(self) -> Engine: ...

    @property
    def ruw_engine(self) -> Engine: ...

    def lees_ruw(self, sql: str, parameters: Any) -> list[tuple[Any, ...]]: ...


class _Verbroken(Exception):
    """The watching connection hears no notifications (see Wachter._proef)."""


class Wachter:
    """Watches one database for commits, in this process."""

    def __init__(self, db: Bron) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._verbinding: Any = None
        self._pid = 0
        self._schema = ""
        #: Moves on every commit seen and on every new watching connection.
        self._teller = itertools.count(1)
        self._generatie = 0
        self._data_version: int | None = None
        self._bewaard: dict[Hashable, tuple[int, Any]] = {}
        #: Notifications do not arrive here (see _proef): never keep anything.
        self._doof = False

    def generatie(self) -> int | None:
        """The same number as long as nothing was committed since the last call; None when it
        cannot be told."""
        with self._lock:
            # An in-memory database (no other connection sees it), or a deaf listener.
            if (self._db.is_sqlite and self._db.bestand is None) or self._doof:
                return None
            try:
                if self._verbinding is None or self._pid != os.getpid():
                    self._open()
                if self._db.is_sqlite:
                    versie = self._verbinding.execute("PRAGMA data_version").fetchone()[0]
                    if versie != self._data_version:
                        self._data_version = versie
                        self._generatie = next(self._teller)
                else:
                    self._verzamel()
                return self._generatie
            except (sqlite3.Error, OSError, DBAPIError, _Verbroken, self._fouten()):
                self._sluit()
                return None

    def onthoud(self, sleutel: Hashable, lees: Callable[[], T]) -> T:
        """`lees()`, or what it returned before under `sleutel` if nothing was committed since.
        Only for reads whose result depends on the database alone, not on the clock."""
        generatie = self.generatie()
        if generatie is not None:
            bewaard = self._bewaard.get(sleutel)
            if bewaard is not None and bewaard[0] == generatie:
                return bewaard[1]  # type: ignore[no-any-return]
        # The generation was taken before reading: a commit in between moves it, so a value
        # read half before it is never kept as current.
        waarde = lees()
        if generatie is not None:
            if len(self._bewaard) >= MAX_BEWAARD:
                self._bewaard.clear()
            self._bewaard[sleutel] = (generatie, waarde)
        return waarde

    def sluit(self) -> None:
        with self._lock:
            self._sluit()

    def _open(self) -> None:
        if self._pid == os.getpid():
            self._sluit()
        # A connection inherited from the parent process (a fork) is left alone, not closed:
        # closing it would end the parent's session.
        self._verbinding = None
        self._pid = os.getpid()
        if self._db.is_sqlite:
            assert self._db.bestand is not None
            # mode=rw: never create the file; this connection only reads.
            pad = urllib.parse.quote(str(self._db.bestand.absolute()))
            self._verbinding = sqlite3.connect(
                f"file:{pad}?mode=rw", uri=True, isolation_level=None,
                check_same_thread=False, timeout=30)
            self._data_version = None
        else:
            raw = self._db.ruw_engine.raw_connection()
            verbinding: Any = raw.driver_connection  # psycopg2, in autocommit (ruw_engine)
            raw.detach()  # its own connection for as long as the process lives
            self._verbinding = verbinding
            with verbinding.cursor() as cursor:
                cursor.execute("SELECT current_schema()")
                self._schema = str(cursor.fetchone()[0])
                cursor.execute(f"LISTEN {KANAAL}")
            self._proef()
        # Whatever was committed while nobody watched: read again.
        self._generatie = next(self._teller)

    def _proef(self) -> None:
        """A notification sent from another connection must arrive. Behind a pooler that hands
        out server connections per transaction (PgBouncer in transaction mode), LISTEN hears
        nothing: then this process never keeps anything (every answer reads again) instead of
        keeping it for ever."""
        voor = self._generatie
        self._db.lees_ruw("SELECT pg_notify(%(kanaal)s, %(schema)s)",
                          {"kanaal": KANAAL, "schema": self._schema})
        self._verzamel()
        if self._generatie == voor:
            self._doof = True
            raise _Verbroken

    def _verzamel(self) -> None:
        """One statement on the listening connection: its answer comes after every
        notification of a transaction that committed before it, and psycopg2 collects those
        into `connection.notifies` (its documented interface for LISTEN)."""
        verbinding = self._verbinding
        with verbinding.cursor() as cursor:
            cursor.execute("SELECT 1")
        meldingen = verbinding.notifies
        while meldingen:
            # Other schemas of the same database (another besluitroute, a test) notify too.
            if meldingen.pop(0).payload == self._schema:
                self._generatie = next(self._teller)

    def _sluit(self) -> None:
        verbinding, self._verbinding = self._verbinding, None
        if verbinding is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):  # closing a broken connection may fail too
                verbinding.close()

    def _fouten(self) -> type[BaseException]:
        if self._db.is_sqlite:
            return sqlite3.Error
        error: type[BaseException] = self._db.engine.dialect.loaded_dbapi.Error
        return error
