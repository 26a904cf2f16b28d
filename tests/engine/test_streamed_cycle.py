"""Scoring a cycle in two streamed passes (``AverageTally``, then ``evaluate_in_cycle`` per
sheet) gives exactly the results of ``evaluate_cycle``."""

import sys
from pathlib import Path

from rubrics.engine import AverageTally, Memo, evaluate_cycle, evaluate_in_cycle, rubric_from_dict

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_engine import build_rubric_dict, build_sheets  # noqa: E402


def streamed(rubric, sheets):
    tally = AverageTally(rubric)
    for sheet in sheets:
        # pass one needs only the averaged items of a sheet
        averaged = {e.key for e in rubric.plan.average_entries}
        tally.add({**sheet, "items": {k: v for k, v in sheet["items"].items() if k in averaged}})
    averages, flags = tally.averages()
    memo = Memo(rubric.plan)
    results = []
    for sheet in sheets:
        result, problems = evaluate_in_cycle(rubric, sheet, averages, memo=memo)
        assert not problems
        results.append(result)
    return results, averages, flags


class TestStreamedCycle:
    def test_two_passes_give_the_results_of_evaluate_cycle(self):
        rubric = rubric_from_dict(build_rubric_dict())
        sheets = build_sheets(build_rubric_dict(), 300, seed=5)
        whole = evaluate_cycle(rubric, sheets)
        results, averages, flags = streamed(rubric_from_dict(build_rubric_dict()), sheets)
        assert averages == whole.na_averages and averages
        assert flags == whole.flags
        assert [r.to_dict() for r in results] == [r.to_dict() for r in whole.results]

    def test_no_unit_with_the_task_scores_zero_and_flags_as_evaluate_cycle_does(self):
        rubric = rubric_from_dict(build_rubric_dict())
        sheets = build_sheets(build_rubric_dict(), 20, seed=9)
        key = rubric.plan.average_entries[0].key
        for sheet in sheets:
            sheet["items"][key] = {"na": True}
        whole = evaluate_cycle(rubric, sheets)
        results, averages, flags = streamed(rubric, sheets)
        assert key not in averages and flags == whole.flags and flags
        assert [r.to_dict() for r in results] == [r.to_dict() for r in whole.results]

    def test_a_bad_input_is_reported_with_the_subject_and_nothing_counted(self):
        rubric = rubric_from_dict(build_rubric_dict())
        sheet = {"subject": "甲社区", "town": "镇00", "items": {"4": {"score": "99"}}}
        tally = AverageTally(rubric)
        assert tally.add(sheet) is False
        result, problems = evaluate_in_cycle(rubric, sheet, {})
        assert result is None and problems[0].message.startswith("甲社区：")
