"""Definitions live in the database: a folder only changes anything through `init` (version 1) or
`definities toepassen` (a preview first, then one recorded transaction)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import create_engine, select, text

from workflow.basis.paden import meegeleverd
from workflow.omgeving import Omgeving
from workflow.opslag.engine import met_stuurprogramma

Besluitroute = Callable[..., Result]

NU = "2026-11-20T09:00"


def mijn_definities(tmp_path: Path) -> Path:
    """The shipped definitions plus an extra Programmateam meeting on 7 December 2026."""
    mijn = tmp_path / "mijn"
    shutil.copytree(meegeleverd("definities"), mijn)
    path = mijn / "organen" / "programmateam.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "vergaderingen:\n  - {datum: 2026-12-07, opmerking: extra bijeenkomst}\n",
                    encoding="utf-8")
    return mijn


def stand(database_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Everything a command could change, as plain rows."""
    engine = create_engine(met_stuurprogramma(database_url))
    queries = {
        "vergadering": "SELECT id, sleutel, begin, geannuleerd, volgnummer FROM vergadering "
                       "ORDER BY id",
        "agendapunt": "SELECT id, vergadering_id, status FROM agendapunt ORDER BY id",
        "gebeurtenis": "SELECT id, handeling, tekst FROM gebeurtenis ORDER BY id",
        "voorstel": "SELECT kenmerk, toestand, vergadering_id FROM voorstel ORDER BY id",
        "definitieversie": "SELECT nummer, hash FROM definitieversie ORDER BY nummer",
    }
    try:
        with engine.connect() as conn:
            return {k: [tuple(r) for r in conn.execute(text(q))] for k, q in queries.items()}
    finally:
        engine.dispose()


def opgezet_met_mijn(besluitroute: Besluitroute, tmp_path: Path) -> Path:
    mijn = mijn_definities(tmp_path)
    result = besluitroute("--definities", str(mijn), "init", "--door", "kwartiermaker", nu=NU)
    assert result.exit_code == 0, result.output
    assert "definities toegepast als versie 1" in result.output
    result = besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                          "grjr-procesvoorstel", "--opsteller", "Opsteller",
                          "--beslispunt", "Instemmen met de regiovisie", nu=NU)
    assert result.exit_code == 0, result.output
    result = besluitroute("voorstel", "plan", "2026-001", "--vastleggen", nu=NU)
    assert result.exit_code == 0, result.output
    assert "7 december 2026" in result.output
    return mijn


