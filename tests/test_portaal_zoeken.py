"""Search inside documents: a word that occurs only inside a registered PDF, DOCX or ODT finds
it, with a snippet marking the hit, on SQLite and PostgreSQL; a hit from a proposal the visitor
may not see never shows; a file whose text cannot be read is registered all the same.

Seed 002 replayed: the procesvoorstel is on the agenda of the AB platform jeugd of 2 July 2021;
its agenda and documents go public on Friday 25 June 09:00. A second proposal, commissioned by
the same AB, is on no agenda yet: only members of the AB may see it."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import documentbestanden
from sqlalchemy import select
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import documenten, indienen
from workflow.voorstellen.documenttekst import Documenttekst

VERZENDING = datetime(2021, 6, 25, 9, 0, tzinfo=TZ)
LID_AB = "wethouder.jeugd@capelle.example"


def _client(omgeving: Omgeving) -> Any:
    from workflow.web.app import maak_app

    return maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()


def _registreer(omgeving: Omgeving, kenmerk: str, map_: Path, naam: str, inhoud: bytes) -> None:
    pad = map_ / naam
    pad.write_bytes(inhoud)
    documenten.registreer(omgeving, kenmerk, pad, door="secretariaat")


def _treffers(html: str) -> list[str]:
    """The document names in the search page's "In documenten" list."""
    deel = html.split('id="documenten-kop"', 1)[1]
    return re.findall(r'<a href="/document/\d+">([^<]+)</a>', deel)


def _log_in(client: Any, omgeving: Omgeving, email: str) -> None:
    from workflow.web import opslag
    from workflow.web.app import COOKIE

    token, _ = opslag.maak_link(omgeving, email)
    _email, sessie = opslag.gebruik_link(omgeving, token)  # type: ignore[misc]
    client.set_cookie(COOKIE, sessie)


def test_a_word_only_inside_a_document_finds_it_for_whoever_may_open_it(
        omgeving: Omgeving, tmp_path: Path) -> None:
    route = walk_2021(omgeving)
    act_as("2021-06-02T10:00")
    besloten = indienen.indienen(
        omgeving, titel="Inkoop jeugdhulp 2022", route="grjr-procesvoorstel",
        opsteller="Anja Jongerius", door="secretariaat", in_opdracht_van="ab-platform-jeugd",
        beslispunten=("Instemmen",))
    map_ = tmp_path / "stukken"
    map_.mkdir()
    _registreer(omgeving, route.kenmerk, map_, "plan-van-aanpak.pdf", documentbestanden.pdf(
        "Plan van aanpak cliëntparticipatie",
        "De kinderburgemeester opent de eerste bijeenkomsten in de wijken."))
    _registreer(omgeving, route.kenmerk, map_, "praatplaat.odt", documentbestanden.odt(
        "Praatplaat", "Jongeren tekenen hun ervaringen met de jeugdconsulent."))
    _registreer(omgeving, besloten, map_, "inkoopstrategie.docx", documentbestanden.docx(
        "Inkoopstrategie", "Ook de kinderburgemeester wordt gehoord over de aanbesteding."))
    # A broken PDF: registered, its text recorded as unreadable.
    _registreer(omgeving, route.kenmerk, map_, "scan.pdf", b"%PDF-1.4 afgebroken")
    with omgeving.db.lees() as session:
        standen = {t.soort + ":" + t.status for t in session.scalars(select(Documenttekst))}
    assert standen == {"pdf:gelezen", "odt:gelezen", "docx:gelezen", "pdf:onleesbaar"}

    client = _client(omgeving)
    # Thursday 24 June: nothing is public yet; the public finds nothing inside any document.
    act_as("2021-06-24T17:00")
    assert _treffers(client.get("/zoeken?q=kinderburgemeester").get_data(as_text=True)) == []
    # Friday 25 June after 09:00: the procesvoorstel's documents are public.
    publiceren.publiceer(omgeving, VERZENDING)
    act_as("2021-06-25T09:30")
    html = client.get("/zoeken?q=Kinderburgemeester").get_data(as_text=True)
    assert _treffers(html) == ["plan-van-aanpak.pdf"]
    assert "<mark>kinderburgemeester</mark> opent de eerste" in html
    assert "inkoopstrategie" not in html and besloten not in html
    assert _treffers(client.get("/zoeken?q=jeugdconsulent").get_data(as_text=True)) \
        == ["praatplaat.odt"]
    # Every word must occur; a word in no document finds nothing.
    assert _treffers(client.get("/zoeken?q=kinderburgemeester+praatplaat")
                     .get_data(as_text=True)) == []
    # A member of the AB sees the proposal on no agenda as well, newest first.
    _log_in(client, omgeving, LID_AB)
    html = client.get("/zoeken?q=kinderburgemeester").get_data(as_text=True)
    assert _treffers(html) == ["inkoopstrategie.docx", "plan-van-aanpak.pdf"]
    clock.act_as(None)


