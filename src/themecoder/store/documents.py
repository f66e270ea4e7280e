"""Documents, their turns and sentences: reads."""
from __future__ import annotations

import sqlite3

from themecoder.errors import NotFound
from themecoder.model import (
    Document,
    Turn,
)
from themecoder.store.db import Database

DOC_COLS = "id, title, source_name, sha256, participant_id, encoding, imported, position, length(text) AS length"


def _document(r: sqlite3.Row) -> Document:
    return Document(r["id"], r["title"], r["source_name"], r["sha256"], r["participant_id"],
                    r["encoding"], r["imported"], r["position"], r["length"])


def documents(db: Database) -> list[Document]:
    return [_document(r) for r in db.query(f"SELECT {DOC_COLS} FROM documents ORDER BY position, title")]


def document(db: Database, doc_id: str) -> Document:
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
    if r is None:
        raise NotFound(f"no document with id {doc_id}")
    return _document(r)


def find_document(db: Database, ref: str) -> Document:
    """A document by title (case-insensitive), id, or unique id prefix."""
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE id = ? OR title = ?", (ref, ref))
    if r is None:
        rows = db.query(f"SELECT {DOC_COLS} FROM documents WHERE lower(title) = lower(?)", (ref,))
        if not rows and len(ref) >= 6:
            rows = db.query(f"SELECT {DOC_COLS} FROM documents WHERE id LIKE ? || '%'", (ref,))
        if len(rows) != 1:
            titles = ", ".join(d.title for d in documents(db)) or "none"
            raise NotFound(f"no document {ref!r} (documents: {titles})")
        r = rows[0]
    return _document(r)


def document_text(db: Database, doc_id: str) -> str:
    t = db.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
    if t is None:
        raise NotFound(f"no document with id {doc_id}")
    return t


def turns(db: Database, doc_id: str) -> list[Turn]:
    return [
        Turn(r["id"], r["document_id"], r["speaker"], r["label_start"], r["start"], r["end"], r["timestamp"])
        for r in db.query("SELECT * FROM turns WHERE document_id = ? ORDER BY start", (doc_id,))
    ]


def sentences(db: Database, doc_id: str) -> list[tuple[int, int]]:
    return [(r[0], r[1]) for r in db.query(
        "SELECT start, end FROM sentences WHERE document_id = ? ORDER BY start", (doc_id,))]


def unindexed_documents(db: Database) -> list[str]:
    return [r[0] for r in db.query(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = d.id)"
    )]
