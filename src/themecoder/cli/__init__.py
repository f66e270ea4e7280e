"""The `themecoder` command line: a thin layer over core and io, one module per command group.

Each module declares its parsers beside its handlers and registers them in `register(sub)`; a
handler parses, calls one core or io operation, prints. Imports of core, io, spaCy, Textual and
python-docx stay inside the handlers so that `themecoder --help` starts fast. Every error reaches
the user as one line on stderr and a non-zero exit, never as a traceback.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from themecoder.cli import agreement, anonymise, codebook, export, findings, foundation, review, theme
from themecoder.cli.args import allow_big_csv_fields, data_error, forgive_order, group_actions
from themecoder.cli.common import EXIT_BUG, EXIT_ERROR, safe_output

__all__ = ["EXIT_BUG", "EXIT_ERROR", "REGISTRARS", "build_parser", "main"]

# The order is the order of `themecoder --help`.
REGISTRARS = [foundation.register, codebook.register, theme.register, review.register, export.register,
              findings.register, anonymise.register]
REGISTRARS.append(agreement.register)  # issue 12: agreement, blind
REGISTRARS.append(agreement.register_merge)  # issue 12: merge
REGISTRARS.insert(1, __import__("themecoder.cli.document", fromlist=["register"]).register)  # issue 14
REGISTRARS.append(__import__("themecoder.cli.team", fromlist=["register"]).register)  # issue 17


def build_parser() -> argparse.ArgumentParser:
    from themecoder import __version__

    parser = argparse.ArgumentParser(
        prog="themecoder",
        description="Qualitative interview analysis: code, theme, review, mixed methods, export. "
                    "`themecoder PROJECT` opens a project in the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"themecoder {__version__}")
    parser.add_argument("--coder", default=None,
                        help="your name in the action log (default: THEMECODER_CODER or login)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in REGISTRARS:
        register(sub)
    return parser


def _open_shortcut(argv: list[str], commands: set[str]) -> list[str]:
    """`themecoder PROJECT` means `themecoder open PROJECT`."""
    first = next((i for i, a in enumerate(argv)
                  if not a.startswith("-") and (i == 0 or argv[i - 1] != "--coder")), None)
    if first is not None and argv[first] not in commands and (
        argv[first].endswith(".themecoder") or Path(argv[first]).exists()
        or argv[first].startswith(("postgresql://", "postgres://"))  # issue 17: a server project
    ):
        return [*argv[:first], "open", *argv[first:]]
    return argv


def main(argv: list[str] | None = None) -> int:
    with safe_output():  # no raw ESC/OSC from labels, comments or file names (issue 18.9)
        return _main(argv)


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr,arg-type]
    args = parser.parse_args(forgive_order(_open_shortcut(argv, commands), commands, group_actions(parser)))
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from themecoder.errors import UserError

    allow_big_csv_fields()
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (RecursionError, csv.Error, UnicodeDecodeError) as exc:  # input errors deep in a reader
        print(f"error: {data_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so in one line, details only on request
        if os.environ.get("THEMECODER_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (set THEMECODER_DEBUG=1 for details)",
              file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    raise SystemExit(main())
