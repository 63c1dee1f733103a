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

from workflow.agenda import formulering, sjabloongrenzen
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
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir), _bytecodepatroon())
        if cache_dir else None,
    )
    env.filters.update(
        datum=_filter(tekst.datum),
        datum_kort=_filter(tekst.datum_kort),
        dag_datum=_filter(tekst.dag_datum),
        tijd=_filter(tekst.tijd),
        datum_tijd=_filter(tekst.datum_tijd),
        css_tekst=css_tekst,
        beslispunten_kop=formulering.kop,
        beslispunt=formulering.punt,
    )
    sjabloongrenzen.begrens_filters(env.filters)
    sjabloongrenzen.begrens_globals(env.globals)
    return env


def _bytecodepatroon() -> str:
    """The cache file name pattern, marked with the bounds it was compiled under: Jinja keys its
    bytecode on the template only, but the checked operators (`+`, `%`, `*`) are compiled into
    it, so bytecode from before a change of the bounds must not be reused."""
    import hashlib

    merk = hashlib.sha256(Path(sjabloongrenzen.__file__).read_bytes()).hexdigest()[:12]
    return f"__jinja2_{merk}_%s.cache"


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
                raise GebruikersFout(f"sjabloon {tekst.citeer(template)} in {tekst.citeer(str(map_))}: "
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

    def apply(value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value) if "T" in value \
                    else date.fromisoformat(value)
            except ValueError:
                raise Sjabloonfout(f"{tekst.citeer(value)} is geen datum (verwacht JJJJ-MM-DD of "
                                   f"JJJJ-MM-DDTUU:MM)") from None
        if not isinstance(value, date):
            raise Sjabloonfout(f"{tekst.citeer(value)} is geen datum of tijdstip")
        try:
            return str(func(value))
        except (ValueError, TypeError, AttributeError, OverflowError):
            raise Sjabloonfout(f"{tekst.citeer(value)} is hier geen bruikbaar tijdstip (een "
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
    as well: a memory limit and a CPU-time alarm (sjabloongrenzen.Achtervang).
    """
    import sys

    from workflow.basis.fouten import GebruikersFout

    vorige = sys.gettrace()
    _BEWAKING.start()
    sys.settrace(_tracer)
    achtervang = sjabloongrenzen.Achtervang(TIJDSBUDGET) if override is not None else None
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
    except Exception as exc:
        # Any error is the template's fault, not a crash of ours: one Dutch line.
        raise _als_gebruikersfout(naam, exc) from None
    finally:
        if achtervang is not None:
            achtervang.stop()
        sys.settrace(vorige)
        _BEWAKING.stop()


def _als_gebruikersfout(naam: str, exc: Exception) -> Exception:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    from workflow.agenda import sjabloonfouten
    from workflow.basis.fouten import GebruikersFout

    if isinstance(exc, TemplateNotFound):
        # Also an {% include %} or {% extends %} of a template that does not exist.
        if exc.name in (naam, None):
            return GebruikersFout(f"sjabloon '{naam}' niet gevonden")
        return GebruikersFout(f"sjabloon '{naam}': sjabloon "
                              f"{tekst.citeer(exc.name)} niet gevonden")
    if isinstance(exc, TemplateSyntaxError):
        sjabloonfouten.log_origineel(exc)
        return GebruikersFout(f"sjabloon {_waar(exc.name or naam, exc.lineno)}: "
                              f"{sjabloonfouten.syntaxfout(exc.message or '')}")
    if isinstance(exc, Sjabloonfout):
        return GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {exc}")
    if isinstance(exc, RecursionError):
        return GebruikersFout(f"sjabloon {_plaats(naam, exc)}: roept zichzelf eindeloos aan "
                              f"(macro, include of extends)")
    if isinstance(exc, UnicodeDecodeError):
        return GebruikersFout(f"sjabloon '{naam}' (of een sjabloon dat het gebruikt) is geen "
                              f"geldige UTF-8")
    if isinstance(exc, MemoryError):
        return GebruikersFout(f"sjabloon '{naam}': te weinig geheugen voor deze uitvoer (een "
                              f"sjabloon mag hoogstens "
                              f"{sjabloongrenzen.Achtervang.GEHEUGEN // 2**20} MB gebruiken)")
    # StrictUndefined, a sandbox refusal: the library's (English) text goes to the log.
    sjabloonfouten.log_origineel(exc)
    return GebruikersFout(f"sjabloon {_plaats(naam, exc)}: {sjabloonfouten.omschrijving(exc)}")


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


