"""Attendance and votes: `vergadering aanwezig` and `voorstel stemming`. Each command: parse,
call workflow.besluitvorming / workflow.voorstellen.stemmingen, print."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workflow.basis.tekst import citeer
from workflow.cli import ID
from workflow.cli.uitvoer import door_optie

if TYPE_CHECKING:
    from workflow.besluitvorming.aanwezigheid import Opgave
    from workflow.omgeving import Omgeving


def _opgaven(leden: tuple[str, ...], afwezig: tuple[str, ...], redenen: tuple[str, ...],
             vervangers: tuple[str, ...]) -> list[Opgave]:
    from workflow.basis.fouten import GebruikersFout
    from workflow.besluitvorming.aanwezigheid import Hoedanigheid, opgave

    if redenen and len(redenen) != len(afwezig):
        raise GebruikersFout(f"{len(afwezig)} keer --afwezig maar {len(redenen)} keer --reden: "
                             "geef bij elke --afwezig een --reden, of bij geen enkele")
    result = [opgave(Hoedanigheid.AANWEZIG, naam) for naam in leden]
    result += [opgave(Hoedanigheid.AFWEZIG, naam, reden=redenen[i] if redenen else None)
               for i, naam in enumerate(afwezig)]
    for waarde in vervangers:
        naam, sep, voor = waarde.partition("=")
        if not sep or not naam.strip() or not voor.strip():
            raise GebruikersFout(f"--vervanger {citeer(waarde)}: verwacht NAAM=LID, bijvoorbeeld "
                                 "'Wethouder financiën Schiedam=Wethouder jeugd Schiedam'")
        result.append(opgave(Hoedanigheid.VERVANGER, naam, namens=voor))
    return result


@click.command("aanwezig")
@click.argument("vergadering", metavar="VERGADERING")
@click.option("--lid", "leden", multiple=True, metavar="NAAM",
              help="Een aanwezig lid (naam zoals in de definities); herhaal voor meer leden.")
@click.option("--afwezig", multiple=True, metavar="NAAM", help="Een lid dat zich afmeldde.")
@click.option("--reden", "redenen", multiple=True, metavar="TEKST",
              help="De reden van de afmelding, bij elke --afwezig in dezelfde volgorde "
                   "(niet openbaar).")
@click.option("--vervanger", "vervangers", multiple=True, metavar="NAAM=LID",
              help="Wie een lid verving: NAAM=LID.")
@click.option("--herhaalt", type=ID, metavar="ID",
              help="Deze vergadering is opnieuw belegd omdat vergadering ID geen quorum had "
                   "(Gemeentewet art. 20, tweede lid).")
@door_optie
@click.pass_obj
def aanwezig(env: Omgeving, vergadering: str, leden: tuple[str, ...],
             afwezig: tuple[str, ...], redenen: tuple[str, ...], vervangers: tuple[str, ...],
             herhaalt: int | None, door: str) -> None:
    """Leg vast wie er bij een VERGADERING (id of sleutel) was; opnieuw vastleggen verbetert
    de lijst.

    Leden die niet genoemd worden, waren afwezig zonder bericht. Verbeteren kan tot de
    besluitenlijst is vastgesteld (bij de volgende vergadering van het orgaan). Zonder opties:
    toon elke vastgelegde versie.

    Voorbeeld: besluitroute vergadering aanwezig 12 --lid "Wethouder jeugd Rotterdam"
    --afwezig "Wethouder jeugd Nissewaard" --reden ziek
    """
    from workflow.agenda.laden import zoek_vergadering
    from workflow.basis.tekst import datum
    from workflow.besluitvorming import vastleggen

    env.db.vereis_schema()
    with env.db.lees() as session:
        vergadering_id = zoek_vergadering(session, vergadering).id
    if not (leden or afwezig or redenen or vervangers or herhaalt):
        _toon(env, vergadering_id)
        return
    opgaven = _opgaven(leden, afwezig, redenen, vervangers)
    r = vastleggen.leg_vast(env, vergadering_id, opgaven, door=door, herhaalt=herhaalt)
    click.echo(f"vergadering {r.vergadering.id} ({r.orgaan.naam}, {datum(r.vergadering.begin)}): "
               f"aanwezigheid vastgelegd (versie {r.versie}); {r.toets.melding}")
    if not r.toets.gehaald:
        click.echo(f"let op: het quorum is niet gehaald; {r.orgaan.genoemd()} kan in deze "
                   "vergadering niet besluiten")


def _toon(env: Omgeving, vergadering_id: int) -> None:
    """Every recorded version of the attendance, oldest first (its history)."""
    from workflow.basis.tekst import datum, datum_tijd
    from workflow.besluitvorming import vastleggen

    vergadering, orgaan, versies = vastleggen.versies(env, vergadering_id)
    if not versies:
        click.echo(f"vergadering {vergadering.id} ({orgaan.naam}, {datum(vergadering.begin)}): "
                   "nog geen aanwezigheid vastgelegd")
        return
    for v in versies:
        a = v.aanwezigheid
        click.echo(f"versie {v.versie}, {datum_tijd(v.tijdstip)} door {v.door}: "
                   f"{a.aantal_aanwezig} van de {len(a.stemgerechtigden)} leden aanwezig")
        for lid in a.aanwezig:
            click.echo(f"  aanwezig   {lid.naam}")
        for x in a.vervangen:
            click.echo(f"  vervanger  {x.vervanger} namens {x.lid.naam}")
        for af in a.afwezig:
            click.echo(f"  afwezig    {af.lid.naam} ({af.reden or 'zonder bericht'})")


@click.command("stemming")
@click.argument("kenmerk")
@click.option("--beslispunt", required=True, type=ID, metavar="N", help="Het nummer van het beslispunt.")
@click.option("--voor", multiple=True, metavar="NAAM", help="Stemde voor; herhaal per lid.")
@click.option("--tegen", multiple=True, metavar="NAAM", help="Stemde tegen; herhaal per lid.")
@click.option("--onthouden", multiple=True, metavar="NAAM", help="Onthield zich van stemming.")
@click.option("--zonder-stemming", is_flag=True, help="Aangenomen zonder stemming (hamerstuk).")
@door_optie
@click.pass_obj
def stemming(env: Omgeving, kenmerk: str, beslispunt: int, voor: tuple[str, ...],
             tegen: tuple[str, ...], onthouden: tuple[str, ...], zonder_stemming: bool,
             door: str) -> None:
    """Leg de stemming over een beslispunt vast; de stemmen wegen zoals de definities zeggen.

    Voorbeeld: besluitroute voorstel stemming 2021-001 --beslispunt 2
    --voor "Wethouder jeugd Rotterdam" --tegen "Wethouder jeugd BAR"
    """
    from workflow.besluitvorming.stemming import Keuze
    from workflow.voorstellen import stemmingen

    keuzes = ([(n, Keuze.VOOR) for n in voor] + [(n, Keuze.TEGEN) for n in tegen]
              + [(n, Keuze.ONTHOUDEN) for n in onthouden])
    env.db.vereis_schema()
    r = stemmingen.stem(env, kenmerk, beslispunt, keuzes, zonder_stemming=zonder_stemming,
                        door=door)
    click.echo(f"voorstel {r.kenmerk}, beslispunt {r.beslispunt}: {r.omschrijving} "
               f"(stemming vastgelegd, versie {r.versie})")
