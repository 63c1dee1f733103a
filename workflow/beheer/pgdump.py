"""PostgreSQL's own client programs for backup and restore: pg_dump (custom format) and
pg_restore, found on PATH and checked against the server's major version.

The password never goes on the command line (other users see it in `ps`): it travels in the
child's environment as PGPASSWORD.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from workflow.basis.fouten import GebruikersFout

#: Debian's package name for the client programs of a major version.
PAKKET = "postgresql-client-{versie}"


@dataclass(frozen=True)
class Verbinding:
    """What the client programs need: a libpq URI without password, and the password apart."""

    uri: str
    wachtwoord: str | None

    def omgeving(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.wachtwoord is not None:
            env["PGPASSWORD"] = self.wachtwoord
        return env


def verbinding(url: str) -> Verbinding:
    """A SQLAlchemy URL (`postgresql+psycopg2://...?options=...`) as a libpq connection URI."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    wachtwoord = parsed.password
    kaal = parsed.set(drivername="postgresql", password=None)
    return Verbinding(kaal.render_as_string(hide_password=False), wachtwoord)


def programma(naam: str, server_versie: int) -> str:
    """The path of `naam` (pg_dump, pg_restore), at least as new as the server; else one Dutch
    line saying what to install."""
    pad = shutil.which(naam)
    pakket = PAKKET.format(versie=server_versie)
    if pad is None:
        raise GebruikersFout(f"{naam} ontbreekt: een reservekopie van PostgreSQL gaat met {naam} "
                             f"(installeer bijvoorbeeld het pakket {pakket})")
    uitvoer = subprocess.run([pad, "--version"], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    gevonden = re.search(r"(\d+)(?:\.\d+)?", uitvoer)
    versie = int(gevonden.group(1)) if gevonden else 0
    # pg_dump refuses a newer server; a dump from a newer pg_dump is one an older pg_restore
    # cannot read. Same major version or newer, then.
    if versie < server_versie:
        raise GebruikersFout(f"{naam} is versie {versie or '?'}, de server versie "
                             f"{server_versie}: gebruik {naam} {server_versie} of nieuwer "
                             f"(pakket {pakket})")
    return pad


def draai(opdracht: list[str], doel: Verbinding, wat: str) -> None:
    """Run a client program; its first error line, in a Dutch sentence, when it fails."""
    resultaat = subprocess.run(opdracht, capture_output=True, text=True, env=doel.omgeving(),
                               check=False)
    if resultaat.returncode != 0:
        regels = [r.strip() for r in resultaat.stderr.splitlines() if r.strip()]
        reden = regels[0] if regels else f"exitcode {resultaat.returncode}"
        raise GebruikersFout(f"{wat} mislukt: {reden[:300]}")


def dump(url: str, doel: Path, *, schema: str, snapshot: str, server_versie: int) -> None:
    """pg_dump of one schema in the custom format, from the exported snapshot `snapshot` (so
    the counts read in that transaction describe exactly this dump)."""
    con = verbinding(url)
    draai([programma("pg_dump", server_versie), "--format=custom", f"--schema={schema}",
           f"--snapshot={snapshot}", "--no-owner", "--no-privileges", f"--file={doel}",
           f"--dbname={con.uri}"], con, "pg_dump")


def herstel(url: str, bron: Path, *, server_versie: int, schema_bestaat: bool) -> None:
    """pg_restore in one transaction: on any error nothing of the copy stays behind.

    A schema the target already has (`public` in every new database) is left out of the
    restore list: creating it again would fail the whole restore."""
    import tempfile

    con = verbinding(url)
    pg_restore = programma("pg_restore", server_versie)
    opdracht = [pg_restore, "--single-transaction", "--exit-on-error", "--no-owner",
                "--no-privileges", f"--dbname={con.uri}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lijst", encoding="utf-8") as lijst:
        if schema_bestaat:
            inhoud = subprocess.run([pg_restore, "--list", str(bron)], capture_output=True,
                                    text=True, check=False).stdout
            lijst.write("".join(r for r in inhoud.splitlines(keepends=True)
                                if " SCHEMA - " not in r and " COMMENT - SCHEMA " not in r))
            lijst.flush()
            opdracht.append(f"--use-list={lijst.name}")
        draai([*opdracht, str(bron)], con, "pg_restore")
