"""What every reminder module shares: the kinds of mail, a meeting with its proposals as
reminders see it, one mail to one person, and what a mail's template sees of a meeting and a
proposal. Pure data and small helpers; no I/O, no clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from workflow.basis.clock import TZ
from workflow.definities import ritme
from workflow.definities.model import Orgaan, Persoon, StapRol
from workflow.kalender import werkdagen

#: Statuses of an agenda item that put a proposal "on" a meeting.
OP_VERGADERING = ("gepland", "geagendeerd")
#: Mails to members: their purpose stands until the meeting begins, so they are sent late.
LEDENPOST = frozenset({"agenda", "aanvulling", "dag-ervoor"})


class Soort(StrEnum):
    AANLEVEREN = "aanleveren"
    AANLEVERING_VERSTREKEN = "aanlevering-verstreken"
    AGENDA = "agenda"
    AANVULLING = "aanvulling"
    DAG_ERVOOR = "dag-ervoor"
    WEEKOVERZICHT = "weekoverzicht"


@dataclass(frozen=True, slots=True)
class Punt:
    """A proposal on a meeting, as reminders need it."""

    kenmerk: str
    titel: str
    opsteller: str
    rol: str  #: the step's StapRol value
    status: str  #: gepland / geagendeerd / behandeld / vervallen
    nagekomen: bool = False
    #: The registered documents; None when unknown (no documents table): then no "missing" mail.
    documenten: tuple[str, ...] | None = None
    #: The author's own address, when the secretariat recorded one (`--opsteller-email`).
    opsteller_email: str | None = None
    #: Its documents predate its latest referral back (terugverwijzen): a new version is due.
    nieuwe_versie: bool = False


@dataclass(frozen=True, slots=True)
class Bijeenkomst:
    """A meeting with the proposals on it."""

    sleutel: str
    orgaan: str
    begin: datetime  #: aware
    plaats: str = ""
    geannuleerd: bool = False
    punten: tuple[Punt, ...] = ()
    #: When the members were first sent this meeting's agenda (None: not yet).
    agenda_verzonden: datetime | None = None


@dataclass(frozen=True)
class Herinnering:
    """One mail to one person: what the outbox stores under `sleutel`."""

    sleutel: str
    soort: Soort
    moment: datetime  #: when it became due, aware UTC
    aan: Persoon
    sjabloon: str  #: template base name: 'mail/<soort>' (.txt and .html)
    context: dict[str, Any] = field(repr=False)
    vergadering: str | None = None  #: meeting sleutel, for invalidation after a move
    begin: datetime | None = None  #: the meeting's start when the reminder was made



def op_tijd(dag: date, tijd: time) -> datetime:
    return datetime.combine(dag, tijd, TZ).astimezone(UTC)



def werkdag_op_of_na(dag: date) -> date:
    while not ritme.is_werkdag(dag):
        dag += timedelta(days=1)
    return dag



def vergadering_context(orgaan: Orgaan, m: Bijeenkomst) -> dict[str, Any]:
    return {
        "sleutel": m.sleutel,
        "orgaan": orgaan.naam,
        #: The name with its article, for sentences: "het AB platform jeugd" (`lidwoord`).
        "genoemd": orgaan.genoemd(),
        "afkorting": orgaan.afkorting,
        "begin": m.begin.astimezone(TZ),
        "plaats": m.plaats,
        "aanleverdatum": werkdagen.aanleverdatum(orgaan, m.begin),
        "secretaris": {"naam": orgaan.secretaris.naam, "email": orgaan.secretaris.email},
    }


def punt_context(p: Punt) -> dict[str, Any]:
    try:
        rol = StapRol(p.rol).label
    except ValueError:
        rol = p.rol
    return {
        "kenmerk": p.kenmerk,
        "titel": p.titel,
        #: The title on one line, for the subject: a newline there would end the header.
        "titel_regel": " ".join(p.titel.split()),
        "opsteller": p.opsteller,
        "rol": rol,
        "nagekomen": p.nagekomen,
        #: Planned while an earlier step has still to advise.
        "onder_voorbehoud": p.status == "gepland",
        "documenten": list(p.documenten or ()),
        "documenten_bekend": p.documenten is not None,
        "nieuwe_versie": p.nieuwe_versie,
    }


#: The salutation when nothing else is configured.
STANDAARD_AANHEF = "Beste"


def aanhef(orgaan: Orgaan | None, email: str, instelling: Mapping[str, str]) -> str:
    """How a mail greets the person at `email` about a meeting of `orgaan`: `[mail] aanhef`
    for the body's key, then for the person's role in it (voorzitter, lid, secretaris,
    adviseur; "opsteller" for anyone else); else the body's `aanhef` for its voorzitter and
    leden ("Geachte" for bestuurders); else `[mail] aanhef.standaard`, or "Beste"."""
    rol = "opsteller"
    if orgaan is not None:
        if email.casefold() == orgaan.secretaris.email.casefold():
            rol = "secretaris"
        rol = next((lid.rol.value for lid in orgaan.leden
                    if lid.email.casefold() == email.casefold()), rol)
        if orgaan.sleutel in instelling:
            return instelling[orgaan.sleutel]
    if rol in instelling:
        return instelling[rol]
    if orgaan is not None and orgaan.aanhef and rol in ("voorzitter", "lid"):
        return orgaan.aanhef
    return instelling.get("standaard", STANDAARD_AANHEF)

