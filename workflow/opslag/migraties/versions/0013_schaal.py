"""The inputs' fingerprint beside each agenda snapshot: a reminder pass composes a sent meeting's
agenda again only when what the agenda is made of changed since.

Revision ID: 0013_schaal
Revises: 0011_portaal
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_schaal"
down_revision = "0011_portaal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agendaverzending") as batch:
        batch.add_column(sa.Column("vingerafdruk", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agendaverzending") as batch:
        batch.drop_column("vingerafdruk")
