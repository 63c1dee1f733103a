"""The portal in public: the calendar feed of a publishing body tells an anonymous subscriber no
more than the public meeting page (Woo), search folds case and accents, and a database an older
version set up says to run `besluitroute init` (SQLite and PostgreSQL).

Seed 002 replayed: the AB platform jeugd of 2 July 2021 has the procesvoorstel on its agenda; its
agenda and documents go public when they are sent to the members, Friday 25 June 2021 09:00."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from test_agenda_db import act_as, walk_2021

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.openbaarheid import publiceren
from workflow.voorstellen import indienen

VERZENDING = datetime(2021, 6, 25, 9, 0, tzinfo=TZ)
LID_AB = "wethouder.jeugd@capelle.example"  # AB platform jeugd
LID_AOJ = "jeugd@capelle.example"  # AOJ, not the AB
FEED = "/kalender/orgaan/ab-platform-jeugd.ics"


def _client(omgeving: Omgeving) -> Any:
    from workflow.web.app import maak_app

    return maak_app(omgeving, veilige_cookies=False, proxies=0).test_client()


def _ab_op_2_juli(ics: bytes, veld: str = "description") -> str:
    """A field of the AB meeting of 2 July 2021 in a feed (its description by default)."""
    from icalendar import Calendar

    [event] = [e for e in Calendar.from_ical(ics).walk("VEVENT")
               if e.get("categories").cats == ["vergadering"]
               and e.decoded("dtstart").date().isoformat() == "2021-07-02"]
    return str(event.get(veld, ""))


def test_the_public_feed_names_agenda_items_only_once_they_are_published(
        omgeving: Omgeving) -> None:
    from workflow.web import opslag

    route = walk_2021(omgeving)
    titel = "Procesvoorstel cliëntparticipatie"
    client = _client(omgeving)

    # Thursday 24 June: on the AB's agenda, not yet sent to the members nor published. The
    # public sees the meeting (date, time, place), not what is on it.
    act_as("2021-06-24T17:00")
    eerst = client.get(FEED)
    assert eerst.status_code == 200
    beschrijving = _ab_op_2_juli(eerst.data)
    assert route.kenmerk not in beschrijving and titel not in beschrijving
    assert _ab_op_2_juli(eerst.data, "location") == "Rotterdam, stadhuis"
    assert client.get(FEED, headers={"If-None-Match": eerst.headers["ETag"]}).status_code == 304

    # A member of the AB sees everything of their body in their personal feed; a member of
    # another body, subscribed to the AB's, sees what the public sees.
    ab = opslag.nieuw_feedgeheim(omgeving, LID_AB)
    aoj = opslag.nieuw_feedgeheim(omgeving, LID_AOJ)
    lid = client.get(f"/kalender/p/{ab}/orgaan/ab-platform-jeugd.ics")
    assert lid.status_code == 200 and route.kenmerk in _ab_op_2_juli(lid.data)
    assert titel in _ab_op_2_juli(client.get(f"/kalender/p/{ab}/lid.ics").data)
    ander = client.get(f"/kalender/p/{aoj}/orgaan/ab-platform-jeugd.ics")
    assert ander.status_code == 200 and route.kenmerk not in _ab_op_2_juli(ander.data)

    # Friday 09:00 the pass publishes the agenda and documents: a client polling with the ETag
    # it holds gets the new feed, with the item (April's overdue agenda and list go too).
    assert publiceren.publiceer(omgeving, VERZENDING) == 4
    act_as("2021-06-25T09:30")
    daarna = client.get(FEED, headers={"If-None-Match": eerst.headers["ETag"]})
    assert daarna.status_code == 200 and daarna.headers["ETag"] != eerst.headers["ETag"]
    assert f"{route.kenmerk} {titel}" in _ab_op_2_juli(daarna.data)
    assert client.get(FEED, headers={"If-None-Match": daarna.headers["ETag"]}).status_code \
        == 304
    # A closed body has no public feed.
    assert client.get("/kalender/orgaan/aoj.ics").status_code == 404
    clock.act_as(None)


# ---------------------------------------------------------------------------------------------
# Search.

def _zoek(omgeving: Omgeving, vraag: str) -> list[str]:
    """What a member of the AB finds (every proposal commissioned by the AB is theirs to see)."""
    from workflow.web import gegevens, toegang

    bezoeker = toegang.bezoeker(omgeving.definities, LID_AB)
    return [r["kenmerk"] for r in gegevens.zoek(omgeving, bezoeker, vraag, clock.now())]


def _indienen(omgeving: Omgeving, titel: str) -> str:
    return indienen.indienen(omgeving, titel=titel, route="grjr-procesvoorstel",
                             opsteller="Anja Jongerius", door="secretariaat",
                             in_opdracht_van="ab-platform-jeugd", beslispunten=("Instemmen",))


def test_search_folds_case_and_accents_and_keeps_percent_and_underscore_literal(
        omgeving: Omgeving, besluitroute) -> None:
    act_as("2021-06-01T09:00")
    regel = _indienen(omgeving, "Beleidsregel Jeugdhúlp 2022")
    reunie = _indienen(omgeving, "Reünie van  de jeugdregio")
    procent = _indienen(omgeving, "Korting 100% op_tarief")
    ander = _indienen(omgeving, "Korting 1000 optarief")

    assert _zoek(omgeving, "beleidsregel jeugdhulp") == [regel]
    assert _zoek(omgeving, "BELEIDSREGEL   JEUGDHÚLP") == [regel]
    assert _zoek(omgeving, "reunie van de") == [reunie]
    assert _zoek(omgeving, "REÜNIE") == [reunie]
    assert _zoek(omgeving, "100%") == [procent]
    assert _zoek(omgeving, "p_t") == [procent]
    assert _zoek(omgeving, "%") == [procent]
    assert _zoek(omgeving, "_") == [procent]
    assert sorted(_zoek(omgeving, "korting")) == sorted([procent, ander])
    # The kenmerk is searched too, but never across kenmerk and title.
    assert _zoek(omgeving, regel) == [regel]
    assert _zoek(omgeving, regel[-3:] + " beleid") == []

    # A new title is found at once; the old one no longer.
    result = besluitroute("voorstel", "wijzig", reunie, "--titel", "Coöperatie in de regio",
                          "--door", "secretariaat", nu="2021-06-02T09:00")
    assert result.exit_code == 0, result.output
    assert _zoek(omgeving, "cooperatie") == [reunie]
    assert _zoek(omgeving, "reunie") == []

    # Rows put in by a bulk insert (an import) get their search text from the column default.
    from workflow.opslag.models import Voorstel

    nu = clock.now()
    with omgeving.db.schrijf() as session:
        session.execute(insert(Voorstel), [{
            "kenmerk": f"2021-9{i:02d}", "titel": f"Geïmporteerd Één {i}", "opsteller": "Import",
            "in_opdracht_van": "ab-platform-jeugd", "route": "grjr-procesvoorstel",
            "toestand": "ingediend", "ingediend_op": nu, "gewijzigd_op": nu,
            "wijzigingsnummer": 1} for i in range(3)])
    assert sorted(_zoek(omgeving, "geimporteerd een")) == ["2021-900", "2021-901", "2021-902"]
    clock.act_as(None)


# ---------------------------------------------------------------------------------------------
# A database an older version set up.

def test_an_outdated_schema_says_to_run_init_in_the_cli_and_the_portal(
        omgeving: Omgeving, besluitroute) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from workflow.opslag.db import MIGRATIES, migraties

    act_as("2021-06-01T09:00")
    kenmerk = _indienen(omgeving, "Reünie van de jeugdregio")
    clock.act_as(None)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIES))
    # The newest revision by file name is Alembic's head (what the check compares against).
    assert migraties()[-1] == ScriptDirectory.from_config(config).get_current_head()
    vorige = "0013_schaal"  # before the search text that the portal's search reads
    assert vorige in migraties()[:-1]
    with omgeving.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, vorige)

    for args in (("voorstel", "lijst"), ("voorstel", "toon", kenmerk),
                 ("publicatie", "lijst")):
        result = besluitroute(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.count("\n") == 1, result.output
        assert "verouderd" in result.output and "'besluitroute init'" in result.output
        assert "nog niet aangemaakt" not in result.output

    # A portal that was running when the schema went back: the failing query says the same.
    pagina = _client(omgeving).get("/zoeken?q=reunie")
    tekst = pagina.data.decode()
    assert "verouderd" in tekst and "besluitroute init" in tekst
    assert "nog niet aangemaakt" not in tekst and "Traceback" not in tekst

    # Upgrading fills the search text of the proposals there are.
    assert besluitroute("init").exit_code == 0
    assert besluitroute("voorstel", "lijst").exit_code == 0
    assert _zoek(omgeving, "REUNIE") == [kenmerk]
    with omgeving.db.lees() as session:
        from workflow.opslag.models import Voorstel

        assert session.scalar(select(Voorstel.zoektekst).where(Voorstel.kenmerk == kenmerk)) \
            == f"{kenmerk}\nreunie van de jeugdregio"


def test_a_schema_newer_than_this_version_is_named_as_such(omgeving: Omgeving,
                                                          besluitroute) -> None:
    with omgeving.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_toekomst'")
    result = besluitroute("voorstel", "lijst")
    assert result.exit_code == 2
    assert "schemaversie '0099_toekomst'" in result.output and "nieuwere" in result.output


def test_the_search_finds_exactly_the_proposals_their_pages_show_to_each_visitor(
        omgeving: Omgeving) -> None:
    """The search starts from the visible proposals (a UNION of indexed selections); the pages
    test each proposal. Both must agree for the public, members of two bodies and a secretary,
    before and after the publication of the AB's documents."""
    from workflow.opslag.models import Voorstel
    from workflow.web import gegevens, toegang

    route = walk_2021(omgeving)
    act_as("2021-06-20T09:00")
    eigen = _indienen(omgeving, "Jeugdhulp in opdracht van het AB")
    los = indienen.indienen(omgeving, titel="Jeugdhulp zonder opdrachtgever",
                            route="grjr-procesvoorstel", opsteller="Anja Jongerius",
                            door="secretariaat", beslispunten=("Instemmen",))
    bezoekers = {"publiek": toegang.Bezoeker(),
                 "lid AB": toegang.bezoeker(omgeving.definities, LID_AB),
                 "lid AOJ": toegang.bezoeker(omgeving.definities, LID_AOJ),
                 "secretaris AB": toegang.bezoeker(
                     omgeving.definities,
                     omgeving.definities.organen["ab-platform-jeugd"].secretaris.email)}

    def vergelijk(nu: datetime) -> dict[str, set[str]]:
        gevonden = {}
        for naam, b in bezoekers.items():
            # Every kenmerk starts with "20": the search's answer is all it may show.
            zoek = {r["kenmerk"] for r in gegevens.zoek(omgeving, b, "20", nu, limiet=1000)}
            with omgeving.db.lees() as session:
                paginas = set(session.scalars(select(Voorstel.kenmerk).where(
                    gegevens.zichtbaar_voorstel(b, nu))))
            assert zoek == paginas, naam
            gevonden[naam] = zoek
        return gevonden

    voor = vergelijk(datetime(2021, 6, 24, 17, 0, tzinfo=TZ))
    assert voor["publiek"] == set() and los not in voor["lid AB"]
    assert {eigen, route.kenmerk} <= voor["lid AB"] and voor["secretaris AB"] == voor["lid AB"]
    assert eigen not in voor["lid AOJ"] and route.kenmerk in voor["lid AOJ"]
    assert publiceren.publiceer(omgeving, VERZENDING) == 4
    na = vergelijk(datetime(2021, 6, 25, 9, 30, tzinfo=TZ))
    assert route.kenmerk in na["publiek"] and eigen not in na["publiek"]
    clock.act_as(None)
