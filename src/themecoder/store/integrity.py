"""Checks of the project file, and the one repair `verify --repair` makes."""
from __future__ import annotations

import sqlite3

from themecoder.store.db import Database


def sqlite_check(db: Database) -> str:
    """SQLite's own integrity check: "ok", or what is wrong."""
    return "; ".join(r[0] for r in db.query_tuples("PRAGMA integrity_check"))


def foreign_key_problems(db: Database) -> int:
    """How many rows point at a row that does not exist."""
    return len(db.query_tuples("PRAGMA foreign_key_check"))


def move_coding(conn: sqlite3.Connection, coding_id: str, start: int, end: int, quote: str,
                context_before: str, context_after: str) -> None:
    """Re-anchor a coding to where its quote is now."""
    # The same write as resizing a coding (core.coding); one store.codings writer at integration.
    conn.execute(
        "UPDATE codings SET start = ?, end = ?, quote = ?, context_before = ?, context_after = ? WHERE id = ?",
        (start, end, quote, context_before, context_after, coding_id),
    )
