"""Search inside documents: the words of a query in the text of registered documents
(workflow.voorstellen.documenttekst), with a snippet that marks the hit. A hit counts only
when its proposal is visible to the visitor, exactly as the proposal page and the document
itself (gegevens.zichtbare_voorstel_ids).

PostgreSQL: `plainto_tsquery('dutch', ...)` against the stored, GIN-indexed
`to_tsvector('dutch', tekst)`: Dutch stemming ("vergaderingen" finds "vergadering") and stop
words; `ts_headline` makes the snippet. SQLite: FTS5 with case and diacritics folded, each word
as a prefix ("vergader" finds "vergaderingen"; no stemming), `snippet()` makes the snippet."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import column, func, literal_column, select, table

from workflow.web.bronnen import Bijlage, Documenttekst, Omgeving, Voorstel
from workflow.web.gegevens import zichtbare_voorstel_ids
from workflow.web.toegang import Bezoeker

#: The marks around a hit in a snippet: control characters, which the stored text never holds.
BEGIN, EINDE = "\x02", "\x03"
#: Words of a query used; the rest is ignored.
MAX_WOORDEN = 8
_WOORD = re.compile(r"\w+")
_FTS = table("documenttekst_fts", column("rowid"))
_DUTCH: Any = literal_column("'dutch'")
#: PostgreSQL only (0024): to_tsvector('dutch', tekst), stored, with a GIN index.
_ZOEKVECTOR: Any = literal_column("documenttekst.zoekvector")
#: ts_headline's parser drops what looks like an HTML tag from the snippet (the stored text
#: keeps it); the rest is escaped by fragment().
_KOPOPTIES = f"StartSel={BEGIN}, StopSel={EINDE}, MaxWords=30, MinWords=15"


def woorden(vraag: str) -> list[str]:
    return _WOORD.findall(vraag)[:MAX_WOORDEN]


def zoek(env: Omgeving, b: Bezoeker, vraag: str, nu: datetime, limiet: int = 20
         ) -> list[dict[str, Any]]:
    """The newest documents holding every word of `vraag` that `b` may open at `nu`."""
    lijst = woorden(vraag)
    if not lijst:
        return []
    zichtbaar = Bijlage.voorstel_id.in_(zichtbare_voorstel_ids(b, nu))
    velden = (Bijlage.id, Bijlage.naam, Bijlage.versie, Voorstel.kenmerk, Voorstel.titel)
    if env.db.engine.dialect.name == "postgresql":
        q = func.plainto_tsquery(_DUTCH, " ".join(lijst))
        # The hits first (the index decides), the snippets after, for these rows only:
        # ts_headline parses the whole text again.
        treffers = (select(Documenttekst.bijlage_id)
                    .join(Bijlage, Bijlage.id == Documenttekst.bijlage_id)
                    .where(_ZOEKVECTOR.op("@@")(q), zichtbaar)
                    .order_by(Documenttekst.bijlage_id.desc()).limit(limiet).subquery())
        query = (select(*velden, func.ts_headline(_DUTCH, Documenttekst.tekst, q, _KOPOPTIES))
                 .select_from(treffers)
                 .join(Documenttekst, Documenttekst.bijlage_id == treffers.c.bijlage_id)
                 .join(Bijlage, Bijlage.id == treffers.c.bijlage_id)
                 .order_by(treffers.c.bijlage_id.desc()))
    else:
        fts = " ".join(f'"{w}"*' for w in lijst)  # \w+ holds no quote: nothing to escape
        query = (select(*velden, func.snippet(literal_column("documenttekst_fts"), 0, BEGIN,
                                              EINDE, " … ", 24))
                 .select_from(_FTS)
                 .join(Bijlage, Bijlage.id == _FTS.c.rowid)
                 .where(literal_column("documenttekst_fts").op("MATCH")(fts), zichtbaar)
                 .order_by(_FTS.c.rowid.desc()).limit(limiet))
    query = query.join(Voorstel, Voorstel.id == Bijlage.voorstel_id)
    with env.db.lees() as session:
        rijen = session.execute(query).all()
    return [{"id": r[0], "naam": r[1], "versie": r[2], "kenmerk": r[3], "titel": r[4],
             "fragment": fragment(r[5] or "")} for r in rijen]


def fragment(tekst: str) -> Markup:
    """A snippet as HTML: everything escaped, then the hits in <mark>."""
    veilig = str(escape(tekst.replace("\n", " ")))
    return Markup(veilig.replace(BEGIN, "<mark>").replace(EINDE, "</mark>"))
