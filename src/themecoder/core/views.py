"""Read-only views the workbench (TUI) needs: overview rows, quote lists, spans at a place,
and the plain reads its screens make (a document, a code, a coding ...).

The TUI reads the project only through this module (and the core operations), never the
store. Pure queries; nothing here writes, and nothing imports Textual or spaCy.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core import resolve
from themecoder.core.text import collapse_ws, word_count
from themecoder.core.turns import format_timestamp
from themecoder.model import Code, CodeStats, Coding, Document, Memo, Theme, Turn
from themecoder.store import views as store_views

if TYPE_CHECKING:
    from themecoder.core.project import Project


# -- project overview -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: str
    title: str
    participant: str | None
    words: int
    characters: int
    codings: int
    coded_share: float  # 0..1, share of the document's characters covered by any coding


def covered_length(spans: list[tuple[int, int]]) -> int:
    """Characters covered by the union of [start, end) spans."""
    total = 0
    cur_s = cur_e = -1
    for s, e in sorted(spans):
        if s > cur_e:
            if cur_e > cur_s:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        elif e > cur_e:
            cur_e = e
    if cur_e > cur_s:
        total += cur_e - cur_s
    return total


def document_overview(project: Project, *, coder: str | None = None) -> list[DocumentRow]:
    """One row per document; codings and share coded count `coder`'s codings alone when given
    (blind coding: pass `visible_coder(project, blind)`)."""
    db = project.db
    people = participant_names(project)
    spans = store_views.coding_spans(db, coder=coder)
    rows = []
    # Word counts come from the index (a 10-million-word project opens without counting every
    # word); a document still waiting for its index is counted here.
    for doc_id, title, participant_id, length, words in store_views.document_sizes(db):
        if words is None:
            words = word_count(store.documents.text_or_none(db, doc_id) or "")
        doc_spans = spans.get(doc_id, [])
        rows.append(DocumentRow(
            doc_id, title, people.get(participant_id or ""), words, length,
            len(doc_spans), covered_length(doc_spans) / length if length else 0.0,
        ))
    return rows


# -- quotes of a code ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QuoteRow:
    coding: Coding
    document: str
    participant: str | None
    place: str  # "turn 12, 00:14:03" or "char 1234"
    quote: str  # whitespace folded


def turn_index(turns: list[Turn], offset: int) -> int | None:
    """Index of the turn containing (or, in a label, starting at) `offset`."""
    starts = [t.label_start for t in turns]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and turns[i].label_start <= offset <= turns[i].end:
        return i
    return None


def place_of(turns: list[Turn], offset: int) -> str:
    i = turn_index(turns, offset)
    if i is None:
        return f"char {offset}"
    stamp = format_timestamp(turns[i].timestamp)
    return f"turn {i + 1}" + (f", {stamp}" if stamp else "")


def quotes_for_code(project: Project, code_id: str, *, coder: str | None = None) -> list[QuoteRow]:
    db = project.db
    docs = {d.id: d for d in store.documents.documents(db)}
    people = {p.id: p.pseudonym for p in store.participants.participants(db)}
    turns_of: dict[str, list[Turn]] = {}
    out = []
    for c in store.codings.codings_for_code(db, code_id, coder=coder):
        if c.document_id not in turns_of:
            turns_of[c.document_id] = store.documents.turns(db, c.document_id)
        doc = docs[c.document_id]
        out.append(QuoteRow(c, doc.title, people.get(doc.participant_id or ""),
                            place_of(turns_of[c.document_id], c.start), collapse_ws(c.quote)))
    return out


# -- places in a document --------------------------------------------------------------------
def codings_overlapping(codings: list[Coding], start: int, end: int) -> list[Coding]:
    """Codings that share at least one character with [start, end) (or contain `start` if empty)."""
    if end <= start:
        return [c for c in codings if c.start <= start < c.end]
    return [c for c in codings if c.start < end and start < c.end]


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»)\]]*\s+|\n\s*")


def quick_sentences(text: str, turns: list[Turn]) -> list[tuple[int, int]]:
    """A rough sentence split (punctuation and line breaks) used until the real index exists."""
    regions = [(t.start, t.end) for t in turns if t.end > t.start] or [(0, len(text))]
    out: list[tuple[int, int]] = []
    for rs, re_ in regions:
        pos = rs
        for m in _SENTENCE_END.finditer(text, rs, re_):
            _append_trimmed(text, pos, m.start(), out)
            pos = m.end()
        _append_trimmed(text, pos, re_, out)
    return out


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def memo_for(project: Project, target_type: str, target_id: str | None) -> Memo | None:
    """The memo on a target written by the current coder (else anyone's newest), if any."""
    db = project.db
    memos = store.memos.memos(db, target_type, target_id) if target_id else store.memos.memos(db, target_type)
    mine = [m for m in memos if m.author == project.coder]
    pool = mine or memos
    return pool[-1] if pool else None


def memo_counts(project: Project, target_type: str) -> dict[str, int]:
    return store_views.memo_counts(project.db, target_type)


def codes_by_id(project: Project) -> dict[str, Code]:
    return {c.id: c for c in store.codes.codes(project.db)}


# -- typing a code label -----------------------------------------------------------------------
_LABEL_WORD = re.compile(r"\w+", re.UNICODE)


def words_match(query: str, label: str, *, min_ratio: float = 80) -> bool:
    """Does every word the user typed (nearly) occur in the label? The last word may be
    unfinished, so a prefix counts. Used to rank and pre-select codes while typing: a
    fuzzy score alone also rewards labels that merely share a short word like "for"."""
    from rapidfuzz import fuzz

    q_words = _LABEL_WORD.findall(query.casefold())
    l_words = _LABEL_WORD.findall(label.casefold())
    if not q_words or not l_words:
        return False
    for i, w in enumerate(q_words):
        last = i == len(q_words) - 1
        if not any(lw == w or (last and lw.startswith(w)) or (len(w) >= 4 and fuzz.ratio(w, lw) >= min_ratio)
                   for lw in l_words):
            return False
    return True


def rank_codes(suggestions: list, query: str) -> tuple[list, int]:
    """Fuzzy suggestions with whole-word matches first, then by shared lemmas (each group
    keeps its order).
    Returns (suggestions, how many match word for word)."""
    if not query.strip():
        return suggestions, 0
    strong = [s for s in suggestions if words_match(query, s.code.label)]
    rest = [s for s in suggestions if not words_match(query, s.code.label)]
    # then the labels that share lemmas with the query ("nyutdannet" finds "nyutdannede"),
    # most shared first: characters alone favour short labels with a similar word
    wanted = content_lemmas(query)
    if wanted:
        shared = {id(s): len(wanted & content_lemmas(s.code.label)) for s in rest}
        rest.sort(key=lambda s: -shared[id(s)])
    return strong + rest, len(strong)


def content_lemmas(text: str) -> set[str]:
    """The dictionary lemmas of a label's words, without function words (i, og, med …)."""
    from themecoder.core.codebook import STOPWORDS
    from themecoder.nlp.lemmas import simple_lemma

    words = [w for w in _LABEL_WORD.findall(text.casefold()) if w not in STOPWORDS and not w.isdigit()]
    return {simple_lemma(w) for w in words} - STOPWORDS


# -- plain reads for the screens -------------------------------------------------------------
# Thin on purpose: the screens name what they need, the store stays behind this module.
def documents(project: Project) -> list[Document]:
    return store.documents.documents(project.db)


def document(project: Project, doc_id: str) -> Document:
    return store.documents.document(project.db, doc_id)


def document_text(project: Project, doc_id: str) -> str:
    return store.documents.document_text(project.db, doc_id)


def turns(project: Project, doc_id: str) -> list[Turn]:
    return store.documents.turns(project.db, doc_id)


def sentences(project: Project, doc_id: str) -> list[tuple[int, int]]:
    """The indexed sentences of a document ([] until it has been indexed)."""
    return store.index.sentences(project.db, doc_id)


def needs_indexing(project: Project) -> bool:
    """Is any document without its sentence/lemma index (new, or its text changed)?"""
    return bool(store.index.unindexed_documents(project.db))


def participant_names(project: Project) -> dict[str, str]:
    """Participant id -> pseudonym."""
    return {p.id: p.pseudonym for p in store.participants.participants(project.db)}


def participant_pseudonyms(project: Project) -> list[str]:
    return sorted(p.pseudonym for p in store.participants.participants(project.db))


def document_titles(project: Project) -> dict[str, str]:
    """Document id -> title."""
    return {d.id: d.title for d in store.documents.documents(project.db)}


def speaker_of_documents(project: Project) -> dict[str, str]:
    """Document id -> the participant's pseudonym, else the document title (for quote lists)."""
    names = participant_names(project)
    return {d.id: names.get(d.participant_id or "", d.title) for d in store.documents.documents(project.db)}


def theme_paths(project: Project) -> dict[str, str]:
    """Theme id -> "Theme › Subtheme"."""
    return resolve.theme_paths(store.themes.themes(project.db))


def codings_of_code(project: Project, code_id: str, *, coder: str | None = None) -> list[Coding]:
    """A code's codings in document order."""
    return store.codings.codings_for_code(project.db, code_id, coder=coder)


def counts(project: Project, *, coder: str | None = None) -> dict[str, int]:
    """Rows per kind: documents, participants, sentences, codes, codings, themes, memos; with
    `coder`, the codings are that coder's alone (blind coding)."""
    out = store.project.counts(project.db)
    if coder is not None:
        out["codings"] = sum(store.codings.counts_by_code(project.db, coder=coder).values())
    return out


def codes(project: Project) -> list[Code]:
    return store.codes.codes(project.db)


def code(project: Project, code_id: str) -> Code:
    return store.codes.code(project.db, code_id)


def code_with_label(project: Project, label: str) -> Code | None:
    """The code with exactly this label (the in-vivo check: reuse, don't duplicate)."""
    return store.codes.code_by_label(project.db, label)


def code_stats(project: Project, *, coder: str | None = None) -> list[CodeStats]:
    return store.codes.code_stats(project.db, coder=coder)


def coding_counts(project: Project, *, coder: str | None = None) -> dict[str, int]:
    """Code id -> number of codings (shown beside each code in the pickers)."""
    return {s.code.id: s.codings for s in code_stats(project, coder=coder)}


def coding(project: Project, coding_id: str) -> Coding:
    return store.codings.coding(project.db, coding_id)


def codings_for_document(project: Project, doc_id: str, *, coder: str | None = None) -> list[Coding]:
    """A document's codings; with `coder`, only that coder's (blind coding: see core.blind)."""
    return store.codings.codings_for_document(project.db, doc_id, coder=coder)


def visible_coder(project: Project, blind: bool = False) -> str | None:
    """Whose codings the workbench shows: the current coder's alone while blind (asked for, or
    the project's setting until agreement is computed), else None (everyone's)."""
    from themecoder.core.blind import visible_coder as _visible

    return _visible(project, blind)


def theme(project: Project, theme_id: str) -> Theme:
    return store.themes.theme(project.db, theme_id)


def theme_codes(project: Project, theme_id: str) -> list[Code]:
    """The codes mapped to a theme, in their order."""
    return store.themes.theme_codes(project.db, theme_id)


def code_theme_pairs(project: Project) -> list[tuple[str, str]]:
    """(code id, theme id) of every mapping."""
    return store.themes.code_theme_pairs(project.db)


# -- composed views ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TranscriptData:
    """Everything the reader shows of one document."""

    document: Document
    participant: str | None
    text: str
    turns: list[Turn]
    sentences: list[tuple[int, int]]  # [] until indexed
    codings: list[Coding]
    codes: dict[str, Code]
    memo_codings: set[str]  # codings with a memo


def transcript(project: Project, doc_id: str, *, coder: str | None = None) -> TranscriptData:
    doc = document(project, doc_id)
    return TranscriptData(
        doc, participant_names(project).get(doc.participant_id or ""), document_text(project, doc_id),
        turns(project, doc_id), sentences(project, doc_id), codings_for_document(project, doc_id, coder=coder),
        codes_by_id(project), set(memo_counts(project, "coding")),
    )


def key_quote_rows(project: Project, theme_id: str, *, coder: str | None = None) -> list[tuple[str, str, str]]:
    """(coding id, "who · code", quote) for every quote of a theme (of `coder`'s codings alone,
    when given): the key-quote choices."""
    db = project.db
    labels = {c.id: c.label for c in codes(project)}
    docs = {d.id: d for d in documents(project)}
    people = participant_names(project)
    rows = []
    for c in store.codings.codings_for_theme(db, theme_id, coder=coder):
        doc = docs[c.document_id]
        who = people.get(doc.participant_id or "", doc.title)
        rows.append((c.id, f"{who} · {labels.get(c.code_id, '')}", " ".join(c.quote.split())[:300]))
    return rows


def coding_places(project: Project, codings: list[Coding]) -> list[str]:
    """ "turn 12, 00:14:03" (or "char 1234") for each coding, reading each document's turns once."""
    turns_of: dict[str, list[Turn]] = {}
    out = []
    for c in codings:
        if c.document_id not in turns_of:
            turns_of[c.document_id] = turns(project, c.document_id)
        out.append(place_of(turns_of[c.document_id], c.start))
    return out


# -- code matrix totals ----------------------------------------------------------------------
def matrix_totals(project: Project, m) -> tuple[tuple[int, ...], int]:
    """The Total row of a code matrix (core.themes.Matrix): distinct codings per column and
    in all. A coding under a theme and its subtheme, or under two themes, counts once, so
    the total is never more than the codings there are. The codings are those the matrix was
    made of (`m.coder`'s alone while blind), so the totals count what the cells count."""
    from themecoder.core.themes import flatten, theme_tree

    db = project.db
    coder = m.coder
    if any(r.kind == "theme" for r in m.rows):
        shown = {r.id for r in m.rows}
        codes = {c.id for n in flatten(theme_tree(project)) if n.theme.id in shown for c in n.codes}
    else:
        codes = {r.id for r in m.rows}
    at = {c.id: i for i, c in enumerate(m.columns)}
    doc_col: dict[str, int] = {}
    for d in store.documents.documents(db):
        doc_col[d.id] = at[d.participant_id] if d.participant_id in at else at.get(d.id, -1)
    columns = [0] * len(m.columns)
    for _, code_id, doc_id in store.codings.coding_places(db, coder=coder):
        col = doc_col.get(doc_id, -1)
        if code_id in codes and col >= 0:
            columns[col] += 1
    return tuple(columns), sum(columns)
