"""Memos: reads."""
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
