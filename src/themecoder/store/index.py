"""The derived text index: sentences and tokens (lemma, form) of each document, stored compactly.

Derived from the text, rebuilt whenever the text changes, and never captured for undo: a
writer clears a document's rows and the index is built again after the action.

Layout (why): a row per token with secondary indexes on lemma and form cost about 3 s per
400,000 words to write, nearly all of it B-tree maintenance. Instead each document has ONE
`text_index` row (sentence and token offsets as packed int32 arrays, lemmas and forms as
unit-separated text) and one `index_terms` row per distinct lemma and per distinct form (the
offsets of its tokens, packed): a few thousand rows per document, written in one batch.
"""
from __future__ import annotations

import secrets
import sqlite3
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from themecoder.store.db import Database

LEMMA, FORM = 0, 1
SEP = "\x1f"  # the unit separator never occurs in a token (tokens hold no control characters)
# A prefix search on forms: every form from the prefix up to the prefix followed by the
# highest code point.
_TOP = "\U0010ffff"


def _pack(values: Iterable[int]) -> bytes:
    arr = array("i", values)
    if sys.byteorder == "big":  # stored little-endian whatever the machine
        arr.byteswap()
    return arr.tobytes()


def _unpack(data: bytes) -> array:
    arr = array("i")
    arr.frombytes(data)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def clear(conn: sqlite3.Connection, doc_id: str) -> None:
    """Drop a document's index (its text changed, or it came back through undo/redo)."""
    conn.execute("DELETE FROM index_terms WHERE document_id = ?", (doc_id,))
    conn.execute("DELETE FROM text_index WHERE document_id = ?", (doc_id,))


def replace(
    conn: sqlite3.Connection, doc_id: str,
    sentences: Iterable[tuple[int, int]],
    tokens: Iterable[tuple[int, int, str, str]],
    words: int | None = None,
) -> None:
    """A document's index from scratch: sentences (start, end), tokens (start, end, lemma, form),
    and its word count (kept here so the overview never counts a whole project's words).
    A second sentence or token at the same start is dropped (the first one stands)."""
    clear(conn, doc_id)
    sent: list[int] = []
    last = -1
    for s, e in _in_order(sentences):
        if s != last:
            sent += (s, e)
            last = s
    starts: list[int] = []
    ends: list[int] = []
    lemmas: list[str] = []
    forms: list[str] = []
    by_lemma: dict[str, list[int]] = {}
    by_form: dict[str, list[int]] = {}
    last = -1
    for s, e, lemma, form in _in_order(tokens):
        if s == last:
            continue
        last = s
        if SEP in lemma or SEP in form:
            lemma, form = lemma.replace(SEP, " "), form.replace(SEP, " ")
        starts.append(s)
        ends.append(e)
        lemmas.append(lemma)
        forms.append(form)
        spans = by_lemma.get(lemma)
        if spans is None:
            spans = by_lemma[lemma] = []
        spans += (s, e)
        spans = by_form.get(form)
        if spans is None:
            spans = by_form[form] = []
        spans += (s, e)
    conn.execute(
        "INSERT INTO text_index(document_id, generation, words, sentence_count, sentences, starts, ends, lemmas,"
        " forms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, secrets.randbits(62), words, len(sent) // 2, _pack(sent), _pack(starts), _pack(ends),
         SEP.join(lemmas), SEP.join(forms)),
    )
    rows = [(LEMMA, term, doc_id, _pack(spans)) for term, spans in by_lemma.items()]
    rows += [(FORM, term, doc_id, _pack(spans)) for term, spans in by_form.items()]
    conn.executemany("INSERT INTO index_terms(kind, term, document_id, spans) VALUES (?, ?, ?, ?)", rows)


def _in_order(rows: Iterable[tuple]) -> list[tuple]:
    """Rows sorted by their start; an analysis gives them in order already (no sort then)."""
    rows = list(rows)
    if any(rows[i][0] > rows[i + 1][0] for i in range(len(rows) - 1)):
        rows.sort(key=lambda r: r[0])
    return rows


