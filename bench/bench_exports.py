"""Benchmark: whole-cycle exports (xlsx summary table, JSON) streamed vs in memory, and the
cycle page and item-grid page, at province scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/exports_bench \\
        .venv/bin/python bench/bench_exports.py --units 2000 20000 --runs 3

For each size the script builds a cycle of N units × 40 items with ``province_data.build``,
computes it once (the results the exports read), then, for each of ``--runs`` rounds, runs
every export variant in a child process of its own, in alternating order:

- ``old-xlsx`` / ``old-json``: the exports as they were before streaming, copied below (the
  JSON reads every sheet's item inputs and builds the whole document, then the response
  text, in memory; the xlsx builds the whole workbook in memory);
- ``new-xlsx`` / ``new-json``: ``assessments.exports.write_results_xlsx`` /
  ``write_results_json`` into a temporary file, as the export job runs them.

Each child reports its wall time (export only, Django set-up excluded), CPU time (user +
system of the child), queries and file size; the child reports its peak RSS (``VmHWM`` of
/proc/self/status at the end: ``ru_maxrss`` from ``os.wait4`` would also count the parent's
pages the child held between fork and exec). It includes Django and the interpreter: the
``idle`` row is a child that sets Django up, reads the cycle and exports nothing. Then
it times the cycle page and the item-grid page (first, middle and last page, and a filtered
page) through Django's test client, as the administrator: time, queries, bytes. With
``--old-code DIR`` (a checkout of the code before this change, e.g. /work/main) the pages
are also timed on that code, in a child process reading the same database.

Prints a markdown table (min and median over the runs) and removes what it built unless
``--keep``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT
if "--code" in sys.argv:
    CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(1, str(ROOT))  # the reference exports of tests/
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

VARIANTS = ("old-xlsx", "new-xlsx", "old-json", "new-json")


# ------------------------------------------------------------------ the replaced exports
# assessments/exports.py as it was before streaming: tests/assessments/reference_exports.py
# (the reference the tests compare the streamed exports with).


def legacy_results_json(cycle) -> list:
    from tests.assessments.reference_exports import legacy_results_json as legacy

    return legacy(cycle)


def legacy_results_xlsx(cycle) -> bytes:
    from tests.assessments.reference_exports import legacy_results_xlsx as legacy

    return legacy(cycle)


# ------------------------------------------------------------------ one run, in a child


def child(variant: str, cycle_id: int, out: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.http import JsonResponse

    from assessments.models import Cycle

    cycle = Cycle.objects.select_related("rubric").get(pk=cycle_id)
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    start_cpu = time.process_time()
    start = time.perf_counter()
    with connection.execute_wrapper(counting):
        if variant == "old-xlsx":
            Path(out).write_bytes(legacy_results_xlsx(cycle))
        elif variant == "old-json":
            # the view's response: the whole document, then its text, in memory
            response = JsonResponse(
                legacy_results_json(cycle), safe=False, json_dumps_params={"ensure_ascii": False}
            )
            Path(out).write_bytes(response.content)
        elif variant == "new-xlsx":
            from assessments.exports import write_results_xlsx

            write_results_xlsx(cycle, out)
        elif variant == "new-json":
            from assessments.exports import write_results_json

            with open(out, "w", encoding="utf-8") as fh:
                write_results_json(cycle, fh)
        elif variant != "idle":
            raise SystemExit(f"unknown variant {variant}")
    wall = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    size = Path(out).stat().st_size if Path(out).exists() else 0
    peak = _vm_hwm_kib()
    print(json.dumps({"wall": wall, "cpu": cpu, "queries": count[0], "bytes": size, "hwm": peak}))


def _vm_hwm_kib() -> int:
    """The process's peak resident set (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_child(variant: str, cycle_id: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="exports-bench-") as tmp:
        out = str(Path(tmp) / "out")
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", variant, "--cycle", str(cycle_id), "--out", out],
            stdout=subprocess.PIPE,
            env=os.environ.copy(),
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        text = proc.stdout.read().decode()
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"{variant} failed ({proc.returncode})")
        data = json.loads(text.strip().splitlines()[-1])
        # The child's own VmHWM: its ru_maxrss from wait4 also counts the parent's pages it
        # held between fork and exec, so it reads as the (large) parent's size.
        data["rss_mib"] = data["hwm"] / 1024
        data["ru_maxrss_mib"] = usage.ru_maxrss / 1024
        return data


# ------------------------------------------------------------------ pages


