"""Codes: reads."""
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


def find_code(db: Database, ref: str) -> Code:
    r = db.query_one("SELECT * FROM codes WHERE id = ? OR label = ?", (ref, ref))
    if r is None:
        rows = db.query("SELECT * FROM codes WHERE lower(label) = lower(?)", (ref,))
        if not rows and len(ref) >= 6:
            rows = db.query("SELECT * FROM codes WHERE id LIKE ? || '%'", (ref,))
        if len(rows) != 1:
            raise NotFound(f"no code {ref!r}")
        r = rows[0]
    return _code(r)


def code_stats(db: Database) -> list[CodeStats]:
    counts = {
        r[0]: (r[1], r[2], r[3])
        for r in db.query(
            "SELECT c.code_id, count(*), count(DISTINCT c.document_id), count(DISTINCT d.participant_id) "
            "FROM codings c JOIN documents d ON d.id = c.document_id GROUP BY c.code_id"
        )
    }
    themes_of: dict[str, list[str]] = defaultdict(list)
    for r in db.query("SELECT code_id, theme_id FROM code_themes ORDER BY position"):
        themes_of[r[0]].append(r[1])
    return [
        CodeStats(c, *counts.get(c.id, (0, 0, 0)), theme_ids=tuple(themes_of.get(c.id, ())))
        for c in codes(db)
    ]
