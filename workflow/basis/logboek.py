"""The log of the long-running programs (planner, portal) for an administrator: one line per
event on stdout, in Dutch, `<niveau> <bron>: <melding>`, e.g.

    info mail: verzonden: bericht 12 (aanleveren, vergadering ..., Message-ID <...>) aan ...
    fout planner: ronde: publiceren mislukt (OperationalError: de schijf is vol in ...); ...

Under systemd (JOURNAL_STREAM set) journald adds the time and keeps the level apart, so the
line starts with the level; elsewhere it starts with the local time. A traceback stays one line
too: the exception's class, Dutch cause and the place it was raised, so `journalctl -u ...` and
`grep` see one event per line. Our own loggers (`besluitroute.*`, the portal's `workflow.web`)
log from INFO on; libraries only their warnings and errors.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import TextIO

#: Level names as the administrator reads them.
NIVEAUS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "waarschuwing",
           logging.ERROR: "fout", logging.CRITICAL: "kritiek"}
EIGEN = ("besluitroute", "workflow")


class Opmaak(logging.Formatter):
    """`<niveau> <bron>: <melding>` on one line, with the time unless journald adds it."""

    def __init__(self, *, met_tijd: bool) -> None:
        super().__init__()
        self.met_tijd = met_tijd

    def format(self, record: logging.LogRecord) -> str:
        from workflow.basis.tekst import ontsnap

        bron = record.name.removeprefix("besluitroute.")
        regel = f"{NIVEAUS.get(record.levelno, record.levelname.lower())} {bron}: " \
                f"{ontsnap(record.getMessage())}"
        if record.exc_info and record.exc_info[1] is not None:
            regel += f" ({uitzondering(record.exc_info[1])})"
        if self.met_tijd:
            from datetime import datetime

            tijd = datetime.fromtimestamp(record.created).astimezone().isoformat(
                timespec="seconds")
            regel = f"{tijd} {regel}"
        return regel


def uitzondering(exc: BaseException) -> str:
    """An exception on one line: its Dutch cause, class and the place in our code it came from."""
    from workflow.basis.oorzaken import oorzaak
    from workflow.basis.tekst import ontsnap

    plaats = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "/workflow/" in frame.filename.replace(os.sep, "/"):
            module = frame.filename.replace(os.sep, "/").rsplit("/workflow/", 1)[1]
            plaats = f" in workflow/{module}:{frame.lineno} ({frame.name})"
            break
    from workflow.basis.fouten import GebruikersFout

    if isinstance(exc, GebruikersFout):  # already a complete Dutch sentence
        return f"{ontsnap(str(exc))}{plaats}"
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    reden = oorzaak(orig if isinstance(orig, BaseException) else exc)
    return f"{type(exc).__name__}: {ontsnap(reden)}{plaats}"


class _Filter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.split(".")[0] in EIGEN


def stel_in(stroom: TextIO | None = None, niveau: int = logging.INFO) -> logging.Handler:
    """Send every log line of this process to stdout (or `stroom`) in this form. Idempotent."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "besluitroute", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stroom if stroom is not None else sys.stdout)
    handler.besluitroute = True  # type: ignore[attr-defined]
    handler.setFormatter(Opmaak(met_tijd=not os.environ.get("JOURNAL_STREAM")))
    handler.addFilter(_Filter())
    root.addHandler(handler)
    root.setLevel(min(niveau, logging.INFO))
    for naam in EIGEN:
        logging.getLogger(naam).setLevel(niveau)
    return handler
