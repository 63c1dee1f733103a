"""The database side of agendas: load the plain data workflow.agenda composes, render it, and
write the agendas that are due (`agenda genereer`), idempotently.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow.agenda import model, rendering, samenstelling
from workflow.basis import clock
from workflow.basis.fouten import Conflict, GebruikersFout, NietGevonden
from workflow.basis.grenzen import MAX_ID
from workflow.basis.tekst import citeer
from workflow.definities.model import Route, StapRol, Uitkomst
from workflow.kalender import vergaderingen, werkdagen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Gebeurtenis, Vergadering, Voorstel
from workflow.voorstellen.documenten import AgendaUitvoer, documenten_per_voorstel

FORMATEN = {"html": "html", "tekst": "txt"}
#: Agenda items that are (or were) on a meeting's agenda; dropped ones are not. A planned item
#: (an earlier step still has to advise) is on it onder voorbehoud.
OP_DE_AGENDA = ("geagendeerd", "behandeld", "gepland")
#: How far ahead `agenda genereer` looks for meetings beyond the longest dispatch lead time.
ZOEKVENSTER = timedelta(days=62)


# ---------------------------------------------------------------------------------------------
# Loading.

def zoek_vergadering(session: Session, aanduiding: str) -> Vergadering:
    """A meeting by id (`7`) or by key (`stuurgroep-transformatie-20210623`)."""
    tekst = aanduiding.strip()
    vergadering = None
    if tekst.isascii() and tekst.isdigit() and 0 < int(tekst) <= MAX_ID:
        vergadering = session.get(Vergadering, int(tekst))
    if vergadering is None:
        vergadering = session.scalar(select(Vergadering).where(Vergadering.sleutel == tekst))
    if vergadering is None:
        raise NietGevonden(f"onbekende vergadering {citeer(aanduiding)} (geef het id of de sleutel; "
                           "zie 'besluitroute vergadering lijst')")
    return vergadering


def _uitkomst(value: str | None) -> Uitkomst | None:
    try:
        return Uitkomst(value) if value else None
    except ValueError:
        return None


def _stap_index(route: Route | None, stap: str) -> int:
    if route is None:
        return 0
    try:
        return route.index(stap)
    except StopIteration:
        return 0


def _behandelingen(env: Omgeving, session: Session, voorstellen: dict[int, Voorstel]
                   ) -> dict[int, tuple[model.Behandeling, ...]]:
    per: dict[int, list[model.Behandeling]] = {i: [] for i in voorstellen}
    if not voorstellen:
        return {}
    rows = session.execute(
        select(Agendapunt, Vergadering).join(Vergadering, Agendapunt.vergadering_id == Vergadering.id)
        .where(Agendapunt.voorstel_id.in_(sorted(voorstellen)))
        .order_by(Vergadering.begin, Agendapunt.id))
    for item, vergadering in rows:
        route = env.definities.routes.get(voorstellen[item.voorstel_id].route)
        orgaan = env.definities.organen.get(vergadering.orgaan)
        per[item.voorstel_id].append(model.Behandeling(
            stap_index=_stap_index(route, item.stap), stap=item.stap,
            orgaan=orgaan.naam if orgaan else vergadering.orgaan, begin=vergadering.begin,
            status=item.status, uitkomst=_uitkomst(item.uitkomst), tekst=item.tekst or "",
            lidwoord=orgaan.lidwoord if orgaan else "de",
            rol=StapRol(item.rol) if item.rol in StapRol._value2member_map_ else None,
            aangeboden_als=route.titel if route is not None else "",
        ))
    return {i: tuple(b) for i, b in per.items()}


def _beslispunten(session: Session, ids: Iterable[int]) -> dict[int, tuple[model.Beslispunt, ...]]:
    per: dict[int, list[model.Beslispunt]] = {i: [] for i in ids}
    if per:
        for punt in session.scalars(select(Beslispunt).where(
                Beslispunt.voorstel_id.in_(sorted(per))).order_by(Beslispunt.volgnummer)):
            per[punt.voorstel_id].append(
                model.Beslispunt(nummer=punt.volgnummer, tekst=punt.tekst, besluit=punt.besluit))
    return {i: tuple(p) for i, p in per.items()}


def vergaderinfo(env: Omgeving, vergadering: Vergadering) -> model.Vergaderinfo:
    try:
        orgaan = env.definities.orgaan(vergadering.orgaan)
    except NietGevonden:
        raise GebruikersFout(f"vergadering {vergadering.id} hoort bij orgaan "
                             f"'{vergadering.orgaan}', dat niet (meer) in de definities staat"
                             ) from None
    return model.Vergaderinfo(id=vergadering.id, orgaan=orgaan, begin=vergadering.begin,
                               plaats=vergadering.plaats, geannuleerd=vergadering.geannuleerd,
                               opmerking=vergadering.opmerking)


def aanmeldingen(env: Omgeving, session: Session, vergadering: Vergadering
                 ) -> list[model.Aanmelding]:
    """The proposals on `vergadering`'s agenda, as plain data."""
    rows = list(session.execute(
        select(Agendapunt, Voorstel).join(Voorstel, Agendapunt.voorstel_id == Voorstel.id)
        .where(Agendapunt.vergadering_id == vergadering.id,
               Agendapunt.status.in_(OP_DE_AGENDA))
        .order_by(Agendapunt.id)))
    voorstellen = {v.id: v for _, v in rows}
    punten = _beslispunten(session, voorstellen)
    documenten = documenten_per_voorstel(session, voorstellen)
    behandelingen = _behandelingen(env, session, voorstellen)
    result = []
    for item, voorstel in rows:
        try:
            rol = StapRol(item.rol)
        except ValueError:
            rol = StapRol.INFORMATIE
        result.append(model.Aanmelding(
            kenmerk=voorstel.kenmerk, titel=voorstel.titel, opsteller=voorstel.opsteller, rol=rol,
            stap_index=_stap_index(env.definities.routes.get(voorstel.route), item.stap),
            beslispunten=punten[voorstel.id], documenten=documenten[voorstel.id],
            nagekomen=item.nagekomen, behandelingen=behandelingen[voorstel.id],
            uitkomst=_uitkomst(item.uitkomst) if item.status == "behandeld" else None,
            uitkomst_tekst=item.tekst or "", gepland=item.status == "gepland",
        ))
    return result


