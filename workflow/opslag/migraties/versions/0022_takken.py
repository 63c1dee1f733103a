"""Routes that branch: one row per branch of a group step (tegelijk, zienswijze) per round, with
its period, its answer and whether that came late (table `tak`, workflow.voorstellen.takmodel).

Revision ID: 0022_takken
Revises: 0021_archief
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0022_takken"
down_revision = "0021_archief"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tak",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("stap", sa.String(80), nullable=False),
        sa.Column("tak", sa.String(80), nullable=False),
        sa.Column("orgaan", sa.String(80), nullable=False),
        sa.Column("ronde", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("verzonden_op", UTCDateTime(), nullable=False),
        sa.Column("termijn_eind", UTCDateTime(), nullable=True),
        sa.Column("vergadering_id", sa.Integer, nullable=True),
        sa.Column("uitkomst", sa.String(40), nullable=True),
        sa.Column("tekst", sa.Text, nullable=True),
        sa.Column("bijlage", sa.String(255), nullable=True),
        sa.Column("beantwoord_op", UTCDateTime(), nullable=True),
        sa.Column("te_laat", sa.Boolean, nullable=False),
        sa.Column("herinneren_op", UTCDateTime(), nullable=True),
        sa.Column("herinnerd_op", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_tak_voorstel_id_voorstel"),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_tak_vergadering_id_vergadering"),
        sa.PrimaryKeyConstraint("id", name="pk_tak"),
        sa.UniqueConstraint("voorstel_id", "stap", "tak", "ronde",
                            name="uq_tak_voorstel_stap_tak_ronde"),
    )
    op.create_index("ix_tak_voorstel_id", "tak", ["voorstel_id"])
    op.create_index("ix_tak_status_termijn", "tak", ["status", "termijn_eind"])
    op.create_index("ix_tak_herinneren_op", "tak", ["herinneren_op"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER meld_wijziging
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tak
            FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
        """)


def downgrade() -> None:
    op.drop_table("tak")  # its indexes and trigger go with it
