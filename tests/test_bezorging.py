"""Delivery reads the server's answer (RFC 5321 reply codes, RFC 3463 enhanced codes): one refused
message never holds back another. Against a real aiosmtpd server on loopback that answers per
recipient, and a real TLS server with a certificate made in the test."""

from __future__ import annotations

import asyncio
import email
import email.policy
import ipaddress
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine
from test_mail import smtp_config, vrije_poort

from workflow.basis import clock
from workflow.berichten import ronde as berichtronde
from workflow.berichten import uitgaand
from workflow.berichten.transport import MapTransport, smtp_instellingen
from workflow.omgeving import Omgeving

TZ = clock.TZ
START = datetime(2026, 3, 4, 10, 0, tzinfo=TZ)
VAN = "secretariaat@grjr.example"

#: How the server answers a recipient, by the first part of its local part.
RCPT_ANTWOORD = {
    "weiger": "550 5.1.1 <{a}>: Recipient address rejected: User unknown",
    "grijs": "451 4.7.1 <{a}>: Greylisted, try again in 60 seconds",
    "vol": "450 4.2.2 <{a}>: Mailbox full",
    "sluit": "421 4.3.2 Service shutting down",
    "teveel": "552 5.5.3 Too many recipients",
}
DATA_ANTWOORD = {
    "data554": "554 5.6.0 Message content rejected",
    "data451": "451 4.3.0 Temporary local problem",
}


class Regisseur:
    """A real SMTP server whose answer depends on the recipient: `weiger.1@...` gets a 550 at
    RCPT, `data554@...` a 554 at DATA, `eerstgrijs@...` a 450 the first time and a 550 after,
    `valweg@...` loses the connection during DATA; everyone else is delivered."""

    def __init__(self, **server_opties: Any) -> None:
        self.port = vrije_poort()
        self.opties = server_opties
        self.ontvangen: list[tuple[list[str], EmailMessage, list[str]]] = []
        self.rcpt_pogingen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        with self._lock:
            self.rcpt_pogingen[address] += 1
            poging = self.rcpt_pogingen[address]
        soort = address.split("@")[0].split(".")[0]
        if soort == "eerstgrijs":
            return "450 4.2.0 Try again later" if poging == 1 else "550 5.1.1 User unknown"
        if soort in RCPT_ANTWOORD:
            return RCPT_ANTWOORD[soort].format(a=address)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        soorten = {a.split("@")[0].split(".")[0] for a in envelope.rcpt_tos}
        for soort, antwoord in DATA_ANTWOORD.items():
            if soort in soorten:
                return antwoord
        if "valweg" in soorten:
            server.transport.close()
            await asyncio.sleep(0.05)
            return "250 2.0.0 too late"
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.ontvangen.append((list(envelope.rcpt_tos), msg, list(envelope.mail_options)))
        return "250 2.0.0 OK"

    def start(self) -> Regisseur:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                      **self.opties)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def geadresseerden(self) -> list[str]:
        with self._lock:
            return sorted(a for rcpt, _, _ in self.ontvangen for a in rcpt)


@pytest.fixture
def regisseur() -> Iterator[Regisseur]:
    server = Regisseur().start()
    yield server
    server.stop()


def klaar(env: Omgeving, *adressen: str | list[str], soort: str = "test") -> dict[str, int]:
    """One message per entry (a list: one message to several), in this order; returns
    {first address: id}."""
    with env.db.schrijf() as session:
        for i, aan in enumerate(adressen):
            lijst = [aan] if isinstance(aan, str) else aan
            uitgaand.nieuw_bericht(session, sleutel=f"{soort}:{i}", soort=soort, aan=lijst,
                               onderwerp=f"Bericht {i}", tekst=f"Tekst {i}\n",
                               html=f"<p>Tekst {i}</p>", msgid_domein="grjr.example")
    return {b.aan[0]: b.id for b in uitgaand.lijst(env.db)}


def rijen(env: Omgeving) -> dict[str, uitgaand.Bericht]:
    return {b.aan[0]: b for b in uitgaand.lijst(env.db)}


def ronde(env: Omgeving, port: int, moment: datetime, **extra: Any) -> uitgaand.Verzendverslag:
    config = smtp_config(port)
    config["smtp"].update(extra)
    with time_machine.travel(moment, tick=False):
        return uitgaand.verstuur_wachtende(env.db, uitgaand.transport_voor(config, Path()), VAN)


