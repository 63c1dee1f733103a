"""System, Body and what the definitions describe: Organization (a publishing orgaan), Person
and Membership (its members, without e-mail address; a Person's id is drawn at random and
stored, see personen.py). Built in memory; the lists are paged by id like the others."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import Publicatie
from workflow.web.oparl.basis import BODY, TYPE, Api, tijd

#: The Body's lists (src/2-05 and schema/Body.json; 1.1 made the last six "ZWINGEND").
BODY_LIJSTEN = {"organization": "organization", "person": "person", "meeting": "meeting",
                "paper": "paper", "agendaItem": "agendaItem", "consultation": "consultation",
                "file": "file", "membership": "membership", "locationList": "location",
                "legislativeTermList": "legislativeTerm"}


def system(api: Api) -> dict[str, Any]:
    eerst, laatst = _systeemtijden(api)
    return {"id": api.url("system"), "type": TYPE + "System",
            "oparlVersion": "https://schema.oparl.org/1.1/", "body": api.url("body"),
            "name": "besluitroute", "product": "https://besluitroute.example/",
            "created": tijd(eerst), "modified": tijd(laatst)}


def _systeemtijden(api: Api) -> tuple[Any, Any]:
    """The first definitions and the newest of definitions and publications."""
    eerst, laatst = api.definitietijden()
    with api.env.db.lees() as session:
        pub = session.scalar(select(func.max(Publicatie.gewijzigd_op))
                             .where(zichtbaarheid.gepubliceerd(api.nu)))
    return eerst, max(laatst, pub) if pub else laatst


def body(api: Api) -> dict[str, Any]:
    naam = api.env.instellingen.web_naam or "besluitroute"
    b = api.url("body", BODY)
    eerst, laatst = api.definitietijden()
    return {"id": b, "type": TYPE + "Body", "system": api.url("system"), "name": naam,
            **{veld: f"{b}/{pad}" for veld, pad in BODY_LIJSTEN.items()},
            "legislativeTerm": [], "created": tijd(eerst), "modified": tijd(laatst)}


def _tijden(api: Api) -> dict[str, str]:
    eerst, laatst = api.definitietijden()
    return {"created": tijd(eerst), "modified": tijd(laatst)}


def organization(api: Api, sleutel: str) -> dict[str, Any]:
    o = api.organen()[sleutel]
    result = {**api.object_("organization", sleutel), "body": api.url("body", BODY),
              "name": o.naam, "organizationType": "Gremium",
              "classification": o.soort.value if o.soort else "orgaan",
              "meeting": api.url("body", BODY, "meeting") + f"?organization={sleutel}",
              **_tijden(api)}
    if o.afkorting:
        result["shortName"] = o.afkorting
    if o.leden:
        ids = api.persoon_ids()
        result["membership"] = [api.url("membership", f"{sleutel}--{ids[lid.email]}")
                                for lid in o.leden]
    return result


def personen(api: Api) -> dict[str, tuple[str, list[str]]]:
    """Person id -> (name, keys of the publishing organen they are a member of)."""
    ids = api.persoon_ids()
    result: dict[str, tuple[str, list[str]]] = {}
    for sleutel, o in api.organen().items():
        for lid in o.leden:
            result.setdefault(ids[lid.email], (lid.naam, []))[1].append(sleutel)
    return result


def person(api: Api, pid: str) -> dict[str, Any]:
    naam, organen = personen(api)[pid]
    result: dict[str, Any] = {**api.object_("person", pid), "body": api.url("body", BODY), "name": naam,
              **_tijden(api)}
    if api.intern:
        result["membership"] = [membership(api, f"{k}--{pid}") for k in organen]
    return result


def membership(api: Api, mid: str) -> dict[str, Any]:
    sleutel, _, pid = mid.partition("--")
    ids = api.persoon_ids()
    lid = next(lid for lid in api.organen()[sleutel].leden if ids[lid.email] == pid)
    return {**api.object_("membership", mid), "person": api.url("person", pid),
            "organization": api.url("organization", sleutel), "role": lid.rol.value,
            "votingRight": lid.rol.value in ("voorzitter", "lid"), **_tijden(api)}


def lijst(api: Api, soort: str, na: str = "", limiet: int | None = None
          ) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a definitions list, ordered by the last part of the id: the objects after
    `na`, at most `limiet`; and the id after which the next page starts (None: the last)."""
    if soort == "organization":
        sleutels = list(api.organen())
    elif soort == "person":
        sleutels = sorted(personen(api))
    else:
        sleutels = sorted(f"{k}--{p}" for p, (_, ks) in personen(api).items() for k in ks)
    sleutels = sorted(k for k in sleutels if k > na)
    volgende = None
    if limiet is not None and len(sleutels) > limiet:
        sleutels = sleutels[:limiet]
        volgende = sleutels[-1]
    bouw = {"organization": organization, "person": person, "membership": membership}[soort]
    return [bouw(api, k) for k in sleutels], volgende


def bestaat(api: Api, soort: str, sleutel: str) -> bool:
    if soort == "organization":
        return sleutel in api.organen()
    if soort == "person":
        return sleutel in personen(api)
    k, _, p = sleutel.partition("--")
    return k in personen(api).get(p, ("", []))[1]
