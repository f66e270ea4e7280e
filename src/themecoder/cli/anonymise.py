"""Identifiers and pseudonyms: `check` and `anonymise` (replace, ignore, known-name, list, suggest,
status, key-delete), and the summary `import --check` prints."""
from __future__ import annotations

import sys

from themecoder.cli.common import (
    EXIT_ERROR,
    Commands,
    confirm,
    emit_json,
    json_option,
    open_project,
    option,
    plural,
    progress_bar,
    project_argument,
)
from themecoder.errors import UserError

# core.identifiers.KINDS, repeated so that building the parser does not import the detector.
ANON_KINDS = ("person", "place", "organisation", "phone", "email", "national_id", "d_number",
              "birth_date", "date", "address", "postcode", "url", "vehicle", "age", "job_title",
              "workplace")

commands = Commands()
register = commands.register


def document_ids(project, refs) -> list[str] | None:
    from themecoder.core import resolve

    docs = resolve.documents(project, refs)
    return [d.id for d in docs] if docs is not None else None


def finding_line(f, width: int = 28) -> str:
    flag = "BLOCKS" if f.blocking else "review"
    return (f"  {f.id[:8]}  {f.kind:<12} {f.confidence:.2f} {flag:<6} «{f.text}»  "
            f"{('turn ' + str(f.turn) + ' (' + str(f.speaker) + ')') if f.turn else 'offset ' + str(f.start)}"
            f"  {f.snippet(width)}")


def pipeline_note(name: str) -> str:
    if name == "rules":
        return ("rules, gazetteers and the known-names list (the full language model is not installed: "
                "no named entities from a model)")
    return f"rules, gazetteers, the known-names list and named entities from {name}"


def print_import_check(project, doc_ids: list[str]) -> None:
    """`themecoder import --check`: check the new documents, print a summary per document."""
    from themecoder.core import anonymise as an

    with progress_bar("checking") as progress:
        summary = an.check(project, doc_ids, progress=progress)
    found = an.findings(project, doc_ids)
    print(f"identifier check — {pipeline_note(summary.pipeline)}:")
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
            print("  " + finding_line(f, 20))
        if len(items) > 3:
            print(f"      … and {len(items) - 3} more")
    if found:
        print(f"  see all: themecoder check {project.path}")


@commands.command(
    "check",
    project_argument,
    option("--doc", action="append", help="only this document (title or id); repeatable"),
    option("--kind", action="append", choices=ANON_KINDS, help="only this kind; repeatable"),
    option("--blocking", action="store_true", help="only findings that block exports"),
    option("--force", action="store_true", help="check again even if nothing changed"),
    option("--strict", action="store_true", help="exit with status 1 if findings block exports"),
    json_option,
    help="list suspected identifiers (names, numbers, places, workplaces ...) per document",
    description="Checks the transcripts for direct and indirect identifiers: rules (identity numbers "
                "with valid check digits, phone, e-mail, addresses, dates, ages, job titles, "
                "workplaces), Norwegian name and place lists, the project's known-names list and, if "
                "the full spaCy model is installed, its named entities. Speaker labels and "
                "[placeholders] are skipped. Results are stored and redone when the text changes. "
                "Without --doc, the texts exports print beside the transcripts (document titles, "
                "participant labels, code labels, theme texts, memos, review comments) are listed too, "
                "so that check and export agree. BLOCKS marks findings that stop exports until resolved."
)
def cmd_check(args) -> int:
    from themecoder.core import anonymise as an
    from themecoder.core import views

    with open_project(args.project, args.coder) as project:
        doc_ids = document_ids(project, args.doc)
        with progress_bar("checking") as progress:
            summary = an.check(project, doc_ids, force=args.force, progress=progress)
        found = an.findings(project, doc_ids, kinds=args.kind or None, blocking_only=args.blocking)
        # the texts exports print beside the transcripts (titles, labels, memos, theme texts,
        # review comments): what `export qdpx` and review exports guard, so check agrees with them
        if doc_ids is None:
            found += [f for f in an.text_findings(project, an.analyst_texts(project, memos=True, reviews=True,
                                                                            attributes=True))
                      if (not args.kind or f.kind in args.kind) and (f.blocking or not args.blocking)]
        status = an.anonymisation_status(project)
        participants = views.participant_pseudonyms(project)
        if args.json:
            emit_json({
                "project": project.name, "label": status["label"], "status": status,
                "detection": summary.pipeline, "documents": summary.documents,
                "rechecked": summary.rechecked, "seconds": round(summary.seconds, 3),
                "findings": [f.as_dict() for f in found],
            })
        else:
            print(f"{project.name}: {status['label']} — {an.describe_label(status['label'])}")
            print(f"detection: {pipeline_note(summary.pipeline)}")
            current = None
            for f in found:
                if f.document != current:
                    current = f.document
                    n = sum(1 for g in found if g.document == current)
                    print(f"\n{current} — {n} finding{'s' if n != 1 else ''}")
                print(finding_line(f))
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


