"""A proposal's step through its route's state machine, and the refusal when the step is not
allowed: one Dutch sentence, completed with where each branch of a group step stands. Apart from
workflow.voorstellen.kern because the branches (workflow.voorstellen.takken) build on kern.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from workflow.omgeving import Omgeving
from workflow.opslag.models import Voorstel
from workflow.routes import machine as routemachine
from workflow.voorstellen import takken


def vuur(env: Omgeving, voorstel: Voorstel, trigger: str) -> str:
    machine = env.routes.machine(voorstel.route)
    try:
        return machine.vuur(voorstel.toestand, trigger)
    except routemachine.MachineError:
        weigering = routemachine.weiger(voorstel.kenmerk, machine, voorstel.toestand, trigger,
                                        env.definities)
        session = object_session(voorstel)
        waar = takken.stand_van(env, session, voorstel) if session is not None else None
        if waar:  # still one sentence: where each branch stands
            raise type(weigering)(f"{weigering}; {waar}") from None
        raise weigering from None
