"""The publication tables: every publication is a recorded act; an exception keeps a proposal's
documents closed on a Woo ground."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.opslag.models import Base, UTCDateTime


class Publicatie(Base):
    """One document made public: a meeting's agenda or decision list, or a proposal's documents
    for one meeting."""

    __tablename__ = "publicatie"
    __table_args__ = (
        # Covering, for the portal's search: whose documents are public at a moment.
        Index("ix_publicatie_soort_voorstel", "soort", "voorstel_id", "gepubliceerd_op",
              "ingetrokken_op"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: `agenda:<vergadering id>`, `stukken:<vergadering id>:<voorstel id>`,
    #: `besluitenlijst:<vergadering id>`: at most one publication each (the pass is idempotent).
    sleutel: Mapped[str] = mapped_column(String(200), unique=True)
    #: agenda, stukken or besluitenlijst.
    soort: Mapped[str] = mapped_column(String(20))
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    voorstel_id: Mapped[int | None] = mapped_column(ForeignKey("voorstel.id"), nullable=True,
                                                    index=True)
    #: The moment the rules set, aware UTC.
    gepland_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The moment it went public (the pass's `--nu`), aware UTC.
    gepubliceerd_op: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when an exception withdrew it: OParl shows the object as deleted.
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Last change of the row: OParl's `modified` and the `modified_since` filter.
    gewijzigd_op: Mapped[datetime] = mapped_column(UTCDateTime())
    door: Mapped[str] = mapped_column(String(200))


class Uitzondering(Base):
    """A proposal whose documents are never published, with its Woo ground (art. 5.1/5.2)."""

    __tablename__ = "publicatie_uitzondering"

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"), index=True)
    #: A key of workflow.definities.publicatie.WOO_GRONDEN, such as 5.1.2.e.
    grond: Mapped[str] = mapped_column(String(20))
    toelichting: Mapped[str] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(200))
    #: The moment acted as, aware UTC.
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime())


