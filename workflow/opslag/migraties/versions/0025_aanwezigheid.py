"""Attendance and votes (workflow.besluitvorming): per meeting the versions of its presentielijst
with a row per person, per beslispunt the versions of its stemming with a row per vote. Both are
append-only; the highest version counts. On PostgreSQL they notify their changes like every table
since 0018.

Revision ID: 0025_aanwezigheid
Revises: 0024_documenttekst
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0025_aanwezigheid"
down_revision = "0024_documenttekst"
branch_labels = None
depends_on = None

TABELLEN = ("presentielijst", "presentie", "stemming", "stem")


def upgrade() -> None:
    _aanwezigheid()
    _stemmingen()
    if op.get_bind().dialect.name == "postgresql":
        for tabel in TABELLEN:
            op.execute(f"""
                CREATE TRIGGER meld_wijziging
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
                FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
            """)


def _aanwezigheid() -> None:
    op.create_table(
        "presentielijst",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("herhaalt_vergadering_id", sa.Integer, nullable=True),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("tijdstip", UTCDateTime(), nullable=False),
        sa.Column("geregistreerd_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_presentielijst_vergadering_id_vergadering"),
        sa.ForeignKeyConstraint(["herhaalt_vergadering_id"], ["vergadering.id"],
                                name="fk_presentielijst_herhaalt_vergadering_id_vergadering"),
        sa.PrimaryKeyConstraint("id", name="pk_presentielijst"),
        sa.UniqueConstraint("vergadering_id", "versie",
                            name="uq_presentielijst_vergadering_versie"),
    )
    op.create_index("ix_presentielijst_vergadering_id", "presentielijst", ["vergadering_id"])
    op.create_table(
        "presentie",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("presentielijst_id", sa.Integer, nullable=False),
        sa.Column("hoedanigheid", sa.String(20), nullable=False),
        sa.Column("naam", sa.String(200), nullable=False),
        sa.Column("namens", sa.String(200), nullable=True),
        sa.Column("reden", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(["presentielijst_id"], ["presentielijst.id"],
                                name="fk_presentie_presentielijst_id_presentielijst"),
        sa.PrimaryKeyConstraint("id", name="pk_presentie"),
    )
    op.create_index("ix_presentie_presentielijst_id", "presentie", ["presentielijst_id"])


def _stemmingen() -> None:
    op.create_table(
        "stemming",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("beslispunt", sa.Integer, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("zonder_stemming", sa.Boolean, nullable=False),
        sa.Column("uitslag", sa.String(20), nullable=False),
        sa.Column("voor", sa.Integer, nullable=False),
        sa.Column("tegen", sa.Integer, nullable=False),
        sa.Column("voltallig", sa.Boolean, nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("tijdstip", UTCDateTime(), nullable=False),
        sa.Column("geregistreerd_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_stemming_vergadering_id_vergadering"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_stemming_voorstel_id_voorstel"),
        sa.PrimaryKeyConstraint("id", name="pk_stemming"),
        sa.UniqueConstraint("vergadering_id", "voorstel_id", "beslispunt", "versie",
                            name="uq_stemming_punt_versie"),
    )
    op.create_index("ix_stemming_vergadering_id", "stemming", ["vergadering_id"])
    op.create_index("ix_stemming_voorstel_id", "stemming", ["voorstel_id"])
    op.create_table(
        "stem",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("stemming_id", sa.Integer, nullable=False),
        sa.Column("lid", sa.String(200), nullable=False),
        sa.Column("door_naam", sa.String(200), nullable=False),
        sa.Column("keuze", sa.String(20), nullable=False),
        sa.Column("gewicht", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["stemming_id"], ["stemming.id"],
                                name="fk_stem_stemming_id_stemming"),
        sa.PrimaryKeyConstraint("id", name="pk_stem"),
    )
    op.create_index("ix_stem_stemming_id", "stem", ["stemming_id"])


def downgrade() -> None:
    for tabel in reversed(TABELLEN):
        op.drop_table(tabel)  # its indexes and trigger go with it
