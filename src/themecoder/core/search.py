"""Lemma-aware search with keyword-in-context results.

A query word matches a token whose lemma equals the word's lemma, or whose form equals the
word; `relasjon` finds `relasjoner` and `relasjonen`. A trailing `*` matches any form with
that prefix. Several words match consecutive tokens (a phrase).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core.indexing import ensure_index

_WS = re.compile(r"\s+")

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.nlp import Pipeline

KWIC_CHARS = 50


@dataclass(frozen=True, slots=True)
class Hit:
    """One match. `left` and `right` are its context as the text has it: `left` ends with a
    space and `right` starts with one only where the text has a space there."""
    document_id: str
    document: str
    participant: str | None
    start: int
    end: int
    left: str
    match: str
    right: str
    sentence_start: int
    sentence_end: int


# A query term: its lemmas (Bokmål and Nynorsk), its form, and whether it is a prefix (ending *).
Term = tuple[frozenset[str], str, bool]


def _terms(query: str, pipeline: Pipeline | None) -> list[Term]:
    words = [w.strip(".,;:!?«»\"'()") for w in query.split()]
    terms: list[Term] = []
    for w in words:
        if not w:
            continue
        if w.endswith("*"):
            terms.append((frozenset({w[:-1].casefold()}), w[:-1].casefold(), True))
            continue
        if pipeline is None:
            from themecoder.nlp import get_pipeline

            pipeline = get_pipeline()
        terms.append((frozenset(v.casefold() for v in pipeline.lemma_variants(w)), w.casefold(), False))
    return terms


def search(project: Project, query: str, *, pipeline: Pipeline | None = None,
           document_id: str | None = None, limit: int = 1000) -> list[Hit]:
    ensure_index(project, pipeline)
    terms = _terms(query, pipeline)
    if not terms:
        return []
    db = project.db
    lemmas, form, prefix = terms[0]
    firsts = store.index.matching_tokens(db, lemmas, form, prefix=prefix, document_id=document_id)
    docs = {d.id: d for d in store.documents.documents(db)}
    people = {p.id: p.pseudonym for p in store.participants.participants(db)}
    texts: dict[str, str] = {}
    sents: dict[str, list[tuple[int, int]]] = {}
    hits: list[Hit] = []
    for doc_id, start, end in firsts:
        if len(terms) > 1:
            following = store.index.tokens_after(db, doc_id, start, len(terms) - 1)
            if len(following) < len(terms) - 1 or not all(
                _matches(token, term) for token, term in zip(following, terms[1:])
            ):
                continue
            end = following[-1][1]
        if doc_id not in texts:
            texts[doc_id] = store.documents.document_text(db, doc_id)
            sents[doc_id] = store.index.sentences(db, doc_id)
        text = texts[doc_id]
        s_start, s_end = _sentence_of(sents[doc_id], start, end, len(text))
        doc = docs[doc_id]
        hits.append(Hit(
            doc_id, doc.title, people.get(doc.participant_id or ""), start, end,
            context_before(text[max(0, start - KWIC_CHARS):start]), text[start:end],
            context_after(text[end:end + KWIC_CHARS]), s_start, s_end,
        ))
        if len(hits) >= limit:
            break
    order = {d.id: (d.position, d.title) for d in docs.values()}
    hits.sort(key=lambda h: (order[h.document_id], h.start))
    return hits


def context_before(text: str) -> str:
    """The words before a match, spaces folded; it ends with a space only where the text has
    one, so a snippet reads "til relasjonen." and never "relasjonen ."."""
    return _WS.sub(" ", text).lstrip()


def context_after(text: str) -> str:
    """The words after a match, spaces folded; it starts with a space only where the text has one."""
    return _WS.sub(" ", text).rstrip()


def _matches(token: tuple[int, int, str, str], term: Term) -> bool:
    """A token (start, end, lemma, form) against a query term (lemmas, form, is prefix)."""
    _start, _end, lemma, form = token
    return form.startswith(term[1]) if term[2] else (lemma in term[0] or form == term[1])


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(sentences, (start, length + 1)) - 1
    if i >= 0 and sentences[i][0] <= start < sentences[i][1]:
        return sentences[i][0], max(sentences[i][1], end)
    return start, end
