"""Where things are: definitions, templates, database, outgoing mail. From options, environment
variables and an optional config file (`besluitroute.toml`), in that order of precedence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.fouten import GebruikersFout

if TYPE_CHECKING:
    from workflow.db import Database
    from workflow.definities import Definities
    from workflow.routes import Routes

CONFIG_BESTAND = "besluitroute.toml"
STANDAARD_DATABASE = "sqlite:///besluitroute.db"


def database_url(option: str | None, config_value: str | None = None) -> str:
    """`--database`, else BESLUITROUTE_DATABASE_URL, else the config file, else besluitroute.db."""
    return option or os.environ.get("BESLUITROUTE_DATABASE_URL") or config_value or \
        STANDAARD_DATABASE


def meegeleverd(naam: str) -> Path:
    """The shipped `definities` or `sjablonen`: beside the package in a checkout, inside it when
    installed from a wheel."""
    checkout = Path(__file__).resolve().parent.parent / naam
    if checkout.is_dir():
        return checkout
    # Inside an installed wheel (hatch force-include puts them beside the package's modules).
    return Path(__file__).resolve().parent / "_meegeleverd" / naam


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


def lees_config(pad: Path | None) -> dict[str, Any]:
    """The config file: `--config`, else BESLUITROUTE_CONFIG, else ./besluitroute.toml if present."""
    if pad is None and os.environ.get("BESLUITROUTE_CONFIG"):
        pad = Path(os.environ["BESLUITROUTE_CONFIG"])
    explicit = pad is not None
    pad = pad or Path(CONFIG_BESTAND)
    if not pad.exists():
        if explicit:
            raise GebruikersFout(f"configuratiebestand {pad} bestaat niet")
        return {}
    import tomllib

    from workflow.bestanden import BestandFout, lees_bytes

    try:
        # A regular file of at most 1 MB: a FIFO would hang, /dev/zero would run away.
        tekst = lees_bytes(pad).decode("utf-8")
        data = tomllib.loads(tekst)
    except BestandFout as exc:
        raise GebruikersFout(f"configuratiebestand {pad}: {exc}") from None
    except UnicodeDecodeError:
        raise GebruikersFout(f"configuratiebestand {pad}: geen tekst (geen geldige UTF-8)") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise GebruikersFout(f"{pad}: ongeldige TOML ({exc})") from None
    data["_pad"] = pad
    return data


@dataclass
class Omgeving:
    """Everything a command needs, built lazily so `--help` imports nothing heavy."""

    definities_map: Path
    sjablonen_map: Path | None  #: the user's overrides; shipped templates are the fallback
    database_url: str
    uitgaand_map: Path
    config: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def maak(cls, *, definities: Path | None = None, sjablonen: Path | None = None,
             database: str | None = None, config: Path | None = None) -> Omgeving:
        cfg = lees_config(config)
        base = cfg["_pad"].parent if "_pad" in cfg else Path.cwd()

        def pad(option: Path | None, env: str, key: str) -> Path | None:
            if option is not None:
                return option
            if os.environ.get(env):
                return Path(os.environ[env])
            if key in cfg:
                return base / str(cfg[key])
            return None

        return cls(
            definities_map=pad(definities, "BESLUITROUTE_DEFINITIES", "definities")
            or meegeleverd("definities"),
            sjablonen_map=pad(sjablonen, "BESLUITROUTE_SJABLONEN", "sjablonen"),
            database_url=database_url(database, cfg.get("database")),
            uitgaand_map=pad(None, "BESLUITROUTE_UITGAAND", "uitgaand") or Path("uitgaand"),
            config=cfg,
        )

    @cached_property
    def definities(self) -> Definities:
        from workflow import definities

        return definities.load(self.definities_map)

    @cached_property
    def routes(self) -> Routes:
        from workflow.routes import Routes

        return Routes(self.definities)

    @cached_property
    def db(self) -> Database:
        from workflow.db import Database

        return Database(self.database_url)

    def sluit(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()
