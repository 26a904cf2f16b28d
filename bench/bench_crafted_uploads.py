"""Crafted uploads against each upload path's reader: wall time, CPU time and peak memory.

    .venv/bin/python bench/bench_crafted_uploads.py [--runs 3] [--timeout 120] [--cap-mb 4096]
        [--readers new,floor,"new evidence"]

Generates the crafted files (``tests/crafted.py``) in a temporary folder and reads each one
in a fresh child process per run, with:

- ``new``: ``kit.imports.read_table_file`` with the default limits, the reader of every
  table upload (targets, roster, and the offline score workbook with ``fill=False``);
- ``main tables``: the reader of targets and roster before this change (openpyxl full
  load, taken from git: ``kit/imports/readers.py`` at ``--before``);
- ``main scores``: what ``assessments/workbook.py`` did before (openpyxl read-only,
  ``list(ws.iter_rows(values_only=True))``);
- ``calamine``: python-calamine 0.9.1 reading every row, the alternative considered;
- ``floor``: unzipping every member of the file and throwing the bytes away.

and, for evidence files, ``assessments.evidence`` checks now and at ``--before``.

Memory is the child's peak RSS (``ru_maxrss`` from ``wait4``) minus its RSS after imports
and after the file was read into memory. Old readers run under ``RLIMIT_AS`` (``--cap-mb``)
so they cannot take the machine down; a run that dies is reported as "killed at N MB".
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_files(folder: Path) -> dict[str, Path]:
    from tests import crafted

    header = ["姓名", "性别", "单位", "电话"]
    body = [[f"人员{i}", "女", "淹城社区", 13900000000 + i] for i in range(20)]
    ordinary = list(crafted.table_rows(header, [[*r, *range(8)] for r in body * 250]))
    files = {
        "ordinary 5,000 × 12 table": crafted.workbook(ordinary),
        "dimension A1:XFD1048576, 3 cells + XFD1048576": crafted.declared_dimension(
            header[:2], [["甲", "淹城社区"]]
        ),
        "dimension A1:XFD1048576, 5,000 rows of 1 cell": crafted.workbook(
            [(r, [crafted.number_cell(r, 1, r)]) for r in range(1, 5001)],
            dimension="A1:XFD1048576",
        ),
        "one row of 16,384 columns": crafted.wide_row(),
        "2,000,000 shared strings": crafted.many_shared_strings(2_000_000),
        "2,000 shared strings of 32,767 chars": crafted.huge_shared_strings(2000),
        "10 MB dense sheet": crafted.dense_of_size(9.5),
    }
    paths = {}
    for index, (label, data) in enumerate(files.items()):
        path = folder / f"table{index}.xlsx"
        path.write_bytes(data)
        paths[label] = path
    evidence = {
        "PDF: 100 object streams × 70 MB of padding": crafted.pdf_object_stream_bomb(
            100, 70_000_000
        ),
        "JPEG 6000×6000 (36 MP)": crafted.large_image("JPEG", 6000, 6000),
        "PNG 9000×9000 (81 MP, under Pillow's bomb limit)": crafted.large_image("PNG", 9000, 9000),
    }
    for index, (label, data) in enumerate(evidence.items()):
        path = folder / f"evidence{index}.{'pdf' if label.startswith('PDF') else 'img'}"
        path.write_bytes(data)
        paths[label] = path
    return paths


def old_module(folder: Path, before: str, path: str, name: str):
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{before}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    target = folder / f"{name}.py"
    target.write_text(source, encoding="utf-8")
    return target


# --- in the child -----------------------------------------------------------------------


def child(reader: str, path: str, old_folder: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    sys.path.insert(0, old_folder)
    import django

    django.setup()
    import openpyxl  # noqa: F401 — every reader's imports count as baseline
    import python_calamine  # noqa: F401

    from assessments import evidence  # noqa: F401
    from kit.imports import read_table_file  # noqa: F401

    data = Path(path).read_bytes()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    outcome = run_reader(reader, data, path)
    print(
        json.dumps(
            {
                "outcome": outcome,
                "wall": time.perf_counter() - start,
                "cpu": time.process_time() - cpu,
                "base_kb": base,
            }
        )
    )


def run_reader(reader: str, data: bytes, path: str) -> str:
    import io

    from kit.imports import TableFileError

    try:
        if reader == "new":
            from kit.imports import read_table_file

            sheets = read_table_file(data, "upload.xlsx")
            return f"read {sum(len(s.rows) for s in sheets)} rows"
        if reader == "main tables":
            import old_readers

            sheets = old_readers.read_table_file(data, "upload.xlsx")
            return f"read {sum(len(s.rows) for s in sheets)} rows"
        if reader == "main scores":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = list(wb.worksheets[0].iter_rows(values_only=True))
            return f"read {len(rows)} rows"
        if reader == "calamine":
            import python_calamine

            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            count = sum(
                len(book.get_sheet_by_name(n).to_python(skip_empty_area=False))
                for n in book.sheet_names
            )
            return f"read {count} rows"
        if reader == "floor":
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    with archive.open(info) as stream:
                        while stream.read(1 << 20):
                            pass
            return "unzipped"
        if reader in ("new evidence", "main evidence"):
            from django.core.files.uploadedfile import SimpleUploadedFile

            if reader == "new evidence":
                from assessments import evidence
            else:
                import old_evidence as evidence
            name = "scan.pdf" if data.startswith(b"%PDF") else "photo"
            evidence.check_upload(SimpleUploadedFile(name, data), 0)
            return "accepted"
    except TableFileError as exc:
        return "refused: " + exc.message[:60]
    except MemoryError:
        return "MemoryError"
    except Exception as exc:  # noqa: BLE001 — reported, as a worker would see it
        if type(exc).__name__ == "EvidenceError":
            return "refused: " + str(exc)[:60]
        return f"{type(exc).__name__}: {str(exc)[:60]}"
    raise SystemExit(f"unknown reader {reader}")


# --- in the parent ----------------------------------------------------------------------


def measure(reader: str, path: Path, old_folder: Path, timeout: int, cap_mb: int | None):
    def limit():
        if cap_mb:
            cap = cap_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    process = subprocess.Popen(
        [sys.executable, __file__, "--child", reader, str(path), str(old_folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=limit,
        cwd=str(ROOT),
    )
    started = time.perf_counter()
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.05)
    peak_mb = usage.ru_maxrss / 1024
    out = process.stdout.read().decode().strip().splitlines()
    if timed_out:
        return {"outcome": f"stopped after {timeout} s", "peak": peak_mb, "failed": True}
    if not out:
        return {"outcome": f"killed at {peak_mb:.0f} MB", "peak": peak_mb, "failed": True}
    result = json.loads(out[-1])
    result["extra"] = peak_mb - result["base_kb"] / 1024
    result["failed"] = result["outcome"] in ("MemoryError",)
    if result["failed"]:
        result["outcome"] = f"MemoryError at {peak_mb:.0f} MB (cap {cap_mb} MB)"
    return result


def summary(results: list[dict]) -> str:
    done = [r for r in results if "wall" in r and not r["failed"]]
    if not done:
        return results[0]["outcome"]
    walls = [r["wall"] for r in done]
    cpus = [r["cpu"] for r in done]
    extras = [r["extra"] for r in done]
    return (
        f"{min(walls):.2f} / {statistics.median(walls):.2f} s wall, "
        f"{min(cpus):.2f} / {statistics.median(cpus):.2f} s CPU, "
        f"+{min(extras):.0f} / {statistics.median(extras):.0f} MB — {done[0]['outcome']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--cap-mb", type=int, default=4096)
    parser.add_argument("--before", default="83e4266")
    parser.add_argument(
        "--readers",
        default="",
        help="comma-separated readers to run (e.g. 'new,floor,new evidence'); default: all",
    )
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_module(folder, args.before, "kit/imports/readers.py", "old_readers")
        old_module(folder, args.before, "assessments/evidence.py", "old_evidence")
        files = make_files(folder)
        print("| file | size | reader | min / median wall, CPU, extra peak RSS — outcome |")
        print("|---|---|---|---|")
        for label, path in files.items():
            if path.suffix == ".xlsx":
                readers = ["new", "floor", "main tables", "main scores", "calamine"]
            else:
                readers = ["new evidence", "main evidence"]
            wanted = {r.strip() for r in args.readers.split(",") if r.strip()}
            for reader in [r for r in readers if not wanted or r in wanted]:
                old = reader.startswith("main") or reader == "calamine"
                results = []
                for _ in range(args.runs):
                    result = measure(
                        reader, path, folder, args.timeout, args.cap_mb if old else None
                    )
                    results.append(result)
                    if result["failed"]:
                        break  # a run that was killed or stopped is not repeated
                size = path.stat().st_size / 1024
                shown = f"{size / 1024:.1f} MB" if size > 1024 else f"{size:.0f} KB"
                print(f"| {label} | {shown} | {reader} | {summary(results)} |", flush=True)


if __name__ == "__main__":
    main()
