"""Undo, redo and the audit trail, replayed from the captured row changes.

Each coder has a linear history: undo reverts that coder's newest action that is not undone;
redo re-applies the coder's most recently undone one; a new action by the coder discards
their redo chain (undone = 2). So a student's ctrl+z never reverts the supervisor's work on a
shared file. Before anything is reverted, every row must still be as the action left it; if
someone changed it since, the undo is refused (Conflict) rather than overwrite their work.
Undo and redo are themselves logged (kind 'undo'/'redo', `reverts` = the action).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from themecoder.errors import Conflict
from themecoder.store import index, schema
from themecoder.store.db import Database, is_integrity_error, now


@dataclass(frozen=True, slots=True)
class Action:
    id: int
    time: str
    coder: str | None
    kind: str
    summary: str
    details: dict
    undone: int
    reverts: int | None


def _row_to_action(row: sqlite3.Row) -> Action:
    return Action(
        row["id"], row["time"], row["coder"], row["kind"], row["summary"],
        json.loads(row["details"] or "{}"), row["undone"], row["reverts"],
    )


def history(db: Database, *, since: int = 0, limit: int | None = None) -> list[Action]:
    sql = "SELECT * FROM actions WHERE id > ? ORDER BY id"
    params: tuple = (since,)
    if limit is not None:
        sql = "SELECT * FROM (SELECT * FROM actions WHERE id > ? ORDER BY id DESC LIMIT ?) AS recent ORDER BY id"
        params = (since, limit)
    return [_row_to_action(r) for r in db.query(sql, params)]


def last_action_id(db: Database) -> int:
    """The newest action's id (0 in a new project)."""
    return db.scalar("SELECT coalesce(max(id), 0) FROM actions") or 0


def next_undo(db: Database, coder: str | None = None) -> Action | None:
    # Actions whose row changes were purged (or that changed nothing) cannot be undone.
    row = db.query_one(
        "SELECT * FROM actions a WHERE undone = 0 AND reverts IS NULL AND (? IS NULL OR coder IS ?) "
        "AND EXISTS (SELECT 1 FROM changes c WHERE c.action_id = a.id) "
        "ORDER BY id DESC LIMIT 1", (coder, coder),
    )
    return None if row is None else _row_to_action(row)


def next_redo(db: Database, coder: str | None = None) -> Action | None:
    row = db.query_one(
        "SELECT * FROM actions WHERE undone = 1 AND reverts IS NULL AND (? IS NULL OR coder IS ?) "
        "ORDER BY id ASC LIMIT 1", (coder, coder),
    )
    return None if row is None else _row_to_action(row)


def decode_row(text: str | None) -> dict | None:
    """A captured row: reals were tagged {"$r": "17 digits"} so they come back exact."""
    if not text:
        return None
    row = json.loads(text)
    for key, value in row.items():
        if isinstance(value, dict) and "$r" in value:
            row[key] = float(value["$r"])
    return row


def _where_pk(conn: sqlite3.Connection, table: str, row: dict) -> tuple[str, list]:
    pk = schema.primary_key(conn, table)
    return " AND ".join(f'"{c}" = ?' for c in pk), [row[c] for c in pk]


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    cols = list(row)
    try:
        conn.execute(
            f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
            f'VALUES ({", ".join("?" for _ in cols)})',
            [row[c] for c in cols],
        )
    except Exception as exc:
        if not is_integrity_error(exc):
            raise
        raise Conflict(f"cannot restore a {table} row: the project changed since ({exc})") from None


def _delete(conn: sqlite3.Connection, table: str, row: dict) -> None:
    where, params = _where_pk(conn, table, row)
    conn.execute(f'DELETE FROM "{table}" WHERE {where}', params)


def _update(conn: sqlite3.Connection, table: str, row: dict) -> None:
    where, params = _where_pk(conn, table, row)
    cols = list(row)
    conn.execute(
        f'UPDATE "{table}" SET {", ".join(chr(34) + c + chr(34) + " = ?" for c in cols)} WHERE {where}',
        [row[c] for c in cols] + params,
    )


def _current(conn: sqlite3.Connection, table: str, row: dict) -> dict | None:
    where, params = _where_pk(conn, table, row)
    cur = conn.execute(f'SELECT * FROM "{table}" WHERE {where}', params)
    found = cur.fetchone()
    if found is None:
        return None
    return {d[0]: found[i] for i, d in enumerate(cur.description)}


def _expect(conn: sqlite3.Connection, table: str, key_row: dict, expected: dict | None) -> None:
    """Refuse to revert a row that changed after the action (another window, another coder)."""
    current = _current(conn, table, key_row)
    if current is None and expected is None:
        return
    if current is not None and expected is not None and all(current.get(k) == v for k, v in expected.items()):
        return
    raise Conflict(f"cannot revert: a {table} row was changed later (by another action or window); "
                   f"undo that first or leave it")


def _holds(conn: sqlite3.Connection, table: str, key_row: dict, state: dict | None) -> bool:
    """Is the row already as `state` (None: gone)?"""
    current = _current(conn, table, key_row)
    if state is None:
        return current is None
    return current is not None and all(current.get(k) == v for k, v in state.items())


