"""Outbox for reminders and agenda mailings: table `bericht`.

Revision ID: 0003_berichten
Revises: 0001_kern
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0003_berichten"
down_revision = "0001_kern"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bericht",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("sleutel", sa.String(400), nullable=False),
        sa.Column("soort", sa.String(40), nullable=False),
        sa.Column("vergadering", sa.String(120), nullable=True),
        sa.Column("vergadering_begin", UTCDateTime(), nullable=True),
        sa.Column("aan", sa.Text, nullable=False),
        sa.Column("onderwerp", sa.String(300), nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pogingen", sa.Integer, nullable=False),
        sa.Column("volgende_poging", UTCDateTime(), nullable=False),
        sa.Column("laatste_fout", sa.Text, nullable=True),
        sa.Column("geclaimd_op", UTCDateTime(), nullable=True),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.Column("verzonden_op", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_bericht"),
        sa.UniqueConstraint("sleutel", name="uq_bericht_sleutel"),
    )
    op.create_index("ix_bericht_status_volgende_poging", "bericht",
                    ["status", "volgende_poging"])
    op.create_index("ix_bericht_vergadering", "bericht", ["vergadering"])


def downgrade() -> None:
    op.drop_index("ix_bericht_vergadering", table_name="bericht")
    op.drop_index("ix_bericht_status_volgende_poging", table_name="bericht")
    op.drop_table("bericht")
