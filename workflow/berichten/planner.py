"""Due work and its APScheduler wiring. Our tables decide what is due; the scheduler wakes us up.

One pass (`ronde`) = create the reminders due now into the outbox (one transaction), then send what
is pending. `besluitroute herinneringen verstuur` runs one pass; `besluitroute planner` runs passes
every few minutes and, through one-off jobs at the reminder moments, on the minute they fall due.

The planner is the only scheduler on its job store (APScheduler 3 must never run twice on one):
on PostgreSQL a second planner waits as a standby on a session-level advisory lock and takes over
when the first one's connection ends; on SQLite it refuses to start (an exclusive lock on a file
beside the database).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.berichten import herinneringen, onderdelen, uitgaand
from workflow.berichten.ronde import VOORUIT, laad_bijeenkomsten, ronde

if TYPE_CHECKING:

    from workflow.omgeving import Omgeving

log = logging.getLogger("besluitroute.planner")

STANDAARD_INTERVAL = 300  #: seconds between passes
STANDAARD_WACHTTIJD = 15  #: seconds between a standby's attempts to take the lock
RONDE_JOB = "besluitroute-ronde"
VERLOREN = ("de verbinding met de database ging verloren; een stand-by planner kan het nu "
            "overnemen. Start deze planner opnieuw")


@dataclass(frozen=True)
class Taak:
    """A job the planner keeps in its job store: what it runs (as text, so a stored job survives
    a restart) and when."""

    functie: str  #: "module:function", as APScheduler stores it
    id: str  #: the job's id, or the prefix of its ids
    wanneer: str  #: in Dutch, for the operator


#: Every periodic and one-off job of the planner, next to what it runs (the functions below).
TAKEN: dict[str, Taak] = {
    "ronde": Taak("workflow.berichten.planner:ronde_job", RONDE_JOB,
                  "elke --interval seconden (standaard 300), en meteen bij de start"),
    "wek": Taak("workflow.berichten.planner:wek_job", "wek:",
                "eenmalig op elk herinneringsmoment van de komende 90 dagen"),
}


# ---------------------------------------------------------------------------------------------
# The scheduler. Stored jobs name their callable as text and carry ids only; the running planner
# registers its environment here.

@dataclass
class _Actief:
    env: Omgeving
    scheduler: Any
    inhaal: timedelta
    interval: int = STANDAARD_INTERVAL
    rondes: int = 0
    #: Why the planner stopped itself (a schema this code does not know, the lost lock).
    gestopt: str | None = None


_actief: _Actief | None = None


def ronde_job() -> None:
    """The periodic pass ("workflow.berichten.planner:ronde_job")."""
    actief = _actief  # SIGTERM may clear the global while this pass runs
    if actief is None:
        log.error("ronde overgeslagen: geen actieve planner in dit proces")
        return
    melding = _ander_schema(actief.env)
    if melding is not None:
        # Another besluitroute upgraded the database under this running one: writing with the
        # old code could corrupt what the new one keeps. Stop instead, and say why.
        log.error("planner gestopt: %s", melding)
        actief.gestopt = melding
        actief.scheduler.shutdown(wait=False)
        return
    if actief.env.ververs_definities():
        from workflow.definities import versies

        versies.bouw_apart(actief.env)
        log.info("nieuwe definitieversie in gebruik")
    try:
        verslag = ronde(actief.env, actief.inhaal)
    except Exception as exc:
        # One line that says what failed and that nothing is lost: every step of a pass is
        # decided by our tables, so what this pass left undone is found again by the next one.
        from workflow.basis.logboek import uitzondering

        uitslag = onderdelen.mislukt_in(exc)
        if uitslag is None:
            log.error("ronde mislukt (%s); wat deze ronde nog moest doen (publiceren, herinneringen "
                      "maken, versturen) doet de volgende ronde, over %d s", uitzondering(exc),
                      actief.interval)
        else:  # each failed part logged its own cause; the parts not depending on it ran
            log.error("ronde deels mislukt (%s); de rest is gedaan; de volgende ronde probeert "
                      "het opnieuw, over %d s", uitslag, actief.interval)
        return
    iets = verslag.aangemaakt or verslag.verzonden or verslag.uitgesteld or verslag.mislukt \
        or verslag.vervallen or verslag.gepubliceerd
    actief.rondes += 1
    # The first pass is always logged: an operator (and the benchmark) sees the planner got going.
    log.log(logging.INFO if iets or actief.rondes == 1 else logging.DEBUG, "ronde: %s",
            verslag.regel())
    plan_wekmomenten(actief.scheduler, actief.env, clock.now())
    geef_geheugen_terug()


def _ander_schema(env: Omgeving) -> str | None:
    """None while the database is at the schema this code knows as newest; else, in Dutch,
    what to do (one SELECT per pass)."""
    from workflow.opslag.db import schema_melding

    return schema_melding(env.db.schemaversie())


def geef_geheugen_terug() -> None:
    """After a pass, hand the memory its rows and messages used back to the system.

    A pass reads thousands of meetings and agenda items; freed, that memory stays in the process
    (glibc keeps freed heap pages for reuse) and the planner sleeps minutes between passes. A
    collection frees the cycles (ORM rows, result sets), `malloc_trim` returns the free pages.
    And the email package compiles a pattern for every multipart boundary it makes, which `re`
    keeps, 512 of them (~300 KB) after the first busy pass: that cache is emptied too.
    """
    import gc
    import re

    re.purge()
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


_LIBC: list[Any] = []


def _libc() -> Any:
    """glibc, or None elsewhere (musl, macOS: nothing to trim there)."""
    if not _LIBC:
        import ctypes

        handle: Any = None
        with contextlib.suppress(OSError):
            candidate = ctypes.CDLL(None)  # the symbols the process has loaded, libc's among them
            handle = candidate if hasattr(candidate, "malloc_trim") else None
        _LIBC.append(handle)
    return _LIBC[0]


def wek_job(vergadering: str, soort: str) -> None:
    """A one-off wake-up at a reminder moment of meeting `vergadering`
    ("workflow.berichten.planner:wek_job")."""
    log.info("wekmoment: %s van %s", soort, vergadering)
    ronde_job()


def wek_id(w: herinneringen.Wekmoment) -> str:
    return f"{TAKEN['wek'].id}{w.vergadering}:{w.soort.value}"


def buiten_nachtgat(moment: datetime) -> datetime:
    """Nothing fires between 02:00 and 03:00 local (DST changes there): moved to 03:00."""
    local = moment.astimezone(clock.TZ)
    if local.hour == 2:
        return datetime.combine(local.date(), datetime.min.time().replace(hour=3),
                                clock.TZ).astimezone(UTC)
    return moment.astimezone(UTC)


def plan_wekmomenten(scheduler: Any, env: Omgeving, nu: datetime) -> int:
    """Add, replace or remove the one-off wake-up jobs so they match the meetings now.

    Only future moments are added (a one-off job re-added for a past moment would fire again);
    a moved meeting's jobs get new times under the same ids, a cancelled meeting's are removed.
    Returns the number of jobs changed.
    """
    from apscheduler.triggers.date import DateTrigger

    with env.db.lees() as session:
        meetings = laad_bijeenkomsten(session, nu, nu + VOORUIT)
    wanted = {wek_id(w): w for w in herinneringen.wekmomenten(env.definities, meetings, nu)}
    existing = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(TAKEN["wek"].id)}
    changed = 0
    for job_id in list(existing):
        if job_id not in wanted:
            scheduler.remove_job(job_id)
            log.info("verwijderd: %s", job_id)
            changed += 1
    for job_id, w in wanted.items():
        moment = buiten_nachtgat(w.moment)
        job = existing.get(job_id)
        if job is not None and job.next_run_time is not None and \
                job.next_run_time.astimezone(UTC) == moment:
            continue
        scheduler.add_job(TAKEN["wek"].functie, DateTrigger(run_date=moment, timezone=UTC),
                          id=job_id, args=[w.vergadering, w.soort.value], replace_existing=True)
        log.info("gepland: %s op %s", job_id, moment.astimezone(clock.TZ).isoformat())
        changed += 1
    return changed


def maak_scheduler(env: Omgeving, *, grace: timedelta, blocking: bool = True) -> Any:
    """A scheduler on the persistent job store in our own database."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    # Our engine: pool_pre_ping on PostgreSQL; BEGIN IMMEDIATE on SQLite (no lost updates).
    engine = env.db.engine.execution_options(sqlite_immediate=True) if env.db.is_sqlite \
        else env.db.engine
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        jobstores={"default": SQLAlchemyJobStore(engine=engine),
                   "geheugen": MemoryJobStore()},
        # One worker: passes never overlap (they would be safe, but there is no need).
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"misfire_grace_time": int(grace.total_seconds()), "coalesce": True,
                      "max_instances": 1},
        timezone=UTC,
    )

    def listener(event: Any) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning("gemist (buiten de inhaaltermijn): %s, gepland op %s", event.job_id,
                        event.scheduled_run_time)
        elif event.code == EVENT_JOB_ERROR:
            from workflow.basis.logboek import uitzondering

            log.error("fout in %s: %s", event.job_id, uitzondering(event.exception))
        elif event.job_id.startswith("wek:"):
            log.info("uitgevoerd: %s", event.job_id)

    scheduler.add_listener(listener, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_EXECUTED)
    return scheduler


