"""Invariants of `Pipeline.analyse` for any text (hypothesis)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from themecoder.nlp import load_pipeline

PIECES = [
    "Det", "var", "i", "2021.", "01.09.2021.", "f.eks.", "bl.a.", "osv.", "ca.", "Kl.", "nr.",
    "«Nei!»", "sa", "hun", "…", "...", "?!", "Eh,", "ehm", "mm.", "K.", "UiO.", "(ler)",
    "[00:12:30]", "I:", "R:", "–", '"ja."', "relasjonene", "Oslo", "ÆØÅ", "æøå", "e\u0301",
    "\u200b", "\u00a0", "\t", "\r", "\u2028", "\x0b", "😀", "ﬁ", "İ", "ß", "ǅ", "١٢٣",
    " ", " ", " ", "\n", "\n\n", "\n \n\n", "", ".", ",", "!", "?", "»", "«", "(", ")",
]
structured = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
texts = st.one_of(st.text(max_size=200), structured)


@pytest.fixture(scope="module")
def pipeline():
    return load_pipeline("fallback")


def check(text, result):
    prev_end = 0
    for s, e in result.sentences:
        assert 0 <= s < e <= len(text)
        assert s >= prev_end, "sentences sorted and non-overlapping"
        prev_end = e
        chunk = text[s:e]
        assert chunk == chunk.strip() and chunk
    prev_end = 0
    for tok in result.tokens:
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start:tok.end] == tok.text
        assert tok.start >= prev_end
        prev_end = tok.end
        assert tok.lemma and tok.lemma == tok.lemma.lower()
        assert any(ch.isalnum() for ch in tok.text)
        assert any(s <= tok.start and tok.end <= e for s, e in result.sentences)
    for ent in result.entities:
        assert 0 <= ent.start < ent.end <= len(text)
        assert text[ent.start:ent.end] == ent.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_offsets_hold_for_any_text(pipeline, text):
    check(text, pipeline.analyse(text))


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    pairs = list(zip(cuts[::2], cuts[1::2]))
    return text, pairs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=text_and_spans())
def test_offsets_hold_with_spans(pipeline, data):
    text, spans = data
    result = pipeline.analyse(text, spans)
    check(text, result)
    for s, e in result.sentences:  # nothing crosses or leaves a span
        assert any(a <= s and e <= b for a, b in spans)
