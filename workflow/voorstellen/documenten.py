"""Documents (bijlagen) of proposals, and the agenda files written by `agenda genereer`.

A document is registered, not stored: its name, size, SHA-256 and version are what the agendas and
the history need. A file with the name of a registered document but other content becomes that
document's next version; a file identical to a current document is recognised and not added again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import omvang
from workflow.omgeving import Omgeving
from workflow.opslag.models import Base, Gebeurtenis, UTCDateTime
from workflow.voorstellen import documenttekst

MAX_NAAM = 255


class Bijlage(Base):
    """One version of one document of a proposal."""

    __tablename__ = "bijlage"
    __table_args__ = (
        UniqueConstraint("voorstel_id", "naam", "versie", name="uq_bijlage_voorstel_naam_versie"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voorstel_id: Mapped[int] = mapped_column(ForeignKey("voorstel.id"), index=True)
    #: The file name without folders, as members see it on the agenda.
    naam: Mapped[str] = mapped_column(String(MAX_NAAM))
    #: 1 for the first file of this name, +1 for every changed file of the same name.
    versie: Mapped[int] = mapped_column(Integer)
    #: Size in bytes.
    grootte: Mapped[int] = mapped_column(BigInteger)
    #: Hex SHA-256 of the content: recognises an identical file and proves which one was sent.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    omschrijving: Mapped[str] = mapped_column(Text, default="")
    #: Where the file was read from, for the secretariat's reference.
    bron: Mapped[str] = mapped_column(Text, default="")
    door: Mapped[str] = mapped_column(String(200))
    #: The moment acted as (`--nu`), aware UTC.
    geregistreerd_op: Mapped[datetime] = mapped_column(UTCDateTime())


class AgendaUitvoer(Base):
    """One version of a generated agenda file: the log of `agenda genereer`."""

    __tablename__ = "agenda_uitvoer"
    __table_args__ = (
        UniqueConstraint("vergadering_id", "formaat", "versie",
                         name="uq_agenda_uitvoer_vergadering_formaat_versie"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vergadering_id: Mapped[int] = mapped_column(ForeignKey("vergadering.id"), index=True)
    #: html or tekst.
    formaat: Mapped[str] = mapped_column(String(10))
    versie: Mapped[int] = mapped_column(Integer)
    #: Hex SHA-256 of the written content: same content, same file, nothing written.
    sha256: Mapped[str] = mapped_column(String(64))
    pad: Mapped[str] = mapped_column(Text)
    #: The kenmerken on this version (a JSON list), to say what changed in the next one.
    kenmerken: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: What changed compared with the previous version, in Dutch.
    toelichting: Mapped[str] = mapped_column(Text, default="")
    #: The moment acted as, aware UTC.
    gemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Registratie:
    """What `voorstel bijlage` did, for the CLI to print."""

    kenmerk: str
    naam: str
    versie: int
    toegevoegd: bool
    melding: str


def sha256_van(pad: Path) -> tuple[str, int]:
    """The hex SHA-256 and size of a file, read in blocks."""
    digest = hashlib.sha256()
    grootte = 0
    with pad.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            grootte += len(block)
    return digest.hexdigest(), grootte


def _lees_bestand(pad: Path) -> tuple[str, str, int]:
    if not pad.exists():
        raise GebruikersFout(f"bestand {pad} bestaat niet")
    if not pad.is_file():
        raise GebruikersFout(f"{pad} is geen bestand")
    naam = pad.name
    if len(naam) > MAX_NAAM:
        raise GebruikersFout(f"de bestandsnaam is te lang ({len(naam)} tekens, hoogstens "
                             f"{MAX_NAAM})")
    try:
        sha, grootte = sha256_van(pad)
    except OSError as exc:
        from workflow.basis.oorzaken import oorzaak

        raise GebruikersFout(f"bestand {pad} is niet te lezen ({oorzaak(exc)})") from None
    return naam, sha, grootte


def huidige_versies(rijen: Iterable[Bijlage]) -> list[Bijlage]:
    """Of every document name, the highest version."""
    laatste: dict[str, Bijlage] = {}
    for rij in rijen:
        if rij.naam not in laatste or rij.versie > laatste[rij.naam].versie:
            laatste[rij.naam] = rij
    return sorted(laatste.values(), key=lambda b: (b.naam.casefold(), b.naam))


def registreer(env: Omgeving, kenmerk: str, pad: Path, *, door: str,
               omschrijving: str | None = None) -> Registratie:
    """Register `pad` as a document of proposal `kenmerk` (one transaction, with history)."""
    from workflow.voorstellen.kern import haal_voorstel, regel_tekst

    omschrijving = regel_tekst(omschrijving, "de omschrijving", max_len=2000)
    door = regel_tekst(door, "de naam bij --door", required=True, max_len=200)
    naam, sha, grootte = _lees_bestand(pad)
    # The text for search, read before the write transaction (a large PDF takes a while).
    uittreksel = documenttekst.lees(pad, sha)
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        huidig = huidige_versies(session.scalars(
            select(Bijlage).where(Bijlage.voorstel_id == voorstel.id)))
        for rij in huidig:
            if rij.sha256 == sha:
                zelfde = "" if rij.naam == naam else f" als '{rij.naam}'"
                return Registratie(
                    voorstel.kenmerk, rij.naam, rij.versie, False,
                    f"{naam} is ongewijzigd: al geregistreerd{zelfde} (versie {rij.versie}) bij "
                    f"voorstel {voorstel.kenmerk}; niet opnieuw toegevoegd",
                )
        vorige = next((rij for rij in huidig if rij.naam == naam), None)
        versie = vorige.versie + 1 if vorige else 1
        bijlage = Bijlage(
            voorstel_id=voorstel.id, naam=naam, versie=versie, grootte=grootte, sha256=sha,
            omschrijving=omschrijving, bron=str(pad.resolve()), door=door, geregistreerd_op=nu,
        )
        session.add(bijlage)
        tekst = f"{naam} versie {versie} ({omvang(grootte)}, sha256 {sha[:12]})"
        if omschrijving:
            tekst += f": {omschrijving}"
        session.add(Gebeurtenis(
            voorstel_id=voorstel.id, tijdstip=nu, geregistreerd_op=clock.real_now(), door=door,
            handeling="bijlage", van_toestand=None, naar_toestand=None, vergadering_id=None,
            uitkomst=None, tekst=tekst,
        ))
        session.flush()
        session.add(documenttekst.rij(bijlage.id, uittreksel, nu))
        if vorige:
            melding = f"{naam} is gewijzigd: geregistreerd als versie {versie} bij voorstel " \
                      f"{voorstel.kenmerk} (was versie {vorige.versie})"
        else:
            melding = f"{naam} geregistreerd bij voorstel {voorstel.kenmerk} (versie 1, " \
                      f"{omvang(grootte)})"
        return Registratie(voorstel.kenmerk, naam, versie, True, melding)


def documenten_per_voorstel(session: Session, voorstel_ids: Iterable[int]
                            ) -> dict[int, tuple[Document, ...]]:
    """The current version of every document, per proposal id."""
    ids = sorted(set(voorstel_ids))
    per: dict[int, list[Bijlage]] = {i: [] for i in ids}
    if ids:
        for rij in session.scalars(select(Bijlage).where(Bijlage.voorstel_id.in_(ids))):
            per[rij.voorstel_id].append(rij)
    return {i: tuple(Document(naam=b.naam, versie=b.versie, grootte=b.grootte,
                                     sha256=b.sha256, omschrijving=b.omschrijving)
                     for b in huidige_versies(rijen))
            for i, rijen in per.items()}


@dataclass(frozen=True, slots=True)
class Document:
    """The current version of one document (bijlage) of a proposal."""

    naam: str
    versie: int
    grootte: int
    sha256: str
    omschrijving: str = ""

    @property
    def omvang(self) -> str:
        return omvang(self.grootte)


def lees_ontbrekende(env: Omgeving, limiet: int = 1000) -> int:
    """Read the text of documents registered before there was a text (migration 0024), at most
    `limiet`; returns how many were read. A file gone or changed since is recorded so."""
    tekst = documenttekst.Documenttekst
    with env.db.lees() as session:
        open_ = session.execute(
            select(Bijlage.id, Bijlage.bron, Bijlage.sha256)
            .outerjoin(tekst, tekst.bijlage_id == Bijlage.id)
            .where(tekst.bijlage_id.is_(None)).order_by(Bijlage.id).limit(limiet)).all()
    for bijlage_id, bron, sha in open_:
        uittreksel = (documenttekst.lees(Path(bron), sha) if bron else
                      documenttekst.Uittreksel(documenttekst.ONLEESBAAR, "", reden="geen bron"))
        with env.db.schrijf() as session:
            if session.get(tekst, bijlage_id) is None:
                session.add(documenttekst.rij(bijlage_id, uittreksel, clock.now()))
    return len(open_)


def lees_alle_ontbrekende(env: Omgeving, *, per_keer: int = 1000) -> int:
    """`lees_ontbrekende` until none is left; returns how many were read. Bounded: each round
    records every document it read, so there are at most (documents / per_keer) + 1 rounds."""
    gelezen = 0
    for _ in range(1_000_000):
        if not (n := lees_ontbrekende(env, per_keer)):
            break
        gelezen += n
    return gelezen
