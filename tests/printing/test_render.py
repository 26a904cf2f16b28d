"""One PDF from many documents, each with its own 「第 X 页 共 Y 页」."""

import re

import pytest

from assessments.print_documents import ScoreSheetDoc
from printing import render
from printing.render import render_pdf
from rubrics import engine
from tests.printing import samples
from tests.printing.conftest import load_rubric, page_texts
from tests.printing.sheets import YANCHENG_INPUTS


def sheet(rubric, unit, town="湖塘镇"):
    inputs = {**YANCHENG_INPUTS, "subject": unit, "town": town}
    return ScoreSheetDoc(
        rubric=rubric,
        unit_name=unit,
        town_name=town,
        year=2024,
        result=engine.evaluate(rubric, inputs),
    )


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("changzhou-community")


def footers(texts):
    return [re.search(r"第 \d+ 页 共 \d+ 页", text).group() for text in texts]


class TestPageNumbersPerDocument:
    def test_two_sheets_of_two_pages_each_count_from_one(self, rubric):
        texts = page_texts(render_pdf([sheet(rubric, "淹城社区"), sheet(rubric, "何留社区")]))
        assert len(texts) == 4
        assert footers(texts) == [
            "第 1 页 共 2 页",
            "第 2 页 共 2 页",
            "第 1 页 共 2 页",
            "第 2 页 共 2 页",
        ]
        assert "淹城社区" in texts[0] and "何留社区" in texts[2]

    def test_documents_of_different_kinds_keep_their_own_count(self, rubric):
        docs = [samples.leave_slip(), sheet(rubric, "淹城社区"), samples.summary()]
        texts = page_texts(render_pdf(docs))
        assert len(texts) == 4
        assert "第 1 页 共 1 页" in texts[0] and "存根" in texts[0]
        assert "第 1 页 共 2 页" in texts[1] and "第 2 页 共 2 页" in texts[2]
        assert "第 1 页 共 1 页" in texts[3] and "汇总表" in texts[3]

    def test_the_process_pool_keeps_order_and_counts(self, rubric, monkeypatch):
        # Force the pool path with few documents: one sheet per chunk, two workers.
        monkeypatch.setattr(render, "POOL_THRESHOLD", 2)
        units = ["淹城社区", "何留社区", "东陈村"]
        seen = []
        data = render_pdf(
            [sheet(rubric, unit) for unit in units],
            workers=2,
            chunk_size=1,
            progress=lambda done, total: seen.append((done, total)),
        )
        texts = page_texts(data)
        assert len(texts) == 6
        assert [u for t in texts[::2] for u in units if f"被考核单位： {u}" in t] == units
        assert all("第 1 页 共 2 页" in t for t in texts[::2])
        assert all("第 2 页 共 2 页" in t for t in texts[1::2])
        assert seen[0] == (0, 3) and seen[-1] == (3, 3)

    def test_a_bookmark_per_document(self, rubric):
        import io

        from pypdf import PdfReader

        data = render_pdf([sheet(rubric, "淹城社区"), sheet(rubric, "何留社区")])
        titles = [entry.title for entry in PdfReader(io.BytesIO(data)).outline]
        assert titles == [
            "淹城社区 常州市社区人力资源社会保障公共服务平台评估标准",
            "何留社区 常州市社区人力资源社会保障公共服务平台评估标准",
        ]

    def test_nothing_to_print_is_an_error(self):
        with pytest.raises(ValueError):
            render_pdf([])


class TestWriteFile:
    def test_write_pdf_file_returns_the_page_count(self, rubric, tmp_path):
        from printing.batch import write_pdf_file

        out = tmp_path / "sub" / "sheets.pdf"
        assert write_pdf_file([sheet(rubric, "淹城社区"), samples.leave_slip()], out) == 3
        assert out.read_bytes().startswith(b"%PDF")
        assert list(out.parent.iterdir()) == [out]
