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
    from themecoder import store

    with open_project(args.project) as project:
        counts = store.project.counts(project.db)
        data = {
            "project": project.name,
            "path": str(project.path),
            "schema_version": project.db.version,
            **counts,
        }
        docs = []
        for d in store.documents.documents(project.db):
            n = project.db.scalar("SELECT count(*) FROM codings WHERE document_id = ?", (d.id,))
            docs.append({"id": d.id, "title": d.title, "characters": d.length, "codings": n})
        data["document_list"] = docs
        data["anonymisation"] = _anonymisation_info(project)
        if args.json:
            emit_json(data)
            return 0
        print(f"{project.name}  ({project.path})")
        for key in ("documents", "participants", "sentences", "codes", "codings", "themes", "memos"):
            print(f"  {key:<13}{counts[key]:>8,}".replace(",", " "))
        status = pipeline_status()
        print(f"  NLP pipeline: {status.name} ({status.kind})")
        print(f"  anonymisation: {data['anonymisation']['label']}")
    return 0


def cmd_search(args) -> int:
    from themecoder.core.search import search
    from themecoder import store

    with open_project(args.project) as project:
        doc_id = store.documents.find_document(project.db, args.doc).id if args.doc else None
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
    from themecoder import store

    with open_project(args.project, args.coder) as project:
        coding = code_quote(project, args.doc, args.quote, args.code, occurrence=args.occurrence)
        code = store.codes.code(project.db, coding.code_id)
        if args.json:
            emit_json(_slots(coding) | {"code": code.label})
        else:
            print(f"coded [{coding.start}, {coding.end}) with «{code.label}»")
    return 0


def cmd_codes(args) -> int:
    from themecoder import store

    with open_project(args.project) as project:
        stats = store.codes.code_stats(project.db)
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
    from themecoder import store

    with open_project(args.project, args.coder) as project:
        target_id = None
        if args.on == "document":
            target_id = store.documents.find_document(project.db, args.target).id
        elif args.on == "code":
            target_id = store.codes.find_code(project.db, args.target).id
        elif args.on == "theme":
            target_id = store.themes.find_theme(project.db, args.target).id
        elif args.on == "coding":
            target_id = store.codings.coding(project.db, args.target).id
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


def cmd_verify(args) -> int:
    from themecoder.core.integrity import repair, verify

    with open_project(args.project, args.coder) as project:
        report = verify(project)
        repaired = repair(project, report) if args.repair and report.mismatches else 0
        if args.json:
            emit_json({"ok": report.ok, "sqlite": report.sqlite, "foreign_key_problems": report.foreign_keys,
                       "codings": report.codings, "repaired": repaired,
                       "mismatches": [_slots(m) for m in report.mismatches],
                       "unindexed_documents": report.unindexed})
            return 0 if report.ok or repaired == len(report.mismatches) else EXIT_ERROR
        print(f"database: {report.sqlite}; foreign keys: "
              f"{'ok' if not report.foreign_keys else f'{report.foreign_keys} problems'}")
        print(f"codings: {report.codings} checked, {len(report.mismatches)} do not match their transcript")
        for m in report.mismatches[:20]:
            where = f"found again at [{m.found[0]}, {m.found[1]})" if m.found else "quote not in the text any more"
            print(f"  {m.document} [{m.start}, {m.end}) «{m.quote[:60]}»: {where}")
        if report.mismatches and not args.repair:
            print("re-anchor those that were found again with --repair (one action, undoable)")
        if repaired:
            print(f"re-anchored {repaired} codings")
        if report.unindexed:
            print(f"{len(report.unindexed)} documents have no search index yet (built on the next search)")
    return 0 if report.ok or (args.repair and repaired == len(report.mismatches)) else EXIT_ERROR


def cmd_purge_undo(args) -> int:
    from themecoder.store.actionlog import purge_undo_data

    if not args.yes:
        if not sys.stdin.isatty():
            raise UserErrorLazy("purge-undo cannot be undone itself; give --yes to confirm")
        answer = input("Forget all undo data (the action log stays)? This cannot be undone. [y/N] ")
        if answer.strip().casefold() not in {"y", "yes", "j", "ja"}:
            print("nothing changed")
            return 0
    with open_project(args.project, args.coder) as project:
        n = purge_undo_data(project.db)
    print(f"undo data of {n} actions removed; the action log (who did what when) is kept")
    return 0


def UserErrorLazy(message: str):
    from themecoder.errors import UserError

    return UserError(message)


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
    print("themecoder doctor")
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

    p = sub.add_parser("import", help="import transcripts (.txt .md .docx .vtt .srt) or REFI-QDA (.qdpx .qdc .qde)")
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

    p = sub.add_parser("verify", help="check the project file and every coding against its transcript")
    add_project_arg(p)
    p.add_argument("--repair", action="store_true", help="re-anchor codings whose quote is found again")
    add_json_arg(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "purge-undo",
        help="forget undo data (e.g. original names kept by undo after pseudonymisation); the action log stays",
    )
    add_project_arg(p)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_purge_undo)

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


# -- codebook, themes, matrix and review (issue: themes and review) --------------------------
def _codebook_code(project, ref: str):
    from themecoder import store

    return store.codes.find_code(project.db, ref)


def _codebook_theme(project, ref: str):
    from themecoder.core.themes import find_theme

    return find_theme(project, ref)


def _codebook_confirm(question: str, yes: bool) -> None:
    from themecoder.errors import UserError

    if yes:
        return
    if not sys.stdin.isatty():
        raise UserError(f"{question} Add --yes to confirm")
    answer = input(f"{question} [y/N] ").strip().casefold()
    if answer not in ("y", "yes", "j", "ja"):
        raise UserError("cancelled; nothing changed")


def cmd_codebook(args) -> int:
    from themecoder.core import codebook

    with open_project(args.project, args.coder) as project:
        op = args.codebook_command
        if op == "rename":
            code = _codebook_code(project, args.code)
            new = codebook.rename_code(project, code.id, args.label)
            print(f"renamed «{code.label}» → «{new.label}»")
        elif op == "describe":
            code = codebook.describe_code(project, _codebook_code(project, args.code).id, args.text)
            print(f"description of «{code.label}» set")
        elif op == "recolour":
            code = codebook.recolour_code(project, _codebook_code(project, args.code).id, args.colour)
            print(f"«{code.label}» is now {code.colour}")
        elif op == "merge":
            target = _codebook_code(project, args.into)
            sources = [_codebook_code(project, ref).id for ref in args.codes]
            r = codebook.merge_codes(project, sources, target.id)
            if args.json:
                emit_json({"code": {"id": r.code.id, "label": r.code.label}, "merged": list(r.merged),
                           "moved": r.moved, "collapsed": r.collapsed, "mappings": r.mappings, "memos": r.memos})
            else:
                merged = ", ".join(f"«{m}»" for m in r.merged)
                print(f"merged {merged} into «{r.code.label}»: {r.moved} codings moved, {r.collapsed} "
                      f"duplicates collapsed, {r.mappings} theme mappings and {r.memos} memos carried over")
        elif op == "split":
            from themecoder import store

            code = _codebook_code(project, args.code)
            codings = store.codings.codings_for_code(project.db, code.id)
            chosen = set()
            for ref in args.coding or []:
                hits = [c.id for c in codings if c.id == ref or (len(ref) >= 6 and c.id.startswith(ref))]
                if len(hits) != 1:
                    from themecoder.errors import NotFound

                    raise NotFound(f"«{code.label}» has no coding {ref!r}")
                chosen.add(hits[0])
            if args.doc:
                doc = store.documents.find_document(project.db, args.doc)
                chosen.update(c.id for c in codings if c.document_id == doc.id)
            if args.containing:
                needle = args.containing.casefold()
                chosen.update(c.id for c in codings if needle in c.quote.casefold())
            new = codebook.split_code(project, code.id, [c.id for c in codings if c.id in chosen], args.to,
                                      keep_themes=not args.no_themes)
            print(f"moved {len(chosen)} codings of «{code.label}» to the new code «{new.label}»")
        elif op == "delete":
            impact = codebook.delete_impact(project, _codebook_code(project, args.code).id)
            _codebook_confirm(f"Delete «{impact.code.label}» with {impact.codings} codings, "
                              f"{impact.themes} theme mappings and {impact.memos} memos? (undo brings it back)",
                              args.yes)
            codebook.delete_code(project, impact.code.id)
            print(f"deleted «{impact.code.label}» ({impact.codings} codings); `themecoder undo` restores it")
        elif op == "duplicates":
            clusters = codebook.near_duplicates(project, threshold=args.threshold)
            if args.json:
                emit_json([{"score": cl.score, "survivor": cl.survivor.id,
                            "codes": [{"id": c.id, "label": c.label, "codings": n}
                                      for c, n in zip(cl.codes, cl.codings)],
                            "pairs": [{"a": cl.codes[i].id, "b": cl.codes[j].id, "score": s}
                                      for i, j, s in cl.pairs]} for cl in clusters])
                return 0
            for cl in clusters:
                print(f"{cl.score:5.1f}  " + "  |  ".join(f"{c.label} ({n})" for c, n in zip(cl.codes, cl.codings)))
            print(f"{len(clusters)} groups of similar codes (threshold {args.threshold:g}); merge with "
                  f"`themecoder codebook merge PROJECT CODE... --into CODE`")
        elif op == "show":
            from themecoder import store

            code = _codebook_code(project, args.code)
            docs = {d.id: d.title for d in store.documents.documents(project.db)}
            codings = store.codings.codings_for_code(project.db, code.id)
            if args.json:
                emit_json({"id": code.id, "label": code.label, "description": code.description,
                           "colour": code.colour, "codings": [_slots(c) | {"document": docs[c.document_id]}
                                                              for c in codings]})
                return 0
            print(f"«{code.label}»  {code.colour}  {len(codings)} codings")
            if code.description:
                print(f"  {code.description}")
            for c in codings:
                print(f"  {c.id[:8]}  {docs[c.document_id]:<16} «{' '.join(c.quote.split())[:90]}»")
    return 0


