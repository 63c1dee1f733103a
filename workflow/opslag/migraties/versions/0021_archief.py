"""The e-Depot: per meeting exported as ORI-A, the fingerprint of what was written
(archief_export), so that an export is idempotent and the weekly overview knows what is left.
On PostgreSQL it notifies its changes like every table since 0018 (it changes once per export,
not per reminder pass).

Revision ID: 0021_archief
Revises: 0020_portaaldeur
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0021_archief"
down_revision = "0020_portaaldeur"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archief_export",
        sa.Column("vergadering_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("vingerafdruk", sa.String(64), nullable=False),
        sa.Column("geexporteerd_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_archief_export_vergadering_id_vergadering"),
        sa.PrimaryKeyConstraint("vergadering_id", name="pk_archief_export"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER meld_wijziging
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON archief_export
            FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
        """)


def downgrade() -> None:
    op.drop_table("archief_export")  # its trigger goes with it
