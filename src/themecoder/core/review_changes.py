"""What changed since the last review: codes and themes added, renamed, merged, split,
deleted, moved; mappings and codings added or removed.

Core returns structured records (what kind of change, its target, the old and new names, who,
when); the text is rendered at the edge, in nb or en, by io.review_change_text through the one
string table.

Derived from `review_history` (filled by triggers inside every user action, see
store.schema) and the action log, never from the undo data: purge-undo deletes that, and the
supervisor must still see what changed. A change undone is no change: an undone action's rows
stay in the history but are left out here (actions.undone), and come back if it is redone.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.review import REVIEW_KINDS
from themecoder.store import actionlog, reviews

# Columns of a theme whose change is "theme-edited".
_EDITED = ("description", "analytic_text", "condensate", "key_coding_id")


@dataclass(frozen=True, slots=True)
class ReviewPoint:
    action_id: int          # changes after this action are "since the review"
    time: str
    reviewer: str | None
    source: str             # 'local' | 'import'


@dataclass(frozen=True, slots=True)
class Change:
    """One change, as data. Names are plain (no quote marks); a theme of None in
    `from_themes`/`to_themes` (or `parent`) is the top level."""
    action_id: int
    time: str               # when
    coder: str | None       # who
    category: str           # the kind: code-added, code-renamed, code-merged, code-split,
                            # code-deleted, code-moved, code-mapped, code-unmapped, theme-added,
                            # theme-renamed, theme-moved, theme-deleted, theme-edited,
                            # codings-added, codings-removed
    target: str             # "code", "theme" or "codings"
    target_id: str | None = None
    name: str = ""          # the code or theme as it is named now (or was, when deleted)
    old_name: str | None = None     # renamed: before
    new_name: str | None = None     # renamed: after; merged, split: the code it went into
    merged: tuple[str, ...] = ()    # code-merged: the codes merged away
    from_themes: tuple[str | None, ...] = ()    # code-moved, code-unmapped, theme-moved
    to_themes: tuple[str | None, ...] = ()      # code-moved, code-mapped, theme-moved
    parent: str | None = None       # theme-added: the theme it was added under (None: top level)
    fields: tuple[str, ...] = ()    # theme-edited: description, analytic_text, condensate, key_coding_id
    count: int | None = None        # codings-added, codings-removed, code-split: how many

    @property
    def kind(self) -> str:
        return self.category


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
    # Statuses and comments set in this file (an import is dated by its file, below).
    local = REVIEW_KINDS[:2]
    if reviewer is None:
        row = reviews.last_action_of_kinds(db, local, not_coder=project.coder)
    else:
        row = reviews.last_action_of_kinds(db, local, coder=reviewer)
    best = None if row is None else ReviewPoint(row[0], row[1], row[2], "local")
    for who, exported, base_action_id in reviews.imports(db):
        if reviewer is not None and who != reviewer:
            continue
        if base_action_id is None:
            continue
        point = ReviewPoint(int(base_action_id), exported or "", who, "import")
        if best is None or (point.time or "") > (best.time or ""):
            best = point
    return best


def changes_since(project: Project, since: int | None = None, *, reviewer: str | None = None) -> ChangeReport:
    """Codes added, renamed, merged, split, deleted, moved between themes; themes added,
    renamed, moved, deleted; codings added or removed — since the last review (or since
    action `since`). Undone actions and the review's own actions are left out."""
    point = None
    if since is None:
        point = last_review(project, reviewer=reviewer)
        since = point.action_id if point else 0
    else:
        point = ReviewPoint(since, reviews.action_time(project.db, since) or "", None, "local")
    actions = [a for a in actionlog.history(project.db, since=since)
               if a.undone == 0 and a.reverts is None and not a.kind.startswith("review-")]
    if not actions:
        return ChangeReport(point, ())
    wanted = {a.id for a in actions}
    rows_of: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for r in reviews.history(project.db, since):
        if r["action_id"] in wanted:
            rows_of[r["action_id"]].append(r)
    names = _Names(project, rows_of)
    out: list[Change] = []
    added: dict[str | None, int] = defaultdict(int)
    removed: dict[str | None, int] = defaultdict(int)
    for a in actions:
        found, n_added, n_removed = _changes_of(a, rows_of.get(a.id, []), names)
        out.extend(found)
        if n_added:
            added[a.coder] += n_added
        if n_removed:
            removed[a.coder] += n_removed
    last = actions[-1]
    for who, n in added.items():
        out.append(Change(last.id, last.time, who, "codings-added", "codings", count=n))
    for who, n in removed.items():
        out.append(Change(last.id, last.time, who, "codings-removed", "codings", count=n))
    return ChangeReport(point, tuple(out))


class _Names:
    """Labels for the report: the project's now, else what the history recorded, else the
    label of a merged code."""

    def __init__(self, project: Project, rows_of: dict[int, list[sqlite3.Row]]) -> None:
        self.code_label = reviews.alias_labels(project.db)
        self.theme_name: dict[str, str] = {}
        for rows in rows_of.values():
            for r in rows:
                for name in (r["old_name"], r["new_name"]):
                    if name is not None and r["tbl"] == "codes":
                        self.code_label.setdefault(r["code_id"], name)
                    if name is not None and r["tbl"] == "themes":
                        self.theme_name.setdefault(r["theme_id"], name)
        self.code_label.update({c.id: c.label for c in store.codes.codes(project.db)})
        self.theme_name.update({t.id: t.name for t in store.themes.themes(project.db)})

    def code(self, code_id: str) -> str:
        return self.code_label.get(code_id, code_id[:8])

    def theme(self, theme_id: str | None) -> str | None:
        """The theme's name; None for the top level."""
        return None if theme_id is None else self.theme_name.get(theme_id, theme_id[:8])


