"""The text inside registered documents (documenttekst), searchable in the portal.

PostgreSQL: a stored generated column `zoekvector` = to_tsvector('dutch', tekst) (Snowball
stemming, Dutch stop words) with a GIN index; the models do not declare it (PostgreSQL only).
SQLite: an FTS5 table over the same rows (external content, kept up to date by triggers)
with the unicode61 tokenizer that folds case and diacritics; FTS5 has no Dutch stemmer, so
the search matches word prefixes instead (docs/portaal.md, "Zoeken in documenten").
Documents registered before this migration have no text until they are read
(`documenten.lees_ontbrekende`).

Revision ID: 0024_documenttekst
Revises: 0023_toestand_als_gegevens
"""

import sqlalchemy as sa
from alembic import op

from workflow.opslag.models import UTCDateTime

revision = "0024_documenttekst"
down_revision = "0023_toestand_als_gegevens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documenttekst",
        sa.Column("bijlage_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("soort", sa.String(10), nullable=False),
        sa.Column("tekst", sa.Text, nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("gelezen_op", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["bijlage_id"], ["bijlage.id"],
                                name="fk_documenttekst_bijlage_id_bijlage"),
        sa.PrimaryKeyConstraint("bijlage_id", name="pk_documenttekst"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Stored, not an expression index alone: a common word matches most rows, and then
        # the planner reads rows and would run to_tsvector on every text again.
        op.execute("ALTER TABLE documenttekst ADD COLUMN zoekvector tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('dutch', tekst)) STORED")
        op.execute("CREATE INDEX ix_documenttekst_zoekvector ON documenttekst "
                   "USING gin (zoekvector)")
        op.execute("""
            CREATE TRIGGER meld_wijziging
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON documenttekst
            FOR EACH STATEMENT EXECUTE FUNCTION besluitroute_meld_wijziging()
        """)
        return
    op.execute("CREATE VIRTUAL TABLE documenttekst_fts USING fts5(tekst, content='documenttekst', "
               "content_rowid='bijlage_id', tokenize='unicode61 remove_diacritics 2')")
    op.execute("""
        CREATE TRIGGER documenttekst_fts_ins AFTER INSERT ON documenttekst BEGIN
          INSERT INTO documenttekst_fts(rowid, tekst) VALUES (new.bijlage_id, new.tekst);
        END""")
    op.execute("""
        CREATE TRIGGER documenttekst_fts_del AFTER DELETE ON documenttekst BEGIN
          INSERT INTO documenttekst_fts(documenttekst_fts, rowid, tekst)
          VALUES ('delete', old.bijlage_id, old.tekst);
        END""")
    op.execute("""
        CREATE TRIGGER documenttekst_fts_upd AFTER UPDATE ON documenttekst BEGIN
          INSERT INTO documenttekst_fts(documenttekst_fts, rowid, tekst)
          VALUES ('delete', old.bijlage_id, old.tekst);
          INSERT INTO documenttekst_fts(rowid, tekst) VALUES (new.bijlage_id, new.tekst);
        END""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS documenttekst_fts")
    op.drop_table("documenttekst")  # its index and triggers go with it
