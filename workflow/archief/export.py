"""`export ori-a MAP`: per held meeting of a body with archive rules, one folder

    MAP/<orgaan>/<yyyy-mm-dd>-<meeting id>/
        ori-a.xml                     the meeting (ORI-A 1.0.1)
        agenda.html                   + agenda.html.mdto.xml (informatieobject)
                                      + agenda.html.bestand.mdto.xml (bestand)
        besluitenlijst.html           + its two sidecars
        <kenmerk>-<id>-<name>         each proposal document, + its two sidecars
        sha256sums.txt                the SHA-256 of every other file (`sha256sum -c`)

Idempotent per meeting: the folder is written only when its fingerprint (every file's name and
SHA-256) differs from the one recorded at the last export, or the folder is gone; a new folder
replaces the old one whole. A meeting whose registered documents are missing is not written;
the others are.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from workflow.archief import mdto, oria
from workflow.archief import vergadering as archiefvergadering
from workflow.archief.herinnering import KWARTAAL, archief_organen, gehouden, niet_geexporteerd
from workflow.archief.model import ArchiefExport
from workflow.basis import bestanden, clock
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering

__all__ = ["KWARTAAL", "Verslag", "archief_organen", "bestanden_van", "exporteer", "mapnaam",
           "niet_geexporteerd", "vingerafdruk"]


@dataclass
class Verslag:
    geschreven: list[str] = field(default_factory=list)
    ongewijzigd: list[str] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)


def bestanden_van(v: archiefvergadering.Archiefvergadering) -> dict[str, bytes]:
    """The meeting's folder as name -> content (pure, apart from the documents read before).
    A document's SHA-256 in sha256sums.txt is the registered one (checked when it was read);
    the files made here are hashed."""
    result: dict[str, bytes] = {"ori-a.xml": oria.bestand(v)}
    geregistreerd: dict[str, str] = {}
    for d in v.documenten:
        assert d.inhoud is not None
        result[d.bestandsnaam] = d.inhoud
        geregistreerd[d.bestandsnaam] = d.sha256
        result[f"{d.bestandsnaam}.mdto.xml"] = mdto.informatieobject(v, d)
        result[f"{d.bestandsnaam}.bestand.mdto.xml"] = mdto.bestand(d)
    result["sha256sums.txt"] = "".join(
        f"{geregistreerd.get(naam) or hashlib.sha256(inhoud).hexdigest()}  {naam}\n"
        for naam, inhoud in sorted(result.items())).encode()
    return result


def vingerafdruk(inhoud: dict[str, bytes]) -> str:
    """Every file's name and SHA-256: the SHA-256 of sha256sums.txt, which lists them all."""
    return hashlib.sha256(inhoud["sha256sums.txt"]).hexdigest()


def mapnaam(v: Vergadering) -> str:
    return f"{v.orgaan}/{clock.local(v.begin).date().isoformat()}-{v.id}"


def exporteer(env: Omgeving, map_: Path, *, organen: Iterable[str] | None = None,
              van: datetime | None = None, tot: datetime | None = None,
              nu: datetime | None = None) -> Verslag:
    """Write every held meeting in the window that changed since its last export: one meeting
    at a time (read, built, written, recorded), so only one meeting's files are in memory."""
    nu = nu or clock.now()
    gekozen = archief_organen(env, organen)
    verslag = Verslag()
    with env.db.lees() as session:
        vergaderingen = gehouden(session, gekozen, nu, van, tot)
        vorige = {e.vergadering_id: e.vingerafdruk for e in session.scalars(
            select(ArchiefExport).where(ArchiefExport.vergadering_id.in_(
                [v.id for v in vergaderingen])))} if vergaderingen else {}
    for v in vergaderingen:
        with env.db.lees() as session:
            data = archiefvergadering.laad(env, session, v)
        naam = mapnaam(v)
        ontbreekt = [d.naam for d in data.documenten if d.inhoud is None]
        if ontbreekt:
            verslag.fouten.append(f"{naam}: niet geëxporteerd, document(en) niet meer "
                                  f"beschikbaar met de geregistreerde inhoud: "
                                  f"{', '.join(ontbreekt)}")
            continue
        inhoud = bestanden_van(data)
        afdruk = vingerafdruk(inhoud)
        if vorige.get(v.id) == afdruk and (map_ / naam / "sha256sums.txt").is_file():
            verslag.ongewijzigd.append(naam)
            continue
        # The folder per body is the export's own layout inside MAP, which exists.
        (map_ / naam).parent.mkdir(exist_ok=True)
        bestanden.vervang_map(map_ / naam, functools.partial(_vul, inhoud=inhoud))
        with env.db.schrijf() as session:
            rij = session.get(ArchiefExport, v.id)
            if rij is None:
                session.add(ArchiefExport(vergadering_id=v.id, vingerafdruk=afdruk,
                                          geexporteerd_op=nu))
            else:
                rij.vingerafdruk, rij.geexporteerd_op = afdruk, nu
        verslag.geschreven.append(naam)
    return verslag


def _vul(nieuw: Path, inhoud: dict[str, bytes]) -> None:
    for naam, data in inhoud.items():
        with open(nieuw / naam, "xb") as handle:  # a new folder: nothing to follow
            handle.write(data)
