"""The Woo-index files from the published documents: pure, the same input gives the same bytes.

`bestanden` returns `robots.txt` and, under `sitemaps/`, per information category one sitemap
index (`sitemapindex-diwoo-infocatNNN.xml`) and its sitemaps. A sitemap holds at most 50,000
URLs and 50 MB (sitemaps.org; the handleiding repeats both): whichever comes first starts the
next file. A document in two categories or meetings (the same URL) is listed once: the
harvester identifies a document by its URL.

Text goes through workflow.basis.xmltekst: a hostile title cannot break a file or add elements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from workflow.basis import clock
from workflow.basis.tekst import iso
from workflow.basis.xmltekst import xml as _xml
from workflow.openbaarheid.wooindex.categorieen import (
    TAAL_NL,
    Informatiecategorie,
    categorie,
    formaat,
)
from workflow.openbaarheid.wooindex.stukken import Stuk

MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
MAP = "sitemaps"

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DIWOO_NS = "https://standaarden.overheid.nl/diwoo/metadata/"
_KOP_URLSET = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
               f'<urlset xmlns="{SITEMAP_NS}" xmlns:diwoo="{DIWOO_NS}">\n')
_STAART_URLSET = "</urlset>\n"

#: A W3C date-time in Amsterdam time with its offset: 2021-06-25T09:00:00+02:00.
tijd = iso


@dataclass(frozen=True)
class Vermelding:
    """One `<url>`: a document, the category it is listed in, its `lastmod`."""

    loc: str
    lastmod: datetime
    categorie: Informatiecategorie
    stuk: Stuk


def vermeldingen(stukken: Iterable[Stuk], adres: str) -> list[Vermelding]:
    """One per URL, in the order of the documents (the first publication names the category);
    `lastmod` is the newest change of any of them."""
    adres = adres.rstrip("/")
    per_loc: dict[str, Vermelding] = {}
    for s in stukken:
        loc = adres + s.pad
        eerder = per_loc.get(loc)
        if eerder is None:
            per_loc[loc] = Vermelding(loc, s.gewijzigd_op, categorie(s.orgaan.soort), s)
        elif s.gewijzigd_op > eerder.lastmod:
            per_loc[loc] = Vermelding(loc, s.gewijzigd_op, eerder.categorie, eerder.stuk)
    return list(per_loc.values())


def _organisatie(element: str, naam: str, tooi: str) -> str:
    return f'<diwoo:{element} resource="{_xml(tooi)}">{_xml(naam)}</diwoo:{element}>'


def url(v: Vermelding) -> str:
    """The `<url>` element with its DiWoo metadata (order as in the schema, for the reader)."""
    s = v.stuk
    o = s.orgaan
    assert o.organisatie is not None  # stukken.woo_organen
    uitgever = o.uitgever or o.organisatie
    delen = [f"<url><loc>{_xml(v.loc)}</loc><lastmod>{tijd(v.lastmod)}</lastmod>",
             "<diwoo:Document><diwoo:DiWoo>",
             f"<diwoo:identifiers><diwoo:identifier>{_xml(s.kenmerk)}</diwoo:identifier>"
             f"</diwoo:identifiers>",
             _organisatie("publisher", uitgever.naam, uitgever.tooi)]
    if o.uitgever is not None and o.uitgever != o.organisatie:
        delen.append(_organisatie("verantwoordelijke", o.organisatie.naam, o.organisatie.tooi))
    delen += [
        f"<diwoo:titelcollectie><diwoo:officieleTitel>{_xml(s.titel)}</diwoo:officieleTitel>"
        f"</diwoo:titelcollectie>",
        "<diwoo:classificatiecollectie><diwoo:informatiecategorieen>"
        f'<diwoo:informatiecategorie resource="{v.categorie.uri}">{_xml(v.categorie.label)}'
        "</diwoo:informatiecategorie></diwoo:informatiecategorieen><diwoo:documentsoorten>"
        f'<diwoo:documentsoort resource="{s.soort.uri}">{s.soort.label}</diwoo:documentsoort>'
        "</diwoo:documentsoorten></diwoo:classificatiecollectie>",
        f"<diwoo:creatiedatum>{clock.local(s.gemaakt).date().isoformat()}</diwoo:creatiedatum>",
        f'<diwoo:language resource="{TAAL_NL[0]}">{TAAL_NL[1]}</diwoo:language>']
    soort = formaat(s.bestandsnaam) if s.bestandsnaam else formaat("pagina.html")
    if soort is not None:
        delen.append(f'<diwoo:format resource="{soort[0]}">{_xml(soort[1])}</diwoo:format>')
    delen += [
        f"<diwoo:aggregatiekenmerk>{_xml(s.vergadering_sleutel)}</diwoo:aggregatiekenmerk>",
        "<diwoo:documenthandelingen><diwoo:documenthandeling>"
        f'<diwoo:soortHandeling resource="{s.handeling.uri}">{s.handeling.label}'
        f"</diwoo:soortHandeling><diwoo:atTime>{tijd(s.handeling_op)}</diwoo:atTime>",
        _organisatie("wasAssociatedWith", o.organisatie.naam, o.organisatie.tooi),
        "</diwoo:documenthandeling></diwoo:documenthandelingen>",
        "</diwoo:DiWoo></diwoo:Document></url>\n"]
    return "".join(delen)


def verdeel(fragmenten: Sequence[bytes], max_urls: int = MAX_URLS,
            max_bytes: int = MAX_BYTES) -> list[list[bytes]]:
    """Consecutive groups of at most `max_urls` fragments whose sitemap (with its head and tail)
    stays within `max_bytes`."""
    vast = len(_KOP_URLSET.encode()) + len(_STAART_URLSET.encode())
    groepen: list[list[bytes]] = []
    huidig: list[bytes] = []
    grootte = vast
    for f in fragmenten:
        if huidig and (len(huidig) >= max_urls or grootte + len(f) > max_bytes):
            groepen.append(huidig)
            huidig, grootte = [], vast
        huidig.append(f)
        grootte += len(f)
    if huidig:
        groepen.append(huidig)
    return groepen


def bestanden(stukken: Iterable[Stuk], adres: str, *, max_urls: int = MAX_URLS,
              max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """`robots.txt` and `sitemaps/<name>` -> content, for the portal at `adres`."""
    adres = adres.rstrip("/")
    per_categorie: dict[Informatiecategorie, list[Vermelding]] = {}
    for v in vermeldingen(stukken, adres):
        per_categorie.setdefault(v.categorie, []).append(v)
    result: dict[str, bytes] = {}
    robots = ["User-agent: *", "Allow: /", ""]
    for cat in sorted(per_categorie, key=lambda c: c.nummer):
        lijst = per_categorie[cat]
        groepen = verdeel([url(v).encode() for v in lijst], max_urls, max_bytes)
        index = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n']
        begin = 0
        for volgnummer, groep in enumerate(groepen, start=1):
            naam = cat.sitemapnaam(volgnummer)
            result[f"{MAP}/{naam}"] = _KOP_URLSET.encode() + b"".join(groep) \
                + _STAART_URLSET.encode()
            laatst = max(v.lastmod for v in lijst[begin:begin + len(groep)])
            begin += len(groep)
            index.append(f"<sitemap><loc>{_xml(adres)}/{MAP}/{naam}</loc>"
                         f"<lastmod>{tijd(laatst)}</lastmod></sitemap>\n")
        index.append("</sitemapindex>\n")
        result[f"{MAP}/{cat.indexnaam}"] = "".join(index).encode()
        robots.append(f"Sitemap: {adres}/{MAP}/{cat.indexnaam}")
    result["robots.txt"] = ("\n".join(robots) + "\n").encode()
    return result
