"""Reads that the REFI-QDA exchange needs beyond one table's module: coders, attributes."""
from __future__ import annotations

from themecoder.store.db import Database


def coders(db: Database) -> list[tuple[str, str]]:
    """(id, name) of every coder, by name."""
    return [(r[0], r[1]) for r in db.query_tuples("SELECT id, name FROM coders ORDER BY name")]


def coding_and_memo_authors(db: Database) -> list[str]:
    """Every name found as a coding's coder or a memo's author."""
    return [r[0] for r in db.query_tuples(
        "SELECT DISTINCT coder FROM codings WHERE coder IS NOT NULL "
        "UNION SELECT DISTINCT author FROM memos WHERE author IS NOT NULL")]


def attributes(db: Database) -> list[tuple[str, str, str]]:
    """(id, name, type) of every participant attribute, by name."""
    return [(r[0], r[1], r[2]) for r in db.query_tuples("SELECT id, name, type FROM attributes ORDER BY name")]