def check_not_stale(conn: Any, action_id: int, seen: int, coder: str | None) -> None:
    """Refuse (Conflict) an action that updates or deletes a row someone else changed after
    action `seen` (what this session has seen): two people editing the same code at once get
    a conflict, not a silent overwrite. Rows others only inserted do not count: to change one,
    this session must have read it. Runs inside the action, before it commits."""
    mine = conn.execute("SELECT tbl, old FROM changes WHERE action_id = ? AND op IN ('U', 'D')",
                        (action_id,)).fetchall()
    if not mine:
        return
    tables = {r[0] for r in mine}
    marks = ", ".join("?" for _ in tables)
    theirs = conn.execute(
        f"SELECT c.tbl, c.old, c.new, a.coder, a.summary FROM changes c JOIN actions a ON a.id = c.action_id "
        f"WHERE c.action_id > ? AND c.action_id <> ? AND a.coder IS NOT ? AND a.undone = 0 AND c.op IN ('U', 'D') "
        f"AND c.tbl IN ({marks})",
        (seen, action_id, coder, *tables)).fetchall()
    if not theirs:
        return
    keys: dict[str, list[str]] = {t: schema.primary_key(conn, t) for t in tables}

    def key(tbl: str, row: dict | None) -> tuple | None:
        return None if row is None else (tbl, *(row.get(c) for c in keys[tbl]))

    changed = {}
    for tbl, old, new, who, summary in theirs:
        for row in (decode_row(old), decode_row(new)):
            k = key(tbl, row)
            if k is not None:
                changed[k] = (who, summary)
    for tbl, old in mine:
        hit = changed.get(key(tbl, decode_row(old)) or ())
        if hit is not None:
            what = {"codes": "code", "themes": "theme", "codings": "coding", "memos": "memo"}.get(tbl, f"{tbl} row")
            raise Conflict(f"{hit[0] or 'someone'} changed this {what} meanwhile ({hit[1]}); "
                           "nothing was saved: look at it again and redo your change")


def _replay(conn: sqlite3.Connection, action_id: int, *, backwards: bool) -> set[str]:
    """Apply an action's changes inverted (undo) or again (redo). Returns touched document ids."""
    order = "DESC" if backwards else "ASC"
    rows = conn.execute(
        f"SELECT tbl, op, old, new FROM changes WHERE action_id = ? ORDER BY seq {order}",
        (action_id,),
    ).fetchall()
    touched: set[str] = set()
    deleted = False
    for tbl, op, old, new in rows:
        old_row = decode_row(old)
        new_row = decode_row(new)
        # Undo restores the row as it was before; redo as it was after.
        before, after = (new_row, old_row) if backwards else (old_row, new_row)
        step = {"I": "D", "D": "I"}.get(op, op) if backwards else op
        # A delete earlier in this replay may have done this step already (ON DELETE CASCADE /
        # SET NULL): PostgreSQL logs the cascaded rows after their parent, SQLite before it.
        if deleted and step != "I" and _holds(conn, tbl, _present(before or after), after):
            continue
        _expect(conn, tbl, _present(before or after), before)
        deleted = deleted or step == "D"
        if step == "I":
            _insert(conn, tbl, _present(after))
        elif step == "D":
            _delete(conn, tbl, _present(before))
        else:
            _update(conn, tbl, _present(after))
        if tbl == "documents":
            doc = _present(new_row or old_row)
            if op != "U" or (old_row or {}).get("text") != (new_row or {}).get("text"):
                touched.add(doc["id"])
    return touched


def _present(row: dict | None) -> dict:
    if row is None:
        raise Conflict("the undo record of this action is damaged (a row change without the row)")
    return row


def _revert(db: Database, action: Action, *, backwards: bool, coder: str | None) -> set[str]:
    with db._lock, db.writing():  # read-only, full disk, damage: one line (issue 18.7)
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Rows restored in any order: parents and children are checked at commit.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            current = conn.execute("SELECT undone FROM actions WHERE id = ?", (action.id,)).fetchone()
            if current is None or current[0] != (0 if backwards else 1):
                raise Conflict("the history changed in another window; refresh and try again")
            touched = _replay(conn, action.id, backwards=backwards)
            # Derived text data of touched documents is dropped; it is rebuilt lazily.
            for doc_id in touched:
                index.clear(conn, doc_id)
            conn.execute(
                "UPDATE actions SET undone = ? WHERE id = ?", (1 if backwards else 0, action.id)
            )
            verb = "undo" if backwards else "redo"
            conn.execute(
                "INSERT INTO actions(time, coder, kind, summary, details, undone, reverts) "
                "VALUES (?, ?, ?, ?, '{}', 0, ?)",
                (now(), coder, verb, f"{verb}: {action.summary}", action.id),
            )
            conn.execute("COMMIT")
        except BaseException as exc:
            db.rollback()
            if is_integrity_error(exc):
                raise Conflict(f"cannot {'undo' if backwards else 'redo'}: {exc}") from None
            raise
    return touched


def undo(db: Database, *, coder: str | None = None) -> tuple[Action | None, set[str]]:
    action = next_undo(db, coder)
    if action is None:
        return None, set()
    return action, _revert(db, action, backwards=True, coder=coder)


def redo(db: Database, *, coder: str | None = None) -> tuple[Action | None, set[str]]:
    action = next_redo(db, coder)
    if action is None:
        return None, set()
    return action, _revert(db, action, backwards=False, coder=coder)


def purge_undo_data(db: Database) -> int:
    """Forget the row data that undo needs, keeping the audit trail (who did what when).

    After pseudonymisation the captured rows still hold the original text; this removes
    them for good: the file is vacuumed and the WAL truncated so no old page survives.
    Returns how many actions can no longer be undone or redone.
    """
    with db.transaction(secure_delete=True) as conn:  # zeroed even if VACUUM fails (issue 18.7)
        n = conn.execute(
            "SELECT count(DISTINCT action_id) FROM changes c JOIN actions a ON a.id = c.action_id "
            "WHERE a.undone IN (0, 1)"
        ).fetchone()[0]
        conn.execute("DELETE FROM changes")
        conn.execute("UPDATE actions SET undone = 2 WHERE undone = 1")
    db.compact()
    return n
