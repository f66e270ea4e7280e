"""Read queries: rows in, domain records out. Writes live in core operations."""
from __future__ import annotations

import sqlite3
from collections import defaultdict

from themecoder.core.errors import NotFound
from themecoder.core.model import (
    Attribute, Code, CodeStats, Coding, Document, Memo, Participant, Theme, Turn,
)
from themecoder.store.db import Database

DOC_COLS = "id, title, source_name, sha256, participant_id, encoding, imported, position, length(text) AS length"


def _document(r: sqlite3.Row) -> Document:
    return Document(r["id"], r["title"], r["source_name"], r["sha256"], r["participant_id"],
                    r["encoding"], r["imported"], r["position"], r["length"])


def _code(r: sqlite3.Row) -> Code:
    return Code(r["id"], r["label"], r["description"], r["colour"], bool(r["in_vivo"]), r["author"], r["created"])


CODING_COLS = "c.id, c.document_id, c.code_id, c.start, c.end, c.quote, c.context_before, c.context_after, c.coder, c.created"


def _coding(r: sqlite3.Row) -> Coding:
    return Coding(r["id"], r["document_id"], r["code_id"], r["start"], r["end"], r["quote"],
                  r["context_before"], r["context_after"], r["coder"], r["created"])


def _codings(db: Database, sql: str, params: tuple) -> list[Coding]:
    """`sql` selects CODING_COLS in the order of Coding's fields."""
    return [Coding(*r) for r in db.query_tuples(sql, params)]


def _theme(r: sqlite3.Row) -> Theme:
    return Theme(r["id"], r["parent_id"], r["name"], r["description"], r["analytic_text"],
                 r["condensate"], r["key_coding_id"], r["position"], r["created"])


def _memo(r: sqlite3.Row) -> Memo:
    return Memo(r["id"], r["target_type"], r["target_id"], r["title"], r["text"], r["author"],
                r["created"], r["modified"])


# -- project settings ------------------------------------------------------------------------
def setting(db: Database, key: str, default: str | None = None) -> str | None:
    v = db.scalar("SELECT value FROM project WHERE key = ?", (key,))
    return default if v is None else v


# -- participants ----------------------------------------------------------------------------
def participants(db: Database) -> list[Participant]:
    attrs: dict[str, list[Attribute]] = defaultdict(list)
    for r in db.query(
        "SELECT pa.participant_id, a.name, a.type, pa.value FROM participant_attributes pa "
        "JOIN attributes a ON a.id = pa.attribute_id ORDER BY a.name"
    ):
        attrs[r[0]].append(Attribute(r[1], r[2], r[3]))
    return [
        Participant(r["id"], r["pseudonym"], tuple(attrs.get(r["id"], ())))
        for r in db.query("SELECT id, pseudonym FROM participants ORDER BY pseudonym COLLATE NOCASE")
    ]


def participant(db: Database, participant_id: str) -> Participant:
    for p in participants(db):
        if p.id == participant_id:
            return p
    raise NotFound(f"no participant {participant_id}")


def participant_by_pseudonym(db: Database, pseudonym: str) -> Participant | None:
    for p in participants(db):
        if p.pseudonym.casefold() == pseudonym.casefold():
            return p
    return None


# -- documents -------------------------------------------------------------------------------
def documents(db: Database) -> list[Document]:
    return [_document(r) for r in db.query(f"SELECT {DOC_COLS} FROM documents ORDER BY position, title")]


def document(db: Database, doc_id: str) -> Document:
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE id = ?", (doc_id,))
    if r is None:
        raise NotFound(f"no document with id {doc_id}")
    return _document(r)


def find_document(db: Database, ref: str) -> Document:
    """A document by title (case-insensitive), id, or unique id prefix."""
    r = db.query_one(f"SELECT {DOC_COLS} FROM documents WHERE id = ? OR title = ?", (ref, ref))
    if r is None:
        rows = db.query(f"SELECT {DOC_COLS} FROM documents WHERE lower(title) = lower(?)", (ref,))
        if not rows and len(ref) >= 6:
            rows = db.query(f"SELECT {DOC_COLS} FROM documents WHERE id LIKE ? || '%'", (ref,))
        if len(rows) != 1:
            titles = ", ".join(d.title for d in documents(db)) or "none"
            raise NotFound(f"no document {ref!r} (documents: {titles})")
        r = rows[0]
    return _document(r)


def document_text(db: Database, doc_id: str) -> str:
    t = db.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
    if t is None:
        raise NotFound(f"no document with id {doc_id}")
    return t


def turns(db: Database, doc_id: str) -> list[Turn]:
    return [
        Turn(r["id"], r["document_id"], r["speaker"], r["label_start"], r["start"], r["end"], r["timestamp"])
        for r in db.query("SELECT * FROM turns WHERE document_id = ? ORDER BY start", (doc_id,))
    ]


