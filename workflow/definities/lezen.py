"""definities/ (YAML, Dutch keys) -> frozen dataclasses, in one validation pass that collects every error.

Layout of a definitions folder:
    organen/<sleutel>.yaml   one body: members, meetings, rhythms, lead times, reminders, duties
    routes/<naam>.yaml       one route: the ordered steps with their role and allowed outcomes
A new route or body is a new file, never new code.

Reading is split by what it does: lezer (one file, its fields and messages), orgaanlezer and
routelezer (one file of each kind), and this module (the folder: every file, duplicates, cache).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workflow.basis.fouten import DefinitieFout
from workflow.definities import cache as pickles
from workflow.definities import yamlbron
from workflow.definities.bestandsnamen import SUBMAPPEN, definitiebestanden
from workflow.definities.lezer import _Lezer, _relative
from workflow.definities.model import Definities, Orgaan, Route
from workflow.definities.orgaanlezer import read_orgaan
from workflow.definities.routelezer import read_route


def load(folder: Path, *, cache: bool = True) -> Definities:
    """Read and validate a definitions folder; raise DefinitieFout listing every problem.

    A valid result is cached (pickled) under a key of every file's path, size and modification
    time, so a command on 400 bodies does not parse 400 YAML files each time. Errors are never
    cached: a broken folder is read, and reported, every time.
    """
    if not cache or not folder.is_dir():
        return _load(folder)
    files = sorted(f for sub in SUBMAPPEN for f in definitiebestanden(folder / sub))
    try:
        path = pickles.pad("definities", str(folder.resolve()), [
            (str(f), s.st_size, s.st_mtime_ns) for f in files for s in [f.stat()]])
    except (OSError, RuntimeError):  # a dangling link or a loop: _load names it
        return _load(folder)
    if path is None:
        return _load(folder)
    cached = pickles.lees(path)
    if cached is not None:
        return cached
    result = _load(folder)
    pickles.schrijf(path, result)
    return result


def _load(folder: Path) -> Definities:
    errors: list[str] = []
    if not folder.is_dir():
        raise DefinitieFout([f"{_relative(folder)}: map met definities bestaat niet"])
    organen: dict[str, Orgaan] = {}
    orgaan_files: dict[str, Path] = {}
    # Bodies whose file is broken: a route naming them gets no second, derived error.
    kapot: set[str] = set()
    for path in definitiebestanden(folder / "organen"):
        lezer = _Lezer(path, errors, folder)
        before = len(errors)
        root = _parse(lezer)
        orgaan = read_orgaan(lezer, root) if root is not None else None
        if len(errors) > before:
            kapot.add(path.stem)
            if isinstance(root, dict) and isinstance(root.get("sleutel"), str):
                kapot.add(root["sleutel"])
        if orgaan is None:
            continue
        if orgaan.sleutel in organen:
            line = root.sleutelregels.get("sleutel", 1) if isinstance(root, yamlbron.Mapping_) else 1
            lezer.error(line, f"dubbel orgaan '{orgaan.sleutel}' (ook in "
                              f"{_relative(orgaan_files[orgaan.sleutel])})")
            continue
        organen[orgaan.sleutel] = orgaan
        orgaan_files[orgaan.sleutel] = path
    routes: dict[str, Route] = {}
    route_files: dict[str, Path] = {}
    for path in definitiebestanden(folder / "routes"):
        lezer = _Lezer(path, errors, folder)
        root = _parse(lezer)
        if root is None:
            continue
        route = read_route(lezer, root, organen, kapot)
        if route is None:
            continue
        if route.naam in routes:
            line = root.sleutelregels.get("naam", 1) if isinstance(root, yamlbron.Mapping_) else 1
            lezer.error(line, f"dubbele route '{route.naam}' (ook in "
                              f"{_relative(route_files[route.naam])})")
            continue
        routes[route.naam] = route
        route_files[route.naam] = path
    if not errors and not routes:
        errors.append(f"{_relative(folder)}: geen routes gevonden in {_relative(folder / 'routes')}")
    if errors:
        raise DefinitieFout(errors)
    return Definities(map=folder, organen=organen, routes=routes)


def _parse(lezer: _Lezer) -> Any:
    try:
        root = yamlbron.load(lezer.path, binnen=lezer.binnen)
    except yamlbron.YamlFout as exc:
        lezer.error(exc.regel, exc.melding)
        return None
    if root is None:
        lezer.error(1, "het bestand is leeg")
    return root
