"""The portal (`besluitroute web`): the real server (gunicorn) on loopback, over HTTP and in headless
Chromium, on SQLite and PostgreSQL.

The story: in June 2021 an author submits a proposal with a hostile title for the route
Programmateam -> Stuurgroep -> AOJ -> AB platform jeugd, registers a document, and the
programme team advises. On Friday 25 June at 09:00 the agenda of the AB of 2 July and its
documents go public (Woo); the portal's clock is 25 June 12:00. The public looks at what is
published, members sign in with a mailed link to see their closed bodies, and the AOJ's
secretary reads the board.
"""

from __future__ import annotations

import contextlib
import email
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from pathlib import Path
from typing import Any

import pytest
import time_machine

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.paden import meegeleverd
from workflow.beheer import toepassen
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import documenten, herplanning, indienen, uitkomsten

TITEL = 'Jeugd <script>alert("x")</script> & <b>vet</b>'
SERVER_NU = "2021-06-25T12:00"
#: The AB's agenda of 2 July and its documents go public when sent to the members.
PUBLICATIE = "2021-06-25T09:00"
LID_AOJ = "jeugd@capelle.example"  # AOJ
LID_AB = "wethouder.jeugd@capelle.example"  # AB platform jeugd
LID_PROGRAMMATEAM = "jeugd2@bar.example"  # Programmateam only
SECRETARIS_AOJ = "secretaris.aoj@grjr.example"


def _at(text: str) -> None:
    clock.act_as(datetime.fromisoformat(text).replace(tzinfo=clock.TZ))


