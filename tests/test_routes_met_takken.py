"""Routes that branch (seed 003, the Wgr): the begroting of the GR JR is advised by the Stuurgroep
and the AOJ at the same time, goes to the council of every participant for a zienswijze within
12 weeks, and is adopted by the AB after the period with every zienswijze on its agenda. On SQLite
and PostgreSQL, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

Besluitroute = Callable[..., Any]

ROUTE = "grjr-begroting"
AB_DATUM = "2027-07-02"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def refused(result: Any) -> str:
    """A user error: exit 2, exactly one Dutch line, no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: ") and "Traceback" not in result.output
    return str(lines[0].removeprefix("fout: "))


@pytest.fixture
def run(besluitroute: Besluitroute) -> Besluitroute:
    ok(besluitroute("init"))
    return besluitroute


def _day(value: str) -> date:
    return datetime.fromisoformat(value).date()


def test_the_begroting_is_planned_backward_through_the_advisers_and_every_council(
        run: Besluitroute) -> None:
    plan = json.loads(ok(run("plan", "--route", ROUTE, "--besluit-op", AB_DATUM, "--json",
                             nu="2027-01-04T09:00")))
    assert plan["haalbaar"], plan["melding"]
    regels = {r["stap"]: r for r in plan["regels"]}
    ab = regels["ab-platform-jeugd"]
    assert _day(ab["begin"]) == date(2027, 7, 2)
    # The latest dispatch: 12 weeks before the AB's own submission deadline.
    verzenden = regels["zienswijze"]
    laatste_dag = date.fromisoformat(verzenden["aanleverdatum"])  # the period's last day
    assert _day(verzenden["begin"]) + timedelta(weeks=12) <= laatste_dag
    assert laatste_dag <= date.fromisoformat(ab["aanleverdatum"])
    raden = [r for r in plan["regels"] if r["rol"] == "ter zienswijze"]
    assert len(raden) == 10
    for raad in raden:  # each council's last meeting falls in the period
        assert _day(verzenden["begin"]) < _day(raad["begin"]) <= laatste_dag
    # The two advisers in parallel, in the same fortnight, before the dispatch.
    stuurgroep = _day(regels["ambtelijk-advies/stuurgroep-transformatie"]["begin"])
    aoj = _day(regels["ambtelijk-advies/aoj"]["begin"])
    assert abs((aoj - stuurgroep).days) <= 15
    assert max(stuurgroep, aoj) < _day(verzenden["begin"])
    # Forward: the earliest AB meeting after the period.
    vooruit = json.loads(ok(run("plan", "--route", ROUTE, "--vanaf", "2027-01-04", "--json",
                                nu="2027-01-04T09:00")))
    eerst = {r["stap"]: r for r in vooruit["regels"]}
    assert _day(eerst["ab-platform-jeugd"]["begin"]) == date(2027, 6, 4)
    # Too late for 2 July: the sentence names the dispatch that was missed.
    te_laat = refused(run("plan", "--route", ROUTE, "--besluit-op", AB_DATUM,
                          nu="2027-03-30T09:00"))
    assert "had uiterlijk op 26 maart 2027 moeten beginnen" in te_laat


