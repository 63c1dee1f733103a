"""History keeps what it referred to: the meeting's body, start and title as they were then.

Existing rows are filled from the current meeting data (best effort: a meeting moved before this
migration shows its new start). Their title stays empty; `voorstel toon` then shows the body's
current name. The append-only triggers are lifted only for this backfill.

Revision ID: 0007_geschiedenis_momentopname
Revises: 0006_vergadering_begin
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0007_geschiedenis_momentopname"
down_revision = "0006_vergadering_begin"
branch_labels = None
depends_on = None

_BACKFILL = (
    "UPDATE gebeurtenis SET "
    "orgaan = (SELECT v.orgaan FROM vergadering v WHERE v.id = gebeurtenis.vergadering_id), "
    "vergadering_begin = (SELECT v.begin FROM vergadering v "
    "WHERE v.id = gebeurtenis.vergadering_id) "
    "WHERE vergadering_id IS NOT NULL"
)
_SQLITE_TRIGGER = ("CREATE TRIGGER gebeurtenis_geen_{verb} BEFORE {VERB} ON gebeurtenis "
                   "BEGIN SELECT RAISE(ABORT, 'geschiedenis is alleen aan te vullen'); END")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # Plain ADD COLUMN on both databases: a batch rebuild on SQLite would drop the triggers.
    op.add_column("gebeurtenis", sa.Column("orgaan", sa.String(80), nullable=True))
    op.add_column("gebeurtenis", sa.Column("vergadering_begin", UTCDateTime(), nullable=True))
    op.add_column("gebeurtenis", sa.Column("vergadering_titel", sa.String(200), nullable=True))
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS gebeurtenis_geen_update")
        op.execute(_BACKFILL)
        op.execute(_SQLITE_TRIGGER.format(verb="update", VERB="UPDATE"))
    else:
        op.execute("ALTER TABLE gebeurtenis DISABLE TRIGGER gebeurtenis_alleen_aanvullen")
        op.execute(_BACKFILL)
        op.execute("ALTER TABLE gebeurtenis ENABLE TRIGGER gebeurtenis_alleen_aanvullen")


def downgrade() -> None:
    for column in ("vergadering_titel", "vergadering_begin", "orgaan"):
        op.drop_column("gebeurtenis", column)
