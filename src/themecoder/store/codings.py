"""Codings: reads."""
from __future__ import annotations

import sqlite3

from themecoder.errors import NotFound
from themecoder.model import (
    Coding,
)
from themecoder.store.db import Database

CODING_COLS = "c.id, c.document_id, c.code_id, c.start, c.end, c.quote, c.context_before, c.context_after, c.coder, c.created"


def _coding(r: sqlite3.Row) -> Coding:
    return Coding(r["id"], r["document_id"], r["code_id"], r["start"], r["end"], r["quote"],
                  r["context_before"], r["context_after"], r["coder"], r["created"])


def _codings(db: Database, sql: str, params: tuple) -> list[Coding]:
    """`sql` selects CODING_COLS in the order of Coding's fields."""
    return [Coding(*r) for r in db.query_tuples(sql, params)]


def coding(db: Database, coding_id: str) -> Coding:
    r = db.query_one("SELECT * FROM codings WHERE id = ?", (coding_id,))
    if r is None:
        raise NotFound(f"no coding with id {coding_id}")
    return _coding(r)


def codings_for_document(db: Database, doc_id: str) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c WHERE document_id = ? ORDER BY start, end", (doc_id,))


def codings_for_code(db: Database, code_id: str) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"WHERE c.code_id = ? ORDER BY d.position, d.title, c.start", (code_id,))


def all_codings(db: Database) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"ORDER BY d.position, d.title, c.start", ())


def codings_for_theme(db: Database, theme_id: str, *, recursive: bool = True) -> list[Coding]:
    """Every coding whose code belongs to the theme (and, by default, its subthemes)."""
    # IN (...) rather than a join: no duplicates to remove. Sorting in Python is much cheaper
    # than a temporary B-tree over rows that carry long quotes.
    themes_sql = (
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id) "
        "SELECT id FROM sub" if recursive else "SELECT ?"
    )
    sql = (
        f"SELECT {CODING_COLS} FROM codings c "
        f"WHERE c.code_id IN (SELECT ct.code_id FROM code_themes ct WHERE ct.theme_id IN ({themes_sql}))"
    )
    return sorted(_codings(db, sql, (theme_id,)), key=_document_order(db))


def _document_order(db: Database):
    order = {r[0]: i for i, r in enumerate(db.query_tuples("SELECT id FROM documents ORDER BY position, title"))}
    return lambda c: (order.get(c.document_id, 0), c.start, c.end)


def ids_with_prefix(db: Database, prefix: str, limit: int = 5) -> list[str]:
    return [r[0] for r in db.query_tuples(
        "SELECT id FROM codings WHERE id LIKE ? || '%' ORDER BY id LIMIT ?", (prefix, limit))]
