"""The Woo-index files on disk: `export woo-index MAP` and the reminder pass.

Everything goes into `MAP/woo-index/` (`robots.txt`, `sitemaps/*.xml`): the web server serves
that folder at the root of the address registered for the Woo-index. It is written as a new
folder that replaces the old one whole (workflow.basis.bestanden.vervang_map): the harvester
never reads half an export.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from workflow.basis import bestanden as basisbestanden
from workflow.basis import clock, instellingen
from workflow.basis.fouten import GebruikersFout
from workflow.basis.oorzaken import oorzaak
from workflow.omgeving import Omgeving
from workflow.openbaarheid.wooindex import sitemaps, stukken

log = logging.getLogger("besluitroute.wooindex")

MAP = "woo-index"


def adres(config: Mapping[str, Any]) -> str | None:
    """The public address of the files: `[woo_index] adres`, else the portal's `[web] adres`."""
    ingesteld = instellingen.van(config)
    waarde = ingesteld.woo_index_adres or ingesteld.web_adres
    return waarde.rstrip("/") if waarde else None


def inhoud(env: Omgeving, adres: str, nu: datetime | None = None) -> dict[str, bytes]:
    """Every file (relative path -> bytes) as at `nu`."""
    nu = nu or clock.now()
    with env.db.lees() as session:
        gepubliceerd = stukken.laad(session, env.definities, nu)
    return sitemaps.bestanden(gepubliceerd, adres)


def schrijf(map_: Path, bestanden: dict[str, bytes]) -> tuple[int, int]:
    """Put `bestanden` in `map_/woo-index` (atomic folder swap); (files, bytes)."""
    def vul(nieuw: Path) -> tuple[int, int]:
        (nieuw / sitemaps.MAP).mkdir()
        for relatief, data in bestanden.items():
            with open(nieuw / relatief, "xb") as handle:  # a new folder: nothing to follow
                handle.write(data)
        return len(bestanden), sum(len(d) for d in bestanden.values())

    return basisbestanden.vervang_map(map_ / MAP, vul)


def controleer_adres(adres: str) -> str:
    """The public address the files will be served under: http(s) only."""
    from workflow.basis.tekst import citeer

    if not adres.startswith(("https://", "http://")):
        raise GebruikersFout(f"--adres moet met https:// of http:// beginnen: {citeer(adres)}")
    return adres


def exporteer(env: Omgeving, map_: Path, adres: str) -> tuple[int, int]:
    """`export woo-index`: (files, bytes) written."""
    return schrijf(map_, inhoud(env, controleer_adres(adres)))


def op_schijf(map_: Path) -> dict[str, bytes]:
    """What `map_/woo-index` holds now (empty when there is none)."""
    doel = map_ / MAP
    if not doel.is_dir():
        return {}
    result: dict[str, bytes] = {}
    for pad in sorted(doel.rglob("*")):
        if pad.is_file() and not pad.is_symlink():
            result[pad.relative_to(doel).as_posix()] = pad.read_bytes()
    return result


def inhoudshash(bestanden: dict[str, bytes]) -> str:
    """The SHA-256 of the files: every name with its content, in name order."""
    h = hashlib.sha256()
    for naam, data in sorted(bestanden.items()):
        h.update(f"{naam}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def stempel(env: Omgeving, adres: str) -> str:
    """What the files are made of, in one statement: the publications (a new one, a withdrawal)
    and only the rows they show (the published proposals' changes and documents, the published
    meetings' changes), the definitions. A step of a proposal or meeting nothing was published
    of leaves it alone."""
    from sqlalchemy import func, select

    from workflow.openbaarheid.model import Publicatie
    from workflow.opslag.models import Definitieversie, Vergadering, Voorstel
    from workflow.voorstellen.documenten import Bijlage

    gepubliceerde_voorstellen = select(Publicatie.voorstel_id).where(
        Publicatie.voorstel_id.is_not(None))
    gepubliceerde_vergaderingen = select(Publicatie.vergadering_id)
    with env.db.lees() as session:
        row = session.execute(select(
            select(func.count(Publicatie.id)).scalar_subquery(),
            select(func.max(Publicatie.gewijzigd_op)).scalar_subquery(),
            select(func.count(Bijlage.id))
            .where(Bijlage.voorstel_id.in_(gepubliceerde_voorstellen)).scalar_subquery(),
            select(func.max(Bijlage.id))
            .where(Bijlage.voorstel_id.in_(gepubliceerde_voorstellen)).scalar_subquery(),
            select(func.max(Voorstel.gewijzigd_op))
            .where(Voorstel.id.in_(gepubliceerde_voorstellen)).scalar_subquery(),
            select(func.coalesce(func.sum(Vergadering.volgnummer), 0))
            .where(Vergadering.id.in_(gepubliceerde_vergaderingen)).scalar_subquery(),
            select(func.max(Definitieversie.nummer)).scalar_subquery())).one()
    return hashlib.sha256(repr((tuple(row), adres, MAP)).encode()).hexdigest()


def map_van(config: Mapping[str, Any]) -> Path | None:
    """`[woo_index] map`: the folder the reminder pass keeps current (relative to the config
    file), or None."""
    return instellingen.van(config).woo_index_map


def bijwerken(env: Omgeving, nu: datetime | None = None) -> bool:
    """For the reminder pass: with `[woo_index] map` configured, rewrite the files when what
    they should hold differs from what is there. A URL's `lastmod` is the change of what it
    shows, so a publication or withdrawal changes only its own URLs (and its meeting's pages).
    A pass in which nothing they are made of changed reads one statement (`stempel`, kept in
    `MAP/.woo-index-stempel`, outside the served folder), not every publication; a pass that
    builds compares the SHA-256 of the built files with the one kept beside the stamp, never
    reads the folder back. True when written."""
    map_ = map_van(env.config)
    if map_ is None:
        return False
    waar = adres(env.config)
    if waar is None:
        log.warning("woo-index: geen adres ingesteld ([woo_index] adres of [web] adres)")
        return False
    huidig = stempel(env, waar)
    stempelbestand = map_ / f".{MAP}-stempel"
    # The stamp file: the stamp of what the files were made of, then the SHA-256 of what was
    # written (an older file holds only the first line).
    vorig_stempel, vorige_inhoud = "", ""
    if (map_ / MAP).is_dir() and stempelbestand.is_file():
        regels = stempelbestand.read_text(encoding="utf-8").splitlines()
        vorig_stempel = regels[0] if regels else ""
        vorige_inhoud = regels[1] if len(regels) > 1 else ""
    if vorig_stempel == huidig:
        return False
    nieuw = inhoud(env, waar, nu)
    # The configured folder is the pass's own, like uitgaand/: made when missing (the folder
    # above it must exist); a folder named on the command line is made only with --maak-map.
    try:
        map_.mkdir(exist_ok=True)
    except OSError as exc:
        raise basisbestanden.BestandFout(f"kan de map {map_} niet maken ({oorzaak(exc)})") \
            from None
    nieuwe_inhoud = inhoudshash(nieuw)
    geschreven = nieuwe_inhoud != vorige_inhoud
    if geschreven:
        schrijf(map_, nieuw)
        log.info("woo-index bijgewerkt: %d bestanden in %s", len(nieuw), map_ / MAP)
    basisbestanden.schrijf_atomair(stempelbestand, f"{huidig}\n{nieuwe_inhoud}\n")
    return geschreven
