"""What fonts a PDF embeds and which glyphs it shows, read with pypdf."""

import io
import re
from html.parser import HTMLParser

from pypdf import PdfReader
from pypdf.generic import ContentStream, TextStringObject


def _raw(value) -> bytes:
    if isinstance(value, TextStringObject):
        return value.original_bytes
    return bytes(value)


def embedded_fonts(data: bytes) -> set[str]:
    """Base names of the fonts of every page, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


def notdef_glyphs(data: bytes) -> list[tuple[int, str]]:
    """(page number, font) of every glyph 0 (.notdef, a missing character) that is drawn.

    WeasyPrint writes text with CID fonts, two bytes per glyph; glyph 0 is the .notdef box a
    missing character falls back to. The codes are the glyph ids themselves (Identity-H,
    WeasyPrint ≤ 66) or mapped to them by the font's own encoding CMap (WeasyPrint 70).
    """
    reader = PdfReader(io.BytesIO(data))
    found = []
    for number, page in enumerate(reader.pages, start=1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts[operands[0]].get_object()
                continue
            if operator == b"Tj":
                strings = [operands[0]]
            elif operator == b"TJ":
                strings = [s for s in operands[0] if not isinstance(s, int | float)]
                strings = [s for s in strings if not hasattr(s, "as_numeric")]
            else:
                continue
            assert font is not None, "text drawn before any font was set"
            notdef = _notdef_codes(font)
            for string in strings:
                raw = _raw(string)
                for i in range(0, len(raw) - 1, 2):
                    if raw[i : i + 2] in notdef:
                        found.append((number, str(font["/BaseFont"])))
    return found


def _notdef_codes(font) -> set[bytes]:
    """The two-byte codes of ``font`` that draw glyph 0."""
    encoding = font["/Encoding"]
    if encoding == "/Identity-H":
        return {b"\x00\x00"}
    cmap = encoding.get_object().get_data().decode("latin-1")
    codes = set()
    for block in re.findall(r"begincidchar(.*?)endcidchar", cmap, re.S):
        for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s+(\d+)", block):
            if int(cid) == 0:
                codes.add(bytes.fromhex(code))
    for block in re.findall(r"begincidrange(.*?)endcidrange", cmap, re.S):
        for low, _high, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s+(\d+)", block):
            if int(cid) == 0:
                codes.add(bytes.fromhex(low))
    return codes


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "script"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_characters(html: str) -> set[str]:
    """Every non-blank character of the HTML's text (what must appear in the PDF)."""
    parser = _Text()
    parser.feed(html)
    return {ch for ch in "".join(parser.parts) if not ch.isspace()}


def missing_characters(html: str, data: bytes) -> set[str]:
    """Characters of the source that the PDF does not contain.

    WeasyPrint draws nothing for a character no font has (it only advances by its
    width), so such a character is absent from the PDF's text: comparing the source
    text with the extracted text finds every fallback to a missing glyph.
    """
    reader = PdfReader(io.BytesIO(data))
    printed = set("".join(page.extract_text() for page in reader.pages))
    return visible_characters(html) - printed
