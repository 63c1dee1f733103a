"""What the portal stores itself: sign-in links, sessions and calendar feed secrets.

Only SHA-256 hashes of the secrets are stored: a copy of the database gives nobody a working
link, session or feed. A sign-in link is used once and expires; a session expires and ends at
sign-out; a feed secret stays until its owner replaces it (which revokes the old URL).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, bindparam, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from workflow.web.bronnen import Base, Omgeving, UTCDateTime, clock
from workflow.web.prepared import Prepared, aware

#: A sign-in link is valid this long after it was mailed.
LINK_GELDIG = timedelta(minutes=30)
#: A session lasts this long after sign-in.
SESSIE_GELDIG = timedelta(hours=12)
MAX_EMAIL = 254


class Inloglink(Base):
    """A mailed sign-in link: single use, expiring."""

    __tablename__ = "portaal_inloglink"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 (hex) of the token in the link.
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL))
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())
    verloopt_op: Mapped[datetime] = mapped_column(UTCDateTime())
    gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Sessie(Base):
    """A signed-in browser: the cookie holds the token, the table its hash."""

    __tablename__ = "portaal_sessie"

    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("portaal_inloglink.id"),
                                                nullable=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())
    verloopt_op: Mapped[datetime] = mapped_column(UTCDateTime())


class Feedgeheim(Base):
    """The secret in a person's calendar feed URLs; replacing it revokes the old URLs."""

    __tablename__ = "portaal_feedgeheim"
    __table_args__ = (Index("ix_portaal_feedgeheim_email", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL))
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


def hash_van(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def nieuw_token() -> str:
    """256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def geldig_token(token: str) -> bool:
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


def maak_link(env: Omgeving, email: str) -> tuple[str, int]:
    """A new sign-in token for `email` (stored as a hash); returns (token, id)."""
    token = nieuw_token()
    nu = clock.real_now()
    with env.db.schrijf() as session:
        link = Inloglink(hash=hash_van(token), email=email, aangemaakt_op=nu,
                         verloopt_op=nu + LINK_GELDIG)
        session.add(link)
        session.flush()
        return token, link.id


@dataclass(frozen=True)
class Linkstand:
    email: str | None
    reden: str  #: 'geldig', 'onbekend', 'gebruikt', 'verlopen'


def bekijk_link(env: Omgeving, token: str) -> Linkstand:
    """What a link is (without using it), for the confirmation page."""
    if not geldig_token(token):
        return Linkstand(None, "onbekend")
    with env.db.lees() as session:
        link = session.scalar(select(Inloglink).where(Inloglink.hash == hash_van(token)))
    if link is None:
        return Linkstand(None, "onbekend")
    if link.gebruikt_op is not None:
        return Linkstand(link.email, "gebruikt")
    if clock.real_now() >= link.verloopt_op:
        return Linkstand(link.email, "verlopen")
    return Linkstand(link.email, "geldig")


def gebruik_link(env: Omgeving, token: str) -> tuple[str, str] | Linkstand:
    """Use a link once: (email, session token), or why not. Atomic: of two browsers racing with
    the same link, one wins."""
    if not geldig_token(token):
        return Linkstand(None, "onbekend")
    nu = clock.real_now()
    with env.db.schrijf() as session:
        result = session.execute(
            update(Inloglink).where(Inloglink.hash == hash_van(token),
                                    Inloglink.gebruikt_op.is_(None),
                                    Inloglink.verloopt_op > nu)
            .values(gebruikt_op=nu).execution_options(synchronize_session=False))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return bekijk_link(env, token)
        link = session.scalar(select(Inloglink).where(Inloglink.hash == hash_van(token)))
        assert link is not None
        sessie_token = nieuw_token()
        session.add(Sessie(hash=hash_van(sessie_token), email=link.email, link_id=link.id,
                           aangemaakt_op=nu, verloopt_op=nu + SESSIE_GELDIG))
        # Expired sessions of anyone: no need to keep them.
        session.execute(delete(Sessie).where(Sessie.verloopt_op < nu))
        return link.email, sessie_token


def sessie_email(env: Omgeving, token: str | None) -> str | None:
    """The signed-in address of a session cookie, or None (unknown or expired)."""
    if not token or not geldig_token(token):
        return None
    row = _SESSIE.row(env, hash=hash_van(token))
    if row is None or clock.real_now() >= aware(row[1]):
        return None
    return str(row[0])


def beeindig_sessie(env: Omgeving, token: str | None) -> None:
    if token and geldig_token(token):
        with env.db.schrijf() as session:
            session.execute(delete(Sessie).where(Sessie.hash == hash_van(token)))


def nieuw_feedgeheim(env: Omgeving, email: str) -> str:
    """A new feed secret for `email`; every earlier one is revoked."""
    token = nieuw_token()
    nu = clock.real_now()
    with env.db.schrijf() as session:
        session.execute(update(Feedgeheim)
                        .where(Feedgeheim.email == email, Feedgeheim.ingetrokken_op.is_(None))
                        .values(ingetrokken_op=nu).execution_options(synchronize_session=False))
        session.add(Feedgeheim(hash=hash_van(token), email=email, aangemaakt_op=nu))
    return token


def heeft_feedgeheim(env: Omgeving, email: str) -> bool:
    with env.db.lees() as session:
        return session.scalar(select(Feedgeheim.id).where(
            Feedgeheim.email == email, Feedgeheim.ingetrokken_op.is_(None)).limit(1)) is not None


def feed_email(env: Omgeving, token: str) -> str | None:
    """The owner of a feed secret that is not revoked."""
    if not geldig_token(token):
        return None
    row = _FEEDGEHEIM.row(env, hash=hash_van(token))
    return str(row[0]) if row is not None and row[0] is not None else None


# Every signed-in request and every calendar poll runs one of these: compiled once.
# Both kept until the next commit: the expiry is compared here, with the clock, not in the query.
_SESSIE = Prepared(select(Sessie.email, Sessie.verloopt_op)
                   .where(Sessie.hash == bindparam("hash", type_=String())), bewaren=True)
_FEEDGEHEIM = Prepared(select(Feedgeheim.email).where(
    Feedgeheim.hash == bindparam("hash", type_=String()), Feedgeheim.ingetrokken_op.is_(None)),
    bewaren=True)
