"""Supervisor review tables: review_items, review_comments, review_imports, review_history.

The only writer of the review tables (review_history is written by the triggers of
store.schema.install_history_triggers). Reads return sqlite3.Row: the review records live in
core.review, which builds them. Write functions take the open connection of the action.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from themecoder.store.db import Database

Conn = sqlite3.Connection


# -- items --------------------------------------------------------------------------------------
def items(db: Database) -> list[sqlite3.Row]:
    return db.query("SELECT * FROM review_items ORDER BY created, id")


def item_row(conn: Conn, target_type: str, theme_id: str, code_id: str) -> sqlite3.Row | None:
    """The item of a target, read on the action's connection (sees its uncommitted rows)."""
    return conn.execute("SELECT * FROM review_items WHERE target_type = ? AND theme_id = ? AND code_id = ?",
                        (target_type, theme_id, code_id)).fetchone()


def status(db: Database, target_type: str, theme_id: str, code_id: str) -> str | None:
    return db.scalar("SELECT status FROM review_items WHERE target_type = ? AND theme_id = ? AND code_id = ?",
                     (target_type, theme_id, code_id))


def insert_item(conn: Conn, item_id: str, target_type: str, theme_id: str, code_id: str, theme_name: str,
                code_label: str, created: str, *, status: str = "proposed", status_by: str | None = None,
                status_set: str | None = None) -> None:
    conn.execute(
        "INSERT INTO review_items(id, target_type, theme_id, code_id, theme_name, code_label, status, "
        "status_by, status_set, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (item_id, target_type, theme_id, code_id, theme_name, code_label, status, status_by, status_set, created))


def set_item_labels(conn: Conn, item_id: str, theme_name: str, code_label: str) -> None:
    conn.execute("UPDATE review_items SET theme_name = ?, code_label = ? WHERE id = ?",
                 (theme_name, code_label, item_id))


def set_item_status(conn: Conn, item_id: str, status: str, status_by: str | None, status_set: str | None) -> None:
    conn.execute("UPDATE review_items SET status = ?, status_by = ?, status_set = ? WHERE id = ?",
                 (status, status_by, status_set, item_id))


def mapping_items_of_code(conn: Conn, code_id: str) -> list[tuple[str, str]]:
    """(item id, theme id) of the reviewed mappings of a code."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT id, theme_id FROM review_items WHERE target_type = 'mapping' AND code_id = ? ORDER BY created, id",
        (code_id,)).fetchall()]


def set_item_code(conn: Conn, item_id: str, code_id: str) -> None:
    conn.execute("UPDATE review_items SET code_id = ? WHERE id = ?", (code_id, item_id))


def delete_item(conn: Conn, item_id: str) -> None:
    conn.execute("DELETE FROM review_items WHERE id = ?", (item_id,))


# -- comments -----------------------------------------------------------------------------------
def comments(db: Database) -> list[sqlite3.Row]:
    return db.query("SELECT * FROM review_comments ORDER BY created, id")


def comments_by_ref(db: Database, ref: str) -> list[sqlite3.Row]:
    """The comment with this id, else (for 6 characters or more) those whose id starts so."""
    rows = db.query("SELECT * FROM review_comments WHERE id = ?", (ref,))
    if not rows and len(ref) >= 6:
        rows = db.query("SELECT * FROM review_comments WHERE substr(id, 1, ?) = ?", (len(ref), ref))
    return rows


def insert_comment(conn: Conn, comment_id: str, item_id: str, parent_id: str | None, author: str, text: str,
                   created: str, resolved: str | None = None, resolved_by: str | None = None) -> None:
    conn.execute(
        "INSERT INTO review_comments(id, item_id, parent_id, author, text, created, resolved, resolved_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (comment_id, item_id, parent_id, author, text, created, resolved, resolved_by))


def move_comments(conn: Conn, from_item: str, to_item: str) -> None:
    conn.execute("UPDATE review_comments SET item_id = ? WHERE item_id = ?", (to_item, from_item))


def set_resolved(conn: Conn, comment_id: str, resolved: str | None, resolved_by: str | None) -> None:
    """Resolve a thread (or open it again with None, None)."""
    conn.execute("UPDATE review_comments SET resolved = ?, resolved_by = ? WHERE id = ?",
                 (resolved, resolved_by, comment_id))


# -- imports ------------------------------------------------------------------------------------
def import_known(db: Database, review_id: str) -> bool:
    return db.scalar("SELECT 1 FROM review_imports WHERE id = ?", (review_id,)) is not None


def imports(db: Database) -> list[tuple[str | None, str | None, int | None]]:
    """(reviewer, exported, base_action_id) of every imported review, oldest first."""
    return [(r[0], r[1], r[2]) for r in
            db.query("SELECT reviewer, exported, base_action_id FROM review_imports ORDER BY imported")]


def insert_import(conn: Conn, review_id: str, reviewer: str, exported: str | None, base_action_id: int | None,
                  source: str, imported: str) -> None:
    # A review file imported twice is recorded once (its id is the file's review_id).
    if conn.execute("SELECT 1 FROM review_imports WHERE id = ?", (review_id,)).fetchone() is None:
        conn.execute(
            "INSERT INTO review_imports(id, reviewer, exported, base_action_id, source, imported) "
            "VALUES (?, ?, ?, ?, ?, ?)", (review_id, reviewer, exported, base_action_id, source, imported))


# -- the action log as the review reads it ---------------------------------------------------------
def action_in_flight(conn: Conn) -> int:
    """The id of the action whose transaction `conn` is in."""
    return conn.execute("SELECT action_id FROM capture WHERE one = 1").fetchone()[0]


def action_time(db: Database, action_id: int) -> str | None:
    return db.scalar("SELECT time FROM actions WHERE id = ?", (action_id,))


def last_action_of_kinds(db: Database, kinds: Iterable[str], *, coder: str | None = None,
                         not_coder: str | None = None) -> tuple[int, str, str | None] | None:
    """(id, time, coder) of the newest action not undone of one of `kinds`: by `coder`, or by
    anyone but `not_coder`."""
    kinds = tuple(kinds)
    marks = ",".join("?" for _ in kinds)
    who, param = ("coder = ?", coder) if coder is not None else ("coder IS NOT ?", not_coder)
    row = db.query_one(f"SELECT id, time, coder FROM actions WHERE kind IN ({marks}) AND undone = 0 "
                       f"AND {who} ORDER BY id DESC LIMIT 1", (*kinds, param))
    return None if row is None else (row[0], row[1], row[2])


def actions_newest_first(db: Database) -> list[tuple[int, str, str, str | None]]:
    """(id, time, kind, kind of the action it reverts) of every action, newest first."""
    return [(r[0], r[1], r[2], r[3]) for r in db.query(
        "SELECT a.id, a.time, a.kind, r.kind FROM actions a LEFT JOIN actions r ON r.id = a.reverts "
        "ORDER BY a.id DESC")]


def history(db: Database, since: int) -> list[sqlite3.Row]:
    """Rows of review_history after action `since`, in the order they happened."""
    return db.query("SELECT * FROM review_history WHERE action_id > ? ORDER BY seq", (since,))


def alias_labels(db: Database) -> dict[str, str]:
    """Labels of merged codes, by their old id."""
    return {r[0]: r[1] for r in db.query("SELECT old_id, old_label FROM code_aliases")}


def set_comment_text(conn: Conn, comment_id: str, text: str) -> None:
    """A comment's text (the anonymisation guard's replacement, issue 18)."""
    conn.execute("UPDATE review_comments SET text = ? WHERE id = ?", (text, comment_id))
