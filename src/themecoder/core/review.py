"""Supervisor review: statuses and comment threads on themes and code-to-theme mappings.

A review item is a theme, or a mapping (code, theme), with a status (proposed, approved,
needs revision) and comment threads that the student answers and resolves. Every status and
comment is an action under the reviewer's name (undoable, in the action log).

The rules (status names, non-empty comments, replies on a thread's root, labels that follow
the current names) are here, in the `*_in` functions that write inside an open action: the
operations below and the review import (core.review_exchange) both go through them.
Related modules: core.review_changes (what changed since the last review),
core.review_exchange (review on a copy: export and import), core.review_overview (the
summary for the supervision meeting).
"""
from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from themecoder import store
from themecoder.core.project import Project, new_id
from themecoder.core.text import clean_text as _clean
from themecoder.errors import NotFound, UserError
from themecoder.model import Code, Coding, Theme
from themecoder.store import reviews
from themecoder.store.db import now

STATUSES = ("proposed", "approved", "needs-revision")
STATUS_LABELS = {"proposed": "proposed", "approved": "approved", "needs-revision": "needs revision"}
# Actions that are the reviewer's work (the student's replies and resolutions are not).
REVIEW_KINDS = ("review-status", "review-comment", "review-import")
STUDENT_REVIEW_KINDS = ("review-reply", "review-resolve")
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


def clean_text(text: str | None) -> str:
    text = _clean(text or "").strip()  # no control characters (issue 18.9)
    if not text:
        raise UserError("the comment is empty")
    return text


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


def _comment(r: sqlite3.Row) -> Comment:
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
    themes = {t.id: t.name for t in store.themes.themes(db)}
    codes = {c.id: c.label for c in store.codes.codes(db)}
    mapped = set(store.themes.code_theme_pairs(db))
    by_item: dict[str, list[Comment]] = defaultdict(list)
    for r in reviews.comments(db):
        by_item[r["item_id"]].append(_comment(r))
    items = []
    for r in reviews.items(db):
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
    status = reviews.status(project.db, "mapping" if code_id else "theme", theme_id, code_id or "")
    return status or "proposed"


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


# -- writing inside an open action: the rules, whatever the door -------------------------------
def ensure_item_in(conn: sqlite3.Connection, target_type: str, theme_id: str, code_id: str, theme_name: str,
                   code_label: str, *, item_id: str | None = None, created: str | None = None,
                   follow_labels: bool = True) -> str:
    """The item of a target, created if needed; with `follow_labels` its labels follow the
    names given (the current ones). `item_id`/`created` keep those of a review file."""
    if target_type not in ("theme", "mapping"):
        raise UserError(f"unknown review target {target_type!r}")
    if target_type == "mapping" and not code_id:
        raise UserError("a reviewed mapping needs a code")
    code_id = code_id if target_type == "mapping" else ""
    row = reviews.item_row(conn, target_type, theme_id, code_id)
    if row is None:
        item_id = item_id or new_id()
        reviews.insert_item(conn, item_id, target_type, theme_id, code_id, theme_name, code_label,
                            created or now())
        return item_id
    if follow_labels and (row["theme_name"], row["code_label"]) != (theme_name, code_label):
        reviews.set_item_labels(conn, row["id"], theme_name, code_label)
    return row["id"]


def set_status_in(conn: sqlite3.Connection, item_id: str, status: str, by: str | None, when: str | None) -> str:
    status = check_status(status)
    reviews.set_item_status(conn, item_id, status, by, when)
    return status


def add_comment_in(conn: sqlite3.Connection, item_id: str, parent_id: str | None, author: str, text: str, *,
                   comment_id: str | None = None, created: str | None = None, resolved: str | None = None,
                   resolved_by: str | None = None) -> str:
    """A root comment (parent_id None) or a reply on a thread's root."""
    if not (author or "").strip():
        raise UserError("a review comment needs an author")
    comment_id = comment_id or new_id()
    reviews.insert_comment(conn, comment_id, item_id, parent_id, author, clean_text(text), created or now(),
                           resolved, resolved_by if resolved else None)
    return comment_id


def resolve_in(conn: sqlite3.Connection, root_id: str, by: str | None, when: str | None = None) -> None:
    reviews.set_resolved(conn, root_id, when or now(), by)


def reopen_in(conn: sqlite3.Connection, root_id: str) -> None:
    reviews.set_resolved(conn, root_id, None, None)


def retarget_in(conn: sqlite3.Connection, old_code: str, new_code: str) -> None:
    """A merged code's reviewed mappings follow it into `new_code`, unless the survivor has an
    item for the same theme: then that item keeps its status and the threads join it.
    (For core.codebook's merge, inside its action.)"""
    for item_id, theme_id in reviews.mapping_items_of_code(conn, old_code):
        taken = reviews.item_row(conn, "mapping", theme_id, new_code)
        if taken is None:
            reviews.set_item_code(conn, item_id, new_code)
        else:
            reviews.move_comments(conn, item_id, taken["id"])
            reviews.delete_item(conn, item_id)


