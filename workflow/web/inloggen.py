"""Asking for a sign-in link without telling anyone who is a member.

`POST /inloggen` does the same work for every address: it counts the recent requests of that
address and of that client, and either refuses (429, "probeer het over N minuten opnieuw") or
writes one row into the queue `portaal_inlogverzoek`. Whether the address belongs to a member is
decided later, outside the request, by a thread of the worker (`Bezorger`): it claims the open
rows, makes a link and a mail (through the outbox) for members only, and forgets the address.
The answer's time is therefore the same for a member and a stranger by construction, not by
luck; and the limits hold across all workers because they are counted in the database.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflow.web.bronnen import Base, Omgeving, UTCDateTime, clock
from workflow.web.opslag import LINK_GELDIG, MAX_EMAIL, hash_van

log = logging.getLogger("besluitroute.web")

#: At most this many requests per address in this window (a member is mailed at most 5 links).
PER_ADRES = (5, timedelta(minutes=15))
#: At most this many requests per client (IP address, as the proxy in front reports it).
PER_CLIENT = (10, timedelta(minutes=1))
#: Handled requests are kept this long (for the limits), then deleted.
BEWAAR = timedelta(days=1)
#: A request the thread could not handle in time (the worker was down) gets no link any more.
VERLOOPT = LINK_GELDIG
#: The thread handles the queue once no request came for this long (seconds), and at the
#: latest this long after the first: a burst of requests is answered before any mail is made,
#: so the mail work of one request does not slow the next ones.
STILTE = 0.5
MAX_UITSTEL = 5.0


class Inlogverzoek(Base):
    """One request for a sign-in link: the queue of the mail thread and the count of the limits."""

    __tablename__ = "portaal_inlogverzoek"
    __table_args__ = (
        Index("ix_portaal_inlogverzoek_adres", "adres_hash", "aangevraagd_op"),
        Index("ix_portaal_inlogverzoek_client", "client_hash", "aangevraagd_op"),
        Index("ix_portaal_inlogverzoek_verwerkt_op", "verwerkt_op"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The address as typed (normalised); emptied once the request is handled.
    email: Mapped[str] = mapped_column(String(MAX_EMAIL))
    #: SHA-256 of the address and of the client, for the limits (kept a day).
    adres_hash: Mapped[str] = mapped_column(String(64))
    client_hash: Mapped[str] = mapped_column(String(64))
    aangevraagd_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when a thread claimed the request (a link was mailed, or the address is no member).
    verwerkt_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


def _hash(soort: str, waarde: str) -> str:
    return hash_van(f"{soort}:{waarde}")


def vraag_aan(env: Omgeving, email: str, client: str) -> int | None:
    """Queue a request for a link for `email` from `client`; or, over a limit, the minutes to
    wait (at least 1). The same statements whoever asks."""
    nu = clock.real_now()
    adres_h, client_h = _hash("adres", email), _hash("client", client)
    with env.db.schrijf() as session:
        if session.get_bind().dialect.name == "postgresql":
            # One request at a time per database: the count and the insert of two workers
            # must not interleave (SQLite's BEGIN IMMEDIATE does this already).
            session.execute(text("SELECT pg_advisory_xact_lock(7250251)"))
        wachten = max(_wachten(session, Inlogverzoek.adres_hash == adres_h, PER_ADRES, nu),
                      _wachten(session, Inlogverzoek.client_hash == client_h, PER_CLIENT, nu))
        if wachten > timedelta(0):
            return max(1, math.ceil(wachten.total_seconds() / 60))
        session.add(Inlogverzoek(email=email, adres_hash=adres_h, client_hash=client_h,
                                 aangevraagd_op=nu))
    return None


def _wachten(session: Session, voorwaarde: object, grens: tuple[int, timedelta], nu: datetime
             ) -> timedelta:
    """How long until one more request fits in the window (0: it fits now)."""
    aantal, venster = grens
    momenten = list(session.scalars(
        select(Inlogverzoek.aangevraagd_op)
        .where(voorwaarde, Inlogverzoek.aangevraagd_op > nu - venster)  # type: ignore[arg-type]
        .order_by(Inlogverzoek.aangevraagd_op.desc()).limit(aantal)))
    if len(momenten) < aantal:
        return timedelta(0)
    return momenten[-1] + venster - nu


def verwerk(env: Omgeving, mail_link: Callable[[str], None], *, limiet: int = 100) -> int:
    """Claim the open requests (each by one thread only) and call `mail_link(email)` for each
    that is still fresh; the address is emptied in the same transaction. Returns how many."""
    nu = clock.real_now()
    adressen: list[str] = []
    with env.db.schrijf() as session:
        rijen = session.execute(
            select(Inlogverzoek.id, Inlogverzoek.email, Inlogverzoek.aangevraagd_op)
            .where(Inlogverzoek.verwerkt_op.is_(None))
            .order_by(Inlogverzoek.id).limit(limiet)).all()
        for ident, email, moment in rijen:
            geclaimd = session.execute(
                update(Inlogverzoek).where(Inlogverzoek.id == ident,
                                           Inlogverzoek.verwerkt_op.is_(None))
                .values(verwerkt_op=nu, email="").execution_options(synchronize_session=False))
            if geclaimd.rowcount == 1 and nu - moment < VERLOOPT:  # type: ignore[attr-defined]
                adressen.append(email)
        session.execute(delete(Inlogverzoek).where(Inlogverzoek.aangevraagd_op < nu - BEWAAR))
    for email in adressen:
        try:
            mail_link(email)
        except Exception:  # one failing address must not stop the others
            log.exception("inloglink niet gemaakt")
    return len(adressen)


class Bezorger:
    """The thread of one worker process that handles the queue: woken by each request (and
    then waiting for a quiet moment, see STILTE), and every half minute anyway (requests
    another worker left behind)."""

    def __init__(self, env: Omgeving, mail_link: Callable[[str], None]) -> None:
        self.env, self.mail_link = env, mail_link
        self._wek = threading.Event()
        self._pid: int | None = None
        self._lock = threading.Lock()

    def wek(self) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first request in this (forked) worker
                self._pid = os.getpid()
                threading.Thread(target=self._draai, daemon=True, name="inloglinks").start()
        self._wek.set()

    def _draai(self) -> None:
        while True:
            self._wek.wait(timeout=30)
            self._wacht_op_stilte()
            try:
                verwerk(self.env, self.mail_link)
            except Exception:  # the database may be away for a moment: try on the next wake
                log.exception("inlogverzoeken")

    def _wacht_op_stilte(self) -> None:
        """Until no request woke the thread for STILTE seconds, at most MAX_UITSTEL."""
        eind = time.monotonic() + MAX_UITSTEL
        while True:
            self._wek.clear()
            over = eind - time.monotonic()
            if over <= 0 or not self._wek.wait(timeout=min(STILTE, over)):
                return


__all__ = ["PER_ADRES", "PER_CLIENT", "Bezorger", "Inlogverzoek", "verwerk", "vraag_aan"]
