"""`voorstel lijst --orgaan` selects by route and state and pages newest first: one index on
(route, toestand, ingediend_op, id) answers the count and the page from the index (on SQLite at
10,000 proposals of one body: the count 6.5 -> 1.4 ms, the page 8.2 -> 0.4 ms). It starts with
the route, so it replaces the index on the route alone.

Revision ID: 0017_lijst_per_orgaan
Revises: 0016_zoeken
"""

from alembic import op

revision = "0017_lijst_per_orgaan"
down_revision = "0016_zoeken"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_voorstel_route_toestand", "voorstel",
                    ["route", "toestand", "ingediend_op", "id"])
    op.drop_index("ix_voorstel_route", table_name="voorstel")


def downgrade() -> None:
    op.create_index("ix_voorstel_route", "voorstel", ["route"])
    op.drop_index("ix_voorstel_route_toestand", table_name="voorstel")
