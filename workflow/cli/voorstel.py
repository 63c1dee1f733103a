"""The secretariat's acts on a proposal. Each command: parse, call workflow.voorstellen, print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workflow.cli import ID, Kolomtekst, groep
from workflow.cli.uitvoer import door_optie, json_optie, print_json, regel, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.opslag.models import Gebeurtenis
    from workflow.voorstellen.handelingen import Dossier, Resultaat


@groep(lazy={
    "bijlage": "workflow.cli.agenda:bijlage",
    "document": "workflow.cli.agenda:document",
    "plan": "workflow.cli.planning:voorstel_plan",
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
def indienen(env: Omgeving, titel: str, route: str, opsteller: str, in_opdracht_van: str | None,
             beslispunten: tuple[str, ...], aan: str | None, van_: str | None,
             versie: str | None, documentstatus: str, onderwerp: str | None, door: str) -> None:
    """Registreer een nieuw voorstel; drukt alleen het nieuwe kenmerk af.

    Voorbeeld: besluitroute voorstel indienen --titel "Procesvoorstel cliëntparticipatie"
    --route grjr-procesvoorstel --opsteller "A. Opsteller" --in-opdracht-van ab-platform-jeugd
    --beslispunt "Instemmen met het plan van aanpak"
    """
    from workflow.voorstellen import handelingen

    kenmerk = handelingen.indienen(
        env, titel=titel, route=route, opsteller=opsteller, door=door,
        in_opdracht_van=in_opdracht_van, beslispunten=beslispunten, aan=aan, van=van_,
        versie=versie, documentstatus=documentstatus, onderwerp=onderwerp,
    )
    click.echo(kenmerk)


@voorstel.command("agenderen")
@click.argument("kenmerk")
@click.option("--vergadering", "vergadering_id", type=ID, metavar="ID",
              help="Deze vergadering (standaard: de eerstvolgende met open aanleverdatum).")
@click.option("--na-deadline", is_flag=True,
              help="Ook na de aanleverdatum agenderen; het punt wordt 'nagekomen'.")
@door_optie
@click.pass_obj
def agenderen(env: Omgeving, kenmerk: str, vergadering_id: int | None, na_deadline: bool,
              door: str) -> None:
    """Zet een voorstel op een vergadering van het orgaan van de huidige stap.

    Voorbeeld: besluitroute voorstel agenderen 2026-001 --vergadering 12
    """
    from workflow.voorstellen import handelingen

    meld(env, handelingen.agenderen(env, kenmerk, door=door, vergadering_id=vergadering_id,
                                    na_deadline=na_deadline))


@voorstel.command("advies")
@click.argument("kenmerk")
@click.option("--uitkomst", required=True,
              type=click.Choice(["positief", "negatief", "voorwaardelijk", "kennisgenomen"]))
@click.option("--tekst", default="", help="Het advies ('Het advies luidde: ...').")
@door_optie
@click.pass_obj
def advies(env: Omgeving, kenmerk: str, uitkomst: str, tekst: str, door: str) -> None:
    """Leg het advies vast van het orgaan waar het voorstel geagendeerd is.

    Voorbeeld: besluitroute voorstel advies 2026-001 --uitkomst positief --tekst "Akkoord"
    """
    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import handelingen

    meld(env, handelingen.advies(env, kenmerk, Uitkomst(uitkomst), tekst, door=door),
          gedaan=Uitkomst(uitkomst).label)


def _per_punt(values: tuple[str, ...]) -> dict[int, str]:
    from workflow.basis.fouten import GebruikersFout

    result: dict[int, str] = {}
    for value in values:
        nummer, sep, besluit = value.partition("=")
        if not sep or not nummer.strip().isdigit():
            raise GebruikersFout(f"--beslispunt '{value}': verwacht NUMMER=besluit, bijvoorbeeld "
                                 "2=verworpen")
        result[int(nummer)] = besluit.strip().replace("-", " ")
    return result


@voorstel.command("besluit")
@click.argument("kenmerk")
@click.option("--uitkomst", required=True,
              type=click.Choice(["vastgesteld", "gewijzigd-vastgesteld", "afgewezen"]))
@click.option("--tekst", default="", help="Toelichting bij het besluit.")
@click.option("--beslispunt", "beslispunten", multiple=True, metavar="N=BESLUIT",
              help="Afwijkend besluit per beslispunt: aangenomen, gewijzigd-aangenomen of "
                   "verworpen.")
@door_optie
@click.pass_obj
def besluit(env: Omgeving, kenmerk: str, uitkomst: str, tekst: str,
            beslispunten: tuple[str, ...], door: str) -> None:
    """Leg het besluit vast van het beslissende orgaan.

    Voorbeeld: besluitroute voorstel besluit 2026-001 --uitkomst vastgesteld
    """
    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import handelingen

    meld(env, handelingen.besluit(env, kenmerk, Uitkomst(uitkomst), tekst, door=door,
                                  beslispunten=_per_punt(beslispunten)))


@voorstel.command("aanhouden")
@click.argument("kenmerk")
@click.option("--reden", default="", help="Waarom het voorstel is aangehouden.")
@door_optie
@click.pass_obj
def aanhouden(env: Omgeving, kenmerk: str, reden: str, door: str) -> None:
    """Houd een voorstel aan: het gaat naar de volgende vergadering van hetzelfde orgaan."""
    from workflow.voorstellen import handelingen

    meld(env, handelingen.aanhouden(env, kenmerk, reden, door=door), gedaan="aanhouden")


@voorstel.command("terugverwijzen")
@click.argument("kenmerk")
@click.option("--reden", required=True, help="Wat de opsteller moet aanpassen.")
@door_optie
@click.pass_obj
def terugverwijzen(env: Omgeving, kenmerk: str, reden: str, door: str) -> None:
    """Verwijs een voorstel terug naar de opsteller voor een nieuwe versie."""
    from workflow.voorstellen import handelingen

    meld(env, handelingen.terugverwijzen(env, kenmerk, reden, door=door))


@voorstel.command("herindienen")
@click.argument("kenmerk")
@click.option("--versie", type=Kolomtekst("Voorstel.versie"),
              help="Nieuwe versie (standaard: volgnummer + 1 of de datum).")
@door_optie
@click.pass_obj
def herindienen(env: Omgeving, kenmerk: str, versie: str | None, door: str) -> None:
    """Dien een teruggewezen voorstel opnieuw in; het gaat terug de route in."""
    from workflow.voorstellen import handelingen

    meld(env, handelingen.herindienen(env, kenmerk, door=door, versie=versie))


@voorstel.command("intrekken")
@click.argument("kenmerk")
@click.option("--reden", required=True, help="Waarom het voorstel wordt ingetrokken.")
@door_optie
@click.pass_obj
def intrekken(env: Omgeving, kenmerk: str, reden: str, door: str) -> None:
    """Trek een voorstel in (kan tot aan het besluit)."""
    from workflow.voorstellen import handelingen

    meld(env, handelingen.intrekken(env, kenmerk, reden, door=door))


def _per_punt_tekst(values: tuple[str, ...]) -> dict[int, str]:
    from workflow.basis.fouten import GebruikersFout

    result: dict[int, str] = {}
    for value in values:
        nummer, sep, tekst = value.partition("=")
        if not sep or not nummer.strip().isdigit() or int(nummer) < 1:
            raise GebruikersFout(f"--beslispunt '{regel(value)}': verwacht NUMMER=TEKST, "
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
@door_optie
@click.pass_obj
def wijzig(env: Omgeving, kenmerk: str, titel: str | None, beslispunten: tuple[str, ...],
           opsteller: str | None, door: str) -> None:
    """Corrigeer titel, beslispunten of opsteller, tot de eerste uitkomst is vastgelegd.

    Voorbeeld: besluitroute voorstel wijzig 2026-001 --beslispunt "2=Instemmen met de planning"
    """
    from workflow.voorstellen import handelingen

    resultaat = handelingen.wijzig(env, kenmerk, door=door, titel=titel,
                                  beslispunten=_per_punt_tekst(beslispunten), opsteller=opsteller)
    click.echo(f"voorstel {resultaat.kenmerk}: {regel(resultaat.omschrijving)}")


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
    labels = overzicht.labels(env, pagina.regels)
    tabel(["kenmerk", "titel", "route", "stand", "opsteller"],
          [[v.kenmerk, _kort(v.titel, 60), v.route, labels[v.route, v.toestand], v.opsteller]
           for v in pagina.regels])
    if pagina.volgende is not None or na is not None:
        getoond = len(pagina.regels)
        voet = f"{getoond} van {pagina.totaal} voorstellen getoond"
        if pagina.volgende is not None:
            voet += f"; verder met --na {pagina.volgende}, alles met --alles"
        click.echo(voet)


def _label(env: Omgeving, route: str, toestand: str) -> str:
    from workflow.routes import machine as routemachine

    definitie = env.definities.routes.get(route)
    return toestand if definitie is None else routemachine.label(definitie, toestand, env.definities)


def _kort(text: str, width: int) -> str:
    text = regel(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@voorstel.command("toon")
@click.argument("kenmerk")
@json_optie
@click.pass_obj
def toon(env: Omgeving, kenmerk: str, als_json: bool) -> None:
    """Toon een voorstel: de kop zoals in de stukken, de beslispunten en de geschiedenis."""
    from workflow.voorstellen import handelingen

    dossier = handelingen.dossier(env, kenmerk)
    if als_json:
        print_json(dossier_json(env, dossier))
    else:
        print_dossier(env, dossier)


def te_bespreken_in(env: Omgeving, dossier: Dossier) -> list[dict[str, Any]]:
    """Per route step the meeting it is (or was) on: the seed's "Te bespreken in"."""
    from workflow.basis.clock import TZ

    definitie = env.definities.routes.get(dossier.voorstel.route)
    if definitie is None:
        return []
    rows = []
    for stap in definitie.stappen:
        items = [a for a in dossier.agendapunten if a.stap == stap.id]
        item = items[-1] if items else None
        rows.append({
            "stap": stap.id, "orgaan": stap.orgaan, "rol": stap.rol.value,
            "vergadering_id": item.vergadering_id if item else None,
            "datum": item.vergadering.begin.astimezone(TZ).date().isoformat() if item else None,
            "status": item.status if item else None,
            "uitkomst": item.uitkomst if item else None,
            "nagekomen": item.nagekomen if item else False,
        })
    return rows