def test_a_secretariat_with_its_own_definitions_is_never_changed_by_a_plain_command(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str) -> None:
    mijn = opgezet_met_mijn(besluitroute, tmp_path)
    voor = stand(database_url)

    # Every read and cron command, without the folder (as a cron line without config runs them).
    for args in (["voorstel", "lijst"], ["voorstel", "toon", "2026-001"],
                 ["voorstel", "plan", "2026-001"], ["vergadering", "lijst"],
                 ["orgaan", "lijst"], ["route", "lijst"], ["plan", "--route",
                 "grjr-procesvoorstel", "--vanaf", "2026-11-20"],
                 ["kalender", "export"], ["verplichtingen"],
                 ["agenda", "genereer", "--map", str(tmp_path / "agendas"), "--maak-map"],
                 ["herinneringen", "verstuur"], ["berichten", "lijst"]):
        result = besluitroute(*args, nu=NU)
        assert result.exit_code == 0, (args, result.output)
    lijst = besluitroute("vergadering", "lijst", "--orgaan", "programmateam", "--van",
                         "2026-12-01", "--tot", "2026-12-31", "--json", nu=NU)
    december = json.loads(lijst.output)
    assert [(v["datum"], v["geannuleerd"]) for v in december] == [
        ("2026-12-07", False), ("2026-12-14", False)]
    na = stand(database_url)
    assert na["vergadering"] == voor["vergadering"]
    assert na["agendapunt"] == voor["agendapunt"]
    assert na["voorstel"] == voor["voorstel"]
    assert na["definitieversie"] == voor["definitieversie"]
    assert [g[1] for g in na["gebeurtenis"]] == [g[1] for g in voor["gebeurtenis"]]

    # Applying the shipped definitions back: first the preview, nothing written.
    shipped = str(meegeleverd("definities"))
    droog = besluitroute("definities", "toepassen", shipped, "--droog", nu=NU)
    assert droog.exit_code == 0, droog.output
    assert "orgaan gewijzigd: Programmateam regiovisie (programmateam)" in droog.output
    assert "vergadering geannuleerd: Programmateam regiovisie, 7 december 2026 10:00" \
        in droog.output
    assert "voorstel 2026-001 (Regiovisie):" in droog.output
    assert "naar de volgende vergadering, 14 december 2026" in droog.output
    assert "plan wordt: Programmateam regiovisie 14 dec" in droog.output
    assert "niets toegepast (--droog)" in droog.output
    assert stand(database_url) == na

    # Without --droog it asks; "no", or no answer at all (a script without --ja), leaves
    # everything as it was, with the documented exit code 3.
    nee = besluitroute("definities", "toepassen", shipped, nu=NU, input="n\n")
    assert nee.exit_code == 3
    assert "Toepassen als versie 2?" in nee.output
    assert "niets gedaan: niet bevestigd (gebruik --ja om niet te vragen)" in nee.output
    assert stand(database_url) == na
    geen_antwoord = besluitroute("definities", "toepassen", shipped, nu=NU, input="")
    assert geen_antwoord.exit_code == 3
    assert stand(database_url) == na

    ja = besluitroute("definities", "toepassen", shipped, "--door", "kwartiermaker", nu=NU,
                      input="j\n")
    assert ja.exit_code == 0, ja.output
    assert "definities versie 2 toegepast" in ja.output
    toon = json.loads(besluitroute("voorstel", "toon", "2026-001", "--json", nu=NU).output)
    assert toon["vergadering"]["datum"] == "2026-12-14"
    notes = [g["tekst"] for g in toon["geschiedenis"] if g["handeling"] == "annuleren"]
    assert any("afgelast in definities versie 2" in n for n in notes), notes
    assert any(g["handeling"] == "herplannen" for g in toon["geschiedenis"])
    assert all(g["door"] == "kwartiermaker" for g in toon["geschiedenis"]
               if g["handeling"] in ("annuleren", "herplannen"))
    versies = json.loads(besluitroute("definities", "lijst", "--json").output)
    assert [(v["versie"], v["toegepast_door"]) for v in versies] == [
        (2, "kwartiermaker"), (1, "kwartiermaker")]

    # And now `mijn` is the folder that differs.
    anders = besluitroute("--definities", str(mijn), "voorstel", "lijst", nu=NU)
    assert anders.exit_code == 2
    assert anders.output.strip() == (
        f"fout: de definities in {mijn} wijken af van de toegepaste versie 2; bekijk de "
        f"verschillen met 'besluitroute definities toepassen {mijn} --droog'")


def test_a_folder_that_differs_from_the_applied_version_stops_every_command(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str) -> None:
    assert besluitroute("init").exit_code == 0
    mijn = mijn_definities(tmp_path)
    (tmp_path / "besluitroute.toml").write_text('definities = "mijn"\n', encoding="utf-8")
    voor = stand(database_url)
    for args in (["voorstel", "lijst"], ["herinneringen", "verstuur"], ["vergadering", "lijst"]):
        result = besluitroute(*args)
        assert result.exit_code == 2, result.output
        assert "de definities in" in result.output and "mijn wijken af van de toegepaste " \
            "versie 1" in result.output
    assert besluitroute("--definities", str(mijn), "init").exit_code == 2
    assert stand(database_url) == voor
    # The folder it was set up with is fine.
    same = besluitroute("--definities", str(meegeleverd("definities")), "voorstel", "lijst")
    assert same.exit_code == 0, same.output


