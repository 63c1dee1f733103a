"""The AB of 2 July 2021 decides: attendance, quorum and votes, recorded by the secretariat and
shown in the decision list, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xsd
from lxml import etree
from test_voorstel import meeting, ok, refused

Besluitroute = Callable[..., Any]

ROTTERDAM = "Wethouder jeugd Rotterdam"
BAR = "Wethouder jeugd BAR"
CAPELLE = "Wethouder jeugd Capelle aan den IJssel"
LANSINGERLAND = "Wethouder jeugd Lansingerland"
VLAARDINGEN = "Wethouder jeugd Vlaardingen"
NISSEWAARD = "Wethouder jeugd Nissewaard"
SCHIEDAM = "Wethouder jeugd Schiedam"
SECRETARIS = "Bestuurssecretaris GR JR"
VERVANGER = "Wethouder financiën Schiedam"


@pytest.fixture
def run(besluitroute: Besluitroute) -> Besluitroute:
    ok(besluitroute("init"))
    return besluitroute


def at_the_ab(run: Besluitroute) -> tuple[str, int]:
    """A procesvoorstel with two beslispunten, advised along the route and on the AB of 2 July."""
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Procesvoorstel cliëntparticipatie",
                     "--route", "grjr-procesvoorstel", "--opsteller", "A. Opsteller",
                     "--in-opdracht-van", "ab-platform-jeugd",
                     "--beslispunt", "Instemmen met het plan van aanpak",
                     "--beslispunt", "Inzetten van de praatplaat", "--door", "secretaris",
                     nu="2021-06-07T09:00")).strip()
    ok(run("voorstel", "agenderen", kenmerk, nu="2021-06-07T09:05"))
    for nu, volgende in (("2021-06-14T12:00", "2021-06-14T12:05"),
                         ("2021-06-23T16:00", None)):
        ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
               nu=nu))
        if volgende:
            ok(run("voorstel", "agenderen", kenmerk, nu=volgende))
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(meeting(run, "aoj", "2021-06-24")),
           "--na-deadline", nu="2021-06-23T16:05"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Positief",
           nu="2021-06-24T15:00"))
    ab = meeting(run, "ab-platform-jeugd", "2021-07-02")
    ok(run("voorstel", "agenderen", kenmerk, "--vergadering", str(ab), "--na-deadline",
           nu="2021-06-24T15:05"))
    return kenmerk, ab


def five_present(run: Besluitroute, ab: int) -> str:
    return ok(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR,
                  "--lid", CAPELLE, "--lid", LANSINGERLAND, "--lid", VLAARDINGEN,
                  "--lid", SECRETARIS, "--afwezig", NISSEWAARD, "--reden", "ziek",
                  "--vervanger", f"{VERVANGER}={SCHIEDAM}", "--door", "secretaris",
                  nu="2021-07-02T10:05"))


BESLUITENLIJST = """\
BESLUITENLIJST AB PLATFORM JEUGD

Vergadering: vrijdag 2 juli 2021, 10:00 uur
Plaats:      Rotterdam, stadhuis
Secretaris:  Bestuurssecretaris GR JR
Aanwezig:    Wethouder jeugd Rotterdam (voorzitter), Wethouder jeugd
             BAR, Wethouder jeugd Capelle aan den IJssel, Wethouder
             jeugd Lansingerland, Wethouder jeugd Vlaardingen,
             Bestuurssecretaris GR JR (secretaris)
Vervanging:  Wethouder financiën Schiedam namens Wethouder jeugd
             Schiedam
Afwezig:     Wethouder jeugd Nissewaard (ziek)
Quorum:      6 van de 7 leden aanwezig; het quorum is meer dan de helft,
             4 leden (Gemeentewet art. 20, van toepassing via Wgr art.
             22)

 5. 2021-001  Procesvoorstel cliëntparticipatie (ter besluitvorming)
    Besluit: vastgesteld
    - Instemmen met het plan van aanpak (aangenomen zonder stemming)
    - Inzetten van de praatplaat (aangenomen met 7 tegen 2 stemmen)
      Voor: Wethouder jeugd Rotterdam (4), Wethouder jeugd BAR (2),
        Wethouder financiën Schiedam namens Wethouder jeugd Schiedam (1)
      Tegen: Wethouder jeugd Capelle aan den IJssel (2)
      Onthouden: Wethouder jeugd Lansingerland (1)
