"""What the calendar's reports need of the environment: the definitions and the database.

Named by shape (workflow.omgeving.Omgeving fits it), so the calendar does not import the
environment, which also builds the route machines: the calendar knows nothing of routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from workflow.definities.model import Definities
    from workflow.opslag.db import Database


class Bron(Protocol):
    @property
    def definities(self) -> Definities: ...

    @property
    def db(self) -> Database: ...
