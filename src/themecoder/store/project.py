"""Project settings and counts."""
from __future__ import annotations

from themecoder.store.db import Database


def setting(db: Database, key: str, default: str | None = None) -> str | None:
    v = db.scalar("SELECT value FROM project WHERE key = ?", (key,))
    return default if v is None else v


def counts(db: Database) -> dict[str, int]:
    tables = ["documents", "participants", "sentences", "codes", "codings", "themes", "memos"]
    return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in tables}