anonymise_cmd = commands.group(
    "anonymise", dest="anonymise_command", subparsers_kw={"metavar": "WHAT"},
    help="resolve identifier findings: replace, mark as not identifying, known names, key",
    description="Resolve what `themecoder check` finds. Every change is one action (themecoder undo). "
                "Pseudonyms are linked to the real names in a key file you choose (--key FILE, "
                "JSON, owner-only), kept outside the project; categories ([navn], [sted] ...) need "
                "no key. While a key exists the project is 'avidentifisert' (pseudonymised).")


def open_key_file(args, project, *, required: bool):
    from themecoder.core.anonymise import key_path
    from themecoder.core.key_file import open_key

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


@anonymise_cmd.command(
    "replace",
    project_argument,
    option("finding", nargs="?", help="finding id (or a unique prefix) from themecoder check"),
    option("--text", help="replace this text instead of a finding"),
    option("--pseudonym", nargs="?", const="", metavar="NAME",
    help="a pseudonym (needs --key); without NAME a suggestion is used"),
    option("--category", nargs="?", const="", metavar="[CATEGORY]",
    help="a bracketed category; without a value the kind's, e.g. [navn], [sted], [telefon]"),
    option("--key", help="the key file (created if new; default: the project's key)"),
    option("--kind", choices=ANON_KINDS, default="person", help="kind of --text (default person)"),
    option("--gender", choices=["f", "m"], help="for the pseudonym suggestion"),
    option("--doc", action="append", help="with --text: only this document; repeatable"),
    option("--here", action="store_true", help="only the finding's own place"),
    option("--confirm", metavar="N,M|all|none",
           help="when the name is also an ordinary word (Per/per, Liv/liv): which of the listed "
                "ambiguous places to replace too (numbers from the list, all, or none)"),
    option("--list", action="store_true", help="only list the places that would be replaced"),
    help="replace a finding (or --text) everywhere, with a pseudonym or a [category]",
    description="Replaces every whole-word occurrence, in any case and every inflected form "
                "(genitive, definite form), in all documents (or --doc; --here: only the finding's "
                "place) in one undoable action; a pseudonym's key entry is written so that a crash "
                "never leaves key and text out of step. When the name is also an ordinary word, the "
                "places that may be the word are listed and need --confirm (asked for at a "
                "terminal). Codings, turns and shortened quotes move with the text; quotes and the "
                "search index are updated. Everywhere (without --doc or --here) it also renames the "
                "participant labels, text attributes and speaker labels that hold it, and the "
                "titles, labels, memos and comments; a participant label that would collide with "
                "another's is refused."
)
def cmd_anonymise_replace(args) -> int:
    from themecoder.core import anonymise as an
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
        if args.finding:
            f = an.find_finding(project, args.finding)
            original, kind, docs = an.suggestion_source(f)[0], f.kind, None
        else:
            original, kind, docs = args.text, args.kind, document_ids(project, args.doc)
        hits = an.find_hits(project, original, kind, docs)
        own = (f.document_id, f.start) if args.finding else None
        if args.list:
            _print_hits(original, hits, own)
            return 0
        confirm = _confirm_choice(args.confirm, original, [h for h in hits if h.ambiguous and h.place() != own])
        key = open_key_file(args, project, required=mode == "pseudonym") if mode == "pseudonym" else None
        if args.finding:
            original = f.text
            result = an.replace_finding(project, args.finding, value, mode=mode, everywhere=not args.here,
                                        key=key, gender=args.gender, confirm=confirm)
        else:
            result = an.replace_identifier(project, args.text, value, mode=mode, kind=args.kind,
                                           gender=args.gender, key=key, document_ids=docs, confirm=confirm)
        places = ", ".join(f"{t} {n}" for t, n in result.documents.items())
        print(f"replaced «{original}» with «{result.replacement}» in {result.occurrences} "
              f"place{'s' if result.occurrences != 1 else ''} ({places}); "
              f"{result.codings_moved} coding{'s' if result.codings_moved != 1 else ''} re-anchored; "
              f"undo with: themecoder undo {args.project}")
        if result.participants or result.attributes or result.speaker_labels:
            print(f"participants: {plural(result.participants, 'labels')} renamed"
                  + (f", {plural(result.attributes, 'attribute values')} changed" if result.attributes else "")
                  + (f"; {plural(result.speaker_labels, 'speaker labels')} in the transcripts renamed"
                     if result.speaker_labels else ""))
        for w in result.warnings:
            print(f"note: {w}")
        if key is not None:
            print(f"key: {key.path} ({plural(len(key.entries), 'entries')}); the project is now "
                  f"«{an.anonymisation_label(project)}»")
        print(f"note: undo keeps the original text in the project file until you run "
              f"`themecoder purge-undo {args.project}`")
    return 0


