"""The database tables. The database holds the truth; definitions and machines are derived."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints: Alembic's batch mode on SQLite rebuilds tables and loses unnamed ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC. SQLite's DateTime(timezone=True) would drop the offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text from a hand-written query
            value = datetime.fromisoformat(value)
        moment: datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


def _zoektekst(context: Any) -> str:
    """Default for an insert that does not set it (a bulk insert of rows, say)."""
    from workflow.basis.tekst import zoektekst

    rij = context.get_current_parameters()
    return zoektekst(str(rij.get("kenmerk") or ""), str(rij.get("titel") or ""))


class Voorstel(Base):
    """A proposal on its route. `toestand` is the route machine's state."""

    __tablename__ = "voorstel"
    __table_args__ = (Index("ix_voorstel_toestand", "toestand"),
                      # The portal's search starts from what a member may see: by commission too.
                      Index("ix_voorstel_in_opdracht_van", "in_opdracht_van"),
                      # `voorstel lijst --orgaan`: its count and its page from the index alone.
                      Index("ix_voorstel_route_toestand", "route", "toestand", "ingediend_op",
                            "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kenmerk: Mapped[str] = mapped_column(String(20), unique=True)
    titel: Mapped[str] = mapped_column(Text)
    #: Kenmerk and title with case and accents folded (basis.tekst.zoektekst), set by the acts
    #: that set or change a title: the portal's search is a LIKE on this column, the same on
    #: SQLite and PostgreSQL, with no function on the column (a trigram index can serve it).
    zoektekst: Mapped[str] = mapped_column(Text, default=_zoektekst)
    aan: Mapped[str] = mapped_column(Text, default="")
    van: Mapped[str] = mapped_column(Text, default="")
    opsteller: Mapped[str] = mapped_column(String(200))
    in_opdracht_van: Mapped[str] = mapped_column(String(200), default="")
    route: Mapped[str] = mapped_column(String(80))
    toestand: Mapped[str] = mapped_column(String(120))
    #: Concept or Definitief, as in the seed header.
    documentstatus: Mapped[str] = mapped_column(String(20), default="Concept")
    versie: Mapped[str] = mapped_column(String(80), default="1")
    #: A subject tag, such as `regioagenda`, that cadence duties count.
    onderwerp: Mapped[str | None] = mapped_column(String(80), nullable=True)
    #: The meeting it is on now (denormalised from agendapunt for fast listing per body).
    vergadering_id: Mapped[int | None] = mapped_column(
        ForeignKey("vergadering.id"), nullable=True, index=True
    )
    ingediend_op: Mapped[datetime] = mapped_column(UTCDateTime())
    gewijzigd_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Optimistic locking: a stale writer gets StaleDataError, shown as a conflict.
    wijzigingsnummer: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": wijzigingsnummer}  # noqa: RUF012 - SQLAlchemy API

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

    `inhoud` is a JSON snapshot (workflow.agenda.momentopname) of the agenda as mailed; the next
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
    """One applied version of the definitions (organen/ and routes/): the source the database
    works from. Every command reads the newest row; a change is a new row, never an edit."""

    __tablename__ = "definitieversie"

    #: 1, 2, 3, ... in the order they were applied.
    nummer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: SHA-256 of the content: the key of the definitions cache and of the comparison with a folder.
    hash: Mapped[str] = mapped_column(String(64))
    #: The YAML files as JSON {"organen/aoj.yaml": "<text>", ...}: exactly what was validated.
    inhoud: Mapped[str] = mapped_column(Text)
    #: The folder it was applied from, as given (for the listing only).
    bron: Mapped[str] = mapped_column(Text, default="")
    toegepast_door: Mapped[str] = mapped_column(String(200))
    toegepast_op: Mapped[datetime] = mapped_column(UTCDateTime())
