"""Pages and exports that grow with the units: the whole thing (as before) against one page or
a streamed file (now), at N units (towns of 100), on the database in DATABASE_URL.

    DATABASE_URL=sqlite:////tmp/bounded_bench.sqlite3 \\
        .venv/bin/python bench/bench_bounded.py --units 2000 20000 [--runs 3]

For each size it builds N communities with one target and one actual of 10 indicators
each, N coordinators, and one import batch of N changes, then measures, several runs, min
and median of the time, the queries and the response size:
- unit list: the whole tree (``unit_tree_for``, the page before) vs page 1 (20 towns);
- completion page: every row on one page (the page before) vs page 1 (100 rows, by rate);
- import batch page: page 1 (100 changes; before, the first 2,000 were sent);
- target export xlsx (N × 10 values): in memory (``export_xlsx``) vs write-only to a file;
- roster export: in memory (``roster_workbook``) vs write-only to a file;
with the peak of Python allocations during each export (tracemalloc).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from org.models import Unit  # noqa: E402
from staff.models import Coordinator  # noqa: E402
from staff.roster import roster_workbook  # noqa: E402
from staff.roster_file import write_roster  # noqa: E402
from targets import target_views, views  # noqa: E402
from targets.export_jobs import write_xlsx  # noqa: E402
from targets.exporting import export_xlsx, year_table  # noqa: E402
from targets.models import (  # noqa: E402
    Achievement,
    ImportBatch,
    ImportChange,
    Indicator,
    TargetAllocation,
)
from targets.selectors import unit_tree_for  # noqa: E402

YEAR = 2024


def build(n: int) -> tuple[User, Indicator, ImportBatch]:
    for model in (ImportChange, ImportBatch, Achievement, TargetAllocation, Coordinator):
        model.objects.all().delete()
    Unit.objects.filter(kind=Unit.Kind.COMMUNITY).delete()
    Unit.objects.filter(kind=Unit.Kind.TOWN).delete()
    bureau, _ = Unit.objects.get_or_create(
        name="基准人社局", defaults={"kind": Unit.Kind.BUREAU, "normalized_name": "基准人社局"}
    )
    towns = Unit.objects.bulk_create(
        Unit(
            name=f"镇{t:04d}",
            normalized_name=f"镇{t:04d}",
            kind=Unit.Kind.TOWN,
            parent=bureau,
            sort_order=t,
        )
        for t in range((n + 99) // 100)
    )
    units = Unit.objects.bulk_create(
        Unit(
            name=f"社区{i:06d}",
            normalized_name=f"社区{i:06d}",
            kind=Unit.Kind.COMMUNITY,
            parent=towns[i // 100],
            sort_order=i % 100,
        )
        for i in range(n)
    )
    indicators = [
        Indicator.objects.get_or_create(name=f"指标{k}", defaults={"measure": "人"})[0]
        for k in range(10)
    ]
    for indicator in indicators:
        TargetAllocation.objects.bulk_create(
            (
                TargetAllocation(year=YEAR, indicator=indicator, unit=u, target=100 + i % 50)
                for i, u in enumerate(units)
            ),
            batch_size=2000,
        )
    Achievement.objects.bulk_create(
        (
            Achievement(
                year=YEAR, indicator=indicators[0], unit=u, actual=i % 130, as_of="2024-06-30"
            )
            for i, u in enumerate(units)
        ),
        batch_size=2000,
    )
    Coordinator.objects.bulk_create(
        (Coordinator(name=f"协理员{i}", unit=u, phone="13912345678") for i, u in enumerate(units)),
        batch_size=2000,
    )
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.TARGETS, year=YEAR, source="b.xlsx")
    ImportChange.objects.bulk_create(
        (
            ImportChange(
                batch=batch, unit=u, indicator=indicators[0], action="new", new_value=Decimal(i)
            )
            for i, u in enumerate(units)
        ),
        batch_size=2000,
    )
    admin, _ = User.objects.get_or_create(
        username="bench_admin", defaults={"role": User.Role.ADMIN, "is_superuser": True}
    )
    return admin, indicators[0], batch


def timed(fn, runs: int):
    times, queries, size = [], 0, 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
        size = len(out)
    return min(times), statistics.median(times), queries, size


def peak(fn):
    tracemalloc.start()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, nargs="+", default=[2000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rf = RequestFactory()

    print("| units | what | before/now | min s | median s | queries | bytes / peak MiB |")
    print("|---|---|---|---|---|---|---|")
    for n in args.units:
        measure(n, args.runs, rf)


def measure(n: int, runs: int, rf) -> None:
    admin, indicator, batch = build(n)
    admin.is_verified = lambda: True  # the second factor is django-otp middleware's

    def get(view, path, *a, **kw):
        request = rf.get(path)
        request.user = admin
        request.session = {}
        request._messages = []
        return lambda: view(request, *a, **kw).content

    def whole_tree():
        return render_to_string("targets/unit_list.html", {"tree": unit_tree_for(admin)})

    def whole_completion():
        from targets.selectors import completion_page

        page, towns, town = completion_page(admin, indicator, YEAR, sort="-rate", per_page=n + 10)
        return render_to_string(
            "targets/completion.html",
            {
                "indicator": indicator,
                "year": YEAR,
                "rows": page.object_list,
                "towns": towns,
                "sort": "-rate",
            },
        )

    rows = [
        ("unit list", "before: whole tree", whole_tree),
        ("unit list", "now: page 1", get(views.unit_list, "/units/")),
        ("completion", "before: every row", whole_completion),
        (
            "completion",
            "now: page 1 by rate",
            get(target_views.completion, "/?sort=-rate", indicator.pk),
        ),
        ("import batch", "now: page 1", get(target_views.import_batch, "/", batch.pk)),
    ]
    for what, which, fn in rows:
        lo, med, q, size = timed(fn, runs)
        print(f"| {n} | {what} | {which} | {lo:.3f} | {med:.3f} | {q} | {size:,} |")
    tmp = Path(tempfile.mkdtemp(prefix="bounded-bench-"))
    table = year_table(YEAR)
    coordinators = Coordinator.objects.select_related("unit", "unit__parent", "user")
    exports = [
        ("target xlsx", "before: in memory", lambda: export_xlsx(table)),
        (
            "target xlsx",
            "now: write-only file",
            lambda: write_xlsx(table, "rows", tmp / "t.xlsx"),
        ),
        ("roster xlsx", "before: in memory", lambda: roster_workbook(coordinators)),
        (
            "roster xlsx",
            "now: write-only file",
            lambda: write_roster(coordinators, tmp / "r.xlsx"),
        ),
    ]
    for what, which, fn in exports:
        results = [peak(fn) for _ in range(runs)]
        times = [r[0] for r in results]
        top = max(r[1] for r in results) / 2**20
        print(
            f"| {n} | {what} | {which} | {min(times):.3f} | "
            f"{statistics.median(times):.3f} | – | {top:.0f} MiB |"
        )


if __name__ == "__main__":
    main()
