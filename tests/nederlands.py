"""The check that a `fout:` line is Dutch all the way (issue 28): no word from a list of English
words that libraries put in their messages. What a message quotes ('...'), option names and
paths are the user's own text and are left out of the check."""

from __future__ import annotations

import re

#: Words of the libraries' messages (Python, Jinja, SQLite, libpq, smtplib, TOML, dateutil,
#: click) that are not also Dutch words.
ENGELS = frozenset([
    "error", "invalid", "unsafe", "undefined", "expected", "exists", "refused", "unable", "does",
    "not", "too", "such", "timed", "unexpectedly", "closed", "continuation", "value", "line",
    "column", "support", "supported", "access", "attribute", "object", "failed", "missing",
    "cannot", "could", "denied", "permission", "directory", "file", "disk", "connection", "the",
    "got", "must", "should", "has", "which", "while", "found", "allowed", "unknown", "input",
    "output", "string", "integer", "number", "empty", "name", "usage", "try", "no", "yes", "with",
    "from", "into", "only", "than", "isoformat", "unexpected", "end", "statement", "block",
    "template", "given", "takes", "required",
])

_GECITEERD = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def engelse_woorden(regel: str) -> list[str]:
    """The English words in a line, outside quotes, option names and paths."""
    tekst = _GECITEERD.sub(" ", regel)
    tokens = [t for t in tekst.split() if "/" not in t and "\\" not in t
              and not t.startswith("-")]
    woorden = re.findall(r"[A-Za-z]+", " ".join(tokens))
    return [w for w in woorden if w.lower() in ENGELS]


def controleer_nederlands(regel: str) -> None:
    gevonden = engelse_woorden(regel)
    assert not gevonden, f"Engels in een foutregel ({', '.join(gevonden)}): {regel}"
