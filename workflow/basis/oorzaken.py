"""A library's error as a Dutch cause, for the `fout:` line: by errno, SQLSTATE, SQLite error
name and exception class, never by quoting the library's (English) text.

The original text goes to the log (logger `besluitroute`, level DEBUG: `--debug` shows it), so
nothing is lost for whoever investigates; the user reads Dutch.
"""

from __future__ import annotations

import errno
import logging
import re

log = logging.getLogger("besluitroute.oorzaken")

#: Causes callers tell apart (a silent SMTP server, a refused database connection).
GEEN_ANTWOORD = "geen antwoord binnen de tijd"
VERBINDING_GEWEIGERD = "verbinding geweigerd"

#: errno -> cause. For files, folders and sockets alike.
ERRNO = {
    errno.ENOENT: "bestaat niet",
    errno.EEXIST: "bestaat al",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "niet toegestaan (rechten)",
    errno.ELOOP: "symbolische koppelingen vormen een kring",
    errno.EISDIR: "is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.ENAMETOOLONG: "naam te lang",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is op",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.EIO: "invoer-/uitvoerfout van de schijf of het apparaat",
    errno.EBUSY: "bezet",
    errno.EMFILE: "te veel open bestanden",
    errno.ENXIO: "apparaat of adres bestaat niet",
    errno.EXDEV: "ligt op een ander bestandssysteem",
    errno.ECONNREFUSED: VERBINDING_GEWEIGERD,
    errno.ECONNRESET: "verbinding verbroken door de andere kant",
    errno.ECONNABORTED: "verbinding afgebroken",
    errno.ETIMEDOUT: GEEN_ANTWOORD,
    errno.EHOSTUNREACH: "computer onbereikbaar",
    errno.ENETUNREACH: "netwerk onbereikbaar",
    errno.EADDRNOTAVAIL: "adres niet beschikbaar",
    errno.EPIPE: "verbinding verbroken",
    errno.EADDRINUSE: "adres of poort is al in gebruik",
}

#: SQLSTATE (PostgreSQL) -> cause; the class (first two characters) as a fallback.
SQLSTATE = {
    "3D000": "database bestaat niet",
    "28P01": "wachtwoord geweigerd",
    "28000": "inloggen geweigerd",
    "42501": "geen rechten op de database",
    "53300": "te veel verbindingen met de server",
    "57P03": "de server start nog op of stopt",
    "57P01": "de server werd gestopt",
    "25006": "de database is alleen-lezen",
    "53100": "de schijf van de server is vol",
    "42P01": "tabel ontbreekt",
    "22001": "tekst te lang voor de kolom",
}
SQLSTATE_KLASSE = {
    "08": "verbindingsfout",
    "28": "inloggen geweigerd",
    "53": "de server heeft te weinig middelen",
    "57": "de server onderbrak het werk",
    "58": "systeemfout op de server",
    "XX": "interne fout van de server",
    "22": "ongeldige waarde",
    "23": "strijdig met een regel van de database",
    "40": "conflict met een andere transactie",
    "42": "fout in de opdracht aan de database",
}

#: SQLite's error names (sqlite3.Error.sqlite_errorname) -> cause.
SQLITE = {
    "SQLITE_CANTOPEN": "kan het databasebestand niet openen",
    "SQLITE_IOERR": "invoer-/uitvoerfout bij het databasebestand",
    "SQLITE_FULL": "de schijf is vol",
    "SQLITE_READONLY": "het databasebestand is alleen-lezen",
    "SQLITE_NOTADB": "het bestand is geen SQLite-database",
    "SQLITE_CORRUPT": "het databasebestand is beschadigd",
    "SQLITE_BUSY": "de database is bezet",
    "SQLITE_LOCKED": "de database is vergrendeld",
    "SQLITE_PERM": "geen rechten op het databasebestand",
    "SQLITE_AUTH": "geen rechten op het databasebestand",
    "SQLITE_NOMEM": "te weinig geheugen",
}

