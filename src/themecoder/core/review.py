"""Supervisor review: statuses and comment threads on themes and code-to-theme mappings.

A review item is a theme, or a mapping (code, theme), with a status (proposed, approved,
needs revision) and comment threads that the student answers and resolves. Every status and
comment is an action under the reviewer's name (undoable, in the action log).

Review on a copy: the supervisor reviews a copy of the project file, `export_review` writes
the review to a small JSON file, `import_review` merges it into the student's project. Only
review rows are written, never codes or codings; comments carry UUIDs, so importing a file
twice changes nothing the second time. A reviewed theme or mapping that no longer exists is
kept as an orphan (with the labels it had) and reported.
"""
from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themecoder.errors import Conflict, NotFound, UserError
from themecoder.model import Code, Coding, Theme
from themecoder.core.project import Project, new_id
from themecoder.store.actionlog import decode_row
from themecoder import store
from themecoder.store import actionlog
from themecoder.store.db import now

STATUSES = ("proposed", "approved", "needs-revision")
STATUS_LABELS = {"proposed": "proposed", "approved": "approved", "needs-revision": "needs revision"}
# Actions that are the reviewer's work (the student's replies and resolutions are not).
REVIEW_KINDS = ("review-status", "review-comment", "review-import")
STUDENT_REVIEW_KINDS = ("review-reply", "review-resolve")
FORMAT = "themecoder-review"
FORMAT_VERSION = 1
# Mapping ids are derived from the code and theme ids, so they are stable across copies.
MAPPING_NAMESPACE = uuid.UUID("4f3c2b1a-9d8e-4c7b-a6f5-0e1d2c3b4a59")


def mapping_id(code_id: str, theme_id: str) -> str:
    return str(uuid.uuid5(MAPPING_NAMESPACE, f"{code_id}/{theme_id}"))


def check_status(status: str) -> str:
    s = (status or "").strip().lower().replace(" ", "-").replace("_", "-")
    aliases = {"revise": "needs-revision", "revision": "needs-revision", "flag": "needs-revision",
               "flagged": "needs-revision", "approve": "approved", "ok": "approved",
               "propose": "proposed", "reset": "proposed"}
    s = aliases.get(s, s)
    if s not in STATUSES:
        raise UserError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return s


# -- records ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    item_id: str
    parent_id: str | None
    author: str
    text: str
    created: str
    resolved: str | None
    resolved_by: str | None


@dataclass(slots=True)
class Thread:
    root: Comment
    replies: list[Comment] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.root.resolved is not None

    @property
    def comments(self) -> list[Comment]:
        return [self.root, *self.replies]


@dataclass(slots=True)
class ReviewItem:
    id: str
    target_type: str          # 'theme' | 'mapping'
    theme_id: str
    code_id: str              # '' for a theme
    theme_name: str           # labels as they were when reviewed
    code_label: str
    status: str
    status_by: str | None
    status_set: str | None
    created: str
    threads: list[Thread] = field(default_factory=list)
    orphaned: bool = False    # the theme or mapping no longer exists
    current_theme_name: str | None = None
    current_code_label: str | None = None

    @property
    def label(self) -> str:
        theme = self.current_theme_name or self.theme_name
        if self.target_type == "theme":
            return f"theme «{theme}»"
        return f"«{self.current_code_label or self.code_label}» in «{theme}»"

    @property
    def open_threads(self) -> list[Thread]:
        return [t for t in self.threads if not t.resolved]

    @property
    def mapping_id(self) -> str | None:
        return mapping_id(self.code_id, self.theme_id) if self.target_type == "mapping" else None


def _comment(r) -> Comment:
    return Comment(r["id"], r["item_id"], r["parent_id"], r["author"], r["text"], r["created"],
                   r["resolved"], r["resolved_by"])


def _threads(comments: list[Comment]) -> list[Thread]:
    roots: dict[str, Thread] = {}
    order: list[Thread] = []
    for c in sorted(comments, key=lambda c: (c.created, c.id)):
        if c.parent_id is None:
            roots[c.id] = Thread(c)
            order.append(roots[c.id])
    for c in sorted(comments, key=lambda c: (c.created, c.id)):
        if c.parent_id is not None:
            root = roots.get(c.parent_id)
            if root is None:  # a reply to a reply (older files): attach to its thread
                parent = next((x for x in comments if x.id == c.parent_id), None)
                root = roots.get(parent.parent_id) if parent and parent.parent_id else None
            if root is None:
                roots[c.id] = Thread(c)
                order.append(roots[c.id])
            else:
                root.replies.append(c)
    return order


