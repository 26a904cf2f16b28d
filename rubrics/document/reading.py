"""One entry for the three forms: stored bytes and their format → ``DocumentTable``."""

from __future__ import annotations

from .cells import DocumentError, docx_rows, text_rows, xlsx_rows
from .table import DocumentTable, read_rows, read_text_lines

FORMATS = ("docx", "xlsx", "text")


def read_document(data: bytes, fmt: str, filename: str) -> DocumentTable:
    if fmt == "docx":
        return read_rows(docx_rows(data, filename))
    if fmt == "xlsx":
        return read_rows(xlsx_rows(data, filename))
    if fmt == "text":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError("粘贴的内容无法读取，请重新粘贴。") from None
        return read_text_lines(text_rows(text))
    raise DocumentError("不支持的文件格式。")
