"""The database objects as OParl 1.1 objects: Paper, Consultation, Meeting, AgendaItem, File,
Location. Pure: every builder reads a Voorraad loaded for the whole page (laden.py).

Which fields are URLs and which are embedded objects follows the schema files of the
specification (github.com/OParl/spec, schema/*.json): Paper embeds its Consultations and
Files, Meeting its AgendaItems and Location; the rest are URLs. `modified` is the newest
change of the object and of everything embedded in it (src/3-01: a client updates on it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import Agendapunt, Bijlage, StapRol, Vergadering, Voorstel, clock
from workflow.web.oparl import raden
from workflow.web.oparl.basis import BODY, Api, datum, mime, tijd, verwijderd
from workflow.web.oparl.laden import Voorraad


def _laatst(*momenten: datetime | None) -> datetime:
    return max(m for m in momenten if m is not None)


def paper(api: Api, vr: Voorraad, v: Voorstel) -> dict[str, Any]:
    pubs = vr.stukken(v.id)
    result = api.object_("paper", v.id)
    result["created"] = tijd(min(p.gepubliceerd_op for p in pubs))
    if not vr.levend(v.id):
        return verwijderd(result, vr.ingetrokken_op(v.id))
    stappen = vr.punten_van(v.id)
    files = vr.bijlagen.get(v.id, [])
    result.update({
        "body": api.url("body", BODY), "name": v.titel, "reference": v.kenmerk,
        "date": datum(v.ingediend_op),
        "paperType": "procesvoorstel" if "proces" in v.route else "voorstel",
        "consultation": [consultation(api, vr, a, ingebed=True) for a in stappen] + [
            raden.consultation(api, vr, t, ingebed=True) for t in vr.takken.get(v.id, [])
            if raden.is_zienswijze(api, v.route, t.stap)],
        "modified": tijd(_laatst(v.gewijzigd_op, *(p.gewijzigd_op for p in pubs),
                                 *(b.geregistreerd_op for b in files),
                                 *(vr.agenda_gewijzigd(a.vergadering_id) for a in stappen),
                                 *(t.beantwoord_op for t in vr.takken.get(v.id, [])))),
        "web": api.basis.rsplit("/oparl/", 1)[0] + f"/voorstel/{v.kenmerk}"})
    if files and api.intern:
        result["auxiliaryFile"] = [file(api, vr, b, ingebed=True) for b in files]
    if v.in_opdracht_van in api.organen():
        result["underDirectionOf"] = [api.url("organization", v.in_opdracht_van)]
    return result


def consultation(api: Api, vr: Voorraad, a: Agendapunt, *, ingebed: bool = False
                 ) -> dict[str, Any]:
    voorstel = vr.voorstellen[a.voorstel_id]
    result = api.object_("consultation", a.id)
    result["created"] = tijd(a.aangemaakt_op)
    if not ingebed and not vr.levend(a.voorstel_id):
        return verwijderd(result, vr.ingetrokken_op(a.voorstel_id))
    result.update({
        "paper": api.url("paper", a.voorstel_id),
        "authoritative": a.rol == StapRol.BESLUIT.value,
        "role": StapRol(a.rol).label if a.rol in StapRol._value2member_map_ else a.rol,
        "modified": tijd(_laatst(voorstel.gewijzigd_op, a.aangemaakt_op,
                                 *(p.gewijzigd_op for p in vr.stukken(a.voorstel_id)),
                                 vr.agenda_gewijzigd(a.vergadering_id)))})
    if a.vergadering.orgaan in api.organen():
        result["organization"] = [api.url("organization", a.vergadering.orgaan)]
    if vr.agenda_gewijzigd(a.vergadering_id) is not None:
        result["meeting"] = api.url("meeting", a.vergadering_id)
        if vr.stuk(a.vergadering_id, a.voorstel_id) is not None:
            result["agendaItem"] = api.url("agendaItem", a.id)
    return result


def meeting(api: Api, vr: Voorraad, v: Vergadering) -> dict[str, Any]:
    o = api.env.definities.organen.get(v.orgaan)
    pubs = vr.van_vergadering(v.id)
    eind = v.begin + timedelta(minutes=o.duur_minuten if o else 120)
    result = api.object_("meeting", v.id)
    result.update({
        "name": f"{o.naam if o else v.orgaan} {clock.local(v.begin):%d-%m-%Y}",
        "meetingState": "cancelled" if v.geannuleerd else (
            "terminated" if eind <= api.nu else "scheduled"),
        "cancelled": v.geannuleerd, "start": tijd(v.begin), "end": tijd(eind),
        "organization": [api.url("organization", v.orgaan)],
        "created": tijd(min(p.gepubliceerd_op for p in pubs)),
        "modified": tijd(_laatst(*(p.gewijzigd_op for p in pubs), *(
            vr.voorstellen[a.voorstel_id].gewijzigd_op for a in vr.op_vergadering(v.id))))})
    if v.plaats:
        result["location"] = location(api, vr, v, ingebed=True)
    punten = vr.agendapunten(v.id)
    if punten and api.intern:
        result["agendaItem"] = [agenda_item(api, vr, a, volgorde=i)
                                for i, a in enumerate(punten)]
    lijst = next((p for p in pubs if p.soort == "besluitenlijst"), None)
    if lijst is not None:
        result["keyword"] = [f"besluitenlijst gepubliceerd {tijd(lijst.gepubliceerd_op)}"]
        # Those present are public with the decision list (their Person: members only, not
        # substitutes; absence and its reasons have no place here).
        aanwezig = set(vr.aanwezigen.get(v.id, ()))
        if (o is not None and aanwezig and not zichtbaarheid.ingetrokken(lijst, api.nu)
                and v.orgaan in api.organen()):
            ids = api.persoon_ids()
            result["participant"] = [api.url("person", ids[lid.email]) for lid in o.leden
                                     if lid.naam in aanwezig and lid.email in ids]
    return result


def agenda_item(api: Api, vr: Voorraad, a: Agendapunt, *, volgorde: int | None = None
                ) -> dict[str, Any]:
    """`order` is the position among the meeting's public items, from 0 (required)."""
    pub = vr.stuk(a.vergadering_id, a.voorstel_id)
    assert pub is not None
    result = api.object_("agendaItem", a.id)
    result["created"] = tijd(pub.gepubliceerd_op)
    if zichtbaarheid.ingetrokken(pub, api.nu):
        # `order` is required by the schema: its place among the items ever public.
        alle = [p.id for p in vr.agendapunten(a.vergadering_id, met_ingetrokken=True)]
        return verwijderd(result, pub.ingetrokken_op or pub.gewijzigd_op,
                          order=alle.index(a.id))
    if volgorde is None:
        volgorde = [p.id for p in vr.agendapunten(a.vergadering_id)].index(a.id)
    voorstel = vr.voorstellen[a.voorstel_id]
    result.update({
        "meeting": api.url("meeting", a.vergadering_id), "order": volgorde,
        "number": str(volgorde + 1), "name": voorstel.titel, "public": True,
        "consultation": api.url("consultation", a.id),
        "modified": tijd(_laatst(pub.gewijzigd_op, voorstel.gewijzigd_op))})
    orgaan = api.env.definities.organen.get(a.vergadering.orgaan)
    if a.uitkomst and orgaan is not None and orgaan.advies_openbaar:
        result["result"] = a.uitkomst
    return result


