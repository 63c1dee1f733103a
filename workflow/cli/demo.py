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
    from workflow.cli.voorstel import meld
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
        op("2021-06-07T09:05", "plannen en agenderen: Te bespreken in")
        from workflow import herplanning

        plan = herplanning.vastleggen(demo_env, kenmerk, door=secretariaat)
        for regel in herplanning.beschrijf(plan.regels):
            click.echo(f"  {regel}")
        for moment, wat, uitkomst, tekst in stappen:
            op(moment, wat)
            # Planned up front, as in seed 002: after its advice the proposal moves onto the next
            # planned meeting by itself, even where that meeting's deadline has passed since.
            meld(demo_env, operations.advies(demo_env, kenmerk, uitkomst, tekst,
                                              door=secretariaat), gedaan=uitkomst.label)
        op("2021-07-02T12:00", "besluit AB platform jeugd")
        meld(demo_env, operations.besluit(demo_env, kenmerk, Uitkomst.VASTGESTELD,
                                           "Beide beslispunten aangenomen.", door=secretariaat))
        clock.act_as(None)
        click.echo("")
        click.echo("== resultaat")
        from workflow.cli.voorstel import print_dossier

        print_dossier(demo_env, operations.dossier(demo_env, kenmerk))
        click.echo("")
        click.echo(f"De demodatabase staat in {database}. Bekijk hem verder met:")
        click.echo(f"  besluitroute --database {url} voorstel toon {kenmerk}")
    finally:
        clock.act_as(None)
        demo_env.sluit()


