"""The project file: one SQLite database, WAL, foreign keys on, versioned schema.

Every user action is one `BEGIN IMMEDIATE ... COMMIT` through `Database.action`, so a killed
process loses at most the action in flight, and a second process (a supervisor on the same
file) waits for the lock instead of corrupting anything.
"""
from __future__ import annotations

import json
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from themecoder.errors import UserError
from themecoder.store import schema

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_integrity_error(exc: BaseException) -> bool:
    """A broken constraint on either backend (psycopg is imported only for server projects)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return True
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.IntegrityError)


def is_server_target(target: object) -> bool:
    """A PostgreSQL URL (`postgresql://host/db?project=name`) rather than a project file."""
    from themecoder.store import pg

    return pg.is_url(str(target)) if isinstance(target, str) else False


def open_database(target: str | Path, *, create: bool = False) -> Database:
    """The project at `target`: a SQLite file (a path) or a schema on a PostgreSQL server (a URL).
    Both have the same interface; the PostgreSQL one is store.pg.PgDatabase."""
    if is_server_target(target):
        from themecoder.store.pg import PgDatabase

        return PgDatabase(str(target), create=create)  # type: ignore[return-value]
    return Database(target, create=create)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class ActionInfo:
    id: int
    kind: str
    summary: str


class Database:
    dialect = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        if create:
            if self.path.exists():
                raise UserError(f"{self.path} already exists")
            if not self.path.parent.exists():
                raise UserError(f"folder {self.path.parent} does not exist")
        else:
            if not self.path.exists():
                raise UserError(f"no project at {self.path}")
            if self.path.is_dir():
                raise UserError(f"{self.path} is a folder; give the project file (*.themecoder)")
            with self.path.open("rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise UserError(f"{self.path} is not a themecoder project file")
        self._lock = threading.RLock()
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=15
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA busy_timeout = 15000")
            if not create and self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'project'"
            ).fetchone() is None:
                self.conn.close()
                raise UserError(f"{self.path} is not a themecoder project file")
            self.migrated_from, self.version = schema.migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise UserError(f"cannot open {self.path}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # -- reading -----------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_tuples(self, sql: str, params: Any = ()) -> list[tuple]:
        """Plain tuples: several times cheaper than Row objects for large results."""
        with self._lock:
            cur = self.conn.cursor()
            cur.row_factory = None
            return cur.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write that is not a user action (derived data such as the lemma index)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def action(
        self, kind: str, summary: str, *, coder: str | None, details: dict | None = None
    ) -> Iterator[sqlite3.Connection]:
        """One user action: one transaction, logged, every row change captured for undo."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                # A new action ends this coder's redo chain.
                self.conn.execute("UPDATE actions SET undone = 2 WHERE undone = 1 AND coder IS ?", (coder,))
                cur = self.conn.execute(
                    "INSERT INTO actions(time, coder, kind, summary, details) VALUES (?, ?, ?, ?, ?)",
                    (now(), coder, kind, summary, json.dumps(details or {}, ensure_ascii=False)),
                )
                action_id = cur.lastrowid
                self.conn.execute("UPDATE capture SET action_id = ? WHERE one = 1", (action_id,))
                yield self.conn
                self.conn.execute("UPDATE capture SET action_id = NULL WHERE one = 1")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def update_action_summary(self, conn: sqlite3.Connection, summary: str, details: dict | None = None) -> None:
        """Refine the summary of the action in flight (once its outcome is known)."""
        action_id = conn.execute("SELECT action_id FROM capture WHERE one = 1").fetchone()[0]
        if details is None:
            conn.execute("UPDATE actions SET summary = ? WHERE id = ?", (summary, action_id))
        else:
            conn.execute(
                "UPDATE actions SET summary = ?, details = ? WHERE id = ?",
                (summary, json.dumps(details, ensure_ascii=False), action_id),
            )