def agenda_van(env: Omgeving, session: Session, vergadering: Vergadering) -> model.Agenda:
    return samenstelling.stel_agenda_samen(vergaderinfo(env, vergadering),
                                    aanmeldingen(env, session, vergadering))


def laad_agenda(env: Omgeving, aanduiding: str) -> model.Agenda:
    env.db.vereis_schema()
    with env.db.lees() as session:
        return agenda_van(env, session, zoek_vergadering(session, aanduiding))


def laad_besluitenlijst(env: Omgeving, aanduiding: str) -> model.Besluitenlijst:
    env.db.vereis_schema()
    with env.db.lees() as session:
        vergadering = zoek_vergadering(session, aanduiding)
        return samenstelling.stel_besluitenlijst_samen(vergaderinfo(env, vergadering),
                                                aanmeldingen(env, session, vergadering))


def laad_voorblad(env: Omgeving, kenmerk: str) -> model.Voorblad:
    from workflow.voorstellen.kern import haal_voorstel

    env.db.vereis_schema()
    with env.db.lees() as session:
        voorstel = haal_voorstel(session, kenmerk)
        route = env.definities.route(voorstel.route)
        # The document's date: the last time it was submitted (the first time, or after revision).
        laatst = session.scalar(
            select(Gebeurtenis.tijdstip)
            .where(Gebeurtenis.voorstel_id == voorstel.id,
                   Gebeurtenis.handeling.in_(("indienen", "herindienen")))
            .order_by(Gebeurtenis.id.desc()).limit(1))
        toestand = env.routes.machine(voorstel.route).label(voorstel.toestand, env.definities)
        gegevens = model.Voorstelgegevens(
            kenmerk=voorstel.kenmerk, titel=voorstel.titel, aan=voorstel.aan, van=voorstel.van,
            datum=clock.local(laatst or voorstel.ingediend_op).date(),
            documentstatus=voorstel.documentstatus, versie=voorstel.versie,
            in_opdracht_van=voorstel.in_opdracht_van, opsteller=voorstel.opsteller,
            toestand=toestand,
            beslispunten=_beslispunten(session, [voorstel.id])[voorstel.id],
            documenten=documenten_per_voorstel(session, [voorstel.id])[voorstel.id],
            behandelingen=_behandelingen(env, session, {voorstel.id: voorstel})[voorstel.id],
        )
        return samenstelling.stel_voorblad_samen(gegevens, route, env.definities.organen)


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

    The shared writer (workflow.bestanden): readable by others under the umask, and never over a
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


def _verschil(vorige: str, nu: list[str]) -> str:
    oud = [k for k in vorige.split(",") if k]
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
        pad=str(pad.resolve()), kenmerken=",".join(kenmerken), toelichting=toelichting,
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
    value = (env.config.get("agenda", {}) or {}).get("map")
    return Path(str(value)) if value else env.uitgaand_map / "agendas"


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


def parse_termijn(tekst: str) -> timedelta:
    """'7d' (days), '12u' or '12h' (hours), '0': a look-ahead for `agenda genereer --binnen`."""
    waarde = tekst.strip().lower()
    eenheden = {"d": "days", "u": "hours", "h": "hours"}
    if waarde == "0":
        return timedelta(0)
    if len(waarde) >= 2 and waarde[-1] in eenheden and waarde[:-1].isdigit():
        aantal = int(waarde[:-1])
        if aantal <= 366 * (24 if waarde[-1] != "d" else 1):
            return timedelta(**{eenheden[waarde[-1]]: aantal})
    raise GebruikersFout(f"ongeldige termijn {citeer(tekst)} (bijvoorbeeld 7d voor zeven dagen of 12u "
                         "voor twaalf uur; hoogstens een jaar)")
