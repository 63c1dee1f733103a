"""Issue 28: a user's template is bounded before the cost, not after.

Each payload below once took 1-3.5 GB and 1.5-100 s before (or instead of) the Dutch message.
Each now runs `besluitroute --sjablonen DIR agenda maak` as a real child process, and must end
with exit code 2 and one Dutch line, in under 2 s of CPU time and under 200 MB peak memory
(the child's VmHWM, written by the child as it exits: ru_maxrss from wait4 would include the
pages the child shared with pytest before its exec). Wall-clock time is only checked loosely (a hang guard):
on a shared two-core machine a child's wall time says more about the neighbours than about us.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from nederlands import controleer_nederlands

import workflow
from workflow.cli import cli

PAYLOADS = {
    "center": "{{ 'x'|center(10**9) }}",
    "ljust": "{{ 'x'.ljust(10**9) }}",
    "replace": "{{ ('a'*10000)|replace('a','a'*100000) }}",
    "format-ster": "{{ '%*d'|format(10**9,1) }}",
    "str-format": "{{ '{:>1000000000}'.format('x') }}",
    "precisie": "{{ '%.900000000f'|format(1.0) }}",
    "lipsum": "{{ lipsum(10**6) }}",
    "wordwrap": "{{ ('x ' * 5000000)|wordwrap(1) }}",
    "wordwrap-binnen-maat": "{{ ('x ' * 400000)|wordwrap(1) }}",
    "procent": "{{ '%.900000000f' % 1.0 }}",
    "genest": "{{ '{:>{w}}'.format('x', w=10**9) }}",
    "batch": "{{ [1]|batch(10**9, 'x')|list }}",
    "to-bytes": "{{ (2).to_bytes(10**9, 'big') }}",
    "translate": "{{ ('a'*100000).translate({97: 'b'*100000}) }}",
    "indent": "{{ 'a\nb'|indent(10**9) }}",
    "optelling": "{% set a = 'x'*900000 %}{{ a + a }}",
    "geheugen": "{% set a = 'x'*900000 %}{{ (" + "~".join(["a"] * 130) + ")|length }}",
    "range": "{{ range(10**9)|list }}",
}

MAX_SECONDEN = 2.0
MAX_MB = 200


@pytest.fixture
def database(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    for args in (["init"], ["vergadering", "lijst"]):
        result = CliRunner().invoke(cli, ["--database", database_url, *args],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return database_url


#: The console entry point, with the peak resident size (VmHWM, of this process image only)
#: written to a file on the way out.
MEET = """
import atexit, os, sys
def piek():
    with open("/proc/self/status") as f:
        kb = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    with open(os.environ["PIEK_BESTAND"], "w") as f:
        f.write(kb)