def cmd_theme(args) -> int:
    from themecoder.core import themes
    from themecoder import store

    with open_project(args.project, args.coder) as project:
        op = args.theme_command
        if op == "create":
            parent = _codebook_theme(project, args.parent).id if args.parent else None
            t = themes.create_theme(project, args.name, parent_id=parent, description=args.description or "")
            print(f"created theme «{themes.theme_path(project, t.id)}» ({t.id[:8]})")
        elif op == "rename":
            t = _codebook_theme(project, args.theme)
            new = themes.rename_theme(project, t.id, args.name)
            print(f"renamed «{t.name}» → «{new.name}»")
        elif op == "describe":
            t = themes.describe_theme(project, _codebook_theme(project, args.theme).id, args.text)
            print(f"description of «{t.name}» set")
        elif op == "set":
            t = _codebook_theme(project, args.theme)
            fields = {}
            for key in ("description", "analytic_text", "condensate"):
                value = getattr(args, key)
                if value is not None:
                    fields[key] = sys.stdin.read() if value == "-" else value
            if args.key_quote is not None:
                fields["key_coding_id"] = None if args.key_quote.casefold() in ("", "none", "-") else args.key_quote
            if not fields:
                from themecoder.errors import UserError

                raise UserError("nothing to set: give --description, --analytic-text, --condensate or --key-quote")
            t = themes.update_theme(project, t.id, **fields)
            print(f"theme «{t.name}» updated")
        elif op == "move":
            t = _codebook_theme(project, args.theme)
            parent = None if args.top else _codebook_theme(project, args.under).id
            t = themes.move_theme(project, t.id, parent, position=args.position)
            print(f"moved to «{themes.theme_path(project, t.id)}»")
        elif op == "reorder":
            t = _codebook_theme(project, args.theme)
            if args.to is not None:
                t = themes.reorder_theme(project, t.id, args.to)
            else:
                t = themes.shift_theme(project, t.id, -1 if args.up else 1)
            print(f"«{t.name}» is number {t.position} at its level")
        elif op == "delete":
            t = _codebook_theme(project, args.theme)
            subs = len(themes.descendants(project, t.id))
            what = "" if not subs or args.keep_subthemes else f" and its {subs} subthemes"
            _codebook_confirm(f"Delete theme «{t.name}»{what}? Codes stay, only their mappings go.", args.yes)
            r = themes.delete_theme(project, t.id, keep_subthemes=args.keep_subthemes)
            print(f"deleted theme «{t.name}»{what}; {r.mappings} code mappings removed, no codes deleted")
        elif op in ("map", "unmap"):
            t = _codebook_theme(project, args.theme)
            ids = [_codebook_code(project, ref).id for ref in args.codes]
            if op == "map":
                n = themes.map_codes(project, ids, t.id)
                print(f"{n} codes put in «{t.name}»" + (f" ({len(ids) - n} were there already)" if n < len(ids) else ""))
            else:
                n = themes.unmap_codes(project, ids, t.id)
                print(f"{n} codes taken out of «{t.name}»")
        elif op == "move-codes":
            to = _codebook_theme(project, args.to)
            src = _codebook_theme(project, args.source).id if args.source else None
            ids = [_codebook_code(project, ref).id for ref in args.codes]
            themes.move_codes(project, ids, to.id, from_theme_id=src)
            print(f"{len(ids)} codes moved to «{to.name}»")
        elif op in ("list", "tree"):
            from themecoder.core.review import status_of

            nodes = themes.flatten(themes.theme_tree(project))
            if args.json:
                def node_json(n):
                    d = {"id": n.theme.id, "name": n.theme.name, "parent_id": n.theme.parent_id,
                         "depth": n.depth, "position": n.theme.position, "description": n.theme.description,
                         "analytic_text": n.theme.analytic_text, "condensate": n.theme.condensate,
                         "key_coding_id": n.theme.key_coding_id, "codings": n.codings,
                         "participants": n.participants, "status": status_of(project, n.theme.id),
                         "codes": [{"id": c.id, "label": c.label, "codings": n.code_codings.get(c.id, 0),
                                    "status": status_of(project, n.theme.id, c.id)} for c in n.codes]}
                    if op == "tree":
                        d["subthemes"] = [node_json(ch) for ch in n.children]
                    return d

                top = [n for n in nodes if n.depth == 0] if op == "tree" else nodes
                emit_json([node_json(n) for n in top])
                return 0
            for n in nodes:
                status = status_of(project, n.theme.id)
                mark = "" if status == "proposed" else f"  [{status}]"
                if op == "list":
                    print(f"{n.codings:>5} {n.participants:>3}  {themes.theme_path(project, n.theme.id)}"
                          f"  ({len(n.codes)} codes){mark}")
                else:
                    print(f"{'  ' * n.depth}{n.theme.name}  ({n.codings} codings, {n.participants} informants){mark}")
                    for c in n.codes:
                        cs = status_of(project, n.theme.id, c.id)
                        print(f"{'  ' * (n.depth + 1)}- {c.label} ({n.code_codings.get(c.id, 0)})"
                              + ("" if cs == "proposed" else f"  [{cs}]"))
            if op == "list":
                print(f"{len(nodes)} themes (columns: codings, informants)")
        elif op == "unthemed":
            stats = {s.code.id: s.codings for s in store.codes.code_stats(project.db)}
            codes = themes.unthemed_codes(project)
            if args.json:
                emit_json([{"id": c.id, "label": c.label, "codings": stats.get(c.id, 0)} for c in codes])
                return 0
            for c in codes:
                print(f"{stats.get(c.id, 0):>4}  {c.label}")
            print(f"{len(codes)} codes in no theme")
        elif op == "several":
            rows = themes.codes_in_several_themes(project)
            if args.json:
                emit_json([{"id": c.id, "label": c.label,
                            "themes": [{"id": t.id, "name": t.name} for t in ts]} for c, ts in rows])
                return 0
            for c, ts in rows:
                print(f"{c.label}: " + ", ".join(themes.theme_path(project, t.id) for t in ts))
            print(f"{len(rows)} codes in more than one theme")
    return 0


def cmd_matrix(args) -> int:
    from themecoder.core import themes
    from themecoder.errors import NotFound

    with open_project(args.project) as project:
        m = themes.code_matrix(project, rows=args.rows, by=args.by)
        if args.cell:
            row_ref, col_ref = args.cell
            row = next((r for r in m.rows if row_ref in (r.id, r.label) or r.id.startswith(row_ref)), None)
            col = next((c for c in m.columns if col_ref.casefold() in (c.id, c.label.casefold())), None)
            if row is None or col is None:
                raise NotFound(f"no cell {row_ref!r} × {col_ref!r} in the matrix")
            codings = themes.matrix_cell_codings(project, row, col, by=args.by)
            if args.json:
                emit_json([_slots(c) for c in codings])
                return 0
            for c in codings:
                print(f"- «{' '.join(c.quote.split())}»")
            print(f"{len(codings)} quotes for «{row.label}» × {col.label}")
            return 0
        if args.json:
            emit_json(m.as_dict())
            return 0
        width = max([len("  " * r.depth + r.label) for r in m.rows] + [10])
        width = min(width, 50)
        heads = [c.label[:10] for c in m.columns]
        print(" " * width + "  " + " ".join(f"{h:>10}" for h in heads) + f" {'total':>7}")
        for i, r in enumerate(m.rows):
            name = ("  " * r.depth + r.label)[:width]
            print(f"{name:<{width}}  " + " ".join(f"{v if v else '·':>10}" for v in m.counts[i])
                  + f" {m.row_total(i):>7}")
    return 0


