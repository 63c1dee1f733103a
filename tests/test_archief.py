"""The e-Depot: from a fresh database with seed 002 replayed, `export ori-a` writes the AB
platform jeugd's meeting of 2 July 2021 as an ORI-A file that validates against the official
ORI-A 1.0.1 schema, with its agenda, decision list and documents, an MDTO informatieobject and
bestand beside each (validated against MDTO 1.0.1, with every element MDTO requires), and a
SHA-256 per file that matches it. Exporting again writes nothing until the meeting changed; a
Woo exception keeps the documents, restricted (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import xsd
from lxml import etree
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.definities.model import Uitkomst
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import documenten, uitkomsten

VERZENDING = datetime(2021, 6, 25, 9, 0, tzinfo=TZ)
BESLUITENLIJST = datetime(2021, 7, 16, 9, 0, tzinfo=TZ)
ORIA = {"o": "https://ori-a.nl"}
MDTO = {"m": "https://www.nationaalarchief.nl/mdto"}
PLAN = b"%PDF-1.4 plan van aanpak clientparticipatie\n"
#: What MDTO 1.0.1 marks as required (minOccurs 1 in MDTO-XML1.0.1.xsd and "verplicht" in the
#: metagegevensschema), per object.
VERPLICHT = {"informatieobject": ("identificatie", "naam", "waardering", "archiefvormer",
                                  "beperkingGebruik"),
             "bestand": ("identificatie", "naam", "omvang", "bestandsformaat", "checksum",
                         "isRepresentatieVan")}


def _seed_002(omgeving: Omgeving, tmp_path: Path) -> Any:
    route = walk_2021(omgeving)
    document = tmp_path / "plan-van-aanpak.pdf"
    document.write_bytes(PLAN)
    act_as("2021-06-24T17:00")
    documenten.registreer(omgeving, route.kenmerk, document, door="secretariaat")
    publiceren.publiceer(omgeving, VERZENDING)
    act_as("2021-07-02T11:00")
    uitkomsten.besluit(omgeving, route.kenmerk, Uitkomst.VASTGESTELD, None, door="secretariaat")
    publiceren.publiceer(omgeving, BESLUITENLIJST)
    clock.act_as(None)
    return route


def _export(besluitroute: Any, map_: Path, nu: str = "2021-07-19T09:00") -> Any:
    result = besluitroute("export", "ori-a", str(map_), "--maak-map", "--orgaan", "ab-platform-jeugd",
                          "--van", "2021-07-01", "--tot", "2021-07-03", nu=nu)
    assert result.exit_code == 0, result.output
    return result


def test_export_ori_a_writes_the_ab_meeting_of_2_july_2021_with_documents_and_checksums(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    route = _seed_002(omgeving, tmp_path)
    map_ = tmp_path / "edepot"
    result = _export(besluitroute, map_)
    assert "1 vergadering(en) geschreven, 0 ongewijzigd" in result.output
    folder = map_ / "ab-platform-jeugd" / f"2021-07-02-{route.ab}"
    oria = (folder / "ori-a.xml").read_bytes()
    assert xsd.fouten(oria, "ori-a") == []

    boom = etree.fromstring(oria)
    vergadering = boom.find("o:vergadering", ORIA)
    assert vergadering.findtext("o:datum", namespaces=ORIA) == "2021-07-02"
    assert vergadering.findtext("o:geplandeAanvang", namespaces=ORIA) == "2021-07-02T10:00:00+02:00"
    assert vergadering.findtext("o:status", namespaces=ORIA) == "Gehouden"
    assert vergadering.findtext("o:locatie", namespaces=ORIA) == "Rotterdam, stadhuis"
    orgaan = vergadering.find("o:overheidsorgaan", ORIA)
    assert (orgaan.findtext("o:begripLabel", namespaces=ORIA),
            orgaan.findtext("o:begripCode", namespaces=ORIA)) == \
        ("Openbaar Lichaam Jeugdhulp Rijnmond", "https://identifier.overheid.nl/tooi/id/so/so0842")
    punten = boom.findall("o:agendapunt", ORIA)
    assert [p.findtext("o:naam", namespaces=ORIA) for p in punten] == [
        "Opening", "Mededelingen", "Verslag vorige vergadering", "Ingekomen stukken",
        "Procesvoorstel cliëntparticipatie", "Rondvraag", "Sluiting"]
    voorstel = punten[4]
    assert voorstel.findtext("o:volgnummer", namespaces=ORIA) == "5"
    assert voorstel.findtext("o:indicatieBehandeld", namespaces=ORIA) == "true"
    assert voorstel.findtext("o:indicatieBesloten", namespaces=ORIA) == "false"
    besluiten = boom.findall("o:besluit", ORIA)
    assert [b.findtext("o:resultaat", namespaces=ORIA) for b in besluiten] == \
        ["Aangenomen", "Aangenomen"]
    assert besluiten[0].findtext("o:toelichting", namespaces=ORIA).startswith(
        "Beslispunt 1: Uitwerking van de adviezen")
    # No attendance recorded (`vergadering aanwezig`): nobody is named present.
    assert boom.findall("o:aanwezigeDeelnemer", ORIA) == []

    # Every document referenced from the ORI-A file lies beside it, with its sidecars.
    verwijzingen = [r.text for r in boom.iterfind(".//o:verwijzingInformatieobject/o:verwijzingID",
                                                  ORIA)]
    vid = vergadering.findtext("o:ID", namespaces=ORIA)
    assert verwijzingen == [f"{vid}/agenda", f"{vid}/besluitenlijst",
                            f"{route.kenmerk}/plan-van-aanpak.pdf/v1"]
    informatieobjecten = {}
    for sidecar in sorted(folder.glob("*.mdto.xml")):
        inhoud = sidecar.read_bytes()
        assert xsd.fouten(inhoud, "mdto") == [], sidecar.name
        [obj] = etree.fromstring(inhoud)
        soort = etree.QName(obj).localname
        aanwezig = {etree.QName(e).localname for e in obj}
        assert set(VERPLICHT[soort]) <= aanwezig, (sidecar.name, aanwezig)
        if soort == "informatieobject":
            informatieobjecten[obj.findtext("m:identificatie/m:identificatieKenmerk",
                                            namespaces=MDTO)] = obj
            assert obj.findtext("m:waardering/m:begripLabel", namespaces=MDTO) == \
                "Blijvend te bewaren"
            assert obj.findtext("m:archiefvormer/m:verwijzingNaam", namespaces=MDTO) == \
                "Openbaar Lichaam Jeugdhulp Rijnmond"
        else:
            bestand = folder / obj.findtext("m:naam", namespaces=MDTO)
            assert obj.findtext("m:checksum/m:checksumWaarde", namespaces=MDTO) == \
                hashlib.sha256(bestand.read_bytes()).hexdigest()
            assert int(obj.findtext("m:omvang", namespaces=MDTO)) == bestand.stat().st_size
    assert set(verwijzingen) == set(informatieobjecten)
    [plan] = [p for p in folder.iterdir() if p.name.endswith("plan-van-aanpak.pdf")]
    assert plan.read_bytes() == PLAN

    # sha256sums.txt names every other file, and each sum matches (`sha256sum -c`).
    regels = (folder / "sha256sums.txt").read_text().splitlines()
    genoemd = {}
    for regel in regels:
        som, naam = regel.split("  ", 1)
        genoemd[naam] = som
    assert set(genoemd) == {p.name for p in folder.iterdir()} - {"sha256sums.txt"}
    for naam, som in genoemd.items():
        assert hashlib.sha256((folder / naam).read_bytes()).hexdigest() == som


def test_ori_a_is_idempotent_and_a_woo_exception_keeps_the_documents_restricted(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    route = _seed_002(omgeving, tmp_path)
    map_ = tmp_path / "edepot"
    _export(besluitroute, map_)
    folder = map_ / "ab-platform-jeugd" / f"2021-07-02-{route.ab}"
    eerst = (folder / "ori-a.xml").stat().st_mtime_ns
    result = _export(besluitroute, map_, nu="2021-07-26T09:00")
    assert "0 vergadering(en) geschreven, 1 ongewijzigd" in result.output
    assert (folder / "ori-a.xml").stat().st_mtime_ns == eerst

    # A Woo exception afterwards: the meeting changed; the archive keeps the document, with the
    # ground as its restriction on use, and the item marked closed.
    besluitroute("publicatie", "uitzonderen", route.kenmerk, "--grond", "5.1.2.e",
                 "--toelichting", "Namen van cliënten", nu="2021-07-27T10:00")
    result = _export(besluitroute, map_, nu="2021-07-28T09:00")
    assert "1 vergadering(en) geschreven, 0 ongewijzigd" in result.output
    oria = (folder / "ori-a.xml").read_bytes()
    assert xsd.fouten(oria, "ori-a") == []
    [voorstel] = [p for p in etree.fromstring(oria).iterfind("o:agendapunt", ORIA)
                  if p.findtext("o:naam", namespaces=ORIA) == "Procesvoorstel cliëntparticipatie"]
    assert voorstel.findtext("o:indicatieBesloten", namespaces=ORIA) == "true"
    [sidecar] = folder.glob("*plan-van-aanpak.pdf.mdto.xml")
    obj = etree.fromstring(sidecar.read_bytes())[0]
    assert obj.findtext("m:beperkingGebruik/m:beperkingGebruikType/m:begripLabel",
                        namespaces=MDTO) == "Overig"
    assert "art. 5.1.2.e Woo" in obj.findtext(
        "m:beperkingGebruik/m:beperkingGebruikNadereBeschrijving", namespaces=MDTO)
    assert xsd.fouten(sidecar.read_bytes(), "mdto") == []


def test_export_ori_a_refuses_bad_input_in_one_dutch_line(omgeving: Omgeving, tmp_path: Path,
                                                          besluitroute) -> None:
    for args, melding in (
            (("--van", "2021-13-01"), "--van: ongeldig tijdstip '2021-13-01' (verwacht JJJJ-MM-DD, "
                                      "JJJJ-MM-DD UU:MM of JJJJ-MM-DDTUU:MM)"),
            (("--orgaan", "aoj"), "orgaan 'aoj' heeft geen 'archief' in de definities"),
            (("--orgaan", "bestaat-niet"), "onbekend orgaan 'bestaat-niet'")):
        result = besluitroute("export", "ori-a", str(tmp_path / "e"), "--maak-map", *args)
        assert result.exit_code == 2, result.output
        assert melding in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_the_weekly_overview_reminds_the_secretary_of_meetings_not_yet_archived(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    """Monday 19 July 2021: the AB secretary's weekly overview names the meetings of the last
    quarter that were held and not exported (2 July; 16 April is more than a quarter ago); after
    `export ori-a` the next Monday's overview no longer does."""
    from sqlalchemy import select

    from workflow.berichten import ronde, uitgaand

    _seed_002(omgeving, tmp_path)

    def overzichten(moment: str) -> list[Any]:
        act_as(moment)
        ronde.ronde(omgeving)
        clock.act_as(None)
        with omgeving.db.lees() as session:
            return [b for b in session.scalars(select(uitgaand.Bericht).where(
                uitgaand.Bericht.soort == "weekoverzicht").order_by(uitgaand.Bericht.id))
                if b.aan == ["bestuurssecretariaat@grjr.example"]]

    [eerst] = overzichten("2021-07-19T09:00")
    assert "ARCHIEF (E-DEPOT)" in eerst.tekst and "Archief (e-Depot)" in eerst.html
    assert "16 april 2021" not in eerst.tekst
    assert "nog niet gearchiveerd (ORI-A): AB platform jeugd 2 juli 2021" in eerst.tekst

    result = besluitroute("export", "ori-a", str(tmp_path / "edepot"), "--maak-map", nu="2021-07-20T09:00")
    assert result.exit_code == 0, result.output
    assert "2 vergadering(en) geschreven" in result.output
    # Nothing else to say that week: no overview, or one without the block.
    daarna = [b for b in overzichten("2021-07-26T09:00") if b.id != eerst.id]
    assert all("nog niet gearchiveerd" not in b.tekst for b in daarna)


