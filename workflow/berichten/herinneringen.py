"""Which reminders are due at a moment. Pure: plain data in, reminders out; no I/O, no clock.

Our own tables decide what is due; the scheduler only wakes us up. A reminder is due when its
moment has come and the catch-up period (`inhaaltermijn`) after it has not yet passed, and it is
still useful (nobody needs a "stukken aanleveren" mail after the deadline). Every reminder has a
deterministic key, so the outbox holds it at most once however often a pass runs.

Kinds (moments in Europe/Amsterdam at the body's `herinneringen.tijd`):
    aanleveren              authors, N working days before the aanleverdatum
    aanlevering-verstreken  authors whose documents are missing, the working day after the
                            aanleverdatum
    agenda                  members, at the verzendmoment: the agenda with its documents
    aanvulling              members, after the agenda was sent: what changed (made in jobs.py)
    dag-ervoor              members, the working day before the meeting
    weekoverzicht           each secretariat with something to act on (berichten/weekoverzicht)
A person gets one mail per moment per meeting: all their proposals go into that one mail.
Member mails (agenda, dag-ervoor) are sent late until the meeting begins; author nudges only
within the catch-up period. Every moment falls on a working day.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from workflow.basis.clock import TZ
from workflow.berichten.kern import (
    LEDENPOST,
    OP_VERGADERING,
    Bijeenkomst,
    Herinnering,
    Punt,
    Soort,
    op_tijd,
    punt_context,
    vergadering_context,
    werkdag_op_of_na,
)
from workflow.berichten.weekoverzicht import Mislukt, moment_weekoverzicht, weekoverzichten
from workflow.definities.model import Definities, Lid, Orgaan, Persoon
from workflow.kalender import werkdagen
from workflow.kalender.pcyclus import Termijnstand

#: Re-exported: the callers of the reminder pass know these by this module.
__all__ = ["OP_VERGADERING", "Bijeenkomst", "Herinnering", "Mislukt", "Punt", "Soort",
           "Wekmoment", "gemist", "moment_aanleveren", "moment_agenda", "moment_dag_ervoor",
           "moment_verstreken", "moment_weekoverzicht", "momenten", "opstellers",
           "verschuldigd", "vooruitloop", "wekmomenten"]


@dataclass(frozen=True, slots=True)
class Wekmoment:
    """A future moment at which a pass should run (for the scheduler's one-off jobs)."""

    vergadering: str
    soort: Soort
    moment: datetime  #: aware UTC


def _cycle(m: Bijeenkomst) -> str:
    """The meeting's key plus its current local start: a moved meeting starts a new cycle of
    reminders (the old cycle's unsent ones lapse), an unchanged one is never mailed twice."""
    return f"{m.sleutel}@{m.begin.astimezone(TZ):%Y%m%dT%H%M}"


# ---------------------------------------------------------------------------------------------
# Moments.

def moment_aanleveren(orgaan: Orgaan, begin: datetime) -> datetime:
    dag = werkdagen.werkdagen_terug(werkdagen.aanleverdatum(orgaan, begin),
                                   orgaan.herinneringen.opsteller_werkdagen_voor_aanlevering)
    return op_tijd(dag, orgaan.herinneringen.tijd)


def moment_verstreken(orgaan: Orgaan, begin: datetime) -> datetime:
    """The working day after the aanleverdatum at reminder time (not at midnight, when it
    passes; not on a Saturday), and never after the meeting has begun."""
    dag = werkdag_op_of_na(werkdagen.aanleverdatum(orgaan, begin) + timedelta(days=1))
    return min(op_tijd(dag, orgaan.herinneringen.tijd), begin.astimezone(UTC))


def moment_agenda(orgaan: Orgaan, begin: datetime) -> datetime:
    return werkdagen.verzendmoment(orgaan, begin).astimezone(UTC)


def moment_dag_ervoor(orgaan: Orgaan, begin: datetime) -> datetime:
    """The working day before the meeting at reminder time."""
    dag = werkdagen.werkdag_op_of_voor(begin.astimezone(TZ).date() - timedelta(days=1))
    return op_tijd(dag, orgaan.herinneringen.tijd)


def momenten(orgaan: Orgaan, m: Bijeenkomst) -> list[tuple[Soort, datetime, datetime]]:
    """(kind, moment, valid until) of a meeting's reminders that the body's rules switch on."""
    if m.geannuleerd:
        return []
    regels = orgaan.herinneringen
    begin = m.begin.astimezone(UTC)
    deadline = werkdagen.aanlevermoment(orgaan, m.begin).astimezone(UTC)
    result: list[tuple[Soort, datetime, datetime]] = []
    result.append((Soort.AANLEVEREN, moment_aanleveren(orgaan, m.begin), deadline))
    if regels.opsteller_bij_verstreken_aanlevering:
        result.append((Soort.AANLEVERING_VERSTREKEN, moment_verstreken(orgaan, m.begin), begin))
    agenda = moment_agenda(orgaan, m.begin)
    if regels.leden_bij_verzending:
        result.append((Soort.AGENDA, agenda, begin))
    dag_ervoor = moment_dag_ervoor(orgaan, m.begin)
    # The same moment as the dispatch: the agenda mail is the reminder (one mail per moment).
    if regels.leden_dag_ervoor and not (regels.leden_bij_verzending and dag_ervoor == agenda):
        result.append((Soort.DAG_ERVOOR, dag_ervoor, begin))
    return result


#: The last definitions and their lead (`vooruitloop`): the planner asks every pass.
_vooruitloop: tuple[Definities, timedelta] | None = None


def vooruitloop(definities: Definities) -> timedelta:
    """How long before a meeting its earliest reminder can fall, for any body: a bound on
    `begin - moment` over `momenten`. A reminder due at `nu` is of a meeting that begins after
    `nu` (every window ends by the meeting) and before `nu + vooruitloop`: a pass reads no other.

    Working days are counted back over weekends and public holidays: at most twice the working
    days as calendar days plus ten (the most holidays that cluster, around Christmas, with a
    weekend either side), a wide bound that a test checks against every day of several years."""
    global _vooruitloop
    cached = _vooruitloop
    if cached is not None and cached[0] is definities:
        return cached[1]
    dagen = 1  # the day-before reminder
    for orgaan in definities.organen.values():
        werkdagen_terug = orgaan.aanleveren_werkdagen + \
            orgaan.herinneringen.opsteller_werkdagen_voor_aanlevering
        dagen = max(dagen, 2 * werkdagen_terug, orgaan.verzenden_dagen)
    lead = timedelta(days=dagen + 10)
    _vooruitloop = (definities, lead)
    return lead


def wekmomenten(definities: Definities, vergaderingen: Iterable[Bijeenkomst],
                na: datetime) -> list[Wekmoment]:
    """Moments after `na` at which one of these meetings has a reminder coming."""
    result = []
    for m in vergaderingen:
        orgaan = definities.organen.get(m.orgaan)
        if orgaan is None or not any(p.status in OP_VERGADERING for p in m.punten):
            continue
        for soort, moment, _ in momenten(orgaan, m):
            if moment > na:
                result.append(Wekmoment(m.sleutel, soort, moment))
    return sorted(result, key=lambda w: (w.moment, w.vergadering, w.soort))


# ---------------------------------------------------------------------------------------------
# People.

#: Members found for authors' names, with the (immutable) definitions they were found in: only
#: the names asked for (a few hundred authors), not an index of every member (0.8 MB at 10,000
#: members, kept for a planner's life). A name nobody has is remembered too, as None.
_opstellers: tuple[Definities, dict[str, Lid | Persoon | None]] | None = None


def opstellers(definities: Definities, namen: Iterable[str]) -> dict[str, Lid | Persoon | None]:
    """Known people by case-folded name, for at least `namen`: how an opsteller's name finds an
    address. A body's `opstellers:` come before its members; the first body in key order wins a
    name two bodies share. Names not asked before cost one walk over all people (~18 ms at
    10,000 members), so a pass asks for all its authors at once (`verschuldigd`, `gemist`); a
    pass with no new author walks nothing. Shared between calls with the same definitions: read
    it, never change it."""
    global _opstellers
    cached = _opstellers
    gevonden = cached[1] if cached is not None and cached[0] is definities else {}
    ontbrekend = {_naam(naam) for naam in namen} - gevonden.keys()
    if ontbrekend:
        for sleutel in sorted(definities.organen):
            orgaan = definities.organen[sleutel]
            mensen: tuple[Persoon | Lid, ...] = (*orgaan.opstellers, *orgaan.leden)
            for persoon in mensen:
                naam = _naam(persoon.naam)
                if naam in ontbrekend:
                    ontbrekend.discard(naam)
                    gevonden[naam] = persoon  # the person itself: no copy
        gevonden.update(dict.fromkeys(ontbrekend))
    _opstellers = (definities, gevonden)
    return gevonden


def _auteurs(vergaderingen: Sequence[Bijeenkomst]) -> set[str]:
    """The authors' names as written, each once (a pass's meetings hold thousands of items)."""
    return {p.opsteller for m in vergaderingen for p in m.punten}


def _naam(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---------------------------------------------------------------------------------------------
# What is due.

def _venster_einde(soort: Soort, moment: datetime, geldig_tot: datetime,
                   inhaaltermijn: timedelta) -> datetime:
    """Until when a reminder is still made: member mails until the meeting begins (their
    purpose stands, so late beats never); author nudges within the catch-up period."""
    if soort.value in LEDENPOST:
        return geldig_tot
    return min(geldig_tot, moment + inhaaltermijn)


def _redundant(soort: Soort, moment: datetime, m: Bijeenkomst, nu: datetime,
               agenda_nu: bool) -> bool:
    """A day-before reminder adds nothing when the agenda went (or goes) out after its moment."""
    if soort is not Soort.DAG_ERVOOR:
        return False
    if m.agenda_verzonden is not None:
        return m.agenda_verzonden >= moment
    return agenda_nu and nu >= moment


def _maak(definities: Definities, orgaan: Orgaan, m: Bijeenkomst, soort: Soort,
          moment: datetime, punten: list[Punt]) -> list[Herinnering]:
    if soort in (Soort.AANLEVEREN, Soort.AANLEVERING_VERSTREKEN):
        return _aan_opstellers(definities, orgaan, m, soort, moment, punten)
    return _aan_leden(orgaan, m, soort, moment)


def verschuldigd(definities: Definities, vergaderingen: Sequence[Bijeenkomst], nu: datetime,
                 inhaaltermijn: timedelta, mislukt: Sequence[Mislukt] = (),
                 overgeslagen: Sequence[dict[str, Any]] = (),
                 publicaties: Sequence[tuple[str, str]] = (),
                 gemaakt: Collection[str] = frozenset(),
                 archief: Sequence[tuple[str, str]] = (), *,
                 volledig: bool = False,
                 termijnen: Sequence[Termijnstand] = ()) -> list[Herinnering]:
    """Every reminder due at `nu` (aware), one per key, in a stable order. `mislukt`: failed
    messages, listed in the weekly overview of the week they failed in; `overgeslagen`: the
    messages recorded as skipped lately, for the weekly overview; `publicaties`: (orgaan, line)
    of Woo publications overdue or due this week, for the weekly overview; `gemaakt`: keys of
    weekly overviews already made (not composed again: the costly part of a Monday's passes);
    `archief`: (orgaan, line) of meetings of the last quarter not yet exported for the e-Depot;
    `volledig`: weekly overviews list meetings with nothing on them too; `termijnen`: the P&C
    cycle's dated duties this year, for the weekly overview."""
    nu = nu.astimezone(UTC)
    opstellers(definities, _auteurs(vergaderingen))  # every new author in one walk
    result: list[Herinnering] = []
    for m in vergaderingen:
        orgaan = definities.organen.get(m.orgaan)
        if orgaan is None:
            continue
        punten = [p for p in m.punten if p.status in OP_VERGADERING]
        if not punten:  # no proposal on it: no mail (an empty meeting is usually cancelled)
            continue
        open_ = [(soort, moment) for soort, moment, geldig_tot in momenten(orgaan, m)
                 if moment <= nu < _venster_einde(soort, moment, geldig_tot, inhaaltermijn)
                 # Sent already: from now on changes go out as an aanvulling.
                 and not (soort is Soort.AGENDA and m.agenda_verzonden is not None)]
        agenda_nu = any(soort is Soort.AGENDA for soort, _ in open_)
        for soort, moment in open_:
            if not _redundant(soort, moment, m, nu, agenda_nu):
                result.extend(_maak(definities, orgaan, m, soort, moment, punten))
    result.extend(weekoverzichten(definities, vergaderingen, nu, inhaaltermijn, mislukt,
                                   overgeslagen, publicaties, gemaakt, archief,
                                   volledig=volledig, termijnen=termijnen))
    unique = {h.sleutel: h for h in result}
    return sorted(unique.values(), key=lambda h: (h.moment, h.sleutel))


def gemist(definities: Definities, vergaderingen: Sequence[Bijeenkomst], vorige: datetime,
           nu: datetime, inhaaltermijn: timedelta) -> list[Herinnering]:
    """The reminders whose whole window fell between the pass at `vorige` and this one at `nu`:
    no pass could make them (the planner was down). They are recorded, not sent."""
    vorige, nu = vorige.astimezone(UTC), nu.astimezone(UTC)
    opstellers(definities, _auteurs(vergaderingen))  # every new author in one walk
    result: list[Herinnering] = []
    for m in vergaderingen:
        orgaan = definities.organen.get(m.orgaan)
        punten = [p for p in m.punten if p.status in OP_VERGADERING]
        if orgaan is None or not punten:
            continue
        for soort, moment, geldig_tot in momenten(orgaan, m):
            einde = _venster_einde(soort, moment, geldig_tot, inhaaltermijn)
            if vorige < moment and einde <= nu and moment < einde \
                    and not _redundant(soort, moment, m, nu, agenda_nu=True):
                result.extend(_maak(definities, orgaan, m, soort, moment, punten))
    unique = {h.sleutel: h for h in result}
    return sorted(unique.values(), key=lambda h: (h.moment, h.sleutel))


def _aan_opstellers(definities: Definities, orgaan: Orgaan, m: Bijeenkomst, soort: Soort,
                    moment: datetime, punten: list[Punt]) -> list[Herinnering]:
    if soort is Soort.AANLEVERING_VERSTREKEN:
        # Only proposals whose documents are known to be missing; unknown means no mail.
        punten = [p for p in punten if p.documenten is not None and not p.documenten]
    else:
        # Documents in and current: nothing to ask for (unknown, without a documents table:
        # asked as ever); referred back since they came in: a new version is asked for.
        punten = [p for p in punten if not p.documenten or p.nieuwe_versie]
    if not punten:
        return []
    boek = opstellers(definities, (p.opsteller for p in punten if p.opsteller_email is None))
    per_person: dict[str, tuple[Persoon, list[Punt]]] = {}
    doorsturen: list[Punt] = []
    for p in punten:
        auteur = _auteur(boek, p)
        if auteur is None:
            doorsturen.append(p)
        elif auteur.email != orgaan.secretaris.email:
            # (The secretary wrote it: no mail asking them to deliver to themselves; the
            # deadline is in their weekly overview and `besluitroute week`.)
            per_person.setdefault(auteur.email, (auteur, []))[1].append(p)
    result = [_opstellermail(orgaan, m, soort, moment, persoon, eigen, [],
                             f"{soort.value}:{_cycle(m)}:{email}")
              for email, (persoon, eigen) in sorted(per_person.items())]
    # An author without a known address: the secretary of this step's body is asked to pass it
    # on, once per proposal over its whole route (the key has no meeting: the outbox keeps one).
    result.extend(_opstellermail(orgaan, m, soort, moment, orgaan.secretaris, [], [p],
                                 f"{soort.value}:doorsturen:{p.kenmerk}") for p in doorsturen)
    return result


def _opstellermail(orgaan: Orgaan, m: Bijeenkomst, soort: Soort, moment: datetime,
                   persoon: Persoon, eigen: list[Punt], doorsturen: list[Punt],
                   sleutel: str) -> Herinnering:
    context = {
        "soort": soort.value,
        "ontvanger": persoon.naam,
        "vergadering": vergadering_context(orgaan, m),
        "voorstellen": [punt_context(p) for p in eigen],
        # Authors without a known address: the secretariat gets these to pass on.
        "door_te_sturen": [punt_context(p) for p in doorsturen],
        "kenmerken": [p.kenmerk for p in eigen + doorsturen],
    }
    return Herinnering(sleutel=sleutel, soort=soort, moment=moment, aan=persoon,
                       sjabloon=f"mail/{soort.value}", context=context,
                       vergadering=m.sleutel, begin=m.begin.astimezone(UTC))


def _auteur(boek: dict[str, Lid | Persoon | None], p: Punt) -> Persoon | None:
    """Where a nudge about `p` goes: the recorded address, else a known person of that name."""
    if p.opsteller_email is not None:
        return Persoon(p.opsteller, p.opsteller_email)
    gevonden = boek.get(_naam(p.opsteller))
    return Persoon(gevonden.naam, gevonden.email) if gevonden is not None else None


def _aan_leden(orgaan: Orgaan, m: Bijeenkomst, soort: Soort,
               moment: datetime) -> list[Herinnering]:
    # Planned items too: they are on the agenda onder voorbehoud of an earlier step's advice.
    geagendeerd = [p for p in m.punten if p.status in OP_VERGADERING]
    if not geagendeerd:
        return []
    context_base = {
        "soort": soort.value,
        "vergadering": vergadering_context(orgaan, m),
        "vaste_punten_voor": list(orgaan.vaste_punten_voor),
        "voorstellen": [punt_context(p) for p in geagendeerd],
        "vaste_punten_na": list(orgaan.vaste_punten_na),
        "kenmerken": [p.kenmerk for p in geagendeerd],
    }
    result = []
    seen: set[str] = set()
    for lid in orgaan.leden:
        if lid.email in seen:
            continue
        seen.add(lid.email)
        result.append(Herinnering(
            sleutel=f"{soort.value}:{_cycle(m)}:{lid.email}", soort=soort, moment=moment,
            aan=Persoon(lid.naam, lid.email), sjabloon=f"mail/{soort.value}",
            context={**context_base, "ontvanger": lid.naam},
            vergadering=m.sleutel, begin=m.begin.astimezone(UTC),
        ))
    return result
