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

from workflow.basis import tekst
from workflow.basis.paden import cache_map, meegeleverd


def _environment(override: Path | None) -> Any:
    from jinja2 import (
        ChoiceLoader,
        FileSystemBytecodeCache,
        FileSystemLoader,
        StrictUndefined,
        select_autoescape,
    )
    loaders = []
    if override is not None:
        loaders.append(FileSystemLoader(str(override)))
    loaders.append(FileSystemLoader(str(meegeleverd("sjablonen"))))
    cache_dir = cache_map()
    env = _begrensde_omgeving()(
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


#: A render may take this many seconds and produce this many characters: an override that loops
#: over two range(100000) or multiplies 'a' by 10**9 is stopped, not run to exhaustion.
TIJDSBUDGET = 5.0
UITVOERBUDGET = 20_000_000


class _Budget(Exception):
    """A render went over its time or output budget; the message is Dutch."""


class _Bewaking:
    """The deadline of the render in progress (one per thread; rendering is synchronous)."""

    def __init__(self) -> None:
        import threading

        self.lokaal = threading.local()

    def start(self) -> None:
        import time

        self.lokaal.deadline = time.monotonic() + TIJDSBUDGET

    def stop(self) -> None:
        self.lokaal.deadline = None

    def controleer(self) -> None:
        import time

        deadline = getattr(self.lokaal, "deadline", None)
        if deadline is not None and time.monotonic() > deadline:
            self.lokaal.deadline = None  # raise once; the unwinding must not trip it again
            raise _Budget(f"duurde langer dan {TIJDSBUDGET:g} seconden (te veel herhalingen?)")


_BEWAKING = _Bewaking()


def _tracer(frame: Any, event: str, arg: Any) -> Any:
    """sys.settrace hook during a render: template code (compiled from a file with a template's
    extension) gets a line tracer that checks the deadline, so a loop without calls is stopped."""
    if event == "call" and frame.f_code.co_filename.endswith(_TEMPLATE_EXTENSIES):
        return _regeltracer
    return None


def _regeltracer(frame: Any, event: str, arg: Any) -> Any:
    if event == "line":
        _BEWAKING.controleer()
    return _regeltracer


_TEMPLATE_EXTENSIES = (".html", ".htm", ".txt", ".xml")


@lru_cache(maxsize=1)
def _begrensde_omgeving() -> Any:
    """ImmutableSandboxedEnvironment that also bounds what a template can ask for: every call
    checks the deadline; `*` and `**` may not build huge strings, lists or numbers."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Begrensd(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _BEWAKING.controleer()
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for reeks, aantal in ((left, right), (right, left)):
                    if isinstance(reeks, (str, list, tuple)) and isinstance(aantal, int) \
                            and len(reeks) * aantal > UITVOERBUDGET:
                        raise _Budget(f"een vermenigvuldiging levert meer dan "
                                      f"{UITVOERBUDGET // 1_000_000} miljoen tekens of items op")
                if isinstance(left, int) and isinstance(right, int) and \
                        left.bit_length() + right.bit_length() > 4096:
                    raise _Budget("een vermenigvuldiging levert een te groot getal op")
            if operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool) \
                    and isinstance(left, (int, float)) and abs(right) > 1000 and abs(left) > 1:
                raise _Budget("een macht levert een te groot getal op")
            return super().call_binop(context, operator, left, right)

    return Begrensd


def css_tekst(value: object) -> Any:
    """Any text as a quoted CSS string, for `content:` in a style sheet (the printed footer).

    Quotes, backslashes, '<', '>', '&' and anything unprintable become CSS hex escapes, so
    nothing can end the string or the style element: safe in HTML and in the polyglot XML the
    templates keep to.
    """
    from markupsafe import Markup

    text = tekst.een_regel(str(value))
    # The space after each escape ends it (CSS swallows one white space character there).
    escaped = "".join(c if c.isprintable() and c not in "\"'\\<>&" else f"\\{ord(c):x} "
                      for c in text)
    return Markup(f'"{escaped}"')


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
    """Render template `naam` (e.g. 'agenda.html') with plain-data `context`.

    Within a time and output budget; every error, Jinja's own or not, becomes one Dutch line
    naming the template (GebruikersFout).
    """
    import sys

    from jinja2 import TemplateNotFound, TemplateSyntaxError

    from workflow.basis.fouten import GebruikersFout

    vorige = sys.gettrace()
    _BEWAKING.start()
    sys.settrace(_tracer)
    try:
        delen: list[str] = []
        lengte = 0
        for deel in omgeving(override).get_template(naam).generate(**context):
            lengte += len(deel)
            if lengte > UITVOERBUDGET:
                raise _Budget(f"de uitvoer wordt groter dan {UITVOERBUDGET // 1_000_000} miljoen "
                              f"tekens")
            delen.append(deel)
        return "".join(delen)
    except TemplateNotFound as exc:
        # Also an {% include %} or {% extends %} of a template that does not exist.
        if exc.name in (naam, None):
            raise GebruikersFout(f"sjabloon '{naam}' niet gevonden") from None
        raise GebruikersFout(f"sjabloon '{naam}': sjabloon '{exc.name}' niet gevonden") from None
    except TemplateSyntaxError as exc:
        waar = _waar(exc.name or naam, exc.lineno)
        raise GebruikersFout(f"sjabloon {waar}: {_eenregelig(exc.message or str(exc))}") from None
    except _Budget as exc:
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {exc}") from None
    except RecursionError as exc:
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: roept zichzelf eindeloos aan "
                             f"(macro, include of extends)") from None
    except UnicodeDecodeError:
        raise GebruikersFout(f"sjabloon '{naam}' (of een sjabloon dat het gebruikt) is geen "
                             f"geldige UTF-8") from None
    except MemoryError:
        raise GebruikersFout(f"sjabloon '{naam}': te weinig geheugen voor deze uitvoer") from None
    except Exception as exc:
        # StrictUndefined, a bad value for |datum, a sandbox refusal (range too big): any of
        # them is the template's fault, not a crash of ours.
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {_omschrijving(exc)}") from None
    finally:
        sys.settrace(vorige)
        _BEWAKING.stop()


def _eenregelig(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _waar(naam: str, regel: int | None) -> str:
    return f"'{naam}'" + (f" (regel {regel})" if regel else "")


def _plaats(naam: str, exc: BaseException) -> str:
    """'agenda.html (regel 3)': the innermost template frame in the traceback (Jinja rewrites
    tracebacks so template code carries the template's file and line)."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(_TEMPLATE_EXTENSIES)]
    if not frames:
        return f"'{naam}'"
    laatste = frames[-1]
    return _waar(Path(laatste.filename).name, laatste.lineno)


def _omschrijving(exc: Exception) -> str:
    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    tekst = _eenregelig(str(exc))
    if isinstance(exc, UndefinedError):
        return f"onbekende naam of waarde ({tekst})"
    if isinstance(exc, SecurityError):
        return f"niet toegestaan in een sjabloon ({tekst})"
    if isinstance(exc, OverflowError):
        return f"een getal of reeks is te groot ({tekst})"
    if isinstance(exc, (ValueError, TypeError, AttributeError, KeyError, IndexError)):
        return f"ongeldige waarde bij het invullen ({type(exc).__name__}: {tekst})"
    return f"fout bij het invullen ({type(exc).__name__}: {tekst})"
