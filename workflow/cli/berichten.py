"""Reminders, the outbox and the planner: `herinneringen verstuur`, `berichten lijst|opnieuw`,
`planner`. Heavy imports (sqlalchemy, apscheduler, jinja2) happen inside the commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workflow.cli import ID, INHAALTERMIJN, LazyGroup
from workflow.cli.uitvoer import json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.group(cls=LazyGroup, lazy={})
def herinneringen() -> None:
    """Herinneringen en agendaverzending (voor cron: 'herinneringen verstuur')."""


@herinneringen.command("verstuur")
@click.option("--inhaaltermijn", "uren", type=INHAALTERMIJN, metavar="UREN",
              help="Hoe lang na het moment een herinnering nog wordt gemaakt (standaard 24).")
@click.pass_obj
def verstuur(env: Omgeving, uren: float | None) -> None:
    """Maak de herinneringen die nu verschuldigd zijn en verstuur wat klaarstaat; stopt daarna.

    Voorbeeld (inhalen alsof het maandagochtend is):
    besluitroute --nu 2026-10-26T09:05 herinneringen verstuur
    """
    from workflow.berichten import ronde, uitgaand

    uitgaand.vereis_outbox(env.db)
    verslag = ronde.ronde(env, ronde.inhaaltermijn(env, uren))
    click.echo(verslag.regel())
    if verslag.gepubliceerd:  # the pass publishes what is due (Woo)
        click.echo(f"openbaarmaking: {verslag.gepubliceerd} gepubliceerd")


@click.group(cls=LazyGroup, lazy={})
def berichten() -> None:
    """De uitgaande berichten (outbox): bekijken en opnieuw versturen."""


@berichten.command("lijst")
@click.option("--status", metavar="STATUS",
              help="Alleen berichten met deze status: wachtend, bezig, verzonden, mislukt, "
                   "vervallen, overgeslagen.")
@json_optie
@click.pass_obj
def lijst(env: Omgeving, status: str | None, als_json: bool) -> None:
    """Toon de berichten in de outbox, nieuwste eerst."""
    from workflow.basis.tekst import datum_tijd, iso
    from workflow.berichten import uitgaand

    uitgaand.vereis_outbox(env.db)
    rijen = uitgaand.lijst(env.db, status)
    if als_json:
        print_json([{
            "id": b.id, "status": b.status, "soort": b.soort, "aan": b.ontvangers,
            "onderwerp": b.onderwerp, "vergadering": b.vergadering, "pogingen": b.pogingen,
            "volgende_poging": iso(b.volgende_poging), "laatste_fout": b.laatste_fout,
            "opmerking": b.opmerking,
            "verschuldigd_op": iso(b.verschuldigd_op) if b.verschuldigd_op else None,
            "message_id": b.message_id, "aangemaakt_op": iso(b.aangemaakt_op),
            "verzonden_op": iso(b.verzonden_op) if b.verzonden_op else None,
            "mislukt_op": iso(b.mislukt_op) if b.mislukt_op else None,
        } for b in rijen])
        return
    if not rijen:
        click.echo("geen berichten")
        return
    tabel(["id", "status", "aan", "onderwerp", "pogingen", "aangemaakt", "laatste fout"],
          [[b.id, b.status, b.ontvangers, b.onderwerp, b.pogingen, datum_tijd(b.aangemaakt_op),
            uitgaand.leesbare_fout(b.laatste_fout or b.opmerking)] for b in rijen])


@berichten.command("opnieuw")
@click.argument("bericht_id", metavar="ID", type=ID)
@click.pass_obj
def opnieuw(env: Omgeving, bericht_id: int) -> None:
    """Zet een mislukt, vervallen, overgeslagen of verzonden bericht opnieuw klaar (zelfde
    Message-ID)."""
    from workflow.berichten import uitgaand

    uitgaand.vereis_outbox(env.db)
    bericht = uitgaand.opnieuw(env.db, bericht_id)
    click.echo(f"bericht {bericht.id} staat weer klaar voor verzending aan {bericht.ontvangers}")


@click.command("planner")
@click.option("--grace", "uren", type=INHAALTERMIJN, metavar="UREN",
              help="Inhaaltermijn na uitval: wat binnen zoveel uur verschuldigd werd, gaat "
                   "alsnog (eenmaal) uit. Standaard 24, of [herinneringen] inhaaltermijn_uren.")
@click.option("--interval", type=click.IntRange(1, 3600), default=300, show_default=True,
              metavar="SECONDEN", help="Tijd tussen twee rondes.")
@click.option("--stand-by-interval", "wachttijd", type=click.FloatRange(0.1, 60), default=15,
              show_default=True, metavar="SECONDEN",
              help="PostgreSQL: hoe vaak een stand-by probeert het over te nemen.")
@click.pass_obj
def planner(env: Omgeving, uren: float | None, interval: int, wachttijd: float) -> None:
    """Draai de planner op de voorgrond: herinneringen en agenda's op tijd, tot SIGTERM.

    Per database draait één planner. Op PostgreSQL wacht een tweede als stand-by en neemt
    het over als de eerste wegvalt; op SQLite weigert een tweede te starten.
    """
    import logging

    from workflow.basis import logboek
    from workflow.basis.fouten import GebruikersFout
    from workflow.berichten import planner, ronde

    if click.get_current_context().find_root().params.get("nu"):
        raise GebruikersFout("--nu werkt niet met de planner; gebruik "
                             "'herinneringen verstuur' om op een gekozen moment te handelen")
    logboek.stel_in()  # one Dutch line per event on stdout (journald)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    planner.draai_planner(env, grace=ronde.inhaaltermijn(env, uren), interval=interval,
                       wachttijd=wachttijd)
