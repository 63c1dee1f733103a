"""Planning commands: the "Te bespreken in" plan, moving and cancelling meetings, the calendar
export and the cadence duties. Each command: parse, call the domain, print."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workflow.cli import ID, JAAR, LazyGroup, Pad
from workflow.cli.uitvoer import door_optie, json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.voorstellen.herplanning import Voorstelplan
    from workflow.voorstellen.vergaderwijziging import Wijziging


def _moment(value: str | None, optie: str) -> datetime | None:
    from workflow.basis.momenten import parse_moment

    return parse_moment(value, optie) if value is not None else None


def _plan_json(plan: Voorstelplan) -> dict[str, Any]:
    from workflow.basis.tekst import iso

    return {
        "kenmerk": plan.kenmerk or None,
        "titel": plan.titel,
        "route": plan.route,
        "haalbaar": plan.melding is None,
        "melding": plan.melding,
        "opmerkingen": plan.opmerkingen,
        "aanleveren_voor": iso(plan.aanleveren_voor) if plan.aanleveren_voor else None,
        "te_bespreken_in": plan.te_bespreken_in,
        "regels": [{
            "stap": r.stap, "orgaan": r.orgaan, "naam": r.naam, "rol": r.rol,
            "status": r.status, "begin": iso(r.begin) if r.begin else None,
            "vergadering_id": r.vergadering_id,
            "aanleverdatum": r.aanleverdatum.isoformat() if r.aanleverdatum else None,
            "uitkomst": r.uitkomst, "nagekomen": r.nagekomen,
        } for r in plan.regels],
    }


def _print_plan(plan: Voorstelplan, als_json: bool) -> None:
    """Print the plan; an infeasible one ends with its reason as an error (exit code 2)."""
    from datetime import timedelta

    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import datum, datum_tijd

    if als_json:
        print_json(_plan_json(plan))
    else:
        kop = f"voorstel {plan.kenmerk}: {plan.titel}" if plan.kenmerk else \
            f"route {plan.route}: {plan.titel}"
        click.echo(kop)
        for opmerking in plan.opmerkingen:
            click.echo(f"let op: {opmerking}")
        if plan.melding is not None and any(r.begin for r in plan.regels):
            click.echo("vroegst mogelijke planning:")
        rijen = [[r.naam, r.rol, datum_tijd(r.begin) if r.begin else "",
                  r.vergadering_id, datum(r.aanleverdatum) if r.aanleverdatum else "",
                  r.status + (" (nagekomen)" if r.nagekomen else ""), r.uitkomst or ""]
                 for r in plan.regels]
        tabel(["te bespreken in", "rol", "vergadering", "id", "aanleveren", "status", "uitkomst"],
              rijen)
        if plan.aanleveren_voor is not None and plan.melding is None:
            laatste_dag = plan.aanleveren_voor - timedelta(microseconds=1)
            click.echo(f"stukken uiterlijk aanleveren op {datum(laatste_dag)}")
    if plan.melding is not None:
        raise GebruikersFout(plan.melding)


@click.command("plan")
@click.argument("kenmerk")
@click.option("--besluit-op", metavar="DATUM",
              help="Plan terug vanaf het besluit op deze datum (JJJJ-MM-DD of JJJJ-MM-DD UU:MM).")
@click.option("--vastleggen", is_flag=True,
              help="Agendeer het voorstel volgens dit plan (alle stappen tegelijk).")
@json_optie
@door_optie
@click.pass_obj
def voorstel_plan(env: Omgeving, kenmerk: str, besluit_op: str | None, vastleggen: bool,
                  als_json: bool, door: str) -> None:
    """Toon de planning ("Te bespreken in") van een voorstel; --vastleggen agendeert haar.

    Zonder --besluit-op: per stap de eerstvolgende vergadering die past. Met --besluit-op: per
    stap de laatste vergadering die nog vóór het besluit past.

    Voorbeeld: besluitroute voorstel plan 2021-001 --besluit-op 2021-07-02 --vastleggen
    """
    from workflow.voorstellen import herplanning

    moment = _moment(besluit_op, "--besluit-op")
    if vastleggen:
        plan = herplanning.vastleggen(env, kenmerk, door=door, besluit_op=moment)
    else:
        plan = herplanning.toon(env, kenmerk, besluit_op=moment)
    _print_plan(plan, als_json)


@click.command("plan")
@click.option("--route", "route_naam", required=True, metavar="NAAM", help="De route.")
@click.option("--vanaf", metavar="DATUM",
              help="Indienen op deze datum (of dit tijdstip, JJJJ-MM-DD UU:MM): plan vooruit.")
@click.option("--besluit-op", metavar="DATUM",
              help="Besluit op deze datum (of dit tijdstip): plan terug.")
@json_optie
@click.pass_obj
def plan(env: Omgeving, route_naam: str, vanaf: str | None, besluit_op: str | None,
         als_json: bool) -> None:
    """Reken een planning door zonder voorstel: vanaf een indiendatum of terug vanaf een besluit.

    Voorbeeld: besluitroute plan --route grjr-procesvoorstel --besluit-op 2021-07-02
    """
    from workflow.voorstellen import herplanning

    _print_plan(herplanning.route_plan(env, route_naam, vanaf=_moment(vanaf, "--vanaf"),
                                       besluit_op=_moment(besluit_op, "--besluit-op")), als_json)


def _print_change(wijziging: Wijziging) -> None:
    click.echo(wijziging.omschrijving)
    for gevolg in wijziging.gevolgen:
        click.echo(f"  {gevolg}")
    if not wijziging.gevolgen:
        click.echo("  geen voorstellen geraakt")


@click.command("verplaats")
@click.argument("vergadering_id", type=ID, metavar="ID")
@click.option("--naar", required=True, metavar="DATUM [TIJD]",
              help="Nieuwe datum (JJJJ-MM-DD, houdt de begintijd) of nieuw tijdstip "
                   "(JJJJ-MM-DD UU:MM).")
@door_optie
@click.pass_obj
def verplaats(env: Omgeving, vergadering_id: int, naar: str, door: str) -> None:
    """Verplaats een vergadering; geraakte voorstellen worden opnieuw gepland.

    Voorbeeld: besluitroute vergadering verplaats 12 --naar 2026-06-30 14:00
    """
    from workflow.basis.clock import TZ
    from workflow.basis.momenten import alleen_datum, parse_moment
    from workflow.kalender import vergaderingen
    from workflow.voorstellen import vergaderwijziging

    moment = parse_moment(naar, "--naar")
    if alleen_datum(naar):  # a date only: keep the meeting's time of day
        with env.db.lees() as session:
            huidig = vergaderingen.haal(session, vergadering_id).begin.astimezone(TZ)
        moment = datetime.combine(moment.date(), huidig.time(), TZ)
    _print_change(vergaderwijziging.verplaats(env, vergadering_id, moment, door=door))


@click.command("annuleer")
@click.argument("vergadering_id", type=ID, metavar="ID")
@door_optie
@click.pass_obj
def annuleer(env: Omgeving, vergadering_id: int, door: str) -> None:
    """Annuleer een vergadering; wat erop stond gaat naar de volgende vergadering.

    Voorbeeld: besluitroute vergadering annuleer 12
    """
    from workflow.voorstellen import vergaderwijziging

    _print_change(vergaderwijziging.annuleer(env, vergadering_id, door=door))


@click.command("toevoegen")
@click.option("--orgaan", required=True, metavar="SLEUTEL", help="Het orgaan dat vergadert.")
@click.option("--op", required=True, metavar="DATUM TIJD",
              help="Datum en begintijd (JJJJ-MM-DD UU:MM of JJJJ-MM-DDTUU:MM, Nederlandse tijd).")
@click.option("--plaats", metavar="TEKST", help="Waar (standaard de vaste plaats van het orgaan).")
@click.option("--titel", metavar="TEKST", help="Waarom deze extra vergadering er is.")
@door_optie
@click.pass_obj
def toevoegen(env: Omgeving, orgaan: str, op: str, plaats: str | None,
              titel: str | None, door: str) -> None:
    """Voeg een extra vergadering toe, zonder de definities aan te passen.

    Voorbeeld: besluitroute vergadering toevoegen --orgaan programmateam --op 2026-12-07 10:00
    """
    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.momenten import alleen_datum, parse_moment
    from workflow.kalender import vergaderingen
    from workflow.voorstellen import vergaderwijziging

    moment = parse_moment(op, "--op")
    if alleen_datum(op):
        from workflow.basis.tekst import citeer

        raise GebruikersFout(f"--op: geef ook de begintijd, bijvoorbeeld {citeer(op.strip() + ' 10:00')}")
    vergadering = vergaderwijziging.voeg_toe(env, orgaan, moment, plaats=plaats, titel=titel, door=door)
    click.echo(f"vergadering toegevoegd: {vergaderingen.omschrijving(vergadering, env.definities)}")


@click.group("kalender", cls=LazyGroup, lazy={})
def kalender() -> None:
    """Vergaderkalender als iCalendar-bestand."""


@kalender.command("export")
@click.option("--orgaan", metavar="SLEUTEL", help="Alleen dit orgaan.")
@click.option("--lid", metavar="EMAIL", help="De vergaderingen van de organen van dit lid.")
@click.option("--opsteller", metavar="NAAM",
              help="Alleen de vergaderingen en aanleverdata van de voorstellen van deze opsteller.")
@click.option("--uitvoer", type=Pad(path_type=Path, dir_okay=False), metavar="PAD",
              help="Schrijf naar dit bestand (standaard: standaarduitvoer).")
@click.pass_obj
def export(env: Omgeving, orgaan: str | None, lid: str | None, opsteller: str | None,
           uitvoer: Path | None) -> None:
    """Exporteer vergaderingen, aanleverdata en verzendmomenten (.ics, RFC 5545).

    Opnieuw importeren werkt bestaande afspraken bij: elke vergadering houdt haar UID, ook na
    verplaatsen; geannuleerde vergaderingen staan erin als geannuleerd.

    Voorbeeld: besluitroute kalender export --orgaan aoj --uitvoer aoj.ics
    """
    from workflow.kalender import ical
    from workflow.voorstellen import takken

    # The zienswijze periods in a body's (or the full) calendar, not in a member's or author's.
    extra = takken.ical_items(env, orgaan) if lid is None and opsteller is None else []
    data = ical.exporteer(env, orgaan=orgaan, lid=lid, opsteller=opsteller, extra=extra)
    if uitvoer is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from workflow.basis.bestanden import schrijf_atomair

    schrijf_atomair(uitvoer, data, maak_map=False)
    click.echo(f"kalender geschreven naar {uitvoer}")


@click.command("verplichtingen")
@click.option("--jaar", type=JAAR, metavar="JAAR", help="Het jaar (standaard: dit jaar).")
@json_optie
@click.pass_obj
def verplichtingen(env: Omgeving, jaar: int | None, als_json: bool) -> None:
    """Toon per orgaan de verplichtingen ('tenminste N keer per jaar') en hoe ze ervoor staan.

    Voorbeeld: besluitroute verplichtingen --jaar 2026
    """
    from workflow.basis import clock
    from workflow.kalender import pcyclus
    from workflow.kalender import verplichtingen as plichten

    nu = clock.now()
    jaar = jaar or clock.local(nu).year
    standen = plichten.verzamel(env, jaar, nu)
    termijnen = pcyclus.verzamel(env, jaar, nu)
    if als_json:
        print_json([{
            "orgaan": s.orgaan, "omschrijving": s.omschrijving, "onderwerp": s.onderwerp,
            "vereist": s.vereist, "gehouden": s.gehouden, "gepland": s.gepland,
            "status": s.status, "tekort": s.tekort, "jaar": jaar,
            "vergaderingen": s.vergaderingen, "bron": s.bron,
        } for s in standen] + [{
            "soort": "termijn", "orgaan": t.orgaan, "omschrijving": t.omschrijving,
            "artikel": t.artikel, "uiterlijk": t.uiterlijk.isoformat(),
            "gedaan_op": t.gedaan_op.isoformat() if t.gedaan_op else None,
            "kenmerk": t.kenmerk, "status": t.status, "jaar": jaar,
        } for t in termijnen])
        return
    if not standen and not termijnen:
        click.echo("geen verplichtingen in de definities")
        return
    if standen:
        tabel(["orgaan", "verplichting", "vereist", "gehouden", "gepland", "stand"],
              [[s.orgaan_naam, s.omschrijving, s.vereist, s.gehouden, s.gepland,
                s.status if s.status != "achter" else f"achter ({s.tekort} te weinig)"]
               for s in standen])
    if termijnen:
        _print_termijnen(termijnen)


def _print_termijnen(termijnen: list[Any]) -> None:
    """The P&C cycle's dated duties: due, done (with the proposal), late."""
    from workflow.basis.tekst import datum

    click.echo("")
    tabel(["orgaan", "termijn", "artikel", "uiterlijk", "gedaan", "stand"],
          [[t.orgaan_naam, t.omschrijving, t.artikel, datum(t.uiterlijk),
            f"{datum(t.gedaan_op)} ({t.kenmerk})" if t.gedaan_op else "", t.status]
           for t in termijnen])
