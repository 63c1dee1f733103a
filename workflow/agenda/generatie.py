"""Rendering agendas, decision lists and cover sheets, and writing the agenda files that are due
(`agenda genereer`, the planner), idempotently: a new version only when the content changed.
The data comes from workflow.agenda.laden.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow.agenda import model, rendering, samenstelling
from workflow.agenda.laden import agenda_van
from workflow.basis import clock
from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.basis.tekst import citeer
from workflow.kalender import vergaderingen, werkdagen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering
from workflow.voorstellen.documenten import AgendaUitvoer

FORMATEN = {"html": "html", "tekst": "txt"}

#: How far ahead `agenda genereer` looks for meetings beyond the longest dispatch lead time.
ZOEKVENSTER = timedelta(days=62)


# ---------------------------------------------------------------------------------------------
# Rendering.

def _extensie(formaat: str) -> str:
    try:
        return FORMATEN[formaat]
    except KeyError:
        raise GebruikersFout(f"onbekend formaat {citeer(formaat)} (html of tekst)") from None


def render_agenda(env: Omgeving, data: model.Agenda, formaat: str) -> str:
    return rendering.render(f"agenda.{_extensie(formaat)}", samenstelling.context(data),
                            env.sjablonen_map)


def render_besluitenlijst(env: Omgeving, data: model.Besluitenlijst, formaat: str) -> str:
    return rendering.render(f"besluitenlijst.{_extensie(formaat)}", samenstelling.context(data),
                            env.sjablonen_map)


def render_voorblad(env: Omgeving, data: model.Voorblad, formaat: str) -> str:
    return rendering.render(f"voorstel.{_extensie(formaat)}", {"voorstel": samenstelling.context(data)},
                            env.sjablonen_map)


def schrijf_bestand(pad: Path, inhoud: str, *, maak_map: bool = True) -> None:
    """Write `inhoud` to `pad` atomically: a reader sees the old file or the new one, never half.

    The shared writer (workflow.basis.bestanden): readable by others under the umask, and never over a
    symlink, device or FIFO.
    """
    from workflow.basis.bestanden import schrijf_atomair

    schrijf_atomair(pad, inhoud, maak_map=maak_map)


def controleer_map(map_: Path, *, maak: bool = True) -> None:
    """Refuse, in Dutch, a folder we cannot create or write a file in (before any work); one
    that does not exist is made only with `maak`."""
    from workflow.basis.bestanden import BestandFout, zorg_voor_map

    zorg_voor_map(map_, maak=maak)
    try:
        handle, proef = tempfile.mkstemp(dir=map_, prefix=".besluitroute-", suffix=".tmp")
        os.close(handle)
        os.unlink(proef)
    except OSError as exc:
        from workflow.basis.oorzaken import oorzaak

        raise BestandFout(f"kan de map {map_} niet gebruiken ({oorzaak(exc)})") from None


# ---------------------------------------------------------------------------------------------
# Generating on schedule.

@dataclass(frozen=True)
class Gegenereerd:
    """What `genereer` did with one file."""

    vergadering: str  #: "Stuurgroep transformatie, 23 juni 2021 14:00 (id 7)"
    formaat: str
    actie: str  #: nieuw / gewijzigd / ongewijzigd / hersteld
    versie: int
    pad: Path
    toelichting: str = ""

    def melding(self) -> str:
        extra = f" ({self.toelichting})" if self.toelichting else ""
        return f"{self.actie}: agenda {self.vergadering}, {self.formaat} versie {self.versie}: " \
               f"{self.pad}{extra}"


def _bestandsnaam(vergadering: Vergadering, formaat: str, versie: int) -> str:
    dag = clock.local(vergadering.begin).date().isoformat()
    return f"agenda-{vergadering.orgaan}-{dag}-{vergadering.id}-v{versie}.{FORMATEN[formaat]}"


def _hash(inhoud: str) -> str:
    return hashlib.sha256(inhoud.encode("utf-8")).hexdigest()


def _verschil(oud: list[str], nu: list[str]) -> str:
    erbij = [k for k in nu if k not in oud]
    eraf = [k for k in oud if k not in nu]
    delen = []
    if erbij:
        delen.append(f"toegevoegd: {', '.join(erbij)}")
    if eraf:
        delen.append(f"vervallen: {', '.join(eraf)}")
    return "; ".join(delen) or "inhoud gewijzigd"


def due_meetings(env: Omgeving, session: Session, nu: datetime, binnen: timedelta
                 ) -> list[Vergadering]:
    """Meetings not yet begun whose agenda's dispatch moment has come (or comes within `binnen`)."""
    horizon = nu + binnen + ZOEKVENSTER
    result = []
    for vergadering in session.scalars(
            select(Vergadering)
            .where(Vergadering.begin > nu, Vergadering.begin <= horizon,
                   Vergadering.geannuleerd.is_(False))
            .order_by(Vergadering.begin, Vergadering.id)):
        orgaan = env.definities.organen.get(vergadering.orgaan)
        if orgaan is not None and werkdagen.verzendmoment(orgaan, vergadering.begin) <= nu + binnen:
            result.append(vergadering)
    return result


