"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

import workflow
from workflow.omgeving import Omgeving
from workflow.opslag.models import Base, Gebeurtenis


def import_every_model() -> None:
    for module in pkgutil.walk_packages(workflow.__path__, "workflow."):
        if ".migraties" in module.name or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)


def test_migrations_match_the_models(omgeving: Omgeving) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import_every_model()
    with omgeving.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = [d for d in compare_metadata(context, Base.metadata)
                       if not (isinstance(d, tuple) and d[0] == "remove_table"
                               and (d[1].name.startswith("apscheduler")
                                    # SQLite's full-text index (0024) and its shadow tables
                                    or d[1].name.startswith("documenttekst_fts")))
                       # PostgreSQL's full-text column and index (0024), which the models
                       # cannot declare for one database only
                       and not (isinstance(d, tuple) and d[0] == "remove_index"
                                and d[1].name == "ix_documenttekst_zoekvector")
                       and not (isinstance(d, tuple) and d[0] == "remove_column"
                                and d[3].name == "zoekvector")]
    assert differences == []


def test_migrating_twice_changes_nothing(omgeving: Omgeving) -> None:
    omgeving.db.migreer()
    omgeving.db.migreer()
    assert omgeving.db.is_aangemaakt()


def test_migration_0007_fills_history_with_the_meeting_of_that_moment(database_url: str,
                                                                      tmp_path: Path) -> None:
    """An existing database: history rows get the body and start of their meeting (best effort),
    and history stays append-only afterwards."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from workflow.basis.paden import meegeleverd
    from workflow.opslag.db import MIGRATIES
    from workflow.opslag.models import UTCDateTime

    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIES))
        with env.db.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0006_vergadering_begin")
        begin = datetime(2021, 6, 24, 11, 0, tzinfo=UTC)
        nu = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)
        vergadering = sa.table("vergadering", *(sa.column(c) for c in (
            "id", "sleutel", "orgaan", "plaats", "geannuleerd", "opmerking", "handmatig",
            "volgnummer")), sa.column("begin", UTCDateTime()),
            sa.column("oorspronkelijk_begin", UTCDateTime()))
        voorstel = sa.table("voorstel", *(sa.column(c) for c in (
            "id", "kenmerk", "titel", "aan", "van", "opsteller", "in_opdracht_van", "route",
            "toestand", "documentstatus", "versie", "wijzigingsnummer")),
            sa.column("ingediend_op", UTCDateTime()), sa.column("gewijzigd_op", UTCDateTime()))
        gebeurtenis = sa.table("gebeurtenis", *(sa.column(c) for c in (
            "id", "voorstel_id", "door", "handeling", "vergadering_id")),
            sa.column("tijdstip", UTCDateTime()), sa.column("geregistreerd_op", UTCDateTime()))
        with env.db.engine.begin() as conn:
            conn.execute(sa.insert(vergadering).values(
                id=1, sleutel="aoj-20210624", orgaan="aoj", plaats="", geannuleerd=False,
                opmerking="", handmatig=False, volgnummer=0, begin=begin,
                oorspronkelijk_begin=begin))
            conn.execute(sa.insert(voorstel).values(
                id=1, kenmerk="2021-001", titel="T", aan="", van="", opsteller="O",
                in_opdracht_van="", route="grjr-procesvoorstel", toestand="aoj:geagendeerd",
                documentstatus="Concept", versie="1", wijzigingsnummer=1, ingediend_op=nu,
                gewijzigd_op=nu))
            conn.execute(sa.insert(gebeurtenis), [
                {"id": 1, "voorstel_id": 1, "door": "a", "handeling": "indienen",
                 "vergadering_id": None, "tijdstip": nu, "geregistreerd_op": nu},
                {"id": 2, "voorstel_id": 1, "door": "a", "handeling": "agenderen",
                 "vergadering_id": 1, "tijdstip": nu, "geregistreerd_op": nu}])

        env.db.migreer()

        with env.db.lees() as session:
            rows = [(g.id, g.orgaan, g.vergadering_begin, g.vergadering_titel)
                    for g in session.scalars(select(Gebeurtenis).order_by(Gebeurtenis.id))]
        assert rows == [(1, None, None, None), (2, "aoj", begin, None)]
        with pytest.raises(Exception, match="alleen aan te vullen"), \
                env.db.engine.begin() as conn:
            conn.execute(text("UPDATE gebeurtenis SET orgaan = 'ander'"))
    finally:
        env.sluit()
