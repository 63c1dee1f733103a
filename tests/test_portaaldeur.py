"""The portal's public door (issue 25), on SQLite and PostgreSQL: signing in tells nobody who is
a member (the same page in the same time, a limit per address and per client, links only from
the configured address), forms cannot be forged from another origin (also by a hostile page in
Chromium), HSTS behind TLS, OParl without personal data and with schema-valid deleted objects,
and public pages that publish only what the rules publish.

The servers are the real one (gunicorn on loopback, see test_web.py); the OParl and page checks
that need no server use Flask's test client on the same database.
"""

from __future__ import annotations

import email
import hashlib
import http.server
import json
import re
import statistics
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from email import policy
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from test_agenda_db import ADVIES_AOJ, ADVIES_PROGRAMMATEAM, ADVIES_STUURGROEP, act_as
from test_openbaarheid import VERZENDING, _oparl_client
from test_web import (
    LID_AB,
    LID_AOJ,
    Portaal,
    _portaal,
    _start,
    _stop,
)

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import indienen

#: The bound the issue sets: member and stranger answer within 20 % of each other.
TIJDSVERSCHIL = 0.20
POGINGEN = 20


@pytest.fixture
def achter_proxy(database_url: str, tmp_path: Path) -> Iterator[Portaal]:
    """The server behind one proxy (X-Forwarded-For names the client), on plain http."""
    yield from _portaal(database_url, tmp_path, "--zonder-tls")


@pytest.fixture
def portaal(database_url: str, tmp_path: Path) -> Iterator[Portaal]:
    """The server facing the browser directly, on plain http."""
    yield from _portaal(database_url, tmp_path, "--zonder-tls", "--proxies", "0")


def _open_verzoeken(env: Omgeving) -> int:
    """Sign-in requests not yet handled, and sign-in mails not yet marked sent."""
    from workflow.berichten.uitgaand import Bericht, Status
    from workflow.web.inloggen import Inlogverzoek

    with env.db.lees() as session:
        return int(session.scalar(select(func.count(Inlogverzoek.id)).where(
            Inlogverzoek.verwerkt_op.is_(None))) or 0) + int(session.scalar(
                select(func.count(Bericht.id)).where(Bericht.status.in_(
                    (Status.WACHTEND.value, Status.BEZIG.value)))) or 0)


def _mails(p: Portaal) -> set[Path]:
    return set(p.uitgaand.glob("*.eml")) if p.uitgaand.exists() else set()


def _aan(mail: Path) -> str:
    return str(email.message_from_bytes(mail.read_bytes(), policy=policy.default)["To"])


def _wacht(voorwaarde: Any, seconden: float = 20) -> None:
    deadline = time.monotonic() + seconden
    while time.monotonic() < deadline:
        if voorwaarde():
            return
        time.sleep(0.02)
    raise AssertionError("niet op tijd")


def _vraag(p: Portaal, adres: str, client: str) -> tuple[float, int, str]:
    """One sign-in request from `client` as a browser sends it: (seconds, status, page)."""
    koekjes, token = p.formulier("/inloggen", X_Forwarded_For=client)
    kop = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": koekjes,
           "X-Forwarded-For": client}
    begin = time.perf_counter()
    status, _, body = p.verzoek("POST", "/inloggen", kop,
                                urlencode({"email": adres, "csrf": token}))
    return time.perf_counter() - begin, status, body.decode()


def _zonder_token(html: str) -> str:
    return re.sub(r'name="csrf" value="[0-9a-f]+"', "", html)


# ---------------------------------------------------------------------------------------------
# Signing in.

