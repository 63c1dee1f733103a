"""`voorstel toon`: one proposal as in the documents (header, "Te bespreken in", beslispunten,
documents, history), as text or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workflow.basis.tekst import een_regel
from workflow.cli.uitvoer import json_optie, print_json, tabel

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving
    from workflow.opslag.models import Gebeurtenis
    from workflow.voorstellen.lezen import Dossier


@click.command("toon")
@click.argument("kenmerk")
@json_optie
@click.pass_obj
def toon(env: Omgeving, kenmerk: str, als_json: bool) -> None:
    """Toon een voorstel: de kop zoals in de stukken, de beslispunten en de geschiedenis."""
    from workflow.voorstellen import lezen

    dossier = lezen.dossier(env, kenmerk)
    if als_json:
        print_json(dossier_json(env, dossier))
    else:
        print_dossier(env, dossier)


def _label(env: Omgeving, route: str, toestand: str) -> str:
    from workflow.routes import machine as routemachine

    definitie = env.definities.routes.get(route)
    return toestand if definitie is None else routemachine.label(definitie, toestand, env.definities)



def te_bespreken_in(env: Omgeving, dossier: Dossier) -> list[dict[str, Any]]:
    """Per route step the meeting it is (or was) on: the seed's "Te bespreken in"."""
    from workflow.basis.clock import TZ

    definitie = env.definities.routes.get(dossier.voorstel.route)
    if definitie is None:
        return []
    rows = []
    takken = {(t.stap, t.tak): t for t in dossier.takken}
    for groep in definitie.stappen:
        # A group step shows one row per branch, side by side under the step's id.
        for stap in [groep.takstap(t.id) for t in groep.takken] or [groep]:
            items = [a for a in dossier.agendapunten if a.stap == stap.id]
            item = items[-1] if items else None
            row = {
                "stap": stap.id, "orgaan": stap.orgaan, "rol": stap.rol.value,
                "vergadering_id": item.vergadering_id if item else None,
                "datum": item.vergadering.begin.astimezone(TZ).date().isoformat()
                if item else None,
                "status": item.status if item else None,
                "uitkomst": item.uitkomst if item else None,
                "nagekomen": item.nagekomen if item else False,
            }
            tak = takken.get((groep.id, stap.id.rpartition("/")[2])) if groep.is_groep else None
            if tak is not None:
                row |= _tak_json(tak, row)
            rows.append(row)
    return rows


def _tak_json(tak: Any, row: dict[str, Any]) -> dict[str, Any]:
    """A branch's own fields: its answer, the period, lateness (a council has no agenda item
    of ours; its planned meeting is the branch's)."""
    from workflow.basis import clock
    from workflow.basis.tekst import iso

    extra: dict[str, Any] = {
        "tak": tak.tak, "tak_status": tak.status, "te_laat": tak.te_laat,
        "termijn_eind": iso(tak.termijn_eind) if tak.termijn_eind else None,
        "beantwoord_op": iso(tak.beantwoord_op) if tak.beantwoord_op else None,
    }
    if tak.uitkomst:
        extra["uitkomst"] = tak.uitkomst
    if row["vergadering_id"] is None and tak.vergadering is not None:
        extra["vergadering_id"] = tak.vergadering_id
        extra["datum"] = clock.local(tak.vergadering.begin).date().isoformat()
    if row["status"] is None:
        extra["status"] = tak.status
    return extra


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
        "aan": v.aan, "van": v.van, "opsteller": v.opsteller, "opsteller_email": v.opsteller_email,
        "in_opdracht_van": v.in_opdracht_van or None, "documentstatus": v.documentstatus,
        "versie": v.versie, "onderwerp": v.onderwerp, "ingediend_op": iso(v.ingediend_op),
        "beslispunten": [{"nummer": p.volgnummer, "tekst": p.tekst, "besluit": p.besluit,
                          "stemming": _stemming(dossier, p.volgnummer)}
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


def _stemming(dossier: Dossier, nummer: int) -> dict[str, Any] | None:
    """The last recorded vote on beslispunt `nummer`, None without one."""
    if nummer not in dossier.stemmingen:
        return None
    vergadering_id, regel = dossier.stemmingen[nummer]
    return {"vergadering": vergadering_id, "uitslag": regel.uitslag, "voor": list(regel.voor),
            "tegen": list(regel.tegen), "onthouden": list(regel.onthouden)}


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
        click.echo(f"{naam + ':':<18}{een_regel(str(waarde))}")
    rows = te_bespreken_in(env, dossier)
    for i, row in enumerate(rows):
        body = organen[row["orgaan"]].naam if row["orgaan"] in organen else row["orgaan"]
        when = datum(_date(row["datum"])) if row["datum"] else "nog niet gepland"
        extra = f"  ({row['uitkomst']})" if row["uitkomst"] else (
            f"  ({row['status']})" if row["status"] else "")
        if row["nagekomen"]:
            extra += "  [nagekomen]"
        if row.get("te_laat"):
            extra += "  [te laat]"
        prefix = "Te bespreken in:" if i == 0 else ""
        click.echo(f"{prefix:<18}{body:<44}{when}{extra}")
    click.echo(f"{'Stand:':<18}{_label(env, v.route, v.toestand)}")
    click.echo("")
    click.echo("BESLISPUNTEN")
    if not dossier.beslispunten:
        click.echo("  (geen)")
    for punt in dossier.beslispunten:
        besluit = f"  [{punt.besluit}]" if punt.besluit else ""
        click.echo(f"  {punt.volgnummer}. {een_regel(punt.tekst)}{besluit}")
    click.echo("")
    click.echo("STUKKEN")
    if not dossier.documenten:
        click.echo("  (geen; registreer ze met 'besluitroute voorstel bijlage')")
    for d in dossier.documenten:
        omschrijving = f": {een_regel(d.omschrijving)}" if d.omschrijving else ""
        click.echo(f"  {een_regel(d.naam)} (versie {d.versie}, {d.omvang}){omschrijving}")
    click.echo("")
    click.echo("GESCHIEDENIS")
    tabel(["tijdstip", "door", "handeling", "naar", "vergadering", "tekst"],
          [[datum_tijd(g.tijdstip), g.door, g.handeling,
            _label(env, v.route, g.naar_toestand) if g.naar_toestand else "",
            f"{_titel(env, g)} {datum_tijd(g.vergadering_begin)}" if g.vergadering_begin else "",
            g.tekst or ""] for g in dossier.geschiedenis], omloop=70)


def _date(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)
