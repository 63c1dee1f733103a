"""What of a body, meeting or proposal this visitor may see, as the data of its page: 404 when
there is nothing to see (an unpublished page reads as an unknown one). The rule of what is
public is workflow.openbaarheid.zichtbaarheid (shared with OParl and the Woo-index); this
module applies it per visitor and keeps the rendered data per worker."""

from __future__ import annotations

from typing import Any

from flask import abort, g, request
from sqlalchemy import select

from workflow.web import feedstempel, gegevens, stempels, toegang
from workflow.web.bronnen import Orgaan, Vergadering, Voorstel
from workflow.web.portaal import (
    MAX_VERGADERINGEN_IN_CACHE,
    MAX_VOORSTELLEN_IN_CACHE,
    bewaar,
    huidig,
)


def orgaan(sleutel: str) -> Orgaan:
    o = huidig().env.definities.organen.get(sleutel)
    if o is None or sleutel not in g.bezoeker.zichtbaar:
        abort(404)
    return o


def vergadering(vergadering_id: int) -> dict[str, Any]:
    """The data of a meeting page for this visitor: everything for a member of its body, else
    what is published now.

    Rendering the agenda and decision list is the costly part; the result is kept under
    everything it shows: the meeting's own fields, what of it is public now, and the
    fingerprint of its body's meetings, history, documents and definitions (the feeds' ETag).
    Three indexed queries, compiled once, decide whether it can be reused."""
    portaal = huidig()
    env = portaal.env
    gevonden = stempels.vergadering(env, vergadering_id)
    if gevonden is None:
        abort(404)
    orgaan_, velden = gevonden
    nu_openbaar = toegang.openbaar(env, vergadering_id, g.nu)
    eigen = orgaan_ in g.bezoeker.organen
    if not eigen and not nu_openbaar.pagina:
        abort(404)
    stempel, laatst, _ = feedstempel.stempel(env, [orgaan_])
    sleutel = (request.script_root, vergadering_id, eigen, nu_openbaar.sleutel, stempel,
               laatst, velden, velden[1] <= g.nu)
    data = portaal.vergaderingen.get(sleutel)
    if data is not None:
        portaal.vergaderingen.move_to_end(sleutel)
        return data
    with env.db.lees() as session:
        v = session.get(Vergadering, vergadering_id)
    if v is None:  # removed since the first question
        abort(404)
    data = gegevens.vergadering(env, v, g.nu, None if eigen else nu_openbaar)
    bewaar(portaal.vergaderingen, sleutel, data, MAX_VERGADERINGEN_IN_CACHE)
    return data


def voorstel(kenmerk: str) -> dict[str, Any]:
    """The data of a proposal page for this visitor.

    Kept under the visitor's bodies and the page's change stamp (workflow.web.stempels): one
    indexed query decides whether the kept data (or the kept refusal) still holds."""
    portaal = huidig()
    env = portaal.env
    if len(kenmerk) > 20:
        abort(404)
    stempel = stempels.voorstel(env, kenmerk, g.nu)
    if stempel is None:
        abort(404)
    sleutel = (request.script_root, kenmerk, g.bezoeker.organen, stempel, id(env.definities))
    if sleutel in portaal.voorstellen:
        portaal.voorstellen.move_to_end(sleutel)
        data = portaal.voorstellen[sleutel]
    else:
        with env.db.lees() as session:
            v = session.scalar(select(Voorstel).where(
                Voorstel.id == stempel[0], gegevens.zichtbaar_voorstel(g.bezoeker, g.nu)))
        data = gegevens.voorstel(env, g.bezoeker, v, g.nu) if v is not None else None
        bewaar(portaal.voorstellen, sleutel, data, MAX_VOORSTELLEN_IN_CACHE)
    if data is None:
        abort(404)
    return data
