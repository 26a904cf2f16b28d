"""The targets app's background work (imported by the jobs app at start-up)."""

from targets import export_jobs  # noqa: F401  target_export
