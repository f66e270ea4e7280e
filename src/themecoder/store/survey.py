"""Mixed methods: survey findings, their links to themes, and the reads of the joint display.

Findings come back as rows (mappings by column name); core.findings turns them into
StoredSurveyFinding. Writes take the open connection of the action.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Sequence

from themecoder.store import project as settings
from themecoder.store.db import Database

FINDING_COLUMNS = ("instrument", "scale", "comparison", "variables_json", "groups_json", "test",
                   "statistic", "statistic_reported", "df", "p", "p_reported", "effect_size",
                   "effect_label", "n", "statement", "source", "details_json")


# -- findings: reads ---------------------------------------------------------------------------
def findings(db: Database) -> list[sqlite3.Row]:
    return db.query("SELECT * FROM findings ORDER BY position")


def finding(db: Database, finding_id: str) -> sqlite3.Row | None:
    return db.query_one("SELECT * FROM findings WHERE id = ?", (finding_id,))


def finding_at(db: Database, number: int) -> sqlite3.Row | None:
    """The finding numbered F<number>."""
    return db.query_one("SELECT * FROM findings WHERE position = ?", (number,))


def has_finding(db: Database, finding_id: str) -> bool:
    return bool(db.scalar("SELECT 1 FROM findings WHERE id = ?", (finding_id,)))


def finding_values(conn: sqlite3.Connection, finding_id: str) -> tuple | None:
    """The stored FINDING_COLUMNS of a finding as the action sees them, or None."""
    row = conn.execute(f"SELECT {', '.join(FINDING_COLUMNS)} FROM findings WHERE id = ?",
                       (finding_id,)).fetchone()
    return None if row is None else tuple(row)


# -- findings: writes --------------------------------------------------------------------------
def next_number(conn: sqlite3.Connection, counter_key: str) -> int:
    """The next finding number (never reused: the counter outlives deleted findings)."""
    stored = settings.setting_in(conn, counter_key)
    top = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM findings").fetchone()[0]
    number = max(int(stored) if stored and str(stored).isdigit() else 1, top)
    settings.set_setting(conn, counter_key, str(number + 1))
    return number


def insert_finding(conn: sqlite3.Connection, finding_id: str, number: int, values: Sequence[Any],
                   stamp: str) -> None:
    """`values` in the order of FINDING_COLUMNS."""
    conn.execute(
        f"INSERT INTO findings(id, position, {', '.join(FINDING_COLUMNS)}, created, modified) "
        f"VALUES (?, ?, {', '.join('?' for _ in FINDING_COLUMNS)}, ?, ?)",
        (finding_id, number, *values, stamp, stamp),
    )


def update_finding(conn: sqlite3.Connection, finding_id: str, values: Sequence[Any], stamp: str) -> None:
    conn.execute(
        f"UPDATE findings SET {', '.join(c + ' = ?' for c in FINDING_COLUMNS)}, modified = ? WHERE id = ?",
        (*values, stamp, finding_id),
    )


def delete_finding(conn: sqlite3.Connection, finding_id: str) -> None:
    """The finding and its links."""
    conn.execute("DELETE FROM finding_links WHERE finding_id = ?", (finding_id,))
    conn.execute("DELETE FROM findings WHERE id = ?", (finding_id,))


# -- links -------------------------------------------------------------------------------------
def count_links(db: Database, finding_id: str) -> int:
    return int(db.scalar("SELECT count(*) FROM finding_links WHERE finding_id = ?", (finding_id,)) or 0)


def links(db: Database, *, theme_id: str | None = None, finding_id: str | None = None) -> list[sqlite3.Row]:
    """Links in the order of their findings' numbers."""
    sql = "SELECT l.* FROM finding_links l JOIN findings f ON f.id = l.finding_id"
    where, params = [], []
    if theme_id is not None:
        where.append("l.theme_id = ?")
        params.append(theme_id)
    if finding_id is not None:
        where.append("l.finding_id = ?")
        params.append(finding_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return db.query(sql + " ORDER BY f.position", params)


def link(db: Database, theme_id: str, finding_id: str) -> sqlite3.Row | None:
    return db.query_one("SELECT * FROM finding_links WHERE theme_id = ? AND finding_id = ?",
                        (theme_id, finding_id))


def link_by_id(db: Database, link_id: str) -> sqlite3.Row | None:
    return db.query_one("SELECT * FROM finding_links WHERE id = ?", (link_id,))


def insert_link(conn: sqlite3.Connection, link_id: str, theme_id: str, finding_id: str, outcome: str,
                meta_inference: str, stamp: str) -> None:
    conn.execute(
        "INSERT INTO finding_links(id, theme_id, finding_id, outcome, meta_inference, created, modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (link_id, theme_id, finding_id, outcome, meta_inference, stamp, stamp))


def update_link(conn: sqlite3.Connection, link_id: str, changes: dict[str, str], stamp: str) -> None:
    """`changes`: outcome and/or meta_inference."""
    unknown = set(changes) - {"outcome", "meta_inference"}
    if unknown:
        raise ValueError(f"a link has no column {sorted(unknown)[0]!r}")
    conn.execute(
        f"UPDATE finding_links SET {', '.join(k + ' = ?' for k in changes)}, modified = ? WHERE id = ?",
        (*changes.values(), stamp, link_id))


def delete_link(conn: sqlite3.Connection, link_id: str) -> None:
    conn.execute("DELETE FROM finding_links WHERE id = ?", (link_id,))


# -- reads for the joint display and the coverage figure (hot paths: plain tuples) -----------------
def document_units(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    """(document id, title, participant id, pseudonym) in document order."""
    return db.query_tuples(
        "SELECT d.id, d.title, d.participant_id, p.pseudonym FROM documents d "
        "LEFT JOIN participants p ON p.id = d.participant_id ORDER BY d.position, d.title")


def document_labels(db: Database) -> list[tuple[str, str, int, str | None]]:
    """(document id, title, position, pseudonym)."""
    return db.query_tuples(
        "SELECT d.id, d.title, d.position, p.pseudonym FROM documents d "
        "LEFT JOIN participants p ON p.id = d.participant_id")


def coding_spans(db: Database, *, coder: str | None = None) -> list[tuple[str, str, str, int, int, str]]:
    """(coding id, document id, code id, start, end, quote) of every coding (of `coder`'s alone,
    when given: blind coding), without context."""
    from themecoder.store.codings import by_coder

    where, params = by_coder(coder)
    return db.query_tuples(
        f"SELECT c.id, c.document_id, c.code_id, c.start, c.end, c.quote FROM codings c WHERE 1 = 1{where}", params)


def code_theme_pairs(db: Database) -> list[tuple[str, str]]:
    """(theme id, code id) of every code's membership in a theme."""
    return db.query_tuples("SELECT theme_id, code_id FROM code_themes")
