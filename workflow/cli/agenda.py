"""Agendas, decision lists, cover sheets and documents. Each command: parse, call, print."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli import LazyGroup, Pad
from workflow.cli.uitvoer import door_optie

if TYPE_CHECKING:
    from datetime import timedelta

    from workflow.omgeving import Omgeving

_FORMAAT_HELP = ("html (om te printen of in de browser) of tekst (voor een e-mail); standaard "
                 "html als --uitvoer op .html eindigt, anders tekst.")


def _formaat_optie(func: click.decorators.FC) -> click.decorators.FC:
    return click.option("--formaat", type=click.Choice(["html", "tekst"]), default=None,
                        help=_FORMAAT_HELP)(func)


def _uitvoer_optie(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--maak-map", is_flag=True,
                        help="Maak de map van --uitvoer aan als die nog niet bestaat.")(func)
    return click.option("--uitvoer", type=Pad(path_type=Path, dir_okay=False),
                        metavar="PAD", help="Schrijf naar dit bestand in plaats van het scherm.")(func)


def _kies_formaat(formaat: str | None, uitvoer: Path | None) -> str:
    if formaat is not None:
        return formaat
    if uitvoer is not None and uitvoer.suffix.lower() in (".html", ".htm"):
        return "html"
    return "tekst"


def _lever(inhoud: str, uitvoer: Path | None, wat: str, maak_map: bool = False) -> None:
    if uitvoer is None:
        click.echo(inhoud, nl=False)
        return
    from workflow.basis.bestanden import schrijf_atomair

    schrijf_atomair(uitvoer, inhoud, maak_map=maak_map)
    click.echo(f"{wat} geschreven naar {uitvoer}")


@click.group(cls=LazyGroup, lazy={})
def agenda() -> None:
    """Agenda's maken en op tijd laten klaarzetten (cron)."""


@agenda.command("maak")
@click.argument("vergadering")
@_formaat_optie
@_uitvoer_optie
@click.pass_obj
def maak(env: Omgeving, vergadering: str, formaat: str | None, uitvoer: Path | None,
         maak_map: bool) -> None:
    """Maak de agenda van een VERGADERING (id of sleutel, zie 'vergadering lijst').

    Voorbeeld: besluitroute agenda maak 7 --uitvoer agenda.html
    """
    from workflow.agenda import generatie, laden

    formaat = _kies_formaat(formaat, uitvoer)
    data = laden.laad_agenda(env, vergadering)
    _lever(generatie.render_agenda(env, data, formaat), uitvoer, "agenda", maak_map)


@agenda.command("genereer")
@click.option("--binnen", default="0", show_default=True, metavar="TERMIJN",
              help="Ook agenda's waarvan het verzendmoment binnen deze termijn valt "
                   "(bijvoorbeeld 7d of 12u).")
@click.option("--map", "map_", type=Pad(path_type=Path, file_okay=False), metavar="PAD",
              help="Map voor de agenda's (moet bestaan, of --maak-map); standaard "
                   "<uitgaand>/agendas.")
@click.option("--maak-map", is_flag=True, help="Maak de map (en de mappen erboven) als die er "
                                               "nog niet is.")
@click.option("--stil", is_flag=True,
              help="Geen uitvoer als alles lukt; alleen fouten (op stderr). Voor cron.")
@click.option("--alleen-wijzigingen", is_flag=True,
              help="Meld alleen nieuwe, gewijzigde en herstelde bestanden (cron mailt dan alleen "
                   "als er iets veranderde).")
