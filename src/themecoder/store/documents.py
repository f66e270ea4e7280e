"""Documents (the transcripts) and their speaker turns."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from themecoder.errors import NotFound
from themecoder.model import (
    Document,
    Turn,
)
from themecoder.store import index
from themecoder.store.db import Database

DOC_COLS = "id, title, source_name, sha256, participant_id, encoding, imported, position, length(text) AS length"


def _document(r: sqlite3.Row) -> Document:
    return Document(r["id"], r["title"], r["source_name"], r["sha256"], r["participant_id"],
                    r["encoding"], r["imported"], r["position"], r["length"])


# -- reads -------------------------------------------------------------------------------------
def documents(db: Database) -> list[Document]:
    return [_document(r) for r in db.query(f"SELECT {DOC_COLS} FROM documents ORDER BY position, title")]


def document(db: Database, doc_id: str) -> Document:
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
    if r is None:
        raise NotFound(f"no document with id {doc_id}")
    return _document(r)


def document_with_text(db: Database, sha256: str) -> Document | None:
    """The document whose text has this SHA-256 (the same transcript imported before)."""
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE sha256 = ?", (sha256,))
    return None if r is None else _document(r)


def document_text(db: Database, doc_id: str) -> str:
    t = db.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
    if t is None:
        raise NotFound(f"no document with id {doc_id}")
    return t


def text_or_none(db: Database, doc_id: str) -> str | None:
    """The text, or None when the document is gone."""
    return db.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))


def turns(db: Database, doc_id: str) -> list[Turn]:
    return [
        Turn(r["id"], r["document_id"], r["speaker"], r["label_start"], r["start"], r["end"], r["timestamp"])
        for r in db.query("SELECT * FROM turns WHERE document_id = ? ORDER BY start", (doc_id,))
    ]


# -- writes (inside an action: `conn` is the action's connection) ------------------------------
def next_position(conn: sqlite3.Connection) -> int:
    """The position after the last document (new documents go to the end of the list)."""
    return conn.execute("SELECT coalesce(max(position), 0) + 1 FROM documents").fetchone()[0]


def titles(db: Database) -> list[str]:
    """Every document's title (cheap: no text is read)."""
    return [r[0] for r in db.query_tuples("SELECT title FROM documents")]


def title_taken(conn: sqlite3.Connection, title: str, except_id: str = "") -> bool:
    """Whether another document (not `except_id`) has exactly this title."""
    return conn.execute("SELECT 1 FROM documents WHERE title = ? AND id != ?",
                        (title, except_id)).fetchone() is not None


def insert(
    conn: sqlite3.Connection, doc_id: str, *, title: str, source_name: str, text: str, sha256: str,
    participant_id: str | None, encoding: str | None, imported: str, position: int,
) -> None:
    conn.execute(
        "INSERT INTO documents(id, title, source_name, text, sha256, participant_id, encoding, imported, position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, title, source_name, text, sha256, participant_id, encoding, imported, position),
    )


def insert_turns(conn: sqlite3.Connection, doc_id: str,
                 turns: Iterable[tuple[str, str, int, int, int, float | None]]) -> None:
    """Turns as (id, speaker, label_start, start, end, timestamp)."""
    conn.executemany(
        "INSERT INTO turns(id, document_id, speaker, label_start, start, end, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((tid, doc_id, speaker, label_start, start, end, ts) for tid, speaker, label_start, start, end, ts in turns),
    )


def set_turn_span(conn: sqlite3.Connection, turn_id: str, label_start: int, start: int, end: int) -> None:
    conn.execute("UPDATE turns SET label_start = ?, start = ?, end = ? WHERE id = ?",
                 (label_start, start, end, turn_id))


def set_turn_speaker(conn: sqlite3.Connection, turn_id: str, speaker: str) -> None:
    conn.execute("UPDATE turns SET speaker = ? WHERE id = ?", (speaker, turn_id))


def set_title(conn: sqlite3.Connection, doc_id: str, title: str) -> None:
    conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, doc_id))


def set_participant(conn: sqlite3.Connection, doc_id: str, participant_id: str | None, *,
                    only_if_unset: bool = False) -> None:
    sql = "UPDATE documents SET participant_id = ? WHERE id = ?"
    conn.execute(sql + (" AND participant_id IS NULL" if only_if_unset else ""), (participant_id, doc_id))


def set_text(conn: sqlite3.Connection, doc_id: str, text: str) -> None:
    """A new text (anonymisation): the index is dropped with it and rebuilt after the action."""
    conn.execute("UPDATE documents SET text = ? WHERE id = ?", (text, doc_id))
    index.clear(conn, doc_id)


def delete(conn: sqlite3.Connection, doc_id: str) -> None:
    """A document; its turns, codings and index go with it (foreign keys, ON DELETE CASCADE).
    Memos on it and its codings are the caller's (core.documents, through store.memos)."""
    conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (row_id,)).fetchone() is not None
