"""The bounds of what a template may build, checked BEFORE the building (docs/sjablonen.md).

A secretariat edits templates; a template can ask a filter, a global or a string method for a
value of any size (`'x'|center(10**9)`, `'%.900000000f'|format(1)`, `lipsum(10**6)`). Checking the
time and the output after such a call is too late: the call itself takes gigabytes and seconds.
So every built-in that can build a large value is wrapped here; the wrapper computes the size of
the result from its arguments, cheaply, and refuses before it allocates anything. The rendering
module adds two backstops for what slips through: a memory limit (RLIMIT_AS) and a CPU-time alarm
during the render of a user's template.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

#: One value a template builds (a string, a list): at most this many characters or items.
#: Far above any agenda (the longest shipped one is a few hundred kB) and small in memory.
MAX_WAARDE = 1_000_000
#: `wordwrap` (Python's textwrap) is slow per character: a smaller bound on its input.
MAX_WORDWRAP = 100_000
#: `range()` in a template: Jinja's own sandbox bound (MAX_RANGE), with a Dutch message.
MAX_RANGE = 100_000
#: `lipsum()`: paragraphs, and words per paragraph.
MAX_LIPSUM_ALINEAS = 100
MAX_LIPSUM_WOORDEN = 1000


class Sjabloonfout(Exception):
    """A template asked for something it may not have; the message is Dutch and complete."""


def te_groot(wat: str, lengte: int) -> Sjabloonfout:
    return Sjabloonfout(f"{wat} levert {lengte:,} tekens of items op; hoogstens "
                        f"{MAX_WAARDE:,} per waarde".replace(",", "."))


def _check(wat: str, lengte: int) -> None:
    if lengte > MAX_WAARDE:
        raise te_groot(wat, lengte)


def _getal(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 1e18:
        return int(value)
    return default


def _lengte(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return len(str(value)) if isinstance(value, (int, float)) else 0


# ---------------------------------------------------------------------------------------------
# printf-style (`%`) and str.format specifications: widths and precisions.

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")
_FORMAT_SPEC = re.compile(r"(\d+)")


def check_printf(opmaak: str, args: Any) -> None:
    """Refuse a `%` format whose width or precision (also through `*`) would exceed MAX_WAARDE."""
    positioneel = list(args) if isinstance(args, tuple) else [args]
    index = 0
    for m in _PRINTF.finditer(opmaak):
        breedte, precisie, soort = m.groups()
        if soort == "%":
            continue
        for deel in (breedte, precisie):
            if deel == "*":
                waarde = positioneel[index] if index < len(positioneel) else 0
                index += 1
                n = _getal(waarde)
            else:
                n = int(deel) if deel and len(deel) < 12 else (MAX_WAARDE + 1 if deel else 0)
            if abs(n) > MAX_WAARDE:
                raise Sjabloonfout(f"een opmaakbreedte of -precisie van {abs(n):,} is te groot "
                                   f"(hoogstens {MAX_WAARDE:,})".replace(",", "."))
        index += 1


def check_format(opmaak: str) -> None:
    """Refuse a str.format string whose fields ask for a huge width or precision, or nest a
    field inside a specification (`{:>{w}}`: the width would only be known too late)."""
    from string import Formatter

    try:
        velden = list(Formatter().parse(opmaak))
    except ValueError:
        return  # the call itself reports the malformed format
    for _tekst, _naam, spec, _conversie in velden:
        if not spec:
            continue
        if "{" in spec:
            raise Sjabloonfout("een opmaakveld binnen een opmaakveld ({:>{w}}) is in een "
                               "sjabloon niet toegestaan")
        for getal in _FORMAT_SPEC.findall(spec):
            if len(getal) > 7 or int(getal) > MAX_WAARDE:
                raise Sjabloonfout(f"een opmaakbreedte of -precisie van {getal} is te groot "
                                   f"(hoogstens {MAX_WAARDE:,})".replace(",", "."))


# ---------------------------------------------------------------------------------------------
# Methods of str and bytes (reached as `'x'.center(...)`), checked in the sandbox's call().

def _vervang(s: Any, old: Any = None, new: Any = None, count: Any = -1, *_: Any) -> int:
    if not isinstance(old, (str, bytes)) or not isinstance(new, (str, bytes)):
        return len(s)
    groei = len(new) - len(old)
    if groei <= 0:
        return len(s)
    keer = s.count(old) if old else len(s) + 1
    n = _getal(count, -1)
    if n >= 0:
        keer = min(keer, n)
    return len(s) + keer * groei


def _vertaal(s: Any, tabel: Any = None, *_: Any) -> int:
    if isinstance(tabel, dict):
        grootste = max((_lengte(v) for v in tabel.values() if v is not None), default=1)
        return len(s) * max(grootste, 1)
    return len(s)


METHODEN: dict[str, Callable[..., int]] = {
    "center": lambda s, breedte=0, *_: max(len(s), _getal(breedte)),
    "ljust": lambda s, breedte=0, *_: max(len(s), _getal(breedte)),
    "rjust": lambda s, breedte=0, *_: max(len(s), _getal(breedte)),
    "zfill": lambda s, breedte=0, *_: max(len(s), _getal(breedte)),
    "expandtabs": lambda s, tab=8, *_: len(s) + s.count("\t" if isinstance(s, str) else b"\t")
    * max(_getal(tab, 8), 0),
    "replace": _vervang,
    "translate": _vertaal,
}


def check_methode(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Before a template calls `obj`: refuse a method of str or bytes (or int.to_bytes) whose
    result would exceed MAX_WAARDE. Returns the arguments to call with (a join's iterable is
    made a list first, so it can be measured and then used)."""
    naam = getattr(obj, "__name__", None)
    eigenaar = getattr(obj, "__self__", None)
    if isinstance(eigenaar, (str, bytes)):
        schatter = METHODEN.get(naam or "")
        if schatter is not None:
            _check(f"'{naam}'", schatter(eigenaar, *args, *kwargs.values()))
        elif naam == "join" and args:
            items = list(args[0]) if _lengte(args[0]) <= MAX_WAARDE else None
            if items is None:
                raise te_groot("'join'", _lengte(args[0]))
            _check("'join'", sum(_lengte(i) for i in items) + len(eigenaar) * len(items))
            return (items, *args[1:])
    elif isinstance(eigenaar, int) and naam == "to_bytes":
        lengte = _getal(args[0] if args else kwargs.get("length", 1))
        _check("'to_bytes'", lengte)
    return args


