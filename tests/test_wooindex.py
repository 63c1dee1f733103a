"""The Woo-index: from a fresh database with seed 002 replayed, a harvester that starts at the
portal's robots.txt finds the AB platform jeugd's agenda, documents and decision list of 2 July
2021 in sitemaps that validate against the sitemaps.org 0.9 and DiWoo 0.9.8 schemas, published
by the Openbaar Lichaam Jeugdhulp Rijnmond (TOOI so0842); `export woo-index` writes the same
files; a withdrawn publication leaves them; files split at 50,000 URLs (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import xsd
from lxml import etree
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.openbaarheid.wooindex import sitemaps
from workflow.voorstellen import documenten, uitkomsten

ADRES = "https://bestuur.grjr.example"
VERZENDING = datetime(2021, 6, 25, 9, 0, tzinfo=TZ)
BESLUITENLIJST = datetime(2021, 7, 16, 9, 0, tzinfo=TZ)
GRJR = "https://identifier.overheid.nl/tooi/id/so/so0842"
VERGADERSTUKKEN = "https://identifier.overheid.nl/tooi/def/thes/kern/c_db4862c3"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "d": "https://standaarden.overheid.nl/diwoo/metadata/"}


def _seed_002(omgeving: Omgeving, tmp_path: Path, titel: str = "Plan van aanpak") -> Any:
    """The procesvoorstel to the AB of 2 July 2021 with one document; its agenda and documents
    published on 25 June, the AB's decision on 2 July, the decision list on 16 July."""
    route = walk_2021(omgeving)
    document = tmp_path / "plan-van-aanpak.pdf"
    document.write_bytes(b"%PDF-1.4 plan van aanpak clientparticipatie\n")
    act_as("2021-06-24T17:00")
    documenten.registreer(omgeving, route.kenmerk, document, door="secretariaat")
    assert publiceren.publiceer(omgeving, VERZENDING) >= 2
    act_as("2021-07-02T11:00")
    uitkomsten.besluit(omgeving, route.kenmerk, Uitkomst.VASTGESTELD, None, door="secretariaat")
    assert publiceren.publiceer(omgeving, BESLUITENLIJST) >= 1
    clock.act_as(datetime(2021, 7, 19, 9, tzinfo=TZ))
    return route


def _harvest(get: Any) -> dict[str, bytes]:
    """What the harvester reads: robots.txt, every sitemap index it names, every sitemap they
    name; each file checked against its schema on the way."""
    gelezen: dict[str, bytes] = {}
    robots = get("/robots.txt")
    gelezen["robots.txt"] = robots
    indexen = re.findall(r"^Sitemap: (\S+)$", robots.decode(), re.MULTILINE)
    assert indexen
    for index in indexen:
        naam = index.rsplit("/", 1)[1]
        assert re.fullmatch(r"sitemapindex-diwoo-infocat\d{3}\.xml", naam)
        inhoud = get(index.removeprefix(ADRES))
        assert xsd.fouten(inhoud, "siteindex") == []
        gelezen[f"sitemaps/{naam}"] = inhoud
        for loc in etree.fromstring(inhoud).iterfind("s:sitemap/s:loc", NS):
            sitemap = get(loc.text.removeprefix(ADRES))
            assert xsd.fouten(sitemap, "sitemap") == []
            assert len(sitemap) <= sitemaps.MAX_BYTES
            gelezen[f"sitemaps/{loc.text.rsplit('/', 1)[1]}"] = sitemap
    return gelezen


def _urls(bestanden: dict[str, bytes]) -> dict[str, etree._Element]:
    """Every <url> of the sitemaps by its loc."""
    result = {}
    for naam, inhoud in bestanden.items():
        if naam.startswith("sitemaps/sitemap-"):
            for url in etree.fromstring(inhoud).iterfind("s:url", NS):
                result[url.findtext("s:loc", namespaces=NS)] = url
    return result


