"""Codings: reads, and the one writer of the `codings` table.

Write functions take the open connection of the action; the rules (spans trimmed, no
duplicate coding of a passage) live in core.coding.
"""
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
    """`sql` selects CODING_COLS in the order of Coding's fields (a test checks); each row
    becomes a Coding in C, by tuple.__new__."""
    new = tuple.__new__
    return [new(Coding, r) for r in db.query_tuples(sql, params)]


def coding(db: Database, coding_id: str) -> Coding:
    r = db.query_one("SELECT * FROM codings WHERE id = ?", (coding_id,))
    if r is None:
        raise NotFound(f"no coding with id {coding_id}")
    return _coding(r)


def by_coder(coder: str | None, alias: str = "c") -> tuple[str, tuple]:
    """(`AND <alias>.coder = ?`, params) when reads are limited to one coder's codings (blind
    coding), else ("", ()). Every read the workbench shows passes it through here."""
    return (f" AND {alias}.coder = ?", (coder,)) if coder is not None else ("", ())


def codings_for_document(db: Database, doc_id: str, *, coder: str | None = None) -> list[Coding]:
    where, params = by_coder(coder)
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c WHERE document_id = ?{where} ORDER BY start, end",
                    (doc_id, *params))


def codings_for_code(db: Database, code_id: str, *, coder: str | None = None) -> list[Coding]:
    where, params = by_coder(coder)
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"WHERE c.code_id = ?{where} ORDER BY d.position, d.title, c.start", (code_id, *params))


def codings_of_coders(db: Database, coders: list[str], *, doc_ids: list[str] | None = None,
                      code_ids: list[str] | None = None) -> list[Coding]:
    """The codings of these coders (in these documents, with these codes), in document order."""
    if not coders:
        return []
    sql = f"SELECT {CODING_COLS} FROM codings c WHERE c.coder IN ({', '.join('?' for _ in coders)})"
    params: list = list(coders)
    for col, ids in (("document_id", doc_ids), ("code_id", code_ids)):
        if ids is not None:
            if not ids:
                return []
            sql += f" AND c.{col} IN ({', '.join('?' for _ in ids)})"
            params += ids
    return _codings(db, sql + " ORDER BY c.document_id, c.start, c.end", tuple(params))


def coders(db: Database) -> list[str]:
    """Every coder who has a coding, by name."""
    return [r[0] for r in db.query_tuples(
        "SELECT DISTINCT coder FROM codings WHERE coder IS NOT NULL ORDER BY coder")]


def all_codings(db: Database) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"ORDER BY d.position, d.title, c.start", ())


def codings_for_theme(db: Database, theme_id: str, *, recursive: bool = True,
                      coder: str | None = None) -> list[Coding]:
    """Every coding whose code belongs to the theme (and, by default, its subthemes)."""
    # IN (...) rather than a join: no duplicates to remove. Sorting in Python is much cheaper
    # than a temporary B-tree over rows that carry long quotes.
    themes_sql = (
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id) "
        "SELECT id FROM sub" if recursive else "SELECT ?"
    )
    where, params = by_coder(coder)
    sql = (
        f"SELECT {CODING_COLS} FROM codings c "
        f"WHERE c.code_id IN (SELECT ct.code_id FROM code_themes ct WHERE ct.theme_id IN ({themes_sql})){where}"
    )
    return sorted(_codings(db, sql, (theme_id, *params)), key=_document_order(db))


def _document_order(db: Database):
    order = {r[0]: i for i, r in enumerate(db.query_tuples("SELECT id FROM documents ORDER BY position, title"))}
    # Indexes, not names: a Coding is a tuple (document_id, start, end at 1, 3, 4).
    return lambda c, at=order.get: (at(c[1], 0), c[3], c[4])


def ids_with_prefix(db: Database, prefix: str, limit: int = 5) -> list[str]:
    return [r[0] for r in db.query_tuples(
        "SELECT id FROM codings WHERE id LIKE ? || '%' ORDER BY id LIMIT ?", (prefix, limit))]


