"""Real PDF, DOCX and ODT files with given text, made from their specifications' smallest
form (no office suite on the test machine): what a secretariat registers."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape


def pdf(*regels: str) -> bytes:
    """A one-page PDF 1.4 whose text layer holds `regels` (Helvetica, WinAnsi)."""
    return pdf_paginas([list(regels)])


def pdf_paginas(paginas: list[list[str]]) -> bytes:
    """A PDF 1.4 with a page per entry of `paginas`, each holding its lines as text."""
    n = len(paginas)
    # 1 catalog, 2 pages, 3 font; page i: object 4 + 2i, its content 5 + 2i.
    kinderen = " ".join(f"{4 + 2 * i} 0 R" for i in range(n)).encode()
    objecten = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kinderen + b"] /Count " + str(n).encode() + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, regels in enumerate(paginas):
        tekst = "".join(f"({_pdf_tekst(r)}) Tj T* " for r in regels)
        stroom = f"BT /F1 11 Tf 14 TL 72 760 Td {tekst}ET".encode("cp1252")
        objecten.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents "
                        + str(5 + 2 * i).encode() + b" 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
        objecten.append(b"<< /Length " + str(len(stroom)).encode() + b" >>\nstream\n" + stroom
                        + b"\nendstream")
    uit = bytearray(b"%PDF-1.4\n")
    posities = []
    for nummer, obj in enumerate(objecten, 1):
        posities.append(len(uit))
        uit += f"{nummer} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(uit)
    uit += f"xref\n0 {len(objecten) + 1}\n0000000000 65535 f \n".encode()
    for positie in posities:
        uit += f"{positie:010d} 00000 n \n".encode()
    uit += (f"trailer\n<< /Size {len(objecten) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            f"%%EOF\n").encode()
    return bytes(uit)


def _pdf_tekst(regel: str) -> str:
    return regel.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def docx(*regels: str) -> bytes:
    alineas = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(r)}</w:t></w:r></w:p>"
                      for r in regels)
    return _zip({
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http:'
        '//schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + alineas
        + "</w:body></w:document>",
    })


def odt(*regels: str) -> bytes:
    alineas = "".join(f"<text:p>{escape(r)}</text:p>" for r in regels)
    return _zip({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:'
        'names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>'
        + alineas + "</office:text></office:body></office:document-content>",
    })


def _zip(delen: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
        for naam, inhoud in delen.items():
            archief.writestr(naam, inhoud)
    return buffer.getvalue()