def test_an_organisation_that_is_no_tooi_uri_or_archive_rules_without_a_creator_are_refused(
        tmp_path: Path) -> None:
    import shutil

    from workflow.basis.fouten import DefinitieFout
    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen

    shutil.copytree(meegeleverd("definities"), tmp_path / "d",
                    ignore=shutil.ignore_patterns("schema"))
    aoj = tmp_path / "d" / "organen" / "aoj.yaml"
    tekst = aoj.read_text(encoding="utf-8")
    aoj.write_text(tekst + "organisatie: {naam: GR JR, tooi: https://example.org/grjr}\n"
                   "archief: {waardering: vernietigen, selectielijst: S, categorie: '1'}\n",
                   encoding="utf-8")
    with pytest.raises(DefinitieFout) as fout:
        lezen.load(tmp_path / "d", cache=False)
    assert "'organisatie.tooi': geen TOOI-organisatie-URI: 'https://example.org/grjr'" \
        in str(fout.value)
    assert "'archief.waardering': onbekend: 'vernietigen'" in str(fout.value)
    assert "'archief': zonder 'organisatie' is 'archief.archiefvormer' verplicht" \
        in str(fout.value)


def test_a_hostile_title_stays_text_in_ori_a_and_mdto(omgeving: Omgeving, tmp_path: Path,
                                                      besluitroute) -> None:
    from sqlalchemy import update  # no act renames a proposal: set in the database

    from workflow.opslag.models import Voorstel

    route = _seed_002(omgeving, tmp_path)
    boos = 'Plan </naam><besluit/> & "x" \x01 ]]>'
    with omgeving.db.schrijf() as session:
        session.execute(update(Voorstel).where(Voorstel.kenmerk == route.kenmerk)
                        .values(titel=boos))
    map_ = tmp_path / "edepot"
    _export(besluitroute, map_)
    folder = map_ / "ab-platform-jeugd" / f"2021-07-02-{route.ab}"
    oria = (folder / "ori-a.xml").read_bytes()
    assert xsd.fouten(oria, "ori-a") == []
    namen = [p.findtext("o:naam", namespaces=ORIA)
             for p in etree.fromstring(oria).iterfind("o:agendapunt", ORIA)]
    assert 'Plan </naam><besluit/> & "x" ]]>' in namen  # (the agenda folds spaces)
    for sidecar in folder.glob("*.mdto.xml"):
        assert xsd.fouten(sidecar.read_bytes(), "mdto") == [], sidecar.name