def file(api: Api, vr: Voorraad, b: Bijlage, *, ingebed: bool = False) -> dict[str, Any]:
    result = api.object_("file", b.id)
    result["created"] = tijd(b.geregistreerd_op)
    if not vr.levend(b.voorstel_id):
        # `accessUrl` is required by the schema; it answers 410 Gone.
        return verwijderd(result, vr.ingetrokken_op(b.voorstel_id),
                          accessUrl=api.url("file", b.id, "inhoud"))
    result.update({
        "name": PurePath(b.naam).stem or b.naam, "fileName": b.naam, "mimeType": mime(b.naam),
        "date": datum(b.geregistreerd_op), "size": b.grootte,
        # Not in OParl 1.1 (it has sha1, deprecated, and sha512): a vendor field, prefixed.
        "besluitroute:sha256Checksum": b.sha256,
        "accessUrl": api.url("file", b.id, "inhoud"),
        "downloadUrl": api.url("file", b.id, "download"),
        "modified": tijd(_laatst(b.geregistreerd_op,
                                 *(p.gewijzigd_op for p in vr.stukken(b.voorstel_id))))})
    if not ingebed:
        result["paper"] = [api.url("paper", b.voorstel_id)]
    return result


def location(api: Api, vr: Voorraad, v: Vergadering, *, ingebed: bool = False
             ) -> dict[str, Any]:
    """The place of a published meeting (one Location per meeting, `location/<meeting id>`)."""
    pubs = vr.van_vergadering(v.id)
    result = api.object_("location", v.id)
    result.update({"description": v.plaats,
                   "created": tijd(min(p.gepubliceerd_op for p in pubs)),
                   "modified": tijd(max(p.gewijzigd_op for p in pubs))})
    if not ingebed:
        result["meetings"] = [api.url("meeting", v.id)]
    return result
