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
    # A nullable column: SQLite adds it in place (a batch rebuild would trip over the rows that
    # refer to the proposals).
    op.add_column("voorstel", sa.Column("opsteller_email", sa.String(320), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place.
    op.drop_column("voorstel", "opsteller_email")
