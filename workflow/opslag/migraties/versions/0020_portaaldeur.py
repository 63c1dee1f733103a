"""The portal's public door: the queue and limits of sign-in requests, and the stored random
ids of OParl's Person (never derived from an address).

PostgreSQL: `oparl_persoon` notifies its changes like every table of 0018; the queue of sign-in
requests does not (like the outbox it changes with every request and shows nowhere).

Revision ID: 0020_portaaldeur
Revises: 0019_opsteller_email
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0020_portaaldeur"
down_revision = "0019_opsteller_email"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portaal_inlogverzoek",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("adres_hash", sa.String(64), nullable=False),
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("aangevraagd_op", UTCDateTime(), nullable=False),
        sa.Column("verwerkt_op", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portaal_inlogverzoek"),
    )
    op.create_index("ix_portaal_inlogverzoek_adres", "portaal_inlogverzoek",
                    ["adres_hash", "aangevraagd_op"])
    op.create_index("ix_portaal_inlogverzoek_client", "portaal_inlogverzoek",
                    ["client_hash", "aangevraagd_op"])
    op.create_index("ix_portaal_inlogverzoek_verwerkt_op", "portaal_inlogverzoek",
                    ["verwerkt_op"])
    op.create_table(
        "oparl_persoon",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("sleutel", sa.String(32), nullable=False),
        sa.Column("aangemaakt_op", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_oparl_persoon"),
        sa.UniqueConstraint("email", name="uq_oparl_persoon_email"),
        sa.UniqueConstraint("sleutel", name="uq_oparl_persoon_sleutel"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER meld_wijziging
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON oparl_persoon
            FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
        """)


def downgrade() -> None:
    op.drop_table("oparl_persoon")
    op.drop_index("ix_portaal_inlogverzoek_verwerkt_op", table_name="portaal_inlogverzoek")
    op.drop_index("ix_portaal_inlogverzoek_client", table_name="portaal_inlogverzoek")
    op.drop_index("ix_portaal_inlogverzoek_adres", table_name="portaal_inlogverzoek")
    op.drop_table("portaal_inlogverzoek")
