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
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from workflow.archief import mdto, oria
from workflow.archief import vergadering as archiefvergadering
from workflow.archief.model import ArchiefExport
from workflow.basis import bestanden, clock
from workflow.basis.fouten import GebruikersFout
from workflow.definities.model import Orgaan
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering

#: How far back the weekly overview looks for meetings not yet exported.
KWARTAAL = timedelta(days=92)


@dataclass
class Verslag:
    geschreven: list[str] = field(default_factory=list)
    ongewijzigd: list[str] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)


def archief_organen(env: Omgeving, organen: Iterable[str] | None = None) -> dict[str, Orgaan]:
    """The bodies with archive rules (all, or those named; an unknown or unsuitable name is a
    user error)."""
    alle = {k: o for k, o in env.definities.organen.items() if o.archief is not None}
    if organen is None:
        return alle
    result = {}
    for naam in organen:
        if naam not in env.definities.organen:
            raise GebruikersFout(f"onbekend orgaan '{naam[:40]}'")
        if naam not in alle:
            raise GebruikersFout(f"orgaan '{naam[:40]}' heeft geen 'archief' in de definities")
        result[naam] = alle[naam]
    return result


def bestanden_van(v: archiefvergadering.Archiefvergadering) -> dict[str, bytes]:
    """The meeting's folder as name -> content (pure, apart from the documents read before)."""
    result: dict[str, bytes] = {"ori-a.xml": oria.bestand(v)}
    for d in v.documenten:
        assert d.inhoud is not None
        result[d.bestandsnaam] = d.inhoud
        result[f"{d.bestandsnaam}.mdto.xml"] = mdto.informatieobject(v, d)
        result[f"{d.bestandsnaam}.bestand.mdto.xml"] = mdto.bestand(d, d.moment)
    result["sha256sums.txt"] = "".join(
        f"{hashlib.sha256(inhoud).hexdigest()}  {naam}\n"
        for naam, inhoud in sorted(result.items())).encode()
    return result


def vingerafdruk(inhoud: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for naam, data in sorted(inhoud.items()):
        h.update(f"{naam}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return h.hexdigest()


def mapnaam(v: Vergadering) -> str:
    return f"{v.orgaan}/{clock.local(v.begin).date().isoformat()}-{v.id}"


def exporteer(env: Omgeving, map_: Path, *, organen: Iterable[str] | None = None,
              van: datetime | None = None, tot: datetime | None = None,
              nu: datetime | None = None) -> Verslag:
    """Write every held meeting in the window that changed since its last export."""
    nu = nu or clock.now()
    gekozen = archief_organen(env, organen)
    verslag = Verslag()
    with env.db.lees() as session:
        vergaderingen = archiefvergadering.gehouden(session, gekozen, nu, van, tot)
        vorige = {e.vergadering_id: e.vingerafdruk for e in session.scalars(
            select(ArchiefExport).where(ArchiefExport.vergadering_id.in_(
                [v.id for v in vergaderingen])))} if vergaderingen else {}
        te_schrijven: list[tuple[Vergadering, dict[str, bytes], str]] = []
        for v in vergaderingen:
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
            te_schrijven.append((v, inhoud, afdruk))
    for v, inhoud, afdruk in te_schrijven:
        naam = mapnaam(v)
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


def niet_geexporteerd(env: Omgeving, nu: datetime | None = None) -> list[tuple[str, str]]:
    """For the weekly overview: (orgaan, line) per meeting held in the last quarter of a body
    with archive rules that was never exported for the archive."""
    nu = nu or clock.now()
    organen = archief_organen(env)
    with env.db.lees() as session:
        vergaderingen = archiefvergadering.gehouden(session, organen, nu, nu - KWARTAAL, None)
        gedaan = set(session.scalars(select(ArchiefExport.vergadering_id).where(
            ArchiefExport.vergadering_id.in_([v.id for v in vergaderingen])))) \
            if vergaderingen else set()
    return [(v.orgaan, f"nog niet gearchiveerd (ORI-A): {organen[v.orgaan].naam} "
                       f"{clock.local(v.begin):%d-%m-%Y}")
            for v in vergaderingen if v.id not in gedaan]
