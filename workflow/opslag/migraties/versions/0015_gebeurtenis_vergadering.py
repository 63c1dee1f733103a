"""An index on the history by meeting: every planner pass asks which outcomes were recorded at
the meetings whose publications it plans (workflow.openbaarheid.publiceren), and removing a
meeting checks the history's foreign key. Without it both read every history row (746,000 in the
national benchmark: a removal of 10,000 meetings took minutes on PostgreSQL).

Revision ID: 0015_gebeurtenis_vergadering
Revises: 0014_zoektekst
"""

from alembic import op

revision = "0015_gebeurtenis_vergadering"
down_revision = "0014_zoektekst"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_gebeurtenis_vergadering_id", "gebeurtenis", ["vergadering_id"])


def downgrade() -> None:
    op.drop_index("ix_gebeurtenis_vergadering_id", table_name="gebeurtenis")
