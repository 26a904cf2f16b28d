"""Chinese is set in Noto CJK, and no character falls back to a missing glyph."""

import pytest

from assessments.print_documents import ScoreSheetDoc
from printing import pdf
from printing.render import html_for, render_one
from rubrics import engine
from tests.printing import samples
from tests.printing.conftest import load_rubric
from tests.printing.pdffonts import embedded_fonts, missing_characters, notdef_glyphs
from tests.printing.sheets import YANCHENG_INPUTS, yancheng_self_scores

NOTO = {
    "Noto-Serif-CJK-SC",
    "Noto-Serif-CJK-SC-Bold",
    "Noto-Sans-CJK-SC",
    "Noto-Sans-CJK-SC-Bold",
}
# ☑ is in no Noto CJK font; the tick boxes of the forms (class "cb") use DejaVu Sans.
TICK_BOX_FONT = "DejaVu-Sans"


def filled_sheet():
    rubric = load_rubric("changzhou-community")
    return ScoreSheetDoc(
        rubric=rubric,
        unit_name="淹城社区",
        town_name="湖塘镇",
        year=2024,
        result=engine.evaluate(rubric, YANCHENG_INPUTS),
        self_scores=yancheng_self_scores(rubric),
    )


def blank_sheet(code):
    return lambda: ScoreSheetDoc(rubric=load_rubric(code), blank=True, year=2024)


DOCS = {
    "filled sheet": filled_sheet,
    **{
        f"blank {code}": blank_sheet(code)
        for code in (
            "changzhou-community",
            "changzhou-village",
            "hutang-2014-community",
            "rugao-2018-town",
            "xinjian-2021-window",
            "xinyi-coordinator",
        )
    },
    **samples.ALL_FORMS,
}


@pytest.mark.parametrize("name", list(DOCS))
def test_every_character_is_printed_with_a_noto_cjk_font(name):
    doc = DOCS[name]()
    data = render_one(doc)
    assert missing_characters(html_for(doc), data) == set()
    assert notdef_glyphs(data) == []
    fonts = embedded_fonts(data)
    assert fonts - {TICK_BOX_FONT} <= NOTO, fonts
    assert fonts & NOTO


class TestTheCheckItself:
    def test_a_character_no_font_has_is_caught(self):
        # U+13000 (an Egyptian hieroglyph) is in no installed font: WeasyPrint 70 draws
        # the .notdef box of the first font for it (WeasyPrint 66 drew nothing, so the
        # character was missing from the PDF's text; the text check stays for that).
        html = (
            "<html><body style=\"font-family: 'Noto Serif CJK SC'\">"
            "<p>考核 \U00013000 得分</p></body></html>"
        )
        found = notdef_glyphs(pdf.render_chunk([html]))
        assert [page for page, _font in found] == [1]
        assert found[0][1].endswith("+Noto-Serif-CJK-SC")

    def test_the_tick_box_font_is_used_for_the_tick_only(self):
        data = render_one(samples.leave_slip())
        assert TICK_BOX_FONT in embedded_fonts(data)
        data = render_one(samples.registration())
        assert TICK_BOX_FONT not in embedded_fonts(data)
