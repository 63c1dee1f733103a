"""The councils of a zienswijze step as OParl Consultations, one per council (`consultation/
tak-<id>`, an id space of their own beside the agenda items' `consultation/<id>`).

OParl 1.1 has no field for an answer: it goes into `keyword` ("geen bezwaar", "zienswijze",
"te laat", "geen zienswijze ontvangen") and, exactly, into the vendor fields
`besluitroute:antwoord`, `besluitroute:teLaat` and `besluitroute:termijnEind`. Visible as the
proposal's other Consultations: once its documents were published; deleted once withdrawn.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.orm import Session

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import Publicatie, Stapsoort, Tak, Takstatus, Voorstel
from workflow.web.oparl.basis import Api, datum, tijd, verwijderd
from workflow.web.oparl.laden import Voorraad, laad

#: The id of a council consultation starts with this (`consultation/tak-12`).
VOORVOEGSEL = "tak-"
ROL = "ter zienswijze"
_ANTWOORD = {"geen-bezwaar": "geen bezwaar", "zienswijze": "zienswijze"}


def is_zienswijze(api: Api, route: str, stap: str) -> bool:
    r = api.env.definities.routes.get(route)
    return r is not None and any(s.id == stap and s.soort is Stapsoort.ZIENSWIJZE
                                 for s in r.stappen)


def _zienswijzestappen(api: Api) -> Any:
    """SQL: the branch belongs to a zienswijze step of its proposal's route."""
    paren = [and_(Voorstel.route == r.naam, Tak.stap == s.id)
             for r in api.env.definities.routes.values() for s in r.stappen
             if s.soort is Stapsoort.ZIENSWIJZE]
    return or_(*paren) if paren else false()


def _zichtbaar(api: Api, *, levend: bool) -> Any:
    stukken = [Publicatie.voorstel_id == Tak.voorstel_id,
               zichtbaarheid.gepubliceerd(api.nu, "stukken")]
    if levend:
        stukken.append(zichtbaarheid.niet_ingetrokken(api.nu))
    return and_(_zichtbaar_stap(api), exists(select(Publicatie.id).where(*stukken)))


def _zichtbaar_stap(api: Api) -> Any:
    return exists(select(Voorstel.id).where(Voorstel.id == Tak.voorstel_id,
                                            _zienswijzestappen(api)))


def consultation(api: Api, vr: Voorraad, t: Tak, *, ingebed: bool = False) -> dict[str, Any]:
    result = api.object_("consultation", f"{VOORVOEGSEL}{t.id}")
    result["created"] = tijd(t.verzonden_op)
    if not ingebed and not vr.levend(t.voorstel_id):
        return verwijderd(result, vr.ingetrokken_op(t.voorstel_id))
    voorstel = vr.voorstellen[t.voorstel_id]
    antwoord = _ANTWOORD.get(t.uitkomst or "")
    woorden = [antwoord or ("geen zienswijze ontvangen" if t.status == Takstatus.VERLOPEN
                            else "nog geen antwoord")]
    if t.te_laat:
        woorden.append("te laat")
    result.update({
        "paper": api.url("paper", t.voorstel_id), "authoritative": False, "role": ROL,
        "keyword": woorden,
        "besluitroute:gemeente": _gemeente(api, voorstel.route, t),
        "besluitroute:teLaat": t.te_laat,
        "modified": tijd(max(m for m in (t.verzonden_op, t.beantwoord_op, voorstel.gewijzigd_op,
                                         *(p.gewijzigd_op for p in vr.stukken(t.voorstel_id)))
                             if m is not None))})
    if t.uitkomst:
        result["besluitroute:antwoord"] = t.uitkomst
    if t.termijn_eind is not None:  # the last day of the period (it ends at midnight)
        result["besluitroute:termijnEind"] = datum(t.termijn_eind - timedelta(seconds=1))
    if t.orgaan in api.organen():
        result["organization"] = [api.url("organization", t.orgaan)]
    return result


def _gemeente(api: Api, route: str, t: Tak) -> str:
    r = api.env.definities.routes.get(route)
    if r is not None:
        for s in r.stappen:
            if s.id == t.stap and any(x.id == t.tak for x in s.takken):
                naam = s.tak(t.tak).naam
                if naam:
                    return naam
    orgaan = api.env.definities.organen.get(t.orgaan)
    return orgaan.naam if orgaan is not None else t.tak


def object_(api: Api, ident: int) -> dict[str, Any] | None:
    """One council consultation, deleted or not; None when its proposal was never published."""
    with api.env.db.lees() as session:
        t = session.scalar(select(Tak).where(_zichtbaar(api, levend=False), Tak.id == ident))
        return _pagina(session, api, [t])[0] if t is not None else None


def pagina(api: Api, na: int, limiet: int, *, met_verwijderd: bool
           ) -> tuple[list[dict[str, Any]], int | None]:
    """A page of council consultations after branch `na` (the list follows the agenda items'
    Consultations: `?na=tak-12`); the id after which the next page starts (None: the last)."""
    with api.env.db.lees() as session:
        rijen = list(session.scalars(select(Tak).where(
            _zichtbaar(api, levend=not met_verwijderd), Tak.id > na)
            .order_by(Tak.id).limit(limiet + 1)))
        meer = len(rijen) > limiet
        rijen = rijen[:limiet]
        data = _pagina(session, api, rijen) if rijen else []
    return data, (rijen[-1].id if meer else None)


def _pagina(session: Session, api: Api, rijen: list[Tak]) -> list[dict[str, Any]]:
    vr = laad(session, api, voorstellen={t.voorstel_id for t in rijen})
    return [consultation(api, vr, t) for t in rijen]
