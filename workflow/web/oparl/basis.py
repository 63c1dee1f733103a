"""What every OParl object is built from: the moment, the URLs, the formats (what is public
at that moment is openbaarheid.zichtbaarheid's one rule, shared with the portal).

OParl 1.1 (github.com/OParl/spec, src/2-04-json-ausgabe.md): a date is `yyyy-mm-dd`, a
date-time `yyyy-mm-ddThh:mm:ss±hh:mm` (whole seconds, an offset, never `Z`).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from workflow.web.bronnen import Definitieversie, Omgeving, clock
from workflow.web.oparl import personen

TYPE = "https://schema.oparl.org/1.1/"
PER_PAGINA = 50
MAX_PER_PAGINA = 200
BODY = "1"


def tijd(moment: datetime) -> str:
    """An OParl date-time, in Amsterdam time with its offset: 2021-06-25T09:00:00+02:00."""
    return clock.local(moment).replace(microsecond=0).isoformat()


def datum(moment: datetime) -> str:
    """An OParl date (the day in Amsterdam): 2021-06-25."""
    return clock.local(moment).date().isoformat()


def mime(naam: str) -> str:
    return mimetypes.guess_type(naam)[0] or "application/octet-stream"


def verwijderd(obj: dict[str, Any], modified: datetime, **verplicht: Any) -> dict[str, Any]:
    """A soft-deleted object (src/2-08-geloeschte-objekte.md): id, type and created stay,
    modified is the moment of deletion, `deleted: true`; still HTTP 200. `verplicht`: the
    fields its type's JSON schema requires besides id and type (AgendaItem `order`, File
    `accessUrl`), so that the stub validates against the schema too."""
    return {"id": obj["id"], "type": obj["type"], **verplicht, "created": obj["created"],
            "modified": tijd(modified), "deleted": True}


@dataclass
class Api:
    """Builds objects for one moment (`nu`), with URLs under `basis` (no trailing slash).
    `intern` False is the client's `omit_internal=true`: lists embedded in objects are left
    out (src/2-05-objektlisten-und-paginierung.md, "Filter")."""

    env: Omgeving
    basis: str
    nu: datetime
    intern: bool = True
    _definitietijden: tuple[datetime, datetime] | None = field(default=None, repr=False)
    _organen: dict[str, Any] | None = field(default=None, repr=False)
    _personen: dict[str, str] | None = field(default=None, repr=False)

    def url(self, *delen: object) -> str:
        return "/".join([self.basis, *(str(d) for d in delen)])

    def object_(self, soort: str, ident: object) -> dict[str, Any]:
        """The two fields every object starts with."""
        return {"id": self.url(soort, ident), "type": TYPE + soort[0].upper() + soort[1:]}

    def organen(self) -> dict[str, Any]:
        """The publishing organen by key (computed once per request)."""
        if self._organen is None:
            self._organen = {k: o for k, o in sorted(self.env.definities.organen.items())
                             if o.publicatie.publiceert}
        return self._organen

    def persoon_ids(self) -> dict[str, str]:
        """Address -> Person id of every member of a publishing orgaan (once per request; the
        stored ids are read through the database's change watch, drawn only for new
        addresses)."""
        if self._personen is None:
            self._personen = personen.sleutels(
                self.env, {lid.email for o in self.organen().values() for lid in o.leden})
        return self._personen

    def definitietijden(self) -> tuple[datetime, datetime]:
        """(created, modified) of what the definitions describe (Organization, Person,
        Membership, Body): the first and the newest applied version of the definitions."""
        if self._definitietijden is None:
            with self.env.db.lees() as session:
                eerst, laatst = session.execute(select(
                    func.min(Definitieversie.toegepast_op),
                    func.max(Definitieversie.toegepast_op))).one()
            self._definitietijden = (min(eerst or self.nu, self.nu), min(laatst or self.nu, self.nu))
        return self._definitietijden
