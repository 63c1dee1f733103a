"""An administrator reads the planner's and the portal's log in journald: one Dutch line per
event on stdout, with its level, and a failed pass says what failed and that the next pass
takes over."""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_planner import wacht_tot
from test_web import _vrije_poort

from workflow.basis import logboek
from workflow.omgeving import Omgeving

REGEL = re.compile(r"^(debug|info|waarschuwing|fout|kritiek) [a-z][\w.]*: \S")


class Proces:
    """A long-running besluitroute command under "journald": stdout and stderr apart."""

    def __init__(self, tmp_path: Path, naam: str, *args: str) -> None:
        self.uit, self.fout = tmp_path / f"{naam}.uit", tmp_path / f"{naam}.fout"
        env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
        env.update(PYTHONUNBUFFERED="1", JOURNAL_STREAM="8:12345",
                   BESLUITROUTE_UITGAAND=str(tmp_path / "uitgaand"))
        with self.uit.open("wb") as uit, self.fout.open("wb") as fout:
            self.proc = subprocess.Popen([sys.executable, "-m", "workflow", *args], cwd=tmp_path,
                                         env=env, stdout=uit, stderr=fout)

    def regels(self) -> list[str]:
        return self.uit.read_text(errors="replace").splitlines()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


def test_the_planner_logs_one_dutch_line_per_event_and_a_failed_pass_says_what_is_left(
        omgeving: Omgeving, database_url: str, tmp_path: Path) -> None:
    planner = Proces(tmp_path, "planner", "--database", database_url, "planner", "--interval", "1")
    try:
        assert wacht_tot(lambda: any(r.startswith("info planner: ronde:")
                                     for r in planner.regels())), planner.regels()
        # A pass fails: a table it reads is gone (a bad hand edit, a half restore).
        with omgeving.db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE publicatie_uitzondering")
        assert wacht_tot(lambda: any("ronde mislukt" in r for r in planner.regels())), \
            planner.regels()
    finally:
        assert planner.stop() == 0
    regels = planner.regels()
    assert regels[0].startswith("info planner: planner gestart: ronde elke 1 s")
    assert regels[-1] == "info planner: planner gestopt"
    assert [r for r in regels if not REGEL.match(r)] == []
    [mislukt, *_] = [r for r in regels if "ronde mislukt" in r]
    assert mislukt.startswith("fout planner: ronde mislukt (")
    assert " in workflow/" in mislukt  # where it failed
    assert mislukt.endswith("wat deze ronde nog moest doen (publiceren, herinneringen maken, "
                            "versturen) doet de volgende ronde, over 1 s")
    assert "Traceback" not in planner.fout.read_text()


def test_the_portal_logs_refused_requests_on_stdout(omgeving: Omgeving, database_url: str,
                                                    tmp_path: Path) -> None:
    poort = _vrije_poort()
    portaal = Proces(tmp_path, "web", "--database", database_url, "web", "--port", str(poort),
                     "--workers", "1", "--zonder-tls", "--proxies", "0")
    try:
        def antwoord(host: str) -> int:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", poort, timeout=5)
                conn.request("GET", "/", headers={"Host": host})
                return conn.getresponse().status
            except OSError:
                return 0

        assert wacht_tot(lambda: antwoord("127.0.0.1") == 200)
        assert antwoord("evil.example") == 400
        assert wacht_tot(lambda: any("evil.example" in r for r in portaal.regels()))
    finally:
        portaal.stop()
    [regel] = [r for r in portaal.regels() if "evil.example" in r]
    assert regel == "waarschuwing web: verzoek voor host 'evil.example' geweigerd: alleen " \
                    "[web] adres (niet ingesteld) en loopback"


def test_an_unexpected_error_is_one_line_with_the_time_outside_journald(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    stroom = io.StringIO()
    handler = logboek.stel_in(stroom)
    try:
        log = logging.getLogger("besluitroute.planner")
        try:
            open("/bestaat/niet/stuk.pdf")  # noqa: SIM115
        except OSError:
            log.exception("bijlage van voorstel %s\nmet een tweede regel", "2026-001")
        logging.getLogger("apscheduler.scheduler").info("Added job")  # a library's chatter
    finally:
        logging.getLogger().removeHandler(handler)
    [regel] = stroom.getvalue().splitlines()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d fout planner: bijlage van "
                    r"voorstel 2026-001\\nmet een tweede regel \(FileNotFoundError: bestaat "
                    r"niet\)$", regel), regel
