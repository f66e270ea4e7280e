"""A project on a PostgreSQL server: the same interface as store.db.Database.

A project is one schema (`search_path`), so many projects share a database. The target is a
URL, `postgresql://host/db?project=name`, or a libpq service, `postgresql:///?service=team&project=name`
(`project` is ours and removed before libpq sees the rest). Each person connects as their own
PostgreSQL role: the server's grants decide what they may change (core.team sets them up).

The store modules keep their one dialect: `PgConnection.execute` rewrites each statement once
(store.pg_sql) and binds parameters on the client (psycopg's ClientCursor), which behaves as
SQLite's dynamic typing does for `? IS NULL` and friends. Each user action runs in one
transaction that first takes the project's advisory lock, so actions on one project are
serialised exactly as on a SQLite file (BEGIN IMMEDIATE), and readers are never blocked.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from themecoder.errors import UserError
from themecoder.store import pg_schema, pg_sql, pg_team

_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
DEFAULT_PROJECT = "themecoder"


def split_target(target: str) -> tuple[str, str]:
    """(libpq conninfo URL without `project`, project/schema name)."""
    parts = urlsplit(target)
    query = parse_qsl(parts.query, keep_blank_values=True)
    project = next((v for k, v in query if k == "project"), DEFAULT_PROJECT)
    rest = urlencode([(k, v) for k, v in query if k != "project"])
    if not _NAME.fullmatch(project):
        raise UserError(f"project name {project!r} on the server: use lower-case letters, digits and _ "
                        "(starting with a letter)")
    return _unsplit(parts.scheme, parts.netloc, parts.path, rest), project


def with_project(target: str, project: str) -> str:
    conninfo, _ = split_target(target)
    parts = urlsplit(conninfo)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("project", project)]
    return _unsplit(parts.scheme, parts.netloc, parts.path, urlencode(query))


def _unsplit(scheme: str, netloc: str, path: str, query: str) -> str:
    """As urlunsplit, but keeps `//` with an empty host (`postgresql:///?service=team`)."""
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


class Row(tuple):
    """A result row readable by position and by column name, as sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    names = tuple(d.name for d in desc)
    cls = type("Row", (Row,), {"_names": names, "__slots__": ()})
    return lambda values: cls(values)