def review_items(project: Project) -> list[ReviewItem]:
    """Every review item, with its threads and whether its target still exists."""
    db = project.db
    themes = {r[0]: r[1] for r in db.query("SELECT id, name FROM themes")}
    codes = {r[0]: r[1] for r in db.query("SELECT id, label FROM codes")}
    mapped = {(r[0], r[1]) for r in db.query("SELECT code_id, theme_id FROM code_themes")}
    by_item: dict[str, list[Comment]] = defaultdict(list)
    for r in db.query("SELECT * FROM review_comments ORDER BY created, id"):
        by_item[r["item_id"]].append(_comment(r))
    items = []
    for r in db.query("SELECT * FROM review_items ORDER BY created, id"):
        item = ReviewItem(r["id"], r["target_type"], r["theme_id"], r["code_id"], r["theme_name"],
                          r["code_label"], r["status"], r["status_by"], r["status_set"], r["created"])
        item.threads = _threads(by_item.get(item.id, []))
        item.current_theme_name = themes.get(item.theme_id)
        if item.target_type == "mapping":
            item.current_code_label = codes.get(item.code_id)
            item.orphaned = (item.code_id, item.theme_id) not in mapped
        else:
            item.orphaned = item.theme_id not in themes
        items.append(item)
    return items


def item_for(project: Project, theme_id: str, code_id: str | None = None) -> ReviewItem | None:
    key = ("mapping" if code_id else "theme", theme_id, code_id or "")
    for item in review_items(project):
        if (item.target_type, item.theme_id, item.code_id) == key:
            return item
    return None


def status_of(project: Project, theme_id: str, code_id: str | None = None) -> str:
    row = project.db.query_one(
        "SELECT status FROM review_items WHERE target_type = ? AND theme_id = ? AND code_id = ?",
        ("mapping" if code_id else "theme", theme_id, code_id or ""))
    return "proposed" if row is None else row[0]


def open_threads(project: Project) -> list[tuple[ReviewItem, Thread]]:
    """Unresolved comment threads, in the order of the theme tree (orphans last)."""
    out = []
    for item in _in_tree_order(project, review_items(project)):
        for t in item.open_threads:
            out.append((item, t))
    return out


def orphans(project: Project) -> list[ReviewItem]:
    return [i for i in review_items(project) if i.orphaned]


def _in_tree_order(project: Project, items: list[ReviewItem]) -> list[ReviewItem]:
    order: dict[tuple[str, str], int] = {}
    n = 0
    for t in store.themes.themes(project.db):
        order[(t.id, "")] = n
        n += 1
        for c in store.themes.theme_codes(project.db, t.id):
            order[(t.id, c.id)] = n
            n += 1
    return sorted(items, key=lambda i: (i.orphaned, order.get((i.theme_id, i.code_id), n), i.created))


# -- writing ----------------------------------------------------------------------------------
def _target(project: Project, theme_id: str, code_id: str | None) -> tuple[Theme, Code | None]:
    theme = store.themes.theme(project.db, theme_id)
    code = None
    if code_id:
        code = store.codes.code(project.db, code_id)
        if project.db.scalar("SELECT 1 FROM code_themes WHERE code_id = ? AND theme_id = ?",
                             (code.id, theme.id)) is None:
            raise UserError(f"«{code.label}» is not in theme «{theme.name}»")
    return theme, code


