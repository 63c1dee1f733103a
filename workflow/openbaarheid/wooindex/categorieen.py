"""The TOOI values the Woo-index files use, each as it stands in the value lists of DiWoo 0.9.8
(diwoo-metadata-lijsten.xsd): the DiWoo schema accepts no other URI."""

from __future__ import annotations

from enum import Enum
from pathlib import PurePath

from workflow.definities.publicatie import Orgaansoort

_KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"


class Informatiecategorie(Enum):
    """The Woo information categories besluitroute publishes in, numbered as the sitemap index
    files are (NNN: the order of art. 3.3 (2) Woo, as in the handleiding's example
    `sitemapindex-diwoo-infocat015.xml` for onderzoeksrapporten)."""

    VERGADERSTUKKEN_DECENTRAAL = (8, "vergaderstukken decentrale overheden", "c_db4862c3")
    AGENDAS_BESLUITENLIJSTEN = (9, "agenda’s en besluitenlijsten bestuurscolleges", "c_3a248e3a")
    ADVIEZEN = (10, "adviezen", "c_99a836c7")

    def __init__(self, nummer: int, label: str, code: str) -> None:
        self.nummer = nummer
        self.label = label
        self.uri = _KERN + code

    @property
    def indexnaam(self) -> str:
        """The name the handleiding requires: the harvester reads no other."""
        return f"sitemapindex-diwoo-infocat{self.nummer:03d}.xml"

    def sitemapnaam(self, volgnummer: int) -> str:
        return f"sitemap-diwoo-infocat{self.nummer:03d}-{volgnummer}.xml"


def categorie(soort: Orgaansoort | None) -> Informatiecategorie:
    """The category of every published document of a body: the general board's meeting
    documents (art. 3.3 (2)(h)), the executive board's agendas and decision lists ((i)), and the
    published advice of any other body ((j))."""
    if soort is Orgaansoort.ALGEMEEN_BESTUUR:
        return Informatiecategorie.VERGADERSTUKKEN_DECENTRAAL
    if soort is Orgaansoort.DAGELIJKS_BESTUUR:
        return Informatiecategorie.AGENDAS_BESLUITENLIJSTEN
    return Informatiecategorie.ADVIEZEN


class Handeling(Enum):
    """ccw_plooi_documenthandelingen/2, the whole list: it has no `openbaarmaking`; the moment of
    publication is the URL's `lastmod` (docs/openbaarheid.md)."""

    VASTSTELLING = ("vaststelling", "c_641ecd76")
    ONTVANGST = ("ontvangst", "c_dfcee535")

    def __init__(self, label: str, code: str) -> None:
        self.label = label
        self.uri = _KERN + code


class Documentsoort(Enum):
    AGENDA = ("agenda", "c_f90465b3")
    BESLUITENLIJST = ("besluitenlijst", "c_d4a4792f")
    VERGADERSTUK = ("vergaderstuk", "c_7f9dffa7")

    def __init__(self, label: str, code: str) -> None:
        self.label = label
        self.uri = _KERN + code


TAAL_NL = ("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands")

_BESTANDSTYPE = "http://publications.europa.eu/resource/authority/file-type/"
#: Extension -> (URI, label) of the format list (EU file types); the harvester takes only these.
FORMATEN: dict[str, tuple[str, str]] = {
    ext: (_BESTANDSTYPE + code, label) for ext, code, label in (
        ("pdf", "PDF", "PDF"), ("html", "HTML", "HTML"), ("htm", "HTML", "HTML"),
        ("docx", "DOCX", "Word DOCX"), ("doc", "DOC", "Word DOC"), ("odt", "ODT", "ODT"),
        ("xlsx", "XLSX", "Excel XLSX"), ("xls", "XLS", "Excel XLS"), ("ods", "ODS", "ODS"),
        ("pptx", "PPTX", "PowerPoint PPTX"), ("ppt", "PPT", "PowerPoint PPT"),
        ("odp", "ODP", "ODP"), ("txt", "TXT", "Plain text"), ("csv", "CSV", "CSV"),
        ("rtf", "RTF", "RTF"), ("zip", "ZIP", "ZIP"), ("7z", "7z", "7z"))}


def formaat(bestandsnaam: str) -> tuple[str, str] | None:
    """The format of a file by its extension; None when the list has none for it."""
    return FORMATEN.get(PurePath(bestandsnaam).suffix.lower().lstrip("."))
