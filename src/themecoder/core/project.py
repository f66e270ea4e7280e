"""The Project: an open project file plus the current coder. Operations take a Project."""
from __future__ import annotations

import getpass
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from themecoder import store
from themecoder.core.text import strip_controls
from themecoder.errors import UserError
from themecoder.store import actionlog
from themecoder.store import db as store_db
from themecoder.store.db import Database, is_server_target, now

SUFFIX = ".themecoder"


def new_id() -> str:
    return str(uuid.uuid4())


def default_coder() -> str:
    name = os.environ.get("THEMECODER_CODER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


class Project:
    def __init__(self, db: Database, coder: str | None = None) -> None:
        self.db = db
        # On a server each person is their own PostgreSQL role: that is their name in the log.
        self.coder = coder or os.environ.get("THEMECODER_CODER") or getattr(db, "user", None) or default_coder()
        self._coder_known = False  # registered with the first write: opening never writes
        # On a server: the newest action this session has shown (see mark_seen).
        self.seen = self.last_action_id() if self.on_server else 0

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, name: str | None = None, coder: str | None = None) -> Project:
        """A new project: a file, or a schema on a PostgreSQL server (`postgresql://...?project=x`)."""
        if not is_server_target(path):
            path = Path(path)
            if path.suffix != SUFFIX:
                path = path.with_name(path.name + SUFFIX)
        db = store_db.open_database(path, create=True)
        try:
            with db.transaction() as conn:
                for key, value in (
                    ("id", new_id()),
                    ("name", strip_controls(name or "", keep_lines=False) or db.path.stem),
                    ("created", now()),
                    ("language", "nb"),
                ):
                    store.project.set_setting(conn, key, value)
        except BaseException:
            db._discard()  # a project that could not be made whole is not left behind
            raise
        return cls(db, coder)

    @classmethod
    def open(cls, path: str | Path, *, coder: str | None = None) -> Project:
        """Open a project file or a project on a PostgreSQL server (a `postgresql://` URL)."""
        if not is_server_target(path):
            path = Path(path)
            if not path.exists() and path.suffix != SUFFIX and path.with_name(path.name + SUFFIX).exists():
                path = path.with_name(path.name + SUFFIX)
        return cls(store_db.open_database(path), coder)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def location(self) -> str:
        """What to show people: the file's path, or the server URL."""
        return str(getattr(self.db, "url", self.db.path))

    @property
    def on_server(self) -> bool:
        return self.db.dialect == "postgresql"

    @property
    def name(self) -> str:
        return store.project.setting(self.db, "name", self.path.stem) or self.path.stem

    @property
    def id(self) -> str:
        return store.project.setting(self.db, "id", "") or ""

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def check_intact(self) -> None:
        """UserError (one line) when SQLite finds a damaged page anywhere in the file."""
        self.db.check_intact()

    def setting(self, key: str, default: str | None = None) -> str | None:
        return store.project.setting(self.db, key, default)

    def register_coder(self, conn: sqlite3.Connection) -> None:
        """Inside the first write of this session (not captured for undo): the coder's row.
        Opening a project never writes, so a read-only project can still be read."""
        if not self._coder_known:
            store.project.add_coder(conn, new_id(), self.coder, now())
            self._coder_known = True

    # -- acting --------------------------------------------------------------------------
    @contextmanager
    def action(self, kind: str, summary: str, details: dict[str, Any] | None = None) -> Iterator[sqlite3.Connection]:
        try:
            if self.on_server:  # others act at the same time: refuse to overwrite what we have not seen
                with self.db.action(kind, summary, coder=self.coder, details=details, seen=self.seen,  # type: ignore[call-arg]
                                    prepare=self.register_coder) as conn:
                    yield conn
            else:
                with self.db.action(kind, summary, coder=self.coder, details=details,
                                    prepare=self.register_coder) as conn:
                    yield conn
        except BaseException:
            self._coder_known = False  # rolled back with the action
            raise

    def mark_seen(self) -> int:
        """The person now sees the project as it is (a view refreshed after others' actions):
        later edits are checked against this point. Returns the newest action id."""
        self.seen = self.last_action_id()
        return self.seen

    def listen(self) -> Any:
        """On a server: a listener whose wait(timeout) returns the ids of actions committed by
        anyone (LISTEN/NOTIFY); None for a file."""
        return self.db.listen() if self.on_server else None  # type: ignore[attr-defined]

    def set_setting(self, key: str, value: str, *, summary: str | None = None) -> None:
        with self.action("setting", summary or f"set {key}", {"key": key, "value": value}) as conn:
            store.project.set_setting(conn, key, value)

    def undo(self) -> actionlog.Action | None:
        action, _ = actionlog.undo(self.db, coder=self.coder)
        return action

    def redo(self) -> actionlog.Action | None:
        action, _ = actionlog.redo(self.db, coder=self.coder)
        return action

    def next_undo(self, *, anyone: bool = False) -> actionlog.Action | None:
        """What `undo` would take back: this coder's newest undoable action (anyone's with
        `anyone`), without changing anything."""
        return actionlog.next_undo(self.db, None if anyone else self.coder)

    def next_redo(self, *, anyone: bool = False) -> actionlog.Action | None:
        return actionlog.next_redo(self.db, None if anyone else self.coder)

    def purge_undo(self) -> int:
        """Forget the undo data of every action (after pseudonymisation it holds the original
        names); the action log and the review history stay. Cannot be undone. Returns the
        number of actions."""
        return actionlog.purge_undo_data(self.db)

    def history(self, since: int = 0, limit: int | None = None) -> list[actionlog.Action]:
        return actionlog.history(self.db, since=since, limit=limit)

    def last_action_id(self) -> int:
        return actionlog.last_action_id(self.db)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise UserError(message)
