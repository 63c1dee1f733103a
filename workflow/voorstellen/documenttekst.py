"""The text inside a registered document, read once when it is registered, for search.

PDF through pypdf; DOCX and ODT are zip files whose text is in one XML part (word/document.xml,
content.xml), read with zipfile and defusedxml under size limits (a zip bomb stops at the limit);
plain text as UTF-8 (else Windows-1252). A file whose text cannot be read is recorded as such
(status `onleesbaar` with the reason), never an error: registering the document succeeds.
A PDF is read page by page within a bound (MAX_PAGINAS pages, MAX_LEESTIJD seconds, checked
between pages): what was read by then is kept (status `deels gelezen`, with the reason).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.opslag.models import Base, UTCDateTime

log = logging.getLogger("besluitroute.documenttekst")

#: Larger files are registered but not read (their text would not fit a search index anyway).
MAX_BESTAND = 64 * 1024 * 1024
#: At most this much text is kept per document (about 150 pages); the rest is not searchable.
MAX_TEKST = 500_000
#: At most this many uncompressed bytes are read from one part of a DOCX or ODT (zip bombs).
MAX_ONGECOMPRIMEERD = 32 * 1024 * 1024
#: At most this many PDF pages are read.
MAX_PAGINAS = 2_000
#: At most this many seconds are spent reading a PDF's pages (a pathological file: deep object
#: streams on every page); checked between pages, so one page may run over.
MAX_LEESTIJD = 30.0

GELEZEN, DEELS, ONLEESBAAR, GEEN_TEKST, NIET_ONDERSTEUND = (
    "gelezen", "deels gelezen", "onleesbaar", "geen tekst", "niet ondersteund")
TEKSTSOORTEN = {".txt": "tekst", ".md": "tekst", ".csv": "tekst", ".pdf": "pdf",
                ".docx": "docx", ".odt": "odt"}
#: Control characters (the snippet marks use two of them) and other invisible noise.
_ONZICHTBAAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WITRUIMTE = re.compile(r"[ \t\u00a0]+")


class Documenttekst(Base):
    """The text of one document version (bijlage), or why there is none."""

    __tablename__ = "documenttekst"

    bijlage_id: Mapped[int] = mapped_column(ForeignKey("bijlage.id"), primary_key=True,
                                            autoincrement=False)
    #: gelezen, deels gelezen (a PDF past the page or time bound), onleesbaar, geen tekst (a
    #: scan without a text layer) or niet ondersteund.
    status: Mapped[str] = mapped_column(String(20))
    #: pdf, docx, odt, tekst; "" when not supported.
    soort: Mapped[str] = mapped_column(String(10))
    tekst: Mapped[str] = mapped_column(Text, default="")
    #: Why the text could not be read (Dutch), for the secretariat.
    reden: Mapped[str] = mapped_column(Text, default="")
    gelezen_op: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Uittreksel:
    status: str
    soort: str
    tekst: str = ""
    reden: str = ""


@dataclass(frozen=True)
class Leesgrens:
    """How much of a PDF is read: pages, and seconds (monotonic, checked between pages)."""

    paginas: int = MAX_PAGINAS
    seconden: float = MAX_LEESTIJD


class _Onleesbaar(Exception):
    pass


class _Deels(Exception):
    """Reading stopped at a bound: the text read so far and why."""

    def __init__(self, tekst: str, reden: str) -> None:
        super().__init__(reden)
        self.tekst = tekst


def lees(pad: Path, sha256: str, grens: Leesgrens = Leesgrens()) -> Uittreksel:
    """The text of the file at `pad`, if it still has content `sha256` (what was registered)."""
    soort = TEKSTSOORTEN.get(PurePosixPath(pad.name).suffix.lower(), "")
    if not soort:
        return Uittreksel(NIET_ONDERSTEUND, "")
    try:
        if pad.stat().st_size > MAX_BESTAND:
            return Uittreksel(ONLEESBAAR, soort, reden="te groot om te lezen")
        inhoud = pad.read_bytes()
    except OSError as exc:
        return Uittreksel(ONLEESBAAR, soort, reden=f"niet te lezen ({exc.strerror or exc})")
    if hashlib.sha256(inhoud).hexdigest() != sha256:
        return Uittreksel(ONLEESBAAR, soort, reden="het bestand veranderde tijdens het lezen")
    return lees_inhoud(inhoud, soort, grens)


def lees_inhoud(inhoud: bytes, soort: str, grens: Leesgrens = Leesgrens()) -> Uittreksel:
    """The text of `inhoud`, a file of `soort` (pdf, docx, odt, tekst)."""
    try:
        ruw = _pdf(inhoud, grens) if soort == "pdf" else _LEZERS[soort](inhoud)
    except _Onleesbaar as exc:
        return Uittreksel(ONLEESBAAR, soort, reden=str(exc))
    except _Deels as exc:
        deel = schoon(exc.tekst)
        if not deel:
            return Uittreksel(ONLEESBAAR, soort, reden=f"{exc}; daarin geen tekst")
        return Uittreksel(DEELS, soort, deel, reden=str(exc))
    except Exception as exc:  # a broken file in any of a library's ways: recorded, not raised
        log.info("tekst niet te lezen (%s): %r", soort, exc)
        return Uittreksel(ONLEESBAAR, soort, reden=f"beschadigd of onbekend formaat "
                                                    f"({type(exc).__name__})")
    tekst = schoon(ruw)
    if not tekst:
        return Uittreksel(GEEN_TEKST, soort)
    return Uittreksel(GELEZEN, soort, tekst)


def schoon(tekst: str) -> str:
    """Without control characters and runs of spaces, at most MAX_TEKST characters."""
    tekst = _ONZICHTBAAR.sub(" ", tekst)
    regels = (_WITRUIMTE.sub(" ", r).strip() for r in tekst.splitlines())
    return "\n".join(r for r in regels if r)[:MAX_TEKST].strip()


def _tekst(inhoud: bytes) -> str:
    try:
        return inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        return inhoud.decode("cp1252", errors="replace")


def _pdf(inhoud: bytes, grens: Leesgrens) -> str:
    """The pages' text; _Deels with what was read when a bound of `grens` stops the reading."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    einde = time.monotonic() + grens.seconden
    reader = PdfReader(io.BytesIO(inhoud))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except (FileNotDecryptedError, NotImplementedError):
            raise _Onleesbaar("beveiligd met een wachtwoord") from None
    aantal = len(reader.pages)
    delen: list[str] = []
    lengte = 0
    for nummer in range(aantal):
        if nummer >= grens.paginas:
            raise _Deels("\n".join(delen), f"alleen de eerste {grens.paginas} van {aantal} "
                                            f"pagina's gelezen (de grens)")
        if nummer and time.monotonic() > einde:
            raise _Deels("\n".join(delen), f"na {grens.seconden:g} seconden gestopt: {nummer} "
                                            f"van {aantal} pagina's gelezen")
        deel = reader.pages[nummer].extract_text() or ""
        delen.append(deel)
        lengte += len(deel)
        if lengte > MAX_TEKST:
            break
    return "\n".join(delen)


