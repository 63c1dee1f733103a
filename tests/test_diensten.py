"""The shipped service files in the real programs: the nginx block in nginx with TLS on port 8443
in front of the portal under gunicorn, and the systemd units through `systemd-analyze verify`.

Without nginx, openssl or systemd-analyze the test says so and skips; with
BESLUITROUTE_VEREIS_NGINX=1 (as .ci/run sets after installing them) a missing nginx fails.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_web import LID_AOJ, Portaal, _portaal, _vergadering_id

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
POORT = 8443


def vereist(programma: str) -> str:
    pad = shutil.which(programma) or shutil.which(programma, path="/usr/sbin:/sbin")
    if pad is not None:
        return pad
    if os.environ.get("BESLUITROUTE_VEREIS_NGINX") == "1":
        pytest.fail(f"{programma} ontbreekt, en BESLUITROUTE_VEREIS_NGINX=1 vereist het")
    pytest.skip(f"{programma} is hier niet geïnstalleerd: de proef met de echte nginx is "
                f"overgeslagen (.ci/run installeert nginx en openssl)")


def vrije_poort(voorkeur: int) -> int:
    """8443 as in the issue; another free port if something else holds it (still not 443)."""
    for poort in (voorkeur, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", poort))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise AssertionError("geen vrije poort")


@dataclass
class ViaNginx(Portaal):
    """The portal as a browser reaches it: https://127.0.0.1:PORT/portaal/... through nginx."""

    context: ssl.SSLContext | None = None

    def verzoek(self, method: str, path: str, headers: dict[str, str] | None = None,
                body: str | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
        pad = path if path.startswith("/portaal") else "/portaal" + path
        conn = http.client.HTTPSConnection(self.host, self.port, timeout=30, context=self.context)
        try:
            conn.request(method, pad, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def start_nginx(tmp_path: Path, portaalpoort: int, poort: int) -> Iterator[ssl.SSLContext]:
    nginx, openssl = vereist("nginx"), vereist("openssl")
    sleutel, certificaat = tmp_path / "sleutel.pem", tmp_path / "certificaat.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(sleutel), "-out", str(certificaat), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    blok = (SCRIPTS / "besluitroute-web.nginx.conf").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000/" in blok
    blok = blok.replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{portaalpoort}/")
    tijdelijk = " ".join(f"{soort}_temp_path {tmp_path / soort};"
                         for soort in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
daemon off; master_process off; pid {tmp_path / 'nginx.pid'}; error_log stderr warn;
events {{ worker_connections 64; }}
http {{
  access_log off; {tijdelijk}
  server {{
    listen 127.0.0.1:{poort} ssl; server_name 127.0.0.1;
    ssl_certificate {certificaat}; ssl_certificate_key {sleutel};
{blok}
  }}
}}
""", encoding="utf-8")
    proces = subprocess.Popen([nginx, "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proces.poll() is None, proces.communicate()[0]
            try:
                socket.create_connection(("127.0.0.1", poort), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx startte niet"
                time.sleep(0.1)
        yield ssl.create_default_context(cafile=str(certificaat))
    finally:
        proces.terminate()
        proces.wait(timeout=10)


ABSOLUUT = re.compile(r"""(?:https?|webcal)://[^\s"'<>\\]+""")


def eigen_links(tekst: str) -> list[str]:
    """The absolute links to this machine in a page, a feed or a mail."""
    return [u for u in ABSOLUUT.findall(tekst) if "//127.0.0.1" in u or "//localhost" in u]


def test_behind_nginx_with_tls_on_8443_every_link_keeps_scheme_host_and_port(
        tmp_path: Path) -> None:
    vereist("nginx")
    poort = vrije_poort(POORT)
    adres = f"https://127.0.0.1:{poort}/portaal"
    (tmp_path / "besluitroute.toml").write_text(f'[web]\nadres = "{adres}"\n', encoding="utf-8")
    for p in _portaal(f"sqlite:///{tmp_path / 'besluitroute.db'}", tmp_path):
        for context in start_nginx(tmp_path, p.port, poort):
            b = ViaNginx(adres, p.env, p.kenmerk, p.uitgaand, p.document, "127.0.0.1", poort,
                         context)
            gezien: list[str] = []
            status, headers, html = b.get("/")
            assert status == 200 and headers.get_all("Strict-Transport-Security") == [
                "max-age=31536000; includeSubDomains"]
            assert b.get("/portaal")[0] == 200  # without the slash: the same page, no redirect
            gezien += eigen_links(html)
            orgaan = b.get("/orgaan/ab-platform-jeugd")[2]
            assert f"webcal://127.0.0.1:{poort}/portaal/kalender/" in orgaan
            gezien += eigen_links(orgaan)
            ab = _vergadering_id(b, "ab-platform-jeugd", "2021-07-02")
            for pad in (f"/vergadering/{ab}", f"/voorstel/{p.kenmerk}"):
                status, _, pagina = b.get(pad)
                assert status == 200, pad
                gezien += eigen_links(pagina)
            link = b.vraag_link(LID_AOJ)
            gezien.append(link)
            assert link.startswith(f"{adres}/inloggen/")
            cookie = b.log_in(LID_AOJ)
            status, _, mijn = b.post("/mijn/kalender", cookie, formulier="/mijn")
            assert f"webcal://127.0.0.1:{poort}/portaal/" in mijn
            gezien += eigen_links(mijn)

            # OParl with and without the trailing slash: a redirect that keeps all three, in
            # Dutch; then the entry point, whose URLs keep them too.
            status, headers, body = b.verzoek("GET", "/oparl/v1")
            tekst = body.decode()
            assert status == 308 and headers["Location"] == f"{adres}/oparl/v1/"
            assert 'lang="nl"' in tekst and "Doorverwijzing" in tekst
            assert "Redirecting" not in tekst and 'lang="en"' not in tekst
            status, headers, body = b.verzoek("GET", "/oparl/v1/")
            assert status == 301 and "Redirecting" not in body.decode()
            assert headers["Location"] == "/portaal/oparl/v1/system"
            status, _, body = b.verzoek("GET", headers["Location"])
            assert status == 200 and json.loads(body)["id"] == f"{adres}/oparl/v1/system"
            gezien += eigen_links(body.decode())
            status, headers, body = b.verzoek("GET", "/secretariaat")
            assert status in (302, 303) and "Redirecting" not in body.decode()
            assert headers["Location"].startswith("/portaal/")  # relative: stays on this origin

            assert len(gezien) >= 6
            fout = [u for u in gezien if not re.match(rf"(https|webcal)://127\.0\.0\.1:{poort}/",
                                                      u)]
            assert fout == []


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyse = shutil.which("systemd-analyze")
    if analyse is None:
        pytest.skip("systemd-analyze is hier niet geïnstalleerd: de units zijn niet geverifieerd")
    beside = Path(sys.executable).parent / "besluitroute"
    units = sorted([*SCRIPTS.glob("*.service"), *SCRIPTS.glob("*.timer")])
    assert {u.name for u in units} >= {"besluitroute-web.service", "besluitroute-agenda.service",
                                       "besluitroute-agenda.timer"}
    for unit in units:
        # The units name the installed command in /opt/besluitroute; verify checks that it
        # exists, so here it is the command of this installation.
        tekst = unit.read_text(encoding="utf-8")
        (tmp_path / unit.name).write_text(
            tekst.replace("/opt/besluitroute/venv/bin/besluitroute", str(beside)),
            encoding="utf-8")
    result = subprocess.run([analyse, "verify", *(str(tmp_path / u.name) for u in units)],
                            capture_output=True, text=True, timeout=120, check=False)
    # verify exits 0 on an unknown key or a bad value (it only warns): no output at all, then.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
