"""What the application imports at run time is installed by the run set-up, not only by
the test extras (``./dev run`` installs ``.[run]``: the main dependencies)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_SHIPPED = {"tests", "bench", ".venv", "node_modules"}


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _local_packages() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} | {"manage"}


def _shipped_sources():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_SHIPPED or "migrations" in parts:
            continue
        yield path


def third_party_imports() -> dict[str, set[str]]:
    """Top-level modules imported by the shipped code that are neither stdlib nor ours."""
    local = _local_packages()
    found: dict[str, set[str]] = {}
    for path in _shipped_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in local:
                    continue
                found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_module_the_application_imports_comes_with_a_main_dependency():
    declared = {_requirement_name(r) for r in _project()["dependencies"]}
    distributions = packages_distributions()
    missing = {}
    for module, files in third_party_imports().items():
        names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not names & declared:
            missing[module] = sorted(files)
    assert missing == {}, (
        f"imported at run time but only installed for tests (or not at all): {missing}"
    )


def test_the_scan_sees_the_libraries_the_printing_layer_uses():
    # A control: if the scan found nothing, the test above could not fail.
    imports = third_party_imports()
    assert "weasyprint" in imports
    assert "pypdf" in imports
    assert "django" in imports
    assert "pytest" not in imports  # tests are not shipped code
