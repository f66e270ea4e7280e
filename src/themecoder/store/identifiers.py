"""Anonymisation guard: suspected identifiers (anon_findings) and the checks they came from
(anon_checks), texts marked as not identifying (anon_ignored), the project's known names
(anon_known_names) and the replacements applied (anon_replacements).

Findings and checks are derived data, written outside user actions in a plain transaction;
the rest is written inside an action. Re-anchoring after a replacement writes codings,
turns and document text through their own store modules.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from themecoder.store.db import Database


# -- texts marked as not identifying -----------------------------------------------------------
def ignored_texts(db: Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(
        "SELECT text, kind, coder, created FROM anon_ignored ORDER BY text COLLATE NOCASE")]


def is_ignored(db: Database, text_key: str) -> bool:
    return bool(db.scalar("SELECT 1 FROM anon_ignored WHERE text_key = ?", (text_key,)))


def count_ignored(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM anon_ignored") or 0)


def insert_ignored(conn: sqlite3.Connection, text_key: str, text: str, kind: str, coder: str | None,
                   stamp: str) -> None:
    conn.execute("INSERT INTO anon_ignored(text_key, text, kind, coder, created) VALUES (?, ?, ?, ?, ?)",
                 (text_key, text, kind, coder, stamp))


def delete_ignored(conn: sqlite3.Connection, text_key: str) -> None:
    conn.execute("DELETE FROM anon_ignored WHERE text_key = ?", (text_key,))


# -- known names -------------------------------------------------------------------------------
def known_names(db: Database) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query(
        "SELECT name, kind, gender, coder, created FROM anon_known_names ORDER BY name COLLATE NOCASE")]


def is_known_name(db: Database, name_key: str) -> bool:
    return bool(db.scalar("SELECT 1 FROM anon_known_names WHERE name_key = ?", (name_key,)))


def known_name_gender(db: Database, name_key: str) -> str | None:
    row = db.query_one("SELECT gender FROM anon_known_names WHERE name_key = ?", (name_key,))
    return row[0] if row is not None and row[0] else None


def count_known_names(db: Database) -> int:
    return int(db.scalar("SELECT count(*) FROM anon_known_names") or 0)


def insert_known_name(conn: sqlite3.Connection, name_key: str, name: str, kind: str, gender: str | None,
                      coder: str | None, stamp: str) -> None:
    conn.execute(
        "INSERT INTO anon_known_names(name_key, name, kind, gender, coder, created) VALUES (?, ?, ?, ?, ?, ?)",
        (name_key, name, kind, gender, coder, stamp))


def delete_known_name(conn: sqlite3.Connection, name_key: str) -> None:
    conn.execute("DELETE FROM anon_known_names WHERE name_key = ?", (name_key,))


# -- checks and findings (derived data) --------------------------------------------------------
def checks(db: Database) -> dict[str, tuple[str, str]]:
    """document id -> (text hash, rules fingerprint) of its last check."""
    return {r[0]: (r[1], r[2]) for r in db.query_tuples(
        "SELECT document_id, text_sha256, rules FROM anon_checks")}


FindingRow = tuple[str, str, int, int, str, str, str, float, str]


def finding_rows(db: Database, document_ids: Sequence[str]) -> list[FindingRow]:
    """(id, document id, start, end, text, kind, reason, confidence, source), by start."""
    if not document_ids:  # `IN ()` is an error on PostgreSQL
        return []
    marks = ",".join("?" for _ in document_ids)
    return db.query_tuples(
        f"SELECT id, document_id, start, end, text, kind, reason, confidence, source FROM anon_findings "
        f"WHERE document_id IN ({marks}) ORDER BY start", tuple(document_ids))


def findings_with_prefix(db: Database, prefix: str) -> list[tuple[str, str]]:
    """(id, document id) of the stored findings whose id starts with `prefix`."""
    return db.query_tuples("SELECT id, document_id FROM anon_findings WHERE id LIKE ? || '%'", (prefix,))


def replace_findings(conn: sqlite3.Connection, doc_id: str, rows: Iterable[FindingRow]) -> None:
    """The document's findings as a whole: the old ones go, `rows` come in (first of an id wins)."""
    conn.execute("DELETE FROM anon_findings WHERE document_id = ?", (doc_id,))
    unique = {r[0]: r for r in reversed(list(rows))}
    conn.executemany(
        "INSERT INTO anon_findings(id, document_id, start, end, text, kind, reason, confidence, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(reversed(unique.values())))


def record_check(conn: sqlite3.Connection, doc_id: str, text_sha256: str, rules: str, pipeline: str,
                 stamp: str) -> None:
    conn.execute(
        "INSERT INTO anon_checks(document_id, text_sha256, rules, pipeline, checked) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
        "text_sha256 = excluded.text_sha256, rules = excluded.rules, "
        "pipeline = excluded.pipeline, checked = excluded.checked",
        (doc_id, text_sha256, rules, pipeline, stamp))


# -- replacements ------------------------------------------------------------------------------
def replacement_spans(db: Database, doc_id: str) -> list[str]:
    """The JSON span lists of the document's replacements."""
    return [r[0] for r in db.query_tuples("SELECT spans FROM anon_replacements WHERE document_id = ?", (doc_id,))]


def replacements_of(conn: sqlite3.Connection, doc_id: str) -> list[tuple[str, str]]:
    """(id, JSON spans) of the document's replacements, as the action sees them."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, spans FROM anon_replacements WHERE document_id = ?", (doc_id,)).fetchall()]


def replacement_totals(db: Database) -> tuple[int, int]:
    """(places replaced, distinct pseudonyms)."""
    places = db.scalar("SELECT coalesce(sum(occurrences), 0) FROM anon_replacements") or 0
    pseudonyms = db.scalar("SELECT count(DISTINCT replacement) FROM anon_replacements "
                           "WHERE mode = 'pseudonym'") or 0
    return int(places), int(pseudonyms)


def insert_replacement(conn: sqlite3.Connection, replacement_id: str, doc_id: str, kind: str, mode: str,
                       replacement: str, occurrences: int, spans_json: str, key_entry: str | None,
                       coder: str | None, stamp: str) -> None:
    conn.execute(
        "INSERT INTO anon_replacements(id, document_id, kind, mode, replacement, occurrences, "
        "spans, key_entry, coder, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (replacement_id, doc_id, kind, mode, replacement, occurrences, spans_json, key_entry, coder, stamp))


def set_replacement_spans(conn: sqlite3.Connection, replacement_id: str, spans_json: str) -> None:
    conn.execute("UPDATE anon_replacements SET spans = ? WHERE id = ?", (spans_json, replacement_id))


# -- reads of other tables the guard needs --------------------------------------------------------
def document_texts(db: Database) -> list[tuple[str, str]]:
    """(id, text) of every document."""
    return db.query_tuples("SELECT id, text FROM documents")


def current_text(conn: sqlite3.Connection, doc_id: str) -> str | None:
    """The document's text as the open transaction sees it (None: the document is gone)."""
    row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return None if row is None else row[0]


def coding_spans(db: Database) -> list[tuple[str, int, int]]:
    """(document id, start, end) of every coding."""
    return db.query_tuples("SELECT document_id, start, end FROM codings")


CodingSpan = tuple[str, str, int, int, str, str, str]


def codings_to_move(conn: sqlite3.Connection, doc_id: str) -> list[CodingSpan]:
    """(id, code id, start, end, quote, context before, context after) of the document's codings,
    in a fixed order (start, end, id) so that re-anchoring decides the same way every time."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, code_id, start, end, quote, context_before, context_after FROM codings "
        "WHERE document_id = ? ORDER BY start, end, id", (doc_id,)).fetchall()]


def turns_to_move(conn: sqlite3.Connection, doc_id: str) -> list[tuple[str, int, int, int]]:
    """(id, label start, start, end) of the document's turns."""
    return [tuple(r) for r in conn.execute(
        "SELECT id, label_start, start, end FROM turns WHERE document_id = ?", (doc_id,)).fetchall()]


def code_label(conn: sqlite3.Connection, code_id: str) -> str | None:
    row = conn.execute("SELECT label FROM codes WHERE id = ?", (code_id,)).fetchone()
    return None if row is None else row[0]


# -- writes of the re-anchoring on tables other store modules own ----------------------------------


def replacements_applied(db: Database) -> list[dict]:
    """The replacements applied, oldest first (the originals are only in the key file)."""
    return [dict(r) for r in db.query(
        "SELECT d.title AS document, r.kind, r.mode, r.replacement, r.occurrences, r.created "
        "FROM anon_replacements r JOIN documents d ON d.id = r.document_id ORDER BY r.created")]


def key_entries_used(db: Database) -> set[str]:
    """Ids of key entries that replacements in the project refer to."""
    return {r[0] for r in db.query_tuples(
        "SELECT DISTINCT key_entry FROM anon_replacements WHERE key_entry IS NOT NULL")}