def _ensure_item(conn, theme: Theme, code: Code | None) -> str:
    """The item for a live target, created if needed; its labels follow the current names."""
    target_type, code_id = ("mapping", code.id) if code else ("theme", "")
    row = conn.execute("SELECT id, theme_name, code_label FROM review_items "
                       "WHERE target_type = ? AND theme_id = ? AND code_id = ?",
                       (target_type, theme.id, code_id)).fetchone()
    code_label = code.label if code else ""
    if row is None:
        item_id = new_id()
        conn.execute(
            "INSERT INTO review_items(id, target_type, theme_id, code_id, theme_name, code_label, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item_id, target_type, theme.id, code_id, theme.name, code_label, now()))
        return item_id
    if (row[1], row[2]) != (theme.name, code_label):
        conn.execute("UPDATE review_items SET theme_name = ?, code_label = ? WHERE id = ?",
                     (theme.name, code_label, row[0]))
    return row[0]


def _describe(theme: Theme, code: Code | None) -> str:
    return f"«{code.label}» in «{theme.name}»" if code else f"theme «{theme.name}»"


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise UserError("the comment is empty")
    return text


def set_status(project: Project, theme_id: str, status: str, *, code_id: str | None = None,
               comment: str | None = None) -> ReviewItem:
    """Set the status of a theme (code_id None) or of a code's mapping to it; optionally
    with a comment, in the same action."""
    status = check_status(status)
    theme, code = _target(project, theme_id, code_id)
    what = _describe(theme, code)
    details = {"theme_id": theme.id, "code_id": code.id if code else None, "status": status,
               "target": what}
    with project.action("review-status", f"review: {what} {STATUS_LABELS[status]}", details) as conn:
        item_id = _ensure_item(conn, theme, code)
        conn.execute("UPDATE review_items SET status = ?, status_by = ?, status_set = ? WHERE id = ?",
                     (status, project.coder, now(), item_id))
        if comment and comment.strip():
            _insert_comment(conn, item_id, None, project.coder, _clean_text(comment))
    return item_for(project, theme.id, code.id if code else None)  # type: ignore[return-value]


def set_theme_status(project: Project, theme_id: str, status: str, *, comment: str | None = None) -> ReviewItem:
    return set_status(project, theme_id, status, comment=comment)


def set_mapping_status(project: Project, code_id: str, theme_id: str, status: str, *,
                       comment: str | None = None) -> ReviewItem:
    return set_status(project, theme_id, status, code_id=code_id, comment=comment)


def _insert_comment(conn, item_id: str, parent_id: str | None, author: str, text: str) -> str:
    comment_id = new_id()
    conn.execute(
        "INSERT INTO review_comments(id, item_id, parent_id, author, text, created) VALUES (?, ?, ?, ?, ?, ?)",
        (comment_id, item_id, parent_id, author, text, now()))
    return comment_id


def add_comment(project: Project, theme_id: str, text: str, *, code_id: str | None = None) -> Comment:
    """Start a comment thread on a theme or a mapping."""
    text = _clean_text(text)
    theme, code = _target(project, theme_id, code_id)
    what = _describe(theme, code)
    with project.action("review-comment", f"review comment on {what}",
                        {"theme_id": theme.id, "code_id": code.id if code else None, "target": what,
                         "text": text[:200]}) as conn:
        item_id = _ensure_item(conn, theme, code)
        comment_id = _insert_comment(conn, item_id, None, project.coder, text)
    return comment(project, comment_id)


def comment(project: Project, comment_id: str) -> Comment:
    ref = (comment_id or "").strip()
    rows = project.db.query("SELECT * FROM review_comments WHERE id = ?", (ref,))
    if not rows and len(ref) >= 6:
        rows = project.db.query("SELECT * FROM review_comments WHERE id LIKE ? || '%'", (ref,))
    if len(rows) != 1:
        raise NotFound(f"no review comment {ref!r}" if not rows else f"several comments start with {ref!r}")
    return _comment(rows[0])


def _root(project: Project, c: Comment) -> Comment:
    seen = set()
    while c.parent_id is not None and c.id not in seen:
        seen.add(c.id)
        c = comment(project, c.parent_id)
    return c


def reply(project: Project, comment_id: str, text: str) -> Comment:
    """Answer a thread (reopens it if it was resolved)."""
    text = _clean_text(text)
    root = _root(project, comment(project, comment_id))
    with project.action("review-reply", f"reply to {root.author}'s review comment",
                        {"thread": root.id, "text": text[:200]}) as conn:
        new = _insert_comment(conn, root.item_id, root.id, project.coder, text)
        if root.resolved:
            conn.execute("UPDATE review_comments SET resolved = NULL, resolved_by = NULL WHERE id = ?", (root.id,))
    return comment(project, new)


def resolve(project: Project, comment_id: str, *, reopen: bool = False) -> Comment:
    """Mark a thread resolved (or open again)."""
    root = _root(project, comment(project, comment_id))
    if reopen == (root.resolved is None):
        return root
    verb = "reopen" if reopen else "resolve"
    with project.action("review-resolve", f"{verb} review thread by {root.author}",
                        {"thread": root.id, "reopen": reopen}) as conn:
        if reopen:
            conn.execute("UPDATE review_comments SET resolved = NULL, resolved_by = NULL WHERE id = ?", (root.id,))
        else:
            conn.execute("UPDATE review_comments SET resolved = ?, resolved_by = ? WHERE id = ?",
                         (now(), project.coder, root.id))
    return comment(project, root.id)


def mark_reviewer(project: Project) -> None:
    """Record the current coder's role as supervisor (not a user action)."""
    with project.db.transaction() as conn:
        conn.execute("UPDATE coders SET role = 'supervisor' WHERE name = ?", (project.coder,))


# -- the walk ---------------------------------------------------------------------------------
@dataclass(slots=True)
class WalkStep:
    kind: str                  # 'theme' | 'mapping'
    theme: Theme
    path: str                  # "Theme › Subtheme"
    depth: int
    code: Code | None = None
    status: str = "proposed"
    item: ReviewItem | None = None
    codings: list[Coding] = field(default_factory=list)   # the code's quotes (mappings)

    @property
    def label(self) -> str:
        return self.path if self.code is None else f"{self.code.label}  (in {self.path})"


def walk(project: Project, *, with_codings: bool = True) -> list[WalkStep]:
    """Every theme in tree order, then each of its codes with the code's quotes (left empty
    with `with_codings=False`, for a UI that loads the quotes of one step at a time)."""
    from themecoder.core.themes import flatten, theme_tree

    items = {(i.target_type, i.theme_id, i.code_id): i for i in review_items(project)}
    steps: list[WalkStep] = []
    paths: dict[str, str] = {}
    for node in flatten(theme_tree(project)):
        t = node.theme
        path = f"{paths[t.parent_id]} › {t.name}" if t.parent_id in paths else t.name
        paths[t.id] = path
        item = items.get(("theme", t.id, ""))
        steps.append(WalkStep("theme", t, path, node.depth, None, item.status if item else "proposed", item))
        for c in node.codes:
            item = items.get(("mapping", t.id, c.id))
            steps.append(WalkStep("mapping", t, path, node.depth, c, item.status if item else "proposed", item,
                                  store.codings.codings_for_code(project.db, c.id) if with_codings else []))
    return steps


def progress(project: Project) -> dict[str, int]:
    """How many themes and mappings have which status."""
    counts = {s: 0 for s in STATUSES}
    for step in walk(project, with_codings=False):
        counts[step.status] += 1
    return counts


# -- what changed since the last review ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReviewPoint:
    action_id: int          # changes after this action are "since the review"
    time: str
    reviewer: str | None
    source: str             # 'local' | 'import'


@dataclass(frozen=True, slots=True)
class Change:
    action_id: int
    time: str
    coder: str | None
    category: str           # code-added, code-renamed, code-merged, code-split, code-deleted,
                            # code-moved, code-mapped, code-unmapped, theme-added,
                            # theme-renamed, theme-moved, theme-deleted, theme-edited,
                            # codings-added, codings-removed
    text: str


@dataclass(frozen=True, slots=True)
class ChangeReport:
    since: ReviewPoint | None
    changes: tuple[Change, ...]

    def by_category(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = defaultdict(list)
        for c in self.changes:
            out[c.category].append(c)
        return dict(out)


def last_review(project: Project, *, reviewer: str | None = None) -> ReviewPoint | None:
    """The latest review: by `reviewer`, or by anyone but the current coder."""
    db = project.db
    marks = ",".join("?" for _ in REVIEW_KINDS[:2])
    if reviewer is None:
        row = db.query_one(
            f"SELECT id, time, coder FROM actions WHERE kind IN ({marks}) AND undone = 0 "
            "AND coder IS NOT ? ORDER BY id DESC LIMIT 1", (*REVIEW_KINDS[:2], project.coder))
    else:
        row = db.query_one(
            f"SELECT id, time, coder FROM actions WHERE kind IN ({marks}) AND undone = 0 "
            "AND coder = ? ORDER BY id DESC LIMIT 1", (*REVIEW_KINDS[:2], reviewer))
    best = None if row is None else ReviewPoint(row[0], row[1], row[2], "local")
    for r in db.query("SELECT reviewer, exported, base_action_id FROM review_imports ORDER BY imported"):
        if reviewer is not None and r[0] != reviewer:
            continue
        if r[2] is None:
            continue
        point = ReviewPoint(int(r[2]), r[1] or "", r[0], "import")
        if best is None or (point.time or "") > (best.time or ""):
            best = point
    return best


_TRACKED = ("codes", "code_themes", "themes", "codings")


def changes_since(project: Project, since: int | None = None, *, reviewer: str | None = None) -> ChangeReport:
    """Codes added, renamed, merged, split, deleted, moved between themes; themes added,
    renamed, moved, deleted; codings added or removed — since the last review (or since
    action `since`). Undone actions and the review's own actions are left out."""
    point = None
    if since is None:
        point = last_review(project, reviewer=reviewer)
        since = point.action_id if point else 0
    else:
        point = ReviewPoint(since, project.db.scalar("SELECT time FROM actions WHERE id = ?", (since,)) or "",
                            None, "local")
    actions = [a for a in actionlog.history(project.db, since=since)
               if a.undone == 0 and a.reverts is None and not a.kind.startswith("review-")]
    if not actions:
        return ChangeReport(point, ())
    rows_of: dict[int, list[tuple[str, str, dict | None, dict | None]]] = defaultdict(list)
    marks = ",".join("?" for _ in _TRACKED)
    wanted = {a.id for a in actions}
    for r in project.db.query(
        f"SELECT action_id, tbl, op, old, new FROM changes WHERE action_id > ? AND tbl IN ({marks}) ORDER BY seq",
        (since, *_TRACKED),
    ):
        if r[0] in wanted:
            rows_of[r[0]].append((r[1], r[2], decode_row(r[3]), decode_row(r[4])))
    # Names: what the log itself says, else the project now.
    code_label = {r[0]: r[1] for r in project.db.query("SELECT old_id, old_label FROM code_aliases")}
    theme_name: dict[str, str] = {}
    for rows in rows_of.values():
        for tbl, _, old, new in rows:
            for row in (old, new):
                if row and tbl == "codes":
                    code_label.setdefault(row["id"], row["label"])
                if row and tbl == "themes":
                    theme_name.setdefault(row["id"], row["name"])
    code_label.update({c.id: c.label for c in store.codes.codes(project.db)})
    theme_name.update({t.id: t.name for t in store.themes.themes(project.db)})

    def cl(cid: str) -> str:
        return f"«{code_label.get(cid, cid[:8])}»"

    def tn(tid: str | None) -> str:
        return "the top level" if tid is None else f"«{theme_name.get(tid, tid[:8])}»"

    out: list[Change] = []
    added_codings: dict[str | None, int] = defaultdict(int)
    removed_codings: dict[str | None, int] = defaultdict(int)
    for a in actions:
        rows = rows_of.get(a.id, [])

        def emit(category: str, text: str) -> None:
            out.append(Change(a.id, a.time, a.coder, category, text))

        if a.kind == "merge-codes":
            merged = ", ".join(f"«{m['label']}»" for m in a.details.get("merged", []))
            emit("code-merged", f"{merged} merged into «{a.details.get('into', '?')}»")
            continue
        if a.kind == "split-code":
            emit("code-split", f"{a.details.get('codings', '?')} codings of «{a.details.get('code', '?')}» "
                               f"split off into «{a.details.get('new', '?')}»")
            continue
        mapping_ins: dict[str, list[str]] = defaultdict(list)
        mapping_del: dict[str, list[str]] = defaultdict(list)
        deleted_themes: set[str] = set()
        deleted_codes: set[str] = set()
        for tbl, op, old, new in rows:
            if tbl == "codes":
                if op == "I":
                    emit("code-added", f"code {cl(new['id'])} added")
                elif op == "D":
                    deleted_codes.add(old["id"])
                    emit("code-deleted", f"code «{old['label']}» deleted")
                elif old["label"] != new["label"]:
                    emit("code-renamed", f"code «{old['label']}» renamed «{new['label']}»")
            elif tbl == "themes":
                if op == "I":
                    where = f" under {tn(new['parent_id'])}" if new["parent_id"] else ""
                    emit("theme-added", f"theme «{new['name']}» added{where}")
                elif op == "D":
                    deleted_themes.add(old["id"])
                    emit("theme-deleted", f"theme «{old['name']}» deleted")
                else:
                    if old["name"] != new["name"]:
                        emit("theme-renamed", f"theme «{old['name']}» renamed «{new['name']}»")
                    if old["parent_id"] != new["parent_id"]:
                        emit("theme-moved", f"theme «{new['name']}» moved from {tn(old['parent_id'])} "
                                            f"to {tn(new['parent_id'])}")
                    edited = [f for f in ("description", "analytic_text", "condensate", "key_coding_id")
                              if old[f] != new[f]]
                    if edited:
                        emit("theme-edited", f"theme «{new['name']}»: {', '.join(f.replace('_', ' ') for f in edited)} changed")
            elif tbl == "code_themes":
                if op == "I":
                    mapping_ins[new["code_id"]].append(new["theme_id"])
                elif op == "D":
                    mapping_del[old["code_id"]].append(old["theme_id"])
            elif tbl == "codings":
                if op == "I":
                    added_codings[a.coder] += 1
                elif op == "D" and old["code_id"] not in deleted_codes:
                    removed_codings[a.coder] += 1
        for code_id in dict.fromkeys([*mapping_del, *mapping_ins]):
            if code_id in deleted_codes:
                continue
            froms = [t for t in mapping_del.get(code_id, []) if t not in deleted_themes]
            tos = mapping_ins.get(code_id, [])
            if froms and tos:
                emit("code-moved", f"{cl(code_id)} moved from {', '.join(tn(t) for t in froms)} "
                                   f"to {', '.join(tn(t) for t in tos)}")
            elif tos:
                emit("code-mapped", f"{cl(code_id)} put in {', '.join(tn(t) for t in tos)}")
            elif froms:
                emit("code-unmapped", f"{cl(code_id)} taken out of {', '.join(tn(t) for t in froms)}")
    last = actions[-1]
    for who, n in added_codings.items():
        out.append(Change(last.id, last.time, who, "codings-added", f"{n} codings added" + (f" by {who}" if who else "")))
    for who, n in removed_codings.items():
        out.append(Change(last.id, last.time, who, "codings-removed", f"{n} codings removed" + (f" by {who}" if who else "")))
    return ChangeReport(point, tuple(out))


# -- review on a copy: export and import -----------------------------------------------------
def _base_action(project: Project) -> dict | None:
    """The newest action that is not review work: where the copy left the student's project."""
    rows = project.db.query(
        "SELECT a.id, a.time, a.kind, r.kind FROM actions a LEFT JOIN actions r ON r.id = a.reverts "
        "ORDER BY a.id DESC")
    for aid, time, kind, reverted_kind in rows:
        if kind.startswith("review-"):
            continue
        if kind in ("undo", "redo") and (reverted_kind or "").startswith("review-"):
            continue
        return {"id": aid, "time": time}
    return None


def export_review(project: Project, path: str | Path | None = None, *, reviewer: str | None = None) -> dict:
    """The review (statuses and comments, with ids and labels) as a dict; written to `path`
    as JSON when given. `reviewer` limits it to one reviewer's statuses and comments."""
    items = review_items(project)
    base = _base_action(project)
    since = base["time"] if base else ""
    codes = {c.id: c.label for c in store.codes.codes(project.db)}
    themes = {t.id: t.name for t in store.themes.themes(project.db)}
    out_items: list[dict] = []
    out_comments: list[dict] = []
    reviewers: set[str] = set()     # who did review work after the copy was made
    everyone: set[str] = set()
    for item in items:
        # Whole threads travel (the student's answers included); with `reviewer`, only the
        # threads that reviewer started.
        mine = [c for t in item.threads if reviewer is None or t.root.author == reviewer
                for c in t.comments]
        has_status = item.status_set is not None and (reviewer is None or item.status_by == reviewer)
        if not has_status and not mine:
            continue
        if has_status and item.status_by:
            everyone.add(item.status_by)
            if (item.status_set or "") > since:
                reviewers.add(item.status_by)
        for c in mine:
            if c.parent_id is None:
                everyone.add(c.author)
                if c.created > since:
                    reviewers.add(c.author)
        theme_label = themes.get(item.theme_id, item.theme_name)
        code_label = codes.get(item.code_id, item.code_label) if item.code_id else None
        out_items.append({
            "id": item.id,
            "target": item.target_type,
            "theme": {"id": item.theme_id, "name": theme_label},
            "code": {"id": item.code_id, "label": code_label} if item.code_id else None,
            "mapping_id": item.mapping_id,
            "status": item.status if has_status else None,
            "status_by": item.status_by if has_status else None,
            "status_set": item.status_set if has_status else None,
            "created": item.created,
        })
        for c in mine:
            out_comments.append({
                "id": c.id, "item_id": c.item_id, "parent_id": c.parent_id, "author": c.author,
                "text": c.text, "created": c.created, "resolved": c.resolved, "resolved_by": c.resolved_by,
            })
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "review_id": new_id(),
        "project": {"id": project.id, "name": project.name},
        "exported": now(),
        "exported_by": project.coder,
        "reviewers": sorted(reviewers or everyone),
        "base_action": base,
        "items": out_items,
        "comments": out_comments,
    }
    if path is not None:
        path = Path(path)
        if not path.parent.exists():
            raise UserError(f"folder {path.parent} does not exist")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
    return data


@dataclass(slots=True)
class ImportReport:
    reviewers: list[str]
    items_added: int = 0
    statuses_updated: int = 0
    statuses_kept: int = 0          # the project had a newer status for the same target
    comments_added: int = 0
    comments_resolved: int = 0
    unchanged: int = 0              # items and comments that were already there
    retargeted: list[str] = field(default_factory=list)   # followed a merged code
    orphaned: list[str] = field(default_factory=list)     # reviewed targets that no longer exist
    already_imported: bool = False
    action_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.items_added or self.statuses_updated or self.comments_added or self.comments_resolved)

    def lines(self) -> list[str]:
        who = ", ".join(self.reviewers) or "unknown reviewer"
        out = [f"review by {who}: {self.items_added} new items, {self.statuses_updated} statuses, "
               f"{self.comments_added} comments, {self.comments_resolved} threads resolved"]
        if not self.changed:
            out[0] = f"review by {who}: nothing new" + (" (this file was imported before)" if self.already_imported else "")
        if self.statuses_kept:
            out.append(f"{self.statuses_kept} statuses kept: the project has a newer one")
        for r in self.retargeted:
            out.append(f"followed a merge: {r}")
        for o in self.orphaned:
            out.append(f"conflict: {o} no longer exists; kept as an orphaned review item")
        return out


