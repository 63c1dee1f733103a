"""The branches of a group step in the database: one row per branch per round (table `tak`).

The route machine keeps one state per step (`<groep>:verzonden`); which adviser or council answered,
when, with which text, and whether on time, is kept here (see workflow.routes.machine).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.opslag.models import Base, UTCDateTime, Vergadering


class Takstatus:
    """The life of a branch: open until answered; closed unanswered at the end of its period
    (verlopen); cancelled by a referral back or a withdrawal (vervallen)."""

    OPEN = "open"
    BEANTWOORD = "beantwoord"
    VERLOPEN = "verlopen"
    VERVALLEN = "vervallen"


class Tak(Base):
    """One branch of a proposal's group step: an adviser (tegelijk) or a council (zienswijze)."""

    __tablename__ = "tak"
    __table_args__ = (
        UniqueConstraint("voorstel_id", "stap", "tak", "ronde",
                         name="uq_tak_voorstel_stap_tak_ronde"),
        # The reminder pass and the join look up the open branches whose period ends soon.
        Index("ix_tak_status_termijn", "status", "termijn_eind"),
        # The reminder pass looks up the griffies to remind now.
        Index("ix_tak_herinneren_op", "herinneren_op"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"), index=True)
    #: The group step's id in the route.
    stap: Mapped[str] = mapped_column(String(80))
    #: The branch: the adviser's body key (tegelijk) or the participant's key (zienswijze).
    tak: Mapped[str] = mapped_column(String(80))
    #: The body that answers (the council's key for a zienswijze).
    orgaan: Mapped[str] = mapped_column(String(80))
    #: 1, then 2, ... each time the step is dispatched again after a referral back.
    ronde: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20))
    #: The moment the proposal went to this branch, aware UTC.
    verzonden_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The end of the period (zienswijze, or a tegelijk step with `termijn_dagen`), aware UTC.
    termijn_eind: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The branch body's meeting the planner chose (a council's last meeting in the period).
    vergadering_id: Mapped[int | None] = mapped_column(ForeignKey("vergadering.id"),
                                                      nullable=True)
    #: geen-bezwaar / zienswijze, or an advice outcome (positief, negatief, ...).
    uitkomst: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tekst: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The document registered with the answer (its file name among the proposal's documents).
    bijlage: Mapped[str | None] = mapped_column(String(255), nullable=True)
    #: The moment acted as when the answer was recorded, aware UTC.
    beantwoord_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Answered after the period ended: recorded, and marked so on the AB's agenda.
    te_laat: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the griffie is reminded: a week before its council's submission deadline for the
    #: planned meeting (None: no meeting in the period, or that week had begun at dispatch).
    herinneren_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The griffie's reminder before its council's submission deadline went out (once).
    herinnerd_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    vergadering: Mapped[Vergadering | None] = relationship(lazy="joined")
