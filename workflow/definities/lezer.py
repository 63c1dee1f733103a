"""The reader core: a _Lezer walks one definitions file and collects errors instead of stopping.

Field parsers turn one YAML value into a typed value or raise _Ongeldig; the _Lezer turns that into
a Dutch message with `bestand:regel`. The underscored names are internal to workflow.definities:
orgaanlezer and routelezer use them, nothing outside this package does.
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
from workflow.definities import yamlbron

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
    from workflow.basis.adressen import OngeldigAdres, normaliseer

    try:
        return normaliseer(_text(value))
    except OngeldigAdres as exc:
        raise _Ongeldig(str(exc)) from None


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
    except (ValueError, TypeError, OverflowError, IndexError) as exc:
        # IndexError: dateutil's "cannot fit 'int' into an index-sized integer" (BYDAY=-9999...)
        raise _Ongeldig(f"ongeldige herhaalregel '{_kort(text)}': {_rrule_reden(exc)}") \
            from None
    from dateutil.rrule import DAILY

    # Meetings recur yearly, monthly, weekly or daily; an hourly rule expands to thousands.
    if getattr(rule, "_freq", DAILY) > DAILY:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': FREQ moet YEARLY, MONTHLY, WEEKLY of "
                        f"DAILY zijn")
    # dateutil accepts any rank in BYDAY (-99999TH, 60TH) and fails only while expanding it
    # (IndexError): within a month a weekday occurs at most 5 times, in a year 53.
    from dateutil.rrule import MONTHLY

    grens = 5 if getattr(rule, "_freq", None) == MONTHLY or getattr(rule, "_bymonth", None) \
        else 53
    for _dag, rang in getattr(rule, "_bynweekday", None) or ():
        if not 1 <= abs(rang) <= grens:
            raise _Ongeldig(f"herhaalregel '{_kort(text)}': het rangnummer in BYDAY moet "
                            f"tussen -{grens} en {grens} liggen (niet 0)")
    # dateutil accepts a negative INTERVAL and fails only while expanding it.
    if getattr(rule, "_interval", 1) < 1:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': INTERVAL moet 1 of meer zijn")
    until = getattr(rule, "_until", None)
    if until is not None and until.date() > grenzen.DATUM_MAX:
        raise _Ongeldig(f"herhaalregel '{_kort(text)}': UNTIL ligt na "
                        f"{grenzen.DATUM_MAX.isoformat()}")
    return text


def _rrule_reden(exc: Exception) -> str:
    """dateutil's complaint about a rule, in Dutch ('invalid 'FREQ': WHAT' -> 'FREQ=WHAT is geen
    geldige herhaling'); its own text goes to the log."""
    import re

    from workflow.basis.oorzaken import log

    log.debug("%s: %s", type(exc).__name__, exc)
    text = str(exc)
    m = re.match(r"^invalid '?(\w+)'?: (.*)$", text)
    if m:
        return f"{m.group(1)}={_kort(m.group(2))} is geen geldige herhaling"
    m = re.match(r"^unknown parameter (?:name )?'?([^']*)'?$", text)
    if m and m.group(1):
        return f"onbekend onderdeel {_kort(m.group(1))}"
    if isinstance(exc, (OverflowError, IndexError)):
        return "een getal is te groot"
    return "geen geldige herhaalregel (RFC 5545, bijvoorbeeld FREQ=WEEKLY;BYDAY=MO)"


def _safe(lezer: _Lezer, line: int, parse: Callable[[Any], T], value: Any) -> T | None:
    try:
        return parse(value)
    except _Ongeldig as exc:
        lezer.error(line, str(exc))
        return None
