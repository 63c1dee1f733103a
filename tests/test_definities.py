"""The definitions a secretariat edits: every mistake is named with file, line and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workflow.basis.fouten import DefinitieFout
from workflow.basis.paden import meegeleverd
from workflow.definities import lezen
from workflow.definities.model import StapRol, Uitkomst


@pytest.fixture
def kopie(tmp_path: Path) -> Path:
    """A writable copy of the shipped definitions."""
    target = tmp_path / "definities"
    shutil.copytree(meegeleverd("definities"), target)
    return target


def fouten_van(folder: Path) -> list[str]:
    with pytest.raises(DefinitieFout) as info:
        lezen.load(folder)
    return info.value.meldingen


def test_shipped_definitions_hold_every_seed_route() -> None:
    d = lezen.load(meegeleverd("definities"))
    grjr = d.route("grjr-procesvoorstel")
    assert [s.orgaan for s in grjr.stappen] == [
        "programmateam", "stuurgroep-transformatie", "aoj", "ab-platform-jeugd"]
    assert grjr.besluitstap.orgaan == "ab-platform-jeugd"
    variant = d.route("grjr-procesvoorstel-met-voorbespreking")
    assert variant.stappen[0].orgaan == "aoj-directeurenoverleg"
    assert variant.stappen[0].rol is StapRol.CONSULTATIE
    assert [s.orgaan for s in d.route("gemeente-raadsvoorstel").stappen] == [
        "college", "commissie-saza", "gemeenteraad"]
    assert [s.orgaan for s in d.route("hervormingsagenda").stappen] == [
        "projectgroep-hervormingsagenda", "stuurgroep-hervormingsagenda", "bestuurlijk-overleg"]
    assert [s.orgaan for s in d.route("vng-lobby").stappen] == ["sao", "commissie-zjo",
                                                                 "vng-bestuur"]
    # Default outcomes follow the role.
    assert Uitkomst.VASTGESTELD in grjr.besluitstap.uitkomsten
    assert Uitkomst.POSITIEF in grjr.stappen[0].uitkomsten


def test_shipped_members_use_reserved_example_domains_only() -> None:
    d = lezen.load(meegeleverd("definities"))
    addresses = [lid.email for o in d.organen.values() for lid in o.leden]
    addresses += [o.secretaris.email for o in d.organen.values()]
    assert addresses
    assert all(a.endswith(".example") for a in addresses), addresses


def test_the_2021_dates_of_the_seeds_are_in_the_calendars() -> None:
    from workflow.definities import ritme

    d = lezen.load(meegeleverd("definities"))
    expected = {
        "ab-platform-jeugd": ["2021-04-16", "2021-07-02"],
        "stuurgroep-transformatie": ["2021-04-21", "2021-06-23"],
        "aoj-directeurenoverleg": ["2021-05-20"],
        "programmateam": ["2021-06-14"],
        "aoj": ["2021-06-24"],
    }
    for orgaan, dates in expected.items():
        days = {m.begin.date().isoformat() for m in ritme.vergaderingen(d.orgaan(orgaan))}
        assert set(dates) <= days, orgaan
    for orgaan in d.organen.values():  # every body has a plausible 2026-2027 calendar
        years = {m.begin.year for m in ritme.vergaderingen(orgaan)}
        assert {2026, 2027} <= years, orgaan.sleutel


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_body_in_a_route_names_file_and_line(kopie: Path) -> None:
    route = kopie / "routes" / "grjr-procesvoorstel.yaml"
    replace(route, "{orgaan: aoj, rol: advies}", "{orgaan: aoj-plus, rol: advies}")
    [melding] = fouten_van(kopie)
    assert melding.startswith(f"{route}:{line_of(route, 'aoj-plus')}: onbekend orgaan 'aoj-plus'")


def test_duplicate_yaml_key_is_an_error(kopie: Path) -> None:
    path = kopie / "organen" / "aoj.yaml"
    replace(path, "verzenden_dagen: 5\n", "verzenden_dagen: 5\nverzenden_dagen: 6\n")
    [melding] = fouten_van(kopie)
    assert f"aoj.yaml:{line_of(path, 'verzenden_dagen: 6')}: dubbele sleutel 'verzenden_dagen'" \
        in melding


def test_duplicate_body_key_across_files_is_an_error(kopie: Path) -> None:
    shutil.copy(kopie / "organen" / "aoj.yaml", kopie / "organen" / "zz-aoj-kopie.yaml")
    [melding] = fouten_van(kopie)
    assert "zz-aoj-kopie.yaml:" in melding and "dubbel orgaan 'aoj'" in melding


def test_route_without_steps_is_an_error(kopie: Path) -> None:
    (kopie / "routes" / "leeg.yaml").write_text("naam: leeg\nstappen: []\n", encoding="utf-8")
    [melding] = fouten_van(kopie)
    assert "leeg.yaml:2: de route heeft geen stappen" in melding


def test_route_without_deciding_step_is_an_error(kopie: Path) -> None:
    (kopie / "routes" / "advies.yaml").write_text(
        "naam: alleen-advies\nstappen:\n  - {orgaan: aoj, rol: advies}\n", encoding="utf-8")
    [melding] = fouten_van(kopie)
    assert "advies.yaml:2: de route heeft geen beslissende stap" in melding


def test_invalid_email_address_is_checked_offline(kopie: Path) -> None:
    path = kopie / "organen" / "aoj.yaml"
    replace(path, "jeugd@capelle.example", "jeugd.capelle.example")
    [melding] = fouten_van(kopie)
    assert f"aoj.yaml:{line_of(path, 'jeugd.capelle.example')}: 'email': ongeldig e-mailadres " \
           "'jeugd.capelle.example'" in melding


def test_unknown_role_and_outcome_are_errors(kopie: Path) -> None:
    route = kopie / "routes" / "vng-lobby.yaml"
    replace(route, "{orgaan: sao, rol: consultatie}",
            "{orgaan: sao, rol: meedenken}")
    replace(route, "{orgaan: commissie-zjo, rol: advies}",
            "{orgaan: commissie-zjo, rol: advies, uitkomsten: [positief, misschien]}")
    meldingen = fouten_van(kopie)
    assert any("onbekende rol 'meedenken'" in m and f"vng-lobby.yaml:{line_of(route, 'meedenken')}"
               in m for m in meldingen), meldingen
    assert any("onbekende uitkomst 'misschien'" in m for m in meldingen), meldingen


def test_bad_date_and_bad_time_are_errors(kopie: Path) -> None:
    path = kopie / "organen" / "ab-platform-jeugd.yaml"
    replace(path, "{datum: 2021-07-02}", "{datum: 2021-07-32, tijd: \"25:00\"}")
    meldingen = fouten_van(kopie)
    line = line_of(path, "2021-07-32")
    assert meldingen == [
        f"{path}:{line}: 'datum': ongeldige datum '2021-07-32' (verwacht JJJJ-MM-DD)",
        f"{path}:{line}: 'tijd': ongeldige tijd '25:00' (verwacht UU:MM)",
    ]


def test_a_body_is_named_with_its_own_article(kopie: Path) -> None:
    """`lidwoord: het` gives "het AB"; without it a body is "de"; anything else is an error on
    its line."""
    d = lezen.load(kopie)
    assert d.orgaan("ab-platform-jeugd").genoemd("AB") == "het AB"
    assert d.orgaan("stuurgroep-transformatie").genoemd() == "de Stuurgroep transformatie"
    path = kopie / "organen" / "stuurgroep-transformatie.yaml"
    replace(path, "lidwoord: de\n", "")
    assert lezen.load(kopie, cache=False).orgaan("stuurgroep-transformatie").lidwoord == "de"
    path = kopie / "organen" / "aoj.yaml"
    replace(path, "lidwoord: het", "lidwoord: een")
    [melding] = fouten_van(kopie)
    assert melding == (f"{path}:{line_of(path, 'lidwoord: een')}: 'lidwoord': ongeldig lidwoord "
                       "'een' (kies 'de' of 'het')")


def test_broken_yaml_names_the_line(kopie: Path) -> None:
    path = kopie / "organen" / "sao.yaml"
    path.write_text("sleutel: sao\nnaam: [niet gesloten\nafkorting: SAO\n", encoding="utf-8")
    [melding] = fouten_van(kopie)  # no derived error for the routes that name 'sao'
    assert melding.startswith(f"{path}:3: ongeldige YAML")


def test_every_error_is_collected_in_one_pass(kopie: Path) -> None:
    replace(kopie / "organen" / "aoj.yaml", "jeugd@capelle.example", "geen-adres")
    replace(kopie / "routes" / "vng-lobby.yaml", "rol: besluit", "rol: advies")
    meldingen = fouten_van(kopie)
    assert len(meldingen) == 2, meldingen


def test_meeting_time_like_14_00_is_not_read_as_a_number(kopie: Path) -> None:
    # YAML 1.1 would read an unquoted 14:00 as the integer 840.
    replace(kopie / "organen" / "aoj.yaml", 'standaard_tijd: "13:00"', "standaard_tijd: 14:00")
    d = lezen.load(kopie)
    assert d.orgaan("aoj").standaard_tijd.hour == 14


def test_controleer_command_prints_one_line_per_error_and_exits_2(kopie: Path) -> None:
    import subprocess
    import sys

    replace(kopie / "routes" / "grjr-procesvoorstel.yaml", "{orgaan: aoj, rol: advies}",
            "{orgaan: onbekend, rol: advies}")
    result = subprocess.run(
        [sys.executable, "-m", "workflow", "definities", "controleer", str(kopie)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: ") and "onbekend orgaan" in lines[0]
    assert "Traceback" not in result.stderr


def test_the_cache_key_names_the_module_the_pickled_classes_live_in() -> None:
    """The cache names the model's module as text (the listing must not import it to find its
    files); moving the classes must change the key, so the text must stay true."""
    from workflow.definities import cache
    from workflow.definities.model import Definities

    assert Definities.__module__ == cache.MODEL


# ---------------------------------------------------------------------------------------------
# Issue 28: what `definities controleer` warns about without refusing.

def _controleer(folder: Path) -> tuple[int, list[str]]:
    from click.testing import CliRunner

    from workflow.cli import cli

    result = CliRunner().invoke(cli, ["definities", "controleer", str(folder)],
                                catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()


def test_controleer_names_a_file_it_will_not_read(kopie: Path) -> None:
    (kopie / "organen" / "jeugdraad.txt").write_text("sleutel: jeugdraad\n", encoding="utf-8")
    (kopie / "routes" / "oud.yaml.bak").write_text("naam: oud\n", encoding="utf-8")
    code, waarschuwingen = _controleer(kopie)
    assert code == 0
    assert "waarschuwing: organen/jeugdraad.txt: bestand wordt niet gelezen (alleen " \
           "*.yaml-bestanden in organen/)" in waarschuwingen
    assert any(w.startswith("waarschuwing: routes/oud.yaml.bak:") for w in waarschuwingen)


def test_controleer_warns_about_one_address_for_two_people_naming_both_places(
        kopie: Path) -> None:
    pad = kopie / "organen" / "programmateam.yaml"
    tekst = pad.read_text(encoding="utf-8")
    assert "Beleidsadviseur jeugd Lansingerland" in tekst
    pad.write_text(tekst.replace("Beleidsadviseur jeugd Lansingerland", "Iemand Anders"),
                   encoding="utf-8")
    code, waarschuwingen = _controleer(kopie)
    assert code == 0
    assert ("waarschuwing: e-mailadres 'jeugd@lansingerland.example' staat bij orgaan aoj (lid "
            "Beleidsadviseur jeugd Lansingerland) en bij orgaan programmateam (lid Iemand "
            "Anders): twee namen voor één adres") in waarschuwingen


def test_the_shipped_definitions_give_no_warning() -> None:
    """The same member in several bodies (nine times in the shipped files) is no warning."""
    code, waarschuwingen = _controleer(meegeleverd("definities"))
    assert code == 0 and waarschuwingen == []