def _spans(rows: Iterable[tuple[str, bytes]]) -> list[tuple[str, int, int]]:
    out: set[tuple[str, int, int]] = set()
    for doc_id, blob in rows:
        values = _unpack(blob)
        out.update((doc_id, values[i], values[i + 1]) for i in range(0, len(values), 2))
    return sorted(out)


def matching_tokens(db: Database, lemma: str | Iterable[str], form: str, *, prefix: bool = False,
                    document_id: str | None = None) -> list[tuple[str, int, int]]:
    """(document id, start, end) of the tokens whose lemma is `lemma` (or one of several) or
    whose form is `form`; with `prefix`, of the tokens whose form starts with `form`. In
    document and text order."""
    if prefix:
        sql = "SELECT document_id, spans FROM index_terms WHERE kind = ? AND term >= ? AND term < ?"
        params: list = [FORM, form, form + _TOP]
    else:
        lemmas = [lemma] if isinstance(lemma, str) else sorted(lemma)
        marks = ", ".join("?" for _ in lemmas) or "NULL"
        sql = ("SELECT document_id, spans FROM index_terms"
               f" WHERE ((kind = ? AND term IN ({marks})) OR (kind = ? AND term = ?))")
        params = [LEMMA, *lemmas, FORM, form]
    if document_id:
        sql += " AND document_id = ?"
        params.append(document_id)
    return _spans(db.query_tuples(sql, params))


@dataclass(frozen=True, slots=True)
class DocumentTokens:
    """One document's tokens in text order, decoded once and cached by the index generation."""

    generation: int
    starts: array
    ends: array
    lemmas: list[str]
    forms: list[str]

    def after(self, start: int, n: int) -> list[tuple[int, int, str, str]]:
        i = bisect_right(self.starts, start)
        return [(self.starts[k], self.ends[k], self.lemmas[k], self.forms[k])
                for k in range(i, min(i + n, len(self.starts)))]


_decoded: dict[tuple[int, str], DocumentTokens] = {}


def document_tokens(db: Database, doc_id: str) -> DocumentTokens | None:
    """A document's decoded tokens; the last few documents stay decoded while their index
    is unchanged (a phrase search asks for the tokens after every first match)."""
    generation = db.scalar("SELECT generation FROM text_index WHERE document_id = ?", (doc_id,))
    if generation is None:
        return None
    key = (id(db), doc_id)
    cached = _decoded.get(key)
    if cached is not None and cached.generation == generation:
        return cached
    row = db.query_tuples("SELECT starts, ends, lemmas, forms FROM text_index WHERE document_id = ?", (doc_id,))[0]
    starts, ends = _unpack(row[0]), _unpack(row[1])
    decoded = DocumentTokens(generation, starts, ends,
                             row[2].split(SEP) if starts else [], row[3].split(SEP) if starts else [])
    if len(_decoded) >= 8:
        _decoded.pop(next(iter(_decoded)))
    _decoded[key] = decoded
    return decoded


def tokens_after(db: Database, doc_id: str, start: int, n: int) -> list[tuple[int, int, str, str]]:
    """The `n` tokens after the one at `start`: (start, end, lemma, form)."""
    tokens = document_tokens(db, doc_id)
    return [] if tokens is None else tokens.after(start, n)


def sentences(db: Database, doc_id: str) -> list[tuple[int, int]]:
    blob = db.scalar("SELECT sentences FROM text_index WHERE document_id = ?", (doc_id,))
    if blob is None:
        return []
    values = _unpack(blob)
    return [(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def sentence_count(db: Database) -> int:
    return int(db.scalar("SELECT coalesce(sum(sentence_count), 0) FROM text_index") or 0)


def form_count(db: Database, form: str) -> int:
    """How many tokens have this (case-folded) form, in the whole project."""
    return sum(len(_unpack(r[0])) // 2 for r in db.query_tuples(
        "SELECT spans FROM index_terms WHERE kind = ? AND term = ?", (FORM, form)))


def unindexed_documents(db: Database) -> list[str]:
    """Documents without an index (new, changed, or restored by undo/redo)."""
    return [r[0] for r in db.query_tuples(
        "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM text_index t WHERE t.document_id = d.id)"
    )]