def test_removing_a_route_an_open_proposal_follows_is_refused(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str) -> None:
    mijn = mijn_definities(tmp_path)
    assert besluitroute("--definities", str(mijn), "init", nu=NU).exit_code == 0
    besluitroute("voorstel", "indienen", "--titel", "Lobby", "--route", "vng-lobby",
                 "--opsteller", "O", "--beslispunt", "Instemmen", nu=NU)
    (mijn / "routes" / "vng-lobby.yaml").unlink()
    voor = stand(database_url)
    result = besluitroute("definities", "toepassen", str(mijn), "--ja", nu=NU)
    assert result.exit_code == 2
    assert (f"fout: voorstel 2026-001 volgt route 'vng-lobby', die in {mijn} ontbreekt; rond "
            "het eerst af of trek het in") in result.output
    assert stand(database_url) == voor


def test_removing_the_step_an_open_proposal_is_on_is_refused(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str) -> None:
    mijn = opgezet_met_mijn(besluitroute, tmp_path)
    path = mijn / "routes" / "grjr-procesvoorstel.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - {orgaan: programmateam, rol: advies}\n", ""), encoding="utf-8")
    voor = stand(database_url)
    result = besluitroute("definities", "toepassen", str(mijn), "--ja", nu=NU)
    assert result.exit_code == 2
    assert (f"fout: voorstel 2026-001 staat op stap 'programmateam' van route "
            f"'grjr-procesvoorstel', die in {mijn} ontbreekt") in result.output
    assert stand(database_url) == voor


def test_cancelling_a_meeting_with_a_recorded_outcome_is_refused(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str) -> None:
    mijn = opgezet_met_mijn(besluitroute, tmp_path)
    result = besluitroute("voorstel", "advies", "2026-001", "--uitkomst", "positief", "--tekst", "Akkoord",
                          nu="2026-12-07T12:00")
    assert result.exit_code == 0, result.output
    path = mijn / "organen" / "programmateam.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - {datum: 2026-12-07, opmerking: extra bijeenkomst}\n", ""), encoding="utf-8")
    voor = stand(database_url)
    result = besluitroute("definities", "toepassen", str(mijn), "--ja", nu="2026-12-07T12:00")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("fout:")]
    assert len(errors) == 1
    assert "van Programmateam regiovisie op 7 december 2026 10:00 zou vervallen, maar voorstel " \
           "2026-001 heeft daar al een uitkomst (positief)" in errors[0]
    assert stand(database_url) == voor


def test_a_version_is_shown_and_written_back_out_as_a_folder(
        besluitroute: Besluitroute, tmp_path: Path) -> None:
    mijn = mijn_definities(tmp_path)
    assert besluitroute("--definities", str(mijn), "init").exit_code == 0
    toon = besluitroute("definities", "toon")
    assert "definities versie 1 (toegepast)" in toon.output
    assert "programmateam" in toon.output
    uit = tmp_path / "terug"
    result = besluitroute("definities", "toon", "1", "--yaml", str(uit))
    assert result.exit_code == 0, result.output
    for path in (mijn / "organen").glob("*.yaml"):
        assert (uit / "organen" / path.name).read_text(encoding="utf-8") == \
            path.read_text(encoding="utf-8")
    assert (uit / "schema" / "orgaan.schema.json").is_file()
    # The written folder is the applied version: naming it is fine.
    assert besluitroute("--definities", str(uit), "voorstel", "lijst").exit_code == 0
    assert besluitroute("definities", "toon", "7").exit_code == 2
    again = besluitroute("definities", "toon", "1", "--yaml", str(uit))
    assert again.exit_code == 2 and "bestaat al" in again.output


