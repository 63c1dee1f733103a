"""Dutch public holidays per year, from the holidays package, kept in the private cache folder.

The holidays package imports its whole country registry (~300 modules, ~11 MB resident) for one
country. A long-running process (the planner) needs the holidays of a few years only: it reads
them from a small JSON file that the first command to need a year wrote, and never imports the
package once a year is cached. The key holds the package's location and the modification time of
its version module, so an upgrade of the package recomputes every year.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import date
from pathlib import Path

#: Raise when the file's form changes.
FORMAAT = 1


def _pad(jaar: int) -> Path | None:
    import importlib.util

    from workflow.basis.paden import cache_map

    folder = cache_map()
    spec = importlib.util.find_spec("holidays")  # finds the package without importing it
    if folder is None or spec is None or spec.origin is None:
        return None
    versie = Path(spec.origin).with_name("version.py")
    try:
        stempel = versie.stat().st_mtime_ns
    except OSError:
        return None
    sleutel = repr((FORMAAT, spec.origin, stempel, "NL", "nl", jaar))
    return folder / f"feestdagen-{hashlib.sha256(sleutel.encode()).hexdigest()[:32]}.json"


def _bereken(jaar: int) -> dict[date, str]:
    import holidays

    # The package's default NL category is the public holidays a body does not meet on; it knows
    # that Bevrijdingsdag is a day off only every fifth year (2025 yes, 2026 no).
    return dict(holidays.country_holidays("NL", years=jaar, language="nl"))


def van_jaar(jaar: int) -> dict[date, str]:
    """The Dutch public holidays of `jaar` by date: from the cache, else computed and stored."""
    pad = _pad(jaar)
    if pad is not None:
        try:
            opgeslagen = json.loads(pad.read_text(encoding="utf-8"))
            return {date.fromisoformat(dag): str(naam) for dag, naam in opgeslagen.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            pass  # absent or unreadable: computed again below
    result = _bereken(jaar)
    if pad is not None:
        tmp = pad.with_suffix(f".{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps({d.isoformat(): n for d, n in sorted(result.items())},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, pad)
        except OSError:
            pass  # a cache that cannot be written is no error
    return result


def vul_cache(jaren: range) -> None:
    """Compute the years not yet cached in a short-lived child process, so that a long-running
    process (the planner) never imports the holidays package itself. Without a cache folder, or
    when the child fails, nothing happens: `van_jaar` then computes in this process."""
    import subprocess
    import sys

    ontbrekend = [j for j in jaren if (p := _pad(j)) is not None and not p.exists()]
    if not ontbrekend:
        return
    code = ("import sys\nfrom workflow.definities import feestdagen\n"
            "for jaar in sys.argv[1:]:\n    feestdagen.van_jaar(int(jaar))\n")
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([sys.executable, "-c", code, *map(str, ontbrekend)], check=False,
                       capture_output=True, timeout=120)
