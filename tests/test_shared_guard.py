"""A clone without ../shared passes (vendor tests skip with a reason); CI without it fails.

The real conftest is copied into a throwaway repository whose parent has no `shared/`, and a
test that asks for the `shared` fixture is run there twice: once as a student's fresh clone,
once with CI=true.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _plugins() -> list[str]:
    """The fixture modules conftest.py loads (its `pytest_plugins`)."""
    import ast

    tree = ast.parse((TESTS / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytest_plugins" for t in node.targets):
            return [elt.value for elt in node.value.elts]  # type: ignore[attr-defined]
    return []


def _run(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    repo = tmp_path / "clone"
    (repo / "tests").mkdir(parents=True)
    for name in ("conftest.py", *(f"{plugin}.py" for plugin in _plugins())):
        shutil.copy(TESTS / name, repo / "tests" / name)
    (repo / "tests" / "test_vendor.py").write_text(
        "def test_vendor(shared):\n    assert (shared / 'refi').is_dir()\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )


def test_fresh_clone_skips_vendor_tests_with_a_reason(tmp_path: Path) -> None:
    result = _run(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "needs ../shared/refi" in result.stdout


def test_ci_fails_when_vendor_tests_cannot_run(tmp_path: Path) -> None:
    result = _run(tmp_path, ci=True)
    assert result.returncode != 0
    assert "must run in CI" in result.stdout
