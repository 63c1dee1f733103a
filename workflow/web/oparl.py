"""OParl 1.1 under /oparl/v1/: the published data only, as the specification's objects.

One Body (the organisation running besluitroute), an Organization per publishing orgaan, its
members as Person and Membership, each published meeting a Meeting with its AgendaItems, each
proposal with published documents a Paper whose route steps are Consultations, each document a
File. Lists use keyset pagination (`?na=ID`): page 1,000 costs what page 1 costs.
The same objects are written as static files by `besluitroute export oparl` (exporteer).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from workflow.web.bronnen import (
    Agendapunt,
    Bijlage,
    Omgeving,
    Publicatie,
    StapRol,
    Vergadering,
    Voorstel,
    bestanden,
    clock,
)

TYPE = "https://schema.oparl.org/1.1/"
PER_PAGINA = 50
MAX_PER_PAGINA = 200
BODY = "1"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def persoon_id(naam: str, email: str) -> str:
    """A stable id without the address: a harvester never sees e-mail addresses."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


@dataclass
class Api:
    """Builds objects for one moment (`nu`), with URLs under `basis` (no trailing slash)."""

    env: Omgeving
    basis: str
    nu: datetime

    def url(self, *delen: object) -> str:
        return "/".join([self.basis, *(str(d) for d in delen)])

    # -- what is public -----------------------------------------------------------------------

    def organen(self) -> dict[str, Any]:
        return {k: o for k, o in sorted(self.env.definities.organen.items())
                if o.publicatie.publiceert}

    def _pub(self, soort: str | None = None) -> Any:
        conditions = [Publicatie.gepubliceerd_op <= self.nu]
        if soort:
            conditions.append(Publicatie.soort == soort)
        return and_(*conditions)

    def meeting_ok(self) -> Any:
        """SQL: the meeting's agenda has (ever) been published."""
        return exists(select(Publicatie.id).where(Publicatie.vergadering_id == Vergadering.id,
                                                  self._pub("agenda")))

    def paper_ok(self) -> Any:
        """SQL: documents of the proposal have been published (maybe withdrawn since)."""
        return exists(select(Publicatie.id).where(Publicatie.voorstel_id == Voorstel.id,
                                                  self._pub("stukken")))

    def paper_live(self, session: Session, voorstel_id: int) -> bool:
        return bool(session.scalar(select(func.count(Publicatie.id)).where(
            Publicatie.voorstel_id == voorstel_id, self._pub("stukken"),
            or_(Publicatie.ingetrokken_op.is_(None), Publicatie.ingetrokken_op > self.nu))))

    # -- objects --------------------------------------------------------------------------------

    def system(self) -> dict[str, Any]:
        return {"id": self.url("system"), "type": TYPE + "System", "oparlVersion":
                "https://schema.oparl.org/1.1/", "body": self.url("body"),
                "name": "besluitroute", "product": "https://besluitroute.example/",
                "created": _iso(self.nu), "modified": _iso(self.nu)}

    def body(self) -> dict[str, Any]:
        naam = str((self.env.config.get("web", {}) or {}).get("naam", "") or "besluitroute")
        b = self.url("body", BODY)
        return {
            "id": b, "type": TYPE + "Body", "system": self.url("system"), "name": naam,
            "organization": f"{b}/organization", "person": f"{b}/person",
            "meeting": f"{b}/meeting", "paper": f"{b}/paper", "membership": f"{b}/membership",
            "agendaItem": f"{b}/agendaItem", "consultation": f"{b}/consultation",
            "file": f"{b}/file", "legislativeTerm": [],
            "created": _iso(self.nu), "modified": _iso(self.nu)}

    def organization(self, sleutel: str) -> dict[str, Any]:
        o = self.organen()[sleutel]
        return {"id": self.url("organization", sleutel), "type": TYPE + "Organization",
                "body": self.url("body", BODY), "name": o.naam, "shortName": o.afkorting,
                "organizationType": "Gremium",
                "classification": o.soort.value if o.soort else "orgaan",
                "membership": [self.url("membership", f"{sleutel}--{persoon_id(lid.naam, lid.email)}")
                               for lid in o.leden],
                "meeting": self.url("body", BODY, "meeting") + f"?organization={sleutel}",
                "created": _iso(self.nu), "modified": _iso(self.nu)}

    def personen(self) -> dict[str, tuple[str, list[str]]]:
        result: dict[str, tuple[str, list[str]]] = {}
        for sleutel, o in self.organen().items():
            for lid in o.leden:
                pid = persoon_id(lid.naam, lid.email)
                result.setdefault(pid, (lid.naam, []))[1].append(sleutel)
        return result

    def person(self, pid: str) -> dict[str, Any]:
        naam, organen = self.personen()[pid]
        return {"id": self.url("person", pid), "type": TYPE + "Person",
                "body": self.url("body", BODY), "name": naam,
                "membership": [self.url("membership", f"{k}--{pid}") for k in organen],
                "created": _iso(self.nu), "modified": _iso(self.nu)}

    def membership(self, mid: str) -> dict[str, Any]:
        sleutel, _, pid = mid.partition("--")
        o = self.organen()[sleutel]
        lid = next(lid for lid in o.leden if persoon_id(lid.naam, lid.email) == pid)
        return {"id": self.url("membership", mid), "type": TYPE + "Membership",
                "person": self.url("person", pid), "organization": self.url("organization",
                                                                            sleutel),
                "role": lid.rol.value, "votingRight": lid.rol.value in ("voorzitter", "lid"),
                "created": _iso(self.nu), "modified": _iso(self.nu)}

    def meeting(self, session: Session, v: Vergadering) -> dict[str, Any]:
        o = self.env.definities.organen.get(v.orgaan)
        pubs = list(session.scalars(select(Publicatie).where(
            Publicatie.vergadering_id == v.id, self._pub())))
        created = min(p.gepubliceerd_op for p in pubs)
        modified = max(p.gewijzigd_op for p in pubs)
        items = list(session.scalars(select(Agendapunt.id).where(
            Agendapunt.vergadering_id == v.id, Agendapunt.voorstel_id.in_(
                select(Publicatie.voorstel_id).where(Publicatie.vergadering_id == v.id,
                                                     self._pub("stukken"),
                                                     Publicatie.ingetrokken_op.is_(None))))
            .order_by(Agendapunt.id)))
        eind = v.begin + timedelta(minutes=o.duur_minuten if o else 120)
        lijst = next((p for p in pubs if p.soort == "besluitenlijst"), None)
        result: dict[str, Any] = {
            "id": self.url("meeting", v.id), "type": TYPE + "Meeting",
            "name": f"{o.naam if o else v.orgaan} {clock.local(v.begin):%d-%m-%Y}",
            "meetingState": "cancelled" if v.geannuleerd else (
                "terminated" if eind <= self.nu else "scheduled"),
            "cancelled": v.geannuleerd, "start": _iso(v.begin), "end": _iso(eind),
            "organization": [self.url("organization", v.orgaan)],
            "agendaItem": [self.url("agendaItem", i) for i in items],
            "created": _iso(created), "modified": _iso(modified)}
        if v.plaats:
            result["location"] = {"id": self.url("meeting", v.id) + "#plaats",
                                  "type": TYPE + "Location", "description": v.plaats}
        if lijst is not None:
            result["keyword"] = [f"besluitenlijst gepubliceerd {_iso(lijst.gepubliceerd_op)}"]
        return result

    def agenda_item(self, session: Session, a: Agendapunt) -> dict[str, Any]:
        voorstel = session.get(Voorstel, a.voorstel_id)
        assert voorstel is not None
        pub = session.scalar(select(Publicatie).where(
            Publicatie.vergadering_id == a.vergadering_id, Publicatie.voorstel_id == a.voorstel_id,
            self._pub("stukken")))
        result: dict[str, Any] = {
            "id": self.url("agendaItem", a.id), "type": TYPE + "AgendaItem",
            "meeting": self.url("meeting", a.vergadering_id), "name": voorstel.titel,
            "public": True, "consultation": self.url("consultation", a.id),
            "created": _iso(pub.gepubliceerd_op if pub else a.aangemaakt_op),
            "modified": _iso(pub.gewijzigd_op if pub else a.aangemaakt_op)}
        if a.uitkomst:
            result["result"] = a.uitkomst
        if pub is not None and pub.ingetrokken_op is not None and pub.ingetrokken_op <= self.nu:
            return _deleted(result)
        return result

    def consultation(self, session: Session, a: Agendapunt) -> dict[str, Any]:
        meeting_public = session.scalar(select(func.count(Publicatie.id)).where(
            Publicatie.vergadering_id == a.vergadering_id, self._pub("agenda")))
        voorstel = session.get(Voorstel, a.voorstel_id)
        assert voorstel is not None
        result: dict[str, Any] = {
            "id": self.url("consultation", a.id), "type": TYPE + "Consultation",
            "paper": self.url("paper", a.voorstel_id),
            "organization": [self.url("organization", a.vergadering.orgaan)]
            if a.vergadering.orgaan in self.organen() else [],
            "authoritative": a.rol == StapRol.BESLUIT.value,
            "role": StapRol(a.rol).label if a.rol in StapRol._value2member_map_ else a.rol,
            "created": _iso(a.aangemaakt_op), "modified": _iso(voorstel.gewijzigd_op)}
        if meeting_public:
            result["meeting"] = self.url("meeting", a.vergadering_id)
            if session.scalar(select(func.count(Publicatie.id)).where(
                    Publicatie.vergadering_id == a.vergadering_id,
                    Publicatie.voorstel_id == a.voorstel_id, self._pub("stukken"))):
                result["agendaItem"] = self.url("agendaItem", a.id)
        return result

    def paper(self, session: Session, v: Voorstel) -> dict[str, Any]:
        pubs = list(session.scalars(select(Publicatie).where(Publicatie.voorstel_id == v.id,
                                                             self._pub("stukken"))))
        created = min(p.gepubliceerd_op for p in pubs)
        modified = max([v.gewijzigd_op, *(p.gewijzigd_op for p in pubs)])
        result: dict[str, Any] = {"id": self.url("paper", v.id), "type": TYPE + "Paper",
                                  "body": self.url("body", BODY),
                                  "created": _iso(created), "modified": _iso(modified)}
        if not self.paper_live(session, v.id):
            return _deleted(result)
        stappen = list(session.scalars(select(Agendapunt).where(
            Agendapunt.voorstel_id == v.id).order_by(Agendapunt.id)))
        files = list(session.scalars(select(Bijlage.id).where(Bijlage.voorstel_id == v.id)
                                     .order_by(Bijlage.id)))
        result.update({
            "name": v.titel, "reference": v.kenmerk, "date": clock.local(v.ingediend_op)
            .date().isoformat(), "paperType": "procesvoorstel" if "proces" in v.route
            else "voorstel",
            "auxiliaryFile": [self.url("file", f) for f in files],
            "consultation": [self.consultation(session, a) for a in stappen],
            "web": self.basis.rsplit("/oparl/", 1)[0] + f"/voorstel/{v.kenmerk}"})
        if v.in_opdracht_van in self.organen():
            result["underDirectionOf"] = [self.url("organization", v.in_opdracht_van)]
        return result

    def file(self, session: Session, b: Bijlage) -> dict[str, Any]:
        voorstel = session.get(Voorstel, b.voorstel_id)
        assert voorstel is not None
        result: dict[str, Any] = {
            "id": self.url("file", b.id), "type": TYPE + "File",
            "created": _iso(b.geregistreerd_op), "modified": _iso(b.geregistreerd_op)}
        if not self.paper_live(session, b.voorstel_id):
            return _deleted(result)
        result.update({
            "name": b.naam, "fileName": b.naam, "mimeType": _mime(b.naam), "size": b.grootte,
            "sha256Checksum": b.sha256, "accessUrl": self.url("file", b.id, "inhoud"),
            "downloadUrl": self.url("file", b.id, "inhoud"),
            "paper": [self.url("paper", b.voorstel_id)]})
        if b.omschrijving:
            result["text"] = b.omschrijving
        return result