def _codebook_review_item_line(item) -> str:
    from themecoder.core.review import STATUS_LABELS

    flag = "  ORPHANED" if item.orphaned else ""
    who = f" by {item.status_by}" if item.status_by else ""
    return f"{item.label}: {STATUS_LABELS[item.status]}{who}{flag}"


def _codebook_walk(project, args) -> int:
    from themecoder.core import review
    from themecoder import store

    review.mark_reviewer(project)
    steps = review.walk(project)
    if args.unreviewed:
        steps = [s for s in steps if s.item is None or s.item.status_set is None]
    who = {d.id: d.title for d in store.documents.documents(project.db)}
    for p in store.participants.participants(project.db):
        for d in store.documents.documents(project.db):
            if d.participant_id == p.id:
                who[d.id] = p.pseudonym
    print(f"Review of {project.name} as {project.coder}: {len(steps)} steps.")
    print("Keys: a approve · r needs revision · p proposed · c comment · Enter next · b back · "
          "m more quotes · q quit. Every answer is saved at once (and can be undone).")
    i = 0
    shown = 3
    while 0 <= i < len(steps):
        step = steps[i]
        item = review.item_for(project, step.theme.id, step.code.id if step.code else None)
        status = item.status if item else "proposed"
        print()
        if step.kind == "theme":
            print(f"[{i + 1}/{len(steps)}] THEME {step.path}   ({review.STATUS_LABELS[status]})")
            if step.theme.description:
                print(f"    {step.theme.description}")
        else:
            print(f"[{i + 1}/{len(steps)}] CODE «{step.code.label}» in {step.path}   "
                  f"({review.STATUS_LABELS[status]})")
            print(f"    {len(step.codings)} quotes")
            for c in step.codings[:shown]:
                print(f"    - {who.get(c.document_id, '?')}: «{' '.join(c.quote.split())[:160]}»")
        for th in (item.threads if item else []):
            for n, c in enumerate(th.comments):
                print(f"    {'  ↳ ' if n else '  '}{c.author}: {c.text}" + ("  [resolved]" if n == 0 and th.resolved else ""))
        try:
            key = input("  > ").strip().casefold()
        except EOFError:
            print()
            break
        code_id = step.code.id if step.code else None
        if key in ("a", "r", "p"):
            status = {"a": "approved", "r": "needs-revision", "p": "proposed"}[key]
            comment = None
            if key == "r":
                try:
                    comment = input("  comment (Enter for none): ").strip() or None
                except EOFError:
                    comment = None
            review.set_status(project, step.theme.id, status, code_id=code_id, comment=comment)
            i, shown = i + 1, 3
        elif key == "c":
            try:
                text = input("  comment: ").strip()
            except EOFError:
                text = ""
            if text:
                review.add_comment(project, step.theme.id, text, code_id=code_id)
        elif key == "m":
            shown += 10
        elif key == "b":
            i, shown = max(0, i - 1), 3
        elif key == "q":
            break
        else:
            i, shown = i + 1, 3
    counts = review.progress(project)
    print(f"{counts['approved']} approved, {counts['needs-revision']} need revision, "
          f"{counts['proposed']} proposed.")
    return 0


def cmd_review(args) -> int:
    from themecoder.core import review

    op = args.review_command
    coder = getattr(args, "as_name", None) or args.coder
    with open_project(args.project, coder) as project:
        if op == "walk":
            return _codebook_walk(project, args)
        if op == "status":
            theme = _codebook_theme(project, args.theme)
            code = _codebook_code(project, args.code) if args.code else None
            item = review.set_status(project, theme.id, args.status, code_id=code.id if code else None,
                                     comment=args.comment)
            print(_codebook_review_item_line(item))
        elif op == "comment":
            theme = _codebook_theme(project, args.theme)
            code = _codebook_code(project, args.code) if args.code else None
            c = review.add_comment(project, theme.id, args.text, code_id=code.id if code else None)
            print(f"comment {c.id[:8]} added")
        elif op == "reply":
            c = review.reply(project, args.comment, args.text)
            print(f"reply {c.id[:8]} added")
        elif op == "resolve":
            c = review.resolve(project, args.comment, reopen=args.reopen)
            print(f"thread {c.id[:8]} {'reopened' if args.reopen else 'resolved'}")
        elif op == "list":
            items = review.review_items(project)
            if args.open:
                items = [i for i in items if i.open_threads]
            if args.orphans:
                items = [i for i in items if i.orphaned]
            if args.json:
                emit_json([{
                    "id": i.id, "target": i.target_type, "theme_id": i.theme_id, "code_id": i.code_id or None,
                    "mapping_id": i.mapping_id, "theme": i.current_theme_name or i.theme_name,
                    "code": (i.current_code_label or i.code_label) or None, "status": i.status,
                    "status_by": i.status_by, "status_set": i.status_set, "orphaned": i.orphaned,
                    "threads": [{"resolved": th.resolved, "comments": [_slots(c) for c in th.comments]}
                                for th in i.threads],
                } for i in items])
                return 0
            for i in items:
                print(_codebook_review_item_line(i))
                for th in i.threads:
                    if args.open and th.resolved:
                        continue
                    for n, c in enumerate(th.comments):
                        print(f"    {'  ↳ ' if n else ''}{c.id[:8]} {c.author}: {c.text}"
                              + ("  [resolved]" if n == 0 and th.resolved else ""))
            print(f"{len(items)} review items")
        elif op == "changes":
            report = review.changes_since(project, args.since, reviewer=args.reviewer)
            if args.json:
                emit_json({"since": _slots(report.since) if report.since else None,
                           "changes": [_slots(c) for c in report.changes]})
                return 0
            if report.since is None:
                print("no review yet: everything is new")
            else:
                print(f"since the review by {report.since.reviewer or '?'} ({report.since.time[:16]}):")
            for c in report.changes:
                print(f"  {c.time[:16]} {c.coder or '':<10} {c.text}")
            if not report.changes:
                print("  nothing changed")
        elif op == "export":
            from themecoder.io.export import ExportOptions

            return _run_export(args, "review", ExportOptions(fmt="json", reviewer=args.reviewer))
        elif op == "import":
            report = review.import_review(project, args.file, force=args.force, dry_run=args.dry_run)
            if args.json:
                emit_json(_slots(report) | {"changed": report.changed})
            else:
                for line in report.lines():
                    print(("(dry run) " if args.dry_run else "") + line)
        elif op == "summary":
            return _run_export(args, "review-summary")
    return 0


class _ReviewSubcommands(argparse._SubParsersAction):
    """`themecoder review PROJECT --as NAME` is the walk: a first word that is not a
    subcommand is taken as the project."""

    class _AnyWord(dict):
        def __contains__(self, key) -> bool:  # every word passes the choice check; see __call__
            return True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.choices = self._AnyWord()

    def __call__(self, parser, namespace, values, option_string=None):
        if values and values[0] not in self._name_parser_map:
            values = ["walk", *values]
        super().__call__(parser, namespace, values, option_string)


