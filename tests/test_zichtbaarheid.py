"""Issue 29/30: one rule says what of a meeting is public at a moment
(workflow/openbaarheid/zichtbaarheid.py). The portal's pages, its change stamps, OParl and the
Woo-index all ask it; none keeps a copy that could drift (OParl had its own until issue 30)."""

from __future__ import annotations

import ast
from pathlib import Path

WORKFLOW = Path(__file__).resolve().parent.parent / "workflow"
REGEL = "openbaarheid/zichtbaarheid.py"
#: The two halves of "public at a moment": published by then (`gepubliceerd_op <=`), not
#: withdrawn by then (any comparison of `ingetrokken_op` with a moment).
_VOLGORDE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _kopieen(tekst: str) -> list[int]:
    """Lines that decide visibility themselves: an ordering comparison of `ingetrokken_op`, or
    `gepubliceerd_op <= ...` (a recency filter such as `gepubliceerd_op > nu - ONLANGS` is
    another question)."""
    regels = []
    for node in ast.walk(ast.parse(tekst)):
        if not isinstance(node, ast.Compare):
            continue
        delen = [node.left, *node.comparators]
        for op, links, rechts in zip(node.ops, delen[:-1], delen[1:], strict=True):
            if not isinstance(op, _VOLGORDE):
                continue
            namen = {d.attr for d in (links, rechts) if isinstance(d, ast.Attribute)}
            if "ingetrokken_op" in namen or (
                    isinstance(op, ast.LtE) and isinstance(links, ast.Attribute)
                    and links.attr == "gepubliceerd_op"):
                regels.append(node.lineno)
    return sorted(regels)


def test_no_part_of_the_project_keeps_its_own_copy_of_what_is_public() -> None:
    kopieen = {}
    for pad in sorted(WORKFLOW.rglob("*.py")):
        naam = pad.relative_to(WORKFLOW).as_posix()
        if naam != REGEL and (regels := _kopieen(pad.read_text(encoding="utf-8"))):
            kopieen[naam] = regels
    assert kopieen == {}, "vraag het aan workflow.openbaarheid.zichtbaarheid"


def test_the_check_finds_the_copies_oparl_used_to_keep() -> None:
    # What workflow/web/oparl/basis.py held before issue 30; the rule itself has the same.
    oud = ("def a(p, nu):\n    return p.ingetrokken_op is not None and p.ingetrokken_op <= nu\n"
           "def b(nu):\n    return [Publicatie.gepubliceerd_op <= nu]\n"
           "def c(nu):\n    return Publicatie.ingetrokken_op > nu\n"
           "def d(nu):\n    return Publicatie.gepubliceerd_op > nu - ONLANGS\n")
    assert _kopieen(oud) == [2, 4, 6]
    assert _kopieen((WORKFLOW / REGEL).read_text(encoding="utf-8"))
