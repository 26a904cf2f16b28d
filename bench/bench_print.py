"""Benchmark of batch printing: 200 filled 常州 community score sheets into one PDF.

Run: ``.venv/bin/python bench/bench_print.py [--sheets 200] [--repeat 3] [--only MODE ...]``.

The ways, run alternately in the same invocation (paired), each in a fresh child process:

- naive: every sheet through a fresh ``HTML(string=...).write_pdf()``, the PDFs then
  concatenated with pypdf;
- w2 / w1 (ours): the batch print as the product runs it — a job of the bench's kind
  (``bench/print_kind.py``, the same 200 sheets) enqueued on a bench database (a SQLite
  file, or ``--database-url``), run by 2 / 1 real ``manage.py db_worker`` processes with
  ``PRINT_RENDER_PROCESSES=1``: the plan, the chunk tasks (each builds and renders its own
  sheets and stores its PDF), the merge. Timed from the enqueue to the job done; the
  workers are started (and idle) before;
- fast (not run unless asked): ``printing.render.render_pdf`` in one process with its
  pool, one process per core — the way before chunk tasks.

All start from the same documents and include making the HTML. Reported: seconds (min and
median), CPU seconds of every process involved (the workers' from /proc, so their start-up
is not counted), peak RSS, and the 1-minute load average. Goals: ours (w2) ≥ 3 × naive on 2
cores; two workers faster than one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RUBRIC = ROOT / "fixtures" / "rubrics" / "changzhou-community.yaml"
TOWNS = ["湖塘镇", "牛塘镇", "礼嘉镇", "洛阳镇", "遥观镇", "横林镇", "横山桥镇", "雪堰镇"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def random_input(item, rng: random.Random) -> dict:
    """A plausible input for one item of the rubric, by its rule kind and parameters."""
    kind, top = item.kind, item.max_points
    if kind == "veto":
        return {"passed": rng.random() > 0.02}
    if kind == "discretionary":
        step = item.params.get("step", Decimal("0.5"))
        steps = int(top / step)
        return {"score": str(step * rng.randint(steps // 2, steps))}
    if kind == "fixed_deductions":
        flags = {}
        for deduction in item.params.get("deductions", []):
            if deduction["each"]:
                flags[deduction["key"]] = rng.choice([0, 0, 0, 1, 2])
            else:
                flags[deduction["key"]] = rng.random() < 0.2
        for zero in item.params.get("zero_if", []):
            flags[zero["key"]] = rng.random() < 0.03
        return {"flags": flags}
    if kind == "checklist":
        return {"flags": {part["key"]: rng.random() < 0.85 for part in item.params["parts"]}}
    if kind == "brackets":
        return {"value": f"{rng.uniform(60, 100):.1f}"}
    if kind == "peer_average":
        step = item.params.get("step", Decimal("0.5"))
        steps = int(top / step)
        return {"ratings": [str(step * rng.randint(steps // 2, steps)) for _ in range(5)]}
    raise AssertionError(f"no generator for kind {kind}")


def build_docs(count: int, seed: int = 2024, only=None):
    """``count`` filled sheets: review inputs scored by the engine, self scores near them.
    Each sheet has its own random stream, so ``only`` (indexes) builds just those sheets,
    identical to the same sheets of the whole list (what a chunk task of the bench kind
    does, ``bench/print_kind.py``)."""
    import yaml

    from assessments.print_documents import ScoreSheetDoc
    from rubrics import engine

    rubric = engine.rubric_from_dict(yaml.safe_load(RUBRIC.read_text(encoding="utf-8")))
    docs = []
    for n in range(count) if only is None else only:
        rng = random.Random(seed * 100_000 + n)
        town = TOWNS[n % len(TOWNS)]
        unit = f"{town[:-1]}第{n + 1:03d}社区"
        inputs = {
            "subject": unit,
            "town": town,
            "items": {item.key: random_input(item, rng) for item in rubric.items},
        }
        result = engine.evaluate(rubric, inputs)
        self_scores = {
            r.key: min(r.max_points, r.score + Decimal("0.5") * rng.randint(0, 1))
            for r in result.items
        }
        docs.append(
            ScoreSheetDoc(
                rubric=rubric,
                unit_name=unit,
                town_name=town,
                year=2024,
                date_text="2025年1月15日",
                result=result,
                self_scores=self_scores,
            )
        )
    return docs


def naive(docs) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    from printing.render import html_for

    writer = PdfWriter()
    for doc in docs:
        writer.append(PdfReader(io.BytesIO(HTML(string=html_for(doc)).write_pdf())))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fast(docs, workers: int | None, chunk: int | None, marks: list) -> bytes:
    from printing.render import render_pdf

    start = time.perf_counter()

    def progress(done, total):
        marks.append((round(time.perf_counter() - start, 2), done))

    return render_pdf(docs, workers=workers, chunk_size=chunk, progress=progress)


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU time of this process and of its finished children (the pool
    workers). System time is mostly page faults: see printing/frame_stack.py."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


def proc_cpu(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a running process, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def proc_peak_mib(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def check_pdf(data: bytes) -> tuple[int, list[int], int]:
    """Pages, the 「共 2 页」 count on the first and last page, and the bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    footers = [reader.pages[i].extract_text().count("共 2 页") for i in (0, len(reader.pages) - 1)]
    return len(reader.pages), footers, len(reader.outline)