# ---------------------------------------------------------------------------------------------
# The reply-mode matrix.

def test_one_refused_and_one_greylisted_recipient_of_ten_do_not_delay_the_other_eight(
        omgeving: Omgeving, regisseur: Regisseur, besluitroute: Any) -> None:
    adressen = [f"lid{i}@grjr.example" for i in range(10)]
    adressen[2] = "weiger@grjr.example"
    adressen[5] = "grijs@grjr.example"
    with time_machine.travel(START, tick=False):
        klaar(omgeving, *adressen)

    verslag = ronde(omgeving, regisseur.port, START)

    assert (verslag.verzonden, verslag.mislukt, verslag.uitgesteld) == (8, 1, 1)
    assert regisseur.geadresseerden() == sorted(a for a in adressen if a.startswith("lid"))
    r = rijen(omgeving)
    geweigerd, grijs = r["weiger@grjr.example"], r["grijs@grjr.example"]
    assert (geweigerd.status, geweigerd.pogingen) == ("mislukt", 1)
    assert geweigerd.laatste_fout == ("geadresseerde geweigerd: weiger@grjr.example: 550 5.1.1 "
                                      "<weiger@grjr.example>: Recipient address rejected: "
                                      "User unknown")
    assert geweigerd.mislukt_op == START
    assert (grijs.status, grijs.pogingen) == ("wachtend", 1)
    assert "451 4.7.1" in (grijs.laatste_fout or "")
    assert grijs.volgende_poging == START + uitgaand.wachttijd(1)
    assert {b.status for a, b in r.items() if a.startswith("lid")} == {"verzonden"}

    # The secretariat sees the server's answer in the list.
    lijst = besluitroute("berichten", "lijst", "--status", "mislukt")
    assert lijst.exit_code == 0
    assert "laatste fout" in lijst.stdout
    assert "550 5.1.1 <weiger@grjr.example>: Recipient address rejected" in lijst.stdout

    # The greylisted one alone is tried again after its own backoff, and then gets through
    # once the server lets it (here: it keeps greylisting, so it waits twice as long).
    assert ronde(omgeving, regisseur.port, START + timedelta(seconds=30)).verzonden == 0
    assert regisseur.rcpt_pogingen["grijs@grjr.example"] == 1
    ronde(omgeving, regisseur.port, START + timedelta(minutes=1))
    grijs = rijen(omgeving)["grijs@grjr.example"]
    assert (grijs.status, grijs.pogingen) == ("wachtend", 2)
    assert grijs.volgende_poging == START + timedelta(minutes=1) + uitgaand.wachttijd(2)
    assert regisseur.rcpt_pogingen["weiger@grjr.example"] == 1  # never tried again


def test_every_reply_mode_touches_only_its_own_message(omgeving: Omgeving,
                                                       regisseur: Regisseur) -> None:
    with time_machine.travel(START, tick=False):
        klaar(omgeving, "lid0@grjr.example", "data554@grjr.example", "lid1@grjr.example",
              "vol@grjr.example", "data451@grjr.example", "eerstgrijs@grjr.example",
              "lid2@grjr.example", "teveel@grjr.example", "lid3@grjr.example")

    verslag = ronde(omgeving, regisseur.port, START)

    r = rijen(omgeving)
    # Healthy messages go out in the same pass, whatever comes before or after them.
    assert regisseur.geadresseerden() == [f"lid{i}@grjr.example" for i in range(4)]
    assert (verslag.verzonden, verslag.mislukt, verslag.uitgesteld) == (4, 1, 4)

    def staat(adres: str) -> tuple[str, int]:
        return r[adres].status, r[adres].pogingen

    assert staat("data554@grjr.example") == ("mislukt", 1)
    assert r["data554@grjr.example"].laatste_fout == \
        "bericht geweigerd: 554 5.6.0 Message content rejected"
    assert staat("vol@grjr.example") == ("wachtend", 1)
    assert "450 4.2.2" in (r["vol@grjr.example"].laatste_fout or "")
    assert staat("data451@grjr.example") == ("wachtend", 1)
    assert r["data451@grjr.example"].laatste_fout == \
        "bericht tijdelijk geweigerd: 451 4.3.0 Temporary local problem"
    assert staat("eerstgrijs@grjr.example") == ("wachtend", 1)
    # RFC 5321 4.5.3.1.10: a 552 for a recipient means "too many", which is temporary.
    assert staat("teveel@grjr.example") == ("wachtend", 1)
    assert all(b.volgende_poging == START + uitgaand.wachttijd(1)
               for b in r.values() if b.status == "wachtend")

    # After the backoff: the 4xx-then-5xx recipient is now refused for good, on attempt 2.
    ronde(omgeving, regisseur.port, START + timedelta(minutes=1))
    r = rijen(omgeving)
    assert staat("eerstgrijs@grjr.example") == ("mislukt", 2)
    assert "550 5.1.1" in (r["eerstgrijs@grjr.example"].laatste_fout or "")
    assert staat("data451@grjr.example") == ("wachtend", 2)
    assert staat("data554@grjr.example") == ("mislukt", 1)
    assert len(regisseur.ontvangen) == 4  # nothing healthy was ever sent twice


