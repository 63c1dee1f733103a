"""Every page kind in headless Chromium at a phone's, a tablet's and a desktop's width (390,
768 and 1280 px), anonymous and as a member of the AB: a screenshot, axe-core (WCAG 2.1 A and
AA, 0 violations), no word broken inside a table cell or heading, nothing wider than the
screen; the documents under their agenda item, the route as a timeline, the month calendar,
and a word found inside a document. The story and server of tests/test_web.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web import (
    LID_AB,
    SECRETARIS_AOJ,
    Portaal,
    _portaal,
    _toegankelijk,
    _vergadering_id,
)

BREEDTES = (390, 768, 1280)

#: The words split over two lines inside a table cell or heading although they would fit on
#: one (a hash may break anywhere).
GEBROKEN_WOORDEN = """() => {
  const gebroken = [];
  for (const el of document.querySelectorAll('th, td, h1, h2, h3, dt')) {
    if (!el.offsetParent) continue;
    const lopen = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let knoop;
    while ((knoop = lopen.nextNode())) {
      if (knoop.parentElement.closest('.sha')) continue;
      const woord = /\\S+/g;
      let m;
      while ((m = woord.exec(knoop.data))) {
        const r = document.createRange();
        r.setStart(knoop, m.index);
        r.setEnd(knoop, m.index + m[0].length);
        const stukken = Array.from(r.getClientRects()).filter(x => x.width > 0);
        const regels = new Set(stukken.map(x => Math.round(x.top)));
        const breedte = stukken.reduce((som, x) => som + x.width, 0);
        // A word wider than its box must break; any other word may not.
        // A word with a hyphen or slash may break after it.
        if (regels.size > 1 && breedte <= el.clientWidth && !/[-\\u2013\\/]/.test(m[0]))
          gebroken.push(m[0]);
      }
    }
  }
  return gebroken;
}"""


@pytest.fixture
def portaal(database_url: str, tmp_path: Path) -> Iterator[Portaal]:
    yield from _portaal(database_url, tmp_path, "--zonder-tls", "--proxies", "0")


def _bekijk(page: Any, url: str, verwacht: str, scherm: Path) -> None:
    page.goto(url)
    assert verwacht.lower() in page.inner_text("body").lower(), url
    assert page.locator("script").count() == 0
    # Local times in Dutch everywhere, never a stored UTC ISO moment.
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page.inner_text("body")), url
    assert page.evaluate(GEBROKEN_WOORDEN) == [], url
    breedte = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert breedte[0] <= breedte[1], (url, breedte)
    page.screenshot(path=str(scherm), full_page=True)
    _toegankelijk(page)


@pytest.mark.browser
def test_every_page_kind_holds_at_three_widths(portaal: Portaal, tmp_path: Path,
                                               chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    schermen = tmp_path / "schermafdrukken"
    schermen.mkdir()
    ab = _vergadering_id(portaal, "ab-platform-jeugd", "2021-07-02")
    cookie = portaal.log_in(LID_AB)
    naam, waarde = cookie.split("=", 1)
    secretaris = portaal.log_in(SECRETARIS_AOJ).split("=", 1)[1]
    paginas = [
        ("/", "Onlangs gepubliceerd"),
        ("/orgaan/ab-platform-jeugd", "Maandkalender"),
        ("/orgaan/ab-platform-jeugd/maand/2021-07", "Vergadering AB platform jeugd"),
        (f"/vergadering/{ab}", "plan-van-aanpak.txt"),
        (f"/voorstel/{portaal.kenmerk}", "Ambtelijk Overleg Jeugd"),
        ("/zoeken?q=aanpak", "plan-van-aanpak.txt"),
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        try:
            for breedte in BREEDTES:
                anoniem = browser.new_page(viewport={"width": breedte, "height": 900})
                for nummer, (pad, verwacht) in enumerate(paginas):
                    _bekijk(anoniem, portaal.url + pad, verwacht,
                            schermen / f"anoniem-{breedte}-{nummer}.png")
                lid = browser.new_context(viewport={"width": breedte, "height": 900})
                lid.add_cookies([{"name": naam, "value": waarde, "url": portaal.url}])
                pagina = lid.new_page()
                for nummer, (pad, verwacht) in enumerate(
                        [*paginas, ("/mijn/maand/2021-07", "Mijn organen")]):
                    _bekijk(pagina, portaal.url + pad, verwacht,
                            schermen / f"lid-{breedte}-{nummer}.png")
                lid.close()
                bord = browser.new_context(viewport={"width": breedte, "height": 900})
                bord.add_cookies([{"name": naam, "value": secretaris, "url": portaal.url}])
                _bekijk(bord.new_page(), portaal.url + "/secretariaat", "Update regioagenda",
                        schermen / f"secretariaat-{breedte}.png")
                bord.close()
                anoniem.close()
            # The document sits right under its agenda item, linked.
            pagina = browser.new_page(viewport={"width": 1280, "height": 900})
            pagina.goto(f"{portaal.url}/vergadering/{ab}")
            punt = pagina.locator("section.punt.voorstel", has_text=portaal.kenmerk)
            assert punt.locator("a", has_text="plan-van-aanpak.txt").count() == 1
            # The search finds a word that occurs only inside the document ("Plan van aanpak").
            pagina.goto(f"{portaal.url}/zoeken?q=aanpak")
            assert pagina.locator(".documenttreffers mark").first.inner_text().lower() == "aanpak"
        finally:
            browser.close()
