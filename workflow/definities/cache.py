"""The pickle cache of typed definitions, shared by a folder's reading and the applied versions.

Loading a pickle runs code, so the cache lives only in a private folder (workflow.basis.paden).
A pickle names its classes by module path: the key holds a format number, the module the classes
live in and the modification times of this package's modules, so a code change or a new package
layout never meets an old pickle; an entry that still cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflow.definities.model import Definities

#: Raise when the pickled form changes in a way the module path and modification time don't show.
FORMAAT = 3

#: Where the pickled classes live, named rather than imported: the small files kept here (a
#: folder's hash, the listing's states) are read by commands that never load the model.
MODEL = "workflow.definities.model"


def pad(soort: str, *onderdelen: object, achtervoegsel: str = ".pickle") -> Path | None:
    """The cache file for `onderdelen` (what the content depends on), or None without a cache."""
    from workflow import __version__
    from workflow.basis.paden import cache_map

    folder = cache_map()
    if folder is None:
        return None
    # Every module of this package: the classes and the reader that fills them.
    code = [f.stat().st_mtime_ns for f in sorted(Path(__file__).parent.glob("*.py"))]
    sleutel = repr((FORMAAT, __version__, MODEL, code, *onderdelen))
    return folder / f"{soort}-{hashlib.sha256(sleutel.encode()).hexdigest()[:32]}{achtervoegsel}"


def lees(pad_: Path) -> Definities | None:
    """The cached definitions, or None when absent, stale or unreadable."""
    from workflow.definities.model import Definities

    try:
        with pad_.open("rb") as handle:
            cached = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError,
            ValueError):
        return None
    return cached if isinstance(cached, Definities) else None


def schrijf(pad_: Path, definities: Definities) -> None:
    """Store atomically; a cache that cannot be written is no error.

    Without its unused memo entries (`pickletools.optimize`): the pickler memoizes every
    member's reduce arguments, so loading kept 10,000 argument tuples alive to the end and left
    1.3 MB of freed memory in a long-running process (the planner, the portal's workers) that
    never went back; optimized, loading takes 12 instead of 14 ms, and writing 0.15 s more.
    """
    import pickletools

    try:
        tmp = pad_.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickletools.optimize(
            pickle.dumps(definities, protocol=pickle.HIGHEST_PROTOCOL)))
        os.replace(tmp, pad_)
    except OSError:
        pass


def lees_tekst(pad_: Path) -> str | None:
    """A small text kept with `schrijf_tekst`, or None when absent or unreadable."""
    try:
        return pad_.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def schrijf_tekst(pad_: Path, tekst: str) -> None:
    """Store a small text atomically (as `schrijf`); a cache that cannot be written is no error."""
    try:
        tmp = pad_.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(tekst, encoding="utf-8")
        os.replace(tmp, pad_)
    except OSError:
        pass
