"""Dutch formatting of dates and times for screens, templates and mail (Europe/Amsterdam). The
month and day names are Babel's (CLDR nl), pinned by a test; Babel itself is a test dependency."""

from __future__ import annotations

import re
from datetime import date, datetime

from workflow.basis.clock import TZ

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
            "september", "oktober", "november", "december")
_DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one")
        return value.astimezone(TZ).date()
    return value


def datum(value: date | datetime) -> str:
    """'2 juli 2021'. Aware datetimes are shown in Europe/Amsterdam."""
    # Babel's format_date(d, "d MMMM y", locale="nl_NL"), without importing Babel (~38 ms) on
    # every command's path; tests/test_agenda.py pins the two to each other.
    d = _as_local_date(value)
    return f"{d.day} {_MAANDEN[d.month - 1]} {d.year}"


def datum_kort(value: date | datetime) -> str:
    """'2 juli', as in the seed's "Te bespreken in" table."""
    d = _as_local_date(value)
    return f"{d.day} {_MAANDEN[d.month - 1]}"


def dag_datum(value: date | datetime) -> str:
    """'vrijdag 2 juli 2021'."""
    d = _as_local_date(value)
    return f"{_DAGEN[d.weekday()]} {datum(d)}"


def tijd(value: datetime) -> str:
    return value.astimezone(TZ).strftime("%H:%M")


def datum_tijd(value: datetime) -> str:
    """'23 juni 2021 14:00'."""
    return f"{datum(value)} {tijd(value)}"


def iso(value: datetime) -> str:
    """ISO 8601 with the Amsterdam offset, as the JSON output gives moments."""
    return value.astimezone(TZ).isoformat(timespec="seconds")


#: An ISO 8601 moment with an offset, as stored reasons (`laatste_fout`) may hold one.
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)")


def leesbaar(text: str) -> str:
    """Text for a person: every ISO moment in it shown as '15 januari 2027 09:00' (Amsterdam)."""

    def dutch(match: re.Match[str]) -> str:
        try:
            return datum_tijd(datetime.fromisoformat(match.group(0).replace("Z", "+00:00")))
        except ValueError:
            return match.group(0)

    return _ISO_MOMENT.sub(dutch, text)


def omvang(grootte: int) -> str:
    """A file size for people: '812 bytes', '12 kB', '3,4 MB'."""
    if grootte < 1000:
        return f"{grootte} bytes"
    if grootte < 1_000_000:
        return f"{round(grootte / 1000)} kB"
    return f"{grootte / 1_000_000:.1f} MB".replace(".", ",")


# C0 and C1 control characters (ESC among them): hostile text must not drive a terminal, cut a
# header or end a CSS string.
_STUURTEKENS = dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)], " ")


def een_regel(text: str) -> str:
    """Any text as one safe line: control characters and runs of white space become one space."""
    return " ".join(text.translate(_STUURTEKENS).split())


def zoekvorm(text: str) -> str:
    """Text as search compares it: case and accents folded ('Jeugdhúlp' -> 'jeugdhulp', 'reünie'
    -> 'reunie', 'Straße' -> 'strasse'), white space one space. The same on both databases: the
    folding happens here, not in SQL."""
    import unicodedata

    zonder = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                     if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", zonder).split())


def zoektekst(kenmerk: str, titel: str) -> str:
    """A proposal's stored search text: kenmerk and title folded, on two lines (a query is one
    line, so it never matches across the two)."""
    return f"{zoekvorm(kenmerk)}\n{zoekvorm(titel)}"


#: How much of an echoed value a message repeats: enough to recognise it, never a page.
MAX_GECITEERD = 120

_ONTSNAPPINGEN = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def _ontsnap_teken(c: str) -> str:
    if c in _ONTSNAPPINGEN:
        return _ONTSNAPPINGEN[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def ontsnap(text: str) -> str:
    """`text` on one line: CR, LF, tabs and every other unprintable or line-breaking character
    written as an escape (`\\r`, `\\n`, `\\x1b`, `\\u2028`), as Python's repr does. The last
    defence of every `fout:` line: whatever a message repeats, it stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ontsnap_teken(c) for c in text)


def citeer(value: object, maximum: int = MAX_GECITEERD) -> str:
    """A value a message repeats, quoted and escaped on one line: `'a\\r\\nBcc: x'`.

    The one helper every message that echoes user input uses: quotes and backslashes inside are
    escaped too, so the quoted value cannot seem to end early; a long value is cut (`...`)."""
    text = str(value)
    ingekort = len(text) > maximum
    if ingekort:
        text = text[:maximum]
    escaped = "".join(c if c.isprintable() and c not in "'\\" else
                      "\\" + c if c in "'\\" else _ontsnap_teken(c) for c in text)
    return f"'{escaped}...'" if ingekort else f"'{escaped}'"
