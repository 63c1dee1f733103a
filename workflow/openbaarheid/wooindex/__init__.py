"""The Woo-index: every published document in sitemaps with DiWoo metadata, for the national
harvester (KOOP, "Handleiding voor de Woo-harvester", DiWoo metadata 0.9.8).

`robots.txt` names one sitemap index per Woo information category
(`sitemapindex-diwoo-infocatNNN.xml`); each index names its sitemaps (at most 50,000 URLs and
50 MB each); each URL carries `lastmod` and a `diwoo:Document`.

categorieen (the TOOI value lists used), stukken (what is published, loaded per document),
vermeldingen (which document goes where, pure), sitemaps (the XML, pure), export (the folder,
and keeping it current from the reminder pass).
"""
