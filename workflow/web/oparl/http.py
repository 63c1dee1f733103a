"""The /oparl/v1/ routes (registered by workflow.web.app)."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from workflow.web.bronnen import Omgeving, bestanden, clock
from workflow.web.oparl import lijsten, organisatie, raden
from workflow.web.oparl.basis import BODY, MAX_PER_PAGINA, PER_PAGINA, TYPE, Api, mime

#: Query parameters a list understands; any other is left out of its links.
PARAMETERS = ("created_since", "created_until", "modified_since", "modified_until", "limit",
              "omit_internal", "organization")


class Fout(Exception):
    """An answer as the specification's error object (src/2-09-ausnahmebehandlung.md)."""

    def __init__(self, status: int, bericht: str) -> None:
        super().__init__(bericht)
        self.status, self.bericht = status, bericht


def antwoord(data: dict[str, Any], status: int = 200) -> Any:
    from flask import Response

    response = Response(json.dumps(data, ensure_ascii=False), status=status,
                        mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _moment(args: Any, naam: str) -> datetime | None:
    tekst = args.get(naam)
    if tekst is None:
        return None
    try:
        waarde = datetime.fromisoformat(tekst.replace("Z", "+00:00"))
    except ValueError:
        raise Fout(400, f"{naam}: geen datum en tijd (zoals 2021-06-25T09:00:00+02:00)") from None
    return waarde if waarde.tzinfo else waarde.replace(tzinfo=clock.TZ)


def lijstvraag(args: Any, soort: str = "") -> lijsten.Lijstvraag:
    """The list request from the query string; `limit` beyond the bounds is capped (a client
    may not expect the server to follow it, src/2-05). The lists of the definitions page by
    the text of the last id (`na=ab-platform-jeugd`), the others by the number."""
    na_sleutel = ""
    try:
        if soort == "consultation" and str(args.get("na", "")).startswith(raden.VOORVOEGSEL):
            # The councils' Consultations follow the agenda items' (workflow.web.oparl.raden).
            na, na_sleutel = 0, str(args["na"])
            if int(na_sleutel.removeprefix(raden.VOORVOEGSEL)) < 0:
                raise ValueError(na_sleutel)
        elif soort in lijsten.DEFINITIE_LIJSTEN:
            na, na_sleutel = 0, str(args.get("na", ""))
            if len(na_sleutel) > 120 or not all(c.isalnum() or c == "-" for c in na_sleutel):
                raise Fout(400, "na is geen id uit deze lijst")
        else:
            na = int(args.get("na", "0"))
        limiet = int(args.get("limit", str(PER_PAGINA)))
    except ValueError:
        raise Fout(400, "na en limit zijn gehele getallen") from None
    if not 0 <= na < 2**31:
        raise Fout(400, "na valt buiten het bereik")
    return lijsten.Lijstvraag(
        na, min(max(limiet, 1), MAX_PER_PAGINA), _moment(args, "created_since"),
        _moment(args, "created_until"), _moment(args, "modified_since"),
        _moment(args, "modified_until"), args.get("organization"), na_sleutel=na_sleutel)


def link(api: Api, soort: str, args: Any, na: int | str) -> str:
    """The canonical URL of a page: the client's parameters, sorted, then `na`."""
    paren = sorted((k, v) for k, v in args.items() if k in PARAMETERS)
    if na:
        paren.append(("na", str(na)))
    return api.url("body", BODY, soort) + ("?" + urlencode(paren) if paren else "")


def _object(api: Api, soort: str, sleutel: str) -> dict[str, Any] | None:
    if soort in lijsten.DEFINITIE_LIJSTEN:
        if not organisatie.bestaat(api, soort, sleutel):
            return None
        return {"organization": organisatie.organization, "person": organisatie.person,
                "membership": organisatie.membership}[soort](api, sleutel)
    tak = sleutel.removeprefix(raden.VOORVOEGSEL)
    if soort == "consultation" and tak != sleutel:
        return raden.object_(api, int(tak)) if tak.isdigit() and 0 < int(tak) < 2**31 else None
    if soort not in lijsten.SOORTEN or not sleutel.isdigit() or not 0 < int(sleutel) < 2**31:
        return None
    return lijsten.object_(api, soort, int(sleutel))


def blueprint(env: Omgeving) -> Any:
    """The routes; every failure answers with an error object and its status."""
    from flask import Blueprint, redirect, request, url_for

    bp = Blueprint("oparl", __name__, url_prefix="/oparl/v1")

    def api() -> Api:
        return Api(env, request.host_url.rstrip("/") + request.script_root + "/oparl/v1",
                   clock.now(), intern=request.args.get("omit_internal") != "true")

    @bp.errorhandler(Fout)
    def fout(e: Fout) -> Any:
        return antwoord({"type": TYPE + "Error", "message": e.bericht,
                         "debug": f"{request.method} {request.path}"}, e.status)

    @bp.get("/")
    def start() -> Any:  # not canonical (src/2-03): the System is /system
        return redirect(url_for("oparl.system"), 301)

    @bp.get("/system")
    def system() -> Any:
        return antwoord(organisatie.system(api()))

    @bp.get("/body")
    def bodies() -> Any:
        a = api()
        return antwoord({"data": [organisatie.body(a)], "pagination": {"totalElements": 1},
                         "links": {"first": a.url("body"), "self": a.url("body")}})

    @bp.get(f"/body/{BODY}")
    def body() -> Any:
        return antwoord(organisatie.body(api()))

    @bp.get(f"/body/{BODY}/<soort>")
    def lijst(soort: str) -> Any:
        if soort not in lijsten.LIJSTEN:
            raise Fout(404, "onbekende lijst")
        a, vraag = api(), lijstvraag(request.args, soort)
        return antwoord(lijsten.lijst(a, soort, vraag,
                                      lambda na: link(a, soort, request.args, na)))

    @bp.get("/<soort>/<sleutel>")
    def object_(soort: str, sleutel: str) -> Any:
        obj = _object(api(), soort, sleutel) if len(sleutel) <= 120 else None
        if obj is None:
            raise Fout(404, "niet gevonden of niet gepubliceerd")
        return antwoord(obj)

    @bp.get("/file/<int:bijlage_id>/<wijze>")
    def inhoud(bijlage_id: int, wijze: str) -> Any:
        return _inhoud(api(), bijlage_id, wijze)

    return bp


def _inhoud(api: Api, bijlage_id: int, wijze: str) -> Any:
    """A File's content: accessUrl (`inhoud`) inline, downloadUrl (`download`) as an attachment
    with its name (src/2-07); 410 once withdrawn or changed on disk."""
    from flask import send_file

    b, openbaar = lijsten.bestand(api, bijlage_id) if 0 < bijlage_id < 2**31 else (None, False)
    if b is None or wijze not in ("inhoud", "download"):
        raise Fout(404, "niet gevonden of niet gepubliceerd")
    data = bestanden.lees_geregistreerd(Path(b.bron), b.sha256, b.grootte) if openbaar else None
    if data is None:
        raise Fout(410, "dit document is niet meer beschikbaar")
    return send_file(io.BytesIO(data), mimetype=mime(b.naam),
                     as_attachment=wijze == "download", download_name=b.naam)
