"""Meetings: list them; add, move and cancel them (lazy subcommands in planning.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import click

from workflow.cli import groep
from workflow.cli.uitvoer import json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.opslag.models import Vergadering


@groep(lazy={
    "verplaats": "workflow.cli.planning:verplaats",
    "annuleer": "workflow.cli.planning:annuleer",
    "toevoegen": "workflow.cli.planning:toevoegen",
    "aanwezig": "workflow.cli.besluitvorming:aanwezig",
})
def vergadering() -> None:
    """Vergaderingen van de organen."""


def _dag(value: str | None, optie: str) -> date | None:
    """The day a `--van`/`--tot` names (a moment counts for its day)."""
    from workflow.basis.momenten import parse_moment

    return parse_moment(value, optie).date() if value is not None else None


#: Without --van, --tot or --alles: the meetings from today through this many weeks.
STANDAARD_WEKEN = 13


@vergadering.command("lijst")
@click.option("--orgaan", metavar="SLEUTEL", help="Alleen dit orgaan.")
@click.option("--van", "van_", metavar="DATUM", help="Vanaf deze datum (JJJJ-MM-DD).")
@click.option("--tot", metavar="DATUM", help="Tot en met deze datum (JJJJ-MM-DD).")
@click.option("--alles", is_flag=True, help="Alle vergaderingen, ook die van vroeger.")
@json_optie
@click.pass_obj
def lijst(env: Omgeving, orgaan: str | None, van_: str | None, tot: str | None, alles: bool,
          als_json: bool) -> None:
    """Toon vergaderingen met hun id, aanleverdatum en verzenddatum.

    Zonder --van, --tot of --alles: de vergaderingen van vandaag tot 13 weken verder.

    Voorbeeld: besluitroute vergadering lijst --orgaan aoj --van 2026-01-01 --tot 2026-12-31
    """
    from workflow.basis import clock
    from workflow.basis.clock import TZ
    from workflow.basis.tekst import datum
    from workflow.voorstellen import lezen

    begin_dag, eind_dag = _dag(van_, "--van"), _dag(tot, "--tot")
    venster = not alles and begin_dag is None and eind_dag is None
    if venster:
        begin_dag = clock.local(clock.now()).date()
        eind_dag = begin_dag + timedelta(weeks=STANDAARD_WEKEN, days=-1)
    van_moment = datetime.combine(begin_dag, time(0), TZ) if begin_dag else None
    tot_moment = datetime.combine(eind_dag + timedelta(days=1), time(0), TZ) if eind_dag else None
    rows = lezen.vergaderlijst(env, orgaan=orgaan, van=van_moment, tot=tot_moment)
    if als_json:
        print_json([_json(env, v) for v in rows])
        return
    omschrijving = f" van {datum(begin_dag)} tot en met {datum(eind_dag)}" \
        if venster and begin_dag and eind_dag else ""
    if not rows:
        click.echo(f"geen vergaderingen gevonden{omschrijving}" +
                   (" (--alles toont ook eerdere en latere)" if omschrijving else ""))
        return
    tabel(["id", "sleutel", "orgaan", "datum", "tijd", "plaats", "aanleveren", "agenda verzenden", ""],
          [_rij(env, v) for v in rows])
    if omschrijving:
        click.echo(f"{len(rows)} vergadering(en){omschrijving}; eerdere en latere met "
                   "--van/--tot of --alles")


def _deadlines(env: Omgeving, v: Vergadering) -> tuple[date | None, datetime | None]:
    from workflow.kalender import werkdagen

    body = env.definities.organen.get(v.orgaan)
    if body is None:
        return None, None
    return werkdagen.aanleverdatum(body, v.begin), werkdagen.verzendmoment(body, v.begin)


def _json(env: Omgeving, v: Vergadering) -> dict[str, object]:
    from workflow.basis.clock import TZ

    aanlever, verzend = _deadlines(env, v)
    local = v.begin.astimezone(TZ)
    return {
        "id": v.id, "orgaan": v.orgaan, "datum": local.date().isoformat(),
        "tijd": local.strftime("%H:%M"), "plaats": v.plaats, "geannuleerd": v.geannuleerd,
        "aanleverdatum": aanlever.isoformat() if aanlever else None,
        "verzenddatum": verzend.date().isoformat() if verzend else None,
        "sleutel": v.sleutel,
    }


def _rij(env: Omgeving, v: Vergadering) -> list[object]:
    from workflow.basis.tekst import datum, tijd

    aanlever, verzend = _deadlines(env, v)
    organen = env.definities.organen
    naam = organen[v.orgaan].afkorting if v.orgaan in organen else v.orgaan
    return [v.id, v.sleutel, naam, datum(v.begin), tijd(v.begin), v.plaats,
            datum(aanlever) if aanlever else "", datum(verzend) if verzend else "",
            "geannuleerd" if v.geannuleerd else ""]
