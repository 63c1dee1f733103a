"""Applied definitions live in the database (table `definitieversie`).

A database created before this revision has no applied version yet: `besluitroute init` adopts the
folder it is given (checked against the routes and bodies in use) as version 1.

Revision ID: 0008_definitieversies
Revises: 0007_geschiedenis_momentopname
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0008_definitieversies"
down_revision = "0007_geschiedenis_momentopname"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "definitieversie",
        sa.Column("nummer", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("inhoud", sa.Text(), nullable=False),
        sa.Column("bron", sa.Text(), nullable=False),
        sa.Column("toegepast_door", sa.String(200), nullable=False),
        sa.Column("toegepast_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nummer", name="pk_definitieversie"),
    )


def downgrade() -> None:
    op.drop_table("definitieversie")
