"""`themecoder theme ACTION` (themes and subthemes, code mappings, lists) and `themecoder matrix`."""
from __future__ import annotations

import argparse
import sys

from themecoder.cli.common import confirm, emit_json, json_option, open_project, project_argument, slots, user_error

THEME_HELP = "theme name, id, or path «Theme/Subtheme»"


def create(project, args) -> None:
    from themecoder.core import resolve, themes

    parent = resolve.theme(project, args.parent).id if args.parent else None
    t = themes.create_theme(project, args.name, parent_id=parent, description=args.description or "")
    print(f"created theme «{themes.theme_path(project, t.id)}» ({t.id[:8]})")


def rename(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    new = themes.rename_theme(project, t.id, args.name)
    print(f"renamed «{t.name}» → «{new.name}»")


def describe(project, args) -> None:
    from themecoder.core import resolve, themes

    t = themes.describe_theme(project, resolve.theme(project, args.theme).id, args.text)
    print(f"description of «{t.name}» set")


def set_fields(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    fields = {}
    for key in ("description", "analytic_text", "condensate"):
        value = getattr(args, key)
        if value is not None:
            fields[key] = sys.stdin.read() if value == "-" else value
    if args.key_quote is not None:
        cleared = args.key_quote.casefold() in ("", "none", "-")
        fields["key_coding_id"] = None if cleared else resolve.coding(project, args.key_quote).id
    if not fields:
        raise user_error("nothing to set: give --description, --analytic-text, --condensate or --key-quote")
    t = themes.update_theme(project, t.id, **fields)
    print(f"theme «{t.name}» updated")


def move(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    parent = None if args.top else resolve.theme(project, args.under).id
    t = themes.move_theme(project, t.id, parent, position=args.position)
    print(f"moved to «{themes.theme_path(project, t.id)}»")


def reorder(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    if args.to is not None:
        t = themes.reorder_theme(project, t.id, args.to)
    else:
        t = themes.shift_theme(project, t.id, -1 if args.up else 1)
    print(f"«{t.name}» is number {t.position} at its level")


def delete(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    subs = len(themes.descendants(project, t.id))
    what = "" if not subs or args.keep_subthemes else f" and its {subs} subthemes"
    confirm(f"Delete theme «{t.name}»{what}? Codes stay, only their mappings go.", args.yes)
    r = themes.delete_theme(project, t.id, keep_subthemes=args.keep_subthemes)
    print(f"deleted theme «{t.name}»{what}; {r.mappings} code mappings removed, no codes deleted")


def map_codes(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    ids = [resolve.code(project, ref).id for ref in args.codes]
    if args.theme_command == "map":
        n = themes.map_codes(project, ids, t.id)
        print(f"{n} codes put in «{t.name}»" + (f" ({len(ids) - n} were there already)" if n < len(ids) else ""))
    else:
        n = themes.unmap_codes(project, ids, t.id)
        print(f"{n} codes taken out of «{t.name}»")


def move_codes(project, args) -> None:
    from themecoder.core import resolve, themes

    to = resolve.theme(project, args.to)
    src = resolve.theme(project, args.source).id if args.source else None
    ids = [resolve.code(project, ref).id for ref in args.codes]
    themes.move_codes(project, ids, to.id, from_theme_id=src)
    print(f"{len(ids)} codes moved to «{to.name}»")


def _node_json(project, n, *, tree: bool) -> dict:
    from themecoder.core.review import status_of

    t = n.theme
    d = {"id": t.id, "name": t.name, "parent_id": t.parent_id, "depth": n.depth, "position": t.position,
         "description": t.description, "analytic_text": t.analytic_text, "condensate": t.condensate,
         "key_coding_id": t.key_coding_id, "codings": n.codings, "participants": n.participants,
         "status": status_of(project, t.id),
         "codes": [{"id": c.id, "label": c.label, "codings": n.code_codings.get(c.id, 0),
                    "status": status_of(project, t.id, c.id)} for c in n.codes]}
    if tree:
        d["subthemes"] = [_node_json(project, ch, tree=True) for ch in n.children]
    return d


def list_or_tree(project, args) -> None:
    from themecoder.core import themes
    from themecoder.core.review import status_of

    op = args.theme_command
    nodes = themes.flatten(themes.theme_tree(project))
    if args.json:
        top = [n for n in nodes if n.depth == 0] if op == "tree" else nodes
        emit_json([_node_json(project, n, tree=op == "tree") for n in top])
        return
    for n in nodes:
        status = status_of(project, n.theme.id)
        mark = "" if status == "proposed" else f"  [{status}]"
        if op == "list":
            print(f"{n.codings:>5} {n.participants:>3}  {themes.theme_path(project, n.theme.id)}"
                  f"  ({len(n.codes)} codes){mark}")
            continue
        print(f"{'  ' * n.depth}{n.theme.name}  ({n.codings} codings, {n.participants} informants){mark}")
        for c in n.codes:
            cs = status_of(project, n.theme.id, c.id)
            print(f"{'  ' * (n.depth + 1)}- {c.label} ({n.code_codings.get(c.id, 0)})"
                  + ("" if cs == "proposed" else f"  [{cs}]"))
    if op == "list":
        print(f"{len(nodes)} themes (columns: codings, informants)")


def unthemed(project, args) -> None:
    from themecoder.cli.reads import code_stats
    from themecoder.core import themes

    stats = {s.code.id: s.codings for s in code_stats(project)}
    codes = themes.unthemed_codes(project)
    if args.json:
        emit_json([{"id": c.id, "label": c.label, "codings": stats.get(c.id, 0)} for c in codes])
        return
    for c in codes:
        print(f"{stats.get(c.id, 0):>4}  {c.label}")
    print(f"{len(codes)} codes in no theme")


def several(project, args) -> None:
    from themecoder.core import themes

    rows = themes.codes_in_several_themes(project)
    if args.json:
        emit_json([{"id": c.id, "label": c.label, "themes": [{"id": t.id, "name": t.name} for t in ts]}
                   for c, ts in rows])
        return
    for c, ts in rows:
        print(f"{c.label}: " + ", ".join(themes.theme_path(project, t.id) for t in ts))
    print(f"{len(rows)} codes in more than one theme")


ACTIONS = {"create": create, "rename": rename, "describe": describe, "set": set_fields, "move": move,
           "reorder": reorder, "delete": delete, "map": map_codes, "unmap": map_codes, "move-codes": move_codes,
           "list": list_or_tree, "tree": list_or_tree, "unthemed": unthemed, "several": several}


def cmd_theme(args) -> int:
    with open_project(args.project, args.coder) as project:
        ACTIONS[args.theme_command](project, args)
    return 0


# -- matrix --------------------------------------------------------------------------------
def matrix_cell(m, row_ref: str, col_ref: str):
    """The row and column of the matrix `row_ref` × `col_ref` name (id, label or unique prefix)."""
    from themecoder.core.resolve import Candidate, pick
    from themecoder.errors import NotFound

    try:
        row = pick("row", row_ref, [Candidate(r.id, (r.label,), r) for r in m.rows])
        col = pick("column", col_ref, [Candidate(c.id, (c.label,), c) for c in m.columns])
    except NotFound as exc:
        raise NotFound(f"no cell {row_ref!r} × {col_ref!r} in the matrix: {exc}") from None
    return row, col


def cmd_matrix(args) -> int:
    from themecoder.core import themes

    with open_project(args.project) as project:
        m = themes.code_matrix(project, rows=args.rows, by=args.by)
        if args.cell:
            row, col = matrix_cell(m, *args.cell)
            codings = themes.matrix_cell_codings(project, row, col, by=args.by)
            if args.json:
                emit_json([slots(c) for c in codings])
                return 0
            for c in codings:
                print(f"- «{' '.join(c.quote.split())}»")
            print(f"{len(codings)} quotes for «{row.label}» × {col.label}")
            return 0
        if args.json:
            emit_json(m.as_dict())
            return 0
        width = min(max([len("  " * r.depth + r.label) for r in m.rows] + [10]), 50)
        heads = [c.label[:10] for c in m.columns]
        print(" " * width + "  " + " ".join(f"{h:>10}" for h in heads) + f" {'total':>7}")
        for i, r in enumerate(m.rows):
            name = ("  " * r.depth + r.label)[:width]
            print(f"{name:<{width}}  " + " ".join(f"{v if v else '·':>10}" for v in m.counts[i])
                  + f" {m.row_total(i):>7}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("theme", help="themes and subthemes: create, rename, move, reorder, delete, map codes, list")
    th = p.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    p.set_defaults(func=cmd_theme)

    def theme_cmd(name: str, help: str) -> argparse.ArgumentParser:
        q = th.add_parser(name, help=help)
        project_argument(q)
        return q

    q = theme_cmd("create", "create a theme (or a subtheme with --parent)")
    q.add_argument("name")
    q.add_argument("--parent", help=THEME_HELP)
    q.add_argument("--description")
    q = theme_cmd("rename", "rename a theme")
    q.add_argument("theme", help=THEME_HELP)
    q.add_argument("name")
    q = theme_cmd("describe", "set a theme's description")
    q.add_argument("theme", help=THEME_HELP)
    q.add_argument("text")
    q = theme_cmd("set", "set analytic text, condensate, key quote (\"-\" reads the text from stdin)")
    q.add_argument("theme", help=THEME_HELP)
    q.add_argument("--description")
    q.add_argument("--analytic-text", dest="analytic_text")
    q.add_argument("--condensate")
    q.add_argument("--key-quote", dest="key_quote", help="coding id or prefix; 'none' clears it")
    q = theme_cmd("move", "move a theme under another theme or to the top level")
    q.add_argument("theme", help=THEME_HELP)
    where = q.add_mutually_exclusive_group(required=True)
    where.add_argument("--under", help=THEME_HELP)
    where.add_argument("--top", action="store_true")
    q.add_argument("--position", type=int, help="1-based place among its new siblings (default: last)")
    q = theme_cmd("reorder", "move a theme up, down or to a position among its siblings")
    q.add_argument("theme", help=THEME_HELP)
    how = q.add_mutually_exclusive_group(required=True)
    how.add_argument("--up", action="store_true")
    how.add_argument("--down", action="store_true")
    how.add_argument("--to", type=int, help="1-based position")
    q = theme_cmd("delete", "delete a theme (codes are only unmapped)")
    q.add_argument("theme", help=THEME_HELP)
    q.add_argument("--keep-subthemes", action="store_true", help="move its subthemes up instead")
    q.add_argument("--yes", action="store_true", help="do not ask")
    for name, help in (("map", "put codes in a theme"), ("unmap", "take codes out of a theme")):
        q = theme_cmd(name, help)
        q.add_argument("theme", help=THEME_HELP)
        q.add_argument("codes", nargs="+", help="code labels or ids")
    q = theme_cmd("move-codes", "move codes from one theme to another in one action")
    q.add_argument("codes", nargs="+", help="code labels or ids")
    q.add_argument("--to", required=True, help=THEME_HELP)
    q.add_argument("--from", dest="source", help="the theme they leave (default: they only join --to)")
    for name, help in (("list", "themes with counts"), ("tree", "themes, subthemes and their codes"),
                       ("unthemed", "codes in no theme"), ("several", "codes in more than one theme")):
        q = theme_cmd(name, help)
        json_option(q)

    p = sub.add_parser("matrix", help="code matrix: coded segments per theme or code by participant")
    project_argument(p)
    p.add_argument("--rows", choices=["themes", "codes"], default="themes")
    p.add_argument("--by", choices=["participant", "document"], default="participant")
    p.add_argument("--cell", nargs=2, metavar=("ROW", "COLUMN"), help="print the quotes behind one cell")
    json_option(p)
    p.set_defaults(func=cmd_matrix)
