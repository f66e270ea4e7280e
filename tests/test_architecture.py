"""The layering is checked, not described: import contracts, headless imports, module size.

- The import-linter contracts in pyproject.toml ([tool.importlinter]) run one test each.
- Every module of the headless packages is imported in a fresh interpreter, which must not load
  Textual (nor spaCy or python-docx for the lower layers). Modules are discovered on disk, so a
  new module is covered the day it is added.
- No module under src/themecoder grows past 800 lines.
"""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "themecoder"
MAX_LINES = 800


# --- import contracts ------------------------------------------------------------------------------

def _contract_ids() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [contract["id"] for contract in config["tool"]["importlinter"]["contracts"]]


LINT = (
    "import sys\n"
    "import importlinter.api  # noqa: F401  (configures import-linter)\n"
    "from importlinter.application.use_cases import lint_imports\n"
    "ok = lint_imports(config_filename=sys.argv[1], limit_to_contracts=(sys.argv[2],), cache_dir=None)\n"
    "sys.exit(0 if ok else 1)\n"
)


@pytest.mark.parametrize("contract", _contract_ids())
def test_import_contract(contract: str) -> None:
    # A fresh interpreter: import-linter configures itself globally on import.
    result = subprocess.run(
        [sys.executable, "-c", LINT, str(ROOT / "pyproject.toml"), contract],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    start = result.stdout.find("Contracts\n")  # skip the logo
    report = result.stdout[start:] if start >= 0 else result.stdout
    assert result.returncode == 0, f"import contract {contract!r} is broken:\n{report}\n{result.stderr}"


# --- headless imports ------------------------------------------------------------------------------

def _modules(name: str) -> list[str]:
    """`name` and, when it is a package, every module below it, found on disk without importing."""
    path = PACKAGE.joinpath(*name.split(".")[1:])
    if path.with_suffix(".py").is_file():
        return [name]
    assert (path / "__init__.py").is_file(), f"{name} is neither a module nor a package"
    found = [name]
    # iter_modules per folder, not walk_packages: the latter imports each subpackage to recurse.
    for info in pkgutil.iter_modules([str(path)]):
        if info.name == "__main__":  # importing it runs the program
            continue
        found.extend(_modules(f"{name}.{info.name}") if info.ispkg else [f"{name}.{info.name}"])
    return sorted(found)


# Imports each module in turn and reports, per module, the heavy packages that its import brought
# into sys.modules. A heavy package already loaded by an earlier module is blamed on that one.
PROBE = """
import importlib, json, sys, traceback
heavy = sys.argv[1].split(",")
report = {}
for name in sys.argv[2:]:
    before = {h for h in heavy if h in sys.modules}
    try:
        importlib.import_module(name)
    except BaseException:
        report[name] = "import failed:\\n" + traceback.format_exc()
        continue
    new = sorted(h for h in heavy if h in sys.modules and h not in before)
    if new:
        report[name] = "loaded " + ", ".join(new)
print(json.dumps(report))
"""

HEADLESS = {
    # package: what importing any of its modules must not load
    "themecoder.model": ("textual", "spacy", "docx"),
    "themecoder.errors": ("textual", "spacy", "docx"),
    "themecoder.store": ("textual", "spacy", "docx"),
    "themecoder.core": ("textual", "spacy", "docx"),
    # nlp is where spaCy lives (tests/test_nlp_import.py keeps `import themecoder.nlp` free of it)
    "themecoder.nlp": ("textual", "docx"),
    "themecoder.io": ("textual",),
    # The CLI starts the TUI and the exporters from inside its handlers, never at import time:
    # `themecoder --help` builds every parser (tests/test_cli.py checks that run as well).
    "themecoder.cli": ("textual", "spacy", "docx"),
}


@pytest.mark.parametrize("package", list(HEADLESS))
def test_headless_import(package: str) -> None:
    modules = _modules(package)
    forbidden = HEADLESS[package]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(forbidden), *modules],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    problems = "\n".join(f"  {name}: {what}" for name, what in report.items())
    assert not report, f"importing {package} must not load {', '.join(forbidden)}:\n{problems}"


def test_headless_discovery_sees_subpackages() -> None:
    # Guards the walk above: io.refi lives one level down and must be probed too.
    assert "themecoder.io.refi.reader" in _modules("themecoder.io")
    assert "themecoder.nlp.loader" in _modules("themecoder.nlp")


# --- size --------------------------------------------------------------------------------------------

def test_no_module_over_800_lines() -> None:
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long[path.relative_to(ROOT).as_posix()] = lines
    listing = "\n".join(f"  {name}: {lines}" for name, lines in too_long.items())
    assert not too_long, f"modules over {MAX_LINES} lines (split them by concept):\n{listing}"