def _codebook_commands(sub) -> None:
    """Codebook maintenance, themes and supervisor review (issue: themes and review)."""
    p = sub.add_parser("codebook", help="rename, describe, recolour, merge, split, delete codes; near-duplicates")
    cb = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    p.set_defaults(func=cmd_codebook)

    def code_cmd(name: str, help: str, **kw):
        q = cb.add_parser(name, help=help, **kw)
        add_project_arg(q)
        return q

    q = code_cmd("rename", "give a code a new label")
    q.add_argument("code", help="label or id")
    q.add_argument("label", help="the new label")
    q = code_cmd("describe", "set a code's description")
    q.add_argument("code")
    q.add_argument("text")
    q = code_cmd("recolour", "set a code's colour", aliases=["recolor"])
    q.add_argument("code")
    q.add_argument("colour", help="#RRGGBB")
    q.set_defaults(codebook_command="recolour")
    q = code_cmd("merge", "merge codes into one (one undo restores them)")
    q.add_argument("codes", nargs="+", help="the codes to merge away")
    q.add_argument("--into", required=True, help="the surviving code")
    add_json_arg(q)
    q = code_cmd("split", "move some codings of a code to a new code")
    q.add_argument("code")
    q.add_argument("--to", required=True, help="label of the new code")
    q.add_argument("--coding", action="append", help="coding id or prefix (see `codebook show`); repeatable")
    q.add_argument("--doc", help="all codings in this document")
    q.add_argument("--containing", help="all codings whose quote contains this text")
    q.add_argument("--no-themes", action="store_true", help="do not put the new code in the old code's themes")
    q = code_cmd("delete", "delete a code with its codings, mappings and memos (undoable)")
    q.add_argument("code")
    q.add_argument("--yes", action="store_true", help="do not ask")
    q = code_cmd("duplicates", "clusters of near-duplicate code labels")
    q.add_argument("--threshold", type=float, default=85.0, help="similarity 0-100 (default 85)")
    add_json_arg(q)
    q = code_cmd("show", "a code with its codings (ids for split and key quotes)")
    q.add_argument("code")
    add_json_arg(q)

    p = sub.add_parser("theme", help="themes and subthemes: create, rename, move, reorder, delete, map codes, list")
    th = p.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    p.set_defaults(func=cmd_theme)

    def theme_cmd(name: str, help: str):
        q = th.add_parser(name, help=help)
        add_project_arg(q)
        return q

    theme_help = "theme name, id, or path «Theme/Subtheme»"
    q = theme_cmd("create", "create a theme (or a subtheme with --parent)")
    q.add_argument("name")
    q.add_argument("--parent", help=theme_help)
    q.add_argument("--description")
    q = theme_cmd("rename", "rename a theme")
    q.add_argument("theme", help=theme_help)
    q.add_argument("name")
    q = theme_cmd("describe", "set a theme's description")
    q.add_argument("theme", help=theme_help)
    q.add_argument("text")
    q = theme_cmd("set", "set analytic text, condensate, key quote (\"-\" reads the text from stdin)")
    q.add_argument("theme", help=theme_help)
    q.add_argument("--description")
    q.add_argument("--analytic-text", dest="analytic_text")
    q.add_argument("--condensate")
    q.add_argument("--key-quote", dest="key_quote", help="coding id or prefix; 'none' clears it")
    q = theme_cmd("move", "move a theme under another theme or to the top level")
    q.add_argument("theme", help=theme_help)
    where = q.add_mutually_exclusive_group(required=True)
    where.add_argument("--under", help=theme_help)
    where.add_argument("--top", action="store_true")
    q.add_argument("--position", type=int, help="1-based place among its new siblings (default: last)")
    q = theme_cmd("reorder", "move a theme up, down or to a position among its siblings")
    q.add_argument("theme", help=theme_help)
    how = q.add_mutually_exclusive_group(required=True)
    how.add_argument("--up", action="store_true")
    how.add_argument("--down", action="store_true")
    how.add_argument("--to", type=int, help="1-based position")
    q = theme_cmd("delete", "delete a theme (codes are only unmapped)")
    q.add_argument("theme", help=theme_help)
    q.add_argument("--keep-subthemes", action="store_true", help="move its subthemes up instead")
    q.add_argument("--yes", action="store_true", help="do not ask")
    for name, help in (("map", "put codes in a theme"), ("unmap", "take codes out of a theme")):
        q = theme_cmd(name, help)
        q.add_argument("theme", help=theme_help)
        q.add_argument("codes", nargs="+", help="code labels or ids")
    q = theme_cmd("move-codes", "move codes from one theme to another in one action")
    q.add_argument("codes", nargs="+", help="code labels or ids")
    q.add_argument("--to", required=True, help=theme_help)
    q.add_argument("--from", dest="source", help="the theme they leave (default: they only join --to)")
    for name, help in (("list", "themes with counts"), ("tree", "themes, subthemes and their codes"),
                       ("unthemed", "codes in no theme"), ("several", "codes in more than one theme")):
        q = theme_cmd(name, help)
        add_json_arg(q)

    p = sub.add_parser("matrix", help="code matrix: coded segments per theme or code by participant")
    add_project_arg(p)
    p.add_argument("--rows", choices=["themes", "codes"], default="themes")
    p.add_argument("--by", choices=["participant", "document"], default="participant")
    p.add_argument("--cell", nargs=2, metavar=("ROW", "COLUMN"), help="print the quotes behind one cell")
    add_json_arg(p)
    p.set_defaults(func=cmd_matrix)

    p = sub.add_parser("review", help="supervisor review: `review PROJECT --as NAME` walks through the themes; "
                                      "status, comment, reply, resolve, list, changes, export, import, summary")
    p.add_argument("--as", dest="as_name", metavar="NAME", help="your name as reviewer (default: --coder)")
    rv = p.add_subparsers(dest="review_command", metavar="ACTION", required=True, action=_ReviewSubcommands)
    p.set_defaults(func=cmd_review)

    def review_cmd(name: str, help: str):
        q = rv.add_parser(name, help=help)
        add_project_arg(q)
        q.add_argument("--as", dest="as_name", metavar="NAME", default=argparse.SUPPRESS,
                       help="your name as reviewer (default: --coder)")
        return q

    q = review_cmd("walk", "walk through every theme, its codes and their quotes (the default)")
    q.add_argument("--unreviewed", action="store_true", help="only what has no status yet")
    for name, help in (("status", "set the status of a theme or a code's mapping to it"),
                       ("comment", "start a comment thread on a theme or a mapping")):
        q = review_cmd(name, help)
        q.add_argument("--theme", required=True, help=theme_help)
        q.add_argument("--code", help="the code (for a mapping)")
        if name == "status":
            q.add_argument("status", choices=["proposed", "approved", "needs-revision"])
            q.add_argument("--comment")
        else:
            q.add_argument("text")
    q = review_cmd("reply", "answer a comment thread")
    q.add_argument("comment", help="comment id or prefix (see `review list`)")
    q.add_argument("text")
    q = review_cmd("resolve", "mark a comment thread resolved")
    q.add_argument("comment", help="comment id or prefix")
    q.add_argument("--reopen", action="store_true")
    q = review_cmd("list", "review items with statuses and comment threads")
    q.add_argument("--open", action="store_true", help="only items with open threads")
    q.add_argument("--orphans", action="store_true", help="only items whose theme or mapping is gone")
    add_json_arg(q)
    q = review_cmd("changes", "what changed since the last review")
    q.add_argument("--since", type=int, help="action id (see `history`) instead of the last review")
    q.add_argument("--reviewer", help="the last review by this reviewer")
    add_json_arg(q)
    q = review_cmd("export", "write the review to a small JSON file (review on a copy)")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--reviewer", help="only this reviewer's statuses and threads")
    q = review_cmd("import", "merge a review file into this project (codings are never touched)")
    q.add_argument("file")
    q.add_argument("--force", action="store_true", help="import a review of another project")
    q.add_argument("--dry-run", action="store_true", help="report what would change, change nothing")
    add_json_arg(q)
    q = review_cmd("summary", "write the review summary for the supervision meeting (.docx or .md)")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--lang", choices=["nb", "en"], default="nb")


def _run_export(args, kind: str, options=None) -> int:
    """Every export goes through io.export.run_export: path check, guard, write, stamp."""
    from themecoder.io.export import ExportOptions, run_export

    opts = options or ExportOptions()
    opts.fmt = getattr(args, "format", None) or opts.fmt
    opts.lang = getattr(args, "lang", None) or opts.lang
    opts.allow_unreviewed = bool(getattr(args, "allow_unreviewed", False))
    with open_project(args.project, getattr(args, "as_name", None) or args.coder) as project:
        result = run_export(project, kind, getattr(args, "output", None), opts)
    for line in result.lines():
        print(line)
    return 0


def cmd_export_quotes(args) -> int:
    from themecoder.io.export import ExportOptions

    return _run_export(args, "quotes", ExportOptions(
        themes=args.theme, max_per_code=args.max_per_code, ellipsis=args.ellipsis,
        appendix=args.appendix, delimiter=args.delimiter))


def cmd_export_codebook(args) -> int:
    from themecoder.io.export import ExportOptions

    return _run_export(args, "codebook", ExportOptions(delimiter=args.delimiter))


def cmd_export_qdpx(args) -> int:
    from themecoder.io.export import ExportOptions

    return _run_export(args, "qdpx", ExportOptions(themes_as=args.themes_as))


def cmd_export_shorten(args) -> int:
    from themecoder.core.quotes import clear_shortening, display_text, set_shortening
    from themecoder.errors import UserError

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


def _mm_lang(args, project) -> str:
    lang = getattr(args, "lang", None) or project.setting("language", "nb") or "nb"
    return lang if lang in ("nb", "en") else "nb"


def _mm_finding_json(sf, lang: str, links: int = 0) -> dict:
    from themecoder.core.apa import format_finding, format_finding_runs, runs_to_text

    return {"number": sf.number, "label": sf.label, "title": sf.title, **sf.finding.to_dict(),
            "apa": format_finding(sf.finding, lang),
            "apa_text": runs_to_text(format_finding_runs(sf.finding, lang)),
            "small_n": sf.small_n, "links": links, "created": sf.created, "modified": sf.modified}


