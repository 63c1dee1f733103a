"""Indexes for the portal's search, which starts from the proposals a visitor may see: those on
a meeting of their body, commissioned by it, or whose documents are public. Without them the last
two read every proposal (110,000 in the national benchmark) and every publication per search.

Revision ID: 0016_zoeken
Revises: 0015_gebeurtenis_vergadering
"""

from alembic import op

revision = "0016_zoeken"
down_revision = "0015_gebeurtenis_vergadering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_voorstel_in_opdracht_van", "voorstel", ["in_opdracht_van"])
    # Covering: which proposals' documents are public at a moment, without reading the rows.
    op.create_index("ix_publicatie_soort_voorstel", "publicatie",
                    ["soort", "voorstel_id", "gepubliceerd_op", "ingetrokken_op"])


def downgrade() -> None:
    op.drop_index("ix_publicatie_soort_voorstel", table_name="publicatie")
    op.drop_index("ix_voorstel_in_opdracht_van", table_name="voorstel")
