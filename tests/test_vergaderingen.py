"""Meetings follow the definitions; unchanged bodies cost nothing on every later pass."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from workflow.basis import tekst
from workflow.basis.paden import meegeleverd
from workflow.definities.model import Definities
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering


def test_a_second_synchronisation_skips_every_unchanged_body(omgeving: Omgeving) -> None:
    # `init` (the fixture) synchronised every body of version 1 once.
    with omgeving.db.lees() as session:
        first = len(vergaderingen.lijst(session))
    with omgeving.db.schrijf() as session:
        again = vergaderingen.synchroniseer(session, omgeving.definities)
    assert first > 300
    assert again == 0


def test_a_changed_body_is_synchronised_again(omgeving: Omgeving) -> None:
    with omgeving.db.schrijf() as session:
        vergaderingen.synchroniseer(session, omgeving.definities)
    aoj = omgeving.definities.orgaan("aoj")
    cancelled = dataclasses.replace(aoj, afgelast=(date(2026, 6, 25),))
    changed = Definities(map=omgeving.definities.map,
                         organen={**omgeving.definities.organen, "aoj": cancelled},
                         routes=omgeving.definities.routes)
    with omgeving.db.schrijf() as session:
        assert vergaderingen.synchroniseer(session, changed) == 1
    with omgeving.db.lees() as session:
        row = session.scalar(select(Vergadering).where(Vergadering.sleutel == "aoj-20260625"))
    assert row is not None and row.geannuleerd and row.volgnummer == 1


def test_a_meeting_cancelled_in_the_definitions_replans_the_proposals_on_it(
        database_url: str, tmp_path: Path) -> None:
    from workflow.basis import clock
    from workflow.beheer import toepassen
    from workflow.definities import versies
    from workflow.voorstellen import herplanning, indienen, lezen

    folder = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), folder)
    env = Omgeving(definities_map=folder, sjablonen_map=None, database_url=database_url,
                   uitgaand_map=tmp_path / "uitgaand")
    toepassen.init(env, door="secretaris")
    clock.act_as(datetime(2026, 3, 2, 10, 0, tzinfo=clock.TZ))
    kenmerk = indienen.indienen(env, titel="Voorstel", route="grjr-procesvoorstel",
                                  opsteller="O", door="secretaris",
                                  beslispunten=("Instemmen",))
    herplanning.vastleggen(env, kenmerk, door="secretaris")
    before = {r.stap: r for r in lezen.dossier(env, kenmerk).agendapunten}
    aoj_dag = clock.local(before["aoj"].vergadering.begin).date()
    env.sluit()

    # The secretariat cancels that AOJ meeting in the YAML, not with the CLI.
    path = folder / "organen" / "aoj.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"afgelast: [{aoj_dag.isoformat()}]\n",
                    encoding="utf-8")
    edited = Omgeving(definities_map=folder, sjablonen_map=None, database_url=database_url,
                      uitgaand_map=tmp_path / "uitgaand")
    try:
        bron = versies.lees_map(folder)
        getoond = toepassen.voorbeeld(edited, bron, door="secretaris")
        toepassen.toepassen(edited, bron, getoond, door="secretaris")
        dossier = lezen.dossier(edited, kenmerk)
    finally:
        edited.sluit()
        clock.act_as(None)
    after = {r.stap: r for r in dossier.agendapunten}
    assert clock.local(after["aoj"].vergadering.begin).date() > aoj_dag
    assert not after["aoj"].vergadering.geannuleerd
    notes = [g.tekst or "" for g in dossier.geschiedenis if g.handeling == "annuleren"]
    assert notes == [f"vergadering Ambtelijk Overleg Jeugd van "
                     f"{tekst.datum_tijd(before['aoj'].vergadering.begin)} afgelast in "
                     "definities versie 2"], notes
    assert any(g.handeling == "herplannen" for g in dossier.geschiedenis)
