"""The definitions as frozen dataclasses: bodies (organen), their members, meetings, rhythms and
reminders, and routes with their steps and outcomes. Read from definities/ by workflow.definities.lezen
(with orgaanlezer and routelezer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from pathlib import Path

from workflow.definities.besluitregels import Quorum
from workflow.definities.deelnemers import Deelnemer
from workflow.definities.organisatie import Archiefregels, Organisatie
from workflow.definities.publicatie import Orgaansoort, Publicatieregels
from workflow.definities.termijnen import Termijnplicht

# The definition dataclasses are frozen but not slotted: a pickled definitions cache of 400 bodies
# and 10,000 members loads in half the time without slots (measured: 14 ms against 35 ms).


class LidRol(StrEnum):
    VOORZITTER = "voorzitter"
    LID = "lid"
    SECRETARIS = "secretaris"
    ADVISEUR = "adviseur"


class StapRol(StrEnum):
    #: The body offers its own proposal to the next (seed 000: the college offers its
    #: raadsvoorstel to the raad); later agendas print it as the proposal, not as advice.
    AANBIEDEN = "aanbieden"
    CONSULTATIE = "consultatie"
    ADVIES = "advies"
    BESLUIT = "besluit"
    INFORMATIE = "informatie"

    @property
    def label(self) -> str:
        """As on an agenda: 'ter besluitvorming'."""
        return {
            "aanbieden": "ter aanbieding",
            "consultatie": "ter consultatie",
            "advies": "ter advisering",
            "besluit": "ter besluitvorming",
            "informatie": "ter informatie",
        }[self.value]


class Uitkomst(StrEnum):
    POSITIEF = "positief"
    NEGATIEF = "negatief"
    VOORWAARDELIJK = "voorwaardelijk"
    KENNISGENOMEN = "kennisgenomen"
    AANHOUDEN = "aanhouden"
    TERUGVERWIJZEN = "terugverwijzen"
    VASTGESTELD = "vastgesteld"
    GEWIJZIGD_VASTGESTELD = "gewijzigd-vastgesteld"
    AFGEWEZEN = "afgewezen"

    @property
    def label(self) -> str:
        return {
            "positief": "positief advies",
            "negatief": "negatief advies",
            "voorwaardelijk": "advies onder voorwaarden",
            "kennisgenomen": "kennisgenomen",
            "aanhouden": "aangehouden",
            "terugverwijzen": "terugverwezen",
            "vastgesteld": "vastgesteld",
            "gewijzigd-vastgesteld": "gewijzigd vastgesteld",
            "afgewezen": "afgewezen",
        }[self.value]


ADVIES_UITKOMSTEN = frozenset({Uitkomst.POSITIEF, Uitkomst.NEGATIEF, Uitkomst.VOORWAARDELIJK})
BESLUIT_UITKOMSTEN = frozenset(
    {Uitkomst.VASTGESTELD, Uitkomst.GEWIJZIGD_VASTGESTELD, Uitkomst.AFGEWEZEN}
)
PROCES_UITKOMSTEN = frozenset({Uitkomst.AANHOUDEN, Uitkomst.TERUGVERWIJZEN})

#: The outcomes a step allows when its definition does not list them.
STANDAARD_UITKOMSTEN: dict[StapRol, tuple[Uitkomst, ...]] = {
    StapRol.ADVIES: (Uitkomst.POSITIEF, Uitkomst.NEGATIEF, Uitkomst.VOORWAARDELIJK,
                     Uitkomst.AANHOUDEN, Uitkomst.TERUGVERWIJZEN),
    StapRol.AANBIEDEN: (Uitkomst.POSITIEF, Uitkomst.AANHOUDEN, Uitkomst.TERUGVERWIJZEN),
    StapRol.CONSULTATIE: (Uitkomst.POSITIEF, Uitkomst.NEGATIEF, Uitkomst.VOORWAARDELIJK,
                          Uitkomst.KENNISGENOMEN, Uitkomst.AANHOUDEN, Uitkomst.TERUGVERWIJZEN),
    StapRol.INFORMATIE: (Uitkomst.KENNISGENOMEN, Uitkomst.AANHOUDEN),
    StapRol.BESLUIT: (Uitkomst.VASTGESTELD, Uitkomst.GEWIJZIGD_VASTGESTELD, Uitkomst.AFGEWEZEN,
                      Uitkomst.AANHOUDEN, Uitkomst.TERUGVERWIJZEN),
}

STANDAARD_VASTE_PUNTEN_VOOR = ("Opening", "Mededelingen", "Verslag vorige vergadering",
                               "Ingekomen stukken")
STANDAARD_VASTE_PUNTEN_NA = ("Rondvraag", "Sluiting")


class Feestdagregel(StrEnum):
    """What a rhythm does with a meeting that falls on a Dutch public holiday."""

    OVERSLAAN = "overslaan"
    EERDER = "eerder"  # the working day before
    LATER = "later"  # the working day after


@dataclass(frozen=True, slots=True)
class Persoon:
    # Slots: 10,000 members of 400 bodies (and the planner's address book of them) take 2.8 MB
    # less; pickled by their fields (`__reduce__`), which unpickles faster than slots' default.
    naam: str
    email: str

    def __reduce__(self) -> tuple[type[Persoon], tuple[str, str]]:
        return (Persoon, (self.naam, self.email))


@dataclass(frozen=True, slots=True)
class Lid:
    naam: str
    email: str
    rol: LidRol
    organisatie: str
    #: Votes in a stemming (the regulation may weigh them); 0 for a secretaris or adviseur.
    stemmen: int = 1

    def __reduce__(self) -> tuple[type[Lid], tuple[str, str, LidRol, str, int]]:
        return (Lid, (self.naam, self.email, self.rol, self.organisatie, self.stemmen))

    @property
    def stemgerechtigd(self) -> bool:
        return self.stemmen > 0


@dataclass(frozen=True)
class VergaderingRegel:
    """One explicitly listed meeting."""

    datum: date
    tijd: time | None = None
    plaats: str | None = None
    sleutel: str | None = None
    geannuleerd: bool = False
    opmerking: str = ""


@dataclass(frozen=True)
class Ritme:
    """A meeting rhythm: an RFC 5545 RRULE between two dates."""

    regel: str
    vanaf: date
    tot: date | None = None
    tijd: time | None = None
    plaats: str | None = None
    bron: str = ""  #: where the rhythm comes from: a seed, or "aanname"


@dataclass(frozen=True)
class Verplaatsing:
    van: date
    naar: date
    tijd: time | None = None
    plaats: str | None = None


@dataclass(frozen=True)
class Verplichting:
    """A cadence duty: at least `minimaal_per_jaar` meetings a year (about `onderwerp`, if set),
    from `vanaf` until `tot` (inclusive; None: open), as its source (`bron`) says."""

    omschrijving: str
    minimaal_per_jaar: int
    onderwerp: str | None = None
    vanaf: date | None = None
    tot: date | None = None
    bron: str = ""


@dataclass(frozen=True)
class Herinneringsregels:
    """When a body's reminders go out; every moment is local time (Europe/Amsterdam)."""

    opsteller_werkdagen_voor_aanlevering: int = 2
    opsteller_bij_verstreken_aanlevering: bool = True
    leden_bij_verzending: bool = True
    leden_dag_ervoor: bool = True
    secretariaat_na_vergadering: bool = True
    tijd: time = time(9, 0)


