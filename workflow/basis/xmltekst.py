"""Text for XML written by hand (the Woo-index sitemaps, ORI-A, MDTO): safe for any input."""

from __future__ import annotations

import re

# Not allowed in XML 1.0: C0 controls but tab/newline/return, surrogates, U+FFFE and U+FFFF.
_ONGELDIG = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml(text: str) -> str:
    """`text` as element content or attribute value: characters XML 1.0 cannot carry dropped,
    the five special ones escaped, so a hostile title can neither break a file nor add
    elements."""
    text = _ONGELDIG.sub("", text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))
