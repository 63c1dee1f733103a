"""What was exported for the archive: per meeting, the fingerprint of its export."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.opslag.models import Base, UTCDateTime


class ArchiefExport(Base):
    """A meeting written as ORI-A: exported again only when what it holds changed."""

    __tablename__ = "archief_export"

    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), primary_key=True,
                                                autoincrement=False)
    #: SHA-256 over the names and SHA-256 of every file of the meeting's folder.
    vingerafdruk: Mapped[str] = mapped_column(String(64))
    #: The last moment it was written, aware UTC.
    geexporteerd_op: Mapped[datetime] = mapped_column(UTCDateTime())
