"""Composing and rendering agendas, decision lists and cover sheets from plain data (no database).

Golden files live in tests/golden/; after a deliberate template change, regenerate them with
BESLUITROUTE_GOLDEN_BIJWERKEN=1 and review the diff like code.
"""

from __future__ import annotations

import os
import random
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from workflow.agenda import model, rendering, samenstelling
from workflow.agenda.model import Aanmelding, Behandeling, Beslispunt, Vergaderinfo, Voorstelgegevens
from workflow.basis import tekst
from workflow.basis.clock import TZ
from workflow.definities.model import (
    STANDAARD_UITKOMSTEN,
    Lid,
    LidRol,
    Orgaan,
    Persoon,
    Route,
    Stap,
    StapRol,
    Uitkomst,
)
from workflow.voorstellen.documenten import Document

GOLDEN = Path(__file__).parent / "golden"


def orgaan(sleutel: str, naam: str, **kwargs: object) -> Orgaan:
    secretaris = Persoon(naam=f"Secretaris {naam}", email=f"secretaris@{sleutel}.example")
    return Orgaan(sleutel=sleutel, naam=naam, afkorting=naam.split()[0], secretaris=secretaris,
                  leden=(Lid(naam="Voorzitter", email=f"vz@{sleutel}.example",
                             rol=LidRol.VOORZITTER, organisatie="GR JR"),), **kwargs)  # type: ignore[arg-type]


PROGRAMMATEAM = orgaan("programmateam", "Programmateam regiovisie")
STUURGROEP = orgaan("stuurgroep-transformatie", "Stuurgroep transformatie")
AOJ = orgaan("aoj", "Ambtelijk Overleg Jeugd")
AB = orgaan("ab-platform-jeugd", "AB platform jeugd", standaard_plaats="Rotterdam, stadhuis",
           lidwoord="het")
ORGANEN = {o.sleutel: o for o in (PROGRAMMATEAM, STUURGROEP, AOJ, AB)}
ROUTE = Route(
    naam="grjr-procesvoorstel", titel="Procesvoorstel GR Jeugdhulp Rijnmond",
    aan="Alle wethouders in het AB platform jeugd", van="Programmateam regiovisie",
    stappen=tuple(
        Stap(id=o.sleutel, orgaan=o.sleutel, rol=rol, uitkomsten=STANDAARD_UITKOMSTEN[rol],
             terugverwijzen_naar="programmateam")
        for o, rol in ((PROGRAMMATEAM, StapRol.ADVIES), (STUURGROEP, StapRol.ADVIES),
                       (AOJ, StapRol.ADVIES), (AB, StapRol.BESLUIT))),
)


def moment(dag: date, uur: int = 10) -> datetime:
    return datetime.combine(dag, time(uur), TZ)


AB_2_JULI = Vergaderinfo(id=4, orgaan=AB, begin=moment(date(2021, 7, 2)),
                         plaats="Rotterdam, stadhuis")

GESCHIEDENIS = (
    Behandeling(0, "programmateam", "Programmateam regiovisie", moment(date(2021, 6, 14)),
                "behandeld", Uitkomst.POSITIEF, "Akkoord."),
    Behandeling(1, "stuurgroep-transformatie", "Stuurgroep transformatie",
                moment(date(2021, 6, 23), 14), "behandeld", Uitkomst.POSITIEF,
                "Bouw voort op bestaande initiatieven rond participatie.\n"
                "Communiceer met ouders en jongeren."),
    Behandeling(2, "aoj", "Ambtelijk Overleg Jeugd", moment(date(2021, 6, 24), 13), "behandeld",
                Uitkomst.VOORWAARDELIJK, "Begroting 2022 apart agenderen."),
    Behandeling(3, "ab-platform-jeugd", "AB platform jeugd", moment(date(2021, 7, 2)),
                "geagendeerd"),
)