def _print_hits(original: str, hits, own=None) -> None:
    """The places a replacement would take; the ambiguous ones numbered for --confirm (the
    finding's own place is always replaced, so it has no number)."""
    print(f"«{original}»: {len(hits)} place{'s' if len(hits) != 1 else ''}")
    n = 0
    for h in hits:
        mark = "  (this finding)" if h.place() == own else ""
        if h.ambiguous and h.place() != own:
            n += 1
            mark = f"  [{n}] may be the ordinary word"
        print(f"  {h.document}: {h.snippet(30)}{mark}")


def _confirm_choice(value: str | None, original: str, unsure: list) -> object:
    """--confirm as replace_identifier's `confirm`: "all", "none" or the places chosen; at a
    terminal without --confirm, ask for each ambiguous place."""
    if not unsure:
        return "none"
    if value is None:
        if not sys.stdin.isatty():
            return None  # core refuses with the list (AmbiguousHits)
        print(f"«{original}» is also an ordinary word; replace these places too?")
        chosen = []
        for i, h in enumerate(unsure, 1):
            answer = input(f"  [{i}] {h.document}: {h.snippet(30)}  replace? [y/N] ").strip().casefold()
            if answer in ("y", "j", "yes", "ja"):
                chosen.append(h.place())
        return chosen
    value = value.strip().casefold()
    if value in ("all", "alle"):
        return "all"
    if value in ("none", "ingen"):
        return "none"
    chosen = []
    for part in value.replace(" ", "").split(","):
        if not part.isdigit() or not 1 <= int(part) <= len(unsure):
            raise UserError(f"--confirm: {part!r} is not one of the listed places 1-{len(unsure)} "
                            f"(see --list), all or none")
        chosen.append(unsure[int(part) - 1].place())
    return chosen


