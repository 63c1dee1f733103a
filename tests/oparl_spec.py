"""OParl 1.1 as data, for the tests: per object type its required fields and the kind of every
field, taken from the specification's JSON schemas (github.com/OParl/spec, schema/<Type>.json
at commit 0ca34358433b781faf1e006abdeb3653e4401d95, 14 July 2020), plus the rules its text adds:
created and modified in every object, also embedded ones (src/3-01); Body's six lists marked
"ZWINGEND" in their descriptions (schema/strings.yml); date and date-time formats (src/2-04);
lists (src/2-05); deleted objects (src/2-08).

Kinds: url (a reference to one object), liste (a URL of an external object list), urls (an
array of references), objecten:<Type> (an array of embedded objects), object (one embedded
object), tekst, teksten, bool, getal, date, date-time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TYPE = "https://schema.oparl.org/1.1/"
DATUM = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIJD = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
PAGINATION = {"totalElements", "elementsPerPage", "currentPage", "totalPages"}
LINKS = {"first", "prev", "self", "next", "last", "web"}
#: The fields every object must have in 1.1 (src/3-01), and Body's lists 1.1 made required.
ALTIJD = ("created", "modified")
BODY_ZWINGEND = ("agendaItem", "consultation", "file", "membership", "locationList",
                 "legislativeTermList")

#: URL fields that point outside the API (not an OParl object).
BUITEN = ("web", "website", "product", "vendor", "license", "fileLicense", "externalServiceUrl")

SCHEMA: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "System": (("id", "type", "oparlVersion", "body"), {
        "id": "url", "type": "tekst", "oparlVersion": "tekst", "otherOparlVersions": "urls",
        "license": "url", "body": "liste", "name": "tekst", "contactEmail": "tekst",
        "contactName": "tekst", "website": "url", "vendor": "url", "product": "url",
        "created": "date-time", "modified": "date-time", "web": "url", "deleted": "bool",
    }),
    "Body": (("id", "type", "name", "organization", "person", "meeting", "paper", "legislativeTerm"), {
        "id": "url", "type": "tekst", "system": "url", "shortName": "tekst", "name": "tekst",
        "website": "url", "license": "url", "licenseValidSince": "date-time",
        "oparlSince": "date-time", "ags": "tekst", "rgs": "tekst", "equivalent": "urls",
        "contactEmail": "tekst", "contactName": "tekst", "organization": "liste",
        "person": "liste", "meeting": "liste", "paper": "liste",
        "legislativeTerm": "objecten:LegislativeTerm", "agendaItem": "liste",
        "consultation": "liste", "file": "liste", "locationList": "liste",
        "legislativeTermList": "liste", "membership": "liste", "classification": "tekst",
        "location": "object", "mainOrganization": "url", "keyword": "teksten",
        "created": "date-time", "modified": "date-time", "web": "url", "deleted": "bool",
    }),
    "Organization": (("id", "type"), {
        "id": "url", "type": "tekst", "body": "url", "name": "tekst", "membership": "urls",
        "meeting": "liste", "consultation": "liste", "shortName": "tekst", "post": "teksten",
        "subOrganizationOf": "url", "organizationType": "tekst", "classification": "tekst",
        "startDate": "date", "endDate": "date", "website": "url", "location": "object",
        "externalBody": "url", "memberCount": "getal", "votingMemberCount": "getal",
        "license": "tekst", "keyword": "teksten", "created": "date-time", "modified": "date-time",
        "web": "url", "deleted": "bool",
    }),
    "Person": (("id", "type"), {
        "id": "url", "type": "tekst", "body": "url", "name": "tekst", "familyName": "tekst",
        "givenName": "tekst", "formOfAddress": "tekst", "affix": "tekst", "title": "teksten",
        "gender": "tekst", "phone": "teksten", "email": "teksten", "location": "url",
        "locationObject": "object", "status": "teksten", "membership": "objecten:Membership",
        "image": "object", "life": "tekst", "lifeSource": "tekst", "license": "tekst",
        "keyword": "teksten", "created": "date-time", "modified": "date-time", "web": "url",
        "deleted": "bool",
    }),
    "Membership": (("id", "type"), {
        "id": "url", "type": "tekst", "person": "url", "organization": "url", "role": "tekst",
        "votingRight": "bool", "startDate": "date", "endDate": "date", "onBehalfOf": "url",
        "license": "tekst", "keyword": "teksten", "created": "date-time", "modified": "date-time",
        "web": "url", "deleted": "bool",
    }),
    "Meeting": (("id", "type"), {
        "id": "url", "type": "tekst", "name": "tekst", "meetingState": "tekst",
        "cancelled": "bool", "start": "date-time", "end": "date-time", "location": "object",
        "organization": "urls", "participant": "urls", "invitation": "object",
        "resultsProtocol": "object", "verbatimProtocol": "object",
        "auxiliaryFile": "objecten:File", "agendaItem": "objecten:AgendaItem", "license": "tekst",
        "keyword": "teksten", "created": "date-time", "modified": "date-time", "web": "url",
        "deleted": "bool",
    }),
    "AgendaItem": (("id", "type", "order"), {
        "id": "url", "type": "tekst", "meeting": "url", "number": "tekst", "order": "getal",
        "name": "tekst", "public": "bool", "consultation": "url", "result": "tekst",
        "resolutionText": "tekst", "resolutionFile": "object", "auxiliaryFile": "objecten:File",
        "start": "date-time", "end": "date-time", "license": "tekst", "keyword": "teksten",
        "created": "date-time", "modified": "date-time", "web": "url", "deleted": "bool",
    }),
    "Paper": (("id", "type"), {
        "id": "url", "type": "tekst", "body": "url", "name": "tekst", "reference": "tekst",
        "date": "date", "paperType": "tekst", "relatedPaper": "urls",
        "superordinatedPaper": "urls", "subordinatedPaper": "urls", "mainFile": "object",
        "auxiliaryFile": "objecten:File", "location": "objecten:Location",
        "originatorPerson": "urls", "underDirectionOf": "urls", "originatorOrganization": "urls",
        "consultation": "objecten:Consultation", "license": "tekst", "keyword": "teksten",
        "created": "date-time", "modified": "date-time", "web": "url", "deleted": "bool",
    }),
    "Consultation": (("id", "type"), {
        "id": "url", "type": "tekst", "paper": "url", "agendaItem": "url", "meeting": "url",
        "organization": "urls", "authoritative": "bool", "role": "tekst", "license": "tekst",
        "keyword": "teksten", "created": "date-time", "modified": "date-time", "web": "url",
        "deleted": "bool",
    }),
    "File": (("id", "type", "accessUrl"), {
        "id": "url", "type": "tekst", "name": "tekst", "fileName": "tekst", "mimeType": "tekst",
        "date": "date", "size": "getal", "sha1Checksum": "tekst", "sha512Checksum": "tekst",
        "text": "tekst", "accessUrl": "url", "downloadUrl": "url", "externalServiceUrl": "url",
        "masterFile": "url", "derivativeFile": "urls", "fileLicense": "url", "meeting": "urls",
        "agendaItem": "urls", "person": "url", "paper": "urls", "license": "tekst",
        "keyword": "teksten", "created": "date-time", "modified": "date-time", "web": "url",
        "deleted": "bool",
    }),
    "Location": (("id", "type"), {
        "id": "url", "type": "tekst", "description": "tekst", "geojson": "object",
        "streetAddress": "tekst", "room": "tekst", "postalCode": "tekst", "subLocality": "tekst",
        "locality": "tekst", "bodies": "urls", "organizations": "urls", "persons": "urls",
        "meetings": "urls", "papers": "urls", "license": "tekst", "keyword": "teksten",
        "created": "date-time", "modified": "date-time", "web": "url", "deleted": "bool",
    }),
    "LegislativeTerm": (("id", "type"), {
        "id": "url", "type": "tekst", "body": "url", "name": "tekst", "startDate": "date",
        "endDate": "date", "license": "tekst", "keyword": "teksten", "created": "date-time",
        "modified": "date-time", "web": "url", "deleted": "bool",
    }),}


def verplicht(soort: str) -> tuple[str, ...]:
    vereist, _ = SCHEMA[soort]
    return (*vereist, *ALTIJD, *(BODY_ZWINGEND if soort == "Body" else ()))


class Controle:
    """Checks objects and list pages against SCHEMA; every URL reference is fetched (once) and
    must answer 200 within the API. `get(url)` returns (status, JSON or None)."""

    def __init__(self, get: Callable[[str], tuple[int, Any]], basis: str) -> None:
        self.get, self.basis, self.gezien = get, basis, {}  # type: ignore[var-annotated]

    def haal(self, url: str) -> Any:
        assert url.startswith(self.basis), url
        if url not in self.gezien:
            self.gezien[url] = self.get(url)
        status, data = self.gezien[url]
        assert status == 200, (url, status)
        return data

    def pagina(self, pagina: dict[str, Any]) -> None:
        assert set(pagina) == {"data", "pagination", "links"}, pagina.keys()
        assert isinstance(pagina["data"], list)
        assert set(pagina["pagination"]) <= PAGINATION
        assert all(isinstance(v, int) for v in pagina["pagination"].values())
        assert set(pagina["links"]) <= LINKS
        for obj in pagina["data"]:
            self.object_(obj)

    def object_(self, obj: dict[str, Any], *, ingebed: str | None = None) -> None:
        soort = obj["type"].removeprefix(TYPE)
        assert soort in SCHEMA, obj["type"]
        assert ingebed is None or soort == ingebed, (soort, ingebed)
        velden = SCHEMA[soort][1]
        if obj.get("deleted"):
            # A deleted object keeps id, type, created, modified (src/2-08) and what its type's
            # schema requires (AgendaItem order, File accessUrl): it validates like any other.
            assert ingebed is None, "an embedded object is never deleted (src/2-05)"
            assert set(obj) == {"created", "modified", "deleted", *SCHEMA[soort][0]}, obj
        for veld in verplicht(soort):
            assert veld in obj, (soort, veld)
        for veld, waarde in obj.items():
            if ":" in veld:  # a vendor field (the spec's scripts/validate.py skips these)
                continue
            assert veld in velden, (soort, veld, "not in the specification")
            assert waarde is not None and (waarde != [] or veld in verplicht(soort)), \
                (soort, veld, "empty optional field (src/2-04)")
            self.veld(soort, veld, velden[veld], waarde, obj["id"],
                      verwijderd=bool(obj.get("deleted")))

    def veld(self, soort: str, veld: str, kind: str, waarde: Any, eigen: str, *,
             verwijderd: bool = False) -> None:
        if kind in ("url", "liste"):
            assert isinstance(waarde, str) and waarde.startswith("http"), (soort, veld, waarde)
            if veld in BUITEN:
                return
            if verwijderd and veld == "accessUrl":  # a deleted File's content: 410 Gone
                assert self.get(waarde)[0] == 410, (soort, veld, waarde)
                return
            data = self.haal(waarde) if waarde != eigen else None
            if kind == "liste":
                self.pagina(data)
        elif kind == "urls":
            assert isinstance(waarde, list) and all(isinstance(u, str) for u in waarde)
            for url in waarde:
                self.haal(url)
        elif kind.startswith("objecten:"):
            assert isinstance(waarde, list)
            for item in waarde:
                self.object_(item, ingebed=kind.removeprefix("objecten:"))
        elif kind == "object":
            assert isinstance(waarde, dict)
            self.object_(waarde)
        elif kind == "teksten":
            assert isinstance(waarde, list) and all(isinstance(t, str) for t in waarde)
        else:
            soorten = {"tekst": str, "bool": bool, "getal": int, "date": str, "date-time": str}
            assert type(waarde) is soorten[kind], (soort, veld, waarde)
            if kind in ("date", "date-time"):
                assert (DATUM if kind == "date" else TIJD).match(waarde), (soort, veld, waarde)
