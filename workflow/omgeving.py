"""Where things are: definitions, templates, database, outgoing mail. From options, environment
variables and an optional config file (`besluitroute.toml`), in that order of precedence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workflow.basis.fouten import GebruikersFout
from workflow.basis.instellingen import (
    OMGEVING_CONFIG,
    PAD_SLEUTEL,
    Instellingen,
    controleer,
    van,
)
from workflow.basis.paden import meegeleverd

if TYPE_CHECKING:
    from workflow.definities.model import Definities
    from workflow.opslag.db import Database
    from workflow.routes.machine import Routes

CONFIG_BESTAND = "besluitroute.toml"
STANDAARD_DATABASE = "sqlite:///besluitroute.db"


def database_url(option: str | None, instelling: str | None = None) -> str:
    """`--database`, else the setting (BESLUITROUTE_DATABASE_URL, the config file), else
    besluitroute.db. An empty `--database` is a mistake, not a request for the default."""
    if option is not None:
        if not option.strip():
            raise GebruikersFout("--database: geef een database-URL, bijvoorbeeld "
                                 "sqlite:///besluitroute.db")
        return option
    return instelling or STANDAARD_DATABASE


def lees_config(pad: Path | None) -> dict[str, Any]:
    """The config file: `--config`, else BESLUITROUTE_CONFIG, else ./besluitroute.toml if present;
    checked against the declared settings (workflow.basis.instellingen)."""
    if pad is None and os.environ.get(OMGEVING_CONFIG):
        pad = Path(os.environ[OMGEVING_CONFIG])
    explicit = pad is not None
    pad = pad or Path(CONFIG_BESTAND)
    if not pad.exists():
        if explicit:
            raise GebruikersFout(f"configuratiebestand {pad} bestaat niet")
        return {}
    import tomllib

    from workflow.basis.bestanden import BestandFout, lees_bytes

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
        from workflow.basis.oorzaken import toml_plaats

        raise GebruikersFout(f"{pad}: {toml_plaats(str(exc))}") from None
    controleer(data, pad)
    data[PAD_SLEUTEL] = pad
    return data


@dataclass
class Omgeving:
    """Everything a command needs, built lazily so `--help` imports nothing heavy."""

    definities_map: Path
    sjablonen_map: Path | None  #: the user's overrides; shipped templates are the fallback
    database_url: str
    uitgaand_map: Path
    config: dict[str, Any] = field(default_factory=dict)
    #: True when the folder was named (option, environment, config): it must then hold exactly
    #: the applied version. The shipped default is only used before `init`.
    definities_expliciet: bool = False
    #: False in the commands that manage definitions themselves (init, definities ...).
    map_controleren: bool = True
    #: The number of the applied version `definities` holds (None: a folder, before `init`).
    versie: int | None = None

    @classmethod
    def maak(cls, *, definities: Path | None = None, sjablonen: Path | None = None,
             database: str | None = None, config: Path | None = None) -> Omgeving:
        cfg = lees_config(config)
        ingesteld = van(cfg)
        definities_map = definities if definities is not None else ingesteld.definities
        return cls(
            definities_map=definities_map or meegeleverd("definities"),
            sjablonen_map=sjablonen if sjablonen is not None else ingesteld.sjablonen,
            database_url=database_url(database, ingesteld.database),
            uitgaand_map=ingesteld.uitgaand or Path("uitgaand"),
            config=cfg,
            definities_expliciet=definities_map is not None,
        )

    @property
    def instellingen(self) -> Instellingen:
        """The typed settings (not cached: a test or the demo may change `config`)."""
        return van(self.config)

    @cached_property
    def definities(self) -> Definities:
        """The applied version in the database (see workflow.definities.versies)."""
        from workflow.definities import versies

        return versies.actueel(self)

    def ververs_definities(self) -> bool:
        """A long-running process: pick up a version applied since; True if there was one."""
        from workflow.definities import versies

        if "definities" not in self.__dict__:
            return False
        kop = versies.toegepaste_kop(self)
        if kop is None or kop.nummer == self.versie:
            return False
        self.__dict__.pop("definities", None)
        self.__dict__.pop("routes", None)
        return True

    def gebruik(self, definities: Definities) -> None:
        """Work from these definitions from now on (init and applying a new version)."""
        self.__dict__["definities"] = definities
        self.__dict__.pop("routes", None)

    @cached_property
    def routes(self) -> Routes:
        from workflow.routes.machine import Routes

        return Routes(self.definities)

    @cached_property
    def db(self) -> Database:
        from workflow.opslag.db import Database

        db = Database(self.database_url)
        if self.definities_expliciet:
            db.voor_gebruik = self._controleer_map
        return db

    def _controleer_map(self) -> None:
        """Before the first database use: a named folder must hold the applied version."""
        if self.map_controleren:
            from workflow.definities import versies

            versies.controleer_map(self)

    def sluit(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()