def test_a_member_and_a_stranger_get_the_same_answer_in_the_same_time(
        achter_proxy: Portaal) -> None:
    """20 tries each for members and strangers: the same page, and times within 20 %: the
    median of the 20 ratios member/stranger lies between 0.8 and 1.2.

    One try is the fastest of 5 requests: the machine's other work (2 cores, other test runs)
    only ever adds time, so the fastest of a few is what the request itself costs. A try of a
    member and one of a stranger are made in the same round, their requests alternating (who
    starts changes), each from its own client so that no limit applies; the ratio of the two
    tries of a round compares them under the same load. Between rounds the queue is left to
    empty, so that a member's mail (made outside the request) never slows a later try."""
    p = achter_proxy
    leden = sorted({lid.email for o in p.env.definities.organen.values() for lid in o.leden})
    assert len(leden) * 5 >= 5 * (POGINGEN + 1)  # at most 5 requests per address
    tijden: dict[str, list[float]] = {"lid": [], "vreemde": []}
    paginas: set[str] = set()
    for i in range(POGINGEN + 1):  # the first round warms up the worker and is not counted
        voor = _mails(p)
        duur: dict[str, list[float]] = {"lid": [], "vreemde": []}
        for j in range(5):
            for soort in (("lid", "vreemde") if (i + j) % 2 else ("vreemde", "lid")):
                adres = leden[(5 * i + j) % len(leden)] if soort == "lid" \
                    else f"niemand{i}.{j}@example.org"
                tijd, status, html = _vraag(p, adres, f"10.{i}.{j}.{soort == 'lid'}")
                assert status == 200 and "inloglink" in html
                duur[soort].append(tijd)
                paginas.add(_zonder_token(html))
        _wacht(lambda voor=voor: len(_mails(p) - voor) == 5)  # type: ignore[misc]
        _wacht(lambda: _open_verzoeken(p.env) == 0)
        time.sleep(0.05)  # the mail thread back to waiting
        if i:
            for soort, waarden in duur.items():
                tijden[soort].append(min(waarden))
    assert len(paginas) == 1  # byte for byte the same page
    verhouding = statistics.median(a / b for a, b in zip(tijden["lid"], tijden["vreemde"],
                                                         strict=True))
    print(f"mediaan lid {statistics.median(tijden['lid']) * 1000:.1f} ms, vreemde "
          f"{statistics.median(tijden['vreemde']) * 1000:.1f} ms, mediane verhouding "
          f"{verhouding:.2f}")
    assert abs(verhouding - 1) < TIJDSVERSCHIL, tijden
    # Strangers got no mail and left no address behind.
    from workflow.web.inloggen import Inlogverzoek

    with p.env.db.lees() as session:
        assert set(session.scalars(select(Inlogverzoek.email))) == {""}


def test_the_eleventh_request_in_a_minute_and_the_sixth_for_one_address_are_refused(
        achter_proxy: Portaal) -> None:
    p = achter_proxy
    for i in range(10):
        assert _vraag(p, f"iemand{i}@example.org", "198.51.100.7")[1] == 200
    _, status, html = _vraag(p, "nog.iemand@example.org", "198.51.100.7")
    assert status == 429 and "probeer het over 1 minuut opnieuw" in html
    # Another client is not held up by that one.
    assert _vraag(p, "nog.iemand@example.org", "198.51.100.8")[1] == 200
    # One address: five links in a quarter of an hour, from whatever clients.
    voor = _mails(p)
    for i in range(5):
        assert _vraag(p, LID_AOJ, f"203.0.113.{i}")[1] == 200
    _wacht(lambda: len(_mails(p) - voor) == 5)
    koekjes, token = p.formulier("/inloggen", X_Forwarded_For="203.0.113.99")
    status, headers, body = p.verzoek(
        "POST", "/inloggen", {"Content-Type": "application/x-www-form-urlencoded",
                              "Cookie": koekjes, "X-Forwarded-For": "203.0.113.99"},
        urlencode({"email": LID_AOJ, "csrf": token}))
    assert status == 429 and headers["Retry-After"].isdigit()
    minuten = re.search(r"probeer het over (\d+) minuten? opnieuw", body.decode())
    assert minuten and 1 <= int(minuten.group(1)) <= 15
    # Another member asks after it: requests are mailed in order, so once that mail is there a
    # sixth one for LID_AOJ would be too.
    p.vraag_link(LID_AB, X_Forwarded_For="203.0.113.50")
    assert sorted(_aan(m) for m in _mails(p) - voor) == sorted([LID_AOJ] * 5 + [LID_AB])


