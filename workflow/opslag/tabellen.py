"""The tables a read-only command selects from without the ORM, and what every table shares.

`voorstel lijst` prints columns of `voorstel` and reads the applied definitions version from
`definitieversie`; it maps no rows. Importing the ORM (`sqlalchemy.orm`) and declaring every
mapped class (`workflow.opslag.models`) cost about as much as the rest of its start-up together
(120-130 ms of `python -X importtime` on the benchmark machine), so these two tables are declared
here in Core, and the mapped classes `Voorstel` and `Definitieversie` map onto them
(`__table__`). Everything else is declared in `workflow.opslag.models` as before.

This module imports nothing of the ORM: a test holds it to that.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

# Named constraints: Alembic's batch mode on SQLite rebuilds tables and loses unnamed ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Every table of besluitroute, Core and mapped alike (models.Base uses it).
METADATA = MetaData(naming_convention=NAMING_CONVENTION)


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


def _zoektekst(context: Any) -> str:
    """Default for an insert that does not set it (a bulk insert of rows, say)."""
    from workflow.basis.tekst import zoektekst

    rij = context.get_current_parameters()
    return zoektekst(str(rij.get("kenmerk") or ""), str(rij.get("titel") or ""))


#: A proposal on its route (mapped as models.Voorstel). `toestand` is the route machine's state.
VOORSTEL = Table(
    "voorstel", METADATA,
    Column("id", Integer, primary_key=True),
    Column("kenmerk", String(20), unique=True, nullable=False),
    Column("titel", Text, nullable=False),
    # Kenmerk and title with case and accents folded (basis.tekst.zoektekst), set by the acts
    # that set or change a title: the portal's search is a LIKE on this column, the same on
    # SQLite and PostgreSQL, with no function on the column (a trigram index can serve it).
    Column("zoektekst", Text, nullable=False, default=_zoektekst),
    Column("aan", Text, nullable=False, default=""),
    Column("van", Text, nullable=False, default=""),
    Column("opsteller", String(200), nullable=False),
    # The author's address when the secretariat knows it (`--opsteller-email`): nudges go there.
    Column("opsteller_email", String(320), nullable=True),
    Column("in_opdracht_van", String(200), nullable=False, default=""),
    Column("route", String(80), nullable=False),
    Column("toestand", String(120), nullable=False),
    # Concept or Definitief, as in the seed header.
    Column("documentstatus", String(20), nullable=False, default="Concept"),
    Column("versie", String(80), nullable=False, default="1"),
    # A subject tag, such as `regioagenda`, that cadence duties count.
    Column("onderwerp", String(80), nullable=True),
    # The meeting it is on now (denormalised from agendapunt for fast listing per body).
    Column("vergadering_id", ForeignKey("vergadering.id"), nullable=True, index=True),
    Column("ingediend_op", UTCDateTime(), nullable=False),
    Column("gewijzigd_op", UTCDateTime(), nullable=False),
    # Optimistic locking: a stale writer gets StaleDataError, shown as a conflict.
    Column("wijzigingsnummer", Integer, nullable=False),
    Index("ix_voorstel_toestand", "toestand"),
    # The portal's search starts from what a member may see: by commission too.
    Index("ix_voorstel_in_opdracht_van", "in_opdracht_van"),
    # `voorstel lijst --orgaan`: its count and its page from the index alone.
    Index("ix_voorstel_route_toestand", "route", "toestand", "ingediend_op", "id"),
)

#: One applied version of the definitions (organen/ and routes/): the source the database works
#: from (mapped as models.Definitieversie). Every command reads the newest row; a change is a
#: new row, never an edit.
DEFINITIEVERSIE = Table(
    "definitieversie", METADATA,
    # 1, 2, 3, ... in the order they were applied.
    Column("nummer", Integer, primary_key=True, autoincrement=False),
    # SHA-256 of the content: the key of the definitions cache and of the comparison with a
    # folder.
    Column("hash", String(64), nullable=False),
    # The YAML files as JSON {"organen/aoj.yaml": "<text>", ...}: exactly what was validated.
    Column("inhoud", Text, nullable=False),
    # The folder it was applied from, as given (for the listing only).
    Column("bron", Text, nullable=False, default=""),
    Column("toegepast_door", String(200), nullable=False),
    Column("toegepast_op", UTCDateTime(), nullable=False),
)
