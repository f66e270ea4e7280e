"""`themecoder codebook ACTION`: rename, describe, recolour, merge, split, delete, duplicates, show."""
from __future__ import annotations

from themecoder.cli.args import float_between
from themecoder.cli.common import (
    Commands,
    blind_option,
    confirm,
    emit_json,
    json_option,
    option,
    plural,
    project_argument,
    run_action,
    seen_coder,
    slots,
)

commands = Commands()
register = commands.register
codebook_cmd = commands.group(
    "codebook", dest="codebook_command", runner=run_action, required=True,
    help="rename, describe, recolour, merge, split, delete codes; near-duplicates")


@codebook_cmd.command("rename", project_argument, option("code", help="label or id"),
                  option("label", help="the new label"), help="give a code a new label")
def rename(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = resolve.code(project, args.code)
    new = codebook.rename_code(project, code.id, args.label)
    print(f"renamed «{code.label}» → «{new.label}»")


@codebook_cmd.command("describe", project_argument, option("code"), option("text"), help="set a code's description")
def describe(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = codebook.describe_code(project, resolve.code(project, args.code).id, args.text)
    print(f"description of «{code.label}» set")


@codebook_cmd.command("recolour", project_argument, option("code"), option("colour", help="#RRGGBB"),
                  aliases=["recolor"], defaults={"codebook_command": "recolour"}, help="set a code's colour")
def recolour(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = codebook.recolour_code(project, resolve.code(project, args.code).id, args.colour)
    print(f"«{code.label}» is now {code.colour}")


@codebook_cmd.command("merge", project_argument,
                  option("codes", nargs="+", help="the codes to merge away"),
                  option("--into", required=True, help="the surviving code"),
                  json_option,
                  help="merge codes into one (one undo restores them)")
def merge(project, args) -> None:
    from themecoder.core import codebook, resolve

    target = resolve.code(project, args.into)
    sources = [resolve.code(project, ref).id for ref in args.codes]
    r = codebook.merge_codes(project, sources, target.id)
    if args.json:
        emit_json({"code": {"id": r.code.id, "label": r.code.label}, "merged": list(r.merged),
                   "moved": r.moved, "collapsed": r.collapsed, "mappings": r.mappings, "memos": r.memos})
        return
    merged = ", ".join(f"«{m}»" for m in r.merged)
    print(f"merged {merged} into «{r.code.label}»: {plural(r.moved, 'codings')} moved, {r.collapsed} "
          f"duplicates collapsed, {plural(r.mappings, 'theme mappings')} and {plural(r.memos, 'memos')} carried over")


@codebook_cmd.command(
    "split", project_argument, option("code"),
    option("--to", required=True, help="label of the new code"),
    option("--coding", action="append", help="coding id or prefix (see `codebook show`); repeatable"),
    option("--doc", help="all codings in this document"),
    option("--containing", help="all codings whose quote contains this text"),
    option("--no-themes", action="store_true", help="do not put the new code in the old code's themes"),
    help="move some codings of a code to a new code")
def split(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = resolve.code(project, args.code)
    chosen = codebook.codings_to_split(project, code, args.coding or [], args.doc, args.containing)
    new = codebook.split_code(project, code.id, chosen, args.to, keep_themes=not args.no_themes)
    print(f"moved {plural(len(chosen), 'codings')} of «{code.label}» to the new code «{new.label}»")


@codebook_cmd.command("delete", project_argument, option("code"), option("--yes", action="store_true", help="do not ask"),
                  help="delete a code with its codings, mappings and memos (undoable)")
def delete(project, args) -> None:
    from themecoder.core import codebook, resolve

    impact = codebook.delete_impact(project, resolve.code(project, args.code).id)
    confirm(f"Delete «{impact.code.label}» with {plural(impact.codings, 'codings')}, "
            f"{plural(impact.themes, 'theme mappings')} and {plural(impact.memos, 'memos')}? (undo brings it back)", args.yes)
    codebook.delete_code(project, impact.code.id)
    print(f"deleted «{impact.code.label}» ({plural(impact.codings, 'codings')}); `themecoder undo` restores it")


@codebook_cmd.command("duplicates", project_argument,
                  option("--threshold", type=float_between(0, 100), default=85.0, help="similarity 0-100 (default 85)"),
                  json_option, blind_option,
                  help="clusters of near-duplicate code labels")
def duplicates(project, args) -> None:
    from themecoder.core import codebook

    clusters = codebook.near_duplicates(project, threshold=args.threshold, coder=seen_coder(project, args))
    if args.json:
        emit_json([{"score": cl.score, "survivor": cl.survivor.id,
                    "codes": [{"id": c.id, "label": c.label, "codings": n} for c, n in zip(cl.codes, cl.codings)],
                    "pairs": [{"a": cl.codes[i].id, "b": cl.codes[j].id, "score": s} for i, j, s in cl.pairs]}
                   for cl in clusters])
        return
    for cl in clusters:
        print(f"{cl.score:5.1f}  " + "  |  ".join(f"{c.label} ({n})" for c, n in zip(cl.codes, cl.codings)))
    print(f"{plural(len(clusters), 'groups')} of similar codes (threshold {args.threshold:g}); merge with "
          f"`themecoder codebook merge PROJECT CODE... --into CODE`")


@codebook_cmd.command("show", project_argument, option("code"), json_option, blind_option,
                  help="a code with its codings (ids for split and key quotes)")
def show(project, args) -> None:
    from themecoder.core import resolve, views

    code = resolve.code(project, args.code)
    docs = views.document_titles(project)
    codings = views.codings_of_code(project, code.id, coder=seen_coder(project, args))
    if args.json:
        emit_json({"id": code.id, "label": code.label, "description": code.description, "colour": code.colour,
                   "codings": [slots(c) | {"document": docs[c.document_id]} for c in codings]})
        return
    print(f"«{code.label}»  {code.colour}  {plural(len(codings), 'codings')}")
    if code.description:
        print(f"  {code.description}")
    for c in codings:
        print(f"  {c.id[:8]}  {docs[c.document_id]:<16} «{' '.join(c.quote.split())[:90]}»")
