"""Project settings (the key/value table), the coders, and counts."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from themecoder.store import index
from themecoder.store.db import Database


# -- settings ----------------------------------------------------------------------------------
def setting(db: Database, key: str, default: str | None = None) -> str | None:
    v = db.scalar("SELECT value FROM project WHERE key = ?", (key,))
    return default if v is None else v


def settings_with_prefix(db: Database, prefix: str) -> list[tuple[str, str]]:
    """(key, value) of every setting whose key starts with `prefix`."""
    return [(r[0], r[1]) for r in db.query_tuples(
        "SELECT key, value FROM project WHERE substr(key, 1, ?) = ? ORDER BY key", (len(prefix), prefix))]


def setting_in(conn: sqlite3.Connection, key: str) -> str | None:
    """A setting as the action in flight sees it (its own uncommitted writes included)."""
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO project(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete_settings(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    conn.executemany("DELETE FROM project WHERE key = ?", ((k,) for k in keys))


def delete_setting(conn: sqlite3.Connection, key: str) -> None:
    delete_settings(conn, (key,))


# -- coders ------------------------------------------------------------------------------------
def has_coder(db: Database, name: str) -> bool:
    return db.scalar("SELECT 1 FROM coders WHERE name = ?", (name,)) is not None


def add_coder(conn: sqlite3.Connection, coder_id: str, name: str, created: str, role: str = "coder") -> None:
    """Register a coder by name; a name that is known already is left as it is."""
    conn.execute(
        "INSERT INTO coders(id, name, role, created) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (coder_id, name, role, created),
    )


def set_coder_role(conn: sqlite3.Connection, name: str, role: str) -> None:
    conn.execute("UPDATE coders SET role = ? WHERE name = ?", (role, name))


# -- counts ------------------------------------------------------------------------------------
COUNTED = ("documents", "participants", "sentences", "codes", "codings", "themes", "memos")


def counts(db: Database) -> dict[str, int]:
    # sentences are packed in the text index, a count per document
    return {t: index.sentence_count(db) if t == "sentences" else db.scalar(f"SELECT count(*) FROM {t}")
            for t in COUNTED}
