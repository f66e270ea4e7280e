"""`themecoder codebook ACTION`: rename, describe, recolour, merge, split, delete, duplicates, show."""
from __future__ import annotations

import argparse

from themecoder.cli.common import confirm, emit_json, json_option, open_project, project_argument, slots


def rename(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = resolve.code(project, args.code)
    new = codebook.rename_code(project, code.id, args.label)
    print(f"renamed «{code.label}» → «{new.label}»")


def describe(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = codebook.describe_code(project, resolve.code(project, args.code).id, args.text)
    print(f"description of «{code.label}» set")


def recolour(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = codebook.recolour_code(project, resolve.code(project, args.code).id, args.colour)
    print(f"«{code.label}» is now {code.colour}")


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
    print(f"merged {merged} into «{r.code.label}»: {r.moved} codings moved, {r.collapsed} "
          f"duplicates collapsed, {r.mappings} theme mappings and {r.memos} memos carried over")


# INTEGRATION: belongs in core.codebook (choosing the codings of a split is a rule, not printing)
def codings_to_split(project, code, coding_refs: list[str], doc_ref: str | None, containing: str | None) -> list[str]:
    """Ids of `code`'s codings chosen by id/prefix, by document and by a text they contain."""
    from themecoder.cli.reads import codings_of_code
    from themecoder.core import resolve
    from themecoder.errors import NotFound

    codings = codings_of_code(project, code.id)
    chosen = set()
    for ref in coding_refs:
        hits = [c.id for c in codings if c.id == ref or (len(ref) >= 6 and c.id.startswith(ref))]
        if len(hits) != 1:
            raise NotFound(f"«{code.label}» has no coding {ref!r}")
        chosen.add(hits[0])
    if doc_ref:
        doc = resolve.document(project, doc_ref)
        chosen.update(c.id for c in codings if c.document_id == doc.id)
    if containing:
        needle = containing.casefold()
        chosen.update(c.id for c in codings if needle in c.quote.casefold())
    return [c.id for c in codings if c.id in chosen]


def split(project, args) -> None:
    from themecoder.core import codebook, resolve

    code = resolve.code(project, args.code)
    chosen = codings_to_split(project, code, args.coding or [], args.doc, args.containing)
    new = codebook.split_code(project, code.id, chosen, args.to, keep_themes=not args.no_themes)
    print(f"moved {len(chosen)} codings of «{code.label}» to the new code «{new.label}»")


def delete(project, args) -> None:
    from themecoder.core import codebook, resolve

    impact = codebook.delete_impact(project, resolve.code(project, args.code).id)
    confirm(f"Delete «{impact.code.label}» with {impact.codings} codings, "
            f"{impact.themes} theme mappings and {impact.memos} memos? (undo brings it back)", args.yes)
    codebook.delete_code(project, impact.code.id)
    print(f"deleted «{impact.code.label}» ({impact.codings} codings); `themecoder undo` restores it")


def duplicates(project, args) -> None:
    from themecoder.core import codebook

    clusters = codebook.near_duplicates(project, threshold=args.threshold)
    if args.json:
        emit_json([{"score": cl.score, "survivor": cl.survivor.id,
                    "codes": [{"id": c.id, "label": c.label, "codings": n} for c, n in zip(cl.codes, cl.codings)],
                    "pairs": [{"a": cl.codes[i].id, "b": cl.codes[j].id, "score": s} for i, j, s in cl.pairs]}
                   for cl in clusters])
        return
    for cl in clusters:
        print(f"{cl.score:5.1f}  " + "  |  ".join(f"{c.label} ({n})" for c, n in zip(cl.codes, cl.codings)))
    print(f"{len(clusters)} groups of similar codes (threshold {args.threshold:g}); merge with "
          f"`themecoder codebook merge PROJECT CODE... --into CODE`")


def show(project, args) -> None:
    from themecoder.cli.reads import codings_of_code, document_titles
    from themecoder.core import resolve

    code = resolve.code(project, args.code)
    docs = document_titles(project)
    codings = codings_of_code(project, code.id)
    if args.json:
        emit_json({"id": code.id, "label": code.label, "description": code.description, "colour": code.colour,
                   "codings": [slots(c) | {"document": docs[c.document_id]} for c in codings]})
        return
    print(f"«{code.label}»  {code.colour}  {len(codings)} codings")
    if code.description:
        print(f"  {code.description}")
    for c in codings:
        print(f"  {c.id[:8]}  {docs[c.document_id]:<16} «{' '.join(c.quote.split())[:90]}»")


ACTIONS = {"rename": rename, "describe": describe, "recolour": recolour, "merge": merge, "split": split,
           "delete": delete, "duplicates": duplicates, "show": show}


def cmd_codebook(args) -> int:
    with open_project(args.project, args.coder) as project:
        ACTIONS[args.codebook_command](project, args)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("codebook", help="rename, describe, recolour, merge, split, delete codes; near-duplicates")
    cb = p.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    p.set_defaults(func=cmd_codebook)

    def code_cmd(name: str, help: str, **kw) -> argparse.ArgumentParser:
        q = cb.add_parser(name, help=help, **kw)
        project_argument(q)
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
    json_option(q)
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
    json_option(q)
    q = code_cmd("show", "a code with its codings (ids for split and key quotes)")
    q.add_argument("code")
    json_option(q)
