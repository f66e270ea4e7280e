"""Writes of the project's key/value settings (the `project` table) made inside an action.

# INTEGRATION: move to store.project writer (one writer per table). The survey design, the
# findings counter, the anonymisation key's id/path and shortened quotes' segments are
# written through here until store.project has its own writer functions.
"""
from __future__ import annotations

import sqlite3


def put(conn: sqlite3.Connection, key: str, value: str) -> None:  # INTEGRATION: move to store.project writer
    conn.execute("INSERT INTO project(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def delete(conn: sqlite3.Connection, *keys: str) -> None:  # INTEGRATION: move to store.project writer
    for key in keys:
        conn.execute("DELETE FROM project WHERE key = ?", (key,))


def value(conn: sqlite3.Connection, key: str) -> str | None:
    """A setting as the action sees it (its own uncommitted writes included)."""
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]
