"""The proposal page draws the route as a timeline: every step of the route in order, held,
planned or still open, with its meetings; a moved meeting says where it was; the documents are
linked with their versions; no block repeats (SQLite and PostgreSQL).

Seed 002: programmateam 14 June, stuurgroep 23 June, AOJ 24 June, AB platform jeugd 2 July
2021. The route is walked up to the AOJ, whose meeting moves to 28 June; a member of the AB
looks on 25 June."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import documentbestanden
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.voorstellen import documenten, vergaderwijziging

LID_AB = "wethouder.jeugd@capelle.example"


def _client(omgeving: Omgeving, email: str) -> Any:
    from workflow.web import opslag
    from workflow.web.app import COOKIE, maak_app

    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()
    token, _ = opslag.maak_link(omgeving, email)
    _, sessie = opslag.gebruik_link(omgeving, token)  # type: ignore[misc]
    client.set_cookie(COOKIE, sessie)
    return client


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_route_is_a_timeline_of_held_planned_and_open_steps(omgeving: Omgeving,
                                                                  tmp_path: Path) -> None:
    route = walk_2021(omgeving, tot="aoj")
    act_as("2021-06-21T10:00")
    vergaderwijziging.verplaats(omgeving, route.aoj, datetime(2021, 6, 28, 14, 0, tzinfo=TZ),
                                door="secretariaat")
    stuk = tmp_path / "plan.pdf"
    stuk.write_bytes(documentbestanden.pdf("Plan van aanpak, eerste versie"))
    documenten.registreer(omgeving, route.kenmerk, stuk, door="secretariaat")
    stuk.write_bytes(documentbestanden.pdf("Plan van aanpak, tweede versie"))
    documenten.registreer(omgeving, route.kenmerk, stuk, door="secretariaat")
    act_as("2021-06-25T12:00")
    client = _client(omgeving, LID_AB)
    html = client.get(f"/voorstel/{route.kenmerk}").get_data(as_text=True)

    lijn = html.split('<ol class="route">', 1)[1].split("</ol>", 1)[0]
    stappen = re.findall(r'<li class="stap (\w+)"><span class="stapkop"><strong>([^<]+)</strong>',
                         lijn)
    assert stappen == [("gehouden", "Programmateam regiovisie"),
                       ("gehouden", "Stuurgroep transformatie"),
                       ("gepland", "Ambtelijk Overleg Jeugd"),
                       ("open", "AB platform jeugd")], stappen
    tekst = _tekst(lijn)
    assert "AB platform jeugd (ter besluitvorming): nog niet gepland" in tekst, tekst
    assert "28 juni 2021 14:00: geagendeerd, nagekomen, verplaatst (was 24 juni 2021 13:00)" in tekst, tekst
    # The documents: the current version linked, the earlier one folded away with its link.
    documentdeel = html.split('id="documenten-kop"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<a href="/document/\d+">plan.pdf</a> <span class="meta">\(versie 2,',
                     documentdeel)
    assert re.search(r'<a href="/document/\d+">Versie 1</a>', documentdeel)
    # A PDF opens in the browser (inline, as application/pdf), with its registered content.
    pdf = re.search(r'<a href="(/document/\d+)">plan.pdf</a>', documentdeel)
    assert pdf
    antwoord = client.get(pdf.group(1))
    assert antwoord.status_code == 200 and antwoord.mimetype == "application/pdf"
    assert antwoord.headers["Content-Disposition"].startswith("inline;")
    assert antwoord.data == stuk.read_bytes()
    # No block twice: the advice is on the cover sheet only; no "positief (positief)".
    assert "Advies tot nu toe" not in html
    assert "positief (positief)" not in html
    clock.act_as(None)
