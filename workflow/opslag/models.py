"""The database tables. The database holds the truth; definitions and machines are derived."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from workflow.opslag.tabellen import DEFINITIEVERSIE, METADATA, VOORSTEL
from workflow.opslag.tabellen import NAMING_CONVENTION as NAMING_CONVENTION  # the migrations'
from workflow.opslag.tabellen import UTCDateTime as UTCDateTime  # the migrations' and others'


class Base(DeclarativeBase):
    metadata = METADATA


class Vergadering(Base):
    """A meeting of a body: synchronised from definities/, then moved or cancelled by hand."""

    __tablename__ = "vergadering"
    __table_args__ = (Index("ix_vergadering_orgaan_begin", "orgaan", "begin"),
                      # Reminder passes and calendars look up a time window across all bodies.
                      Index("ix_vergadering_begin", "begin"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identity from the date first scheduled: the calendar UID survives a move.
    sleutel: Mapped[str] = mapped_column(String(120), unique=True)
    orgaan: Mapped[str] = mapped_column(String(80))
    #: The current start, aware UTC.
    begin: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The start it had when first synchronised; differs after a move.
    oorspronkelijk_begin: Mapped[datetime] = mapped_column(UTCDateTime())
    plaats: Mapped[str] = mapped_column(String(200), default="")
    geannuleerd: Mapped[bool] = mapped_column(Boolean, default=False)
    opmerking: Mapped[str] = mapped_column(Text, default="")
    #: Set once the secretariat moved or cancelled it: synchronisation leaves it alone then.
    handmatig: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped by every change, so calendar clients see a newer SEQUENCE.
    volgnummer: Mapped[int] = mapped_column(Integer, default=0)


class Voorstel(Base):
    """A proposal on its route. `toestand` is the route machine's state. Its table is declared in
    Core (workflow.opslag.tabellen), for the listing that selects from it without the ORM."""

    __table__ = VOORSTEL

    id: Mapped[int]
    kenmerk: Mapped[str]
    titel: Mapped[str]
    zoektekst: Mapped[str]
    aan: Mapped[str]
    van: Mapped[str]
    opsteller: Mapped[str]
    opsteller_email: Mapped[str | None]
    in_opdracht_van: Mapped[str]
    route: Mapped[str]
    toestand: Mapped[str]
    documentstatus: Mapped[str]
    versie: Mapped[str]
    onderwerp: Mapped[str | None]
    vergadering_id: Mapped[int | None]
    ingediend_op: Mapped[datetime]
    gewijzigd_op: Mapped[datetime]
    wijzigingsnummer: Mapped[int]

    __mapper_args__ = {"version_id_col": VOORSTEL.c.wijzigingsnummer}  # noqa: RUF012 - SQLAlchemy API

    vergadering: Mapped[Vergadering | None] = relationship(lazy="raise_on_sql")
    beslispunten: Mapped[list[Beslispunt]] = relationship(
        back_populates="voorstel", order_by="Beslispunt.volgnummer", lazy="raise_on_sql",
        cascade="all, delete-orphan",
    )


class Beslispunt(Base):
    """One decision point ("Verzoek is om in te stemmen met: ...")."""

    __tablename__ = "beslispunt"
    __table_args__ = (UniqueConstraint("voorstel_id", "volgnummer",
                                       name="uq_beslispunt_voorstel_volgnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"))
    volgnummer: Mapped[int] = mapped_column(Integer)
    tekst: Mapped[str] = mapped_column(Text)
    #: aangenomen / gewijzigd aangenomen / verworpen, once the deciding body decided.
    besluit: Mapped[str | None] = mapped_column(String(40), nullable=True)

    voorstel: Mapped[Voorstel] = relationship(back_populates="beslispunten")


class Agendapunt(Base):
    """A proposal on a meeting for one step of its route."""

    __tablename__ = "agendapunt"
    __table_args__ = (
        UniqueConstraint("vergadering_id", "voorstel_id", "stap",
                         name="uq_agendapunt_vergadering_voorstel_stap"),
        Index("ix_agendapunt_voorstel", "voorstel_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"))
    stap: Mapped[str] = mapped_column(String(80))
    rol: Mapped[str] = mapped_column(String(20))
    #: gepland (later step of a plan), geagendeerd (current), behandeld, vervallen.
    status: Mapped[str] = mapped_column(String(20))
    uitkomst: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tekst: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: Put on after the submission deadline (nagekomen), with the secretariat's consent.
    nagekomen: Mapped[bool] = mapped_column(Boolean, default=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())

    vergadering: Mapped[Vergadering] = relationship(lazy="joined")


class Gebeurtenis(Base):
    """Append-only history: who recorded what, when, at which meeting, with which text.

    The migration installs database triggers that refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "gebeurtenis"
    __table_args__ = (Index("ix_gebeurtenis_voorstel", "voorstel_id", "id"),
                      Index("ix_gebeurtenis_vergadering_id", "vergadering_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"))
    #: The moment acted as (`--nu`), aware UTC.
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The real moment of recording, aware UTC.
    geregistreerd_op: Mapped[datetime] = mapped_column(UTCDateTime())
    door: Mapped[str] = mapped_column(String(200))
    handeling: Mapped[str] = mapped_column(String(40))
    van_toestand: Mapped[str | None] = mapped_column(String(120), nullable=True)
    naar_toestand: Mapped[str | None] = mapped_column(String(120), nullable=True)
    vergadering_id: Mapped[int | None] = mapped_column(ForeignKey("vergadering.id"),
                                                      nullable=True)
    uitkomst: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tekst: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the row referred to, as it was when recorded: a meeting moved or a body renamed later
    # must not change the meaning of history. Rows from before migration 0007 were filled from the
    # meeting data of that moment (best effort); their title is empty.
    #: The meeting's body (key), as it was then.
    orgaan: Mapped[str | None] = mapped_column(String(80), nullable=True)
    #: The meeting's start, aware UTC, as it was then.
    vergadering_begin: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: The meeting's title (the body's name) as it was then.
    vergadering_titel: Mapped[str | None] = mapped_column(String(200), nullable=True)

    vergadering: Mapped[Vergadering | None] = relationship(lazy="joined")