#: For drivers that give no code (libpq's connection errors): the text's form -> cause.
#: `{0}` is the first group of the pattern.
TEKSTVORMEN = [
    (r"connection refused", VERBINDING_GEWEIGERD),
    (r"database \"([^\"]*)\" does not exist", "database '{0}' bestaat niet"),
    (r"role \"([^\"]*)\" does not exist", "gebruiker '{0}' bestaat niet"),
    (r"password authentication failed", "wachtwoord geweigerd"),
    (r"no password supplied", "geen wachtwoord opgegeven"),
    (r"server does not support ssl", "server biedt geen SSL aan"),
    (r"could not translate host name", "onbekende computernaam"),
    (r"name or service not known", "onbekende computernaam"),
    (r"timeout expired|timed out", GEEN_ANTWOORD),
    (r"no route to host", "computer onbereikbaar"),
    (r"unable to open database file", "kan het databasebestand niet openen"),
    (r"disk i/o error", "invoer-/uitvoerfout bij het databasebestand"),
    (r"file is not a database", "het bestand is geen SQLite-database"),
    (r"database or disk is full", "de schijf is vol"),
    (r"attempt to write a readonly database", "het databasebestand is alleen-lezen"),
    (r"server closed the connection unexpectedly", "de server verbrak de verbinding"),
    (r"connection unexpectedly closed", "de server verbrak de verbinding"),
    (r"invalid connection option \"([^\"]*)\"", "onbekende verbindingsoptie '{0}'"),
    (r"certificate verify failed", "certificaat niet vertrouwd"),
    (r"wrong version number", "de andere kant spreekt geen TLS"),
]


def _uit_tekst(tekst: str) -> str | None:
    for patroon, dutch in TEKSTVORMEN:
        m = re.search(patroon, tekst, re.IGNORECASE)
        if m:
            return dutch.format(*m.groups())
    return None


def oorzaak(exc: BaseException) -> str:
    """The Dutch cause of `exc` (a driver's error wrapped by SQLAlchemy: pass `exc.orig` as
    `exc`). Logs the original text at DEBUG."""
    log.debug("%s: %s", type(exc).__name__, exc)
    return _oorzaak(exc)


def _oorzaak(exc: BaseException) -> str:
    import socket

    pgcode = getattr(exc, "pgcode", None)
    if isinstance(pgcode, str) and pgcode:
        if pgcode in SQLSTATE:
            return SQLSTATE[pgcode]
        if pgcode[:2] in SQLSTATE_KLASSE:
            return f"{SQLSTATE_KLASSE[pgcode[:2]]} (SQLSTATE {pgcode})"
    naam = getattr(exc, "sqlite_errorname", None)
    if isinstance(naam, str):
        for sleutel, dutch in SQLITE.items():
            if naam == sleutel or naam.startswith(sleutel + "_"):
                return dutch
    if isinstance(exc, socket.gaierror):
        return "onbekende computernaam"
    if isinstance(exc, TimeoutError):
        return GEEN_ANTWOORD
    if isinstance(exc, OSError) and exc.errno in ERRNO:
        return ERRNO[exc.errno]
    if isinstance(exc, UnicodeDecodeError):
        return f"geen geldige UTF-8 (byte {exc.start + 1})"
    if isinstance(exc, MemoryError):
        return "te weinig geheugen"
    vorm = _uit_tekst(str(exc))
    if vorm is not None:
        return vorm
    klasse = type(exc).__name__
    if klasse == "SMTPServerDisconnected":
        return "de server verbrak de verbinding"
    if klasse == "TOMLDecodeError":
        return toml_plaats(str(exc))
    if isinstance(exc, OSError):
        return f"systeemfout {exc.errno}" if exc.errno else "systeemfout"
    return "onbekende oorzaak (details met --debug)"


def toml_plaats(tekst: str) -> str:
    """'Invalid value (at line 1, column 13)' -> 'ongeldige TOML op regel 1, kolom 13'."""
    m = re.search(r"line (\d+), column (\d+)", tekst)
    if m:
        return f"ongeldige TOML op regel {m.group(1)}, kolom {m.group(2)}"
    m = re.search(r"line (\d+)", tekst)
    return f"ongeldige TOML op regel {m.group(1)}" if m else "ongeldige TOML"
