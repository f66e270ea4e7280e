"""Checks of the project file (`verify`); its repair re-anchors codings through store.codings."""
from __future__ import annotations

from themecoder.store.db import Database


def sqlite_check(db: Database) -> str:
    """SQLite's own integrity check: "ok", or what is wrong."""
    return "; ".join(r[0] for r in db.query_tuples("PRAGMA integrity_check"))


def foreign_key_problems(db: Database) -> int:
    """How many rows point at a row that does not exist."""
    return len(db.query_tuples("PRAGMA foreign_key_check"))
