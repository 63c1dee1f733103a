"""State as data, not as text to parse back: a skipped message's due moment in a column of its
own (`bericht.verschuldigd_op`, no longer read out of `laatste_fout`), notes apart from errors
(`bericht.opmerking`: what the server said on accepting, why a message lapsed or was skipped;
`laatste_fout` only for a failed attempt), and the recipients (`bericht.aan`) and the proposals
on an agenda version (`agenda_uitvoer.kenmerken`) as JSON lists instead of comma-joined text.
Existing rows are carried over; the downgrade joins the lists again.

Revision ID: 0023_toestand_als_gegevens
Revises: 0022_takken
"""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0023_toestand_als_gegevens"
down_revision = "0022_takken"
branch_labels = None
depends_on = None

#: How a skipped message's reason began (workflow.berichten.gemist before this migration).
GEMIST_PREFIX = "niet verzonden: er liep geen ronde tussen het moment ("
#: Statuses whose `laatste_fout` was a note, not the error of a failed attempt.
GEEN_FOUT = ("verzonden", "vervallen", "overgeslagen")
BATCH = 1000


def _moment(fout: str | None) -> datetime | None:
    if not fout or not fout.startswith(GEMIST_PREFIX):
        return None
    try:
        return datetime.fromisoformat(fout[len(GEMIST_PREFIX):].split(")")[0])
    except ValueError:
        return None


def _lijst(tekst: str | None, scheiding: str) -> list[str]:
    return [deel.strip() for deel in (tekst or "").split(scheiding) if deel.strip()]


def _zet_om(tabel: str, kolom: str, nieuw: sa.types.TypeEngine[Any],
            waarde: Callable[[Any], Any]) -> None:
    """Replace `kolom` by a column of type `nieuw` holding `waarde(old value)`, in batches."""
    verbinding = op.get_bind()
    tijdelijk = f"{kolom}_nieuw"
    with op.batch_alter_table(tabel) as batch:
        batch.add_column(sa.Column(tijdelijk, nieuw, nullable=True))
    t = sa.table(tabel, sa.column("id", sa.Integer), sa.column(kolom),
                 sa.column(tijdelijk, nieuw))
    laatste = 0
    while True:
        rijen = verbinding.execute(sa.select(t.c.id, t.c[kolom]).where(t.c.id > laatste)
                                   .order_by(t.c.id).limit(BATCH)).all()
        if not rijen:
            break
        verbinding.execute(t.update().where(t.c.id == sa.bindparam("b_id"))
                           .values({tijdelijk: sa.bindparam("b_waarde")}),
                           [{"b_id": r.id, "b_waarde": waarde(r[1])} for r in rijen])
        laatste = rijen[-1].id
    with op.batch_alter_table(tabel) as batch:
        batch.drop_column(kolom)
        batch.alter_column(tijdelijk, new_column_name=kolom, existing_type=nieuw,
                           nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("bericht") as batch:
        batch.add_column(sa.Column("verschuldigd_op", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("opmerking", sa.Text(), nullable=True))
    verbinding = op.get_bind()
    bericht = sa.table("bericht", sa.column("id", sa.Integer), sa.column("status", sa.String),
                       sa.column("laatste_fout", sa.Text), sa.column("opmerking", sa.Text),
                       sa.column("verschuldigd_op", UTCDateTime()))
    rijen = verbinding.execute(sa.select(bericht.c.id, bericht.c.laatste_fout).where(
        bericht.c.status.in_(GEEN_FOUT), bericht.c.laatste_fout.is_not(None))).all()
    for start in range(0, len(rijen), BATCH):
        verbinding.execute(
            bericht.update().where(bericht.c.id == sa.bindparam("b_id"))
            .values(opmerking=sa.bindparam("b_opmerking"), laatste_fout=None,
                    verschuldigd_op=sa.bindparam("b_moment", type_=UTCDateTime())),
            [{"b_id": r.id, "b_opmerking": r.laatste_fout, "b_moment": _moment(r.laatste_fout)}
             for r in rijen[start:start + BATCH]])
    _zet_om("bericht", "aan", sa.JSON(), lambda aan: _lijst(aan, ","))
    _zet_om("agenda_uitvoer", "kenmerken", sa.JSON(), lambda k: _lijst(k, ","))


def downgrade() -> None:
    _zet_om("agenda_uitvoer", "kenmerken", sa.Text(),
            lambda k: ",".join(json.loads(k) if isinstance(k, str) else (k or [])))
    _zet_om("bericht", "aan", sa.Text(),
            lambda a: ", ".join(json.loads(a) if isinstance(a, str) else (a or [])))
    bericht = sa.table("bericht", sa.column("laatste_fout", sa.Text),
                       sa.column("opmerking", sa.Text))
    op.get_bind().execute(bericht.update().where(bericht.c.laatste_fout.is_(None))
                          .values(laatste_fout=bericht.c.opmerking))
    with op.batch_alter_table("bericht") as batch:
        batch.drop_column("opmerking")
        batch.drop_column("verschuldigd_op")
