"""What is published at a moment, one record per document: the edge where the database is read.

A meeting's agenda and decision list are each one document (the portal's pages); a proposal's
documents published with a meeting are each one document (the file, `/document/<id>`), in their
current version. What was withdrawn (a Woo exception) is not published any more: it is left out,
and so is what the portal does not show the public (workflow.openbaarheid.zichtbaarheid).
Three statements, whatever the number of publications.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import tekst
from workflow.definities.model import Definities, Orgaan
from workflow.openbaarheid import zichtbaarheid
from workflow.openbaarheid.model import Publicatie
from workflow.openbaarheid.wooindex.categorieen import Documentsoort, Handeling
from workflow.opslag.models import Vergadering, Voorstel
from workflow.voorstellen.documenten import Bijlage, huidige_versies


@dataclass(frozen=True)
class Stuk:
    """One published document."""

    #: The path under the portal's address: /vergadering/12, /vergadering/12/besluitenlijst,
    #: /document/5.
    pad: str
    soort: Documentsoort
    orgaan: Orgaan
    vergadering_sleutel: str
    titel: str
    #: The proposal's kenmerk (its documents), else the meeting's key.
    kenmerk: str
    bestandsnaam: str | None
    gemaakt: datetime
    handeling: Handeling
    handeling_op: datetime
    gepubliceerd_op: datetime
    #: The last change of what the URL shows: its `lastmod`.
    gewijzigd_op: datetime


def woo_organen(definities: Definities) -> dict[str, Orgaan]:
    """The bodies whose publications go into the Woo-index: those with an organisation. (What a
    body published stays public when its rules later stop: its rows still count.)"""
    return {k: o for k, o in definities.organen.items() if o.organisatie is not None}


def _voorstellen(session: Session, ids: set[int], nu: datetime
                 ) -> tuple[dict[int, Voorstel], dict[int, list[Bijlage]]]:
    """The published proposals by id, and their documents registered by `nu`."""
    bijlagen: dict[int, list[Bijlage]] = defaultdict(list)
    if not ids:
        return {}, bijlagen
    voorstellen = {v.id: v for v in session.scalars(select(Voorstel).where(Voorstel.id.in_(ids)))}
    for b in session.scalars(select(Bijlage).where(
            Bijlage.voorstel_id.in_(ids), Bijlage.geregistreerd_op <= nu).order_by(Bijlage.id)):
        bijlagen[b.voorstel_id].append(b)
    return voorstellen, bijlagen


def laad(session: Session, definities: Definities, nu: datetime) -> list[Stuk]:
    """Every document public at `nu` of the bodies of `woo_organen`, in a stable order."""
    organen = woo_organen(definities)
    if not organen:
        return []
    rijen = session.execute(
        select(Publicatie, Vergadering)
        .join(Vergadering, Vergadering.id == Publicatie.vergadering_id)
        .where(Vergadering.orgaan.in_(sorted(organen)), zichtbaarheid.gepubliceerd(nu))
        .order_by(Vergadering.begin, Vergadering.id, Publicatie.id)).all()
    #: Per meeting: the newest change of any of its publications (a withdrawn item changes the
    #: agenda page too).
    vergadering_gewijzigd: dict[int, datetime] = {}
    levend: list[tuple[Publicatie, Vergadering]] = []
    for pub, v in rijen:
        vergadering_gewijzigd[v.id] = max(vergadering_gewijzigd.get(v.id, pub.gewijzigd_op),
                                          pub.gewijzigd_op)
        if zichtbaarheid.is_live(pub, nu):
            levend.append((pub, v))
    #: Only what the portal shows the public (the same rule): a meeting's pages once its agenda
    #: is live, its decision list once also held.
    agenda_op = {v.id: pub.gepubliceerd_op for pub, v in levend if pub.soort == "agenda"}
    voorstellen, bijlagen = _voorstellen(
        session, {p.voorstel_id for p, _ in levend if p.voorstel_id is not None}, nu)
    result: list[Stuk] = []
    for pub, v in levend:
        orgaan = organen[v.orgaan]
        dag = tekst.datum(v.begin)
        gewijzigd = vergadering_gewijzigd[v.id]
        if pub.soort == "agenda":
            if not zichtbaarheid.vergaderpagina_openbaar(agenda_op.get(v.id)):
                continue
            result.append(Stuk(
                f"/vergadering/{v.id}", Documentsoort.AGENDA, orgaan, v.sleutel,
                f"Agenda {orgaan.naam} {dag}", v.sleutel, None, pub.gepland_op,
                Handeling.VASTSTELLING, pub.gepland_op, pub.gepubliceerd_op, gewijzigd))
        elif pub.soort == "besluitenlijst":
            if not zichtbaarheid.besluitenlijst_openbaar(v.begin, v.geannuleerd, nu,
                                                         agenda_op.get(v.id),
                                                         pub.gepubliceerd_op):
                continue
            result.append(Stuk(
                f"/vergadering/{v.id}/besluitenlijst", Documentsoort.BESLUITENLIJST, orgaan,
                v.sleutel, f"Besluitenlijst {orgaan.naam} {dag}", v.sleutel, None, v.begin,
                Handeling.VASTSTELLING, v.begin, pub.gepubliceerd_op, gewijzigd))
        elif pub.voorstel_id in voorstellen:
            voorstel = voorstellen[pub.voorstel_id]
            for b in huidige_versies(bijlagen.get(voorstel.id, [])):
                result.append(Stuk(
                    f"/document/{b.id}", Documentsoort.VERGADERSTUK, orgaan, v.sleutel,
                    f"{voorstel.kenmerk} {voorstel.titel}: {b.naam}", voorstel.kenmerk, b.naam,
                    b.geregistreerd_op, Handeling.ONTVANGST, b.geregistreerd_op,
                    pub.gepubliceerd_op, max(pub.gewijzigd_op, b.geregistreerd_op)))
    return result
