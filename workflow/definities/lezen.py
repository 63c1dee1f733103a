"""definities/ (YAML, Dutch keys) -> frozen dataclasses, in one validation pass that collects every error.

Layout of a definitions folder:
    organen/<sleutel>.yaml   one body: members, meetings, rhythms, lead times, reminders, duties
    routes/<naam>.yaml       one route: the ordered steps with their role and allowed outcomes
A new route or body is a new file, never new code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import date, time
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from workflow.basis import grenzen
from workflow.basis.fouten import DefinitieFout
from workflow.definities import cache as pickles
from workflow.definities import publicatie, yamlbron
from workflow.definities.model import (
    ADVIES_UITKOMSTEN,
    BESLUIT_UITKOMSTEN,
    PROCES_UITKOMSTEN,
    STANDAARD_UITKOMSTEN,
    STANDAARD_VASTE_PUNTEN_NA,
    STANDAARD_VASTE_PUNTEN_VOOR,
    Definities,
    Feestdagregel,
    Herinneringsregels,
    Lid,
    LidRol,
    Orgaan,
    Persoon,
    Ritme,
    Route,
    Stap,
    StapRol,
    Uitkomst,
    VergaderingRegel,
    Verplaatsing,
    Verplichting,
)

# ---------------------------------------------------------------------------------------------
# Validation. A _Lezer walks one file and collects errors instead of stopping at the first.

T = TypeVar("T")
_SLEUTEL = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TIJD = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# C0 and C1 control characters; newline and tab are judged per field.
_STUURTEKEN = re.compile("[\x00-\x1f\x7f-\x9f]")


class _Ongeldig(Exception):
    """Raised inside a field parser; the reader turns it into a message with file and line."""


def _relative(path: Path) -> str:
    """The path as the user typed it from here: relative inside the working directory."""
    # The folder resolved, not the file: a file that is a broken link is named as it is.
    absolute = path.parent.resolve() / path.name
    cwd = Path.cwd().resolve()
    return os.path.relpath(absolute, cwd) if absolute.is_relative_to(cwd) else str(absolute)


class _Lezer:
    def __init__(self, path: Path, errors: list[str], binnen: Path | None = None) -> None:
        self.path = path
        self.errors = errors
        self.binnen = binnen  #: a file (or what a link points to) must lie inside this folder

    def error(self, line: int, message: str) -> None:
        # One line per error, whatever the file contained: a quoted value's control characters
        # are shown escaped (\r, \n, \x1b), never sent to the terminal.
        message = _STUURTEKEN.sub(lambda m: repr(m.group())[1:-1], message)
        self.errors.append(f"{_relative(self.path)}:{line}: {message}")

    def mapping(self, value: Any, line: int, what: str) -> yamlbron.Mapping_ | None:
        if isinstance(value, yamlbron.Mapping_):
            return value
        self.error(line, f"{what} moet een mapping (sleutel: waarde) zijn")
        return None

    def field(
        self,
        node: yamlbron.Mapping_,
        key: str,
        parse: Callable[[Any], T],
        default: T | None = None,
        *,
        required: bool = False,
    ) -> T | None:
        if key not in node:
            if required:
                self.error(node.regel, f"verplichte sleutel '{key}' ontbreekt")
            return default
        try:
            return parse(node[key])
        except _Ongeldig as exc:
            self.error(node.sleutelregels[key], f"'{key}': {exc}")
            return default

    def unknown_keys(self, node: yamlbron.Mapping_, allowed: set[str]) -> None:
        for key in node:
            if key not in allowed:
                self.error(node.sleutelregels[key],
                           f"onbekende sleutel '{key}' (toegestaan: {', '.join(sorted(allowed))})")

    def items(self, node: yamlbron.Mapping_, key: str) -> Iterator[tuple[Any, int]]:
        value = node.get(key)
        if value is None:
            return
        if not isinstance(value, yamlbron.Lijst):
            self.error(node.sleutelregels[key], f"'{key}' moet een lijst zijn")
            return
        yield from zip(value, value.itemregels, strict=True)


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        raise _Ongeldig("tekst verwacht")
    text = str(value).strip()
    if not text:
        raise _Ongeldig("mag niet leeg zijn")
    if _STUURTEKEN.search(text.replace("\n", "").replace("\t", "")):
        raise _Ongeldig("bevat een stuurteken")
    return text


def _naam(value: Any) -> str:
    """A name, place or title: one line (a CR/LF in a body's name would cut a mail subject)."""
    text = _text(value)
    if "\n" in text or "\t" in text:
        raise _Ongeldig("moet op één regel staan (geen regeleinde of tab)")
    if len(text) > 200:
        raise _Ongeldig(f"te lang ({len(text)} tekens; hoogstens 200)")
    return text


def _kort(value: Any) -> str:
    """A value for a message: at most 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _key(value: Any) -> str:
    text = _text(value)
    if not _SLEUTEL.match(text):
        raise _Ongeldig(f"'{text}' is geen geldige sleutel (kleine letters, cijfers en '-')")
    return text


def _int(minimum: int = 0, maximum: int = 1000) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Ongeldig(f"geheel getal verwacht, niet '{_kort(value)}'")
        if value < minimum:
            raise _Ongeldig(f"moet minstens {minimum} zijn")
        if value > maximum:
            raise _Ongeldig(f"mag hoogstens {maximum} zijn, niet {_kort(value)}")
        return value

    return parse


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Ongeldig(f"ja of nee (true/false) verwacht, niet '{value}'")
    return value


def _date(value: Any) -> date:
    text = str(value).strip()
    try:
        dag = date.fromisoformat(text)
    except ValueError:
        raise _Ongeldig(f"ongeldige datum '{_kort(text)}' (verwacht JJJJ-MM-DD)") from None
    if not grenzen.DATUM_MIN <= dag <= grenzen.DATUM_MAX:
        raise _Ongeldig(f"datum {text} valt buiten {grenzen.DATUM_MIN.isoformat()} .. "
                        f"{grenzen.DATUM_MAX.isoformat()}")
    return dag


def _time(value: Any) -> time:
    text = str(value).strip()
    match = _TIJD.match(text)
    if not match:
        raise _Ongeldig(f"ongeldige tijd '{text}' (verwacht UU:MM)")
    return time(int(match.group(1)), int(match.group(2)))


def _email(value: Any) -> str:
    from email_validator import EmailNotValidError, validate_email

    text = _text(value)
    try:
        # No DNS: definitions are checked offline; `.example` and `.test` are fine for placeholders.
        result = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise _Ongeldig(f"ongeldig e-mailadres '{text}' ({_email_reason_nl(str(exc))})") from None
    return result.normalized.lower()


def _email_reason_nl(reason: str) -> str:
    if "@-sign" in reason:
        return "er ontbreekt een @" if "must have an @" in reason else "fout rond de @"
    if "domain" in reason.lower():
        return "ongeldig domein"
    return "ongeldige vorm"


def _enum(kind: type[StrEnum], what: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        text = str(value).strip()
        try:
            return kind(text)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise _Ongeldig(f"onbekende {what} '{text}' (toegestaan: {allowed})") from None

    return parse


def _rrule(value: Any) -> str:
    from dateutil.rrule import rrulestr

    text = _text(value).removeprefix("RRULE:")
    try:
        rule = rrulestr(text, dtstart=None)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _Ongeldig(f"ongeldige herhaalregel '{_kort(text)}' ({_kort(exc)})") from None
    from dateutil.rrule import DAILY

    # Meetings recur yearly, monthly, weekly or daily; an hourly rule expands to thousands.
    if getattr(rule, "_freq", DAILY) > DAILY:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': FREQ moet YEARLY, MONTHLY, WEEKLY of "
                        f"DAILY zijn")
    # dateutil accepts a negative INTERVAL and fails only while expanding it.
    if getattr(rule, "_interval", 1) < 1:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': INTERVAL moet 1 of meer zijn")
    until = getattr(rule, "_until", None)
    if until is not None and until.date() > grenzen.DATUM_MAX:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': UNTIL ligt na "
                        f"{grenzen.DATUM_MAX.isoformat()}")
    return text


# ---------------------------------------------------------------------------------------------

_ORGAAN_KEYS = {
    "sleutel", "naam", "afkorting", "secretaris", "leden", "aanleveren_werkdagen",
    "verzenden_dagen", "standaard_tijd", "standaard_plaats", "duur_minuten", "vergaderingen",
    "ritmes", "afgelast", "verplaatst", "feestdagen", "vaste_agendapunten", "verplichtingen",
    "herinneringen", "openbaar", "soort", "publicatie",
}


def _read_orgaan(lezer: _Lezer, root: Any) -> Orgaan | None:
    node = lezer.mapping(root, 1, "een orgaanbestand")
    if node is None:
        return None
    lezer.unknown_keys(node, _ORGAAN_KEYS)
    sleutel = lezer.field(node, "sleutel", _key, required=True)
    naam = lezer.field(node, "naam", _naam, required=True)
    afkorting = lezer.field(node, "afkorting", _naam, naam)
    secretaris = lezer.field(node, "secretaris", lambda v: _persoon(lezer, v, node), required=True)

    leden: list[Lid] = []
    for item, line in lezer.items(node, "leden"):
        lid = lezer.mapping(item, line, "een lid")
        if lid is None:
            continue
        lezer.unknown_keys(lid, {"naam", "email", "rol", "organisatie"})
        lid_naam = lezer.field(lid, "naam", _naam, required=True)
        email = lezer.field(lid, "email", _email, required=True)
        rol = lezer.field(lid, "rol", _enum(LidRol, "rol"), LidRol.LID)
        organisatie = lezer.field(lid, "organisatie", _naam, "")
        if lid_naam and email and rol:
            leden.append(Lid(lid_naam, email, rol, organisatie or ""))

    vergaderingen: list[VergaderingRegel] = []
    for item, line in lezer.items(node, "vergaderingen"):
        if not isinstance(item, dict):
            item_datum = _safe(lezer, line, _date, item)
            if item_datum:
                vergaderingen.append(VergaderingRegel(item_datum))
            continue
        v = lezer.mapping(item, line, "een vergadering")
        if v is None:
            continue
        lezer.unknown_keys(v, {"datum", "tijd", "plaats", "sleutel", "geannuleerd", "opmerking"})
        v_datum = lezer.field(v, "datum", _date, required=True)
        entry = VergaderingRegel(
            datum=v_datum or date.min,
            tijd=lezer.field(v, "tijd", _time),
            plaats=lezer.field(v, "plaats", _naam),
            sleutel=lezer.field(v, "sleutel", _key),
            geannuleerd=lezer.field(v, "geannuleerd", _bool, False) or False,
            opmerking=lezer.field(v, "opmerking", _text, "") or "",
        )
        if v_datum:
            vergaderingen.append(entry)
    seen: dict[tuple[date, str | None], int] = {}
    for entry in vergaderingen:
        ident = (entry.datum, entry.sleutel)
        if ident in seen:
            lezer.error(node.sleutelregels["vergaderingen"],
                        f"vergadering op {entry.datum.isoformat()} staat dubbel in de lijst")
        seen[ident] = 1

    ritmes: list[Ritme] = []
    for item, line in lezer.items(node, "ritmes"):
        r = lezer.mapping(item, line, "een ritme")
        if r is None:
            continue
        lezer.unknown_keys(r, {"regel", "vanaf", "tot", "tijd", "plaats"})
        regel = lezer.field(r, "regel", _rrule, required=True)
        vanaf = lezer.field(r, "vanaf", _date, required=True)
        tot = lezer.field(r, "tot", _date)
        if vanaf and tot and tot < vanaf:
            lezer.error(r.sleutelregels["tot"], "'tot' ligt voor 'vanaf'")
        if regel and vanaf:
            ritmes.append(Ritme(regel, vanaf, tot, lezer.field(r, "tijd", _time),
                                lezer.field(r, "plaats", _naam)))

    afgelast_regels: list[tuple[date, int]] = []
    for item, line in lezer.items(node, "afgelast"):
        afgelast_dag = _safe(lezer, line, _date, item)
        if afgelast_dag:
            afgelast_regels.append((afgelast_dag, line))
    afgelast = [dag for dag, _ in afgelast_regels]
    verplaats_regels: list[tuple[date, int]] = []
    verplaatst: list[Verplaatsing] = []
    for item, line in lezer.items(node, "verplaatst"):
        m = lezer.mapping(item, line, "een verplaatsing")
        if m is None:
            continue
        lezer.unknown_keys(m, {"van", "naar", "tijd", "plaats"})
        van = lezer.field(m, "van", _date, required=True)
        naar = lezer.field(m, "naar", _date, required=True)
        if van and naar:
            verplaatst.append(Verplaatsing(van, naar, lezer.field(m, "tijd", _time),
                                           lezer.field(m, "plaats", _naam)))
            verplaats_regels.append((van, m.sleutelregels["van"]))

    voor: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_VOOR
    na: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_NA
    if "vaste_agendapunten" in node:
        vast = lezer.mapping(node["vaste_agendapunten"], node.sleutelregels["vaste_agendapunten"],
                             "'vaste_agendapunten'")
        if vast is not None:
            lezer.unknown_keys(vast, {"voor", "na"})
            voor = tuple(_safe(lezer, line, _naam, item) or "" for item, line in
                         lezer.items(vast, "voor")) if "voor" in vast else voor
            na = tuple(_safe(lezer, line, _naam, item) or "" for item, line in
                       lezer.items(vast, "na")) if "na" in vast else na

    verplichtingen: list[Verplichting] = []
    for item, line in lezer.items(node, "verplichtingen"):
        m = lezer.mapping(item, line, "een verplichting")
        if m is None:
            continue
        lezer.unknown_keys(m, {"omschrijving", "minimaal_per_jaar", "onderwerp"})
        omschrijving = lezer.field(m, "omschrijving", _text, required=True)
        aantal = lezer.field(m, "minimaal_per_jaar", _int(1, grenzen.MAX_PER_JAAR), required=True)
        if omschrijving and aantal:
            verplichtingen.append(Verplichting(omschrijving, aantal,
                                               lezer.field(m, "onderwerp", _key)))

    herinneringen = Herinneringsregels()
    if "herinneringen" in node:
        h = lezer.mapping(node["herinneringen"], node.sleutelregels["herinneringen"],
                          "'herinneringen'")
        if h is not None:
            d = Herinneringsregels()
            lezer.unknown_keys(h, set(Herinneringsregels.__dataclass_fields__))
            herinneringen = Herinneringsregels(
                opsteller_werkdagen_voor_aanlevering=lezer.field(
                    h, "opsteller_werkdagen_voor_aanlevering",
                    _int(0, grenzen.MAX_AANLEVEREN_WERKDAGEN),
                    d.opsteller_werkdagen_voor_aanlevering) or 0,
                opsteller_bij_verstreken_aanlevering=bool(lezer.field(
                    h, "opsteller_bij_verstreken_aanlevering", _bool,
                    d.opsteller_bij_verstreken_aanlevering)),
                leden_bij_verzending=bool(lezer.field(h, "leden_bij_verzending", _bool,
                                                      d.leden_bij_verzending)),
                leden_dag_ervoor=bool(lezer.field(h, "leden_dag_ervoor", _bool,
                                                  d.leden_dag_ervoor)),
                secretariaat_na_vergadering=bool(lezer.field(
                    h, "secretariaat_na_vergadering", _bool, d.secretariaat_na_vergadering)),
                tijd=lezer.field(h, "tijd", _time, d.tijd) or d.tijd,
            )

    if not (sleutel and naam and secretaris):
        return None
    soort, publicatieregels = publicatie.lees(lezer, node)
    orgaan = Orgaan(
        sleutel=sleutel,
        naam=naam,
        afkorting=afkorting or naam,
        secretaris=secretaris,
        leden=tuple(leden),
        aanleveren_werkdagen=lezer.field(node, "aanleveren_werkdagen",
                                         _int(0, grenzen.MAX_AANLEVEREN_WERKDAGEN), 5) or 0,
        verzenden_dagen=lezer.field(node, "verzenden_dagen",
                                    _int(0, grenzen.MAX_VERZENDEN_DAGEN), 7) or 0,
        standaard_tijd=lezer.field(node, "standaard_tijd", _time, time(10, 0)) or time(10, 0),
        standaard_plaats=lezer.field(node, "standaard_plaats", _naam, "") or "",
        duur_minuten=lezer.field(node, "duur_minuten", _int(1, grenzen.MAX_DUUR_MINUTEN), 120)
        or 120,
        vergaderingen=tuple(sorted(vergaderingen, key=lambda v: v.datum)),
        ritmes=tuple(ritmes),
        afgelast=tuple(afgelast),
        verplaatst=tuple(verplaatst),
        feestdagen=lezer.field(node, "feestdagen", _enum(Feestdagregel, "feestdagregel"),
                               Feestdagregel.OVERSLAAN) or Feestdagregel.OVERSLAAN,
        vaste_punten_voor=voor,
        vaste_punten_na=na,
        verplichtingen=tuple(verplichtingen),
        herinneringen=herinneringen,
        openbaar=bool(lezer.field(node, "openbaar", _bool, False)),
        soort=soort, publicatie=publicatieregels,
    )
    _check_calendar(lezer, orgaan, afgelast_regels, verplaats_regels)
    return orgaan


def _check_calendar(lezer: _Lezer, orgaan: Orgaan, afgelast: list[tuple[date, int]],
                    verplaatst: list[tuple[date, int]]) -> None:
    """`afgelast` and `verplaatst.van` must name a meeting the calendar has (definities/ritme.py)."""
    from workflow.definities import ritme

    if not (afgelast or verplaatst):
        return
    try:
        onbekend_afgelast, onbekend_verplaatst = ritme.onbekende_data(orgaan)
    except (ValueError, TypeError):
        return  # a broken rhythm is reported on its own line already
    for wat, regels, onbekend in (("afgelast", afgelast, onbekend_afgelast),
                                  ("verplaatst", verplaatst, onbekend_verplaatst)):
        for dag, line in regels:
            if dag in onbekend:
                buren = ", ".join(d.isoformat() for d in ritme.dichtstbijzijnde(orgaan, dag))
                lezer.error(line, f"'{wat}': op {dag.isoformat()} heeft {orgaan.naam} geen "
                                  f"vergadering" + (f" (dichtstbij: {buren})" if buren else ""))


def _persoon(lezer: _Lezer, value: Any, parent: yamlbron.Mapping_) -> Persoon:
    if not isinstance(value, yamlbron.Mapping_):
        raise _Ongeldig("verwacht 'naam' en 'email'")
    lezer.unknown_keys(value, {"naam", "email"})
    naam = lezer.field(value, "naam", _naam, required=True)
    email = lezer.field(value, "email", _email, required=True)
    if not (naam and email):
        raise _Ongeldig("onvolledig")
    return Persoon(naam, email)


def _safe(lezer: _Lezer, line: int, parse: Callable[[Any], T], value: Any) -> T | None:
    try:
        return parse(value)
    except _Ongeldig as exc:
        lezer.error(line, str(exc))
        return None


_ROUTE_KEYS = {"naam", "titel", "omschrijving", "aan", "van", "stappen"}
_STAP_KEYS = {"id", "orgaan", "rol", "uitkomsten", "terugverwijzen_naar", "min_dagen_na_vorige"}


def _read_route(lezer: _Lezer, root: Any, organen: dict[str, Orgaan],
                kapot: frozenset[str] | set[str] = frozenset()) -> Route | None:
    node = lezer.mapping(root, 1, "een routebestand")
    if node is None:
        return None
    lezer.unknown_keys(node, _ROUTE_KEYS)
    naam = lezer.field(node, "naam", _key, required=True)
    titel = lezer.field(node, "titel", _naam, naam)
    if "stappen" not in node:
        lezer.error(node.regel, "verplichte sleutel 'stappen' ontbreekt")
        return None
    raw_steps = list(lezer.items(node, "stappen"))
    stappen_regel = node.sleutelregels["stappen"]
    if not raw_steps:
        lezer.error(stappen_regel, "de route heeft geen stappen")
        return None

    drafts: list[tuple[dict[str, Any], int, yamlbron.Mapping_]] = []
    for item, line in raw_steps:
        s = lezer.mapping(item, line, "een stap")
        if s is None:
            continue
        lezer.unknown_keys(s, _STAP_KEYS)
        orgaan = lezer.field(s, "orgaan", _key, required=True)
        if orgaan and orgaan not in organen and orgaan not in kapot:
            bekend = ", ".join(sorted(organen)) or "geen"
            lezer.error(s.sleutelregels["orgaan"], f"onbekend orgaan '{orgaan}' (bekend: {bekend})")
        rol = lezer.field(s, "rol", _enum(StapRol, "rol"), required=True)
        uitkomsten: tuple[Uitkomst, ...] | None = None
        if "uitkomsten" in s:
            parsed = [_safe(lezer, line, _enum(Uitkomst, "uitkomst"), u)
                      for u, line in lezer.items(s, "uitkomsten")]
            uitkomsten = tuple(u for u in parsed if u is not None)
            if rol is not None:
                _check_outcomes(lezer, s.sleutelregels["uitkomsten"], rol, uitkomsten)
        drafts.append(({
            "id": lezer.field(s, "id", _key, orgaan),
            "orgaan": orgaan,
            "rol": rol,
            "uitkomsten": uitkomsten,
            "terugverwijzen_naar": lezer.field(s, "terugverwijzen_naar", _key),
            "min_dagen_na_vorige": lezer.field(s, "min_dagen_na_vorige",
                                               _int(0, grenzen.MAX_DAGEN_NA_VORIGE), 0) or 0,
        }, line, s))

    ids = [d["id"] for d, _, _ in drafts]
    for (draft, line, _s), position in zip(drafts, range(len(drafts)), strict=True):
        if draft["id"] is not None and ids.index(draft["id"]) != position:
            lezer.error(line, f"stap '{draft['id']}' komt twee keer voor; geef de tweede een 'id'")
    besluit = [(d, line) for d, line, _ in drafts if d["rol"] is StapRol.BESLUIT]
    if not besluit and all(d["rol"] is not None for d, _, _ in drafts):
        lezer.error(stappen_regel, "de route heeft geen beslissende stap (rol: besluit)")
    elif len(besluit) > 1:
        lezer.error(besluit[1][1], "de route heeft meer dan één beslissende stap")
    elif besluit and drafts[-1][0]["rol"] is not StapRol.BESLUIT:
        lezer.error(besluit[0][1], "de beslissende stap moet de laatste stap van de route zijn")

    stappen: list[Stap] = []
    for draft, _line, s in drafts:
        terug = draft["terugverwijzen_naar"] or ids[0]
        if terug not in ids:
            lezer.error(s.sleutelregels.get("terugverwijzen_naar", s.regel),
                        f"'terugverwijzen_naar': onbekende stap '{terug}' "
                        f"(stappen: {', '.join(i for i in ids if i)})")
            continue
        if None in (draft["id"], draft["orgaan"], draft["rol"]):
            continue
        rol = draft["rol"]
        stappen.append(Stap(
            id=draft["id"], orgaan=draft["orgaan"], rol=rol,
            uitkomsten=draft["uitkomsten"] or STANDAARD_UITKOMSTEN[rol],
            terugverwijzen_naar=terug, min_dagen_na_vorige=draft["min_dagen_na_vorige"],
        ))
    if naam is None or len(stappen) != len(raw_steps):
        return None
    return Route(naam=naam, titel=titel or naam, stappen=tuple(stappen),
                 aan=lezer.field(node, "aan", _naam, "") or "",
                 van=lezer.field(node, "van", _naam, "") or "",
                 omschrijving=lezer.field(node, "omschrijving", _text, "") or "")


def _check_outcomes(lezer: _Lezer, line: int, rol: StapRol, uitkomsten: tuple[Uitkomst, ...]) -> None:
    for u in uitkomsten:
        if rol is StapRol.BESLUIT and u in ADVIES_UITKOMSTEN | {Uitkomst.KENNISGENOMEN}:
            lezer.error(line, f"uitkomst '{u}' past niet bij een beslissende stap")
        if rol is not StapRol.BESLUIT and u in BESLUIT_UITKOMSTEN:
            lezer.error(line, f"uitkomst '{u}' kan alleen bij een beslissende stap (rol: besluit)")
    if not uitkomsten:
        lezer.error(line, "de stap heeft geen uitkomsten")
    elif not set(uitkomsten) - PROCES_UITKOMSTEN:
        lezer.error(line, "de stap heeft geen uitkomst die verder leidt (advies of besluit)")


def load(folder: Path, *, cache: bool = True) -> Definities:
    """Read and validate a definitions folder; raise DefinitieFout listing every problem.

    A valid result is cached (pickled) under a key of every file's path, size and modification
    time, so a command on 400 bodies does not parse 400 YAML files each time. Errors are never
    cached: a broken folder is read, and reported, every time.
    """
    if not cache or not folder.is_dir():
        return _load(folder)
    files = sorted([*(folder / "organen").glob("*.y*ml"), *(folder / "routes").glob("*.y*ml")])
    try:
        path = pickles.pad("definities", str(folder.resolve()), [
            (str(f), s.st_size, s.st_mtime_ns) for f in files for s in [f.stat()]])
    except (OSError, RuntimeError):  # a dangling link or a loop: _load names it
        return _load(folder)
    if path is None:
        return _load(folder)
    cached = pickles.lees(path)
    if cached is not None:
        return cached
    result = _load(folder)
    pickles.schrijf(path, result)
    return result


def _load(folder: Path) -> Definities:
    errors: list[str] = []
    if not folder.is_dir():
        raise DefinitieFout([f"{_relative(folder)}: map met definities bestaat niet"])
    organen: dict[str, Orgaan] = {}
    orgaan_files: dict[str, Path] = {}
    # Bodies whose file is broken: a route naming them gets no second, derived error.
    kapot: set[str] = set()
    for path in sorted((folder / "organen").glob("*.y*ml")):
        lezer = _Lezer(path, errors, folder)
        before = len(errors)
        root = _parse(lezer)
        orgaan = _read_orgaan(lezer, root) if root is not None else None
        if len(errors) > before:
            kapot.add(path.stem)
            if isinstance(root, dict) and isinstance(root.get("sleutel"), str):
                kapot.add(root["sleutel"])
        if orgaan is None:
            continue
        if orgaan.sleutel in organen:
            line = root.sleutelregels.get("sleutel", 1) if isinstance(root, yamlbron.Mapping_) else 1
            lezer.error(line, f"dubbel orgaan '{orgaan.sleutel}' (ook in "
                              f"{_relative(orgaan_files[orgaan.sleutel])})")
            continue
        organen[orgaan.sleutel] = orgaan
        orgaan_files[orgaan.sleutel] = path
    routes: dict[str, Route] = {}
    route_files: dict[str, Path] = {}
    for path in sorted((folder / "routes").glob("*.y*ml")):
        lezer = _Lezer(path, errors, folder)
        root = _parse(lezer)
        if root is None:
            continue
        route = _read_route(lezer, root, organen, kapot)
        if route is None:
            continue
        if route.naam in routes:
            line = root.sleutelregels.get("naam", 1) if isinstance(root, yamlbron.Mapping_) else 1
            lezer.error(line, f"dubbele route '{route.naam}' (ook in "
                              f"{_relative(route_files[route.naam])})")
            continue
        routes[route.naam] = route
        route_files[route.naam] = path
    if not errors and not routes:
        errors.append(f"{_relative(folder)}: geen routes gevonden in {_relative(folder / 'routes')}")
    if errors:
        raise DefinitieFout(errors)
    return Definities(map=folder, organen=organen, routes=routes)


def _parse(lezer: _Lezer) -> Any:
    try:
        root = yamlbron.load(lezer.path, binnen=lezer.binnen)
    except yamlbron.YamlFout as exc:
        lezer.error(exc.regel, exc.melding)
        return None
    if root is None:
        lezer.error(1, "het bestand is leeg")
    return root

