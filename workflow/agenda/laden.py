"""The database side of agendas: load the plain data workflow.agenda.samenstelling composes.
Rendering it and writing the files that are due is workflow.agenda.generatie.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.agenda import model, samenstelling
from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout, NietGevonden
from workflow.besluitvorming import vastleggen as besluitvorming
from workflow.definities.model import Route, StapRol, Uitkomst
from workflow.kalender import vergaderingen
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt, Gebeurtenis, Vergadering, Voorstel
from workflow.voorstellen import takken
from workflow.voorstellen.documenten import documenten_per_voorstel

#: Agenda items that are (or were) on a meeting's agenda; dropped ones are not. A planned item
#: (an earlier step still has to advise) is on it onder voorbehoud.
OP_DE_AGENDA = ("geagendeerd", "behandeld", "gepland")


# ---------------------------------------------------------------------------------------------
# Loading.

def zoek_vergadering(session: Session, aanduiding: str) -> Vergadering:
    """A meeting by id (`7`) or by key (`stuurgroep-transformatie-20210623`)."""
    return vergaderingen.haal(session, aanduiding)


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


def _beslispunten(session: Session, ids: Iterable[int], vergadering_id: int | None = None
                  ) -> dict[int, tuple[model.Beslispunt, ...]]:
    """The beslispunten of proposals `ids`; with `vergadering_id` each with its votes there."""
    per: dict[int, list[model.Beslispunt]] = {i: [] for i in ids}
    if per:
        regels = besluitvorming.stemregels(session, vergadering_id, per) if vergadering_id else {}
        for punt in session.scalars(select(Beslispunt).where(
                Beslispunt.voorstel_id.in_(sorted(per))).order_by(Beslispunt.volgnummer)):
            per[punt.voorstel_id].append(model.Beslispunt(
                nummer=punt.volgnummer, tekst=punt.tekst, besluit=punt.besluit,
                stemming=regels.get((punt.voorstel_id, punt.volgnummer))))
    return {i: tuple(p) for i, p in per.items()}


def _eerder(env: Omgeving, voorstel: Voorstel, stap: str,
            regels: tuple[takken.Zienswijzeregel, ...]) -> tuple[takken.Zienswijzeregel, ...]:
    route = env.definities.routes.get(voorstel.route)
    return tuple(z for z in regels if _stap_index(route, z.stap) < _stap_index(route, stap))


def vergaderinfo(env: Omgeving, vergadering: Vergadering, session: Session | None = None
                 ) -> model.Vergaderinfo:
    """The meeting as plain data; with `session` also its recorded attendance (decision list)."""
    try:
        orgaan = env.definities.orgaan(vergadering.orgaan)
    except NietGevonden:
        raise GebruikersFout(f"vergadering {vergadering.id} hoort bij orgaan "
                             f"'{vergadering.orgaan}', dat niet (meer) in de definities staat"
                             ) from None
    aanwezigheid, toets = besluitvorming.presentie(env, session, vergadering) if session \
        else (None, None)
    return model.Vergaderinfo(id=vergadering.id, orgaan=orgaan, begin=vergadering.begin,
                               plaats=vergadering.plaats, geannuleerd=vergadering.geannuleerd,
                               opmerking=vergadering.opmerking, aanwezigheid=aanwezigheid,
                               quorum=toets)


def aanmeldingen(env: Omgeving, session: Session, vergadering: Vergadering
                 ) -> list[model.Aanmelding]:
    """The proposals on `vergadering`'s agenda, as plain data."""
    rows = list(session.execute(
        select(Agendapunt, Voorstel).join(Voorstel, Agendapunt.voorstel_id == Voorstel.id)
        .where(Agendapunt.vergadering_id == vergadering.id,
               Agendapunt.status.in_(OP_DE_AGENDA))
        .order_by(Agendapunt.id)))
    voorstellen = {v.id: v for _, v in rows}
    punten = _beslispunten(session, voorstellen, vergadering.id)
    documenten = documenten_per_voorstel(session, voorstellen)
    behandelingen = _behandelingen(env, session, voorstellen)
    zienswijzen = takken.zienswijzeregels(session, env.definities, voorstellen)
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
            zienswijzen=_eerder(env, voorstel, item.stap, zienswijzen[voorstel.id]),
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
        # The secretariat's list: with the reasons of absence (the public's leaves them out).
        return samenstelling.stel_besluitenlijst_samen(vergaderinfo(env, vergadering, session),
                                                       aanmeldingen(env, session, vergadering),
                                                       met_redenen=True)


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
