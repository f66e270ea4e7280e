"""Themes (code groups): nested theme > subtheme, ordered, with codes mapped many-to-many.

Every operation is one action (one undo). A theme has a description, an analytic text, an
optional condensate (Malterud) and a key quote ("gullsitat": one coding of its codes).
Deleting a theme never deletes codes, only their mappings. Queries for the grouping view:
the tree, codes in no theme, codes in several, and the code matrix (themes or codes by
participant or document).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project, new_id
from themecoder.core.text import canonical_label, clean_text
from themecoder.errors import Conflict, UserError
from themecoder.model import Code, Coding, Theme
from themecoder.store.db import now

MAX_DEPTH = 8  # theme > subtheme > ... ; deeper nesting is almost always a mistake


# -- the rules ------------------------------------------------------------------------------
def clean_name(name: str) -> str:
    """The name as stored (whitespace folded); UserError if there is nothing left."""
    name = canonical_label(name, what="a theme name")
    if not name:
        raise UserError("a theme needs a name")
    return name


def _check_sibling_name(conn, parent_id: str | None, name: str, except_id: str | None = None) -> None:
    if store.themes.named(conn, parent_id, name, except_id=except_id) is not None:
        raise Conflict(f"a theme called {name!r} exists already at that level")


def level(project: Project, theme_id: str) -> int:
    """1 for a top-level theme, 2 for its subthemes, ..."""
    return len(ancestors(project, theme_id)) + 1


def check_depth(project: Project, parent_id: str | None, height: int = 0) -> None:
    """UserError if a theme with `height` levels below it may not sit under `parent_id`."""
    if parent_id is not None and level(project, parent_id) + 1 + height > MAX_DEPTH:
        raise UserError(f"themes nest at most {MAX_DEPTH} levels deep")


def deepest_allowed_parent(project: Project, parent_id: str | None) -> str | None:
    """`parent_id`, or the nearest ancestor under which a new theme may still sit (importers
    attach too-deep themes there instead of refusing the file)."""
    while parent_id is not None and level(project, parent_id) + 1 > MAX_DEPTH:
        parent_id = store.themes.parent_of(project.db, parent_id)
    return parent_id


# -- inside an open action (importers use these to stay one action) ---------------------------
def new_theme(conn, project: Project, name: str, parent_id: str | None = None, *, description: str = "",
              analytic_text: str = "", condensate: str = "", theme_id: str | None = None) -> str:
    """Create a theme inside the caller's action, with every rule; returns its id."""
    name = clean_name(name)
    if parent_id is not None:
        store.themes.theme(project.db, parent_id)  # NotFound if it is not there
    check_depth(project, parent_id)
    _check_sibling_name(conn, parent_id, name)
    theme_id = theme_id or new_id()
    store.themes.insert(conn, theme_id, parent_id, name, created=now(), description=description or "",
                        analytic_text=analytic_text or "", condensate=condensate or "")
    return theme_id


def map_code(conn, code_id: str, theme_id: str) -> int:
    """Put a code last in a theme inside the caller's action; 1 if it was not there yet."""
    return store.themes.map_code(conn, code_id, theme_id, created=now())


def create_theme(project: Project, name: str, *, parent_id: str | None = None, description: str = "") -> Theme:
    name = clean_name(name)
    if parent_id is not None:
        store.themes.theme(project.db, parent_id)
    check_depth(project, parent_id)
    theme_id = new_id()
    with project.action("create-theme", f"create theme «{name}»",
                        {"theme_id": theme_id, "theme": name, "parent_id": parent_id}) as conn:
        new_theme(conn, project, name, parent_id, description=description, theme_id=theme_id)
    return store.themes.theme(project.db, theme_id)


# -- texts ----------------------------------------------------------------------------------
def rename_theme(project: Project, theme_id: str, name: str) -> Theme:
    theme = store.themes.theme(project.db, theme_id)
    name = clean_name(name)
    if name == theme.name:
        return theme
    with project.action("rename-theme", f"rename theme «{theme.name}» → «{name}»",
                        {"theme_id": theme.id, "from": theme.name, "to": name}) as conn:
        _check_sibling_name(conn, theme.parent_id, name, theme.id)
        store.themes.update(conn, theme.id, name=name)
    return store.themes.theme(project.db, theme_id)


