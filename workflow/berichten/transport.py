"""The transports that deliver an outbox row: SMTP, or `.eml` files in a folder.

SMTP verifies certificates always (the system's authorities, or `ca_bestand`), never falls back
to plain text when STARTTLS fails, and reads the server's answer per message. A transport raises
PermanenteFout (5xx: this message fails), TijdelijkeFout (4xx: this message waits) or
VerbindingsFout (the pass stops); workflow.berichten.uitgaand decides what that means for the row.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from workflow.basis import instellingen
from workflow.basis.fouten import GebruikersFout
from workflow.basis.oorzaken import GEEN_ANTWOORD, oorzaak
from workflow.basis.tekst import citeer, een_regel

STANDAARD_AFZENDER = "besluitroute@localhost"


class Rij(Protocol):
    """What a transport reads of an outbox row (workflow.berichten.uitgaand.Bericht)."""

    @property
    def id(self) -> int: ...
    @property
    def soort(self) -> str: ...
    @property
    def aan(self) -> list[str]: ...


def enkele_regel(text: str, max_len: int = 250) -> str:
    """Text safe for a header: one line (workflow.basis.tekst.een_regel), at most `max_len`."""
    line = een_regel(text)
    return line if len(line) <= max_len else line[: max_len - 1].rstrip() + "…"


class Transport(Protocol):
    def verstuur(self, msg: EmailMessage, bericht: Rij) -> str | None:
        """Deliver; returns a remark for a partial delivery (some recipients refused)."""
        ...

    def sluit(self) -> None: ...


class PermanenteFout(Exception):
    """The server refused the message for good (5xx), or it cannot be sent at all."""


class TijdelijkeFout(Exception):
    """The server refused the message for now (4xx): this message alone waits for its backoff."""


class VerbindingsFout(Exception):
    """No usable connection. `bereikbaar`: the server was reached and the connection was lost
    in use (a 421, a drop mid-DATA): the pass reconnects for the next message, within a bound.
    Otherwise (unreachable, TLS, login) the pass stops; every message keeps its own schedule."""

    def __init__(self, bericht: str, *, bereikbaar: bool = False) -> None:
        super().__init__(bericht)
        self.bereikbaar = bereikbaar


# Addresses on the wire: the domain as IDNA (xn--), so no header carries an RFC 2047 word
# inside an address; a non-ASCII local part needs SMTPUTF8 (RFC 6531).

def valideer_adres(adres: str) -> str:
    """The normalised (lower-case) address, or a GebruikersFout in Dutch."""
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(adres.strip(), check_deliverability=False,
                                test_environment=True)
    except EmailNotValidError as exc:
        raise GebruikersFout(f"ongeldig e-mailadres '{enkele_regel(adres, 100)}' ({exc})") \
            from None
    return str(result.normalized).lower()


def geconfigureerde_afzender(config: Mapping[str, Any]) -> str | None:
    """BESLUITROUTE_AFZENDER, else `[mail] afzender`, else `[smtp] afzender` in the config file;
    None when nothing is configured (then each body's secretary sends its own mail)."""
    ingesteld = instellingen.van(config)
    value = ingesteld.mail_afzender or ingesteld.smtp_afzender or ingesteld.afzender or ""
    return enkele_regel(value) if value.strip() else None


def adres_met_naam(naam: str, email: str) -> str:
    """'Naam <email>' for a From header (quoted where the name needs it)."""
    from email.utils import formataddr

    return enkele_regel(formataddr((enkele_regel(naam, 120), email)), 300)


def ascii_domein(adres: str) -> str:
    """`adres` (an addr-spec) with its domain in IDNA form; the local part unchanged."""
    lokaal, at, dom = adres.rpartition("@")
    if not at or dom.isascii():
        return adres
    import idna

    try:
        return f"{lokaal}@{idna.encode(dom, uts46=True).decode('ascii')}"
    except idna.IDNAError:  # validated when the message was made; keep it readable otherwise
        return adres


def vereist_smtputf8(adres: str) -> bool:
    """True when the part before the @ has non-ASCII characters: only SMTPUTF8 carries it."""
    return not adres.rpartition("@")[0].isascii()


ADRES_KOPPEN = ("From", "To", "Cc", "Reply-To", "Sender")


def _heeft_utf8_adres(msg: EmailMessage) -> bool:
    return any(vereist_smtputf8(a.addr_spec) for naam in ADRES_KOPPEN
               for a in getattr(msg.get(naam), "addresses", ()))


def _antwoord(code: int, tekst: bytes | str) -> str:
    """The server's answer as one line: code plus text (with its RFC 3463 enhanced code)."""
    if isinstance(tekst, bytes):
        tekst = tekst.decode("utf-8", "replace")
    return enkele_regel(f"{code} {tekst}", 500)


#: `[smtp] begroeting_timeout` by default (declared in workflow.basis.instellingen).
STANDAARD_BEGROETING_TIMEOUT: float = instellingen.Instellingen.smtp_begroeting_timeout


@dataclass(frozen=True)
class SmtpInstellingen:
    host: str
    port: int
    beveiliging: str  #: starttls, ssl or geen
    gebruiker: str | None
    wachtwoord: str | None
    timeout: float = 30.0
    #: PEM file of the certificate authorities to trust instead of the system's (self-signed).
    ca_bestand: str | None = None
    #: Seconds to wait for the server's greeting (with `ssl` also the TLS handshake) before
    #: giving up: a server that accepts and never speaks must not hold a pass for `timeout`.
    begroeting_timeout: float = STANDAARD_BEGROETING_TIMEOUT


def smtp_instellingen(config: Mapping[str, Any]) -> SmtpInstellingen | None:
    """From BESLUITROUTE_SMTP_* or the config file's [smtp] section; None: no SMTP configured."""
    ingesteld = instellingen.van(config)
    host = ingesteld.smtp_host
    if host is None:
        return None
    beveiliging = ingesteld.smtp_beveiliging.lower()
    if beveiliging not in ("starttls", "ssl", "geen"):
        raise GebruikersFout(f"onbekende SMTP-beveiliging {citeer(beveiliging)} "
                             "(kies starttls, ssl of geen)")
    port = ingesteld.smtp_port or {"starttls": 587, "ssl": 465, "geen": 25}[beveiliging]
    timeout, begroeting = ingesteld.smtp_timeout, ingesteld.smtp_begroeting_timeout
    if not (0 < timeout <= 3600 and 0 < begroeting <= 3600):
        raise GebruikersFout("SMTP-timeouts moeten meer dan 0 en hoogstens 3600 seconden zijn")
    ca_bestand = ingesteld.smtp_ca_bestand
    if ca_bestand is not None and not Path(ca_bestand).is_file():
        raise GebruikersFout(f"CA-bestand '{enkele_regel(ca_bestand, 200)}' voor de SMTP-server "
                             "bestaat niet of is geen bestand ([smtp] ca_bestand)")
    return SmtpInstellingen(host, port, beveiliging, ingesteld.smtp_gebruiker,
                            ingesteld.smtp_wachtwoord, timeout, ca_bestand, begroeting)


class SmtpTransport:
    """One connection per pass, opened on the first message. Certificates are always verified
    (the system's authorities, or `ca_bestand`); STARTTLS that fails never falls back to plain
    text."""

    def __init__(self, instellingen: SmtpInstellingen) -> None:
        self.instellingen = instellingen
        self._smtp: smtplib.SMTP | None = None

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.instellingen.ca_bestand)

    def _connect(self) -> smtplib.SMTP:
        s = self.instellingen
        waar = f"{s.host}:{s.port}"
        smtp: smtplib.SMTP | None = None
        begroeting = min(s.begroeting_timeout, s.timeout)
        try:
            # Connecting and the greeting (with `ssl` also the TLS handshake) within
            # `begroeting`; every later command, STARTTLS included, within `timeout`.
            if s.beveiliging == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=begroeting, context=self._tls())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=begroeting)
            if smtp.sock is not None:
                smtp.sock.settimeout(s.timeout)
            smtp.timeout = s.timeout
            if s.beveiliging == "starttls":
                smtp.starttls(context=self._tls())
            smtp.ehlo_or_helo_if_needed()
            if s.gebruiker:
                smtp.login(s.gebruiker, s.wachtwoord or "")
            return smtp
        except ssl.SSLCertVerificationError as exc:
            fout = (f"certificaat van de SMTP-server {waar} niet vertrouwd "
                    f"({exc.verify_message}); er is niets verstuurd. Een eigen "
                    "certificaatautoriteit stelt u in met [smtp] ca_bestand")
        except ssl.SSLError as exc:
            fout = f"TLS-verbinding met de SMTP-server {waar} mislukt ({oorzaak(exc)})"
        except smtplib.SMTPNotSupportedError as exc:
            if "STARTTLS" in str(exc):
                fout = (f"de SMTP-server {waar} biedt geen STARTTLS aan; er is niets "
                        "onversleuteld verstuurd (kies beveiliging 'ssl', of 'geen' alleen op "
                        "een vertrouwd netwerk)")
            else:
                fout = f"de SMTP-server {waar} biedt geen inloggen (AUTH) aan"
        except smtplib.SMTPAuthenticationError as exc:
            fout = (f"inloggen bij de SMTP-server {waar} als '{s.gebruiker}' geweigerd: "
                    f"{_antwoord(exc.smtp_code, exc.smtp_error)}")
        except smtplib.SMTPResponseException as exc:
            fout = f"SMTP-server {waar} weigert de verbinding: " \
                   f"{_antwoord(exc.smtp_code, exc.smtp_error)}"
        except (OSError, smtplib.SMTPException) as exc:
            reden = oorzaak(exc)
            if smtp is None and reden == GEEN_ANTWOORD:
                # smtplib reports a silent server as "Connection unexpectedly closed: timed out"
                fout = (f"SMTP-server {waar} gaf binnen {begroeting:g} s geen begroeting "
                        f"([smtp] begroeting_timeout)")
            else:
                fout = f"SMTP-server {waar} niet bereikbaar: {reden}"
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.close()
        raise VerbindingsFout(fout)

    def verstuur(self, msg: EmailMessage, bericht: Rij) -> str | None:
        if self._smtp is None:
            self._smtp = self._connect()
        smtp = self._smtp
        afzenders = getattr(msg.get("From"), "addresses", ())
        van = afzenders[0].addr_spec if afzenders else STANDAARD_AFZENDER
        aan = [ascii_domein(a) for a in bericht.aan]
        utf8 = [a for a in (van, *aan) if not a.isascii()]
        if utf8 and not smtp.has_extn("smtputf8"):
            raise PermanenteFout(
                f"het adres '{utf8[0]}' heeft letters buiten ASCII vóór de @ en de SMTP-server "
                f"{self.instellingen.host} ondersteunt geen SMTPUTF8; gebruik een ander adres "
                "of een server die SMTPUTF8 aanbiedt")
        try:
            geweigerd = smtp.send_message(msg, from_addr=van, to_addrs=aan)
        except smtplib.SMTPRecipientsRefused as exc:
            self._reset()
            codes = {code for code, _ in exc.recipients.values()}
            tekst = "; ".join(f"{adres}: {_antwoord(code, resp)}"
                              for adres, (code, resp) in exc.recipients.items())
            if 421 in codes:
                self._drop()
                raise VerbindingsFout(f"SMTP-server sluit de verbinding: {tekst}",
                                      bereikbaar=True) from None
            # RFC 5321 4.5.3.1.10: a 552 at RCPT ("too many recipients") is temporary.
            if all(code >= 500 and code != 552 for code in codes):
                raise PermanenteFout(f"geadresseerde geweigerd: {tekst}") from None
            raise TijdelijkeFout(f"geadresseerde tijdelijk geweigerd: {tekst}") from None
        except smtplib.SMTPResponseException as exc:  # MAIL FROM or DATA
            self._reset()
            wat = "afzender" if isinstance(exc, smtplib.SMTPSenderRefused) else "bericht"
            tekst = _antwoord(exc.smtp_code, exc.smtp_error)
            if exc.smtp_code == 421 or exc.smtp_code < 400:
                self._drop()
                raise VerbindingsFout(f"SMTP-server sluit de verbinding: {tekst}",
                                      bereikbaar=True) from None
            if exc.smtp_code >= 500:
                raise PermanenteFout(f"{wat} geweigerd: {tekst}") from None
            raise TijdelijkeFout(f"{wat} tijdelijk geweigerd: {tekst}") from None
        except (OSError, smtplib.SMTPException) as exc:  # disconnected, socket errors
            self._drop()
            raise VerbindingsFout(f"verbinding met de SMTP-server verbroken: "
                                  f"{oorzaak(exc)}", bereikbaar=True) from None
        if not geweigerd:
            return None
        # Some recipients took it, some did not: it cannot go out again without duplicating.
        return "niet afgeleverd aan " + "; ".join(
            f"{adres}: {_antwoord(code, resp)}" for adres, (code, resp) in geweigerd.items())

    def _reset(self) -> None:
        """End a refused transaction (RSET), so the next message starts clean; a connection that
        died meanwhile is dropped and reopened for the next message."""
        if self._smtp is None:
            return
        if self._smtp.sock is None:  # smtplib closed it (a 421)
            self._smtp = None
            return
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def sluit(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None


class MapTransport:
    """Writes each message as `<id>.eml` (atomically) into a folder: without SMTP settings."""

    def __init__(self, map: Path) -> None:
        self.map = map

    def verstuur(self, msg: EmailMessage, bericht: Rij) -> str | None:
        self.map.mkdir(parents=True, exist_ok=True)
        doel = self.map / f"{bericht.id:06d}-{_bestandsnaam(bericht.soort)}.eml"
        tijdelijk = doel.with_suffix(".tmp")
        # A non-ASCII local part can only be written as UTF-8 (RFC 6532), never as an RFC 2047
        # word inside an address.
        policy: Any = msg.policy
        policy = policy.clone(utf8=True) if _heeft_utf8_adres(msg) else None
        tijdelijk.write_bytes(msg.as_bytes(policy=policy))
        os.replace(tijdelijk, doel)
        return None

    def sluit(self) -> None:
        pass


def _bestandsnaam(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "bericht"
