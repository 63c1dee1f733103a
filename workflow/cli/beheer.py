"""Setting up and inspecting: init, definities (controleer, toepassen, lijst, toon, schema),
orgaan lijst, route lijst / toon."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.cli import LazyGroup, Pad
from workflow.cli.uitvoer import bevestig, door_optie, json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command()
@door_optie
@click.pass_obj
def init(env: Omgeving, door: str) -> None:
    """Maak de database aan of werk het schema bij; de eerste keer worden de definities versie 1.

    Daarna werkt elk commando met de versie in de database; een andere map toepassen gaat met
    'besluitroute definities toepassen MAP'. Veilig om vaker uit te voeren.
    Voorbeeld: besluitroute --database sqlite:///grjr.db --definities mijn-definities init
    """
    env.map_controleren = False  # this command manages definitions itself
    from workflow.beheer import toepassen

    result = toepassen.init(env, door=door)
    definities = result.definities
    click.echo(f"database klaar: {_safe_url(env.database_url)}")
    actie = "toegepast als versie" if result.nieuw else "in gebruik: versie"
    click.echo(f"definities {actie} {result.nummer}: {len(definities.organen)} organen, "
               f"{len(definities.routes)} routes")
    click.echo(f"vergaderingen bijgewerkt: {result.vergaderingen}")
    from workflow.voorstellen.documenten import lees_alle_ontbrekende

    # Documents registered before the portal searched inside them (migration 0024) get their
    # text once, here, where an upgrade is run.
    if gelezen := lees_alle_ontbrekende(env):
        click.echo(f"tekst gelezen van {gelezen} eerder geregistreerde documenten (zoeken)")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.group(cls=LazyGroup, lazy={})
def definities() -> None:
    """Definities (organen en routes in YAML): controleren, toepassen, versies bekijken."""


@definities.command("controleer")
@click.argument("pad", required=False, type=Pad(path_type=Path, file_okay=False))
@click.pass_obj
def controleer(env: Omgeving, pad: Path | None) -> None:
    """Controleer een map met definities; meldt elke fout met bestand en regel.

    Voorbeeld: besluitroute definities controleer ./definities
    """
    env.map_controleren = False  # this command manages definitions itself
    from workflow.definities import lezen

    geladen = lezen.load(pad if pad is not None else env.definities_map)
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
    from workflow.basis import clock
    from workflow.definities.waarschuwingen import waarschuwingen

    for melding in waarschuwingen(geladen.map, geladen, clock.now()):
        click.echo(f"waarschuwing: {melding}", err=True)
    leden = sum(len(o.leden) for o in geladen.organen.values())
    click.echo(f"in orde: {len(geladen.organen)} organen, {leden} leden, "
               f"{len(geladen.routes)} routes ({geladen.map})")


def _sectie(titel: str, regels: list[str]) -> None:
    if regels:
        click.echo(f"{titel}:")
        for regel in regels:
            click.echo(f"  {regel}")


@definities.command("toepassen")
@click.argument("pad", type=Pad(path_type=Path, file_okay=False))
@click.option("--droog", is_flag=True, help="Toon alleen wat er zou veranderen.")
@click.option("--ja", is_flag=True, help="Niet om bevestiging vragen (voor scripts).")
@door_optie
@click.pass_obj
def toepassen(env: Omgeving, pad: Path, droog: bool, ja: bool, door: str) -> None:
    """Pas een map met definities toe als nieuwe versie, na een voorbeeld van de gevolgen.

    Toont eerst wat er verandert (organen, leden, ritmes, routes, vergaderingen en per geraakt
    voorstel de nieuwe planning) en schrijft pas na bevestiging, in één transactie.
    Voorbeeld: besluitroute definities toepassen ./definities --droog
    """
    env.map_controleren = False  # this command manages definitions itself
    from workflow.basis.fouten import GebruikersFout
    from workflow.beheer import toepassen
    from workflow.definities import versies

    bron = versies.lees_map(pad)
    voorbeeld = toepassen.voorbeeld(env, bron, door=door)
    if voorbeeld.nummer == voorbeeld.vorige:
        click.echo(f"geen verschillen met de toegepaste versie {voorbeeld.vorige}; "
                   "niets toegepast")
        return
    click.echo(f"{pad} tegenover de toegepaste versie {voorbeeld.vorige}:")
    _sectie("Definities", voorbeeld.definities)
    _sectie("Vergaderingen", voorbeeld.vergaderingen)
    _sectie("Voorstellen", voorbeeld.voorstellen)
    if voorbeeld.ongewijzigd:
        click.echo("alleen de tekst van de bestanden verschilt")
    if voorbeeld.weigeringen:
        raise GebruikersFout(voorbeeld.weigeringen)
    if droog:
        click.echo("niets toegepast (--droog)")
        return
    if not ja:
        bevestig(f"Toepassen als versie {voorbeeld.nummer}?")
    result = toepassen.toepassen(env, bron, voorbeeld, door=door)
    click.echo(f"definities versie {result.nummer} toegepast")


@definities.command("lijst")
@json_optie
@click.pass_obj
def versies(env: Omgeving, als_json: bool) -> None:
    """Toon de toegepaste versies van de definities, de nieuwste eerst."""
    env.map_controleren = False  # this command manages definitions itself
    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import datum_tijd, iso
    from workflow.definities import versies
    from workflow.opslag.db import NIET_AANGEMAAKT

    if versies.toegepaste_kop(env) is None:
        raise GebruikersFout(NIET_AANGEMAAKT)
    with env.db.lees() as session:
        koppen = versies.koppen(session)
    if als_json:
        print_json([{"versie": k.nummer, "hash": k.hash, "bron": k.bron,
                     "toegepast_door": k.toegepast_door, "toegepast_op": iso(k.toegepast_op)}
                    for k in koppen])
        return
    tabel(["versie", "toegepast op", "door", "bron", "hash"],
          [[k.nummer, datum_tijd(k.toegepast_op), k.toegepast_door, _bron(k.bron), k.hash[:12]]
           for k in koppen])


def _bron(bron: str) -> str:
    """Where a version came from, for people: the shipped definitions are "meegeleverd"."""
    from workflow.basis.paden import meegeleverd

    if "_meegeleverd" in Path(bron).parts:  # inside an installed besluitroute, any version
        return "meegeleverd"
    try:
        if Path(bron).resolve() == meegeleverd("definities").resolve():
            return "meegeleverd"
    except OSError:
        pass
    return bron


@definities.command("toon")
@click.argument("versie", type=int, required=False)
@click.option("--yaml", "yaml_map", type=Pad(path_type=Path, file_okay=False),
              metavar="MAP", help="Schrijf de versie uit als map met YAML-bestanden.")
@click.pass_obj
def toon(env: Omgeving, versie: int | None, yaml_map: Path | None) -> None:
    """Toon een versie van de definities (standaard de toegepaste), of schrijf haar uit.

    Voorbeeld: besluitroute definities toon 2 --yaml ./definities-v2
    """
    env.map_controleren = False  # this command manages definitions itself
    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import datum_tijd
    from workflow.definities import versies
    from workflow.opslag.db import NIET_AANGEMAAKT

    huidig = versies.toegepaste_kop(env)
    if huidig is None:
        raise GebruikersFout(NIET_AANGEMAAKT)
    with env.db.lees() as session:
        kop = next((k for k in versies.koppen(session)
                    if k.nummer == (versie or huidig.nummer)), None)
        if kop is None:
            raise GebruikersFout(f"onbekende definitieversie {versie} "
                                 "(zie 'besluitroute definities lijst')")
        inhoud = versies.inhoud_van(session, kop.nummer)
    if yaml_map is not None:
        if yaml_map.exists() and (not yaml_map.is_dir() or any(yaml_map.iterdir())):
            raise GebruikersFout(f"{yaml_map} bestaat al en is niet leeg; kies een nieuwe map")
        versies.schrijf_map(inhoud, yaml_map)
        click.echo(f"definities versie {kop.nummer} geschreven naar {yaml_map} "
                   f"({len(inhoud)} bestanden)")
        return
    geladen = versies.definities_van(env, kop)
    status = " (toegepast)" if kop.nummer == huidig.nummer else ""
    click.echo(f"definities versie {kop.nummer}{status}")
    click.echo(f"toegepast op {datum_tijd(kop.toegepast_op)} door {kop.toegepast_door}, "
               f"uit {kop.bron}")
    click.echo(f"hash {kop.hash}")
    click.echo(f"organen ({len(geladen.organen)}): {', '.join(sorted(geladen.organen))}")
    click.echo(f"routes ({len(geladen.routes)}): {', '.join(sorted(geladen.routes))}")
    click.echo("bestanden: " + ", ".join(sorted(inhoud)))


@definities.command("schema")
@click.argument("soort", required=False, type=click.Choice(["orgaan", "route"]))
def schema(soort: str | None) -> None:
    """Toon het JSON Schema van de definities (voor editors met YAML-ondersteuning).

    Zonder SOORT beide in één schema. De meegeleverde bestanden verwijzen er al naar met
    '# yaml-language-server: $schema=../schema/orgaan.schema.json'.
    Voorbeeld: besluitroute definities schema orgaan > orgaan.schema.json
    """
    import json

    from workflow.definities.versies import schema_map

    def lees(naam: str) -> dict[str, object]:
        data = json.loads((schema_map() / f"{naam}.schema.json").read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    if soort is not None:
        click.echo(json.dumps(lees(soort), ensure_ascii=False, indent=2))
        return
    orgaan, route = lees("orgaan"), lees("route")
    for deel in (orgaan, route):
        deel.pop("$schema", None)
        deel.pop("$id", None)
    click.echo(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "besluitroute-definities: een orgaan (organen/*.yaml) of een route "
                 "(routes/*.yaml)",
        "$defs": {"orgaan": orgaan, "route": route},
        "anyOf": [{"$ref": "#/$defs/orgaan"}, {"$ref": "#/$defs/route"}],
    }, ensure_ascii=False, indent=2))


@click.group(cls=LazyGroup, lazy={})
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


@click.group(cls=LazyGroup, lazy={})
def route() -> None:
    """Routes: welke organen een voorstel doorloopt."""


@route.command("lijst")
@json_optie
@click.pass_obj
def route_lijst(env: Omgeving, als_json: bool) -> None:
    """Toon alle routes met hun stappen."""
    from workflow.routes.machine import kort

    routes = sorted(env.definities.routes.values(), key=lambda r: r.naam)
    if als_json:
        print_json([{"naam": r.naam, "titel": r.titel,
                     "stappen": [{"orgaan": s.orgaan, "rol": s.rol.value} | (
                         {"soort": s.soort.value, "takken": [t.orgaan for t in s.takken]}
                         if s.is_groep else {}) for s in r.stappen]}
                    for r in routes])
        return
    tabel(["naam", "titel", "stappen"],
          [[r.naam, r.titel, " -> ".join(kort(s, env.definities) for s in r.stappen)]
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
    from workflow.routes.machine import orgaan_van

    tabel(["#", "stap", "orgaan", "rol", "uitkomsten", "terugverwijzen naar"],
          [[i, s.id, orgaan_van(s, env.definities), s.rol.label,
            ", ".join(u.value for u in s.uitkomsten), s.terugverwijzen_naar]
           for i, s in enumerate(definitie.stappen, start=1)])
    click.echo("")
    click.echo(f"{len(machine.toestanden)} toestanden, {len(machine.overgangen)} overgangen "
               "(diagram: --mermaid)")
