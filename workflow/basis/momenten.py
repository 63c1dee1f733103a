"""Moments as a person types them on the command line: one language for every option that takes
one (`--nu`, `--op`, `--naar`, `--van`, `--tot`, `--vanaf`, `--besluit-op`), in Dutch time."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from workflow.basis.fouten import GebruikersFout

#: Options that take a moment. Each accepts the same forms (see `parse_moment`), also as the two
#: words people type: `--naar 2027-02-24 14:00`.
MOMENTOPTIES = frozenset({"--nu", "--op", "--naar", "--van", "--tot", "--vanaf", "--besluit-op"})
_DATUM = re.compile(r"\d{4}-\d{2}-\d{2}")
_KLOKTIJD = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?")
#: The forms, as every message and help text names them.
MOMENTVORMEN = "JJJJ-MM-DD, JJJJ-MM-DD UU:MM of JJJJ-MM-DDTUU:MM"


def voeg_tijd_samen(args: list[str]) -> list[str]:
    """`--op 2027-02-24 14:00` as one value, `2027-02-24 14:00`: a moment option followed by a
    date and a time of day takes both words. Anything else passes unchanged."""
    result: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        result.append(arg)
        index += 1
        if arg == "--":
            result.extend(args[index:])
            break
        naam, is_, waarde = arg.partition("=")
        if naam not in MOMENTOPTIES:
            continue
        if not is_:
            if index + 1 < len(args) and _DATUM.fullmatch(args[index]) \
                    and _KLOKTIJD.fullmatch(args[index + 1]):
                result.append(f"{args[index]} {args[index + 1]}")
                index += 2
        elif _DATUM.fullmatch(waarde) and index < len(args) and _KLOKTIJD.fullmatch(args[index]):
            result[-1] = f"{arg} {args[index]}"
            index += 1
    return result


def alleen_datum(value: str) -> bool:
    """True when `value` names a day, not a moment ('2027-02-24')."""
    return _DATUM.fullmatch(value.strip()) is not None


def parse_moment(value: str, optie: str | None = None) -> datetime:
    """A moment in Dutch time: '2027-02-24' (the start of that day), '2027-02-24 14:00' or
    '2027-02-24T14:00' (seconds and a single-digit hour allowed); an explicit offset is kept."""
    from workflow.basis.clock import TZ
    from workflow.basis.tekst import citeer

    text = value.strip()
    datum_deel, _, tijd_deel = text.replace("T", " ", 1).partition(" ")
    tijd_deel = tijd_deel.strip()
    klok = _KLOKTIJD.match(tijd_deel)
    if klok is not None and len(klok.group(1)) == 1:  # 9:00 -> 09:00
        tijd_deel = "0" + tijd_deel
    waar = f"{optie}: " if optie else ""
    try:
        if not _DATUM.fullmatch(datum_deel):
            raise ValueError(text)
        moment = datetime.fromisoformat(f"{datum_deel}T{tijd_deel}" if tijd_deel else datum_deel)
    except ValueError:
        raise GebruikersFout(
            f"{waar}ongeldig tijdstip {citeer(value)} (verwacht {MOMENTVORMEN})") from None
    if not tijd_deel:
        moment = datetime.combine(moment.date(), time(0))
    controleer_datum(moment.date(), value)
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def controleer_datum(dag: date, value: str) -> date:
    """Refuse a date outside DATUM_MIN..DATUM_MAX: deadlines computed from it must not overflow."""
    from workflow.basis.grenzen import DATUM_MAX, DATUM_MIN
    from workflow.basis.tekst import citeer

    if not DATUM_MIN <= dag <= DATUM_MAX:
        raise GebruikersFout(f"tijdstip {citeer(value)} valt buiten {DATUM_MIN.isoformat()} .. "
                             f"{DATUM_MAX.isoformat()}")
    return dag