@click.pass_obj
def genereer(env: Omgeving, binnen: str, map_: Path | None, maak_map: bool, stil: bool,
             alleen_wijzigingen: bool) -> None:
    """Zet elke agenda klaar waarvan het verzendmoment is aangebroken (voor cron).

    Alleen vergaderingen die nog moeten beginnen en niet geannuleerd zijn. Per vergadering een
    HTML- en een tekstbestand. Ongewijzigde inhoud: het bestand blijft staan. Gewijzigde inhoud:
    een nieuwe versie (…-v2.html) en een regel in het logboek. Met --stil blijft de uitvoer leeg
    als alles lukt (cron mailt dan alleen fouten); met --alleen-wijzigingen blijft hij leeg als
    er niets veranderde.

    Voorbeeld: besluitroute agenda genereer --binnen 2d --map /srv/agendas
    """
    from workflow.agenda import generatie

    termijn = _termijn(binnen)
    # A folder named here must exist (or --maak-map); the default one is besluitroute's own.
    doel = map_ if map_ is not None else generatie.agenda_map(env)
    resultaten = generatie.genereer(env, doel, termijn, maak_map=maak_map or map_ is None)
    if stil:
        return
    if alleen_wijzigingen:
        for r in resultaten:
            if r.actie != "ongewijzigd":
                click.echo(r.melding())
        return
    if not resultaten:
        click.echo("geen agenda's klaar te zetten: bij geen enkele komende vergadering is het "
                   "verzendmoment aangebroken")
        return
    for r in resultaten:
        click.echo(r.melding())
    telling: dict[str, int] = {}
    for r in resultaten:
        telling[r.actie] = telling.get(r.actie, 0) + 1
    delen = ", ".join(f"{aantal} {actie}" for actie, aantal in sorted(telling.items()))
    vergaderingen = len({r.vergadering for r in resultaten})
    click.echo(f"{vergaderingen} vergadering(en), {len(resultaten)} bestanden: {delen}")


@click.command("besluitenlijst")
@click.argument("vergadering")
@_formaat_optie
@_uitvoer_optie
@click.pass_obj
def besluitenlijst(env: Omgeving, vergadering: str, formaat: str | None,
                   uitvoer: Path | None, maak_map: bool) -> None:
    """Maak de besluitenlijst van een VERGADERING (id of sleutel).

    Voorbeeld: besluitroute besluitenlijst 12 --formaat html --uitvoer besluiten.html
    """
    from workflow.agenda import generatie, laden

    formaat = _kies_formaat(formaat, uitvoer)
    data = laden.laad_besluitenlijst(env, vergadering)
    _lever(generatie.render_besluitenlijst(env, data, formaat), uitvoer, "besluitenlijst",
           maak_map)


@click.command("bijlage")
@click.argument("kenmerk")
@click.argument("pad", type=Pad(path_type=Path, dir_okay=False))
@click.option("--omschrijving", metavar="TEKST", help="Wat het document is.")
@door_optie
@click.pass_obj
def bijlage(env: Omgeving, kenmerk: str, pad: Path, omschrijving: str | None, door: str) -> None:
    """Registreer een document (bijlage) bij een voorstel.

    Een gewijzigd bestand met dezelfde naam wordt een nieuwe versie; een ongewijzigd bestand wordt
    herkend en niet opnieuw toegevoegd.

    Voorbeeld: besluitroute voorstel bijlage 2021-001 plan-van-aanpak.pdf --omschrijving "Plan"
    """
    from workflow.voorstellen import documenten

    env.db.vereis_schema()
    resultaat = documenten.registreer(env, kenmerk, pad, door=door, omschrijving=omschrijving)
    click.echo(resultaat.melding)


@click.command("document")
@click.argument("kenmerk")
@_formaat_optie
@_uitvoer_optie
@click.pass_obj
def document(env: Omgeving, kenmerk: str, formaat: str | None, uitvoer: Path | None,
             maak_map: bool) -> None:
    """Maak het voorblad van een voorstel (Aan, Van, Datum, ..., Te bespreken in).

    Voorbeeld: besluitroute voorstel document 2021-001 --uitvoer 2021-001.html
    """
    from workflow.agenda import generatie, laden

    formaat = _kies_formaat(formaat, uitvoer)
    data = laden.laad_voorblad(env, kenmerk)
    _lever(generatie.render_voorblad(env, data, formaat), uitvoer, "voorblad", maak_map)


def _termijn(tekst: str) -> timedelta:
    """'7d' (days), '12u' or '12h' (hours), '0': a look-ahead for `agenda genereer --binnen`."""
    from datetime import timedelta

    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import citeer

    waarde = tekst.strip().lower()
    eenheden = {"d": "days", "u": "hours", "h": "hours"}
    if waarde == "0":
        return timedelta(0)
    if len(waarde) >= 2 and waarde[-1] in eenheden and waarde[:-1].isdigit():
        aantal = int(waarde[:-1])
        if aantal <= 366 * (24 if waarde[-1] != "d" else 1):
            return timedelta(**{eenheden[waarde[-1]]: aantal})
    raise GebruikersFout(f"ongeldige termijn {citeer(tekst)} (bijvoorbeeld 7d voor zeven dagen of 12u "
                         "voor twaalf uur; hoogstens een jaar)")
