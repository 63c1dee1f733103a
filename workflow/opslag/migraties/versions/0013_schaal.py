"""The inputs' fingerprint beside each agenda snapshot: a reminder pass composes a sent meeting's
agenda again only when what the agenda is made of changed since. And an index on the outbox by
meeting and kind, so "was this meeting's agenda sent?" is a probe, not a scan of every message.

Revision ID: 0013_schaal
Revises: 0012_openbaarheid
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_schaal"
down_revision = "0012_openbaarheid"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agendaverzending") as batch:
        batch.add_column(sa.Column("vingerafdruk", sa.String(64), nullable=True))
    op.create_index("ix_bericht_vergadering_soort", "bericht", ["vergadering", "soort"])


def downgrade() -> None:
    op.drop_index("ix_bericht_vergadering_soort", table_name="bericht")
    with op.batch_alter_table("agendaverzending") as batch:
        batch.drop_column("vingerafdruk")
