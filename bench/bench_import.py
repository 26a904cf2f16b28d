"""Benchmark of the target import: 5,000 units × 10 indicators (50,000 values) from one .xlsx.

Run: ``.venv/bin/python bench/bench_import.py [--units 5000] [--indicators 10] [--runs 3]
[--plain-rows 2000] [--database-url postgres://…] [--profile]``.

On a fresh database (SQLite in a temporary folder by default; ``--database-url`` names an
empty PostgreSQL database to use instead, never the project's), the same office-layout
.xlsx (title row, 序号, 单位, 10 indicator columns, 合计 row), in one invocation, several
runs each, every run a first import (the values, batches and indicators of the run before
are deleted):

- ours: ``targets.importing.preview_import`` (pre-scan + calamine read, find the table,
  match 5,000 names, compare with the database) + ``commit_import`` (one transaction,
  ``executemany`` inserts, the audit batch with one change record per value);
- tuned: a django-import-export ``ModelResource`` made as fast as the library allows:
  ``use_bulk=True`` with ``batch_size=5000``, ``skip_diff=True``, ``skip_unchanged=True``,
  ``force_init_instance=True`` (no lookup of an existing row per row), foreign keys through
  a widget that loads every unit and indicator once and caches them by name, no per-row
  query; it is given the 50,000 values already as a long-format ``tablib.Dataset`` in
  memory (its file reading is not timed: in its favour). Dry run + real import, as the
  admin's import/confirm does;
- plain: a default ``ModelResource`` with ``ForeignKeyWidget`` by name, timed on the first
  ``--plain-rows`` rows and scaled up linearly (labelled "extrapolated");
- floor: reading the file with calamine only
  (``CalamineWorkbook.from_filelike(...).get_sheet_by_index(0).to_python()``).

Goals: ours ≥ 5 × the tuned resource on a first import, within 3 × the calamine read.
``--profile`` prints the top entries of a cProfile of one ours run.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(folder: Path, database_url: str = "") -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
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


def reset() -> None:
    from targets.models import ImportBatch, ImportChange, Indicator, TargetAllocation

    ImportChange.objects.all().delete()
    ImportBatch.objects.all().delete()
    TargetAllocation.objects.all().delete()
    Indicator.objects.all().delete()


def run_ours(data: bytes, year: int) -> float:
    from targets.importing import commit_import, preview_import

    def both():
        preview = preview_import(data=data, file_name="bench.xlsx", year=year)
        assert not preview.errors, preview.errors[:3]
        return commit_import(preview=preview)

    seconds, _batch = timed(both)
    return seconds


def long_rows(names, n_indicators, values, year):
    return [
        (year, name, indicator_name(k), values[(name, k)], None)
        for name in names
        for k in range(n_indicators)
    ]


def tuned_resource():
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from org.models import Unit
    from targets.models import Indicator, TargetAllocation

    class CachedByName(ForeignKeyWidget):
        """Every instance loaded once, then found by name without a query."""

        def __init__(self, model):
            super().__init__(model, "name")
            self.cache = None

        def clean(self, value, row=None, **kwargs):
            if self.cache is None:
                self.cache = {o.name: o for o in self.model.objects.all()}
            return self.cache[value]

    class TunedResource(resources.ModelResource):
        unit = fields.Field(attribute="unit", column_name="unit", widget=CachedByName(Unit))
        indicator = fields.Field(
            attribute="indicator", column_name="indicator", widget=CachedByName(Indicator)
        )

        class Meta:
            model = TargetAllocation
            fields = ("year", "unit", "indicator", "target", "sub_target")
            import_id_fields = ("year", "unit", "indicator")
            use_bulk = True
            batch_size = 5000
            skip_diff = True
            skip_unchanged = True
            force_init_instance = True
            use_transactions = True

    return TunedResource()


def plain_resource():
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

    return PlainResource()


def run_resource(make, rows) -> float:
    import tablib

    from targets.models import Indicator

    # The library does not create indicators: they exist before it runs (not timed).
    names = sorted({r[2] for r in rows})
    Indicator.objects.bulk_create(
        [Indicator(name=n, normalized_name=n, sort_order=i) for i, n in enumerate(names)]
    )
    dataset = tablib.Dataset(*rows, headers=["year", "unit", "indicator", "target", "sub_target"])

    def both():
        for dry_run in (True, False):
            result = make().import_data(dataset, dry_run=dry_run)
            assert not result.has_errors() and not result.has_validation_errors()

    seconds, _ = timed(both)
    return seconds


def run_floor(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    seconds, rows = timed(
        lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    )
    assert len(rows) > 1
    return seconds


def run_read(data: bytes, fast: bool) -> float:
    from kit.imports import TableLimits
    from kit.imports.xlsx import read_xlsx

    seconds, _ = timed(
        lambda: read_xlsx(data, "b.xlsx", limits=TableLimits(), max_unzipped=10**9, fast=fast)
    )
    return seconds


def stats(values) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} s"


def profile(data: bytes, year: int, top: int = 25) -> None:
    import cProfile
    import pstats

    reset()
    profiler = cProfile.Profile()
    profiler.enable()
    run_ours(data, year)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plain-rows", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        setup_django(Path(folder), args.database_url)
        from django.db import connection

        from targets.models import ImportChange, TargetAllocation

        names = make_units(args.units)
        values = make_values(names, args.indicators)
        t_make, data = timed(lambda: make_xlsx(names, args.indicators, values))
        n = len(values)
        print(
            f"database: {connection.vendor}; {args.units} units × {args.indicators} indicators"
            f" = {n} values; xlsx {len(data) / 1024 / 1024:.1f} MB (written in {t_make:.2f} s)",
            flush=True,
        )
        if args.profile:
            profile(data, 2024)
            return
        rows = long_rows(names, args.indicators, values, 2024)
        times = {k: [] for k in ("ours", "tuned", "plain", "floor", "read", "stream")}
        for _run in range(args.runs):
            times["floor"].append(run_floor(data))
            times["read"].append(run_read(data, True))
            times["stream"].append(run_read(data, False))
            reset()
            times["ours"].append(run_ours(data, 2024))
            assert TargetAllocation.objects.count() == n and ImportChange.objects.count() == n
            reset()
            times["tuned"].append(run_resource(tuned_resource, rows))
            assert TargetAllocation.objects.count() == n
            reset()
            part = rows[: args.plain_rows]
            times["plain"].append(run_resource(plain_resource, part) * n / len(part))
            reset()
            print(
                f"run {_run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
                flush=True,
            )
        print(f"runs: {args.runs}; min / median")
        print(f"ours, first import (preview + commit): {stats(times['ours'])}")
        print(f"tuned django-import-export (dry run + import): {stats(times['tuned'])}")
        print(
            f"plain django-import-export (dry run + import), extrapolated from "
            f"{min(args.plain_rows, n)} rows: {stats(times['plain'])}"
        )
        print(f"floor, calamine read only: {stats(times['floor'])}")
        print(f"our reader alone (pre-scan + calamine): {stats(times['read'])}")
        print(f"our streaming reader alone (before): {stats(times['stream'])}")
        ours, tuned, floor = (statistics.median(times[k]) for k in ("ours", "tuned", "floor"))
        print(
            f"medians: tuned ÷ ours = {tuned / ours:.1f} × (goal ≥ 5); "
            f"ours ÷ floor = {ours / floor:.1f} × (goal ≤ 3)"
        )


if __name__ == "__main__":
    main()
