"""Memos on the project, a document, a code, a theme or a coding."""
from __future__ import annotations

from themecoder.errors import NotFound, UserError
from themecoder.model import Memo
from themecoder.core.project import Project, new_id
from themecoder import store
from themecoder.store.db import now

TARGET_TABLES = {"document": "documents", "code": "codes", "theme": "themes", "coding": "codings"}


def add_memo(project: Project, target_type: str, target_id: str | None, text: str, *, title: str = "") -> Memo:
    if target_type != "project" and target_type not in TARGET_TABLES:
        raise UserError(f"a memo belongs to the project, a document, a code, a theme or a coding, not {target_type!r}")
    if target_type != "project":
        table = TARGET_TABLES[target_type]
        if project.db.scalar(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)) is None:
            raise NotFound(f"no {target_type} with id {target_id}")
    else:
        target_id = None
    if not text.strip():
        raise UserError("the memo is empty")
    memo_id = new_id()
    stamp = now()
    with project.action("add-memo", f"memo on {target_type}", {"target_type": target_type}) as conn:
        conn.execute(
            "INSERT INTO memos(id, target_type, target_id, title, text, author, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (memo_id, target_type, target_id, title, text, project.coder, stamp, stamp),
        )
    return _get(project, memo_id)


def edit_memo(project: Project, memo_id: str, text: str, *, title: str | None = None) -> Memo:
    memo = _get(project, memo_id)
    with project.action("edit-memo", f"edit memo on {memo.target_type}") as conn:
        conn.execute(
            "UPDATE memos SET text = ?, title = ?, modified = ? WHERE id = ?",
            (text, memo.title if title is None else title, now(), memo_id),
        )
    return _get(project, memo_id)


def delete_memo(project: Project, memo_id: str) -> None:
    memo = _get(project, memo_id)
    with project.action("delete-memo", f"delete memo on {memo.target_type}") as conn:
        conn.execute("DELETE FROM memos WHERE id = ?", (memo_id,))


def _get(project: Project, memo_id: str) -> Memo:
    for m in store.memos.memos(project.db):
        if m.id == memo_id:
            return m
    raise NotFound(f"no memo with id {memo_id}")
