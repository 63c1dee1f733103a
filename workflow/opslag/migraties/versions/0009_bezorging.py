"""When a message failed for good: the weekly overview lists the failures of its week.

Revision ID: 0009_bezorging
Revises: 0008_definitieversies
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0009_bezorging"
down_revision = "0008_definitieversies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bericht") as batch:
        batch.add_column(sa.Column("mislukt_op", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bericht") as batch:
        batch.drop_column("mislukt_op")