def _deleted(obj: dict[str, Any]) -> dict[str, Any]:
    return {"id": obj["id"], "type": obj["type"], "created": obj["created"],
            "modified": obj["modified"], "deleted": True}


def _mime(naam: str) -> str:
    import mimetypes

    return mimetypes.guess_type(naam)[0] or "application/octet-stream"


# ---------------------------------------------------------------------------------------------
# Lists: keyset pagination over the integer primary key.

@dataclass(frozen=True)
class Lijstvraag:
    na: int = 0
    limiet: int = PER_PAGINA
    created_since: datetime | None = None
    modified_since: datetime | None = None


def _query(api: Api, soort: str, vraag: Lijstvraag) -> tuple[Any, Any, Callable[..., Any]]:
    """(select of rows, id column, builder) for a list kind."""
    q: Any
    if soort == "meeting":
        q = select(Vergadering).where(api.meeting_ok())
        tijd = select(func.max(Publicatie.gewijzigd_op)).where(
            Publicatie.vergadering_id == Vergadering.id).scalar_subquery()
        eerst = select(func.min(Publicatie.gepubliceerd_op)).where(
            Publicatie.vergadering_id == Vergadering.id).scalar_subquery()
        return _filter(q, vraag, eerst, tijd), Vergadering.id, api.meeting
    if soort == "paper":
        q = select(Voorstel).where(api.paper_ok())
        tijd = select(func.max(Publicatie.gewijzigd_op)).where(
            Publicatie.voorstel_id == Voorstel.id).scalar_subquery()
        eerst = select(func.min(Publicatie.gepubliceerd_op)).where(
            Publicatie.voorstel_id == Voorstel.id).scalar_subquery()
        return _filter(q, vraag, eerst, func.coalesce(tijd, Voorstel.gewijzigd_op)), \
            Voorstel.id, api.paper
    if soort in ("agendaItem", "consultation"):
        gepubliceerd = exists(select(Publicatie.id).where(
            Publicatie.voorstel_id == Agendapunt.voorstel_id, api._pub("stukken")))
        if soort == "agendaItem":
            gepubliceerd = exists(select(Publicatie.id).where(
                Publicatie.voorstel_id == Agendapunt.voorstel_id,
                Publicatie.vergadering_id == Agendapunt.vergadering_id, api._pub("stukken")))
        q = _filter(select(Agendapunt).where(gepubliceerd), vraag, Agendapunt.aangemaakt_op,
                    Agendapunt.aangemaakt_op)
        return q, Agendapunt.id, api.agenda_item if soort == "agendaItem" else api.consultation
    if soort == "file":
        q = select(Bijlage).where(exists(select(Publicatie.id).where(
            Publicatie.voorstel_id == Bijlage.voorstel_id, api._pub("stukken"))))
        return _filter(q, vraag, Bijlage.geregistreerd_op, Bijlage.geregistreerd_op), \
            Bijlage.id, api.file
    raise KeyError(soort)


