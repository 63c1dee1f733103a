"""The portal's search folds case and accents ("reunie" finds "reünie"): a stored search text per
proposal (basis.tekst.zoektekst), filled here for the proposals there are, then kept by the acts
that set or change a title. Folding in Python gives the same result on SQLite and PostgreSQL; the
query is a plain LIKE on the column.

Revision ID: 0014_zoektekst
Revises: 0013_schaal
"""

import sqlalchemy as sa
from alembic import op

from workflow.basis.tekst import zoektekst

revision = "0014_zoektekst"
down_revision = "0013_schaal"
branch_labels = None
depends_on = None

#: Rows per round trip of the backfill.
PARTIJ = 5000


def upgrade() -> None:
    # Added NOT NULL with an empty default, then filled: SQLite adds such a column in place,
    # where changing nullability would rebuild the table (and trip over the rows that refer to
    # its proposals).
    op.add_column("voorstel", sa.Column("zoektekst", sa.Text(), nullable=False,
                                        server_default=""))
    voorstel = sa.table("voorstel", sa.column("id", sa.Integer()), sa.column("kenmerk"),
                        sa.column("titel"), sa.column("zoektekst"))
    conn = op.get_bind()
    laatste = 0
    while True:
        rows = conn.execute(sa.select(voorstel.c.id, voorstel.c.kenmerk, voorstel.c.titel)
                            .where(voorstel.c.id > laatste).order_by(voorstel.c.id)
                            .limit(PARTIJ)).all()
        if not rows:
            break
        conn.execute(voorstel.update().where(voorstel.c.id == sa.bindparam("b_id"))
                     .values(zoektekst=sa.bindparam("b_tekst")),
                     [{"b_id": r.id, "b_tekst": zoektekst(r.kenmerk, r.titel)} for r in rows])
        laatste = rows[-1].id
    if conn.dialect.name != "sqlite":  # the acts set it; the default was only for the old rows
        op.alter_column("voorstel", "zoektekst", server_default=None)


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; a batch rebuild would trip over the foreign keys.
    op.drop_column("voorstel", "zoektekst")
