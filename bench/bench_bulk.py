"""Is ``targets/bulk.py`` (raw ``executemany``) needed? The target import's commit with it
and with the ORM's ``bulk_create``/``bulk_update``, at the sizes bureaus have.

Run: ``.venv/bin/python bench/bench_bulk.py [--sizes 50 500 5000] [--indicators 10]
[--runs 5]``.

On a fresh SQLite database in a temporary folder (one per size, in its own process), for each size (units × indicators
values): the office-layout .xlsx is previewed once (not timed), then ``commit_import`` is
timed as a first import (inserts: the values and one audit record each) and as a
re-import with 10 % of the values changed (updates and their audit records), with the
writers of ``targets.bulk`` and with ORM writers of the same rows, alternating, ``--runs``
times each. Reported: min and median seconds of each commit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import make_units, make_values, make_xlsx, setup_django  # noqa: E402

BATCH = 1000


def orm_insert_rows(model, names, rows) -> int:
    attnames = [model._meta.get_field(name).attname for name in names]
    objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
    model.objects.bulk_create(objects, batch_size=BATCH)
    return len(objects)


def orm_update_rows(model, names, rows) -> int:
    attnames = [model._meta.get_field(name).attname for name in names]
    objects = [model(pk=row[0], **dict(zip(attnames, row[1:], strict=True))) for row in rows]
    model.objects.bulk_update(objects, names, batch_size=BATCH)
    return len(objects)


def writers():
    from targets import bulk

    return {
        "executemany": (bulk.insert_rows, bulk.update_rows),
        "orm": (orm_insert_rows, orm_update_rows),
    }


def timed_commit(data: bytes, year: int, insert, update) -> float:
    from targets import importing

    preview = importing.preview_import(data=data, file_name="bench.xlsx", year=year)
    assert not preview.errors, preview.errors[:3]
    with (
        mock.patch.object(importing, "insert_rows", insert),
        mock.patch.object(importing, "update_rows", update),
    ):
        start = time.perf_counter()
        importing.commit_import(preview=preview)
        return time.perf_counter() - start


def measure(units: int, indicators: int, runs: int) -> dict:
    from targets.models import ImportBatch, TargetAllocation

    names = make_units(units)
    values = make_values(names, indicators)
    first = make_xlsx(names, indicators, values)
    changed = dict(values)
    for key in random.Random(7).sample(sorted(values), len(values) // 10):
        changed[key] += 1
    again = make_xlsx(names, indicators, changed)
    times = {(way, phase): [] for way in writers() for phase in ("insert", "update")}
    for run in range(runs):
        order = list(writers().items())
        if run % 2:
            order.reverse()
        for way, (insert, update) in order:
            ImportBatch.objects.all().delete()
            TargetAllocation.objects.all().delete()
            times[(way, "insert")].append(timed_commit(first, 2024, insert, update))
            assert TargetAllocation.objects.count() == len(values)
            times[(way, "update")].append(timed_commit(again, 2024, insert, update))
    return times


def report(units: int, indicators: int, times: dict) -> None:
    for phase in ("insert", "update"):
        label = "first import" if phase == "insert" else "10 % changed"
        for way in writers():
            found = times[(way, phase)]
            print(
                f"{units:>6} {units * indicators:>7} {label:<14} {way:<12} "
                f"{min(found):7.3f} {statistics.median(found):9.3f}"
            )
        ratio = statistics.median(times[("orm", phase)]) / statistics.median(
            times[("executemany", phase)]
        )
        print(f"{'':>6} {'':>7} {label:<14} orm / executemany (medians): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(prefix="bench-bulk-") as folder:
            setup_django(Path(folder))
            report(args.child, args.indicators, measure(args.child, args.indicators, args.runs))
        return
    print(f"{'units':>6} {'values':>7} {'commit':<14} {'writer':<12} {'min s':>7} {'median s':>9}")
    for units in args.sizes:
        command = [sys.executable, __file__, "--child", str(units)]
        command += ["--indicators", str(args.indicators), "--runs", str(args.runs)]
        sys.stdout.flush()
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
