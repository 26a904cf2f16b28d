"""Province-scale data: a cycle of N units × 40 items, built fast on the database in
DATABASE_URL (PostgreSQL: COPY; SQLite: executemany), for the province benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/compute_bench \\
        .venv/bin/python bench/province_data.py --units 20000 [--seed 1] [--drop CYCLE_ID]

or from another script: ``from province_data import build, drop; cycle_id = build(20000)``.

What it builds: a bureau, towns of about 100 units each, N communities, the 40-item rubric of
``bench_engine`` (every rule kind; four items take N/A averages), one annual sheet per unit
in a cycle in 审核中, each sheet with the review side's inputs and scores (the result side)
and the self side's inputs and scores (coordinators score themselves a little higher), the
totals of both sides, and sheet states: most reviewed, some submitted. Item scores are the
engine's, so the stored rows look like the ones the pages write. Nothing is computed: the
cycle has no results until the benchmark computes it.

Rows per unit: 1 unit, 1 sheet, 80 item scores, 2 totals. 100,000 units is about 8 million
item-score rows (about 1.5 GB on PostgreSQL with indexes) and takes a few minutes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
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
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments.models import Assessment, Cycle, ItemScore, SideTotal  # noqa: E402
from assessments.sides import RESULT_SIDE, Side  # noqa: E402
from org.models import Unit  # noqa: E402
from org.naming import normalize_name  # noqa: E402
from rubrics import engine  # noqa: E402
from rubrics.engine.sheet import Memo  # noqa: E402
from rubrics.models import Item, Rubric  # noqa: E402
from rubrics.selectors import engine_rubric_for  # noqa: E402
from rubrics.services import rubric_import  # noqa: E402

TOWN_SIZE = 100
CHUNK = 2000  # sheets per write


def rubric_dict(items: int = 40, code: str = "province-40") -> dict:
    """The benchmark rubric with its first ``items`` items (40: all of them)."""
    data = build_rubric_dict()
    data["code"] = code
    if not 1 <= items <= 40:
        raise ValueError("items must be between 1 and 40")
    flat = [i for s in data["sections"] for i in s["items"]][:items]
    data["sections"] = [
        {**s, "items": part}
        for s, part in zip(data["sections"], (flat[:20], flat[20:]), strict=True)
        if part
    ]
    return data


def _self_input(item: dict, review: dict | None, rng: random.Random):
    """The coordinator's own input: a discretionary item scored up to a point higher."""
    if review is None or item["kind"] != "discretionary" or "score" not in review:
        return review
    top = float(item["max_points"])
    raised = min(top, float(review["score"]) + rng.choice([0, 0, 0.5, 1]))
    return {"score": str(raised)}


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Write ``rows`` into ``table``: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in rows:
                writer.writerow(["\\N" if v is None else v for v in row])
            buffer.seek(0)
            raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
            raw.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _admin():
    return User.objects.filter(username="bench-admin").first() or User.objects.create_user(
        "bench-admin", role=User.Role.ADMIN
    )