def test_a_retention_term_from_29_february_ends_on_28_february(tmp_path: Path) -> None:
    """A meeting ending on leap day, of a body whose documents are `tijdelijk te bewaren` for 5
    years: the term ends on 28 February 2029 (relativedelta), and the informatieobject still
    validates against MDTO 1.0.1."""
    import dataclasses

    from workflow.archief import mdto
    from workflow.archief.vergadering import Archiefvergadering, Document
    from workflow.basis.paden import meegeleverd
    from workflow.definities import lezen
    from workflow.definities.organisatie import Archiefregels, Organisatie, Waardering

    ab = lezen.load(meegeleverd("definities"), cache=False).organen["ab-platform-jeugd"]
    grjr = Organisatie("Openbaar Lichaam Jeugdhulp Rijnmond",
                       "https://identifier.overheid.nl/tooi/id/so/so0842")
    ab = dataclasses.replace(ab, archief=Archiefregels(
        Waardering.TIJDELIJK, "Selectielijst gemeenten en intergemeentelijke organen 2020",
        "1.1", grjr, 5))
    begin = datetime(2024, 2, 29, 14, 0, tzinfo=TZ)
    eind = datetime(2024, 2, 29, 16, 0, tzinfo=TZ)
    inhoud = b"<p>agenda</p>"
    agenda = Document("agenda.html", "ab-2024-02-29/agenda", "Agenda AB platform jeugd",
                      inhoud, hashlib.sha256(inhoud).hexdigest(), len(inhoud), "Creatie",
                      datetime(2024, 2, 22, 9, 0, tzinfo=TZ), None)
    v = Archiefvergadering("ab-2024-02-29", ab, begin, eind, "", (), agenda, None)

    sidecar = mdto.informatieobject(v, agenda)
    assert xsd.fouten(sidecar, "mdto") == []
    termijn = etree.fromstring(sidecar).find("m:informatieobject/m:bewaartermijn", MDTO)
    assert termijn.findtext("m:termijnStartdatumLooptijd", namespaces=MDTO) == "2024-02-29"
    assert termijn.findtext("m:termijnLooptijd", namespaces=MDTO) == "P5Y"
    assert termijn.findtext("m:termijnEinddatum", namespaces=MDTO) == "2029-02-28"
    assert xsd.fouten(mdto.bestand(agenda), "mdto") == []