def test_the_begroting_goes_to_the_councils_and_the_ab_decides_after_the_period(
        run: Besluitroute, tmp_path: Path) -> None:
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Ontwerpbegroting 2028 GR JR",
                     "--route", ROUTE, "--opsteller", "A. Controller",
                     "--beslispunt", "De begroting 2028 vaststellen", "--door", "secretaris",
                     nu="2027-01-04T09:00")).strip()
    ok(run("voorstel", "plan", kenmerk, "--besluit-op", AB_DATUM, "--vastleggen",
           "--door", "secretaris", nu="2027-01-04T09:00"))
    # Both advisers at once, on the meetings the plan chose.
    assert "tegelijk ter advisering bij Stuurgroep en AOJ" in ok(
        run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-01T09:00"))
    for orgaan in ("aoj", "stuurgroep-transformatie"):  # with both advisers at once
        assert kenmerk in ok(run("voorstel", "lijst", "--orgaan", orgaan))
    assert kenmerk in ok(run("voorstel", "lijst", "--status", "verzonden"))
    waar = refused(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "ok",
                       "--door", "secretaris", nu="2027-03-10T16:00"))
    assert waar.endswith("(nog open: Stuurgroep, AOJ)")
    ok(run("voorstel", "advies", kenmerk, "--orgaan", "stuurgroep-transformatie",
           "--uitkomst", "positief", "--tekst", "Akkoord", "--door", "secretaris",
           nu="2027-03-10T16:00"))
    ok(run("voorstel", "advies", kenmerk, "--orgaan", "aoj", "--uitkomst", "voorwaardelijk",
           "--tekst", "Mits de tarieven worden toegelicht", "--door", "secretaris",
           nu="2027-03-25T16:00"))
    # Dispatch to the council of every participant; the period runs 12 weeks.
    assert "ter zienswijze bij de raden van 10 deelnemers" in ok(
        run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-26T09:00"))
    ok(run("voorstel", "zienswijze", kenmerk, "--raad", "rotterdam", "--uitkomst",
           "geen-bezwaar", "--door", "griffie Rotterdam", nu="2027-04-20T10:00"))
    brief = tmp_path / "zienswijze-schiedam.txt"
    brief.write_text("De raad van Schiedam vraagt om een lagere indexatie.\n", encoding="utf-8")
    ok(run("voorstel", "zienswijze", kenmerk, "--raad", "gemeente Schiedam", "--uitkomst",
           "zienswijze", "--tekst", "Zorg om de stijgende kosten", "--bijlage", str(brief),
           "--door", "griffie Schiedam", nu="2027-05-20T10:00"))
    ok(run("voorstel", "zienswijze", kenmerk, "--raad", "maassluis", "--uitkomst", "zienswijze",
           "--tekst", "<script>alert(1)</script>", "--door", "griffie Maassluis",
           nu="2027-05-20T11:00"))
    # Where each branch stands, in the one sentence of a refusal.
    waar = refused(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                       "--door", "secretaris", nu="2027-05-21T09:00"))
    assert ("geen bezwaar: gemeente Rotterdam; zienswijze: gemeente Schiedam, gemeente Maassluis; "
            "nog open:") in waar
    assert waar.endswith("(termijn tot en met 18 juni 2027)")
    assert "al geantwoord" in refused(run(
        "voorstel", "zienswijze", kenmerk, "--raad", "rotterdam", "--uitkomst", "zienswijze",
        "--tekst", "Toch", "--door", "griffie Rotterdam", nu="2027-05-21T09:00"))
    assert "onbekende raad 'Delft'" in refused(run(
        "voorstel", "zienswijze", kenmerk, "--raad", "Delft", "--uitkomst", "geen-bezwaar",
        "--door", "griffie", nu="2027-05-21T09:00"))
    # The period ends: the reminder pass opens the next step, whoever has not answered.
    ok(run("herinneringen", "verstuur", nu="2027-06-19T09:00"))
    dossier = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    assert dossier["status"] == "ab-platform-jeugd:geagendeerd"
    assert dossier["vergadering"]["datum"] == AB_DATUM
    # A late answer is recorded, and marked late.
    assert "te laat" in ok(run("voorstel", "zienswijze", kenmerk, "--raad", "capelle",
                               "--uitkomst", "zienswijze", "--tekst", "Na de termijn",
                               "--door", "griffie Capelle", nu="2027-06-21T10:00"))
    rijen = {r["stap"]: r for r in json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
             ["te_bespreken_in"]}
    assert rijen["zienswijze/capelle"]["te_laat"] is True
    assert rijen["zienswijze/rotterdam"]["uitkomst"] == "geen-bezwaar"
    assert rijen["zienswijze/lansingerland"]["tak_status"] == "verlopen"
    assert rijen["zienswijze/maassluis"]["uitkomst"] == "zienswijze"
    assert rijen["ambtelijk-advies/aoj"]["uitkomst"] == "voorwaardelijk"
    # The AB's agenda lists every council: its zienswijze, or none received.
    agenda = " ".join(ok(run("agenda", "maak", str(dossier["vergadering"]["id"]), "--formaat",
                             "tekst", nu="2027-06-25T09:00")).split())
    assert "Zienswijzen van de raden:" in agenda
    assert "Geen bezwaar gemeente Rotterdam, 20 april 2027" in agenda
    assert "Zienswijze gemeente Schiedam, 20 mei 2027: Zorg om de stijgende kosten" in agenda
    assert "(bijlage: zienswijze-schiedam.txt)" in agenda
    assert "Zienswijze gemeente Capelle aan den IJssel, 21 juni 2027 (te laat)" in agenda
    assert agenda.count("geen zienswijze ontvangen") == 6
    html = ok(run("agenda", "maak", str(dossier["vergadering"]["id"]), "--formaat", "html",
                  nu="2027-06-25T09:00"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Advies Stuurgroep transformatie, 10 maart 2027: Akkoord" in agenda
    voorblad = " ".join(ok(run("voorstel", "document", kenmerk, "--formaat", "tekst")).split())
    assert ("Te bespreken in: Stuurgroep transformatie 10 maart Ambtelijk Overleg Jeugd 25 maart "
            "de raden van 10 deelnemers") in voorblad
    assert "vastgesteld" in ok(run("voorstel", "besluit", kenmerk, "--uitkomst", "vastgesteld",
                                   "--door", "secretaris", nu="2027-07-02T12:00"))
    besluiten = " ".join(ok(run("besluitenlijst", str(dossier["vergadering"]["id"]),
                                "--formaat", "tekst", nu="2027-07-02T12:00")).split())
    assert "Besluit: vastgesteld (na zienswijzen van 4 van de 10 raden (1 te laat))" in besluiten
    # The DB's duty (Wgr art. 34): to Gedeputeerde Staten within two weeks, before 15 September.
    def termijn() -> dict[str, Any]:
        plichten = json.loads(ok(run("verplichtingen", "--jaar", "2027", "--json",
                                     nu="2027-07-05T09:00")))
        return next(p for p in plichten if p.get("soort") == "termijn"
                    and "Gedeputeerde Staten" in p["omschrijving"])

    assert (termijn()["status"], termijn()["uiterlijk"]) == ("open", "2027-07-16")
    ok(run("voorstel", "toezenden", kenmerk, "--aan", "Gedeputeerde Staten van Zuid-Holland",
           "--door", "secretaris", nu="2027-07-09T10:00"))
    gs = termijn()
    assert (gs["status"], gs["uiterlijk"], gs["gedaan_op"], gs["kenmerk"]) == \
        ("gedaan", "2027-07-16", "2027-07-09", kenmerk)


def test_withdrawing_during_the_period_cancels_every_open_council_with_a_history_row(
        run: Besluitroute) -> None:
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Kadernota 2028 en regioagenda",
                     "--route", "grjr-kadernota", "--opsteller", "Kwartiermaker",
                     "--beslispunt", "De kadernota vaststellen", "--door", "secretaris",
                     nu="2027-01-04T09:00")).strip()
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-01-04T09:00"))
    dossier = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    nu = f"{dossier['vergadering']['datum']}T18:00"  # the Programmateam's meeting
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           "--door", "secretaris", nu=nu))
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu=nu))
    ok(run("voorstel", "zienswijze", kenmerk, "--raad", "vlaardingen", "--uitkomst",
           "geen-bezwaar", "--door", "griffie", nu=nu))
    # The period in the calendars: the council's own, and the AB's (who asked).
    raad = ok(run("kalender", "export", "--orgaan", "raad-schiedam"))
    assert f"SUMMARY:Zienswijze {kenmerk}: laatste dag" in raad
    assert "Einde zienswijzetermijn" not in raad
    ab = ok(run("kalender", "export", "--orgaan", "ab-platform-jeugd"))
    assert ab.count(f"SUMMARY:Einde zienswijzetermijn {kenmerk}") == 1
    assert "CATEGORIES:zienswijze" in ab
    ok(run("voorstel", "intrekken", kenmerk, "--reden", "Nieuwe cijfers", "--door", "secretaris",
           nu=nu))
    dossier = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    vervallen = [g for g in dossier["geschiedenis"] if g["handeling"] == "tak vervallen"]
    assert len(vervallen) == 9
    assert all(g["tekst"].endswith("vervallen (ingetrokken)") for g in vervallen)


