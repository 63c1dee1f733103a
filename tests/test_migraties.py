"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import importlib
import pkgutil

import workflow
from workflow.models import Base
from workflow.omgeving import Omgeving


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
                               and d[1].name.startswith("apscheduler"))]
    assert differences == []


def test_migrating_twice_changes_nothing(omgeving: Omgeving) -> None:
    omgeving.db.migreer()
    omgeving.db.migreer()
    assert omgeving.db.is_aangemaakt()