def build(units: int, items: int = 40, seed: int = 1, *, verbose: bool = False) -> int:
    """Build the cycle and return its id. Each call makes its own bureau, towns, units and
    rubric (named after ``seed`` and a time stamp), so several cycles may coexist."""
    started = time.perf_counter()
    rng = random.Random(seed)
    tag = f"{seed}-{int(time.time() * 1000) % 10**9}"
    data = rubric_dict(items, code=f"province-{tag}")
    item_dicts = [i for s in data["sections"] for i in s["items"]]
    with transaction.atomic():
        rubric, _ = rubric_import(data=data)
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
        rubric.refresh_from_db()
        parsed = engine_rubric_for(rubric)
        memo = Memo(parsed.plan)
        item_ids = {i.key: i.pk for i in Item.objects.filter(rubric=rubric)}
        bureau = Unit.objects.create(name=f"省级基准局{tag}", kind=Unit.Kind.BUREAU)
        n_towns = max(1, round(units / TOWN_SIZE))
        towns = Unit.objects.bulk_create(
            [
                Unit(
                    name=f"基准镇{t:04d}",
                    normalized_name=normalize_name(f"基准镇{t:04d}"),
                    kind=Unit.Kind.TOWN,
                    parent=bureau,
                    sort_order=t,
                )
                for t in range(n_towns)
            ]
        )
        town_names = {t.pk: t.name for t in towns}
        communities = Unit.objects.bulk_create(
            (
                Unit(
                    name=f"社区{i:06d}",
                    normalized_name=normalize_name(f"社区{i:06d}"),
                    kind=Unit.Kind.COMMUNITY,
                    parent=towns[i * n_towns // units],
                    sort_order=i,
                )
                for i in range(units)
            ),
            batch_size=5000,
        )
        cycle = Cycle.objects.create(
            title=f"省级基准 {units} 个单位",
            year=2026,
            rubric=rubric,
            state=Cycle.State.REVIEW,
            base_subsidy="20000",
        )
        now = timezone.now()
        sheets = Assessment.objects.bulk_create(
            (
                Assessment(
                    cycle=cycle,
                    phase="annual",
                    unit=u,
                    state=(
                        Assessment.State.SUBMITTED
                        if rng.random() < 0.05
                        else Assessment.State.REVIEWED
                    ),
                    submitted_at=now,
                    reviewed_at=now,
                )
                for u in communities
            ),
            batch_size=5000,
        )
        score_table = ItemScore._meta.db_table
        total_table = SideTotal._meta.db_table
        score_cols = ["assessment_id", "item_id", "side", "input", "score", "explanation", "note"]
        total_cols = ["assessment_id", "side", "total"]
        for start in range(0, len(sheets), CHUNK):
            score_rows, total_rows = [], []
            for sheet, unit in zip(
                sheets[start : start + CHUNK], communities[start : start + CHUNK], strict=True
            ):
                review = {i["key"]: random_input(i, rng) for i in item_dicts}
                own = {i["key"]: _self_input(i, review.get(i["key"]), rng) for i in item_dicts}
                town = town_names[unit.parent_id]
                for side, inputs in ((RESULT_SIDE, review), (Side.SELF, own)):
                    inputs = {k: v for k, v in inputs.items() if v is not None}
                    result = engine.evaluate(
                        parsed, {"subject": unit.name, "town": town, "items": inputs}, memo=memo
                    )
                    by_key = {r.key: r for r in result.items}
                    for key, value in inputs.items():
                        r = by_key[key]
                        score_rows.append(
                            (
                                sheet.pk,
                                item_ids[key],
                                side,
                                json.dumps(value, ensure_ascii=False),
                                None if r.score is None else str(r.score),
                                r.explanation,
                                "",
                            )
                        )
                    total_rows.append((sheet.pk, side, str(result.total)))
            _copy(score_table, score_cols, score_rows)
            _copy(total_table, total_cols, total_rows)
            if verbose:
                done = min(start + CHUNK, len(sheets))
                print(f"  {done}/{len(sheets)} sheets, {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (score_table, total_table, Assessment._meta.db_table, Unit._meta.db_table):
                cursor.execute(f"ANALYZE {table}")
    if verbose:
        print(
            f"built cycle {cycle.pk}: {units} units × {len(item_dicts)} items in "
            f"{time.perf_counter() - started:.1f} s"
        )
    return cycle.pk


def drop(cycle_id: int) -> None:
    """Remove a cycle made by ``build`` with its units and rubric."""
    from assessments.models import Change, Result, ResultVersion

    cycle = Cycle.objects.filter(pk=cycle_id).select_related("rubric").first()
    if cycle is None:
        return
    bureau = Unit.objects.filter(
        pk=Unit.objects.filter(assessment__cycle=cycle).values("parent__parent")[:1]
    ).first()
    with transaction.atomic():
        sheets = Assessment.objects.filter(cycle=cycle)
        Change.objects.filter(cycle=cycle).delete()
        ItemScore.objects.filter(assessment__in=sheets).delete()
        SideTotal.objects.filter(assessment__in=sheets).delete()
        Result.all_versions.filter(cycle=cycle).delete()
        ResultVersion.objects.filter(cycle=cycle).delete()
        sheets.delete()
        rubric = cycle.rubric
        cycle.delete()
        rubric.delete()
        if bureau is not None:
            Unit.objects.filter(parent__parent=bureau).delete()
            Unit.objects.filter(parent=bureau).delete()
            bureau.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop", type=int, metavar="CYCLE_ID", help="remove a built cycle")
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _admin()
    if args.drop:
        drop(args.drop)
        print(f"dropped cycle {args.drop}")
        return
    cycle_id = build(args.units, args.items, args.seed, verbose=True)
    print(cycle_id)


if __name__ == "__main__":
    main()
