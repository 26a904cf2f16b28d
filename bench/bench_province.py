"""Province scale on PostgreSQL: computing a cycle as the background job, and the results page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/compute_bench \\
        .venv/bin/python bench/bench_province.py --units 2000 20000 100000 --runs 3

For each size, a cycle of N units × 40 items is built (``province_data.build``), then:

- compute, ours: a Job row of kind ``cycle_compute`` run by ``jobs.runner.execute`` (what a
  worker does) in a child process; wall and CPU time, the child's peak RSS (its VmHWM, read at
  its end), and the number of queries;
- compute, baseline (``--baseline-max``, default 20,000 units): the computation as it was
  before batching (``tests/assessments/reference_compute.py``, every input and result in
  memory), in a child process the same way, in the same invocation, runs interleaved;
- the results page (as the administrator): first,
  middle and last page, and a page filtered by a town and a grade; time, queries, bytes.

Each measurement is run ``--runs`` times; the table gives min and median. The built cycles are
removed at the end (``--keep`` keeps them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
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

from django.db import connection  # noqa: E402


class Counter:
    """Counts the queries run (an execute wrapper; keeps no SQL, so it costs no memory)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def child(mode: str, cycle_id: int) -> None:
    """Run one computation and print what it took as JSON."""
    from accounts.models import User
    from assessments.models import Cycle

    admin = User.objects.filter(username="bench-admin").first()
    counter = Counter()
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        if mode == "ours":
            from jobs.models import Job
            from jobs.runner import execute

            job = Job.objects.create(
                kind="cycle_compute", params={"cycle": cycle_id}, requested_by=admin
            )
            job = execute(job.pk)
            if job.state != Job.State.DONE:
                raise SystemExit(f"job failed: {job.error}")
            summary = job.summary
        else:
            from tests.assessments.reference_compute import reference_cycle_compute

            rows = reference_cycle_compute(cycle=Cycle.objects.get(pk=cycle_id), user=admin)
            summary = f"{len(rows)} results"
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss_mib()
    print(
        json.dumps(
            {"wall": wall, "cpu": cpu, "rss": peak, "queries": counter.n, "summary": summary}
        )
    )


def peak_rss_mib() -> float:
    """This process's peak resident memory: VmHWM, which exec resets. (``ru_maxrss`` of a
    child starts at its parent's peak on Linux, so it would report the builder's memory.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, cycle_id: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--cycle", str(cycle_id)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def page_client():
    """The administrator's client, logged in with the second factor passed."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    admin = User.objects.get(username="bench-admin")
    device = TOTPDevice.objects.filter(user=admin, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=admin, name="基准", confirmed=True)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure_page(client, url: str) -> dict:
    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return {"time": elapsed, "queries": counter.n, "bytes": len(response.content)}


def page_urls(cycle_id: int) -> dict:
    from django.urls import reverse

    from assessments.models import Result
    from assessments.views import RESULTS_PER_PAGE

    url = reverse("assessments:results", args=[cycle_id])
    n = Result.objects.filter(cycle_id=cycle_id).count()
    pages = max(1, -(-n // RESULTS_PER_PAGE))
    first = Result.objects.filter(cycle_id=cycle_id).order_by("rank").first()
    from urllib.parse import urlencode

    filtered = urlencode({"town": first.town_name, "grade": first.grade})
    return {
        "first page": url,
        "middle page": f"{url}?page={pages // 2 + 1}",
        "last page": f"{url}?page={pages}",
        "town + grade": f"{url}?{filtered}",
    }


def mm(values) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-max", type=int, default=20000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--existing",
        type=int,
        nargs="+",
        default=[],
        help="cycle ids already built by province_data, one per --units (0: build); kept",
    )
    parser.add_argument("--child", choices=["ours", "baseline"])
    parser.add_argument("--cycle", type=int)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cycle)
        return

    import province_data
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    province_data._admin()
    print(
        f"database: {connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
    )
    built = []
    try:
        existing = args.existing + [0] * len(args.units)
        for units, reuse in zip(args.units, existing, strict=False):
            t0 = time.perf_counter()
            cycle_id = reuse or province_data.build(units)
            if not reuse:
                built.append(cycle_id)
            print(
                f"\n## {units} units × 40 items (cycle {cycle_id}, built in "
                f"{time.perf_counter() - t0:.0f} s)"
            )
            # ours last in each round: the page then reads a version with its summary
            modes = (["baseline"] if units <= args.baseline_max else []) + ["ours"]
            found = {m: [] for m in modes}
            for _ in range(args.runs):
                for mode in modes:  # interleaved, so both see the same machine
                    found[mode].append(run_child(mode, cycle_id))
                    print(f"  {mode}: {json.dumps(found[mode][-1], ensure_ascii=False)}")
            print("| compute | wall s (min / median) | CPU s | peak RSS MiB | queries |")
            print("|---|---|---|---|---|")
            for mode, runs in found.items():
                print(
                    f"| {mode} | {mm([r['wall'] for r in runs])} | {mm([r['cpu'] for r in runs])}"
                    f" | {mm([r['rss'] for r in runs])} | {runs[-1]['queries']} |"
                )
            client = page_client()
            urls = page_urls(cycle_id)
            client.get(urls["first page"])  # warm the session and the template cache
            pages = {name: [] for name in urls}
            for _ in range(args.runs):
                for name, url in urls.items():
                    pages[name].append(measure_page(client, url))
            print("| results page | ms (min / median) | queries | KiB |")
            print("|---|---|---|---|")
            for name, runs in pages.items():
                times = [r["time"] * 1000 for r in runs]
                print(
                    f"| {name} | {min(times):.0f} / {statistics.median(times):.0f} | "
                    f"{runs[-1]['queries']} | {runs[-1]['bytes'] / 1024:.0f} |"
                )
            sys.stdout.flush()
    finally:
        if not args.keep:
            for cycle_id in built:
                province_data.drop(cycle_id)


if __name__ == "__main__":
    main()
