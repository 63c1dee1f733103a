"""Agenda dispatch log (aanvullingen), the last pass moment, sender and attachments per message.

Revision ID: 0010_aanvulling
Revises: 0009_bezorging
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0010_aanvulling"
down_revision = "0009_bezorging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agendaverzending",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("volgnummer", sa.Integer, nullable=False),
        sa.Column("agendaversie", sa.Integer, nullable=False),
        sa.Column("inhoud", sa.Text, nullable=False),
        sa.Column("verzonden_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_agendaverzending_vergadering_id_vergadering"),
        sa.PrimaryKeyConstraint("id", name="pk_agendaverzending"),
        sa.UniqueConstraint("vergadering_id", "volgnummer",
                            name="uq_agendaverzending_vergadering_volgnummer"),
    )
    op.create_index("ix_agendaverzending_vergadering_id", "agendaverzending",
                    ["vergadering_id"])
    op.create_table(
        "plannerstand",
        sa.Column("naam", sa.String(40), nullable=False),
        sa.Column("laatste_ronde", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("naam", name="pk_plannerstand"),
    )
    with op.batch_alter_table("bericht") as batch:
        batch.add_column(sa.Column("afzender", sa.String(300), nullable=True))
        batch.add_column(sa.Column("bijlagen", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bericht") as batch:
        batch.drop_column("bijlagen")
        batch.drop_column("afzender")
    op.drop_table("plannerstand")
    op.drop_index("ix_agendaverzending_vergadering_id", table_name="agendaverzending")
    op.drop_table("agendaverzending")
