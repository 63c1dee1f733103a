"""The outbox table (`bericht`): one email with its state, and how the log names one.

The life of a row (making, sending, retrying) is in workflow.berichten.uitgaand.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflow.opslag.models import Base, UTCDateTime, Vergadering


class Status(StrEnum):
    WACHTEND = "wachtend"  #: pending: to be sent at `volgende_poging`
    BEZIG = "bezig"  #: claimed by a sender
    VERZONDEN = "verzonden"  #: sent
    MISLUKT = "mislukt"  #: failed for good; `berichten opnieuw ID` puts it back
    VERVALLEN = "vervallen"  #: its meeting moved or was cancelled before it was sent
    #: Never sent: its whole window fell while no pass ran; listed in the weekly overview.
    OVERGESLAGEN = "overgeslagen"


class Bericht(Base):
    """One email in the outbox."""

    __tablename__ = "bericht"
    __table_args__ = (Index("ix_bericht_status_volgende_poging", "status", "volgende_poging"),
                      # "was this meeting's agenda sent?" probes per meeting (agendapost, ronde)
                      Index("ix_bericht_vergadering_soort", "vergadering", "soort"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Deterministic key (kind, meeting cycle, recipient): a reminder is created once.
    sleutel: Mapped[str] = mapped_column(String(400), unique=True)
    #: The reminder kind (aanleveren, agenda, ...), for listing.
    soort: Mapped[str] = mapped_column(String(40))
    #: The meeting it is about; a pending message of a moved or cancelled meeting lapses.
    vergadering: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    #: The meeting's start when the message was made, to recognise a move.
    vergadering_begin: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Normalised addresses (a JSON list); `ontvangers` is them as one header line.
    aan: Mapped[list[str]] = mapped_column(JSON)
    #: One line, never a newline: it becomes a header.
    onderwerp: Mapped[str] = mapped_column(String(300))
    tekst: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    #: Generated once; every retry reuses it, so a duplicate is recognisable.
    message_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    #: Not before this moment (backoff after a failure).
    volgende_poging: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The error of the last failed attempt (`wachtend`, `mislukt`); None once it is sent.
    laatste_fout: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: A note that is no error: what the server said on accepting it, why it lapsed or why no
    #: pass could make it.
    opmerking: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: A skipped reminder (`overgeslagen`): the moment it was due.
    verschuldigd_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: When the sender that holds it claimed it; an old claim is a crashed sender.
    geclaimd_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())
    verzonden_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: When it became `mislukt`: the weekly overview lists the failures of its week.
    mislukt_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The From header for this message (the body's secretary by default); None: the pass's.
    afzender: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: JSON list of files to attach: [{"naam", "pad", "sha256", "grootte"}]; checked on sending.
    bijlagen: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def ontvangers(self) -> str:
        """The recipients as a To header and as a person reads them."""
        return ", ".join(self.aan)


def mislukt_sinds(session: Session, sinds: datetime) -> list[tuple[Bericht, str | None]]:
    """Messages that failed for good since `sinds` and are still failed, oldest first, each
    with the body (orgaan) of its meeting, if any."""
    rows = session.execute(
        select(Bericht, Vergadering.orgaan)
        .outerjoin(Vergadering, Vergadering.sleutel == Bericht.vergadering)
        .where(Bericht.status == Status.MISLUKT.value, Bericht.mislukt_op >= sinds)
        .order_by(Bericht.mislukt_op, Bericht.id).limit(500))
    return [(bericht, orgaan) for bericht, orgaan in rows]


def beschrijf(bericht: Bericht) -> str:
    """The message as the log names it, so an administrator can find it in the outbox, in the
    mail server's log and in a recipient's mailbox: `bericht 12 (herinnering, vergadering
    ab-platform-jeugd-2021-07-02, Message-ID <...>)`."""
    delen = [bericht.soort]
    if bericht.vergadering:
        delen.append(f"vergadering {bericht.vergadering}")
    delen.append(f"Message-ID {bericht.message_id}")
    return f"bericht {bericht.id} ({', '.join(delen)})"
