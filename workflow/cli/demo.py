"""`besluitroute demo`: the cliëntparticipatie proposal of seed 002 through its 2021 route."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli import Pad

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
@click.option("--map", "map_", type=Pad(path_type=Path, file_okay=False), metavar="PAD",
              help="Map voor de demodatabase (standaard een nieuwe tijdelijke map).")
@click.pass_obj
def demo(env: Omgeving, map_: Path | None) -> None:
    """Loop het procesvoorstel cliëntparticipatie (GR JR, 2021) door de hele route.

    Maakt een nieuwe SQLite-database met de meegeleverde definities en toont elke stap:
    Programmateam 14 juni, Stuurgroep transformatie 23 juni, AOJ 24 juni, AB platform jeugd 2 juli.
    """
    import tempfile

    from workflow.basis import clock, instellingen
    from workflow.basis.fouten import GebruikersFout
    from workflow.omgeving import Omgeving
    from workflow.voorstellen import lezen

    if map_ is not None and not map_.parent.is_dir():
        raise GebruikersFout(f"kan de demomap {map_} niet maken: de map {map_.parent} bestaat "
                             "niet")
    folder = map_ if map_ is not None else Path(tempfile.mkdtemp(prefix="besluitroute-demo-"))
    database = folder / "besluitroute.db"
    if database.exists():
        raise GebruikersFout(f"{database} bestaat al; kies een lege map met --map")
    folder.mkdir(exist_ok=True)  # the demo's own new folder; never the folders above it
    folder = folder.absolute()
    config_pad = _schrijf_config(folder)
    url = f"sqlite:///{database.absolute()}"
    config = instellingen.aangevuld(env.config, "agenda.map", str(folder / "agendas"))
    demo_env = Omgeving(definities_map=env.definities_map, sjablonen_map=env.sjablonen_map,
                        database_url=url, uitgaand_map=folder / "uitgaand", config=config)
    try:
        from workflow.beheer import toepassen

        # Installed before the cycle, as a secretariat that started using it in May 2021 would
        # have it: what the Woo rules publish in June and July 2021 is this tool's duty, and
        # the planner's passes publish it (nothing is "voor invoering").
        _at(INSTALLATIE, 9)
        toepassen.init(demo_env, door="demo")
        _walk(demo_env, folder)
        clock.act_as(None)
        click.echo("")
        click.echo("== resultaat")
        from workflow.cli.voorstel_toon import print_dossier

        print_dossier(demo_env, lezen.dossier(demo_env, "2021-001"))
        _print_folder(demo_env, folder, config_pad)
    finally:
        clock.act_as(None)
        demo_env.sluit()


#: The demo's installation moment: before the first step of its cycle (7 June 2021).
INSTALLATIE = date(2021, 5, 31)
#: The last day the demo walks: the AB's decision list is published ten working days after
#: 2 July 2021 (the Woo default of a general board).
LAATSTE_DAG = date(2021, 7, 16)


def programma() -> str:
    """The command as the user typed it (`.venv/bin/besluitroute`), so what the demo prints
    runs as written in the same folder; `besluitroute` when it ran some other way."""
    import sys

    naam = sys.argv[0] if sys.argv else ""
    return naam if Path(naam).name == "besluitroute" else "besluitroute"


def _schrijf_config(folder: Path) -> Path:
    """A besluitroute.toml in the demo folder: the commands the demo prints, the portal among
    them, use its database and write their mail (sign-in links too) into its uitgaand/."""
    from workflow.basis.bestanden import schrijf_atomair

    pad = folder / "besluitroute.toml"
    schrijf_atomair(pad, "# Gemaakt door 'besluitroute demo': paden zijn relatief aan deze map.\n"
                         'database = "sqlite:///besluitroute.db"\n'
                         'uitgaand = "uitgaand"\n\n'
                         "[agenda]\n"
                         'map = "agendas"\n', maak_map=False)
    return pad


def _print_folder(env: Omgeving, folder: Path, config_pad: Path) -> None:
    import shlex

    mails = sorted((folder / "uitgaand").glob("*.eml"))
    agendas = sorted((folder / "agendas").glob("*.html"))
    click.echo("")
    click.echo(f"In {folder}:")
    click.echo("  besluitroute.db     de database (SQLite)")
    click.echo("  besluitroute.toml   de instellingen van de demo (database, uitgaand/, agendas/)")
    click.echo(f"  uitgaand/           {len(mails)} e-mails als .eml-bestanden (geen SMTP nodig)")
    for naam, aantal in _per_orgaan(env):
        click.echo(f"    {naam}: {aantal} e-mail(s) aan de leden (agenda, aanvulling, "
                   "herinnering)")
    click.echo(f"  agendas/            {len(agendas)} agenda's (HTML en tekst), zoals cron ze maakt")
    cmd = f"{programma()} --config {shlex.quote(str(config_pad))}"
    click.echo("Verder kijken:")
    click.echo(f"  {cmd} voorstel toon 2021-001")
    click.echo(f"  {cmd} berichten lijst")
    click.echo(f"  {cmd} publicatie lijst")
    click.echo("De cyclus in het portaal (daarna http://127.0.0.1:8000/ in de browser; "
               "inlogmails komen in uitgaand/):")
    click.echo(f"  {cmd} --nu 2021-07-19 web --zonder-tls --proxies 0")


def _per_orgaan(env: Omgeving) -> list[tuple[str, int]]:
    """Mails to members per body, in the order of the route."""
    from workflow.berichten import uitgaand

    tellers: dict[str, int] = {}
    for bericht in uitgaand.lijst(env.db, limiet=100_000):
        if bericht.soort in ("agenda", "aanvulling", "dag-ervoor") and bericht.vergadering:
            orgaan = bericht.vergadering.rsplit("-", 1)[0]
            tellers[orgaan] = tellers.get(orgaan, 0) + 1
    volgorde = ("programmateam", "stuurgroep-transformatie", "aoj", "ab-platform-jeugd")
    return [(env.definities.organen[o].naam if o in env.definities.organen else o, tellers[o])
            for o in sorted(tellers, key=lambda o: (o not in volgorde,
                                                    volgorde.index(o) if o in volgorde else 0, o))]


def _walk(env: Omgeving, folder: Path) -> None:
    """Day by day through June 2021: each morning the jobs cron would run (agendas, reminders),
    and on the meeting days what the secretariat records."""
    from datetime import timedelta

    from workflow.basis.tekst import datum
    from workflow.cli.voorstel import meld
    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import uitkomsten

    secretariaat = "secretariaat GR JR (demo)"
    stappen = {
        date(2021, 6, 14): ("advies Programmateam", Uitkomst.POSITIEF,
                            "Akkoord; door naar de stuurgroep.", 12),
        date(2021, 6, 23): ("advies Stuurgroep transformatie", Uitkomst.VOORWAARDELIJK,
                            ADVIES_STUURGROEP, 16),
        date(2021, 6, 24): ("advies AOJ", Uitkomst.POSITIEF, "Positief advies.", 15),
    }
    day = date(2021, 6, 7)
    _header(day, "indienen en plannen")
    _at(day, 9, 0)
    kenmerk = _submit_and_plan(env, folder, secretariaat)
    while day < date(2021, 7, 2):
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        if day in stappen:
            wat, uitkomst, tekst, uur = stappen[day]
            _header(day, wat)
            _morning_jobs(env, folder, day)
            _at(day, uur)
            # Planned up front, as in seed 002: after its advice the proposal moves onto the next
            # planned meeting by itself, even where that meeting's deadline has passed since.
            meld(env, uitkomsten.advies(env, kenmerk, uitkomst, tekst, door=secretariaat),
                 gedaan=uitkomst.label)
        else:
            _morning_jobs(env, folder, day)
    _header(day, "besluit AB platform jeugd")
    _morning_jobs(env, folder, day)
    _at(day, 12)
    meld(env, uitkomsten.besluit(env, kenmerk, Uitkomst.VASTGESTELD,
                                "Beide beslispunten aangenomen.", door=secretariaat))
    click.echo("")
    click.echo(f"== na het besluit: tot de besluitenlijst openbaar is ({datum(LAATSTE_DAG)})")
    while day < LAATSTE_DAG:
        day += timedelta(days=1)
        if day.weekday() < 5:
            _morning_jobs(env, folder, day)


def _submit_and_plan(env: Omgeving, folder: Path, secretariaat: str) -> str:
    """Submit the proposal, register its two documents and record its plan; print each step."""
    from workflow.voorstellen import documenten, herplanning, indienen

    kenmerk = indienen.indienen(
        env, titel=TITEL, route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door=secretariaat, in_opdracht_van="ab-platform-jeugd", beslispunten=BESLISPUNTEN,
        versie="14 juni",
    )
    click.echo(f"voorstel {kenmerk} ingediend")
    stukken = folder / "stukken"
    stukken.mkdir(exist_ok=True)
    for naam, inhoud in (("plan-van-aanpak-clientparticipatie.txt", "Plan van aanpak (JSO)\n"),
                         ("praatplaat-regiovisie.txt", "Praatplaat regiovisie\n")):
        (stukken / naam).write_text(inhoud, encoding="utf-8")
        click.echo(documenten.registreer(env, kenmerk, stukken / naam, door=secretariaat).melding)
    plan = herplanning.vastleggen(env, kenmerk, door=secretariaat)
    click.echo("Te bespreken in:")
    for regel in herplanning.beschrijf(plan.regels):
        click.echo(f"  {regel}")
    return kenmerk


def _at(day: date, hour: int, minute: int = 0) -> None:
    from datetime import datetime, time

    from workflow.basis import clock

    clock.act_as(datetime.combine(day, time(hour, minute), clock.TZ))


def _morning_jobs(env: Omgeving, folder: Path, day: date) -> None:
    """What cron runs at 09:05: write the agendas that are due, publish what the Woo rules make
    public now, make and send the reminders."""
    from workflow.agenda import generatie
    from workflow.basis.tekst import dag_datum
    from workflow.berichten import ronde, uitgaand
    from workflow.berichten.transport import MapTransport
    from workflow.openbaarheid import publiceren

    _at(day, 9, 5)
    written = [g for g in generatie.genereer(env, folder / "agendas")
               if g.actie != "ongewijzigd"]
    gepubliceerd = publiceren.publiceer(env, door="planner")
    ronde.maak_herinneringen(env)
    transport = MapTransport(folder / "uitgaand")  # the demo never sends real mail
    sent = uitgaand.verstuur_wachtende(env.db, transport, uitgaand.afzender(env.config))
    if written or sent.verzonden or gepubliceerd:
        openbaar = f", {gepubliceerd} publicatie(s) (Woo)" if gepubliceerd else ""
        click.echo(f"   {dag_datum(day)} 09:05, cron: {len(written)} agendabestand(en), "
                   f"{sent.verzonden} e-mail(s) naar uitgaand/{openbaar}")


def _header(day: date, wat: str) -> None:
    from workflow.basis.tekst import dag_datum

    click.echo("")
    click.echo(f"== {dag_datum(day)}: {wat}")