def _mm_print_import(result, verb: str) -> None:
    for sf in result.added:
        print(f"  + {sf.label:<4} {sf.title} ({sf.finding.test})")
    for sf in result.updated:
        print(f"  ~ {sf.label:<4} {sf.title} ({sf.finding.test})")
    print(f"{verb} {result.total} findings: {result.summary()}")


def _mm_group(text: str):
    """``NAME:N:M:SD`` (empty parts allowed; the name may not contain ':')."""
    from themecoder.errors import UserError

    parts = text.rsplit(":", 3)
    if len(parts) != 4:
        raise UserError(f"--group takes NAME:N:MEAN:SD (empty parts allowed), not {text!r}")
    name, n, mean, sd = (p.strip() for p in parts)
    return {"name": name, "n": n or None, "mean": mean or None, "sd": sd or None}


_MM_FIELDS = ("instrument", "scale", "comparison", "test", "statistic", "df", "p", "p_reported",
              "effect_size", "effect_label", "n", "statement", "source", "variables")


def _mm_fields(args) -> dict:
    """The finding fields given on the command line ('' clears a field when editing)."""
    out = {}
    for name in _MM_FIELDS:
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value if value != "" else None
    if getattr(args, "group", None):
        out["groups"] = [_mm_group(g) for g in args.group]
    return out


def cmd_findings_import(args) -> int:
    from themecoder.core.findings import import_findings_file

    with open_project(args.project, args.coder) as project:
        _mm_print_import(import_findings_file(project, args.file), "imported")
    return 0


def cmd_findings_compute(args) -> int:
    from themecoder.core.findings import compute_survey_findings

    with open_project(args.project, args.coder) as project:
        _mm_print_import(compute_survey_findings(project, args.data, args.scales), "computed")
    return 0


def cmd_findings_list(args) -> int:
    from themecoder.core.apa import format_finding_runs, runs_to_text
    from themecoder.core.findings import list_findings, list_links

    with open_project(args.project) as project:
        lang = _mm_lang(args, project)
        stored = list_findings(project)
        n_links: dict[str, int] = {}
        for link in list_links(project):
            n_links[link.finding_id] = n_links.get(link.finding_id, 0) + 1
        if args.json:
            emit_json([_mm_finding_json(sf, lang, n_links.get(sf.id, 0)) for sf in stored])
            return 0
        for sf in stored:
            links = n_links.get(sf.id, 0)
            extra = f", {links} link{'s' if links != 1 else ''}" if links else ""
            print(f"{sf.label:<4} {sf.title}  [{sf.finding.test}, {sf.finding.source}{extra}]")
            apa = runs_to_text(format_finding_runs(sf.finding, lang))
            if apa:
                print(f"     {apa}" + ("  ⚠ n ≤ 5" if sf.small_n else ""))
        print(f"{len(stored)} findings")
    return 0


def cmd_findings_check(args) -> int:
    from themecoder.core.findings import check_project_findings

    with open_project(args.project) as project:
        checked = check_project_findings(project, alpha=args.alpha)
    flagged = [c for c in checked if c.flagged]
    if args.json:
        emit_json([{"number": c.finding.number, "label": c.finding.label, "id": c.finding.id,
                    "title": c.finding.title, "status": c.status, "flagged": c.flagged,
                    "consistent": c.result.consistent, "decision_error": c.result.decision_error,
                    "checked": c.result.checked, "recomputed_p": c.result.recomputed_p,
                    "recomputed_range": c.result.recomputed_range, "reported_p": c.result.reported_p,
                    "recomputed_from": c.result.recomputed_from, "issues": c.result.issues,
                    "note": c.result.note} for c in checked])
    else:
        marks = {"ok": "ok     ", "not-checked": "-      ", "inconsistent": "FLAG   ",
                 "decision-error": "DECISION"}
        for c in checked:
            print(f"{marks[c.status]} {c.finding.label:<4} {c.finding.title}")
            if c.status != "not-checked":
                print(f"         {c.result.note}")
        print(f"{len(checked)} findings: {sum(c.status == 'ok' for c in checked)} consistent, "
              f"{len(flagged)} flagged "
              f"({sum(c.result.decision_error for c in checked)} with a decision error), "
              f"{sum(c.status == 'not-checked' for c in checked)} without a p value to check")
    return EXIT_ERROR if flagged else 0


def cmd_findings_add(args) -> int:
    from themecoder.core.findings import add_finding

    fields = {k: v for k, v in _mm_fields(args).items() if v is not None}
    with open_project(args.project, args.coder) as project:
        sf = add_finding(project, fields)
        print(f"added {sf.label}: {sf.title}")
    return 0


def cmd_findings_edit(args) -> int:
    from themecoder.errors import UserError
    from themecoder.core.findings import update_finding

    fields = _mm_fields(args)
    if not fields:
        raise UserError("nothing to change: give the fields to set (e.g. --p-reported .03)")
    with open_project(args.project, args.coder) as project:
        sf = update_finding(project, args.finding, **fields)
        print(f"changed {sf.label}: {', '.join(sorted(fields))}")
    return 0


def cmd_findings_delete(args) -> int:
    from themecoder.core.findings import delete_finding

    with open_project(args.project, args.coder) as project:
        sf = delete_finding(project, args.finding)
        print(f"deleted {sf.label}: {sf.title} (undo brings it back)")
    return 0


def cmd_link(args) -> int:
    from themecoder.core.findings import find_theme, get_link, link_theme, find_finding
    from themecoder.errors import UserError

    with open_project(args.project, args.coder) as project:
        theme = find_theme(project, args.theme)
        sf = find_finding(project, args.finding)
        outcome = args.outcome
        if outcome is None:
            existing = get_link(project, theme.id, sf.id)
            if existing is None:
                raise UserError("a new link needs --outcome confirmation, expansion or discordance")
            outcome = existing.outcome
        link = link_theme(project, theme.id, sf.id, outcome, args.text)
        print(f"linked «{theme.name}» ↔ {sf.label} {sf.title}: {link.outcome}")
    return 0


def cmd_unlink(args) -> int:
    from themecoder.core.findings import unlink_theme

    with open_project(args.project, args.coder) as project:
        done = unlink_theme(project, args.theme, args.finding)
        print("unlinked" if done else "there was no such link")
    return 0


def cmd_links(args) -> int:
    from themecoder.core.findings import get_finding, list_links, theme_paths

    with open_project(args.project) as project:
        paths = theme_paths(project.db)
        rows = []
        for link in list_links(project):
            sf = get_finding(project, link.finding_id)
            rows.append((link, sf, paths.get(link.theme_id, link.theme_id)))
        if args.json:
            emit_json([{"id": l.id, "theme_id": l.theme_id, "theme": path, "finding_id": l.finding_id,
                        "finding": sf.label, "finding_title": sf.title, "outcome": l.outcome,
                        "meta_inference": l.meta_inference, "created": l.created, "modified": l.modified}
                       for l, sf, path in rows])
            return 0
        for l, sf, path in rows:
            print(f"{path}  ↔  {sf.label} {sf.title}  [{l.outcome}]")
            if l.meta_inference:
                print(f"    {l.meta_inference}")
        print(f"{len(rows)} links")
    return 0


def cmd_design(args) -> int:
    from themecoder.core.findings import get_design, set_design

    with open_project(args.project, args.coder) as project:
        if args.clear:
            set_design(project, None)
            print("design cleared")
        elif args.design:
            print(f"design: {set_design(project, args.design)}")
        else:
            print(f"design: {get_design(project) or '(not set)'}")
    return 0


def cmd_joint_display(args) -> int:
    from themecoder.core.apa import format_finding_runs, runs_to_text
    from themecoder.core.findings import joint_display
    from themecoder.io.tabular import citation, quote_display

    with open_project(args.project) as project:
        lang = _mm_lang(args, project)
        jd = joint_display(project, include_subthemes=args.subthemes, max_quotes=args.max_quotes)
        if args.json:
            emit_json({"design": jd.design, "participants": jd.participants, "rows": [{
                "theme_id": r.theme.id, "theme": r.path, "level": r.level,
                "participants": r.participants, "n_participants": r.n_participants,
                "codings": r.codings, "small_n": r.small_n,
                "quotes": [{"coding_id": q.coding.id, "text": quote_display(q, lang, marks=False),
                            "participant": q.participant, "document": q.document,
                            "citation": citation(q, lang), "key": q.coding.id == r.key_coding_id}
                           for q in r.quotes],
                "findings": [{"finding": e.finding.label, "finding_id": e.finding.id,
                              "title": e.finding.title,
                              "apa": runs_to_text(format_finding_runs(e.finding.finding, lang)),
                              "outcome": e.outcome, "meta_inference": e.meta_inference,
                              "small_n": e.finding.small_n} for e in r.entries],
            } for r in jd.rows]})
            return 0
        print(f"design: {jd.design or '(not set)'}")
        for r in jd.rows:
            warn = "  ⚠ n ≤ 5" if r.small_n else ""
            print(f"\n{r.path}  ({r.n_participants} participants, {r.codings} codings){warn}")
            for q in r.quotes:
                print(f"    {quote_display(q, lang)} ({citation(q, lang)})")
            for e in r.entries:
                apa = runs_to_text(format_finding_runs(e.finding.finding, lang))
                print(f"  ↔ {e.finding.label} {e.finding.title}: {apa}  [{e.outcome}]")
                if e.meta_inference:
                    print(f"      {e.meta_inference}")
    return 0


