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

from workflow.agenda import sjabloongrenzen
from workflow.agenda.sjabloongrenzen import Sjabloonfout
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
        loaders.append(_sjabloonmap()(str(override)))
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
    sjabloongrenzen.begrens_filters(env.filters)
    sjabloongrenzen.begrens_globals(env.globals)
    return env


#: A template file in the user's folder: at most this many bytes.
MAX_SJABLOON = 1_000_000


@lru_cache(maxsize=1)
def _sjabloonmap() -> Any:
    """A FileSystemLoader for the user's folder that reads only regular files inside it after
    resolving links (as the definitions reader does): a link to /etc/passwd is refused."""
    import os

    from jinja2 import FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    from workflow.basis.bestanden import BestandFout, lees_bytes
    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import citeer

    class Sjabloonmap(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            map_ = Path(self.searchpath[0])
            pad = map_.joinpath(*split_template_path(template))
            if not os.path.lexists(pad):
                raise TemplateNotFound(template)
            try:
                data = lees_bytes(pad, MAX_SJABLOON, binnen=map_)
                mtime = os.stat(pad).st_mtime
            except BestandFout as exc:
                raise GebruikersFout(f"sjabloon {citeer(template)} in {citeer(str(map_))}: "
                                     f"{exc}") from None

            def uptodate() -> bool:
                try:
                    return os.stat(pad).st_mtime == mtime
                except OSError:
                    return False

            return data.decode("utf-8"), os.path.normpath(pad), uptodate

    return Sjabloonmap


#: A render may take this many seconds and produce this many characters: an override that loops
#: over two range(100000) or multiplies 'a' by 10**9 is stopped, not run to exhaustion.
TIJDSBUDGET = 5.0
UITVOERBUDGET = 20_000_000


class _Budget(Sjabloonfout):
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
    checks the deadline and, for a method that builds (str.center, str.replace, ...), the size
    of its result before it runs; `*`, `+`, `%` and `**` may not build huge values
    (sjabloongrenzen)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Begrensd(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "+", "%"])

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _BEWAKING.controleer()
            args = sjabloongrenzen.check_methode(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            sjabloongrenzen.check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            wrapper = super().wrap_str_format(value)
            if wrapper is None:
                return None
            opmaak = value.__self__

            def begrensd(*args: Any, **kwargs: Any) -> Any:
                sjabloongrenzen.check_format(opmaak)
                return wrapper(*args, **kwargs)

            return begrensd

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
    from workflow.basis.tekst import citeer

    def apply(value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value) if "T" in value \
                    else date.fromisoformat(value)
            except ValueError:
                raise Sjabloonfout(f"{citeer(value)} is geen datum (verwacht JJJJ-MM-DD of "
                                   f"JJJJ-MM-DDTUU:MM)") from None
        if not isinstance(value, date):
            raise Sjabloonfout(f"{citeer(value)} is geen datum of tijdstip")
        try:
            return str(func(value))
        except (ValueError, TypeError, AttributeError, OverflowError):
            raise Sjabloonfout(f"{citeer(value)} is hier geen bruikbaar tijdstip (een "
                               f"tijdstip met tijdzone, of een datum)") from None

    return apply


@lru_cache(maxsize=8)
def omgeving(override: Path | None = None) -> Any:
    """The (cached) Jinja environment for an override folder, or the shipped templates alone."""
    return _environment(override)


def render(naam: str, context: dict[str, Any], override: Path | None = None) -> str:
    """Render template `naam` (e.g. 'agenda.html') with plain-data `context`.

    Within a time and output budget; every error, Jinja's own or not, becomes one Dutch line
    naming the template (GebruikersFout). With a user's folder (`override`) two backstops hold
    as well: a memory limit and a CPU-time alarm (_Achtervang).
    """
    import sys

    from jinja2 import TemplateNotFound, TemplateSyntaxError

    from workflow.basis.fouten import GebruikersFout

    vorige = sys.gettrace()
    _BEWAKING.start()
    sys.settrace(_tracer)
    achtervang = _Achtervang() if override is not None else None
    try:
        if achtervang is not None:
            achtervang.start()
        delen: list[str] = []
        lengte = 0
        for deel in omgeving(override).get_template(naam).generate(**context):
            lengte += len(deel)
            if lengte > UITVOERBUDGET:
                raise _Budget(f"de uitvoer wordt groter dan {UITVOERBUDGET // 1_000_000} miljoen "
                              f"tekens")
            delen.append(deel)
        return "".join(delen)
    except GebruikersFout:
        raise  # a template file the loader refused: its message names it
    except TemplateNotFound as exc:
        # Also an {% include %} or {% extends %} of a template that does not exist.
        if exc.name in (naam, None):
            raise GebruikersFout(f"sjabloon '{naam}' niet gevonden") from None
        raise GebruikersFout(f"sjabloon '{naam}': sjabloon {_citeer(exc.name)} niet "
                             f"gevonden") from None
    except TemplateSyntaxError as exc:
        waar = _waar(exc.name or naam, exc.lineno)
        _log_origineel(exc)
        raise GebruikersFout(f"sjabloon {waar}: {_syntaxfout(exc.message or '')}") from None
    except Sjabloonfout as exc:
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {exc}") from None
    except RecursionError as exc:
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: roept zichzelf eindeloos aan "
                             f"(macro, include of extends)") from None
    except UnicodeDecodeError:
        raise GebruikersFout(f"sjabloon '{naam}' (of een sjabloon dat het gebruikt) is geen "
                             f"geldige UTF-8") from None
    except MemoryError:
        raise GebruikersFout(f"sjabloon '{naam}': te weinig geheugen voor deze uitvoer (een "
                             f"sjabloon mag hoogstens {_Achtervang.GEHEUGEN // 2**20} MB "
                             f"gebruiken)") from None
    except Exception as exc:
        # StrictUndefined, a sandbox refusal: any of them is the template's fault, not a crash
        # of ours. The library's (English) text goes to the log, not to the line.
        _log_origineel(exc)
        raise GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {_omschrijving(exc)}") from None
    finally:
        if achtervang is not None:
            achtervang.stop()
        sys.settrace(vorige)
        _BEWAKING.stop()