# -- the operations ----------------------------------------------------------------------------
def _target(project: Project, theme_id: str, code_id: str | None) -> tuple[Theme, Code | None]:
    theme = store.themes.theme(project.db, theme_id)
    code = None
    if code_id:
        code = store.codes.code(project.db, code_id)
        if (code.id, theme.id) not in set(store.themes.code_theme_pairs(project.db)):
            raise UserError(f"«{code.label}» is not in theme «{theme.name}»")
    return theme, code


def _ensure_item(conn: sqlite3.Connection, theme: Theme, code: Code | None) -> str:
    """The item for a live target, created if needed; its labels follow the current names."""
    return ensure_item_in(conn, "mapping" if code else "theme", theme.id, code.id if code else "",
                          theme.name, code.label if code else "")


def _describe(theme: Theme, code: Code | None) -> str:
    return f"«{code.label}» in «{theme.name}»" if code else f"theme «{theme.name}»"


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
        set_status_in(conn, item_id, status, project.coder, now())
        if comment and comment.strip():
            add_comment_in(conn, item_id, None, project.coder, comment)
    return item_for(project, theme.id, code.id if code else None)  # type: ignore[return-value]


def set_theme_status(project: Project, theme_id: str, status: str, *, comment: str | None = None) -> ReviewItem:
    return set_status(project, theme_id, status, comment=comment)


def set_mapping_status(project: Project, code_id: str, theme_id: str, status: str, *,
                       comment: str | None = None) -> ReviewItem:
    return set_status(project, theme_id, status, code_id=code_id, comment=comment)


def add_comment(project: Project, theme_id: str, text: str, *, code_id: str | None = None) -> Comment:
    """Start a comment thread on a theme or a mapping."""
    text = clean_text(text)
    theme, code = _target(project, theme_id, code_id)
    what = _describe(theme, code)
    with project.action("review-comment", f"review comment on {what}",
                        {"theme_id": theme.id, "code_id": code.id if code else None, "target": what,
                         "text": text[:200]}) as conn:
        item_id = _ensure_item(conn, theme, code)
        comment_id = add_comment_in(conn, item_id, None, project.coder, text)
    return comment(project, comment_id)


def comment(project: Project, comment_id: str) -> Comment:
    ref = (comment_id or "").strip()
    rows = reviews.comments_by_ref(project.db, ref.lower())
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
    text = clean_text(text)
    root = _root(project, comment(project, comment_id))
    with project.action("review-reply", f"reply to {root.author}'s review comment",
                        {"thread": root.id, "text": text[:200]}) as conn:
        new = add_comment_in(conn, root.item_id, root.id, project.coder, text)
        if root.resolved:
            reopen_in(conn, root.id)
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
            reopen_in(conn, root.id)
        else:
            resolve_in(conn, root.id, project.coder)
    return comment(project, root.id)


def mark_reviewer(project: Project) -> None:
    """Record the current coder's role as supervisor (not a user action)."""
    with project.db.transaction() as conn:
        project.register_coder(conn)  # opening does not register the coder (issue 18.11)
        store.project.set_coder_role(conn, project.coder, "supervisor")


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


def walk(project: Project, *, with_codings: bool = True, unreviewed: bool = False,
         coder: str | None = None) -> list[WalkStep]:
    """Every theme in tree order, then each of its codes with the code's quotes (left empty
    with `with_codings=False`, for a UI that loads the quotes of one step at a time).
    `unreviewed=True`: only the steps no reviewer has given a status yet. `coder`: only that
    coder's codings (blind coding)."""
    from themecoder.core.themes import flatten, theme_tree

    items = {(i.target_type, i.theme_id, i.code_id): i for i in review_items(project)}
    steps: list[WalkStep] = []
    paths: dict[str, str] = {}
    for node in flatten(theme_tree(project, coder=coder)):
        t = node.theme
        path = f"{paths[t.parent_id]} › {t.name}" if t.parent_id in paths else t.name
        paths[t.id] = path
        item = items.get(("theme", t.id, ""))
        steps.append(WalkStep("theme", t, path, node.depth, None, item.status if item else "proposed", item))
        for c in node.codes:
            item = items.get(("mapping", t.id, c.id))
            steps.append(WalkStep("mapping", t, path, node.depth, c, item.status if item else "proposed", item,
                                  store.codings.codings_for_code(project.db, c.id, coder=coder) if with_codings else []))
    if unreviewed:
        return [s for s in steps if s.item is None or s.item.status_set is None]
    return steps


def progress(project: Project) -> dict[str, int]:
    """How many themes and mappings have which status."""
    counts = {s: 0 for s in STATUSES}
    for step in walk(project, with_codings=False):
        counts[step.status] += 1
    return counts