def dossier_json(env: Omgeving, dossier: Dossier) -> dict[str, Any]:
    from workflow.basis.clock import TZ
    from workflow.basis.tekst import iso

    v = dossier.voorstel
    stap = None
    label = v.toestand
    if v.route in env.definities.routes:
        machine = env.routes.machine(v.route)
        huidige = machine.huidige_stap(v.toestand)
        stap = huidige.id if huidige else None
        label = machine.label(v.toestand, env.definities)
    vergadering = None
    if v.vergadering is not None:
        vergadering = {"id": v.vergadering.id, "orgaan": v.vergadering.orgaan,
                       "datum": v.vergadering.begin.astimezone(TZ).date().isoformat()}
    return {
        "kenmerk": v.kenmerk, "titel": v.titel, "route": v.route, "status": v.toestand,
        "status_omschrijving": label, "stap": stap, "vergadering": vergadering,
        "aan": v.aan, "van": v.van, "opsteller": v.opsteller,
        "in_opdracht_van": v.in_opdracht_van or None, "documentstatus": v.documentstatus,
        "versie": v.versie, "onderwerp": v.onderwerp, "ingediend_op": iso(v.ingediend_op),
        "beslispunten": [{"nummer": p.volgnummer, "tekst": p.tekst, "besluit": p.besluit}
                         for p in dossier.beslispunten],
        "te_bespreken_in": te_bespreken_in(env, dossier),
        "documenten": [{"naam": d.naam, "versie": d.versie, "grootte": d.grootte,
                        "sha256": d.sha256, "omschrijving": d.omschrijving}
                       for d in dossier.documenten],
        "geschiedenis": [{
            "tijdstip": iso(g.tijdstip), "geregistreerd_op": iso(g.geregistreerd_op),
            "door": g.door, "handeling": g.handeling, "van": g.van_toestand,
            "naar": g.naar_toestand, "vergadering": g.vergadering_id,
            # The meeting as it was when the row was recorded, not as it is now.
            "orgaan": g.orgaan,
            "vergadering_begin": iso(g.vergadering_begin) if g.vergadering_begin else None,
            "vergadering_titel": _titel(env, g),
            "uitkomst": g.uitkomst, "tekst": g.tekst,
        } for g in dossier.geschiedenis],
    }


