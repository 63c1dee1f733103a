"""The portal's sign-in links, sessions and calendar feed secrets (hashes only).

Revision ID: 0011_portaal
Revises: 0010_aanvulling
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0011_portaal"
down_revision = "0010_aanvulling"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portaal_inloglink",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.Column("verloopt_op", UTCDateTime(), nullable=False),
        sa.Column("gebruikt_op", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portaal_inloglink"),
        sa.UniqueConstraint("hash", name="uq_portaal_inloglink_hash"),
    )
    op.create_table(
        "portaal_sessie",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("link_id", sa.Integer, nullable=True),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.Column("verloopt_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["portaal_inloglink.id"],
                                name="fk_portaal_sessie_link_id_portaal_inloglink"),
        sa.PrimaryKeyConstraint("id", name="pk_portaal_sessie"),
        sa.UniqueConstraint("hash", name="uq_portaal_sessie_hash"),
    )
    op.create_table(
        "portaal_feedgeheim",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.Column("ingetrokken_op", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portaal_feedgeheim"),
        sa.UniqueConstraint("hash", name="uq_portaal_feedgeheim_hash"),
    )
    op.create_index("ix_portaal_feedgeheim_email", "portaal_feedgeheim", ["email"])


def downgrade() -> None:
    op.drop_index("ix_portaal_feedgeheim_email", table_name="portaal_feedgeheim")
    op.drop_table("portaal_feedgeheim")
    op.drop_table("portaal_sessie")
    op.drop_table("portaal_inloglink")
