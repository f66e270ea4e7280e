"""`themecoder theme ACTION` (themes and subthemes, code mappings, lists) and `themecoder matrix`."""
from __future__ import annotations

import sys

from themecoder.cli.args import POSITION
from themecoder.cli.common import (
    Commands,
    blind_option,
    confirm,
    emit_json,
    exclusive,
    json_option,
    open_project,
    option,
    plural,
    project_argument,
    run_action,
    seen_coder,
    slots,
)
from themecoder.errors import UserError

THEME_HELP = "theme name, id, or path «Theme/Subtheme»"
THEME = option("theme", help=THEME_HELP)
CODES = option("codes", nargs="+", help="code labels or ids")


commands = Commands()
register = commands.register
theme_cmd = commands.group(
    "theme", dest="theme_command", runner=run_action, required=True,
    help="themes and subthemes: create, rename, move, reorder, delete, map codes, list")


@theme_cmd.command("create", project_argument, option("name"), option("--parent", help=THEME_HELP),
               option("--description"), help="create a theme (or a subtheme with --parent)")
def create(project, args) -> None:
    from themecoder.core import resolve, themes

    parent = resolve.theme(project, args.parent).id if args.parent else None
    t = themes.create_theme(project, args.name, parent_id=parent, description=args.description or "")
    print(f"created theme «{themes.theme_path(project, t.id)}» ({t.id[:8]})")