def _titel(env: Omgeving, g: Gebeurtenis) -> str | None:
    """The stored meeting title; rows from before it was stored show the body's current name."""
    if g.vergadering_titel or g.orgaan is None:
        return g.vergadering_titel
    body = env.definities.organen.get(g.orgaan)
    return body.naam if body is not None else g.orgaan


def print_dossier(env: Omgeving, dossier: Dossier) -> None:
    from workflow.basis.tekst import datum, datum_tijd

    v = dossier.voorstel
    organen = env.definities.organen
    opdracht = organen[v.in_opdracht_van].naam if v.in_opdracht_van in organen else \
        v.in_opdracht_van
    kop = [
        ("Kenmerk", v.kenmerk), ("Aan", v.aan), ("Van", v.van), ("Datum", datum(v.ingediend_op)),
        ("Onderwerp", v.titel), ("Status", v.documentstatus), ("Versie", v.versie),
        ("In opdracht van", opdracht), ("Opgesteld door", v.opsteller),
    ]
    for naam, waarde in kop:
        click.echo(f"{naam + ':':<18}{regel(str(waarde))}")
    rows = te_bespreken_in(env, dossier)
    for i, row in enumerate(rows):
        body = organen[row["orgaan"]].naam if row["orgaan"] in organen else row["orgaan"]
        when = datum(_date(row["datum"])) if row["datum"] else "nog niet gepland"
        extra = f"  ({row['uitkomst']})" if row["uitkomst"] else (
            f"  ({row['status']})" if row["status"] else "")
        if row["nagekomen"]:
            extra += "  [nagekomen]"
        prefix = "Te bespreken in:" if i == 0 else ""
        click.echo(f"{prefix:<18}{body:<44}{when}{extra}")
    click.echo(f"{'Stand:':<18}{_label(env, v.route, v.toestand)}")
    click.echo("")
    click.echo("BESLISPUNTEN")
    if not dossier.beslispunten:
        click.echo("  (geen)")
    for punt in dossier.beslispunten:
        besluit = f"  [{punt.besluit}]" if punt.besluit else ""
        click.echo(f"  {punt.volgnummer}. {regel(punt.tekst)}{besluit}")
    click.echo("")
    click.echo("STUKKEN")
    if not dossier.documenten:
        click.echo("  (geen; registreer ze met 'besluitroute voorstel bijlage')")
    for d in dossier.documenten:
        omschrijving = f": {regel(d.omschrijving)}" if d.omschrijving else ""
        click.echo(f"  {regel(d.naam)} (versie {d.versie}, {d.omvang}){omschrijving}")
    click.echo("")
    click.echo("GESCHIEDENIS")
    tabel(["tijdstip", "door", "handeling", "naar", "vergadering", "tekst"],
          [[datum_tijd(g.tijdstip), g.door, g.handeling,
            _label(env, v.route, g.naar_toestand) if g.naar_toestand else "",
            f"{_titel(env, g)} {datum_tijd(g.vergadering_begin)}" if g.vergadering_begin else "",
            _kort(g.tekst or "", 70)] for g in dossier.geschiedenis])


def _date(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)
