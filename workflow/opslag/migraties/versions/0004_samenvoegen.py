"""Join the documents and outbox branches into one history again.

Revision ID: 0004_samenvoegen
Revises: 0002_documenten, 0003_berichten
"""

revision = "0004_samenvoegen"
down_revision = ("0002_documenten", "0003_berichten")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: both branches are complete on their own."""


def downgrade() -> None:
    """Nothing to undo."""