@anonymise_cmd.command(
    "ignore",
    project_argument,
    option("finding", nargs="?", help="finding id (or a unique prefix)"),
    option("--text", help="the text instead of a finding"),
    option("--undo", action="store_true", help="check that text again"),
    help="mark a finding's text (or --text) as not identifying, everywhere"
)
def cmd_anonymise_ignore(args) -> int:
    from themecoder.core import anonymise as an
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


@anonymise_cmd.command(
    "known-name",
    project_argument,
    option("name"),
    option("--kind", choices=ANON_KINDS, default="person"),
    option("--gender", choices=["f", "m"], help="used for pseudonym suggestions"),
    option("--remove", action="store_true", help="remove it from the list"),
    help="add a name to the project's known-names list (found everywhere)"
)
def cmd_anonymise_known_name(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project, args.coder) as project:
        if args.remove:
            done = an.remove_known_name(project, args.name)
            print("removed from the known-names list" if done else "not in the known-names list")
            return 0
        added = an.add_known_name(project, args.name, kind=args.kind, gender=args.gender)
        with progress_bar("checking") as progress:
            an.check(project, progress=progress)
        hits = an.known_name_hits(project, args.name)
        docs = sorted({f.document for f in hits})
        print(("added to" if added else "already in") + f" the known-names list; found in {len(hits)} "
              f"place{'s' if len(hits) != 1 else ''}" + (f" ({', '.join(docs)})" if docs else ""))
    return 0


@anonymise_cmd.command(
    "list",
    project_argument,
    json_option,
    help="known names, texts marked as not identifying, replacements applied"
)
def cmd_anonymise_list(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project) as project:
        data = {"known_names": an.known_names(project), "not_identifying": an.ignored_texts(project),
                "replacements": an.replacements_applied(project)}
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


@anonymise_cmd.command(
    "suggest",
    project_argument,
    option("finding", nargs="?"),
    option("--text"),
    option("--kind", choices=ANON_KINDS, default="person"),
    option("--gender", choices=["f", "m"]),
    option("--key", help="the key file (its pseudonyms are reused and avoided)"),
    help="suggest a pseudonym for a finding or --text"
)
def cmd_anonymise_suggest(args) -> int:
    from themecoder.core import anonymise as an
    if bool(args.finding) == bool(args.text):
        raise UserError("give a finding id (from themecoder check) or --text TEXT")
    with open_project(args.project, args.coder) as project:
        if args.finding:
            original, kind = an.suggestion_source(an.find_finding(project, args.finding))
        else:
            original, kind = args.text, args.kind
        key = open_key_file(args, project, required=False)
        print(an.suggest_pseudonym(project, original, gender=args.gender, key=key, kind=kind))
    return 0


@anonymise_cmd.command(
    "status",
    project_argument,
    json_option,
    help="the anonymisation label (avidentifisert, anonymisert ...) and counts"
)
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


@anonymise_cmd.command(
    "key-delete",
    project_argument,
    option("--key", help="the key file (default: where the project last used it)"),
    option("--yes", action="store_true", help="do not ask"),
    help="delete the key file at the end of the project",
    description="Overwrites and deletes the key file and records in the project that "
                "the key is gone; the pseudonyms can then no longer be linked to "
                "anyone. Delete copies and backups yourself."
)
def cmd_anonymise_key_delete(args) -> int:
    from themecoder.core import anonymise as an

    with open_project(args.project, args.coder) as project:
        where = args.key or an.key_path(project)
        confirm(f"Delete the key file {where or '(path unknown)'}? The pseudonyms can then no "
                          f"longer be linked to anyone.", args.yes)
        result = an.forget_key(project, path=args.key)
        if result["file_deleted"]:
            print(f"deleted the key file {result['path']}")
        else:
            print(f"no key file at {result['path']}; the project no longer counts on one")
        print(f"the project is now «{an.anonymisation_label(project)}»; delete copies and backups of the "
              f"key yourself")
    return 0