def test_a_forged_host_is_refused_and_links_come_from_the_configured_address(
        portaal: Portaal) -> None:
    """No `[web] adres` on loopback: links carry the address the server listens on; a
    request with another Host is refused before anything is done."""
    p = portaal
    assert p.get("/", Host="evil.example")[0] == 400
    voor = _mails(p)
    koekjes, token = p.formulier("/inloggen")
    status, _, _ = p.verzoek("POST", "/inloggen", {
        "Host": "evil.example", "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": koekjes}, urlencode({"email": LID_AOJ, "csrf": token}))
    assert status == 400
    # Asked after the refused one: once its mail is there, one for the refused would be too.
    link = p.vraag_link(LID_AOJ)
    assert [_aan(m) for m in _mails(p) - voor] == [LID_AOJ]
    assert link.startswith(f"http://127.0.0.1:{p.port}/inloggen/")


def test_web_refuses_a_public_address_without_the_configured_public_address(
        omgeving: Omgeving, besluitroute: Any) -> None:
    result = besluitroute("web", "--host", "0.0.0.0", "--port", "8999")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith("fout: web: luisteren op '0.0.0.0' kan alleen met het "
                                    "publieke adres in de configuratie ([web] adres")


@pytest.mark.parametrize("adres", ["bestuur.example.nl/portaal", "https:///portaal", "ftp://x.example"])
def test_web_refuses_a_configured_address_without_scheme_or_host(
        omgeving: Omgeving, besluitroute: Any, tmp_path: Path, adres: str) -> None:
    """`[web] adres` without scheme would make every request a forged Host (400) and every
    link schemeless: `web` refuses to start, in one line naming the setting, exit 2."""
    config = tmp_path / "besluitroute.toml"
    config.write_text(f'[web]\nadres = "{adres}"\n', encoding="utf-8")
    result = besluitroute("--config", str(config), "web", "--port", "8999")
    assert result.exit_code == 2, result.output
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith(f"fout: web: [web] adres '{adres}' is geen volledig adres")


# ---------------------------------------------------------------------------------------------
# Forms.

def test_a_form_without_its_token_or_from_another_origin_is_refused(portaal: Portaal) -> None:
    p = portaal
    cookie = p.log_in(LID_AOJ)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    _, token = p.formulier("/mijn", cookie)
    vervalst = [
        ({"Cookie": cookie}, ""),  # no token at all
        ({"Cookie": cookie}, "csrf=" + "0" * 64),  # a guessed token
        ({"Cookie": cookie, "Origin": "null"}, f"csrf={token}"),
        ({"Cookie": cookie, "Origin": "http://evil.example"}, f"csrf={token}"),
        ({"Cookie": cookie, "Sec-Fetch-Site": "cross-site"}, f"csrf={token}"),
        ({"Cookie": cookie, "Referer": "http://evil.example/prijs"}, f"csrf={token}"),
    ]
    for kop, body in vervalst:
        for pad in ("/uitloggen", "/mijn/kalender"):
            status, _, html = p.verzoek("POST", pad, {**form, **kop}, body)
            assert status == 403 and "Formulier geweigerd" in html.decode(), (pad, kop)
    # Still signed in, and no feed secret was made.
    assert p.get("/orgaan/aoj", cookie)[0] == 200
    from workflow.web import opslag

    assert not opslag.heeft_feedgeheim(p.env, LID_AOJ)
    # The token of another browser (its form cookie) does not fit this session.
    koekjes, vreemd = p.formulier("/inloggen")
    assert p.verzoek("POST", "/uitloggen", {**form, "Cookie": cookie},
                     f"csrf={vreemd}")[0] == 403
    # Login CSRF: a sign-in link used without the page's token does nothing.
    link = p.vraag_link(LID_AB)
    pad = "/" + link.split("/", 3)[3]
    status, headers, _ = p.verzoek("POST", pad, {**form, "Cookie": koekjes})
    assert status == 403 and "Set-Cookie" not in headers
    assert p.post(pad)[0] == 303  # the link still works from its own page
    # A sign-in request without its token.
    assert p.verzoek("POST", "/inloggen", {**form, "Cookie": koekjes},
                     f"email={LID_AB}")[0] == 403
    # With the token, from the page itself: it works.
    assert p.post("/uitloggen", cookie, formulier="/mijn", Origin=p.url)[0] == 303
    assert p.get("/orgaan/aoj", cookie)[0] == 404


