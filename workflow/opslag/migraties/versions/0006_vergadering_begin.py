"""Index meetings by start time alone, for time windows across all bodies.

Revision ID: 0006_vergadering_begin
Revises: 0005_synchronisatie
"""

from alembic import op

revision = "0006_vergadering_begin"
down_revision = "0005_synchronisatie"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_vergadering_begin", "vergadering", ["begin"])


def downgrade() -> None:
    op.drop_index("ix_vergadering_begin", table_name="vergadering")