def test_an_extra_meeting_is_added_without_yaml_and_planned_like_any_other(
        besluitroute: Besluitroute, database_url: str) -> None:
    assert besluitroute("init", nu=NU).exit_code == 0
    result = besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam", "--op",
                          "2026-12-07", "10:00", "--titel", "Extra overleg regiovisie", nu=NU)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("vergadering toegevoegd: Programmateam regiovisie, "
                                    "7 december 2026 10:00")
    lijst = json.loads(besluitroute("vergadering", "lijst", "--orgaan", "programmateam", "--van",
                                    "2026-12-01", "--tot", "2026-12-31", "--json").output)
    assert [v["datum"] for v in lijst] == ["2026-12-07", "2026-12-14"]
    ics = besluitroute("kalender", "export", "--orgaan", "programmateam", nu=NU).output
    assert "Extra overleg regiovisie" in ics
    besluitroute("voorstel", "indienen", "--titel", "Regiovisie", "--route",
                 "grjr-procesvoorstel", "--opsteller", "O", "--beslispunt", "Instemmen", nu=NU)
    plan = besluitroute("voorstel", "plan", "2026-001", nu=NU)
    assert "7 december 2026" in plan.output
    # Not twice on one moment, not in the past.
    dubbel = besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam", "--op",
                          "2026-12-07", "10:00", nu=NU)
    assert dubbel.exit_code == 2 and "vergadert al op" in dubbel.output
    verleden = besluitroute("vergadering", "toevoegen", "--orgaan", "programmateam", "--op",
                            "2026-01-05", "10:00", nu=NU)
    assert verleden.exit_code == 2 and "in het verleden" in verleden.output
    # Applying definitions later leaves a meeting the secretariat added alone.
    with create_engine(met_stuurprogramma(database_url)).connect() as conn:
        handmatig = conn.execute(text(
            "SELECT handmatig, geannuleerd FROM vergadering WHERE sleutel LIKE '%extra%'")).all()
    assert [tuple(r) for r in handmatig] == [(True, False)]


def test_an_upgraded_database_adopts_the_folder_it_was_used_with_as_version_1(
        database_url: str, tmp_path: Path, besluitroute: Besluitroute) -> None:
    from alembic import command
    from alembic.config import Config

    from workflow.opslag.db import MIGRATIES, Database

    mijn = mijn_definities(tmp_path)
    shutil.copy(mijn / "routes" / "vng-lobby.yaml", mijn / "routes" / "vng-kort.yaml")
    kort = mijn / "routes" / "vng-kort.yaml"
    kort.write_text(kort.read_text(encoding="utf-8").replace("naam: vng-lobby",
                                                             "naam: vng-kort"), encoding="utf-8")
    # A database as today's `init` (schema 0006) left it, with a proposal on a route of `mijn`.
    db = Database(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIES))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006_vergadering_begin")
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO voorstel (kenmerk, titel, aan, van, opsteller, in_opdracht_van, route, "
            "toestand, documentstatus, versie, ingediend_op, gewijzigd_op, wijzigingsnummer) "
            "VALUES ('2026-001', 'Oud', '', '', 'O', '', 'vng-kort', 'ingediend', 'Concept', "
            "'1', '2026-11-01 09:00:00', '2026-11-01 09:00:00', 1)"))
    db.dispose()

    # Any command first says what to do.
    result = besluitroute("voorstel", "lijst")
    assert result.exit_code == 2
    assert "voer eenmalig 'besluitroute --definities MAP init' uit" in result.output
    # The shipped definitions lack the route in use: refused, nothing adopted.
    result = besluitroute("init")
    assert result.exit_code == 2
    assert "volgen route 'vng-kort', die niet in" in result.output
    # The folder it was used with becomes version 1.
    result = besluitroute("--definities", str(mijn), "init", "--door", "beheerder")
    assert result.exit_code == 0, result.output
    assert "definities toegepast als versie 1" in result.output
    lijst = besluitroute("voorstel", "lijst")
    assert lijst.exit_code == 0 and "2026-001" in lijst.output
    versies = json.loads(besluitroute("definities", "lijst", "--json").output)
    assert [(v["versie"], v["toegepast_door"]) for v in versies] == [(1, "beheerder")]


def test_config_paths_are_relative_to_the_config_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from workflow.cli import cli

    project = tmp_path / "project"
    project.mkdir()
    (project / "besluitroute.toml").write_text('database = "sqlite:///grjr.db"\n',
                                               encoding="utf-8")
    elders = tmp_path / "elders"
    elders.mkdir()
    monkeypatch.chdir(elders)
    monkeypatch.delenv("BESLUITROUTE_DATABASE_URL", raising=False)
    config = str(project / "besluitroute.toml")
    runner = CliRunner()
    missing = runner.invoke(cli, ["--config", config, "voorstel", "lijst"])
    assert missing.exit_code == 2
    assert "de database is nog niet aangemaakt" in missing.output
    assert list(elders.iterdir()) == [] and not (project / "grjr.db").exists()
    assert runner.invoke(cli, ["--config", config, "init"]).exit_code == 0
    assert (project / "grjr.db").is_file() and list(elders.iterdir()) == []
    assert runner.invoke(cli, ["--config", config, "voorstel", "lijst"]).exit_code == 0


