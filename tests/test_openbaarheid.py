"""Woo publication: seed 002 replayed with the AB platform jeugd as the general board of the GR.
Its agenda and documents go public when they are sent to the members (Friday 25 June 2021, 09:00),
its decision list ten working days after 2 July 2021 (16 July), within the Woo's two weeks; a
second proposal is kept closed on a Woo ground (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.definities import lezen
from workflow.definities.model import Uitkomst
from workflow.definities.publicatie import Orgaansoort, Wanneer
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import herplanning, indienen, uitkomsten

VERZENDING = datetime(2021, 6, 25, 9, 0, tzinfo=TZ)
BESLUITENLIJST = datetime(2021, 7, 16, 9, 0, tzinfo=TZ)


def test_the_shipped_ab_follows_woo_article_3_3_and_other_bodies_publish_nothing() -> None:
    from workflow.basis.paden import meegeleverd

    defs = lezen.load(meegeleverd("definities"), cache=False)
    ab = defs.organen["ab-platform-jeugd"]
    assert ab.soort is Orgaansoort.ALGEMEEN_BESTUUR
    assert ab.publicatie.stukken is not None and ab.publicatie.stukken.wanneer is \
        Wanneer.BIJ_VERZENDING
    assert ab.publicatie.besluitenlijst is not None and ab.publicatie.besluitenlijst.tekst == \
        "10 werkdagen na de vergadering"
    assert not defs.organen["aoj"].publicatie.publiceert


def test_a_rule_in_a_definition_is_read_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    import shutil

    from workflow.basis.fouten import DefinitieFout
    from workflow.basis.paden import meegeleverd
    shutil.copytree(meegeleverd("definities"), tmp_path / "d", ignore=shutil.ignore_patterns("schema"))
    aoj = tmp_path / "d" / "organen" / "aoj.yaml"
    tekst = aoj.read_text(encoding="utf-8")
    aoj.write_text(tekst + "publicatie:\n  agenda: bij verzending\n  besluitenlijst: 5 werkdagen "
                   "na de vergadering\n", encoding="utf-8")
    defs = lezen.load(tmp_path / "d", cache=False)
    regels = defs.organen["aoj"].publicatie
    assert regels.agenda is not None and regels.stukken is None
    assert regels.besluitenlijst is not None and regels.besluitenlijst.werkdagen == 5
    aoj.write_text(tekst + "soort: raad\npublicatie:\n  agenda: morgen\n", encoding="utf-8")
    with pytest.raises(DefinitieFout) as fout:
        lezen.load(tmp_path / "d", cache=False)
    assert "'soort': onbekend: 'raad'" in str(fout.value)
    assert "'publicatie.agenda': onbekend moment 'morgen'" in str(fout.value)


def _ab(regels: list[publiceren.Regel], soort: str, kenmerk: str | None = None
        ) -> publiceren.Regel:
    [regel] = [r for r in regels if r.moment.orgaan == "ab-platform-jeugd"
               and clock.local(r.moment.begin).date() == date(2021, 7, 2)
               and r.moment.soort.value == soort and r.moment.kenmerk == kenmerk]
    return regel


def test_seed_002_publication_moments_of_the_ab(omgeving: Omgeving, besluitroute) -> None:
    route = walk_2021(omgeving)
    act_as("2021-06-02T09:00")
    gesloten = indienen.indienen(
        omgeving, titel="Inkoop: onderhandelingspositie", route="grjr-procesvoorstel",
        opsteller="Anja Jongerius", door="secretariaat", in_opdracht_van="ab-platform-jeugd",
        beslispunten=("Instemmen met de inzet",))
    herplanning.vastleggen(omgeving, gesloten, door="secretariaat")
    # Planned through the route, so on an AB agenda (onder voorbehoud) before the exception.
    assert [r for r in publiceren.lijst(omgeving, datetime(2021, 6, 3, tzinfo=TZ))
            if r.moment.kenmerk == gesloten]

    # The plan is known before the fact.
    regels = publiceren.lijst(omgeving, datetime(2021, 6, 20, tzinfo=TZ))
    assert _ab(regels, "agenda").moment.moment == VERZENDING
    assert _ab(regels, "stukken", route.kenmerk).moment.moment == VERZENDING
    assert _ab(regels, "besluitenlijst").moment.moment == BESLUITENLIJST
    assert BESLUITENLIJST - datetime(2021, 7, 2, 10, 0, tzinfo=TZ) <= timedelta(weeks=2)
    assert {r.status for r in regels if r.moment.vergadering_id == route.ab} == {"gepland"}
    # The AB meeting of 16 April was never published: overdue.
    assert {r.status for r in regels if r.moment.begin < VERZENDING - timedelta(weeks=8)} == \
        {"achterstallig"}
    # Closed bodies publish nothing.
    assert {r.moment.orgaan for r in regels} == {"ab-platform-jeugd"}

    # An exception with its ground, recorded in the proposal's history.
    result = besluitroute("publicatie", "uitzonderen", gesloten, "--grond", "5.1.2.b",
                          "--toelichting", "Onderhandelingspositie bij de inkoop",
                          "--door", "secretariaat", nu="2021-06-21T10:00")
    assert result.exit_code == 0, result.output
    assert "art. 5.1.2.b Woo" in result.output
    geschiedenis = besluitroute("voorstel", "toon", gesloten).output
    assert "Niet openbaar: art. 5.1.2.b Woo" in geschiedenis
    fout = besluitroute("publicatie", "uitzonderen", gesloten, "--grond", "9.9",
                        "--toelichting", "x")
    assert fout.exit_code == 2 and fout.output.startswith("fout: onbekende Woo-grond '9.9'")

    # One minute before dispatch only April's overdue agenda and list are caught up; at the
    # dispatch moment the pass publishes the 2 July agenda and documents.
    assert publiceren.publiceer(omgeving, VERZENDING - timedelta(minutes=1)) == 2
    assert _ab(publiceren.lijst(omgeving, VERZENDING - timedelta(minutes=1)), "agenda").status \
        == "gepland"
    result = besluitroute("herinneringen", "verstuur", nu="2021-06-25T09:00")
    assert result.exit_code == 0 and "openbaarmaking: 2 gepubliceerd" in result.output
    # Idempotent.
    assert publiceren.publiceer(omgeving, VERZENDING + timedelta(hours=1)) == 0
    regels = publiceren.lijst(omgeving, VERZENDING + timedelta(hours=1))
    for soort, kenmerk in (("agenda", None), ("stukken", route.kenmerk)):
        regel = _ab(regels, soort, kenmerk)
        assert (regel.status, regel.gepubliceerd_op) == ("gepubliceerd", VERZENDING)
    assert not [r for r in regels if r.moment.kenmerk == gesloten]

    # The AB decides on 2 July; the decision list is due on 16 July. The pass did not run
    # then: on 19 July it is overdue, and the list says so.
    act_as("2021-07-02T11:00")
    uitkomsten.besluit(omgeving, route.kenmerk, Uitkomst.VASTGESTELD, None, door="secretariaat")
    result = besluitroute("publicatie", "lijst", "--achterstallig", "--json", nu="2021-07-19T08:00")
    achterstallig = json.loads(result.output)
    assert [r["soort"] for r in achterstallig if r["vergadering"] == route.ab] == \
        ["besluitenlijst"]
    assert any("te laat" in w for w in publiceren.waarschuwingen(
        omgeving, datetime(2021, 7, 19, 8, tzinfo=TZ)))
    assert publiceren.publiceer(omgeving, BESLUITENLIJST) == 1
    regel = _ab(publiceren.lijst(omgeving, BESLUITENLIJST), "besluitenlijst")
    assert (regel.status, regel.gepubliceerd_op) == ("gepubliceerd", BESLUITENLIJST)
    achterstallig = json.loads(besluitroute("publicatie", "lijst", "--achterstallig", "--json",
                                            nu="2021-07-19T08:00").output)
    assert not [r for r in achterstallig if r["vergadering"] == route.ab]


# ---------------------------------------------------------------------------------------------
# OParl 1.1, checked against the specification's schemas (tests/oparl_spec.py).

def _oparl_client(omgeving: Omgeving, tmp_path: Path, aantal: int) -> tuple[list[str], object]:
    """`aantal` proposals walked to the AB of 2 July 2021, each with one document, published when
    the agenda goes out; the last one then kept closed (withdrawn) on a Woo ground."""
    from workflow.voorstellen import documenten
    from workflow.web.app import maak_app

    kenmerken = []
    for i in range(aantal):
        route = walk_2021(omgeving)
        document = tmp_path / f"stuk-{i}.txt"
        document.write_text(f"Plan {i}\n", encoding="utf-8")
        act_as("2021-06-24T17:00")
        documenten.registreer(omgeving, route.kenmerk, document, door="secretariaat")
        kenmerken.append(route.kenmerk)
    assert publiceren.publiceer(omgeving, VERZENDING) >= aantal
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))
    return kenmerken, maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()


def test_oparl_follows_the_specification_and_a_client_walks_every_page(
        omgeving: Omgeving, tmp_path: Path, besluitroute) -> None:
    from oparl_spec import Controle

    kenmerken, client = _oparl_client(omgeving, tmp_path, 3)
    besluitroute("publicatie", "uitzonderen", kenmerken[2], "--grond", "5.1.2.e",
                 "--toelichting", "Namen van cliënten", nu="2021-06-26T10:00")
    clock.act_as(datetime(2021, 6, 28, 9, tzinfo=TZ))

    def get(url: str) -> tuple[int, object]:
        r = client.get(url.removeprefix("http://localhost"))  # type: ignore[attr-defined]
        return r.status_code, (r.get_json() if r.is_json else None)

    controle = Controle(get, "http://localhost/oparl/v1/")
    assert client.get("/oparl/v1/").status_code == 301  # type: ignore[attr-defined]
    status, system = get("/oparl/v1/system")
    assert status == 200
    controle.object_(system)  # follows System.body, Body's lists and every reference in them
    [body] = controle.haal(system["body"])["data"]

    # A client walks the Paper list one object per page, following links.next.
    gezien: list[str] = []
    url: str | None = body["paper"] + "?limit=1"
    for _ in range(100):
        pagina = controle.haal(url)
        controle.pagina(pagina)
        for paper in pagina["data"]:
            gezien.append(paper["reference"])
            [besluit] = [c for c in paper["consultation"] if c["authoritative"]]
            assert besluit["role"] == "ter besluitvorming"
            [f] = paper["auxiliaryFile"]
            assert f["besluitroute:sha256Checksum"] and f["size"] == 7
            r = client.get(f["accessUrl"].removeprefix("http://localhost"))
            assert r.status_code == 200 and r.data.startswith(b"Plan ")
            assert "attachment" not in r.headers.get("Content-Disposition", "")
            r = client.get(f["downloadUrl"].removeprefix("http://localhost"))
            assert r.headers["Content-Disposition"].startswith("attachment")
        url = pagina["links"].get("next")
        if url is None:
            break
    # Every published proposal exactly once; the withdrawn one is no longer listed ...
    assert sorted(gezien) == sorted(kenmerken[:2])
    # ... except for a client updating since an earlier moment: then it is there, deleted.
    sinds = controle.haal(body["paper"] + "?modified_since=2021-06-25T12%3A00%3A00%2B02%3A00")
    controle.pagina(sinds)
    [weg] = [p for p in sinds["data"] if p.get("deleted")]
    assert weg["modified"] == "2021-06-26T10:00:00+02:00"
    assert get(weg["id"]) == (200, weg)
    file_weg = [f for f in controle.haal(body["file"] + "?modified_since=2021-06-26T00:00:00Z"
                                         )["data"] if f.get("deleted")]
    assert len(file_weg) == 1
    assert client.get(f"/oparl/v1/file/{file_weg[0]['id'].rsplit('/', 1)[1]}/inhoud"
                      ).status_code == 410
    # The filters: nothing modified after now, nothing created before the publication.
    assert controle.haal(body["paper"] + "?modified_since=2021-06-29T00:00:00Z")["data"] == []
    assert controle.haal(body["paper"] + "?created_until=2021-06-25T08:00:00%2B02:00"
                         )["data"] == []
    assert len(controle.haal(body["paper"] + "?created_until=2021-06-25T09:00:00%2B02:00"
                             )["data"]) == 2
    # The AB's meetings only, through Organization.meeting.
    ab = controle.haal(body["organization"])["data"]
    [ab_org] = [o for o in ab if o["id"].endswith("/ab-platform-jeugd")]
    meetings = controle.haal(ab_org["meeting"])["data"]
    assert {m["organization"][0] for m in meetings} == {ab_org["id"]}
    [meeting] = [m for m in meetings if m["start"].startswith("2021-07-02T")]
    assert [i["order"] for i in meeting["agendaItem"]] == [0, 1]
    # Nothing unpublished by guessing: the closed AOJ meeting and an unknown paper.
    from test_agenda_db import vergadering_id
    aoj = vergadering_id(omgeving, "aoj", date(2021, 6, 24))
    status, fout = get(f"/oparl/v1/meeting/{aoj}")
    assert status == 404 and fout == {"type": "https://schema.oparl.org/1.1/Error",
                                      "message": "niet gevonden of niet gepubliceerd",
                                      "debug": f"GET /oparl/v1/meeting/{aoj}"}
    assert get("/oparl/v1/paper/999999")[0] == 404
    assert get("/oparl/v1/paper/abc")[0] == 404
    assert get(body["paper"] + "?modified_since=gisteren")[0] == 400

    # The same objects as static files: the withdrawn paper as its own file, not in the list.
    result = besluitroute("export", "oparl", str(tmp_path / "export"), "--maak-map", "--adres",
                          "http://localhost", nu="2021-06-28T09:00")
    assert result.exit_code == 0, result.output
    export = tmp_path / "export/oparl/v1"
    papers = json.loads((export / "body/1/paper/index.json").read_text())
    assert len(papers["data"]) == 2
    assert json.loads((export / f"paper/{weg['id'].rsplit('/', 1)[1]}.json").read_text()) == weg
    assert (export / "system.json").is_file()
    assert (export / "system.json").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert (tmp_path / "export/oparl").stat().st_mode & 0o777 == 0o777 & ~_umask()
    # Again: the new export replaces the old one whole, and leaves nothing beside it.
    (export / "paper/verouderd.json").write_text("{}")
    result = besluitroute("export", "oparl", str(tmp_path / "export"), "--adres",
                          "http://localhost", nu="2021-06-28T09:00")
    assert result.exit_code == 0, result.output
    assert not (export / "paper/verouderd.json").exists()
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == ["oparl"]
    # A link where the export goes is refused, in Dutch, and left alone.
    (tmp_path / "elders").mkdir()
    (tmp_path / "link").mkdir()
    (tmp_path / "link/oparl").symlink_to(tmp_path / "elders")
    result = besluitroute("export", "oparl", str(tmp_path / "link"), "--adres",
                          "http://localhost", nu="2021-06-28T09:00")
    assert result.exit_code == 2 and "het is een symbolische koppeling; kies een map" in \
        result.output
    assert list((tmp_path / "elders").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "link").iterdir()) == ["oparl"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_an_oparl_list_page_takes_as_many_statements_for_30_objects_as_for_3(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """No query per object: a page loads what its objects point to for all of them at once."""
    from sqlalchemy import event

    lijsten = ("paper", "meeting", "agendaItem", "consultation", "file", "location")

    def tellingen(client: object, limiet: int) -> dict[str, int]:
        result = {}
        statements: list[str] = []

        def tel(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        for soort in lijsten:
            statements.clear()
            event.listen(omgeving.db.engine, "before_cursor_execute", tel)
            try:
                r = client.get(f"/oparl/v1/body/1/{soort}?limit={limiet}")  # type: ignore[attr-defined]
            finally:
                event.remove(omgeving.db.engine, "before_cursor_execute", tel)
            assert r.status_code == 200
            result[soort] = (len(r.get_json()["data"]), len(statements))
        return result

    _, client = _oparl_client(omgeving, tmp_path, 3)
    klein = tellingen(client, 3)
    _, client = _oparl_client(omgeving, tmp_path, 27)
    groot = tellingen(client, 30)
    # Papers, agenda items and files: 3 and 30 on a page; the one meeting holds 3, then 30 items.
    for soort in ("paper", "agendaItem", "file", "consultation"):
        assert (klein[soort][0], groot[soort][0]) == (3, 30), soort
    assert klein == {soort: (klein[soort][0], groot[soort][1]) for soort in lijsten}, \
        (klein, groot)


# ---------------------------------------------------------------------------------------------
# The reminder pass (what `herinneringen verstuur` and every wake-up of the planner daemon run).

def test_the_reminder_pass_publishes_and_the_weekly_overview_warns(omgeving: Omgeving) -> None:
    """Monday 21 June 2021, 09:00: the first pass ever. The AB secretary's weekly overview warns
    that April's AB agenda and decision list are overdue (the pass then publishes them) and that
    the 2 July agenda and documents are due on Friday; the AOJ, which publishes nothing, gets no
    such block. On Friday 09:00 the pass publishes the 2 July agenda and documents."""
    from sqlalchemy import select

    from workflow.berichten import ronde, uitgaand
    from workflow.openbaarheid.model import Publicatie

    route = walk_2021(omgeving)
    act_as("2021-06-21T09:00")
    verslag = ronde.ronde(omgeving)
    with omgeving.db.lees() as session:
        overzichten = {b.ontvangers: b for b in session.scalars(select(uitgaand.Bericht).where(
            uitgaand.Bericht.soort == "weekoverzicht"))}
        gepubliceerd = set(session.scalars(select(Publicatie.sleutel)))
    ab = overzichten["bestuurssecretariaat@grjr.example"]
    assert "OPENBAARMAKING (WOO)" in ab.tekst and "Openbaarmaking (Woo)" in ab.html
    # Moments as everywhere shown to a person: Dutch, local time, one form.
    assert "deze week te publiceren: agenda AB platform jeugd 2 juli 2021 10:00 op " \
        "25 juni 2021 09:00" in ab.tekst
    assert "deze week te publiceren: stukken AB platform jeugd 2 juli 2021 10:00 " \
        f"({route.kenmerk})" in ab.tekst
    assert "te laat gepubliceerd: agenda AB platform jeugd 16 april 2021" in ab.tekst
    assert all("OPENBAARMAKING" not in b.tekst for aan, b in overzichten.items()
               if aan != "bestuurssecretariaat@grjr.example")
    # Caught up in the same pass: April; not yet the 2 July agenda.
    assert verslag.gepubliceerd >= 2 and len(gepubliceerd) == verslag.gepubliceerd
    assert f"agenda:{route.ab}" not in gepubliceerd

    act_as("2021-06-25T09:00")
    verslag = ronde.ronde(omgeving)
    assert verslag.gepubliceerd == 2
    regels = publiceren.lijst(omgeving, VERZENDING)
    assert (_ab(regels, "agenda").status, _ab(regels, "agenda").gepubliceerd_op) == \
        ("gepubliceerd", VERZENDING)
    assert _ab(regels, "stukken", route.kenmerk).status == "gepubliceerd"
    assert ronde.ronde(omgeving).gepubliceerd == 0  # idempotent
    clock.act_as(None)


# ---------------------------------------------------------------------------------------------
# What fell due before the rule came in.

def test_a_fresh_install_lists_what_was_due_before_it_apart_and_publishes_it_on_request(
        database_url: str, besluitroute, tmp_path: Path) -> None:
    """Installed on Sunday 20 June 2021 with the shipped definitions: the AB's April agenda and
    decision list fell due before, so they are not overdue, nobody is warned and the pass leaves
    them; the secretariat publishes them when it chooses. A rule a later definitions version
    brings in (the AOJ publishes its agenda from 28 June) counts from that version on."""
    import shutil

    from sqlalchemy import select

    from workflow.basis.paden import meegeleverd
    from workflow.openbaarheid.model import Publicatie

    assert besluitroute("init", nu="2021-06-20T12:00").exit_code == 0
    env = Omgeving(definities_map=meegeleverd("definities"), sjablonen_map=None,
                   database_url=database_url, uitgaand_map=tmp_path / "uitgaand")
    try:
        achterstallig = besluitroute("publicatie", "lijst", "--achterstallig", nu="2021-06-21T09:00")
        assert achterstallig.exit_code == 0
        assert achterstallig.output.splitlines() == [
            "niets achterstallig",
            "2 publicatie(s) van vóór de invoering van de regel: niet achterstallig; publiceren "
            "kan met 'besluitroute publicatie publiceer --van-voor-de-invoering'"]
        regels = json.loads(besluitroute("publicatie", "lijst", "--json",
                                         nu="2021-06-21T09:00").output)
        april = [r for r in regels if r["vergadering_begin"].startswith("2021-04-16")]
        assert {(r["soort"], r["status"]) for r in april} == {
            ("agenda", "voor invoering"), ("besluitenlijst", "voor invoering")}
        # Monday's pass: the weekly overview names only what is due this week; nothing is
        # published behind the secretariat's back.
        result = besluitroute("herinneringen", "verstuur", nu="2021-06-21T09:00")
        assert result.exit_code == 0, result.output
        waarschuwingen = publiceren.waarschuwingen(env, datetime(2021, 6, 21, 9, tzinfo=TZ))
        assert waarschuwingen and not [w for w in waarschuwingen if "te laat" in w]
        with env.db.lees() as session:
            assert list(session.scalars(select(Publicatie.sleutel))) == []

        result = besluitroute("publicatie", "publiceer", "--van-voor-de-invoering", "--door",
                              "bestuurssecretariaat", nu="2021-06-21T10:00")
        assert (result.exit_code, result.output) == (0, "2 gepubliceerd\n")
        regels = json.loads(besluitroute("publicatie", "lijst", "--json",
                                         nu="2021-06-21T10:00").output)
        assert {r["status"] for r in regels if r["vergadering_begin"].startswith("2021-04-16")} \
            == {"gepubliceerd"}

        # Version 2 (28 June) lets the AOJ publish its agendas: its meetings of 27 May and 24
        # June are from before it, the one of 30 September is not.
        mijn = tmp_path / "mijn"
        shutil.copytree(meegeleverd("definities"), mijn)
        aoj = mijn / "organen" / "aoj.yaml"
        aoj.write_text(aoj.read_text(encoding="utf-8") + "publicatie:\n  agenda: bij verzending\n",
                       encoding="utf-8")
        result = besluitroute("definities", "toepassen", str(mijn), "--door", "secretariaat",
                              nu="2021-06-28T09:00", input="j\n")
        assert result.exit_code == 0, result.output
        regels = json.loads(besluitroute("--definities", str(mijn), "publicatie", "lijst",
                                         "--json", nu="2021-10-05T09:00").output)
        aoj_regels = {r["vergadering_begin"][:10]: r["status"] for r in regels
                      if r["orgaan"] == "aoj"}
        # (The calendar goes on after September: those meetings are still to come.)
        assert aoj_regels == {"2021-05-27": "voor invoering", "2021-06-24": "voor invoering",
                              "2021-09-30": "achterstallig", "2021-10-28": "gepland",
                              "2021-11-25": "gepland"}
        # The AB's rule dates from the install: its decision list of 2 July is overdue.
        assert {r["status"] for r in regels if r["orgaan"] == "ab-platform-jeugd"
                and r["vergadering_begin"].startswith("2021-07-02")} == {"achterstallig"}
    finally:
        env.sluit()