def cmd_report(args) -> int:
    from themecoder.io.export import ExportOptions

    return _run_export(args, "report", ExportOptions(
        layout=args.layout, include_subthemes=args.subthemes, max_quotes=args.max_quotes,
        check=not args.no_check))


def _mixed_methods_commands(sub) -> None:
    """Findings, links and the joint display report (issue: mixed methods)."""
    outcomes = "confirmation, expansion or discordance"

    def finding_options(p, *, adding: bool) -> None:
        p.add_argument("--test", required=adding,
                       help="t-test, welch, mann-whitney, pearson, spearman, descriptive or cronbach-alpha")
        p.add_argument("--instrument", help="e.g. QPS Nordic")
        p.add_argument("--scale", help="e.g. Støtte fra leder")
        p.add_argument("--comparison", help="e.g. 'med vs. uten brukererfaring'")
        p.add_argument("--variables", help="names separated by ';'")
        p.add_argument("--group", action="append", metavar="NAME:N:M:SD",
                       help="a group with n, mean and SD (repeat for each group; replaces all groups)")
        p.add_argument("--statistic", help="t, U, r, rho or alpha as printed (\"-2.51\")")
        p.add_argument("--df", help="degrees of freedom")
        p.add_argument("--p", help="the exact p value, if known")
        p.add_argument("--p-reported", dest="p_reported", help="p as printed in the source: '.02', '< .001'")
        p.add_argument("--effect-size", dest="effect_size", help="e.g. 0.83")
        p.add_argument("--effect-label", dest="effect_label", help="d, g, r, rho, rank-biserial ...")
        p.add_argument("--n", help="total sample size")
        p.add_argument("--statement", help="the finding in words")
        p.add_argument("--source", choices=["reported", "computed"])

    findings = sub.add_parser(
        "findings", help="quantitative findings: import, compute from survey data, list, check, add, edit, delete",
        description="Quantitative findings stored in the project, numbered F1, F2 ... A finding is referred "
                    "to by its number (F3 or 3), its id, or a text matching one finding's scale/comparison.")
    fsub = findings.add_subparsers(dest="findings_command", metavar="WHAT")
    findings.set_defaults(func=lambda a: (findings.print_help(), 0)[1])

    p = fsub.add_parser("import", help="import findings from a .csv or .yaml file",
                        description="Formats: see the documentation of themecoder.core.quant. A finding whose "
                                    "id is already in the project is updated; its number and links are kept.")
    add_project_arg(p)
    p.add_argument("file", help="findings file (.csv or .yaml)")
    p.set_defaults(func=cmd_findings_import)

    p = fsub.add_parser("compute", help="score a survey and store its findings (source 'computed')",
                        description="Runs the scoring key over the data: descriptives and Cronbach's alpha per "
                                    "scale, the comparisons and correlations it names. Re-running after a data "
                                    "correction updates the same findings (stable ids).")
    add_project_arg(p)
    p.add_argument("data", help="survey data (.csv, one row per respondent)")
    p.add_argument("--scales", required=True, help="scoring key (scales.yaml)")
    p.set_defaults(func=cmd_findings_compute)

    p = fsub.add_parser("list", help="list findings with their APA result")
    add_project_arg(p)
    add_json_arg(p)
    p.add_argument("--lang", choices=["nb", "en"], help="APA style: nb (decimal comma) or en (default: project)")
    p.set_defaults(func=cmd_findings_list)

    p = fsub.add_parser(
        "check", help="recompute p values and flag inconsistent findings (statcheck-style)",
        description="Recomputes each p value from the statistic and df (and from M, SD, n where given), "
                    "allowing for rounding, and flags a finding whose reported p does not match, whose "
                    "numbers do not add up, or whose significance decision flips. Exit status: 0 when no "
                    "finding is flagged, 1 when at least one is (or on an error).")
    add_project_arg(p)
    add_json_arg(p)
    p.add_argument("--alpha", type=float, default=0.05, help="significance level (default .05)")
    p.set_defaults(func=cmd_findings_check)

    p = fsub.add_parser("add", help="add a finding by hand (one undoable action)")
    add_project_arg(p)
    finding_options(p, adding=True)
    p.set_defaults(func=cmd_findings_add)

    p = fsub.add_parser("edit", help="change fields of a finding ('' clears a field)")
    add_project_arg(p)
    p.add_argument("finding", help="F3, 3, id or scale")
    finding_options(p, adding=False)
    p.set_defaults(func=cmd_findings_edit)

    p = fsub.add_parser("delete", help="delete a finding and its links (undo brings them back)")
    add_project_arg(p)
    p.add_argument("finding", help="F3, 3, id or scale")
    p.set_defaults(func=cmd_findings_delete)

    p = sub.add_parser("link", help="link a theme to a finding with an outcome and a meta-inference",
                       description=f"Outcome: {outcomes} (Fetters, Curry & Creswell 2013; Norwegian "
                                   "bekreftelse, utvidelse, uoverensstemmelse also work). Linking again "
                                   "changes the outcome and, with --text, the meta-inference.")
    add_project_arg(p)
    p.add_argument("--theme", required=True, help="theme or subtheme: name, 'Theme › Subtheme' or id")
    p.add_argument("--finding", required=True, help="F3, 3, id or scale")
    p.add_argument("--outcome", help=outcomes)
    p.add_argument("--text", help="the meta-inference: what the two strands say together")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("unlink", help="remove the link between a theme and a finding")
    add_project_arg(p)
    p.add_argument("--theme", required=True)
    p.add_argument("--finding", required=True)
    p.set_defaults(func=cmd_unlink)

    p = sub.add_parser("links", help="list the links between themes and findings")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_links)

    p = sub.add_parser("design", help="show or set the mixed-methods design",
                       description="convergent, explanatory-sequential or exploratory-sequential "
                                   "(Creswell & Plano Clark). Without a design: show the current one.")
    add_project_arg(p)
    p.add_argument("design", nargs="?", help="convergent | explanatory-sequential | exploratory-sequential")
    p.add_argument("--clear", action="store_true", help="forget the design")
    p.set_defaults(func=cmd_design)

    p = sub.add_parser("joint-display", help="the joint display as text or JSON: themes, quotes, linked findings")
    add_project_arg(p)
    add_json_arg(p)
    p.add_argument("--lang", choices=["nb", "en"])
    p.add_argument("--subthemes", action="store_true", help="a row for every subtheme (default: linked ones)")
    p.add_argument("--max-quotes", type=int, default=3, help="quotes per theme (default 3)")
    p.set_defaults(func=cmd_joint_display)

    p = sub.add_parser(
        "report", help="the mixed-methods report (.docx, .md, .html): design, joint display, themes, findings",
        description="Design, the joint display table, a figure of themes per participant, each theme's "
                    "analytic text and quotes, the findings table and the consistency check. Without -o the "
                    "report goes to exports/<project>-rapport.docx beside the project. Cells resting on "
                    "five or fewer participants are marked ⚠ n ≤ 5. Written atomically.")
    add_project_arg(p)
    p.add_argument("-o", "--output", help="output file: .docx, .md or .html")
    p.add_argument("--format", help="docx, md or html (default: from -o, else docx)")
    p.add_argument("--lang", choices=["nb", "en"], help="language and typography (default: the project's, nb)")
    p.add_argument("--layout", choices=["side-by-side", "stats-by-themes"], default="side-by-side",
                   help="joint display: a row per theme (default) or a row per finding")
    p.add_argument("--subthemes", action="store_true", help="a joint-display row for every subtheme")
    p.add_argument("--max-quotes", type=int, default=3, help="quotes per theme (default 3)")
    p.add_argument("--no-check", action="store_true", help="leave out the consistency check")
    p.set_defaults(func=cmd_report)


# -- anonymisation: identifier check, pseudonyms, key, export guard ------------------------------
# core.identifiers.KINDS, repeated so that building the parser does not import the detector.
_ANON_KINDS = ("person", "place", "organisation", "phone", "email", "national_id", "d_number",
               "birth_date", "date", "address", "postcode", "url", "vehicle", "age", "job_title",
               "workplace")