class _Vijandig(http.server.BaseHTTPRequestHandler):
    pagina = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.pagina)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.mark.browser
def test_a_hostile_page_in_the_browser_cannot_sign_a_member_out_or_make_feeds(
        portaal: Portaal, chromium: str) -> None:
    """A page on another origin of the same site (another port of 127.0.0.1: the browser sends
    the SameSite=Lax cookie along) posts the portal's forms: refused, the member stays in."""
    from playwright.sync_api import sync_playwright

    p = portaal
    _Vijandig.pagina = (
        f'<!DOCTYPE html><html lang="nl"><title>Win een prijs</title>'
        f'<form method="post" action="{p.url}/uitloggen"><button id="uit">Prijs 1</button></form>'
        f'<form method="post" action="{p.url}/mijn/kalender"><input type="hidden" name="csrf" '
        f'value="{"0" * 64}" /><button id="kalender">Prijs 2</button></form></html>').encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Vijandig)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    vijand = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium)
            try:
                page = browser.new_page()
                page.goto(p.url + "/inloggen")
                voor = _mails(p)
                page.fill("#email", LID_AOJ)
                page.click("text=Stuur mij een inloglink")
                _wacht(lambda: len(_mails(p) - voor) == 1)
                [eml] = _mails(p) - voor
                bericht = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
                tekst = bericht.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
                link = re.search(r"http://\S+/inloggen/\S+", tekst)
                assert link
                page.goto(link.group(0))
                page.click("button:has-text('Inloggen')")
                assert LID_AOJ in page.inner_text("main")
                for knop in ("#uit", "#kalender"):
                    page.goto(vijand)
                    with page.expect_navigation():
                        page.click(knop)
                    assert "Formulier geweigerd" in page.inner_text("main"), knop
                page.goto(p.url + "/orgaan/aoj")
                assert "Ambtelijk Overleg Jeugd" in page.inner_text("main")
                page.goto(p.url + "/mijn")
                assert "Nieuwe kalenderlinks" not in page.inner_text("main")
                # The member's own button still works.
                page.click("button:has-text('Uitloggen')")
                assert "Inloggen voor leden" in page.inner_text("body")
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    from workflow.web import opslag

    assert not opslag.heeft_feedgeheim(p.env, LID_AOJ)


def test_hsts_only_behind_tls(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "besluitroute.toml").write_text(
        '[web]\nadres = "https://portaal.example/portaal"\n', encoding="utf-8")
    for p in _portaal(database_url, tmp_path):
        tls = {"X_Forwarded_Proto": "https", "X_Forwarded_Host": "portaal.example",
               "X_Forwarded_Prefix": "/portaal"}
        status, headers, _ = p.get("/", **tls)
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        # The configured address is the only Host, also through the proxy.
        assert p.get("/", **{**tls, "X_Forwarded_Host": "evil.example"})[0] == 400
        # Without TLS (--zonder-tls): no HSTS.
        proces, port = _start(database_url, tmp_path, "--zonder-tls", "--proxies", "0")
        try:
            zonder = Portaal(f"http://127.0.0.1:{port}", p.env, p.kenmerk, p.uitgaand,
                             p.document, "127.0.0.1", port)
            status, headers, _ = zonder.get("/")
            assert status == 200 and "Strict-Transport-Security" not in headers
        finally:
            _stop(proces)
    nginx = Path(__file__).parents[1] / "scripts" / "besluitroute-web.nginx.conf"
    assert 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;' \
        in nginx.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# OParl.