def test_a_missing_or_empty_database_url_creates_no_file(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from workflow.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BESLUITROUTE_DATABASE_URL", raising=False)
    runner = CliRunner()
    leeg = runner.invoke(cli, ["--database", "", "voorstel", "lijst"])
    assert leeg.exit_code == 2
    assert leeg.output.startswith("fout: --database: geef een database-URL")
    for args in (["voorstel", "lijst"], ["herinneringen", "verstuur"], ["definities", "lijst"]):
        result = runner.invoke(cli, ["--database", "sqlite:///nergens.db", *args])
        assert result.exit_code == 2, result.output
        assert "de database is nog niet aangemaakt" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_definitions_schema_covers_the_reader_and_every_shipped_file(
        besluitroute: Besluitroute) -> None:
    import ast

    import jsonschema
    import yaml

    from workflow.definities import (
        deelnemers,
        lezen,
        orgaanlezer,
        organisatie,
        publicatie,
        routelezer,
        takkenlezer,
        termijnen,
    )
    from workflow.definities import model as definitiemodel

    result = besluitroute("definities", "schema")
    assert result.exit_code == 0
    combined = json.loads(result.output)
    schemas = {soort: json.loads(besluitroute("definities", "schema", soort).output)
               for soort in ("orgaan", "route")}
    assert combined["$defs"]["orgaan"]["properties"] == schemas["orgaan"]["properties"]
    folder = meegeleverd("definities")
    for soort, sub in (("orgaan", "organen"), ("route", "routes")):
        validator = jsonschema.Draft202012Validator(schemas[soort])
        for path in sorted((folder / sub).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schema/{soort}.schema.json"
            # YAML 1.2 as editors read it: dates and times stay text.
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            data = _typed(data)
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], (path, errors)

    # Every key the reader accepts appears in the schema, and no other.
    def keys_of(schema: object) -> set[str]:
        found: set[str] = set()
        if isinstance(schema, dict):
            found |= set(schema.get("properties", {}))
            for value in schema.values():
                found |= keys_of(value)
        elif isinstance(schema, list):
            for value in schema:
                found |= keys_of(value)
        return found

    # The reader is the modules of workflow.definities that turn YAML mappings into dataclasses.
    sources = [ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
               for module in (lezen, orgaanlezer, routelezer, publicatie, organisatie,
                                  deelnemers, takkenlezer, termijnen)]
    reader: set[str] = set(definitiemodel.Herinneringsregels.__dataclass_fields__)
    for node in (n for source in sources for n in ast.walk(source)):
        if isinstance(node, ast.Set) and all(isinstance(e, ast.Constant) for e in node.elts):
            reader |= {e.value for e in node.elts if isinstance(e, ast.Constant)}
    assert keys_of(schemas["orgaan"]) | keys_of(schemas["route"]) == reader


def _typed(value: object) -> object:
    """BaseLoader keeps every scalar as text; turn the plain numbers and booleans back."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def test_init_on_a_set_up_database_keeps_its_version(besluitroute: Besluitroute,
                                                     database_url: str) -> None:
    assert besluitroute("init").exit_code == 0
    again = besluitroute("init")
    assert again.exit_code == 0
    assert "definities in gebruik: versie 1" in again.output
    with create_engine(met_stuurprogramma(database_url)).connect() as conn:
        assert conn.execute(select(text("count(*)")).select_from(
            text("definitieversie"))).scalar() == 1


def test_the_cron_and_systemd_examples_need_only_the_database_url(
        besluitroute: Besluitroute, tmp_path: Path, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    from click.testing import CliRunner

    from workflow.cli import cli

    opgezet_met_mijn(besluitroute, tmp_path)
    scripts = Path(__file__).resolve().parent.parent / "scripts"
    cron = (scripts / "crontab.voorbeeld").read_text(encoding="utf-8").splitlines()
    service = (scripts / "besluitroute-agenda.service").read_text(encoding="utf-8").splitlines()
    env_lines = [line for line in cron if "=" in line and not line.startswith("#")] + \
        [line.removeprefix("Environment=") for line in service
         if line.startswith("Environment=")]
    assert all(not line.startswith(("BESLUITROUTE_CONFIG", "BESLUITROUTE_DEFINITIES"))
               for line in env_lines), env_lines
    assert any(line.startswith("BESLUITROUTE_DATABASE_URL=") for line in env_lines)
    commands = [line.split("besluitroute ", 1)[1] for line in cron
                if line and not line.startswith(("#", " ")) and "/bin/besluitroute " in line]
    commands += [line.split("/bin/besluitroute ", 1)[1] for line in service
                 if line.startswith("ExecStart=")]
    assert len(commands) == 2
    elders = tmp_path / "elders"
    elders.mkdir()
    monkeypatch.chdir(elders)
    monkeypatch.setenv("BESLUITROUTE_DATABASE_URL", database_url)
    for name in ("BESLUITROUTE_CONFIG", "BESLUITROUTE_DEFINITIES", "BESLUITROUTE_NU"):
        monkeypatch.delenv(name, raising=False)
    voor = stand(database_url)
    for command in commands:
        args = [str(tmp_path / "agendas") if a.startswith("/srv/") else a
                for a in shlex.split(command)]
        result = CliRunner().invoke(cli, ["--nu", "2026-12-02T09:05", *args],
                                    catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
    assert sorted(p.name for p in (tmp_path / "agendas").iterdir())
    assert stand(database_url)["vergadering"] == voor["vergadering"]
    assert stand(database_url)["agendapunt"] == voor["agendapunt"]


_PLANNER_START = """
import json, sys
from pathlib import Path
from workflow.definities import versies
from workflow.omgeving import Omgeving

env = Omgeving(definities_map=Path(sys.argv[2]), sjablonen_map=None, database_url=sys.argv[1],
               uitgaand_map=Path("uitgaand"))
gebouwd = versies.bouw_apart(env)
organen = sorted(env.definities.organen)
print(json.dumps({"gebouwd": gebouwd, "organen": organen, "versie": env.versie,
                  "yaml": "yaml" in sys.modules,
                  "lezer": "workflow.definities.lezer" in sys.modules}))
"""


def test_a_planner_gets_a_new_version_built_by_a_child_and_never_loads_the_yaml_reader(
        omgeving: Omgeving, tmp_path: Path) -> None:
    """After an upgrade (a new cache key) or a version applied under another user's cache, the
    planner's definitions are built by a short-lived child process; the planner only unpickles
    them, so the YAML reader and what parsing leaves behind never stay in it."""
    import os
    import subprocess
    import sys

    cache = tmp_path / "lege-cache"
    cache.mkdir(mode=0o700)
    environ = {**os.environ, "BESLUITROUTE_CACHE": str(cache)}
    result = subprocess.run([sys.executable, "-c", _PLANNER_START, omgeving.database_url,
                             str(omgeving.definities_map)], capture_output=True, text=True,
                            env=environ, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    gezien = json.loads(result.stdout)
    assert gezien == {"gebouwd": True, "organen": sorted(omgeving.definities.organen),
                      "versie": 1, "yaml": False, "lezer": False}
    assert [p.name.split("-")[0] for p in cache.glob("versie-*.pickle")] == ["versie"]
    # Without a usable cache folder (one open to others is none) nothing is built apart: the
    # process builds what it needs itself, as any command does.
    open_map = tmp_path / "open-cache"
    open_map.mkdir()
    open_map.chmod(0o755)
    environ["BESLUITROUTE_CACHE"] = str(open_map)
    result = subprocess.run([sys.executable, "-c", _PLANNER_START, omgeving.database_url,
                             str(omgeving.definities_map)], capture_output=True, text=True,
                            env=environ, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gebouwd"] is False
    assert json.loads(result.stdout)["organen"] == sorted(omgeving.definities.organen)
