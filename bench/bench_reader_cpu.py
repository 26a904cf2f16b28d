"""CPU time of reading one table: pre-scan + calamine, the streaming reader, calamine alone.

Run: ``.venv/bin/python bench/bench_reader_cpu.py [--runs 5]``.

In one process, the three readers read the same bytes alternately, ``--runs`` times each
(``time.process_time``, so the other work on a shared machine counts less than in wall
time): ``tests/crafted.py``'s ordinary 5,000 × 12 table and ``bench_import.py``'s
office-layout 5,000 × 10 target table. Prints min / median per reader and file.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def files() -> dict[str, bytes]:
    from bench_import import make_xlsx

    from tests import crafted

    header = ["姓名", "性别", "单位", "电话"]
    body = [[f"人员{i}", "女", "淹城社区", 13900000000 + i] for i in range(20)]
    ordinary = list(crafted.table_rows(header, [[*r, *range(8)] for r in body * 250]))
    names = [f"第{i // 100 + 1:03d}镇第{i % 100 + 1:03d}社区" for i in range(5000)]
    values = {(n, k): (i * 7 + k) % 5000 for i, n in enumerate(names) for k in range(10)}
    return {
        "5,000 × 12 table": crafted.workbook(ordinary),
        "office 5,000 × 10": make_xlsx(names, 10, values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from python_calamine import CalamineWorkbook

    from kit.imports import TableLimits
    from kit.imports.xlsx import read_xlsx

    def ours(data, fast):
        return read_xlsx(data, "b.xlsx", limits=TableLimits(), max_unzipped=10**9, fast=fast)

    readers = {
        "pre-scan + calamine": lambda d: ours(d, True),
        "streaming reader": lambda d: ours(d, False),
        "calamine only": lambda d: (
            CalamineWorkbook.from_filelike(io.BytesIO(d)).get_sheet_by_index(0).to_python()
        ),
    }
    for label, data in files().items():
        times = {name: [] for name in readers}
        for _ in range(args.runs):
            for name, read in readers.items():
                start = time.process_time()
                read(data)
                times[name].append(time.process_time() - start)
        for name, spent in times.items():
            print(
                f"{label}: {name}: CPU {min(spent):.3f} / {statistics.median(spent):.3f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
