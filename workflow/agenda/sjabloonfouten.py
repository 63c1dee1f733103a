"""A template's error as one Dutch line: Jinja's own messages (syntax, undefined names, sandbox
refusals) recognised by their form and class and given a Dutch cause; the English original goes
to the log (`besluitroute --debug`), never to the `fout:` line."""

from __future__ import annotations

from workflow.basis.tekst import citeer

__all__ = ["log_origineel", "omschrijving", "syntaxfout"]


def log_origineel(exc: BaseException) -> None:
    """The library's own text, for `--debug` and the log; the `fout:` line has the Dutch."""
    import logging

    logging.getLogger("besluitroute.sjablonen").debug("%s: %s", type(exc).__name__, exc)


_SYNTAX = [
    (r"unexpected end of template", "het sjabloon houdt onverwacht op (een blok is niet "
                                    "gesloten?)"),
    (r"unknown tag '([^']*)'", "onbekende opdracht {0}"),
    (r"expected token '([^']*)', got '([^']*)'", "verwacht {0}, maar vond {1}"),
    (r"expected an expression, got '([^']*)'", "verwacht een uitdrukking, maar vond {0}"),
    (r"unexpected '([^']*)'", "onverwacht: {0}"),
    (r"no filter named '([^']*)'", "onbekend filter {0}"),
    (r"no test named '([^']*)'", "onbekende test {0}"),
    (r"unexpected char '(.*)' at", "onverwacht teken {0}"),
]


#: How Jinja's lexer names its tokens ("got 'end of statement block'"), in Dutch.
_TOKENS = {
    "end of statement block": "het einde van de opdracht (%})",
    "begin of statement block": "het begin van een opdracht ({%)",
    "end of print statement": "het einde van de uitvoer (}})",
    "begin of print statement": "het begin van een uitvoer ({{)",
    "end of template": "het einde van het sjabloon",
    "end of comment": "het einde van het commentaar (#})",
    "begin of comment": "het begin van commentaar ({#)",
    "name": "een naam", "integer": "een geheel getal", "float": "een getal",
    "string": "een tekst", "operator": "een teken",
}


def _token(tekst: str) -> str:
    return _TOKENS.get(tekst, citeer(tekst))


def syntaxfout(bericht: str) -> str:
    import re

    for patroon, dutch in _SYNTAX:
        m = re.search(patroon, bericht, re.IGNORECASE)
        if m:
            return "syntaxfout: " + dutch.format(*(_token(g) for g in m.groups()))
    return "syntaxfout in de sjabloontaal"


def omschrijving(exc: Exception) -> str:
    """A Dutch cause for an error the render raised: by class, and for Jinja's own messages by
    their form. Never the library's English text (that goes to the log)."""
    import re

    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    text = str(exc)
    if isinstance(exc, UndefinedError):
        m = re.match(r"^'(.*)' is undefined$", text)
        if m:
            return f"onbekende naam {citeer(m.group(1))}"
        m = re.search(r"has no attribute '(.*)'$", text)
        if m:
            return f"onbekend attribuut {citeer(m.group(1))}"
        return "onbekende naam of waarde"
    if isinstance(exc, SecurityError):
        m = re.match(r"^access to attribute '(.*)' of '(.*)' object is unsafe", text)
        if m:
            return (f"attribuut {citeer(m.group(1))} van een {m.group(2)}-waarde is in een "
                    f"sjabloon niet toegestaan")
        if "not safely callable" in text:
            return "deze functie mag een sjabloon niet aanroepen"
        return "niet toegestaan in een sjabloon"
    if isinstance(exc, OverflowError):
        return "een getal of reeks is te groot"
    if isinstance(exc, ZeroDivisionError):
        return "deling door nul"
    if isinstance(exc, (KeyError, IndexError)):
        return "een sleutel of positie bestaat niet"
    if isinstance(exc, TypeError):
        return "een waarde van de verkeerde soort (bijvoorbeeld tekst waar een getal hoort)"
    if isinstance(exc, (ValueError, AttributeError)):
        return "ongeldige waarde bij het invullen"
    return "fout bij het invullen"
