"""Themes and the code-to-theme mapping: reads."""
from __future__ import annotations

import sqlite3
from collections import defaultdict

from themecoder.errors import NotFound
from themecoder.model import (
    Code,
    Theme,
)
from themecoder.store.codes import _code
from themecoder.store.db import Database


def _theme(r: sqlite3.Row) -> Theme:
    return Theme(r["id"], r["parent_id"], r["name"], r["description"], r["analytic_text"],
                 r["condensate"], r["key_coding_id"], r["position"], r["created"])


def themes(db: Database) -> list[Theme]:
    """All themes, parents before children, each level in its order."""
    rows = [_theme(r) for r in db.query("SELECT * FROM themes ORDER BY position, name")]
    children: dict[str | None, list[Theme]] = defaultdict(list)
    for t in rows:
        children[t.parent_id].append(t)
    out: list[Theme] = []

    def walk(parent: str | None) -> None:
        for t in children.get(parent, []):
            out.append(t)
            walk(t.id)

    walk(None)
    return out


def theme(db: Database, theme_id: str) -> Theme:
    r = db.query_one("SELECT * FROM themes WHERE id = ?", (theme_id,))
    if r is None:
        raise NotFound(f"no theme with id {theme_id}")
    return _theme(r)


def find_theme(db: Database, ref: str) -> Theme:
    rows = db.query("SELECT * FROM themes WHERE id = ? OR name = ?", (ref, ref))
    if not rows:
        rows = db.query("SELECT * FROM themes WHERE lower(name) = lower(?)", (ref,))
    if not rows and len(ref) >= 6:
        rows = db.query("SELECT * FROM themes WHERE id LIKE ? || '%'", (ref,))
    if len(rows) != 1:
        raise NotFound(f"no theme {ref!r}" if not rows else f"several themes are called {ref!r}; use the id")
    return _theme(rows[0])


def theme_codes(db: Database, theme_id: str) -> list[Code]:
    return [_code(r) for r in db.query(
        "SELECT c.* FROM codes c JOIN code_themes ct ON ct.code_id = c.id WHERE ct.theme_id = ? "
        "ORDER BY ct.position, c.label COLLATE NOCASE", (theme_id,))]


def code_theme_pairs(db: Database) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.query("SELECT code_id, theme_id FROM code_themes ORDER BY theme_id, position")]
