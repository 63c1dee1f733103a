"""A mistake deep in the domain reaches the visitor as the HTTP status of its kind, with its
Dutch message and without a traceback: an unknown thing is 404, a conflict between two writers
409, bad input 400, a refusal 403, broken definitions 500 (SQLite and PostgreSQL).

The portal's own pages never raise on purpose; to meet each kind the way a page would meet it
deep in a call, the application gets one extra route that calls the domain with bad input."""

from __future__ import annotations

import pytest

from workflow.basis.fouten import Conflict, DefinitieFout, GebruikersFout, NietGevonden, OngeldigeStap
from workflow.omgeving import Omgeving
from workflow.voorstellen import lezen
from workflow.web.fouten import Verboden


@pytest.mark.parametrize(("fout", "status"), [
    (NietGevonden("onbekend kenmerk: 2099-999"), 404),
    (Conflict("iemand anders wijzigde het voorstel; probeer het opnieuw"), 409),
    (OngeldigeStap("dat kan niet in deze stand"), 409),
    (Verboden("alleen voor de secretaris"), 403),
    (DefinitieFout("definities/organen.yaml regel 3: onbekend orgaan"), 500),
    (GebruikersFout("de titel is te lang"), 400),
])
def test_each_kind_of_mistake_has_its_own_status(omgeving: Omgeving, fout: GebruikersFout,
                                                 status: int) -> None:
    from workflow.web.app import maak_app

    app = maak_app(omgeving, veilige_cookies=False, proxies=0)

    def faalt() -> str:
        raise fout

    app.add_url_rule("/faalt", "faalt", faalt)
    antwoord = app.test_client().get("/faalt")
    assert antwoord.status_code == status
    assert str(fout) in antwoord.get_data(as_text=True)
    assert "Traceback" not in antwoord.get_data(as_text=True)


def test_an_unknown_kenmerk_from_the_domain_is_a_404(omgeving: Omgeving) -> None:
    from workflow.web.app import maak_app

    app = maak_app(omgeving, veilige_cookies=False, proxies=0)

    def voorstel_van_elders() -> str:
        # As a page that looks a proposal up through the domain would.
        return str(lezen.dossier(omgeving, "2099-999"))

    app.add_url_rule("/elders", "elders", voorstel_van_elders)
    antwoord = app.test_client().get("/elders")
    assert antwoord.status_code == 404
    assert "2099-999" in antwoord.get_data(as_text=True)
