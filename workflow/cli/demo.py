"""`besluitroute demo`: the cliëntparticipatie proposal of seed 002 through its 2021 route."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving

TITEL = "Procesvoorstel cliëntparticipatie"
BESLISPUNTEN = (
    "Uitwerking van de adviezen uit het plan van aanpak voor cliëntparticipatie door JSO "
    "(zie bijlage), inclusief de bijbehorende begroting.",
    "Inzetten van de praatplaat als instrument om in gesprek te gaan over de regiovisie "
    "(zie bijlage).",
)
ADVIES_STUURGROEP = (
    "Bouw voort op bestaande initiatieven rond participatie, zowel lokaal aan gemeentelijke "
    "zijde als aanbieders zijde. Vraag op een creatieve manier input voor beleid met een "
    "kritische blik. Communiceer met ouders en jongeren en deel resultaten breed."
)


@click.command()
@click.option("--map", "map_", type=click.Path(path_type=Path, file_okay=False), metavar="PAD",
              help="Map voor de demodatabase (standaard een nieuwe tijdelijke map).")
@click.pass_obj
def demo(env: Omgeving, map_: Path | None) -> None:
    """Loop het procesvoorstel cliëntparticipatie (GR JR, 2021) door de hele route.

    Maakt een nieuwe SQLite-database met de meegeleverde definities en toont elke stap:
    Programmateam 14 juni, Stuurgroep transformatie 23 juni, AOJ 24 juni, AB platform jeugd 2 juli.
    """
    import tempfile
    from datetime import datetime

    from workflow import clock, operations
    from workflow.definities import Uitkomst
    from workflow.fouten import GebruikersFout
    from workflow.omgeving import Omgeving

    folder = map_ if map_ is not None else Path(tempfile.mkdtemp(prefix="besluitroute-demo-"))
    database = folder / "besluitroute.db"
    if database.exists():
        raise GebruikersFout(f"{database} bestaat al; kies een lege map met --map")
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{database}"
    demo_env = Omgeving(definities_map=env.definities_map, sjablonen_map=env.sjablonen_map,
                        database_url=url, uitgaand_map=folder / "uitgaand", config=env.config)
    try:
        demo_env.db.migreer()
        secretariaat = "secretariaat GR JR (demo)"

        def op(moment: str, wat: str) -> None:
            clock.act_as(datetime.fromisoformat(moment).replace(tzinfo=clock.TZ))
            click.echo("")
            click.echo(f"== {moment.replace('T', ' ')}  {wat}")

        op("2021-06-07T09:00", "indienen")
        kenmerk = operations.indienen(
            demo_env, titel=TITEL, route="grjr-procesvoorstel", opsteller="Anja Jongerius",
            door=secretariaat, in_opdracht_van="ab-platform-jeugd", beslispunten=BESLISPUNTEN,
            versie="14 juni",
        )
        click.echo(f"voorstel {kenmerk} ingediend")
        stappen: list[tuple[str, str, Uitkomst, str]] = [
            ("2021-06-14T12:00", "advies Programmateam", Uitkomst.POSITIEF,
             "Akkoord; door naar de stuurgroep."),
            ("2021-06-23T16:00", "advies Stuurgroep transformatie", Uitkomst.VOORWAARDELIJK,
             ADVIES_STUURGROEP),
            ("2021-06-24T15:00", "advies AOJ", Uitkomst.POSITIEF, "Positief advies."),
        ]
        op("2021-06-07T09:05", "agenderen bij het Programmateam")
        _toon(demo_env, operations.agenderen(demo_env, kenmerk, door=secretariaat))
        for moment, wat, uitkomst, tekst in stappen:
            op(moment, wat)
            _toon(demo_env, operations.advies(demo_env, kenmerk, uitkomst, tekst,
                                              door=secretariaat))
            op(moment, "agenderen bij de volgende stap")
            # Seed 002 plans all meetings up front; the AOJ meets the day after the stuurgroep,
            # so its deadline has passed by now and the item is entered as nagekomen.
            resultaat = _agendeer_volgende(demo_env, kenmerk, secretariaat)
            _toon(demo_env, resultaat)
        op("2021-07-02T12:00", "besluit AB platform jeugd")
        _toon(demo_env, operations.besluit(demo_env, kenmerk, Uitkomst.VASTGESTELD,
                                           "Beide beslispunten aangenomen.", door=secretariaat))
        clock.act_as(None)
        click.echo("")
        click.echo("== resultaat")
        from workflow.cli.voorstel import _print_dossier

        _print_dossier(demo_env, operations.dossier(demo_env, kenmerk))
        click.echo("")
        click.echo(f"De demodatabase staat in {database}. Bekijk hem verder met:")
        click.echo(f"  besluitroute --database {url} voorstel toon {kenmerk}")
    finally:
        clock.act_as(None)
        demo_env.sluit()


def _agendeer_volgende(env: Omgeving, kenmerk: str, door: str) -> object:
    from workflow import operations, vergaderingen

    dossier = operations.dossier(env, kenmerk)
    machine = env.routes.machine(dossier.voorstel.route)
    if dossier.voorstel.vergadering_id is not None:  # already moved on by its plan
        return operations.Resultaat(kenmerk, dossier.voorstel.toestand,
                                    machine.label(dossier.voorstel.toestand, env.definities),
                                    dossier.voorstel.vergadering)
    stap = machine.huidige_stap(dossier.voorstel.toestand)
    assert stap is not None
    from workflow import clock

    with env.db.schrijf() as session:
        vergaderingen.synchroniseer(session, env.definities, [stap.orgaan])
        volgende = vergaderingen.volgende(session, env.definities.orgaan(stap.orgaan),
                                          clock.now())
        assert volgende is not None
        vergadering_id = volgende.id
    return operations.agenderen(env, kenmerk, door=door, vergadering_id=vergadering_id,
                                na_deadline=True)


def _toon(env: Omgeving, resultaat: object) -> None:
    from workflow.cli.voorstel import _meld

    _meld(env, resultaat)  # type: ignore[arg-type]