CLIENTPARTICIPATIE = Aanmelding(
    kenmerk="2021-014", titel="Procesvoorstel cliëntparticipatie", opsteller="Anja Jongerius",
    rol=StapRol.BESLUIT, stap_index=3,
    beslispunten=(
        Beslispunt(1, "Uitwerking van de adviezen uit het plan van aanpak voor "
                      "cliëntparticipatie door JSO (zie bijlage)."),
        Beslispunt(2, "Inzetten van de praatplaat als instrument om in gesprek te gaan over de "
                      "regiovisie (zie bijlage)."),
    ),
    documenten=(Document("praatplaat.pdf", 1, 2_400_000, "a" * 64, "Praatplaat regiovisie"),
                Document("Plan van aanpak JSO.pdf", 2, 81_234, "b" * 64)),
    behandelingen=GESCHIEDENIS,
)


def aanmelding(kenmerk: str, rol: StapRol, **kwargs: object) -> Aanmelding:
    return Aanmelding(kenmerk=kenmerk, titel=f"Voorstel {kenmerk}", opsteller="Opsteller",
                      rol=rol, stap_index=0, **kwargs)  # type: ignore[arg-type]


def alle_rollen() -> list[Aanmelding]:
    return [
        aanmelding("2021-020", StapRol.INFORMATIE),
        aanmelding("2021-019", StapRol.CONSULTATIE),
        aanmelding("2021-018", StapRol.ADVIES),
        CLIENTPARTICIPATIE,
        aanmelding("2021-009", StapRol.BESLUIT, nagekomen=True),
        aanmelding("2021-010", StapRol.ADVIES,
                   beslispunten=(Beslispunt(1, "Kennisnemen van de voortgang."),)),
    ]


# ---------------------------------------------------------------------------------------------
# Composition.

def test_agenda_has_fixed_items_then_one_group_per_role_in_order():
    result = samenstelling.stel_agenda_samen(AB_2_JULI, alle_rollen())

    assert [(p.nummer, p.titel) for p in result.voor] == [
        (1, "Opening"), (2, "Mededelingen"), (3, "Verslag vorige vergadering"),
        (4, "Ingekomen stukken")]
    assert [(r.rol, [(p.nummer, p.kenmerk) for p in r.punten]) for r in result.rubrieken] == [
        ("ter besluitvorming", [(5, "2021-014"), (6, "2021-009")]),  # late ones last
        ("ter advisering", [(7, "2021-010"), (8, "2021-018")]),
        ("ter consultatie", [(9, "2021-019")]),
        ("ter informatie", [(10, "2021-020")]),
    ]
    assert [(p.nummer, p.titel) for p in result.na] == [(11, "Rondvraag"), (12, "Sluiting")]
    assert [r.titel for r in result.rubrieken] == ["Ter besluitvorming", "Ter advisering",
                                                   "Ter consultatie", "Ter informatie"]


def test_fixed_items_come_from_the_body_definition():
    eigen = orgaan("werksessie", "Werksessie", vaste_punten_voor=("Opening", "Vaststellen agenda"),
                   vaste_punten_na=())
    vergadering = Vergaderinfo(id=9, orgaan=eigen, begin=moment(date(2021, 9, 1)))

    result = samenstelling.stel_agenda_samen(vergadering, [aanmelding("2021-001", StapRol.CONSULTATIE)])

    assert [p.titel for p in result.voor] == ["Opening", "Vaststellen agenda"]
    assert [p.nummer for p in result.voorstellen] == [3]
    assert result.na == ()


def test_empty_meeting_still_has_its_fixed_items_and_no_groups():
    result = samenstelling.stel_agenda_samen(AB_2_JULI, [])
    assert result.rubrieken == ()
    assert [p.nummer for p in (*result.voor, *result.na)] == [1, 2, 3, 4, 5, 6]


def test_numbering_is_stable_whatever_order_the_database_returns():
    items = alle_rollen() + [aanmelding(f"2021-{n}", StapRol.ADVIES) for n in (99, 100, 101)]
    expected = samenstelling.stel_agenda_samen(AB_2_JULI, items)
    rng = random.Random(4)
    for _ in range(20):
        rng.shuffle(items)
        assert samenstelling.stel_agenda_samen(AB_2_JULI, items) == expected
    advies = [p.kenmerk for p in expected.rubrieken[1].punten]
    assert advies == ["2021-010", "2021-018", "2021-99", "2021-100", "2021-101"]