_FIELDS = {"description": "description", "analytic_text": "analytic text", "condensate": "condensate"}


def update_theme(project: Project, theme_id: str, **fields: str | None) -> Theme:
    """Set any of description, analytic_text, condensate, key_coding_id in one action."""
    theme = store.themes.theme(project.db, theme_id)
    changes: dict[str, str | None] = {}
    for key, value in fields.items():
        if key in _FIELDS:
            value = clean_text(value or "").strip()
        elif key == "key_coding_id":
            if value:
                value = _check_key_quote(project, theme, value)
        else:
            raise UserError(f"a theme has no field {key!r}")
        if getattr(theme, key) != value:
            changes[key] = value
    if not changes:
        return theme
    what = ", ".join(_FIELDS.get(k, "key quote") for k in changes)
    with project.action("edit-theme", f"theme «{theme.name}»: set {what}",
                        {"theme_id": theme.id, "theme": theme.name, "fields": sorted(changes)}) as conn:
        store.themes.update(conn, theme.id, **changes)
    return store.themes.theme(project.db, theme_id)


def set_texts(conn, project: Project, theme_id: str, texts: dict[str, str], *, only_if_empty: bool = False) -> list[str]:
    """Set a theme's description, analytic text or condensate inside the caller's action
    (importers; `only_if_empty` keeps what is there). Returns the fields changed."""
    theme = store.themes.theme(project.db, theme_id)
    changes: dict[str, str | None] = {}
    for key, value in texts.items():
        if key not in _FIELDS:
            raise UserError(f"a theme has no field {key!r}")
        value = clean_text(value or "").strip()
        current = getattr(theme, key)
        if current != value and not (only_if_empty and current):
            changes[key] = value
    store.themes.update(conn, theme.id, **changes)
    return sorted(changes)


def describe_theme(project: Project, theme_id: str, description: str) -> Theme:
    return update_theme(project, theme_id, description=description)


def set_analytic_text(project: Project, theme_id: str, text: str) -> Theme:
    return update_theme(project, theme_id, analytic_text=text)


def set_condensate(project: Project, theme_id: str, text: str) -> Theme:
    return update_theme(project, theme_id, condensate=text)


def set_key_quote(project: Project, theme_id: str, coding_id: str | None) -> Theme:
    """Choose the theme's key quote ("gullsitat"); None clears it."""
    return update_theme(project, theme_id, key_coding_id=coding_id)


def _check_key_quote(project: Project, theme: Theme, coding_ref: str) -> str:
    coding = resolve.coding(project, coding_ref)
    inside = {c.id for c in store.codings.codings_for_theme(project.db, theme.id, recursive=True)}
    if coding.id not in inside:
        code = store.codes.code(project.db, coding.code_id)
        raise UserError(f"the key quote must be coded with a code of «{theme.name}» "
                        f"(this one is coded «{code.label}»)")
    return coding.id


# -- structure ------------------------------------------------------------------------------
def ancestors(project: Project, theme_id: str) -> list[str]:
    """Ids from the theme's parent up to the top level."""
    out: list[str] = []
    parent = store.themes.parent_of(project.db, theme_id)
    while parent is not None and parent not in out:
        out.append(parent)
        parent = store.themes.parent_of(project.db, parent)
    return out


def descendants(project: Project, theme_id: str) -> list[str]:
    return store.themes.descendant_ids(project.db, theme_id)



def move_theme(project: Project, theme_id: str, parent_id: str | None, *, position: int | None = None) -> Theme:
    """Reparent a theme (None: top level), at `position` (1-based; default last). No cycles."""
    theme = store.themes.theme(project.db, theme_id)
    parent_name = "the top level"
    if parent_id is not None:
        parent = store.themes.theme(project.db, parent_id)
        parent_name = f"«{parent.name}»"
        if parent.id == theme.id or parent.id in descendants(project, theme.id):
            raise UserError(f"cannot move «{theme.name}» into itself or one of its subthemes")
        check_depth(project, parent.id, _height(project, theme.id))
    with project.action("move-theme", f"move theme «{theme.name}» to {parent_name}",
                        {"theme_id": theme.id, "theme": theme.name,
                         "from_parent": theme.parent_id, "to_parent": parent_id}) as conn:
        _check_sibling_name(conn, parent_id, theme.name, theme.id)
        order = store.themes.sibling_ids(conn, parent_id, theme.id)
        pos = len(order) + 1 if position is None else max(1, min(position, len(order) + 1))
        order.insert(pos - 1, theme.id)
        store.themes.update(conn, theme.id, parent_id=parent_id)
        store.themes.renumber(conn, order)
        if theme.parent_id != parent_id:
            store.themes.renumber(conn, store.themes.sibling_ids(conn, theme.parent_id, theme.id))
    return store.themes.theme(project.db, theme_id)


