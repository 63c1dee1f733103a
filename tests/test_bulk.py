"""Many proposals moved in one act: the same rules as one at a time, all or nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from workflow.basis import clock
from workflow.basis.fouten import Conflict, OngeldigeStap
from workflow.omgeving import Omgeving
from workflow.opslag.models import Voorstel
from workflow.routes import machine as routemachine
from workflow.voorstellen import bulk, indienen, lezen


def submitted(env: Omgeving, n: int) -> list[int]:
    clock.act_as(datetime(2026, 3, 2, 10, 0, tzinfo=clock.TZ))
    kenmerken = [indienen.indienen(env, titel=f"Voorstel {i}", route="grjr-procesvoorstel",
                                     opsteller="A. Opsteller", door="import",
                                     beslispunten=("Instemmen",)) for i in range(n)]
    with env.db.lees() as session:
        return list(session.scalars(select(Voorstel.id).where(Voorstel.kenmerk.in_(kenmerken))
                                    .order_by(Voorstel.id)))


def test_a_batch_fires_the_trigger_on_every_proposal_with_history(omgeving: Omgeving) -> None:
    ids = submitted(omgeving, 3)
    assert bulk.vuur_in_bulk(omgeving, ids, routemachine.INTREKKEN, door="import",
                                   tekst="dubbel ingevoerd") == 3
    for voorstel in lezen.lijst(omgeving):
        dossier = lezen.dossier(omgeving, voorstel.kenmerk)
        assert dossier.voorstel.toestand == "ingetrokken"
        assert dossier.voorstel.wijzigingsnummer == 2
        last = dossier.geschiedenis[-1]
        assert (last.handeling, last.van_toestand, last.naar_toestand, last.door, last.tekst) == (
            "intrekken", "ingediend", "ingetrokken", "import", "dubbel ingevoerd")


def test_one_refused_proposal_refuses_the_whole_batch(omgeving: Omgeving) -> None:
    ids = submitted(omgeving, 3)
    indienen.intrekken(omgeving, lezen.lijst(omgeving)[0].kenmerk, "weg", door="a")
    with pytest.raises(OngeldigeStap, match="er kan niets meer mee gebeuren"):
        bulk.vuur_in_bulk(omgeving, ids, routemachine.INTREKKEN, door="import")
    states = sorted(v.toestand for v in lezen.lijst(omgeving))
    assert states == ["ingediend", "ingediend", "ingetrokken"]


def test_a_proposal_changed_meanwhile_makes_the_batch_a_conflict(omgeving: Omgeving) -> None:
    if omgeving.db.is_sqlite:
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): no second writer can interleave")
    ids = submitted(omgeving, 2)
    from sqlalchemy import event

    changed: list[int] = []

    def other_secretary_writes_first(conn: object, cursor: object, statement: str,
                                     *_: object) -> None:
        # Right after the batch has read the versions and before it writes, someone else
        # changes the first proposal.
        if changed or not statement.startswith("UPDATE voorstel"):
            return
        changed.append(ids[0])
        with omgeving.db.engine.connect() as other:
            other.execute(update(Voorstel).where(Voorstel.id == ids[0]).values(
                wijzigingsnummer=Voorstel.wijzigingsnummer + 1))
            other.commit()

    event.listen(omgeving.db.engine, "before_cursor_execute", other_secretary_writes_first)
    try:
        with pytest.raises(Conflict):
            bulk.vuur_in_bulk(omgeving, ids, routemachine.INTREKKEN, door="import")
    finally:
        event.remove(omgeving.db.engine, "before_cursor_execute", other_secretary_writes_first)
    assert changed == [ids[0]]
    assert sorted(v.toestand for v in lezen.lijst(omgeving)) == ["ingediend", "ingediend"]
