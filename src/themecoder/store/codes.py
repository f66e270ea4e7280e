"""Codes and code aliases: reads, and the one writer of the `codes` and `code_aliases` tables.

Write functions take the open connection of the action (`project.action(...)`); the rules
(label cleaning, uniqueness, colours) live in core.coding and core.codebook.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict

from themecoder.errors import NotFound
from themecoder.model import (
    Code,
    CodeStats,
)
from themecoder.store.db import Database


def _code(r: sqlite3.Row) -> Code:
    return Code(r["id"], r["label"], r["description"], r["colour"], bool(r["in_vivo"]), r["author"], r["created"])


def codes(db: Database) -> list[Code]:
    return [_code(r) for r in db.query("SELECT * FROM codes ORDER BY label COLLATE NOCASE")]


def code(db: Database, code_id: str) -> Code:
    r = db.query_one("SELECT * FROM codes WHERE id = ?", (code_id,))
    if r is None:
        raise NotFound(f"no code with id {code_id}")
    return _code(r)


def code_by_label(db: Database, label: str) -> Code | None:
    r = db.query_one("SELECT * FROM codes WHERE label = ?", (label,))
    return None if r is None else _code(r)




def code_stats(db: Database, *, coder: str | None = None) -> list[CodeStats]:
    """Every code with its counts (of `coder`'s codings only, when given: blind coding)."""
    where, params = ("WHERE c.coder = ? ", (coder,)) if coder is not None else ("", ())
    counts = {
        r[0]: (r[1], r[2], r[3])
        for r in db.query(
            "SELECT c.code_id, count(*), count(DISTINCT c.document_id), count(DISTINCT d.participant_id) "
            f"FROM codings c JOIN documents d ON d.id = c.document_id {where}GROUP BY c.code_id", params
        )
    }
    themes_of: dict[str, list[str]] = defaultdict(list)
    for r in db.query("SELECT code_id, theme_id FROM code_themes ORDER BY position"):
        themes_of[r[0]].append(r[1])
    return [
        CodeStats(c, *counts.get(c.id, (0, 0, 0)), theme_ids=tuple(themes_of.get(c.id, ())))
        for c in codes(db)
    ]


def count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM codes") or 0


def ids_and_labels(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, label) of every code, read on the action's connection."""
    return [(r[0], r[1]) for r in conn.execute("SELECT id, label FROM codes").fetchall()]


def label_taken(conn: sqlite3.Connection, label: str, *, except_id: str | None = None,
                ignore_case: bool = False) -> str | None:
    """The label of another code called `label` (exactly, or ignoring case), if any."""
    sql = "lower(label) = lower(?)" if ignore_case else "label = ?"
    row = conn.execute(f"SELECT label FROM codes WHERE {sql} AND id IS NOT ?", (label, except_id)).fetchone()
    return None if row is None else row[0]


def exists(conn: sqlite3.Connection, code_id: str) -> bool:
    return conn.execute("SELECT 1 FROM codes WHERE id = ?", (code_id,)).fetchone() is not None


# -- writes ------------------------------------------------------------------------------------
_FIELDS = ("label", "description", "colour")


def insert(conn: sqlite3.Connection, code_id: str, label: str, *, description: str, colour: str,
           in_vivo: bool, author: str | None, created: str) -> None:
    conn.execute(
        "INSERT INTO codes(id, label, description, colour, in_vivo, author, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (code_id, label, description, colour, int(in_vivo), author, created),
    )


def update(conn: sqlite3.Connection, code_id: str, **fields: str) -> None:
    """Set any of label, description, colour."""
    bad = set(fields) - set(_FIELDS)
    if bad:
        raise ValueError(f"codes have no column {sorted(bad)}")
    if fields:
        cols = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE codes SET {cols} WHERE id = ?", (*fields.values(), code_id))


def delete(conn: sqlite3.Connection, code_id: str) -> None:
    conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))


# -- aliases: where a merged code went -----------------------------------------------------------
def add_alias(conn: sqlite3.Connection, old_id: str, new_id: str, old_label: str, created: str) -> None:
    """Remember that `old_id` was merged into `new_id`; earlier aliases of `old_id` follow."""
    conn.execute("DELETE FROM code_aliases WHERE old_id = ?", (old_id,))
    conn.execute("INSERT INTO code_aliases(old_id, new_id, old_label, created) VALUES (?, ?, ?, ?)",
                 (old_id, new_id, old_label, created))
    conn.execute("UPDATE code_aliases SET new_id = ? WHERE new_id = ?", (new_id, old_id))


def alias_target(db: Database, old_id: str) -> str | None:
    return db.scalar("SELECT new_id FROM code_aliases WHERE old_id = ?", (old_id,))


def code_exists(db: Database, code_id: str) -> bool:
    return db.scalar("SELECT 1 FROM codes WHERE id = ?", (code_id,)) is not None
