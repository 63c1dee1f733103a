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
from workflow.besluitvorming import vastleggen as besluitvorming
from workflow.besluitvorming.aanwezigheid import Aanwezigheid
from workflow.besluitvorming.model import Stemming
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
    #: A vote by name: ORI-A's stemming type "Hoofdelijk" and its result (Voor, Tegen, Gelijk);
    #: None without a vote (zonder stemming, or none recorded).
    uitslag: str | None = None


@dataclass(frozen=True)
class Deelnemer:
    """Someone present (recorded attendance), with the votes they cast."""

    naam: str
    rol: str  #: voorzitter, lid, secretaris, adviseur, plaatsvervanger
    organisatie: str
    #: (the besluit's suffix, ORI-A's keuzeStemming: Voor, Tegen, Onthouden)
    stemmen: tuple[tuple[str, str], ...] = ()


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
    #: Those present; empty while no attendance was recorded (then ORI-A names nobody present).
    deelnemers: tuple[Deelnemer, ...] = ()

    @property
    def documenten(self) -> tuple[Document, ...]:
        eigen = (self.agenda,) + ((self.besluitenlijst,) if self.besluitenlijst else ())
        return eigen + tuple(d for p in self.punten for d in p.documenten)


#: besluitroute's decision per beslispunt -> ORI-A's besluitResultaat.
RESULTAAT = {"aangenomen": "Aangenomen", "gewijzigd aangenomen": "Geamendeerd aangenomen",
             "verworpen": "Verworpen"}
#: A recorded vote's uitslag -> ORI-A's resultaatMondelingeStemming; its keuze -> keuzeStemming.
UITSLAG = {"aangenomen": "Voor", "verworpen": "Tegen", "staken": "Gelijk"}
KEUZE = {"voor": "Voor", "tegen": "Tegen", "onthouden": "Onthouden"}


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
                  regel: Besluitregel | None, gepubliceerd: datetime | None,
                  stemmingen: dict[int, Stemming]) -> Punt:
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
                s = stemmingen.get(bp.nummer)
                uitslag.append(Besluit(
                    f"{p.kenmerk}-{bp.nummer}", resultaat,
                    f"Beslispunt {bp.nummer}: {bp.tekst}" + (f" ({bp.uitslag})" if bp.uitslag
                                                             else ""),
                    UITSLAG[s.uitslag] if s is not None and not s.zonder_stemming else None))
    return Punt(p.nummer, p.titel, p.kenmerk, bool(regel and regel.behandeld),
                uitzondering is not None, omschrijving, tuple(uitslag), tuple(docs))


def laad(env: Omgeving, session: Session, v: Vergadering) -> Archiefvergadering:
    """Everything the archive keeps of meeting `v` (its body has archive rules)."""
    orgaan = env.definities.organen[v.orgaan]
    eind = einde(orgaan, v.begin)
    info = agendaladen.vergaderinfo(env, v, session)
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
    stemmingen = besluitvorming.laatste_stemmingen(session, [v.id],
                                                   [x.id for x in voorstellen.values()])
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
        punten.append(_voorstelpunt(
            p, uitzonderingen.get(voorstel.id), rijen[voorstel.id], besluiten.get(p.kenmerk),
            openbaar("stukken", voorstel.id),
            {n: s for (_, i, n), s in stemmingen.items() if i == voorstel.id}))
    punten += [Punt(p.nummer, p.titel, None, True, False, "") for p in agenda.na]
    kenmerken_per_id = {x.id: x.kenmerk for x in voorstellen.values()}
    return Archiefvergadering(v.sleutel, orgaan, v.begin, eind, v.plaats, tuple(punten),
                              agenda_doc, lijst_doc,
                              _deelnemers(info.aanwezigheid, stemmingen, kenmerken_per_id))


def _deelnemers(aanwezigheid: Aanwezigheid | None, stemmingen: dict[tuple[int, int, int], Stemming],
                kenmerken: dict[int, str]) -> tuple[Deelnemer, ...]:
    """Those present (members in person, then substitutes), each with the votes they cast."""
    if aanwezigheid is None:
        return ()
    per_lid: dict[str, list[tuple[str, str]]] = {}
    for (_, voorstel_id, nummer), s in sorted(stemmingen.items()):
        for stem in s.stemmen:
            per_lid.setdefault(stem.lid, []).append(
                (f"{kenmerken[voorstel_id]}-{nummer}", KEUZE[stem.keuze]))
    result = [Deelnemer(lid.naam, lid.rol.value, lid.organisatie, tuple(per_lid.get(lid.naam, ())))
              for lid in aanwezigheid.aanwezig]
    result += [Deelnemer(v.vervanger, "plaatsvervanger", v.lid.organisatie,
                         tuple(per_lid.get(v.lid.naam, ()))) for v in aanwezigheid.vervangen]
    return tuple(result)