def _params(params: Any) -> Any:
    if isinstance(params, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return tuple(int(v) if isinstance(v, bool) else v for v in params)


class Cursor:
    """The part of sqlite3.Cursor the store uses."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description is not None else None

    def fetchall(self) -> list:
        return self._cur.fetchall() if self._cur.description is not None else []

    def __iter__(self) -> Iterator:
        return iter(self.fetchall())

    @property
    def description(self) -> Any:
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def lastrowid(self) -> int | None:
        raise NotImplementedError("use RETURNING on PostgreSQL")


class PgConnection:
    """The part of sqlite3.Connection the store uses, on a psycopg connection (autocommit:
    transactions are opened and closed by statements, as on SQLite)."""

    dialect = "postgresql"

    def __init__(self, raw: Any, schema_name: str) -> None:
        self.raw = raw
        self.schema_name = schema_name
        self.lock_key = f"themecoder:{schema_name}"

    def _cursor(self, row_factory: Any = _row_factory) -> Any:
        import psycopg

        return psycopg.ClientCursor(self.raw, row_factory=row_factory)

    def execute(self, sql: str, params: Any = (), *, row_factory: Any = _row_factory) -> Cursor:
        upper = sql.strip().upper()
        if upper == "BEGIN IMMEDIATE":
            # One writer per project at a time, as SQLite's write lock: no action reads a
            # stale max(position) or loses another's update.
            self.raw.execute("BEGIN")
            try:
                with _refusals(self):
                    self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.lock_key,))
            except BaseException:
                self.raw.execute("ROLLBACK")
                raise
            return Cursor(self._cursor(row_factory))
        cur = self._cursor(row_factory)
        replaced = pg_sql.special(sql)
        if replaced is not None:
            if replaced:
                cur.execute(replaced)
            return Cursor(cur)
        with _refusals(self):
            cur.execute(pg_sql.translate(sql), _params(params))
        return Cursor(cur)

    def executemany(self, sql: str, seq: Any) -> Cursor:
        cur = self._cursor()
        with _refusals(self):
            cur.executemany(pg_sql.translate(sql), [_params(p) for p in seq])
        return Cursor(cur)

    def cursor(self) -> _TupleCursor:
        return _TupleCursor(self)

    def close(self) -> None:
        self.raw.close()


@contextmanager
def _refusals(conn: PgConnection) -> Iterator[None]:
    """The server refusing a write the person's role does not allow: one clear line."""
    import psycopg

    try:
        yield
    except psycopg.errors.LockNotAvailable:
        raise UserError("the project is busy (another action has held it for 15 seconds); try again") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise UserError(pg_team.refusal(conn.raw.info.user, exc)) from None


class _TupleCursor:
    """conn.cursor() with row_factory = None (plain tuples), as Database.query_tuples uses."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn
        self.row_factory: Any = None

    def execute(self, sql: str, params: Any = ()) -> Cursor:
        from psycopg.rows import tuple_row

        return self._conn.execute(sql, params, row_factory=tuple_row)


def _connect(conninfo: str) -> Any:
    import psycopg
    from psycopg.adapt import Loader

    class Numeric(Loader):
        """sum() of integers is numeric on PostgreSQL: give int (or float) as SQLite does."""

        def load(self, data: Any) -> Any:
            text = bytes(data).decode()
            value = Decimal(text)
            return int(value) if "." not in text and value.is_finite() else float(value)

    try:
        raw = psycopg.connect(conninfo, autocommit=True)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "connection failed"
        raise UserError(f"cannot connect to the PostgreSQL server: {first}") from None
    raw.adapters.register_loader("numeric", Numeric)
    # As SQLite's busy_timeout: wait for another person's action, but not for ever.
    raw.execute("SET lock_timeout = '15s'")
    return raw


class PgDatabase:
    """The project in schema `project` of a PostgreSQL database (see module doc)."""

    dialect = "postgresql"

    def __init__(self, target: str, *, create: bool = False) -> None:
        self.url = target
        self.conninfo, self.project = split_target(target)
        self.path = Path.cwd() / f"{self.project}.themecoder"  # where exports land by default
        self._lock = threading.RLock()
        raw = _connect(self.conninfo)
        self.conn = PgConnection(raw, self.project)
        self.user: str = raw.info.user
        try:
            exists = raw.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.project,)).fetchone()
            if create and exists:
                raise UserError(f"project {self.project!r} already exists on the server")
            if not create and not exists:
                raise UserError(f"no project {self.project!r} on the server "
                                f"(create it with `themecoder team init` or `themecoder new`)")
            self.migrated_from, self.version = pg_schema.migrate(self.conn, create=create)
        except BaseException:
            raw.close()
            raise

    def __str__(self) -> str:
        return self.url

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    # -- reading -----------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query_tuples(self, sql: str, params: Any = ()) -> list[tuple]:
        with self._lock:
            return self.conn.cursor().execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> Any:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # -- writing -----------------------------------------------------------------------
    @contextmanager
    def transaction(self, *, secure_delete: bool = False) -> Iterator[PgConnection]:
        """As Database.transaction. `secure_delete` is the file's concern (freed pages); on a
        server, purge-undo rewrites the undo table instead (see compact)."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise

    # -- the file's error surface (issue 18), as far as a server has it -------------------
    read_only = False

    @contextmanager
    def writing(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        """ROLLBACK if a transaction is open; a failing ROLLBACK is never the error reported."""
        try:
            self.conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 -- the connection rolled back already (or is gone)
            pass

    def _discard(self) -> None:
        """A project that could not be made whole is not left behind: drop its schema."""
        try:
            self.rollback()
            self.conn.raw.execute(f'DROP SCHEMA IF EXISTS "{self.project}" CASCADE')
            self.conn.raw.commit()
        except Exception:  # noqa: BLE001 -- best effort; the error that brought us here is reported
            pass
        self.close()

    def check_intact(self) -> None:
        """A server checks its own pages; nothing to do here."""

    def compact(self) -> None:
        """Rewrite the undo table so purged rows leave its files (the server's WAL and backups
        are the administrator's)."""
        with self._lock:
            self.conn.execute("VACUUM")

    @contextmanager
    def action(self, kind: str, summary: str, *, coder: str | None, details: dict | None = None,
               seen: int | None = None, prepare: Any = None) -> Iterator[PgConnection]:
        """As Database.action; with `seen` (the newest action this session has shown), an update
        of a row that someone else changed after it is refused (Conflict) instead of applied."""
        from themecoder.store.actionlog import check_not_stale
        from themecoder.store.db import now

        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if prepare is not None:  # the Project registers its coder here (opening never writes)
                    prepare(self.conn)
                self.conn.execute("UPDATE actions SET undone = 2 WHERE undone = 1 AND coder IS ?", (coder,))
                action_id = self.conn.execute(
                    "INSERT INTO actions(time, coder, kind, summary, details) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (now(), coder, kind, summary, json.dumps(details or {}, ensure_ascii=False)),
                ).fetchone()[0]
                # Transaction-local: the capture triggers read it, other sessions never see it.
                self.conn.raw.execute("SELECT set_config('themecoder.action', %s, true)", (str(action_id),))
                yield self.conn
                if seen is not None:
                    check_not_stale(self.conn, action_id, seen, coder)
                self.conn.raw.execute("SELECT pg_notify(%s, %s)", (pg_schema.channel(self.project), str(action_id)))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    def update_action_summary(self, conn: PgConnection, summary: str, details: dict | None = None) -> None:
        action_id = conn.execute("SELECT action_id FROM capture WHERE one = 1").fetchone()[0]
        if details is None:
            conn.execute("UPDATE actions SET summary = ? WHERE id = ?", (summary, action_id))
        else:
            conn.execute("UPDATE actions SET summary = ?, details = ? WHERE id = ?",
                         (summary, json.dumps(details, ensure_ascii=False), action_id))

    # -- live changes ------------------------------------------------------------------
    def listen(self) -> Listener:
        """A second connection that waits for other people's actions (LISTEN/NOTIFY)."""
        return Listener(self.conninfo, pg_schema.channel(self.project))


class Listener:
    """Yields action ids as other sessions commit them; `wait(timeout)` returns a list."""

    def __init__(self, conninfo: str, channel: str) -> None:
        self._raw = _connect(conninfo)
        self._raw.execute(f'LISTEN "{channel}"')

    def wait(self, timeout: float) -> list[int]:
        ids = [int(n.payload) for n in self._raw.notifies(timeout=timeout, stop_after=1)]
        if ids:  # and whatever else arrived meanwhile
            ids += [int(n.payload) for n in self._raw.notifies(timeout=0.01)]
        return ids

    def close(self) -> None:
        self._raw.close()