def _load(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path.name}: not a review file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{path.name}: not a themecoder review file")
    if data.get("version") != FORMAT_VERSION:
        raise UserError(f"{path.name}: review format version {data.get('version')} is not supported; upgrade themecoder")
    for key in ("items", "comments"):
        if not isinstance(data.get(key), list):
            raise UserError(f"{path.name}: the review file has no {key} list")
    return data


def _str(d: Any, key: str, required: bool = True) -> str | None:
    v = d.get(key) if isinstance(d, dict) else None
    if v is None and not required:
        return None
    if not isinstance(v, str) or (required and not v):
        raise UserError(f"review file: an entry lacks {key!r}")
    return v


def import_review(project: Project, path: str | Path, *, force: bool = False, dry_run: bool = False) -> ImportReport:
    """Merge a review file into the project. Writes review rows only, in one action under the
    reviewer's name. A second import of the same file is a no-op."""
    from themecoder.core.codebook import resolve_alias

    data = _load(path)
    src_project = data.get("project") or {}
    if not force and src_project.get("id") and project.id and src_project["id"] != project.id:
        raise Conflict(f"{Path(path).name} is a review of another project ({src_project.get('name')!r}); "
                       "use --force to import it anyway")
    db = project.db
    report = ImportReport(list(data.get("reviewers") or []))
    review_id = data.get("review_id") or ""
    report.already_imported = bool(db.scalar("SELECT 1 FROM review_imports WHERE id = ?", (review_id,)))
    themes = {r[0] for r in db.query("SELECT id FROM themes")}
    mapped = {(r[0], r[1]) for r in db.query("SELECT code_id, theme_id FROM code_themes")}
    code_names = {r[0]: r[1] for r in db.query("SELECT id, label FROM codes")}
    local = {(r["target_type"], r["theme_id"], r["code_id"]): r for r in db.query("SELECT * FROM review_items")}
    local_ids = {r["id"] for r in local.values()}
    plan_items: list[tuple] = []           # inserts
    plan_status: list[tuple] = []          # updates
    item_map: dict[str, str] = {}          # file item id -> local item id
    for it in data["items"]:
        target = _str(it, "target")
        if target not in ("theme", "mapping"):
            raise UserError(f"review file: unknown target {target!r}")
        theme = it.get("theme") or {}
        theme_id, theme_label = _str(theme, "id"), theme.get("name") or ""
        code = it.get("code") or {}
        code_id, code_label = (code.get("id") or "", code.get("label") or "") if target == "mapping" else ("", "")
        if target == "mapping" and not code_id:
            raise UserError("review file: a mapping without a code id")
        desc = f"theme «{theme_label}»" if target == "theme" else f"«{code_label}» in «{theme_label}»"
        if target == "mapping" and code_id not in code_names:
            alias = resolve_alias(project, code_id)
            if alias and alias != code_id and (alias, theme_id) in mapped:
                report.retargeted.append(f"{desc} → «{code_names.get(alias, alias[:8])}»")
                code_id = alias
        exists = theme_id in themes if target == "theme" else (code_id, theme_id) in mapped
        if not exists:
            report.orphaned.append(desc)
        key = (target, theme_id, code_id)
        status, status_set = it.get("status"), it.get("status_set")
        if status is not None:
            status = check_status(status)
        row = local.get(key)
        if row is None:
            item_id = it.get("id") if it.get("id") and it["id"] not in local_ids else new_id()
            local_ids.add(item_id)
            plan_items.append((item_id, target, theme_id, code_id, theme_label, code_label,
                               status or "proposed", it.get("status_by") if status else None,
                               status_set if status else None, it.get("created") or now()))
            local[key] = {"id": item_id, "status": status, "status_set": status_set}
            report.items_added += 1
        else:
            item_id = row["id"]
            if status is not None and status_set:
                if row["status_set"] is None or status_set > row["status_set"]:
                    if (row["status"], row["status_set"]) != (status, status_set):
                        plan_status.append((status, it.get("status_by"), status_set, item_id))
                        report.statuses_updated += 1
                elif status_set < row["status_set"]:
                    report.statuses_kept += 1
                else:
                    report.unchanged += 1
            else:
                report.unchanged += 1
        item_map[_str(it, "id")] = item_id
    # Comments: roots before replies; known ids are skipped (or only pick up a resolution).
    existing = {r["id"]: r for r in db.query("SELECT id, resolved FROM review_comments")}
    plan_comments: list[tuple] = []
    plan_resolve: list[tuple] = []
    incoming = sorted(data["comments"], key=lambda c: (c.get("parent_id") is not None, c.get("created") or ""))
    seen_ids = set(existing)
    for c in incoming:
        cid = _str(c, "id")
        if cid in existing:
            if c.get("resolved") and existing[cid]["resolved"] is None:
                plan_resolve.append((c["resolved"], c.get("resolved_by"), cid))
                report.comments_resolved += 1
            else:
                report.unchanged += 1
            continue
        item_id = item_map.get(_str(c, "item_id"))
        if item_id is None:
            raise UserError(f"review file: comment {cid[:8]} belongs to no item in the file")
        parent = c.get("parent_id")
        if parent is not None and parent not in seen_ids:
            parent = None  # its thread is missing: keep the comment as a thread of its own
        plan_comments.append((cid, item_id, parent, _str(c, "author"), _str(c, "text"), _str(c, "created"),
                              c.get("resolved"), c.get("resolved_by")))
        seen_ids.add(cid)
        report.comments_added += 1
    if dry_run or not report.changed:
        return report
    reviewers = report.reviewers
    # The importing user owns the action, so their ctrl+z can take the whole import out again;
    # the reviewers are in the details and in review_imports.
    coder = project.coder
    base = data.get("base_action") or {}
    base_id = None
    if base.get("id") is not None and db.scalar("SELECT time FROM actions WHERE id = ?", (base["id"],)) == base.get("time"):
        base_id = int(base["id"])
    summary = (f"review by {', '.join(reviewers) or 'unknown'} imported from {Path(path).name}: "
               f"{report.statuses_updated + sum(1 for p in plan_items if p[8])} statuses, {report.comments_added} comments")
    with db.action("review-import", summary, coder=coder,
                   details={"review_id": review_id, "file": Path(path).name, "reviewers": reviewers,
                            "imported_by": project.coder, "orphaned": report.orphaned}) as conn:
        action_id = conn.execute("SELECT action_id FROM capture WHERE one = 1").fetchone()[0]
        conn.executemany(
            "INSERT INTO review_items(id, target_type, theme_id, code_id, theme_name, code_label, status, "
            "status_by, status_set, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", plan_items)
        conn.executemany("UPDATE review_items SET status = ?, status_by = ?, status_set = ? WHERE id = ?", plan_status)
        conn.executemany(
            "INSERT INTO review_comments(id, item_id, parent_id, author, text, created, resolved, resolved_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", plan_comments)
        conn.executemany("UPDATE review_comments SET resolved = ?, resolved_by = ? WHERE id = ?", plan_resolve)
        conn.execute(
            "INSERT OR IGNORE INTO review_imports(id, reviewer, exported, base_action_id, source, imported) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (review_id or new_id(), ", ".join(reviewers), data.get("exported"),
             base_id if base_id is not None else action_id - 1, Path(path).name, now()))
    report.action_id = action_id
    return report