def _write_version(env: Omgeving, session: Session, vergadering: Vergadering, formaat: str,
                   inhoud: str, kenmerken: list[str], map_: Path, nu: datetime) -> Gegenereerd:
    sha = _hash(inhoud)
    naam = vergaderingen.omschrijving(vergadering, env.definities)
    vorige = session.scalar(
        select(AgendaUitvoer)
        .where(AgendaUitvoer.vergadering_id == vergadering.id, AgendaUitvoer.formaat == formaat)
        .order_by(AgendaUitvoer.versie.desc()).limit(1))
    if vorige is not None and vorige.sha256 == sha:
        pad = map_ / _bestandsnaam(vergadering, formaat, vorige.versie)
        try:
            op_schijf = _hash(pad.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            op_schijf = ""
        if op_schijf == sha:
            return Gegenereerd(naam, formaat, "ongewijzigd", vorige.versie, pad)
        schrijf_bestand(pad, inhoud)
        return Gegenereerd(naam, formaat, "hersteld", vorige.versie, pad,
                           "bestand ontbrak of was aangepast")
    versie = vorige.versie + 1 if vorige else 1
    pad = map_ / _bestandsnaam(vergadering, formaat, versie)
    toelichting = _verschil(vorige.kenmerken, kenmerken) if vorige else "eerste versie"
    session.add(AgendaUitvoer(
        vergadering_id=vergadering.id, formaat=formaat, versie=versie, sha256=sha,
        pad=str(pad.resolve()), kenmerken=list(kenmerken), toelichting=toelichting,
        gemaakt_op=nu,
    ))
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"conflict: een ander proces schreef tegelijk versie {versie} van de "
                       f"agenda van {naam}; er is niets vastgelegd, probeer het opnieuw") from None
    schrijf_bestand(pad, inhoud)
    return Gegenereerd(naam, formaat, "nieuw" if vorige is None else "gewijzigd", versie, pad,
                       toelichting)


def agenda_map(env: Omgeving) -> Path:
    """Where agendas go by default: `[agenda] map` in besluitroute.toml, else uitgaand/agendas."""
    return env.instellingen.agenda_map or env.uitgaand_map / "agendas"


def leg_versie_vast(env: Omgeving, session: Session, vergadering: Vergadering,
                    data: model.Agenda, nu: datetime) -> int:
    """Write this agenda's files if their content is new and return the html version number,
    so the mail that carries it names the same version as the file."""
    kenmerken = [p.kenmerk for p in data.voorstellen]
    versies = {formaat: _write_version(env, session, vergadering, formaat,
                                       render_agenda(env, data, formaat), kenmerken,
                                       agenda_map(env), nu).versie
               for formaat in FORMATEN}
    return versies["html"]


def genereer(env: Omgeving, map_: Path, binnen: timedelta = timedelta(0), *,
             maak_map: bool = True) -> list[Gegenereerd]:
    """Write every agenda that is due (html and tekst); same content leaves the file alone.
    A missing folder is made only with `maak_map`."""
    env.db.vereis_schema()
    controleer_map(map_, maak=maak_map)
    nu = clock.now()
    with env.db.lees() as session:
        ids = [v.id for v in due_meetings(env, session, nu, binnen)]
    result: list[Gegenereerd] = []
    for vergadering_id in ids:
        # One transaction per meeting: a failure leaves the agendas written before it intact.
        with env.db.schrijf() as session:
            vergadering = session.get(Vergadering, vergadering_id)
            assert vergadering is not None
            data = agenda_van(env, session, vergadering)
            kenmerken = [p.kenmerk for p in data.voorstellen]
            for formaat in FORMATEN:
                inhoud = render_agenda(env, data, formaat)
                result.append(_write_version(env, session, vergadering, formaat, inhoud,
                                             kenmerken, map_, nu))
    return result
