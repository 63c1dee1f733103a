"""Two secretaries act on one proposal at the same moment: one wins, nothing is lost or doubled."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.opslag.models import Gebeurtenis
from workflow.voorstellen import correcties, indienen, lezen, uitkomsten


def on_stuurgroep(env: Omgeving) -> str:
    clock.act_as(datetime(2021, 6, 7, 9, 0, tzinfo=clock.TZ))
    kenmerk = indienen.indienen(env, titel="Voorstel", route="grjr-procesvoorstel",
                                  opsteller="A. Opsteller", door="a",
                                  beslispunten=("Instemmen",))
    indienen.agenderen(env, kenmerk, door="a")
    clock.act_as(datetime(2021, 6, 14, 12, 0, tzinfo=clock.TZ))
    uitkomsten.advies(env, kenmerk, Uitkomst.POSITIEF, "Akkoord", door="a")
    indienen.agenderen(env, kenmerk, door="a")
    clock.act_as(datetime(2021, 6, 23, 16, 0, tzinfo=clock.TZ))
    return kenmerk


def history_of(env: Omgeving, kenmerk: str) -> list[str]:
    dossier = lezen.dossier(env, kenmerk)
    return [g.handeling for g in dossier.geschiedenis]


def test_two_secretaries_recording_at_once_one_wins(omgeving: Omgeving) -> None:
    kenmerk = on_stuurgroep(omgeving)
    barrier = threading.Barrier(2, timeout=20)
    is_postgres = not omgeving.db.is_sqlite

    if is_postgres:
        # Both read the proposal before either writes: the classic lost-update race.
        @event.listens_for(Session, "before_flush")
        def both_have_read(session: Session, *_: Any) -> None:
            if getattr(threading.current_thread(), "race", False):
                threading.current_thread().race = False  # type: ignore[attr-defined]
                barrier.wait()

    outcomes: dict[str, str] = {}

    def act(naam: str, uitkomst: Uitkomst) -> None:
        threading.current_thread().race = True  # type: ignore[attr-defined]
        try:
            uitkomsten.advies(omgeving, kenmerk, uitkomst, f"advies van {naam}", door=naam)
            outcomes[naam] = "gewonnen"
        except Conflict as exc:
            outcomes[naam] = str(exc)
        except GebruikersFout as exc:
            outcomes[naam] = f"geweigerd: {exc}"

    threads = [threading.Thread(target=act, args=("anna", Uitkomst.POSITIEF)),
               threading.Thread(target=act, args=("bram", Uitkomst.NEGATIEF))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        if is_postgres:
            event.remove(Session, "before_flush", both_have_read)
    assert sorted(outcomes) == ["anna", "bram"]
    winners = [n for n, o in outcomes.items() if o == "gewonnen"]
    assert len(winners) == 1, outcomes
    loser = next(o for o in outcomes.values() if o != "gewonnen")
    if is_postgres:
        # Both read version N; the second UPDATE ... WHERE version = N finds no row.
        assert loser.startswith("conflict: iemand anders heeft dit voorstel zojuist gewijzigd")
    else:
        # SQLite serialises writers (BEGIN IMMEDIATE): the second sees the first one's result.
        assert loser.startswith("geweigerd: ") or loser.startswith("conflict: ")
    # Exactly one advice was recorded, by the winner; nothing of the loser was written.
    history = lezen.dossier(omgeving, kenmerk).geschiedenis
    adviezen = [g for g in history if g.handeling in ("positief", "negatief")
                and g.tijdstip.year == 2021 and g.tijdstip.month == 6 and g.tijdstip.day == 23]
    assert len(adviezen) == 1 and adviezen[0].door == winners[0]


def test_a_stale_copy_cannot_overwrite_a_newer_change(omgeving: Omgeving) -> None:
    """Optimistic locking at the row: a writer holding an old version gets a conflict."""
    kenmerk = on_stuurgroep(omgeving)
    from workflow.opslag.models import Voorstel

    with omgeving.db.lees() as session:
        stale = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk))
    assert stale is not None
    uitkomsten.aanhouden(omgeving, kenmerk, "later", door="anna")
    with pytest.raises(Conflict), omgeving.db.schrijf() as session:
        merged = session.merge(stale, load=False)
        merged.titel = "Overschreven door bram"
    assert lezen.dossier(omgeving, kenmerk).voorstel.titel == "Voorstel"


def test_history_is_append_only(omgeving: Omgeving) -> None:
    kenmerk = on_stuurgroep(omgeving)
    for statement in ("UPDATE gebeurtenis SET door = 'iemand anders'",
                      "DELETE FROM gebeurtenis"):
        with pytest.raises(Exception, match="alleen aan te vullen"), \
                omgeving.db.engine.begin() as conn:
            conn.execute(text(statement))
    with omgeving.db.lees() as session:
        doors = set(session.scalars(select(Gebeurtenis.door)))
    assert doors == {"a"}
    assert history_of(omgeving, kenmerk)[0] == "indienen"


def test_two_writers_adding_the_same_row_end_in_a_conflict_not_a_traceback(
        omgeving: Omgeving) -> None:
    from workflow.opslag.models import Vergadering

    with omgeving.db.lees() as session:
        bestaand = session.scalars(select(Vergadering).limit(1)).one()
    with pytest.raises(Conflict, match="iemand anders legde tegelijk hetzelfde vast"), \
            omgeving.db.schrijf() as session:
        session.add(Vergadering(sleutel=bestaand.sleutel, orgaan=bestaand.orgaan,
                                begin=bestaand.begin, oorspronkelijk_begin=bestaand.begin,
                                plaats="", geannuleerd=False, opmerking="", handmatig=False,
                                volgnummer=0))


def test_two_secretaries_correcting_a_title_at_once_one_gets_a_conflict(
        omgeving: Omgeving) -> None:
    clock.act_as(datetime(2021, 6, 7, 9, 0, tzinfo=clock.TZ))
    kenmerk = indienen.indienen(omgeving, titel="Voorstel", route="grjr-procesvoorstel",
                                  opsteller="A. Opsteller", door="a",
                                  beslispunten=("Instemmen",))
    barrier = threading.Barrier(2, timeout=20)
    is_postgres = not omgeving.db.is_sqlite
    if is_postgres:
        @event.listens_for(Session, "before_flush")
        def both_have_read(session: Session, *_: Any) -> None:
            if getattr(threading.current_thread(), "race", False):
                threading.current_thread().race = False  # type: ignore[attr-defined]
                barrier.wait()

    outcomes: dict[str, str] = {}

    def act(naam: str) -> None:
        threading.current_thread().race = True  # type: ignore[attr-defined]
        try:
            correcties.wijzig(omgeving, kenmerk, door=naam, titel=f"Titel van {naam}")
            outcomes[naam] = "gewonnen"
        except Conflict as exc:
            outcomes[naam] = str(exc)

    threads = [threading.Thread(target=act, args=(n,)) for n in ("anna", "bram")]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        if is_postgres:
            event.remove(Session, "before_flush", both_have_read)
    assert sorted(outcomes) == ["anna", "bram"]
    dossier = lezen.dossier(omgeving, kenmerk)
    wijzigingen = [g.door for g in dossier.geschiedenis if g.handeling == "wijzigen"]
    if is_postgres:
        [winner] = [n for n, o in outcomes.items() if o == "gewonnen"]
        loser = next(o for o in outcomes.values() if o != "gewonnen")
        assert loser.startswith("conflict: iemand anders heeft dit voorstel zojuist gewijzigd")
        assert wijzigingen == [winner]
        assert dossier.voorstel.titel == f"Titel van {winner}"
    else:
        # SQLite serialises writers: the second corrects the first, both are in the history.
        assert set(outcomes.values()) == {"gewonnen"} and sorted(wijzigingen) == ["anna", "bram"]


def test_the_portal_hears_a_commit_by_another_writer_and_nothing_else(omgeving: Omgeving) -> None:
    """The portal keeps what it read until something is committed, by any process: its number
    stays put while nobody writes and moves after a commit elsewhere (on PostgreSQL through
    LISTEN/NOTIFY, on SQLite through PRAGMA data_version)."""
    wachter = omgeving.db.wachter
    eerst = wachter.generatie()
    assert eerst is not None, "de wachter hoort niets: het portaal zou nooit iets onthouden"
    assert wachter.generatie() == eerst
    ander = Omgeving(definities_map=omgeving.definities_map, sjablonen_map=None,
                     database_url=omgeving.database_url, uitgaand_map=omgeving.uitgaand_map)
    try:
        clock.act_as(datetime(2021, 6, 7, 9, 0, tzinfo=clock.TZ))
        indienen.indienen(ander, titel="Nieuw", route="grjr-procesvoorstel", opsteller="A",
                          door="a", beslispunten=("Instemmen",))
    finally:
        clock.act_as(None)
        ander.sluit()
    daarna = wachter.generatie()
    assert daarna is not None and daarna != eerst
    assert wachter.generatie() == daarna