def _filter(q: Any, vraag: Lijstvraag, created: Any, modified: Any) -> Any:
    if vraag.created_since is not None:
        q = q.where(created >= vraag.created_since)
    if vraag.modified_since is not None:
        q = q.where(modified >= vraag.modified_since)
    return q


#: The list kinds built from the definitions (small: one page).
DEFINITIE_LIJSTEN = ("organization", "person", "membership")
DB_LIJSTEN = ("meeting", "paper", "agendaItem", "consultation", "file")


def lijst(api: Api, soort: str, vraag: Lijstvraag, volgende: Callable[[int], str]
          ) -> dict[str, Any]:
    """One page of a list, as the specification's object list."""
    if soort in DEFINITIE_LIJSTEN:
        data = _definitie_lijst(api, soort)
        return {"data": data, "pagination": {"totalElements": len(data),
                                             "elementsPerPage": max(len(data), 1),
                                             "currentPage": 1, "totalPages": 1},
                "links": {}}
    with api.env.db.lees() as session:
        q, kolom, maak = _query(api, soort, vraag)
        rijen = list(session.scalars(q.where(kolom > vraag.na).order_by(kolom)
                                     .limit(vraag.limiet + 1)))
        meer = len(rijen) > vraag.limiet
        rijen = rijen[:vraag.limiet]
        data = [maak(session, r) for r in rijen]
    links: dict[str, str] = {}
    if meer:
        links["next"] = volgende(rijen[-1].id)
    return {"data": data, "pagination": {"elementsPerPage": vraag.limiet}, "links": links}


