"""The month calendar: per body, and for all the bodies a member belongs to, each meeting on its
day with its submission deadline and agenda dispatch; a moved meeting says where it was, a
cancelled one says so (SQLite and PostgreSQL). The start page lists what was published in the
last weeks.

Seed 002: the AOJ meets on 24 June 2021 (moved here to 1 July at 14:00); the AB platform jeugd on
2 July 2021, its agenda published with the dispatch on Friday 25 June 09:00."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock, tekst
from workflow.basis.clock import TZ
from workflow.kalender import werkdagen
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.opslag.models import Vergadering
from workflow.voorstellen import vergaderwijziging


def _client(omgeving: Omgeving) -> Any:
    from workflow.web.app import maak_app

    return maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()


def _dag(html: str, dag: date) -> str:
    """The items of one day in the month's list ("Per dag"), as text."""
    lijst = html.split('class="maandlijst"', 1)[1]
    match = re.search(r"<dt>" + re.escape(tekst.dag_datum(dag)) + r"(?: \(vandaag\))?</dt>\s*"
                      r"<dd>(.*?)</dd>", lijst, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def _dagen(html: str) -> list[str]:
    lijst = html.split('class="maandlijst"', 1)[1]
    return re.findall(r"<dt>([^<]+)</dt>", lijst)


def test_a_bodys_month_shows_its_meetings_deadlines_and_dispatch(omgeving: Omgeving) -> None:
    route = walk_2021(omgeving)
    act_as("2021-06-20T10:00")
    vergaderwijziging.verplaats(omgeving, route.aoj, datetime(2021, 7, 1, 14, 0, tzinfo=TZ),
                                door="secretariaat")
    publiceren.publiceer(omgeving, datetime(2021, 6, 25, 9, 0, tzinfo=TZ))
    act_as("2021-06-25T12:00")
    client = _client(omgeving)

    antwoord = client.get("/orgaan/ab-platform-jeugd/maand/2021-07")
    assert antwoord.status_code == 200
    html = antwoord.get_data(as_text=True)
    # Every meeting of the AB in July, from the database, on its own day; nothing else.
    ab = omgeving.definities.organen["ab-platform-jeugd"]
    with omgeving.db.lees() as session:
        juli = [v for v in session.scalars(select(Vergadering).where(
            Vergadering.orgaan == "ab-platform-jeugd")) if
            (clock.local(v.begin).year, clock.local(v.begin).month) == (2021, 7)]
    assert juli
    for v in juli:
        begin = clock.local(v.begin)
        assert f"{tekst.tijd(begin)} Vergadering AB platform jeugd" in _dag(html, begin.date())
    # The meeting of 2 July is public: linked. Its deadline and dispatch are in June's month.
    assert f'href="/vergadering/{route.ab}"' in html
    juni = client.get("/orgaan/ab-platform-jeugd/maand/2021-06").get_data(as_text=True)
    begin_ab = datetime(2021, 7, 2, 10, 0, tzinfo=TZ)
    assert "Aanleveren voor AB platform jeugd (vergadering 2 juli 2021)" in _dag(
        juni, werkdagen.aanleverdatum(ab, begin_ab))
    verzenden = clock.local(werkdagen.verzendmoment(ab, begin_ab))
    assert f"{tekst.tijd(verzenden)} Agenda verzenden AB platform jeugd" in _dag(
        juni, verzenden.date())
    # The AOJ is closed: the public gets a 404, a member of the AB too.
    assert client.get("/orgaan/aoj/maand/2021-07").status_code == 404
    # Bad input is one Dutch line and a 400.
    fout = client.get("/orgaan/ab-platform-jeugd/maand/2021-13")
    assert fout.status_code == 400 and "is geen maand" in fout.get_data(as_text=True)
    # Previous and next month are links.
    assert 'href="/orgaan/ab-platform-jeugd/maand/2021-08"' in html
    assert 'href="/orgaan/ab-platform-jeugd/maand/2021-06"' in html
    clock.act_as(None)


def test_a_members_month_holds_all_their_bodies_and_marks_changes(omgeving: Omgeving) -> None:
    from workflow.web import opslag
    from workflow.web.app import COOKIE

    route = walk_2021(omgeving, tot="aoj")
    act_as("2021-06-20T10:00")
    vergaderwijziging.verplaats(omgeving, route.aoj, datetime(2021, 7, 1, 14, 0, tzinfo=TZ),
                                door="secretariaat")
    vergaderwijziging.annuleer(omgeving, route.ab, door="secretariaat")
    client = _client(omgeving)
    assert client.get("/mijn/maand/2021-07").status_code == 302  # not signed in
    email = "jeugd@capelle.example"  # AOJ (and, in the shipped definitions, not the AB)
    token, _ = opslag.maak_link(omgeving, email)
    _, sessie = opslag.gebruik_link(omgeving, token)  # type: ignore[misc]
    client.set_cookie(COOKIE, sessie)
    html = client.get("/mijn/maand/2021-07").get_data(as_text=True)
    aoj = _dag(html, date(2021, 7, 1))
    assert "14:00 Vergadering Ambtelijk Overleg Jeugd" in aoj
    assert "verplaatst (was 24 juni 2021" in aoj
    # The AB is public: its month shows the cancelled meeting as cancelled, without deadlines.
    ab = _dag(client.get("/orgaan/ab-platform-jeugd/maand/2021-07").get_data(as_text=True),
              date(2021, 7, 2))
    assert "Vergadering AB platform jeugd" in ab and "geannuleerd" in ab
    juni = client.get("/orgaan/ab-platform-jeugd/maand/2021-06").get_data(as_text=True)
    assert "vergadering 2 juli 2021" not in juni
    # Only the member's own bodies.
    from workflow.web import toegang

    bezoeker = toegang.bezoeker(omgeving.definities, email)
    with omgeving.db.lees() as session:
        organen = {v.orgaan for v in session.scalars(select(Vergadering))
                   if (clock.local(v.begin).year, clock.local(v.begin).month) == (2021, 7)}
    vreemd = sorted(organen - bezoeker.organen)
    assert vreemd
    for sleutel in vreemd:
        assert f"Vergadering {omgeving.definities.organen[sleutel].naam}" not in html
    clock.act_as(None)


def test_the_start_page_lists_what_was_published_lately(omgeving: Omgeving) -> None:
    route = walk_2021(omgeving)
    client = _client(omgeving)
    act_as("2021-06-24T12:00")
    assert "Agenda AB platform jeugd, vrijdag 2 juli 2021" not in client.get("/").get_data(
        as_text=True)
    publiceren.publiceer(omgeving, datetime(2021, 6, 25, 9, 0, tzinfo=TZ))
    act_as("2021-06-25T12:00")
    html = client.get("/").get_data(as_text=True)
    onlangs = html.split('id="onlangs-kop"', 1)[1].split("</section>", 1)[0]
    assert f'href="/vergadering/{route.ab}">Agenda AB platform jeugd, vrijdag 2 juli 2021' \
        in onlangs
    assert "gepubliceerd op 25 juni 2021 09:00" in onlangs
    # Three weeks later it has dropped off the list.
    act_as("2021-07-17T12:00")
    html = client.get("/").get_data(as_text=True)
    assert f'href="/vergadering/{route.ab}">Agenda' not in html.split('id="onlangs-kop"', 1)[1]
    clock.act_as(None)
