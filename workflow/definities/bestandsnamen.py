"""Which files of a definitions folder are definitions: one rule for reading them, storing a
version and `definities controleer`'s warning about the others. No YAML here: the planner, which
never loads the reader, uses it too."""

from __future__ import annotations

from pathlib import Path

#: The subfolders of a definitions folder whose files are read.
SUBMAPPEN = ("organen", "routes")


def definitiebestanden(submap: Path) -> list[Path]:
    """The files of `organen/` or `routes/` the reader reads, in order: `*.yaml` and `*.yml`."""
    return sorted(p for p in submap.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
