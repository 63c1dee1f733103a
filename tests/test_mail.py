"""The outbox: delivery over real SMTP (aiosmtpd on loopback), retries, crashes, header safety."""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine

from workflow.basis import clock
from workflow.berichten import uitgaand
from workflow.berichten.transport import (
    MapTransport,
    PermanenteFout,
    Transport,
    enkele_regel,
    smtp_instellingen,
)
from workflow.omgeving import Omgeving

BEGIN = datetime(2026, 3, 2, 9, 0, tzinfo=clock.TZ)


def vrije_poort() -> int:
    """A free TCP port on loopback (aiosmtpd's Controller(port=0) does not work, #276)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpOntvanger:
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or vrije_poort()
        self.berichten: list[tuple[list[str], EmailMessage]] = []
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.berichten.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"

    def start(self) -> SmtpOntvanger:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]) for _, m in self.berichten]


@pytest.fixture
def smtp() -> Iterator[SmtpOntvanger]:
    server = SmtpOntvanger().start()
    yield server
    server.stop()


def smtp_config(port: int) -> dict[str, Any]:
    return {"smtp": {"host": "127.0.0.1", "port": port, "beveiliging": "geen", "timeout": 5,
                     "afzender": "secretariaat@grjr.example"}}


def zet_klaar(env: Omgeving, aantal: int, *, soort: str = "test", onderwerp: str = "Bericht",
              aan: str = "lid{}@grjr.example") -> list[str]:
    """Put `aantal` messages in the outbox in one transaction; returns their keys."""
    sleutels = []
    with env.db.schrijf() as session:
        for i in range(aantal):
            sleutel = f"{soort}:{i}"
            uitgaand.nieuw_bericht(session, sleutel=sleutel, soort=soort, aan=[aan.format(i)],
                               onderwerp=f"{onderwerp} {i}", tekst=f"Tekst {i}\n",
                               html=f"<p>Tekst {i}</p>", msgid_domein="grjr.example")
            sleutels.append(sleutel)
    return sleutels


def statussen(env: Omgeving) -> dict[str, int]:
    result: dict[str, int] = {}
    for b in uitgaand.lijst(env.db):
        result[b.status] = result.get(b.status, 0) + 1
    return result


def test_smtp_server_receives_each_message_once_with_recipient_subject_and_both_bodies(
        omgeving: Omgeving, smtp: SmtpOntvanger) -> None:
    zet_klaar(omgeving, 3)
    transport = uitgaand.transport_voor(smtp_config(smtp.port), omgeving.uitgaand_map)
    verslag = uitgaand.verstuur_wachtende(omgeving.db, transport, "secretariaat@grjr.example")

    assert verslag.verzonden == 3
    assert len(smtp.berichten) == 3
    ontvangers = sorted(r[0] for r, _ in smtp.berichten)
    assert ontvangers == ["lid0@grjr.example", "lid1@grjr.example", "lid2@grjr.example"]
    _, msg = sorted(smtp.berichten, key=lambda b: b[0])[1]
    assert msg["Subject"] == "Bericht 1"
    assert msg["From"] == "secretariaat@grjr.example"
    assert msg["Message-ID"].endswith("@grjr.example>")
    assert msg.get_body(("plain",)).get_content().strip() == "Tekst 1"
    assert "<p>Tekst 1</p>" in msg.get_body(("html",)).get_content()
    assert statussen(omgeving) == {"verzonden": 3}
    # A second pass finds nothing left to send.
    again = uitgaand.verstuur_wachtende(omgeving.db, transport, "secretariaat@grjr.example")
    assert again.verzonden == 0 and len(smtp.berichten) == 3


def test_smtp_down_messages_wait_with_backoff_and_all_arrive_once_it_is_back(
        omgeving: Omgeving) -> None:
    port = vrije_poort()  # nothing listens here yet
    config = smtp_config(port)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=clock.TZ)
    with time_machine.travel(start, tick=False):
        zet_klaar(omgeving, 4)
        verslag = uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()),
                                          "x@grjr.example")
    assert verslag.verzonden == 0 and verslag.uitgesteld == 1
    eerste, *rest = sorted(uitgaand.lijst(omgeving.db), key=lambda b: b.id)
    assert {b.status for b in [eerste, *rest]} == {"wachtend"}
    # Only the message that found the server down waits for a backoff; the pass stopped there
    # and the others keep their own moment (they were not tried).
    assert (eerste.pogingen, eerste.volgende_poging) == (1, start + uitgaand.wachttijd(1))
    assert "niet bereikbaar" in (eerste.laatste_fout or "")
    assert all((b.pogingen, b.volgende_poging, b.laatste_fout) == (0, start, None) for b in rest)

    # The server is back 30 s later: what was never tried goes at once; the first message
    # waits for its backoff, and then arrives too.
    server = SmtpOntvanger(port).start()
    try:
        with time_machine.travel(start + timedelta(seconds=30), tick=False):
            verslag = uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()),
                                              "x@grjr.example")
        assert verslag.verzonden == 3 and len(server.berichten) == 3
        assert eerste.message_id not in server.message_ids()
        with time_machine.travel(start + timedelta(minutes=1), tick=False):
            verslag = uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()),
                                              "x@grjr.example")
        assert verslag.verzonden == 1
        assert len(server.berichten) == len(set(server.message_ids())) == 4
    finally:
        server.stop()
    assert statussen(omgeving) == {"verzonden": 4}


def test_backoff_doubles_and_is_capped() -> None:
    assert [uitgaand.wachttijd(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert uitgaand.wachttijd(30) == uitgaand.LANGSTE_WACHTTIJD


class Crash(BaseException):
    """The process dies: not an error a sender handles."""


class CrashNa:
    """Delivers through a real transport, then 'dies' after the n-th message, before marking."""

    def __init__(self, echt: Transport, n: int) -> None:
        self.echt, self.n, self.gezien = echt, n, 0

    def verstuur(self, msg: EmailMessage, bericht: uitgaand.Bericht) -> None:
        self.echt.verstuur(msg, bericht)
        self.gezien += 1
        if self.gezien == self.n:
            raise Crash

    def sluit(self) -> None:
        self.echt.sluit()


def test_crash_between_sending_and_marking_then_restart_delivers_each_once_at_most_one_duplicate(
        omgeving: Omgeving, smtp: SmtpOntvanger) -> None:
    config = smtp_config(smtp.port)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=clock.TZ)
    with time_machine.travel(start, tick=False):
        zet_klaar(omgeving, 5)
    with time_machine.travel(start, tick=False), pytest.raises(Crash):
        uitgaand.verstuur_wachtende(omgeving.db, CrashNa(uitgaand.transport_voor(config, Path()), 2),
                                "x@grjr.example")
    assert statussen(omgeving) == {"verzonden": 1, "bezig": 1, "wachtend": 3}

    # Restarted at once: the claim of the dead sender is still fresh, the rest goes out.
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()), "x@grjr.example")
    assert statussen(omgeving) == {"verzonden": 4, "bezig": 1}
    # After the claim expired, the stuck message is sent again: with the same Message-ID.
    with time_machine.travel(start + uitgaand.CLAIM_VERLOOPT + timedelta(minutes=1), tick=False):
        uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()), "x@grjr.example")
    assert statussen(omgeving) == {"verzonden": 5}
    ids = smtp.message_ids()
    assert len(set(ids)) == 5
    assert len(ids) == 6  # exactly one duplicate, recognisable by its Message-ID
    assert {b.message_id for b in uitgaand.lijst(omgeving.db)} == set(ids)


class Doder(SmtpOntvanger):
    """A real SMTP server that kills the sending process (SIGKILL) at the moment it chooses:
    while the n-th message's recipient is given (nothing delivered yet), or once the n-th
    message is accepted but before the sender hears the 250 (delivered, not yet marked)."""

    def __init__(self) -> None:
        super().__init__()
        self.pid: int | None = None
        self.doel: int | None = None  #: kill when this many messages were accepted
        self.tijdens_data = True
        self.in_vlucht: list[str] = []  #: Message-IDs accepted just before a kill

    def _kill(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self.pid = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        envelope.rcpt_tos.append(address)
        if not self.tijdens_data and self.doel is not None and \
                len(self.berichten) + 1 == self.doel:
            self._kill()
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        antwoord = await super().handle_DATA(server, session, envelope)
        if self.tijdens_data and self.doel is not None and len(self.berichten) == self.doel \
                and self.pid is not None:
            self.in_vlucht.append(self.message_ids()[-1])
            self._kill()
        return antwoord


def test_sender_killed_with_sigkill_mid_send_loses_nothing_and_resends_only_the_one_in_flight(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """`herinneringen verstuur` in a real process, killed four times in the middle of sending:
    every message arrives, and only a message the server had accepted when the sender died
    arrives twice, under its own Message-ID."""
    server = Doder().start()
    begin = datetime(2026, 3, 4, 10, 0, tzinfo=clock.TZ)  # a Wednesday: no weekly overview
    with time_machine.travel(begin, tick=False):
        zet_klaar(omgeving, 20)
    env = {**os.environ, "BESLUITROUTE_SMTP_HOST": "127.0.0.1",
           "BESLUITROUTE_SMTP_PORT": str(server.port), "BESLUITROUTE_SMTP_BEVEILIGING": "geen",
           "BESLUITROUTE_SMTP_TIMEOUT": "10"}
    env.pop("BESLUITROUTE_NU", None)

    def verstuur(ronde: int) -> int:
        # Each round after the claim of the killed sender expired (CLAIM_VERLOOPT).
        moment = begin + ronde * (uitgaand.CLAIM_VERLOOPT + timedelta(minutes=1))
        proc = subprocess.Popen(
            [sys.executable, "-m", "workflow", "--database", omgeving.database_url,
             "--nu", f"{moment:%Y-%m-%dT%H:%M}", "herinneringen", "verstuur"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        server.pid = proc.pid
        try:
            uitvoer, _ = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
        assert b"Traceback" not in uitvoer, uitvoer.decode()
        return proc.returncode

    try:
        for ronde in range(4):
            server.tijdens_data = ronde % 2 == 0
            server.doel = len(server.berichten) + 3
            assert verstuur(ronde) == -signal.SIGKILL
        server.doel = None
        assert verstuur(4) == 0
    finally:
        server.stop()

    rijen = uitgaand.lijst(omgeving.db)
    ontvangen = Counter(server.message_ids())
    assert {b.status for b in rijen} == {"verzonden"}
    assert {b.message_id for b in rijen} == set(ontvangen)  # 0 lost
    dubbel = sorted(m for m, n in ontvangen.items() if n > 1)
    assert max(ontvangen.values()) == 2  # at most once more
    assert dubbel == sorted(server.in_vlucht)  # only what was in flight when killed
    assert len(server.in_vlucht) == 2


def test_crash_with_pending_messages_then_restart_delivers_each_exactly_once(
        omgeving: Omgeving, smtp: SmtpOntvanger) -> None:
    zet_klaar(omgeving, 6)  # written, then the process died before any sending
    config = smtp_config(smtp.port)
    uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()), "x@grjr.example")
    uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()), "x@grjr.example")
    assert sorted(smtp.message_ids()) == sorted(b.message_id for b in uitgaand.lijst(omgeving.db))
    assert len(smtp.berichten) == 6


def test_two_senders_at_once_never_send_a_message_twice(omgeving: Omgeving,
                                                        smtp: SmtpOntvanger) -> None:
    zet_klaar(omgeving, 40)
    config = smtp_config(smtp.port)
    fouten: list[BaseException] = []

    def zender() -> None:
        try:
            uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(config, Path()),
                                    "x@grjr.example")
        except BaseException as exc:  # reported below
            fouten.append(exc)

    threads = [threading.Thread(target=zender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not fouten
    assert len(smtp.berichten) == len(set(smtp.message_ids())) == 40
    assert statussen(omgeving) == {"verzonden": 40}


def test_a_refused_recipient_fails_for_good_and_opnieuw_puts_it_back(
        omgeving: Omgeving, smtp: SmtpOntvanger, besluitroute: Any) -> None:
    zet_klaar(omgeving, 1)
    with omgeving.db.schrijf() as session:
        bericht = session.query(uitgaand.Bericht).one()
        bericht_id = bericht.id

    class Weigert:
        def verstuur(self, msg: EmailMessage, b: uitgaand.Bericht) -> None:
            raise PermanenteFout("550 geadresseerde onbekend")

        def sluit(self) -> None:
            pass

    verslag = uitgaand.verstuur_wachtende(omgeving.db, Weigert(), "x@grjr.example")
    assert verslag.mislukt == 1
    lijst = besluitroute("berichten", "lijst", "--status", "mislukt", "--json")
    assert lijst.exit_code == 0
    rijen = json.loads(lijst.stdout)
    assert [r["id"] for r in rijen] == [bericht_id]
    assert "550" in rijen[0]["laatste_fout"]

    result = besluitroute("berichten", "opnieuw", str(bericht_id))
    assert result.exit_code == 0, result.stderr
    assert "staat weer klaar" in result.stdout
    again = besluitroute("berichten", "opnieuw", str(bericht_id))
    assert again.exit_code == 2 and "staat al klaar" in again.stderr
    uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(smtp_config(smtp.port), Path()),
                            "x@grjr.example")
    assert len(smtp.berichten) == 1
    assert besluitroute("berichten", "opnieuw", "9999").exit_code == 2
    assert besluitroute("berichten", "lijst", "--status", "weg").exit_code == 2


def test_hostile_subject_cannot_add_a_header(omgeving: Omgeving, smtp: SmtpOntvanger) -> None:
    with omgeving.db.schrijf() as session:
        uitgaand.nieuw_bericht(session, sleutel="kwaad", soort="test", aan=["lid@grjr.example"],
                           onderwerp="Plan\r\nBcc: slachtoffer@evil.example\nX-Kwaad: ja",
                           tekst="t", html="<p>t</p>", msgid_domein="grjr.example")
    uitgaand.verstuur_wachtende(omgeving.db, uitgaand.transport_voor(smtp_config(smtp.port), Path()),
                            "x@grjr.example")
    [(rcpt, msg)] = smtp.berichten
    assert rcpt == ["lid@grjr.example"]
    assert msg["Bcc"] is None and msg["X-Kwaad"] is None
    assert msg["Subject"] == "Plan Bcc: slachtoffer@evil.example X-Kwaad: ja"


def test_email_message_refuses_a_newline_that_slipped_into_a_row() -> None:
    rij = uitgaand.Bericht(aan="lid@grjr.example\nBcc: x@evil.example", onderwerp="ok", tekst="t",
                       html="h", message_id="<1@grjr.example>", sleutel="s", soort="t",
                       aangemaakt_op=BEGIN)
    with pytest.raises(ValueError):
        uitgaand.als_email(rij, "x@grjr.example")


def test_invalid_recipient_is_refused_in_dutch(omgeving: Omgeving) -> None:
    from workflow.basis.fouten import GebruikersFout

    with pytest.raises(GebruikersFout, match="ongeldig e-mailadres"), \
            omgeving.db.schrijf() as session:
        uitgaand.nieuw_bericht(session, sleutel="x", soort="t", aan=["geen adres"], onderwerp="o",
                           tekst="t", html="h", msgid_domein="grjr.example")
    assert uitgaand.lijst(omgeving.db) == []
    # A member's address was validated by the definitions' reader: it goes as it is, and a
    # typed one next to it is still checked (and normalised).
    from workflow.definities.model import Persoon

    lid = omgeving.definities.organen["aoj"].leden[0]
    with omgeving.db.schrijf() as session:
        assert uitgaand.nieuw_bericht(session, sleutel="y", soort="t",
                                      aan=[Persoon(lid.naam, lid.email), " Extra@GRJR.example"],
                                      onderwerp="o", tekst="t", html="h",
                                      msgid_domein="grjr.example")
    assert [b.aan for b in uitgaand.lijst(omgeving.db)] == [[lid.email, "extra@grjr.example"]]


def test_without_smtp_settings_messages_become_eml_files_in_uitgaand(
        omgeving: Omgeving, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("HOST", "PORT", "BEVEILIGING"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)
    zet_klaar(omgeving, 2)
    transport = uitgaand.transport_voor({}, omgeving.uitgaand_map)
    assert isinstance(transport, MapTransport)
    uitgaand.verstuur_wachtende(omgeving.db, transport, "x@grjr.example")
    files = sorted(omgeving.uitgaand_map.glob("*.eml"))
    assert len(files) == 2
    msg = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Bericht 0"


def test_smtp_settings_come_from_environment_before_config(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BESLUITROUTE_SMTP_HOST", "smtp.grjr.example")
    monkeypatch.setenv("BESLUITROUTE_SMTP_BEVEILIGING", "ssl")
    monkeypatch.setenv("BESLUITROUTE_SMTP_WACHTWOORD", "geheim")
    s = smtp_instellingen({"smtp": {"host": "ander.example", "gebruiker": "secr"}})
    assert s is not None
    assert (s.host, s.port, s.beveiliging, s.gebruiker, s.wachtwoord) == \
        ("smtp.grjr.example", 465, "ssl", "secr", "geheim")
    monkeypatch.setenv("BESLUITROUTE_SMTP_BEVEILIGING", "kaal")
    from workflow.basis.fouten import GebruikersFout

    with pytest.raises(GebruikersFout, match="onbekende SMTP-beveiliging"):
        smtp_instellingen({})


def test_message_ids_carry_the_sender_domain_and_subjects_stay_one_line() -> None:
    assert uitgaand.domein("Secretariaat <secr@grjr.example>") == "grjr.example"
    assert enkele_regel("a\u2028b\x85c\td") == "a b c d"
    assert len(enkele_regel("x" * 1000)) == 250


def test_folder_transport_throughput(omgeving: Omgeving, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    """Not a threshold: prints messages per second for the report."""
    import time

    zet_klaar(omgeving, 300)
    t0 = time.perf_counter()
    verslag = uitgaand.verstuur_wachtende(omgeving.db, MapTransport(omgeving.uitgaand_map),
                                      "x@grjr.example")
    duur = time.perf_counter() - t0
    assert verslag.verzonden == 300
    with capsys.disabled():
        print(f"\n[meting] map-transport {omgeving.db.engine.dialect.name}: "
              f"{300 / duur:.0f} berichten/s")
