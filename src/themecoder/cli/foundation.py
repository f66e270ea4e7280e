"""Foundation commands: new, import, info, search, code, codes, memo, undo, redo, history, verify,
purge-undo, demo, doctor, open. Each command's options are declared right above its handler; a
handler parses, calls one core or io operation, prints."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from themecoder.cli.args import LIMIT, OCCURRENCE
from themecoder.cli.common import (
    EXIT_ERROR,
    Commands,
    blind_option,
    emit_json,
    json_option,
    open_project,
    option,
    plural,
    progress_bar,
    project_argument,
    seen_coder,
    slots,
)
from themecoder.errors import UserError

commands = Commands()
register = commands.register


@commands.command("new", project_argument, option("--name", help="the project's display name"),
                  help="create an empty project")
def cmd_new(args) -> int:
    from themecoder.core.project import Project

    with Project.create(args.project, name=args.name, coder=args.coder) as project:
        print(f"created {project.location}")
    return 0


@commands.command(
    "import", project_argument,
    option("files", nargs="+", help="files to import"),
    option("--participant", help="pseudonym of the informant (default: from the speaker label)"),
    option("--check", action="store_true", help="check the new documents for identifiers afterwards"),
    option("--wait", action="store_true",
           help="build the search index before returning (default: in the background; "
                "also THEMECODER_INDEX=wait)"),
    help="import transcripts (.txt .md .docx .vtt .srt) or REFI-QDA (.qdpx .qdc .qde)")
def cmd_import(args) -> int:
    from themecoder.io.batch import expand_paths, import_files

    found = expand_paths(args.files)  # a folder: every supported file in it, like the TUI
    with open_project(args.project, args.coder) as project:
        with progress_bar("importing") as progress:
            # Stored and readable first; the search index follows (index_for_search).
            results = import_files(project, found.files, participant=args.participant, progress=progress,
                                   index=False)
        ok = [r for r in results if r.ok]
        for r in results:
            mark = "ok  " if r.ok else "FAIL"
            print(f"{mark} {Path(r.path).name}: {r.message}")
            for w in r.warnings:
                print(f"     warning: {w}")
        for path, why in found.skipped:
            print(f"skip {path.name}: {why}")
        print(f"{len(ok)} of {plural(len(results), 'files')} imported"
              + (f", {plural(len(found.skipped), 'files')} skipped" if found.skipped else ""))
        if ok:
            from themecoder.core.indexing import index_in_background

            # --check reads the sentences of the index: it is built first then.
            if not (args.wait or args.check) and index_in_background(project):
                print("search index: being built in the background (a search before it is done "
                      "builds what it needs)")
            else:
                index_for_search(project)
        if args.check and ok:
            from themecoder.cli.anonymise import print_import_check

            print_import_check(project, [r.document_id for r in ok if r.document_id])
    return 0 if len(ok) == len(results) else EXIT_ERROR


def index_for_search(project) -> None:
    """Build the search index of the documents without one, with a progress bar, after the
    indexer that `import` started if it is still at work (rather than beside it). The
    documents are already saved: Ctrl+C leaves the index for later, and nothing is lost."""
    from themecoder.core.indexing import another_indexer_running, index_until_done

    try:
        if sys.stderr.isatty():  # as the progress bar: scripts see plain output
            waiting = not project.on_server and another_indexer_running(project.path)
            print("search index: waiting for the indexer that the import started …" if waiting
                  else "search index: indexing the documents that have none …", file=sys.stderr)
        with progress_bar("indexing for search") as progress:
            index_until_done(project, progress=lambda done, total: progress(done, total, ""))
    except KeyboardInterrupt:
        print("search index: left for later (the next search builds it, and the workbench builds it "
              "in the background)")
    except UserError as exc:  # the documents are saved: say why the index is not, and go on
        print(f"search index: not built yet ({exc}); the next search builds it")


@commands.command(
    "index", project_argument,
    option("--background", action="store_true",
           help="quietly, one indexer per project at a time (what `import` starts)"),
    help="build the search index of the documents that have none (import leaves it to the background)")
def cmd_index(args) -> int:
    from themecoder.core.indexing import index_until_done

    with open_project(args.project) as project:
        if args.background:
            index_until_done(project)
            return 0
        from themecoder.core import views

        if not views.needs_indexing(project):
            print("search index: up to date")
            return 0
        with progress_bar("indexing for search") as progress:
            done = index_until_done(project, progress=lambda d, total: progress(d, total, ""))
        print(f"search index: {plural(len(done), 'documents')} indexed")
    return 0


@commands.command("info", project_argument, json_option, blind_option,
                  help="counts of documents, participants, codes, codings, themes, memos")
def cmd_info(args) -> int:
    from themecoder.core import views
    from themecoder.core.anonymise import anonymisation_status
    from themecoder.core.views import document_overview
    from themecoder.nlp import pipeline_status

    with open_project(args.project, args.coder) as project:
        project.check_intact()  # a damaged page anywhere: one line, exit 1 (issue 18.7)
        seen = seen_coder(project, args)  # blind coding: the coder's own codings alone
        counts = views.counts(project, coder=seen)
        data: dict[str, Any] = {
            "project": project.name,
            "path": str(project.path),
            "schema_version": project.db.version,
            **counts,
        }
        data["document_list"] = [{"id": d.id, "title": d.title, "characters": d.characters, "codings": d.codings}
                                 for d in document_overview(project, coder=seen)]
        data["anonymisation"] = anonymisation_status(project)
        indexing = views.needs_indexing(project)  # right after an import, while it is built
        data["search_index_complete"] = not indexing
        if args.json:
            emit_json(data)
            return 0
        print(f"{project.name}  ({project.path})")
        for key in ("documents", "participants", "sentences", "codes", "codings", "themes", "memos"):
            note = "  (search index not built yet: `themecoder index`)" if key == "sentences" and indexing else ""
            print(f"  {key:<13}{counts[key]:>8,}".replace(",", " ") + note)
        status = pipeline_status()
        print(f"  NLP pipeline: {status.name} ({status.kind})")
        print(f"  anonymisation: {data['anonymisation']['label']}")
    return 0


@commands.command("search", project_argument,
                  option("query", help="word(s); a trailing * matches a prefix"),
                  option("--doc", help="only this document (title or id)"),
                  option("--limit", type=LIMIT, default=1000),
                  json_option,
                  help="lemma-aware search with keyword in context")
def cmd_search(args) -> int:
    from themecoder.core import resolve
    from themecoder.core.search import search

    with open_project(args.project) as project:
        doc_id = resolve.document(project, args.doc).id if args.doc else None
        from themecoder.core import views

        if views.needs_indexing(project):  # right after an import: say so, show progress
            index_for_search(project)
        hits = search(project, args.query, document_id=doc_id, limit=args.limit)
        if args.json:
            emit_json([h.__dict__ if hasattr(h, "__dict__") else slots(h) for h in hits])
            return 0
        for h in hits:
            who = f"{h.document}" + (f" ({h.participant})" if h.participant else "")
            print(f"{who:<24} {h.start:>7}  …{h.left[-40:]:>40}[{h.match}]{h.right[:40]}…")
        print(f"{plural(len(hits), 'hits')} for {args.query!r}")
    return 0


@commands.command("code", project_argument,
                  option("--doc", required=True, help="document title or id"),
                  option("--quote", required=True, help="the exact text (whitespace-insensitive)"),
                  option("--code", required=True, help="code label (created if new)"),
                  option("--occurrence", type=OCCURRENCE, help="which occurrence when the quote occurs more than once"),
                  json_option,
                  help="code an exact quote in a document (for scripting)")
def cmd_code(args) -> int:
    from themecoder.core import resolve, views
    from themecoder.core.coding import code_quote

    with open_project(args.project, args.coder) as project:
        doc = resolve.document(project, args.doc)
        coding = code_quote(project, doc.id, args.quote, existing_or_new_code(project, args.code),
                            occurrence=args.occurrence)
        label = views.code(project, coding.code_id).label
        if args.json:
            emit_json(slots(coding) | {"code": label})
        else:
            print(f"coded [{coding.start}, {coding.end}) with «{label}»")
    return 0


def existing_or_new_code(project, label: str) -> str:
    """`code --code LABEL` uses the code that LABEL names in full (id, label, any case) or creates
    it: no prefix matching, so a new label that starts like another is not taken for it."""
    from themecoder.core import resolve
    from themecoder.errors import NotFound

    try:
        return resolve.code(project, label, prefix=False).label
    except NotFound:
        return label


@commands.command("codes", project_argument, json_option, blind_option, help="list codes with counts")
def cmd_codes(args) -> int:
    from themecoder.core import views

    with open_project(args.project, args.coder) as project:
        stats = views.code_stats(project, coder=seen_coder(project, args))
        if args.json:
            emit_json([{"id": s.code.id, "label": s.code.label, "description": s.code.description,
                        "colour": s.code.colour, "in_vivo": s.code.in_vivo, "codings": s.codings,
                        "documents": s.documents, "participants": s.participants,
                        "themes": list(s.theme_ids)} for s in stats])
            return 0
        for s in stats:
            print(f"{s.codings:>4}  {s.code.label}")
        print(f"{plural(len(stats), 'codes')}")
    return 0


@commands.command("memo", project_argument,
                  option("--on", choices=["project", "document", "code", "theme", "coding"], default="project"),
                  option("--target", help="title/label/id of what the memo is about"),
                  option("--title"),
                  option("text"),
                  help="add a memo to the project, a document, a code, a theme or a coding")
def cmd_memo(args) -> int:
    from themecoder.core import resolve
    from themecoder.core.memos import add_memo

    find: dict[str, Callable[[Any, str], Any]] = {"document": resolve.document, "code": resolve.code,
                                                  "theme": resolve.theme, "coding": resolve.coding}
    with open_project(args.project, args.coder) as project:
        target_id = find[args.on](project, args.target or "").id if args.on in find else None
        memo = add_memo(project, args.on, target_id, args.text, title=args.title or "")
        print(f"memo {memo.id} added")
    return 0


def cmd_undo(args) -> int:
    with open_project(args.project, args.coder) as project:
        action = project.undo() if args.command == "undo" else project.redo()
        if action is None:
            other = project.next_undo(anyone=True) if args.command == "undo" else project.next_redo(anyone=True)
            if other is None or other.coder == project.coder:
                print(f"nothing to {args.command}")
                return 0
            # History is per person (issue 14.8): say whose it is and how to take it back.
            print(f"nothing to {args.command} for {project.coder}; the last action is "
                  f"{other.coder or 'nobody'}'s: {other.summary}")
            print(f"to {args.command} it as {other.coder}: themecoder --coder {_shell(other.coder or '')} "
                  f"{args.command} {_shell(str(project.path))}")
            return EXIT_ERROR
        print(f"{args.command}: {action.summary}")
    return 0


def _shell(word: str) -> str:
    import shlex

    return shlex.quote(word)


for _name in ("undo", "redo"):
    commands.command(_name, project_argument, help=f"{_name} the last action (survives restarts)")(cmd_undo)


@commands.command("history", project_argument, option("--limit", type=LIMIT, default=50), json_option,
                  help="the action log: who did what when")
def cmd_history(args) -> int:
    with open_project(args.project) as project:
        actions = project.history(limit=args.limit)
        if args.json:
            emit_json([slots(a) for a in actions])
            return 0
        for a in actions:
            flag = {0: "", 1: " (undone)", 2: " (undone, discarded)"}.get(a.undone, "")
            print(f"{a.id:>5} {a.time[:19]} {a.coder or '':<12} {a.summary}{flag}")
    return 0


@commands.command("verify", project_argument,
                  option("--repair", action="store_true", help="re-anchor codings whose quote is found again"),
                  json_option,
                  help="check the project file and every coding against its transcript")
def cmd_verify(args) -> int:
    from themecoder.core.integrity import repair, verify

    with open_project(args.project, args.coder) as project:
        report = verify(project)
        if report.sqlite != "ok" and not args.json:
            n = len(report.sqlite.split("; "))
            raise UserError(f"{project.path} is damaged: SQLite's integrity check found {n} "
                            f"problem{'s' if n != 1 else ''}; restore it from a backup")
        repaired = repair(project, report) if args.repair and report.mismatches else 0
        if args.json:
            emit_json({"ok": report.ok, "sqlite": report.sqlite, "foreign_key_problems": report.foreign_keys,
                       "codings": report.codings, "repaired": repaired,
                       "mismatches": [slots(m) for m in report.mismatches],
                       "unindexed_documents": report.unindexed})
            return 0 if report.ok or repaired == len(report.mismatches) else EXIT_ERROR
        print(f"database: {report.sqlite}; foreign keys: "
              f"{'ok' if not report.foreign_keys else plural(report.foreign_keys, 'problems')}")
        print(f"codings: {report.codings} checked, {len(report.mismatches)} do not match their transcript")
        for m in report.mismatches[:20]:
            where = f"found again at [{m.found[0]}, {m.found[1]})" if m.found else "quote not in the text any more"
            print(f"  {m.document} [{m.start}, {m.end}) «{m.quote[:60]}»: {where}")
        if report.mismatches and not args.repair:
            print("re-anchor those that were found again with --repair (one action, undoable)")
        if repaired:
            print(f"re-anchored {plural(repaired, 'codings')}")
        if report.unindexed:
            print(f"{plural(len(report.unindexed), 'documents')} have no search index yet (built on the next search)")
    return 0 if report.ok or (args.repair and repaired == len(report.mismatches)) else EXIT_ERROR


@commands.command(
    "purge-undo", project_argument, option("--yes", action="store_true", help="do not ask for confirmation"),
    help="forget undo data (e.g. original names kept by undo after pseudonymisation); the action log stays")
def cmd_purge_undo(args) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("purge-undo cannot be undone itself; give --yes to confirm")
        answer = input("Forget all undo data (the action log stays)? This cannot be undone. [y/N] ")
        if answer.strip().casefold() not in {"y", "yes", "j", "ja"}:
            print("nothing changed")
            return 0
    with open_project(args.project, args.coder) as project:
        n = project.purge_undo()
    print(f"undo data of {plural(n, 'actions')} removed; the action log (who did what when) is kept")
    return 0


@commands.command("demo",
                  option("--path", help="folder for the demo (default: a new folder here)"),
                  option("--no-tui", action="store_true", help="only build it; print the project file's path"),
                  help="build a fresh copy of the demo project and open it")
def cmd_demo(args) -> int:
    from themecoder.io.demo import build_demo, default_demo_dir

    folder = Path(args.path) if args.path else default_demo_dir()
    say = (lambda m: print(m, file=sys.stderr)) if sys.stderr.isatty() else None
    # For the workbench: the search index and the identifier check are made in its background
    # right after the first screen, so the demo opens at once.
    path = build_demo(folder, coder=args.coder, progress=say, index=False, check=args.no_tui)
    if args.no_tui:
        print(path)
        return 0
    print(f"demo copy saved at {path}", file=sys.stderr)
    rc = _run_tui(str(path), args.coder, check=True)
    print(f"the demo copy is saved at {path}; open it again with `themecoder {path}`")
    return rc


@commands.command("doctor",
                  option("--model", help="model name or path to check (default: THEMECODER_MODEL or nb_core_news_sm)"),
                  json_option,
                  help="check the installation and the NLP pipeline")
def cmd_doctor(args) -> int:
    import platform
    import sqlite3
    from importlib import metadata

    from themecoder.nlp import pipeline_status

    status = pipeline_status(args.model)
    versions: dict[str, str | None] = {}
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
    print("themecoder doctor")
    print(f"  Python {data['python']}, SQLite {data['sqlite']}")
    for name, v in versions.items():
        print(f"  {name:<12} {v or 'MISSING'}")
    print(f"  NLP pipeline: {status.name} ({'full model' if status.kind == 'model' else 'fallback'})")
    print(f"  {status.message}")
    if status.kind != "model":
        print(f"  {status.install_hint}")
    missing = [n for n, v in versions.items() if v is None]
    return EXIT_ERROR if missing else 0


@commands.command("open", project_argument,
                  option("--blind", action="store_true", help="show only your own codings (blind coding)"),
                  help="open a project in the TUI (same as `themecoder PROJECT`)")
def cmd_open(args) -> int:
    if args.blind:
        return _run_tui(args.project, args.coder, blind=True)
    return _run_tui(args.project, args.coder)


def _run_tui(project_path: str, coder: str | None, *, blind: bool = False, check: bool = False) -> int:
    from themecoder.core.project import Project

    # Fail on a bad path before the terminal is taken over.
    Project.open(project_path, coder=coder).close()
    from themecoder.tui.app import run

    return run(project_path, coder=coder, blind=blind, check_identifiers=check) or 0
