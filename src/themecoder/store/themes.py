"""Themes and the code-to-theme mapping: reads, and the one writer of `themes` and `code_themes`.

Write functions take the open connection of the action; the rules (names, sibling names,
nesting depth, no cycles) live in core.themes.
"""
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


def theme_codes(db: Database, theme_id: str) -> list[Code]:
    return [_code(r) for r in db.query(
        "SELECT c.* FROM codes c JOIN code_themes ct ON ct.code_id = c.id WHERE ct.theme_id = ? "
        "ORDER BY ct.position, c.label COLLATE NOCASE", (theme_id,))]


def code_theme_pairs(db: Database) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.query("SELECT code_id, theme_id FROM code_themes ORDER BY theme_id, position")]


def parent_of(db: Database, theme_id: str) -> str | None:
    return db.scalar("SELECT parent_id FROM themes WHERE id = ?", (theme_id,))


def child_ids(db: Database, theme_id: str) -> list[str]:
    return [r[0] for r in db.query_tuples("SELECT id FROM themes WHERE parent_id = ?", (theme_id,))]


def descendant_ids(db: Database, theme_id: str) -> list[str]:
    return [r[0] for r in db.query_tuples(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM themes WHERE parent_id = ? "
        "UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub", (theme_id,))]


def named(conn: sqlite3.Connection, parent_id: str | None, name: str, *, except_id: str | None = None,
          ignore_case: bool = True) -> str | None:
    """The id of the theme called `name` directly under `parent_id` (None: top level)."""
    sql = "lower(name) = lower(?)" if ignore_case else "name = ?"
    row = conn.execute(f"SELECT id FROM themes WHERE parent_id IS ? AND {sql} AND id IS NOT ?",
                       (parent_id, name, except_id)).fetchone()
    return None if row is None else row[0]


def sibling_ids(conn: sqlite3.Connection, parent_id: str | None, except_id: str | None = None) -> list[str]:
    """Themes under `parent_id` in their order."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM themes WHERE parent_id IS ? AND id IS NOT ? ORDER BY position, name",
        (parent_id, except_id)).fetchall()]


def name_of(conn: sqlite3.Connection, theme_id: str) -> str:
    return conn.execute("SELECT name FROM themes WHERE id = ?", (theme_id,)).fetchone()[0]


def mappings_of_code(conn: sqlite3.Connection, code_id: str) -> list[tuple[str, int, str]]:
    """(theme_id, position, created) of each theme the code is in."""
    return [tuple(r) for r in conn.execute(
        "SELECT theme_id, position, created FROM code_themes WHERE code_id = ?", (code_id,)).fetchall()]


def count_for_code(db: Database, code_id: str) -> int:
    return db.scalar("SELECT count(*) FROM code_themes WHERE code_id = ?", (code_id,)) or 0


def mapped_code_ids(db: Database) -> set[str]:
    return {r[0] for r in db.query_tuples("SELECT DISTINCT code_id FROM code_themes")}


def count(db: Database) -> int:
    return db.scalar("SELECT count(*) FROM themes") or 0


# -- writes: themes ----------------------------------------------------------------------------
_FIELDS = ("name", "description", "analytic_text", "condensate", "key_coding_id", "parent_id")


def insert(conn: sqlite3.Connection, theme_id: str, parent_id: str | None, name: str, *, created: str,
           description: str = "", analytic_text: str = "", condensate: str = "",
           position: int | None = None) -> None:
    """A new theme; by default last among its siblings."""
    if position is None:
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM themes WHERE parent_id IS ?",
                                (parent_id,)).fetchone()[0]
    conn.execute(
        "INSERT INTO themes(id, parent_id, name, description, analytic_text, condensate, position, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (theme_id, parent_id, name, description, analytic_text, condensate, position, created),
    )


def update(conn: sqlite3.Connection, theme_id: str, **fields: str | None) -> None:
    """Set any of name, description, analytic_text, condensate, key_coding_id, parent_id."""
    bad = set(fields) - set(_FIELDS)
    if bad:
        raise ValueError(f"themes have no column {sorted(bad)}")
    if fields:
        cols = ", ".join(f"{k} = ?" for k in fields)
        conn.execute(f"UPDATE themes SET {cols} WHERE id = ?", (*fields.values(), theme_id))


def renumber(conn: sqlite3.Connection, ordered_ids: list[str]) -> None:
    """Positions 1, 2, ... in this order (rows already in place are not touched)."""
    conn.executemany("UPDATE themes SET position = ? WHERE id = ? AND position IS NOT ?",
                     [(pos, tid, pos) for pos, tid in enumerate(ordered_ids, 1)])


def replace_key_coding(conn: sqlite3.Connection, old_coding_ids: str | list[str], new_coding_id: str | None) -> None:
    """Themes whose key quote is one of `old_coding_ids` get `new_coding_id` (None clears it)."""
    ids = [old_coding_ids] if isinstance(old_coding_ids, str) else list(old_coding_ids)
    conn.executemany("UPDATE themes SET key_coding_id = ? WHERE key_coding_id = ?",
                     [(new_coding_id, c) for c in ids])


def delete(conn: sqlite3.Connection, theme_id: str) -> None:
    conn.execute("DELETE FROM themes WHERE id = ?", (theme_id,))


# -- writes: code_themes -----------------------------------------------------------------------
def map_code(conn: sqlite3.Connection, code_id: str, theme_id: str, *, created: str,
             position: int | None = None) -> int:
    """Put a code in a theme (by default last); 0 when it is there already, else 1."""
    if conn.execute("SELECT 1 FROM code_themes WHERE code_id = ? AND theme_id = ?",
                    (code_id, theme_id)).fetchone() is not None:
        return 0
    if position is None:
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM code_themes WHERE theme_id = ?",
                                (theme_id,)).fetchone()[0]
    conn.execute("INSERT INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
                 (code_id, theme_id, position, created))
    return 1


def unmap(conn: sqlite3.Connection, *, code_id: str | None = None, theme_id: str | None = None) -> int:
    """Remove the mapping of a code to a theme, or every mapping of a code, or of a theme."""
    if code_id is not None and theme_id is not None:
        cur = conn.execute("DELETE FROM code_themes WHERE code_id = ? AND theme_id = ?", (code_id, theme_id))
    elif code_id is not None:
        cur = conn.execute("DELETE FROM code_themes WHERE code_id = ?", (code_id,))
    elif theme_id is not None:
        cur = conn.execute("DELETE FROM code_themes WHERE theme_id = ?", (theme_id,))
    else:
        raise ValueError("unmap what? give a code, a theme or both")
    return cur.rowcount


def order_codes(conn: sqlite3.Connection, theme_id: str, ordered_code_ids: list[str]) -> None:
    conn.executemany(
        "UPDATE code_themes SET position = ? WHERE theme_id = ? AND code_id = ? AND position IS NOT ?",
        [(pos, theme_id, cid, pos) for pos, cid in enumerate(ordered_code_ids, 1)])


def codes_by_theme(db: Database) -> list[tuple[str, Code]]:
    """(theme id, code) of every mapping, each theme's codes in their order."""
    return [(r["theme_id"], _code(r)) for r in db.query(
        "SELECT ct.theme_id, c.* FROM code_themes ct JOIN codes c ON c.id = ct.code_id "
        "ORDER BY ct.theme_id, ct.position, c.label COLLATE NOCASE")]


def exists(conn: sqlite3.Connection, row_id: str) -> bool:
    return conn.execute("SELECT 1 FROM themes WHERE id = ?", (row_id,)).fetchone() is not None