def page_timings(cycle_id: int, runs: int) -> list[dict]:
    """Cycle page and item-grid page: first, middle, last, filtered; (name, ms, queries, KiB)
    as dicts, min and median over ``runs``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Assessment, Cycle

    cycle = Cycle.objects.get(pk=cycle_id)
    from tests.conftest import login_verified

    admin, _ = User.objects.get_or_create(
        username="exports-bench-admin", defaults={"role": User.Role.ADMIN}
    )
    client = login_verified(Client(SERVER_NAME="localhost"), admin)
    sheets = cycle.assessments.count()
    pages = max(1, -(-sheets // 100))
    town = cycle.assessments.values_list("unit__parent_id", flat=True).first()
    item = cycle.rubric.items.order_by("section__order", "order").first()
    Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
    detail = reverse("assessments:cycle_detail", args=[cycle.pk])
    grid = reverse("assessments:item_grid", args=[cycle.pk, item.pk])
    state = Assessment.State.SUBMITTED
    urls = [
        ("cycle page 1", detail),
        (f"cycle page {pages // 2 + 1}", f"{detail}?page={pages // 2 + 1}"),
        (f"cycle page {pages}", f"{detail}?page={pages}"),
        ("cycle page, one town", f"{detail}?town={town}"),
        ("item grid 1", grid),
        (f"item grid {pages // 2 + 1}", f"{grid}?page={pages // 2 + 1}"),
        (f"item grid {pages}", f"{grid}?page={pages}"),
        ("item grid, submitted", f"{grid}?state={state}"),
    ]
    out = []
    for name, url in urls:
        times, queries, size = [], 0, 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries, size = len(ctx.captured_queries), len(response.content)
        out.append(
            {
                "name": name,
                "min": min(times),
                "median": statistics.median(times),
                "queries": queries,
                "kib": size / 1024,
            }
        )
    return out


def old_page_timings(code: str, cycle_id: int, runs: int) -> list[dict]:
    proc = subprocess.run(
        [sys.executable, __file__, "--pages-child", "--code", code, "--cycle", str(cycle_id)]
        + ["--runs", str(runs)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
        raise SystemExit("old pages failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ report


def summary(values):
    return min(values), statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the built cycles")
    parser.add_argument("--old-code", help="a checkout of the code before, for the pages")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--pages-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cycle", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cycle, args.out)
        return
    import django

    django.setup()
    if args.pages_child:
        print(json.dumps(page_timings(args.cycle, args.runs)))
        return
    from django.db import connection
    from province_data import build, drop

    from accounts.models import User
    from assessments import compute
    from assessments.models import Cycle

    print(f"database: {connection.vendor}, runs: {args.runs}")
    for units in args.units:
        start = time.perf_counter()
        cycle_id = build(units)
        built = time.perf_counter() - start
        cycle = Cycle.objects.select_related("rubric").get(pk=cycle_id)
        admin = User.objects.filter(role="admin").first() or User.objects.first()
        start = time.perf_counter()
        compute.cycle_compute(cycle=cycle, user=admin)
        computed = time.perf_counter() - start
        print(
            f"\n## {units:,} units × 40 items (built in {built:.0f} s, computed in {computed:.0f} s)\n"
        )
        measured = {v: [] for v in ("idle", *VARIANTS)}
        for run in range(args.runs):
            order = ["idle", *(VARIANTS if run % 2 == 0 else reversed(VARIANTS))]
            for variant in order:
                measured[variant].append(run_child(variant, cycle_id))
        print(
            "| export | wall s min / median | CPU s min / median | peak RSS MiB min / median | queries | file MiB |"
        )
        print("|---|---|---|---|---|---|")
        for variant, rows in measured.items():
            wall = summary([r["wall"] for r in rows])
            cpu = summary([r["cpu"] for r in rows])
            rss = summary([r["rss_mib"] for r in rows])
            print(
                f"| {variant} | {wall[0]:.2f} / {wall[1]:.2f} | {cpu[0]:.2f} / {cpu[1]:.2f} "
                f"| {rss[0]:.0f} / {rss[1]:.0f} | {rows[0]['queries']} "
                f"| {rows[0]['bytes'] / 2**20:.2f} |"
            )
        sets = [("new", page_timings(cycle_id, args.runs))]
        if args.old_code:
            sets.insert(0, ("old", old_page_timings(args.old_code, cycle_id, args.runs)))
        print("\n| code | page | ms min / median | queries | KiB |")
        print("|---|---|---|---|---|")
        for label, rows in sets:
            for r in rows:
                print(
                    f"| {label} | {r['name']} | {r['min']:.0f} / {r['median']:.0f} "
                    f"| {r['queries']} | {r['kib']:.0f} |"
                )
        sys.stdout.flush()
        if not args.keep:
            drop(cycle_id)


if __name__ == "__main__":
    main()
