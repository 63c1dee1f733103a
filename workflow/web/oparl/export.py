"""`besluitroute export oparl MAP`: every published object and list page as static files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workflow.web.bronnen import Omgeving, bestanden, clock
from workflow.web.oparl import lijsten, organisatie
from workflow.web.oparl.basis import BODY, MAX_PER_PAGINA, Api


def exporteer(env: Omgeving, map_: Path, adres: str) -> tuple[int, int]:
    """Write every published object and every list page under `map_/oparl` as JSON files.

    URLs are `<adres>/oparl/v1/...`; a list page lives at `.../paper/index.json`, the next at
    `.../paper/na-<id>.json`. A deleted object gets its file (`deleted: true`) but is left out
    of the list pages, as a list without `modified_since` does. Returns (files, bytes).

    The files go into a new folder beside `map_/oparl`, which replaces it when everything is
    written: a web server serving `map_` never shows half an export, and a failed export leaves
    the previous one as it was (workflow.basis.bestanden.vervang_map). One atomic write per file
    cost several times the write itself, and a national export has hundreds of thousands."""
    api = Api(env, adres.rstrip("/") + "/oparl/v1", clock.now())
    teller = bestanden.vervang_map(map_ / "oparl", lambda nieuw: _schrijf_alles(api, nieuw))
    return teller[0], teller[1]


def _schrijf_alles(api: Api, map_: Path) -> list[int]:
    teller = [0, 0]
    mappen: set[Path] = set()

    def schrijf(relatief: str, data: dict[str, Any]) -> None:
        inhoud = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        pad = map_ / relatief.removeprefix("oparl/")
        if pad.parent not in mappen:
            pad.parent.mkdir(parents=True, exist_ok=True)
            mappen.add(pad.parent)
        with open(pad, "xb") as handle:  # a new folder: nothing to replace, nothing to follow
            handle.write(inhoud)
        teller[0] += 1
        teller[1] += len(inhoud)

    def objecten(soort: str, data: list[dict[str, Any]]) -> None:
        for obj in data:
            schrijf(f"oparl/v1/{soort}/{obj['id'].rsplit('/', 1)[1]}.json", obj)

    schrijf("oparl/v1/system.json", organisatie.system(api))
    schrijf(f"oparl/v1/body/{BODY}.json", organisatie.body(api))
    schrijf("oparl/v1/body/index.json", {"data": [organisatie.body(api)], "pagination": {},
                                         "links": {}})
    for soort in (*lijsten.DEFINITIE_LIJSTEN, "legislativeTerm"):
        _definitielijst(api, soort, schrijf, objecten)
    for soort in lijsten.SOORTEN:
        _lijst(api, soort, schrijf, objecten)
    return teller


def _definitielijst(api: Api, soort: str, schrijf: Any, objecten: Any) -> None:
    """A list of the definitions (organization, person, membership), page by page."""
    def naam(na: int | str) -> str:
        return f"na-{na}.json" if na else "index.json"

    na = ""
    for _pagina in range(100_000):  # bounded: 200 ids a page
        pagina = lijsten.lijst(api, soort, lijsten.Lijstvraag(
            limiet=MAX_PER_PAGINA, na_sleutel=na), lambda n: api.url("body", BODY, soort, naam(n)))
        schrijf(f"oparl/v1/body/{BODY}/{soort}/{naam(na)}", pagina)
        objecten(soort, pagina["data"])
        volgende = pagina["links"].get("next")
        if volgende is None:
            break
        na = volgende.rsplit("/na-", 1)[1].removesuffix(".json")


def _lijst(api: Api, soort: str, schrijf: Any, objecten: Any) -> None:
    def naam(na: int | str) -> str:
        return f"na-{na}.json" if na else "index.json"

    na: int | str | None = 0
    while na is not None:
        vraag = lijsten.Lijstvraag(na=na if isinstance(na, int) else 0, limiet=MAX_PER_PAGINA,
                                   alle=True, na_sleutel=na if isinstance(na, str) else "")
        # The councils' Consultations follow the agenda items' (`na-tak-<id>.json`).
        data, volgende = lijsten.consultaties(api, vraag) if soort == "consultation" \
            else lijsten.pagina(api, soort, vraag)
        objecten(soort, data)
        links = {"first": api.url("body", BODY, soort, naam(0)),
                 "self": api.url("body", BODY, soort, naam(na))}
        if volgende is not None:
            links["next"] = api.url("body", BODY, soort, naam(volgende))
        schrijf(f"oparl/v1/body/{BODY}/{soort}/{naam(na)}", {
            "data": [o for o in data if not o.get("deleted")],
            "pagination": {"elementsPerPage": MAX_PER_PAGINA}, "links": links})
        na = volgende
