"""Where the shipped definitions and templates are, and the private cache folder."""

from __future__ import annotations

import os
from pathlib import Path


def meegeleverd(naam: str) -> Path:
    """The shipped `definities` or `sjablonen`: beside the package in a checkout, inside it when
    installed from a wheel."""
    package = Path(__file__).resolve().parent.parent
    checkout = package.parent / naam
    if checkout.is_dir():
        return checkout
    # Inside an installed wheel (hatch force-include puts them beside the package's modules).
    return package / "_meegeleverd" / naam


def cache_map() -> Path | None:
    """A private cache folder (~/.cache/besluitroute or BESLUITROUTE_CACHE), or None.

    Caches hold pickled definitions and compiled templates: loading them runs code, so the folder
    must belong to us and be closed to others. A folder that is not gets no cache at all.
    """
    root = os.environ.get("BESLUITROUTE_CACHE")
    if root:
        path = Path(root)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "besluitroute"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
        return None
    return path
