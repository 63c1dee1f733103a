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
        context = MigrationContext.configure(conn, opts={"compare_type": True})
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


def schema_van(omgeving: Omgeving) -> dict[str, object]:
    """Everything a migration could change, as plain data: per table its columns (name, type,
    nullability, default), indexes, unique constraints, foreign keys and primary key, and the
    Alembic revision."""
    from sqlalchemy import inspect

    with omgeving.db.engine.connect() as conn:
        inspector = inspect(conn)
        tabellen: dict[str, object] = {
            tabel: (
                [(k["name"], str(k["type"]), k["nullable"], str(k.get("default")))
                 for k in inspector.get_columns(tabel)],
                sorted((i["name"] or "", tuple(map(str, i["column_names"])), bool(i["unique"]))
                       for i in inspector.get_indexes(tabel)),
                sorted((u["name"] or "", tuple(u["column_names"]))
                       for u in inspector.get_unique_constraints(tabel)),
                sorted((f["referred_table"], tuple(f["constrained_columns"]),
                        tuple(f["referred_columns"])) for f in inspector.get_foreign_keys(tabel)),
                inspector.get_pk_constraint(tabel)["constrained_columns"],
            )
            for tabel in sorted(inspector.get_table_names())}
        tabellen["alembic"] = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return tabellen


def test_migrating_twice_changes_nothing(omgeving: Omgeving) -> None:
    eerst = schema_van(omgeving)
    assert len(eerst) > 10
    omgeving.db.migreer()
    omgeving.db.migreer()
    assert schema_van(omgeving) == eerst


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


def test_migration_0023_turns_text_to_parse_into_data_and_back(database_url: str,
                                                               tmp_path: Path) -> None:
    """An outbox and an agenda log written before 0023: a skipped reminder's due moment leaves
    its reason for a column, notes leave `laatste_fout`, recipients and kenmerken become lists;
    the downgrade gives the old text back."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from workflow.basis.paden import meegeleverd
    from workflow.opslag.db import MIGRATIES
    from workflow.opslag.models import UTCDateTime

    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIES))

    def naar(revisie: str, omlaag: bool = False) -> None:
        with env.db.engine.begin() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if omlaag else command.upgrade)(config, revisie)

    nu = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    gemist = ("niet verzonden: er liep geen ronde tussen het moment (2026-12-03T09:00:00+01:00)"
              " en het einde van zijn termijn; vorige ronde 2026-12-01T09:00:00+00:00")
    try:
        naar("0021_archief")
        bericht = sa.table("bericht", *(sa.column(c) for c in (
            "id", "sleutel", "soort", "aan", "onderwerp", "tekst", "html", "message_id",
            "status", "pogingen", "laatste_fout")), sa.column("volgende_poging", UTCDateTime()),
            sa.column("aangemaakt_op", UTCDateTime()))
        vergadering = sa.table("vergadering", *(sa.column(c) for c in (
            "id", "sleutel", "orgaan", "plaats", "geannuleerd", "opmerking", "handmatig",
            "volgnummer")), sa.column("begin", UTCDateTime()),
            sa.column("oorspronkelijk_begin", UTCDateTime()))
        uitvoer = sa.table("agenda_uitvoer", *(sa.column(c) for c in (
            "id", "vergadering_id", "formaat", "versie", "sha256", "pad", "kenmerken",
            "toelichting")), sa.column("gemaakt_op", UTCDateTime()))
        rijen = [(1, "overgeslagen", gemist, "a@grjr.example"),
                 (2, "verzonden", "niet afgeleverd aan b@grjr.example: 550", "a@grjr.example, "
                  "b@grjr.example"),
                 (3, "wachtend", "bericht tijdelijk geweigerd: 451", "c@grjr.example")]
        with env.db.engine.begin() as conn:
            conn.execute(sa.insert(bericht), [
                {"id": i, "sleutel": f"s{i}", "soort": "agenda", "aan": aan, "onderwerp": "O",
                 "tekst": "", "html": "", "message_id": f"<{i}@x>", "status": status,
                 "pogingen": 1, "laatste_fout": fout, "volgende_poging": nu,
                 "aangemaakt_op": nu} for i, status, fout, aan in rijen])
            conn.execute(sa.insert(vergadering).values(
                id=1, sleutel="aoj-20210624", orgaan="aoj", plaats="", geannuleerd=False,
                opmerking="", handmatig=False, volgnummer=0, begin=nu, oorspronkelijk_begin=nu))
            conn.execute(sa.insert(uitvoer).values(
                id=1, vergadering_id=1, formaat="html", versie=1, sha256="0" * 64, pad="p",
                kenmerken="2021-001,2021-002", toelichting="", gemaakt_op=nu))

        naar("head")

        from workflow.berichten.uitgaand import Bericht
        from workflow.voorstellen.documenten import AgendaUitvoer

        with env.db.lees() as session:
            na = {b.id: (b.aan, b.laatste_fout, b.opmerking, b.verschuldigd_op)
                  for b in session.scalars(select(Bericht))}
            kenmerken = session.scalars(select(AgendaUitvoer.kenmerken)).one()
        assert na == {
            1: (["a@grjr.example"], None, gemist, datetime(2026, 12, 3, 8, 0, tzinfo=UTC)),
            2: (["a@grjr.example", "b@grjr.example"], None,
                "niet afgeleverd aan b@grjr.example: 550", None),
            3: (["c@grjr.example"], "bericht tijdelijk geweigerd: 451", None, None)}
        assert kenmerken == ["2021-001", "2021-002"]

        naar("0021_archief", omlaag=True)
        with env.db.engine.connect() as conn:
            terug = conn.execute(sa.select(bericht.c.id, bericht.c.aan, bericht.c.laatste_fout)
                                 .order_by(bericht.c.id)).all()
            assert conn.execute(sa.select(uitvoer.c.kenmerken)).scalar_one() == \
                "2021-001,2021-002"
        assert [tuple(r) for r in terug] == [(i, aan, fout) for i, _, fout, aan in rijen]
    finally:
        env.sluit()
