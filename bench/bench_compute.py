"""Benchmark: compute a cycle of 2,000 units × 40 items through the database.

Run on PostgreSQL (the goal is stated there):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_bench .venv/bin/python bench/bench_compute.py
The database is created by the script's migrate if empty; the benchmark's own rows are
removed at the end. Prints the set-up time and the time of ``cycle_compute`` (best of 3):
reading every item score, N/A averages, totals, ranking, quota, subsidies, and writing the
2,000 results. Goal: ≤ 3 s.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from bench_engine import build_rubric_dict, random_input  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments import compute, services  # noqa: E402
from assessments.models import Assessment, Cycle, ItemScore  # noqa: E402
from assessments.sides import RESULT_SIDE  # noqa: E402
from org.models import Unit  # noqa: E402
from rubrics.models import Item, Rubric  # noqa: E402
from rubrics.services import rubric_import  # noqa: E402


def setup(units: int):
    data = build_rubric_dict()
    data["code"] = "bench-40"
    Rubric.objects.filter(code="bench-40").delete()
    rubric, _ = rubric_import(data=data)
    bureau = Unit.objects.create(name="基准测试局", kind=Unit.Kind.BUREAU)
    towns = [
        Unit.objects.create(name=f"基准镇{t:02d}", kind=Unit.Kind.TOWN, parent=bureau)
        for t in range(20)
    ]
    grassroots = Unit.objects.bulk_create(
        Unit(
            name=f"社区{i:05d}",
            normalized_name=f"社区{i:05d}",
            kind=Unit.Kind.COMMUNITY,
            parent=towns[i % 20],
        )
        for i in range(units)
    )
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_user(
        "bench-admin", role=User.Role.ADMIN
    )
    cycle = services.cycle_create(
        title="基准", year=2026, rubric=rubric, units=grassroots, user=admin
    )
    items = {i.key: i for i in Item.objects.filter(rubric=rubric)}
    rng = random.Random(20240101)
    item_dicts = [i for s in data["sections"] for i in s["items"]]
    scores = []
    for sheet in cycle.assessments.all():
        for item in item_dicts:
            value = random_input(item, rng)
            if value is None:
                continue
            scores.append(
                ItemScore(assessment=sheet, item=items[item["key"]], side=RESULT_SIDE, input=value)
            )
    ItemScore.objects.bulk_create(scores, batch_size=5000)
    Assessment.objects.filter(cycle=cycle).update(state=Assessment.State.REVIEWED)
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    return bureau, cycle, admin, len(scores)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        bureau, cycle, admin, n_scores = setup(args.units)
    setup_s = time.perf_counter() - started
    times = []
    try:
        for _ in range(args.repeat):
            cycle.refresh_from_db()
            t0 = time.perf_counter()
            rows = compute.cycle_compute(cycle=cycle, user=admin)
            times.append(time.perf_counter() - t0)
        print(f"database: {connection.vendor}")
        print(f"units: {args.units}, item scores stored: {n_scores}, results: {len(rows)}")
        print(f"set-up: {setup_s:.1f} s")
        print(
            f"cycle_compute: best {min(times):.2f} s, runs {', '.join(f'{t:.2f}' for t in times)}"
        )
    finally:
        with transaction.atomic():
            Cycle.objects.filter(pk=cycle.pk).delete()
            Unit.objects.filter(parent__parent=bureau).delete()
            Unit.objects.filter(parent=bureau).delete()
            bureau.delete()
            Rubric.objects.filter(code="bench-40").delete()


if __name__ == "__main__":
    main()
