"""The tables of attendance and votes. Both are append-only: a correction is a new version, the
highest version counts, and the earlier ones are the history of what was recorded when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.opslag.models import Base, UTCDateTime


class Presentielijst(Base):
    """One recorded version of who attended a meeting (`vergadering aanwezig`)."""

    __tablename__ = "presentielijst"
    __table_args__ = (UniqueConstraint("vergadering_id", "versie",
                                       name="uq_presentielijst_vergadering_versie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    #: 1, 2, ...: two secretaries correcting at once collide on the unique key; one wins.
    versie: Mapped[int] = mapped_column(Integer)
    #: Gemeentewet art. 20 (2): this meeting was convened again for one that lacked a quorum.
    herhaalt_vergadering_id: Mapped[int | None] = mapped_column(ForeignKey("vergadering.id"),
                                                                nullable=True)
    door: Mapped[str] = mapped_column(String(200))
    #: The moment acted as (`--nu`), aware UTC.
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The real moment of recording, aware UTC.
    geregistreerd_op: Mapped[datetime] = mapped_column(UTCDateTime())

    regels: Mapped[list[Presentie]] = relationship(order_by="Presentie.id", lazy="selectin",
                                                   cascade="all, delete-orphan")


class Presentie(Base):
    """One person on a presentielijst: a member present or absent, or a substitute."""

    __tablename__ = "presentie"

    id: Mapped[int] = mapped_column(primary_key=True)
    presentielijst_id: Mapped[int] = mapped_column(ForeignKey("presentielijst.id"), index=True)
    #: aanwezig, afwezig or vervanger (workflow.besluitvorming.aanwezigheid.Hoedanigheid).
    hoedanigheid: Mapped[str] = mapped_column(String(20))
    #: The member's name as in the definitions; for a substitute the substitute's own name.
    naam: Mapped[str] = mapped_column(String(200))
    #: For a substitute: the member stood in for.
    namens: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: For an absent member: the reason given (not public).
    reden: Mapped[str | None] = mapped_column(Text, nullable=True)


class Stemming(Base):
    """One recorded version of the vote on a beslispunt at a meeting (`voorstel stemming`)."""

    __tablename__ = "stemming"
    __table_args__ = (UniqueConstraint("vergadering_id", "voorstel_id", "beslispunt", "versie",
                                       name="uq_stemming_punt_versie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"), index=True)
    #: The beslispunt's volgnummer.
    beslispunt: Mapped[int] = mapped_column(Integer)
    versie: Mapped[int] = mapped_column(Integer)
    #: Adopted without a vote (by acclamation): no votes below.
    zonder_stemming: Mapped[bool] = mapped_column(Boolean, default=False)
    #: aangenomen, verworpen or staken (workflow.besluitvorming.stemming.Uitslag).
    uitslag: Mapped[str] = mapped_column(String(20))
    voor: Mapped[int] = mapped_column(Integer, default=0)
    tegen: Mapped[int] = mapped_column(Integer, default=0)
    #: All members of the body were present (a tie then rejects at once; Gemeentewet art. 32).
    voltallig: Mapped[bool] = mapped_column(Boolean, default=False)
    door: Mapped[str] = mapped_column(String(200))
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime())
    geregistreerd_op: Mapped[datetime] = mapped_column(UTCDateTime())

    stemmen: Mapped[list[Stem]] = relationship(order_by="Stem.id", lazy="selectin",
                                               cascade="all, delete-orphan")


class Stem(Base):
    """How one member voted, with the weight the definitions gave the member then."""

    __tablename__ = "stem"

    id: Mapped[int] = mapped_column(primary_key=True)
    stemming_id: Mapped[int] = mapped_column(ForeignKey("stemming.id"), index=True)
    #: The member (as in the definitions) whose vote it is.
    lid: Mapped[str] = mapped_column(String(200))
    #: Who cast it: the member, or their substitute.
    door_naam: Mapped[str] = mapped_column(String(200))
    #: voor, tegen or onthouden.
    keuze: Mapped[str] = mapped_column(String(20))
    gewicht: Mapped[int] = mapped_column(Integer)
