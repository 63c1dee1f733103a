"""Storage: the SQLAlchemy tables, the engine and transactions, the Alembic migrations."""
