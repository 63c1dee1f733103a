"""The first hour of a new user (issue 24): the demo shows in the portal, moments are typed and
shown one way, no folder appears unasked, authors are people, and the week is one command."""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import Result

from workflow.basis.clock import TZ
from workflow.berichten import herinneringen
from workflow.berichten.herinneringen import Bijeenkomst, Punt, Soort
from workflow.definities.model import Definities, Lid, LidRol, Orgaan, Persoon

Besluitroute = Callable[..., Result]

#: An ISO 8601 moment as a person should never see one outside --json.
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.stderr)
    return result.stdout


def one_line(result: Result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# ---------------------------------------------------------------------------------------------
# The demo, then its printed portal command: what an anonymous visitor sees.

def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, pad: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", pad)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8")


def test_after_the_demo_its_printed_web_command_shows_the_july_2021_ab_meeting_to_anyone(
        tmp_path: Path) -> None:
    programma = Path(sys.executable).parent / "besluitroute"
    if not programma.exists():
        pytest.skip("het commando besluitroute is niet geïnstalleerd (pip install .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    env["BESLUITROUTE_CACHE"] = str(tmp_path / "cache")
    demo = subprocess.run([str(programma), "demo", "--map", str(tmp_path / "demo")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert demo.returncode == 0, demo.stderr
    # The demo's commands name the program as it was started and the demo's own settings.
    regels = [r.strip() for r in demo.stdout.splitlines() if r.strip().startswith(str(programma))]
    web = next(r for r in regels if " web " in r)
    config = tmp_path / "demo" / "besluitroute.toml"
    assert f"--config {config}" in web
    assert "--nu 2021-07-19" in web
    # Everything published on its day by the morning passes, not "voor invoering".
    lijst = subprocess.run([*shlex.split(regels[0].split(" voorstel ")[0]), "--nu", "2021-07-19",
                            "publicatie", "lijst", "--json"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert lijst.returncode == 0, lijst.stderr
    ab = [p for p in json.loads(lijst.stdout) if p["orgaan"] == "ab-platform-jeugd"
          and p["vergadering_begin"].startswith("2021-07-02")]
    assert {p["soort"]: p["status"] for p in ab} == {
        "agenda": "gepubliceerd", "stukken": "gepubliceerd", "besluitenlijst": "gepubliceerd"}

    port = _vrije_poort()
    proces = subprocess.Popen([*shlex.split(web), "--port", str(port), "--workers", "1"],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(port, "/gezond")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and proces.poll() is None, "het portaal start niet"
            time.sleep(0.2)
        vergadering = next(p["vergadering"] for p in ab)
        status, pagina = _get(port, f"/vergadering/{vergadering}")
        assert status == 200
        tekst = " ".join(re.sub(r"<[^>]+>", " ", pagina).split())
        for verwacht in ("Agenda AB platform jeugd", "vrijdag 2 juli 2021",
                         "2021-001 Procesvoorstel cliëntparticipatie",
                         "plan-van-aanpak-clientparticipatie.txt", "praatplaat-regiovisie.txt",
                         "Besluitenlijst", "Besluit: vastgesteld"):
            assert verwacht in tekst, verwacht
        assert "nog niet gepubliceerd" not in tekst
        assert _get(port, "/voorstel/2021-001")[0] == 200
    finally:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proces.kill()


# ---------------------------------------------------------------------------------------------
# One language of moments.

def test_every_moment_option_takes_a_date_and_time_as_one_or_two_words(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    toegevoegd = ok(besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam",
                                 "--op", "2027-02-24", "14:00"))
    assert "Programmateam regiovisie, 24 februari 2027 14:00" in toegevoegd
    ok(besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam",
                    "--op", "2027-03-24T9:30"))
    ok(besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam",
                    "--op=2027-04-21 11:00"))
    data = json.loads(ok(besluitroute("vergadering", "lijst", "--orgaan", "programmateam",
                                      "--van", "2027-02-24 00:00", "--tot", "2027-04-21",
                                      "--json")))
    extra = {(v["datum"], v["tijd"]): v["id"] for v in data}
    assert {("2027-02-24", "14:00"), ("2027-03-24", "09:30"), ("2027-04-21", "11:00")} <= set(extra)
    ident = str(extra["2027-02-24", "14:00"])
    verplaatst = ok(besluitroute("vergadering", "verplaats", ident, "--naar", "2027-02-25",
                                 "15:00"))
    assert "naar 25 februari 2027 15:00" in verplaatst
    # A date alone keeps the meeting's time of day.
    assert "naar 26 februari 2027 15:00" in ok(besluitroute("vergadering", "verplaats", ident,
                                                            "--naar", "2027-02-26"))
    # --nu as two words, before the command.
    assert ok(besluitroute("--nu", "2027-02-22", "10:00", "voorstel", "indienen", "--titel", "T",
                           "--route", "grjr-procesvoorstel", "--opsteller", "A",
                           "--beslispunt", "B")).strip() == "2027-001"
    # A time of day needs its date; a nonsense moment is one Dutch line naming the forms.
    assert one_line(besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam",
                                 "--op", "2027-05-01")) == \
        "fout: --op: geef ook de begintijd, bijvoorbeeld '2027-05-01 10:00'"
    assert one_line(besluitroute("vergadering", "verplaats", ident, "--naar", "morgen")) == (
        "fout: --naar: ongeldig tijdstip 'morgen' (verwacht JJJJ-MM-DD, JJJJ-MM-DD UU:MM of "
        "JJJJ-MM-DDTUU:MM)")


def test_a_meeting_list_without_filters_shows_thirteen_weeks_from_today(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    kort = ok(besluitroute("vergadering", "lijst", nu="2026-12-07 09:00"))
    assert "vergadering(en) van 7 december 2026 tot en met 7 maart 2027; eerdere en latere met " \
           "--van/--tot of --alles" in kort
    assert "2021" not in kort
    alles = ok(besluitroute("vergadering", "lijst", "--alles", "--json"))
    datums = [v["datum"] for v in json.loads(alles)]
    assert min(datums) < "2022-01-01" and max(datums) > "2027-03-07"


def test_nothing_shown_to_a_person_carries_an_iso_stamp_or_an_internal_key(
        besluitroute: Besluitroute, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A reminder pass that missed a moment records the mail as skipped; the terminal, the
    outbox listing and the week show when in Dutch, Amsterdam time; --json keeps ISO."""
    ok(besluitroute("init"))
    ok(besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                    "grjr-procesvoorstel", "--opsteller", "Anja Jongerius", "--beslispunt", "B",
                    nu="2026-12-01 09:00"))
    ok(besluitroute("voorstel", "agenderen", "2026-001", nu="2026-12-01 09:05"))
    eerste = besluitroute("herinneringen", "verstuur", nu="2026-12-01 09:10")
    ok(eerste)
    # The next pass comes nine days later: the nudge before the deadline was never made. What
    # the pass says about it (on stderr, through the log) names it for a person.
    with caplog.at_level(logging.WARNING, logger="besluitroute.planner"):
        later = besluitroute("herinneringen", "verstuur", nu="2026-12-10 09:10")
    ok(later)
    gezegd = [r.getMessage() for r in caplog.records if r.name == "besluitroute.planner"]
    assert "overgeslagen (geen ronde in de termijn): aanleveren aan Anja Jongerius voor " \
           "Programmateam regiovisie van 14 december 2026 10:00, verschuldigd 3 december 2026 " \
           "09:00" in gezegd, gezegd
    assert not any(ISO.search(g) or "@2026" in g for g in gezegd)
    assert not ISO.search(later.output)
    lijst = ok(besluitroute("berichten", "lijst", "--status", "overgeslagen"))
    assert "er liep geen ronde tussen het moment (" in lijst and not ISO.search(lijst)
    als_json = json.loads(ok(besluitroute("berichten", "lijst", "--status", "overgeslagen",
                                          "--json")))
    # The moment it was due is data of its own; the note is no error.
    assert "2026-12-03T09:00:00+01:00" in {r["verschuldigd_op"] for r in als_json}
    assert ISO.search(als_json[0]["opmerking"]) and als_json[0]["laatste_fout"] is None
    week = ok(besluitroute("week", "--orgaan", "programmateam", nu="2026-12-10 10:00"))
    assert "overgeslagen" in week and not ISO.search(week)


# ---------------------------------------------------------------------------------------------
# Folders and exit codes.

def test_a_named_folder_is_made_only_with_maak_map(besluitroute: Besluitroute,
                                                   tmp_path: Path) -> None:
    ok(besluitroute("init"))
    doel = tmp_path / "srv" / "agendas"
    assert one_line(besluitroute("agenda", "genereer", "--map", str(doel), "--stil")) == (
        f"fout: de map {doel} bestaat niet (maak haar aan, of gebruik --maak-map)")
    assert not (tmp_path / "srv").exists()
    ok(besluitroute("agenda", "genereer", "--map", str(doel), "--maak-map", "--stil"))
    assert doel.is_dir()
    leeg = one_line(besluitroute("agenda", "genereer", "--map", ""))
    assert "leeg pad" in leeg
    assert one_line(besluitroute("definities", "toon", "--yaml", str(tmp_path / "x" / "y"))) == (
        f"fout: kan {tmp_path / 'x' / 'y'} niet maken: de map {tmp_path / 'x'} bestaat niet")
    assert not (tmp_path / "x").exists()
    for export in (["oparl"], ["woo-index", "--adres", "https://grjr.example"], ["ori-a"]):
        assert one_line(besluitroute("export", export[0], str(tmp_path / "www"), *export[1:])) == (
            f"fout: de map {tmp_path / 'www'} bestaat niet (maak haar aan, of gebruik --maak-map)")
        assert not (tmp_path / "www").exists()


# ---------------------------------------------------------------------------------------------
# Authors are people.

def _team() -> Orgaan:
    leden = (Lid("Voorzitter", "voorzitter@grjr.example", LidRol.VOORZITTER, "GR"),
             Lid("Secretaris", "secr@grjr.example", LidRol.SECRETARIS, "GR"))
    return Orgaan(sleutel="team", naam="Team", afkorting="Team",
                  secretaris=Persoon("Secretaris", "secr@grjr.example"), leden=leden,
                  opstellers=(Persoon("Anja Jongerius", "anja@grjr.example"),),
                  aanleveren_werkdagen=5, verzenden_dagen=7)


def test_nudges_reach_the_author_by_address_or_by_name_and_never_ask_a_secretary_to_deliver_to_themselves(
        ) -> None:
    begin = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
    punten = (Punt("2026-001", "Eigen adres", "Piet Extern", "advies", "geagendeerd",
                   opsteller_email="piet@extern.example"),
              Punt("2026-002", "Bekende opsteller", "anja jongerius", "advies", "geagendeerd"),
              Punt("2026-003", "Van de secretaris", "Secretaris", "advies", "geagendeerd"),
              Punt("2026-004", "Onbekend", "Iemand", "advies", "geagendeerd"))
    defs = Definities(map=Path(), organen={"team": _team()}, routes={})
    moment = herinneringen.moment_aanleveren(defs.organen["team"], begin)
    due = herinneringen.verschuldigd(
        defs, [Bijeenkomst("team-20260309", "team", begin, "Rotterdam", False, punten)], moment,
        herinneringen.timedelta(days=1))
    per_adres = {h.aan.email: h for h in due if h.soort is Soort.AANLEVEREN}
    assert sorted(per_adres) == ["anja@grjr.example", "piet@extern.example", "secr@grjr.example"]
    assert per_adres["piet@extern.example"].context["kenmerken"] == ["2026-001"]
    assert per_adres["anja@grjr.example"].context["kenmerken"] == ["2026-002"]
    # The secretary only gets what to pass on; their own proposal asks nothing of them.
    secretaris = per_adres["secr@grjr.example"].context
    assert secretaris["voorstellen"] == []
    assert [v["kenmerk"] for v in secretaris["door_te_sturen"]] == ["2026-004"]


def test_a_proposal_with_its_authors_address_sends_the_nudge_there(
        besluitroute: Besluitroute, tmp_path: Path) -> None:
    ok(besluitroute("init"))
    assert one_line(besluitroute("voorstel", "indienen", "--titel", "T", "--route",
                                 "grjr-procesvoorstel", "--opsteller", "Piet", "--beslispunt",
                                 "B", "--opsteller-email", "piet@")).startswith(
        "fout: --opsteller-email: ongeldig e-mailadres 'piet@'")
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                              "grjr-procesvoorstel", "--opsteller", "Piet Extern",
                              "--opsteller-email", "Piet@Extern.Example", "--beslispunt", "B",
                              nu="2026-12-01 09:00")).strip()
    ok(besluitroute("voorstel", "agenderen", kenmerk, nu="2026-12-01 09:05"))
    ok(besluitroute("herinneringen", "verstuur", nu="2026-12-03 09:05"))
    mails = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "uitgaand").glob("*.eml")}
    aan_piet = [t for t in mails.values() if "To: piet@extern.example" in t]
    assert aan_piet, sorted(mails)
    # The body named with its article (`lidwoord: het`).
    assert "Subject: Herinnering: stukken aanleveren voor het Programmateam regiovisie van" \
        in aan_piet[0]
    assert "het secretariaat van het Programmateam regiovisie" in aan_piet[0]
    toon = json.loads(ok(besluitroute("voorstel", "toon", kenmerk, "--json")))
    assert toon["opsteller_email"] == "piet@extern.example"
    gewijzigd = ok(besluitroute("voorstel", "wijzig", kenmerk, "--opsteller-email",
                                "p.extern@extern.example"))
    assert 'e-mailadres opsteller was "piet@extern.example"' in gewijzigd


# ---------------------------------------------------------------------------------------------
# The week, and smaller things.

def test_the_week_lists_deadlines_meetings_and_what_needs_attention(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                              "grjr-procesvoorstel", "--opsteller", "Anja Jongerius",
                              "--beslispunt", "B", nu="2026-12-01 09:00")).strip()
    ok(besluitroute("voorstel", "agenderen", kenmerk, nu="2026-12-01 09:05"))
    deze = ok(besluitroute("week", "--orgaan", "programmateam", nu="2026-12-08 10:00"))
    assert deze.startswith("Deze week: 7 december 2026 tot en met 13 december 2026")
    assert "- maandag 14 december 2026" not in deze  # next week's meeting is not this week's
    volgende = ok(besluitroute("week", "--orgaan", "programmateam", "--volgende",
                               nu="2026-12-08 10:00"))
    assert volgende.startswith("Volgende week: 14 december 2026 tot en met 20 december 2026")
    assert f"- maandag 14 december 2026 10:00: vergadering Programmateam regiovisie: {kenmerk}" \
        in volgende
    data = json.loads(ok(besluitroute("week", "--volgende", "--json", nu="2026-12-08 10:00")))
    regels = data["weken"][0]["regels"]
    assert any(r["wat"] == "vergadering" and r["kenmerken"] == [kenmerk] for r in regels)
    assert one_line(besluitroute("week", "--orgaan", "bestaat-niet")).startswith(
        "fout: onbekend orgaan 'bestaat-niet'")


def test_help_lists_whole_descriptions(besluitroute: Besluitroute) -> None:
    for args in ([], ["voorstel"], ["vergadering"], ["agenda"], ["definities"]):
        hulp = ok(besluitroute(*args, "--help"))
        lijst = hulp.split("Commando's:", 1)[1]
        # click cuts a description that does not fit with "..." at the end of its line.
        assert not re.search(r"\.\.\.$", lijst, re.M), (args, lijst)
    assert "Corrigeer titel, beslispunten of opsteller, tot de eerste uitkomst is vastgelegd." \
        in " ".join(ok(besluitroute("voorstel", "--help")).split())


def test_voorstel_toon_wraps_long_texts_and_the_shipped_definitions_are_meegeleverd(
        besluitroute: Besluitroute) -> None:
    ok(besluitroute("init"))
    kenmerk = ok(besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                              "grjr-procesvoorstel", "--opsteller", "A", "--beslispunt", "B",
                              nu="2021-06-07 09:00")).strip()
    ok(besluitroute("voorstel", "agenderen", kenmerk, nu="2021-06-07 09:05"))
    advies = " ".join(f"woord{i}" for i in range(60)) + " slotwoord"
    ok(besluitroute("voorstel", "advies", kenmerk, "--uitkomst", "voorwaardelijk", "--tekst",
                    advies, nu="2021-06-14 12:00"))
    getoond = ok(besluitroute("voorstel", "toon", kenmerk))
    assert "…" not in getoond
    assert all(f"woord{i}" in getoond for i in range(60)) and "slotwoord" in getoond
    assert max(len(r) for r in getoond.splitlines()) < 250
    lijst = ok(besluitroute("definities", "lijst"))
    assert "meegeleverd" in lijst and "_meegeleverd" not in lijst


def test_several_problems_are_one_line_each_and_a_closed_pipe_stays_quiet(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A refusal that names several proposals prints one `fout:` line per proposal (not one
    line with an escaped line break); `besluitroute ... | head -1` ends quietly, not with a
    Dutch error about a lost connection."""
    from workflow.basis.fouten import GebruikersFout
    from workflow.cli import Fout

    fout = GebruikersFout(["voorstel 2026-001: stap weg", "voorstel 2026-002: stap weg"])
    Fout(str(fout), fout.regels()).show()
    assert capsys.readouterr().err.splitlines() == ["fout: voorstel 2026-001: stap weg",
                                                    "fout: voorstel 2026-002: stap weg"]
    programma = Path(sys.executable).parent / "besluitroute"
    if not programma.exists():
        pytest.skip("het commando besluitroute is niet geïnstalleerd (pip install .)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    env["BESLUITROUTE_CACHE"] = str(tmp_path / "cache")
    assert subprocess.run([str(programma), "init"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=120, check=False).returncode == 0
    pijp = subprocess.run(f"'{programma}' vergadering lijst --alles | head -1", shell=True,
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert "fout:" not in pijp.stderr, pijp.stderr
