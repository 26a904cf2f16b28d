"""A print runner to kill: renders score sheets through the process pool of
``printing.render``, writing the number of documents done to a file as it goes.

    python -m tests.printing.killable_render fork|spawn PROGRESS_FILE

``fork`` renders from the main thread, as a task worker (``db_worker``) does; ``spawn``
renders from a second thread, as a web process's job thread does (the pool then starts
its workers with ``spawn``). Used by ``tests/printing/test_orphans.py``.
"""

import os
import sys
import threading
from pathlib import Path

SHEETS = 24


def main(method: str, progress_file: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()

    from assessments.print_documents import ScoreSheetDoc
    from printing import render
    from rubrics import engine
    from tests.printing.conftest import load_rubric
    from tests.printing.sheets import YANCHENG_INPUTS

    rubric = load_rubric("changzhou-community")
    result = engine.evaluate(rubric, YANCHENG_INPUTS)
    docs = [
        ScoreSheetDoc(rubric=rubric, unit_name=f"第{n}社区", town_name="湖塘镇", result=result)
        for n in range(SHEETS)
    ]

    method_used = []

    def progress(done, total):
        if not method_used:  # asked before the pool starts (its threads would count)
            method_used.append(render.start_method())
        partial = Path(f"{progress_file}.part")
        partial.write_text(f"{method_used[0]} {done}")
        os.replace(partial, progress_file)  # the test never reads half a line

    def job():
        render.render_pdf(docs, workers=2, chunk_size=1, progress=progress)

    if method == "spawn":
        runner = threading.Thread(target=job, name="print-jobs")
        runner.start()
        runner.join()
    else:
        job()


if __name__ == "__main__":
    main(*sys.argv[1:])