@dataclass
class Portaal:
    url: str
    env: Omgeving
    kenmerk: str
    uitgaand: Path
    document: Path
    host: str
    port: int

    def verzoek(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: str | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def get(self, path: str, cookie: str | None = None, **headers: str
            ) -> tuple[int, http.client.HTTPMessage, str]:
        kop = {k.replace("_", "-"): v for k, v in headers.items()}
        if cookie:
            kop["Cookie"] = cookie
        status, h, body = self.verzoek("GET", path, kop)
        return status, h, body.decode("utf-8", "replace")

    def formulier(self, pad: str, cookie: str | None = None, **headers: str
                  ) -> tuple[str, str]:
        """Open the page with a form as a browser does: (the Cookie header to send with the
        form, with the form cookie the page set; the form's CSRF token)."""
        kop = {k.replace("_", "-"): v for k, v in headers.items()}
        if cookie:
            kop["Cookie"] = cookie
        status, h, body = self.verzoek("GET", pad, kop)
        assert status == 200, (pad, status)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', body.decode())
        assert token, pad
        koekjes = [c for c in (cookie or "").split("; ") if c]
        for zet in h.get_all("Set-Cookie") or []:
            koekjes.append(zet.split(";", 1)[0])
        return "; ".join(koekjes), token.group(1)

    def post(self, pad: str, cookie: str | None = None, *, formulier: str | None = None,
             velden: dict[str, str] | None = None, **headers: str
             ) -> tuple[int, http.client.HTTPMessage, str]:
        """Send a form as a browser does: open its page (`formulier`, else `pad`) for the
        token, then POST it with the cookies."""
        from urllib.parse import urlencode

        koekjes, token = self.formulier(formulier or pad, cookie, **headers)
        kop = {"Content-Type": "application/x-www-form-urlencoded",
               **{k.replace("_", "-"): v for k, v in headers.items()}}
        if koekjes:
            kop["Cookie"] = koekjes
        status, h, body = self.verzoek("POST", pad, kop,
                                       urlencode({**(velden or {}), "csrf": token}))
        return status, h, body.decode("utf-8", "replace")

    def vraag_link(self, adres: str, **headers: str) -> str:
        """Ask for a sign-in link and read it from the mail in the outbox folder."""
        voor = set(self.uitgaand.glob("*.eml")) if self.uitgaand.exists() else set()
        status, _, body = self.post("/inloggen", velden={"email": adres}, **headers)
        assert status == 200 and "inloglink" in body, (status, body)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            nieuw = set(self.uitgaand.glob("*.eml")) - voor if self.uitgaand.exists() else set()
            if nieuw:
                bericht = email.message_from_bytes(sorted(nieuw)[0].read_bytes(),
                                                   policy=policy.default)
                assert bericht["To"] == adres
                tekst = bericht.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
                match = re.search(r"https?://\S+/inloggen/[A-Za-z0-9_-]+", tekst)
                assert match, tekst
                return match.group(0)
            time.sleep(0.1)
        raise AssertionError("geen inlogmail in de uitgaande map")

    def log_in(self, adres: str) -> str:
        """Sign in over HTTP; returns the Cookie header value."""
        link = self.vraag_link(adres)
        pad = "/" + link.split("/", 3)[3]
        status, headers, _ = self.post(pad)
        assert status == 303, status
        cookie = headers["Set-Cookie"]
        return cookie.split(";", 1)[0]


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(database_url: str, tmp_path: Path, *extra: str, nu: str = SERVER_NU
           ) -> tuple[subprocess.Popen[bytes], int]:
    port = _vrije_poort()
    omgeving = {**os.environ, "BESLUITROUTE_UITGAAND": str(tmp_path / "uitgaand"),
                "BESLUITROUTE_CACHE": str(tmp_path / "cache")}
    omgeving.pop("BESLUITROUTE_NU", None)
    proces = subprocess.Popen(
        [sys.executable, "-m", "workflow", "--database", database_url, "--nu", nu, "web",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1", *extra],
        env=omgeving, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proces.poll() is not None:
            raise AssertionError(proces.stdout.read().decode() if proces.stdout else "gestopt")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/gezond")
            if conn.getresponse().status == 200:
                return proces, port
        except OSError:
            time.sleep(0.2)
    _stop(proces)
    raise AssertionError("het portaal startte niet binnen 30 seconden")


def _stop(proces: subprocess.Popen[bytes]) -> None:
    proces.send_signal(signal.SIGTERM)
    try:
        proces.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proces.kill()
        proces.wait(timeout=5)


def _scenario(env: Omgeving, tmp_path: Path) -> tuple[str, Path]:
    _at("2021-06-07T09:00")
    kenmerk = indienen.indienen(
        env, titel=TITEL, route="grjr-procesvoorstel", opsteller="Beleidsadviseur jeugd BAR 2",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd",
        beslispunten=("Instemmen met het plan van aanpak",))
    document = tmp_path / "stukken" / "plan-van-aanpak.txt"
    document.parent.mkdir()
    document.write_text("Plan van aanpak\n", encoding="utf-8")
    documenten.registreer(env, kenmerk, document, door="secretariaat")
    herplanning.vastleggen(env, kenmerk, door="secretariaat")
    _at("2021-06-14T12:00")
    uitkomsten.advies(env, kenmerk, Uitkomst.POSITIEF, "Akkoord; door naar de stuurgroep.",
                      door="secretariaat")
    clock.act_as(None)
    publiceren.publiceer(env, datetime.fromisoformat(PUBLICATIE).replace(tzinfo=clock.TZ))
    return kenmerk, document


def _portaal(database_url: str, tmp_path: Path, *extra: str) -> Iterator[Portaal]:
    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    _at("2021-01-04T09:00")  # installed before the story (see conftest.INSTALLATIE)
    toepassen.init(env, door="test")
    kenmerk, document = _scenario(env, tmp_path)
    proces, port = _start(database_url, tmp_path, *extra)
    try:
        yield Portaal(f"http://127.0.0.1:{port}", env, kenmerk, tmp_path / "uitgaand", document,
                      "127.0.0.1", port)
    finally:
        _stop(proces)
        env.sluit()


@pytest.fixture
def portaal(database_url: str, tmp_path: Path) -> Iterator[Portaal]:
    """The server on plain http for the browser (no proxy in front)."""
    yield from _portaal(database_url, tmp_path, "--zonder-tls", "--proxies", "0")


def _vergadering_id(p: Portaal, orgaan: str, dag: str, cookie: str | None = None) -> int:
    status, _, html = p.get(f"/orgaan/{orgaan}", cookie)
    assert status == 200
    from workflow.basis.tekst import dag_datum

    tekst = dag_datum(datetime.fromisoformat(dag).date())
    match = re.search(r'/vergadering/(\d+)">' + re.escape(tekst), html)
    assert match, f"{tekst} niet op de pagina van {orgaan}"
    return int(match.group(1))


# ---------------------------------------------------------------------------------------------
# Over HTTP: access rules, headers, feeds, downloads.

def test_anonymous_visitors_see_only_public_bodies(portaal: Portaal) -> None:
    status, headers, html = portaal.get("/")
    assert status == 200
    assert "AB platform jeugd" in html and "Ambtelijk Overleg Jeugd" not in html
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert portaal.get("/orgaan/ab-platform-jeugd")[0] == 200
    assert portaal.get("/orgaan/aoj")[0] == 404
    ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
    status, headers, html = portaal.get(f"/vergadering/{ab}")
    assert status == 200 and headers["Content-Security-Policy"]
    # The hostile title is text, never markup.
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert portaal.kenmerk in html
    # A closed body's meeting, the proposal via search: not for the public.
    status, _, html = portaal.get("/zoeken?q=jeugd")
    assert portaal.kenmerk in html  # on the public AB agenda (planned), so visible
    with portaal.env.db.lees() as session:
        from sqlalchemy import select

        from workflow.opslag.models import Vergadering
        aoj = session.scalar(select(Vergadering.id).where(Vergadering.orgaan == "aoj").limit(1))
    assert portaal.get(f"/vergadering/{aoj}")[0] == 404
    assert portaal.get("/secretariaat")[0] == 302
    assert portaal.get("/kalender/orgaan/aoj.ics")[0] == 404


def _alle_ids(p: Portaal, kenmerk: str) -> tuple[int, int, int]:
    """(AB meeting of 2 July, the proposal's id, its first document) straight from the database:
    what someone guessing ids would try."""
    from sqlalchemy import select

    from workflow.opslag.models import Agendapunt, Vergadering, Voorstel
    from workflow.voorstellen.documenten import Bijlage

    with p.env.db.lees() as session:
        voorstel_id = session.scalar(select(Voorstel.id).where(Voorstel.kenmerk == kenmerk))
        ab = session.scalar(select(Vergadering.id).join(
            Agendapunt, Agendapunt.vergadering_id == Vergadering.id).where(
            Agendapunt.voorstel_id == voorstel_id, Vergadering.orgaan == "ab-platform-jeugd"))
        document = session.scalar(select(Bijlage.id).where(Bijlage.voorstel_id == voorstel_id))
    assert ab and voorstel_id and document
    return ab, voorstel_id, document


def test_the_public_sees_exactly_what_is_published_at_that_moment(
        portaal: Portaal, database_url: str, tmp_path: Path) -> None:
    """Nothing unpublished is reachable by guessing an id; it becomes visible at its
    publication moment, with its publication date; an exception on a Woo ground keeps a
    proposal's documents closed although it is on the published agenda."""
    _at("2021-06-07T09:30")
    gesloten = indienen.indienen(
        portaal.env, titel="Inkoop: onderhandelingspositie", route="grjr-procesvoorstel",
        opsteller="Beleidsadviseur jeugd BAR 2", door="secretariaat",
        in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen met de inzet",))
    inzet = tmp_path / "stukken" / "inzet.txt"
    inzet.write_text("Onze inzet\n", encoding="utf-8")
    documenten.registreer(portaal.env, gesloten, inzet, door="secretariaat")
    herplanning.vastleggen(portaal.env, gesloten, door="secretariaat")
    publiceren.uitzonderen(portaal.env, gesloten, "5.1.2.b", "Onderhandelingspositie",
                           door="secretariaat")
    clock.act_as(None)
    ab, _, document = _alle_ids(portaal, portaal.kenmerk)
    ab_gesloten, _, document_gesloten = _alle_ids(portaal, gesloten)
    assert ab_gesloten == ab  # on the same, published agenda
    # 25 June 12:00: the agenda and the open proposal's documents are public, with their date.
    status, _, html = portaal.get(f"/vergadering/{ab}")
    assert status == 200 and "Agenda gepubliceerd op 25 juni 2021 09:00" in html
    assert "Gepubliceerd op 25 juni 2021 09:00" in html and "plan-van-aanpak.txt" in html
    # The excepted proposal is on the agenda by its Woo ground alone: no kenmerk, title,
    # beslispunt or document.
    assert "niet openbaar (Woo art. 5.1 lid 2 sub b)" in html
    for spoor in (gesloten, "Inkoop", "onderhandelingspositie", "Instemmen met de inzet",
                  "inzet.txt", f'href="/voorstel/{gesloten}"'):
        assert spoor not in html, spoor
    assert portaal.get(f"/voorstel/{portaal.kenmerk}")[0] == 200
    assert portaal.get(f"/document/{document}")[0] == 200
    assert portaal.get(f"/voorstel/{gesloten}")[0] == 404
    assert portaal.get(f"/document/{document_gesloten}")[0] == 404
    assert gesloten not in portaal.get("/zoeken?q=inkoop")[2]
    assert portaal.get(f"/vergadering/{ab}/besluitenlijst")[0] == 404  # not held yet
    # A later AB meeting: its agenda is not public yet.
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering
    with portaal.env.db.lees() as session:
        later = session.scalar(select(Vergadering.id).where(
            Vergadering.orgaan == "ab-platform-jeugd",
            Vergadering.begin > datetime(2021, 7, 3, tzinfo=clock.TZ)).order_by(Vergadering.begin)
            .limit(1))
    assert later is not None
    assert portaal.get(f"/vergadering/{later}")[0] == 404
    status, _, html = portaal.get("/orgaan/ab-platform-jeugd")
    assert f'href="/vergadering/{later}"' not in html and "agenda nog niet gepubliceerd" in html
    # A member of the AB sees their own body's unpublished meeting, as before.
    lid = portaal.log_in(LID_AB)
    assert portaal.get(f"/vergadering/{later}", lid)[0] == 200
    assert portaal.get(f"/voorstel/{gesloten}", lid)[0] == 200
    assert portaal.get(f"/document/{document_gesloten}", lid)[0] == 200

    # The same ids on other days: a portal whose clock is 21 June (before the dispatch),
    # 5 July (after the meeting, decision list not yet due) and 16 July 12:00 (published 09:00).
    publiceren.publiceer(portaal.env, datetime(2021, 7, 16, 9, 0, tzinfo=clock.TZ))
    for nu, verwacht in (("2021-06-21T09:00", 404), ("2021-07-05T12:00", 200),
                         ("2021-07-16T12:00", 200)):
        proces, port = _start(database_url, tmp_path, "--zonder-tls", "--proxies", "0", nu=nu)
        try:
            p = Portaal(f"http://127.0.0.1:{port}", portaal.env, portaal.kenmerk,
                        portaal.uitgaand, portaal.document, "127.0.0.1", port)
            assert p.get(f"/vergadering/{ab}")[0] == verwacht, nu
            assert p.get(f"/voorstel/{portaal.kenmerk}")[0] == verwacht, nu
            assert p.get(f"/document/{document}")[0] == verwacht, nu
            assert p.get(f"/voorstel/{gesloten}")[0] == 404, nu
            lijst = p.get(f"/vergadering/{ab}/besluitenlijst")
            if nu.startswith("2021-07-16"):
                assert lijst[0] == 200 and "Gepubliceerd op 16 juli 2021 09:00" in lijst[2]
                assert "Besluitenlijst" in p.get(f"/vergadering/{ab}")[2]
            else:
                assert lijst[0] == 404, nu
                assert "Besluitenlijst" not in p.get(f"/vergadering/{ab}")[2]
            if verwacht == 404:
                assert p.get(f"/vergadering/{ab}", lid)[0] == 200  # the member, as ever
        finally:
            _stop(proces)


def test_a_member_signs_in_with_a_mailed_single_use_link(portaal: Portaal) -> None:
    link = portaal.vraag_link(LID_AOJ)
    pad = "/" + link.split("/", 3)[3]
    # Opening the link (a mail scanner might) does not use it up; the button does.
    status, _, html = portaal.get(pad)
    assert status == 200 and LID_AOJ in html
    status, headers, _ = portaal.post(pad)
    assert status == 303
    zet = next(z for z in headers.get_all("Set-Cookie") or [] if "besluitroute_sessie" in z)
    assert "HttpOnly" in zet and "SameSite=Lax" in zet and "Secure" not in zet  # --zonder-tls
    cookie = zet.split(";", 1)[0]
    # The token is stored only as a hash.
    token = pad.rsplit("/", 1)[1]
    with portaal.env.db.lees() as session:
        from sqlalchemy import text
        rijen = [tuple(r) for r in session.execute(text("SELECT * FROM portaal_inloglink"))]
        sessies = [tuple(r) for r in session.execute(text("SELECT * FROM portaal_sessie"))]
    assert rijen and not any(token in str(r) for r in rijen)
    assert not any(cookie.split("=", 1)[1] in str(r) for r in sessies)
    # Now the AOJ is visible, the public can't.
    assert portaal.get("/orgaan/aoj", cookie)[0] == 200
    aoj = _vergadering_id(portaal, "aoj", "2021-06-24", cookie)
    status, _, html = portaal.get(f"/vergadering/{aoj}", cookie)
    assert status == 200 and portaal.kenmerk in html
    assert portaal.get(f"/vergadering/{aoj}")[0] == 404
    # Used once: a second use is refused.
    koekjes, token = portaal.formulier("/inloggen")
    status, _, html = portaal.verzoek("POST", pad, {
        "Cookie": koekjes, "Content-Type": "application/x-www-form-urlencoded"}, f"csrf={token}")
    assert status == 410 and "al gebruikt" in html.decode()
    # Not a secretary: no board.
    assert portaal.get("/secretariaat", cookie)[0] == 403
    # Signing out ends the session on the server.
    status, _, _ = portaal.post("/uitloggen", cookie, formulier="/mijn")
    assert status == 303
    assert portaal.get("/orgaan/aoj", cookie)[0] == 404


def test_a_member_of_another_body_does_not_see_closed_meetings(portaal: Portaal) -> None:
    cookie = portaal.log_in(LID_PROGRAMMATEAM)
    assert portaal.get("/orgaan/programmateam", cookie)[0] == 200
    assert portaal.get("/orgaan/aoj", cookie)[0] == 404
    lid_aoj = portaal.log_in(LID_AOJ)
    aoj = _vergadering_id(portaal, "aoj", "2021-06-24", lid_aoj)
    assert portaal.get(f"/vergadering/{aoj}", cookie)[0] == 404
    # An unknown address gets the same answer, and no mail.
    voor = sorted(portaal.uitgaand.glob("*.eml"))
    status, _, body = portaal.post("/inloggen", velden={"email": "onbekend@example.org"})
    assert status == 200 and "inloglink" in body
    # A member asks after it: the portal mails requests in order, so once that mail is there,
    # a mail for the unknown address would be too.
    portaal.vraag_link(LID_AOJ)
    nieuw = [email.message_from_bytes(p.read_bytes(), policy=policy.default)["To"]
             for p in sorted(set(portaal.uitgaand.glob("*.eml")) - set(voor))]
    assert nieuw == [LID_AOJ]


def test_an_expired_link_is_refused(portaal: Portaal) -> None:
    from workflow.web import opslag

    with time_machine.travel(datetime.now(clock.UTC) - timedelta(hours=1), tick=False):
        token, _ = opslag.maak_link(portaal.env, LID_AOJ)
    status, _, html = portaal.get(f"/inloggen/{token}")
    assert status == 410 and "verlopen" in html
    koekjes, csrf = portaal.formulier("/inloggen")
    status, headers, body = portaal.verzoek("POST", f"/inloggen/{token}", {
        "Cookie": koekjes, "Content-Type": "application/x-www-form-urlencoded"}, f"csrf={csrf}")
    assert status == 410 and "Set-Cookie" not in headers and "verlopen" in body.decode()
    assert portaal.get("/inloggen/" + "x" * 43)[0] == 404


def test_the_board_is_for_secretaries_and_shows_the_weeks_facts(portaal: Portaal) -> None:
    cookie = portaal.log_in(SECRETARIS_AOJ)
    status, _, html = portaal.get("/secretariaat", cookie)
    assert status == 200
    assert "Deze week" in html and "Volgende week" in html
    # AOJ meets on 24 June with the proposal on it; the sign-in mail was sent.
    assert "vergadering Ambtelijk Overleg Jeugd" in html
    assert portaal.kenmerk in html
    status, _, html = portaal.get("/orgaan/ab-platform-jeugd")
    assert "Verplichtingen 2021" in html and "achter" in html


def test_documents_are_downloaded_by_id_with_their_registered_content(portaal: Portaal) -> None:
    ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
    _, _, html = portaal.get(f"/vergadering/{ab}")
    match = re.search(r'href="/document/(\d+)"', html)
    assert match and "plan-van-aanpak.txt" in html
    import hashlib
    assert hashlib.sha256(b"Plan van aanpak\n").hexdigest() in html
    status, headers, body = portaal.verzoek("GET", f"/document/{match.group(1)}")
    assert status == 200 and body == b"Plan van aanpak\n"
    assert "attachment" in headers["Content-Disposition"]
    assert portaal.get("/document/999999")[0] == 404
    assert portaal.get("/document/..%2F..%2Fetc%2Fpasswd")[0] == 404
    # The file changed since it was registered: not served as the registered document.
    portaal.document.write_text("Iets anders\n", encoding="utf-8")
    assert portaal.get(f"/document/{match.group(1)}")[0] == 410


def test_a_meeting_page_shows_a_change_at_once(portaal: Portaal) -> None:
    """The server keeps rendered meeting pages; a new document or a recorded advice must show on
    the next request all the same, there and on the proposal page."""
    ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
    lid = portaal.log_in(SECRETARIS_AOJ)
    aoj = _vergadering_id(portaal, "aoj", "2021-06-24", lid)
    voorstel = f"/voorstel/{portaal.kenmerk}"
    for _ in range(2):  # the second one from the cache
        assert "toelichting.txt" not in portaal.get(f"/vergadering/{ab}")[2]
        assert "Akkoord van de stuurgroep." not in portaal.get(f"/vergadering/{aoj}", lid)[2]
        assert "Akkoord van de stuurgroep." not in portaal.get(voorstel, lid)[2]
    toelichting = portaal.document.parent / "toelichting.txt"
    toelichting.write_text("Toelichting\n", encoding="utf-8")
    _at("2021-06-22T10:00")
    documenten.registreer(portaal.env, portaal.kenmerk, toelichting, door="secretariaat")
    _at("2021-06-23T16:00")
    uitkomsten.advies(portaal.env, portaal.kenmerk, Uitkomst.POSITIEF,
                      "Akkoord van de stuurgroep.", door="secretariaat")
    clock.act_as(None)
    assert "toelichting.txt" in portaal.get(f"/vergadering/{ab}")[2]
    assert "Akkoord van de stuurgroep." in portaal.get(f"/vergadering/{aoj}", lid)[2]
    # The proposal page too: its history and advice, and the anonymous view of it.
    assert "Akkoord van de stuurgroep." in portaal.get(voorstel, lid)[2]


def _met_de_hand(database_url: str, sql: str) -> None:
    """A change made by hand, on a connection of its own, without besluitroute."""
    if database_url.startswith("sqlite"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as c:
            c.execute(sql)
            c.commit()
        return
    with contextlib.closing(_beheerverbinding(database_url)) as c, c.cursor() as cursor:
        cursor.execute(sql)


def _beheerverbinding(postgres_url: str) -> Any:
    """A psycopg2 connection of its own (autocommit) to the schema of `postgres_url`: changes
    made by no part of besluitroute."""
    import psycopg2
    from sqlalchemy.engine import make_url

    conninfo = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    verbinding = psycopg2.connect(conninfo)
    verbinding.autocommit = True
    return verbinding


def test_a_change_by_hand_shows_in_the_very_next_answer(portaal: Portaal) -> None:
    """The server keeps what feeds and meeting pages ask on every request (a feed's fingerprint,
    a meeting's own fields, the session) until the database reports a commit: SQLite any other
    connection's, PostgreSQL a trigger's notification, collected before every answer. A change
    by hand in the database, by no part of besluitroute, shows in the very next answer, time
    after time."""
    feed = "/kalender/orgaan/ab-platform-jeugd.ics"
    ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
    etag = portaal.get(feed)[1]["ETag"]
    for keer in range(15):
        assert portaal.get(feed, If_None_Match=etag)[0] == 304
        assert portaal.get(feed, If_None_Match=etag)[0] == 304  # from what the worker kept
        _met_de_hand(portaal.env.database_url,
                     f"UPDATE vergadering SET volgnummer = volgnummer + 1 WHERE id = {ab}")
        status, headers, _ = portaal.get(feed, If_None_Match=etag)
        assert status == 200 and headers["ETag"] != etag, keer
        etag = headers["ETag"]
        plaats = f"Zaal {keer} & co"
        _met_de_hand(portaal.env.database_url,
                     f"UPDATE vergadering SET plaats = '{plaats}' WHERE id = {ab}")
        assert f"Zaal {keer} &amp; co" in portaal.get(f"/vergadering/{ab}")[2]
    # Signing out ends the session in every worker at once.
    cookie = portaal.log_in(LID_AOJ)
    assert portaal.get("/orgaan/aoj", cookie)[0] == 200
    _met_de_hand(portaal.env.database_url, "DELETE FROM portaal_sessie")
    assert portaal.get("/orgaan/aoj", cookie)[0] == 404


@pytest.mark.postgres
def test_every_table_the_portal_shows_notifies_its_changes(postgres_url: str,
                                                          tmp_path: Path) -> None:
    """Migrations 0018 and 0020: a trigger on every table but the outbox, the planner's state and
    the queue of sign-in requests. A table added later without one would let the portal keep
    what it read after a change."""
    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=postgres_url, uitgaand_map=tmp_path / "uitgaand")
    env.db.migreer()
    env.sluit()
    with contextlib.closing(_beheerverbinding(postgres_url)) as c, c.cursor() as cursor:
        cursor.execute("""
            SELECT t.relname FROM pg_class t
            WHERE t.relkind = 'r' AND t.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (SELECT 1 FROM pg_trigger g
                              WHERE g.tgrelid = t.oid AND g.tgname = 'meld_wijziging')""")
        zonder = {r[0] for r in cursor.fetchall()}
    # Nor the queue of sign-in requests (0020): it changes with every request, shows nowhere.
    assert zonder == {"alembic_version", "bericht", "plannerstand", "portaal_inlogverzoek"}


def test_a_kept_proposal_page_follows_every_act(database_url: str, tmp_path: Path) -> None:
    """The server keeps proposal pages (per set of the visitor's bodies, under a change stamp).
    After each act of the proposal's life, and when a publication moment merely passes, the kept
    page is the page rendered from scratch: for the public and for a member of the AOJ."""
    from sqlalchemy import select

    from workflow.opslag.models import Vergadering
    from workflow.voorstellen import vergaderwijziging
    from workflow.web import opslag
    from workflow.web.app import maak_app

    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    _at("2021-01-04T09:00")  # installed before the story (see conftest.INSTALLATIE)
    toepassen.init(env, door="test")
    try:
        kenmerk, _ = _scenario(env, tmp_path)
        token, _ = opslag.maak_link(env, LID_AOJ)
        aangemeld = opslag.gebruik_link(env, token)
        assert isinstance(aangemeld, tuple)
        gezien: dict[str, set[Any]] = {"publiek": set(), "lid": set()}

        def bezoekers(app: Any) -> dict[str, Any]:
            publiek, lid = app.test_client(), app.test_client()
            lid.set_cookie("besluitroute_sessie", aangemeld[1])
            return {"publiek": publiek, "lid": lid}

        bewaard = bezoekers(maak_app(env, veilige_cookies=False, proxies=0))

        def gelijk(stap: str) -> None:
            vers = bezoekers(maak_app(env, veilige_cookies=False, proxies=0))
            for wie in ("publiek", "lid"):
                for _ in range(2):  # the second answer comes from what was kept
                    a = bewaard[wie].get(f"/voorstel/{kenmerk}")
                    b = vers[wie].get(f"/voorstel/{kenmerk}")
                    assert (a.status_code, a.data) == (b.status_code, b.data), (stap, wie)
                gezien[wie].add((a.status_code, a.data))

        _at("2021-06-20T09:00")
        gelijk("voor de publicatie")
        extra = tmp_path / "stukken" / "bijlage-2.txt"
        extra.write_text("Nog een stuk\n", encoding="utf-8")
        _at("2021-06-22T10:00")
        documenten.registreer(env, kenmerk, extra, door="secretariaat")
        gelijk("een document erbij")
        _at("2021-06-23T16:00")
        uitkomsten.advies(env, kenmerk, Uitkomst.POSITIEF, "Akkoord van de stuurgroep.",
                          door="secretariaat")
        gelijk("advies van de stuurgroep")
        with env.db.lees() as session:
            aoj = session.scalar(select(Vergadering.id).where(
                Vergadering.orgaan == "aoj", Vergadering.begin > clock.now())
                .order_by(Vergadering.begin).limit(1))
        assert aoj is not None
        vergaderwijziging.verplaats(env, aoj, datetime(2021, 6, 24, 14, 0, tzinfo=clock.TZ),
                                    door="secretariaat")
        gelijk("de AOJ verplaatst")
        _at("2021-06-25T10:00")  # no act: the publication moment of 09:00 has passed
        gelijk("na het publicatiemoment")
        publiceren.uitzonderen(env, kenmerk, "5.1.2.b", "Onderhandelingspositie",
                               door="secretariaat")
        gelijk("uitgezonderd")
        _at("2021-06-24T17:00")
        gelijk("terug in de tijd")
    finally:
        clock.act_as(None)
        env.sluit()
    # The story changed what each of them sees: the public both 404 and 200, the member often.
    assert {status for status, _ in gezien["publiek"]} == {200, 404}
    assert len(gezien["lid"]) >= 4


def test_calendar_feeds_answer_304_until_something_changes(portaal: Portaal) -> None:
    status, headers, ics = portaal.get("/kalender/orgaan/ab-platform-jeugd.ics")
    assert status == 200 and "BEGIN:VCALENDAR" in ics and headers["Content-Type"].startswith(
        "text/calendar")
    etag, laatst = headers["ETag"], headers["Last-Modified"]
    assert portaal.get("/kalender/orgaan/ab-platform-jeugd.ics", If_None_Match=etag)[0] == 304
    assert portaal.get("/kalender/orgaan/ab-platform-jeugd.ics",
                       If_Modified_Since=laatst)[0] == 304
    _, _, html = portaal.get("/orgaan/ab-platform-jeugd")
    assert "webcal://127.0.0.1" in html
    # The stuurgroep advises: the feed changes.
    _at("2021-06-23T16:00")
    uitkomsten.advies(portaal.env, portaal.kenmerk, Uitkomst.POSITIEF, "Akkoord.",
                      door="secretariaat")
    clock.act_as(None)
    status, headers, _ = portaal.get("/kalender/orgaan/ab-platform-jeugd.ics",
                                     If_None_Match=etag)
    assert status == 200 and headers["ETag"] != etag
    # Personal feeds carry a revocable secret.
    cookie = portaal.log_in(LID_AOJ)
    status, _, html = portaal.post("/mijn/kalender", cookie, formulier="/mijn")
    assert status == 200
    lid = re.search(r'webcal://[^/]+(/kalender/p/[^"]+/lid\.ics)', html)
    aoj = re.search(r'webcal://[^/]+(/kalender/p/[^"]+/orgaan/aoj\.ics)', html)
    auteur = re.search(r'webcal://[^/]+(/kalender/p/[^"]+/opsteller\.ics)', html)
    assert lid and aoj and auteur
    status, _, ics = portaal.get(lid.group(1))
    assert status == 200 and "Ambtelijk Overleg Jeugd" in ics
    assert portaal.get(aoj.group(1))[0] == 200
    assert portaal.get(auteur.group(1))[0] == 200
    # Replacing the secret revokes the old URLs.
    assert portaal.post("/mijn/kalender", cookie, formulier="/mijn")[0] == 200
    assert portaal.get(lid.group(1))[0] == 404
    assert portaal.get(aoj.group(1))[0] == 404


def test_a_calendar_client_polls_on_through_a_database_restart(postgres_url: str,
                                                               tmp_path: Path) -> None:
    """The portal's per-request statements run on connections that are not pinged before use
    (a ping was a round trip per statement). When PostgreSQL drops them (a restart, an
    administrator ending sessions), the next request still answers: the statement that meets a
    dropped connection runs once more on a new one."""
    from workflow.web.app import maak_app

    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=postgres_url, uitgaand_map=tmp_path / "uitgaand")
    _at("2021-01-04T09:00")
    toepassen.init(env, door="test")
    clock.act_as(None)
    beheer = _beheerverbinding(postgres_url.split("?")[0]).cursor()
    try:
        client = maak_app(env, veilige_cookies=False, proxies=0).test_client()
        feed = "/kalender/orgaan/ab-platform-jeugd.ics"
        eerste = client.get(feed)
        assert eerste.status_code == 200
        etag = eerste.headers["ETag"]
        for _ in range(3):
            verbinding = env.db.lees_ruw("SELECT pg_backend_pid()", {})[0][0]
            beheer.execute("SELECT pg_terminate_backend(%s)", (verbinding,))
            assert client.get(feed, headers={"If-None-Match": etag}).status_code == 304
            assert env.db.lees_ruw("SELECT pg_backend_pid()", {})[0][0] != verbinding
            # The connection that listens for changes goes too (its last statement is the
            # empty one); a change made meanwhile still shows.
            beheer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE query = '' AND pid <> pg_backend_pid()")
            _met_de_hand(postgres_url, "UPDATE vergadering SET volgnummer = volgnummer + 1 "
                                       "WHERE orgaan = 'ab-platform-jeugd'")
            nieuw = client.get(feed, headers={"If-None-Match": etag})
            assert nieuw.status_code == 200 and nieuw.headers["ETag"] != etag
            etag = nieuw.headers["ETag"]
        # A statement that fails for another reason is not run twice, and says so in Dutch.
        with pytest.raises(GebruikersFout):
            env.db.lees_ruw("SELECT * FROM bestaat_niet", {})
    finally:
        beheer.connection.close()
        env.sluit()


def test_behind_nginx_with_a_path_prefix_and_tls(database_url: str, tmp_path: Path) -> None:
    """The defaults: one proxy in front (X-Forwarded-*), Secure cookies, HSTS; sign-in links
    from the configured public address."""
    (tmp_path / "besluitroute.toml").write_text(
        '[web]\nadres = "https://portaal.example/portaal"\n', encoding="utf-8")
    for p in _portaal(database_url, tmp_path):
        voor = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "portaal.example",
                "X-Forwarded-Prefix": "/portaal", "X-Forwarded-For": "192.0.2.1"}
        status, _, html = p.get("/", **{k.replace("-", "_"): v for k, v in voor.items()})
        assert status == 200 and 'href="/portaal/orgaan/ab-platform-jeugd"' in html
        link = p.vraag_link(LID_AOJ, **{k.replace("-", "_"): v for k, v in voor.items()})
        assert link.startswith("https://portaal.example/portaal/inloggen/")
        status, headers, _ = p.post("/" + link.split("/", 4)[4],
                                    **{k.replace("-", "_"): v for k, v in voor.items()})
        zet = next(z for z in headers.get_all("Set-Cookie") or [] if "besluitroute_sessie" in z)
        assert status == 303 and "Secure" in zet and "HttpOnly" in zet and "Path=/portaal" in zet


# ---------------------------------------------------------------------------------------------
# In headless Chromium: every page kind, a screenshot, and axe-core (WCAG 2.1 A and AA).

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}


def _past_op_de_telefoon(page: Any, pad: str) -> None:
    """Nothing wider than the phone's screen: no sideways scrolling (the screenshots beside it
    are for a reviewer's eye; this is what the test holds)."""
    breedte = page.evaluate("document.documentElement.scrollWidth")
    assert breedte <= page.viewport_size["width"], (pad, breedte)


def _toegankelijk(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    resultaat = Axe().run(page, options=WCAG)
    assert resultaat.violations_count == 0, resultaat.generate_report()


@pytest.mark.browser
def test_every_page_kind_in_chromium_is_accessible(portaal: Portaal, tmp_path: Path,
                                                   chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    schermen = tmp_path / "schermafdrukken"
    schermen.mkdir()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        try:
            # A phone.
            page = browser.new_page(viewport={"width": 390, "height": 844})
            ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
            gezien: list[tuple[str, str]] = [
                ("/", "Vergaderingen"),
                ("/orgaan/ab-platform-jeugd", "Wethouder jeugd BAR"),
                (f"/vergadering/{ab}", "Agenda AB platform jeugd"),
                # The programme team's advice is not public (it publishes nothing).
                (f"/voorstel/{portaal.kenmerk}", "plan-van-aanpak.txt"),
                ("/zoeken?q=vet", portaal.kenmerk),
                ("/inloggen", "E-mailadres"),
            ]
            for pad, verwacht in gezien:
                page.goto(portaal.url + pad)
                assert verwacht in page.inner_text("body"), pad
                assert page.locator("script").count() == 0
                _past_op_de_telefoon(page, pad)
                page.screenshot(path=str(schermen / f"{len(list(schermen.iterdir()))}.png"),
                                full_page=True)
                _toegankelijk(page)
            # The hostile title shows as text.
            page.goto(f"{portaal.url}/voorstel/{portaal.kenmerk}")
            assert '<script>alert("x")</script>' in page.inner_text("body").lower()
            # Sign in through the form and the mailed link, as a secretary.
            page.goto(portaal.url + "/inloggen")
            voor = set(portaal.uitgaand.glob("*.eml")) if portaal.uitgaand.exists() else set()
            page.fill("#email", SECRETARIS_AOJ)
            page.click("text=Stuur mij een inloglink")
            assert "inloglink" in page.inner_text("main")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (set(portaal.uitgaand.glob("*.eml"))
                                                        - voor):
                time.sleep(0.1)
            eml = sorted(set(portaal.uitgaand.glob("*.eml")) - voor)[0]
            tekst = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
            inhoud = tekst.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
            link = re.search(r"http://\S+/inloggen/\S+", inhoud)
            assert link
            page.goto(link.group(0))
            _toegankelijk(page)
            page.click("button:has-text('Inloggen')")
            assert SECRETARIS_AOJ in page.inner_text("main")
            _toegankelijk(page)
            for pad, verwacht in (("/secretariaat", "Update regioagenda"),
                                  ("/orgaan/aoj", "Ambtelijk Overleg Jeugd")):
                page.goto(portaal.url + pad)
                assert verwacht in page.inner_text("body")
                _past_op_de_telefoon(page, pad)
                page.screenshot(path=str(schermen / f"{len(list(schermen.iterdir()))}.png"),
                                full_page=True)
                _toegankelijk(page)
            page.goto(portaal.url + "/mijn")
            page.click("text=Kalenderlinks maken")
            assert "webcal://" in page.inner_html("main")
            _toegankelijk(page)
            page.goto(portaal.url + "/vergadering/999999")
            assert "Niet gevonden" in page.inner_text("main")
            _toegankelijk(page)
        finally:
            browser.close()
