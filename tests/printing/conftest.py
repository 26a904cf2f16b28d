"""Shared pieces of the printing tests: the seed rubrics and PDF text extraction."""

import io
import subprocess
from pathlib import Path

import pytest
import yaml

from rubrics import engine

RUBRICS = Path(__file__).resolve().parents[2] / "fixtures" / "rubrics"


def load_rubric(code: str) -> engine.Rubric:
    with (RUBRICS / f"{code}.yaml").open(encoding="utf-8") as fh:
        return engine.rubric_from_dict(yaml.safe_load(fh))


@pytest.fixture(scope="session")
def changzhou():
    return load_rubric("changzhou-community")


def page_texts(data: bytes) -> list[str]:
    """The text of every page, by pypdf."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdftotext(data: bytes, tmp_path: Path) -> str:
    """The whole text by poppler's pdftotext -layout (keeps table rows on one line)."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def squash(text: str) -> str:
    """Text without any whitespace, for finding CJK phrases that wrap inside a cell."""
    return "".join(text.split())