def _hashes(adres: str) -> set[str]:
    data = adres.strip().lower().encode()
    return {hashlib.new(naam, data).hexdigest() for naam in ("md5", "sha1", "sha256", "sha512")}


def test_oparl_persons_have_random_stored_ids_and_every_list_pages_by_limit(
        omgeving: Omgeving, tmp_path: Path) -> None:
    from oparl_spec import Controle

    from workflow.web.app import maak_app

    _, client = _oparl_client(omgeving, tmp_path, 1)

    def get(url: str) -> tuple[int, Any]:
        r = client.get(url.removeprefix("http://localhost"))  # type: ignore[attr-defined]
        return r.status_code, (r.get_json() if r.is_json else None)

    controle = Controle(get, "http://localhost/oparl/v1/")
    basis = "http://localhost/oparl/v1/body/1/"
    alle = {soort: controle.haal(basis + soort + "?limit=200")["data"]
            for soort in ("organization", "person", "membership")}
    # Only the members of publishing bodies (here the AB) are a Person.
    publicerend = [o for o in omgeving.definities.organen.values() if o.publicatie.publiceert]
    assert sorted(p["name"] for p in alle["person"]) == sorted(
        {lid.naam for o in publicerend for lid in o.leden})
    # No id is (part of) a hash of any address in the definitions.
    adressen = {lid.email for o in omgeving.definities.organen.values() for lid in o.leden}
    hashes = set().union(*(_hashes(a) for a in adressen))
    for persoon in alle["person"]:
        ident = persoon["id"].rsplit("/", 1)[1]
        assert re.fullmatch(r"[0-9a-f]{16}", ident)
        assert not any(ident in h for h in hashes), ident
    # Stable: the same ids from a new worker.
    opnieuw = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()
    assert [p["id"] for p in opnieuw.get("/oparl/v1/body/1/person?limit=200").get_json()[
        "data"]] == [p["id"] for p in alle["person"]]
    # Every list pages by `limit`, following links.next, each object once.
    for soort, objecten in alle.items():
        gezien: list[str] = []
        url: str | None = basis + soort + "?limit=3"
        for _ in range(100):
            pagina = controle.haal(url)  # type: ignore[arg-type]
            controle.pagina(pagina)
            assert len(pagina["data"]) <= 3
            gezien.extend(o["id"] for o in pagina["data"])
            url = pagina["links"].get("next")
            if url is None:
                break
        assert gezien == [o["id"] for o in objecten] and len(set(gezien)) == len(gezien)
        assert len(gezien) > 3 or soort == "organization"
    assert get(basis + "person?na=../x")[0] == 400


