"""The secretariat's agendas from a real database: the 2021 GR JR route of seed 002, walked through
the acts in workflow.voorstellen, then rendered by the CLI (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select

from workflow.agenda.laden import laad_agenda, laad_voorblad
from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.opslag.models import Vergadering
from workflow.voorstellen import indienen, uitkomsten
from workflow.voorstellen.documenten import AgendaUitvoer

Besluitroute = Callable[..., Result]

ADVIES_PROGRAMMATEAM = "Akkoord, met aandacht voor bestaande initiatieven."
ADVIES_STUURGROEP = ("Bouw voort op bestaande initiatieven rond participatie.\n"
                     "Vraag op een creatieve manier input voor beleid.")
ADVIES_AOJ = "Positief; begroting 2022 apart agenderen."


def act_as(moment: str) -> None:
    clock.act_as(datetime.fromisoformat(moment).replace(tzinfo=TZ))


def vergadering_id(env: Omgeving, orgaan: str, dag: date) -> int:
    with env.db.lees() as session:
        for v in session.scalars(select(Vergadering).where(Vergadering.orgaan == orgaan)):
            if clock.local(v.begin).date() == dag:
                return v.id
    raise AssertionError(f"geen vergadering van {orgaan} op {dag}")


@dataclass
class Route2021:
    kenmerk: str
    programmateam: int
    stuurgroep: int
    aoj: int
    ab: int


def indienen_2021(env: Omgeving, titel: str = "Procesvoorstel cliëntparticipatie") -> str:
    act_as("2021-06-01T09:00")
    return indienen.indienen(
        env, titel=titel, route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd",
        beslispunten=("Uitwerking van de adviezen uit het plan van aanpak voor cliëntparticipatie "
                      "door JSO (zie bijlage).",
                      "Inzetten van de praatplaat als instrument om in gesprek te gaan over de "
                      "regiovisie (zie bijlage)."),
        versie="14 juni",
    )


def walk_2021(env: Omgeving, *, tot: str = "ab") -> Route2021:
    """Seed 002: programmateam 14 juni, stuurgroep 23 juni, AOJ 24 juni, AB 2 juli 2021."""
    ids = Route2021(
        kenmerk=indienen_2021(env),
        programmateam=vergadering_id(env, "programmateam", date(2021, 6, 14)),
        stuurgroep=vergadering_id(env, "stuurgroep-transformatie", date(2021, 6, 23)),
        aoj=vergadering_id(env, "aoj", date(2021, 6, 24)),
        ab=vergadering_id(env, "ab-platform-jeugd", date(2021, 7, 2)),
    )
    k = ids.kenmerk
    act_as("2021-06-01T09:05")
    indienen.agenderen(env, k, door="secretariaat", vergadering_id=ids.programmateam)
    if tot == "programmateam":
        return ids
    act_as("2021-06-14T12:00")
    uitkomsten.advies(env, k, Uitkomst.POSITIEF, ADVIES_PROGRAMMATEAM, door="secretariaat")
    indienen.agenderen(env, k, door="secretariaat", vergadering_id=ids.stuurgroep)
    if tot == "stuurgroep":
        return ids
    act_as("2021-06-23T17:00")
    uitkomsten.advies(env, k, Uitkomst.POSITIEF, ADVIES_STUURGROEP, door="secretariaat")
    indienen.agenderen(env, k, door="secretariaat", vergadering_id=ids.aoj, na_deadline=True)
    if tot == "aoj":
        return ids
    act_as("2021-06-24T16:00")
    uitkomsten.advies(env, k, Uitkomst.VOORWAARDELIJK, ADVIES_AOJ, door="secretariaat")
    indienen.agenderen(env, k, door="secretariaat", vergadering_id=ids.ab, na_deadline=True)
    return ids


# ---------------------------------------------------------------------------------------------

def test_ab_agenda_quotes_the_advice_of_every_earlier_body_in_route_order(omgeving: Omgeving):
    route = walk_2021(omgeving)

    agenda = laad_agenda(omgeving, str(route.ab))

    assert [p.titel for p in agenda.voor] == ["Opening", "Mededelingen",
                                              "Verslag vorige vergadering", "Ingekomen stukken"]
    [rubriek] = agenda.rubrieken
    assert rubriek.rol == "ter besluitvorming"
    [punt] = rubriek.punten
    assert (punt.nummer, punt.kenmerk, punt.opsteller, punt.nagekomen) == \
        (5, route.kenmerk, "Anja Jongerius", True)
    assert [a.citaat for a in punt.adviezen] == [
        f"Advies Programmateam regiovisie, 14 juni 2021: {ADVIES_PROGRAMMATEAM}",
        f"Advies Stuurgroep transformatie, 23 juni 2021: {ADVIES_STUURGROEP}",
        f"Advies Ambtelijk Overleg Jeugd, 24 juni 2021 (advies onder voorwaarden): {ADVIES_AOJ}",
    ]
    assert [p.titel for p in agenda.na] == ["Rondvraag", "Sluiting"]
    assert [p.nummer for p in agenda.na] == [6, 7]


def test_stuurgroep_agenda_shows_only_advice_given_before_it(omgeving: Omgeving):
    route = walk_2021(omgeving)

    punt = laad_agenda(omgeving, str(route.stuurgroep)).voorstellen[0]

    assert punt.rol == "ter advisering"
    assert [a.orgaan for a in punt.adviezen] == ["Programmateam regiovisie"]
    assert punt.uitkomst == "positief advies"


def test_an_agenda_asks_for_decisions_only_the_cover_sheet_shows_them(omgeving: Omgeving):
    from workflow.agenda.generatie import render_agenda, render_voorblad

    route = walk_2021(omgeving)
    act_as("2021-07-02T12:00")
    uitkomsten.besluit(omgeving, route.kenmerk, Uitkomst.VASTGESTELD, "", door="secretariaat",
                       beslispunten={2: "verworpen"})

    for formaat in ("html", "tekst"):
        # Regenerating the AOJ's agenda of 24 June later must not show the AB's decision.
        aoj = render_agenda(omgeving, laad_agenda(omgeving, str(route.aoj)), formaat)
        assert "aangenomen" not in aoj and "verworpen" not in aoj
        voorblad = render_voorblad(omgeving, laad_voorblad(omgeving, route.kenmerk), formaat)
        assert "aangenomen" in voorblad and "verworpen" in voorblad


def test_cover_sheet_has_the_seed_header_and_te_bespreken_in(omgeving: Omgeving):
    route = walk_2021(omgeving, tot="stuurgroep")

    blad = laad_voorblad(omgeving, route.kenmerk)

    assert blad.aan == "Alle wethouders in het AB platform jeugd"
    assert blad.van == "Programmateam regiovisie"
    assert blad.datum == date(2021, 6, 1)
    assert (blad.status, blad.versie) == ("Concept", "14 juni")
    assert blad.in_opdracht_van == "AB platform jeugd"
    assert blad.opgesteld_door == "Anja Jongerius"
    assert [(r.orgaan, r.datum) for r in blad.te_bespreken_in] == [
        ("Programmateam regiovisie", date(2021, 6, 14)),
        ("Stuurgroep transformatie", date(2021, 6, 23)),
        ("Ambtelijk Overleg Jeugd", None),
        ("AB platform jeugd", None),
    ]


def test_cli_prints_agenda_besluitenlijst_and_cover_sheet(omgeving: Omgeving,
                                                          besluitroute: Besluitroute,
                                                          tmp_path: Path):
    route = walk_2021(omgeving)
    act_as("2021-07-02T15:00")
    uitkomsten.besluit(omgeving, route.kenmerk, Uitkomst.VASTGESTELD, "Conform.",
                       door="secretariaat", beslispunten={2: "gewijzigd aangenomen"})

    agenda = besluitroute("agenda", "maak", str(route.ab))
    assert agenda.exit_code == 0, agenda.stderr
    assert "AGENDA AB PLATFORM JEUGD" in agenda.stdout
    assert "vrijdag 2 juli 2021" in agenda.stdout
    assert "Advies Stuurgroep transformatie, 23 juni 2021: Bouw voort" in agenda.stdout

    sleutel = besluitroute("besluitenlijst", "ab-platform-jeugd-20210702")
    assert sleutel.exit_code == 0, sleutel.stderr
    assert "Besluit: vastgesteld" in sleutel.stdout
    assert "(gewijzigd aangenomen)" in sleutel.stdout

    pad = tmp_path / "voorblad.html"
    blad = besluitroute("voorstel", "document", route.kenmerk, "--uitvoer", str(pad))
    assert blad.exit_code == 0, blad.stderr
    assert blad.stdout == f"voorblad geschreven naar {pad}\n"
    html = pad.read_text(encoding="utf-8")
    ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))
    assert "<td>AB platform jeugd</td><td>2 juli</td>" in html


def test_unknown_meeting_is_one_dutch_line(omgeving: Omgeving, besluitroute: Besluitroute):
    result = besluitroute("agenda", "maak", "999999")
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: onbekende vergadering '999999'")
    assert result.stderr.count("\n") == 1


def test_agenda_genereer_is_idempotent_and_versions_changes(omgeving: Omgeving,
                                                            besluitroute: Besluitroute,
                                                            tmp_path: Path):
    route = walk_2021(omgeving, tot="stuurgroep")
    uit = tmp_path / "agendas"
    uit.mkdir()
    # The stuurgroep's agenda goes out 5 days before 23 June (a Friday, 18 June, 09:00).
    te_vroeg = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-17T09:00")
    assert te_vroeg.exit_code == 0, te_vroeg.stderr
    assert "stuurgroep-transformatie" not in te_vroeg.stdout

    eerste = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-18T09:00")
    assert eerste.exit_code == 0, eerste.stderr
    regels = [r for r in eerste.stdout.splitlines() if "Stuurgroep transformatie" in r]
    assert len(regels) == 2
    assert all(r.startswith("nieuw: ") and "(eerste versie)" in r for r in regels)
    html = uit / f"agenda-stuurgroep-transformatie-2021-06-23-{route.stuurgroep}-v1.html"
    tekst = html.with_suffix(".txt")
    assert route.kenmerk in tekst.read_text(encoding="utf-8")
    stempel = html.stat().st_mtime_ns

    tweede = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-19T09:00")
    assert [r for r in tweede.stdout.splitlines() if "Stuurgroep transformatie" in r] == \
        [r.replace("nieuw:", "ongewijzigd:").replace(" (eerste versie)", "") for r in regels]
    assert html.stat().st_mtime_ns == stempel
    stil = besluitroute("agenda", "genereer", "--stil", "--map", str(uit), nu="2021-06-19T10:00")
    assert (stil.exit_code, stil.stdout) == (0, "")  # cron mails nothing when nothing changed

    # Change the 23 June agenda through a late document of the first proposal.
    bestand = tmp_path / "plan-van-aanpak.pdf"
    bestand.write_bytes(b"%PDF-1.4 plan van aanpak")
    bijlage = besluitroute("voorstel", "bijlage", route.kenmerk, str(bestand),
                           nu="2021-06-21T09:00")
    assert bijlage.exit_code == 0, bijlage.stderr
    vierde = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-21T10:00")
    nieuw = [r for r in vierde.stdout.splitlines() if "Stuurgroep transformatie" in r]
    assert len(nieuw) == 2 and all(r.startswith("gewijzigd: ") for r in nieuw)
    v2 = html.with_name(html.name.replace("-v1.", "-v2."))
    assert "plan-van-aanpak.pdf" in v2.read_text(encoding="utf-8")
    assert html.exists() and html.stat().st_mtime_ns == stempel

    with omgeving.db.lees() as session:
        log = list(session.scalars(select(AgendaUitvoer).where(
            AgendaUitvoer.vergadering_id == route.stuurgroep, AgendaUitvoer.formaat == "html")
            .order_by(AgendaUitvoer.versie)))
    assert [(r.versie, r.toelichting) for r in log] == [(1, "eerste versie"),
                                                        (2, "inhoud gewijzigd")]

    # Withdrawn: it drops off the agenda, and the log says which proposal went.
    act_as("2021-06-22T09:00")
    indienen.intrekken(omgeving, route.kenmerk, "Niet meer nodig", door="secretariaat")
    vijfde = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-22T10:00")
    assert f"html versie 3: {html.with_name(html.name.replace('-v1.', '-v3.'))} (vervallen: " \
           f"{route.kenmerk})" in vijfde.stdout

    # After the meeting has begun it is no longer generated.
    na = besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-23T15:00")
    assert "Stuurgroep transformatie, 23 juni" not in na.stdout


def test_agenda_genereer_restores_a_deleted_file(omgeving: Omgeving, besluitroute: Besluitroute,
                                                 tmp_path: Path):
    route = walk_2021(omgeving, tot="stuurgroep")
    uit = tmp_path / "agendas"
    uit.mkdir()
    besluitroute("agenda", "genereer", "--map", str(uit), nu="2021-06-18T09:00")
    html = uit / f"agenda-stuurgroep-transformatie-2021-06-23-{route.stuurgroep}-v1.html"
    html.unlink()

    opnieuw = besluitroute("agenda", "genereer", "--alleen-wijzigingen", "--map", str(uit),
                           nu="2021-06-18T10:00")

    assert f"hersteld: agenda Stuurgroep transformatie, 23 juni 2021 14:00 (id " \
           f"{route.stuurgroep}), html versie 1" in opnieuw.stdout
    assert html.exists()


def test_agenda_genereer_stil_prints_nothing_when_it_writes_new_agendas(
        omgeving: Omgeving, besluitroute: Besluitroute, tmp_path: Path):
    """Cron mails whatever a job prints: with --stil a run that writes new agendas is silent,
    and only an error speaks (on stderr, exit 2)."""
    route = walk_2021(omgeving, tot="stuurgroep")
    uit = tmp_path / "agendas"
    uit.mkdir()
    stil = besluitroute("agenda", "genereer", "--stil", "--map", str(uit), nu="2021-06-18T09:00")
    assert (stil.exit_code, stil.stdout, stil.stderr) == (0, "", "")
    html = uit / f"agenda-stuurgroep-transformatie-2021-06-23-{route.stuurgroep}-v1.html"
    assert html.exists()
    fout = besluitroute("agenda", "genereer", "--stil", "--map", "/proc/sys",
                        nu="2021-06-18T10:00")
    assert fout.exit_code == 2 and fout.stdout == "" and fout.stderr.count("\n") == 1


def test_agenda_genereer_refuses_a_bad_termijn(omgeving: Omgeving, besluitroute: Besluitroute):
    result = besluitroute("agenda", "genereer", "--binnen", "een week")
    assert result.exit_code == 2
    assert result.stderr == "fout: ongeldige termijn 'een week' (bijvoorbeeld 7d voor zeven " \
                            "dagen of 12u voor twaalf uur; hoogstens een jaar)\n"


def test_secretariat_overrides_a_template_with_its_own_file(omgeving: Omgeving,
                                                             besluitroute: Besluitroute,
                                                             tmp_path: Path):
    route = walk_2021(omgeving, tot="programmateam")
    eigen = tmp_path / "eigen-sjablonen"
    eigen.mkdir()
    (eigen / "agenda.txt").write_text(
        "Huisstijl {{ vergadering.orgaan }} {{ vergadering.begin|datum }}\n"
        "{% for r in rubrieken %}{% for p in r.punten %}{{ p.nummer }}: {{ p.kenmerk }}\n"
        "{% endfor %}{% endfor %}", encoding="utf-8")

    eigen_tekst = besluitroute("--sjablonen", str(eigen), "agenda", "maak",
                               str(route.programmateam))
    html = besluitroute("--sjablonen", str(eigen), "agenda", "maak", str(route.programmateam),
                        "--formaat", "html")

    assert eigen_tekst.stdout == f"Huisstijl Programmateam regiovisie 14 juni 2021\n" \
                                 f"5: {route.kenmerk}\n"
    assert html.stdout.startswith("<!DOCTYPE html>")  # the shipped one: not overridden


def test_an_overridden_template_cannot_leave_the_sandbox(omgeving: Omgeving,
                                                          besluitroute: Besluitroute,
                                                          tmp_path: Path):
    route = walk_2021(omgeving, tot="programmateam")
    eigen = tmp_path / "eigen-sjablonen"
    eigen.mkdir()
    (eigen / "agenda.txt").write_text("{{ vergadering.items.__self__.__class__.__mro__ }}",
                                      encoding="utf-8")

    result = besluitroute("--sjablonen", str(eigen), "agenda", "maak", str(route.programmateam))

    assert result.exit_code == 2
    assert result.stderr.startswith("fout: sjabloon 'agenda.txt'")
    assert "niet toegestaan" in result.stderr and "unsafe" not in result.stderr
    assert "__mro__" not in result.stdout


# ---------------------------------------------------------------------------------------------
# Headless Chromium: the printed agenda really shows its text.

@pytest.mark.browser
def test_agenda_prints_in_headless_chromium(omgeving: Omgeving, besluitroute: Besluitroute,
                                            tmp_path: Path, chromium: str):
    route = walk_2021(omgeving)
    html = tmp_path / "agenda.html"
    assert besluitroute("agenda", "maak", str(route.ab), "--uitvoer", str(html)).exit_code == 0

    profiel = tmp_path / "profiel"
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={profiel}",
         "--virtual-time-budget=2000", "--dump-dom", html.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "Agenda AB platform jeugd" in dom
    assert "Advies Stuurgroep transformatie, 23 juni 2021: Bouw voort" in dom
    assert "vrijdag 2 juli 2021" in dom

    pdf = tmp_path / "agenda.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={profiel}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        tekst = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                               text=True, timeout=60, check=True).stdout
        assert "Agenda AB platform jeugd" in tekst
        assert "Procesvoorstel cliëntparticipatie" in " ".join(tekst.split())
        assert "pagina 1 van " in tekst
        assert "Agenda van het AB platform jeugd, vergadering van 2 juli 2021 10:00." in tekst
