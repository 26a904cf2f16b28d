"""Print documents are read by the XML parser, and print exactly as WeasyPrint's own
HTML parser would print them."""

import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from weasyprint import HTML

from printing import pdf
from printing.render import html_for
from tests.printing.test_glyphs import DOCS


def page_images(data: bytes, tmp_path: Path, name: str) -> list[bytes]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "60", "-gray", str(source), str(tmp_path / name)], check=True)
    return [path.read_bytes() for path in sorted(tmp_path.glob(f"{name}-*.pgm"))]


@pytest.mark.parametrize("name", list(DOCS))
def test_every_print_template_is_well_formed_xml_and_prints_the_same_pages(name, tmp_path):
    html = html_for(DOCS[name]())
    ElementTree.fromstring(html)  # well-formed, so html_document takes the XML path
    document = pdf.html_document(html)

    fast = document.render(font_config=pdf.font_config()).write_pdf()
    usual = HTML(string=html, base_url=None).render(font_config=pdf.font_config()).write_pdf()
    fast_pages = page_images(fast, tmp_path, "fast")
    usual_pages = page_images(usual, tmp_path, "usual")
    assert len(fast_pages) == len(usual_pages) >= 1
    assert fast_pages == usual_pages


def test_a_document_that_is_not_well_formed_xml_is_parsed_as_html():
    # A control character from an imported spreadsheet is invalid XML, fine in HTML.
    html = "<html><body><p>王\x0b小红<br>新华社区</p></body></html>"
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(html)
    document = pdf.html_document(html)
    text = "".join(document.etree_element.itertext())
    assert "新华社区" in text
    pages = pdf.layout(html).pages
    assert len(pages) == 1
