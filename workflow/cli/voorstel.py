"""The secretariat's acts on a proposal: submit, put on a meeting, resubmit, withdraw, correct,
list. Each command: parse, call workflow.voorstellen, print. The outcomes are in
voorstel_uitkomst, `voorstel toon` in voorstel_toon."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workflow.basis.tekst import een_regel
from workflow.cli import Kolomtekst, groep
from workflow.cli.uitvoer import door_optie, json_optie, kort, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.voorstellen.kern import Resultaat


@groep(lazy={
    "bijlage": "workflow.cli.agenda:bijlage",
    "document": "workflow.cli.agenda:document",
    "plan": "workflow.cli.planning:voorstel_plan",
    "advies": "workflow.cli.voorstel_uitkomst:advies",
    "besluit": "workflow.cli.voorstel_uitkomst:besluit",
    "aanhouden": "workflow.cli.voorstel_uitkomst:aanhouden",
    "terugverwijzen": "workflow.cli.voorstel_uitkomst:terugverwijzen",
    "toon": "workflow.cli.voorstel_toon:toon",
    "stemming": "workflow.cli.besluitvorming:stemming",
    "zienswijze": "workflow.cli.voorstel_zienswijze:zienswijze",
    "toezenden": "workflow.cli.voorstel_zienswijze:toezenden",
})
def voorstel() -> None:
    """Voorstellen indienen, agenderen, advies en besluit vastleggen, tonen."""


def meld(env: Omgeving, resultaat: Resultaat, gedaan: str | None = None) -> None:
    """One line: what was recorded (when the proposal moved on by itself) and where it is now."""
    from workflow.kalender.vergaderingen import omschrijving

    tekst = f"voorstel {resultaat.kenmerk}: "
    if gedaan and resultaat.toestand.endswith(":geagendeerd"):
        tekst += f"{gedaan} vastgelegd; nu "
    tekst += resultaat.omschrijving
    if resultaat.vergadering is not None and resultaat.toestand.endswith(":geagendeerd"):
        tekst += f" - {omschrijving(resultaat.vergadering, env.definities)}"
    click.echo(tekst)


@voorstel.command("indienen")
@click.option("--titel", required=True, help="Onderwerp van het voorstel.")
@click.option("--route", required=True, metavar="NAAM", help="Route (zie 'route lijst').")
@click.option("--opsteller", required=True, metavar="NAAM", type=Kolomtekst("Voorstel.opsteller"),
              help="Opgesteld door.")
@click.option("--opsteller-email", metavar="ADRES",
              help="E-mailadres van de opsteller: daar gaan de herinneringen om aan te leveren "
                   "(anders het adres van een lid of opsteller met die naam in de definities).")
@click.option("--in-opdracht-van", metavar="ORGAAN", type=Kolomtekst("Voorstel.in_opdracht_van"),
              help="Sleutel van het opdrachtgevende orgaan.")
@click.option("--beslispunt", "beslispunten", multiple=True, metavar="TEKST",
              help="Een beslispunt; herhaal voor meer punten.")
@click.option("--aan", help="Aan (standaard die van de route).")
@click.option("--van", "van_", help="Van (standaard die van de route).")
@click.option("--versie", type=Kolomtekst("Voorstel.versie"),
              help="Versie (standaard de datum van vandaag).")
@click.option("--status", "documentstatus", type=click.Choice(["Concept", "Definitief"]),
              default="Concept", show_default=True, help="Status van het document.")
@click.option("--onderwerp", metavar="SLEUTEL", type=Kolomtekst("Voorstel.onderwerp"),
              help="Onderwerp voor verplichtingen, bijvoorbeeld 'regioagenda'.")
@door_optie
@click.pass_obj
def indienen(env: Omgeving, titel: str, route: str, opsteller: str, opsteller_email: str | None,
             in_opdracht_van: str | None,
             beslispunten: tuple[str, ...], aan: str | None, van_: str | None,
             versie: str | None, documentstatus: str, onderwerp: str | None, door: str) -> None:
    """Registreer een nieuw voorstel; drukt alleen het nieuwe kenmerk af.

    Voorbeeld: besluitroute voorstel indienen --titel "Procesvoorstel cliëntparticipatie"
    --route grjr-procesvoorstel --opsteller "A. Opsteller" --in-opdracht-van ab-platform-jeugd
    --beslispunt "Instemmen met het plan van aanpak"
    """
    from workflow.voorstellen import indienen

    kenmerk = indienen.indienen(
        env, titel=titel, route=route, opsteller=opsteller, opsteller_email=opsteller_email,
        door=door, in_opdracht_van=in_opdracht_van, beslispunten=beslispunten, aan=aan, van=van_,
        versie=versie, documentstatus=documentstatus, onderwerp=onderwerp,
    )
    click.echo(kenmerk)


@voorstel.command("agenderen")
@click.argument("kenmerk")
@click.option("--vergadering", "vergadering_id", type=Kolomtekst("Vergadering.sleutel"),
              metavar="ID|SLEUTEL",
              help="Deze vergadering, met id of sleutel (standaard: de eerstvolgende met open "
                   "aanleverdatum).")
@click.option("--na-deadline", is_flag=True,
              help="Ook na de aanleverdatum agenderen; het punt wordt 'nagekomen'.")
@door_optie
@click.pass_obj
def agenderen(env: Omgeving, kenmerk: str, vergadering_id: str | None, na_deadline: bool,
              door: str) -> None:
    """Zet een voorstel op een vergadering van het orgaan van de huidige stap.

    Voorbeeld: besluitroute voorstel agenderen 2026-001 --vergadering aoj-20260611
    """
    from workflow.voorstellen import indienen

    meld(env, indienen.agenderen(env, kenmerk, door=door, vergadering_id=vergadering_id,
                                    na_deadline=na_deadline))


@voorstel.command("herindienen")
@click.argument("kenmerk")
@click.option("--versie", type=Kolomtekst("Voorstel.versie"),
              help="Nieuwe versie (standaard: volgnummer + 1 of de datum).")
@door_optie
@click.pass_obj
def herindienen(env: Omgeving, kenmerk: str, versie: str | None, door: str) -> None:
    """Dien een teruggewezen voorstel opnieuw in; het gaat terug de route in."""
    from workflow.voorstellen import indienen

    meld(env, indienen.herindienen(env, kenmerk, door=door, versie=versie))


@voorstel.command("intrekken")
@click.argument("kenmerk")
@click.option("--reden", required=True, help="Waarom het voorstel wordt ingetrokken.")
@door_optie
@click.pass_obj
def intrekken(env: Omgeving, kenmerk: str, reden: str, door: str) -> None:
    """Trek een voorstel in (kan tot aan het besluit)."""
    from workflow.voorstellen import indienen

    meld(env, indienen.intrekken(env, kenmerk, reden, door=door))


def _per_punt_tekst(values: tuple[str, ...]) -> dict[int, str]:
    from workflow.basis.fouten import GebruikersFout

    result: dict[int, str] = {}
    for value in values:
        nummer, sep, tekst = value.partition("=")
        if not sep or not nummer.strip().isdigit() or int(nummer) < 1:
            raise GebruikersFout(f"--beslispunt '{een_regel(value)}': verwacht NUMMER=TEKST, "
                                 "bijvoorbeeld 2=Instemmen met de planning")
        result[int(nummer)] = tekst
    return result


@voorstel.command("wijzig")
@click.argument("kenmerk")
@click.option("--titel", help="Nieuwe titel.")
@click.option("--beslispunt", "beslispunten", multiple=True, metavar="N=TEKST",
              help="Nieuwe tekst van beslispunt N; het nummer na het laatste voegt er een toe. "
                   "Herhaal voor meer punten.")
@click.option("--opsteller", metavar="NAAM", help="Nieuwe opsteller.")
@click.option("--opsteller-email", metavar="ADRES", help="Nieuw e-mailadres van de opsteller.")
@door_optie
@click.pass_obj
def wijzig(env: Omgeving, kenmerk: str, titel: str | None, beslispunten: tuple[str, ...],
           opsteller: str | None, opsteller_email: str | None, door: str) -> None:
    """Corrigeer titel, beslispunten of opsteller, tot de eerste uitkomst is vastgelegd.

    Voorbeeld: besluitroute voorstel wijzig 2026-001 --beslispunt "2=Instemmen met de planning"
    """
    from workflow.voorstellen import correcties

    resultaat = correcties.wijzig(env, kenmerk, door=door, titel=titel,
                                  beslispunten=_per_punt_tekst(beslispunten), opsteller=opsteller,
                                  opsteller_email=opsteller_email)
    click.echo(f"voorstel {resultaat.kenmerk}: {een_regel(resultaat.omschrijving)}")


@voorstel.command("lijst")
@click.option("--status", metavar="STATUS",
              help="lopend, ingediend, geagendeerd, aangehouden, geadviseerd, terugverwezen, "
                   "heringediend, vastgesteld, afgewezen of ingetrokken.")
@click.option("--orgaan", metavar="SLEUTEL",
              help="Alleen voorstellen die nu bij dit orgaan liggen of erop wachten.")
@click.option("--aantal", type=click.IntRange(1, 100_000),
              help="Zoveel voorstellen per pagina (standaard 50; met --json: alle).")
@click.option("--na", metavar="KENMERK",
              help="De volgende pagina: de voorstellen na dit kenmerk (staat onder de lijst).")
@click.option("--alles", is_flag=True, help="Alle voorstellen in één keer, zonder pagina's.")
@json_optie
@click.pass_obj
def lijst(env: Omgeving, status: str | None, orgaan: str | None, aantal: int | None,
          na: str | None,
          alles: bool, als_json: bool) -> None:
    """Toon voorstellen, nieuwste eerst, per pagina (met --json: alle)."""
    from workflow.voorstellen import overzicht

    if alles:
        aantal = None
    elif aantal is None and not als_json:
        aantal = overzicht.STANDAARD_AANTAL
    pagina = overzicht.pagina(env, status=status, orgaan=orgaan, na=na, aantal=aantal)
    if als_json:
        from workflow.basis.tekst import iso

        print_json([{"kenmerk": v.kenmerk, "titel": v.titel, "route": v.route,
                     "status": v.toestand, "opsteller": v.opsteller,
                     "vergadering_id": v.vergadering_id, "ingediend_op": iso(v.ingediend_op)}
                    for v in pagina.regels])
        return
    if not pagina.regels:
        click.echo("geen voorstellen gevonden")
        return
    tabel(["kenmerk", "titel", "route", "stand", "opsteller"],
          [[v.kenmerk, kort(v.titel, 60), v.route, pagina.labels[v.route, v.toestand], v.opsteller]
           for v in pagina.regels])
    if pagina.volgende is not None or na is not None:
        getoond = len(pagina.regels)
        voet = f"{getoond} van {pagina.totaal} voorstellen getoond"
        if pagina.volgende is not None:
            voet += f"; verder met --na {pagina.volgende}, alles met --alles"
        click.echo(voet)