def _portaal(omgeving: Omgeving) -> Any:
    from workflow.web.app import maak_app

    omgeving.config["web"] = {"adres": ADRES}
    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()

    def get(pad: str) -> bytes:
        antwoord = client.get(pad)
        assert antwoord.status_code == 200, pad
        return bytes(antwoord.data)

    return get


def test_robots_txt_leads_the_harvester_to_the_ab_agenda_documents_and_decision_list(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    route = _seed_002(omgeving, tmp_path)
    get = _portaal(omgeving)
    bestanden = _harvest(get)

    assert list(bestanden) == ["robots.txt", "sitemaps/sitemapindex-diwoo-infocat008.xml",
                               "sitemaps/sitemap-diwoo-infocat008-1.xml"]
    urls = _urls(bestanden)
    agenda, lijst = f"{ADRES}/vergadering/{route.ab}", f"{ADRES}/vergadering/{route.ab}/besluitenlijst"
    [stuk] = [u for u in urls if "/document/" in u]
    assert {agenda, lijst, stuk} <= set(urls)
    # Every URL the index lists, the portal shows the public (`get` asserts 200, anonymous).
    for loc in urls:
        assert loc.startswith(ADRES + "/"), loc
        assert get(loc.removeprefix(ADRES))
    for loc in (agenda, lijst, stuk):
        url = urls[loc]
        publisher = url.find("d:Document/d:DiWoo/d:publisher", NS)
        assert (publisher.get("resource"), publisher.text) == \
            (GRJR, "Openbaar Lichaam Jeugdhulp Rijnmond")
        assert url.find(".//d:informatiecategorie", NS).get("resource") == VERGADERSTUKKEN
    assert urls[agenda].findtext(".//d:officieleTitel", namespaces=NS) == \
        "Agenda AB platform jeugd 2 juli 2021"
    # The meeting's page shows the agenda, and the decisions once the list is public: its
    # lastmod is that of the list.
    assert urls[agenda].findtext("s:lastmod", namespaces=NS) == "2021-07-16T09:00:00+02:00"
    assert urls[stuk].findtext("s:lastmod", namespaces=NS) == "2021-06-25T09:00:00+02:00"
    assert urls[lijst].findtext("s:lastmod", namespaces=NS) == "2021-07-16T09:00:00+02:00"
    assert urls[stuk].findtext(".//d:identifier", namespaces=NS) == route.kenmerk
    assert urls[stuk].find(".//d:format", NS).text == "PDF"
    assert urls[stuk].find(".//d:soortHandeling", NS).text == "ontvangst"
    # Only what is public: the AOJ and the stuurgroep publish nothing.
    assert all(f"/vergadering/{route.aoj}" not in u for u in urls)

    # `export woo-index` writes the very same files.
    map_ = tmp_path / "www"
    result = besluitroute("export", "woo-index", str(map_), "--maak-map", "--adres", ADRES,
                          nu="2021-07-19T09:00")
    assert result.exit_code == 0, result.output
    geschreven = {p.relative_to(map_ / "woo-index").as_posix(): p.read_bytes()
                  for p in (map_ / "woo-index").rglob("*") if p.is_file()}
    assert geschreven == bestanden


def test_a_withdrawn_publication_leaves_the_sitemaps_and_the_rest_keeps_its_lastmod(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    route = _seed_002(omgeving, tmp_path)
    omgeving.config["woo_index"] = {"map": str(tmp_path / "www")}
    omgeving.config["web"] = {"adres": ADRES}
    from workflow.openbaarheid.wooindex import export

    assert export.bijwerken(omgeving)
    eerst = _urls(export.op_schijf(tmp_path / "www"))
    assert not export.bijwerken(omgeving)  # nothing changed, nothing written

    # 20 July: the documents are withdrawn on a Woo ground (the handleiding's removal: the URL
    # leaves the sitemap). The agenda and decision list no longer show the item: their lastmod
    # moves; nothing else changes.
    # The command updates the files at once (the same configuration as the pass).
    config = tmp_path / "besluitroute.toml"
    config.write_text(f'[web]\nadres = "{ADRES}"\n[woo_index]\nmap = "{tmp_path / "www"}"\n',
                      encoding="utf-8")
    result = besluitroute("--config", str(config), "publicatie", "uitzonderen", route.kenmerk,
                          "--grond", "5.1.2.e", "--toelichting", "Namen van cliënten",
                          nu="2021-07-20T10:00")
    assert result.exit_code == 0, result.output
    clock.act_as(datetime(2021, 7, 20, 11, tzinfo=TZ))
    assert not export.bijwerken(omgeving)  # already current
    daarna = _urls(export.op_schijf(tmp_path / "www"))
    [stuk] = [u for u in eerst if "/document/" in u]
    assert stuk not in daarna
    assert set(daarna) == set(eerst) - {stuk}
    def lastmod(urls: dict[str, Any], loc: str) -> str:
        return urls[loc].findtext("s:lastmod", namespaces=NS)

    van_2_juli = {f"{ADRES}/vergadering/{route.ab}", f"{ADRES}/vergadering/{route.ab}/besluitenlijst"}
    for loc in van_2_juli:
        assert lastmod(daarna, loc) == "2021-07-20T10:00:00+02:00"
    # The meeting of 16 April (published on 25 June too, as overdue) is untouched.
    anders = set(daarna) - van_2_juli
    assert anders
    for loc in anders:
        assert lastmod(daarna, loc) == lastmod(eerst, loc)
    for naam, inhoud in export.op_schijf(tmp_path / "www").items():
        if naam.startswith("sitemaps/sitemap-"):
            assert xsd.fouten(inhoud, "sitemap") == []


def test_a_hostile_title_is_escaped_and_the_file_still_validates(
        omgeving: Omgeving, tmp_path: Path) -> None:
    route = walk_2021(omgeving)
    boos = 'Plan <diwoo:publisher resource="x"/> & ]]> "quote" \x01\x1b einde'
    from sqlalchemy import update  # no act renames a proposal: set in the database

    from workflow.opslag.models import Voorstel

    with omgeving.db.schrijf() as session:
        session.execute(update(Voorstel).where(Voorstel.kenmerk == route.kenmerk)
                        .values(titel=boos))
    document = tmp_path / "stuk.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    act_as("2021-06-24T17:00")
    documenten.registreer(omgeving, route.kenmerk, document, door="secretariaat")
    publiceren.publiceer(omgeving, VERZENDING)
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))
    bestanden = _harvest(_portaal(omgeving))
    [stuk] = [u for u in _urls(bestanden).values()
              if "/document/" in u.findtext("s:loc", namespaces=NS)]
    assert stuk.findtext(".//d:officieleTitel", namespaces=NS) == \
        f'{route.kenmerk} Plan <diwoo:publisher resource="x"/> & ]]> "quote"  einde: stuk.pdf'