def _anon_docs(project, refs) -> list[str] | None:
    from themecoder import store

    return [store.documents.find_document(project.db, r).id for r in refs] if refs else None


def _anon_finding_line(f, width: int = 28) -> str:
    flag = "BLOCKS" if f.blocking else "review"
    return (f"  {f.id[:8]}  {f.kind:<12} {f.confidence:.2f} {flag:<6} «{f.text}»  "
            f"{('turn ' + str(f.turn) + ' (' + str(f.speaker) + ')') if f.turn else 'offset ' + str(f.start)}"
            f"  {f.snippet(width)}")


def _anon_pipeline_note(name: str) -> str:
    if name == "rules":
        return ("rules, gazetteers and the known-names list (the full language model is not installed: "
                "no named entities from a model)")
    return f"rules, gazetteers, the known-names list and named entities from {name}"


def _anonymisation_info(project) -> dict:
    """For `themecoder info`: the anonymisation label and what it rests on."""
    from themecoder.core.anonymise import anonymisation_status

    return anonymisation_status(project)


def _anonymisation_import_check(project, document_ids: list[str]) -> None:
    """`themecoder import --check`: check the new documents, print a summary per document."""
    from themecoder.core import anonymise as an

    summary = an.check(project, document_ids, progress=Progress("checking"))
    found = an.findings(project, document_ids)
    print(f"identifier check — {_anon_pipeline_note(summary.pipeline)}:")
    by_doc: dict[str, list] = {}
    for f in found:
        by_doc.setdefault(f.document, []).append(f)
    for title, counts in summary.by_document.items():
        items = by_doc.get(title, [])
        if not items:
            print(f"  {title}: no findings")
            continue
        kinds = ", ".join(f"{k} {n}" for k, n in counts.most_common())
        blocking = sum(f.blocking for f in items)
        print(f"  {title}: {len(items)} finding{'s' if len(items) != 1 else ''} ({kinds}); "
              f"{blocking} block exports")
        for f in items[:3]:
            print("  " + _anon_finding_line(f, 20))
        if len(items) > 3:
            print(f"      … and {len(items) - 3} more")
    if found:
        print(f"  see all: themecoder check {project.path}")


def cmd_check(args) -> int:
    from themecoder.core import anonymise as an
    from themecoder import store

    with open_project(args.project, args.coder) as project:
        doc_ids = _anon_docs(project, args.doc)
        summary = an.check(project, doc_ids, force=args.force, progress=Progress("checking"))
        found = an.findings(project, doc_ids, kinds=args.kind or None, blocking_only=args.blocking)
        status = an.anonymisation_status(project)
        participants = sorted(p.pseudonym for p in store.participants.participants(project.db))
        if args.json:
            emit_json({
                "project": project.name, "label": status["label"], "status": status,
                "detection": summary.pipeline, "documents": summary.documents,
                "rechecked": summary.rechecked, "seconds": round(summary.seconds, 3),
                "findings": [f.as_dict() for f in found],
            })
        else:
            print(f"{project.name}: {status['label']} — {an.describe_label(status['label'])}")
            print(f"detection: {_anon_pipeline_note(summary.pipeline)}")
            current = None
            for f in found:
                if f.document != current:
                    current = f.document
                    n = sum(1 for g in found if g.document == current)
                    print(f"\n{current} — {n} finding{'s' if n != 1 else ''}")
                print(_anon_finding_line(f))
                print(f"            {f.reason}")
            blocking = sum(f.blocking for f in found)
            print(f"\n{len(found)} finding{'s' if len(found) != 1 else ''} in {summary.documents} "
                  f"document{'s' if summary.documents != 1 else ''}, {blocking} block exports "
                  f"({summary.seconds:.2f} s)")
            if found:
                print("resolve: themecoder anonymise replace PROJECT ID --pseudonym [NAME] --key FILE | "
                      "--category [[navn]]; anonymise ignore PROJECT ID; anonymise known-name PROJECT NAME")
            if participants:
                print(f"note: speaker labels and participants ({', '.join(participants[:6])}"
                      f"{', …' if len(participants) > 6 else ''}) are taken to be pseudonyms already")
        blocking = sum(f.blocking for f in found)
    return EXIT_ERROR if args.strict and blocking else 0


def _anon_key(args, project, *, required: bool):
    from themecoder.core.anonymise import key_path
    from themecoder.errors import UserError
    from themecoder.io.key_file import open_key

    where = getattr(args, "key", None) or key_path(project)
    if not where:
        if required:
            raise UserError("a pseudonym needs a key file: give --key FILE (created if new; keep it "
                            "apart from the project, on protected storage) or use --category")
        return None
    key = open_key(where, project=project)
    for w in key.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return key


def cmd_anonymise_replace(args) -> int:
    from themecoder.core import anonymise as an
    from themecoder.errors import UserError

    if args.pseudonym is None and args.category is None:
        raise UserError("say what to put in: --pseudonym [NAME] (a suggestion without NAME) or "
                        "--category [[navn]] (the kind's category without a value)")
    if args.pseudonym is not None and args.category is not None:
        raise UserError("--pseudonym or --category, not both")
    if bool(args.finding) == bool(args.text):
        raise UserError("give a finding id (from themecoder check) or --text TEXT")
    mode = "pseudonym" if args.pseudonym is not None else "category"
    value = (args.pseudonym if mode == "pseudonym" else args.category) or None
    with open_project(args.project, args.coder) as project:
        key = _anon_key(args, project, required=mode == "pseudonym") if mode == "pseudonym" else None
        if args.finding:
            f = an.find_finding(project, args.finding)
            original = f.text
            result = an.replace_finding(project, args.finding, value, mode=mode, everywhere=not args.here,
                                        key=key, gender=args.gender)
        else:
            original = args.text
            result = an.replace_identifier(project, args.text, value, mode=mode, kind=args.kind,
                                           gender=args.gender, key=key,
                                           document_ids=_anon_docs(project, args.doc))
        places = ", ".join(f"{t} {n}" for t, n in result.documents.items())
        print(f"replaced «{original}» with «{result.replacement}» in {result.occurrences} "
              f"place{'s' if result.occurrences != 1 else ''} ({places}); "
              f"{result.codings_moved} coding{'s' if result.codings_moved != 1 else ''} re-anchored; "
              f"undo with: themecoder undo {args.project}")
        for w in result.warnings:
            print(f"note: {w}")
        if key is not None:
            print(f"key: {key.path} ({len(key.entries)} entries); the project is now "
                  f"«{an.anonymisation_label(project)}»")
        print(f"note: undo keeps the original text in the project file until you run "
              f"`themecoder purge-undo {args.project}`")
    return 0


def cmd_anonymise_ignore(args) -> int:
    from themecoder.core import anonymise as an
    from themecoder.errors import UserError

    if bool(args.finding) == bool(args.text):
        raise UserError("give a finding id (from themecoder check) or --text TEXT")
    with open_project(args.project, args.coder) as project:
        if args.undo:
            text = args.text or an.find_finding(project, args.finding).text
            done = an.unignore_text(project, text)
            print(f"«{text}» will be checked again" if done else f"«{text}» was not marked")
            return 0
        if args.finding:
            f = an.find_finding(project, args.finding)
            text, kind = f.text, f.kind
        else:
            text, kind = args.text, ""
        n = an.ignore_text(project, text, kind=kind)
        print(f"«{text}» marked as not identifying (everywhere, any case); {n} finding"
              f"{'s' if n != 1 else ''} resolved")
    return 0


def cmd_anonymise_known_name(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project, args.coder) as project:
        if args.remove:
            done = an.remove_known_name(project, args.name)
            print("removed from the known-names list" if done else "not in the known-names list")
            return 0
        added = an.add_known_name(project, args.name, kind=args.kind, gender=args.gender)
        an.check(project, progress=Progress("checking"))
        hits = [f for f in an.findings(project) if f.source == "known_names"
                and an.fold(an._strip_genitive(f.text)) == an.fold(args.name)]
        docs = sorted({f.document for f in hits})
        print(("added to" if added else "already in") + f" the known-names list; found in {len(hits)} "
              f"place{'s' if len(hits) != 1 else ''}" + (f" ({', '.join(docs)})" if docs else ""))
    return 0