def test_each_proposal_carries_kenmerk_title_author_points_documents_and_flag():
    [punt, laat] = samenstelling.stel_agenda_samen(AB_2_JULI, alle_rollen()).rubrieken[0].punten

    assert (punt.kenmerk, punt.titel, punt.opsteller, punt.nagekomen) == \
        ("2021-014", "Procesvoorstel cliëntparticipatie", "Anja Jongerius", False)
    assert [b.nummer for b in punt.beslispunten] == [1, 2]
    assert [(d.naam, d.versie, d.omvang) for d in punt.documenten] == [
        ("Plan van aanpak JSO.pdf", 2, "81 kB"), ("praatplaat.pdf", 1, "2,4 MB")]
    assert laat.nagekomen


def test_advice_of_earlier_bodies_is_quoted_in_route_order():
    schuif = (
        # Out of order on purpose; plus things that must NOT be quoted.
        Behandeling(2, "aoj", "Ambtelijk Overleg Jeugd", moment(date(2021, 6, 24)), "behandeld",
                    Uitkomst.NEGATIEF, "Eerst de begroting."),
        Behandeling(1, "stuurgroep-transformatie", "Stuurgroep transformatie",
                    moment(date(2021, 6, 23), 14), "behandeld", Uitkomst.POSITIEF, "Akkoord."),
        Behandeling(0, "programmateam", "Programmateam regiovisie", moment(date(2021, 6, 14)),
                    "behandeld", Uitkomst.KENNISGENOMEN, ""),
        Behandeling(0, "programmateam", "Programmateam regiovisie", moment(date(2021, 5, 31)),
                    "behandeld", Uitkomst.AANHOUDEN, "Stukken ontbraken."),
        Behandeling(3, "ab-platform-jeugd", "AB platform jeugd", moment(date(2021, 6, 1)),
                    "behandeld", Uitkomst.TERUGVERWIJZEN, "Eerdere ronde."),
        Behandeling(1, "stuurgroep-transformatie", "Stuurgroep transformatie",
                    moment(date(2021, 9, 15), 14), "behandeld", Uitkomst.POSITIEF,
                    "Na deze vergadering: niet citeren."),
        Behandeling(1, "stuurgroep-transformatie", "Stuurgroep transformatie",
                    moment(date(2021, 6, 23), 14), "gepland", None, ""),
    )
    item = aanmelding("2021-014", StapRol.BESLUIT, behandelingen=schuif)
    item = Aanmelding(**{**{f: getattr(item, f) for f in item.__slots__}, "stap_index": 3})

    [punt] = samenstelling.stel_agenda_samen(AB_2_JULI, [item]).voorstellen

    assert [a.citaat for a in punt.adviezen] == [
        "Advies Programmateam regiovisie, 14 juni 2021 (kennisgenomen)",
        "Advies Stuurgroep transformatie, 23 juni 2021: Akkoord.",
        "Advies Ambtelijk Overleg Jeugd, 24 juni 2021 (negatief advies): Eerst de begroting.",
    ]


def test_besluitenlijst_follows_agenda_numbers_and_marks_open_items():
    besloten = Aanmelding(**{**{f: getattr(CLIENTPARTICIPATIE, f)
                                for f in CLIENTPARTICIPATIE.__slots__},
                             "uitkomst": Uitkomst.GEWIJZIGD_VASTGESTELD,
                             "uitkomst_tekst": "Met de wijziging van beslispunt 2.",
                             "beslispunten": (Beslispunt(1, "Plan van aanpak.", "aangenomen"),
                                              Beslispunt(2, "Praatplaat.",
                                                         "gewijzigd aangenomen"))})
    lijst = samenstelling.stel_besluitenlijst_samen(
        AB_2_JULI, [besloten, aanmelding("2021-018", StapRol.ADVIES)])

    assert [(b.nummer, b.kenmerk, b.behandeld, b.uitkomst) for b in lijst.besluiten] == [
        (5, "2021-014", True, "gewijzigd vastgesteld"), (6, "2021-018", False, "")]
    assert [p.besluit for p in lijst.besluiten[0].beslispunten] == ["aangenomen",
                                                                     "gewijzigd aangenomen"]
    assert lijst.open == 1


