"""Batch loading: what the objects of one list page need, in a fixed number of queries.

A page of 3 objects and a page of 200 cost the same number of statements: the rows the
objects point to (publications, agenda items, proposals, documents) are read for all ids of
the page at once, never per object.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workflow.openbaarheid import zichtbaarheid
from workflow.web.bronnen import Agendapunt, Bijlage, Publicatie, Tak, Voorstel, agenda
from workflow.web.oparl.basis import Api

#: The order of the rubrics on an agenda (ter besluitvorming first), as agenda.samenstelling.
_ROLVOLGORDE = {rol.value: i for i, rol in enumerate(agenda.ROL_VOLGORDE)}


def _natuurlijk(kenmerk: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: 2021-9 before 2021-10 (as the agenda sorts)."""
    return tuple((0, int(d)) if d.isdigit() else (1, d) for d in re.split(r"(\d+)", kenmerk) if d)


@dataclass
class Voorraad:
    """The loaded rows, indexed for the object builders."""

    api: Api
    publicaties: list[Publicatie]
    punten: list[Agendapunt]
    voorstellen: dict[int, Voorstel]
    bijlagen: dict[int, list[Bijlage]]
    _stukken: dict[int, list[Publicatie]] = field(default_factory=lambda: defaultdict(list))
    _per_vergadering: dict[int, list[Publicatie]] = field(
        default_factory=lambda: defaultdict(list))
    _punten_van: dict[int, list[Agendapunt]] = field(default_factory=lambda: defaultdict(list))
    _op_vergadering: dict[int, list[Agendapunt]] = field(
        default_factory=lambda: defaultdict(list))
    #: Per meeting asked for: the names of the members present by its last presentielijst.
    aanwezigen: dict[int, list[str]] = field(default_factory=dict)
    #: Per proposal its branches (the councils of a zienswijze step among them), when asked for.
    takken: dict[int, list[Tak]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.publicaties:
            self._per_vergadering[p.vergadering_id].append(p)
            if p.soort == "stukken" and p.voorstel_id is not None:
                self._stukken[p.voorstel_id].append(p)
        for a in self.punten:
            self._punten_van[a.voorstel_id].append(a)
            self._op_vergadering[a.vergadering_id].append(a)

    def stukken(self, voorstel_id: int) -> list[Publicatie]:
        """The published documents of a proposal, one row per meeting."""
        return self._stukken.get(voorstel_id, [])

    def stuk(self, vergadering_id: int, voorstel_id: int) -> Publicatie | None:
        return next((p for p in self.stukken(voorstel_id) if p.vergadering_id == vergadering_id),
                    None)

    def van_vergadering(self, vergadering_id: int) -> list[Publicatie]:
        return self._per_vergadering.get(vergadering_id, [])

    def agenda_gewijzigd(self, vergadering_id: int) -> datetime | None:
        """The last change of the meeting's published agenda, None when it is not public."""
        return max((p.gewijzigd_op for p in self.van_vergadering(vergadering_id)
                    if p.soort == "agenda"), default=None)

    def levend(self, voorstel_id: int) -> bool:
        """Some documents of the proposal are published and not withdrawn."""
        return any(not zichtbaarheid.ingetrokken(p, self.api.nu) for p in self.stukken(voorstel_id))

    def ingetrokken_op(self, voorstel_id: int) -> datetime:
        return max(p.ingetrokken_op or p.gewijzigd_op for p in self.stukken(voorstel_id))

    def punten_van(self, voorstel_id: int) -> list[Agendapunt]:
        return self._punten_van.get(voorstel_id, [])

    def op_vergadering(self, vergadering_id: int) -> list[Agendapunt]:
        """Every agenda item of the meeting whose documents went public (maybe withdrawn)."""
        return [a for a in self._op_vergadering.get(vergadering_id, [])
                if self.stuk(vergadering_id, a.voorstel_id) is not None]

    def agendapunten(self, vergadering_id: int, *, met_ingetrokken: bool = False
                     ) -> list[Agendapunt]:
        """The meeting's public agenda items (`met_ingetrokken`: also those withdrawn since)
        in agenda order: rubric, late items last, reference (natural order)."""
        punten = [a for a in self.op_vergadering(vergadering_id)
                  if met_ingetrokken
                  or not zichtbaarheid.ingetrokken(self.stuk(vergadering_id, a.voorstel_id), self.api.nu)]  # type: ignore[arg-type]
        return sorted(punten, key=lambda a: (
            _ROLVOLGORDE.get(a.rol, len(_ROLVOLGORDE)), a.nagekomen,
            _natuurlijk(self.voorstellen[a.voorstel_id].kenmerk), a.id))


def laad(session: Session, api: Api, *, voorstellen: Iterable[int] = (),
         vergaderingen: Iterable[int] = (), punten: str = "", bijlagen: bool = False,
         bekend: Iterable[Voorstel] = (), stukken_per_vergadering: bool = True,
         takken: bool = False) -> Voorraad:
    """Load for these proposals and meetings: their agenda items (`punten`: "voorstel" for the
    proposals' items, "vergadering" for the meetings' items), the publications of every
    proposal and meeting involved, the proposals themselves and (`bijlagen`) their documents,
    and who was present at the meetings asked for, and (`takken`) the proposals' branches. At
    most seven statements, whatever the number of ids."""
    v_ids, m_ids = set(voorstellen), set(vergaderingen)
    aanwezigen = _aanwezigen(session, m_ids)
    rijen: list[Agendapunt] = []
    if punten:
        kolom, ids = ((Agendapunt.voorstel_id, v_ids) if punten == "voorstel"
                      else (Agendapunt.vergadering_id, m_ids))
        if ids:
            rijen = list(session.scalars(select(Agendapunt).where(kolom.in_(ids))
                                         .order_by(Agendapunt.id)))
        v_ids |= {a.voorstel_id for a in rijen}
        m_ids |= {a.vergadering_id for a in rijen}
    pubs: list[Publicatie] = []
    if v_ids or m_ids:
        van_vergadering: Any = Publicatie.vergadering_id.in_(m_ids)
        if not stukken_per_vergadering:
            van_vergadering = and_(van_vergadering, Publicatie.soort != "stukken")
        pubs = list(session.scalars(select(Publicatie).where(
            zichtbaarheid.gepubliceerd(api.nu), or_(Publicatie.voorstel_id.in_(v_ids), van_vergadering))
            .order_by(Publicatie.id)))
    gekend = {v.id: v for v in bekend}
    ontbrekend = v_ids - set(gekend)
    if ontbrekend:
        gekend.update((v.id, v) for v in session.scalars(
            select(Voorstel).where(Voorstel.id.in_(ontbrekend))))
    documenten: dict[int, list[Bijlage]] = defaultdict(list)
    if bijlagen and v_ids:
        for b in session.scalars(select(Bijlage).where(Bijlage.voorstel_id.in_(v_ids))
                                 .order_by(Bijlage.id)):
            documenten[b.voorstel_id].append(b)
    per_voorstel: dict[int, list[Tak]] = defaultdict(list)
    if takken and v_ids:
        for t in session.scalars(select(Tak).where(Tak.voorstel_id.in_(v_ids)).order_by(Tak.id)):
            per_voorstel[t.voorstel_id].append(t)
    return Voorraad(api, pubs, rijen, gekend, documenten, aanwezigen=aanwezigen,
                    takken=per_voorstel)


def _aanwezigen(session: Session, vergaderingen: set[int]) -> dict[int, list[str]]:
    """Per meeting the members present in person by its last presentielijst (two statements)."""
    from workflow.besluitvorming.aanwezigheid import Hoedanigheid
    from workflow.besluitvorming.model import Presentielijst

    result: dict[int, list[str]] = {}
    if vergaderingen:
        for lijst in session.scalars(select(Presentielijst).where(
                Presentielijst.vergadering_id.in_(vergaderingen)).order_by(Presentielijst.versie)):
            result[lijst.vergadering_id] = [r.naam for r in lijst.regels
                                            if r.hoedanigheid == Hoedanigheid.AANWEZIG]
    return result
