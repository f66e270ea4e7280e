"""Memos: reads, and the one writer of the `memos` table (rules: core.memos)."""
from __future__ import annotations

import sqlite3

from themecoder.model import (
    Memo,
)
from themecoder.store.db import Database


def _memo(r: sqlite3.Row) -> Memo:
    return Memo(r["id"], r["target_type"], r["target_id"], r["title"], r["text"], r["author"],
                r["created"], r["modified"])


def memos(db: Database, target_type: str | None = None, target_id: str | None = None) -> list[Memo]:
    if target_type is None:
        rows = db.query("SELECT * FROM memos ORDER BY created")
    elif target_id is None:
        rows = db.query("SELECT * FROM memos WHERE target_type = ? ORDER BY created", (target_type,))
    else:
        rows = db.query("SELECT * FROM memos WHERE target_type = ? AND target_id = ? ORDER BY created",
                        (target_type, target_id))
    return [_memo(r) for r in rows]


def memo(db: Database, memo_id: str) -> Memo | None:
    r = db.query_one("SELECT * FROM memos WHERE id = ?", (memo_id,))
    return None if r is None else _memo(r)


_TARGET_TABLES = {"document": "documents", "code": "codes", "theme": "themes", "coding": "codings"}


def target_exists(db: Database, target_type: str, target_id: str | None) -> bool:
    table = _TARGET_TABLES[target_type]
    return db.scalar(f"SELECT 1 FROM {table} WHERE id = ?", (target_id,)) is not None


def count_for_code(db: Database, code_id: str) -> int:
    """Memos on a code and on its codings."""
    return db.scalar(
        "SELECT count(*) FROM memos WHERE (target_type = 'code' AND target_id = ?) OR "
        "(target_type = 'coding' AND target_id IN (SELECT id FROM codings WHERE code_id = ?))",
        (code_id, code_id)) or 0


# -- writes ------------------------------------------------------------------------------------
def insert(conn: sqlite3.Connection, memo_id: str, target_type: str, target_id: str | None, *, title: str,
           text: str, author: str | None, created: str, modified: str) -> None:
    conn.execute(
        "INSERT INTO memos(id, target_type, target_id, title, text, author, created, modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (memo_id, target_type, target_id, title, text, author, created, modified),
    )


def update(conn: sqlite3.Connection, memo_id: str, *, text: str, title: str, modified: str) -> None:
    conn.execute("UPDATE memos SET text = ?, title = ?, modified = ? WHERE id = ?", (text, title, modified, memo_id))


def retarget(conn: sqlite3.Connection, target_type: str, old_id: str, new_id: str) -> int:
    """Memos on `old_id` now belong to `new_id` (after a merge). Returns how many."""
    return conn.execute("UPDATE memos SET target_id = ? WHERE target_type = ? AND target_id = ?",
                        (new_id, target_type, old_id)).rowcount


def delete(conn: sqlite3.Connection, memo_id: str) -> None:
    conn.execute("DELETE FROM memos WHERE id = ?", (memo_id,))


def delete_for(conn: sqlite3.Connection, target_type: str, target_id: str) -> int:
    """Every memo on one thing."""
    return conn.execute("DELETE FROM memos WHERE target_type = ? AND target_id = ?",
                        (target_type, target_id)).rowcount


def delete_for_codings_of(conn: sqlite3.Connection, *, code_id: str | None = None,
                          document_id: str | None = None) -> int:
    """Memos on the codings of a code or of a document (before those codings go)."""
    col, value = ("code_id", code_id) if code_id is not None else ("document_id", document_id)
    return conn.execute(
        f"DELETE FROM memos WHERE target_type = 'coding' AND target_id IN (SELECT id FROM codings WHERE {col} = ?)",
        (value,)).rowcount


def exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM memos WHERE id = ?", (row_id,)).fetchone() is not None
