"""Core schema: meetings, proposals, decision points, agenda items, append-only history.

Revision ID: 0001_kern
Revises:
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0001_kern"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vergadering",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sleutel", sa.String(120), nullable=False),
        sa.Column("orgaan", sa.String(80), nullable=False),
        sa.Column("begin", UTCDateTime(), nullable=False),
        sa.Column("oorspronkelijk_begin", UTCDateTime(), nullable=False),
        sa.Column("plaats", sa.String(200), nullable=False),
        sa.Column("geannuleerd", sa.Boolean, nullable=False),
        sa.Column("opmerking", sa.Text, nullable=False),
        sa.Column("handmatig", sa.Boolean, nullable=False),
        sa.Column("volgnummer", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vergadering"),
        sa.UniqueConstraint("sleutel", name="uq_vergadering_sleutel"),
    )
    op.create_index("ix_vergadering_orgaan_begin", "vergadering", ["orgaan", "begin"])
    op.create_table(
        "voorstel",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kenmerk", sa.String(20), nullable=False),
        sa.Column("titel", sa.Text, nullable=False),
        sa.Column("aan", sa.Text, nullable=False),
        sa.Column("van", sa.Text, nullable=False),
        sa.Column("opsteller", sa.String(200), nullable=False),
        sa.Column("in_opdracht_van", sa.String(200), nullable=False),
        sa.Column("route", sa.String(80), nullable=False),
        sa.Column("toestand", sa.String(120), nullable=False),
        sa.Column("documentstatus", sa.String(20), nullable=False),
        sa.Column("versie", sa.String(80), nullable=False),
        sa.Column("onderwerp", sa.String(80), nullable=True),
        sa.Column("vergadering_id", sa.Integer, nullable=True),
        sa.Column("ingediend_op", UTCDateTime(), nullable=False),
        sa.Column("gewijzigd_op", UTCDateTime(), nullable=False),
        sa.Column("wijzigingsnummer", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_voorstel"),
        sa.UniqueConstraint("kenmerk", name="uq_voorstel_kenmerk"),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_voorstel_vergadering_id_vergadering"),
    )
    op.create_index("ix_voorstel_toestand", "voorstel", ["toestand"])
    op.create_index("ix_voorstel_route", "voorstel", ["route"])
    op.create_index("ix_voorstel_vergadering_id", "voorstel", ["vergadering_id"])
    op.create_table(
        "beslispunt",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("volgnummer", sa.Integer, nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("besluit", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_beslispunt"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_beslispunt_voorstel_id_voorstel"),
        sa.UniqueConstraint("voorstel_id", "volgnummer",
                            name="uq_beslispunt_voorstel_volgnummer"),
    )
    op.create_table(
        "agendapunt",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("vergadering_id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("stap", sa.String(80), nullable=False),
        sa.Column("rol", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("uitkomst", sa.String(40), nullable=True),
        sa.Column("tekst", sa.Text, nullable=True),
        sa.Column("nagekomen", sa.Boolean, nullable=False),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agendapunt"),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_agendapunt_vergadering_id_vergadering"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_agendapunt_voorstel_id_voorstel"),
        sa.UniqueConstraint("vergadering_id", "voorstel_id", "stap",
                            name="uq_agendapunt_vergadering_voorstel_stap"),
    )
    op.create_index("ix_agendapunt_vergadering_id", "agendapunt", ["vergadering_id"])
    op.create_index("ix_agendapunt_voorstel", "agendapunt", ["voorstel_id"])
    op.create_table(
        "gebeurtenis",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("voorstel_id", sa.Integer, nullable=False),
        sa.Column("tijdstip", UTCDateTime(), nullable=False),
        sa.Column("geregistreerd_op", UTCDateTime(), nullable=False),
        sa.Column("door", sa.String(200), nullable=False),
        sa.Column("handeling", sa.String(40), nullable=False),
        sa.Column("van_toestand", sa.String(120), nullable=True),
        sa.Column("naar_toestand", sa.String(120), nullable=True),
        sa.Column("vergadering_id", sa.Integer, nullable=True),
        sa.Column("uitkomst", sa.String(40), nullable=True),
        sa.Column("tekst", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_gebeurtenis"),
        sa.ForeignKeyConstraint(["voorstel_id"], ["voorstel.id"],
                                name="fk_gebeurtenis_voorstel_id_voorstel"),
        sa.ForeignKeyConstraint(["vergadering_id"], ["vergadering.id"],
                                name="fk_gebeurtenis_vergadering_id_vergadering"),
    )
    op.create_index("ix_gebeurtenis_voorstel", "gebeurtenis", ["voorstel_id", "id"])
    op.create_table(
        "kenmerkteller",
        sa.Column("jaar", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("laatste", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("jaar", name="pk_kenmerkteller"),
    )
    # History is append-only: an auditor must be able to trust it years later.
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER gebeurtenis_geen_{verb.lower()} BEFORE {verb} ON gebeurtenis "
                "BEGIN SELECT RAISE(ABORT, 'geschiedenis is alleen aan te vullen'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION gebeurtenis_alleen_aanvullen() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'geschiedenis is alleen aan te vullen'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER gebeurtenis_alleen_aanvullen BEFORE UPDATE OR DELETE ON gebeurtenis "
            "FOR EACH ROW EXECUTE FUNCTION gebeurtenis_alleen_aanvullen()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS gebeurtenis_alleen_aanvullen ON gebeurtenis")
        op.execute("DROP FUNCTION IF EXISTS gebeurtenis_alleen_aanvullen()")
    for table in ("kenmerkteller", "gebeurtenis", "agendapunt", "beslispunt", "voorstel",
                  "vergadering"):
        op.drop_table(table)