@dataclass(frozen=True)
class Orgaan:
    sleutel: str
    naam: str
    afkorting: str
    secretaris: Persoon
    leden: tuple[Lid, ...]
    aanleveren_werkdagen: int = 5
    verzenden_dagen: int = 7
    standaard_tijd: time = time(10, 0)
    standaard_plaats: str = ""
    duur_minuten: int = 120
    vergaderingen: tuple[VergaderingRegel, ...] = ()
    ritmes: tuple[Ritme, ...] = ()
    afgelast: tuple[date, ...] = ()
    verplaatst: tuple[Verplaatsing, ...] = ()
    feestdagen: Feestdagregel = Feestdagregel.OVERSLAAN
    vaste_punten_voor: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_VOOR
    vaste_punten_na: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_NA
    verplichtingen: tuple[Verplichting, ...] = ()
    herinneringen: Herinneringsregels = field(default_factory=Herinneringsregels)
    #: Public body: anonymous portal visitors see its meetings and agendas (`besluitroute web`).
    openbaar: bool = False
    #: algemeen-bestuur / dagelijks-bestuur of a joint arrangement: the Woo defaults follow it.
    soort: Orgaansoort | None = None
    #: What of its meetings goes public, and when (workflow.definities.publicatie).
    publicatie: Publicatieregels = field(default_factory=Publicatieregels)
    #: Its article in a sentence: "het AB", "de Stuurgroep" (Dutch has no rule to derive it).
    lidwoord: str = "de"
    #: How a mail greets its voorzitter and leden ("Geachte" for bestuurders); None: "Beste".
    aanhef: str | None = None
    #: The organisation it belongs to, as a TOOI organisation (Woo-index; workflow.definities
    #: .organisatie), and the one that publishes for it when that is another.
    organisatie: Organisatie | None = None
    uitgever: Organisatie | None = None
    #: Waardering and archiefvormer of its meetings for the e-Depot (ORI-A).
    archief: Archiefregels | None = None
    #: People who write proposals for this body without being members (`opstellers:`): a
    #: proposal's author found here by name gets the nudges to deliver.
    opstellers: tuple[Persoon, ...] = ()
    #: Whether its advice (outcome and text) is public: `advies_openbaar` in its file; None
    #: when not given, then the advice of a body is public only if it publishes anything.
    advies_openbaar_gegeven: bool | None = None
    #: When it may decide (workflow.definities.besluitregels): by law for a general board.
    quorum: Quorum = Quorum.GEEN
    #: The participating municipalities of a joint arrangement, each with its council
    #: (`deelnemers:`; workflow.definities.deelnemers): a `zienswijze:` step asks their councils.
    deelnemers: tuple[Deelnemer, ...] = ()
    #: Dated duties of the P&C cycle (`termijnen:`; workflow.definities.termijnen).
    termijnen: tuple[Termijnplicht, ...] = ()

    @property
    def advies_openbaar(self) -> bool:
        """Its advice may be shown to the public (on a public agenda, a proposal's page)."""
        if self.advies_openbaar_gegeven is not None:
            return self.advies_openbaar_gegeven
        return self.publicatie.publiceert

    def genoemd(self, naam: str | None = None) -> str:
        """Its name (or `naam`, say its abbreviation) with its article: "het AB platform jeugd"."""
        return f"{self.lidwoord} {self.naam if naam is None else naam}"


