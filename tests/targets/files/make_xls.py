"""Write legacy-format (.xls, BIFF8) test tables. Needs xlwt, which the project does not
depend on; the .xls files are committed beside this script:

    pip install --target /tmp/xlwt-lib xlwt
    PYTHONPATH=/tmp/xlwt-lib .venv/bin/python tests/targets/files/make_xls.py
"""

from pathlib import Path

import xlwt

HERE = Path(__file__).resolve().parent


def hutang_part() -> None:
    """The first rows of 湖塘 附件1 as an office's old Excel would save them."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, "附件1")
    sheet.write_merge(1, 1, 0, 3, "2014年湖塘镇人社重点工作目标分解表")
    for col, text in enumerate(["序号", "类    别", "社保扩面人数", "公积金扩面人数"]):
        sheet.write(2, col, text)
    rows = [
        (1, "周家巷社区（周家巷村股份合作社）", 60, 70),
        (2, "淹城社区", 40, 50),
        (3, "何留社区", 5, 5),
    ]
    for r, (number, name, social, fund) in enumerate(rows, start=3):
        sheet.write(r, 0, number)
        sheet.write(r, 1, name)
        sheet.write(r, 2, social)
        sheet.write(r, 3, fund)
    sheet.write_merge(6, 6, 0, 1, "合   计")
    sheet.write(6, 2, 105)
    sheet.write(6, 3, 125)
    percent = xlwt.easyxf(num_format_str="0%")
    sheet.write(2, 4, "服务率")
    for r in range(3, 6):
        sheet.write(r, 4, 1, percent)
    book.save(str(HERE / "hutang-part.xls"))


if __name__ == "__main__":
    hutang_part()