@pytest.mark.parametrize("storing", ["sluit", "valweg"])
def test_after_a_421_or_a_drop_mid_data_the_pass_reconnects_and_sends_the_untried_messages(
        omgeving: Omgeving, regisseur: Regisseur, storing: str) -> None:
    """Issue 28: the message in flight waits for its own backoff (it may have arrived: at most
    one duplicate, never a loss); the untried messages go out in the same pass."""
    with time_machine.travel(START, tick=False):
        klaar(omgeving, "lid0@grjr.example", f"{storing}@grjr.example", "lid1@grjr.example",
              "lid2@grjr.example")

    verslag = ronde(omgeving, regisseur.port, START + timedelta(seconds=5))

    assert (verslag.verzonden, verslag.uitgesteld, verslag.mislukt) == (3, 1, 0)
    r = rijen(omgeving)
    in_flight = r[f"{storing}@grjr.example"]
    assert (in_flight.status, in_flight.pogingen) == ("wachtend", 1)
    assert in_flight.volgende_poging == START + timedelta(seconds=5) + uitgaand.wachttijd(1)
    assert "421 4.3.2" in (in_flight.laatste_fout or "") if storing == "sluit" else \
        "verbroken" in (in_flight.laatste_fout or "")
    for adres in ("lid1@grjr.example", "lid2@grjr.example"):
        assert (r[adres].status, r[adres].pogingen, r[adres].laatste_fout) == \
            ("verzonden", 1, None)
    assert regisseur.geadresseerden() == ["lid0@grjr.example", "lid1@grjr.example",
                                          "lid2@grjr.example"]


def test_reconnecting_is_bounded_and_nothing_is_lost(omgeving: Omgeving,
                                                     regisseur: Regisseur) -> None:
    """A server that drops every message mid-DATA: the pass tries MAX_HERVERBINDINGEN + 1
    messages and leaves the rest untried for the next pass; every message is still there."""
    bound = uitgaand.MAX_HERVERBINDINGEN
    with time_machine.travel(START, tick=False):
        klaar(omgeving, *[f"valweg.{i}@grjr.example" for i in range(bound + 3)],
              "lid0@grjr.example")

    verslag = ronde(omgeving, regisseur.port, START + timedelta(seconds=5))

    assert (verslag.verzonden, verslag.uitgesteld, verslag.mislukt) == (0, bound + 1, 0)
    r = rijen(omgeving)
    assert len(r) == bound + 4  # 0 lost
    geprobeerd = [a for a, b in r.items() if b.pogingen == 1]
    assert len(geprobeerd) == bound + 1
    assert all(b.status == "wachtend" for b in r.values())
    assert (r["lid0@grjr.example"].pogingen, r["lid0@grjr.example"].volgende_poging) == \
        (0, START)


