"""The Pipeline: analyses text into plain-data sentences, tokens, lemmas and entities.

This module does not import spaCy; it receives a loaded `Language` from `loader`.
"""
from __future__ import annotations

import re
import threading
from typing import Any, Iterable

from themecoder.nlp import lemmas as _lemmas
from themecoder.nlp import segment as _segment
from themecoder.nlp.results import Analysis, Entity, PipelineStatus, Token
from themecoder.nlp.standard import NYNORSK, written_standard

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_NUMBER_WITH_STOP = re.compile(r"[0-9][0-9.,:/\-–]*\.")
# A region longer than this is cut at a line break (spaCy models need ~1 GB per 100k chars).
MAX_REGION = 100_000
_BATCH = 64


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of `text` separated by blank lines (whitespace-only lines count as blank)."""
    spans = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _check_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out = sorted((int(s), int(e)) for s, e in spans)
    prev_end = 0
    for s, e in out:
        if not 0 <= s <= e <= len(text):
            raise ValueError(f"span ({s}, {e}) is outside the text (length {len(text)})")
        if s < prev_end:
            raise ValueError(f"span ({s}, {e}) overlaps the span before it")
        prev_end = e
    return [(s, e) for s, e in out if e > s]


def _cut(text: str, start: int, end: int, limit: int = MAX_REGION) -> list[tuple[int, int]]:
    """Split a very long region at line breaks (else spaces) into pieces of at most `limit`."""
    pieces = []
    while end - start > limit:
        cut = text.rfind("\n", start + limit // 2, start + limit)
        if cut < 0:
            cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = start + limit if cut < 0 else cut + 1
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _word_like(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_OPENING = _segment.OPENERS | {":"}
_SPACE, _PUNCT, _WORD = range(3)
# Token is a frozen dataclass: its __init__ sets each field through object.__setattr__. The
# fallback makes one per word, so it sets the slots directly (a new field fails here at import).
(_t_start, _t_end, _t_text, _t_lemma) = (getattr(Token, name).__set__ for name in Token.__slots__)


def _token(start: int, end: int, text: str, lemma: str, new=object.__new__) -> Token:
    t = new(Token)
    _t_start(t, start), _t_end(t, end), _t_text(t, text), _t_lemma(t, lemma)
    return t


def _form_info(t: str, lang: str = _lemmas.LANG) -> tuple[int, int, str, str, str]:
    """(kind, characters trimmed at the start, the word, its lemma at a sentence start, its
    lemma inside a sentence) for one token text, as the model-free path reads it."""
    if t.isspace():
        return _SPACE, 0, t, "", ""
    if not _word_like(t):
        return _PUNCT, 0, t, "", ""
    word = t.strip()
    trim = len(t) - len(t.lstrip())
    if _NUMBER_WITH_STOP.fullmatch(word):
        word = word[:-1]
    return (_WORD, trim, word, _lemmas.fallback_lemma(word, True, lang),
            _lemmas.fallback_lemma(word, False, lang))


class Pipeline:
    """Norwegian analysis with a loaded spaCy model or the blank fallback.

    Results hold only offsets and strings. Safe to share between threads (calls are serialised).
    """

    kind: str
    name: str
    status: PipelineStatus

    def __init__(self, nlp: Any, status: PipelineStatus) -> None:
        self._nlp = nlp
        self.status = status
        self.kind = status.kind
        self.name = status.name
        self._lock = threading.RLock()
        rules = getattr(getattr(nlp, "tokenizer", None), "rules", None) or {}
        self._abbreviations = frozenset(k for k in rules if len(k) > 1 and k.endswith("."))
        # written standard -> form -> what the fallback derives from it (see _form_info)
        self._forms: dict[str, dict[str, tuple[int, int, str, str, str]]] = {}
        self.has_entities = self.kind == "model" and any(
            name in ("ner", "entity_ruler", "span_ruler") or "ner" in name for name in nlp.pipe_names
        )

    def __repr__(self) -> str:
        return f"Pipeline(kind={self.kind!r}, name={self.name!r})"

    # -- analysis -----------------------------------------------------------------------

    def analyse(self, text: str, spans: list[tuple[int, int]] | None = None) -> Analysis:
        """Sentences, word tokens (with lowercase lemmas) and entities of `text`.

        `spans` are regions (speaker turns) analysed separately: no sentence crosses a span
        boundary and text outside the spans is ignored. Without spans, paragraphs (split on
        blank lines) are analysed separately. All offsets are code points into `text`.
        """
        regions = paragraphs(text) if spans is None else _check_spans(text, spans)
        pieces: list[tuple[int, int]] = []
        for s, e in regions:
            if text[s:e].strip():
                pieces.extend(_cut(text, s, e))
        result = Analysis()
        if not pieces:
            return result
        with self._lock:
            # Nynorsk transcripts get Nynorsk lemmas, so a search finds their inflections too.
            lang = written_standard(text)
            docs = self._nlp.pipe((text[s:e] for s, e in pieces), batch_size=_BATCH)
            for (offset, end), doc in zip(pieces, docs):
                self._collect(doc, offset, result, text[offset:end], lang)
        return result

    def _collect_fallback(self, doc, offset: int, out: Analysis, dtext: str, lang: str) -> None:
        """The fallback's hot path: token offsets come from one array, not per-token objects,
        and everything derived from a token's text (word-likeness, lemma, case fold) is cached
        by the form, since interview text repeats a small vocabulary. `dtext` is the doc's
        text, passed in: spaCy's `doc.text` rebuilds it from token objects."""
        rows = doc.to_array(["IDX", "LENGTH", "SPACY"]).tolist() if len(doc) else []
        texts = [dtext[i:i + n] for i, n, _ in rows]
        ws = [" " if sp else "" for _, _, sp in rows]
        starts = _segment.sentence_starts(texts, ws, self._abbreviations)
        tokens = out.tokens
        forms = self._forms.setdefault(lang, {})
        for a, b in zip(starts, starts[1:] + [len(texts)]):
            first = last = -1
            initial = True
            prev = ""
            for k in range(a, b):
                t = texts[k]
                info = forms.get(t)
                if info is None:
                    info = forms[t] = _form_info(t, lang)
                kind, trim, word, lemma_initial, lemma_inside = info
                if kind == _SPACE:
                    continue
                if first < 0:
                    first = k
                last = k
                if kind == _PUNCT:
                    prev = t
                    continue
                start = offset + rows[k][0] + trim
                is_initial = initial or prev in _OPENING
                tokens.append(_token(start, start + len(word), word,
                                     lemma_initial if is_initial else lemma_inside))
                initial = False
                prev = word
            if first < 0:
                continue
            s = rows[first][0]
            e = rows[last][0] + rows[last][1]
            chunk = dtext[s:e]
            s += len(chunk) - len(chunk.lstrip())
            e -= len(chunk) - len(chunk.rstrip())
            if e > s:
                out.sentences.append((offset + s, offset + e))

    def _sentence_ranges(self, doc) -> list[tuple[int, int]]:
        if self.kind == "model" and doc.has_annotation("SENT_START"):
            return [(s.start, s.end) for s in doc.sents]
        texts = [t.text for t in doc]
        starts = _segment.sentence_starts(texts, [t.whitespace_ for t in doc], self._abbreviations)
        return list(zip(starts, starts[1:] + [len(doc)]))

    def _collect(self, doc, offset: int, out: Analysis, dtext: str, lang: str) -> None:
        if self.kind != "model":
            self._collect_fallback(doc, offset, out, dtext, lang)
            return
        model = True
        dtext = doc.text
        for a, b in self._sentence_ranges(doc):
            first = last = None
            initial = True
            prev = ""
            for tok in doc[a:b]:
                t = tok.text
                if t.isspace():
                    continue
                if first is None:
                    first = tok
                last = tok
                if not _word_like(t):
                    prev = t
                    continue
                start = tok.idx
                # trim whitespace inside a token (defensive) and a stop glued to a number
                stripped = t.strip()
                if stripped != t:
                    start += len(t) - len(t.lstrip())
                    t = stripped
                if _NUMBER_WITH_STOP.fullmatch(t):
                    t = t[:-1]
                is_initial = initial or prev in _OPENING
                lemma = ""
                if model and tok.pos_ == "PROPN":
                    lemma = t.lower()
                elif model and lang == _lemmas.LANG:  # the model knows Bokmål only
                    lemma = tok.lemma_.lower()
                if not lemma:
                    lemma = _lemmas.fallback_lemma(t, is_initial, lang)
                out.tokens.append(Token(offset + start, offset + start + len(t), t, lemma))
                initial = False
                prev = t
            if first is None or last is None:  # only whitespace (both are set together)
                continue
            s = first.idx
            e = last.idx + len(last.text)
            chunk = dtext[s:e]
            s += len(chunk) - len(chunk.lstrip())
            e -= len(chunk) - len(chunk.rstrip())
            if e > s:
                out.sentences.append((offset + s, offset + e))
        for ent in doc.ents:
            out.entities.append(
                Entity(offset + ent.start_char, offset + ent.end_char, ent.label_, ent.text)
            )

    # -- lemmas for search queries --------------------------------------------------------

    def lemma(self, word: str) -> str:
        """Lowercase lemma of one word (for search queries): `relasjonene` -> `relasjon`."""
        return self.lemmas([word])[0]

    def lemma_variants(self, word: str) -> frozenset[str]:
        """The lemmas a query word may have in a Bokmål or a Nynorsk transcript
        ("gjorde": gjøre, gjere), so one search finds both."""
        word = word.strip()
        if not word:
            return frozenset()
        return frozenset({self.lemma(word), _lemmas.simple_lemma(word.lower(), NYNORSK)})

    def lemmas(self, words: Iterable[str]) -> list[str]:
        words = [w.strip() for w in words]
        out = [""] * len(words)
        todo = [i for i, w in enumerate(words) if w]
        if self.kind == "model" and todo:
            with self._lock:
                queries = (words[i].lower() for i in todo)
                for i, doc in zip(todo, self._nlp.pipe(queries, batch_size=_BATCH)):
                    for tok in doc:
                        if _word_like(tok.text):
                            out[i] = tok.lemma_.lower()
                            break
        for i in todo:
            if not out[i]:
                out[i] = _lemmas.simple_lemma(words[i].lower())
        return out
