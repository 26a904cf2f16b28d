"""The benchmark's batch kind for real task workers: the 200 sheets of
``bench/bench_print.py``, each chunk task building only its own (by index).

Imported by the workers ``bench_print.py`` starts (``PRINT_EXTRA_KIND_MODULES``).
"""

from printing.registry import register


def plan(params: dict, progress) -> list[int]:
    return list(range(int(params["sheets"])))


def build(params: dict, indexes: list[int]) -> list:
    from bench.bench_print import build_docs

    return build_docs(int(params["sheets"]), only=indexes)


register("bench_sheets", label="基准评分表", plan=plan, build=build)