def test_a_sitemap_holds_at_most_50000_urls_and_50_mb() -> None:
    fragmenten = [f"<url><loc>https://x.example/{i}</loc></url>\n".encode()
                  for i in range(50_001)]
    groepen = sitemaps.verdeel(fragmenten)
    assert [len(g) for g in groepen] == [50_000, 1]
    groot = [b"x" * 1_000_000] * 120  # 120 MB of URLs: three files of at most 50 MiB
    groepen = sitemaps.verdeel(groot)
    assert [len(g) for g in groepen] == [52, 52, 16]
    assert all(sum(map(len, g)) + 200 <= sitemaps.MAX_BYTES for g in groepen)


def test_the_reminder_pass_keeps_the_woo_index_files_current(omgeving: Omgeving,
                                                             tmp_path: Path) -> None:
    """With `[woo_index] map` configured, the pass that publishes the 2 July agenda and
    documents (Friday 25 June 09:00) also writes them into the Woo-index files; a pass with
    nothing new leaves the files alone."""
    from workflow.berichten import ronde
    from workflow.openbaarheid.wooindex import export

    route = walk_2021(omgeving)
    omgeving.config["woo_index"] = {"map": str(tmp_path / "www"), "adres": ADRES}
    act_as("2021-06-24T09:00")
    ronde.ronde(omgeving)  # April's overdue agenda and list
    voor = _urls(export.op_schijf(tmp_path / "www"))
    assert f"{ADRES}/vergadering/{route.ab}" not in voor
    act_as("2021-06-25T09:00")
    ronde.ronde(omgeving)
    na = _urls(export.op_schijf(tmp_path / "www"))
    assert f"{ADRES}/vergadering/{route.ab}" in na
    assert {loc: u.findtext("s:lastmod", namespaces=NS) for loc, u in voor.items()} == \
        {loc: na[loc].findtext("s:lastmod", namespaces=NS) for loc in voor}
    index = tmp_path / "www" / "woo-index" / "sitemaps" / "sitemapindex-diwoo-infocat008.xml"
    gewijzigd = index.stat().st_mtime_ns
    act_as("2021-06-25T10:00")
    ronde.ronde(omgeving)
    assert index.stat().st_mtime_ns == gewijzigd

    # The portal serves what the pass keeps on disk (never a path from the URL).
    from workflow.web.app import maak_app

    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()
    assert client.get("/robots.txt").data == (tmp_path / "www" / "woo-index" / "robots.txt").read_bytes()
    assert client.get("/sitemaps/sitemapindex-diwoo-infocat008.xml").data == index.read_bytes()
    for pad in ("/sitemaps/..%2Frobots.txt", "/sitemaps/.woo-index-stempel", "/sitemaps/x.xml"):
        assert client.get(pad).status_code == 404, pad
    clock.act_as(None)


