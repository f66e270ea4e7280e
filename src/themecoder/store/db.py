"""The project file: one SQLite database, WAL, foreign keys on, versioned schema.

Every user action is one `BEGIN IMMEDIATE ... COMMIT` through `Database.action`, so a killed
process loses at most the action in flight, and a second process (a supervisor on the same
file) waits for the lock instead of corrupting anything.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
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


SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_target(target: object) -> bool:
    """A PostgreSQL URL (`postgresql://host/db?project=name`) rather than a project file.
    (Tested here, not in store.pg, so that a file project never loads the server backend.)"""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


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
        self.read_only = False
        if create:
            if self.path.exists():
                raise UserError(f"{self.path} already exists")
            if not self.path.parent.exists():
                raise UserError(f"folder {self.path.parent} does not exist")
            _create_private(self.path)
        else:
            if not self.path.exists():
                raise UserError(f"no project at {self.path}")
            if self.path.is_dir():
                raise UserError(f"{self.path} is a folder; give the project file (*.themecoder)")
            try:
                with self.path.open("rb") as fh:
                    head = fh.read(16)
            except OSError as exc:
                raise UserError(f"cannot read {self.path}: {exc.strerror}") from None
            if head != SQLITE_MAGIC:
                raise UserError(f"{self.path} is not a themecoder project file")
            # Opening never writes: a file or folder we may not write is opened read-only, so
            # reading works and every write says so in one line (see writing()).
            self.read_only = not _writable(self.path)
        self._lock = threading.RLock()
        try:
            self.conn = self._connect()
            if not create and self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'project'"
            ).fetchone() is None:
                self.conn.close()
                raise UserError(f"{self.path} is not a themecoder project file")
            if self.read_only and self.conn.execute("PRAGMA user_version").fetchone()[0] < schema.current_version():
                self.conn.close()
                raise UserError(f"{self.path} is read-only and was written by an older themecoder; "
                                "open it once where it can be written to upgrade it")
            self.migrated_from, self.version = schema.migrate(self.conn)
        except BaseException as exc:
            if create:  # a project that could not be made whole is not left behind
                self._discard()
            if isinstance(exc, sqlite3.DatabaseError):
                raise self.explain(exc, "cannot open") from None
            raise

    def _discard(self) -> None:
        """Close and remove a file being created (with its -wal/-shm) after a failure."""
        try:
            self.conn.close()
        except (AttributeError, sqlite3.Error):
            pass
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except OSError:
                pass

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            uri = "file:" + _uri_path(self.path) + "?mode=ro"
            try:
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                       timeout=15)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                # A read-only folder with no -shm beside the file: read the file as it is.
                conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                                       check_same_thread=False, timeout=15)
        else:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=15)
        conn.row_factory = sqlite3.Row
        if not self.read_only and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 15000")
        return conn

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # -- reading -----------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock, self._reading():
            return self.conn.execute(sql, params).fetchall()

    def query_tuples(self, sql: str, params: Any = ()) -> list[tuple]:
        """Plain tuples: several times cheaper than Row objects for large results."""
        with self._lock, self._reading():
            cur = self.conn.cursor()
            cur.row_factory = None
            return cur.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self._lock, self._reading():
            return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self, *, secure_delete: bool = False) -> Iterator[sqlite3.Connection]:
        """A write that is not a user action (derived data such as the lemma index).
        `secure_delete`: deleted content is overwritten with zeros in the same transaction, so
        it is gone once committed even if a later VACUUM fails (a full disk)."""
        with self._lock, self.writing():
            if secure_delete:
                self.conn.execute("PRAGMA secure_delete = ON")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                yield self.conn
                self.conn.execute("COMMIT")
            finally:
                if secure_delete:
                    self.rollback()
                    self.conn.execute("PRAGMA secure_delete = OFF")

    def compact(self) -> None:
        """Fold the WAL into the file, VACUUM, truncate the WAL: no old page survives. A VACUUM
        that fails for want of space is skipped (it needs a temporary copy of the file); the
        content it would have dropped was overwritten already (transaction(secure_delete))."""
        with self._lock:
            if self.read_only:
                raise self.read_only_error()
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                try:
                    self.conn.execute("VACUUM")
                except sqlite3.OperationalError as exc:
                    if "full" not in str(exc).lower():
                        raise
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.DatabaseError as exc:
                raise self.explain(exc, "the file was not compacted") from None

    @contextmanager
    def action(
        self, kind: str, summary: str, *, coder: str | None, details: dict | None = None,
        prepare: Callable[[sqlite3.Connection], None] | None = None,
    ) -> Iterator[sqlite3.Connection]:
        """One user action: one transaction, logged, every row change captured for undo.
        `prepare(conn)` runs first, inside the transaction but not captured (the Project
        registers its coder there, so that opening a project never writes)."""
        with self._lock, self.writing():
            self.conn.execute("BEGIN IMMEDIATE")
            if prepare is not None:
                prepare(self.conn)
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

    # -- errors (issue 18 point 7 and 11): one true line, nothing half-written -------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around one write transaction: refuse on a read-only project; on any failure roll
        back (a failed ROLLBACK, e.g. after SQLite already rolled back on a full disk, never
        hides the real error) and say what happened in one line."""
        if self.read_only:
            raise self.read_only_error()
        try:
            yield
        except BaseException as exc:
            self.rollback()
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
                raise self.explain(exc, "nothing was saved") from None
            raise

    @contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise self.explain(exc, "cannot read") from None

    def rollback(self) -> None:
        """ROLLBACK if a transaction is open; a failing ROLLBACK is never the error reported."""
        if not self.conn.in_transaction:
            return
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolled back already (SQLITE_FULL, I/O errors): nothing is left

    def read_only_error(self) -> UserError:
        return UserError(f"{self.path} is read-only: reading works, but nothing can be changed "
                         "(make the file and its folder writable, or work on a copy)")

    def explain(self, exc: sqlite3.Error, doing: str) -> UserError:
        """One true line for an SQLite failure; never echoes the file's content."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        msg = str(exc).lower()
        if name.startswith("SQLITE_FULL") or "disk is full" in msg:
            return UserError(f"disk full: {doing} ({self.path}); free some space and try again")
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in msg \
                or "not a database" in msg:
            return UserError(f"{self.path} is damaged ({doing}): SQLite cannot read part of it; "
                             "restore it from a backup")
        if name.startswith("SQLITE_READONLY") or "readonly database" in msg:
            return self.read_only_error()
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in msg:
            return UserError(f"{self.path} is busy (someone else is writing); {doing}; try again")
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")) or "i/o error" in msg:
            return UserError(f"disk error on {self.path}: {doing}; check the disk and try again")
        return UserError(f"database error on {self.path} ({doing}): {str(exc)[:120]}")

    def check_intact(self) -> None:
        """SQLite's quick check over every page; UserError (one line) on a damaged file."""
        try:
            with self._lock:
                rows = self.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            raise self.explain(exc, "the quick check failed") from None
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            n = len(problems)
            raise UserError(f"{self.path} is damaged: SQLite's check found {n} problem{'s' if n != 1 else ''}; "
                            "restore it from a backup")

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


def _writable(path: Path) -> bool:
    """Can we write the file, and create its -wal/-shm beside it?"""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def _create_private(path: Path) -> None:
    """Create the project file 0600 before SQLite opens it (projects hold personal data);
    its -wal and -shm take the same mode from it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UserError(f"{path} already exists") from None
    except OSError as exc:
        raise UserError(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)