class Stapsoort(StrEnum):
    """A step is one body (enkel), bodies advising at the same time (tegelijk), or the councils
    of every participant giving their zienswijze within a statutory period (zienswijze)."""

    ENKEL = "enkel"
    TEGELIJK = "tegelijk"
    ZIENSWIJZE = "zienswijze"


@dataclass(frozen=True)
class Tak:
    """One branch of a `tegelijk` or `zienswijze` step: a body that answers on its own."""

    id: str  #: the body's key (tegelijk) or the participant's key (zienswijze)
    orgaan: str
    rol: StapRol
    uitkomsten: tuple[Uitkomst, ...] = ()
    #: The participant's name ("gemeente Rotterdam"), for a zienswijze branch.
    naam: str = ""


@dataclass(frozen=True)
class Stap:
    id: str
    #: For a group step, the body that leads it: the first adviser (tegelijk), or the deciding
    #: body that asks the councils (zienswijze); listings per body show the proposal there.
    orgaan: str
    rol: StapRol
    uitkomsten: tuple[Uitkomst, ...]
    terugverwijzen_naar: str
    min_dagen_na_vorige: int = 0
    soort: Stapsoort = Stapsoort.ENKEL
    takken: tuple[Tak, ...] = ()
    #: The branches join at this many days after dispatch, whoever has not answered (the
    #: statutory period of a zienswijze; optional for tegelijk, which joins when all answered).
    termijn_dagen: int | None = None

    @property
    def is_groep(self) -> bool:
        return self.soort is not Stapsoort.ENKEL

    def tak(self, tak_id: str) -> Tak:
        return next(t for t in self.takken if t.id == tak_id)

    def takstap(self, tak_id: str) -> Stap:
        """A branch seen as a step of its own (`<groep>/<tak>`): agenda items of a `tegelijk`
        branch carry this id, so an agenda or a cancelled meeting treats them like any step."""
        tak = self.tak(tak_id)
        return Stap(id=f"{self.id}{TAKSCHEIDING}{tak.id}", orgaan=tak.orgaan, rol=tak.rol,
                    uitkomsten=tak.uitkomsten, terugverwijzen_naar=self.terugverwijzen_naar)


#: Between a group step's id and a branch's id (`ambtelijk-advies/aoj`); never in a key.
TAKSCHEIDING = "/"


@dataclass(frozen=True)
class Route:
    naam: str
    titel: str
    stappen: tuple[Stap, ...]
    aan: str = ""
    van: str = ""
    omschrijving: str = ""

    def stap(self, stap_id: str) -> Stap:
        """The step `stap_id`, or the branch `<groep>/<tak>` as a step (StopIteration if none)."""
        groep, _, tak = stap_id.partition(TAKSCHEIDING)
        stap = next(s for s in self.stappen if s.id == groep)
        return stap.takstap(tak) if tak else stap

    def index(self, stap_id: str) -> int:
        groep = stap_id.partition(TAKSCHEIDING)[0]
        return next(i for i, s in enumerate(self.stappen) if s.id == groep)

    @property
    def besluitstap(self) -> Stap:
        return next(s for s in self.stappen if s.rol is StapRol.BESLUIT)


@dataclass(frozen=True)
class Definities:
    map: Path
    organen: dict[str, Orgaan]
    routes: dict[str, Route]

    def orgaan(self, sleutel: str) -> Orgaan:
        from workflow.basis.fouten import NietGevonden
        from workflow.basis.tekst import citeer

        try:
            return self.organen[sleutel]
        except KeyError:
            bekend = ", ".join(sorted(self.organen))
            raise NietGevonden(f"onbekend orgaan {citeer(sleutel)} (bekend: {bekend})") from None

    def route(self, naam: str) -> Route:
        from workflow.basis.fouten import NietGevonden
        from workflow.basis.tekst import citeer

        try:
            return self.routes[naam]
        except KeyError:
            bekend = ", ".join(sorted(self.routes))
            raise NietGevonden(f"onbekende route {citeer(naam)} (bekend: {bekend})") from None
