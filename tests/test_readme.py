"""The README as a new user follows it: every ```sh block, top to bottom, each in a fresh shell;
then the reference pages in docs/ in the order the README once held them (their examples build
on the walk through one proposal), and every link in them resolves.

A user on a fresh clone types what the README says, in the checkout's folder, in a new shell
(no activated venv, no variables from an earlier block). This test does the same in a scratch
folder that has what a checkout has (`.venv` pointing at the installed test environment, a copy
of `definities/`), on a fresh SQLite database. A command may only fail where the README says so,
in a comment on its line: `# ... exitcode 3`. A block is skipped only when the line above its
fence says why: `<!-- niet in de README-test: REDEN -->`.

The two set-up commands of the first screen are the exception: they install, and `.ci/run` and
`scripts/test` do exactly that themselves; of the first, the test runs the demo it ends with.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The pages whose ```sh blocks run after the README's, in this order (later ones use the
#: proposals and meetings the earlier ones made).
VERVOLG = tuple(ROOT / "docs" / f"{naam}.md" for naam in (
    "planning", "agendas", "herinneringen", "definities", "portaal", "openbaarheid",
    "configuratie", "json", "fouten", "prestaties"))

#: What the first screen's set-up commands install; the test environment is that installation.
INSTALLATIE = ("python3 -m venv .venv && .venv/bin/pip install . && ", )
ZELF_DE_TEST = ("scripts/test",)

_OVERSLAAN = re.compile(r"<!-- niet in de README-test: (.+?) -->")
_EXITCODE = re.compile(r"#.*\bexitcode (\d+)\s*$")


@dataclass(frozen=True)
class Commando:
    bestand: str  #: the page, relative to the checkout
    regel: int  #: line number in that page
    tekst: str  #: one logical line (backslash continuations joined)
    exitcode: int  #: what the README announces (0 unless a comment says otherwise)


def blokken() -> list[list[Commando]]:
    """The runnable blocks of the README and then its reference pages."""
    return [blok for pagina in (README, *VERVOLG) for blok in blokken_van(pagina)]


def blokken_van(pagina: Path) -> list[list[Commando]]:
    """The runnable blocks: every ```sh fence not marked as skipped, as logical lines."""
    naam = str(pagina.relative_to(ROOT))
    lines = pagina.read_text(encoding="utf-8").splitlines()
    result: list[list[Commando]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() != "```sh":
            index += 1
            continue
        overslaan = index > 0 and _OVERSLAAN.search(lines[index - 1]) is not None
        index += 1
        blok: list[Commando] = []
        begin, deel = 0, ""
        while index < len(lines) and lines[index].strip() != "```":
            text = lines[index]
            if not deel:
                begin = index + 1
            if text.rstrip().endswith("\\"):
                deel += text.rstrip()[:-1] + " "
            else:
                deel += text
                if deel.strip() and not deel.strip().startswith("#"):
                    match = _EXITCODE.search(deel)
                    blok.append(Commando(naam, begin, deel.strip(), int(match.group(1)) if match else 0))
                deel = ""
            index += 1
        index += 1
        if not overslaan:
            result.append(blok)
    return result


def _scratch_checkout(tmp_path: Path) -> Path:
    """A folder that looks like a fresh clone after the set-up: `.venv` is the installation
    under test, `definities/` a real copy (the README copies and edits it)."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / ".venv").symlink_to(Path(sys.prefix))
    shutil.copytree(ROOT / "definities", folder / "definities")
    (folder / "scripts").symlink_to(ROOT / "scripts")
    return folder


def _uitvoerbaar(commando: Commando) -> str | None:
    """The command as the test runs it; None for the ones that install (done already)."""
    tekst = commando.tekst
    if tekst in ZELF_DE_TEST:
        return None
    for prefix in INSTALLATIE:
        if tekst.startswith(prefix):
            return tekst.removeprefix(prefix)
    return tekst


def test_the_readme_has_runnable_blocks_and_names_no_bare_command() -> None:
    """Every example runs as written in a fresh shell: the command is `.venv/bin/besluitroute`
    everywhere, never a bare `besluitroute` that only an activated venv would find."""
    assert sum(len(b) for b in blokken_van(README)) >= 10  # the walk through one proposal
    runnable = blokken()
    assert sum(len(b) for b in runnable) >= 30
    for blok in runnable:
        for commando in blok:
            assert not re.search(r"(^|[\s(;&|])besluitroute\s", commando.tekst), commando


def test_every_runnable_readme_block_runs_as_written_in_a_fresh_shell(tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash ontbreekt")
    folder = _scratch_checkout(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BESLUITROUTE_")}
    env.update(HOME=str(tmp_path / "home"), BESLUITROUTE_CACHE=str(tmp_path / "cache"),
               PATH="/usr/local/bin:/usr/bin:/bin")  # no venv on the PATH, as in a new shell
    (tmp_path / "home").mkdir()
    uitgevoerd = 0
    for blok in blokken():
        script = ["set -u"]
        for commando in blok:
            tekst = _uitvoerbaar(commando)
            if tekst is None:
                continue
            # Each command's exit code checked against the README's; the block stops at the
            # first surprise, and says which README line it was.
            script.append(f"{tekst}\nrc=$?\nif [ $rc -ne {commando.exitcode} ]; then "
                          f"echo \"{commando.bestand}:{commando.regel}: exitcode $rc, verwacht "
                          f"{commando.exitcode}\" >&2; exit 99; fi")
            uitgevoerd += 1
        result = subprocess.run(["bash", "--noprofile", "--norc", "-c", "\n".join(script)],
                                cwd=folder, env=env, capture_output=True, text=True,
                                timeout=600, stdin=subprocess.DEVNULL, check=False)
        assert result.returncode == 0, (result.stderr[-3000:], result.stdout[-2000:])
        assert "Traceback" not in result.stderr, result.stderr
    assert uitgevoerd >= 30


_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _ankers(pagina: Path) -> set[str]:
    """The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces
    become hyphens (a repeated heading gets -1, -2: not needed here)."""
    ankers = set()
    in_code = False
    for line in pagina.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            kop = line.lstrip("#").strip().lower()
            ankers.add(re.sub(r"\s", "-", re.sub(r"[^\w\- ]", "", kop)))
    return ankers


def _kapotte_links(pagina: Path) -> list[str]:
    kapot = []
    tekst = re.sub(r"```.*?```", "", pagina.read_text(encoding="utf-8"), flags=re.S)
    for doel in _LINK.findall(tekst):
        if re.match(r"[a-z]+:", doel):
            continue  # an address outside the checkout: not ours to check offline
        pad, _, anker = doel.partition("#")
        bestand = (pagina.parent / pad).resolve() if pad else pagina
        if not bestand.exists() or not str(bestand).startswith(str(ROOT)):
            kapot.append(f"{pagina.name}: {doel} (bestand ontbreekt)")
        elif anker and (bestand.is_dir() or anker not in _ankers(bestand)):
            kapot.append(f"{pagina.name}: {doel} (kop ontbreekt)")
    return kapot


def test_the_readme_is_one_screenful_per_topic_and_every_link_in_the_documentation_resolves(
) -> None:
    """A newcomer reads the README in a sitting; the reference lives in docs/, and no link from
    the README, CONTRIBUTING or a docs page leads nowhere."""
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 300
    paginas = [README, ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert [k for pagina in paginas for k in _kapotte_links(pagina)] == []
    genoemd = set(_LINK.findall(README.read_text(encoding="utf-8")))
    for pagina in VERVOLG:  # every reference page is reachable from the README
        assert f"docs/{pagina.name}" in genoemd, pagina.name
