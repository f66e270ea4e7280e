"""The `themecoder` command line: a thin layer over core.

Imports stay inside the handlers so that `themecoder --help` starts fast and never imports
spaCy, Textual or python-docx. Every error reaches the user as one line and a non-zero exit.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

EXIT_ERROR = 1
EXIT_BUG = 2


# -- helpers shared by the commands -----------------------------------------------------------
def emit_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def open_project(path: str, coder: str | None = None):
    from themecoder.core.project import Project

    return Project.open(path, coder=coder)


def add_project_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="the project file (*.themecoder)")


def add_json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


class Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str = "") -> None:
        if not self.tty or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        bar = "█" * filled + "░" * (width - filled)
        sys.stderr.write(f"\r{self.label} {bar} {done}/{total} {what[:30]:<30}")
        if done >= total:
            sys.stderr.write("\r" + " " * (len(self.label) + width + 45) + "\r")
        sys.stderr.flush()


# -- foundation commands ----------------------------------------------------------------------
def cmd_new(args) -> int:
    from themecoder.core.project import Project

    with Project.create(args.project, name=args.name, coder=args.coder) as project:
        print(f"created {project.path}")
    return 0


def cmd_import(args) -> int:
    from themecoder.io.batch import import_files

    with open_project(args.project, args.coder) as project:
        results = import_files(project, args.files, participant=args.participant,
                               progress=Progress("importing"))
        ok = [r for r in results if r.ok]
        for r in results:
            mark = "ok  " if r.ok else "FAIL"
            print(f"{mark} {Path(r.path).name}: {r.message}")
            for w in r.warnings:
                print(f"     warning: {w}")
        print(f"{len(ok)} of {len(results)} files imported")
        if getattr(args, "check", False) and ok:
            run_check = COMMAND_HOOKS.get("import-check")
            if run_check:
                run_check(project, [r.document_id for r in ok if r.document_id])
    return 0 if len(ok) == len(results) else EXIT_ERROR


def cmd_info(args) -> int:
    from themecoder.nlp import pipeline_status
    from themecoder.store import repo

    with open_project(args.project) as project:
        counts = repo.counts(project.db)
        data = {
            "project": project.name,
            "path": str(project.path),
            "schema_version": project.db.version,
            **counts,
        }
        docs = []
        for d in repo.documents(project.db):
            n = project.db.scalar("SELECT count(*) FROM codings WHERE document_id = ?", (d.id,))
            docs.append({"id": d.id, "title": d.title, "characters": d.length, "codings": n})
        data["document_list"] = docs
        if args.json:
            emit_json(data)
            return 0
        print(f"{project.name}  ({project.path})")
        for key in ("documents", "participants", "sentences", "codes", "codings", "themes", "memos"):
            print(f"  {key:<13}{counts[key]:>8,}".replace(",", " "))
        status = pipeline_status()
        print(f"  NLP pipeline: {status.name} ({status.kind})")
    return 0


def cmd_search(args) -> int:
    from themecoder.core.search import search
    from themecoder.store import repo

    with open_project(args.project) as project:
        doc_id = repo.find_document(project.db, args.doc).id if args.doc else None
        hits = search(project, args.query, document_id=doc_id, limit=args.limit)
        if args.json:
            emit_json([h.__dict__ if hasattr(h, "__dict__") else _slots(h) for h in hits])
            return 0
        for h in hits:
            who = f"{h.document}" + (f" ({h.participant})" if h.participant else "")
            print(f"{who:<24} {h.start:>7}  …{h.left[-40:]:>40} [{h.match}] {h.right[:40]}…")
        print(f"{len(hits)} hits for {args.query!r}")
    return 0


def _slots(obj) -> dict:
    return {k: getattr(obj, k) for k in obj.__slots__}


def cmd_code(args) -> int:
    from themecoder.core.coding import code_quote
    from themecoder.store import repo

    with open_project(args.project, args.coder) as project:
        coding = code_quote(project, args.doc, args.quote, args.code, occurrence=args.occurrence)
        code = repo.code(project.db, coding.code_id)
        if args.json:
            emit_json(_slots(coding) | {"code": code.label})
        else:
            print(f"coded [{coding.start}, {coding.end}) with «{code.label}»")
    return 0


def cmd_codes(args) -> int:
    from themecoder.store import repo

    with open_project(args.project) as project:
        stats = repo.code_stats(project.db)
        if args.json:
            emit_json([{"id": s.code.id, "label": s.code.label, "description": s.code.description,
                        "colour": s.code.colour, "in_vivo": s.code.in_vivo, "codings": s.codings,
                        "documents": s.documents, "participants": s.participants,
                        "themes": list(s.theme_ids)} for s in stats])
            return 0
        for s in stats:
            print(f"{s.codings:>4}  {s.code.label}")
        print(f"{len(stats)} codes")
    return 0


def cmd_memo(args) -> int:
    from themecoder.core.memos import add_memo
    from themecoder.store import repo

    with open_project(args.project, args.coder) as project:
        target_id = None
        if args.on == "document":
            target_id = repo.find_document(project.db, args.target).id
        elif args.on == "code":
            target_id = repo.find_code(project.db, args.target).id
        elif args.on == "theme":
            target_id = repo.find_theme(project.db, args.target).id
        elif args.on == "coding":
            target_id = repo.coding(project.db, args.target).id
        memo = add_memo(project, args.on, target_id, args.text, title=args.title or "")
        print(f"memo {memo.id} added")
    return 0


def cmd_undo(args) -> int:
    with open_project(args.project, args.coder) as project:
        action = project.undo() if args.command == "undo" else project.redo()
        if action is None:
            print(f"nothing to {args.command}")
            return 0
        print(f"{args.command}: {action.summary}")
    return 0


def cmd_history(args) -> int:
    with open_project(args.project) as project:
        actions = project.history(limit=args.limit)
        if args.json:
            emit_json([_slots(a) for a in actions])
            return 0
        for a in actions:
            flag = {0: "", 1: " (undone)", 2: " (undone, discarded)"}.get(a.undone, "")
            print(f"{a.id:>5} {a.time[:19]} {a.coder or '':<12} {a.summary}{flag}")
    return 0


def cmd_demo(args) -> int:
    from themecoder.core.demo import build_demo, default_demo_dir

    folder = Path(args.path) if args.path else default_demo_dir()
    say = (lambda m: print(m, file=sys.stderr)) if sys.stderr.isatty() else None
    path = build_demo(folder, coder=args.coder, progress=say)
    if args.no_tui:
        print(path)
        return 0
    return _run_tui(str(path), args.coder)


def cmd_doctor(args) -> int:
    import platform
    import sqlite3
    from importlib import metadata

    from themecoder.nlp import pipeline_status

    status = pipeline_status(args.model)
    versions = {}
    for dist in ("textual", "spacy", "simplemma", "rapidfuzz", "python-docx", "defusedxml", "scipy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    data = {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pipeline": {"kind": status.kind, "name": status.name, "message": status.message,
                     "install_hint": status.install_hint},
        "packages": versions,
    }
    if args.json:
        emit_json(data)
        return 0
    print(f"themecoder doctor")
    print(f"  Python {data['python']}, SQLite {data['sqlite']}")
    for name, v in versions.items():
        print(f"  {name:<12} {v or 'MISSING'}")
    print(f"  NLP pipeline: {status.name} ({'full model' if status.kind == 'model' else 'fallback'})")
    print(f"  {status.message}")
    if status.kind != "model":
        print(f"  To install the full model: {status.install_hint}")
    missing = [n for n, v in versions.items() if v is None]
    return EXIT_ERROR if missing else 0


def cmd_open(args) -> int:
    return _run_tui(args.project, args.coder)


def _run_tui(project_path: str, coder: str | None) -> int:
    from themecoder.core.project import Project

    # Fail on a bad path before the terminal is taken over.
    Project.open(project_path, coder=coder).close()
    from themecoder.tui.app import run

    return run(project_path, coder=coder) or 0


# -- area hooks: each area registers its commands in its own function below ------------------
COMMAND_HOOKS: dict[str, Callable] = {}


def _foundation_commands(sub) -> None:
    p = sub.add_parser("new", help="create an empty project")
    add_project_arg(p)
    p.add_argument("--name", help="the project's display name")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import transcripts (.txt .md .docx .vtt .srt) or REFI-QDA (.qdpx .qdc)")
    add_project_arg(p)
    p.add_argument("files", nargs="+", help="files to import")
    p.add_argument("--participant", help="pseudonym of the informant (default: from the speaker label)")
    p.add_argument("--check", action="store_true", help="check the new documents for identifiers afterwards")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("info", help="counts of documents, participants, codes, codings, themes, memos")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("search", help="lemma-aware search with keyword in context")
    add_project_arg(p)
    p.add_argument("query", help="word(s); a trailing * matches a prefix")
    p.add_argument("--doc", help="only this document (title or id)")
    p.add_argument("--limit", type=int, default=1000)
    add_json_arg(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("code", help="code an exact quote in a document (for scripting)")
    add_project_arg(p)
    p.add_argument("--doc", required=True, help="document title or id")
    p.add_argument("--quote", required=True, help="the exact text (whitespace-insensitive)")
    p.add_argument("--code", required=True, help="code label (created if new)")
    p.add_argument("--occurrence", type=int, help="which occurrence when the quote occurs more than once")
    add_json_arg(p)
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("codes", help="list codes with counts")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_codes)

    p = sub.add_parser("memo", help="add a memo to the project, a document, a code, a theme or a coding")
    add_project_arg(p)
    p.add_argument("--on", choices=["project", "document", "code", "theme", "coding"], default="project")
    p.add_argument("--target", help="title/label/id of what the memo is about")
    p.add_argument("--title")
    p.add_argument("text")
    p.set_defaults(func=cmd_memo)

    for name in ("undo", "redo"):
        p = sub.add_parser(name, help=f"{name} the last action (survives restarts)")
        add_project_arg(p)
        p.set_defaults(func=cmd_undo)

    p = sub.add_parser("history", help="the action log: who did what when")
    add_project_arg(p)
    p.add_argument("--limit", type=int, default=50)
    add_json_arg(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("demo", help="build a fresh copy of the demo project and open it")
    p.add_argument("--path", help="folder for the demo (default: a new folder here)")
    p.add_argument("--no-tui", action="store_true", help="only build it; print the project file's path")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("doctor", help="check the installation and the NLP pipeline")
    p.add_argument("--model", help="model name or path to check (default: THEMECODER_MODEL or nb_core_news_sm)")
    add_json_arg(p)
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("open", help="open a project in the TUI (same as `themecoder PROJECT`)")
    add_project_arg(p)
    p.set_defaults(func=cmd_open)


def _codebook_commands(sub) -> None:
    """Codebook maintenance, themes and supervisor review (issue: themes and review)."""


def _export_lang(args, project) -> str:
    from themecoder.io.i18n import check_lang

    lang = args.lang or project.setting("language", "nb") or "nb"
    return check_lang(lang if lang in ("nb", "en") else "nb")


def _export_path(args, project, stem: dict[str, str], lang: str, suffix: str) -> Path:
    from themecoder.io.tabular import default_output

    if args.output:
        return Path(args.output)
    return default_output(project.path, stem.get(lang, stem["en"]), suffix)


def cmd_export_quotes(args) -> int:
    import time

    from themecoder.core.quotes import QuoteSource
    from themecoder.io.tabular import pick_format, quotes_csv, quotes_markdown, write_text

    started = time.perf_counter()
    fmt = pick_format(args.format, args.output, ("docx", "md", "csv"))
    with open_project(args.project, args.coder) as project:
        lang = _export_lang(args, project)
        path = _export_path(args, project, {"nb": "sitater", "en": "quotes"}, lang, "." + fmt)
        src = QuoteSource(project)
        if fmt == "csv":
            rows = src.coding_rows(args.theme, args.max_per_code)
            write_text(path, quotes_csv(rows, lang=lang, ellipsis=args.ellipsis, delimiter=args.delimiter), bom=True)
            problems = [p for p in src.problems if not args.theme]
            print(f"wrote {path}: {len(rows)} rows (UTF-8 with BOM, "
                  f"separator {args.delimiter or (';' if lang == 'nb' else ',')!r})")
        else:
            qs = src.quote_set(args.theme, args.max_per_code)
            if fmt == "md":
                write_text(path, quotes_markdown(qs, src, lang=lang, ellipsis=args.ellipsis, appendix=args.appendix))
            else:
                from themecoder.io.docx_quotes import write_quotes_docx

                write_quotes_docx(path, qs, src, lang=lang, ellipsis=args.ellipsis, appendix=args.appendix)
            problems = qs.problems
            print(f"wrote {path}: {len(qs.tables)} tables, {qs.quote_count} quotes"
                  + (", with appendix" if args.appendix else "")
                  + f" ({time.perf_counter() - started:.1f} s)")
            if qs.empty:
                print(f"  no quotes for: {', '.join(th.name for th in qs.empty)}")
        for problem in problems:
            print(f"  {'note' if fmt == 'csv' else 'left out'}: {problem}")
    return 0


def cmd_export_codebook(args) -> int:
    from themecoder.io.codebook_export import FORMATS, write_codebook
    from themecoder.io.tabular import pick_format

    fmt = pick_format(args.format, args.output, FORMATS)
    with open_project(args.project, args.coder) as project:
        lang = _export_lang(args, project)
        path = _export_path(args, project, {"nb": "kodebok", "en": "codebook"}, lang, "." + fmt)
        path, n = write_codebook(project, path, fmt=fmt, lang=lang, delimiter=args.delimiter)
        print(f"wrote {path}: {n} codes")
    return 0


def cmd_export_qdpx(args) -> int:
    from themecoder.io.refi_project import export_qdpx

    with open_project(args.project, args.coder) as project:
        path = Path(args.output) if args.output else _export_path(args, project, {"en": "refi"}, "en", ".qdpx")
        summary = export_qdpx(project, path, themes_as=args.themes_as)
        print(f"wrote {path}: {summary}")
    return 0


def cmd_export_shorten(args) -> int:
    from themecoder.core.quotes import clear_shortening, display_text, set_shortening
    from themecoder.core.errors import UserError

    with open_project(args.project, args.coder) as project:
        if args.clear:
            done = clear_shortening(project, args.coding)
            print("the full quote is used again" if done else "that quote was not shortened")
            return 0
        spans = None
        if args.span:
            try:
                spans = [tuple(int(x) for x in s.split(":", 1)) for s in args.span]
            except ValueError:
                raise UserError("--span takes START:END (document offsets)") from None
        elif not args.quote:
            raise UserError("give the shortened quote (omitted parts as […]), --span START:END, or --clear")
        segments = set_shortening(project, args.coding, args.quote, spans=spans)
        print(f"shortened to {len(segments)} part(s): {display_text([s.text for s in segments], '[…]')}")
    return 0


def _export_commands(sub) -> None:
    """Thesis exports and REFI-QDA (issue: exports)."""
    export = sub.add_parser(
        "export", help="quote tables, codebook and REFI-QDA project for the thesis",
        description="Exports for the thesis. Without -o a file goes to exports/ beside the project "
                    "file, named after the project; -o FILE is used as given (folders are created). "
                    "Files are written atomically (a temporary file, then renamed).")
    esub = export.add_subparsers(dest="export_command", metavar="WHAT")
    export.set_defaults(func=lambda a: (export.print_help(), 0)[1])

    def common(p, formats: str) -> None:
        add_project_arg(p)
        p.add_argument("-o", "--output", help="output file (default: exports/<project>-... beside the project)")
        p.add_argument("--format", help=f"{formats} (default: from the -o suffix, else the first)")
        p.add_argument("--lang", choices=["nb", "en"], help="language of headings and typography "
                       "(default: the project's language, nb)")
        p.add_argument("--delimiter", help="CSV field separator (default ';' for nb, ',' for en)")

    p = esub.add_parser(
        "quotes", help="quote tables (Word, markdown or CSV)",
        description="A table per theme (caption 'Tabell N' above it, APA 7), columns Tema/Subtema/Sitat/"
                    "Informant; quotes verbatim from the transcript, under 40 words inline in «» (nb) or "
                    "“” (en), 40 words or more as a block quote; shortened quotes (see `export shorten`) "
                    "only if every kept part still matches the transcript. CSV: one row per coding and "
                    "theme, UTF-8 with BOM for Excel.")
    common(p, "docx, md or csv")
    p.add_argument("--theme", action="append", help="only this theme (name, 'Theme › Subtheme' or id); repeatable")
    p.add_argument("--max-per-code", type=int, metavar="N",
                   help="keep the first N quotes per code (a theme's key quote is always kept)")
    p.add_argument("--ellipsis", help="marks omitted text in shortened quotes (default […] nb, [...] en)")
    p.add_argument("--appendix", action="store_true", help="add an appendix: theme > code > all quotes")
    p.set_defaults(func=cmd_export_quotes)

    p = esub.add_parser("codebook", help="the codebook: themes, codes, descriptions, counts",
                        description="Theme, subtheme, code, description, number of codings and of "
                                    "participants, as .docx, .csv, .md, or REFI-QDA .qdc.")
    common(p, "docx, csv, md or qdc")
    p.set_defaults(func=cmd_export_codebook)

    p = esub.add_parser(
        "qdpx", help="the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA ...",
        description="Documents, codes, codings (one selection each, the quote in its name), participants "
                    "as cases with variables, memos as notes. Themes become non-codable parent codes "
                    "holding their codes (default: every QDA program shows them as a code tree) or, with "
                    "--themes-as sets, sets of codes (the codes stay flat; NVivo ignores sets of codes).")
    add_project_arg(p)
    p.add_argument("-o", "--output", help="output .qdpx (default: exports/<project>-refi.qdpx)")
    p.add_argument("--themes-as", choices=["codes", "sets"], default="codes",
                   help="themes as parent codes (default) or as sets of codes")
    p.set_defaults(func=cmd_export_qdpx)

    p = esub.add_parser(
        "shorten", help="shorten a coded quote for the exports (mark omitted parts with […])",
        description="Give the quote with the omitted parts replaced by […] (or [...], (…)); each kept part "
                    "must be found, in order, inside the coding. The coding id is in `export quotes "
                    "--format csv` (a unique prefix of 6+ characters is enough). One undoable action.")
    add_project_arg(p)
    p.add_argument("coding", help="coding id (or a unique prefix)")
    p.add_argument("quote", nargs="?", help="the shortened quote, e.g. \"jeg tenkte […] det var godt\"")
    p.add_argument("--span", action="append", metavar="START:END",
                   help="a kept part as document offsets instead (repeat for each part)")
    p.add_argument("--clear", action="store_true", help="use the full quote again")
    p.set_defaults(func=cmd_export_shorten)


def _mixed_methods_commands(sub) -> None:
    """Findings, links and the joint display report (issue: mixed methods)."""


def _anonymisation_commands(sub) -> None:
    """Identifier check and pseudonymisation (issue: anonymisation)."""


REGISTRARS = [_foundation_commands, _codebook_commands, _export_commands,
              _mixed_methods_commands, _anonymisation_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="themecoder",
        description="Qualitative interview analysis: code, theme, review, mixed methods, export. "
                    "`themecoder PROJECT` opens a project in the TUI.",
    )
    from themecoder import __version__

    parser.add_argument("--version", action="version", version=f"themecoder {__version__}")
    parser.add_argument("--coder", default=None, help="your name in the action log (default: THEMECODER_CODER or login)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    # `themecoder PROJECT` opens the TUI.
    first = next((i for i, a in enumerate(argv)
                  if not a.startswith("-") and (i == 0 or argv[i - 1] != "--coder")), None)
    if first is not None and argv[first] not in commands and (
        argv[first].endswith(".themecoder") or Path(argv[first]).exists()
    ):
        argv.insert(first, "open")
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from themecoder.core.errors import UserError

    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
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