def test_every_oparl_object_also_deleted_ones_and_the_export_validate(
        omgeving: Omgeving, tmp_path: Path, besluitroute: Any) -> None:
    from oparl_spec import Controle

    kenmerken, client = _oparl_client(omgeving, tmp_path, 2)
    besluitroute("publicatie", "uitzonderen", kenmerken[1], "--grond", "5.1.2.b",
                 "--toelichting", "Onderhandelingspositie", nu="2021-06-26T10:00")
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))

    def get(url: str) -> tuple[int, Any]:
        r = client.get(url.removeprefix("http://localhost"))  # type: ignore[attr-defined]
        return r.status_code, (r.get_json() if r.is_json else None)

    controle = Controle(get, "http://localhost/oparl/v1/")
    verwijderd: dict[str, int] = {}
    for soort in ("paper", "meeting", "agendaItem", "consultation", "file", "location",
                  "organization", "person", "membership", "legislativeTerm"):
        url: str | None = (f"http://localhost/oparl/v1/body/1/{soort}"
                           "?modified_since=2000-01-01T00:00:00%2B01:00&limit=2")
        for _ in range(200):
            pagina = controle.haal(url)  # type: ignore[arg-type]
            controle.pagina(pagina)  # every object, deleted or not, against the schemas
            for obj in pagina["data"]:
                if obj.get("deleted"):
                    verwijderd[soort] = verwijderd.get(soort, 0) + 1
                    assert "name" not in obj and "reference" not in obj
            url = pagina["links"].get("next")
            if url is None:
                break
    assert {"paper", "agendaItem", "file"} <= set(verwijderd), verwijderd

    # The static export: every object file against the schemas, deleted ones included.
    (tmp_path / "export").mkdir()
    result = besluitroute("export", "oparl", str(tmp_path / "export"), "--adres",
                          "http://localhost", nu="2021-06-28T09:00")
    assert result.exit_code == 0, result.output
    export = tmp_path / "export" / "oparl" / "v1"

    def bestand(url: str) -> tuple[int, Any]:
        pad = url.removeprefix("http://localhost/oparl/v1/").split("?", 1)[0]
        if pad.endswith(("/inhoud", "/download")):  # content is served by the portal only
            return get(url)
        for kandidaat in (export / f"{pad}.json", export / pad / "index.json",
                          export / pad):
            if kandidaat.is_file():
                return 200, json.loads(kandidaat.read_text(encoding="utf-8"))
        return 404, None

    export_controle = Controle(bestand, "http://localhost/oparl/v1/")
    gecontroleerd = 0
    for pad in sorted(export.rglob("*.json")):
        data = json.loads(pad.read_text(encoding="utf-8"))
        if "data" in data:
            export_controle.pagina(data)
        else:
            export_controle.object_(data)
        gecontroleerd += 1
    stubs = [p for p in export.rglob("*.json")
             if json.loads(p.read_text(encoding="utf-8")).get("deleted")]
    assert gecontroleerd > 20 and len(stubs) >= 3


# ---------------------------------------------------------------------------------------------
# What the public pages publish.

def _anoniem_en_lid(omgeving: Omgeving, lid: str) -> tuple[Any, Any]:
    from workflow.web import opslag
    from workflow.web.app import COOKIE, maak_app

    app = maak_app(omgeving, veilige_cookies=False, proxies=0)
    token, _ = opslag.maak_link(omgeving, lid)
    uitkomst = opslag.gebruik_link(omgeving, token)
    assert isinstance(uitkomst, tuple)
    ingelogd = app.test_client()
    ingelogd.set_cookie(COOKIE, uitkomst[1])
    return app.test_client(), ingelogd


def test_public_pages_show_only_published_advice_and_no_officials_names(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """Seed 002: the programme team, the stuurgroep and the AOJ advise; they publish nothing,
    so their advice is not on the AB's public agenda nor on the public proposal page; the
    public history names bodies and roles, not the officials. The AB's members see it all."""
    from test_agenda_db import walk_2021

    from workflow.voorstellen import documenten

    route = walk_2021(omgeving)
    stuk = tmp_path / "plan.txt"
    stuk.write_text("Plan\n", encoding="utf-8")
    act_as("2021-06-24T17:00")
    documenten.registreer(omgeving, route.kenmerk, stuk, door="M. de Ambtenaar")
    assert publiceren.publiceer(omgeving, VERZENDING) >= 2
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))
    anoniem, lid = _anoniem_en_lid(omgeving, LID_AB)
    adviezen = [ADVIES_PROGRAMMATEAM, ADVIES_AOJ, *ADVIES_STUURGROEP.splitlines()]
    for pad in (f"/vergadering/{route.ab}", f"/voorstel/{route.kenmerk}"):
        publiek = anoniem.get(pad).get_data(as_text=True)
        volledig = lid.get(pad).get_data(as_text=True)
        assert route.kenmerk in publiek and route.kenmerk in volledig
        for tekst in adviezen:
            assert tekst not in publiek, (pad, tekst)
            assert tekst in volledig, (pad, tekst)
    publiek = anoniem.get(f"/voorstel/{route.kenmerk}").get_data(as_text=True)
    volledig = lid.get(f"/voorstel/{route.kenmerk}").get_data(as_text=True)
    assert "M. de Ambtenaar" not in publiek and "M. de Ambtenaar" in volledig
    # Not even the outcome of their advice (the cover sheet's route, the timeline).
    from workflow.definities.model import Uitkomst

    for uitkomst in (Uitkomst.POSITIEF.label, Uitkomst.VOORWAARDELIJK.label):
        assert uitkomst not in publiek and uitkomst in volledig, uitkomst
    assert "secretariaat Programmateam" in publiek  # the body and role instead


