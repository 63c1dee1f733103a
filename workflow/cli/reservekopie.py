"""`reservekopie MAP` and `herstel MAP --database URL`: backing up and restoring the database
with its registered documents (workflow.beheer.reservekopie, workflow.beheer.herstel)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli import Pad

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command("reservekopie")
@click.argument("map_", metavar="MAP", type=Pad(path_type=Path))
@click.option("--maak-map", is_flag=True, help="Maak de map waarin MAP komt als die ontbreekt.")
@click.pass_obj
def reservekopie(env: Omgeving, map_: Path, maak_map: bool) -> None:
    """Schrijf een reservekopie van de database en de geregistreerde documenten naar MAP.

    Kan terwijl de planner en het portaal draaien. MAP is nieuw of leeg; de kopie verschijnt er
    pas als ze compleet is. Voorbeeld (elke nacht, uit cron):
    besluitroute reservekopie /srv/besluitroute/reservekopie/$(date +%F)
    """
    env.map_controleren = False  # a backup copies whatever the database holds
    from workflow.basis.tekst import omvang
    from workflow.beheer import reservekopie as kopie

    verslag = kopie.maak(env.db, map_, maak_map=maak_map)
    inhoud = verslag.inhoud
    bewaard = [s for s in inhoud.stukken if s.bewaard]
    click.echo(f"reservekopie geschreven: {map_}")
    click.echo(f"schemaversie {inhoud.schemaversie}, definitieversie {inhoud.definitieversie}, "
               f"{len(inhoud.tabellen)} tabellen, {sum(inhoud.tabellen.values())} rijen")
    click.echo(f"documenten: {len(bewaard)} van {len(inhoud.stukken)} bewaard "
               f"({omvang(sum(s.grootte for s in {s.sha256: s for s in bewaard}.values()))})")
    for stuk in verslag.ontbrekend:
        click.echo(f"waarschuwing: document {stuk.naam} (voorstel {stuk.kenmerk}, versie "
                   f"{stuk.versie}) ontbreekt of is gewijzigd op {stuk.bron}; niet bewaard",
                   err=True)


@click.command("herstel")
@click.argument("map_", metavar="MAP", type=Pad(path_type=Path, file_okay=False, exists=True))
@click.option("--database", "url", required=True, metavar="URL",
              help="De nieuwe, lege database waarin de reservekopie komt.")
@click.pass_obj
def herstel(env: Omgeving, map_: Path, url: str) -> None:
    """Zet een reservekopie terug in een nieuwe, lege database, met haar documenten.

    Controleert eerst de reservekopie (manifest, controlegetallen) en weigert een database die
    niet leeg is. Voorbeeld:
    besluitroute herstel /srv/besluitroute/reservekopie/2026-12-01 --database sqlite:////var/lib/besluitroute/hersteld.db
    """
    from workflow.beheer import herstel as terug
    from workflow.opslag.db import Database
    from workflow.opslag.engine import veilig

    db = Database(url)
    try:
        verslag = terug.herstel(map_, db)
    finally:
        db.dispose()
    click.echo(f"hersteld in {veilig(url)}: schemaversie {verslag.schemaversie}, "
               f"{verslag.tabellen} tabellen, {verslag.rijen} rijen (aantallen gecontroleerd)")
    click.echo(f"documenten: {verslag.teruggezet} teruggezet, {verslag.aanwezig} al op hun plaats")
    for regel in verslag.waarschuwingen:
        click.echo(f"waarschuwing: {regel}", err=True)
    if verslag.verouderd:
        click.echo("het schema is van een oudere versie: werk het bij met 'besluitroute "
                   "--database URL init'")
