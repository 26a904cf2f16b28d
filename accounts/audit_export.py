"""The security log as a spreadsheet (xlsx or csv), cells written through kit.spreadsheets
so that text typed by anyone (a user name, an object's name) never becomes a formula."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from kit.spreadsheets import csv_row, put_row

HEADERS = ("时间", "用户", "地址", "事件", "对象类型", "对象编号", "对象", "结果", "说明", "变更")


def changes_text(event) -> str:
    return "；".join(
        f"{label}：{old or '（空）'} → {new or '（空）'}" for label, old, new in event.change_rows
    )


def _values(event) -> list:
    return [
        f"{timezone.localtime(event.at):%Y-%m-%d %H:%M:%S}",
        event.username,
        event.address or "",
        event.get_event_display(),
        event.object_type,
        event.object_id,
        event.object_repr,
        event.get_outcome_display(),
        event.detail,
        changes_text(event),
    ]


def log_xlsx(events) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "安全审计日志"
    put_row(sheet, 1, HEADERS)
    for row, event in enumerate(events.iterator(chunk_size=2000), start=2):
        put_row(sheet, row, _values(event))
    for column, width in zip("ABCDEFGHIJ", (20, 14, 16, 16, 14, 10, 24, 8, 40, 50), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def log_csv(events) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for event in events.iterator(chunk_size=2000):
        writer.writerow(csv_row(_values(event)))
    # With a byte-order mark, so that Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