def test_the_griffies_get_the_draft_and_a_reminder_and_the_secretary_who_did_not_answer(
        run: Besluitroute) -> None:
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Kadernota 2028 en regioagenda",
                     "--route", "grjr-kadernota", "--opsteller", "Kwartiermaker",
                     "--beslispunt", "De kadernota vaststellen", "--door", "secretaris",
                     nu="2027-03-01T09:00")).strip()
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-01T09:00"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           "--door", "secretaris", nu="2027-03-08T18:00"))
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-08T18:00"))

    def berichten(soort: str) -> list[dict[str, Any]]:
        return [b for b in json.loads(ok(run("berichten", "lijst", "--json")))
                if b["soort"] == soort]

    ok(run("herinneringen", "verstuur", nu="2027-03-08T18:05"))
    ok(run("herinneringen", "verstuur", nu="2027-03-08T18:10"))  # twice: made once
    verzonden = berichten("zienswijze-verzonden")
    assert sorted(b["aan"] for b in verzonden)[:2] == ["griffie@albrandswaard.example",
                                                        "griffie@barendrecht.example"]
    assert len(verzonden) == 10
    ok(run("voorstel", "zienswijze", kenmerk, "--raad", "rotterdam", "--uitkomst",
           "geen-bezwaar", "--door", "griffie", nu="2027-03-20T10:00"))
    ok(run("herinneringen", "verstuur", nu="2027-04-27T09:05"))
    assert len(berichten("zienswijze-herinnering")) == 9  # Rotterdam answered already
    termijn = berichten("zienswijze-termijn")
    assert [b["aan"] for b in termijn] == ["bestuurssecretariaat@grjr.example"]
    assert termijn[0]["onderwerp"].startswith("Termijn verstrijkt over een week")
    ok(run("herinneringen", "verstuur", nu="2027-05-04T09:05"))
    assert berichten("zienswijze-termijn")[0]["onderwerp"].startswith("Termijn verstreken")
    dossier = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))
    assert dossier["status"] == "zienswijze:geadviseerd"


