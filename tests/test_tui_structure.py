"""The TUI's shape: it reads the project through core (never the store, never SQL), and its
dialogs are one ModalScreen per module under tui/dialogs/."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.screen import ModalScreen, Screen

import themecoder.tui
import themecoder.tui.dialogs

TUI = Path(themecoder.tui.__file__).parent
STORE_IMPORT = re.compile(r"^\s*(from themecoder import store\b|from themecoder\.store\b|import themecoder\.store\b)",
                          re.MULTILINE)
SQL = re.compile(r"\.db\.(query|query_one|scalar|execute)\b|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s")


def test_the_tui_never_reads_the_store_or_runs_sql():
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if STORE_IMPORT.search(text) or SQL.search(text) or re.search(r"\bstore\.\w+\.", text):
            offenders.append(str(path.relative_to(TUI)))
    assert offenders == []


def _classes(module) -> list[type]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]


def test_one_dialog_per_module():
    for info in pkgutil.iter_modules(themecoder.tui.dialogs.__path__):
        module = importlib.import_module(f"themecoder.tui.dialogs.{info.name}")
        dialogs = [c for c in _classes(module) if issubclass(c, ModalScreen)]
        assert len(dialogs) == 1, (info.name, dialogs)


def test_screens_hold_no_dialogs_and_one_screen_each():
    import themecoder.tui.screens

    for info in pkgutil.iter_modules(themecoder.tui.screens.__path__):
        module = importlib.import_module(f"themecoder.tui.screens.{info.name}")
        own = _classes(module)
        assert not [c for c in own if issubclass(c, ModalScreen)], info.name
        if info.name != "base":  # the shared WorkbenchScreen and the picker mixin
            assert len([c for c in own if issubclass(c, Screen)]) <= 1, info.name