def _definitie_lijst(api: Api, soort: str) -> list[dict[str, Any]]:
    if soort == "organization":
        return [api.organization(k) for k in api.organen()]
    personen = api.personen()
    if soort == "person":
        return [api.person(p) for p in sorted(personen)]
    return [api.membership(f"{k}--{p}") for p, (_, ks) in sorted(personen.items()) for k in ks]


def object_(api: Api, soort: str, sleutel: str) -> dict[str, Any] | None:
    """One object by its id, or None (unknown or not published)."""
    try:
        if soort == "organization":
            return api.organization(sleutel) if sleutel in api.organen() else None
        if soort == "person":
            return api.person(sleutel) if sleutel in api.personen() else None
        if soort == "membership":
            k, _, p = sleutel.partition("--")
            return api.membership(sleutel) if k in api.personen().get(p, ("", []))[1] else None
        ident = int(sleutel)
    except (ValueError, KeyError):
        return None
    if not 0 < ident < 2**31:
        return None
    with api.env.db.lees() as session:
        q, kolom, maak = _query(api, soort, Lijstvraag())
        rij = session.scalar(q.where(kolom == ident))
        return maak(session, rij) if rij is not None else None


def bestand(api: Api, bijlage_id: int) -> Bijlage | None:
    """The registered document behind a File's accessUrl, if published and not withdrawn."""
    with api.env.db.lees() as session:
        b = session.get(Bijlage, bijlage_id) if 0 < bijlage_id < 2**31 else None
        if b is None or not api.paper_live(session, b.voorstel_id):
            return None
        return b


