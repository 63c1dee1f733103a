"""Lists (src/2-05-objektlisten-und-paginierung.md): `data`, `pagination`, `links`; keyset
pagination over the integer primary key (`?na=ID`), so page 1,000 costs what page 1 costs; the
filters `created_since`, `created_until`, `modified_since`, `modified_until`; deleted objects
only when `modified_since` is given.

Per list kind: which rows are visible, which are deleted, and SQL for the object's `created`
and for every part its `modified` is the newest of (the same parts objecten.py reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import Agendapunt, Bijlage, Publicatie, Tak, Vergadering, Voorstel
from workflow.web.oparl import objecten, organisatie, raden
from workflow.web.oparl.basis import PER_PAGINA, Api
from workflow.web.oparl.laden import laad


@dataclass(frozen=True)
class Lijstvraag:
    na: int = 0
    limiet: int = PER_PAGINA
    created_since: datetime | None = None
    created_until: datetime | None = None
    modified_since: datetime | None = None
    modified_until: datetime | None = None
    #: Only the meetings of this orgaan (Organization.meeting).
    organization: str | None = None
    #: Also deleted objects, without `modified_since` (the static export writes them all).
    alle: bool = False
    #: The lists of the definitions page by the text of their ids (`?na=ab-platform-jeugd`).
    na_sleutel: str = ""

    @property
    def met_verwijderd(self) -> bool:
        return self.alle or self.modified_since is not None


@dataclass(frozen=True)
class Soort:
    model: Any
    zichtbaar: Any  # SQL: published once (maybe deleted since)
    levend: Any  # SQL: not deleted
    created: Any
    modified: list[Any]
    pagina: Callable[[Session, Api, list[Any]], list[dict[str, Any]]]


def _max(kolom: Any, *voorwaarden: Any) -> Any:
    return select(func.max(kolom)).where(*voorwaarden).scalar_subquery()


def _paper(api: Api) -> Soort:
    mijn = and_(Publicatie.voorstel_id == Voorstel.id, zichtbaarheid.gepubliceerd(api.nu, "stukken"))
    a = aliased(Agendapunt)
    agenda = select(func.max(Publicatie.gewijzigd_op)).join(
        a, a.vergadering_id == Publicatie.vergadering_id).where(
        a.voorstel_id == Voorstel.id, zichtbaarheid.gepubliceerd(api.nu, "agenda")).scalar_subquery()

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, voorstellen=[v.id for v in rijen], punten="voorstel",
                  bijlagen=True, bekend=rijen, stukken_per_vergadering=False, takken=True)
        return [objecten.paper(api, vr, v) for v in rijen]

    return Soort(Voorstel, exists(select(Publicatie.id).where(mijn)),
                 exists(select(Publicatie.id).where(mijn, zichtbaarheid.niet_ingetrokken(api.nu))),
                 select(func.min(Publicatie.gepubliceerd_op)).where(mijn).scalar_subquery(),
                 [Voorstel.gewijzigd_op, _max(Publicatie.gewijzigd_op, mijn), agenda,
                  _max(Bijlage.geregistreerd_op, Bijlage.voorstel_id == Voorstel.id),
                  _max(Tak.beantwoord_op, Tak.voorstel_id == Voorstel.id)], pagina)


def _meeting(api: Api) -> Soort:
    mijn = and_(Publicatie.vergadering_id == Vergadering.id, zichtbaarheid.gepubliceerd(api.nu))
    a = aliased(Agendapunt)
    voorstellen = select(func.max(Voorstel.gewijzigd_op)).join(a, a.voorstel_id == Voorstel.id) \
        .where(a.vergadering_id == Vergadering.id, exists(select(Publicatie.id).where(
            Publicatie.vergadering_id == a.vergadering_id,
            Publicatie.voorstel_id == a.voorstel_id, zichtbaarheid.gepubliceerd(api.nu, "stukken")))) \
        .scalar_subquery()
    zichtbaar = exists(select(Publicatie.id).where(
        Publicatie.vergadering_id == Vergadering.id, zichtbaarheid.gepubliceerd(api.nu, "agenda")))

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, vergaderingen=[v.id for v in rijen], punten="vergadering")
        return [objecten.meeting(api, vr, v) for v in rijen]

    return Soort(Vergadering, zichtbaar, zichtbaar,
                 select(func.min(Publicatie.gepubliceerd_op)).where(mijn).scalar_subquery(),
                 [_max(Publicatie.gewijzigd_op, mijn), voorstellen], pagina)


def _location(api: Api) -> Soort:
    soort = _meeting(api)
    mijn = and_(Publicatie.vergadering_id == Vergadering.id, zichtbaarheid.gepubliceerd(api.nu))
    zichtbaar = and_(soort.zichtbaar, Vergadering.plaats.is_not(None), Vergadering.plaats != "")

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, vergaderingen=[v.id for v in rijen])
        return [objecten.location(api, vr, v) for v in rijen]

    return Soort(Vergadering, zichtbaar, zichtbaar, soort.created,
                 [_max(Publicatie.gewijzigd_op, mijn)], pagina)


def _agenda_item(api: Api) -> Soort:
    mijn = and_(Publicatie.voorstel_id == Agendapunt.voorstel_id,
                Publicatie.vergadering_id == Agendapunt.vergadering_id,
                zichtbaarheid.gepubliceerd(api.nu, "stukken"))

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, vergaderingen={a.vergadering_id for a in rijen},
                  punten="vergadering")
        return [objecten.agenda_item(api, vr, a) for a in rijen]

    return Soort(Agendapunt, exists(select(Publicatie.id).where(mijn)),
                 exists(select(Publicatie.id).where(mijn, zichtbaarheid.niet_ingetrokken(api.nu))),
                 _min_gepubliceerd(mijn),
                 [_max(Publicatie.gewijzigd_op, mijn),
                  _max(Voorstel.gewijzigd_op, Voorstel.id == Agendapunt.voorstel_id)], pagina)


def _min_gepubliceerd(voorwaarde: Any) -> Any:
    return select(func.min(Publicatie.gepubliceerd_op)).where(voorwaarde).scalar_subquery()


def _consultation(api: Api) -> Soort:
    stukken = and_(Publicatie.voorstel_id == Agendapunt.voorstel_id,
                   zichtbaarheid.gepubliceerd(api.nu, "stukken"))

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, voorstellen={a.voorstel_id for a in rijen},
                  vergaderingen={a.vergadering_id for a in rijen}, stukken_per_vergadering=False)
        return [objecten.consultation(api, vr, a) for a in rijen]

    return Soort(Agendapunt, exists(select(Publicatie.id).where(stukken)),
                 exists(select(Publicatie.id).where(stukken, zichtbaarheid.niet_ingetrokken(api.nu))),
                 Agendapunt.aangemaakt_op,
                 [Agendapunt.aangemaakt_op, _max(Publicatie.gewijzigd_op, stukken),
                  _max(Voorstel.gewijzigd_op, Voorstel.id == Agendapunt.voorstel_id),
                  _max(Publicatie.gewijzigd_op, Publicatie.vergadering_id ==
                       Agendapunt.vergadering_id, zichtbaarheid.gepubliceerd(api.nu, "agenda"))], pagina)


def _file(api: Api) -> Soort:
    stukken = and_(Publicatie.voorstel_id == Bijlage.voorstel_id,
                   zichtbaarheid.gepubliceerd(api.nu, "stukken"))

    def pagina(session: Session, api: Api, rijen: list[Any]) -> list[dict[str, Any]]:
        vr = laad(session, api, voorstellen={b.voorstel_id for b in rijen})
        return [objecten.file(api, vr, b) for b in rijen]

    return Soort(Bijlage, exists(select(Publicatie.id).where(stukken)),
                 exists(select(Publicatie.id).where(stukken, zichtbaarheid.niet_ingetrokken(api.nu))),
                 Bijlage.geregistreerd_op,
                 [Bijlage.geregistreerd_op, _max(Publicatie.gewijzigd_op, stukken)], pagina)


SOORTEN: dict[str, Callable[[Api], Soort]] = {
    "paper": _paper, "meeting": _meeting, "agendaItem": _agenda_item,
    "consultation": _consultation, "file": _file, "location": _location}


def _filter(q: Any, vraag: Lijstvraag, s: Soort) -> Any:
    if vraag.created_since is not None:
        q = q.where(s.created >= vraag.created_since)
    if vraag.created_until is not None:
        q = q.where(s.created <= vraag.created_until)
    if vraag.modified_since is not None:
        q = q.where(or_(*(deel >= vraag.modified_since for deel in s.modified)))
    if vraag.modified_until is not None:
        q = q.where(and_(*(or_(deel.is_(None), deel <= vraag.modified_until)
                           for deel in s.modified)))
    if vraag.organization is not None and s.model is Vergadering:
        q = q.where(Vergadering.orgaan == vraag.organization)
    return q


def pagina(api: Api, soort: str, vraag: Lijstvraag) -> tuple[list[dict[str, Any]], int | None]:
    """The objects of one page and the id after which the next page starts (None: the last).
    Statements: one for the rows, at most four for what their objects need (laden.py)."""
    s = SOORTEN[soort](api)
    kolom = s.model.id
    q = _filter(select(s.model).where(s.zichtbaar if vraag.met_verwijderd else s.levend),
                vraag, s)
    with api.env.db.lees() as session:
        rijen = list(session.scalars(q.where(kolom > vraag.na).order_by(kolom)
                                     .limit(vraag.limiet + 1)))
        meer = len(rijen) > vraag.limiet
        rijen = rijen[:vraag.limiet]
        data = s.pagina(session, api, rijen) if rijen else []
    return data, (rijen[-1].id if meer else None)


def object_(api: Api, soort: str, ident: int) -> dict[str, Any] | None:
    """One object by its id, deleted or not; None when it was never published."""
    s = SOORTEN[soort](api)
    with api.env.db.lees() as session:
        rij = session.scalar(select(s.model).where(s.zichtbaar, s.model.id == ident))
        return s.pagina(session, api, [rij])[0] if rij is not None else None


def bestand(api: Api, bijlage_id: int) -> tuple[Bijlage | None, bool]:
    """The registered document behind a File's accessUrl and whether it is still public
    (False: withdrawn, HTTP 410)."""
    s = _file(api)
    with api.env.db.lees() as session:
        b = session.scalar(select(Bijlage).where(s.zichtbaar, Bijlage.id == bijlage_id))
        if b is None:
            return None, False
        return b, session.scalar(select(Bijlage.id).where(s.levend, Bijlage.id == b.id)) is not None


#: The list kinds built from the definitions (small: one page).
DEFINITIE_LIJSTEN = ("organization", "person", "membership")
LIJSTEN = (*DEFINITIE_LIJSTEN, *SOORTEN, "legislativeTerm")


def lijst(api: Api, soort: str, vraag: Lijstvraag, link: Callable[[int | str], str]
          ) -> dict[str, Any]:
    """One page of a list. `link(na)` is the URL of the page after id `na` (0: the first page),
    with the client's filters. No `totalElements`: counting would cost a scan per page; the
    specification makes every pagination field optional, only `links.next` is required."""
    if soort == "consultation":
        data, volgende_ = consultaties(api, vraag)
        links = {"first": link(0), "self": link(vraag.na_sleutel or vraag.na)}
        if volgende_ is not None:
            links["next"] = link(volgende_)
        return {"data": [o for o in data if vraag.modified_since or not o.get("deleted")],
                "pagination": {"elementsPerPage": vraag.limiet}, "links": links}
    if soort in SOORTEN:
        data, volgende = pagina(api, soort, vraag)
        links = {"first": link(0), "self": link(vraag.na)}
        if volgende is not None:
            links["next"] = link(volgende)
        return {"data": [o for o in data if vraag.modified_since or not o.get("deleted")],
                "pagination": {"elementsPerPage": vraag.limiet}, "links": links}
    objecten_: list[dict[str, Any]] = []
    volgende_sleutel = None
    if soort in DEFINITIE_LIJSTEN and _binnen(vraag, *api.definitietijden()):
        objecten_, volgende_sleutel = organisatie.lijst(api, soort, vraag.na_sleutel,
                                                        vraag.limiet)
    links = {"first": link(0), "self": link(vraag.na_sleutel or 0)}
    if volgende_sleutel is not None:
        links["next"] = link(volgende_sleutel)
    return {"data": objecten_, "pagination": {"elementsPerPage": vraag.limiet},
            "links": links}


def consultaties(api: Api, vraag: Lijstvraag) -> tuple[list[dict[str, Any]], int | str | None]:
    """The agenda items' Consultations, then the councils' (`na=tak-<id>`, workflow.web.oparl.
    raden); the `na` of the next page."""
    data: list[dict[str, Any]] = []
    if not vraag.na_sleutel:
        data, volgende = pagina(api, "consultation", vraag)
        if volgende is not None:
            return data, volgende
    na = int(vraag.na_sleutel.removeprefix(raden.VOORVOEGSEL) or 0)
    ruimte = vraag.limiet - len(data)
    if ruimte <= 0:
        return data, raden.VOORVOEGSEL + "0"
    meer, na_tak = raden.pagina(api, na, ruimte, met_verwijderd=vraag.met_verwijderd)
    data += [o for o in meer if _binnen(vraag, _moment(o["created"]), _moment(o["modified"]))]
    return data, (raden.VOORVOEGSEL + str(na_tak) if na_tak is not None else None)


def _moment(tekst: str) -> datetime:
    return datetime.fromisoformat(tekst)


def _binnen(vraag: Lijstvraag, created: datetime, modified: datetime) -> bool:
    """The filters on objects that all share one created and one modified moment."""
    return ((vraag.created_since is None or created >= vraag.created_since)
            and (vraag.created_until is None or created <= vraag.created_until)
            and (vraag.modified_since is None or modified >= vraag.modified_since)
            and (vraag.modified_until is None or modified <= vraag.modified_until))