def check_binop(operator: str, left: Any, right: Any) -> None:
    """`*` and `+` on strings and lists, `%` on a format string, `*`/`**` on huge numbers."""
    reeksen = (str, bytes, list, tuple)
    if operator == "*":
        for reeks, aantal in ((left, right), (right, left)):
            if isinstance(reeks, reeksen) and isinstance(aantal, int):
                _check("een vermenigvuldiging", len(reeks) * aantal)
        if isinstance(left, int) and isinstance(right, int) and \
                left.bit_length() + right.bit_length() > 4096:
            raise Sjabloonfout("een vermenigvuldiging levert een te groot getal op")
    elif operator == "+":
        if isinstance(left, reeksen) and isinstance(right, reeksen):
            _check("een optelling", len(left) + len(right))
    elif operator == "%":
        if isinstance(left, str):
            check_printf(left, right)
    elif operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool) \
            and isinstance(left, (int, float)) and abs(right) > 1000 and abs(left) > 1:
        raise Sjabloonfout("een macht levert een te groot getal op")


# ---------------------------------------------------------------------------------------------
# Filters and globals: each replaced by a wrapper that checks before it calls the original.

def _begrensd(origineel: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    # The filter's own arguments come after the environment or context Jinja passes first.
    eigen = 1 if getattr(origineel, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(origineel)  # keeps jinja_pass_arg: context/environment are passed as before
    def filter_(*args: Any, **kwargs: Any) -> Any:
        check(*args[eigen:], **kwargs)
        return origineel(*args, **kwargs)

    return filter_


def _str(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) \
        else ""


def _f_center(value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
    _check("'center'", max(_lengte(value), _getal(width)))


def _f_format(value: Any, *args: Any, **kwargs: Any) -> None:
    if isinstance(value, str):
        check_printf(value, args if args else kwargs)


def _f_replace(value: Any, old: Any = None, new: Any = None, count: Any = None, **_: Any) -> None:
    if isinstance(value, str):
        _check("'replace'", _vervang(value, old, new, -1 if count is None else count))


def _f_wordwrap(value: Any, width: Any = 79, break_long_words: Any = True,
                wrapstring: Any = None, *_: Any, **kwargs: Any) -> None:
    s = _str(value)
    if len(s) > MAX_WORDWRAP:
        raise Sjabloonfout(f"'wordwrap' van {len(s):,} tekens; hoogstens "
                           f"{MAX_WORDWRAP:,}".replace(",", "."))
    scheiding = kwargs.get("wrapstring", wrapstring)
    _check("'wordwrap'", len(s) * (1 + _lengte(scheiding or "\n")))


def _f_indent(value: Any, width: Any = 4, first: Any = False, blank: Any = False,
              **kwargs: Any) -> None:
    s = _str(value)
    width = kwargs.get("width", width)
    inspringing = len(width) if isinstance(width, str) else max(_getal(width), 0)
    _check("'indent'", len(s) + (s.count("\n") + 1) * inspringing)


def _f_join(value: Any, d: Any = "", attribute: Any = None, **_: Any) -> None:
    n = _lengte(value)
    if n > MAX_WAARDE:
        raise te_groot("'join'", n)
    if isinstance(value, (list, tuple)):
        _check("'join'", sum(_lengte(i) for i in value) + n * _lengte(d))


def _f_batch(value: Any, linecount: Any = 1, fill_with: Any = None, **_: Any) -> None:
    _check("'batch'", max(_getal(linecount), 0))


def _f_slice(value: Any, slices: Any = 1, fill_with: Any = None, **_: Any) -> None:
    _check("'slice'", max(_getal(slices), 0))


def _f_truncate(value: Any, length: Any = 255, killwords: Any = False, end: Any = "...",
                leeway: Any = None, **_: Any) -> None:
    _check("'truncate'", _lengte(_str(value)) + _lengte(end))


def _f_filesizeformat(value: Any, binary: Any = False, **_: Any) -> None:
    if isinstance(value, str) and len(value) > 100:
        raise Sjabloonfout("'filesizeformat' van een getal van meer dan 100 tekens")


FILTERS: dict[str, Callable[..., None]] = {
    "center": _f_center,
    "format": _f_format,
    "replace": _f_replace,
    "wordwrap": _f_wordwrap,
    "indent": _f_indent,
    "join": _f_join,
    "batch": _f_batch,
    "slice": _f_slice,
    "truncate": _f_truncate,
    "filesizeformat": _f_filesizeformat,
}


def begrens_filters(filters: dict[str, Any]) -> None:
    """Replace every filter that can build a large value by its checked wrapper (in place)."""
    for naam, check in FILTERS.items():
        if naam in filters:
            filters[naam] = _begrensd(filters[naam], check)


def begrensde_range(*args: Any) -> range:
    try:
        bereik = range(*args)
    except (TypeError, ValueError, OverflowError):
        raise Sjabloonfout("range() verwacht gehele getallen (en een stap die niet 0 is)") \
            from None
    if len(bereik) > MAX_RANGE:
        raise Sjabloonfout(f"range() met {len(bereik):,} getallen; hoogstens "
                           f"{MAX_RANGE:,}".replace(",", "."))
    return bereik


def begrensde_lipsum(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> Any:
    from jinja2.utils import generate_lorem_ipsum

    if not 0 <= _getal(n, -1) <= MAX_LIPSUM_ALINEAS or \
            not 0 < _getal(min, -1) <= _getal(max, -1) <= MAX_LIPSUM_WOORDEN:
        raise Sjabloonfout(f"lipsum(): hoogstens {MAX_LIPSUM_ALINEAS} alinea's van hoogstens "
                           f"{MAX_LIPSUM_WOORDEN} woorden")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def begrens_globals(globals_: dict[str, Any]) -> None:
    globals_["range"] = begrensde_range
    globals_["lipsum"] = begrensde_lipsum


class Achtervang:
    """The backstops around a user's template, for what the checks above miss.

    Memory: the soft RLIMIT_AS is lowered to the process's current size plus GEHEUGEN during the
    render, so an allocation beyond it fails with MemoryError instead of taking the machine.
    Time: a CPU-time alarm (ITIMER_PROF, SIGPROF: not the SIGALRM a caller may use) raises
    Sjabloonfout inside a long call written in Python (textwrap, a sort with a key). Both only
    in the main thread of a process without other threads (the CLI); the portal renders only
    the shipped templates. Both are undone afterwards.
    """

    GEHEUGEN = 100 * 2**20

    def __init__(self, seconden: float) -> None:
        self.seconden = seconden
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
            seconden = self.seconden

            def te_lang(_signum: int, _frame: Any) -> None:
                raise Sjabloonfout(f"duurde langer dan {seconden:g} seconden rekentijd")

            self.signaal = signal.signal(signal.SIGPROF, te_lang)
            signal.setitimer(signal.ITIMER_PROF, seconden)

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