def _height(project: Project, theme_id: str) -> int:
    """Levels below the theme (0 for a theme without subthemes)."""
    kids = store.themes.child_ids(project.db, theme_id)
    return 0 if not kids else 1 + max(_height(project, k) for k in kids)


def reorder_theme(project: Project, theme_id: str, position: int) -> Theme:
    """Put a theme at `position` (1-based) among its siblings."""
    theme = store.themes.theme(project.db, theme_id)
    with project.action("reorder-theme", f"theme «{theme.name}» to position {position}",
                        {"theme_id": theme.id, "theme": theme.name, "position": position}) as conn:
        order = store.themes.sibling_ids(conn, theme.parent_id, theme.id)
        pos = max(1, min(position, len(order) + 1))
        order.insert(pos - 1, theme.id)
        store.themes.renumber(conn, order)
    return store.themes.theme(project.db, theme_id)


def shift_theme(project: Project, theme_id: str, delta: int) -> Theme:
    """Move a theme up (delta < 0) or down among its siblings."""
    theme = store.themes.theme(project.db, theme_id)
    order = [t.id for t in store.themes.themes(project.db) if t.parent_id == theme.parent_id]
    current = order.index(theme.id) + 1
    target = max(1, min(len(order), current + delta))
    if target == current:
        return theme
    return reorder_theme(project, theme_id, target)


@dataclass(frozen=True, slots=True)
class ThemeDeletion:
    theme: Theme
    subthemes: int       # deleted with it (0 when they were kept)
    mappings: int        # code mappings removed (codes stay)


def delete_theme(project: Project, theme_id: str, *, keep_subthemes: bool = False) -> ThemeDeletion:
    """Delete a theme; its codes are only unmapped. Subthemes go too, unless kept (then they
    move up to the theme's parent, in its place)."""
    theme = store.themes.theme(project.db, theme_id)
    subs = descendants(project, theme.id)
    # Deepest first, so that no row goes by cascade: every one is in the action log.
    doomed = [theme.id] if keep_subthemes else sorted(
        [theme.id, *subs], key=lambda t: -len(ancestors(project, t)))
    with project.action("delete-theme", f"delete theme «{theme.name}»",
                        {"theme_id": theme.id, "theme": theme.name, "keep_subthemes": keep_subthemes}) as conn:
        if keep_subthemes:
            kids = store.themes.sibling_ids(conn, theme.id)
            for kid in kids:
                _check_sibling_name(conn, theme.parent_id, store.themes.name_of(conn, kid), theme.id)
            order = store.themes.sibling_ids(conn, theme.parent_id)
            at = order.index(theme.id)
            order[at:at + 1] = kids
            for kid in kids:
                store.themes.update(conn, kid, parent_id=theme.parent_id)
            store.themes.renumber(conn, order)
        mappings = 0
        for tid in doomed:
            mappings += store.themes.unmap(conn, theme_id=tid)
            store.memos.delete_for(conn, "theme", tid)
            store.themes.delete(conn, tid)
        store.themes.renumber(conn, store.themes.sibling_ids(conn, theme.parent_id))
        project.db.update_action_summary(
            conn, f"delete theme «{theme.name}»" + (f" and {len(doomed) - 1} subthemes" if len(doomed) > 1 else ""))
    return ThemeDeletion(theme, len(doomed) - 1, mappings)


