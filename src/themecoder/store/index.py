"""The derived text index: sentences and tokens (lemma, form) of each document.

Derived from the text, rebuilt whenever the text changes, and never captured for undo: a
writer clears a document's rows and the index is built again after the action.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from themecoder.store.db import Database

# A prefix search on `form`: every form from the prefix up to the prefix followed by the
# highest code point.
_TOP = "\U0010ffff"


def clear(conn: sqlite3.Connection, doc_id: str) -> None:
    """Drop a document's index (its text changed, or it came back through undo/redo)."""
    conn.execute("DELETE FROM sentences WHERE document_id = ?", (doc_id,))
    conn.execute("DELETE FROM tokens WHERE document_id = ?", (doc_id,))


def replace(
    conn: sqlite3.Connection, doc_id: str,
    sentences: Iterable[tuple[int, int]],
    tokens: Iterable[tuple[int, int, str, str]],
) -> None:
    """A document's index from scratch: sentences (start, end), tokens (start, end, lemma, form).
    A second sentence or token at the same start is dropped (the primary key is the start)."""
    clear(conn, doc_id)
    conn.executemany(
        "INSERT INTO sentences(document_id, start, end) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        ((doc_id, s, e) for s, e in sentences),
    )
    conn.executemany(
        "INSERT INTO tokens(document_id, start, end, lemma, form) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        ((doc_id, s, e, lemma, form) for s, e, lemma, form in tokens),
    )


def matching_tokens(db: Database, lemma: str, form: str, *, prefix: bool = False,
                    document_id: str | None = None) -> list[tuple[str, int, int]]:
    """(document id, start, end) of the tokens whose lemma is `lemma` or whose form is `form`;
    with `prefix`, of the tokens whose form starts with `form`. In document and text order."""
    if prefix:
        sql = "SELECT document_id, start, end FROM tokens WHERE form >= ? AND form < ?"
        params: list = [form, form + _TOP]
    else:
        sql = "SELECT document_id, start, end FROM tokens WHERE (lemma = ? OR form = ?)"
        params = [lemma, form]
    if document_id:
        sql += " AND document_id = ?"
        params.append(document_id)
    return db.query_tuples(sql + " ORDER BY document_id, start", params)


def tokens_after(db: Database, doc_id: str, start: int, n: int) -> list[tuple[int, int, str, str]]:
    """The `n` tokens after the one at `start`: (start, end, lemma, form)."""
    return db.query_tuples(
        "SELECT start, end, lemma, form FROM tokens WHERE document_id = ? AND start > ? ORDER BY start LIMIT ?",
        (doc_id, start, n),
    )


def sentences(db: Database, doc_id: str) -> list[tuple[int, int]]:
    return [(r[0], r[1]) for r in db.query_tuples(
        "SELECT start, end FROM sentences WHERE document_id = ? ORDER BY start", (doc_id,))]


def unindexed_documents(db: Database) -> list[str]:
    """Documents without an index (new, changed, or restored by undo/redo)."""
    return [r[0] for r in db.query_tuples(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = d.id)"
    )]
