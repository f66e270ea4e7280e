"""`themecoder review`: the supervisor's walk through the themes, statuses, comment threads,
changes since the last review, and the review file and summary (through io.export)."""
from __future__ import annotations

import argparse

from themecoder.cli.args import ACTION_ID
from themecoder.cli.common import (
    Commands,
    allow_unreviewed_option,
    blind_option,
    emit_json,
    json_option,
    open_project,
    option,
    plural,
    project_argument,
    seen_coder,
    slots,
)
from themecoder.cli.export import run_export_command
from themecoder.cli.theme import THEME_HELP


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


def run_action(args) -> int:
    with open_project(args.project, getattr(args, "as_name", None) or args.coder) as project:
        return args.run_action(project, args)


commands = Commands()
register = commands.register
review_cmd = commands.group(
    "review", option("--as", dest="as_name", metavar="NAME", help="your name as reviewer (default: --coder)"),
    dest="review_command", runner=run_action, required=True, subparsers_kw={"action": _ReviewSubcommands},
    help="supervisor review: `review PROJECT --as NAME` walks through the themes; "
         "status, comment, reply, resolve, list, changes, export, import, summary, pack")
# --as after the action too; SUPPRESS keeps a value given before the action.
AS_NAME = option("--as", dest="as_name", metavar="NAME", default=argparse.SUPPRESS,
                 help="your name as reviewer (default: --coder)")

WALK_KEYS = ("Keys: a approve · r needs revision · p proposed · c comment · Enter next · b back · "
             "m more quotes · q quit. Every answer is saved at once (and can be undone).")
KEY_STATUS = {"a": "approved", "r": "needs-revision", "p": "proposed"}


def item_line(item) -> str:
    from themecoder.core.review import STATUS_LABELS

    flag = "  ORPHANED" if item.orphaned else ""
    who = f" by {item.status_by}" if item.status_by else ""
    return f"{item.label}: {STATUS_LABELS[item.status]}{who}{flag}"


def _ask(prompt: str) -> str | None:
    try:
        return input(prompt).strip()
    except EOFError:
        return None


def _print_step(project, steps: list, i: int, shown: int, who: dict[str, str]):
    """Print step i with its status, quotes and threads; return its review item."""
    from themecoder.core import review

    step = steps[i]
    item = review.item_for(project, step.theme.id, step.code.id if step.code else None)
    label = review.STATUS_LABELS[item.status if item else "proposed"]
    print()
    if step.kind == "theme":
        print(f"[{i + 1}/{len(steps)}] THEME {step.path}   ({label})")
        if step.theme.description:
            print(f"    {step.theme.description}")
    else:
        print(f"[{i + 1}/{len(steps)}] CODE «{step.code.label}» in {step.path}   ({label})")
        print(f"    {plural(len(step.codings), 'quotes')}")
        for c in step.codings[:shown]:
            print(f"    - {who.get(c.document_id, '?')}: «{' '.join(c.quote.split())[:160]}»")
    for th in (item.threads if item else []):
        for n, c in enumerate(th.comments):
            print(f"    {'  ↳ ' if n else '  '}{c.author}: {c.text}" + ("  [resolved]" if n == 0 and th.resolved else ""))
    return item


@review_cmd.command("walk", project_argument, AS_NAME,
                option("--unreviewed", action="store_true", help="only what has no status yet"), blind_option,
                help="walk through every theme, its codes and their quotes (the default)")
def walk(project, args) -> int:
    """The interactive walk: one step per theme and per code in it; every answer saved at once."""
    from themecoder.core import review, views

    review.mark_reviewer(project)
    steps = review.walk(project, unreviewed=args.unreviewed, coder=seen_coder(project, args))
    who = views.speaker_of_documents(project)
    print(f"Review of {project.name} as {project.coder}: {plural(len(steps), 'steps')}.")
    print(WALK_KEYS)
    i, shown = 0, 3
    while 0 <= i < len(steps):
        step = steps[i]
        _print_step(project, steps, i, shown, who)
        key = _ask("  > ")
        if key is None:
            print()
            break
        key = key.casefold()
        code_id = step.code.id if step.code else None
        if key in KEY_STATUS:
            comment = (_ask("  comment (Enter for none): ") or None) if key == "r" else None
            review.set_status(project, step.theme.id, KEY_STATUS[key], code_id=code_id, comment=comment)
            i, shown = i + 1, 3
        elif key == "c":
            text = _ask("  comment: ") or ""
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


def _theme_and_code(project, args):
    from themecoder.core import resolve

    theme = resolve.theme(project, args.theme)
    code = resolve.code(project, args.code) if args.code else None
    return theme, code


@review_cmd.command("status", project_argument, AS_NAME, option("--theme", required=True, help=THEME_HELP),
                option("--code", help="the code (for a mapping)"),
                option("status", choices=["proposed", "approved", "needs-revision"]), option("--comment"),
                help="set the status of a theme or a code's mapping to it")
def status(project, args) -> int:
    from themecoder.core import review

    theme, code = _theme_and_code(project, args)
    item = review.set_status(project, theme.id, args.status, code_id=code.id if code else None, comment=args.comment)
    print(item_line(item))
    return 0


@review_cmd.command("comment", project_argument, AS_NAME, option("--theme", required=True, help=THEME_HELP),
                option("--code", help="the code (for a mapping)"), option("text"),
                help="start a comment thread on a theme or a mapping")
def comment(project, args) -> int:
    from themecoder.core import review

    theme, code = _theme_and_code(project, args)
    c = review.add_comment(project, theme.id, args.text, code_id=code.id if code else None)
    print(f"comment {c.id[:8]} added")
    return 0