def _fouten(folder: Path) -> list[str]:
    from workflow.basis.fouten import DefinitieFout
    from workflow.definities import lezen

    with pytest.raises(DefinitieFout) as info:
        lezen.load(folder, cache=False)
    return list(info.value.meldingen)


def test_a_route_file_with_bad_branches_names_file_and_line_in_dutch(tmp_path: Path) -> None:
    import shutil

    from workflow.basis.paden import meegeleverd

    folder = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), folder)
    (folder / "routes" / "kapot.yaml").write_text(
        "naam: kapot\n"
        "stappen:\n"
        "  - id: advies\n"
        "    tegelijk:\n"
        "      - {orgaan: aoj, rol: besluit}\n"
        "  - id: raden\n"
        "    zienswijze: {termijn_weken: 99, deelnemers_van: programmateam}\n"
        "  - {orgaan: ab-platform-jeugd, rol: besluit}\n", encoding="utf-8")
    fouten = _fouten(folder)
    pad = str(Path("routes") / "kapot.yaml")
    assert any(f.endswith(f"{pad}:5: een tak van 'tegelijk' kan niet beslissen "
                          "(rol: besluit hoort bij de laatste stap)") for f in fouten), fouten
    assert any(f.endswith(f"{pad}:4: 'tegelijk' heeft minstens twee takken nodig")
               for f in fouten), fouten
    assert any(f.endswith(f"{pad}:7: 'termijn_weken': mag hoogstens 52 zijn, niet 99")
               for f in fouten), fouten
    assert any(f"{pad}:6: zienswijze: orgaan 'programmateam' heeft geen deelnemers" in f
               for f in fouten), fouten


def test_a_participant_whose_council_has_no_body_file_is_named(tmp_path: Path) -> None:
    import shutil

    from workflow.basis.paden import meegeleverd

    folder = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), folder)
    (folder / "organen" / "raad-schiedam.yaml").unlink()
    fouten = _fouten(folder)
    assert any("zienswijze: deelnemer 'schiedam' van 'ab-platform-jeugd' noemt een onbekende "
               "raad 'raad-schiedam' (geen bestand organen/raad-schiedam.yaml)" in f
               for f in fouten), fouten


def test_the_portal_page_of_a_proposal_shows_each_councils_answer(omgeving: Any) -> None:
    """The portal's data for the proposal page (the page itself is workflow.web.app's)."""
    from workflow.basis import clock
    from workflow.opslag.models import Voorstel
    from workflow.voorstellen import indienen, zienswijzen
    from workflow.web import gegevens
    from workflow.web.toegang import Bezoeker

    clock.act_as(datetime.fromisoformat("2027-01-04T09:00+01:00"))
    try:
        kenmerk = indienen.indienen(omgeving, titel="Kadernota 2028", route="grjr-kadernota",
                                    opsteller="Kwartiermaker", door="secretaris",
                                    beslispunten=("Vaststellen",))
        indienen.agenderen(omgeving, kenmerk, door="secretaris")
    finally:
        clock.act_as(None)
    clock.act_as(datetime.fromisoformat("2027-01-11T18:00+01:00"))  # the Programmateam met
    try:
        from sqlalchemy import select

        from workflow.definities.model import Uitkomst
        from workflow.voorstellen import uitkomsten

        uitkomsten.advies(omgeving, kenmerk, Uitkomst.POSITIEF, "Akkoord", door="secretaris")
        indienen.agenderen(omgeving, kenmerk, door="secretaris")
        zienswijzen.zienswijze(omgeving, kenmerk, "schiedam", zienswijzen.Antwoord.ZIENSWIJZE,
                               door="griffie", tekst="Besloten zorg")
        with omgeving.db.lees() as session:
            voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk))
        pagina = gegevens.voorstel(omgeving, Bezoeker(), voorstel, clock.now())
    finally:
        clock.act_as(None)
    rijen = {z["gemeente"]: z for z in pagina["zienswijzen"]}
    assert len(rijen) == 10
    assert rijen["gemeente Schiedam"]["antwoord"] == "zienswijze"
    assert rijen["gemeente Schiedam"]["tekst"] == ""  # the text only for the full view
    assert rijen["gemeente Rotterdam"]["antwoord"] == "geen zienswijze ontvangen"
    # The route timeline: the councils side by side on one level, answered or still open.
    niveau = next(n for n in pagina["tijdlijn"] if len(n) > 1)
    assert len(niveau) == 10 and {s["groep"] for s in niveau} == {"Zienswijzen van de raden"}
    stand = {s["orgaan_naam"]: (s["status"], s["statustekst"]) for s in niveau}
    assert stand["gemeente Schiedam"] == ("gehouden", "zienswijze")
    assert stand["gemeente Rotterdam"] == ("open", "geen zienswijze ontvangen")
    assert [len(n) for n in pagina["tijdlijn"]].count(1) == len(pagina["tijdlijn"]) - 1


