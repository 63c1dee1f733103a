"""An administrator reads the planner's and the portal's log in journald: one Dutch line per
event on stdout, with its level; a failed pass says which part failed and that the next pass
takes over; a sent or refused message is named by id, Message-ID and meeting."""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import signal
import subprocess
import sys
from datetime import datetime
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
        assert wacht_tot(lambda: any("ronde deels mislukt" in r for r in planner.regels())), \
            planner.regels()
    finally:
        assert planner.stop() == 0
    regels = planner.regels()
    assert regels[0].startswith("info planner: planner gestart: ronde elke 1 s")
    assert regels[-1] == "info planner: planner gestopt"
    assert [r for r in regels if not REGEL.match(r)] == []
    # The part that failed, with its cause and where; then the pass's summary (issue 32).
    [deel, *_] = [r for r in regels if r.startswith("fout planner: ronde: publiceren mislukt (")]
    assert " in workflow/" in deel and deel.endswith("de volgende ronde probeert het opnieuw")
    [mislukt, *_] = [r for r in regels if "ronde deels mislukt" in r]
    assert mislukt.startswith("fout planner: ronde deels mislukt (")
    assert "publiceren mislukt" in mislukt and "herinneringen maken overgeslagen" in mislukt
    assert mislukt.endswith("; de rest is gedaan; de volgende ronde probeert het opnieuw, "
                            "over 1 s")
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


def _regels(caplog: pytest.LogCaptureFixture, naam: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == naam]


def test_each_sent_or_refused_message_is_one_line_naming_its_meeting_and_message_id(
        omgeving: Omgeving, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 32: an administrator finds a message from its log line in the outbox (id), in the
    mail server's log and a recipient's mailbox (Message-ID) and by its meeting."""
    from email.message import EmailMessage

    from workflow.berichten import uitgaand
    from workflow.berichten.transport import MapTransport, PermanenteFout

    with omgeving.db.schrijf() as session:
        for sleutel, vergadering in (("agenda:1", "ab-platform-jeugd-2026-03-02"),
                                     ("inloglink:1", None)):
            uitgaand.nieuw_bericht(session, sleutel=sleutel, soort=sleutel.split(":")[0],
                                   aan=["jeugd@capelle.example"], onderwerp="Onderwerp",
                                   tekst="Tekst\n", html="<p>Tekst</p>",
                                   msgid_domein="grjr.example", vergadering=vergadering)
    agenda, inlog = sorted(uitgaand.lijst(omgeving.db), key=lambda b: b.id)

    class Weigert:
        def verstuur(self, msg: EmailMessage, b: uitgaand.Bericht) -> None:
            raise PermanenteFout("550 5.1.1 geadresseerde onbekend")

        def sluit(self) -> None:
            pass

    with caplog.at_level(logging.INFO, logger="besluitroute"):
        uitgaand.verstuur_wachtende(omgeving.db, MapTransport(omgeving.uitgaand_map),
                                    "secretariaat@grjr.example", alleen=[agenda.id])
        uitgaand.verstuur_wachtende(omgeving.db, Weigert(), "secretariaat@grjr.example")
    assert _regels(caplog, "besluitroute.mail") == [
        f"verzonden: bericht {agenda.id} (agenda, vergadering ab-platform-jeugd-2026-03-02, "
        f"Message-ID {agenda.message_id}) aan jeugd@capelle.example",
        f"bericht {inlog.id} (inloglink, Message-ID {inlog.message_id}) aan "
        f"jeugd@capelle.example mislukt (poging 1): 550 5.1.1 geadresseerde onbekend"]


def test_a_failed_part_of_a_pass_is_named_and_the_parts_not_depending_on_it_still_run(
        omgeving: Omgeving, caplog: pytest.LogCaptureFixture) -> None:
    """Publishing fails (a table it reads is gone: a bad hand edit, a half restore): the pass
    says so by name, skips what follows from it, and still sends what waits in the outbox."""
    from workflow.basis import clock
    from workflow.berichten import onderdelen, ronde, uitgaand

    clock.act_as(datetime(2026, 3, 4, 12, 0, tzinfo=clock.TZ))  # a Wednesday: no week overview
    try:
        with omgeving.db.schrijf() as session:
            uitgaand.nieuw_bericht(session, sleutel="test:1", soort="test",
                                   aan=["jeugd@capelle.example"], onderwerp="Onderwerp",
                                   tekst="Tekst\n", html="<p>Tekst</p>",
                                   msgid_domein="grjr.example")
        with omgeving.db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE publicatie_uitzondering")
        with caplog.at_level(logging.INFO, logger="besluitroute"), \
                pytest.raises(Exception) as fout:
            ronde.ronde(omgeving)
    finally:
        clock.act_as(None)
    assert str(onderdelen.mislukt_in(fout.value)) == \
        "publiceren mislukt, Woo-index bijwerken overgeslagen, herinneringen maken overgeslagen"
    planner = _regels(caplog, "besluitroute.planner")
    [publiceren] = [r for r in planner if r.startswith("ronde: publiceren mislukt (")]
    assert " in workflow/" in publiceren  # where it failed
    assert publiceren.endswith("); de volgende ronde probeert het opnieuw")
    assert [r for r in planner if "overgeslagen" in r] == [
        "ronde: Woo-index bijwerken overgeslagen, want publiceren lukte niet; de volgende ronde "
        "doet het",
        "ronde: herinneringen maken overgeslagen, want publiceren lukte niet; de volgende ronde "
        "doet het"]
    # Sending does not depend on publishing: what waited went out.
    [bericht] = uitgaand.lijst(omgeving.db)
    assert bericht.status == "verzonden"
    assert _regels(caplog, "besluitroute.mail") == [
        f"verzonden: bericht {bericht.id} (test, Message-ID {bericht.message_id}) aan "
        f"jeugd@capelle.example"]
