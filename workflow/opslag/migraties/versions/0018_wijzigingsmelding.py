"""PostgreSQL: every writing statement on a table the portal shows NOTIFYs channel
`besluitroute_wijziging` with its table's schema, when its transaction commits. The portal keeps
what it read until such a notification (workflow.opslag.wijzigingen), so that a calendar poll
answered 304 does not read the feed's fingerprint again. A trigger sees writes from outside
besluitroute too. Not on the outbox (`bericht`) and the planner's state (`plannerstand`), which
change with every reminder pass and show nowhere in the portal. SQLite needs nothing: it tells
any connection that another one committed (`PRAGMA data_version`).

Revision ID: 0018_wijzigingsmelding
Revises: 0017_lijst_per_orgaan
"""

from alembic import op

revision = "0018_wijzigingsmelding"
down_revision = "0017_lijst_per_orgaan"
branch_labels = None
depends_on = None

#: Every table of 0017 but the outbox, the planner's state and Alembic's own.
TABELLEN = ("agenda_uitvoer", "agendapunt", "agendaverzending", "beslispunt", "bijlage",
            "definitieversie", "gebeurtenis", "kenmerkteller", "portaal_feedgeheim",
            "portaal_inloglink", "portaal_sessie", "publicatie", "publicatie_uitzondering",
            "synchronisatie", "vergadering", "voorstel")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION besluitroute_meld_wijziging() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('besluitroute_wijziging', TG_TABLE_SCHEMA);
            RETURN NULL;
        END
        $$
    """)
    for tabel in TABELLEN:
        op.execute(f"""
            CREATE TRIGGER meld_wijziging
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {tabel}
            FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for tabel in TABELLEN:
        op.execute(f"DROP TRIGGER meld_wijziging ON {tabel}")
    op.execute("DROP FUNCTION besluitroute_meld_wijziging()")