ANY_CODER = object()


def at_span(conn: sqlite3.Connection, doc_id: str, code_id: str, start: int, end: int,
            coder: object = ANY_CODER) -> str | None:
    """The id of the coding of this passage with this code (by `coder`, else by anyone), if any."""
    sql = "SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND start = ? AND end = ?"
    params: tuple = (doc_id, code_id, start, end)
    if coder is None:
        sql += " AND coder IS NULL"
    elif coder is not ANY_CODER:
        sql, params = sql + " AND coder = ?", (*params, coder)
    row = conn.execute(sql + " ORDER BY id", params).fetchone()
    return None if row is None else row[0]


def spans_of_code(conn: sqlite3.Connection, code_id: str) -> list[tuple[str, str, int, int, str | None]]:
    """(id, document_id, start, end, coder) of every coding with the code."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, document_id, start, end, coder FROM codings WHERE code_id = ?", (code_id,)).fetchall()]


def count_for_code(db: Database, code_id: str) -> int:
    return db.scalar("SELECT count(*) FROM codings WHERE code_id = ?", (code_id,)) or 0


# -- writes ------------------------------------------------------------------------------------
def insert(conn: sqlite3.Connection, coding_id: str, doc_id: str, code_id: str, start: int, end: int, *,
           quote: str, before: str, after: str, coder: str | None, created: str) -> None:
    conn.execute(
        "INSERT INTO codings(id, document_id, code_id, start, end, quote, context_before, context_after, coder, "
        "created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (coding_id, doc_id, code_id, start, end, quote, before, after, coder, created),
    )


def set_code(conn: sqlite3.Connection, coding_ids: str | list[str], code_id: str) -> None:
    """Move one coding or several to another code."""
    ids = [coding_ids] if isinstance(coding_ids, str) else list(coding_ids)
    conn.executemany("UPDATE codings SET code_id = ? WHERE id = ?", [(code_id, c) for c in ids])


def update_span(conn: sqlite3.Connection, coding_id: str, start: int, end: int, quote: str | None = None,
                before: str | None = None, after: str | None = None) -> None:
    """A coding's new extent; with quote/context (None: leave them, e.g. while re-anchoring)."""
    if quote is None:
        conn.execute("UPDATE codings SET start = ?, end = ? WHERE id = ?", (start, end, coding_id))
    else:
        conn.execute(
            "UPDATE codings SET start = ?, end = ?, quote = ?, context_before = ?, context_after = ? WHERE id = ?",
            (start, end, quote, before or "", after or "", coding_id),
        )


def delete(conn: sqlite3.Connection, coding_id: str) -> None:
    conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))


def delete_for_code(conn: sqlite3.Connection, code_id: str) -> None:
    conn.execute("DELETE FROM codings WHERE code_id = ?", (code_id,))


def counts_by_code(db: Database, *, coder: str | None = None) -> dict[str, int]:
    where, params = by_coder(coder)
    return dict(db.query_tuples(f"SELECT code_id, count(*) FROM codings c WHERE 1 = 1{where} GROUP BY code_id",
                                params))


def coding_units(db: Database, *, coder: str | None = None) -> list[tuple[str, str, str]]:
    """(coding id, code id, unit) where the unit is the participant, or 'doc:<id>' without one."""
    where, params = by_coder(coder)
    return [tuple(r) for r in db.query_tuples(
        "SELECT c.id, c.code_id, coalesce(d.participant_id, 'doc:' || d.id) FROM codings c "
        f"JOIN documents d ON d.id = c.document_id WHERE 1 = 1{where}", params)]


def coding_places(db: Database, *, coder: str | None = None) -> list[tuple[str, str, str]]:
    """(coding id, code id, document id) of every coding (of `coder`, when given)."""
    where, params = by_coder(coder)
    return [tuple(r) for r in db.query_tuples(
        f"SELECT c.id, c.code_id, c.document_id FROM codings c WHERE 1 = 1{where}", params)]


def exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM codings WHERE id = ?", (row_id,)).fetchone() is not None
