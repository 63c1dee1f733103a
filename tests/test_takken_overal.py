"""Issue 26, the parts that show a route with branches everywhere: the P&C cycle's dated duties
in the weekly overview, `besluitroute week` and the secretariat board; the zienswijze periods in
the portal's calendar feeds. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

Besluitroute = Callable[..., Any]
AB_SECRETARIS = "bestuurssecretariaat@grjr.example"
KADERNOTA = "Kadernota en voorlopige jaarrekening naar de raden"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _weekoverzicht(omgeving: Any, week: str) -> str:
    from workflow.berichten.uitgaand import Bericht

    with omgeving.db.lees() as session:
        tekst = session.scalar(select(Bericht.tekst).where(
            Bericht.sleutel == f"weekoverzicht:{week}:{AB_SECRETARIS}"))
    assert tekst is not None, f"geen weekoverzicht {week} voor de secretaris van het AB"
    return " ".join(tekst.split())


def test_the_pc_cycle_duties_show_in_the_weekly_mail_week_and_the_board(
        omgeving: Any, besluitroute: Besluitroute) -> None:
    # Monday 5 April 2027: the kadernota must go to the councils by 15 April (Wgr art. 34b).
    staat = json.loads(ok(besluitroute("week", "--orgaan", "ab-platform-jeugd", "--json",
                                       nu="2027-04-05T09:00")))
    termijnen = {t["omschrijving"]: t for t in staat["termijnen"]}
    assert (termijnen[KADERNOTA]["uiterlijk"], termijnen[KADERNOTA]["status"]) == \
        ("2027-04-15", "open")
    assert termijnen[KADERNOTA]["artikel"] == "Wgr art. 34b"
    tekst = " ".join(ok(besluitroute("week", "--orgaan", "ab-platform-jeugd",
                                     nu="2027-04-05T09:00")).split())
    assert (f"TERMIJNEN VAN DE P&C-CYCLUS (2027) - AB platform jeugd: {KADERNOTA} "
            "(Wgr art. 34b): uiterlijk 15 april 2027; open") in tekst
    # The Monday mail of the AB's secretary names it: due within the overview's fortnight.
    ok(besluitroute("herinneringen", "verstuur", nu="2027-04-05T10:05"))
    mail = _weekoverzicht(omgeving, "2027-W14")
    assert f"TERMIJNEN VAN DE P&C-CYCLUS - AB platform jeugd: {KADERNOTA} (Wgr art. 34b): " \
           "uiterlijk 15 april 2027" in mail
    assert "verlopen" not in mail
    # A week later nothing was sent: past the date and not done, in the mail as in `week`.
    ok(besluitroute("herinneringen", "verstuur", nu="2027-04-19T10:05"))
    assert "uiterlijk 15 april 2027, verlopen en nog niet gedaan" in \
        _weekoverzicht(omgeving, "2027-W16")
    # The board of the AB's secretary: the same facts (web/secretariaat.html).
    from workflow.basis import clock
    from workflow.web.app import maak_app

    app = maak_app(omgeving, veilige_cookies=False, proxies=0)
    clock.act_as(datetime.fromisoformat("2027-04-19T11:00+02:00"))
    try:
        from flask import render_template

        from workflow.web import gegevens
        from workflow.web.toegang import Bezoeker

        bezoeker = Bezoeker(email=AB_SECRETARIS, naam="Secretaris",
                            organen=frozenset({"ab-platform-jeugd"}),
                            secretaris_van=frozenset({"ab-platform-jeugd"}),
                            zichtbaar=frozenset({"ab-platform-jeugd"}))
        with app.test_request_context("/secretariaat"):
            from flask import g

            g.nu = clock.now()
            html = " ".join(render_template("web/secretariaat.html", **gegevens.secretariaat(
                omgeving, bezoeker, clock.now())).split())
    finally:
        clock.act_as(None)
    assert "Termijnen van de P&amp;C-cyclus (2027)" in html
    assert f"{KADERNOTA} (Wgr art. 34b): uiterlijk 15 april 2027; verlopen" in html
    assert "Vastgestelde begroting naar Gedeputeerde Staten (Wgr art. 34): uiterlijk " \
           "15 september 2027; open" in html


def _kadernota_naar_de_raden(besluitroute: Besluitroute) -> str:
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Kadernota 2028",
                              "--route", "grjr-kadernota", "--opsteller", "Kwartiermaker",
                              "--beslispunt", "De kadernota vaststellen", "--door", "secretaris",
                              nu="2027-03-01T09:00")).strip()
    ok(besluitroute("voorstel", "agenderen", kenmerk, "--door", "secretaris",
                    nu="2027-03-01T09:00"))
    ok(besluitroute("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
                    "--door", "secretaris", nu="2027-03-08T18:00"))
    ok(besluitroute("voorstel", "agenderen", kenmerk, "--door", "secretaris",
                    nu="2027-03-08T18:00"))
    return kenmerk


def test_the_portals_body_feeds_show_the_last_day_of_a_zienswijze_period(
        omgeving: Any, besluitroute: Besluitroute) -> None:
    from workflow.basis import clock
    from workflow.web import opslag
    from workflow.web.app import maak_app

    kenmerk = _kadernota_naar_de_raden(besluitroute)
    termijn = json.loads(ok(besluitroute("voorstel", "toon", kenmerk, "--json")))
    [rotterdam] = [r for r in termijn["te_bespreken_in"] if r["stap"].endswith("/rotterdam")]
    laatste_dag = rotterdam["termijn_eind"]
    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()
    griffie = opslag.nieuw_feedgeheim(omgeving, "griffie@rotterdam.example")
    secretaris = opslag.nieuw_feedgeheim(omgeving, AB_SECRETARIS)
    clock.act_as(datetime.fromisoformat("2027-03-09T09:00+01:00"))
    try:
        raad = client.get(f"/kalender/p/{griffie}/orgaan/raad-rotterdam.ics")
        ab = client.get(f"/kalender/p/{secretaris}/orgaan/ab-platform-jeugd.ics")
        openbaar_voor = client.get("/kalender/orgaan/ab-platform-jeugd.ics")
    finally:
        clock.act_as(None)
    assert raad.status_code == ab.status_code == 200
    # termijn_eind is the moment the period ends (midnight): its last day is the day before.
    dag = (datetime.fromisoformat(laatste_dag) - timedelta(days=1)).strftime("%Y%m%d")
    ics = raad.get_data(as_text=True).replace("\r\n ", "")
    assert f"SUMMARY:Zienswijze {kenmerk}: laatste dag" in ics
    assert f"DTSTART;VALUE=DATE:{dag}" in ics
    assert "Einde zienswijzetermijn" not in ics  # the asking body's event: in the AB's feed
    ics = ab.get_data(as_text=True).replace("\r\n ", "")
    assert f"SUMMARY:Einde zienswijzetermijn {kenmerk}" in ics
    assert "laatste dag" not in ics
    # The public feed: not while the proposal's documents are not public.
    assert openbaar_voor.status_code == 200
    assert kenmerk not in openbaar_voor.get_data(as_text=True)


def test_oparl_has_a_consultation_per_council_once_the_proposal_is_published(
        omgeving: Any, besluitroute: Besluitroute) -> None:
    from oparl_spec import Controle

    from workflow.basis import clock
    from workflow.openbaarheid import publiceren
    from workflow.web.app import maak_app

    kenmerk = _kadernota_naar_de_raden(besluitroute)
    ok(besluitroute("voorstel", "zienswijze", kenmerk, "--raad", "rotterdam", "--uitkomst",
                    "geen-bezwaar", "--door", "griffie", nu="2027-03-20T10:00"))
    ok(besluitroute("herinneringen", "verstuur", nu="2027-05-04T09:05"))  # the period ended
    ok(besluitroute("voorstel", "zienswijze", kenmerk, "--raad", "capelle", "--uitkomst",
                    "zienswijze", "--tekst", "Na de termijn", "--door", "griffie",
                    nu="2027-05-05T10:00"))
    ok(besluitroute("voorstel", "agenderen", kenmerk, "--door", "secretaris",
                    nu="2027-05-05T11:00"))
    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()

    def get(url: str) -> tuple[int, Any]:
        r = client.get(url.removeprefix("http://localhost"))
        return r.status_code, (r.get_json() if r.is_json else None)

    def papers(nu: datetime) -> list[dict[str, Any]]:
        clock.act_as(nu)
        status, pagina = get("/oparl/v1/body/1/paper")
        assert status == 200
        return [p for p in pagina["data"] if p["reference"] == kenmerk]

    try:
        # Not published yet: no Paper, and no council consultation to guess.
        assert papers(datetime.fromisoformat("2027-05-06T09:00+02:00")) == []
        assert get("/oparl/v1/consultation/tak-1")[0] == 404
        publiceren.publiceer(omgeving, datetime.fromisoformat("2027-06-03T12:00+02:00"))
        nu = datetime.fromisoformat("2027-06-03T13:00+02:00")
        [paper] = papers(nu)
        controle = Controle(get, "http://localhost/oparl/v1/")
        controle.object_(paper)  # every embedded Consultation, and what it refers to
        raden = {c["besluitroute:gemeente"]: c for c in paper["consultation"]
                 if c["role"] == "ter zienswijze"}
        assert len(raden) == 10
        assert all("/consultation/tak-" in c["id"] and c["authoritative"] is False
                   for c in raden.values())
        assert raden["gemeente Rotterdam"]["keyword"] == ["geen bezwaar"]
        assert raden["gemeente Rotterdam"]["besluitroute:teLaat"] is False
        assert raden["gemeente Capelle aan den IJssel"]["keyword"] == ["zienswijze", "te laat"]
        assert raden["gemeente Capelle aan den IJssel"]["besluitroute:antwoord"] == "zienswijze"
        assert raden["gemeente Schiedam"]["keyword"] == ["geen zienswijze ontvangen"]
        assert raden["gemeente Schiedam"]["besluitroute:termijnEind"] == "2027-05-03"
        # Each one by its own id, as in the list, which walks on past the agenda items.
        rotterdam = raden["gemeente Rotterdam"]
        assert get(rotterdam["id"]) == (200, {**rotterdam, "created": rotterdam["created"]})
        gezien: list[str] = []
        url: str | None = "http://localhost/oparl/v1/body/1/consultation?limit=4"
        for _ in range(20):
            assert url is not None
            pagina = controle.haal(url)
            controle.pagina(pagina)
            gezien += [c["id"] for c in pagina["data"]]
            url = pagina["links"].get("next")
            if url is None:
                break
        assert len(gezien) == len(set(gezien))
        assert {c["id"] for c in raden.values()} <= set(gezien)
        assert {c["id"] for c in paper["consultation"]} == set(gezien)
        assert get("/oparl/v1/body/1/consultation?na=tak-x")[0] == 400
    finally:
        clock.act_as(None)