def test_a_member_of_an_unrelated_body_sees_a_proposal_as_the_public_does(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """Signed in is not enough: a member of the VNG board (not on the proposal's route, not its
    commissioner) sees no closed advice and no officials' names on the published proposal's
    page; a member of the AOJ (a meeting on its route) sees them."""
    from test_agenda_db import walk_2021

    from workflow.definities.model import Uitkomst
    from workflow.voorstellen import documenten

    route = walk_2021(omgeving)
    stuk = tmp_path / "plan.txt"
    stuk.write_text("Plan\n", encoding="utf-8")
    act_as("2021-06-24T17:00")
    documenten.registreer(omgeving, route.kenmerk, stuk, door="M. de Ambtenaar")
    assert publiceren.publiceer(omgeving, VERZENDING) >= 2
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))
    _, vreemd = _anoniem_en_lid(omgeving, "voorzitter@vng.example")
    _, betrokken = _anoniem_en_lid(omgeving, LID_AOJ)
    pad = f"/voorstel/{route.kenmerk}"
    antwoord = vreemd.get(pad)
    assert antwoord.status_code == 200  # published: visible, but as the public sees it
    buiten = antwoord.get_data(as_text=True)
    binnen = betrokken.get(pad).get_data(as_text=True)
    assert route.kenmerk in buiten and route.kenmerk in binnen
    for tekst in (ADVIES_PROGRAMMATEAM, ADVIES_AOJ, *ADVIES_STUURGROEP.splitlines(),
                  Uitkomst.POSITIEF.label, Uitkomst.VOORWAARDELIJK.label):
        assert tekst not in buiten and tekst in binnen, tekst
    assert "M. de Ambtenaar" not in buiten and "M. de Ambtenaar" in binnen
    assert "secretariaat Programmateam" in buiten


