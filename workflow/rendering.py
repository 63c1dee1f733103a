"""The Jinja environment for agendas, documents and mail.

Templates are named `<naam>.html` or `<naam>.txt`: select_autoescape looks only at the last
extension, so `agenda.html.j2` would NOT be escaped. A user overrides any template by putting a
file of the same name in their sjablonen folder; because such files are edited by a secretariat,
every template renders in Jinja's immutable sandbox and receives plain data only (dicts, lists,
strings, numbers, dates), never ORM objects.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from workflow import tekst
from workflow.omgeving import cache_map, meegeleverd


def _environment(override: Path | None) -> Any:
    from jinja2 import (
        ChoiceLoader,
        FileSystemBytecodeCache,
        FileSystemLoader,
        StrictUndefined,
        select_autoescape,
    )
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = []
    if override is not None:
        loaders.append(FileSystemLoader(str(override)))
    loaders.append(FileSystemLoader(str(meegeleverd("sjablonen"))))
    cache_dir = cache_map()
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"),
                                     disabled_extensions=("txt",),  # plain text: never escaped
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
    )
    env.filters.update(
        datum=_filter(tekst.datum),
        datum_kort=_filter(tekst.datum_kort),
        dag_datum=_filter(tekst.dag_datum),
        tijd=_filter(tekst.tijd),
        datum_tijd=_filter(tekst.datum_tijd),
        css_tekst=css_tekst,
    )
    return env


def css_tekst(value: object) -> Any:
    """Any text as a quoted CSS string, for `content:` in a style sheet (the printed footer).

    Quotes, backslashes, '<', '>', '&' and anything unprintable become CSS hex escapes, so
    nothing can end the string or the style element: safe in HTML and in the polyglot XML the
    templates keep to.
    """
    from markupsafe import Markup

    text = _een_regel(str(value))
    # The space after each escape ends it (CSS swallows one white space character there).
    escaped = "".join(c if c.isprintable() and c not in "\"'\\<>&" else f"\\{ord(c):x} "
                      for c in text)
    return Markup(f'"{escaped}"')


def _een_regel(text: str) -> str:
    """One line: control characters and runs of white space become single spaces."""
    return " ".join("".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c
                            for c in text).split())


def _filter(func: Any) -> Any:
    def apply(value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        return str(func(value))

    return apply


@lru_cache(maxsize=8)
def omgeving(override: Path | None = None) -> Any:
    """The (cached) Jinja environment for an override folder, or the shipped templates alone."""
    return _environment(override)


def render(naam: str, context: dict[str, Any], override: Path | None = None) -> str:
    """Render template `naam` (e.g. 'agenda.html') with plain-data `context`."""
    from jinja2 import TemplateError, TemplateNotFound

    from workflow.fouten import GebruikersFout

    try:
        return str(omgeving(override).get_template(naam).render(**context))
    except TemplateNotFound:
        raise GebruikersFout(f"sjabloon '{naam}' niet gevonden") from None
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        where = f" (regel {lineno})" if lineno else ""
        raise GebruikersFout(f"sjabloon '{naam}'{where}: {exc}") from None