def test_a_body_published_by_another_organisation_names_both_and_validates() -> None:
    """`organisatie.uitgever`: the publisher is the one that publishes, the body's own
    organisation is the verantwoordelijke (DiWoo); the values come from the TOOI lists."""
    import dataclasses

    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen
    from workflow.definities.organisatie import Organisatie
    from workflow.openbaarheid.wooindex.categorieen import Documentsoort, Handeling
    from workflow.openbaarheid.wooindex.stukken import Stuk

    ab = lezen.load(meegeleverd("definities"), cache=False).organen["ab-platform-jeugd"]
    rotterdam = Organisatie("Rotterdam", "https://identifier.overheid.nl/tooi/id/gemeente/gm0599")
    ab = dataclasses.replace(ab, uitgever=rotterdam)
    moment = datetime(2021, 6, 25, 9, tzinfo=TZ)
    stuk = Stuk("/vergadering/1", Documentsoort.AGENDA, ab, "ab-2021-07-02", "Agenda & meer",
                "ab-2021-07-02", None, moment, Handeling.VASTSTELLING, moment, moment, moment)
    bestanden = sitemaps.bestanden([stuk], ADRES)
    sitemap = bestanden["sitemaps/sitemap-diwoo-infocat008-1.xml"]
    assert xsd.fouten(sitemap, "sitemap") == []
    assert xsd.fouten(bestanden["sitemaps/sitemapindex-diwoo-infocat008.xml"], "siteindex") == []
    url = etree.fromstring(sitemap).find("s:url", NS)
    assert url.find(".//d:publisher", NS).get("resource") == rotterdam.tooi
    assert url.find(".//d:verantwoordelijke", NS).get("resource") == GRJR


def test_export_woo_index_refuses_a_bad_address_in_one_dutch_line(omgeving: Omgeving,
                                                                  tmp_path: Path,
                                                                  besluitroute) -> None:
    result = besluitroute("export", "woo-index", str(tmp_path / "www"), "--adres", "ftp://x")
    assert result.exit_code == 2
    assert result.output.strip() == "fout: --adres moet met https:// of http:// beginnen: 'ftp://x'"
    result = besluitroute("export", "woo-index", str(tmp_path / "www"))
    assert result.exit_code == 2 and "geen adres" in result.output
    assert not (tmp_path / "www").exists()


