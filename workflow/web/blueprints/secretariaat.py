"""The secretariat's board: what is due, per body the secretary serves."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, url_for

from workflow.web import gegevens
from workflow.web.fouten import Verboden
from workflow.web.portaal import huidig

bp = Blueprint("secretariaat", __name__)


@bp.get("/secretariaat")
def bord() -> Any:
    b = g.bezoeker
    if not b.ingelogd:
        return redirect(url_for("inloggen.inloggen", volgende="secretariaat"))
    if not b.is_secretaris:
        raise Verboden("Het secretariaatsbord is er voor de secretarissen van de organen.")
    return render_template("web/secretariaat.html", **gegevens.secretariaat(huidig().env, b, g.nu))