# ---------------------------------------------------------------------------------------------
# Static export.

def exporteer(env: Omgeving, map_: Path, adres: str) -> tuple[int, int]:
    """Write every published object and every list page under `map_` as JSON files.

    URLs are `<adres>/oparl/v1/...`; a list page lives at `.../paper/index.json`, the next at
    `.../paper/na-<id>.json`. Returns (files, bytes)."""
    api = Api(env, adres.rstrip("/") + "/oparl/v1", clock.now())
    aantal = grootte = 0

    def schrijf(relatief: str, data: dict[str, Any]) -> None:
        nonlocal aantal, grootte
        inhoud = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        # Atomic per file, refusing links and devices; the folders of the layout are ours.
        bestanden.schrijf_atomair(map_ / relatief, inhoud, fsync=False)
        aantal += 1
        grootte += len(inhoud)

    schrijf("oparl/v1/system.json", api.system())
    schrijf(f"oparl/v1/body/{BODY}.json", api.body())
    schrijf("oparl/v1/body/index.json", {"data": [api.body()], "pagination": {}, "links": {}})
    for soort in DEFINITIE_LIJSTEN:
        pagina = lijst(api, soort, Lijstvraag(), lambda _i: "")
        schrijf(f"oparl/v1/body/{BODY}/{soort}/index.json", pagina)
        for obj in pagina["data"]:
            schrijf(f"oparl/v1/{soort}/{obj['id'].rsplit('/', 1)[1]}.json", obj)
    for soort in DB_LIJSTEN:
        na = 0
        for _ in range(10**7):
            def volgende(i: int, s: str = soort) -> str:
                return api.url("body", BODY, s, f"na-{i}.json")
            pagina = lijst(api, soort, Lijstvraag(na=na, limiet=MAX_PER_PAGINA), volgende)
            naam = "index.json" if na == 0 else f"na-{na}.json"
            schrijf(f"oparl/v1/body/{BODY}/{soort}/{naam}", pagina)
            for obj in pagina["data"]:
                schrijf(f"oparl/v1/{soort}/{obj['id'].rsplit('/', 1)[1]}.json", obj)
            if "next" not in pagina["links"]:
                break
            na = int(pagina["links"]["next"].rsplit("na-", 1)[1].removesuffix(".json"))
    return aantal, grootte


