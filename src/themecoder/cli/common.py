"""What every command module shares: the project argument, --json, JSON output, confirmation,
the progress bar and the exit codes.

Nothing here imports more than the standard library at import time, so `themecoder --help`
stays fast; rich (for the progress bar) is imported only when a bar is shown.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from themecoder.core.project import Project

EXIT_ERROR = 1
EXIT_BUG = 2

ProgressCallback = Callable[..., None]  # (done, total, what="")


def emit_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def slots(obj: Any) -> dict:
    """A slotted record as a dict (for --json)."""
    return {k: getattr(obj, k) for k in obj.__slots__}


def open_project(path: str, coder: str | None = None) -> Project:
    from themecoder.core.project import Project

    return Project.open(path, coder=coder)


def project_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="the project file (*.themecoder)")


def json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def allow_unreviewed_option(p: argparse.ArgumentParser) -> None:
    """On every export: they all run through io.export.run_export and its identifier guard."""
    p.add_argument("--allow-unreviewed", action="store_true",
                   help="export even though identifier findings are unresolved (recorded in "
                        "the export's metadata)")


def user_error(message: str) -> Exception:
    from themecoder.errors import UserError

    return UserError(message)


def confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, --yes is required. Declining changes nothing."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise user_error(f"{question} Add --yes to confirm")
    answer = input(f"{question} [y/N] ").strip().casefold()
    if answer not in ("y", "yes", "j", "ja"):
        raise user_error("cancelled; nothing changed")


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr when it is a terminal; a silent callback otherwise, so
    scripts and tests see plain output. The callback takes (done, total, what="")."""
    if not sys.stderr.isatty():
        yield lambda done, total, what="": None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[what]}"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None, what="")

        def update(done: int, total: int, what: str = "") -> None:
            if total > 0:
                bar.update(task, completed=done, total=total, what=what[:30])

        yield update