def cmd_anonymise_list(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project) as project:
        data = {"known_names": an.known_names(project), "not_identifying": an.ignored_texts(project),
                "replacements": [dict(r) for r in project.db.query(
                    "SELECT d.title AS document, r.kind, r.mode, r.replacement, r.occurrences, r.created "
                    "FROM anon_replacements r JOIN documents d ON d.id = r.document_id ORDER BY r.created")]}
        if args.json:
            emit_json(data)
            return 0
        print(f"known names ({len(data['known_names'])}):")
        for k in data["known_names"]:
            print(f"  {k['name']}  ({k['kind']}{', ' + k['gender'] if k['gender'] else ''})")
        print(f"not identifying ({len(data['not_identifying'])}):")
        for k in data["not_identifying"]:
            print(f"  {k['text']}" + (f"  ({k['kind']})" if k["kind"] else ""))
        print(f"replacements applied ({len(data['replacements'])}; the originals are only in the key):")
        for r in data["replacements"]:
            print(f"  {r['document']}: «{r['replacement']}» ({r['mode']}, {r['kind']}) × {r['occurrences']}")
    return 0


def cmd_anonymise_suggest(args) -> int:
    from themecoder.core import anonymise as an
    from themecoder.errors import UserError

    if bool(args.finding) == bool(args.text):
        raise UserError("give a finding id (from themecoder check) or --text TEXT")
    with open_project(args.project, args.coder) as project:
        if args.finding:
            f = an.find_finding(project, args.finding)
            original, kind = an._strip_genitive(f.text) if f.kind == "person" and f.text.endswith(("'s", "’s")) \
                else f.text, f.kind
        else:
            original, kind = args.text, args.kind
        key = _anon_key(args, project, required=False)
        print(an.suggest_pseudonym(project, original, gender=args.gender, key=key, kind=kind))
    return 0


def cmd_anonymise_status(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project) as project:
        status = an.anonymisation_status(project)
        if args.json:
            emit_json(status)
            return 0
        print(f"{project.name}: {status['label']} — {an.describe_label(status['label'])}")
        for k in ("documents", "unchecked", "open", "blocking", "replacements", "pseudonyms",
                  "ignored", "known_names"):
            print(f"  {k.replace('_', ' '):<14}{status[k]:>6}")
        if status["key"]:
            print(f"  key file: {status['key_path']} (id {status['key_id'][:8]})")
        elif status["key_deleted"]:
            print(f"  key deleted: {status['key_deleted'][:19]}")
    return 0


def cmd_anonymise_key_delete(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project, args.coder) as project:
        where = args.key or an.key_path(project)
        _codebook_confirm(f"Delete the key file {where or '(path unknown)'}? The pseudonyms can then no "
                          f"longer be linked to anyone.", args.yes)
        result = an.forget_key(project, path=args.key)
        if result["file_deleted"]:
            print(f"deleted the key file {result['path']}")
        else:
            print(f"no key file at {result['path']}; the project no longer counts on one")
        print(f"the project is now «{an.anonymisation_label(project)}»; delete copies and backups of the "
              f"key yourself")
    return 0


def _anonymisation_commands(sub) -> None:
    """Identifier check and pseudonymisation (issue: anonymisation)."""
    KINDS = _ANON_KINDS
    COMMAND_HOOKS["import-check"] = _anonymisation_import_check

    p = sub.add_parser(
        "check", help="list suspected identifiers (names, numbers, places, workplaces ...) per document",
        description="Checks the transcripts for direct and indirect identifiers: rules (identity numbers "
                    "with valid check digits, phone, e-mail, addresses, dates, ages, job titles, "
                    "workplaces), Norwegian name and place lists, the project's known-names list and, if "
                    "the full spaCy model is installed, its named entities. Speaker labels and "
                    "[placeholders] are skipped. Results are stored and redone when the text changes. "
                    "BLOCKS marks findings that stop exports until resolved.")
    add_project_arg(p)
    p.add_argument("--doc", action="append", help="only this document (title or id); repeatable")
    p.add_argument("--kind", action="append", choices=KINDS, help="only this kind; repeatable")
    p.add_argument("--blocking", action="store_true", help="only findings that block exports")
    p.add_argument("--force", action="store_true", help="check again even if nothing changed")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if findings block exports")
    add_json_arg(p)
    p.set_defaults(func=cmd_check)

    anon = sub.add_parser(
        "anonymise", help="resolve identifier findings: replace, mark as not identifying, known names, key",
        description="Resolve what `themecoder check` finds. Every change is one action (themecoder undo). "
                    "Pseudonyms are linked to the real names in a key file you choose (--key FILE, "
                    "JSON, owner-only), kept outside the project; categories ([navn], [sted] ...) need "
                    "no key. While a key exists the project is 'avidentifisert' (pseudonymised).")
    asub = anon.add_subparsers(dest="anonymise_command", metavar="WHAT")
    anon.set_defaults(func=lambda a: (anon.print_help(), 0)[1])

    p = asub.add_parser(
        "replace", help="replace a finding (or --text) everywhere, with a pseudonym or a [category]",
        description="Replaces every whole-word, same-case occurrence in all documents (or --doc; --here: "
                    "only the finding's place) in one undoable action. Codings, turns and shortened "
                    "quotes move with the text; quotes and the search index are updated.")
    add_project_arg(p)
    p.add_argument("finding", nargs="?", help="finding id (or a unique prefix) from themecoder check")
    p.add_argument("--text", help="replace this text instead of a finding")
    p.add_argument("--pseudonym", nargs="?", const="", metavar="NAME",
                   help="a pseudonym (needs --key); without NAME a suggestion is used")
    p.add_argument("--category", nargs="?", const="", metavar="[CATEGORY]",
                   help="a bracketed category; without a value the kind's, e.g. [navn], [sted], [telefon]")
    p.add_argument("--key", help="the key file (created if new; default: the project's key)")
    p.add_argument("--kind", choices=KINDS, default="person", help="kind of --text (default person)")
    p.add_argument("--gender", choices=["f", "m"], help="for the pseudonym suggestion")
    p.add_argument("--doc", action="append", help="with --text: only this document; repeatable")
    p.add_argument("--here", action="store_true", help="only the finding's own place")
    p.set_defaults(func=cmd_anonymise_replace)

    p = asub.add_parser("ignore", help="mark a finding's text (or --text) as not identifying, everywhere")
    add_project_arg(p)
    p.add_argument("finding", nargs="?", help="finding id (or a unique prefix)")
    p.add_argument("--text", help="the text instead of a finding")
    p.add_argument("--undo", action="store_true", help="check that text again")
    p.set_defaults(func=cmd_anonymise_ignore)

    p = asub.add_parser("known-name", help="add a name to the project's known-names list (found everywhere)")
    add_project_arg(p)
    p.add_argument("name")
    p.add_argument("--kind", choices=KINDS, default="person")
    p.add_argument("--gender", choices=["f", "m"], help="used for pseudonym suggestions")
    p.add_argument("--remove", action="store_true", help="remove it from the list")
    p.set_defaults(func=cmd_anonymise_known_name)

    p = asub.add_parser("list", help="known names, texts marked as not identifying, replacements applied")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_anonymise_list)

    p = asub.add_parser("suggest", help="suggest a pseudonym for a finding or --text")
    add_project_arg(p)
    p.add_argument("finding", nargs="?")
    p.add_argument("--text")
    p.add_argument("--kind", choices=KINDS, default="person")
    p.add_argument("--gender", choices=["f", "m"])
    p.add_argument("--key", help="the key file (its pseudonyms are reused and avoided)")
    p.set_defaults(func=cmd_anonymise_suggest)

    p = asub.add_parser("status", help="the anonymisation label (avidentifisert, anonymisert ...) and counts")
    add_project_arg(p)
    add_json_arg(p)
    p.set_defaults(func=cmd_anonymise_status)

    p = asub.add_parser("key-delete", help="delete the key file at the end of the project",
                        description="Overwrites and deletes the key file and records in the project that "
                                    "the key is gone; the pseudonyms can then no longer be linked to "
                                    "anyone. Delete copies and backups yourself.")
    add_project_arg(p)
    p.add_argument("--key", help="the key file (default: where the project last used it)")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_anonymise_key_delete)

    # --allow-unreviewed on every export (they all run through io.export.run_export and its guard).
    targets = []
    export = sub.choices.get("export")
    if export is not None:
        for action in export._actions:
            if isinstance(action, argparse._SubParsersAction):
                targets += [action.choices[n] for n in ("quotes", "codebook", "qdpx") if n in action.choices]
    if "report" in sub.choices:
        targets.append(sub.choices["report"])
    review = sub.choices.get("review")
    if review is not None:
        for action in review._actions:
            if isinstance(action, argparse._SubParsersAction):
                targets += [action._name_parser_map[n] for n in ("export", "summary")]
    for target in targets:
        target.add_argument("--allow-unreviewed", action="store_true",
                            help="export even though identifier findings are unresolved (recorded in "
                                 "the export's metadata)")


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
    from themecoder.errors import UserError

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
