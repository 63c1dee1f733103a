"""One `transitions` state machine per route: the legal moves of a voorstel, derived from the YAML.

A group step `g` (`tegelijk:` or `zienswijze:`) is one state of the machine, `g:verzonden`, while its
branches are open; `samenvoegen` joins it into `g:geadviseerd`. Where each branch stands (which
council answered, which adviser is on which meeting) is kept per branch in the database (table
`tak`, workflow.voorstellen.takken), not in the machine: transitions' parallel states would
multiply the states by every combination of ten or more councils' answers, make the machine per
route depend on the participants, and still need the database for the answers' texts, moments and
lateness. One state per step keeps `voorstel lijst` a plain column filter, as before.

States per step `s`: `s:geagendeerd`, `s:aangehouden`, `s:geadviseerd` (advice given, waiting
for the next step), `s:terugverwezen` (with the author for revision) and `s:heringediend` (revised,
waiting at the step it re-enters); plus `ingediend` and the final states `vastgesteld`,
`afgewezen` and `ingetrokken`. Triggers are `agenderen`, `herindienen`, `intrekken` and the
outcomes themselves (`positief`, `aanhouden`, `vastgesteld`, ...).

A proposal is never registered with the machine: transitions binds ~9 KB of convenience methods to
every model it is given. The machine fires events on a tiny slotted position object instead, so the
cost per act is one trigger (~10 µs) and nothing stays attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from workflow.basis.fouten import OngeldigeStap
from workflow.definities.model import (
    ADVIES_UITKOMSTEN,
    BESLUIT_UITKOMSTEN,
    Definities,
    Route,
    Stap,
    Stapsoort,
    Uitkomst,
)
from workflow.routes.toestanden import (
    AANGEHOUDEN,
    AFGEWEZEN,
    EINDTOESTANDEN,
    GEADVISEERD,
    GEAGENDEERD,
    HERINGEDIEND,
    INGEDIEND,
    INGETROKKEN,
    TERUGVERWEZEN,
    VASTGESTELD,
    VERZONDEN,
)


class MachineError(Exception):
    """A trigger that is not allowed in the current state."""


AGENDEREN = "agenderen"
HERINDIENEN = "herindienen"
INTREKKEN = "intrekken"
#: A group step's branches join (all answered, or the period ended).
SAMENVOEGEN = "samenvoegen"


def toestand(stap: Stap | str, fase: str) -> str:
    return f"{stap if isinstance(stap, str) else stap.id}:{fase}"


def split(state: str) -> tuple[str | None, str]:
    """`programmateam:geagendeerd` -> ('programmateam', 'geagendeerd'); `ingediend` -> (None, ...)."""
    stap, _, fase = state.rpartition(":")
    return (stap or None), fase


class _Positie:
    """The only model the machine ever sees: a state name, nothing else."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


@dataclass(frozen=True)
class Overgang:
    trigger: str
    bron: str
    doel: str


class RouteMachine:
    """The legal moves of every voorstel on one route."""

    def __init__(self, route: Route) -> None:
        from transitions import Machine

        self.route = route
        self.overgangen = _overgangen(route)
        states = _toestanden(self.overgangen)
        self.machine = Machine(
            model=None,
            states=states,
            transitions=[{"trigger": o.trigger, "source": o.bron, "dest": o.doel}
                         for o in self.overgangen],
            initial=INGEDIEND,
            auto_transitions=False,  # no to_<state>(): nothing may jump over a step
            send_event=False,
        )

    @cached_property
    def toestanden(self) -> list[str]:
        return sorted(self.machine.states)

    def toegestaan(self, state: str) -> list[str]:
        """Triggers allowed in `state`, in route order."""
        return [o.trigger for o in self.overgangen if o.bron == state]

    def vuur(self, state: str, trigger: str) -> str:
        """The state after `trigger` from `state`; MachineError if it is not allowed there."""
        if state not in self.machine.states:
            raise MachineError(f"unknown state {state!r}")
        event = self.machine.events.get(trigger)
        if event is None:
            raise MachineError(f"unknown trigger {trigger!r}")
        from transitions import MachineError as TransitionsError

        positie = _Positie(state)
        try:
            fired = event.trigger(positie)
        except TransitionsError as exc:
            raise MachineError(str(exc)) from None
        if not fired:  # a failed condition returns False instead of raising
            raise MachineError(f"{trigger!r} refused in {state!r}")
        return positie.state

    def huidige_stap(self, state: str) -> Stap | None:
        """The step whose meeting the voorstel is on or waiting for; None when it is finished."""
        return huidige_stap(self.route, state)

    def mermaid(self) -> str:
        """The machine as a Mermaid state diagram."""
        def node(state: str) -> str:
            return state.replace(":", "__").replace("-", "_")

        lines = ["stateDiagram-v2"]
        for state in self.toestanden:
            lines.append(f'    state "{self.label(state)}" as {node(state)}')
        lines.append(f"    [*] --> {node(INGEDIEND)}")
        for o in self.overgangen:
            lines.append(f"    {node(o.bron)} --> {node(o.doel)}: {o.trigger}")
        for final in sorted(EINDTOESTANDEN):
            lines.append(f"    {node(final)} --> [*]")
        for stap in self.route.stappen:  # the branches of a group step, beside its state
            if stap.is_groep:
                takken = ", ".join(t.naam or t.orgaan for t in stap.takken)
                lines.append(f"    note right of {node(toestand(stap, VERZONDEN))}: {takken}")
        return "\n".join(lines) + "\n"

    def label(self, state: str, definities: Definities | None = None) -> str:
        """A short Dutch description of a state, e.g. 'geagendeerd bij AOJ'."""
        return label(self.route, state, definities)


