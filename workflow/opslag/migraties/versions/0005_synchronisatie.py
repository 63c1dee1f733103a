"""Fingerprints of synchronised body definitions (table `synchronisatie`).

Revision ID: 0005_synchronisatie
Revises: 0004_samenvoegen
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0005_synchronisatie"
down_revision = "0004_samenvoegen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "synchronisatie",
        sa.Column("orgaan", sa.String(80), nullable=False),
        sa.Column("vingerafdruk", sa.String(64), nullable=False),
        sa.Column("bijgewerkt_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("orgaan", name="pk_synchronisatie"),
    )


def downgrade() -> None:
    op.drop_table("synchronisatie")
