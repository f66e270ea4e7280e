"""Memos on the project, a document, a code, a theme or a coding."""
from __future__ import annotations

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project, new_id
from themecoder.core.text import clean_text
from themecoder.errors import NotFound, UserError
from themecoder.model import Memo
from themecoder.store.db import now

TARGET_TYPES = ("project", "document", "code", "theme", "coding")


def check_target(project: Project, target_type: str, target_id: str | None) -> str | None:
    """The target id as stored (None for the project); UserError/NotFound if it is not there."""
    if target_type not in TARGET_TYPES:
        raise UserError(f"a memo belongs to the project, a document, a code, a theme or a coding, not {target_type!r}")
    if target_type == "project":
        return None
    if not store.memos.target_exists(project.db, target_type, target_id):
        raise NotFound(f"no {target_type} with id {target_id}")
    return target_id


def resolve_target(project: Project, target_type: str, ref: str | None) -> tuple[str, str | None]:
    """(type, id) of what a person names: a document by title, a code by label, a theme by
    name or path ("Relasjoner › Tillit"), a coding by id prefix; the project needs no ref."""
    if target_type not in TARGET_TYPES:
        check_target(project, target_type, None)
    if target_type == "project":
        return "project", None
    ref = ref or ""
    if target_type == "document":
        return target_type, resolve.document(project, ref).id
    if target_type == "code":
        return target_type, resolve.code(project, ref).id
    if target_type == "theme":
        return target_type, resolve.theme(project, ref).id
    return target_type, resolve.coding(project, ref).id


def new_memo(conn, project: Project, target_type: str, target_id: str | None, text: str, *, title: str = "",
             author: str | None = None, created: str | None = None, modified: str | None = None,
             memo_id: str | None = None, allow_empty: bool = False) -> str:
    """Write a memo inside the caller's action, with the rules; returns its id.

    `allow_empty` is for importers: a titled note without text is still a note there.
    """
    target_id = check_target(project, target_type, target_id)
    if not allow_empty and not (text or "").strip():
        raise UserError("the memo is empty")
    memo_id = memo_id or new_id()
    text, title = clean_text(text or ""), clean_text(title or "")  # no control characters (issue 18.9)
    stamp = now()
    store.memos.insert(conn, memo_id, target_type, target_id, title=title or "", text=text or "",
                       author=author or project.coder, created=created or stamp,
                       modified=modified or created or stamp)
    return memo_id


def add_memo(project: Project, target_type: str, target_id: str | None, text: str, *, title: str = "") -> Memo:
    target_id = check_target(project, target_type, target_id)
    if not text.strip():
        raise UserError("the memo is empty")
    with project.action("add-memo", f"memo on {target_type}", {"target_type": target_type}) as conn:
        memo_id = new_memo(conn, project, target_type, target_id, text, title=title)
    return _get(project, memo_id)


def add_memo_on(project: Project, target_type: str, ref: str | None, text: str, *, title: str = "") -> Memo:
    """A memo on something named the way a person names it (see resolve_target)."""
    target_type, target_id = resolve_target(project, target_type, ref)
    return add_memo(project, target_type, target_id, text, title=title)


def edit_memo(project: Project, memo_id: str, text: str, *, title: str | None = None) -> Memo:
    memo = _get(project, memo_id)
    with project.action("edit-memo", f"edit memo on {memo.target_type}") as conn:
        store.memos.update(conn, memo_id, text=clean_text(text),
                           title=memo.title if title is None else clean_text(title), modified=now())
    return _get(project, memo_id)


def delete_memo(project: Project, memo_id: str) -> None:
    memo = _get(project, memo_id)
    with project.action("delete-memo", f"delete memo on {memo.target_type}") as conn:
        store.memos.delete(conn, memo_id)


def _get(project: Project, memo_id: str) -> Memo:
    memo = store.memos.memo(project.db, memo_id)
    if memo is None:
        raise NotFound(f"no memo with id {memo_id}")
    return memo
