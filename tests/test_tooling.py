"""ruff and mypy run from the test command, with the settings in pyproject.toml.

Both run through the interpreter of the suite (`python -m ruff`, `python -m mypy`), so a fresh
`pip install -e ".[test]"` is all they need. mypy keeps its cache in .mypy_cache (git-ignored):
cold it takes a few seconds, warm well under one.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The packages that must type-check today; widen this as the rest of the tree gets there.
TYPED = [
    "src/themecoder/core",
    "src/themecoder/store",
    "src/themecoder/nlp",
    "src/themecoder/io/refi",
    "src/themecoder/model.py",
    "src/themecoder/errors.py",
]


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_ruff() -> None:
    result = run_tool("ruff", "check", "--no-fix", "src", "tests", "benchmarks")
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}{result.stderr}"


def test_mypy() -> None:
    result = run_tool("mypy", *TYPED)
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
