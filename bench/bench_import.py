"""Benchmark of the target import: 5,000 units × 10 indicators (50,000 values) from one .xlsx.

Run: ``.venv/bin/python bench/bench_import.py [--units 5000] [--indicators 10]
[--plain-rows N]``.

On a fresh SQLite database in a temporary folder (never the project's db.sqlite3), in
one invocation:

- ours: ``targets.importing.preview_import`` (read the office-layout .xlsx, find the table,
  match every unit name, compare with the database) then ``commit_import`` (one
  transaction, bulk inserts, the audit batch with one change record per value); then a
  re-import of the same file with 10 % of the values changed (preview + commit with bulk
  updates);
- plain: a default django-import-export ``ModelResource`` with ``ForeignKeyWidget`` by
  name, importing the same 50,000 values row by row: a dry run (its preview) and then the
  real import, as the admin's import/confirm does.

``--plain-rows N`` times the plain resource on the first N rows only and scales the time
up linearly (marked "extrapolated"); by default it imports all rows.
Goal: ours ≤ 10 s for preview + commit, and ≥ 10 × faster than the plain resource.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(folder: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_units(n_units: int) -> list[str]:
    from org.models import Unit
    from org.naming import normalize_name

    bureau = Unit.objects.create(name="基准测试区人社局", kind=Unit.Kind.BUREAU)
    per_town = 100
    towns = []
    for t in range((n_units + per_town - 1) // per_town):
        towns.append(
            Unit(name=f"第{t + 1:03d}镇", kind=Unit.Kind.TOWN, parent=bureau, sort_order=t)
        )
    for town in towns:
        town.normalized_name = normalize_name(town.name)
    Unit.objects.bulk_create(towns)
    towns = list(Unit.objects.filter(parent=bureau).order_by("sort_order"))
    names, units = [], []
    for i in range(n_units):
        town = towns[i // per_town]
        name = f"{town.name}第{i % per_town + 1:03d}社区"
        names.append(name)
        units.append(
            Unit(
                name=name,
                normalized_name=normalize_name(name),
                kind=Unit.Kind.COMMUNITY,
                parent=town,
                sort_order=i % per_town,
            )
        )
    Unit.objects.bulk_create(units, batch_size=2000)
    return names


def make_values(names, n_indicators: int, seed: int = 2024) -> dict:
    rng = random.Random(seed)
    return {(name, k): rng.randint(0, 5000) for name in names for k in range(n_indicators)}


def indicator_name(k: int) -> str:
    return f"测试指标{k + 1:02d}"


def make_xlsx(names, n_indicators: int, values: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("目标任务")
    sheet.append(["基准测试目标任务分解表"])
    sheet.append(["序号", "单位", *[f"{indicator_name(k)}（人）" for k in range(n_indicators)]])
    totals = [0] * n_indicators
    for i, name in enumerate(names, start=1):
        row = [values[(name, k)] for k in range(n_indicators)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        sheet.append([i, name, *row])
    sheet.append(["合计", None, *totals])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_ours(data: bytes, year: int) -> dict:
    from targets.importing import commit_import, preview_import

    t_preview, preview = timed(lambda: preview_import(data=data, file_name="bench.xlsx", year=year))
    assert not preview.errors, preview.errors[:3]
    t_commit, batch = timed(lambda: commit_import(preview=preview))
    return {"preview": t_preview, "commit": t_commit, "counts": preview.counts, "batch": batch}


def run_plain(names, n_indicators, values, year, limit) -> dict:
    import tablib
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from org.models import Unit
    from targets.models import Indicator, TargetAllocation

    class PlainResource(resources.ModelResource):
        unit = fields.Field(
            attribute="unit", column_name="unit", widget=ForeignKeyWidget(Unit, "name")
        )
        indicator = fields.Field(
            attribute="indicator",
            column_name="indicator",
            widget=ForeignKeyWidget(Indicator, "name"),
        )

        class Meta:
            model = TargetAllocation
            fields = ("year", "unit", "indicator", "target", "sub_target")
            import_id_fields = ("year", "unit", "indicator")

    rows = [
        (year, name, indicator_name(k), values[(name, k)], None)
        for name in names
        for k in range(n_indicators)
    ]
    total_rows = len(rows)
    if limit:
        rows = rows[:limit]
    dataset = tablib.Dataset(*rows, headers=["year", "unit", "indicator", "target", "sub_target"])
    t_dry, result = timed(lambda: PlainResource().import_data(dataset, dry_run=True))
    assert not result.has_errors() and not result.has_validation_errors()
    t_real, result = timed(lambda: PlainResource().import_data(dataset, dry_run=False))
    assert not result.has_errors() and not result.has_validation_errors()
    scale = total_rows / len(rows)
    return {
        "preview": t_dry * scale,
        "commit": t_real * scale,
        "rows_timed": len(rows),
        "rows_total": total_rows,
        "extrapolated": scale != 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument(
        "--plain-rows", type=int, default=0, help="time the plain resource on N rows"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        setup_django(Path(folder))
        from django.db import connection

        from targets.models import ImportChange, TargetAllocation

        names = make_units(args.units)
        values = make_values(names, args.indicators)
        t_make, data = timed(lambda: make_xlsx(names, args.indicators, values))
        n = len(values)
        print(
            f"database: {connection.vendor}; {args.units} units × {args.indicators} indicators = {n} values"
        )
        print(f"xlsx: {len(data) / 1024 / 1024:.1f} MB, written in {t_make:.2f} s")

        ours = run_ours(data, 2024)
        assert TargetAllocation.objects.count() == n and ImportChange.objects.count() == n
        total = ours["preview"] + ours["commit"]
        print(
            f"ours, first import:   preview {ours['preview']:.2f} s + commit {ours['commit']:.2f} s = {total:.2f} s ({n / total:,.0f} values/s)"
        )

        rng = random.Random(7)
        changed = dict(values)
        for key in rng.sample(sorted(values), n // 10):
            changed[key] += 1
        again = run_ours(make_xlsx(names, args.indicators, changed), 2024)
        again_total = again["preview"] + again["commit"]
        print(
            f"ours, re-import with {again['counts']['changed']} changed: preview {again['preview']:.2f} s"
            f" + commit {again['commit']:.2f} s = {again_total:.2f} s"
        )

        TargetAllocation.objects.all().delete()
        plain = run_plain(names, args.indicators, values, 2024, args.plain_rows)
        plain_total = plain["preview"] + plain["commit"]
        note = f" (extrapolated from {plain['rows_timed']} rows)" if plain["extrapolated"] else ""
        print(
            f"plain ModelResource: dry run {plain['preview']:.2f} s + import {plain['commit']:.2f} s"
            f" = {plain_total:.2f} s ({n / plain_total:,.0f} values/s){note}"
        )
        print(
            f"speed-up: {plain_total / total:.1f} ×; goal ≤ 10 s: {'met' if total <= 10 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
