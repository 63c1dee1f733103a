"""A standing attack suite: hypothesis mutates the shipped definitions and the CLI's arguments.

Every run must end in success or in the user error exit code 2 (one Dutch line); a traceback, an
exit code other than 0 and 2, or a run over its time limit fails. Bounded and deterministic
(derandomize): the same examples in every CI run. The example counts are printed in the summary.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nederlands import controleer_nederlands

from workflow.basis.fouten import DefinitieFout
from workflow.basis.paden import meegeleverd
from workflow.cli import cli
from workflow.definities import lezen, ritme
from workflow.kalender import werkdagen

VOORBEELDEN = 200
PER_RUN_SECONDEN = 20

FUZZ = settings(max_examples=VOORBEELDEN, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


class TeLang(Exception):
    """One run went over PER_RUN_SECONDEN: a hang."""


@contextmanager
def tijdslimiet(seconden: int) -> Iterator[None]:
    def op_tijd(_signum: int, _frame: Any) -> None:
        raise TeLang(f"langer dan {seconden} s")

    oud = signal.signal(signal.SIGALRM, op_tijd)
    signal.alarm(seconden)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, oud)


# ---------------------------------------------------------------------------------------------
# The definitions reader.

BRON = meegeleverd("definities")
BESTANDEN = sorted(p.relative_to(BRON) for p in BRON.glob("*/*.yaml"))

# Text that tends to break YAML or our validation: structure, aliases, huge and odd values.
BROKJES = [
    "[", "]", "{", "}", ":", "- ", "&a ", "*a", "!!python/object ", "\t", "\n", "  ", "'", '"',
    "#", "---\n", "...", "99999999999999999999", "-1", "0", "1e309", "9999-12-31", "0001-01-01",
    "2021-02-30", "25:61", "FREQ=SECONDLY", "FREQ=YEARLY;INTERVAL=9999", "COUNT=999999",
    "UNTIL=99991231", "\r\n", "\x00", "\x1b[31m", "é", "null", "~", "true", "<<: *a", "?",
    "|", ">", "%YAML 1.1\n", "@", "a@b", "[" * 60, "{a: " * 60,
]


# Keys whose values become dates or date arithmetic, and values at and beyond every bound.
SLEUTELS = ["aanleveren_werkdagen", "verzenden_dagen", "duur_minuten", "datum", "vanaf", "tot",
            "van", "naar", "minimaal_per_jaar", "min_dagen_na_vorige", "regel", "tijd",
            "standaard_tijd", "opsteller_werkdagen_voor_aanlevering", "naam", "email"]
UITERSTEN = ["99999999999999999999", "999999999999", "99999999999999", "120", "121", "180",
             "181", "1440", "1441", "366", "367", "0", "-1", "9999-12-31", "2199-12-31",
             "2200-01-01", "1900-01-01", "1899-12-31", "0001-01-01", '"FREQ=DAILY;COUNT=1000000"',
             '"FREQ=YEARLY;UNTIL=99991231"', '"FREQ=DAILY;INTERVAL=99999999"', '"24:00"',
             '"AOJ\\r\\nBcc: x"', "[]", "{}", "null", "1e309"]


@st.composite
def gemuteerd(draw: Callable[..., Any]) -> tuple[Path, str]:
    rel = draw(st.sampled_from(BESTANDEN))
    tekst = (BRON / rel).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        soort = draw(st.sampled_from(["invoegen", "vervangen", "wissen", "getal", "waarde",
                                      "sleutel"]))
        if soort in ("waarde", "sleutel"):
            import re

            sleutel = draw(st.sampled_from(SLEUTELS))
            waarde = draw(st.sampled_from(UITERSTEN))
            plekken = list(re.finditer(rf"\b{sleutel}: ([^,}}\n]+)", tekst))
            if soort == "waarde" and plekken:
                m = draw(st.sampled_from(plekken))
                tekst = tekst[:m.start(1)] + waarde + tekst[m.end(1):]
            elif not plekken and str(rel).startswith("organen"):
                tekst += f"\n{sleutel}: {waarde}\n"
            continue
        positie = draw(st.integers(0, len(tekst)))
        if soort == "wissen":
            tekst = tekst[:positie] + tekst[positie + draw(st.integers(1, 40)):]
            continue
        stuk = draw(st.one_of(st.sampled_from(BROKJES), st.text(max_size=12)))
        if soort == "getal":
            import re

            getallen = list(re.finditer(r"\d+", tekst))
            if getallen:
                m = draw(st.sampled_from(getallen))
                tekst = tekst[:m.start()] + draw(st.sampled_from(
                    ["99999999999999999999", "0", "-5", "9999", "100000"])) + tekst[m.end():]
            continue
        einde = positie + (draw(st.integers(0, 20)) if soort == "vervangen" else 0)
        tekst = tekst[:positie] + stuk + tekst[einde:]
    return rel, tekst


@pytest.fixture(scope="module")
def werkmap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-definities")


def test_fuzz_the_definitions_reader(werkmap: Path, fuzz_telling: dict[str, int]) -> None:
    """Whatever the file says: valid definitions or DefinitieFout, never anything else; and what
    is accepted computes its calendar (deadlines, dispatch moments) without crashing."""

    @FUZZ
    @given(gemuteerd())
    def probeer(geval: tuple[Path, str]) -> None:
        rel, tekst = geval
        folder = werkmap / "defs"
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(BRON, folder)
        (folder / rel).write_text(tekst, encoding="utf-8", errors="surrogatepass")
        fuzz_telling["definities"] = fuzz_telling.get("definities", 0) + 1
        with tijdslimiet(PER_RUN_SECONDEN):
            try:
                geladen = lezen.load(folder, cache=False)
            except DefinitieFout as exc:
                for melding in exc.meldingen:
                    assert melding.strip() and "Traceback" not in melding
                    assert "\n" not in melding
                    controleer_nederlands(melding)
                    fuzz_telling["nederlands"] = fuzz_telling.get("nederlands", 0) + 1
                return
            for orgaan in geladen.organen.values():
                for v in ritme.vergaderingen(orgaan)[:50]:
                    werkdagen.aanleverdatum(orgaan, v.begin)
                    werkdagen.verzendmoment(orgaan, v.begin)
                    werkdagen.einde(orgaan, v.begin)

    probeer()


# ---------------------------------------------------------------------------------------------
# The command line.

WAARDEN = st.one_of(
    st.sampled_from(["1", "0", "-1", "99999999999999999999", "2147483648", "1e309", "nan",
                     "inf", "2026-06-30", "2026-06-30T14:00", "0001-01-01", "9999-12-31T23:59",
                     "2026-02-30", "2027-02-24 14:00", "14:00", "9:5", "x" * 300, "", " ", "aoj",
                     "grjr-procesvoorstel", "2026-001",
                     "7d", "99999999d", "html", "tekst", "\x1b[2J", "a\nb", "é" * 50, "--help",
                     "a\r\nBcc: evil@x.example", "2026-06-30\r\n", "\u2028", "x" * 5000]),
    st.text(max_size=30),
    st.integers(-(2**70), 2**70).map(str),
)

COMMANDO = {
    ("voorstel", "indienen"): ["--titel", "--route", "--opsteller", "--in-opdracht-van",
                               "--beslispunt", "--versie", "--status", "--onderwerp", "--door",
                               "--opsteller-email"],
    ("voorstel", "agenderen", "2026-001"): ["--vergadering", "--door"],
    ("voorstel", "advies", "2026-001"): ["--uitkomst", "--tekst", "--door"],
    ("voorstel", "zienswijze", "2026-001"): ["--raad", "--uitkomst", "--tekst", "--door"],
    ("voorstel", "toezenden", "2026-001"): ["--aan", "--door"],
    ("voorstel", "lijst"): ["--status", "--orgaan"],
    ("voorstel", "toon"): [],
    ("voorstel", "plan"): ["--besluit-op"],
    ("vergadering", "lijst"): ["--orgaan", "--van", "--tot"],
    ("vergadering", "verplaats"): ["--naar", "--door"],
    ("vergadering", "annuleer"): ["--door"],
    ("vergadering", "aanwezig"): ["--lid", "--afwezig", "--reden", "--vervanger", "--herhaalt",
                                  "--door"],
    ("voorstel", "stemming", "2026-001"): ["--beslispunt", "--voor", "--tegen", "--onthouden",
                                           "--door"],
    ("vergadering", "toevoegen"): ["--orgaan", "--op", "--plaats", "--titel"],
    ("week",): ["--orgaan"],
    ("plan",): ["--route", "--vanaf", "--besluit-op"],
    ("kalender", "export"): ["--orgaan", "--lid", "--opsteller"],
    ("verplichtingen",): ["--jaar"],
    ("agenda", "maak"): ["--formaat"],
    ("besluitenlijst",): ["--formaat"],
    ("agenda", "genereer"): ["--binnen"],
    ("berichten", "lijst"): ["--status"],
    ("berichten", "opnieuw"): [],
    ("herinneringen", "verstuur"): ["--inhaaltermijn"],
    ("route", "toon"): [],
    ("orgaan", "lijst"): [],
}


@st.composite
def argumenten(draw: Callable[..., Any]) -> list[str]:
    pad = draw(st.sampled_from(sorted(COMMANDO)))
    args = list(pad)
    opties = COMMANDO[pad]
    if pad[-1] in ("toon", "plan", "verplaats", "annuleer", "maak", "opnieuw", "aanwezig") or \
            pad == ("besluitenlijst",):
        args.append(draw(WAARDEN))
    for optie in draw(st.lists(st.sampled_from(opties), max_size=4)) if opties else []:
        args += [optie, draw(WAARDEN)]
    if draw(st.booleans()):
        args = ["--nu", draw(WAARDEN), *args]
    return args


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-cli")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    result = CliRunner().invoke(cli, ["--database", url, "init"], catch_exceptions=False)
    assert result.exit_code == 0
    result = CliRunner().invoke(cli, ["--database", url, "voorstel", "indienen", "--titel", "T",
                                      "--route", "grjr-procesvoorstel", "--opsteller", "A",
                                          "--beslispunt", "Instemmen"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    return folder


def test_fuzz_the_command_line(fuzz_db: Path, fuzz_telling: dict[str, int],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Any arguments to any command: exit code 0 or 2, never a traceback or a hang."""
    monkeypatch.chdir(fuzz_db)
    monkeypatch.delenv("BESLUITROUTE_NU", raising=False)
    url = f"sqlite:///{fuzz_db / 'fuzz.db'}"

    @FUZZ
    @given(argumenten())
    def probeer(args: list[str]) -> None:
        fuzz_telling["cli"] = fuzz_telling.get("cli", 0) + 1
        with tijdslimiet(PER_RUN_SECONDEN):
            result = CliRunner().invoke(cli, ["--database", url, *args],
                                        prog_name="besluitroute")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args}: {result.exception!r}") from result.exception
        assert result.exit_code in (0, 2), (args, result.output)
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("fout: "), (args, result.stderr)
            assert "Traceback" not in result.output
            controleer_nederlands(lines[0])
            fuzz_telling["nederlands"] = fuzz_telling.get("nederlands", 0) + 1

    probeer()
