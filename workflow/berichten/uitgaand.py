"""The outbox (table `bericht`, in workflow.berichten.model) and its transports: SMTP, or
`.eml` files in a folder.

A reminder writes its messages into the outbox in the same transaction as its cause; a sender
delivers them afterwards. Each row gets its Message-ID once, at creation, and keeps it on every
retry, so a crash between sending and marking causes at most one duplicate that a mail client
recognises as the same message. Rows are claimed with an atomic `UPDATE ... WHERE status =
'wachtend'` (row count checked): `FOR UPDATE SKIP LOCKED` is silently dropped on SQLite.

Delivery reads the server's answer (RFC 5321 reply codes; the RFC 3463 enhanced code stays in the
text): a 5xx for a recipient or the message fails that message at once, a 4xx retries that
message alone after its own backoff, and only a lost connection or a 421 ends the pass: the
messages not tried keep their own schedule. See docs/herinneringen.md, "Bezorging". The transports
themselves (SMTP, folder) and the address rules are in workflow.berichten.transport.
"""

from __future__ import annotations

import email.policy
import json
import logging
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from workflow.basis import clock, instellingen
from workflow.basis.bestanden import lees_geregistreerd
from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.basis.tekst import citeer
from workflow.berichten.model import Bericht as Bericht
from workflow.berichten.model import Status as Status
from workflow.berichten.model import beschrijf
from workflow.berichten.transport import (
    ADRES_KOPPEN,
    STANDAARD_AFZENDER,
    MapTransport,
    PermanenteFout,
    SmtpTransport,
    Transport,
    VerbindingsFout,
    ascii_domein,
    enkele_regel,
    geconfigureerde_afzender,
    smtp_instellingen,
    valideer_adres,
)
from workflow.definities.model import Persoon

log = logging.getLogger("besluitroute.mail")

#: Backoff after the n-th failed attempt: 1, 2, 4, ... minutes, at most 6 hours.
EERSTE_WACHTTIJD = timedelta(minutes=1)
LANGSTE_WACHTTIJD = timedelta(hours=6)
#: After this many attempts a message is `mislukt` (about two days of retrying).
MAX_POGINGEN = 15
#: A pass reconnects at most this often after a connection was lost mid-message (each costs at
#: most the greeting timeout); then the rest waits for the next pass.
MAX_HERVERBINDINGEN = 3
#: A claim older than this belongs to a sender that died: the row is sent again (same Message-ID).
CLAIM_VERLOOPT = timedelta(minutes=15)


# ---------------------------------------------------------------------------------------------
# Making messages.

def afzender(config: Mapping[str, Any]) -> str:
    """The configured sender, else besluitroute@localhost (for mail that concerns no body)."""
    return geconfigureerde_afzender(config) or STANDAARD_AFZENDER


def bijlagen_max(config: Mapping[str, Any]) -> int:
    """`[mail] bijlagen_max_mb` (default 10): the most an agenda mail attaches, in bytes."""
    mb = instellingen.van(config).mail_bijlagen_max_mb
    if not 0 <= mb <= 1000:
        raise GebruikersFout("[mail] bijlagen_max_mb moet tussen 0 en 1000 liggen")
    return int(mb * 1_000_000)


def domein(afzender_adres: str) -> str:
    """The Message-ID domain: the sender's (make_msgid without a domain does a host lookup)."""
    _, _, dom = afzender_adres.rpartition("@")
    dom = re.sub(r"[^A-Za-z0-9.-]", "", dom.rstrip(">"))
    return dom or "localhost"


