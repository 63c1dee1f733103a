"""Woo publication and open data: `publicatie lijst|uitzonderen|publiceer`, `export oparl`.
Heavy imports happen inside the commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workflow.cli import LazyGroup
from workflow.cli.uitvoer import door_optie, json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.group(cls=LazyGroup, lazy={})
def publicatie() -> None:
    """Openbaarmaking (Woo): wat wanneer openbaar wordt, en uitzonderingen."""


@publicatie.command("lijst")
@click.option("--achterstallig", is_flag=True,
              help="Alleen wat had moeten zijn gepubliceerd en dat nog niet is.")
@json_optie
@click.pass_obj
def lijst(env: Omgeving, achterstallig: bool, als_json: bool) -> None:
    """Toon de publicatiemomenten: gepubliceerd, gepland en achterstallig.

    'voor invoering': het moment lag vóór de invoering van de regel (de installatie, of de
    definitieversie die de regel invoerde); niet achterstallig, wel te publiceren met
    'publicatie publiceer --van-voor-de-invoering'.

    Voorbeeld: besluitroute --nu 2021-07-20 publicatie lijst --achterstallig
    """
    from workflow.basis.tekst import iso
    from workflow.openbaarheid import publiceren

    env.db.vereis_schema()
    regels = alle = publiceren.lijst(env)
    if achterstallig:
        regels = [r for r in regels if r.status == "achterstallig"]
    if als_json:
        print_json([{
            "soort": r.moment.soort.value, "orgaan": r.moment.orgaan,
            "vergadering": r.moment.vergadering_id, "vergadering_begin": iso(r.moment.begin),
            "voorstel": r.moment.kenmerk, "regel": r.moment.regel.tekst,
            "moment": iso(r.moment.moment) if r.moment.moment else None, "status": r.status,
            "gepubliceerd_op": iso(r.gepubliceerd_op) if r.gepubliceerd_op else None,
        } for r in regels])
        return
    if regels:
        _toon(regels)
    else:
        click.echo("geen publicaties" if not achterstallig else "niets achterstallig")
    voor = sum(r.status == publiceren.VOOR_INVOERING for r in alle)
    if voor:
        click.echo(f"{voor} publicatie(s) van vóór de invoering van de regel: niet achterstallig; "
                   "publiceren kan met 'besluitroute publicatie publiceer "
                   "--van-voor-de-invoering'")


def _toon(regels: list[Any]) -> None:
    from workflow.basis.tekst import datum_tijd

    tabel(["moment", "status", "soort", "orgaan", "vergadering", "voorstel", "gepubliceerd"],
          [[datum_tijd(r.moment.moment) if r.moment.moment else "na besluit", r.status,
            r.moment.soort.value, r.moment.orgaan, datum_tijd(r.moment.begin),
            r.moment.kenmerk or "", datum_tijd(r.gepubliceerd_op) if r.gepubliceerd_op else ""]
           for r in regels])


@publicatie.command("publiceer")
@click.option("--van-voor-de-invoering", "voor_invoering", is_flag=True,
              help="Ook wat verschuldigd was vóór de invoering van de regel (status 'voor "
                   "invoering' in 'publicatie lijst'); leg eerst eventuele uitzonderingen vast.")
@door_optie
@click.pass_obj
def publiceer(env: Omgeving, voor_invoering: bool, door: str) -> None:
    """Publiceer wat nu verschuldigd is (doet 'herinneringen verstuur' ook). Idempotent.

    Voorbeeld: besluitroute publicatie publiceer --van-voor-de-invoering --door secretariaat
    """
    from workflow.openbaarheid import publiceren

    env.db.vereis_schema()
    aantal = publiceren.publiceer(env, door=door, van_voor_invoering=voor_invoering)
    click.echo(f"{aantal} gepubliceerd")


@publicatie.command("uitzonderen")
@click.argument("kenmerk")
@click.option("--grond", required=True, metavar="G",
              help="Woo-grond (art. 5.1/5.2), bijvoorbeeld 5.1.2.e; zie docs/openbaarheid.md.")
@click.option("--toelichting", required=True, metavar="T", help="Waarom deze grond van toepassing is.")
@door_optie
@click.pass_obj
def uitzonderen(env: Omgeving, kenmerk: str, grond: str, toelichting: str, door: str) -> None:
    """Maak de stukken van een voorstel nooit openbaar, met een Woo-grond (komt in de geschiedenis).

    Voorbeeld: besluitroute publicatie uitzonderen 2021-001 --grond 5.1.2.e --toelichting "namen"
    """
    from workflow.definities.publicatie import WOO_GRONDEN
    from workflow.openbaarheid import publiceren

    env.db.vereis_schema()
    ingetrokken = publiceren.uitzonderen(env, kenmerk, grond, toelichting, door=door)
    click.echo(f"{kenmerk}: stukken niet openbaar (art. {grond} Woo, {WOO_GRONDEN[grond]})"
               + (f"; {ingetrokken} publicatie(s) ingetrokken" if ingetrokken else ""))
    if ingetrokken:
        from workflow.openbaarheid.wooindex import export as wooindex

        wooindex.bijwerken(env)  # with [woo_index] map: out of the Woo-index now, not next pass