def test_a_hostile_document_text_is_shown_as_text(omgeving: Omgeving, tmp_path: Path) -> None:
    act_as("2021-06-02T10:00")
    kenmerk = indienen.indienen(
        omgeving, titel="Toets", route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen",))
    map_ = tmp_path / "stukken"
    map_.mkdir()
    _registreer(omgeving, kenmerk, map_, "notitie.txt",
                b'Zie <script>alert("x")</script> bij het participatietraject\x02.')
    client = _client(omgeving)
    _log_in(client, omgeving, LID_AB)
    html = client.get("/zoeken?q=participatietraject").get_data(as_text=True)
    assert _treffers(html) == ["notitie.txt"]
    # SQLite's snippet keeps the tag as text; PostgreSQL's ts_headline leaves it out.
    assert "<script>alert" not in html and "alert(&#34;x&#34;)" in html
    assert "bij het <mark>participatietraject</mark>" in html
    clock.act_as(None)


def test_dutch_words_find_their_other_forms(omgeving: Omgeving, tmp_path: Path) -> None:
    """PostgreSQL stems Dutch ("vergaderingen" finds "vergadering"); SQLite's FTS5 has no Dutch
    stemmer and matches a word's beginning instead ("vergader" finds both)."""
    act_as("2021-06-02T10:00")
    kenmerk = indienen.indienen(
        omgeving, titel="Toets", route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen",))
    map_ = tmp_path / "stukken"
    map_.mkdir()
    _registreer(omgeving, kenmerk, map_, "verslag.txt",
                "Verslag van de vergadering over de reünie.".encode())
    client = _client(omgeving)
    _log_in(client, omgeving, LID_AB)

    def vindt(vraag: str) -> bool:
        return _treffers(client.get(f"/zoeken?q={vraag}").get_data(as_text=True)) \
            == ["verslag.txt"]

    assert vindt("vergader") if omgeving.db.engine.dialect.name == "sqlite" \
        else vindt("vergaderingen")
    assert not vindt("aanbesteding")
    if omgeving.db.engine.dialect.name == "sqlite":
        assert vindt("reunie")  # diacritics folded
    clock.act_as(None)


def test_documents_registered_before_the_text_was_kept_are_read_afterwards(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """After migration 0024 the documents registered earlier have no text; reading them later
    records each, also one whose file has gone since."""
    from sqlalchemy import delete

    from workflow.voorstellen.documenten import lees_ontbrekende

    act_as("2021-06-02T10:00")
    kenmerk = indienen.indienen(
        omgeving, titel="Toets", route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen",))
    map_ = tmp_path / "stukken"
    map_.mkdir()
    _registreer(omgeving, kenmerk, map_, "blijft.odt", documentbestanden.odt("Wijkagenda"))
    _registreer(omgeving, kenmerk, map_, "weg.txt", b"Verdwenen tekst")
    with omgeving.db.schrijf() as session:  # as before the migration
        session.execute(delete(Documenttekst))
    (map_ / "weg.txt").unlink()
    assert lees_ontbrekende(omgeving) == 2
    assert lees_ontbrekende(omgeving) == 0
    with omgeving.db.lees() as session:
        standen = sorted((t.status, t.tekst) for t in session.scalars(select(Documenttekst)))
    assert standen == [("gelezen", "Wijkagenda"), ("onleesbaar", "")]
    clock.act_as(None)


def test_a_pdf_of_thousands_of_pages_is_registered_and_read_as_far_as_the_bound(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """Issue 30: reading stops after MAX_PAGINAS pages (or MAX_LEESTIJD seconds); the document
    is registered all the same, its first pages searchable, the reason recorded."""
    from workflow.voorstellen import documenttekst

    act_as("2021-06-02T10:00")
    kenmerk = indienen.indienen(
        omgeving, titel="Toets", route="grjr-procesvoorstel", opsteller="Anja Jongerius",
        door="secretariaat", in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen",))
    map_ = tmp_path / "stukken"
    map_.mkdir()
    grens = documenttekst.MAX_PAGINAS
    paginas = [["Voorwoord van de begroting"]] + [[f"Begrotingsregel {n}"] for n in
                                                   range(2, grens + 50)] + [["Slotwoord"]]
    _registreer(omgeving, kenmerk, map_, "begroting.pdf", documentbestanden.pdf_paginas(paginas))
    with omgeving.db.lees() as session:
        rij = session.scalars(select(Documenttekst)).one()
    assert (rij.status, rij.reden) == (
        "deels gelezen", f"alleen de eerste {grens} van {grens + 50} pagina's gelezen (de grens)")
    assert rij.tekst.endswith(f"Begrotingsregel {grens}")
    client = _client(omgeving)
    _log_in(client, omgeving, LID_AB)
    assert _treffers(client.get("/zoeken?q=voorwoord").get_data(as_text=True)) == ["begroting.pdf"]
    assert _treffers(client.get("/zoeken?q=slotwoord").get_data(as_text=True)) == []
    clock.act_as(None)


def test_a_pdf_that_reads_too_slowly_keeps_the_pages_read_within_the_time_budget() -> None:
    from workflow.voorstellen.documenttekst import Leesgrens, lees_inhoud

    twee = documentbestanden.pdf_paginas([["Eerste pagina"], ["Tweede pagina"]])
    # The budget is checked between pages: the first page is read, then the time is up.
    uit = lees_inhoud(twee, "pdf", Leesgrens(seconden=0))
    assert (uit.status, uit.tekst, uit.reden) == (
        "deels gelezen", "Eerste pagina", "na 0 seconden gestopt: 1 van 2 pagina's gelezen")
    # A first page without text (a scan) and no time left: unreadable, with the reason.
    scan = documentbestanden.pdf_paginas([[], ["Tweede pagina"]])
    assert lees_inhoud(scan, "pdf", Leesgrens(seconden=0)).reden == \
        "na 0 seconden gestopt: 1 van 2 pagina's gelezen; daarin geen tekst"
    assert lees_inhoud(twee, "pdf").tekst == "Eerste pagina\nTweede pagina"