def nieuw_bericht(session: Session, *, sleutel: str, soort: str, aan: Sequence[str | Persoon],
                  onderwerp: str, tekst: str, html: str, msgid_domein: str,
                  vergadering: str | None = None,
                  vergadering_begin: datetime | None = None, afzender: str | None = None,
                  bijlagen: str | None = None, status: str = "wachtend",
                  opmerking: str | None = None, verschuldigd_op: datetime | None = None) -> bool:
    """Put a message in the outbox, in the caller's transaction; False if the key exists.

    A `Persoon` (a member or secretary) comes from the definitions, whose reader validated and
    normalised every address (workflow.definities.lezer): taken as it is. A plain string (the
    portal's sign-in, anything typed) is validated here. Checking the members' addresses again
    loaded email-validator with idna's tables into the planner, 0.6 MB kept for its whole life
    to confirm what the reader had established."""
    adressen = [a.email if isinstance(a, Persoon) else valideer_adres(a) for a in aan]
    if not adressen:
        raise GebruikersFout("een bericht heeft minstens één geadresseerde nodig")
    nu = clock.now()
    values = dict(
        sleutel=sleutel, soort=soort, vergadering=vergadering,
        vergadering_begin=vergadering_begin, aan=adressen,
        onderwerp=enkele_regel(onderwerp), tekst=tekst, html=html,
        message_id=make_msgid(domain=msgid_domein), status=Status(status).value, pogingen=0,
        afzender=afzender, bijlagen=bijlagen, opmerking=opmerking,
        verschuldigd_op=verschuldigd_op,
        # Due from the moment acted as (`--nu`); made at the real moment (the Date header).
        volgende_poging=nu, aangemaakt_op=clock.real_now(),
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(Bericht).values(**values).on_conflict_do_nothing(
            index_elements=["sleutel"])
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(Bericht).values(**values).on_conflict_do_nothing(
            index_elements=["sleutel"])
    return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def sleutels_met_voorvoegsel(session: Session, voorvoegsel: str) -> set[str]:
    """The keys in the outbox that start with `voorvoegsel`: a range on the unique index."""
    tot = voorvoegsel[:-1] + chr(ord(voorvoegsel[-1]) + 1)
    return set(session.scalars(select(Bericht.sleutel).where(Bericht.sleutel >= voorvoegsel,
                                                             Bericht.sleutel < tot)))


def bestaande_sleutels(session: Session, sleutels: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(sleutels), 500):
        chunk = list(sleutels[start:start + 500])
        found.update(session.scalars(select(Bericht.sleutel).where(Bericht.sleutel.in_(chunk))))
    return found


def als_email(bericht: Bericht, van: str) -> EmailMessage:
    """The row as an email: plain text with an HTML alternative. EmailMessage refuses newlines in
    headers, a second line of defence behind `enkele_regel`."""
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = bericht.afzender or van
    msg["To"] = bericht.ontvangers
    msg["Subject"] = enkele_regel(bericht.onderwerp)
    # Handed over at the acting moment: a cycle replayed with `--nu` is dated as replayed.
    msg["Date"] = format_datetime(clock.local(clock.now()))
    msg["Message-ID"] = bericht.message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Besluitroute-Sleutel"] = enkele_regel(bericht.sleutel, 400)
    msg.set_content(bericht.tekst)
    msg.add_alternative(bericht.html, subtype="html")
    for naam, inhoud in _bijlagen(bericht):
        maintype, _, subtype = (mimetypes.guess_type(naam)[0]
                                or "application/octet-stream").partition("/")
        msg.add_attachment(inhoud, maintype=maintype, subtype=subtype, filename=naam)
    return msg


#: Headers are not folded below 998 characters: the default folding put "Subject:" on a line of
#: its own (decoded with a leading space) and doubled a space before an encoded word. Subjects are
#: at most 250 characters, so a header line stays within RFC 5322's limit.
_POLICY = email.policy.default.clone(max_line_length=998)


def _bijlagen(bericht: Bericht) -> list[tuple[str, bytes]]:
    """The files to attach, read now; a file that changed or vanished since is left out (the
    body lists every document with its checksum, so nothing unverified goes out)."""
    if not bericht.bijlagen:
        return []
    result = []
    for item in json.loads(bericht.bijlagen):
        inhoud = lees_geregistreerd(Path(item["pad"]), item["sha256"], item["grootte"])
        if inhoud is None:
            log.warning("bijlage %s van bericht %s is weg, onleesbaar of gewijzigd sinds de "
                        "registratie; niet meegestuurd", item["naam"], bericht.id)
            continue
        result.append((str(item["naam"]), inhoud))
    return result


# ---------------------------------------------------------------------------------------------
# Transports.

def voor_verzending(msg: EmailMessage) -> EmailMessage:
    """The message as it goes out: every address header with IDNA domains (in place)."""
    from email.headerregistry import Address

    for naam in ADRES_KOPPEN:
        header = msg.get(naam)
        if header is None:
            continue
        addresses = getattr(header, "addresses", ())
        if all(a.domain.isascii() for a in addresses):
            continue
        msg.replace_header(naam, [
            Address(a.display_name, a.username, ascii_domein(a.addr_spec).rpartition("@")[2])
            for a in addresses])
    return msg


def transport_voor(config: Mapping[str, Any], uitgaand_map: Path) -> Transport:
    instellingen = smtp_instellingen(config)
    if instellingen is None:
        return MapTransport(uitgaand_map)
    return SmtpTransport(instellingen)


# ---------------------------------------------------------------------------------------------
# Sending.

@dataclass
class Verzendverslag:
    verzonden: int = 0
    uitgesteld: int = 0
    mislukt: int = 0


def wachttijd(pogingen: int) -> timedelta:
    """Backoff after `pogingen` failed attempts."""
    factor: int = 2 ** max(0, min(pogingen - 1, 20))
    wacht: timedelta = min(EERSTE_WACHTTIJD * factor, LANGSTE_WACHTTIJD)
    return wacht


class _Db(Protocol):
    def schrijf(self) -> Any: ...

    def lees(self) -> Any: ...


def _claimable(nu: datetime) -> Any:
    return or_(
        (Bericht.status == Status.WACHTEND.value) & (Bericht.volgende_poging <= nu),
        (Bericht.status == Status.BEZIG.value) & (Bericht.geclaimd_op < nu - CLAIM_VERLOOPT),
    )


def _claim(db: _Db, bericht_id: int, nu: datetime) -> Bericht | None:
    """Atomically take one row; None when another sender was first."""
    with db.schrijf() as session:
        result = session.execute(
            update(Bericht).where(Bericht.id == bericht_id, _claimable(nu))
            .values(status=Status.BEZIG.value, geclaimd_op=nu, pogingen=Bericht.pogingen + 1)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            return None
        bericht: Bericht | None = session.get(Bericht, bericht_id)
        assert bericht is not None
        session.expunge(bericht)
        return bericht


def verstuur_wachtende(db: _Db, transport: Transport, van: str, *, limiet: int = 500,
                       alleen: Sequence[int] | None = None) -> Verzendverslag:
    """Send what is pending and due now, each message on its own: a refusal (4xx, 5xx) touches
    only that message; a lost connection ends the pass and the rest keep their schedule.
    `alleen`: only these messages (the portal's sign-in mail goes out at once).

    A lost connection costs only the message in flight: the pass reconnects (at most
    MAX_HERVERBINDINGEN times) and goes on with the untried messages; past the bound, or when
    the server cannot be reached at all, the rest keep their moment for the next pass."""
    nu = clock.now()
    verslag = Verzendverslag()
    with db.lees() as session:
        query = select(Bericht.id).where(_claimable(nu))
        if alleen is not None:
            query = query.where(Bericht.id.in_(list(alleen)))
        ids = list(session.scalars(query.order_by(Bericht.id).limit(limiet)))
    verbroken = 0
    try:
        for index, bericht_id in enumerate(ids):
            bericht = _claim(db, bericht_id, nu)
            if bericht is None:
                continue
            try:
                opmerking = transport.verstuur(voor_verzending(als_email(bericht, van)), bericht)
            except VerbindingsFout as exc:
                # Only this message counts an attempt; the others were not tried and keep
                # their own moment (never pushed back behind this one's backoff).
                _mark_failed(db, bericht, nu, str(exc), permanent=False)
                verslag.uitgesteld += 1
                verbroken += 1
                if exc.bereikbaar and verbroken <= MAX_HERVERBINDINGEN:
                    log.warning("SMTP-verbinding verbroken; opnieuw verbinden (%d van %d): %s",
                                verbroken, MAX_HERVERBINDINGEN, exc)
                    continue
                log.warning("SMTP-verbinding mislukt; deze ronde stopt, %d bericht(en) niet "
                            "geprobeerd: %s", len(ids) - index - 1, exc)
                break
            except Exception as exc:  # the message is kept; the error is recorded
                permanent = isinstance(exc, PermanenteFout) or bericht.pogingen >= MAX_POGINGEN
                _mark_failed(db, bericht, nu, str(exc) or type(exc).__name__,
                             permanent=permanent)
                if permanent:
                    verslag.mislukt += 1
                else:
                    verslag.uitgesteld += 1
                continue
            with db.schrijf() as session:
                session.execute(
                    update(Bericht).where(Bericht.id == bericht.id,
                                          Bericht.status == Status.BEZIG.value)
                    .values(status=Status.VERZONDEN.value, verzonden_op=clock.real_now(), laatste_fout=None,
                            opmerking=enkele_regel(opmerking, 1000) if opmerking else None)
                    .execution_options(synchronize_session=False))
            verslag.verzonden += 1
            log.info("verzonden: %s aan %s", beschrijf(bericht), bericht.ontvangers)
            if opmerking:
                log.warning("%s: %s", beschrijf(bericht), opmerking)
    finally:
        transport.sluit()
    return verslag


def _mark_failed(db: _Db, bericht: Bericht, nu: datetime, fout: str, *, permanent: bool) -> None:
    """Record a failed attempt: `mislukt` for good, or `wachtend` until this message's backoff."""
    permanent = permanent or bericht.pogingen >= MAX_POGINGEN
    with db.schrijf() as session:
        session.execute(
            update(Bericht).where(Bericht.id == bericht.id, Bericht.status == Status.BEZIG.value)
            .values(status=(Status.MISLUKT if permanent else Status.WACHTEND).value,
                    volgende_poging=nu + wachttijd(bericht.pogingen),
                    mislukt_op=nu if permanent else None,
                    laatste_fout=enkele_regel(fout, 1000), geclaimd_op=None)
            .execution_options(synchronize_session=False))
    log.warning("%s aan %s %s (poging %d): %s", beschrijf(bericht), bericht.ontvangers,
                "mislukt" if permanent else "uitgesteld", bericht.pogingen, fout)


def vereis_outbox(db: Any) -> None:
    """A Dutch error when the database predates the outbox (run `besluitroute init`)."""
    from sqlalchemy import inspect

    db.vereis_schema()
    if not inspect(db.engine).has_table("bericht"):
        raise GebruikersFout("de database heeft nog geen berichtentabel; voer 'besluitroute "
                             "init' uit om het schema bij te werken")


# ---------------------------------------------------------------------------------------------
# Reading and handling by the secretariat.

def leesbare_fout(fout: str | None) -> str:
    """A stored reason (`laatste_fout`) as a person reads it: moments in Dutch, local time.
    The stored text keeps its ISO moments (`--json` shows it as stored)."""
    from workflow.basis.tekst import leesbaar

    return leesbaar(fout) if fout else ""


def lijst(db: _Db, status: str | None = None, limiet: int = 1000) -> list[Bericht]:
    query = select(Bericht).order_by(Bericht.id.desc()).limit(limiet)
    if status is not None:
        if status not in {s.value for s in Status}:
            raise GebruikersFout(f"onbekende status {citeer(status)} (kies uit: "
                                 f"{', '.join(s.value for s in Status)})")
        query = query.where(Bericht.status == status)
    with db.lees() as session:
        return list(session.scalars(query))


def opnieuw(db: _Db, bericht_id: int) -> Bericht:
    """Put a failed, lapsed or sent message back in the queue (same Message-ID)."""
    with db.schrijf() as session:
        bericht: Bericht | None = session.get(Bericht, bericht_id)
        if bericht is None:
            raise NietGevonden(f"onbekend bericht {bericht_id} "
                               "(zie 'besluitroute berichten lijst')")
        if bericht.status in (Status.WACHTEND.value, Status.BEZIG.value):
            raise GebruikersFout(f"bericht {bericht_id} staat al klaar om verzonden te worden "
                                 f"(status {bericht.status})")
        bericht.status = Status.WACHTEND.value
        bericht.pogingen = 0
        bericht.volgende_poging = clock.now()
        bericht.geclaimd_op = None
        bericht.mislukt_op = None
        return bericht
