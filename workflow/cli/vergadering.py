"""Meetings: list them; add, move and cancel them (lazy subcommands in planning.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import click

from workflow.basis.tekst import citeer
from workflow.cli import groep
from workflow.cli.uitvoer import json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.opslag.models import Vergadering


@groep(lazy={
    "verplaats": "workflow.cli.planning:verplaats",
    "annuleer": "workflow.cli.planning:annuleer",
    "toevoegen": "workflow.cli.planning:toevoegen",
})
def vergadering() -> None:
    """Vergaderingen van de organen."""


def _dag(value: str | None, optie: str) -> date | None:
    from workflow.basis.fouten import GebruikersFout

    if value is None:
        return None
    from workflow.cli import controleer_datum

    try:
        dag = date.fromisoformat(value)
    except ValueError:
        raise GebruikersFout(f"{optie}: ongeldige datum {citeer(value)} (verwacht JJJJ-MM-DD)") from None
    return controleer_datum(dag, value)


@vergadering.command("lijst")
@click.option("--orgaan", metavar="SLEUTEL", help="Alleen dit orgaan.")
@click.option("--van", "van_", metavar="DATUM", help="Vanaf deze datum (JJJJ-MM-DD).")
@click.option("--tot", metavar="DATUM", help="Tot en met deze datum (JJJJ-MM-DD).")
@json_optie
@click.pass_obj
def lijst(env: Omgeving, orgaan: str | None, van_: str | None, tot: str | None,
          als_json: bool) -> None:
    """Toon vergaderingen met hun id, aanleverdatum en verzenddatum.

    Voorbeeld: besluitroute vergadering lijst --orgaan aoj --van 2026-01-01 --tot 2026-12-31
    """
    from workflow.basis.clock import TZ
    from workflow.basis.tekst import datum, tijd
    from workflow.kalender import werkdagen
    from workflow.voorstellen import lezen

    begin_dag, eind_dag = _dag(van_, "--van"), _dag(tot, "--tot")
    van_moment = datetime.combine(begin_dag, time(0), TZ) if begin_dag else None
    tot_moment = datetime.combine(eind_dag + timedelta(days=1), time(0), TZ) if eind_dag else None
    rows = lezen.vergaderlijst(env, orgaan=orgaan, van=van_moment, tot=tot_moment)
    organen = env.definities.organen

    def deadlines(v: Vergadering) -> tuple[date | None, datetime | None]:
        body = organen.get(v.orgaan)
        if body is None:
            return None, None
        return werkdagen.aanleverdatum(body, v.begin), werkdagen.verzendmoment(body, v.begin)

    if als_json:
        data = []
        for v in rows:
            aanlever, verzend = deadlines(v)
            local = v.begin.astimezone(TZ)
            data.append({
                "id": v.id, "orgaan": v.orgaan, "datum": local.date().isoformat(),
                "tijd": local.strftime("%H:%M"), "plaats": v.plaats,
                "geannuleerd": v.geannuleerd,
                "aanleverdatum": aanlever.isoformat() if aanlever else None,
                "verzenddatum": verzend.date().isoformat() if verzend else None,
                "sleutel": v.sleutel,
            })
        print_json(data)
        return
    if not rows:
        click.echo("geen vergaderingen gevonden")
        return
    table = []
    for v in rows:
        aanlever, verzend = deadlines(v)
        naam = organen[v.orgaan].afkorting if v.orgaan in organen else v.orgaan
        table.append([v.id, naam, datum(v.begin), tijd(v.begin), v.plaats,
                      datum(aanlever) if aanlever else "", datum(verzend) if verzend else "",
                      "geannuleerd" if v.geannuleerd else ""])
    tabel(["id", "orgaan", "datum", "tijd", "plaats", "aanleveren", "agenda verzenden", ""], table)
