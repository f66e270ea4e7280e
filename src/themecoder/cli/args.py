"""Arguments checked at the door (issue 18 point 13) and forgiving word order (issue 14 point 10).

Numbers are validated by argparse types, so a bad value is a usage error (one line naming the
option, exit status 2) before any project is opened. `forgive_order` rewrites the two orders
people type that argparse would otherwise refuse: `themecoder oppgave` (a project without its
extension) and `themecoder review oppgave list` (project before the action).
Imports only the standard library: `themecoder --help` stays fast.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path

PROJECT_SUFFIX = ".themecoder"
CSV_FIELD_LIMIT = 128 * 1024  # characters in one CSV field (the csv module's default, made explicit)


def int_at_least(minimum: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: an integer >= minimum."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"{value} is too small: {what or 'it'} must be {minimum} or more")
        return value
    parse.__name__ = "int"  # argparse names the type in its message
    return parse


def float_between(low: float, high: float, *, open_low: bool = False) -> Callable[[str], float]:
    """An argparse type: a number in [low, high] ((low, high] with open_low)."""
    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value != value or value > high or value < low or (open_low and value == low):
            left = "(" if open_low else "["
            raise argparse.ArgumentTypeError(f"{text} is outside {left}{low:g}, {high:g}]")
        return value
    parse.__name__ = "number"
    return parse


OCCURRENCE = int_at_least(1, "the occurrence (1 = the first)")
POSITION = int_at_least(1, "the position (1 = the first)")
LIMIT = int_at_least(1, "the limit")
COUNT = int_at_least(1, "the number")
ACTION_ID = int_at_least(0, "the action id")


def allow_big_csv_fields() -> None:
    """Set the csv module's field limit explicitly (readers refuse longer fields in one line)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)


# -- forgiving word order ----------------------------------------------------------------------
def _is_project(word: str) -> bool:
    if word.startswith("-"):
        return False
    path = Path(word)
    return word.endswith(PROJECT_SUFFIX) or path.is_file() or Path(word + PROJECT_SUFFIX).is_file()


def _positionals(argv: list[str]) -> list[int]:
    """Indexes of the words that are not options (nor the value of --coder/--as)."""
    takes_value = {"--coder", "--as"}
    return [i for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in takes_value)]


def forgive_order(argv: list[str], commands: set[str] | dict,
                  actions: dict[str, set[str]] | None = None) -> list[str]:
    """`themecoder oppgave` opens oppgave.themecoder; `GROUP PROJECT ACTION ...` becomes
    `GROUP ACTION PROJECT ...`. A first word that is neither a command nor a project gets
    one line saying what to type (exit status 2)."""
    pos = _positionals(argv)
    if not pos:
        return argv
    first = pos[0]
    word = argv[first]
    if word not in commands:
        if word in ("help", "hjelp") and len(pos) == 1:
            return ["--help"]
        if _is_project(word):
            return [*argv[:first], "open", *argv[first:]]
        import difflib

        if not difflib.get_close_matches(word, list(commands), n=1):  # a typo: argparse suggests
            print(f"themecoder: error: {word!r} is neither a command nor a project here; "
                  f"`themecoder new {word}` creates it, `themecoder --help` lists the commands",
                  file=sys.stderr)
            raise SystemExit(2)
        return argv
    group_actions = (actions or {}).get(word)
    if group_actions and len(pos) >= 3:
        a, b = pos[1], pos[2]
        if argv[a] not in group_actions and argv[b] in group_actions and _is_project(argv[a]):
            argv = list(argv)
            argv[a], argv[b] = argv[b], argv[a]
    return argv


def group_actions(parser: argparse.ArgumentParser) -> dict[str, set[str]]:
    """The action names of every command group (`review` -> {list, status, ...})."""
    out: dict[str, set[str]] = {}
    top = parser._subparsers._group_actions[0] if parser._subparsers else None  # type: ignore[union-attr]
    for name, sub in (getattr(top, "_name_parser_map", {}) or {}).items():
        inner = sub._subparsers._group_actions[0] if sub._subparsers else None  # type: ignore[union-attr]
        names = getattr(inner, "_name_parser_map", None)
        if names:
            out[name] = set(names)
    return out


# -- files named on the command line -----------------------------------------------------------
def check_text_file(path: str, what: str) -> str:
    """A file given as `what` (e.g. "--scales") must exist and be UTF-8 text; one line if not."""
    from themecoder.errors import UserError

    p = Path(path)
    if not p.exists():
        raise UserError(f"{what} {path}: no such file")
    if not p.is_file():
        raise UserError(f"{what} {path}: not a file")
    try:
        with p.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise UserError(f"{what} {path}: cannot read it ({exc.strerror})") from None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            head = b"\x00"
    if b"\x00" in head:
        raise UserError(f"{what} {path}: not a text file (binary data or not UTF-8)")
    return path


def data_error(exc: BaseException) -> str | None:
    """One line for the input errors a reader can raise deep inside a library, or None."""
    if isinstance(exc, RecursionError):
        return "the input file is nested too deeply to read"
    if isinstance(exc, csv.Error):
        if "field larger than field limit" in str(exc):
            return (f"a CSV field is longer than {CSV_FIELD_LIMIT // 1024} KB; "
                    "is the separator right, or a quote left open?")
        return f"the CSV file cannot be read: {exc}"
    if isinstance(exc, UnicodeDecodeError):
        return "a file is not UTF-8 text (binary data, or another encoding)"
    return None
