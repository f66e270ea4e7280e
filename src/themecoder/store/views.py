"""Reads for the workbench's overview rows and counts that no other store module has.

Plain tuples: these run on every refresh of the overview and the transcript.
"""
from __future__ import annotations

from themecoder.store.db import Database


def coding_spans(db: Database, *, coder: str | None = None) -> dict[str, list[tuple[int, int]]]:
    """Document id -> [start, end) of every coding in it (of `coder`'s alone, when given)."""
    from themecoder.store.codings import by_coder

    where, params = by_coder(coder)
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in db.query(f"SELECT c.document_id, c.start, c.end FROM codings c WHERE 1 = 1{where}", params):
        spans.setdefault(r[0], []).append((r[1], r[2]))
    return spans


def document_texts(db: Database) -> list[tuple[str, str, str | None, str]]:
    """(id, title, participant id, text) of every document, in project order."""
    return [(r[0], r[1], r[2], r[3])
            for r in db.query("SELECT id, title, participant_id, text FROM documents ORDER BY position, title")]


def document_sizes(db: Database) -> list[tuple[str, str, str | None, int, int | None]]:
    """(id, title, participant id, length in characters, word count or None when the document
    has no index yet) of every document, in project order, without reading the texts."""
    return [(r[0], r[1], r[2], r[3], r[4]) for r in db.query_tuples(
        "SELECT d.id, d.title, d.participant_id, length(d.text), t.words FROM documents d "
        "LEFT JOIN text_index t ON t.document_id = d.id ORDER BY d.position, d.title")]


def memo_counts(db: Database, target_type: str) -> dict[str, int]:
    """Target id -> number of memos on it, for one kind of target."""
    return {r[0]: r[1] for r in db.query(
        "SELECT target_id, count(*) FROM memos WHERE target_type = ? GROUP BY target_id", (target_type,))}


def theme_totals(db: Database, theme_id: str) -> tuple[int, int]:
    """(codings, participants) of a theme with its subthemes; a coding counts once."""
    row = db.query_one(
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id) "
        "SELECT count(DISTINCT c.id), count(DISTINCT d.participant_id) FROM codings c "
        "JOIN documents d ON d.id = c.document_id "
        "WHERE c.code_id IN (SELECT code_id FROM code_themes WHERE theme_id IN (SELECT id FROM sub))",
        (theme_id,),
    )
    return (row[0], row[1]) if row else (0, 0)