class _Achtervang:
    """The backstops around a user's template, for what the checks in sjabloongrenzen miss.

    Memory: the soft RLIMIT_AS is lowered to the process's current size plus GEHEUGEN during the
    render, so an allocation beyond it fails with MemoryError instead of taking the machine.
    Time: a CPU-time alarm (ITIMER_PROF, SIGPROF: not the SIGALRM a caller may use) raises the
    budget error inside a long call written in Python (textwrap, a sort with a key). Both only
    in the main thread of a process without other threads (the CLI); the portal renders only
    the shipped templates. Both are undone afterwards.
    """

    GEHEUGEN = 100 * 2**20

    def __init__(self) -> None:
        self.limiet: tuple[int, int] | None = None
        self.signaal: Any = None

    def start(self) -> None:
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread() or \
                threading.active_count() > 1:
            return
        try:
            import resource

            with open("/proc/self/statm", encoding="ascii") as handle:
                virtueel = int(handle.read().split()[0]) * resource.getpagesize()
            oud = resource.getrlimit(resource.RLIMIT_AS)
            nieuw = virtueel + self.GEHEUGEN
            if oud[0] == resource.RLIM_INFINITY or oud[0] > nieuw:
                resource.setrlimit(resource.RLIMIT_AS, (nieuw, oud[1]))
                self.limiet = oud
        except (OSError, ValueError, ImportError):
            self.limiet = None
        if hasattr(signal, "setitimer"):
            self.signaal = signal.signal(signal.SIGPROF, _te_lang)
            signal.setitimer(signal.ITIMER_PROF, TIJDSBUDGET)

    def stop(self) -> None:
        import signal

        if self.signaal is not None:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.signaal)
            self.signaal = None
        if self.limiet is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, self.limiet)
            self.limiet = None


def _te_lang(_signum: int, _frame: Any) -> None:
    raise _Budget(f"duurde langer dan {TIJDSBUDGET:g} seconden rekentijd")


def _citeer(value: object) -> str:
    from workflow.basis.tekst import citeer

    return citeer(value)


def _log_origineel(exc: BaseException) -> None:
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
    return _TOKENS.get(tekst, _citeer(tekst))


def _syntaxfout(bericht: str) -> str:
    import re

    for patroon, dutch in _SYNTAX:
        m = re.search(patroon, bericht, re.IGNORECASE)
        if m:
            return "syntaxfout: " + dutch.format(*(_token(g) for g in m.groups()))
    return "syntaxfout in de sjabloontaal"


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
    """A Dutch cause for an error the render raised: by class, and for Jinja's own messages by
    their form. Never the library's English text (that goes to the log)."""
    import re

    from jinja2 import UndefinedError
    from jinja2.exceptions import SecurityError

    text = str(exc)
    if isinstance(exc, UndefinedError):
        m = re.match(r"^'(.*)' is undefined$", text)
        if m:
            return f"onbekende naam {_citeer(m.group(1))}"
        m = re.search(r"has no attribute '(.*)'$", text)
        if m:
            return f"onbekend attribuut {_citeer(m.group(1))}"
        return "onbekende naam of waarde"
    if isinstance(exc, SecurityError):
        m = re.match(r"^access to attribute '(.*)' of '(.*)' object is unsafe", text)
        if m:
            return (f"attribuut {_citeer(m.group(1))} van een {m.group(2)}-waarde is in een "
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
