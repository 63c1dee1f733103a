"""Woo publication: what went public when (publicatie), and the documents kept closed with their
ground (publicatie_uitzondering).

Revision ID: 0012_openbaarheid
Revises: 0011_portaal
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0012_openbaarheid"
down_revision = "0011_portaal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publicatie",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("sleutel", sa.String(200), nullable=False),
        sa.Column("soort", sa.String(20), nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=True),
        sa.Column("gepland_op", UTCDateTime(), nullable=False),
        sa.Column("gepubliceerd_op", UTCDateTime(), nullable=False),
        sa.Column("ingetrokken_op", UTCDateTime(), nullable=True),
        sa.Column("gewijzigd_op", UTCDateTime(), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_publicatie_vergadering_id_vergadering"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_publicatie_voorstel_id_voorstel"),
        sa.PrimaryKeyConstraint("id", name="pk_publicatie"),
        sa.UniqueConstraint("sleutel", name="uq_publicatie_sleutel"),
    )
    op.create_index("ix_publicatie_vergadering_id", "publicatie", ["vergadering_id"])
    op.create_index("ix_publicatie_voorstel_id", "publicatie", ["voorstel_id"])
    op.create_table(
        "publicatie_uitzondering",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("grond", sa.String(20), nullable=False),
        sa.Column("toelichting", sa.Text, nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("tijdstip", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_publicatie_uitzondering_voorstel_id_voorstel"),
        sa.PrimaryKeyConstraint("id", name="pk_publicatie_uitzondering"),
    )
    op.create_index("ix_publicatie_uitzondering_voorstel_id", "publicatie_uitzondering",
                    ["voorstel_id"])


def downgrade() -> None:
    op.drop_index("ix_publicatie_uitzondering_voorstel_id", table_name="publicatie_uitzondering")
    op.drop_table("publicatie_uitzondering")
    op.drop_index("ix_publicatie_voorstel_id", table_name="publicatie")
    op.drop_index("ix_publicatie_vergadering_id", table_name="publicatie")
    op.drop_table("publicatie")
