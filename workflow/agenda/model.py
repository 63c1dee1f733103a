"""The data of an agenda, a decision list (besluitenlijst) and a cover sheet: what the loaders
read from the database (input) and what the templates receive (output, through
`samenstelling.context` as plain dicts and lists). Frozen dataclasses, no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from workflow.besluitvorming.aanwezigheid import Aanwezigheid
from workflow.besluitvorming.quorum import Toets
from workflow.besluitvorming.stemming import Stemregel
from workflow.definities.model import Orgaan, StapRol, Uitkomst
from workflow.voorstellen.documenten import Document
from workflow.voorstellen.takken import Zienswijzeregel

# ---------------------------------------------------------------------------------------------
# Input: what the loaders read from the database.


@dataclass(frozen=True, slots=True)
class Beslispunt:
    nummer: int
    tekst: str
    #: aangenomen / gewijzigd aangenomen / verworpen, once decided.
    besluit: str | None = None
    #: The votes at the meeting being composed, once recorded.
    stemming: Stemregel | None = None
    #: On a decision list: the besluit with its votes, "aangenomen met 7 tegen 2 stemmen".
    uitslag: str = ""


@dataclass(frozen=True, slots=True)
class Behandeling:
    """One treatment of a proposal at a step of its route: planned, on an agenda or concluded."""

    stap_index: int
    stap: str
    orgaan: str  #: the body's name, as shown
    begin: datetime  #: the meeting's start, aware
    status: str  #: gepland / geagendeerd / behandeld / vervallen
    uitkomst: Uitkomst | None = None
    tekst: str = ""
    lidwoord: str = "de"  #: the body's article in a sentence ("het AB platform jeugd")
    rol: StapRol | None = None  #: the step's role: how a later agenda names what it gave
    #: For a step that offers its proposal (rol aanbieden): what it offers, the route's title
    #: ("Raadsvoorstel van het college").
    aangeboden_als: str = ""


@dataclass(frozen=True, slots=True)
class Aanmelding:
    """A proposal on the meeting being composed, with everything the agenda shows of it."""

    kenmerk: str
    titel: str
    opsteller: str
    rol: StapRol
    stap_index: int
    beslispunten: tuple[Beslispunt, ...] = ()
    documenten: tuple[Document, ...] = ()
    nagekomen: bool = False
    #: Every treatment of this proposal (any step, any meeting); earlier advice is taken from it.
    behandelingen: tuple[Behandeling, ...] = ()
    #: The outcome at this meeting, once recorded.
    uitkomst: Uitkomst | None = None
    uitkomst_tekst: str = ""
    #: Planned here while an earlier step has still to advise: on the agenda onder voorbehoud.
    gepland: bool = False
    #: The councils' answers of an earlier zienswijze step (each council, answered or not).
    zienswijzen: tuple[Zienswijzeregel, ...] = ()


@dataclass(frozen=True, slots=True)
class Vergaderinfo:
    id: int
    orgaan: Orgaan
    begin: datetime
    plaats: str = ""
    geannuleerd: bool = False
    opmerking: str = ""
    #: Who attended, once recorded (`vergadering aanwezig`), and the quorum it gives.
    aanwezigheid: Aanwezigheid | None = None
    quorum: Toets | None = None


# ---------------------------------------------------------------------------------------------
# Output: what the templates receive (through `context`, as plain dicts and lists).

@dataclass(frozen=True, slots=True)
class Vergaderkop:
    id: int
    orgaan: str
    afkorting: str
    begin: datetime
    plaats: str
    geannuleerd: bool
    opmerking: str
    secretaris: str
    #: The body's name with its article, for sentences: "het AB platform jeugd".
    genoemd: str = ""


@dataclass(frozen=True, slots=True)
class Adviesregel:
    orgaan: str
    datum: date
    uitkomst: str  #: the outcome's label: "positief advies"
    tekst: str
    #: "Advies Stuurgroep transformatie, 23 juni 2021: ..." (the outcome added unless positive).
    citaat: str


@dataclass(frozen=True, slots=True)
class Documentregel:
    naam: str
    versie: int
    omvang: str
    sha256: str
    omschrijving: str


@dataclass(frozen=True, slots=True)
class Voorstelpunt:
    nummer: int
    kenmerk: str
    titel: str
    opsteller: str
    rol: str
    beslispunten: tuple[Beslispunt, ...]
    documenten: tuple[Documentregel, ...]
    nagekomen: bool
    adviezen: tuple[Adviesregel, ...]
    uitkomst: str  #: label of the outcome at this meeting, "" while open
    uitkomst_tekst: str
    #: "onder voorbehoud van het advies van de Stuurgroep transformatie van 23 juni 2021", or "".
    voorbehoud: str = ""
    #: The councils' zienswijzen (and the councils without one), on the item after the period.
    zienswijzen: tuple[Zienswijzeregel, ...] = ()


@dataclass(frozen=True, slots=True)
class Rubriek:
    rol: str  #: "ter besluitvorming"
    titel: str  #: "Ter besluitvorming"
    punten: tuple[Voorstelpunt, ...]


@dataclass(frozen=True, slots=True)
class VastPunt:
    nummer: int
    titel: str


@dataclass(frozen=True, slots=True)
class Agenda:
    vergadering: Vergaderkop
    voor: tuple[VastPunt, ...]
    rubrieken: tuple[Rubriek, ...]
    na: tuple[VastPunt, ...]

    @property
    def voorstellen(self) -> tuple[Voorstelpunt, ...]:
        return tuple(p for r in self.rubrieken for p in r.punten)


@dataclass(frozen=True, slots=True)
class Besluitregel:
    nummer: int
    kenmerk: str
    titel: str
    rol: str
    behandeld: bool
    uitkomst: str
    tekst: str
    beslispunten: tuple[Beslispunt, ...]
    #: "na zienswijzen van 3 van de 10 raden (1 te laat)", or "" without a zienswijze step.
    zienswijzen: str = ""


@dataclass(frozen=True, slots=True)
class Afwezige:
    naam: str
    #: The reason given, "zonder bericht", or "" where reasons are not shown (the public).
    reden: str


@dataclass(frozen=True, slots=True)
class Presentieoverzicht:
    """Attendance on a decision list: names are public with a public meeting, reasons are not."""

    aanwezig: tuple[str, ...]
    #: "Wethouder financiën Schiedam namens Wethouder jeugd Schiedam".
    vervangers: tuple[str, ...]
    afwezig: tuple[Afwezige, ...]
    #: The same as one text each: "Wethouder jeugd Nissewaard (ziek)".
    afwezig_regels: tuple[str, ...]
    #: "6 van de 7 leden aanwezig; het quorum is ...", "" for a body without a quorum rule.
    quorum: str
    quorum_gehaald: bool


@dataclass(frozen=True, slots=True)
class Besluitenlijst:
    vergadering: Vergaderkop
    besluiten: tuple[Besluitregel, ...]
    open: int  #: items whose outcome is not recorded yet
    #: None while no attendance is recorded.
    presentie: Presentieoverzicht | None = None


@dataclass(frozen=True, slots=True)
class Bespreking:
    """One row of "Te bespreken in": a step of the route and its meeting, if there is one."""

    orgaan: str
    rol: str
    datum: date | None
    status: str
    uitkomst: str


@dataclass(frozen=True, slots=True)
class Voorblad:
    kenmerk: str
    aan: str
    van: str
    datum: date
    onderwerp: str
    status: str
    versie: str
    in_opdracht_van: str
    opgesteld_door: str
    toestand: str
    te_bespreken_in: tuple[Bespreking, ...]
    #: True when every date in "Te bespreken in" is in the year of `datum` ("14 juni" suffices).
    korte_data: bool
    beslispunten: tuple[Beslispunt, ...]
    documenten: tuple[Documentregel, ...]
    adviezen: tuple[Adviesregel, ...]


@dataclass(frozen=True, slots=True)
class Voorstelgegevens:
    """Input of the cover sheet."""

    kenmerk: str
    titel: str
    aan: str
    van: str
    datum: date
    documentstatus: str
    versie: str
    in_opdracht_van: str
    opsteller: str
    toestand: str
    beslispunten: tuple[Beslispunt, ...] = ()
    documenten: tuple[Document, ...] = ()
    behandelingen: tuple[Behandeling, ...] = ()
