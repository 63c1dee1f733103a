"""`voorstel zienswijze`: a council's answer to a draft of the joint arrangement; `voorstel
toezenden`: the adopted proposal on to Gedeputeerde Staten. Parse, call, print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli import Pad
from workflow.cli.uitvoer import door_optie

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command("zienswijze")
@click.argument("kenmerk")
@click.option("--raad", required=True, metavar="GEMEENTE",
              help="De deelnemer: sleutel, naam of sleutel van zijn raad (zie het bestand van "
                   "het algemeen bestuur, 'deelnemers:').")
@click.option("--uitkomst", required=True, type=click.Choice(["geen-bezwaar", "zienswijze"]))
@click.option("--tekst", default="", help="De zienswijze zelf, of een samenvatting.")
@click.option("--bijlage", type=Pad(path_type=Path, dir_okay=False), metavar="PAD",
              help="De brief van de raad; wordt als document van het voorstel geregistreerd.")
@door_optie
@click.pass_obj
def zienswijze(env: Omgeving, kenmerk: str, raad: str, uitkomst: str, tekst: str,
               bijlage: Path | None, door: str) -> None:
    """Leg het antwoord van een gemeenteraad vast; na de termijn gemarkeerd als te laat.

    Voorbeeld: besluitroute voorstel zienswijze 2027-001 --raad schiedam --uitkomst zienswijze
    --tekst "De raad vraagt om ..." --bijlage zienswijze-schiedam.pdf
    """
    from workflow.voorstellen import zienswijzen

    click.echo(zienswijzen.zienswijze(env, kenmerk, raad, zienswijzen.Antwoord(uitkomst),
                                      door=door, tekst=tekst, bijlage=bijlage).melding)


@click.command("toezenden")
@click.argument("kenmerk")
@click.option("--aan", required=True, metavar="WIE", help="Bijvoorbeeld 'Gedeputeerde Staten'.")
@door_optie
@click.pass_obj
def toezenden(env: Omgeving, kenmerk: str, aan: str, door: str) -> None:
    """Leg vast dat een vastgesteld voorstel is toegezonden (de begroting aan GS, Wgr art. 34).

    Voorbeeld: besluitroute voorstel toezenden 2027-001 --aan "Gedeputeerde Staten"
    """
    from workflow.voorstellen import toezending

    click.echo(toezending.toezenden(env, kenmerk, aan, door=door))
