"""Accuracy of the fallback on the gold sample (tests/data/nlp), with floors a little under
the measured values (see benchmarks/nlp_accuracy.py for the numbers and the errors)."""
from __future__ import annotations

from pathlib import Path

import pytest

from themecoder.nlp import load_pipeline
from themecoder.nlp.evaluation import (
    load_lemmas,
    load_sentences,
    score_lemmas,
    score_sentences,
)

DATA = Path(__file__).parent / "data" / "nlp"

# Measured (fallback): sentence boundaries P 1.000 R 0.946 F1 0.972; lemmas 0.965 overall,
# 0.956 on inflected forms.
FLOORS = {"precision": 0.97, "recall": 0.92, "f1": 0.94, "lemmas": 0.94, "inflected": 0.93}


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline("fallback")


@pytest.fixture(scope="module")
def sentence_gold():
    return load_sentences(DATA / "sentences.yaml")


@pytest.fixture(scope="module")
def lemma_gold():
    return load_lemmas(DATA / "lemmas.tsv")


def test_gold_sentences_are_well_formed(sentence_gold):
    assert len(sentence_gold) >= 60
    for item in sentence_gold:
        spans = item.spans()  # every sentence is found, in order
        for s in item.sentences:
            assert s and s == s.strip()
        # nothing but whitespace between the gold sentences
        pos = 0
        for s, e in spans:
            assert not item.text[pos:s].strip(), item.text
            pos = e
        assert not item.text[pos:].strip()


def test_gold_lemmas_are_well_formed(nlp, lemma_gold):
    assert len(lemma_gold) >= 400
    assert len({(r.form, r.context) for r in lemma_gold}) == len(lemma_gold)
    for row in lemma_gold:
        assert row.form and row.lemma == row.lemma.lower()
        if row.context:
            assert row.form in [t.text for t in nlp.analyse(row.context).tokens], row


def test_sentence_boundaries(nlp, sentence_gold):
    score = score_sentences(nlp, sentence_gold)
    assert score.precision >= FLOORS["precision"], score.errors
    assert score.recall >= FLOORS["recall"], score.errors
    assert score.f1 >= FLOORS["f1"], score.errors


def test_lemmas(nlp, lemma_gold):
    score = score_lemmas(nlp, lemma_gold)
    assert score.accuracy >= FLOORS["lemmas"], score.errors
    assert score.inflected_accuracy >= FLOORS["inflected"], score.errors


def test_search_pairs(nlp):
    assert nlp.lemma("relasjoner") == nlp.lemma("relasjonen") == "relasjon"