# -- code mappings --------------------------------------------------------------------------
def add_code_to_theme(project: Project, code_id: str, theme_id: str) -> None:
    code, theme = store.codes.code(project.db, code_id), store.themes.theme(project.db, theme_id)
    with project.action("map-code", f"«{code.label}» → theme «{theme.name}»",
                        {"code_id": code.id, "code": code.label, "theme_id": theme.id, "theme": theme.name}) as conn:
        map_code(conn, code_id, theme_id)


def remove_code_from_theme(project: Project, code_id: str, theme_id: str) -> None:
    code, theme = store.codes.code(project.db, code_id), store.themes.theme(project.db, theme_id)
    with project.action("unmap-code", f"«{code.label}» out of theme «{theme.name}»",
                        {"code_id": code.id, "code": code.label, "theme_id": theme.id, "theme": theme.name}) as conn:
        store.themes.unmap(conn, code_id=code_id, theme_id=theme_id)


def _codes(project: Project, code_ids: Iterable[str]) -> list[Code]:
    out = [store.codes.code(project.db, cid) for cid in dict.fromkeys(code_ids)]
    if not out:
        raise UserError("choose at least one code")
    return out


def _labels(codes: Sequence[Code], limit: int = 3) -> str:
    shown = ", ".join(f"«{c.label}»" for c in codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def map_codes(project: Project, code_ids: Iterable[str], theme_id: str) -> int:
    """Map several codes to a theme in one action. Returns how many were new there."""
    codes, theme = _codes(project, code_ids), store.themes.theme(project.db, theme_id)
    with project.action("map-codes", f"{_labels(codes)} → theme «{theme.name}»",
                        {"theme_id": theme.id, "theme": theme.name,
                         "codes": [{"id": c.id, "label": c.label} for c in codes]}) as conn:
        return sum(map_code(conn, c.id, theme.id) for c in codes)


def unmap_codes(project: Project, code_ids: Iterable[str], theme_id: str) -> int:
    codes, theme = _codes(project, code_ids), store.themes.theme(project.db, theme_id)
    with project.action("unmap-codes", f"{_labels(codes)} out of theme «{theme.name}»",
                        {"theme_id": theme.id, "theme": theme.name,
                         "codes": [{"id": c.id, "label": c.label} for c in codes]}) as conn:
        return sum(store.themes.unmap(conn, code_id=c.id, theme_id=theme.id) for c in codes)


def move_mappings(project: Project, items: Sequence[tuple[str, str | None]], to_theme_id: str) -> int:
    """Move codes to a theme in one action. Each item is (code_id, from_theme_id); a code
    with from_theme_id None is only mapped (it keeps any other themes). Returns the count."""
    target = store.themes.theme(project.db, to_theme_id)
    items = list(dict.fromkeys(items))
    if not items:
        raise UserError("choose at least one code")
    codes = [store.codes.code(project.db, cid) for cid, _ in items]
    for _, src in items:
        if src is not None:
            store.themes.theme(project.db, src)
    with project.action("move-codes", f"move {_labels(codes)} to theme «{target.name}»",
                        {"theme_id": target.id, "theme": target.name,
                         "codes": [{"id": cid, "label": c.label, "from": src}
                                   for (cid, src), c in zip(items, codes)]}) as conn:
        for cid, src in items:
            if src is not None and src != target.id:
                store.themes.unmap(conn, code_id=cid, theme_id=src)
            map_code(conn, cid, target.id)
    return len(items)


def move_codes(project: Project, code_ids: Iterable[str], to_theme_id: str, *,
               from_theme_id: str | None = None) -> int:
    """Move codes from one theme (or, with None, from nowhere: just map them) to another."""
    return move_mappings(project, [(cid, from_theme_id) for cid in code_ids], to_theme_id)


def reorder_code(project: Project, theme_id: str, code_id: str, position: int) -> None:
    """Put a code at `position` (1-based) in its theme's order."""
    theme, code = store.themes.theme(project.db, theme_id), store.codes.code(project.db, code_id)
    order = [c.id for c in store.themes.theme_codes(project.db, theme.id)]
    if code.id not in order:
        raise UserError(f"«{code.label}» is not in theme «{theme.name}»")
    order.remove(code.id)
    order.insert(max(0, min(position - 1, len(order))), code.id)
    with project.action("reorder-code", f"«{code.label}» to position {position} in «{theme.name}»",
                        {"theme_id": theme.id, "code_id": code.id, "position": position}) as conn:
        store.themes.order_codes(conn, theme.id, order)


# -- queries --------------------------------------------------------------------------------
def unthemed_codes(project: Project) -> list[Code]:
    """Codes in no theme (alphabetical)."""
    mapped = store.themes.mapped_code_ids(project.db)
    return [c for c in store.codes.codes(project.db) if c.id not in mapped]


def codes_in_several_themes(project: Project) -> list[tuple[Code, list[Theme]]]:
    themes = {t.id: t for t in store.themes.themes(project.db)}
    order = {tid: n for n, tid in enumerate(themes)}
    of: dict[str, list[str]] = defaultdict(list)
    for code_id, theme_id in store.themes.code_theme_pairs(project.db):
        of[code_id].append(theme_id)
    out = []
    for c in store.codes.codes(project.db):
        if len(of.get(c.id, ())) > 1:
            out.append((c, sorted((themes[t] for t in of[c.id]), key=lambda t: order[t.id])))
    return out


@dataclass(slots=True)
class ThemeNode:
    theme: Theme
    depth: int
    codes: list[Code] = field(default_factory=list)
    code_codings: dict[str, int] = field(default_factory=dict)  # code id -> codings
    children: list[ThemeNode] = field(default_factory=list)
    codings: int = 0        # distinct codings under the theme, subthemes included
    participants: int = 0   # distinct participants (documents without one count by document)


def theme_tree(project: Project, *, coder: str | None = None) -> list[ThemeNode]:
    """The top-level themes, each with its codes and subthemes, in order; counts of `coder`'s
    codings alone when given (blind coding)."""
    db = project.db
    per_code = store.codings.counts_by_code(db, coder=coder)
    nodes: dict[str, ThemeNode] = {}
    roots: list[ThemeNode] = []
    for t in store.themes.themes(db):  # parents before children
        parent = nodes.get(t.parent_id) if t.parent_id else None
        node = ThemeNode(t, 0 if parent is None else parent.depth + 1)
        nodes[t.id] = node
        (parent.children if parent else roots).append(node)
    for theme_id, code in store.themes.codes_by_theme(db):
        holder = nodes.get(theme_id)
        if holder is not None:
            holder.codes.append(code)
            holder.code_codings[code.id] = per_code.get(code.id, 0)
    # Distinct codings and informants per theme, subthemes included.
    unit_of_coding: dict[str, str] = {}
    codings_of_code: dict[str, list[str]] = defaultdict(list)
    for cid, code_id, unit in store.codings.coding_units(db, coder=coder):
        codings_of_code[code_id].append(cid)
        unit_of_coding[cid] = unit

    def fill(node: ThemeNode) -> set[str]:
        seen: set[str] = set()
        for c in node.codes:
            seen.update(codings_of_code.get(c.id, ()))
        for child in node.children:
            seen |= fill(child)
        node.codings = len(seen)
        node.participants = len({unit_of_coding[x] for x in seen})
        return seen

    for root in roots:
        fill(root)
    return roots


def flatten(tree: list[ThemeNode]) -> list[ThemeNode]:
    out: list[ThemeNode] = []

    def walk(nodes: list[ThemeNode]) -> None:
        for n in nodes:
            out.append(n)
            walk(n.children)

    walk(tree)
    return out


def theme_path(project: Project, theme_id: str) -> str:
    """"Theme › Subtheme" for display."""
    names = [store.themes.theme(project.db, theme_id).name]
    for tid in ancestors(project, theme_id):
        names.append(store.themes.theme(project.db, tid).name)
    return " › ".join(reversed(names))


# -- the code matrix ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MatrixColumn:
    id: str          # participant id, or document id for a document without a participant
    label: str       # pseudonym or document title
    kind: str        # 'participant' | 'document'


@dataclass(frozen=True, slots=True)
class MatrixRow:
    id: str
    label: str
    kind: str        # 'theme' | 'code'
    depth: int = 0
    colour: str = ""


@dataclass(frozen=True, slots=True)
class Matrix:
    rows: tuple[MatrixRow, ...]
    columns: tuple[MatrixColumn, ...]
    counts: tuple[tuple[int, ...], ...]   # counts[row][column]: coded segments
    coder: str | None = None              # whose codings alone (blind coding), None: everyone's

    def row_total(self, r: int) -> int:
        return sum(self.counts[r])

    def column_total(self, c: int) -> int:
        return sum(row[c] for row in self.counts)

    @property
    def max(self) -> int:
        return max((v for row in self.counts for v in row), default=0)

    def as_dict(self) -> dict:
        return {
            "columns": [{"id": c.id, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [{"id": r.id, "label": r.label, "kind": r.kind, "depth": r.depth,
                      "counts": list(self.counts[i]), "total": self.row_total(i)}
                     for i, r in enumerate(self.rows)],
        }


def _units(project: Project, by: str) -> tuple[list[MatrixColumn], dict[str, int]]:
    """Columns and a map document id -> column index."""
    docs = store.documents.documents(project.db)
    cols: list[MatrixColumn] = []
    index: dict[str, int] = {}
    doc_col: dict[str, int] = {}
    if by == "participant":
        names = {p.id: p.pseudonym for p in store.participants.participants(project.db)}
        for p in store.participants.participants(project.db):
            index[p.id] = len(cols)
            cols.append(MatrixColumn(p.id, p.pseudonym, "participant"))
        for d in docs:
            if d.participant_id in names:
                doc_col[d.id] = index[d.participant_id]
            else:
                doc_col[d.id] = len(cols)
                cols.append(MatrixColumn(d.id, d.title, "document"))
    elif by == "document":
        for d in docs:
            doc_col[d.id] = len(cols)
            cols.append(MatrixColumn(d.id, d.title, "document"))
    else:
        raise UserError(f"columns are by participant or by document, not {by!r}")
    # Participants without documents make empty columns: leave them out.
    used = sorted(set(doc_col.values()))
    remap = {old: new for new, old in enumerate(used)}
    return [cols[i] for i in used], {d: remap[c] for d, c in doc_col.items()}


def code_matrix(project: Project, *, rows: str = "themes", by: str = "participant",
                coder: str | None = None) -> Matrix:
    """Coded segments per theme (subthemes included, each coding once) or per code, by
    participant (documents without a participant get a column of their own) or document."""
    db = project.db
    columns, doc_col = _units(project, by)
    coding_rows = store.codings.coding_places(db, coder=coder)
    if rows == "codes":
        heads = [MatrixRow(c.id, c.label, "code", 0, c.colour) for c in store.codes.codes(db)]
        at = {h.id: n for n, h in enumerate(heads)}
        grid = [[0] * len(columns) for _ in heads]
        for _, code_id, doc_id in coding_rows:
            grid[at[code_id]][doc_col[doc_id]] += 1
    elif rows == "themes":
        nodes = flatten(theme_tree(project))
        heads = [MatrixRow(n.theme.id, n.theme.name, "theme", n.depth) for n in nodes]
        grid = []
        by_code: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for cid, code_id, doc_id in coding_rows:
            by_code[code_id].append((cid, doc_id))
        for n in nodes:
            seen: dict[str, str] = {}
            for sub in flatten([n]):
                for c in sub.codes:
                    for cid, doc_id in by_code.get(c.id, ()):
                        seen[cid] = doc_id
            row = [0] * len(columns)
            for doc_id in seen.values():
                row[doc_col[doc_id]] += 1
            grid.append(row)
    else:
        raise UserError(f"matrix rows are themes or codes, not {rows!r}")
    return Matrix(tuple(heads), tuple(columns), tuple(tuple(r) for r in grid), coder)


def matrix_cell_codings(project: Project, row: MatrixRow, column: MatrixColumn, *, by: str = "participant",
                        coder: str | None = None) -> list[Coding]:
    """The quotes behind one cell of the matrix (the drill-down)."""
    db = project.db
    if row.kind == "theme":
        codings = store.codings.codings_for_theme(db, row.id, recursive=True, coder=coder)
    else:
        codings = store.codings.codings_for_code(db, row.id, coder=coder)
    if column.kind == "document":
        return [c for c in codings if c.document_id == column.id]
    docs = {d.id for d in store.documents.documents(db) if d.participant_id == column.id}
    return [c for c in codings if c.document_id in docs]