@theme_cmd.command("rename", project_argument, THEME, option("name"), help="rename a theme")
def rename(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    new = themes.rename_theme(project, t.id, args.name)
    print(f"renamed «{t.name}» → «{new.name}»")


@theme_cmd.command("describe", project_argument, THEME, option("text"), help="set a theme's description")
def describe(project, args) -> None:
    from themecoder.core import resolve, themes

    t = themes.describe_theme(project, resolve.theme(project, args.theme).id, args.text)
    print(f"description of «{t.name}» set")


@theme_cmd.command("set", project_argument, THEME, option("--description"),
               option("--analytic-text", dest="analytic_text"), option("--condensate"),
               option("--key-quote", dest="key_quote", help="coding id or prefix; 'none' clears it"),
               help="set analytic text, condensate, key quote (\"-\" reads the text from stdin)")
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
        raise UserError("nothing to set: give --description, --analytic-text, --condensate or --key-quote")
    t = themes.update_theme(project, t.id, **fields)
    print(f"theme «{t.name}» updated")


@theme_cmd.command("move", project_argument, THEME,
               exclusive(option("--under", help=THEME_HELP), option("--top", action="store_true"), required=True),
               option("--position", type=POSITION, help="1-based place among its new siblings (default: last)"),
               help="move a theme under another theme or to the top level")
def move(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    parent = None if args.top else resolve.theme(project, args.under).id
    t = themes.move_theme(project, t.id, parent, position=args.position)
    print(f"moved to «{themes.theme_path(project, t.id)}»")


@theme_cmd.command("reorder", project_argument, THEME,
               exclusive(option("--up", action="store_true"), option("--down", action="store_true"),
                         option("--to", type=POSITION, help="1-based position"), required=True),
               help="move a theme up, down or to a position among its siblings")
def reorder(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    if args.to is not None:
        t = themes.reorder_theme(project, t.id, args.to)
    else:
        t = themes.shift_theme(project, t.id, -1 if args.up else 1)
    print(f"«{t.name}» is number {t.position} at its level")


@theme_cmd.command("delete", project_argument, THEME,
               option("--keep-subthemes", action="store_true", help="move its subthemes up instead"),
               option("--yes", action="store_true", help="do not ask"),
               help="delete a theme (codes are only unmapped)")
def delete(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    subs = len(themes.descendants(project, t.id))
    what = "" if not subs or args.keep_subthemes else f" and its {plural(subs, 'subthemes')}"
    confirm(f"Delete theme «{t.name}»{what}? Codes stay, only their mappings go.", args.yes)
    r = themes.delete_theme(project, t.id, keep_subthemes=args.keep_subthemes)
    print(f"deleted theme «{t.name}»{what}; {r.mappings} code mappings removed, no codes deleted")


@theme_cmd.command("map", project_argument, THEME, CODES, help="put codes in a theme")
def map_codes(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    ids = [resolve.code(project, ref).id for ref in args.codes]
    n = themes.map_codes(project, ids, t.id)
    print(f"{plural(n, 'codes')} put in «{t.name}»" + (f" ({len(ids) - n} were there already)" if n < len(ids) else ""))


@theme_cmd.command("unmap", project_argument, THEME, CODES, help="take codes out of a theme")
def unmap_codes(project, args) -> None:
    from themecoder.core import resolve, themes

    t = resolve.theme(project, args.theme)
    ids = [resolve.code(project, ref).id for ref in args.codes]
    n = themes.unmap_codes(project, ids, t.id)
    print(f"{plural(n, 'codes')} taken out of «{t.name}»")


@theme_cmd.command("move-codes", project_argument, CODES, option("--to", required=True, help=THEME_HELP),
               option("--from", dest="source", help="the theme they leave (default: they only join --to)"),
               help="move codes from one theme to another in one action")
def move_codes(project, args) -> None:
    from themecoder.core import resolve, themes

    to = resolve.theme(project, args.to)
    src = resolve.theme(project, args.source).id if args.source else None
    ids = [resolve.code(project, ref).id for ref in args.codes]
    themes.move_codes(project, ids, to.id, from_theme_id=src)
    print(f"{plural(len(ids), 'codes')} moved to «{to.name}»")


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


@theme_cmd.command("list", project_argument, json_option, blind_option, help="themes with counts")
def list_themes(project, args) -> None:
    _list_or_tree(project, args, "list")


@theme_cmd.command("tree", project_argument, json_option, blind_option, help="themes, subthemes and their codes")
def tree(project, args) -> None:
    _list_or_tree(project, args, "tree")


def _list_or_tree(project, args, op: str) -> None:
    from themecoder.core import themes
    from themecoder.core.review import status_of

    nodes = themes.flatten(themes.theme_tree(project, coder=seen_coder(project, args)))
    if args.json:
        top = [n for n in nodes if n.depth == 0] if op == "tree" else nodes
        emit_json([_node_json(project, n, tree=op == "tree") for n in top])
        return
    for n in nodes:
        status = status_of(project, n.theme.id)
        mark = "" if status == "proposed" else f"  [{status}]"
        if op == "list":
            print(f"{n.codings:>5} {n.participants:>3}  {themes.theme_path(project, n.theme.id)}"
                  f"  ({plural(len(n.codes), 'codes')}){mark}")
            continue
        print(f"{'  ' * n.depth}{n.theme.name}  ({plural(n.codings, 'codings')}, {plural(n.participants, 'informants')}){mark}")
        for c in n.codes:
            cs = status_of(project, n.theme.id, c.id)
            print(f"{'  ' * (n.depth + 1)}- {c.label} ({n.code_codings.get(c.id, 0)})"
                  + ("" if cs == "proposed" else f"  [{cs}]"))
    if op == "list":
        print(f"{plural(len(nodes), 'themes')} (columns: codings, informants)")


@theme_cmd.command("unthemed", project_argument, json_option, blind_option, help="codes in no theme")
def unthemed(project, args) -> None:
    from themecoder.core import themes, views

    stats = {s.code.id: s.codings for s in views.code_stats(project, coder=seen_coder(project, args))}
    codes = themes.unthemed_codes(project)
    if args.json:
        emit_json([{"id": c.id, "label": c.label, "codings": stats.get(c.id, 0)} for c in codes])
        return
    for c in codes:
        print(f"{stats.get(c.id, 0):>4}  {c.label}")
    print(f"{plural(len(codes), 'codes')} in no theme")


@theme_cmd.command("several", project_argument, json_option, help="codes in more than one theme")
def several(project, args) -> None:
    from themecoder.core import themes

    rows = themes.codes_in_several_themes(project)
    if args.json:
        emit_json([{"id": c.id, "label": c.label, "themes": [{"id": t.id, "name": t.name} for t in ts]}
                   for c, ts in rows])
        return
    for c, ts in rows:
        print(f"{c.label}: " + ", ".join(themes.theme_path(project, t.id) for t in ts))
    print(f"{plural(len(rows), 'codes')} in more than one theme")


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


@commands.command("matrix", project_argument,
                  option("--rows", choices=["themes", "codes"], default="themes"),
                  option("--by", choices=["participant", "document"], default="participant"),
                  option("--cell", nargs=2, metavar=("ROW", "COLUMN"), help="print the quotes behind one cell"),
                  json_option, blind_option,
                  help="code matrix: coded segments per theme or code by participant")
def cmd_matrix(args) -> int:
    from themecoder.core import themes

    with open_project(args.project, args.coder) as project:
        seen = seen_coder(project, args)  # blind coding: the coder's own codings alone
        m = themes.code_matrix(project, rows=args.rows, by=args.by, coder=seen)
        if args.cell:
            row, col = matrix_cell(m, *args.cell)
            codings = themes.matrix_cell_codings(project, row, col, by=args.by, coder=seen)
            if args.json:
                emit_json([slots(c) for c in codings])
                return 0
            for c in codings:
                print(f"- «{' '.join(c.quote.split())}»")
            print(f"{plural(len(codings), 'quotes')} for «{row.label}» × {col.label}")
            return 0
        if args.json:
            from themecoder.core.views import matrix_totals

            column_totals, total = matrix_totals(project, m)
            emit_json({**m.as_dict(), "column_totals": list(column_totals), "total": total})
            return 0
        width = min(max([len("  " * r.depth + r.label) for r in m.rows] + [10]), 50)
        heads = [c.label[:10] for c in m.columns]
        print(" " * width + "  " + " ".join(f"{h:>10}" for h in heads) + f" {'total':>7}")
        for i, r in enumerate(m.rows):
            name = ("  " * r.depth + r.label)[:width]
            print(f"{name:<{width}}  " + " ".join(f"{v if v else '·':>10}" for v in m.counts[i])
                  + f" {m.row_total(i):>7}")
        if m.rows:  # distinct codings: a theme's row holds its subthemes' codings already
            from themecoder.core.views import matrix_totals

            column_totals, total = matrix_totals(project, m)
            print(f"{'Total':<{width}}  " + " ".join(f"{v:>10}" for v in column_totals) + f" {total:>7}")
    return 0