def label(route: Route, state: str, definities: Definities | None = None) -> str:
    """A short Dutch description of a state, from the route data alone (no machine is built)."""
    stap_id, fase = split(state)
    if stap_id is None:
        return {INGEDIEND: "ingediend", VASTGESTELD: "vastgesteld",
                AFGEWEZEN: "afgewezen", INGETROKKEN: "ingetrokken"}.get(fase, fase)
    try:
        stap = route.stap(stap_id)
    except StopIteration:  # a step that a later edit of the route removed
        return f"{fase} ({stap_id})"
    naam = _naam(stap, definities)
    if fase == VERZONDEN:
        if stap.soort is Stapsoort.ZIENSWIJZE:
            return f"ter zienswijze bij de raden van {len(stap.takken)} deelnemers"
        return f"tegelijk {stap.rol.label} bij {naam}"
    if stap.is_groep and fase in (GEADVISEERD, TERUGVERWEZEN):
        volgende = route.stappen[route.index(stap_id) + 1]
        if fase == TERUGVERWEZEN:
            return f"terugverwezen tijdens het advies van {naam}, in revisie"
        if stap.soort is Stapsoort.ZIENSWIJZE:
            return f"zienswijzen ontvangen, wacht op {_naam(volgende, definities)}"
    if fase == GEADVISEERD:
        index = route.index(stap_id)
        if index + 1 < len(route.stappen):
            return f"geadviseerd door {naam}, wacht op {_naam(route.stappen[index + 1], definities)}"
        return f"geadviseerd door {naam}"
    return {
        GEAGENDEERD: f"geagendeerd bij {naam}",
        AANGEHOUDEN: f"aangehouden door {naam}",
        TERUGVERWEZEN: f"terugverwezen door {naam}, in revisie",
        HERINGEDIEND: f"heringediend, wacht op {naam}",
    }.get(fase, f"{fase} ({naam})")


def huidige_stap(route: Route, state: str) -> Stap | None:
    """The step of `route` whose meeting a voorstel in `state` is on or waiting for."""
    if state == INGEDIEND:
        return route.stappen[0]
    stap_id, fase = split(state)
    if stap_id is None:
        return None
    index = route.index(stap_id)
    if fase == GEADVISEERD:
        return route.stappen[index + 1]
    return route.stappen[index]


def alle_toestanden(route: Route) -> list[str]:
    """Every state of `route`, sorted, from the route data alone (no machine is built)."""
    return _toestanden(_overgangen(route))


def _toestanden(overgangen: list[Overgang]) -> list[str]:
    return sorted({INGEDIEND, *EINDTOESTANDEN}
                  | {o.bron for o in overgangen} | {o.doel for o in overgangen})


def toestanden_bij_orgaan(route: Route, orgaan: str) -> list[str]:
    """The states of `route` in which a voorstel is on, or waiting for, a meeting of `orgaan`.

    Derived from the route data alone: listing per body builds no state machine.
    """
    overgangen = _overgangen(route)
    states = {INGEDIEND} | {o.bron for o in overgangen} | {o.doel for o in overgangen}
    # A group step is with each of its branches' bodies (an adviser, a council) at once.
    return sorted(s for s in states - EINDTOESTANDEN
                  if (stap := huidige_stap(route, s)) is not None
                  and (stap.orgaan == orgaan or any(t.orgaan == orgaan for t in stap.takken)))