def test_a_proposal_under_a_woo_exception_leaves_no_trace_for_the_public(
        omgeving: Omgeving, tmp_path: Path, besluitroute: Any) -> None:
    """On the AB's public agenda, its public feed, OParl and the search: no kenmerk, title or
    beslispunt of the excepted proposal, only its Woo ground; the AB's members see it all."""
    from test_agenda_db import vergadering_id

    from workflow.voorstellen import documenten, herplanning

    kenmerken, _ = _oparl_client(omgeving, tmp_path, 1)
    act_as("2021-06-07T09:30")
    titel, beslispunt = "Onderhandelingsmandaat jeugdhulp", "Instemmen met de bandbreedte"
    gesloten = indienen.indienen(
        omgeving, titel=titel, route="grjr-procesvoorstel", opsteller="Beleidsadviseur jeugd",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd", beslispunten=(beslispunt,))
    stuk = tmp_path / "mandaat.txt"
    stuk.write_text("Mandaat\n", encoding="utf-8")
    documenten.registreer(omgeving, gesloten, stuk, door="secretariaat")
    herplanning.vastleggen(omgeving, gesloten, door="secretariaat")
    clock.act_as(None)
    publiceren.publiceer(omgeving, VERZENDING)
    # Published first, then excepted: the publication is withdrawn.
    result = besluitroute("publicatie", "uitzonderen", gesloten, "--grond", "5.1.2.b",
                          "--toelichting", "Onderhandelingspositie", nu="2021-06-26T10:00")
    assert result.exit_code == 0, result.output
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))
    anoniem, lid = _anoniem_en_lid(omgeving, LID_AB)
    from datetime import date

    ab = vergadering_id(omgeving, "ab-platform-jeugd", date(2021, 7, 2))
    sporen = (gesloten, titel, "Onderhandelingsmandaat", "bandbreedte", "mandaat.txt")
    niet_openbaar = "niet openbaar (Woo art. 5.1 lid 2 sub b)"
    publiek = anoniem.get(f"/vergadering/{ab}").get_data(as_text=True)
    assert niet_openbaar in publiek and kenmerken[0] in publiek
    feed = anoniem.get("/kalender/orgaan/ab-platform-jeugd.ics").get_data(as_text=True)
    assert niet_openbaar in feed.replace("\r\n ", "")
    oparl = json.dumps([anoniem.get(f"/oparl/v1/body/1/{soort}?limit=200").get_json()
                        for soort in ("paper", "meeting", "agendaItem", "file")],
                       ensure_ascii=False)
    for spoor in sporen:
        assert spoor not in publiek, spoor
        assert spoor not in feed.replace("\r\n ", ""), spoor
        assert spoor not in oparl, spoor
    # The search, by title, kenmerk and a word of a beslispunt: 0 hits.
    for vraag in (titel, gesloten, "bandbreedte"):
        html = anoniem.get("/zoeken?" + urlencode({"q": vraag})).get_data(as_text=True)
        assert "0 voorstel(len) gevonden" in html and f"/voorstel/{gesloten}" not in html
    assert anoniem.get(f"/voorstel/{gesloten}").status_code == 404
    # The AB's members see it in full.
    volledig = lid.get(f"/vergadering/{ab}").get_data(as_text=True)
    # (Under "Verzoek is om in te stemmen met:" the point reads "De bandbreedte".)
    assert gesloten in volledig and titel in volledig and "De bandbreedte" in volledig
    assert niet_openbaar not in volledig
    html = lid.get("/zoeken?" + urlencode({"q": titel})).get_data(as_text=True)
    assert f"/voorstel/{gesloten}" in html


def test_advies_openbaar_is_read_and_a_wrong_value_is_named_with_file_and_line(
        tmp_path: Path) -> None:
    import shutil

    from workflow.basis.fouten import DefinitieFout
    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen

    definities = lezen.load(meegeleverd("definities"), cache=False)
    # By default only a body that publishes has public advice.
    assert not definities.organen["stuurgroep-transformatie"].advies_openbaar
    assert not definities.organen["programmateam"].advies_openbaar
    assert definities.organen["ab-platform-jeugd"].advies_openbaar
    kopie = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), kopie)
    bestand = kopie / "organen" / "stuurgroep-transformatie.yaml"
    origineel = bestand.read_text(encoding="utf-8")
    bestand.write_text(origineel + "advies_openbaar: true\n", encoding="utf-8")
    assert lezen.load(kopie, cache=False).organen["stuurgroep-transformatie"].advies_openbaar
    bestand.write_text(origineel + "advies_openbaar: soms\n", encoding="utf-8")
    regel = len(origineel.splitlines()) + 1
    with pytest.raises(DefinitieFout) as fout:
        lezen.load(kopie, cache=False)
    assert [m for m in fout.value.meldingen
            if m.endswith(f"stuurgroep-transformatie.yaml:{regel}: 'advies_openbaar': ja of "
                          f"nee (true/false) verwacht, niet 'soms'")], fout.value.meldingen
