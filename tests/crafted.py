"""Crafted spreadsheets that attack a reader's memory, written member by member.

Each builder returns the bytes of an .xlsx whose parts are written by hand, so a file can
declare what a real workbook would not (a dimension of A1:XFD1048576, a 16,384-column row,
a shared-strings table of millions of entries) while staying small on disk. Used by the
tests (with lowered limits) and by ``bench/bench_crafted_uploads.py`` (at full size).
"""

import io
import zipfile
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{NS}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    "</styleSheet>"
)


def column_letter(col: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def number_cell(row: int, col: int, value) -> str:
    return f'<c r="{column_letter(col)}{row}"><v>{value}</v></c>'


def text_cell(row: int, col: int, text: str) -> str:
    return f'<c r="{column_letter(col)}{row}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def shared_cell(row: int, col: int, index: int) -> str:
    return f'<c r="{column_letter(col)}{row}" t="s"><v>{index}</v></c>'


def workbook(
    rows,
    *,
    dimension: str | None = None,
    shared_strings=None,
    sheet_name: str = "Sheet1",
    level: int = 6,
) -> bytes:
    """An .xlsx with one sheet. ``rows``: an iterable of (row number, [cell xml, …]);
    ``shared_strings``: an iterable of strings for xl/sharedStrings.xml, or None."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{NS}" xmlns:r="{REL_NS}"><sheets>'
            f'<sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">'.encode())
            _write_chunked(part, (f"<si><t>{escape(s)}</t></si>" for s in shared_strings or ()))
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
            if dimension:
                head += f'<dimension ref="{dimension}"/>'
            part.write((head + "<sheetData>").encode())
            _write_chunked(
                part, (f'<row r="{number}">{"".join(cells)}</row>' for number, cells in rows)
            )
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _write_chunked(part, pieces, size: int = 1 << 20) -> None:
    buffer, length = [], 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            part.write("".join(buffer).encode())
            buffer, length = [], 0
    if buffer:
        part.write("".join(buffer).encode())


# --- the crafted files ------------------------------------------------------------------


def table_rows(header, body):
    """(row number, cells) of a small plain table: ``header`` then ``body`` rows."""
    rows = [header, *body]
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                cells.append(number_cell(r, c, value))
            else:
                cells.append(text_cell(r, c, str(value)))
        yield r, cells


def declared_dimension(header, body, *, far_cell: bool = True) -> bytes:
    """A small table in a sheet that declares A1:XFD1048576; with ``far_cell`` one more
    number sits in the last cell, XFD1048576."""
    rows = list(table_rows(header, body))
    if far_cell:
        rows.append((1048576, [number_cell(1048576, 16384, 1)]))
    return workbook(rows, dimension="A1:XFD1048576")


def wide_row(columns: int = 16384, header=None, body=()) -> bytes:
    """A table whose first data row is filled out to ``columns`` columns."""
    rows = list(table_rows(header or ["x"], body))
    row = len(rows) + 1
    rows.append((row, [number_cell(row, c, c) for c in range(1, columns + 1)]))
    return workbook(rows, dimension=f"A1:{column_letter(columns)}{row}")


def many_shared_strings(count: int) -> bytes:
    """A shared-strings table of ``count`` distinct short strings, two of them used."""
    strings = (f"s{i}" for i in range(count))
    return workbook([(1, [shared_cell(1, 1, 0), shared_cell(1, 2, 1)])], shared_strings=strings)


def huge_shared_strings(count: int, length: int = 32767) -> bytes:
    """``count`` shared strings of ``length`` characters each (32,767 is Excel's most)."""
    strings = (chr(0x4E00 + i % 20000) * length for i in range(count))
    return workbook([(1, [shared_cell(1, 1, 0)])], shared_strings=strings)


def dense(rows: int, columns: int) -> bytes:
    """Every cell of ``rows`` × ``columns`` holds a number."""
    return workbook(
        (
            (r, [number_cell(r, c, r * 1000 + c) for c in range(1, columns + 1)])
            for r in range(1, rows + 1)
        ),
        dimension=f"A1:{column_letter(columns)}{rows}",
    )


def dense_of_size(megabytes: float) -> bytes:
    """A dense sheet 20 columns wide whose file is about ``megabytes`` MB."""
    # ~2.9 bytes per compressed number cell at level 6, measured on this builder
    rows = int(megabytes * 1024 * 1024 / 20 / 2.9)
    return dense(rows, 20)


def many_huge_cells(count: int = 3, length: int = 40_000) -> bytes:
    """Shared strings longer than Excel allows in a cell."""
    return huge_shared_strings(count, length)


# --- for the tests: every crafted file, at a size the lowered limits refuse ----------------

# (id, builder, what the refusal says); the tests run with LOWERED limits.
LOWERED = {"IMPORT_MAX_CELLS": 20_000}
ATTACKS = [
    (
        "declared-dimension-A1-XFD1048576",
        lambda: declared_dimension(["姓名", "单位"], [["甲", "淹城社区"]]),
        "第 1048576 行 XFD 列有内容，超出可导入的 500 列",
    ),
    ("row-of-16384-columns", lambda: wide_row(), "第 2 行 SG 列有内容，超出可导入的 500 列"),
    ("many-shared-strings", lambda: many_shared_strings(25_000), "共享字符串表有超过 20000 条文字"),
    ("huge-shared-strings", lambda: many_huge_cells(), "超过 Excel 允许的 32767 个"),
    ("dense-sheet", lambda: dense(300, 100), "有超过 20000 个单元格，超过可导入的 20000 个"),
]


# --- evidence --------------------------------------------------------------------------


def pdf_object_stream_bomb(streams: int, padding: int) -> bytes:
    """A one-page PDF with ``streams`` object streams, each holding one small dictionary
    followed by ``padding`` spaces: kilobytes on disk, ``streams × padding`` bytes once
    unpacked (pypdf keeps each stream it decodes)."""
    import zlib

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    packed_first = 4 + streams
    for i in range(streams):
        header = b"%d 0 " % (packed_first + i)
        squeeze = zlib.compressobj(9)
        data = squeeze.compress(header + b"<< /K 1 >>")
        data += squeeze.compress(b" " * padding) + squeeze.flush()
        add(
            4 + i,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(header), len(data))
            + data
            + b"\nendstream",
        )
    xref = packed_first + streams
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in range(1, packed_first)]
    rows += [b"\x02" + (4 + i).to_bytes(4, "big") + b"\x00\x00" for i in range(streams)]
    rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
    xref_at = len(out)
    data = b"".join(rows)
    out.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref, xref + 1, len(data))
        + data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)


def large_image(fmt: str, width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(out, fmt)
    return out.getvalue()