def kort(stap: Stap, definities: Definities) -> str:
    """A step by its body's abbreviation, a group by its branches': "Stuurgroep en AOJ"."""
    return _naam(stap, definities)


def orgaan_van(stap: Stap, definities: Definities) -> str:
    """Who a step goes to, for a route's table: a body's name, or a group's branches."""
    if stap.soort is Stapsoort.ZIENSWIJZE:
        return f"zienswijze: de raden van {len(stap.takken)} deelnemers " \
               f"({(stap.termijn_dagen or 0) // 7} weken)"
    if stap.soort is Stapsoort.TEGELIJK:
        return f"tegelijk: {_naam(stap, definities)}"
    orgaan = definities.organen.get(stap.orgaan)
    return orgaan.naam if orgaan is not None else stap.orgaan


def _naam(stap: Stap, definities: Definities | None) -> str:
    if stap.soort is Stapsoort.ZIENSWIJZE:
        return "de raden"
    if stap.soort is Stapsoort.TEGELIJK:
        namen = [_naam(stap.takstap(t.id), definities) for t in stap.takken]
        return " en ".join([", ".join(namen[:-1]), namen[-1]])
    if definities is not None and stap.orgaan in definities.organen:
        return definities.organen[stap.orgaan].afkorting
    return stap.orgaan


def _genoemd(stap: Stap, definities: Definities | None) -> str:
    """The step's body by its abbreviation, with its article: "het AB", "de Stuurgroep"."""
    if stap.is_groep:
        return _naam(stap, definities) if stap.soort is Stapsoort.ZIENSWIJZE \
            else f"de organen {_naam(stap, definities)}"
    if definities is not None and stap.orgaan in definities.organen:
        orgaan = definities.organen[stap.orgaan]
        return orgaan.genoemd(orgaan.afkorting)
    return f"de {stap.orgaan}"


def _overgangen(route: Route) -> list[Overgang]:
    result: list[Overgang] = []
    stappen = route.stappen
    for index, stap in enumerate(stappen):
        wachtend = [INGEDIEND] if index == 0 else [toestand(stappen[index - 1], GEADVISEERD)]
        if stap.is_groep:
            result += _groep_overgangen(stap, wachtend)
            continue
        wachtend += [toestand(stap, AANGEHOUDEN), toestand(stap, HERINGEDIEND)]
        geagendeerd = toestand(stap, GEAGENDEERD)
        result += [Overgang(AGENDEREN, bron, geagendeerd) for bron in wachtend]
        for uitkomst in stap.uitkomsten:
            if uitkomst is Uitkomst.AANHOUDEN:
                doel = toestand(stap, AANGEHOUDEN)
            elif uitkomst is Uitkomst.TERUGVERWIJZEN:
                doel = toestand(stap, TERUGVERWEZEN)
            elif uitkomst in (Uitkomst.VASTGESTELD, Uitkomst.GEWIJZIGD_VASTGESTELD):
                doel = VASTGESTELD
            elif uitkomst is Uitkomst.AFGEWEZEN:
                doel = AFGEWEZEN
            else:
                doel = toestand(stap, GEADVISEERD)
            result.append(Overgang(uitkomst.value, geagendeerd, doel))
        if Uitkomst.TERUGVERWIJZEN in stap.uitkomsten:
            result.append(Overgang(HERINDIENEN, toestand(stap, TERUGVERWEZEN),
                                   toestand(stap.terugverwijzen_naar, HERINGEDIEND)))
    sources = sorted({o.bron for o in result} | {o.doel for o in result} - EINDTOESTANDEN)
    result += [Overgang(INTREKKEN, bron, INGETROKKEN) for bron in sources]
    return result


def _groep_overgangen(stap: Stap, wachtend: list[str]) -> list[Overgang]:
    """Dispatch (`agenderen`) opens the branches, `samenvoegen` joins them; a `tegelijk` branch
    may refer the whole proposal back (`terugverwijzen`)."""
    verzonden = toestand(stap, VERZONDEN)
    result = [Overgang(AGENDEREN, bron, verzonden)
              for bron in [*wachtend, toestand(stap, HERINGEDIEND)]]
    result.append(Overgang(SAMENVOEGEN, verzonden, toestand(stap, GEADVISEERD)))
    if any(Uitkomst.TERUGVERWIJZEN in t.uitkomsten for t in stap.takken):
        result.append(Overgang(Uitkomst.TERUGVERWIJZEN.value, verzonden,
                               toestand(stap, TERUGVERWEZEN)))
        result.append(Overgang(HERINDIENEN, toestand(stap, TERUGVERWEZEN),
                               toestand(stap.terugverwijzen_naar, HERINGEDIEND)))
    return result