@review_cmd.command("reply", project_argument, AS_NAME,
                option("comment", help="comment id or prefix (see `review list`)"), option("text"),
                help="answer a comment thread")
def reply(project, args) -> int:
    from themecoder.core import review

    c = review.reply(project, args.comment, args.text)
    print(f"reply {c.id[:8]} added")
    return 0


@review_cmd.command("resolve", project_argument, AS_NAME, option("comment", help="comment id or prefix"),
                option("--reopen", action="store_true"), help="mark a comment thread resolved")
def resolve_thread(project, args) -> int:
    from themecoder.core import review

    c = review.resolve(project, args.comment, reopen=args.reopen)
    print(f"thread {c.id[:8]} {'reopened' if args.reopen else 'resolved'}")
    return 0


def _item_json(i) -> dict:
    return {"id": i.id, "target": i.target_type, "theme_id": i.theme_id, "code_id": i.code_id or None,
            "mapping_id": i.mapping_id, "theme": i.current_theme_name or i.theme_name,
            "code": (i.current_code_label or i.code_label) or None, "status": i.status,
            "status_by": i.status_by, "status_set": i.status_set, "orphaned": i.orphaned,
            "threads": [{"resolved": th.resolved, "comments": [slots(c) for c in th.comments]} for th in i.threads]}


@review_cmd.command("list", project_argument, AS_NAME,
                option("--open", action="store_true", help="only items with open threads"),
                option("--orphans", action="store_true", help="only items whose theme or mapping is gone"),
                json_option,
                help="review items with statuses and comment threads")
def list_items(project, args) -> int:
    from themecoder.core import review

    items = review.review_items(project)
    if args.open:
        items = [i for i in items if i.open_threads]
    if args.orphans:
        items = [i for i in items if i.orphaned]
    if args.json:
        emit_json([_item_json(i) for i in items])
        return 0
    for i in items:
        print(item_line(i))
        for th in i.threads:
            if args.open and th.resolved:
                continue
            for n, c in enumerate(th.comments):
                print(f"    {'  ↳ ' if n else ''}{c.id[:8]} {c.author}: {c.text}"
                      + ("  [resolved]" if n == 0 and th.resolved else ""))
    print(f"{len(items)} review items")
    return 0


@review_cmd.command("changes", project_argument, AS_NAME,
                option("--since", type=ACTION_ID, help="action id (see `history`) instead of the last review"),
                option("--reviewer", help="the last review by this reviewer"),
                option("--lang", choices=["nb", "en"], help="the language of the lines (default: the project's)"),
                json_option,
                help="what changed since the last review")
def changes(project, args) -> int:
    from themecoder.core.review_changes import changes_since
    from themecoder.io.export import export_lang
    from themecoder.io.review_change_text import change_text, nothing_line, since_line

    report = changes_since(project, args.since, reviewer=args.reviewer)
    lang = export_lang(project, args.lang)      # --lang, else the project's language (nb)
    if args.json:
        emit_json({"since": slots(report.since) if report.since else None,
                   "changes": [slots(c) | {"text": change_text(c, lang)} for c in report.changes]})
        return 0
    print(since_line(report.since, lang))
    for c in report.changes:
        print(f"  {c.time[:16]} {c.coder or '':<10} {change_text(c, lang)}")
    if not report.changes:
        print("  " + nothing_line(lang))
    return 0


@review_cmd.command("export", project_argument, AS_NAME, option("-o", "--output", required=True),
                option("--reviewer", help="only this reviewer's statuses and threads"),
                allow_unreviewed_option,
                help="write the review to a small JSON file (review on a copy)")
def export_file(project, args) -> int:
    from themecoder.io.export import ExportOptions

    return run_export_command(args, "review", ExportOptions(fmt="json", reviewer=args.reviewer), project=project)


@review_cmd.command("pack", project_argument, AS_NAME, option("-o", "--output", help="the HTML file to write"),
                option("--for", dest="for_name", metavar="NAME", help="the supervisor's name (asked in the page if not given)"),
                option("--lang", choices=["nb", "en"], help="the page's language (default: the project's, nb)"),
                allow_unreviewed_option,
                help="write ONE offline HTML page the supervisor reviews in a browser (e-mail it)",
                description="The theme tree with quotes, statuses, comment threads and what changed since the "
                            "last review, in one self-contained HTML file that needs no network. The supervisor's "
                            "\"Save review\" downloads NAME.review.json; merge it with `review import`.")
def pack(project, args) -> int:
    from themecoder.io.export import ExportOptions

    return run_export_command(args, "review-pack", ExportOptions(fmt="html", reviewer=args.for_name),
                              project=project)


@review_cmd.command("import", project_argument, AS_NAME, option("file"),
                option("--force", action="store_true", help="import a review of another project"),
                option("--dry-run", action="store_true", help="report what would change, change nothing"),
                json_option,
                help="merge a review file into this project (codings are never touched)")
def import_file(project, args) -> int:
    from themecoder.core.review_exchange import import_review

    report = import_review(project, args.file, force=args.force, dry_run=args.dry_run)
    if args.json:
        emit_json(slots(report) | {"changed": report.changed})
    else:
        for line in report.lines():
            print(("(dry run) " if args.dry_run else "") + line)
    return 0


@review_cmd.command("summary", project_argument, AS_NAME, option("-o", "--output", required=True),
                option("--lang", choices=["nb", "en"], default="nb"),
                allow_unreviewed_option,
                help="write the review summary for the supervision meeting (.docx or .md)")
def summary(project, args) -> int:
    return run_export_command(args, "review-summary", project=project)