# ---------------------------------------------------------------------------------------------
# The HTTP side.

def blueprint(env: Omgeving) -> Any:
    """The /oparl/v1/ routes (registered by workflow.web.app)."""
    from flask import Blueprint, Response, abort, request, send_file

    bp = Blueprint("oparl", __name__, url_prefix="/oparl/v1")

    def api() -> Api:
        return Api(env, request.host_url.rstrip("/") + request.script_root + "/oparl/v1",
                   clock.now())

    def antwoord(data: dict[str, Any]) -> Response:
        response = Response(json.dumps(data, ensure_ascii=False),
                            mimetype="application/json")
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Cache-Control"] = "public, max-age=60"
        return response

    def moment(naam: str) -> datetime | None:
        tekst = request.args.get(naam)
        if tekst is None:
            return None
        try:
            waarde = datetime.fromisoformat(tekst.replace("Z", "+00:00"))
        except ValueError:
            abort(400)
        return waarde if waarde.tzinfo else waarde.replace(tzinfo=clock.TZ)

    @bp.get("/")
    @bp.get("/system")
    def system() -> Response:
        return antwoord(api().system())

    @bp.get("/body")
    def bodies() -> Response:
        return antwoord({"data": [api().body()], "pagination": {"totalElements": 1,
                         "elementsPerPage": 1, "currentPage": 1, "totalPages": 1},
                         "links": {}})

    @bp.get(f"/body/{BODY}")
    def body() -> Response:
        return antwoord(api().body())

    @bp.get(f"/body/{BODY}/<soort>")
    def lijst_(soort: str) -> Response:
        if soort not in DEFINITIE_LIJSTEN + DB_LIJSTEN:
            abort(404)
        try:
            na = int(request.args.get("na", "0"))
            limiet = int(request.args.get("limit", str(PER_PAGINA)))
        except ValueError:
            abort(400)
        if not 0 <= na < 2**31 or not 1 <= limiet <= MAX_PER_PAGINA:
            abort(400)
        vraag = Lijstvraag(na, limiet, moment("created_since"), moment("modified_since"))
        a = api()

        def volgende(i: int) -> str:
            args = {k: v for k, v in request.args.items() if k != "na"}
            args["na"] = str(i)
            from urllib.parse import urlencode

            return a.url("body", BODY, soort) + "?" + urlencode(args)

        return antwoord(lijst(a, soort, vraag, volgende))

    @bp.get("/<soort>/<sleutel>")
    def object_route(soort: str, sleutel: str) -> Response:
        if soort not in DEFINITIE_LIJSTEN + DB_LIJSTEN or len(sleutel) > 120:
            abort(404)
        obj = object_(api(), soort, sleutel)
        if obj is None:
            abort(404)
        return antwoord(obj)

    @bp.get("/file/<int:bijlage_id>/inhoud")
    def inhoud(bijlage_id: int) -> Any:
        b = bestand(api(), bijlage_id)
        if b is None:
            abort(404)
        data = bestanden.lees_geregistreerd(Path(b.bron), b.sha256, b.grootte)
        if data is None:
            abort(410)
        import io

        return send_file(io.BytesIO(data), mimetype=_mime(b.naam), as_attachment=True,
                         download_name=b.naam)

    return bp