class Routes:
    """All route machines, built once at start-up from the definitions."""

    def __init__(self, definities: Definities) -> None:
        self.definities = definities
        self._machines: dict[str, RouteMachine] = {}

    def machine(self, route_naam: str) -> RouteMachine:
        machine = self._machines.get(route_naam)
        if machine is None:
            machine = RouteMachine(self.definities.route(route_naam))
            self._machines[route_naam] = machine
        return machine


# ---------------------------------------------------------------------------------------------
# Dutch explanations of a refused step.

_COMMANDO = {
    AGENDEREN: "agenderen",
    HERINDIENEN: "herindienen",
    INTREKKEN: "intrekken",
    Uitkomst.AANHOUDEN.value: "aanhouden",
    Uitkomst.TERUGVERWIJZEN.value: "terugverwijzen",
}


def commando(trigger: str) -> str:
    """The CLI verb a trigger belongs to: 'positief' -> 'advies --uitkomst positief'."""
    if trigger in _COMMANDO:
        return _COMMANDO[trigger]
    if trigger in {u.value for u in BESLUIT_UITKOMSTEN}:
        return f"besluit --uitkomst {trigger}"
    return f"advies --uitkomst {trigger}"


def weiger(kenmerk: str, machine: RouteMachine, state: str, trigger: str,
           definities: Definities) -> OngeldigeStap:
    """The Dutch refusal of `trigger` in `state`, naming where the voorstel is and what may be done."""
    route = machine.route
    waar = machine.label(state, definities)
    stap = machine.huidige_stap(state)
    if state in EINDTOESTANDEN:
        return OngeldigeStap(f"voorstel {kenmerk} is {waar}; er kan niets meer mee gebeuren")
    besluit = route.besluitstap
    besluit_uitkomsten = {u.value for u in BESLUIT_UITKOMSTEN}
    if trigger in besluit_uitkomsten and stap is not None and stap.id != besluit.id:
        vorige = route.stappen[route.index(besluit.id) - 1]
        # Where it really stands: "staat bij" only for the body whose meeting it is on.
        bij = f"staat bij {_genoemd(stap, definities)}" if split(state)[1] == GEAGENDEERD \
            else f"is {waar}" + (" en nog nergens geagendeerd" if state == INGEDIEND else "")
        return OngeldigeStap(
            f"voorstel {kenmerk} {bij}; een besluit van {_genoemd(besluit, definities)} "
            f"kan pas na het advies van {_genoemd(vorige, definities)}"
        )
    if (trigger in {u.value for u in ADVIES_UITKOMSTEN} | {Uitkomst.KENNISGENOMEN.value}
            and stap is not None and stap.id == besluit.id and split(state)[1] == GEAGENDEERD):
        return OngeldigeStap(
            f"voorstel {kenmerk} ligt ter besluitvorming bij {_genoemd(besluit, definities)}; "
            f"leg een besluit vast (vastgesteld, gewijzigd-vastgesteld of afgewezen)"
        )
    if stap is not None and split(state)[1] == GEAGENDEERD and trigger in {
            u.value for u in Uitkomst} and trigger not in stap.uitkomsten:
        toegestane = ", ".join(u.value for u in stap.uitkomsten)
        return OngeldigeStap(
            f"uitkomst '{trigger}' is niet toegestaan bij {_genoemd(stap, definities)} "
            f"in route {route.naam} (wel: {toegestane})"
        )
    mogelijk = sorted({commando(t).split(" ")[0] for t in machine.toegestaan(state)},
                      key=lambda c: list(_VOLGORDE).index(c) if c in _VOLGORDE else 99)
    return OngeldigeStap(
        f"voorstel {kenmerk} is {waar}; '{commando(trigger)}' kan nu niet "
        f"(nu mogelijk: {', '.join(mogelijk) or 'niets'})"
    )


_VOLGORDE = ("agenderen", "advies", "besluit", "aanhouden", "terugverwijzen", "herindienen",
             "intrekken")
