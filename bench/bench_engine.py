"""Benchmark of the scoring engine: 2,000 units × 40 items, N/A averages, ranking, quota.

Run: ``.venv/bin/python bench/bench_engine.py [--units 2000] [--repeat 3] [--profile]``.
Prints units, items, seconds (best of the repeats), item scores per second, and the peak
memory of one run (tracemalloc, measured separately so it does not slow the timing).
Goal: ≥ 200,000 item scores per second on one core.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rubrics.engine import apply_quota, evaluate_cycle, rank, rubric_from_dict  # noqa: E402

TOWNS = [f"镇{n:02d}" for n in range(20)]


def _item(key: int, kind: str, max_points: str, params: dict | None = None, **extra) -> dict:
    return {
        "key": str(key),
        "number": str(key),
        "title": f"第{key}项",
        "max_points": max_points,
        "kind": kind,
        "params": params or {},
        **extra,
    }


def build_rubric_dict() -> dict:
    """40 items mixing every kind the documents use; four items take N/A averages."""
    items = []
    key = 0

    def add(kind, max_points, params=None, **extra):
        nonlocal key
        key += 1
        items.append(_item(key, kind, max_points, params, **extra))

    for _ in range(3):
        add("veto", "2")
    for _ in range(11):
        add("discretionary", "3")
    add("discretionary", "2", na_policy="full")
    for _ in range(4):
        add("deduct_per_occurrence", "3", {"per": "1", "label": "缺"})
    add(
        "fixed_deductions",
        "5",
        {
            "deductions": [
                {"key": "env", "label": "服务环境不佳", "points": "1"},
                {"key": "net", "label": "网络中断", "points": "1", "each": True},
            ],
            "zero_if": [{"key": "nowin", "label": "无独立办事窗口"}],
        },
    )
    add(
        "checklist",
        "3",
        {
            "parts": [
                {"key": "kept", "label": "保存完好", "points": "2"},
                {"key": "staff", "label": "有专人负责", "points": "1"},
            ]
        },
    )
    for n in range(6):
        add("proportional", "4", {"unit": "人"}, na_policy="average" if n < 3 else "none")
    add("all_or_nothing", "3", {"unit": "人"}, na_policy="average")
    add("all_or_nothing", "2")
    add("shortfall_step", "3", {"step": "10", "points": "1", "unit": "人"})
    add("shortfall_step", "6", {"step": "1", "points": "0.2", "unit": "人"})
    add("shortfall_step", "6", {"step": "1", "points": "2", "unit": "个"})
    add("rate_below", "3", {"points_per_point": "1"})
    add("rate_below", "3", {"points_per_point": "0.5", "partial": "exact"})
    add(
        "brackets",
        "6",
        {"brackets": [{"min": str(40 + 10 * i), "points": str(i + 1)} for i in range(6)]},
    )
    add(
        "composite",
        "6",
        {
            "components": [
                {"key": "train", "label": "培训", "max_points": "3", "kind": "proportional"},
                {
                    "key": "cert",
                    "label": "鉴定取证",
                    "max_points": "3",
                    "kind": "proportional",
                    "params": {"source": "sub"},
                },
            ]
        },
    )
    add("peer_average", "2")
    add(
        "highest_level",
        "4",
        {
            "levels": [
                {"key": "city", "label": "本市级", "points": "1"},
                {"key": "nt", "label": "南通市级", "points": "2"},
                {"key": "prov", "label": "省级", "points": "3"},
                {"key": "nat", "label": "国家级", "points": "4"},
            ]
        },
    )
    add(
        "additive_bonus",
        "2",
        {
            "levels": [
                {"key": "prov", "label": "省级表彰", "points": "2"},
                {"key": "city", "label": "市级表彰", "points": "1"},
                {"key": "county", "label": "县级表彰", "points": "0.5"},
            ]
        },
        bonus=True,
    )
    add(
        "penalty",
        "0",
        {"per": "2", "removes_award_eligibility": True},
        penalty=True,
    )
    assert len(items) == 40, len(items)
    return {
        "code": "bench",
        "title": "基准评分表",
        "declared_total": "100",
        "grades": [
            {"label": "优秀", "min": "84", "subsidy_percent": "100"},
            {"label": "良好", "min": "78", "subsidy_percent": "90"},
            {"label": "合格", "min": "70", "subsidy_percent": "70"},
        ],
        "quota": {"grade": "优秀", "percent": "30", "scope": "cycle", "enforced": True},
        "bonus_cap": "3",
        "sections": [
            {"key": "s1", "title": "一、基本", "declared_points": None, "items": items[:20]},
            {"key": "s2", "title": "二、目标", "declared_points": None, "items": items[20:]},
        ],
    }


def random_input(item: dict, rng: random.Random) -> dict:
    kind = item["kind"]
    if item.get("na_policy") == "average" and rng.random() < 0.1:
        return {"na": True}
    top = float(item["max_points"])
    if kind == "veto":
        return {"passed": rng.random() > 0.01}
    if kind == "discretionary":
        return {"score": str(rng.randint(0, int(top * 2)) / 2)}
    if kind in ("deduct_per_occurrence", "penalty"):
        return {"count": rng.choice([0, 0, 0, 1, 2, 5])}
    if kind == "fixed_deductions":
        return {"flags": {"env": rng.random() < 0.2, "net": rng.randint(0, 2)}}
    if kind == "checklist":
        return {"flags": {"kept": rng.random() < 0.8, "staff": rng.random() < 0.8}}
    if kind in ("proportional", "all_or_nothing", "shortfall_step"):
        target = rng.randint(0, 300)
        return {"target": target, "actual": int(target * rng.uniform(0.7, 1.2))}
    if kind == "rate_below":
        return {"rate": f"{rng.uniform(90, 100):.1f}"}
    if kind == "brackets":
        return {"value": f"{rng.uniform(30, 100):.1f}"}
    if kind == "composite":
        target = rng.randint(100, 3000)
        sub = target // 2
        return {
            "target": target,
            "actual": int(target * rng.uniform(0.7, 1.1)),
            "sub_target": sub,
            "sub_actual": int(sub * rng.uniform(0.7, 1.1)),
        }
    if kind == "peer_average":
        return {"ratings": [str(rng.randint(0, 4) / 2) for _ in range(5)]}
    if kind == "highest_level":
        return {
            "claims": [
                {
                    "project": f"项目{rng.randint(1, 3)}",
                    "level": rng.choice(["city", "prov", "nat"]),
                }
                for _ in range(rng.randint(0, 3))
            ]
        }
    if kind == "additive_bonus":
        return {
            "claims": [
                {"level": rng.choice(["prov", "city", "county"])} for _ in range(rng.randint(0, 2))
            ]
        }
    raise AssertionError(kind)


def build_sheets(rubric_dict: dict, units: int, seed: int = 20240101) -> list[dict]:
    rng = random.Random(seed)
    items = [item for section in rubric_dict["sections"] for item in section["items"]]
    return [
        {
            "subject": f"单位{n:05d}",
            "town": TOWNS[n % len(TOWNS)],
            "items": {item["key"]: random_input(item, rng) for item in items},
        }
        for n in range(units)
    ]


def run_once(rubric, sheets):
    cycle = evaluate_cycle(rubric, sheets)
    ranked = rank(cycle.results)
    decisions = apply_quota(rubric, ranked)
    return cycle, ranked, decisions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()

    rubric_dict = build_rubric_dict()
    rubric = rubric_from_dict(rubric_dict)
    sheets = build_sheets(rubric_dict, args.units)
    n_items = len(rubric.items)
    run_once(rubric_from_dict(rubric_dict), sheets[:10])  # import and warm the code paths

    def timed(fresh_rubric: bool) -> tuple[list[float], list[float], tuple]:
        timings = []
        cpu_timings = []
        rubric = rubric_from_dict(rubric_dict)
        out: tuple = ()
        for _ in range(args.repeat):
            if fresh_rubric:
                # as after loading the rubric from the database (a memo lives per evaluate_cycle)
                rubric = rubric_from_dict(rubric_dict)
            # start from a collected heap without the previous run's results, so that a
            # run does not pay for garbage-collecting the harness's leftovers
            out = ()
            gc.collect()
            start, cpu_start = time.perf_counter(), time.process_time()
            out = run_once(rubric, sheets)
            timings.append(time.perf_counter() - start)
            cpu_timings.append(time.process_time() - cpu_start)
        return timings, cpu_timings, out

    timings, cpu_timings, (cycle, ranked, decisions) = timed(fresh_rubric=True)
    best = min(timings)
    cpu_best = min(cpu_timings)
    warm_timings, _, _ = timed(fresh_rubric=False)
    warm = min(warm_timings)

    gc.collect()
    tracemalloc.start()
    run_once(rubric, sheets)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scores = args.units * n_items
    moved = sum(1 for d in decisions if d.grade_after != d.grade_before)
    print(f"units: {args.units}")
    print(f"items per sheet: {n_items}")
    print(f"item scores: {scores}")
    print(
        f"seconds (best of {args.repeat}): {best:.3f}  all: {', '.join(f'{t:.3f}' for t in timings)}"
    )
    print(f"item scores per second: {scores / best:,.0f}")
    print(
        f"CPU seconds (best of {args.repeat}): {cpu_best:.3f}  → {scores / cpu_best:,.0f} per CPU second"
    )
    print(f"same rubric reused (plan built once): {warm:.3f} s, {scores / warm:,.0f} per second")
    print(f"peak traced memory of one run: {peak / 2**20:.1f} MiB; max RSS: {max_rss:.1f} MiB")
    print(
        f"N/A means: {len(cycle.na_averages)}; vetoed: {sum(1 for r in cycle.results if r.veto)}; "
        f"moved down by quota: {moved}; top rank total: {ranked[0].result.total}"
    )

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        run_once(rubric, sheets)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