atexit.register(piek)
sys.argv[0] = "besluitroute"
from workflow.start import main
main()
"""


def besluitroute(*args: str, cwd: Path) -> tuple[int, str, float, float, float]:
    """The CLI as a child process (the code under test, not an installed copy): exit code,
    stderr, CPU seconds, wall seconds and peak MB."""
    piek = cwd / "piek.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(workflow.__file__).parent.parent),
           "BESLUITROUTE_CACHE": str(cwd / "cache"), "PIEK_BESTAND": str(piek)}
    env.pop("BESLUITROUTE_NU", None)
    begin = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", MEET, *args], cwd=cwd, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    stderr = child.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - begin
    return (child.returncode, stderr, usage.ru_utime + usage.ru_stime, wall,
            int(piek.read_text()) / 1024)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_hostile_template_stops_in_one_dutch_line_within_2_s_and_200_mb(
        database: str, tmp_path: Path, payload: str) -> None:
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    (sjablonen / "agenda.txt").write_text(payload, encoding="utf-8")
    code, stderr, cpu, wall, mb = besluitroute(
        "--database", database, "--sjablonen", str(sjablonen), "agenda", "maak", "1",
        "--formaat", "tekst", cwd=tmp_path)
    lines = stderr.splitlines()
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("fout: sjabloon 'agenda.txt'"), stderr
    controleer_nederlands(lines[0])
    assert cpu < MAX_SECONDEN, (cpu, stderr)
    assert wall < 10 * MAX_SECONDEN, wall
    assert mb < MAX_MB, mb
    print(f"{payload[:40]!r}: exit {code}, {len(lines)} regel, {cpu:.2f} s cpu, {wall:.2f} s, "
          f"{mb:.0f} MB")


@pytest.mark.parametrize("doel", ["/etc/passwd", "../buiten.txt"])
def test_a_template_that_links_outside_its_folder_is_refused(
        database: str, tmp_path: Path, doel: str) -> None:
    (tmp_path / "buiten.txt").write_text("geheim\n", encoding="utf-8")
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    (sjablonen / "agenda.txt").symlink_to(doel)
    result = CliRunner().invoke(cli, ["--database", database, "--sjablonen", str(sjablonen),
                                      "agenda", "maak", "1", "--formaat", "tekst"])
    assert result.exit_code == 2, result.output
    assert "root:" not in result.output and "geheim" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "buiten de map" in lines[0], result.stderr


def test_a_template_that_is_a_fifo_is_refused(database: str, tmp_path: Path) -> None:
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    os.mkfifo(sjablonen / "agenda.txt")
    result = CliRunner().invoke(cli, ["--database", database, "--sjablonen", str(sjablonen),
                                      "agenda", "maak", "1", "--formaat", "tekst"])
    assert result.exit_code == 2
    assert "geen gewoon bestand" in result.stderr


def test_a_link_inside_the_folder_and_an_ordinary_override_still_work(
        database: str, tmp_path: Path) -> None:
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    (sjablonen / "eigen.txt").write_text("{{ '%5s'|format('ok') }}|{{ 'a'|center(5) }}|"
                                         "{{ ('x ' * 20)|wordwrap(10)|length }}\n",
                                         encoding="utf-8")
    (sjablonen / "agenda.txt").symlink_to("eigen.txt")
    result = CliRunner().invoke(cli, ["--database", database, "--sjablonen", str(sjablonen),
                                      "agenda", "maak", "1", "--formaat", "tekst"])
    assert result.exit_code == 0, result.output
    assert "   ok|  a  |" in result.output


@pytest.mark.parametrize("template", [
    "{{ ['x'*600000, 'y'*600000]|join }}",
    "{{ 'x'.join(['a'*600000, 'b'*600000]) }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ ('\t'*10).expandtabs(10**8) }}",
    "{{ [1]|slice(10**9, 0)|list }}",
    "{{ '{:.2000000f}'.format(1.0) }}",
    "{{ ('a\n'*10)|indent('y'*200000) }}",
    "{{ 'x'.encode().rjust(10**9) }}",
    "{{ lipsum(5, max=10**9) }}",
    "{{ ('x'*900000)|truncate(899990, end='e'*900000) }}",
], ids=["join-filter", "join-methode", "zfill", "expandtabs", "slice", "format-precisie",
        "indent-tekst", "bytes", "lipsum-max", "truncate-einde"])
def test_every_building_builtin_is_checked_before_it_builds(
        database: str, tmp_path: Path, template: str) -> None:
    sjablonen = tmp_path / "sjablonen"
    sjablonen.mkdir()
    (sjablonen / "agenda.txt").write_text(template, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--database", database, "--sjablonen", str(sjablonen),
                                      "agenda", "maak", "1", "--formaat", "tekst"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "hoogstens" in lines[0], result.stderr
    controleer_nederlands(lines[0])


def test_bytecode_compiled_under_other_bounds_is_not_reused(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The checked operators are compiled into a template's bytecode, which Jinja keys on the
    template alone: the cache file names carry a mark of the bounds module, so bytecode written
    before the bounds changed (say, before `+` was checked) is never loaded again."""
    import hashlib

    from workflow.agenda import rendering, sjabloongrenzen

    monkeypatch.setenv("BESLUITROUTE_CACHE", str(tmp_path / "cache"))
    rendering.omgeving.cache_clear()
    try:
        cache = rendering.omgeving(None).bytecode_cache
    finally:
        rendering.omgeving.cache_clear()
    merk = hashlib.sha256(Path(sjabloongrenzen.__file__).read_bytes()).hexdigest()[:12]
    assert cache is not None and cache.pattern == f"__jinja2_{merk}_%s.cache"