def sentences(db: Database, doc_id: str) -> list[tuple[int, int]]:
    return [(r[0], r[1]) for r in db.query(
        "SELECT start, end FROM sentences WHERE document_id = ? ORDER BY start", (doc_id,))]


def unindexed_documents(db: Database) -> list[str]:
    return [r[0] for r in db.query(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.document_id = d.id)"
    )]


# -- codes -----------------------------------------------------------------------------------
def codes(db: Database) -> list[Code]:
    return [_code(r) for r in db.query("SELECT * FROM codes ORDER BY label COLLATE NOCASE")]


def code(db: Database, code_id: str) -> Code:
    r = db.query_one("SELECT * FROM codes WHERE id = ?", (code_id,))
    if r is None:
        raise NotFound(f"no code with id {code_id}")
    return _code(r)


def code_by_label(db: Database, label: str) -> Code | None:
    r = db.query_one("SELECT * FROM codes WHERE label = ?", (label,))
    return None if r is None else _code(r)


def find_code(db: Database, ref: str) -> Code:
    r = db.query_one("SELECT * FROM codes WHERE id = ? OR label = ?", (ref, ref))
    if r is None:
        rows = db.query("SELECT * FROM codes WHERE lower(label) = lower(?)", (ref,))
        if not rows and len(ref) >= 6:
            rows = db.query("SELECT * FROM codes WHERE id LIKE ? || '%'", (ref,))
        if len(rows) != 1:
            raise NotFound(f"no code {ref!r}")
        r = rows[0]
    return _code(r)


def code_stats(db: Database) -> list[CodeStats]:
    counts = {
        r[0]: (r[1], r[2], r[3])
        for r in db.query(
            "SELECT c.code_id, count(*), count(DISTINCT c.document_id), count(DISTINCT d.participant_id) "
            "FROM codings c JOIN documents d ON d.id = c.document_id GROUP BY c.code_id"
        )
    }
    themes_of: dict[str, list[str]] = defaultdict(list)
    for r in db.query("SELECT code_id, theme_id FROM code_themes ORDER BY position"):
        themes_of[r[0]].append(r[1])
    return [
        CodeStats(c, *counts.get(c.id, (0, 0, 0)), theme_ids=tuple(themes_of.get(c.id, ())))
        for c in codes(db)
    ]


# -- codings ---------------------------------------------------------------------------------
def coding(db: Database, coding_id: str) -> Coding:
    r = db.query_one("SELECT * FROM codings WHERE id = ?", (coding_id,))
    if r is None:
        raise NotFound(f"no coding with id {coding_id}")
    return _coding(r)


def codings_for_document(db: Database, doc_id: str) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c WHERE document_id = ? ORDER BY start, end", (doc_id,))


def codings_for_code(db: Database, code_id: str) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"WHERE c.code_id = ? ORDER BY d.position, d.title, c.start", (code_id,))


def all_codings(db: Database) -> list[Coding]:
    return _codings(db, f"SELECT {CODING_COLS} FROM codings c JOIN documents d ON d.id = c.document_id "
                        f"ORDER BY d.position, d.title, c.start", ())


def codings_for_theme(db: Database, theme_id: str, *, recursive: bool = True) -> list[Coding]:
    """Every coding whose code belongs to the theme (and, by default, its subthemes)."""
    # IN (...) rather than a join: no duplicates to remove. Sorting in Python is much cheaper
    # than a temporary B-tree over rows that carry long quotes.
    themes_sql = (
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id) "
        "SELECT id FROM sub" if recursive else "SELECT ?"
    )
    sql = (
        f"SELECT {CODING_COLS} FROM codings c "
        f"WHERE c.code_id IN (SELECT ct.code_id FROM code_themes ct WHERE ct.theme_id IN ({themes_sql}))"
    )
    return sorted(_codings(db, sql, (theme_id,)), key=_document_order(db))


def _document_order(db: Database):
    order = {r[0]: i for i, r in enumerate(db.query_tuples("SELECT id FROM documents ORDER BY position, title"))}
    return lambda c: (order.get(c.document_id, 0), c.start, c.end)



# -- themes ----------------------------------------------------------------------------------
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


# -- memos -----------------------------------------------------------------------------------
def memos(db: Database, target_type: str | None = None, target_id: str | None = None) -> list[Memo]:
    if target_type is None:
        rows = db.query("SELECT * FROM memos ORDER BY created")
    elif target_id is None:
        rows = db.query("SELECT * FROM memos WHERE target_type = ? ORDER BY created", (target_type,))
    else:
        rows = db.query("SELECT * FROM memos WHERE target_type = ? AND target_id = ? ORDER BY created",
                        (target_type, target_id))
    return [_memo(r) for r in rows]


def counts(db: Database) -> dict[str, int]:
    tables = ["documents", "participants", "sentences", "codes", "codings", "themes", "memos"]
    return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in tables}
