"""Loader and scorer for the labelled anonymisation set (labelled.yaml).

Used by tests/test_identifiers_eval.py and benchmarks/anonymisation_eval.py. Not part of
the package: import it by path (see load_module() in those files).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LABELLED = HERE / "labelled.yaml"
MARK_RE = re.compile(r"\{\{(?P<kind>[a-z_]+):(?P<text>.*?)\}\}", re.DOTALL)

# A detection "hits" a gold span when they overlap and the kinds are compatible: the kind
# the detector guesses for a name-like span is a hint for the analyst, so place /
# workplace / organisation / address are interchangeable, as are dates and ages.
COMPATIBLE: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "place": frozenset({"place", "address", "postcode", "workplace", "organisation"}),
    "organisation": frozenset({"organisation", "workplace", "place"}),
    "workplace": frozenset({"workplace", "organisation", "place"}),
    "address": frozenset({"address", "postcode", "place"}),
    "postcode": frozenset({"postcode", "address", "place"}),
    "phone": frozenset({"phone"}),
    "email": frozenset({"email"}),
    "url": frozenset({"url"}),
    "national_id": frozenset({"national_id", "d_number"}),
    "d_number": frozenset({"d_number", "national_id"}),
    "birth_date": frozenset({"birth_date", "date", "age"}),
    "date": frozenset({"date", "birth_date"}),
    "age": frozenset({"age", "birth_date"}),
    "vehicle": frozenset({"vehicle"}),
    "job_title": frozenset({"job_title"}),
}


@dataclass(frozen=True)
class Example:
    text: str
    gold: tuple[tuple[int, int, str], ...]
    negative: bool


def parse_marked(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """'Jeg heter {{person:Kari}}.' -> ('Jeg heter Kari.', [(10, 14, 'person')])"""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0
    for m in MARK_RE.finditer(marked):
        before = marked[pos:m.start()]
        out.append(before)
        length += len(before)
        inner = m.group("text")
        spans.append((length, length + len(inner), m.group("kind")))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "{{" in text or "}}" in text:
        raise ValueError(f"unbalanced markup in: {marked!r}")
    return text, spans


def load(path: Path = LABELLED) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for marked in data["identifiers"]:
        text, spans = parse_marked(marked)
        examples.append(Example(text, tuple(spans), False))
    for marked in data["non_identifiers"]:
        text, spans = parse_marked(marked)
        if spans:
            raise ValueError(f"non_identifiers entry has markup: {marked!r}")
        examples.append(Example(text, (), True))
    return examples


# Gold kinds whose findings should block an export (issue 16, point 5): direct identifiers,
# persons (nicknames and initials too), places, workplaces and named organisations.
BLOCKING_KINDS = frozenset({
    "person", "place", "workplace", "organisation", "phone", "email", "national_id", "d_number",
    "birth_date", "address", "postcode", "url", "vehicle",
})
FILES = ("labelled.yaml", "passages.yaml", "passages_holdout.yaml", "passages_holdout2.yaml")


def load_all(names=FILES) -> list[Example]:
    """The team's own set: every file in `names`, in order."""
    out: list[Example] = []
    for n in names:
        out.extend(load(HERE / n))
    return out


def _blocks(d) -> bool:
    from themecoder.core.anonymise_base import is_blocking

    return is_blocking(d.kind, d.confidence, getattr(d, "source", ""))


@dataclass
class Score:
    gold: Counter = field(default_factory=Counter)       # gold spans per kind
    found: Counter = field(default_factory=Counter)      # gold spans recalled per kind
    detected: Counter = field(default_factory=Counter)   # detections per kind
    correct: Counter = field(default_factory=Counter)    # detections that hit gold, per kind
    negative_fp: int = 0                                  # detections in non-identifier sentences
    blocking_gold: int = 0                                # gold spans of BLOCKING_KINDS
    blocking_found: int = 0                               # ... covered by a detection that blocks
    blocking_misses: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    false_positives: list = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def recall(self, kind: str | None = None) -> float:
        if kind is None:
            return self._ratio(sum(self.found.values()), sum(self.gold.values()))
        return self._ratio(self.found[kind], self.gold[kind])

    def blocking_recall(self) -> float:
        return self._ratio(self.blocking_found, self.blocking_gold)

    def precision(self, kind: str | None = None) -> float:
        if kind is None:
            return self._ratio(sum(self.correct.values()), sum(self.detected.values()))
        return self._ratio(self.correct[kind], self.detected[kind])


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def score(examples: list[Example], detect, min_confidence: float = 0.0) -> Score:
    """detect(text) -> iterable of objects with start, end, kind, confidence, text."""
    sc = Score()
    for ex in examples:
        dets = [d for d in detect(ex.text) if d.confidence >= min_confidence]
        for g0, g1, gk in ex.gold:
            sc.gold[gk] += 1
            if any(_overlap(g0, g1, d.start, d.end) and d.kind in COMPATIBLE[gk] for d in dets):
                sc.found[gk] += 1
            else:
                sc.misses.append((gk, ex.text[g0:g1], ex.text))
            if gk in BLOCKING_KINDS:
                sc.blocking_gold += 1
                if any(_overlap(g0, g1, d.start, d.end) and d.kind in COMPATIBLE[gk] and _blocks(d) for d in dets):
                    sc.blocking_found += 1
                else:
                    sc.blocking_misses.append((gk, ex.text[g0:g1], ex.text))
        for d in dets:
            sc.detected[d.kind] += 1
            if any(_overlap(g0, g1, d.start, d.end) and d.kind in COMPATIBLE[gk] for g0, g1, gk in ex.gold):
                sc.correct[d.kind] += 1
            else:
                if ex.negative:
                    sc.negative_fp += 1
                sc.false_positives.append((d.kind, d.text, d.confidence, d.reason, ex.text))
    return sc