def test_a_step_elsewhere_leaves_the_stamp_and_a_rebuild_compares_hashes_not_the_folder(
        omgeving: Omgeving, tmp_path: Path, monkeypatch: Any) -> None:
    """The stamp covers only what the files show: a change to a meeting nothing was published
    of, or to a proposal that was not published, leaves it. A change to what is shown that
    leaves the files as they were rebuilds them, compares the SHA-256 kept beside the stamp
    (never reading the folder back) and writes nothing."""
    from datetime import timedelta

    from sqlalchemy import select, update

    from workflow.openbaarheid.model import Publicatie
    from workflow.openbaarheid.wooindex import export
    from workflow.opslag.models import Vergadering, Voorstel

    route = _seed_002(omgeving, tmp_path)
    omgeving.config["woo_index"] = {"map": str(tmp_path / "www"), "adres": ADRES}
    assert export.bijwerken(omgeving)
    stempel = export.stempel(omgeving, ADRES)
    regels = (tmp_path / "www" / ".woo-index-stempel").read_text(encoding="utf-8").splitlines()
    assert regels == [stempel, export.inhoudshash(export.op_schijf(tmp_path / "www"))]

    gepubliceerd = select(Publicatie.voorstel_id).where(Publicatie.voorstel_id.is_not(None))
    with omgeving.db.schrijf() as session:
        # The AOJ publishes nothing: its meeting moves on, the index does not.
        session.execute(update(Vergadering).where(Vergadering.id == route.aoj)
                        .values(volgnummer=Vergadering.volgnummer + 1))
        session.execute(update(Voorstel).where(Voorstel.id.not_in(gepubliceerd))
                        .values(gewijzigd_op=datetime(2021, 7, 19, 10, tzinfo=TZ)))
    assert export.stempel(omgeving, ADRES) == stempel

    def niet_teruglezen(map_: Path) -> dict[str, bytes]:
        raise AssertionError("the folder is read back")

    monkeypatch.setattr(export, "op_schijf", niet_teruglezen)
    index = tmp_path / "www" / "woo-index" / "robots.txt"
    gewijzigd = index.stat().st_mtime_ns
    with omgeving.db.schrijf() as session:
        # The published proposal changes where the files do not show it.
        [voorstel] = session.scalars(select(Voorstel).where(Voorstel.kenmerk == route.kenmerk))
        session.execute(update(Voorstel).where(Voorstel.id == voorstel.id)
                        .values(gewijzigd_op=voorstel.gewijzigd_op + timedelta(seconds=1)))
    assert export.stempel(omgeving, ADRES) != stempel
    assert not export.bijwerken(omgeving)
    assert index.stat().st_mtime_ns == gewijzigd
    assert (tmp_path / "www" / ".woo-index-stempel").read_text(encoding="utf-8") \
        .splitlines()[0] == export.stempel(omgeving, ADRES)
    clock.act_as(None)


def test_the_portal_streams_the_files_on_disk_and_answers_a_conditional_request(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """With `[woo_index] map` a sitemap is sent from its file (send_file) with an ETag: the
    harvester's repeated request with If-None-Match gets 304 without the body."""
    from workflow.openbaarheid.wooindex import export
    from workflow.web.app import maak_app

    sitemap = b'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex/>\n'
    export.schrijf(tmp_path, {"robots.txt": b"User-agent: *\n",
                              "sitemaps/sitemapindex-diwoo-infocat008.xml": sitemap})
    omgeving.config["woo_index"] = {"map": str(tmp_path), "adres": ADRES}
    client = maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()
    antwoord = client.get("/sitemaps/sitemapindex-diwoo-infocat008.xml")
    assert antwoord.status_code == 200
    assert antwoord.data == sitemap
    assert antwoord.mimetype == "application/xml"
    assert antwoord.headers.get("ETag") and antwoord.headers.get("Last-Modified"), antwoord.headers
    opnieuw = client.get("/sitemaps/sitemapindex-diwoo-infocat008.xml",
                         headers={"If-None-Match": antwoord.headers["ETag"]})
    assert opnieuw.status_code == 304 and opnieuw.data == b""
    assert client.get("/robots.txt").data == b"User-agent: *\n"
    assert client.get("/sitemaps/sitemap-diwoo-infocat008-9.xml").status_code == 404