def test_the_portal_timeline_draws_parallel_advisers_side_by_side(omgeving: Any) -> None:
    """The begroting's Stuurgroep and AOJ advise at the same time: one level, two branches,
    each with its own meeting; the councils' level waits for the dispatch."""
    from sqlalchemy import select

    from workflow.basis import clock
    from workflow.opslag.models import Voorstel
    from workflow.voorstellen import indienen
    from workflow.web import gegevens
    from workflow.web.toegang import Bezoeker

    clock.act_as(datetime.fromisoformat("2027-01-04T09:00+01:00"))
    try:
        kenmerk = indienen.indienen(omgeving, titel="Begroting 2028", route=ROUTE,
                                    opsteller="Kwartiermaker", door="secretaris",
                                    beslispunten=("Vaststellen",))
        indienen.agenderen(omgeving, kenmerk, door="secretaris")
        with omgeving.db.lees() as session:
            voorstel = session.scalar(select(Voorstel).where(Voorstel.kenmerk == kenmerk))
        pagina = gegevens.voorstel(omgeving, Bezoeker(), voorstel, clock.now())
    finally:
        clock.act_as(None)
    niveaus = [[(s["orgaan_naam"], s["status"]) for s in n] for n in pagina["tijdlijn"]]
    adviseurs = next(n for n in niveaus if len(n) == 2)
    assert {naam for naam, _ in adviseurs} == {"Stuurgroep transformatie",
                                               "Ambtelijk Overleg Jeugd"}, niveaus
    assert {status for _, status in adviseurs} == {"gepland"}, niveaus
    raden = next(n for n in niveaus if len(n) == 10)
    assert {status for _, status in raden} == {"open"}, niveaus


def test_cancelling_one_councils_meeting_replans_that_branch_only(run: Besluitroute) -> None:
    kenmerk = ok(run("voorstel", "indienen", "--titel", "Kadernota 2028 en regioagenda",
                     "--route", "grjr-kadernota", "--opsteller", "Kwartiermaker",
                     "--beslispunt", "De kadernota vaststellen", "--door", "secretaris",
                     nu="2027-03-01T09:00")).strip()
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-01T09:00"))
    ok(run("voorstel", "advies", kenmerk, "--uitkomst", "positief", "--tekst", "Akkoord",
           "--door", "secretaris", nu="2027-03-08T18:00"))
    ok(run("voorstel", "agenderen", kenmerk, "--door", "secretaris", nu="2027-03-08T18:00"))

    def raden() -> dict[str, dict[str, Any]]:
        rijen = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))["te_bespreken_in"]
        return {r["tak"]: r for r in rijen if r.get("tak")}

    voor = raden()
    ok(run("vergadering", "annuleer", str(voor["rotterdam"]["vergadering_id"]),
           "--door", "secretaris", nu="2027-03-09T09:00"))
    na = raden()
    assert na["rotterdam"]["datum"] < voor["rotterdam"]["datum"]  # its last one left in the period
    assert {k: v["datum"] for k, v in na.items() if k != "rotterdam"} == \
        {k: v["datum"] for k, v in voor.items() if k != "rotterdam"}
    geschiedenis = json.loads(ok(run("voorstel", "toon", kenmerk, "--json")))["geschiedenis"]
    assert geschiedenis[-1]["tekst"].startswith("gemeente Rotterdam: raadsvergadering van ")
