"""`besluitroute week`: the secretariat's week on the terminal (the portal's board, the Monday
mail). Parse, call `berichten.weekstaat`, print."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workflow.cli.uitvoer import json_optie, print_json

if TYPE_CHECKING:
    from workflow.berichten.weekstaat import Weekstaat
    from workflow.omgeving import Omgeving


@click.command("week")
@click.option("--orgaan", metavar="SLEUTEL", help="Alleen dit orgaan (standaard: alle).")
@click.option("--volgende", is_flag=True, help="De volgende week in plaats van deze.")
@json_optie
@click.pass_obj
def week(env: Omgeving, orgaan: str | None, volgende: bool, als_json: bool) -> None:
    """Wat deze week (of de volgende) speelt: termijnen, vergaderingen en wat aandacht vraagt.

    Aanleverdata, verzendmomenten en vergaderingen; vergaderingen zonder vastgelegde uitkomst;
    berichten die mislukten, wachten of werden overgeslagen; achterstallige verplichtingen, de
    termijnen van de P&C-cyclus en publicaties (Woo). Dezelfde feiten als het weekoverzicht op
    maandag en het secretariaatsbord in het portaal.

    Voorbeeld: besluitroute week --orgaan aoj --volgende
    """
    from workflow.basis import clock
    from workflow.berichten.weekstaat import weekstaat

    organen = [env.definities.orgaan(orgaan).sleutel] if orgaan else sorted(env.definities.organen)
    staat = weekstaat(env, organen, clock.now(), weken=(1,) if volgende else (0,))
    if als_json:
        print_json(_json(staat))
    else:
        _print(staat)


def _json(staat: Weekstaat) -> dict[str, Any]:
    from workflow.basis.tekst import iso

    def vergadering(v: dict[str, Any]) -> dict[str, Any]:
        return {"sleutel": v["sleutel"], "orgaan": v["orgaan"], "begin": iso(v["begin"])}

    return {
        "organen": staat.organen,
        "weken": [{
            "titel": w.titel, "van": w.van.isoformat(), "tot": w.tot.isoformat(),
            "regels": [{"wat": r["wat"], "moment": iso(r["moment"]),
                        "vergadering": vergadering(r["vergadering"]),
                        "kenmerken": r["kenmerken"]} for r in w.regels],
            "zonder_uitkomst": [{"vergadering": vergadering(a["vergadering"]),
                                 "voorstellen": [{"kenmerk": v["kenmerk"], "titel": v["titel"],
                                                  "rol": v["rol"]} for v in a["voorstellen"]]}
                                for a in w.achterstallig],
        } for w in staat.weken],
        "berichten": [{"id": m["id"], "status": m["status"], "soort": m["soort"],
                       "aan": m["aan"], "onderwerp": m["onderwerp"], "fout": m["fout"],
                       "volgende_poging": iso(m["moment"])} for m in staat.berichten],
        "verplichtingen_achter": {"jaar": staat.jaar, "verplichtingen": staat.achter},
        "publicaties": staat.publicaties,
        "termijnen": [{**t, "uiterlijk": t["uiterlijk"].isoformat(),
                       "gedaan_op": t["gedaan_op"].isoformat() if t["gedaan_op"] else None}
                      for t in staat.termijnen],
    }


def _print(staat: Weekstaat) -> None:
    from workflow.basis.tekst import dag_datum, datum, datum_tijd, een_regel, tijd

    for w in staat.weken:
        click.echo(f"{w.titel}: {datum(w.van)} tot en met {datum(w.tot)}")
        click.echo("")
        click.echo("TERMIJNEN EN VERGADERINGEN")
        for r in w.regels:
            v = r["vergadering"]
            kenmerken = ", ".join(r["kenmerken"]) if r["kenmerken"] else "nog geen voorstellen"
            # A submission deadline is a day (the end of it); the others are moments.
            wanneer = dag_datum(r["moment"]) if r["wat"] == "aanleverdatum" else \
                f"{dag_datum(r['moment'])} {tijd(r['moment'])}"
            welke = "" if r["wat"] == "vergadering" else \
                f" (vergadering {datum_tijd(v['begin'])})"
            click.echo(f"- {wanneer}: {r['wat']} {v['orgaan']}{welke}: {kenmerken}")
        if not w.regels:
            click.echo("- geen aanleverdata, verzendmomenten of vergaderingen")
        if w.achterstallig:
            click.echo("")
            click.echo("VERGADERD, MAAR NOG ZONDER UITKOMST")
            for a in w.achterstallig:
                click.echo(f"{a['vergadering']['orgaan']}, {datum_tijd(a['vergadering']['begin'])}:")
                for v in a["voorstellen"]:
                    click.echo(f"- {v['kenmerk']} {een_regel(v['titel'])} ({v['rol']})")
    click.echo("")
    click.echo("BERICHTEN: MISLUKT, WACHTEND OF OVERGESLAGEN")
    for m in staat.berichten:
        fout = f": {een_regel(m['fout'])}" if m["fout"] else ""
        click.echo(f"- bericht {m['id']} ({m['soort']}, {m['status']}) aan {m['aan']}: "
                   f"{een_regel(m['onderwerp'])}{fout}")
    if not staat.berichten:
        click.echo("- geen berichten die aandacht vragen")
    click.echo("")
    click.echo(f"VERPLICHTINGEN ACHTER ({staat.jaar})")
    for s in staat.achter:
        click.echo(f"- {s['orgaan']}: {s['omschrijving']}: minimaal {s['vereist']} keer, "
                   f"{s['gehouden']} gehouden en {s['gepland']} gepland; {s['tekort']} te weinig")
    if not staat.achter:
        click.echo("- geen verplichting loopt achter")
    _print_termijnen(staat)
    if staat.publicaties:
        click.echo("")
        click.echo("OPENBAARMAKING (WOO)")
        for p in staat.publicaties:
            click.echo(f"- {p}")


def _print_termijnen(staat: Weekstaat) -> None:
    """The P&C cycle's dated duties of the year: due, done (when, with which proposal) or late."""
    from workflow.basis.tekst import datum

    if not staat.termijnen:
        return
    click.echo("")
    click.echo(f"TERMIJNEN VAN DE P&C-CYCLUS ({staat.jaar})")
    for t in staat.termijnen:
        gedaan = f" op {datum(t['gedaan_op'])} ({t['kenmerk']})" if t["gedaan_op"] else ""
        click.echo(f"- {t['orgaan']}: {t['omschrijving']} ({t['artikel']}): uiterlijk "
                   f"{datum(t['uiterlijk'])}; {t['status']}{gedaan}")
