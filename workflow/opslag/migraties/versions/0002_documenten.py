"""Documents of proposals (bijlage) and the log of generated agenda files (agenda_uitvoer).

Revision ID: 0002_documenten
Revises: 0001_kern
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0002_documenten"
down_revision = "0001_kern"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bijlage",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("naam", sa.String(255), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("grootte", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("omschrijving", sa.Text, nullable=False),
        sa.Column("bron", sa.Text, nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("geregistreerd_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bijlage"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_bijlage_voorstel_id_voorstel"),
        sa.UniqueConstraint("voorstel_id", "naam", "versie",
                            name="uq_bijlage_voorstel_naam_versie"),
    )
    op.create_index("ix_bijlage_voorstel_id", "bijlage", ["voorstel_id"])
    op.create_index("ix_bijlage_sha256", "bijlage", ["sha256"])
    op.create_table(
        "agenda_uitvoer",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("formaat", sa.String(10), nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pad", sa.Text, nullable=False),
        sa.Column("kenmerken", sa.Text, nullable=False),
        sa.Column("toelichting", sa.Text, nullable=False),
        sa.Column("gemaakt_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agenda_uitvoer"),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_agenda_uitvoer_vergadering_id_vergadering"),
        sa.UniqueConstraint("vergadering_id", "formaat", "versie",
                            name="uq_agenda_uitvoer_vergadering_formaat_versie"),
    )
    op.create_index("ix_agenda_uitvoer_vergadering_id", "agenda_uitvoer", ["vergadering_id"])


def downgrade() -> None:
    op.drop_table("agenda_uitvoer")
    op.drop_table("bijlage")