def voorblad() -> model.Voorblad:
    gegevens = Voorstelgegevens(
        kenmerk="2021-014", titel="Procesvoorstel cliëntparticipatie",
        aan="Alle wethouders in het AB platform jeugd", van="Programmteam regiovisie",
        datum=date(2021, 6, 14), documentstatus="Concept", versie="14 juni",
        in_opdracht_van="ab-platform-jeugd", opsteller="Anja Jongerius",
        toestand="geagendeerd bij AB", beslispunten=CLIENTPARTICIPATIE.beslispunten,
        documenten=CLIENTPARTICIPATIE.documenten,
        behandelingen=(*GESCHIEDENIS,
                       Behandeling(2, "aoj", "Ambtelijk Overleg Jeugd", moment(date(2021, 5, 27)),
                                   "vervallen")),
    )
    return samenstelling.stel_voorblad_samen(gegevens, ROUTE, ORGANEN)


def test_cover_sheet_lists_every_route_step_with_its_meeting_date():
    blad = voorblad()

    assert [(r.orgaan, r.datum) for r in blad.te_bespreken_in] == [
        ("Programmateam regiovisie", date(2021, 6, 14)),
        ("Stuurgroep transformatie", date(2021, 6, 23)),
        ("Ambtelijk Overleg Jeugd", date(2021, 6, 24)),
        ("AB platform jeugd", date(2021, 7, 2)),
    ]
    assert blad.in_opdracht_van == "AB platform jeugd"
    assert blad.korte_data


def test_cover_sheet_step_without_a_meeting_shows_none():
    gegevens = Voorstelgegevens(
        kenmerk="2021-015", titel="T", aan="", van="", datum=date(2021, 12, 20),
        documentstatus="Concept", versie="1", in_opdracht_van="", opsteller="O",
        toestand="ingediend",
        behandelingen=(Behandeling(0, "programmateam", "Programmateam regiovisie",
                                   moment(date(2022, 1, 10)), "geagendeerd"),))
    blad = samenstelling.stel_voorblad_samen(gegevens, ROUTE, ORGANEN)
    assert [r.datum for r in blad.te_bespreken_in] == [date(2022, 1, 10), None, None, None]
    assert not blad.korte_data  # another year: the table shows full dates


# ---------------------------------------------------------------------------------------------
# Rendering: golden files, well-formed HTML, escaping.

def render(naam: str, data: object, key: str | None = None) -> str:
    ctx = samenstelling.context(data)
    return rendering.render(naam, {key: ctx} if key else ctx)


def golden_cases() -> dict[str, str]:
    ab = samenstelling.stel_agenda_samen(AB_2_JULI, alle_rollen())
    besloten = Aanmelding(**{**{f: getattr(CLIENTPARTICIPATIE, f)
                                for f in CLIENTPARTICIPATIE.__slots__},
                             "uitkomst": Uitkomst.VASTGESTELD, "uitkomst_tekst": "Conform."})
    lijst = samenstelling.stel_besluitenlijst_samen(
        AB_2_JULI, [besloten, aanmelding("2021-018", StapRol.ADVIES)])
    cases = {}
    for ext in ("html", "txt"):
        cases[f"agenda.{ext}"] = render(f"agenda.{ext}", ab)
        cases[f"besluitenlijst.{ext}"] = render(f"besluitenlijst.{ext}", lijst)
        cases[f"voorstel.{ext}"] = render(f"voorstel.{ext}", voorblad(), "voorstel")
    return cases


@pytest.mark.parametrize("naam", ["agenda.html", "agenda.txt", "besluitenlijst.html",
                                  "besluitenlijst.txt", "voorstel.html", "voorstel.txt"])
