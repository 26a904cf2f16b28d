"""The staff app's background work (imported by the jobs app at start-up)."""

from staff import roster_file  # noqa: F401  roster_export