class Zwijger:
    """A real TCP server on 127.0.0.1 that accepts connections and never says a word."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = int(self.sock.getsockname()[1])
        self.verbindingen: list[Any] = []
        self._draad = threading.Thread(target=self._accepteer, daemon=True)
        self._draad.start()

    def _accepteer(self) -> None:
        for _ in range(16):  # bounded
            try:
                conn, _adres = self.sock.accept()
            except OSError:
                return
            self.verbindingen.append(conn)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.verbindingen:
            conn.close()


def test_a_server_that_never_greets_holds_a_pass_for_the_greeting_timeout_only(
        omgeving: Omgeving) -> None:
    assert smtp_instellingen({"smtp": {"host": "x"}}).begroeting_timeout <= 10  # type: ignore[union-attr]
    zwijger = Zwijger()
    try:
        with time_machine.travel(START, tick=False):
            klaar(omgeving, "lid0@grjr.example", "lid1@grjr.example")
        import time

        begin = time.monotonic()
        verslag = ronde(omgeving, zwijger.port, START + timedelta(seconds=5),
                        begroeting_timeout=1, timeout=30)
        duur = time.monotonic() - begin
    finally:
        zwijger.stop()
    assert duur < 5, duur  # not the 30 s command timeout
    assert (verslag.verzonden, verslag.uitgesteld) == (0, 1)
    r = rijen(omgeving)
    assert "geen begroeting" in (r["lid0@grjr.example"].laatste_fout or "")
    assert r["lid1@grjr.example"].pogingen == 0  # unreachable: no reconnect storm, 0 lost


def test_a_greeting_timeout_is_configurable_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from workflow.basis.fouten import GebruikersFout

    monkeypatch.setenv("BESLUITROUTE_SMTP_BEGROETING_TIMEOUT", "2.5")
    instellingen = smtp_instellingen({"smtp": {"host": "x"}})
    assert instellingen is not None and instellingen.begroeting_timeout == 2.5
    monkeypatch.setenv("BESLUITROUTE_SMTP_BEGROETING_TIMEOUT", "0")
    with pytest.raises(GebruikersFout, match="timeouts moeten meer dan 0"):
        smtp_instellingen({"smtp": {"host": "x"}})


def test_a_message_to_several_people_of_whom_one_is_refused_is_sent_to_the_rest_and_says_so(
        omgeving: Omgeving, regisseur: Regisseur) -> None:
    with time_machine.travel(START, tick=False):
        klaar(omgeving, ["lid0@grjr.example", "weiger@grjr.example", "lid1@grjr.example"])
    assert ronde(omgeving, regisseur.port, START).verzonden == 1
    [(rcpt, _, _)] = regisseur.ontvangen
    assert rcpt == ["lid0@grjr.example", "lid1@grjr.example"]
    [bericht] = uitgaand.lijst(omgeving.db)
    assert bericht.status == "verzonden"
    # Sent, with a note that is no error of the message: who did not get it.
    assert bericht.laatste_fout is None and bericht.opmerking is not None
    assert bericht.opmerking.startswith("niet afgeleverd aan weiger@grjr.example: 550 5.1.1")


def test_a_failure_appears_in_the_next_weekly_overview_of_its_body_only(
        omgeving: Omgeving, regisseur: Regisseur, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("HOST", "PORT", "BEVEILIGING"):
        monkeypatch.delenv(f"BESLUITROUTE_SMTP_{key}", raising=False)
    woensdag = datetime(2026, 2, 4, 10, 0, tzinfo=TZ)
    with time_machine.travel(woensdag, tick=False), omgeving.db.schrijf() as session:
        uitgaand.nieuw_bericht(session, sleutel="agenda:x:weiger", soort="agenda",
                           aan=["weiger@grjr.example"], onderwerp="Agenda Programmateam",
                           tekst="t", html="<p>t</p>", msgid_domein="grjr.example",
                           vergadering="programmateam-20260209")
    ronde(omgeving, regisseur.port, woensdag)
    [bericht] = uitgaand.lijst(omgeving.db)
    assert bericht.status == "mislukt"

    with time_machine.travel(datetime(2026, 2, 9, 9, 5, tzinfo=TZ), tick=False):
        berichtronde.maak_herinneringen(omgeving)
    overzichten = {b.ontvangers: b for b in uitgaand.lijst(omgeving.db)
                   if b.soort == "weekoverzicht"}
    eigen = overzichten["kwartiermaker@grjr.example"]  # the programmateam's secretary
    assert "NIET AFGELEVERD (DE MAILSERVER WEIGERDE)" in eigen.tekst
    assert (f"- bericht {bericht.id} (agenda) aan weiger@grjr.example, 4 februari 2026 10:00: "
            "geadresseerde geweigerd: weiger@grjr.example: 550 5.1.1") in eigen.tekst
    assert "besluitroute berichten opnieuw" in eigen.tekst
    assert "Niet afgeleverd" in eigen.html and "550 5.1.1" in eigen.html
    assert all("NIET AFGELEVERD" not in b.tekst for a, b in overzichten.items()
               if a != "kwartiermaker@grjr.example")
    # The week after, it is no news any more.
    with time_machine.travel(datetime(2026, 2, 16, 9, 5, tzinfo=TZ), tick=False):
        berichtronde.maak_herinneringen(omgeving)
    volgende = [b for b in uitgaand.lijst(omgeving.db) if b.sleutel.startswith(
        "weekoverzicht:2026-W08:kwartiermaker")]
    assert all("NIET AFGELEVERD" not in b.tekst for b in volgende)


# ---------------------------------------------------------------------------------------------
# Addresses outside ASCII.

def test_a_non_ascii_domain_goes_out_as_idna_over_smtp_and_in_eml_files(
        omgeving: Omgeving, regisseur: Regisseur) -> None:
    with time_machine.travel(START, tick=False):
        klaar(omgeving, "jan@bücher.example")
    van = "Secretariaat Zoë <secr@bücher.example>"
    with time_machine.travel(START, tick=False):
        verslag = uitgaand.verstuur_wachtende(
            omgeving.db, uitgaand.transport_voor(smtp_config(regisseur.port), Path()), van)
    assert verslag.verzonden == 1
    [(rcpt, msg, opties)] = regisseur.ontvangen
    assert rcpt == ["jan@xn--bcher-kva.example"]
    assert "SMTPUTF8" not in opties
    assert msg["To"] == "jan@xn--bcher-kva.example"
    assert msg["From"].addresses[0].addr_spec == "secr@xn--bcher-kva.example"
    assert msg["From"].addresses[0].display_name == "Secretariaat Zoë"

    with time_machine.travel(START, tick=False):
        uitgaand.opnieuw(omgeving.db, verslag_id := uitgaand.lijst(omgeving.db)[0].id)
    uitgaand.verstuur_wachtende(omgeving.db, MapTransport(omgeving.uitgaand_map), van)
    [eml] = omgeving.uitgaand_map.glob(f"{verslag_id:06d}-*.eml")
    ruw = eml.read_bytes()
    assert b"To: jan@xn--bcher-kva.example" in ruw
    assert b"=?utf-8?" not in ruw.split(b"\nSubject")[0].split(b"To:")[1]


def test_a_non_ascii_local_part_fails_clearly_without_smtputf8_and_goes_out_with_it(
        omgeving: Omgeving, regisseur: Regisseur) -> None:
    with time_machine.travel(START, tick=False):
        klaar(omgeving, "lid0@grjr.example", "jürgen@grjr.example", "lid1@grjr.example")
    zonder = Regisseur(enable_SMTPUTF8=False).start()  # aiosmtpd offers SMTPUTF8 by default
    try:
        verslag = ronde(omgeving, zonder.port, START)
    finally:
        zonder.stop()
    assert (verslag.verzonden, verslag.mislukt) == (2, 1)
    assert zonder.geadresseerden() == ["lid0@grjr.example", "lid1@grjr.example"]
    jurgen = rijen(omgeving)["jürgen@grjr.example"]
    assert (jurgen.status, jurgen.pogingen) == ("mislukt", 1)
    assert jurgen.laatste_fout == (
        "het adres 'jürgen@grjr.example' heeft letters buiten ASCII vóór de @ en de SMTP-server "
        "127.0.0.1 ondersteunt geen SMTPUTF8; gebruik een ander adres of een server die "
        "SMTPUTF8 aanbiedt")

    with time_machine.travel(START, tick=False):
        uitgaand.opnieuw(omgeving.db, jurgen.id)
    assert ronde(omgeving, regisseur.port, START + timedelta(minutes=1)).verzonden == 1
    [(rcpt, msg, opties)] = regisseur.ontvangen
    assert rcpt == ["jürgen@grjr.example"]
    assert "SMTPUTF8" in opties
    assert msg["To"] == "jürgen@grjr.example"

    # Written to a folder, the address stays readable UTF-8 (RFC 6532), not an encoded word.
    uitgaand.opnieuw(omgeving.db, jurgen.id)
    uitgaand.verstuur_wachtende(omgeving.db, MapTransport(omgeving.uitgaand_map), VAN)
    [eml] = omgeving.uitgaand_map.glob("*.eml")
    assert "To: jürgen@grjr.example" in eml.read_bytes().decode("utf-8")


def test_definities_controleer_warns_about_a_non_ascii_local_part_but_accepts_it(
        tmp_path: Path, besluitroute: Any) -> None:
    import shutil

    from workflow.basis.paden import meegeleverd

    kopie = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), kopie)
    bestand = kopie / "organen" / "programmateam.yaml"
    bestand.write_text(bestand.read_text(encoding="utf-8").replace(
        "kwartiermaker@grjr.example", "kwartiermaker@grjr-bücher.example", 1)
        .replace("email: ", "email: jürgen.", 1), encoding="utf-8")
    result = besluitroute("definities", "controleer", str(kopie))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("in orde: 24 organen")
    [waarschuwing] = result.stderr.splitlines()
    assert waarschuwing.startswith("waarschuwing: orgaan programmateam, ")
    assert "'jürgen.kwartiermaker@grjr-bücher.example' heeft letters buiten ASCII vóór de @" \
        in waarschuwing
    assert "SMTPUTF8" in waarschuwing


# ---------------------------------------------------------------------------------------------
# TLS and AUTH against a real TLS server with a certificate made here.

def maak_certificaten(map: Path) -> dict[str, Path]:
    """A test CA with a server certificate for 127.0.0.1, and a self-signed stranger."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    nu = datetime.now(UTC)

    def naam(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def pem(sleutel: Any) -> bytes:
        return bytes(sleutel.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))

    def bouw(cn: str, sleutel: Any, uitgever: x509.Name, uitgever_sleutel: Any, *,
             ca: bool) -> x509.Certificate:
        b = (x509.CertificateBuilder().subject_name(naam(cn)).issuer_name(uitgever)
             .public_key(sleutel.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(nu - timedelta(days=1)).not_valid_after(nu + timedelta(days=30))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(sleutel.public_key()),
                            critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                 uitgever_sleutel.public_key()), critical=False))
        if ca:
            b = b.add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
        else:
            b = b.add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False) \
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
        return b.sign(uitgever_sleutel, hashes.SHA256())

    ca_sleutel = ec.generate_private_key(ec.SECP256R1())
    ca = bouw("besluitroute test-CA", ca_sleutel, naam("besluitroute test-CA"), ca_sleutel,
              ca=True)
    server_sleutel = ec.generate_private_key(ec.SECP256R1())
    server = bouw("127.0.0.1", server_sleutel, ca.subject, ca_sleutel, ca=False)
    vreemd_sleutel = ec.generate_private_key(ec.SECP256R1())
    vreemd = bouw("127.0.0.1", vreemd_sleutel, naam("127.0.0.1"), vreemd_sleutel, ca=False)
    paden = {"ca": map / "ca.pem", "server": map / "server.pem",
             "server_sleutel": map / "server.key", "vreemd": map / "vreemd.pem",
             "vreemd_sleutel": map / "vreemd.key"}
    paden["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paden["server"].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paden["server_sleutel"].write_bytes(pem(server_sleutel))
    paden["vreemd"].write_bytes(vreemd.public_bytes(serialization.Encoding.PEM))
    paden["vreemd_sleutel"].write_bytes(pem(vreemd_sleutel))
    return paden


@pytest.fixture
def certificaten(tmp_path: Path) -> dict[str, Path]:
    return maak_certificaten(tmp_path)


def server_context(cert: Path, sleutel: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, sleutel)
    return ctx


class Wachtwoorden:
    """aiosmtpd authenticator: one user, one password; remembers who logged in."""

    def __init__(self) -> None:
        self.ingelogd: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (b"besluitroute", b"geheim")
        if ok:
            self.ingelogd.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


def tls_config(port: int, beveiliging: str, ca: Path | None, wachtwoord: str = "geheim"
               ) -> dict[str, Any]:
    config = smtp_config(port)
    config["smtp"].update(beveiliging=beveiliging, gebruiker="besluitroute",
                          wachtwoord=wachtwoord)
    if ca is not None:
        config["smtp"]["ca_bestand"] = str(ca)
    return config


def maak_weer_klaar(env: Omgeving) -> None:
    """Skip the backoff: every message is due again."""
    from sqlalchemy import update

    with env.db.schrijf() as session:
        session.execute(update(uitgaand.Bericht).values(
            volgende_poging=datetime(2000, 1, 1, tzinfo=UTC)))


def verstuur(env: Omgeving, config: dict[str, Any]) -> uitgaand.Verzendverslag:
    return uitgaand.verstuur_wachtende(env.db, uitgaand.transport_voor(config, Path()), VAN)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("beveiliging", ["starttls", "ssl"])
def test_tls_with_the_configured_ca_and_a_login_delivers(
        omgeving: Omgeving, certificaten: dict[str, Path], beveiliging: str) -> None:
    ctx = server_context(certificaten["server"], certificaten["server_sleutel"])
    auth = Wachtwoorden()
    opties: dict[str, Any] = {"authenticator": auth, "auth_required": True}
    if beveiliging == "starttls":
        opties.update(tls_context=ctx, require_starttls=True)
    else:  # implicit TLS: aiosmtpd only knows STARTTLS as "TLS" for its AUTH check
        opties.update(ssl_context=ctx, auth_require_tls=False)
    server = Regisseur(**opties).start()
    try:
        klaar(omgeving, "lid0@grjr.example", "lid1@grjr.example")
        # Without our CA the system's authorities do not trust the server: nothing is sent.
        verslag = verstuur(omgeving, tls_config(server.port, beveiliging, None))
        assert (verslag.verzonden, verslag.uitgesteld) == (0, 1)
        assert server.ontvangen == [] and auth.ingelogd == []
        fout = uitgaand.lijst(omgeving.db, "wachtend")[-1].laatste_fout or ""
        assert fout.startswith(f"certificaat van de SMTP-server 127.0.0.1:{server.port} niet "
                               "vertrouwd (")
        assert "er is niets verstuurd" in fout and "[smtp] ca_bestand" in fout

        # A wrong password: a Dutch error, the messages wait.
        maak_weer_klaar(omgeving)
        verslag = verstuur(omgeving, tls_config(server.port, beveiliging, certificaten["ca"],
                                                wachtwoord="fout"))
        assert verslag.verzonden == 0
        fout = max(uitgaand.lijst(omgeving.db), key=lambda b: b.pogingen).laatste_fout or ""
        assert fout.startswith(f"inloggen bij de SMTP-server 127.0.0.1:{server.port} als "
                               "'besluitroute' geweigerd: 535")

        maak_weer_klaar(omgeving)
        verslag = verstuur(omgeving, tls_config(server.port, beveiliging, certificaten["ca"]))
        assert verslag.verzonden == 2
        assert server.geadresseerden() == ["lid0@grjr.example", "lid1@grjr.example"]
        assert auth.ingelogd == ["besluitroute"]
    finally:
        server.stop()


def test_a_server_with_a_certificate_nobody_vouches_for_gets_nothing_even_in_plain_text(
        omgeving: Omgeving, certificaten: dict[str, Path]) -> None:
    """A self-signed stranger on the STARTTLS port: refused, and no fall-back to plain text."""
    ctx = server_context(certificaten["vreemd"], certificaten["vreemd_sleutel"])
    server = Regisseur(tls_context=ctx, require_starttls=False).start()
    try:
        klaar(omgeving, "lid0@grjr.example")
        verslag = verstuur(omgeving, tls_config(server.port, "starttls", certificaten["ca"]))
        assert (verslag.verzonden, verslag.uitgesteld) == (0, 1)
        assert server.ontvangen == [] and server.rcpt_pogingen == Counter()
        [bericht] = uitgaand.lijst(omgeving.db)
        assert bericht.status == "wachtend"
        assert "niet vertrouwd" in (bericht.laatste_fout or "")
    finally:
        server.stop()

    plain = Regisseur().start()  # offers no STARTTLS at all
    try:
        maak_weer_klaar(omgeving)
        verstuur(omgeving, tls_config(plain.port, "starttls", certificaten["ca"]))
        assert plain.ontvangen == [] and plain.rcpt_pogingen == Counter()
        [bericht] = uitgaand.lijst(omgeving.db)
        assert bericht.laatste_fout == (
            f"de SMTP-server 127.0.0.1:{plain.port} biedt geen STARTTLS aan; er is niets "
            "onversleuteld verstuurd (kies beveiliging 'ssl', of 'geen' alleen op een "
            "vertrouwd netwerk)")
    finally:
        plain.stop()


def test_a_missing_ca_file_is_a_dutch_error(tmp_path: Path) -> None:
    from workflow.basis.fouten import GebruikersFout

    config = tls_config(25, "starttls", tmp_path / "weg.pem")
    with pytest.raises(GebruikersFout, match=r"CA-bestand '.*weg.pem' voor de SMTP-server "
                                             r"bestaat niet"):
        smtp_instellingen(config)