"""


def test_the_ab_of_2_july_2021_decides_one_point_without_a_vote_and_one_by_weighted_vote(
        run: Besluitroute, tmp_path: Path) -> None:
    kenmerk, ab = at_the_ab(run)
    out = five_present(run, ab)
    assert out.strip() == (
        f"vergadering {ab} (AB platform jeugd, 2 juli 2021): aanwezigheid vastgelegd (versie 1); "
        "6 van de 7 leden aanwezig; het quorum is meer dan de helft, 4 leden (Gemeentewet "
        "art. 20, van toepassing via Wgr art. 22)")
    out = ok(run("voorstel", "stemming", kenmerk, "--beslispunt", "1", "--zonder-stemming",
                 "--door", "secretaris", nu="2021-07-02T11:00"))
    assert out.strip() == (f"voorstel {kenmerk}, beslispunt 1: aangenomen zonder stemming "
                           "(stemming vastgelegd, versie 1)")
    # Rotterdam 4, BAR 2 and Schiedam's 1 (cast by the substitute) for; Capelle's 2 against.
    out = ok(run("voorstel", "stemming", kenmerk, "--beslispunt", "2", "--voor", ROTTERDAM,
                 "--voor", BAR, "--voor", VERVANGER, "--tegen", CAPELLE,
                 "--onthouden", LANSINGERLAND, "--door", "secretaris", nu="2021-07-02T11:05"))
    assert out.strip() == (f"voorstel {kenmerk}, beslispunt 2: aangenomen met 7 tegen 2 "
                           "stemmen (stemming vastgelegd, versie 1)")
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld", nu="2021-07-02T12:00"))
    # A correction that takes a voter off the list is refused: the vote would lose its voter.
    assert refused(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR,
                       "--lid", LANSINGERLAND, "--lid", VLAARDINGEN,
                       "--vervanger", f"{VERVANGER}={SCHIEDAM}", nu="2021-07-02T12:30")) == (
        f"'{CAPELLE}' stemde over beslispunt 2 van voorstel {kenmerk} en moet op de "
        "presentielijst blijven; leg die stemming eerst opnieuw vast")

    lijst = ok(run("besluitenlijst", str(ab), "--formaat", "tekst", nu="2021-07-02T13:00"))
    assert lijst == BESLUITENLIJST
    html = ok(run("besluitenlijst", str(ab), "--formaat", "html", nu="2021-07-02T13:00"))
    assert "<dt>Afwezig</dt><dd class=\"tekst\">Wethouder jeugd Nissewaard (ziek)</dd>" in html
    assert "<strong>(aangenomen met 7 tegen 2 stemmen)</strong>" in html
    assert "<strong>(aangenomen zonder stemming)</strong>" in html

    d = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    assert [(p["besluit"], p["stemming"]["uitslag"]) for p in d["beslispunten"]] == [
        ("aangenomen", "aangenomen zonder stemming"),
        ("aangenomen", "aangenomen met 7 tegen 2 stemmen")]
    assert d["beslispunten"][1]["stemming"]["tegen"] == [f"{CAPELLE} (2)"]
    assert [g["handeling"] for g in d["geschiedenis"]][-3:] == ["stemming", "stemming",
                                                                "vastgesteld"]
    assert_ori_a(run, tmp_path, kenmerk)


ORIA = {"o": "https://ori-a.nl"}


def assert_ori_a(run: Besluitroute, tmp_path: Path, kenmerk: str) -> None:
    """The archive's ORI-A file names those present (not the absent), how each voted, and the
    vote of beslispunt 2; it validates against ORI-A 1.0.1."""
    ok(run("export", "ori-a", str(tmp_path / "edepot"), "--maak-map", "--orgaan",
           "ab-platform-jeugd", "--van", "2021-07-01", "--tot", "2021-07-03",
           nu="2021-07-19T09:00"))
    [bestand] = (tmp_path / "edepot").rglob("ori-a.xml")
    oria = bestand.read_bytes()
    assert xsd.fouten(oria, "ori-a") == []
    boom = etree.fromstring(oria)
    deelnemers = {d.findtext("o:isNatuurlijkPersoon/o:naam/o:volledigeNaam", namespaces=ORIA):
                  (d.findtext("o:rolnaam/o:begripLabel", namespaces=ORIA),
                   [k.text for k in d.iterfind("o:neemtDeelAanStemming/o:keuzeStemming", ORIA)])
                  for d in boom.iterfind("o:aanwezigeDeelnemer", ORIA)}
    assert deelnemers == {
        ROTTERDAM: ("Voorzitter", ["Voor"]), BAR: ("Lid", ["Voor"]), CAPELLE: ("Lid", ["Tegen"]),
        LANSINGERLAND: ("Lid", ["Onthouden"]), VLAARDINGEN: ("Lid", []),
        SECRETARIS: ("Secretaris", []), VERVANGER: ("Plaatsvervanger", ["Voor"])}
    stemmingen = boom.findall("o:stemming", ORIA)
    assert [(s.findtext("o:type", namespaces=ORIA),
             s.findtext("o:resultaatMondelingeStemming", namespaces=ORIA)) for s in stemmingen] \
        == [(None, None), ("Hoofdelijk", "Voor")]
    toelichting = [b.findtext("o:toelichting", namespaces=ORIA)
                   for b in boom.iterfind("o:besluit", ORIA)]
    assert toelichting == [
        "Beslispunt 1: Instemmen met het plan van aanpak (aangenomen zonder stemming)",
        "Beslispunt 2: Inzetten van de praatplaat (aangenomen met 7 tegen 2 stemmen)"]
    assert b"ziek" not in oria and NISSEWAARD.encode() not in oria


def test_with_three_members_present_the_ab_cannot_decide(run: Besluitroute) -> None:
    kenmerk, ab = at_the_ab(run)
    out = ok(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR,
                 "--lid", CAPELLE, "--lid", SECRETARIS, nu="2021-07-02T10:05"))
    assert "3 van de 7 leden aanwezig" in out and "let op: het quorum is niet gehaald" in out
    fout = refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                       nu="2021-07-02T12:00"))
    assert fout == ("het AB platform jeugd kan niet besluiten: 3 van de 7 leden aanwezig; het "
                    "quorum is meer dan de helft, 4 leden (Gemeentewet art. 20, van toepassing "
                    "via Wgr art. 22); het besluit is niet vastgelegd")
    fout = refused(run("voorstel", "stemming", kenmerk, "--beslispunt", "1",
                       "--zonder-stemming", nu="2021-07-02T12:00"))
    assert fout.startswith("het AB platform jeugd kan niet besluiten: 3 van de 7")
    d = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    assert d["status"].endswith(":geagendeerd")  # nothing half-written
    assert [p["besluit"] for p in d["beslispunten"]] == [None, None]
    # Corrected (a member came in late): a new version, and now the AB decides.
    assert "versie 2" in five_present(run, ab)
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld", nu="2021-07-02T12:05"))
    # Once decided, a correction may not take the quorum away again.
    assert refused(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR,
                       "--lid", CAPELLE, nu="2021-07-02T13:00")) == (
        f"over voorstel {kenmerk} is in deze vergadering besloten; met deze aanwezigheid kon dat "
        "niet: 3 van de 7 leden aanwezig; het quorum is meer dan de helft, 4 leden (Gemeentewet "
        "art. 20, van toepassing via Wgr art. 22)")
    # Every change is kept: the first list and its correction, who recorded them and when.
    historie = ok(run("vergadering", "aanwezig", str(ab)))
    assert historie.startswith("versie 1, 2 juli 2021 10:05 door ")
    assert "versie 2, 2 juli 2021 10:05 door secretaris: 6 van de 7 leden aanwezig" in historie
    assert f"  afwezig    {NISSEWAARD} (ziek)\n" in historie


@pytest.mark.parametrize(("args", "fout"), [
    (["--lid", "Wethouder jeugd Delft"],
     "'Wethouder jeugd Delft' is geen lid van AB platform jeugd op de datum van de vergadering"),
    (["--lid", ROTTERDAM, "--afwezig", ROTTERDAM],
     f"'{ROTTERDAM}' staat twee keer op de presentielijst (aanwezig en afwezig)"),
    (["--lid", BAR, "--lid", BAR], f"'{BAR}' staat twee keer op de presentielijst"),
    (["--vervanger", f"{VERVANGER}=Wethouder jeugd Delft"],
     "'Wethouder jeugd Delft' is geen lid van AB platform jeugd"),
    (["--vervanger", f"{ROTTERDAM}={SCHIEDAM}"],
     f"vervanger '{ROTTERDAM}' is zelf lid van AB platform jeugd; noem een lid met --lid"),
    (["--vervanger", VERVANGER], f"--vervanger '{VERVANGER}': verwacht NAAM=LID"),
    (["--afwezig", NISSEWAARD, "--afwezig", BAR, "--reden", "ziek"],
     "2 keer --afwezig maar 1 keer --reden"),
    (["--lid", "Wethouder\njeugd BAR"], "de naam moet een naam op één regel zijn"),
])
def test_bad_attendance_is_one_dutch_line_and_records_nothing(run: Besluitroute,
                                                              args: list[str], fout: str) -> None:
    _, ab = at_the_ab(run)
    assert refused(run("vergadering", "aanwezig", str(ab), *args,
                       nu="2021-07-02T10:05")).startswith(fout)
    lijst = ok(run("besluitenlijst", str(ab), "--formaat", "tekst", nu="2021-07-02T10:06"))
    assert "Aanwezig:" not in lijst and "Afwezig:" not in lijst


def test_attendance_is_recorded_from_the_meeting_day_until_the_decision_list_is_fixed(
        run: Besluitroute) -> None:
    _, ab = at_the_ab(run)
    assert refused(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM,
                       nu="2021-07-01T17:00")).endswith("kan pas vanaf die dag worden vastgelegd")
    ok(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, nu="2021-07-05T09:00"))
    # The AB's next meeting (8 October 2021) fixes the list.
    assert refused(run("vergadering", "aanwezig", str(ab), "--lid", BAR,
                       nu="2021-10-08T10:00")) == (
        "de besluitenlijst van AB platform jeugd van 2 juli 2021 is vastgesteld (in de "
        "vergadering van 8 oktober 2021 10:00); de aanwezigheid kan niet meer worden gewijzigd")


@pytest.mark.parametrize(("args", "fout"), [
    (["--voor", NISSEWAARD], f"'{NISSEWAARD}' was niet aanwezig volgens de presentielijst"),
    (["--voor", ROTTERDAM, "--tegen", ROTTERDAM],
     f"de stem van '{ROTTERDAM}' staat er twee keer in"),
    (["--voor", SCHIEDAM, "--voor", VERVANGER],
     f"de stem van '{SCHIEDAM}' staat er twee keer in"),
    (["--voor", SECRETARIS], f"'{SECRETARIS}' heeft geen stem (secretaris)"),
    (["--onthouden", ROTTERDAM], "er is geen stem voor of tegen uitgebracht"),
    (["--voor", ROTTERDAM, "--zonder-stemming"],
     "--zonder-stemming gaat niet samen met --voor, --tegen of --onthouden"),
    ([], "noem wie voor en tegen stemden"),
])
def test_bad_votes_are_one_dutch_line(run: Besluitroute, args: list[str], fout: str) -> None:
    kenmerk, ab = at_the_ab(run)
    five_present(run, ab)
    assert refused(run("voorstel", "stemming", kenmerk, "--beslispunt", "2", *args,
                       nu="2021-07-02T11:00")).startswith(fout)


def test_votes_before_the_attendance_or_on_a_missing_beslispunt_are_refused(
        run: Besluitroute) -> None:
    kenmerk, ab = at_the_ab(run)
    assert refused(run("voorstel", "stemming", kenmerk, "--beslispunt", "1", "--zonder-stemming",
                       nu="2021-07-02T11:00")) == (
        f"leg eerst de aanwezigheid vast: besluitroute vergadering aanwezig {ab} --lid ...")
    five_present(run, ab)
    assert refused(run("voorstel", "stemming", kenmerk, "--beslispunt", "3", "--zonder-stemming",
                       nu="2021-07-02T11:00")) == f"voorstel {kenmerk} heeft geen beslispunt 3"


def test_a_besluit_that_contradicts_the_votes_is_refused(run: Besluitroute) -> None:
    kenmerk, ab = at_the_ab(run)
    five_present(run, ab)
    ok(run("voorstel", "stemming", kenmerk, "--beslispunt", "2", "--voor", CAPELLE,
           "--tegen", ROTTERDAM, nu="2021-07-02T11:00"))
    assert refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                       nu="2021-07-02T12:00")) == (
        "beslispunt 2 is volgens de stemming verworpen met 4 tegen 2 stemmen; het besluit "
        "'aangenomen' spreekt dat tegen")
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld", "--beslispunt",
           "2=verworpen", nu="2021-07-02T12:05"))
    lijst = ok(run("besluitenlijst", str(ab), "--formaat", "tekst", nu="2021-07-02T13:00"))
    assert "Inzetten van de praatplaat (verworpen met 4 tegen 2 stemmen)" in lijst


def test_a_tie_at_a_meeting_that_is_not_full_postpones_the_decision(run: Besluitroute) -> None:
    kenmerk, ab = at_the_ab(run)
    five_present(run, ab)
    # BAR 2 against Capelle 2: de stemmen staken; Nissewaard was absent, so not full.
    out = ok(run("voorstel", "stemming", kenmerk, "--beslispunt", "1", "--voor", BAR,
                 "--tegen", CAPELLE, nu="2021-07-02T11:00"))
    assert "de stemmen staken (2 tegen 2)" in out
    assert refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "afgewezen",
                       nu="2021-07-02T12:00")).startswith(
        "over beslispunt 1 staakten de stemmen in een niet voltallige vergadering: de "
        "beslissing wordt uitgesteld tot de volgende vergadering (Gemeentewet art. 32)")
    ok(run("voorstel", "aanhouden", kenmerk, "--reden", "stemmen staakten",
           nu="2021-07-02T12:05"))
    # At the next meeting (8 October) the votes tie again: now the point is rejected.
    oktober = meeting(run, "ab-platform-jeugd", "2021-10-08")
    ok(run("vergadering", "aanwezig", str(oktober), "--lid", ROTTERDAM, "--lid", BAR,
           "--lid", CAPELLE, "--lid", VLAARDINGEN, nu="2021-10-08T10:06"))
    ok(run("voorstel", "stemming", kenmerk, "--beslispunt", "1", "--voor", BAR,
           "--tegen", CAPELLE, nu="2021-10-08T11:00"))
    assert refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                       nu="2021-10-08T12:00")) == (
        "over beslispunt 1 staakten de stemmen voor de tweede keer (2 tegen 2): het is niet "
        "aangenomen (Gemeentewet art. 32); het besluit 'aangenomen' spreekt dat tegen")
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "afgewezen", nu="2021-10-08T12:05"))


def test_names_in_the_decision_list_are_escaped(run: Besluitroute) -> None:
    _, ab = at_the_ab(run)
    ok(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR, "--lid", CAPELLE,
           "--vervanger", f"<script>x</script>={SCHIEDAM}", "--afwezig", NISSEWAARD,
           "--reden", "<b>ziek</b>", nu="2021-07-02T10:05"))
    html = ok(run("besluitenlijst", str(ab), "--formaat", "html", nu="2021-07-02T13:00"))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt; namens" in html
    assert "<b>ziek</b>" not in html and "&lt;b&gt;ziek&lt;/b&gt;" in html


@pytest.mark.parametrize(("oud", "nieuw", "fout"), [
    ("organisatie: gemeente Rotterdam, stemmen: 4}", "organisatie: gemeente Rotterdam, stemmen: 0}",
     "'stemmen': een geheel getal van 1 tot en met 1000 verwacht, niet '0'"),
    ("organisatie: gemeente Rotterdam, stemmen: 4}", "organisatie: gemeente Rotterdam, stemmen: veel}",
     "'stemmen': een geheel getal van 1 tot en met 1000 verwacht, niet 'veel'"),
    ("organisatie: uitvoeringsorganisatie GR JR}", "organisatie: uitvoeringsorganisatie GR JR, stemmen: 1}",
     "'stemmen': alleen een voorzitter of lid heeft stemmen"),
    ("quorum: meer dan de helft", "quorum: twee derde",
     "'quorum': onbekend: 'twee derde' (toegestaan: meer dan de helft, geen)"),
])
def test_bad_weights_and_quorum_in_the_definitions_name_file_and_line(
        tmp_path: Path, oud: str, nieuw: str, fout: str) -> None:
    import shutil

    from workflow.basis.fouten import DefinitieFout
    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen

    kopie = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), kopie)
    pad = kopie / "organen" / "ab-platform-jeugd.yaml"
    tekst = pad.read_text(encoding="utf-8")
    assert oud in tekst
    pad.write_text(tekst.replace(oud, nieuw, 1), encoding="utf-8")
    with pytest.raises(DefinitieFout) as info:
        lezen.load(kopie)
    [melding] = info.value.meldingen
    assert melding.startswith(f"{pad}:") and melding.endswith(f": {fout}"), melding


def test_the_ab_has_a_quorum_and_weights_and_other_bodies_have_none() -> None:
    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen
    from workflow.definities.besluitregels import Quorum

    definities = lezen.load(meegeleverd("definities"))
    ab = definities.organen["ab-platform-jeugd"]
    assert ab.quorum is Quorum.MEER_DAN_DE_HELFT
    assert [lid.stemmen for lid in ab.leden] == [4, 2, 2, 1, 1, 2, 1, 0]
    assert definities.organen["programmateam"].quorum is Quorum.GEEN


def test_the_portals_decision_list_names_those_present_but_no_reasons(
        run: Besluitroute, database_url: str, tmp_path: Path) -> None:
    from datetime import datetime

    from workflow.basis import clock
    from workflow.basis.paden import meegeleverd
    from workflow.kalender import vergaderingen
    from workflow.omgeving import Omgeving
    from workflow.web.gegevens import agenda_fragment

    kenmerk, ab = at_the_ab(run)
    five_present(run, ab)
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld", nu="2021-07-02T12:00"))
    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    try:
        with env.db.lees() as session:
            _, html = agenda_fragment(env, session, vergaderingen.haal(session, ab),
                                      datetime(2021, 7, 5, 12, 0, tzinfo=clock.TZ), None)
    finally:
        env.sluit()
    assert html is not None
    assert f"{VERVANGER} namens {SCHIEDAM}" in html and ROTTERDAM in html
    assert "<dt>Afwezig</dt><dd class=\"tekst\">Wethouder jeugd Nissewaard</dd>" in html
    assert "ziek" not in html


def test_oparl_names_those_present_once_the_decision_list_is_public(
        omgeving: Any, besluitroute: Besluitroute) -> None:
    from datetime import datetime

    from workflow.basis import clock
    from workflow.openbaarheid import publiceren
    from workflow.web.app import maak_app

    kenmerk, ab = at_the_ab(besluitroute)
    five_present(besluitroute, ab)
    ok(besluitroute("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                    nu="2021-07-02T12:00"))
    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()

    def deelnemers(nu: datetime) -> list[str] | None:
        publiceren.publiceer(omgeving, nu)
        clock.act_as(nu)
        r = client.get(f"/oparl/v1/meeting/{ab}")
        assert r.status_code == 200
        namen = [client.get(url.removeprefix("http://localhost")).get_json()["name"]
                 for url in r.get_json().get("participant", [])]
        return namen or None

    # The agenda is public, the decision list not yet: nobody named.
    assert deelnemers(datetime(2021, 7, 5, 9, tzinfo=clock.TZ)) is None
    assert deelnemers(datetime(2021, 7, 16, 9, tzinfo=clock.TZ)) == [
        ROTTERDAM, BAR, CAPELLE, LANSINGERLAND, VLAARDINGEN, SECRETARIS]


def test_a_meeting_convened_again_decides_without_quorum_on_what_the_first_was_for(
        run: Besluitroute) -> None:
    """Gemeentewet art. 20 (2, 3): the AB of 2 July lacked a quorum; the one convened again on
    9 July decides on the proposal of 2 July with two members present."""
    kenmerk, ab = at_the_ab(run)
    ok(run("vergadering", "aanwezig", str(ab), "--lid", ROTTERDAM, "--lid", BAR, "--lid", CAPELLE,
           nu="2021-07-02T10:05"))
    ok(run("vergadering", "toevoegen", "--orgaan", "ab-platform-jeugd", "--op", "2021-07-09 10:00",
           "--titel", "Opnieuw belegd", nu="2021-07-02T11:00"))
    ok(run("voorstel", "aanhouden", kenmerk, "--reden", "geen quorum", nu="2021-07-02T11:05"))
    tweede = meeting(run, "ab-platform-jeugd", "2021-07-09")
    ok(run("vergadering", "aanwezig", str(tweede), "--lid", ROTTERDAM, "--lid", BAR,
           nu="2021-07-09T10:05"))
    assert refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                       nu="2021-07-09T11:00")).startswith(
        "het AB platform jeugd kan niet besluiten: 2 van de 7 leden aanwezig")
    # --herhaalt names a meeting that did lack a quorum, of the same body, before this one.
    assert refused(run("vergadering", "aanwezig", str(tweede), "--lid", ROTTERDAM,
                       "--herhaalt", str(tweede), nu="2021-07-09T10:10")) == (
        f"--herhaalt {tweede}: noem een eerdere vergadering van AB platform jeugd")
    out = ok(run("vergadering", "aanwezig", str(tweede), "--lid", ROTTERDAM, "--lid", BAR,
                 "--herhaalt", str(ab), nu="2021-07-09T10:10"))
    assert "versie 2" in out
    ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld", nu="2021-07-09T11:05"))


def test_the_members_are_those_of_the_definitions_on_the_meeting_date(
        besluitroute: Besluitroute, tmp_path: Path) -> None:
    import shutil

    from workflow.basis.paden import meegeleverd

    ok(besluitroute("init", nu="2021-01-04T09:00"))
    _, ab = at_the_ab(besluitroute)
    # After the meeting Vlaardingen's member is renamed in a new version of the definitions.
    kopie = tmp_path / "definities-2"
    shutil.copytree(meegeleverd("definities"), kopie)
    pad = kopie / "organen" / "ab-platform-jeugd.yaml"
    pad.write_text(pad.read_text(encoding="utf-8").replace(
        "naam: Wethouder jeugd Vlaardingen,", "naam: Wethouder Vlaardingen,"), encoding="utf-8")
    ok(besluitroute("definities", "toepassen", str(kopie), "--ja", nu="2021-07-05T09:00"))
    assert refused(besluitroute("vergadering", "aanwezig", str(ab), "--lid", "Wethouder Vlaardingen",
                                nu="2021-07-06T09:00")).startswith(
        "'Wethouder Vlaardingen' is geen lid van AB platform jeugd op de datum van de vergadering")
    ok(besluitroute("vergadering", "aanwezig", str(ab), "--lid", VLAARDINGEN, nu="2021-07-06T09:00"))
