"""What every command module shares: the project argument, --json, JSON output, confirmation,
the progress bar and the exit codes.

Nothing here imports more than the standard library at import time, so `themecoder --help`
stays fast; rich (for the progress bar) is imported only when a bar is shown.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from themecoder.core.text import plural  # noqa: F401 -- the command modules take it from here
from themecoder.errors import UserError  # imports nothing: --help stays light

if TYPE_CHECKING:
    from themecoder.core.project import Project

EXIT_ERROR = 1
EXIT_BUG = 2

ProgressCallback = Callable[..., None]  # (done, total, what="")


# -- the terminal never gets raw control sequences (issue 18.9) -------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with every control character but tab and line feed shown as ``\\u001b``: an ESC
    or OSC sequence in a label, a comment or a file name is printed, never obeyed. (The same
    spelling is valid inside a JSON string, so --json output stays valid JSON.)"""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that passes everything through `visible`; `raw` is the stream itself
    (for the progress bar, whose own escape codes must reach the terminal)."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


@contextmanager
def safe_output() -> Iterator[None]:
    """stdout and stderr through SafeStream for the duration of one command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved




def emit_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def slots(obj: Any) -> dict:
    """A record (slotted dataclass or named tuple) as a dict (for --json)."""
    return {k: getattr(obj, k) for k in (getattr(obj, "_fields", None) or obj.__slots__)}


def open_project(path: str, coder: str | None = None) -> Project:
    from themecoder.core.project import Project

    return Project.open(path, coder=coder)


def run_action(args: argparse.Namespace) -> int:
    """Runner of a command group whose actions take an open project (`theme`, `codebook`)."""
    with open_project(args.project, args.coder) as project:
        args.run_action(project, args)
    return 0


def project_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="the project file (*.themecoder) or server URL (postgresql://host/db?project=name)")


def json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def blind_option(p: argparse.ArgumentParser) -> None:
    """On every command that prints codings or counts of them (blind coding, issue 12)."""
    p.add_argument("--blind", action="store_true",
                   help="only your own codings (blind coding); while the project keeps coders blind "
                        "until agreement is computed (`themecoder blind P on`), this is the default")


def seen_coder(project: Project, args: argparse.Namespace) -> str | None:
    """Whose codings this command may show: the coder's own alone while blind (--blind, or the
    project's setting until agreement is computed), else None (everyone's). The rule is
    core.blind.visible_coder's, as in the TUI."""
    from themecoder.core.blind import visible_coder

    return visible_coder(project, bool(getattr(args, "blind", False)))


def allow_unreviewed_option(p: argparse.ArgumentParser) -> None:
    """On every export: they all run through io.export.run_export and its identifier guard."""
    p.add_argument("--allow-unreviewed", action="store_true",
                   help="export even though identifier findings are unresolved (recorded in "
                        "the export's metadata)")


def confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, --yes is required. Declining changes nothing."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise UserError(f"{question} Add --yes to confirm")
    answer = input(f"{question} [y/N] ").strip().casefold()
    if answer not in ("y", "yes", "j", "ja"):
        raise UserError("cancelled; nothing changed")


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
    console = Console(file=getattr(sys.stderr, "raw", sys.stderr))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None, what="")

        def update(done: int, total: int, what: str = "") -> None:
            if total > 0:
                bar.update(task, completed=done, total=total, what=what[:30])

        yield update


# -- declaring commands: options right above the handler -------------------------------------
Option = Callable[[argparse.ArgumentParser], Any]


def option(*names: str, **kw: Any) -> Option:
    """One `add_argument`, declared now and applied when the parser is built."""
    return lambda p: p.add_argument(*names, **kw)


def exclusive(*options: Option, required: bool = False) -> Option:
    """Options of which at most one (with required=True: exactly one) may be given."""
    def add(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group(required=required)
        for opt in options:
            opt(group)  # type: ignore[arg-type]  # a group has add_argument too
    return add


@dataclass
class _Entry:
    """One declared command (with its handler) or group (with its actions)."""

    name: str
    options: tuple[Option, ...]
    parser_kw: dict[str, Any]
    func: Callable | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    group: Group | None = None

    def add_to(self, sub: argparse._SubParsersAction, key: str = "func") -> None:
        p = sub.add_parser(self.name, **self.parser_kw)
        for opt in self.options:
            opt(p)
        if self.group is not None:
            self.group.build(p)
        else:
            p.set_defaults(**{key: self.func}, **self.defaults)


class Commands:
    """The commands of one module, declared by a decorator right above each handler:

        @commands.command("codes", project_argument, json_option, help="list codes with counts")
        def cmd_codes(args) -> int: ...

    `register(sub)` adds them to the parser in the order they were declared. A `group` is a
    command with actions under it (`themecoder theme create ...`), declared the same way.
    """

    def __init__(self) -> None:
        self._entries: list[_Entry] = []

    def command(self, name: str, *options: Option, defaults: dict | None = None,
                **parser_kw: Any) -> Callable[[Callable], Callable]:
        def decorate(func: Callable) -> Callable:
            self._entries.append(_Entry(name, options, parser_kw, func, defaults or {}))
            return func
        return decorate

    def group(self, name: str, *options: Option, dest: str, runner: Callable | None = None,
              required: bool = False, subparsers_kw: dict | None = None, **parser_kw: Any) -> Group:
        """`runner(args)` runs every action (e.g. opens the project and calls `args.run_action`);
        without a runner each action's handler is the command's `func`."""
        group = Group(dest=dest, runner=runner, required=required, subparsers_kw=subparsers_kw or {})
        self._entries.append(_Entry(name, options, parser_kw, group=group))
        return group

    def register(self, sub: argparse._SubParsersAction) -> None:
        for entry in self._entries:
            entry.add_to(sub)


class Group(Commands):
    """The actions of one command group; see Commands.group."""

    def __init__(self, *, dest: str, runner: Callable | None, required: bool, subparsers_kw: dict) -> None:
        super().__init__()
        self.dest, self.runner, self.required, self.subparsers_kw = dest, runner, required, subparsers_kw

    def build(self, p: argparse.ArgumentParser) -> None:
        kw = {"metavar": "ACTION", **self.subparsers_kw}
        sub = p.add_subparsers(dest=self.dest, required=self.required, **kw)
        if self.runner is not None:
            p.set_defaults(func=self.runner)
        elif not self.required:  # `themecoder export` alone: show what it can do
            def show_help(args: argparse.Namespace) -> int:
                p.print_help()
                return 0

            p.set_defaults(func=show_help)
        for entry in self._entries:
            entry.add_to(sub, "run_action" if self.runner is not None else "func")