def test_template_output_matches_its_golden_file(naam: str):
    uitvoer = golden_cases()[naam]
    pad = GOLDEN / naam
    if os.environ.get("BESLUITROUTE_GOLDEN_BIJWERKEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        pad.write_text(uitvoer, encoding="utf-8")
    assert pad.exists(), f"{pad} ontbreekt: draai met BESLUITROUTE_GOLDEN_BIJWERKEN=1"
    assert uitvoer == pad.read_text(encoding="utf-8")


def parse_html(html: str) -> ET.Element:
    """Our HTML is polyglot: well-formed XML after the doctype. Raises on any unclosed tag."""
    assert html.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(html.removeprefix("<!DOCTYPE html>\n"))


@pytest.mark.parametrize("naam", ["agenda.html", "besluitenlijst.html", "voorstel.html"])
def test_html_is_well_formed_with_print_css(naam: str):
    root = parse_html(golden_cases()[naam])
    assert root.tag == "html" and root.get("lang") == "nl"
    style = root.find("head/style")
    assert style is not None and style.text is not None
    assert "@page" in style.text and "@media print" in style.text
    assert "overflow-wrap: anywhere" in style.text


def test_plain_text_is_not_html_escaped():
    tekst_agenda = golden_cases()["agenda.txt"]
    assert "&amp;" not in tekst_agenda and "&#" not in tekst_agenda


HOSTILE_TITEL = ('<script>alert("agenda")</script> & \'quotes\' "dubbel"\n'
                 " 6. Rondvraag\n" + "Zeerlangewoordzonderspaties" * 120)


def hostile_agenda() -> model.Agenda:
    kwaad = Aanmelding(
        kenmerk="2021-666", titel=HOSTILE_TITEL, opsteller='Mr. "<b>Vet</b>"',
        rol=StapRol.BESLUIT, stap_index=3,
        beslispunten=(Beslispunt(1, "Punt</li></ol><script>x()</script>\n 7. Sluiting"),),
        documenten=(Document('<img src=x onerror="alert(1)">.pdf', 1, 10, "c" * 64,
                             "</ul>omschrijving"),),
        behandelingen=(Behandeling(1, "stuurgroep-transformatie", "Stuurgroep transformatie",
                                   moment(date(2021, 6, 23)), "behandeld", Uitkomst.POSITIEF,
                                   "</blockquote><script>steel()</script>\n\nLaatste regel"),),
    )
    vergadering = Vergaderinfo(id=4, orgaan=AB, begin=moment(date(2021, 7, 2)),
                               plaats="<b>Stadhuis</b>", opmerking="<i>let op</i>\nregel 2")
    return samenstelling.stel_agenda_samen(vergadering, [kwaad])


def test_hostile_text_is_escaped_in_html():
    html = render("agenda.html", hostile_agenda())

    root = parse_html(html)  # nothing broke out of its element
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;agenda&#34;)&lt;/script&gt;" in html
    assert root.find(".//script") is None
    body_text = "".join(root.itertext())
    assert '<script>alert("agenda")</script>' in body_text
    assert "</blockquote><script>steel()</script>" in body_text
    assert len(root.findall(".//section")) == 4 + 1 + 2


def test_hostile_text_is_escaped_in_besluitenlijst_and_cover_sheet():
    kwaad = hostile_agenda().voorstellen[0]
    aanmelding_kwaad = Aanmelding(
        kenmerk=kwaad.kenmerk, titel=HOSTILE_TITEL, opsteller="x", rol=StapRol.BESLUIT,
        stap_index=3, uitkomst=Uitkomst.AFGEWEZEN, uitkomst_tekst="<script>boos()</script>",
        beslispunten=(Beslispunt(1, "<b>punt</b>", "verworpen"),))
    lijst = samenstelling.stel_besluitenlijst_samen(AB_2_JULI, [aanmelding_kwaad])
    blad = samenstelling.stel_voorblad_samen(Voorstelgegevens(
        kenmerk="2021-666", titel=HOSTILE_TITEL, aan='<script>"aan"</script>\nregel 2',
        van="</dd></dl>", datum=date(2021, 6, 14), documentstatus="Concept",
        versie="<i>1</i>", in_opdracht_van="<onbekend>", opsteller="&amp;",
        toestand="ingediend"), ROUTE, ORGANEN)

    for html in (render("besluitenlijst.html", lijst), render("voorstel.html", blad, "voorstel")):
        root = parse_html(html)
        assert root.find(".//script") is None and root.find(".//b") is None
        assert "<script>" not in html
    assert "&amp;amp;" in render("voorstel.html", blad, "voorstel")


def test_hostile_text_keeps_the_plain_text_layout():
    txt = render("agenda.txt", hostile_agenda())

    assert '<script>alert("agenda")</script> & \'quotes\' "dubbel" 6. Rondvraag' in \
        " ".join(txt.split())
    top_level = [r for r in txt.splitlines() if re.match(r"^\s?\d+\. ", r)]
    assert [r.split(".")[0].strip() for r in top_level] == ["1", "2", "3", "4", "5", "6", "7"]
    assert max(len(r) for r in txt.splitlines()) <= 80


# ---------------------------------------------------------------------------------------------
# Dutch dates.

def test_dutch_dates_in_templates():
    html = golden_cases()["agenda.html"]
    assert "vrijdag 2 juli 2021" in html
    assert "2 juli 2021 10:00" in html
    assert tekst.datum(datetime(2021, 7, 1, 22, 30, tzinfo=UTC)) == "2 juli 2021"  # 00:30 local
    assert tekst.datum_kort(date(2021, 6, 14)) == "14 juni"


def test_datum_equals_babel_for_every_day_of_a_leap_year():
    from babel.dates import format_date

    dag = date(2024, 1, 1)
    while dag.year == 2024:
        assert tekst.datum(dag) == format_date(dag, "d MMMM y", locale="nl_NL")
        assert tekst.dag_datum(dag) == format_date(dag, "EEEE d MMMM y", locale="nl_NL")
        dag += timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Headless Chromium: a 3000-character title does not widen the page.



@pytest.mark.browser
def test_hostile_agenda_does_not_overflow_the_page_in_chromium(tmp_path: Path, chromium: str):
    import subprocess

    html = render("agenda.html", hostile_agenda())
    # Test-only probe: after layout, record whether anything is wider than the window.
    probe = ("<script>document.body.setAttribute('data-breed', String("
             "document.documentElement.scrollWidth > window.innerWidth));</script>")
    pagina = tmp_path / "agenda.html"
    pagina.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")

    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp_path / 'profiel'}",
         "--window-size=800,600", "--virtual-time-budget=2000", "--dump-dom", pagina.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert 'data-breed="false"' in result.stdout
    assert "&lt;script&gt;alert(\"agenda\")&lt;/script&gt;" in result.stdout


