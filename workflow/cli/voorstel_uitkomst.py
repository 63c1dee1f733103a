"""The outcomes a meeting records on a proposal: advies, besluit, aanhouden, terugverwijzen.
Each command: parse, call workflow.voorstellen.uitkomsten, print."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workflow.basis.tekst import citeer
from workflow.cli.uitvoer import door_optie
from workflow.cli.voorstel import meld

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command("advies")
@click.argument("kenmerk")
@click.option("--uitkomst", required=True,
              type=click.Choice(["positief", "negatief", "voorwaardelijk", "kennisgenomen"]))
@click.option("--tekst", default="", help="Het advies ('Het advies luidde: ...').")
@click.option("--orgaan", metavar="ORGAAN",
              help="Bij adviezen die tegelijk gevraagd zijn: welk orgaan (sleutel).")
@door_optie
@click.pass_obj
def advies(env: Omgeving, kenmerk: str, uitkomst: str, tekst: str, orgaan: str | None,
           door: str) -> None:
    """Leg het advies vast van het orgaan waar het voorstel geagendeerd is.

    Voorbeeld: besluitroute voorstel advies 2026-001 --uitkomst positief --tekst "Akkoord"
    """
    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import uitkomsten

    meld(env, uitkomsten.advies(env, kenmerk, Uitkomst(uitkomst), tekst, door=door,
                                orgaan=orgaan),
          gedaan=Uitkomst(uitkomst).label)


def _per_punt(values: tuple[str, ...]) -> dict[int, str]:
    from workflow.basis.fouten import GebruikersFout

    result: dict[int, str] = {}
    for value in values:
        nummer, sep, besluit = value.partition("=")
        if not sep or not nummer.strip().isdigit():
            raise GebruikersFout(f"--beslispunt {citeer(value)}: verwacht NUMMER=besluit, bijvoorbeeld "
                                 "2=verworpen")
        result[int(nummer)] = besluit.strip().replace("-", " ")
    return result


@click.command("besluit")
@click.argument("kenmerk")
@click.option("--uitkomst", required=True,
              type=click.Choice(["vastgesteld", "gewijzigd-vastgesteld", "afgewezen"]))
@click.option("--tekst", default="", help="Toelichting bij het besluit.")
@click.option("--beslispunt", "beslispunten", multiple=True, metavar="N=BESLUIT",
              help="Afwijkend besluit per beslispunt: aangenomen, gewijzigd-aangenomen of "
                   "verworpen.")
@door_optie
@click.pass_obj
def besluit(env: Omgeving, kenmerk: str, uitkomst: str, tekst: str,
            beslispunten: tuple[str, ...], door: str) -> None:
    """Leg het besluit vast van het beslissende orgaan.

    Voorbeeld: besluitroute voorstel besluit 2026-001 --uitkomst vastgesteld
    """
    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import uitkomsten

    meld(env, uitkomsten.besluit(env, kenmerk, Uitkomst(uitkomst), tekst, door=door,
                                  beslispunten=_per_punt(beslispunten)))


@click.command("aanhouden")
@click.argument("kenmerk")
@click.option("--reden", default="", help="Waarom het voorstel is aangehouden.")
@click.option("--orgaan", metavar="ORGAAN",
              help="Bij adviezen die tegelijk gevraagd zijn: welk orgaan (sleutel).")
@door_optie
@click.pass_obj
def aanhouden(env: Omgeving, kenmerk: str, reden: str, orgaan: str | None, door: str) -> None:
    """Houd een voorstel aan: het gaat naar de volgende vergadering van hetzelfde orgaan."""
    from workflow.voorstellen import uitkomsten

    meld(env, uitkomsten.aanhouden(env, kenmerk, reden, door=door, orgaan=orgaan),
         gedaan="aanhouden")


@click.command("terugverwijzen")
@click.argument("kenmerk")
@click.option("--reden", required=True, help="Wat de opsteller moet aanpassen.")
@click.option("--orgaan", metavar="ORGAAN",
              help="Bij adviezen die tegelijk gevraagd zijn: welk orgaan (sleutel).")
@door_optie
@click.pass_obj
def terugverwijzen(env: Omgeving, kenmerk: str, reden: str, orgaan: str | None,
                   door: str) -> None:
    """Verwijs een voorstel terug naar de opsteller voor een nieuwe versie."""
    from workflow.voorstellen import uitkomsten

    meld(env, uitkomsten.terugverwijzen(env, kenmerk, reden, door=door, orgaan=orgaan))