def _xml_deel(inhoud: bytes, naam: str) -> bytes:
    """One part of a zip container, refusing more than MAX_ONGECOMPRIMEERD bytes (whatever the
    header claims: the read stops at the limit)."""
    try:
        archief = zipfile.ZipFile(io.BytesIO(inhoud))
    except zipfile.BadZipFile:
        raise _Onleesbaar("geen geldig DOCX- of ODT-bestand") from None
    with archief:
        try:
            info = archief.getinfo(naam)
        except KeyError:
            raise _Onleesbaar(f"{naam} ontbreekt") from None
        if info.file_size > MAX_ONGECOMPRIMEERD:
            raise _Onleesbaar("te groot uitgepakt")
        with archief.open(info) as deel:
            data = deel.read(MAX_ONGECOMPRIMEERD + 1)
    if len(data) > MAX_ONGECOMPRIMEERD:
        raise _Onleesbaar("te groot uitgepakt")
    return data


def _lokaal(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _docx(inhoud: bytes) -> str:
    """A line per paragraph (w:p): its runs' text (w:t), tabs and breaks in document order."""
    from defusedxml.ElementTree import fromstring

    wortel = fromstring(_xml_deel(inhoud, "word/document.xml"), forbid_dtd=True)
    regels = []
    for alinea in wortel.iter():
        if _lokaal(alinea.tag) != "p":
            continue
        delen = []
        for el in alinea.iter():
            naam = _lokaal(el.tag)
            if naam == "t" and el.text:
                delen.append(el.text)
            elif naam == "tab":
                delen.append(" ")
            elif naam in ("br", "cr"):
                delen.append("\n")
        regels.append("".join(delen))
    return "\n".join(regels)


def _odt(inhoud: bytes) -> str:
    """A line per paragraph or heading (text:p, text:h), spans included."""
    from defusedxml.ElementTree import fromstring

    wortel = fromstring(_xml_deel(inhoud, "content.xml"), forbid_dtd=True)
    return "\n".join("".join(el.itertext()) for el in wortel.iter()
                     if _lokaal(el.tag) in ("p", "h"))


_LEZERS = {"tekst": _tekst, "docx": _docx, "odt": _odt}


def rij(bijlage_id: int, uittreksel: Uittreksel, nu: datetime) -> Documenttekst:
    return Documenttekst(bijlage_id=bijlage_id, status=uittreksel.status, soort=uittreksel.soort,
                         tekst=uittreksel.tekst, reden=uittreksel.reden, gelezen_op=nu)