# -- the summary for the supervision meeting -------------------------------------------------
@dataclass(slots=True)
class SummaryCode:
    code: Code
    codings: int
    participants: int
    status: str
    item: ReviewItem | None


@dataclass(slots=True)
class SummaryTheme:
    theme: Theme
    path: str
    depth: int
    status: str
    item: ReviewItem | None
    codes: list[SummaryCode]
    key_quote: Coding | None
    codings: int
    participants: int
    subthemes: int = 0


@dataclass(slots=True)
class ReviewSummary:
    project: str
    generated: str
    reviewers: list[str]
    themes: list[SummaryTheme]
    unthemed: list[Code]
    orphans: list[ReviewItem]
    progress: dict[str, int]
    open_threads: int
    changes: ChangeReport


def summary(project: Project) -> ReviewSummary:
    from themecoder.core.themes import flatten, theme_tree, unthemed_codes

    items = {(i.target_type, i.theme_id, i.code_id): i for i in review_items(project)}
    unit_of_doc = {d.id: d.participant_id or f"doc:{d.id}" for d in store.documents.documents(project.db)}
    per_code: dict[str, list[str]] = defaultdict(list)
    for r in project.db.query("SELECT code_id, document_id FROM codings"):
        per_code[r[0]].append(r[1])
    themes = []
    paths: dict[str, str] = {}
    for node in flatten(theme_tree(project)):
        t = node.theme
        path = f"{paths[t.parent_id]} › {t.name}" if t.parent_id in paths else t.name
        paths[t.id] = path
        titem = items.get(("theme", t.id, ""))
        codes = []
        for c in node.codes:
            citem = items.get(("mapping", t.id, c.id))
            docs = per_code.get(c.id, [])
            codes.append(SummaryCode(c, len(docs), len({unit_of_doc[d] for d in docs}),
                                     citem.status if citem else "proposed", citem))
        key = None
        if t.key_coding_id:
            try:
                key = store.codings.coding(project.db, t.key_coding_id)
            except NotFound:
                key = None
        themes.append(SummaryTheme(t, path, node.depth, titem.status if titem else "proposed", titem, codes,
                                   key, node.codings, node.participants, len(node.children)))
    all_items = list(items.values())
    reviewers = sorted({i.status_by for i in all_items if i.status_by} |
                       {t.root.author for i in all_items for t in i.threads})
    return ReviewSummary(
        project.name, now(), reviewers, themes, unthemed_codes(project),
        [i for i in all_items if i.orphaned], progress(project),
        sum(len(i.open_threads) for i in all_items), changes_since(project),
    )
