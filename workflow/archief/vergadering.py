"""A held meeting as plain data for the archive: the edge where the database, the templates and
the registered files are read.

The items come from the agenda as composed for the members (numbering included: the fixed items
before and after, the proposals by rubric), their outcomes from the decision list. Documents are
the rendered agenda and decision list (HTML, the shipped or the secretariat's templates) and each
proposal's documents in the version current at the meeting, read from where they were registered
and checked against the registered SHA-256.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.agenda import generatie as agendagen
from workflow.agenda import laden as agendaladen
from workflow.agenda import samenstelling
from workflow.agenda.model import Besluitregel, Voorstelpunt
from workflow.basis import bestanden, tekst
from workflow.definities.model import Orgaan
from workflow.definities.publicatie import WOO_GRONDEN
from workflow.kalender.werkdagen import einde, verzendmoment
from workflow.omgeving import Omgeving
from workflow.openbaarheid.model import Publicatie, Uitzondering
from workflow.opslag.models import Vergadering, Voorstel
from workflow.voorstellen.documenten import Bijlage, huidige_versies

_ONVEILIG = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Document:
    """One document of the meeting, with what its MDTO sidecars say."""

    #: The file's name in the meeting's folder: agenda.html, 2021-014-12-plan.pdf.
    bestandsnaam: str
    #: Unique at the archive creator: <meeting key>/agenda, <kenmerk>/<name>/v<version>.
    identificatie: str
    naam: str
    #: The content; None when the registered file is gone or changed since.
    inhoud: bytes | None
    sha256: str
    grootte: int
    #: Created (agenda, decision list) or received (a proposal's document).
    gebeurtenis: str
    moment: datetime
    #: When it went public (Woo), if it did and was not withdrawn.
    gepubliceerd_op: datetime | None
    #: A Woo exception (ground, explanation): the archive keeps it with this restriction.
    beperking: tuple[str, str] | None = None


@dataclass(frozen=True)
class Besluit:
    suffix: str
    resultaat: str
    toelichting: str


@dataclass(frozen=True)
class Punt:
    nummer: int
    titel: str
    kenmerk: str | None
    behandeld: bool
    besloten: bool
    omschrijving: str
    besluiten: tuple[Besluit, ...] = ()
    documenten: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Archiefvergadering:
    sleutel: str
    orgaan: Orgaan
    begin: datetime
    eind: datetime
    plaats: str
    punten: tuple[Punt, ...]
    agenda: Document
    besluitenlijst: Document | None

    @property
    def documenten(self) -> tuple[Document, ...]:
        eigen = (self.agenda,) + ((self.besluitenlijst,) if self.besluitenlijst else ())
        return eigen + tuple(d for p in self.punten for d in p.documenten)


#: besluitroute's decision per beslispunt -> ORI-A's besluitResultaat.
RESULTAAT = {"aangenomen": "Aangenomen", "gewijzigd aangenomen": "Geamendeerd aangenomen",
             "verworpen": "Verworpen"}


def veilig(naam: str) -> str:
    """A file name without folders or odd characters."""
    return _ONVEILIG.sub("-", naam).strip("-.") or "document"


def _html(naam: str, identificatie: str, titel: str, html: str, moment: datetime,
          gepubliceerd: datetime | None) -> Document:
    import hashlib

    inhoud = html.encode()
    return Document(naam, identificatie, titel, inhoud, hashlib.sha256(inhoud).hexdigest(),
                    len(inhoud), "Creatie", moment, gepubliceerd)


def _van_voorstellen(session: Session, ids: list[int], eind: datetime
                     ) -> tuple[dict[int, Uitzondering], dict[int, list[Bijlage]]]:
    """The Woo exceptions of these proposals, and their documents registered before `eind`."""
    uitzonderingen: dict[int, Uitzondering] = {}
    rijen: dict[int, list[Bijlage]] = {i: [] for i in ids}
    if ids:
        for u in session.scalars(select(Uitzondering).where(Uitzondering.voorstel_id.in_(ids))
                                 .order_by(Uitzondering.id)):
            uitzonderingen.setdefault(u.voorstel_id, u)
        for b in session.scalars(select(Bijlage).where(Bijlage.voorstel_id.in_(ids),
                                                       Bijlage.geregistreerd_op <= eind)
                                 .order_by(Bijlage.id)):
            rijen[b.voorstel_id].append(b)
    return uitzonderingen, rijen


def _voorstelpunt(p: Voorstelpunt, uitzondering: Uitzondering | None, rijen: list[Bijlage],
                  regel: Besluitregel | None, gepubliceerd: datetime | None) -> Punt:
    """A proposal on the agenda: its documents (read from disk), outcome and decisions."""
    beperking = (uitzondering.grond, f"Niet openbaar: art. {uitzondering.grond} Woo "
                 f"({WOO_GRONDEN.get(uitzondering.grond, '')}). {uitzondering.toelichting}"
                 ) if uitzondering else None
    docs = []
    for b in huidige_versies(rijen):
        inhoud = bestanden.lees_geregistreerd(Path(b.bron), b.sha256, b.grootte)
        docs.append(Document(
            f"{veilig(p.kenmerk)}-{b.id}-{veilig(b.naam)}", f"{p.kenmerk}/{b.naam}/v{b.versie}",
            b.naam, inhoud, b.sha256, b.grootte, "Ontvangst", b.geregistreerd_op, gepubliceerd,
            beperking))
    omschrijving = f"{p.rol}; voorstel {p.kenmerk}"
    if regel is not None and regel.uitkomst:
        omschrijving += f"; uitkomst: {regel.uitkomst}"
        if regel.tekst:
            omschrijving += f": {regel.tekst}"
    uitslag: list[Besluit] = []
    if regel is not None and regel.behandeld:
        for bp in regel.beslispunten:
            resultaat = RESULTAAT.get(bp.besluit or "") or (
                "Aangehouden" if regel.uitkomst == "aangehouden" else None)
            if resultaat is not None:
                uitslag.append(Besluit(f"{p.kenmerk}-{bp.nummer}", resultaat,
                                       f"Beslispunt {bp.nummer}: {bp.tekst}"))
    return Punt(p.nummer, p.titel, p.kenmerk, bool(regel and regel.behandeld),
                uitzondering is not None, omschrijving, tuple(uitslag), tuple(docs))


def laad(env: Omgeving, session: Session, v: Vergadering) -> Archiefvergadering:
    """Everything the archive keeps of meeting `v` (its body has archive rules)."""
    orgaan = env.definities.organen[v.orgaan]
    eind = einde(orgaan, v.begin)
    info = agendaladen.vergaderinfo(env, v)
    aanmeldingen = agendaladen.aanmeldingen(env, session, v)
    agenda = samenstelling.stel_agenda_samen(info, aanmeldingen)
    lijst = samenstelling.stel_besluitenlijst_samen(info, aanmeldingen)
    pubs = {(p.soort, p.voorstel_id): p for p in session.scalars(
        select(Publicatie).where(Publicatie.vergadering_id == v.id))}

    def openbaar(soort: str, voorstel_id: int | None = None) -> datetime | None:
        p = pubs.get((soort, voorstel_id))
        return p.gepubliceerd_op if p is not None and p.ingetrokken_op is None else None

    kenmerken = [p.kenmerk for p in agenda.voorstellen]
    voorstellen = {x.kenmerk: x for x in session.scalars(
        select(Voorstel).where(Voorstel.kenmerk.in_(kenmerken)))} if kenmerken else {}
    uitzonderingen, rijen = _van_voorstellen(session, [x.id for x in voorstellen.values()], eind)
    dag = tekst.datum(v.begin)
    agenda_doc = _html("agenda.html", f"{v.sleutel}/agenda", f"Agenda {orgaan.naam} {dag}",
                       agendagen.render_agenda(env, agenda, "html"),
                       verzendmoment(orgaan, v.begin), openbaar("agenda"))
    lijst_doc = None
    if any(b.behandeld for b in lijst.besluiten):
        lijst_doc = _html("besluitenlijst.html", f"{v.sleutel}/besluitenlijst",
                          f"Besluitenlijst {orgaan.naam} {dag}",
                          agendagen.render_besluitenlijst(env, lijst, "html"), eind,
                          openbaar("besluitenlijst"))
    besluiten = {b.kenmerk: b for b in lijst.besluiten}
    punten: list[Punt] = [Punt(p.nummer, p.titel, None, True, False, "") for p in agenda.voor]
    for p in agenda.voorstellen:
        voorstel = voorstellen[p.kenmerk]
        punten.append(_voorstelpunt(p, uitzonderingen.get(voorstel.id), rijen[voorstel.id],
                                    besluiten.get(p.kenmerk), openbaar("stukken", voorstel.id)))
    punten += [Punt(p.nummer, p.titel, None, True, False, "") for p in agenda.na]
    return Archiefvergadering(v.sleutel, orgaan, v.begin, eind, v.plaats, tuple(punten),
                              agenda_doc, lijst_doc)
