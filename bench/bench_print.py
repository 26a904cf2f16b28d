"""Benchmark of PDF printing: 200 filled 常州 community score sheets into one PDF.

Run: ``.venv/bin/python bench/bench_print.py [--sheets 200] [--workers N] [--chunk N]``.

Both ways run in the same invocation, each in a fresh child process so that the peak
memory of one does not hide the other's:

- naive: every sheet through a fresh ``HTML(string=...).write_pdf()``, the PDFs then
  concatenated with pypdf;
- fast: ``printing.render.render_pdf`` — chunks of sheets, each chunk one WeasyPrint
  document painted by one ``write_pdf()``, one process per core, merged with pypdf.

Both start from the same documents and include making the HTML. Reported: seconds,
sheets per second, pages, and the peak resident memory (``ru_maxrss``) of the process and
of its children (the fast way's pool workers). Goal: fast ≥ 3 × naive throughput.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
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


def build_docs(count: int, seed: int = 2024):
    """``count`` filled sheets: review inputs scored by the engine, self scores near them."""
    import yaml

    from assessments.print_documents import ScoreSheetDoc
    from rubrics import engine

    rubric = engine.rubric_from_dict(yaml.safe_load(RUBRIC.read_text(encoding="utf-8")))
    rng = random.Random(seed)
    docs = []
    for n in range(count):
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


def child(mode: str, sheets: int, workers: int | None, chunk: int | None, out: str | None):
    """One way, in this (fresh) process; prints a JSON line."""
    setup_django()
    from pypdf import PdfReader

    docs = build_docs(sheets)
    marks: list = []
    load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    data = naive(docs) if mode == "naive" else fast(docs, workers, chunk, marks)
    seconds = time.perf_counter() - start
    (user_after, sys_after), (user_before, sys_before) = cpu_seconds(), cpu_before
    cpu, system = user_after + sys_after - user_before - sys_before, sys_after - sys_before
    reader = PdfReader(io.BytesIO(data))
    footers = [reader.pages[i].extract_text().count("共 2 页") for i in (0, len(reader.pages) - 1)]
    if out:
        Path(out).write_bytes(data)
    print(
        json.dumps(
            {
                "mode": mode,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "sys_seconds": system,
                "pages": len(reader.pages),
                "bytes": len(data),
                "rss_self_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "footer_check": footers,
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
                "marks": marks[1:2] + marks[-1:],  # first chunk done, last chunk done
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--chunk", type=int, default=None, help="sheets per chunk")
    parser.add_argument("--only", choices=["naive", "fast"], default=None)
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both ways N times, alternating; best is kept"
    )
    parser.add_argument("--out", default=None, help="keep the fast way's PDF here")
    parser.add_argument("--child", choices=["naive", "fast"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        child(args.child, args.sheets, args.workers, args.chunk, args.out)
        return

    modes = [args.only] if args.only else ["naive", "fast"]
    runs: dict[str, list[dict]] = {mode: [] for mode in modes}
    for _ in range(args.repeat):
        for mode in modes:
            command = [sys.executable, __file__, "--child", mode, "--sheets", str(args.sheets)]
            if args.workers:
                command += ["--workers", str(args.workers)]
            if args.chunk:
                command += ["--chunk", str(args.chunk)]
            if args.out and mode == "fast":
                command += ["--out", args.out]
            line = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs[mode].append(json.loads(line.strip().splitlines()[-1]))
    results = {mode: min(found, key=lambda r: r["seconds"]) for mode, found in runs.items()}

    print(f"sheets: {args.sheets}  cores: {os.cpu_count()}  rubric: {RUBRIC.name}")
    print(
        f"{'way':<6} {'seconds':>8} {'sheets/s':>9} {'CPU s':>7} {'of it sys':>9} {'pages':>6} {'MiB':>6} "
        f"{'peak RSS self':>14} {'peak RSS child':>15}"
    )
    for mode, r in results.items():
        print(
            f"{mode:<6} {r['seconds']:8.2f} {args.sheets / r['seconds']:9.2f} "
            f"{r['cpu_seconds']:7.1f} {r['sys_seconds']:9.1f} {r['pages']:6d} {r['bytes'] / 2**20:6.1f} "
            f"{r['rss_self_mib']:10.0f} MiB {r['rss_children_mib']:11.0f} MiB"
        )
    for mode, r in results.items():
        extra = ""
        if r["marks"]:
            (first, _), (last, _) = r["marks"][0], r["marks"][-1]
            extra = f"; first chunk done at {first} s, last at {last} s, then the merge"
        print(
            f"{mode}: 1-minute load average {r['load_before']:.2f} before, "
            f"{r['load_after']:.2f} after{extra}"
        )
    if args.repeat > 1:
        for mode, found in runs.items():
            print(f"{mode} runs: " + ", ".join(f"{r['seconds']:.1f} s" for r in found))
    if len(results) == 2:
        speedup = results["naive"]["seconds"] / results["fast"]["seconds"]
        cpu_ratio = results["naive"]["cpu_seconds"] / results["fast"]["cpu_seconds"]
        print(f"speed-up: {speedup:.2f}×  (goal ≥ 3×); CPU time naive / fast: {cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
