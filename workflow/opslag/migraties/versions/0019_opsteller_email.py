"""A proposal's author can have an address (`voorstel indienen --opsteller-email`): the nudges
before the submission deadline reach the author, not only a member with the same name.

Revision ID: 0019_opsteller_email
Revises: 0018_wijzigingsmelding
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_opsteller_email"
down_revision = "0018_wijzigingsmelding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voorstel") as batch:
        batch.add_column(sa.Column("opsteller_email", sa.String(320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voorstel") as batch:
        batch.drop_column("opsteller_email")