@pytest.mark.browser
def test_a_printed_agenda_numbers_its_pages_and_repeats_its_footer(tmp_path: Path, chromium: str,
                                                                  pdftotext: str):
    """Print to PDF in headless Chromium: every page has 'pagina N van M' and the footer, which
    names the body and date but no internal meeting id. The body's name is hostile: the CSS
    string that carries it to the page margin must not break out of the style sheet."""
    import dataclasses
    import subprocess

    naam = 'AB & "jeugd" </style><script>x()</script> \\ 9'
    body = dataclasses.replace(AB, naam=naam)
    vergadering = Vergaderinfo(id=4, orgaan=body, begin=moment(date(2021, 7, 2)),
                               plaats="Rotterdam, stadhuis")
    punten = [aanmelding(f"2021-{i:03d}", StapRol.BESLUIT, beslispunten=tuple(
        Beslispunt(n, f"Beslispunt {n} van voorstel {i}: " + "instemmen met de aanpak " * 8)
        for n in range(1, 5))) for i in range(1, 13)]
    html = render("agenda.html", samenstelling.stel_agenda_samen(vergadering, punten))
    assert "<script>x()" not in html
    pagina = tmp_path / "agenda.html"
    pagina.write_text(html, encoding="utf-8")
    pdf = tmp_path / "agenda.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", f"--user-data-dir={tmp_path / 'profiel'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", pagina.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    tekst = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                           text=True, timeout=60, check=True).stdout
    pages = [" ".join(p.split()) for p in tekst.split("\f") if p.strip()]
    assert len(pages) >= 3
    voet = f"Agenda van het {naam}, vergadering van 2 juli 2021 10:00."  # with its article
    for n, page in enumerate(pages, start=1):
        assert f"pagina {n} van {len(pages)}" in page, page[-300:]
        assert voet in page, page[-300:]
        assert ", vergadering 4," not in page  # the internal id the footer used to show
