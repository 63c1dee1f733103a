"""What the route planner works with and gives back (workflow.kalender.planning): meetings a
step could go to, the steps, the lines of a plan, and why no plan exists. Its own module so that
the planner of group steps (workflow.kalender.takplanning) shares them without importing the
planner that calls it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from workflow.basis.tekst import datum, datum_kort


@dataclass(frozen=True, slots=True)
class Optie:
    """A meeting a step could go to."""

    orgaan: str
    begin: datetime  #: aware
    eind: datetime  #: aware
    aanlevermoment: datetime  #: the submission deadline passes at this moment
    vergadering_id: int | None = None
    sleutel: str = ""
    #: A zienswijze period (begin: dispatch, eind: its end), not a meeting: what follows it
    #: must also have its submission deadline after the period.
    termijn: bool = False


@dataclass(frozen=True, slots=True)
class PlanStap:
    """One step of a route, as the planner needs it."""

    id: str
    orgaan: str
    naam: str  #: the body's name, for messages
    rol: str = ""
    min_dagen_na_vorige: int = 0
    #: enkel, tegelijk or zienswijze (workflow.definities.model.Stapsoort)
    soort: str = "enkel"
    #: The branches of a group step, each as a step `<groep>/<tak>`.
    takken: tuple[PlanStap, ...] = ()
    termijn_dagen: int | None = None


@dataclass(frozen=True, slots=True)
class Regel:
    """One line of the plan: a step and its meeting."""

    stap: PlanStap
    vergadering: Optie
    vast: bool = False  #: fixed before planning (handled, or the meeting it is on now)


@dataclass(frozen=True, slots=True)
class Plan:
    regels: tuple[Regel, ...]
    #: The latest moment the documents can be delivered (None: they are in already).
    aanleveren_voor: datetime | None = None

    @property
    def besluit(self) -> Regel:
        return self.regels[-1]

    def te_bespreken_in(self) -> str:
        """'Programmateam regiovisie 14 juni, Stuurgroep transformatie 23 juni, ...'."""
        return ", ".join(f"{r.stap.naam} {datum_kort(r.vergadering.begin)}" for r in self.regels)


@dataclass(frozen=True, slots=True)
class Onhaalbaar:
    """No plan exists: which step cannot be met, why, and the earliest decision that can."""

    stap: PlanStap
    reden: str
    doel: Optie | None = None  #: the meeting of the deciding body that was aimed at
    vroegst_mogelijk: Plan | None = None

    @property
    def melding(self) -> str:
        if self.doel is not None:
            begin = f"een besluit op {datum(self.doel.begin)} is niet haalbaar: "
        else:
            begin = "geen planning mogelijk: "
        tekst = f"{begin}{self.stap.naam} ({self.stap.id}) is niet te halen: {self.reden}"
        if self.vroegst_mogelijk is not None:
            besluit = self.vroegst_mogelijk.besluit
            tekst += (f"; vroegst mogelijke besluit: {besluit.stap.naam} op "
                      f"{datum(besluit.vergadering.begin)}")
        elif self.doel is not None:
            tekst += "; ook later is er geen besluit mogelijk met de bekende vergaderingen"
        return tekst


#: The role a council's branch of a zienswijze step shows in a plan.
ZIENSWIJZE_ROL = "ter zienswijze"

Agenda = Mapping[str, Sequence[Optie]]
"""Per body key, its meetings that are not cancelled, in time order."""