def child(mode: str, sheets: int, workers: int | None, chunk: int | None, out: str | None):
    """naive or fast, in this (fresh) process; prints a JSON line."""
    setup_django()

    docs = build_docs(sheets)
    marks: list = []
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    data = naive(docs) if mode == "naive" else fast(docs, workers, chunk, marks)
    seconds = time.perf_counter() - start
    (user_after, sys_after), (user_before, sys_before) = cpu_seconds(), cpu_before
    cpu, system = user_after + sys_after - user_before - sys_before, sys_after - sys_before
    pages, footers, bookmarks = check_pdf(data)
    if out:
        Path(out).write_bytes(data)
    print(
        json.dumps(
            {
                "mode": mode,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "sys_seconds": system,
                "pages": pages,
                "bookmarks": bookmarks,
                "bytes": len(data),
                "rss_mib": max(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                )
                / 1024,
                "footer_check": footers,
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
            }
        )
    )


def worker_env(database_url: str, media: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url,
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "TEST_MEDIA_ROOT": media,
        "PRINT_RENDER_PROCESSES": "1",
        "PRINT_EXTRA_KIND_MODULES": "bench.print_kind",
    }


def prepare_database(database_url: str, media: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=worker_env(database_url, media),
        check=True,
    )


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    """``count`` db_worker processes, returned once each has said it started."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                f"bench-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(count)
    ]
    for proc in procs:
        for line in proc.stdout:
            if "Starting worker" in line:
                break
        else:
            raise RuntimeError("a worker stopped before it started")
    return procs


def workers_child(count: int, sheets: int, database_url: str, media: str) -> None:
    """Ours with ``count`` real workers, in this process (the enqueuing side)."""
    env = worker_env(database_url, media)
    os.environ.update(env)
    import django

    django.setup()
    from accounts.models import User
    from jobs.models import Job
    from jobs.services import job_enqueue
    from printing.models import PrintChunk

    user = User.objects.filter(username="bench").first() or User.objects.create_user(
        "bench", password="bench-only-0123456789"
    )
    procs = start_workers(count, env)
    try:
        load_before = os.getloadavg()[0]
        cpu_before = [sum(proc_cpu(p.pid)) for p in procs]
        sys_before = [proc_cpu(p.pid)[1] for p in procs]
        own_before = time.process_time()
        start = time.perf_counter()
        job = job_enqueue(kind="bench_sheets", params={"sheets": sheets}, user=user)
        while True:
            time.sleep(0.1)
            job.refresh_from_db()
            if job.finished:
                break
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker died")
        seconds = time.perf_counter() - start
        cpu = sum(sum(proc_cpu(p.pid)) for p in procs) - sum(cpu_before)
        cpu += time.process_time() - own_before
        system = sum(proc_cpu(p.pid)[1] for p in procs) - sum(sys_before)
        peaks = [proc_peak_mib(p.pid) for p in procs]
        if job.state != Job.State.DONE:
            raise RuntimeError(f"the job failed: {job.error}")
        with job.result.open("rb") as handle:
            data = handle.read()
        chunks = list(PrintChunk.objects.filter(job=job).values_list("worker", flat=True))
        pages, footers, bookmarks = check_pdf(data)
        per_worker = {w: chunks.count(w) for w in sorted(set(chunks))}
        job.result.delete(save=False)
        job.delete()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=120)
    print(
        json.dumps(
            {
                "mode": f"w{count}",
                "seconds": seconds,
                "cpu_seconds": cpu,
                "sys_seconds": system,
                "pages": pages,
                "bookmarks": bookmarks,
                "bytes": len(data),
                "rss_mib": max(peaks),
                "footer_check": footers,
                "chunks_per_worker": list(per_worker.values()),
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="fast: pool processes")
    parser.add_argument("--chunk", type=int, default=None, help="fast: sheets per chunk")
    parser.add_argument("--only", nargs="+", choices=["naive", "w2", "w1", "fast"], default=None)
    parser.add_argument("--repeat", type=int, default=1, help="run the ways N times, alternating")
    parser.add_argument("--out", default=None, help="keep the fast way's PDF here")
    parser.add_argument("--database-url", default=None, help="bench database (default: SQLite)")
    parser.add_argument("--child", choices=["naive", "fast"], help=argparse.SUPPRESS)
    parser.add_argument("--workers-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--media", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        child(args.child, args.sheets, args.workers, args.chunk, args.out)
        return
    if args.workers_child:
        workers_child(args.workers_child, args.sheets, args.database_url, args.media)
        return

    modes = args.only or ["naive", "w2", "w1"]
    scratch = tempfile.mkdtemp(prefix="print-bench-")
    media = os.path.join(scratch, "media")
    database_url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    if any(mode.startswith("w") for mode in modes):
        prepare_database(database_url, media)
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    try:
        for _ in range(args.repeat):
            for mode in modes:
                command = [sys.executable, __file__, "--sheets", str(args.sheets)]
                if mode.startswith("w"):
                    command += ["--workers-child", mode[1:], "--database-url", database_url]
                    command += ["--media", media]
                else:
                    command += ["--child", mode]
                    if args.workers:
                        command += ["--workers", str(args.workers)]
                    if args.chunk:
                        command += ["--chunk", str(args.chunk)]
                    if args.out and mode == "fast":
                        command += ["--out", args.out]
                done = subprocess.run(command, capture_output=True, text=True)
                if done.returncode:
                    sys.exit(f"{mode} failed:\n{done.stdout}\n{done.stderr}")
                run = json.loads(done.stdout.strip().splitlines()[-1])
                runs[mode].append(run)
                print(
                    f"  {mode}: {run['seconds']:.1f} s, CPU {run['cpu_seconds']:.1f} s, "
                    f"load {run['load_before']:.1f}→{run['load_after']:.1f}"
                    + (
                        f", chunks per worker {run['chunks_per_worker']}"
                        if "chunks_per_worker" in run
                        else ""
                    ),
                    flush=True,
                )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"sheets: {args.sheets}  cores: {os.cpu_count()}  repeat: {args.repeat}")
    print(
        f"{'way':<6} {'min s':>7} {'median s':>9} {'CPU s min':>10} {'of it sys':>9} "
        f"{'pages':>6} {'marks':>6} {'MiB':>6} {'peak RSS':>9} {'load':>10}"
    )
    for mode, found in runs.items():
        best = min(found, key=lambda r: r["seconds"])
        loads = [r["load_before"] for r in found]
        print(
            f"{mode:<6} {best['seconds']:7.1f} {statistics.median(r['seconds'] for r in found):9.1f} "
            f"{min(r['cpu_seconds'] for r in found):10.1f} {best['sys_seconds']:9.1f} "
            f"{best['pages']:6d} {best['bookmarks']:6d} {best['bytes'] / 2**20:6.1f} "
            f"{max(r['rss_mib'] for r in found):6.0f} MiB {min(loads):4.1f}–{max(loads):4.1f}"
        )
        print(f"{mode} runs: " + ", ".join(f"{r['seconds']:.1f} s" for r in found))

    def ratio(a: str, b: str) -> None:
        if a in runs and b in runs:
            mins = min(r["seconds"] for r in runs[a]) / min(r["seconds"] for r in runs[b])
            meds = statistics.median(r["seconds"] for r in runs[a]) / statistics.median(
                r["seconds"] for r in runs[b]
            )
            pairs = [x["seconds"] / y["seconds"] for x, y in zip(runs[a], runs[b], strict=False)]
            print(
                f"{a} / {b}: {mins:.2f}× (min), {meds:.2f}× (median), paired runs "
                + ", ".join(f"{p:.2f}×" for p in pairs)
            )

    ratio("naive", "w2")
    ratio("naive", "fast")
    ratio("w1", "w2")


if __name__ == "__main__":
    main()