class Kenmerkteller(Base):
    """The last kenmerk number handed out per year (2026-001, 2026-002, ...)."""

    __tablename__ = "kenmerkteller"

    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    laatste: Mapped[int] = mapped_column(Integer)


class Synchronisatie(Base):
    """Per body, the fingerprint of its definition when its meetings were last synchronised.

    A reminder pass or listing synchronises meetings; with 400 bodies, expanding every calendar
    each time would dominate. An unchanged fingerprint means nothing to do for that body.
    """

    __tablename__ = "synchronisatie"

    orgaan: Mapped[str] = mapped_column(String(80), primary_key=True)
    vingerafdruk: Mapped[str] = mapped_column(String(64))
    bijgewerkt_op: Mapped[datetime] = mapped_column(UTCDateTime())


class Agendaverzending(Base):
    """What the members were sent of a meeting's agenda: the first dispatch and each aanvulling.

    `inhoud` is a JSON snapshot (workflow.agenda.aanvulling.momentopname) of the agenda as mailed; the next
    reminder pass compares the agenda now with the last row and mails the members what changed.
    """

    __tablename__ = "agendaverzending"
    __table_args__ = (UniqueConstraint("vergadering_id", "volgnummer",
                                       name="uq_agendaverzending_vergadering_volgnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    #: 1 for the agenda, 2, 3, ... for each aanvulling.
    volgnummer: Mapped[int] = mapped_column(Integer)
    #: The agenda file version (agenda_uitvoer.versie, html) that went with this mail.
    agendaversie: Mapped[int] = mapped_column(Integer)
    inhoud: Mapped[str] = mapped_column(Text)
    #: The moment acted as, aware UTC.
    verzonden_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: SHA-256 of what the agenda was composed from (workflow.berichten.agendapost.vingerafdrukken)
    #: when it was last compared with `inhoud`: unchanged, the pass does not compose it again.
    vingerafdruk: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Plannerstand(Base):
    """When the last reminder pass ran (one row, naam 'ronde'): a reminder whose whole window
    fell between two passes was skipped by downtime and is reported to the secretariat."""

    __tablename__ = "plannerstand"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    laatste_ronde: Mapped[datetime] = mapped_column(UTCDateTime())


class Definitieversie(Base):
    """One applied version of the definitions (table: workflow.opslag.tabellen)."""

    __table__ = DEFINITIEVERSIE

    nummer: Mapped[int]
    hash: Mapped[str]
    inhoud: Mapped[str]
    bron: Mapped[str]
    toegepast_door: Mapped[str]
    toegepast_op: Mapped[datetime]
