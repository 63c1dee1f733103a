#!/usr/bin/env python3
"""besluitroute at national scale: every figure stands beside a baseline measured in the same run.

    python scripts/benchmark.py            # the full data set (400 bodies, 100,000 proposals, ...)
    python scripts/benchmark.py --klein    # a quick run for CI: same measurements, small data
    python scripts/benchmark.py --database sqlite   # only one database (default: both)

Prints one JSON document on stdout; progress goes to stderr. The data set is generated
deterministically (fixed seed). These machines are noisy: wall times are medians of several runs and
every target is a ratio against a baseline taken in the same run, never an absolute number.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261122
POSTGRES_URL = os.environ.get("BESLUITROUTE_TEST_POSTGRES",
                              "postgresql://postgres@127.0.0.1:5432/test")


@dataclass(frozen=True)
class Schaal:
    regio_s: int  #: youth-care regions: 5 bodies each (programmateam, stuurgroep, AOJ, DO, AB)
    gemeenten: int  #: municipalities with their own route: 3 bodies each (college, commissie, raad)
    leden_per_orgaan: int
    voorstellen: int
    jaren: int
    herinneringen: int
    herhalingen: int  #: runs per wall-time figure (the median is reported)

    @property
    def organen(self) -> int:
        return self.regio_s * 5 + self.gemeenten * 3 + 1


VOL = Schaal(regio_s=42, gemeenten=63, leden_per_orgaan=25, voorstellen=100_000, jaren=10,
             herinneringen=1_000_000, herhalingen=7)
KLEIN = Schaal(regio_s=3, gemeenten=3, leden_per_orgaan=5, voorstellen=2_000, jaren=2,
               herinneringen=20_000, herhalingen=3)


#: Proposals waiting for one college in the full run (a tenth in the quick run).
GROTE_LIJST = 10_000

EXTRA_MEASUREMENTS: list[Callable[[Any, Schaal, dict[str, Any]], dict[str, Any]]] = []


def log(message: str) -> None:
    print(f"[benchmark] {message}", file=sys.stderr, flush=True)


def analyze(env: Any, table: str = "") -> None:
    """PostgreSQL: gather statistics after a bulk load (all tables, or `table`). A server with
    autovacuum off, as on the benchmark machine, never gathers them by itself."""
    if env.db.engine.dialect.name == "postgresql":
        with env.db.engine.begin() as conn:
            conn.exec_driver_sql(f"ANALYZE {table}".strip())


def wait_for_autovacuum(env: Any, limit_s: float = 300) -> float:
    """PostgreSQL: wait (at most `limit_s`) until no autovacuum worker runs; returns the seconds
    waited. On a server with autovacuum on, the bulk loads before a latency measurement (a
    million outbox rows, a new definitions version) set it going on a table for minutes, taking
    CPU that the server and the portal's requests need on two cores. A deployed portal meets
    that now and then, not in every request: it is waited out, and the wait is reported beside
    the figures. (The benchmark machine's server has autovacuum off: there it waits for nothing.)"""
    if env.db.is_sqlite:
        return 0.0
    start = time.monotonic()
    quiet_since: float | None = None
    while time.monotonic() - start < limit_s:
        workers = env.db.lees_ruw("SELECT count(*) FROM pg_stat_activity "
                                  "WHERE backend_type = 'autovacuum worker'", {})[0][0]
        now = time.monotonic()
        if workers:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 2:
            break
        time.sleep(0.5)
    waited = round(time.monotonic() - start, 1)
    if waited > 3:
        log(f"{waited} s gewacht tot autovacuum klaar was")
    return waited


def median_time(func: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# ---------------------------------------------------------------------------------------------
# The data set: definitions (YAML) and rows, deterministic.

def write_definitions(folder: Path, schaal: Schaal) -> dict[str, list[str]]:
    """Write organen/ and routes/ for the whole country; returns route name -> body keys."""
    (folder / "organen").mkdir(parents=True)
    (folder / "routes").mkdir()
    start = 2027 - schaal.jaren
    routes: dict[str, list[str]] = {}

    def body(key: str, naam: str, regel: str) -> None:
        leden = "\n".join(
            f"  - {{naam: Lid {i} {key}, email: lid{i}@{key}.example, rol: "
            f"{'voorzitter' if i == 0 else 'lid'}, organisatie: {naam}}}"
            for i in range(schaal.leden_per_orgaan))
        (folder / "organen" / f"{key}.yaml").write_text(
            f"sleutel: {key}\nnaam: {naam}\nsecretaris: {{naam: Secretaris {key}, "
            f"email: secretaris@{key}.example}}\nleden:\n{leden}\nritmes:\n"
            f"  - {{regel: \"{regel}\", vanaf: {start}-01-01, tot: 2026-12-31}}\n"
            # The Woo-index and ORI-A figures: every body belongs to an organisation (one valid
            # TOOI URI for all) and archives its meetings.
            "organisatie: {naam: Openbaar Lichaam Jeugdhulp Rijnmond, "
            "tooi: https://identifier.overheid.nl/tooi/id/so/so0842}\n"
            "archief: {waardering: blijvend te bewaren, selectielijst: Selectielijst 2020, "
            "categorie: '1.1'}\n",
            encoding="utf-8")

    def route(naam: str, stappen: list[tuple[str, str]]) -> None:
        lines = "\n".join(f"  - {{orgaan: {o}, rol: {r}}}" for o, r in stappen)
        (folder / "routes" / f"{naam}.yaml").write_text(
            f"naam: {naam}\nstappen:\n{lines}\n", encoding="utf-8")
        routes[naam] = [o for o, _ in stappen]

    for r in range(schaal.regio_s):
        keys = [f"r{r:02d}-{k}" for k in ("pt", "sg", "aoj", "do", "ab")]
        body(keys[0], f"Programmateam regio {r}", "FREQ=MONTHLY;BYDAY=2MO")
        body(keys[1], f"Stuurgroep regio {r}", "FREQ=MONTHLY;BYDAY=3WE")
        body(keys[2], f"AOJ regio {r}", "FREQ=MONTHLY;BYDAY=-1TH")
        body(keys[3], f"Directeurenoverleg regio {r}", "FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH")
        body(keys[4], f"AB regio {r}", "FREQ=MONTHLY;BYDAY=1FR")
        route(f"regio-{r:02d}", [(keys[0], "advies"), (keys[1], "advies"), (keys[2], "advies"),
                                 (keys[4], "besluit")])
    for g in range(schaal.gemeenten):
        keys = [f"g{g:03d}-{k}" for k in ("college", "commissie", "raad")]
        body(keys[0], f"College gemeente {g}", "FREQ=WEEKLY;BYDAY=TU")
        body(keys[1], f"Commissie gemeente {g}", "FREQ=MONTHLY;BYDAY=2TH")
        body(keys[2], f"Raad gemeente {g}", "FREQ=MONTHLY;BYDAY=-1TH")
        route(f"gemeente-{g:03d}", [(keys[0], "advies"), (keys[1], "consultatie"),
                                    (keys[2], "besluit")])
    body("bo-jeugd", "Bestuurlijk Overleg Jeugd", "FREQ=MONTHLY;BYMONTH=4,10;BYDAY=-1TH")
    return routes


def apply_version_1(env: Any, definities: Path) -> None:
    """`init` without its meeting synchronisation (populate inserts the meetings in bulk)."""
    from workflow.basis import clock
    from workflow.definities import versies
    from workflow.opslag.models import Definitieversie

    env.db.migreer()
    bron = versies.lees_map(definities)
    with env.db.schrijf() as session:
        session.add(Definitieversie(nummer=1, hash=bron.hash, inhoud=json.dumps(bron.inhoud),
                                    bron=str(definities), toegepast_door="benchmark",
                                    toegepast_op=clock.real_now()))


def populate(env: Any, schaal: Schaal, routes: dict[str, list[str]]) -> dict[str, Any]:
    """Meetings, proposals with their agenda items and history, in bulk (Core inserts)."""
    from sqlalchemy import insert, select

    from workflow.definities import ritme
    from workflow.opslag.models import Agendapunt, Gebeurtenis, Vergadering, Voorstel

    rng = random.Random(SEED)
    definities = env.definities
    meeting_rows = []
    for orgaan in definities.organen.values():
        for m in ritme.vergaderingen(orgaan):
            meeting_rows.append({"sleutel": m.sleutel, "orgaan": m.orgaan, "begin": m.begin,
                                 "oorspronkelijk_begin": m.begin, "plaats": m.plaats,
                                 "geannuleerd": m.geannuleerd, "opmerking": "",
                                 "handmatig": False, "volgnummer": 0})
    with env.db.schrijf() as session:
        for chunk in chunks(meeting_rows, 5000):
            session.execute(insert(Vergadering), chunk)
    with env.db.lees() as session:
        meetings: dict[str, list[tuple[int, datetime]]] = {}
        for vid, orgaan, begin in session.execute(
                select(Vergadering.id, Vergadering.orgaan, Vergadering.begin)
                .order_by(Vergadering.begin)):
            meetings.setdefault(orgaan, []).append((vid, begin))
    log(f"{len(meeting_rows)} vergaderingen")

    route_names = sorted(routes)
    first = datetime(2027 - schaal.jaren, 1, 1, tzinfo=UTC)
    span = timedelta(days=365 * schaal.jaren - 120)
    proposals, items, history = [], [], []
    now = datetime(2026, 11, 22, tzinfo=UTC)
    for n in range(schaal.voorstellen):
        route = route_names[n % len(route_names)]
        bodies = routes[route]
        submitted = first + span * rng.random()
        year = submitted.year
        done = rng.random() < 0.9
        steps_taken = len(bodies) if done else rng.randrange(1, len(bodies) + 1)
        cursor = submitted
        trail: list[tuple[str, int, datetime]] = []
        for body in bodies[:steps_taken]:
            nxt = next(((vid, b) for vid, b in meetings[body] if b > cursor), None)
            if nxt is None:
                break
            trail.append((body, nxt[0], nxt[1]))
            cursor = nxt[1]
        final = done and len(trail) == len(bodies)
        last_body = trail[-1][0] if trail else bodies[0]
        state = "vastgesteld" if final else (f"{last_body}:geagendeerd" if trail else "ingediend")
        proposals.append({
            "id": n + 1, "kenmerk": f"{year}-{n + 1:06d}", "titel": f"Voorstel {n + 1}",
            "aan": "", "van": "", "opsteller": f"Opsteller {n % 500}", "in_opdracht_van": "",
            "route": route, "toestand": state, "documentstatus": "Definitief", "versie": "1",
            "onderwerp": "regioagenda" if n % 7 == 0 else None,
            "vergadering_id": trail[-1][1] if trail and not final else None,
            "ingediend_op": submitted, "gewijzigd_op": cursor, "wijzigingsnummer": 1,
        })
        history.append({"voorstel_id": n + 1, "tijdstip": submitted, "geregistreerd_op": now,
                        "door": "benchmark", "handeling": "indienen", "van_toestand": None,
                        "naar_toestand": "ingediend", "vergadering_id": None, "uitkomst": None,
                        "tekst": None})
        for i, (body, vid, begin) in enumerate(trail):
            last = i == len(trail) - 1
            outcome = None if (last and not final) else (
                "vastgesteld" if i == len(bodies) - 1 else "positief")
            rol = "besluit" if i == len(bodies) - 1 else "advies"
            items.append({"vergadering_id": vid, "voorstel_id": n + 1, "stap": body, "rol": rol,
                          "status": "geagendeerd" if outcome is None else "behandeld",
                          "uitkomst": outcome, "tekst": "Akkoord" if outcome else None,
                          "nagekomen": False, "aangemaakt_op": begin - timedelta(days=10)})
            history.append({"voorstel_id": n + 1, "tijdstip": begin - timedelta(days=10),
                            "geregistreerd_op": now, "door": "benchmark",
                            "handeling": "agenderen", "van_toestand": None,
                            "naar_toestand": f"{body}:geagendeerd", "vergadering_id": vid,
                            "uitkomst": None, "tekst": None})
            if outcome:
                history.append({"voorstel_id": n + 1, "tijdstip": begin, "geregistreerd_op": now,
                                "door": "benchmark", "handeling": outcome,
                                "van_toestand": f"{body}:geagendeerd", "naar_toestand": None,
                                "vergadering_id": vid, "uitkomst": outcome, "tekst": "Akkoord"})
    # A large municipality's college: GROTE_LIJST proposals submitted and waiting for it, for
    # `voorstel lijst --orgaan` (its cost must not grow with them: it prints one page).
    grote_route = next(r for r in route_names if r.startswith("gemeente-"))
    for extra in range(GROTE_LIJST if schaal is VOL else GROTE_LIJST // 10):
        n = len(proposals)
        submitted = first + span * rng.random()
        proposals.append({
            "id": n + 1, "kenmerk": f"{submitted.year}-{n + 1:06d}", "titel": f"Voorstel {n + 1}",
            "aan": "", "van": "", "opsteller": f"Opsteller {extra % 500}", "in_opdracht_van": "",
            "route": grote_route, "toestand": "ingediend", "documentstatus": "Definitief",
            "versie": "1", "onderwerp": None, "vergadering_id": None, "ingediend_op": submitted,
            "gewijzigd_op": submitted, "wijzigingsnummer": 1,
        })
    with env.db.schrijf() as session:
        for chunk in chunks(proposals, 5000):
            session.execute(insert(Voorstel), chunk)
        for chunk in chunks(items, 10000):
            session.execute(insert(Agendapunt), chunk)
        for chunk in chunks(history, 10000):
            session.execute(insert(Gebeurtenis), chunk)
    analyze(env)
    log(f"{len(proposals)} voorstellen, {len(items)} agendapunten, {len(history)} gebeurtenissen")
    busiest = routes[grote_route][0]
    return {"vergaderingen": len(meeting_rows), "voorstellen": len(proposals),
            "agendapunten": len(items), "gebeurtenissen": len(history),
            "orgaan_voor_lijst": busiest}


def chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# ---------------------------------------------------------------------------------------------
# Measurements.

def besluitroute_command() -> list[str]:
    beside = Path(sys.executable).parent / "besluitroute"
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-m", "workflow"]


def run_quiet(args: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{args}: {result.stderr.strip()[-500:]}")


def measure_cli(schaal: Schaal, urls: dict[str, str], definities: Path,
                orgaan: str) -> dict[str, Any]:
    python = sys.executable
    cmd = besluitroute_command()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    runs = max(schaal.herhalingen, 5)
    for _ in range(2):  # warm the OS file cache and our definitions cache
        run_quiet([*cmd, "--help"], env)
    result: dict[str, Any] = {
        "python_pass_s": median_time(lambda: run_quiet([python, "-c", "pass"], env), runs),
        "import_sqlalchemy_orm_s": median_time(
            lambda: run_quiet([python, "-c", "import sqlalchemy.orm"], env), runs),
        "help_s": median_time(lambda: run_quiet([*cmd, "--help"], env), runs),
    }
    result["help_ratio_vs_python"] = round(result["help_s"] / result["python_pass_s"], 2)
    if "postgres" in urls:
        # On PostgreSQL the driver is part of the floor: the ORM import alone cannot talk to it.
        result["import_sqlalchemy_orm_driver_s"] = median_time(
            lambda: run_quiet([python, "-c", "import sqlalchemy.orm, psycopg2"], env), runs)
    for name, url in urls.items():
        # Only the database URL, as a cron line runs it: the applied version from the database,
        # its typed definitions from the cache keyed by the version's hash.
        args = [*cmd, "--database", url, "voorstel", "lijst", "--orgaan", orgaan]
        run_quiet(args, env)
        # 7 pairs, the floor and the listing in turn: the ratio is taken pair by pair, so that a
        # machine whose speed drifts during the run (2 noisy cores) moves both alike.
        floor = [python, "-c", "import sqlalchemy.orm" if name == "sqlite"
                 else "import sqlalchemy.orm, psycopg2"]
        samples, floors = [], []
        for _ in range(7):  # p50 and p95 of 7 runs (the 95th percentile of 7 is the slowest)
            floors.append(_timed(lambda f=floor: run_quiet(f, env)))  # type: ignore[misc]
            samples.append(_timed(lambda a=args: run_quiet(a, env)))  # type: ignore[misc]
        ratios = sorted(a / b for a, b in zip(samples, floors, strict=True))
        seconds = statistics.median(samples)
        result[f"voorstel_lijst_{name}_s"] = seconds
        result[f"voorstel_lijst_{name}_p95_s"] = max(samples)
        result[f"voorstel_lijst_{name}_vloer_s"] = statistics.median(floors)
        key = "ratio_vs_orm" if name == "sqlite" else "ratio_vs_orm_driver"
        result[f"voorstel_lijst_{name}_{key}"] = round(statistics.median(ratios), 2)
        result[f"voorstel_lijst_{name}_p95_{key}"] = round(ratios[-1], 2)
        if name == "postgres":  # against the bare ORM as well (the driver's import on top)
            result["voorstel_lijst_postgres_ratio_vs_orm"] = round(
                seconds / result["import_sqlalchemy_orm_s"], 2)
        # Naming the folder as well (the way every command worked before versions): the folder
        # is read and compared with the applied version on top of the above.
        named = [*cmd, "--database", url, "--definities", str(definities), "voorstel", "lijst",
                 "--orgaan", orgaan]
        run_quiet(named, env)
        seconds = median_time(lambda a=named: run_quiet(a, env), runs)  # type: ignore[misc]
        result[f"voorstel_lijst_{name}_met_map_s"] = seconds
        result[f"voorstel_lijst_{name}_met_map_ratio_vs_orm"] = round(
            seconds / result["import_sqlalchemy_orm_s"], 2)

        # The first command after a new version (or on a new machine): an empty cache, so the
        # definitions are rebuilt from the text stored in the database.
        def cold(a: list[str] = args) -> None:
            with tempfile.TemporaryDirectory() as cache:
                run_quiet(a, {**env, "BESLUITROUTE_CACHE": cache})

        seconds = median_time(cold, runs)
        result[f"voorstel_lijst_{name}_koude_cache_s"] = seconds
        result[f"voorstel_lijst_{name}_koude_cache_ratio_vs_orm"] = round(
            seconds / result["import_sqlalchemy_orm_s"], 2)
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def measure_routing(env: Any, schaal: Schaal) -> dict[str, Any]:
    """Transitions through the engine (load, trigger, history row, commit per batch) against raw
    Core inserts of the same history rows, committed in the same batches."""
    from sqlalchemy import insert, select

    from workflow.basis import clock
    from workflow.opslag.models import Gebeurtenis, Voorstel
    from workflow.routes import machine as routemachine
    from workflow.routes import toestanden
    from workflow.voorstellen import bulk

    count = min(20_000, schaal.voorstellen // 2)
    batch = 500
    with env.db.lees() as session:
        ids = list(session.scalars(select(Voorstel.id).where(Voorstel.toestand == "vastgesteld")
                                   .order_by(Voorstel.id).limit(count)))
    now = clock.real_now()

    # Every proposal walks 'ingediend' -> its first step's 'geagendeerd': one real trigger each,
    # through the engine's batch path (load, machine per proposal, version-checked update,
    # history rows), committed per batch.
    with env.db.schrijf() as session:
        session.execute(Voorstel.__table__.update().where(Voorstel.id.in_(ids))
                        .values(toestand=toestanden.INGEDIEND))
    start = time.perf_counter()
    for begin in range(0, len(ids), batch):
        bulk.vuur_in_bulk(env, ids[begin:begin + batch], routemachine.AGENDEREN, door="benchmark")
    engine_s = time.perf_counter() - start

    rows = [{"voorstel_id": i, "tijdstip": now, "geregistreerd_op": now, "door": "benchmark",
             "handeling": "agenderen", "van_toestand": "ingediend", "naar_toestand": "x",
             "vergadering_id": None, "uitkomst": None, "tekst": None} for i in ids]
    start = time.perf_counter()
    for chunk in chunks(rows, batch):
        with env.db.engine.begin() as conn:
            conn.execute(insert(Gebeurtenis), chunk)
    raw_s = time.perf_counter() - start
    engine_rate = len(ids) / engine_s
    raw_rate = len(ids) / raw_s
    return {"overgangen": len(ids), "batch": batch,
            "engine_overgangen_per_s": round(engine_rate), "raw_inserts_per_s": round(raw_rate),
            "ratio_engine_vs_raw": round(engine_rate / raw_rate, 3)}


def measure_memory(env: Any, schaal: Schaal) -> dict[str, Any]:
    """Bytes per loaded proposal with its machine attached, and what listing all attaches."""
    from sqlalchemy import select

    from workflow.opslag.models import Voorstel
    from workflow.routes import machine as routemachine
    from workflow.routes import toestanden
    from workflow.voorstellen import lezen

    n = min(10_000, schaal.voorstellen)
    with env.db.lees() as session:
        loaded = list(session.scalars(select(Voorstel).limit(n)))
    route = env.definities.routes[loaded[0].route]
    machine = routemachine.RouteMachine(route)

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    # Our way: a proposal is attached as a slotted position while it is acted on.
    attached = [routemachine._Positie(v.toestand) for v in loaded]
    ours = (tracemalloc.get_traced_memory()[0] - before) / n
    del attached
    gc.collect()

    # The baseline transitions offers: add_model binds convenience methods to each model.
    from transitions import Machine

    class Model:
        def __init__(self, state: str) -> None:
            self.state = state

    plain = Machine(model=None, states=machine.toestanden,
                    transitions=[{"trigger": o.trigger, "source": o.bron, "dest": o.doel}
                                 for o in machine.overgangen],
                    initial=toestanden.INGEDIEND, auto_transitions=False)
    sample = [Model("ingediend") for _ in range(1000)]
    before = tracemalloc.get_traced_memory()[0]
    for m in sample:
        plain.add_model(m, initial="ingediend")
    add_model = (tracemalloc.get_traced_memory()[0] - before) / len(sample)
    tracemalloc.stop()

    fresh_env = type(env)(definities_map=env.definities_map, sjablonen_map=None,
                          database_url=env.database_url, uitgaand_map=env.uitgaand_map)
    listed = lezen.lijst(fresh_env)
    machines_built = len(fresh_env.routes._machines) if "routes" in fresh_env.__dict__ else 0
    fresh_env.sluit()
    return {"bytes_per_voorstel_met_machine": round(ours),
            "bytes_per_model_transitions_add_model": round(add_model),
            "voorstellen_in_lijst": len(listed), "machines_gebouwd_bij_lijst": machines_built}


def measure_agendas(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """One 60-item HTML agenda, and every agenda of one month, against the raw query of its items."""
    from sqlalchemy import insert, select

    from workflow.agenda import generatie, laden
    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    with env.db.lees() as session:
        target = session.scalars(select(Vergadering).where(Vergadering.orgaan.like("r00-ab"))
                                 .order_by(Vergadering.begin.desc()).limit(1)).one()
        route = session.scalar(select(Voorstel.route).where(Voorstel.route.like("regio-00")))
        free = list(session.scalars(select(Voorstel.id).where(Voorstel.route == route)
                                    .order_by(Voorstel.id).limit(60)))
    with env.db.schrijf() as session:
        session.execute(insert(Agendapunt), [
            {"vergadering_id": target.id, "voorstel_id": vid, "stap": "r00-ab", "rol": "besluit",
             "status": "geagendeerd", "uitkomst": None, "tekst": None, "nagekomen": False,
             "aangemaakt_op": target.begin} for vid in free])

    def one_agenda() -> str:
        return generatie.render_agenda(env, laden.laad_agenda(env, str(target.id)), "html")

    def raw_items() -> None:
        with env.db.lees() as session:
            session.execute(select(Agendapunt, Voorstel).join(Voorstel)
                            .where(Agendapunt.vergadering_id == target.id)).all()

    items = len(laden.laad_agenda(env, str(target.id)).voorstellen)
    one_agenda()  # compile (and cache) the templates once
    runs = max(schaal.herhalingen, 5)
    html_s = median_time(one_agenda, runs)
    raw_s = median_time(raw_items, runs)

    month_start = datetime(2026, 6, 1, tzinfo=UTC)
    with env.db.lees() as session:
        month = list(session.scalars(select(Vergadering.id).where(
            Vergadering.begin >= month_start,
            Vergadering.begin < month_start + timedelta(days=30))))
    start = time.perf_counter()
    for vid in month:
        generatie.render_agenda(env, laden.laad_agenda(env, str(vid)), "html")
    month_s = time.perf_counter() - start
    return {"agendas": {
        "agenda_punten": items, "agenda_60_html_ms": round(html_s * 1000, 2),
        "baseline_ruwe_query_ms": round(raw_s * 1000, 2),
        "ratio_vs_ruwe_query": round(html_s / raw_s, 1),
        "maand_vergaderingen": len(month), "maand_alle_agendas_s": round(month_s, 2),
        "maand_ms_per_agenda": round(month_s * 1000 / max(len(month), 1), 2),
    }}


EXTRA_MEASUREMENTS.append(measure_agendas)


def measure_herinneringen(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """The outbox at scale: the sender's due-reminder query against a primary-key lookup, one
    reminder pass (`maak_herinneringen`), and the planner's resident memory against a bare
    python with sqlalchemy.orm and APScheduler imported."""
    from sqlalchemy import insert, select

    from workflow.basis import clock
    from workflow.berichten import ronde, stempel, uitgaand
    from workflow.kalender import vergaderingen
    from workflow.opslag.models import Vergadering

    rng = random.Random(SEED + 6)
    now = clock.real_now().replace(microsecond=0)
    with env.db.lees() as session:
        meetings = list(session.execute(select(Vergadering.sleutel, Vergadering.begin)))
        near = [m for m in meetings if now <= m[1] < now + timedelta(days=30)] or meetings
    first = datetime(2027 - schaal.jaren, 1, 1, tzinfo=UTC)
    span = (now - first).total_seconds()
    soorten = ("aanleveren", "agenda", "dag-ervoor", "aanlevering-verstreken", "weekoverzicht")
    tekst = "Beste lid,\n\nHierbij de agenda van de vergadering. " * 4
    html = "<p>Beste lid,</p><p>Hierbij de agenda van de vergadering.</p>" * 4
    wachtend = min(3000, schaal.herinneringen // 100)
    bezig = 5
    vervallen = schaal.herinneringen // 50

    def row(n: int) -> dict[str, Any]:
        if n < wachtend:  # pending: most due now, some later (backoff after a failure)
            status, (sleutel, begin) = "wachtend", near[n % len(near)]
            made = now - timedelta(minutes=rng.randrange(0, 600))
            poging = now + timedelta(minutes=rng.randrange(-120, 60))
        elif n < wachtend + bezig:  # claimed by a sender that died an hour ago
            status, (sleutel, begin) = "bezig", near[n % len(near)]
            made = poging = now - timedelta(hours=2)
        else:
            sleutel, begin = meetings[n % len(meetings)]
            status = "vervallen" if n < wachtend + bezig + vervallen else "verzonden"
            made = poging = first + timedelta(seconds=span * rng.random())
        return {
            "sleutel": f"{soorten[n % 5]}:{sleutel}@{n:07d}:lid{n % 25}@bench.example",
            "soort": soorten[n % 5], "vergadering": sleutel, "vergadering_begin": begin,
            "aan": [f"lid{n % 25}@bench.example"], "onderwerp": f"Herinnering {n}",
            "tekst": tekst, "html": html, "message_id": f"<{n}.{SEED}@bench.example>",
            "status": status, "pogingen": 1 if status in ("verzonden", "bezig") else 0,
            "volgende_poging": poging, "laatste_fout": None,
            "geclaimd_op": now - timedelta(hours=1) if status == "bezig" else None,
            "aangemaakt_op": made,
            "verzonden_op": made + timedelta(seconds=5) if status == "verzonden" else None,
        }

    start = time.perf_counter()
    for begin_n in range(0, schaal.herinneringen, 20_000):
        rows = [row(n) for n in range(begin_n, min(begin_n + 20_000, schaal.herinneringen))]
        with env.db.engine.begin() as conn:
            conn.execute(insert(uitgaand.Bericht), rows)
    analyze(env, "bericht")
    log(f"{schaal.herinneringen} berichten in {time.perf_counter() - start:.0f} s")

    def due() -> list[int]:
        # The sender's own selection (uitgaand.verstuur_wachtende), at the moment `now`.
        with env.db.lees() as session:
            return list(session.scalars(select(uitgaand.Bericht.id).where(uitgaand._claimable(now))
                                        .order_by(uitgaand.Bericht.id).limit(500)))

    def by_key() -> None:
        with env.db.lees() as session:
            session.scalars(select(uitgaand.Bericht.id).where(uitgaand.Bericht.id == 4242)).all()

    found = len(due())
    runs = max(schaal.herhalingen, 5)
    due_s = median_time(due, runs)
    base_s = median_time(by_key, runs)
    sql = str(select(uitgaand.Bericht.id).where(uitgaand._claimable(now)).order_by(uitgaand.Bericht.id)
              .limit(500).compile(env.db.engine, compile_kwargs={"literal_binds": True}))
    with env.db.engine.connect() as conn:
        plan = "\n".join(str(r[-1]) for r in conn.exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if env.db.is_sqlite else "EXPLAIN ") + sql))

    # One reminder pass on a Monday morning in June 2026, when every body meets.
    moment = datetime(2026, 6, 8, 9, 5, tzinfo=clock.TZ)
    clock.act_as(moment)
    try:
        start = time.perf_counter()
        eerste = ronde.maak_herinneringen(env)
        eerste_s = time.perf_counter() - start
        pass_s = median_time(lambda: ronde.maak_herinneringen(env), schaal.herhalingen)

        def vergeten() -> None:
            # As after any change (or in a fresh process): nothing kept from the pass before.
            stempel._conclusies.clear()
            ronde.maak_herinneringen(env)

        herberekend_s = median_time(vergeten, schaal.herhalingen)

        def sync() -> None:
            with env.db.schrijf() as session:
                vergaderingen.synchroniseer(session, env.definities)

        sync_s = median_time(sync, schaal.herhalingen)
    finally:
        clock.act_as(None)

    planner_rss, planner_hwm, planner_s = planner_memory(env)
    base_rss, _, _ = process_memory([sys.executable, "-c", "import sqlalchemy.orm, "
                                            "apscheduler.schedulers.blocking, time; "
                                            "time.sleep(3)"], None)
    # On PostgreSQL the planner must load the driver (psycopg2 with the libpq and OpenSSL of its
    # wheel, ~4.8 MB resident) and SQLAlchemy's dialect, and connect: that floor beside the bare one.
    driver_rss = None
    if not env.db.is_sqlite:
        from workflow.opslag.engine import met_stuurprogramma

        driver_rss, _, _ = process_memory(
            [sys.executable, "-c", _DRIVER_FLOOR, met_stuurprogramma(env.database_url)], None)
    return {"herinneringen": {
        "berichten": schaal.herinneringen, "verschuldigd_gevonden": found,
        "due_query_ms": round(due_s * 1000, 2), "baseline_ms": round(base_s * 1000, 2),
        "ratio": round(due_s / base_s, 1), "due_query_plan": plan,
        "moment": moment.isoformat(), "eerste_pass_ms": round(eerste_s * 1000, 1),
        "eerste_pass_aangemaakt": eerste.aangemaakt, "pass_ms": round(pass_s * 1000, 1),
        "pass_zonder_bewaarde_conclusies_ms": round(herberekend_s * 1000, 1),
        "waarvan_synchroniseer_ms": round(sync_s * 1000, 1),
        "planner_rss_mb": planner_rss, "planner_piek_rss_mb": planner_hwm,
        "planner_eerste_ronde_s": planner_s, "baseline_rss_mb": base_rss,
        "ratio_rss": round(planner_rss / base_rss, 2) if planner_rss and base_rss else None,
        "baseline_met_driver_rss_mb": driver_rss,
        "ratio_rss_met_driver": round(planner_rss / driver_rss, 2)
        if planner_rss and driver_rss else None,
    }}


_DRIVER_FLOOR = """
import sys, time
import apscheduler.schedulers.blocking, sqlalchemy, sqlalchemy.orm
with sqlalchemy.create_engine(sys.argv[1]).connect() as conn:
    conn.exec_driver_sql("SELECT 1")
    time.sleep(3)
"""


def _vm(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a live process in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values["VmRSS"], values["VmHWM"]


def process_memory(args: list[str], ready: str | None, env: dict[str, str] | None = None,
                   cwd: Path | None = None, timeout: float = 900
                   ) -> tuple[float | None, float | None, float | None]:
    """Start `args`; when its output shows `ready` (then 2 s without output) or, with ready None,
    after 2 s, read its memory; then SIGTERM and wait. Returns (rss MB, peak MB, seconds).
    Both streams are read as one: the planner logs to stdout (journald), errors go to stderr."""
    import selectors
    import signal

    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            cwd=cwd)
    assert proc.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    seen = ready is None
    quiet_since = time.perf_counter()
    tail = b""
    result: tuple[float | None, float | None, float | None] = (None, None, None)
    try:
        while time.perf_counter() - start < timeout and proc.poll() is None:
            if selector.select(timeout=0.2):
                chunk = os.read(proc.stdout.fileno(), 65536)
                tail = (tail + chunk)[-4000:]
                quiet_since = time.perf_counter()
                if ready is not None and ready.encode() in tail:
                    seen = True
            elif seen and time.perf_counter() - quiet_since >= 2:
                elapsed = round(quiet_since - start, 1)
                result = (*_vm(proc.pid), elapsed)
                break
        else:
            log(f"geheugen niet gemeten ({args[0]}): {tail.decode(errors='replace')[-500:]}")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        selector.close()
        proc.stdout.close()
    return result


def planner_memory(env: Any) -> tuple[float | None, float | None, float | None]:
    """A real `besluitroute planner` against the benchmark database, after its first pass."""
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("BESLUITROUTE_") or k == "BESLUITROUTE_CACHE"}
    work = Path(tempfile.mkdtemp(prefix="besluitroute-planner-"))
    try:
        return process_memory(
            [*besluitroute_command(), "--database", env.database_url, "--definities",
             str(env.definities_map), "planner"], "ronde:", environ, cwd=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


EXTRA_MEASUREMENTS.append(measure_herinneringen)


def measure_definities(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """Where a command gets its definitions, in-process (warm caches, same database session
    setup): before, from a folder (stat every file, unpickle); after, from the database (one
    query for the applied version's number and hash, unpickle); and a cold cache (rebuild from
    the stored text)."""
    from workflow.definities import lezen, versies

    folder = env.definities_map
    lezen.load(folder)

    def from_database() -> None:
        kop = versies.toegepaste_kop(env)
        assert kop is not None
        versies.definities_van(env, kop)

    from_database()
    runs = max(schaal.herhalingen, 5)
    kop = versies.toegepaste_kop(env)
    assert kop is not None
    with env.db.lees() as session:
        inhoud = versies.inhoud_van(session, kop.nummer)
    return {"definities": {
        "uit_map_ms": round(median_time(lambda: lezen.load(folder), runs) * 1000, 2),
        "uit_database_ms": round(median_time(from_database, runs) * 1000, 2),
        "koud_opbouwen_uit_database_ms": round(
            median_time(lambda: versies.bouw(inhoud, kop.nummer), 3) * 1000, 1),
    }}


EXTRA_MEASUREMENTS.append(measure_definities)


# ---------------------------------------------------------------------------------------------


def _drukste_vergadering(env: Any) -> tuple[int, str, str]:
    """The meeting with the most agenda items (the portal's heaviest page), its body and a
    proposal on it: (id, body key, kenmerk)."""
    from sqlalchemy import func, select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel

    with env.db.lees() as session:
        vergadering_id, orgaan = session.execute(
            select(Agendapunt.vergadering_id, Vergadering.orgaan)
            .join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
            .group_by(Agendapunt.vergadering_id, Vergadering.orgaan)
            .order_by(func.count(Agendapunt.id).desc()).limit(1)).one()
        kenmerk = session.scalar(select(Voorstel.kenmerk).join(
            Agendapunt, Agendapunt.voorstel_id == Voorstel.id)
            .where(Agendapunt.vergadering_id == vergadering_id).limit(1))
    return int(vergadering_id), str(orgaan), str(kenmerk)


def measure_web(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """The portal under gunicorn: page p95 against a trivial endpoint of the same server, a feed
    answered 304, the search, and requests per second on the meeting page with --workers 2."""
    import http.client
    import socket
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import func, select

    from workflow.opslag.models import Agendapunt, Vergadering
    from workflow.web import opslag

    vergadering_id, orgaan, kenmerk = _drukste_vergadering(env)
    with env.db.lees() as session:
        op_agenda = session.scalar(select(func.count(Agendapunt.id)).where(
            Agendapunt.vergadering_id == vergadering_id))
    secretaris = env.definities.organen[orgaan].secretaris.email
    gewacht = wait_for_autovacuum(env)
    token, _ = opslag.maak_link(env, secretaris)
    uitkomst = opslag.gebruik_link(env, token)
    assert isinstance(uitkomst, tuple)
    cookie = f"besluitroute_sessie={uitkomst[1]}"
    geheim = opslag.nieuw_feedgeheim(env, secretaris)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proces = subprocess.Popen(
        [*besluitroute_command(), "--database", env.database_url, "web", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "2", "--zonder-tls", "--proxies", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())

    def get(pad: str, **kop: str) -> tuple[int, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("GET", pad, headers={"Cookie": cookie, **kop})
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.headers)
        finally:
            conn.close()

    def p95_om_beurten(paden: dict[str, tuple[str, dict[str, str]]], n: int
                       ) -> dict[str, float]:
        """p95 per path, the paths asked in turn: a machine whose speed drifts during the
        measurement (2 noisy cores) moves every path alike, the trivial one included."""
        tijden: dict[str, list[float]] = {naam: [] for naam in paden}
        for _ in range(n):
            for naam, (pad, kop) in paden.items():
                start = time.perf_counter()
                status, _ = get(pad, **kop)
                tijden[naam].append(time.perf_counter() - start)
                if status not in (200, 304):
                    raise RuntimeError(f"{pad}: {status}")
        result = {}
        for naam, reeks in tijden.items():
            reeks.sort()
            result[naam] = reeks[min(len(reeks) - 1, int(len(reeks) * 0.95))] * 1000
        return result

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get("/gezond")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        n = 40 if schaal is KLEIN else 200
        feed = f"/kalender/p/{geheim}/orgaan/{orgaan}.ics"
        etag = get(feed)[1]["ETag"]
        with env.db.lees() as session:
            begin = session.scalar(select(Vergadering.begin).where(
                Vergadering.id == vergadering_id))
        maandpad = f"/orgaan/{orgaan}/maand/{begin:%Y-%m}"
        for pad in ("/gezond", f"/vergadering/{vergadering_id}", f"/voorstel/{kenmerk}",
                    maandpad):
            get(pad)  # warm the templates and caches of both workers
            get(pad)
        p95 = p95_om_beurten({
            "triviaal": ("/gezond", {}),
            "vergadering": (f"/vergadering/{vergadering_id}", {}),
            "voorstel": (f"/voorstel/{kenmerk}", {}),
            "feed_304": (feed, {"If-None-Match": etag}),
            # Issue 30: the month calendar of the meeting's body (the secretary is signed in).
            "maandkalender": (maandpad, {}),
        }, n)
        triviaal, vergadering, voorstel = p95["triviaal"], p95["vergadering"], p95["voorstel"]
        feed_304 = p95["feed_304"]
        # Apart: a search costs tens of milliseconds, and the request after it came out slower.
        zoek = p95_om_beurten({"zoeken": ("/zoeken?q=voorstel+1", {})}, n)["zoeken"]
        aantal = n * 2
        start = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: get(f"/vergadering/{vergadering_id}"), range(aantal)))
        per_seconde = aantal / (time.perf_counter() - start)
        belasting = os.getloadavg()[0]
    finally:
        proces.terminate()
        proces.wait(timeout=30)
    log(f"web: vergadering p95 {vergadering:.1f} ms, triviaal {triviaal:.1f} ms, "
        f"{per_seconde:.0f}/s")
    return {"web": {
        "verzoeken_per_meting": n, "agendapunten_op_vergadering": op_agenda,
        "gewacht_op_autovacuum_s": gewacht, "belasting_1m_na_meting": round(belasting, 2),
        "triviaal_p95_ms": round(triviaal, 2),
        "vergadering_p95_ms": round(vergadering, 2),
        "voorstel_p95_ms": round(voorstel, 2),
        "feed_304_p95_ms": round(feed_304, 2),
        "zoeken_p95_ms": round(zoek, 2),
        "vergadering_ratio": round(vergadering / triviaal, 2),
        "voorstel_ratio": round(voorstel / triviaal, 2),
        "feed_304_ratio": round(feed_304 / triviaal, 2),
        "maandkalender_p95_ms": round(p95["maandkalender"], 2),
        "maandkalender_ratio": round(p95["maandkalender"] / triviaal, 2),
        "vergadering_per_seconde_2_workers": round(per_seconde, 1),
    }}


EXTRA_MEASUREMENTS.append(measure_web)


def measure_plannen(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """One route plan forward and one backward (workflow.kalender.planning, pure), on the
    longest route of the dataset from its definitions' meetings; p50 of 7 series of 200, in µs,
    beside building the planner's input once."""
    from workflow.kalender import planning

    definities = env.definities
    route = max(definities.routes.values(), key=lambda r: len(r.stappen))
    stappen = planning.stappen(route, definities)
    agenda = planning.agenda_uit_definities(definities, {s.orgaan for s in stappen})
    # A month into the dataset's years: the whole route still lies ahead.
    nu = min(o.begin for opties in agenda.values() for o in opties) + timedelta(days=30)
    vooruit = planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu)
    if not isinstance(vooruit, planning.Plan):
        return {"plannen": {"onhaalbaar": True}}
    doel = vooruit.besluit.vergadering

    def reeks(func: Callable[[], Any]) -> float:
        start = time.perf_counter()
        for _ in range(200):
            func()
        return (time.perf_counter() - start) / 200 * 1e6

    heen = statistics.median(reeks(lambda: planning.vooruit(stappen, agenda, nu, aangeleverd_op=nu))
                             for _ in range(7))
    terug = statistics.median(reeks(lambda: planning.terug(stappen, agenda, doel, nu))
                              for _ in range(7))
    log(f"plannen: vooruit {heen:.0f} µs, terug {terug:.0f} µs")
    return {"plannen": {"stappen": len(stappen),
                        "vergaderingen": sum(len(v) for v in agenda.values()),
                        "vooruit_p50_us": round(heen, 1), "terug_p50_us": round(terug, 1)}}


EXTRA_MEASUREMENTS.append(measure_plannen)


def measure_wachter(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """What the portal pays per request to know whether anything was committed
    (workflow.opslag.wijzigingen), beside the cheapest statement through the same driver: p50
    of 7 series of 2.000 calls each, in microseconds. On SQLite a PRAGMA, on PostgreSQL a round
    trip on the listening connection."""
    wachter = env.db.wachter

    def reeks(func: Callable[[], Any]) -> float:
        start = time.perf_counter()
        for _ in range(2_000):
            func()
        return (time.perf_counter() - start) / 2_000 * 1e6

    wachter.generatie()  # opens the watching connection
    vraag = [reeks(wachter.generatie) for _ in range(7)]
    basis = [reeks(lambda: env.db.lees_ruw("SELECT 1", {})) for _ in range(7)]
    generatie, select_1 = statistics.median(vraag), statistics.median(basis)
    log(f"wachter: {generatie:.0f} µs per vraag, SELECT 1 {select_1:.0f} µs")
    return {"wachter": {"generatie_p50_us": round(generatie, 1),
                        "select_1_p50_us": round(select_1, 1),
                        "ratio": round(generatie / select_1, 2)}}


EXTRA_MEASUREMENTS.append(measure_wachter)


#: `--ab-boom PAD`: a second checkout whose portal is measured beside this one (measure_web_ab).
AB_BOOM: list[Path] = []


def measure_web_ab(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """Two portals on the same database, this checkout's and `--ab-boom`'s, asked in turns: p95
    per page against each server's own trivial endpoint. Only with --ab-boom."""
    if not AB_BOOM:
        return {}
    import http.client
    import socket

    from workflow.web import opslag

    vergadering_id, orgaan, kenmerk = _drukste_vergadering(env)
    secretaris = env.definities.organen[orgaan].secretaris.email
    uitkomst = opslag.gebruik_link(env, opslag.maak_link(env, secretaris)[0])
    assert isinstance(uitkomst, tuple)
    cookie = f"besluitroute_sessie={uitkomst[1]}"
    feed = f"/kalender/p/{opslag.nieuw_feedgeheim(env, secretaris)}/orgaan/{orgaan}.ics"
    poorten, processen = {}, []
    for naam, boom in (("deze", None), ("ab", AB_BOOM[0])):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            poorten[naam] = int(s.getsockname()[1])
        omgeving = os.environ.copy()
        if boom is not None:
            omgeving["PYTHONPATH"] = str(boom)
        processen.append(subprocess.Popen(
            [*besluitroute_command(), "--database", env.database_url, "web", "--host",
             "127.0.0.1", "--port", str(poorten[naam]), "--workers", "2", "--zonder-tls",
             "--proxies", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=omgeving))

    def get(poort: int, pad: str, **kop: str) -> tuple[int, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
        try:
            conn.request("GET", pad, headers={"Cookie": cookie, **kop})
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.headers)
        finally:
            conn.close()

    try:
        for poort in poorten.values():
            deadline = time.monotonic() + 60
            while True:
                try:
                    if get(poort, "/gezond")[0] == 200:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        etag = get(poorten["deze"], feed)[1]["ETag"]
        paden = {"triviaal": ("/gezond", {}), "vergadering": (f"/vergadering/{vergadering_id}", {}),
                 "voorstel": (f"/voorstel/{kenmerk}", {}),
                 "feed_304": (feed, {"If-None-Match": etag})}
        for poort in poorten.values():
            for pad, kop in paden.values():
                get(poort, pad, **kop)
                get(poort, pad, **kop)
        tijden: dict[tuple[str, str], list[float]] = {}
        for _ in range(100 if schaal is KLEIN else 400):
            for server, poort in poorten.items():
                for naam, (pad, kop) in paden.items():
                    start = time.perf_counter()
                    status, _ = get(poort, pad, **kop)
                    tijden.setdefault((server, naam), []).append(time.perf_counter() - start)
                    if status not in (200, 304):
                        raise RuntimeError(f"{server} {pad}: {status}")
    finally:
        for proces in processen:
            proces.terminate()
            proces.wait(timeout=30)

    def p95(reeks: list[float]) -> float:
        reeks = sorted(reeks)
        return reeks[min(len(reeks) - 1, int(len(reeks) * 0.95))] * 1000

    result: dict[str, Any] = {"ab_boom": str(AB_BOOM[0])}
    for server in poorten:
        basis = p95(tijden[(server, "triviaal")])
        result[server] = {"triviaal_p95_ms": round(basis, 2), **{
            f"{naam}_ratio": round(p95(tijden[(server, naam)]) / basis, 2)
            for naam in paden if naam != "triviaal"}, **{
            f"{naam}_p95_ms": round(p95(tijden[(server, naam)]), 2)
            for naam in paden if naam != "triviaal"}}
    log(f"web_ab: {result}")
    return {"web_ab": result}


EXTRA_MEASUREMENTS.append(measure_web_ab)


def measure_oparl(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """OParl: every agenda item's documents published (bulk rows), then the Paper list page p95
    at page 1 and at a deep page (keyset), in-process through the Flask app; and the export of
    everything as static files, in seconds and MB."""
    from sqlalchemy import insert, select

    from workflow.openbaarheid.model import Publicatie
    from workflow.opslag.models import Agendapunt
    from workflow.web import oparl
    from workflow.web.app import maak_app

    nu = datetime.now(UTC)
    with env.db.schrijf() as session:
        rows = [{"sleutel": f"stukken:{v}:{p}", "soort": "stukken", "vergadering_id": v,
                 "voorstel_id": p, "gepland_op": nu, "gepubliceerd_op": nu,
                 "gewijzigd_op": nu, "door": "benchmark"}
                for v, p in session.execute(select(Agendapunt.vergadering_id,
                                                   Agendapunt.voorstel_id).distinct())]
        for chunk in chunks(rows, 5000):
            session.execute(insert(Publicatie), chunk)
    # Without statistics PostgreSQL took the 328,000 new rows for 62 and hashed them all for
    # every page; the export then ran ~10x longer than on SQLite.
    analyze(env, "publicatie")
    client = maak_app(env, veilige_cookies=False, proxies=0).test_client()
    with env.db.lees() as session:
        ids = sorted({r["voorstel_id"] for r in rows})
    diep = ids[int(len(ids) * 0.95)] if ids else 0

    def p95(url: str, runs: int = 40) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            r = client.get(url)
            times.append(time.perf_counter() - start)
            assert r.status_code == 200, r.status_code
        return round(sorted(times)[int(runs * 0.95) - 1] * 1000, 1)

    result = {"gepubliceerde_stukken": len(rows), "papers": len(ids),
              "pagina_1_p95_ms": p95("/oparl/v1/body/1/paper"),
              "diepe_pagina_p95_ms": p95(f"/oparl/v1/body/1/paper?na={diep}"),
              "diepe_pagina_na_id": diep}
    folder = Path(tempfile.mkdtemp(prefix="oparl-"))
    try:
        start = time.perf_counter()
        bestanden, grootte = oparl.exporteer(env, folder, "https://portaal.example")
        result.update({"export_s": round(time.perf_counter() - start, 1),
                       "export_bestanden": bestanden, "export_mb": round(grootte / 1e6, 1)})
        data["_oparl_export_s"] = result["export_s"]  # the Woo-index figure compares with it
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log(f"oparl: {result}")
    return {"oparl": result}


EXTRA_MEASUREMENTS.append(measure_oparl)


def measure_wooindex(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """The Woo-index: the files for every publication (written as `export woo-index` does), in
    seconds beside the OParl export of the same publications; `robots.txt` and a sitemap page
    p95 against the trivial endpoint, in-process through the Flask app (as the OParl pages)."""
    from sqlalchemy import func, insert, select

    from workflow.openbaarheid.model import Publicatie
    from workflow.openbaarheid.wooindex import export as wooindex
    from workflow.opslag.models import Agendapunt
    from workflow.voorstellen.documenten import Bijlage
    from workflow.web.app import maak_app

    nu = datetime.now(UTC)
    with env.db.schrijf() as session:
        paren = list(session.execute(select(Agendapunt.vergadering_id,
                                            Agendapunt.voorstel_id).distinct()))
        bestaand = set(session.scalars(select(Publicatie.sleutel)))
        rows = [{"sleutel": sleutel, "soort": sleutel.split(":")[0], "vergadering_id": v,
                 "voorstel_id": p, "gepland_op": nu, "gepubliceerd_op": nu,
                 "gewijzigd_op": nu, "door": "benchmark"}
                for sleutel, v, p in (
                    *((f"stukken:{v}:{p}", v, p) for v, p in paren),
                    *((f"{soort}:{v}", v, None) for v in {v for v, _ in paren}
                      for soort in ("agenda", "besluitenlijst")))
                if sleutel not in bestaand]
        for chunk in chunks(rows, 5000):
            session.execute(insert(Publicatie), chunk)
        # One registered document per proposal, a real file (ORI-A reads and checks it).
        map_ = Path(tempfile.mkdtemp(prefix="documenten-"))
        _DOCUMENTEN.append(map_)
        inhoud = b"%PDF-1.4 benchmark\n"
        sha = hashlib.sha256(inhoud).hexdigest()
        bijlagen = []
        for voorstel_id in sorted({p for _, p in paren}):
            pad = map_ / f"{voorstel_id}.pdf"
            pad.write_bytes(inhoud)
            bijlagen.append({"voorstel_id": voorstel_id, "naam": "voorstel.pdf", "versie": 1,
                             "grootte": len(inhoud), "sha256": sha, "omschrijving": "",
                             "bron": str(pad), "door": "benchmark",
                             "geregistreerd_op": datetime(2024, 1, 1, tzinfo=UTC)})
        for chunk in chunks(bijlagen, 5000):
            session.execute(insert(Bijlage), chunk)
    analyze(env, "publicatie")
    analyze(env, "bijlage")
    with env.db.lees() as session:
        aantal = session.scalar(select(func.count(Publicatie.id)))
    adres = "https://portaal.example"
    folder = Path(tempfile.mkdtemp(prefix="wooindex-"))
    try:
        start = time.perf_counter()
        bestanden, grootte = wooindex.exporteer(env, folder, adres)
        export_s = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log(f"wooindex: {bestanden} bestanden in {export_s:.1f} s")
    env.config["web"] = {"adres": adres}
    client = maak_app(env, veilige_cookies=False, proxies=0).test_client()
    robots = client.get("/robots.txt").data.decode()
    index = robots.split("Sitemap: ")[1].split()[0].removeprefix(adres)
    sitemap = client.get(index).data.decode().split("<loc>")[1].split("</loc>")[0]
    sitemap = sitemap.removeprefix(adres)
    tijden: dict[str, list[float]] = {"triviaal": [], "robots": [], "sitemap": []}
    for _ in range(40 if schaal is KLEIN else 200):
        for naam, pad in (("triviaal", "/gezond"), ("robots", "/robots.txt"),
                          ("sitemap", sitemap)):
            start = time.perf_counter()
            assert client.get(pad).status_code == 200, pad
            tijden[naam].append(time.perf_counter() - start)
    p95 = {naam: sorted(t)[int(len(t) * 0.95) - 1] * 1000 for naam, t in tijden.items()}
    oparl_s = data.get("_oparl_export_s")
    result = {"publicaties": aantal or bestanden, "bestanden": bestanden,
              "mb": round(grootte / 1e6, 1), "export_s": round(export_s, 1),
              "triviaal_p95_ms": round(p95["triviaal"], 3),
              "robots_p95_ms": round(p95["robots"], 3), "sitemap_p95_ms": round(p95["sitemap"], 3),
              "robots_ratio": round(p95["robots"] / p95["triviaal"], 2),
              "sitemap_ratio": round(p95["sitemap"] / p95["triviaal"], 2)}
    if oparl_s:
        result["oparl_export_s"] = oparl_s
    log(f"wooindex: {result}")
    return {"wooindex": result}


#: Words of the generated document texts; KINDERWOORD occurs in a handful of documents only.
WOORDEN = ("gemeente", "jeugdhulp", "regio", "budget", "besluit", "advies", "college", "raad",
           "wethouder", "beleid", "uitvoering", "zorgaanbieder", "contract", "evaluatie",
           "participatie", "wijkteam", "inwoners", "onderzoek", "rapportage", "planning",
           "vergadering", "vergaderingen", "kosten", "begroting", "risico", "voorstel")
KINDERWOORD = "kinderburgemeester"
#: `--documenten N`: at least N document texts for the search figures (default: one per
#: proposal, 100,000 in the full run).
DOCUMENTEN: list[int] = []


def _documenttekst(rng: random.Random, woorden: int) -> str:
    """Deterministic text: common words and made-up ones (a vocabulary of some thousands)."""
    uit = []
    for _ in range(woorden):
        if rng.random() < 0.6:
            uit.append(rng.choice(WOORDEN))
        else:
            uit.append("".join(rng.choice(("ka", "de", "lo", "vi", "ster", "mo", "ne", "ju",
                                           "ren", "pa", "gel")) for _ in range(3)))
    return " ".join(uit) + "."


def measure_portaal(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """Issue 30: text extraction throughput per document type; then a text for one document
    per proposal (100,000 at full scale) and the search inside documents p95 (a rare word, a
    common word, two words; anonymous and as a member), the month calendar and the proposal
    page p95 against the trivial endpoint, in-process through the Flask app."""
    from sqlalchemy import func, insert, select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
    from workflow.voorstellen.documenten import Bijlage
    from workflow.voorstellen.documenttekst import Documenttekst, lees_inhoud
    from workflow.web import opslag
    from workflow.web.app import COOKIE, maak_app

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import documentbestanden

    rng = random.Random(SEED + 30)
    doorvoer: dict[str, Any] = {}
    for soort, maak in (("pdf", documentbestanden.pdf), ("docx", documentbestanden.docx),
                        ("odt", documentbestanden.odt),
                        ("tekst", lambda *r: "\n".join(r).encode())):
        bestanden = [maak(*(_documenttekst(rng, 12) for _ in range(40)))
                     for _ in range(10 if schaal is KLEIN else 50)]
        start = time.perf_counter()
        for inhoud in bestanden:
            assert lees_inhoud(inhoud, soort).status == "gelezen"
        duur = time.perf_counter() - start
        doorvoer[soort] = {"documenten_per_s": round(len(bestanden) / duur, 1),
                           "kb_per_document": round(len(bestanden[0]) / 1024, 1)}
    log(f"portaal: tekst lezen {doorvoer}")

    nu = datetime.now(UTC)
    with env.db.lees() as session:
        voorstellen = list(session.scalars(select(Voorstel.id).order_by(Voorstel.id)))
    # At least DOCUMENTEN texts: the proposals in turn, several documents each if need be.
    rondes = max(1, -(-DOCUMENTEN[0] // len(voorstellen))) if DOCUMENTEN else 1
    start = time.perf_counter()
    for ronde, deel in ((r, d) for r in range(rondes) for d in range(0, len(voorstellen), 5000)):
        ids = voorstellen[deel:deel + 5000]
        with env.db.schrijf() as session:
            session.execute(insert(Bijlage), [
                {"voorstel_id": v, "naam": f"notitie-{v}-{ronde}.txt", "versie": 1,
                 "grootte": 1000, "sha256": hashlib.sha256(str(v).encode()).hexdigest(),
                 "omschrijving": "", "bron": "", "door": "benchmark", "geregistreerd_op": nu}
                for v in ids])
            nieuw = session.execute(select(Bijlage.id, Bijlage.voorstel_id).where(
                Bijlage.voorstel_id.in_(ids), Bijlage.naam.like(f"notitie-%-{ronde}.txt"))).all()
            session.execute(insert(Documenttekst), [
                {"bijlage_id": b, "status": "gelezen", "soort": "tekst",
                 "tekst": _documenttekst(rng, 150) + (f" De {KINDERWOORD} was er."
                                                       if (b * 7919) % 10_000 == 7 else ""),
                 "reden": "", "gelezen_op": nu} for b, v in sorted(nieuw)])
    vullen_s = time.perf_counter() - start
    analyze(env, "documenttekst")
    analyze(env, "bijlage")
    with env.db.lees() as session:
        teksten = session.scalar(select(func.count()).select_from(Documenttekst))
        orgaan, maand, kenmerk = session.execute(
            select(Vergadering.orgaan, Vergadering.begin, Voorstel.kenmerk)
            .join(Agendapunt, Agendapunt.vergadering_id == Vergadering.id)
            .join(Voorstel, Voorstel.id == Agendapunt.voorstel_id).limit(1)).one()
    lid = env.definities.organen[orgaan].leden[0].email
    client = maak_app(env, veilige_cookies=False, proxies=0).test_client()
    token, _ = opslag.maak_link(env, lid)
    _, sessie = opslag.gebruik_link(env, token)  # type: ignore[misc]
    lidclient = maak_app(env, veilige_cookies=False, proxies=0).test_client()
    lidclient.set_cookie(COOKIE, sessie)
    paden = {
        "triviaal": (client, "/gezond"),
        "zoeken_zeldzaam": (client, f"/zoeken?q={KINDERWOORD}"),
        "zoeken_gewoon": (client, "/zoeken?q=participatie"),
        "zoeken_twee_woorden": (client, "/zoeken?q=wijkteam+begroting"),
        "zoeken_lid_gewoon": (lidclient, "/zoeken?q=participatie"),
        "maandkalender": (lidclient, f"/orgaan/{orgaan}/maand/{maand:%Y-%m}"),
        "maandkalender_lid": (lidclient, f"/mijn/maand/{maand:%Y-%m}"),
        "voorstel": (lidclient, f"/voorstel/{kenmerk}"),
    }
    tijden: dict[str, list[float]] = {naam: [] for naam in paden}
    for _ in range(20 if schaal is KLEIN else 100):
        for naam, (c, pad) in paden.items():
            start = time.perf_counter()
            assert c.get(pad).status_code == 200, pad
            tijden[naam].append(time.perf_counter() - start)
    p95 = {naam: sorted(t)[int(len(t) * 0.95) - 1] * 1000 for naam, t in tijden.items()}
    result = {"tekst_lezen": doorvoer, "documentteksten": teksten,
              "teksten_vullen_s": round(vullen_s, 1),
              **{f"{naam}_p95_ms": round(ms, 2) for naam, ms in p95.items()},
              "maandkalender_ratio": round(p95["maandkalender"] / p95["triviaal"], 2),
              "maandkalender_lid_ratio": round(p95["maandkalender_lid"] / p95["triviaal"], 2),
              "voorstel_ratio": round(p95["voorstel"] / p95["triviaal"], 2)}
    log(f"portaal: {result}")
    return {"portaal": result}


EXTRA_MEASUREMENTS.append(measure_portaal)


def measure_oria(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """`export ori-a` of one year of meetings of all bodies (the last full year of the data):
    seconds, per meeting, and a second run that finds nothing changed."""
    from workflow.archief import export as archief
    from workflow.basis.clock import TZ

    van, tot = datetime(2025, 1, 1, tzinfo=TZ), datetime(2026, 1, 1, tzinfo=TZ)
    folder = Path(tempfile.mkdtemp(prefix="oria-"))
    try:
        start = time.perf_counter()
        verslag = archief.exporteer(env, folder, van=van, tot=tot)
        eerste = time.perf_counter() - start
        start = time.perf_counter()
        opnieuw = archief.exporteer(env, folder, van=van, tot=tot)
        tweede = time.perf_counter() - start
        mb = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for map_ in _DOCUMENTEN:
            shutil.rmtree(map_, ignore_errors=True)
    n = len(verslag.geschreven)
    result = {"vergaderingen": n, "fouten": len(verslag.fouten), "export_s": round(eerste, 1),
              "per_vergadering_ms": round(eerste / n * 1000, 2) if n else None,
              "mb": round(mb, 1), "opnieuw_ongewijzigd": len(opnieuw.ongewijzigd),
              "opnieuw_s": round(tweede, 1)}
    log(f"ori-a: {result}")
    return {"oria": result}


#: Meetings in a reminder pass's window (the quick run stops at 1,000).
RONDE_VENSTERS = (100, 1_000, 10_000)
RONDE_VENSTERS_KLEIN = (100, 1_000)
#: Planner passes for the memory-growth figure (the quick run does 200).
PLANNER_RONDES = 1_000
PLANNER_RONDES_KLEIN = 200


def measure_ronde_groei(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """How a reminder pass grows with the meetings in its window: 100, 1,000 and 10,000 meetings
    (spread over every body) in the stretch a pass reads (from its moment to the definitions'
    lead, `herinneringen.vooruitloop`), in an otherwise empty stretch of years far ahead; a
    first pass that creates what is due there, then the quiet pass (nothing new; it keeps what
    the pass before read and concluded) and the same pass after a change (nothing kept: it
    reads the window and compares every sent agenda), medians of several runs."""
    from sqlalchemy import delete, insert, select

    from workflow.basis import clock
    from workflow.berichten import herinneringen, ronde, stempel, uitgaand
    from workflow.opslag.models import Agendaverzending, Vergadering

    organen = sorted(env.definities.organen)
    venster = herinneringen.vooruitloop(env.definities)
    result: list[dict[str, Any]] = []
    for nummer, aantal in enumerate(RONDE_VENSTERS if schaal is VOL else RONDE_VENSTERS_KLEIN):
        # A Tuesday morning in 2040, 2045, ...: no rhythm reaches there, the windows don't meet.
        moment = datetime(2040 + 5 * nummer, 6, 5, 9, 5, tzinfo=clock.TZ)
        van = moment
        stap = venster / aantal
        rows = []
        for i in range(aantal):
            dag = (van + stap * i).astimezone(clock.TZ)
            begin = dag.replace(hour=10 + i % 6, minute=0, second=0, microsecond=0)
            rows.append({"sleutel": f"bench-{aantal}-{i:05d}", "orgaan": organen[i % len(organen)],
                         "begin": begin, "oorspronkelijk_begin": begin, "plaats": "Raadzaal",
                         "geannuleerd": False, "opmerking": "", "handmatig": True,
                         "volgnummer": 0})
        with env.db.schrijf() as session:
            for chunk in chunks(rows, 5000):
                session.execute(insert(Vergadering), chunk)
        clock.act_as(moment)
        try:
            with env.db.lees() as session:
                in_venster = len(ronde.laad_bijeenkomsten(session, van, moment + venster))
            start = time.perf_counter()
            eerste = ronde.maak_herinneringen(env)
            eerste_s = time.perf_counter() - start
            ronde.maak_herinneringen(env)  # the pass after one that wrote: it looks once more
            stil = sorted(_timed(lambda: ronde.maak_herinneringen(env))
                          for _ in range(schaal.herhalingen))

            def na_wijziging() -> None:
                stempel._conclusies.clear()
                ronde.maak_herinneringen(env)

            herberekend = sorted(_timed(na_wijziging) for _ in range(schaal.herhalingen))
        finally:
            clock.act_as(None)
        result.append({"vergaderingen_in_venster": in_venster,
                       "eerste_ronde_ms": round(eerste_s * 1000, 1),
                       "eerste_ronde_aangemaakt": eerste.aangemaakt,
                       "stille_ronde_p50_ms": round(statistics.median(stil) * 1000, 1),
                       "stille_ronde_max_ms": round(stil[-1] * 1000, 1),
                       "ronde_na_wijziging_p50_ms": round(statistics.median(herberekend) * 1000,
                                                          1)})
        log(f"ronde bij {in_venster} vergaderingen: {result[-1]['stille_ronde_p50_ms']} ms, "
            f"na een wijziging {result[-1]['ronde_na_wijziging_p50_ms']} ms")
        # Leave the data set as it was for the measurements after this one.
        sleutels = [r["sleutel"] for r in rows]
        try:
            with env.db.schrijf() as session:
                for chunk_start in range(0, len(sleutels), 500):
                    deel = sleutels[chunk_start:chunk_start + 500]
                    ids = select(Vergadering.id).where(Vergadering.sleutel.in_(deel))
                    session.execute(delete(Agendaverzending)
                                    .where(Agendaverzending.vergadering_id.in_(ids)))
                    session.execute(delete(uitgaand.Bericht)
                                    .where(uitgaand.Bericht.vergadering.in_(deel)))
                    session.execute(delete(Vergadering).where(Vergadering.sleutel.in_(deel)))
        except Exception as exc:  # the figures stand; only the clean-up failed
            log(f"opruimen na de ronde bij {aantal} vergaderingen mislukt: {exc!r}")
    return {"ronde_groei": result, "planner_rondes": planner_passes(env, schaal)}


def _timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


#: The planner's own pass (`ronde_job`: definitions check, pass, wake-up jobs, memory handed
#: back), repeated in a fresh process with the planner's scheduler; RSS after chosen passes.
_PLANNER_RONDES = """
import sys
from datetime import timedelta
from pathlib import Path

def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024

from workflow.berichten import planner, uitgaand
from workflow.omgeving import Omgeving

env = Omgeving.maak(definities=Path(sys.argv[2]), sjablonen=None, database=sys.argv[1],
                    config=None)
uitgaand.vereis_outbox(env.db)
grace = timedelta(hours=24)
scheduler = planner.maak_scheduler(env, grace=grace, blocking=False)
scheduler.start(paused=True)
planner._actief = planner._Actief(env, scheduler, grace)
n = int(sys.argv[3])
marks = {1, 10, 100, n}
for i in range(1, n + 1):
    planner.ronde_job()
    if i in marks:
        print(i, round(rss(), 1), flush=True)
scheduler.shutdown(wait=False)
env.sluit()
"""


def planner_passes(env: Any, schaal: Schaal) -> dict[str, Any]:
    """RSS after pass 1, 10, 100 and the last of PLANNER_RONDES: a planner must not grow."""
    rondes = PLANNER_RONDES if schaal is VOL else PLANNER_RONDES_KLEIN
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith("BESLUITROUTE_") or k == "BESLUITROUTE_CACHE"}
    work = Path(tempfile.mkdtemp(prefix="besluitroute-rondes-"))
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-c", _PLANNER_RONDES, env.database_url, str(env.definities_map),
             str(rondes)], capture_output=True, text=True, env=environ, cwd=work, timeout=3600,
            check=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if result.returncode != 0:
        log(f"planner-rondes niet gemeten: {result.stderr.strip()[-500:]}")
        return {"rondes": rondes, "fout": result.stderr.strip()[-300:]}
    rss = {int(a): float(b) for a, b in (line.split() for line in result.stdout.split("\n")
                                         if line.strip())}
    return {"rondes": rondes, "rss_mb_na_ronde": {str(k): v for k, v in sorted(rss.items())},
            "groei_10_tot_laatste_mb": round(rss[rondes] - rss[10], 1),
            "duur_s": round(time.perf_counter() - start, 1)}


EXTRA_MEASUREMENTS.append(measure_ronde_groei)


@contextmanager
def databases(which: str, root: Path) -> Iterator[dict[str, str]]:
    urls: dict[str, str] = {}
    schema = None
    if which in ("sqlite", "beide"):
        urls["sqlite"] = f"sqlite:///{root / 'benchmark.db'}"
    if which in ("postgres", "beide"):
        from sqlalchemy import create_engine, text

        from workflow.opslag.engine import ZONDER_STUURPROGRAMMA, met_stuurprogramma

        try:
            import psycopg2  # noqa: F401
        except ModuleNotFoundError:
            sys.exit(f"fout: {ZONDER_STUURPROGRAMMA}; of --database sqlite")
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(met_stuurprogramma(POSTGRES_URL))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        urls["postgres"] = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        yield urls
    finally:
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def measure_takken(env: Any, schaal: Schaal, data: dict[str, Any]) -> dict[str, Any]:
    """Routes that branch: 1,000 proposals (a tenth in the quick run) in a zienswijze step with
    12 councils each. `voorstel lijst` (the first page, and per state) builds no machine; a
    reminder pass with nothing new must do the griffies' part and the join in under 100 ms."""
    from sqlalchemy import insert, select, update

    from workflow.basis import clock
    from workflow.berichten import griffies
    from workflow.opslag.models import Voorstel
    from workflow.voorstellen import overzicht, zienswijzen
    from workflow.voorstellen.takmodel import Tak, Takstatus

    aantal = 1_000 if schaal is VOL else 100
    nu = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    with env.db.schrijf() as session:
        ids = list(session.scalars(select(Voorstel.id).where(
            Voorstel.toestand != "vastgesteld").order_by(Voorstel.id).limit(aantal)))
        session.execute(update(Voorstel).where(Voorstel.id.in_(ids))
                        .values(toestand="zienswijze:verzonden"))
        rows = [{"voorstel_id": vid, "stap": "zienswijze", "tak": f"gemeente-{g}",
                 "orgaan": f"raad-{g}", "ronde": 1, "status": Takstatus.OPEN,
                 "verzonden_op": nu - timedelta(days=20), "termijn_eind": nu + timedelta(days=64),
                 "vergadering_id": None, "te_laat": False,
                 "herinneren_op": nu + timedelta(days=30)}
                for vid in ids for g in range(12)]
        for chunk in chunks(rows, 10000):
            session.execute(insert(Tak), chunk)
    analyze(env, "tak")
    lijst_s = median_time(lambda: overzicht.pagina(env), schaal.herhalingen)
    per_stand_s = median_time(lambda: overzicht.pagina(env, status="verzonden"),
                              schaal.herhalingen)

    def pass_with_nothing_new() -> None:
        clock.act_as(nu)
        try:
            griffies.maak(env, nu, "secretariaat@benchmark.example")
            zienswijzen.sluit_verlopen(env, door="planner")
        finally:
            clock.act_as(None)

    ronde_s = median_time(pass_with_nothing_new, schaal.herhalingen)
    return {"takken": {"voorstellen_in_zienswijze": len(ids), "takken": len(rows),
                       "voorstel_lijst_ms": round(lijst_s * 1000, 1),
                       "voorstel_lijst_per_stand_ms": round(per_stand_s * 1000, 1),
                       "ronde_takken_niets_nieuws_ms": round(ronde_s * 1000, 1)}}


EXTRA_MEASUREMENTS.append(measure_takken)


# Last: they add documents and publications to the data, which the other figures must not see.
EXTRA_MEASUREMENTS += [measure_wooindex, measure_oria]
#: The documents measure_wooindex registers for the Woo-index and ORI-A figures (one small file
#: per proposal), removed after measure_oria.
_DOCUMENTEN: list[Path] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--klein", action="store_true", help="kleine, snelle run (CI)")
    parser.add_argument("--database", choices=("sqlite", "postgres", "beide"), default="beide")
    parser.add_argument("--alleen", metavar="NAAM", action="append", default=[],
                        help="alleen deze meting(en) na het vullen, bijvoorbeeld web of oparl")
    parser.add_argument("--zonder", metavar="NAAM", action="append", default=[],
                        help="deze meting(en) overslaan, bijvoorbeeld oparl")
    parser.add_argument("--ab-boom", metavar="PAD", type=Path,
                        help="een tweede checkout waarvan het portaal om beurten naast dit "
                             "wordt gemeten (alleen met --alleen web_ab)")
    parser.add_argument("--documenten", type=int, metavar="N",
                        help="zoeken: minstens N documentteksten (standaard één per voorstel)")
    args = parser.parse_args()
    AB_BOOM.extend([args.ab_boom.resolve()] if args.ab_boom else [])
    schaal = KLEIN if args.klein else VOL
    if args.documenten:
        DOCUMENTEN.append(args.documenten)

    root = Path(tempfile.mkdtemp(prefix="besluitroute-bench-"))
    os.environ.setdefault("BESLUITROUTE_CACHE", str(root / "cache"))
    (root / "cache").mkdir(mode=0o700, exist_ok=True)
    try:
        from workflow.omgeving import Omgeving

        definities = root / "definities"
        routes = write_definitions(definities, schaal)
        log(f"definities: {schaal.organen} organen, {len(routes)} routes")
        report: dict[str, Any] = {
            "machine": {"python": platform.python_version(), "platform": platform.platform(),
                        "cpus": os.cpu_count()},
            "datum": datetime.now(UTC).date().isoformat(),
            "schaal": {"organen": schaal.organen, "leden": schaal.organen * schaal.leden_per_orgaan,
                       "routes": len(routes), "voorstellen": schaal.voorstellen,
                       "jaren": schaal.jaren, "herinneringen": schaal.herinneringen,
                       "klein": args.klein},
            "databases": {},
        }
        with databases(args.database, root) as urls:
            orgaan = None
            for name, url in urls.items():
                log(f"== {name}")
                env = Omgeving(definities_map=definities, sjablonen_map=None, database_url=url,
                               uitgaand_map=root / "uitgaand")
                apply_version_1(env, definities)
                start = time.perf_counter()
                data = populate(env, schaal, routes)
                orgaan = data["orgaan_voor_lijst"]
                section: dict[str, Any] = {"data": data,
                                           "vullen_s": round(time.perf_counter() - start, 1)}
                if not args.alleen:
                    section["routing"] = measure_routing(env, schaal)
                    section["geheugen"] = measure_memory(env, schaal)
                for extra in EXTRA_MEASUREMENTS:
                    naam = extra.__name__.removeprefix("measure_")
                    if (not args.alleen or naam in args.alleen) and naam not in args.zonder:
                        section.update(extra(env, schaal, data))
                report["databases"][name] = section
                env.sluit()
            if not args.alleen:
                log("== cli")
                report["cli"] = measure_cli(schaal, urls, definities, orgaan or "")
        print(json.dumps(report, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
