"""The official XML schemas of tests/schemas/ (see its README), loaded once, offline.

`diwoo-metadata.xsd` imports MDTO from the Nationaal Archief's address: the resolver answers
that address with the kept copy; the parser may not use the network, so any other remote
reference fails instead of being fetched."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
#: Remote schema addresses and the kept file that answers each.
OFFLINE = {
    "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd": SCHEMAS / "mdto" / "MDTO-XML1.0.1.xsd",
}


class _Offline(etree.Resolver):
    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        pad = OFFLINE.get(url)
        if pad is not None:
            return self.resolve_filename(str(pad), context)
        return None


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Offline())
    return parser


@cache
def schema(naam: str) -> etree.XMLSchema:
    """sitemap, siteindex, diwoo, ori-a or mdto."""
    pad = {"sitemap": SCHEMAS / "sitemaps" / "sitemap.xsd",
           "siteindex": SCHEMAS / "sitemaps" / "siteindex.xsd",
           "diwoo": SCHEMAS / "diwoo" / "diwoo-metadata.xsd",
           "ori-a": SCHEMAS / "ori-a" / "ORI-A.xsd",
           "mdto": SCHEMAS / "mdto" / "MDTO-XML1.0.1.xsd"}[naam]
    return etree.XMLSchema(etree.parse(str(pad), _parser()))


@cache
def _sitemap_met_diwoo() -> etree.XMLSchema:
    """The sitemap schema whose `xsd:any processContents="strict"` finds diwoo:Document: a small
    driver schema that imports both (the sitemap namespace's own file and DiWoo's)."""
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9"
                 schemaLocation="{(SCHEMAS / 'sitemaps' / 'sitemap.xsd').as_uri()}"/>
      <xs:import namespace="https://standaarden.overheid.nl/diwoo/metadata/"
                 schemaLocation="{(SCHEMAS / 'diwoo' / 'diwoo-metadata.xsd').as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver.encode(), _parser()))


def fouten(inhoud: bytes, naam: str) -> list[str]:
    """The schema errors of a document (empty: valid). `naam` "sitemap" validates the DiWoo
    extension elements too (strict), "siteindex", "ori-a" and "mdto" their own schema."""
    xsd = _sitemap_met_diwoo() if naam == "sitemap" else schema(naam)
    document = etree.fromstring(inhoud, _parser())
    if xsd.validate(document):
        return []
    return [f"{e.line}: {e.message}" for e in xsd.error_log]
