"""The assessments app's background work (imported by the jobs app at start-up)."""

from assessments import job_kinds_bounded  # noqa: F401  cycle_summary, score_workbook
