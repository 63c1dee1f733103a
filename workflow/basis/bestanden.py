"""Reading input files and writing output files without surprises.

Reading: only regular files, never more than a limit (a FIFO would hang, `/dev/zero` would run
away). Writing: a temporary file in the target's folder, renamed over the target, so a reader sees
the old or the new file and never half of one; a symlink, device or FIFO at the target is refused,
never replaced; the file gets the mode an ordinary `open()` would give (0o666 minus the umask).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from workflow.basis.fouten import GebruikersFout
from workflow.basis.oorzaken import oorzaak

T = TypeVar("T")

#: Definitions files and the config file: far larger than any real one, small enough to parse fast.
MAX_INVOER = 1_000_000


class BestandFout(GebruikersFout):
    """An input or output file we cannot or will not use; the message names it."""


def _soort(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISFIFO(mode):
        return "een named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    if stat.S_ISSOCK(mode):
        return "een socket"
    if stat.S_ISLNK(mode):
        return "een symbolische koppeling"
    return "geen gewoon bestand"


def _reden(exc: OSError) -> str:
    import errno

    # Where a file's reason reads differently from the general cause (workflow.basis.oorzaken).
    return {
        errno.ENOENT: "bestaat niet (of verwijst naar iets dat niet bestaat)",
        errno.EACCES: "geen leesrechten",
        errno.EPERM: "geen rechten",
    }.get(exc.errno or 0) or oorzaak(exc)


#: Linux's limits on one name in a path and on a whole path (NAME_MAX, PATH_MAX).
MAX_NAAMDEEL = 255
MAX_PAD = 4095


def controleer_padlengte(pad: str | os.PathLike[str], wat: str) -> None:
    """Refuse, in Dutch, a path the system would refuse with "File name too long"; `wat` names
    where it came from (an option, a URL)."""
    ruw = os.fsencode(pad)
    if len(ruw) > MAX_PAD:
        raise BestandFout(f"{wat}: pad te lang ({len(ruw)} bytes; hoogstens {MAX_PAD})")
    langste = max((len(deel) for deel in ruw.split(b"/")), default=0)
    if langste > MAX_NAAMDEEL:
        raise BestandFout(f"{wat}: naam te lang ({langste} bytes in één deel van het pad; "
                          f"hoogstens {MAX_NAAMDEEL})")


def lees_bytes(pad: Path, maximum: int = MAX_INVOER, *, binnen: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `maximum` bytes; BestandFout with a Dutch reason.

    With `binnen`, a symbolic link must resolve to a file inside that folder.
    """
    if binnen is not None:
        try:
            doel = pad.resolve(strict=True)
        except OSError as exc:
            raise BestandFout(_reden(exc)) from None
        except RuntimeError:  # Python < 3.13 reports a symlink loop this way
            raise BestandFout("symbolische koppelingen vormen een kring") from None
        if not doel.is_relative_to(binnen.resolve()):
            raise BestandFout(f"verwijst naar {doel}, buiten de map {binnen}")
    try:
        # O_NONBLOCK: opening a FIFO without a writer must not wait; we refuse it right after.
        fd = os.open(pad, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BestandFout(_reden(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BestandFout(f"is {_soort(info.st_mode)}, geen gewoon bestand")
        if info.st_size > maximum:
            raise BestandFout(f"te groot ({info.st_size} bytes; hoogstens {maximum})")
        chunks: list[bytes] = []
        total = 0
        while total <= maximum:
            chunk = os.read(fd, min(1 << 16, maximum + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise BestandFout(_reden(exc)) from None
    finally:
        os.close(fd)
    if len(data) > maximum:
        raise BestandFout(f"te groot (meer dan {maximum} bytes)")
    return data


def _umask() -> int:
    """The process umask. Linux reports it in /proc (no change, so no race with the planner's
    threads); elsewhere it is read by setting it and setting it back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def zorg_voor_map(map_: Path, *, maak: bool) -> None:
    """A folder files go into: there already, or made (with the folders above it) only when the
    user asked (`maak`, --maak-map); BestandFout in Dutch otherwise. No command makes a folder
    unasked."""
    if map_.is_dir():
        return
    if map_.exists():
        raise BestandFout(f"kan de map {map_} niet gebruiken (bestaat al)")
    if not maak:
        raise BestandFout(f"de map {map_} bestaat niet (maak haar aan, of gebruik --maak-map)")
    try:
        map_.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BestandFout(f"kan de map {map_} niet maken ({_reden(exc)})") from None


def schrijf_atomair(pad: Path, inhoud: str | bytes, *, maak_map: bool = True,
                    fsync: bool = True) -> None:
    """Write `inhoud` to `pad` atomically; refuse to replace anything but a regular file.

    BestandFout (Dutch, naming the path) for every reason the write cannot happen. `fsync=False`
    for bulk exports that can simply be run again (thousands of files, one fsync each).
    """
    try:
        info = os.lstat(pad)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise BestandFout(f"kan {pad} niet schrijven ({_reden(exc)})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise BestandFout(f"kan {pad} niet schrijven: het is {_soort(info.st_mode)}; "
                          f"kies een gewoon bestand")
    map_ = pad.parent
    if not map_.is_dir():
        if map_.exists():
            raise BestandFout(f"kan {pad} niet schrijven: {map_} is geen map")
        if not maak_map:
            raise BestandFout(f"kan {pad} niet schrijven: de map {map_} bestaat niet "
                              f"(maak haar aan, of gebruik --maak-map)")
        try:
            map_.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BestandFout(f"kan de map {map_} niet maken ({_reden(exc)})") from None
    data = inhoud.encode("utf-8") if isinstance(inhoud, str) else inhoud
    try:
        handle, tijdelijk = tempfile.mkstemp(dir=map_, prefix=f".{pad.name}.", suffix=".tmp")
    except OSError as exc:
        raise BestandFout(f"kan {pad} niet schrijven ({_reden(exc)})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if fsync:
                os.fsync(out.fileno())
        # mkstemp gives 0600; a file we write must be readable like any other (issue 9).
        os.chmod(tijdelijk, 0o666 & ~_umask())
        os.replace(tijdelijk, pad)
    except OSError as exc:
        Path(tijdelijk).unlink(missing_ok=True)
        raise BestandFout(f"kan {pad} niet schrijven ({_reden(exc)})") from None
    except BaseException:
        Path(tijdelijk).unlink(missing_ok=True)
        raise


def vervang_map(doel: Path, vul: Callable[[Path], T]) -> T:
    """Fill a new folder beside `doel` with `vul(folder)`, then put it in `doel`'s place.

    For exports of many files: a reader of `doel` sees the old folder or the new one, never half
    of it, and a failure (disk full, Ctrl-C) leaves the old one as it was. The folder `doel`
    goes in must exist. Files written into
    the new folder need no atomic write of their own. BestandFout (Dutch) when `doel` is
    anything but a folder, or the new one cannot be made."""
    ouder = doel.parent
    if not ouder.is_dir():  # the export is made, the folder it goes in is not (no --maak-map)
        raise BestandFout(f"kan {doel} niet schrijven: de map {ouder} bestaat niet")
    try:
        if doel.is_symlink() or (doel.exists() and not doel.is_dir()):
            info = os.lstat(doel)
            raise BestandFout(f"kan {doel} niet vervangen: het is {_soort(info.st_mode)}; "
                              f"kies een map")
        nieuw = Path(tempfile.mkdtemp(prefix=f".{doel.name}-nieuw-", dir=ouder))
    except OSError as exc:
        raise BestandFout(f"kan {doel} niet schrijven ({_reden(exc)})") from None
    try:
        resultaat = vul(nieuw)
        nieuw.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the umask decides
        oud = ouder / f".{doel.name}-oud-{os.getpid()}"
        if doel.exists():
            doel.rename(oud)
        nieuw.rename(doel)
        shutil.rmtree(oud, ignore_errors=True)
        return resultaat
    except OSError as exc:
        shutil.rmtree(nieuw, ignore_errors=True)
        raise BestandFout(f"kan {doel} niet schrijven ({_reden(exc)})") from None
    except BaseException:
        shutil.rmtree(nieuw, ignore_errors=True)
        raise


def lees_geregistreerd(pad: Path, sha256: str, grootte: int) -> bytes | None:
    """A registered document's bytes if the file still holds the registered content (size and
    SHA-256); None when it vanished, cannot be read or changed since it was registered."""
    import hashlib

    try:
        if not pad.is_file() or pad.stat().st_size != grootte:
            return None
        inhoud = pad.read_bytes()
    except OSError:
        return None
    return inhoud if hashlib.sha256(inhoud).hexdigest() == sha256 else None