def _changes_of(a: actionlog.Action, rows: list[sqlite3.Row], names: _Names) -> tuple[list[Change], int, int]:
    """The changes one action made, and how many codings it added and removed."""
    out: list[Change] = []

    def emit(category: str, target: str, **kw: Any) -> None:
        out.append(Change(a.id, a.time, a.coder, category, target, **kw))

    if a.kind == "merge-codes":
        merged = tuple(str(m.get("label", "?")) for m in a.details.get("merged", []))
        emit("code-merged", "code", name=str(a.details.get("into", "?")), new_name=str(a.details.get("into", "?")),
             merged=merged)
        return out, 0, 0
    if a.kind == "split-code":
        n = a.details.get("codings")
        emit("code-split", "code", name=str(a.details.get("code", "?")), old_name=str(a.details.get("code", "?")),
             new_name=str(a.details.get("new", "?")), count=n if isinstance(n, int) else None)
        return out, 0, 0
    mapping_ins: dict[str, list[str]] = defaultdict(list)
    mapping_del: dict[str, list[str]] = defaultdict(list)
    deleted_themes: set[str] = set()
    deleted_codes: set[str] = set()
    n_added = n_removed = 0
    for r in rows:
        tbl, op = r["tbl"], r["op"]
        if tbl == "codes":
            if op == "I":
                emit("code-added", "code", target_id=r["code_id"], name=names.code(r["code_id"]))
            elif op == "D":
                deleted_codes.add(r["code_id"])
                emit("code-deleted", "code", target_id=r["code_id"], name=r["old_name"], old_name=r["old_name"])
            elif r["old_name"] != r["new_name"]:
                emit("code-renamed", "code", target_id=r["code_id"], name=r["new_name"], old_name=r["old_name"],
                     new_name=r["new_name"])
        elif tbl == "themes":
            _theme_change(r, names, emit, deleted_themes)
        elif tbl == "code_themes":
            if op == "I":
                mapping_ins[r["code_id"]].append(r["theme_id"])
            elif op == "D":
                mapping_del[r["code_id"]].append(r["theme_id"])
        elif tbl == "codings":
            if op == "I":
                n_added += 1
            elif op == "D" and r["code_id"] not in deleted_codes:
                n_removed += 1
    for code_id in dict.fromkeys([*mapping_del, *mapping_ins]):
        if code_id in deleted_codes:
            continue
        froms = tuple(names.theme(t) for t in mapping_del.get(code_id, []) if t not in deleted_themes)
        tos = tuple(names.theme(t) for t in mapping_ins.get(code_id, []))
        code = names.code(code_id)
        if froms and tos:
            emit("code-moved", "code", target_id=code_id, name=code, from_themes=froms, to_themes=tos)
        elif tos:
            emit("code-mapped", "code", target_id=code_id, name=code, to_themes=tos)
        elif froms:
            emit("code-unmapped", "code", target_id=code_id, name=code, from_themes=froms)
    return out, n_added, n_removed


def _theme_change(r: sqlite3.Row, names: _Names, emit, deleted_themes: set[str]) -> None:
    op, old, new, tid = r["op"], r["old_name"], r["new_name"], r["theme_id"]
    if op == "I":
        emit("theme-added", "theme", target_id=tid, name=new, new_name=new, parent=names.theme(r["new_parent"]))
    elif op == "D":
        deleted_themes.add(tid)
        emit("theme-deleted", "theme", target_id=tid, name=old, old_name=old)
    else:
        fields = set((r["fields"] or "").split(","))
        if old != new:
            emit("theme-renamed", "theme", target_id=tid, name=new, old_name=old, new_name=new)
        if r["old_parent"] != r["new_parent"]:
            emit("theme-moved", "theme", target_id=tid, name=new, from_themes=(names.theme(r["old_parent"]),),
                 to_themes=(names.theme(r["new_parent"]),))
        edited = tuple(f for f in _EDITED if f in fields)
        if edited:
            emit("theme-edited", "theme", target_id=tid, name=new, fields=edited)


@dataclass(frozen=True, slots=True)
class ChangedTargets:
    """What the changes since the last review touched, by id (for highlighting items)."""
    themes: frozenset[str]
    codes: frozenset[str]                       # added, renamed, with codings added or removed
    mappings: frozenset[tuple[str, str]]        # (code id, theme id) put in or moved


def changed_targets(project: Project, since: int | None = None, *, reviewer: str | None = None) -> ChangedTargets:
    """The themes, codes and mappings touched since the last review (or action `since`), by
    the same rules as `changes_since`: undone actions and the review's own are left out."""
    if since is None:
        point = last_review(project, reviewer=reviewer)
        since = point.action_id if point else 0
    wanted = {a.id for a in actionlog.history(project.db, since=since)
              if a.undone == 0 and a.reverts is None and not a.kind.startswith("review-")}
    themes: set[str] = set()
    codes: set[str] = set()
    mappings: set[tuple[str, str]] = set()
    for r in reviews.history(project.db, since):
        if r["action_id"] not in wanted:
            continue
        if r["tbl"] == "themes" and r["theme_id"]:
            themes.add(r["theme_id"])
        elif r["tbl"] in ("codes", "codings") and r["code_id"]:
            codes.add(r["code_id"])
        elif r["tbl"] == "code_themes" and r["op"] == "I":
            mappings.add((r["code_id"], r["theme_id"]))
    return ChangedTargets(frozenset(themes), frozenset(codes), frozenset(mappings))
