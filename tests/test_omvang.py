"""The house rule of CONTRIBUTING.md ("Pakketten en lagen"): no module in workflow/ over ~400 lines and no
function over ~60, unless it is listed below with the reason. A new long module or function
fails here; so does an entry that is no longer needed, so the list stays true."""

from __future__ import annotations

import ast
from pathlib import Path

WORKFLOW = Path(__file__).resolve().parent.parent / "workflow"
MAX_REGELS_MODULE = 400
MAX_REGELS_FUNCTIE = 60

#: Modules that may be longer, with the reason (also in CONTRIBUTING.md).
LANGE_MODULES: dict[str, str] = {}

#: Functions that may be longer ("module:function"), with the reason.
LANGE_FUNCTIES = {
    "opslag/migraties/versions/0001_kern.py:upgrade": "één lineair DDL-script; een migratie "
                                                      "verandert niet meer",
    "openbaarheid/publiceren.py:plan": "loopt de drie documentsoorten van de regels af; "
                                       "opsplitsen staat open",
}


def _modules() -> list[tuple[str, str]]:
    return [(path.relative_to(WORKFLOW).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted(WORKFLOW.rglob("*.py"))]


def test_no_module_in_workflow_is_longer_than_the_rule_unless_the_readme_says_why() -> None:
    te_lang = {naam for naam, tekst in _modules() if len(tekst.splitlines()) > MAX_REGELS_MODULE}
    assert te_lang - set(LANGE_MODULES) == set(), "splits op, of noem de reden in LANGE_MODULES"
    assert set(LANGE_MODULES) - te_lang == set(), "niet meer te lang: haal uit LANGE_MODULES"


def test_no_function_in_workflow_is_longer_than_the_rule_unless_the_readme_says_why() -> None:
    te_lang: set[str] = set()
    for naam, tekst in _modules():
        for node in ast.walk(ast.parse(tekst)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lengte = (node.end_lineno or node.lineno) - node.lineno + 1
                if lengte > MAX_REGELS_FUNCTIE:
                    te_lang.add(f"{naam}:{node.name}")
    assert te_lang - set(LANGE_FUNCTIES) == set(), "splits op, of noem de reden in LANGE_FUNCTIES"
    assert set(LANGE_FUNCTIES) - te_lang == set(), "niet meer te lang: haal uit LANGE_FUNCTIES"
