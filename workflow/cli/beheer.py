"""Setting up and inspecting: init, definities controleer, orgaan lijst, route lijst / toon."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli.uitvoer import json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command()
@click.pass_obj
def init(env: Omgeving) -> None:
    """Maak de database aan of werk het schema bij, en laad de vergaderingen.

    Veilig om vaker uit te voeren. Voorbeeld: besluitroute --database sqlite:///grjr.db init
    """
    definities = env.definities  # validate before touching the database
    env.db.migreer()
    from workflow.operations import synchroniseer_vergaderingen

    nieuw = synchroniseer_vergaderingen(env)
    click.echo(f"database klaar: {_safe_url(env.database_url)}")
    click.echo(f"definities: {len(definities.organen)} organen, {len(definities.routes)} routes "
               f"uit {definities.map}")
    click.echo(f"vergaderingen bijgewerkt: {nieuw}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group()
def definities() -> None:
    """Definities (organen en routes in YAML) controleren."""


@definities.command("controleer")
@click.argument("pad", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.pass_obj
def controleer(env: Omgeving, pad: Path | None) -> None:
    """Controleer een map met definities; meldt elke fout met bestand en regel.

    Voorbeeld: besluitroute definities controleer ./definities
    """
    from workflow import definities as module

    geladen = module.load(pad) if pad is not None else env.definities
    gewaarschuwd: set[str] = set()
    for sleutel in sorted(geladen.organen):
        o = geladen.organen[sleutel]
        adressen = [(o.secretaris.naam, o.secretaris.email),
                    *((lid.naam, lid.email) for lid in o.leden)]
        for naam, adres in adressen:
            # A non-ASCII domain goes out as IDNA; a non-ASCII local part needs SMTPUTF8.
            if not adres.rpartition("@")[0].isascii() and adres not in gewaarschuwd:
                gewaarschuwd.add(adres)
                click.echo(f"waarschuwing: orgaan {sleutel}, {naam}: e-mailadres "
                           f"'{adres}' heeft letters buiten ASCII vóór de @; dat werkt "
                           "alleen met een SMTP-server die SMTPUTF8 aanbiedt (anders mislukt "
                           "het bericht)", err=True)
    leden = sum(len(o.leden) for o in geladen.organen.values())
    click.echo(f"in orde: {len(geladen.organen)} organen, {leden} leden, "
               f"{len(geladen.routes)} routes ({geladen.map})")


@click.group()
def orgaan() -> None:
    """Organen: wie vergadert er."""


@orgaan.command("lijst")
@json_optie
@click.pass_obj
def orgaan_lijst(env: Omgeving, als_json: bool) -> None:
    """Toon alle organen met secretaris, leden en termijnen."""
    organen = sorted(env.definities.organen.values(), key=lambda o: o.naam.lower())
    if als_json:
        print_json([{
            "sleutel": o.sleutel, "naam": o.naam, "afkorting": o.afkorting,
            "secretaris": {"naam": o.secretaris.naam, "email": o.secretaris.email},
            "aanleveren_werkdagen": o.aanleveren_werkdagen, "verzenden_dagen": o.verzenden_dagen,
            "leden": [{"naam": lid.naam, "email": lid.email, "rol": lid.rol.value,
                       "organisatie": lid.organisatie} for lid in o.leden],
        } for o in organen])
        return
    tabel(["sleutel", "naam", "leden", "aanleveren", "agenda", "secretaris"],
          [[o.sleutel, o.naam, len(o.leden), f"{o.aanleveren_werkdagen} werkdagen",
            f"{o.verzenden_dagen} dagen", o.secretaris.email] for o in organen])


@click.group()
def route() -> None:
    """Routes: welke organen een voorstel doorloopt."""


@route.command("lijst")
@json_optie
@click.pass_obj
def route_lijst(env: Omgeving, als_json: bool) -> None:
    """Toon alle routes met hun stappen."""
    routes = sorted(env.definities.routes.values(), key=lambda r: r.naam)
    organen = env.definities.organen
    if als_json:
        print_json([{"naam": r.naam, "titel": r.titel,
                     "stappen": [{"orgaan": s.orgaan, "rol": s.rol.value} for s in r.stappen]}
                    for r in routes])
        return
    tabel(["naam", "titel", "stappen"],
          [[r.naam, r.titel, " -> ".join(organen[s.orgaan].afkorting for s in r.stappen)]
           for r in routes])


@route.command("toon")
@click.argument("naam")
@click.option("--mermaid", is_flag=True, help="Toon de toestandsmachine als Mermaid-diagram.")
@click.pass_obj
def route_toon(env: Omgeving, naam: str, mermaid: bool) -> None:
    """Toon één route: stappen, rollen, toegestane uitkomsten en de toestandsmachine.

    Voorbeeld: besluitroute route toon grjr-procesvoorstel --mermaid
    """
    definitie = env.definities.route(naam)
    machine = env.routes.machine(naam)
    if mermaid:
        click.echo(machine.mermaid(), nl=False)
        return
    click.echo(f"{definitie.titel} ({definitie.naam})")
    if definitie.aan:
        click.echo(f"Aan: {definitie.aan}")
    if definitie.van:
        click.echo(f"Van: {definitie.van}")
    click.echo("")
    organen = env.definities.organen
    tabel(["#", "stap", "orgaan", "rol", "uitkomsten", "terugverwijzen naar"],
          [[i, s.id, organen[s.orgaan].naam, s.rol.label,
            ", ".join(u.value for u in s.uitkomsten), s.terugverwijzen_naar]
           for i, s in enumerate(definitie.stappen, start=1)])
    click.echo("")
    click.echo(f"{len(machine.toestanden)} toestanden, {len(machine.overgangen)} overgangen "
               "(diagram: --mermaid)")