# ---------------------------------------------------------------------------------------------
# One planner per database.

class PlannerSlot:
    """Held for the planner's life: a PostgreSQL advisory lock or an exclusive file lock."""

    def __init__(self, env: Omgeving) -> None:
        self.env = env
        self._conn: Any = None
        self._file: Any = None

    def probeer(self) -> bool:
        if self.env.db.is_sqlite:
            return self._file_lock()
        from sqlalchemy import text

        if self._conn is None:
            self._conn = self.env.db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
        # Keyed by schema, so planners of different schemas on one server do not block.
        got = self._conn.execute(text(
            "SELECT pg_try_advisory_lock(hashtext('besluitroute-planner:' || current_schema()))"
        )).scalar()
        return bool(got)

    def _file_lock(self) -> bool:
        import fcntl

        database = self.env.db.engine.url.database
        if not database or database == ":memory:":
            return True
        pad = Path(database).with_name(Path(database).name + ".planner.lock")
        handle = pad.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise GebruikersFout(
                f"er draait al een planner op deze database (slot {pad} is bezet); een tweede "
                "planner start niet op SQLite. Stop eerst de andere planner, of gebruik "
                "PostgreSQL voor een stand-by"
            ) from None
        handle.truncate(0)
        handle.write(f"{threading.get_native_id()}\n")
        handle.flush()
        self._file = handle
        return True

    def nog_van_ons(self) -> bool:
        """False when the lock connection died: another planner may take over now."""
        if self._conn is None:
            return True
        from sqlalchemy import text

        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def los(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        if self._file is not None:
            self._file.close()
            self._file = None


def _bereid_voor(env: Omgeving) -> None:
    """Before the first pass: the outbox must exist, and what a child process can prepare is
    cached by one, so the planner itself never loads it: the Dutch holidays of the years the
    passes look at (the holidays package, ~11 MB it would keep until it stops) and the applied
    definitions (the YAML reader, 4.5 MB at 400 bodies; versies.bouw_apart)."""
    from workflow.definities import feestdagen, versies

    melding = _ander_schema(env)
    if melding is not None:  # a newer schema: refuse before anything is written
        raise GebruikersFout(melding)
    uitgaand.vereis_outbox(env.db)
    jaar = clock.now().year
    feestdagen.vul_cache(range(jaar - 1, jaar + 3))
    versies.bouw_apart(env)


def draai_planner(env: Omgeving, *, grace: timedelta, interval: int = STANDAARD_INTERVAL,
                  wachttijd: float = STANDAARD_WACHTTIJD) -> None:
    """Run the planner in the foreground until SIGTERM/SIGINT (or until its lock is lost)."""
    global _actief
    from apscheduler.triggers.interval import IntervalTrigger

    _bereid_voor(env)
    stop = threading.Event()
    scheduler: Any = None

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signaal %s ontvangen: de planner stopt", signal.Signals(signum).name)
        stop.set()
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    slot = PlannerSlot(env)
    try:
        if not slot.probeer():
            log.info("stand-by: een andere planner is actief op deze database; opnieuw "
                     "proberen elke %s s", wachttijd)
            while not stop.is_set() and not slot.probeer():
                stop.wait(wachttijd)
            if stop.is_set():
                log.info("planner gestopt (stand-by)")
                return
            log.info("de andere planner is weg: deze planner neemt het over")
        scheduler = maak_scheduler(env, grace=grace)
        _actief = actief = _Actief(env, scheduler, grace, interval)
        scheduler.add_job(TAKEN["ronde"].functie, IntervalTrigger(seconds=interval),
                          id=TAKEN["ronde"].id, replace_existing=True,
                          next_run_time=datetime.now(UTC))  # catch up at once after downtime

        def bewaak() -> None:
            if not slot.nog_van_ons():
                log.error("verbinding van het planner-slot verloren: de planner stopt")
                actief.gestopt = VERLOREN
                stop.set()
                scheduler.shutdown(wait=False)

        if not env.db.is_sqlite:
            scheduler.add_job(bewaak, IntervalTrigger(seconds=20), id="besluitroute-slot",
                              jobstore="geheugen", replace_existing=True)
        log.info("planner gestart: ronde elke %d s, inhaaltermijn %g uur, database %s",
                 interval, grace.total_seconds() / 3600,
                 env.db.engine.url.render_as_string(hide_password=True))
        if not stop.is_set():
            scheduler.start()
        log.info("planner gestopt")
        if actief.gestopt is not None:
            raise GebruikersFout(actief.gestopt)
    finally:
        _actief = None
        slot.los()
        for s, handler in previous.items():
            signal.signal(s, handler)

