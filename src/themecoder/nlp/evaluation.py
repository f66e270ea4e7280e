"""Accuracy of a Pipeline against gold data (sentence boundaries and lemmas).

Used by benchmarks/nlp_accuracy.py and tests/test_nlp_accuracy.py. The gold files are
tests/data/nlp/sentences.yaml and tests/data/nlp/lemmas.tsv.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themecoder.nlp.pipeline import Pipeline


@dataclass(frozen=True, slots=True)
class SentenceGold:
    text: str
    sentences: list[str]

    def spans(self) -> list[tuple[int, int]]:
        """Offsets of the gold sentences, found in order in the text."""
        out, pos = [], 0
        for s in self.sentences:
            i = self.text.find(s, pos)
            if i < 0:
                raise ValueError(f"gold sentence {s!r} not found in {self.text!r}")
            out.append((i, i + len(s)))
            pos = i + len(s)
        return out


@dataclass(frozen=True, slots=True)
class LemmaGold:
    form: str
    lemma: str
    context: str = ""


@dataclass(slots=True)
class SentenceScore:
    precision: float
    recall: float
    f1: float
    texts: int
    texts_exact: int  # texts whose sentences all match
    gold_boundaries: int
    predicted_boundaries: int
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # text, gold, got


@dataclass(slots=True)
class LemmaScore:
    accuracy: float
    total: int
    correct: int
    inflected_accuracy: float  # over rows whose lemma differs from the form
    inflected_total: int
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # form, gold, got, context


def load_sentences(path: str | Path) -> list[SentenceGold]:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [SentenceGold(item["text"], list(item["sentences"])) for item in data]


def load_lemmas(path: str | Path) -> list[LemmaGold]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("form\t"):
            continue
        parts = line.split("\t")
        rows.append(LemmaGold(parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return rows


def _prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = correct / predicted if predicted else 1.0
    r = correct / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_sentences(pipeline: "Pipeline", gold: list[SentenceGold]) -> SentenceScore:
    """Boundary precision/recall/F1: a boundary is the start of every sentence but a text's first."""
    correct = n_pred = n_gold = exact = 0
    errors = []
    for item in gold:
        want = item.spans()
        got = pipeline.analyse(item.text).sentences
        g = {s for s, _ in want[1:]}
        p = {s for s, _ in got[1:]}
        correct += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
        if got == want:
            exact += 1
        else:
            errors.append((item.text, item.sentences, [item.text[s:e] for s, e in got]))
    prec, rec, f1 = _prf(correct, n_pred, n_gold)
    return SentenceScore(prec, rec, f1, len(gold), exact, n_gold, n_pred, errors)


def lemma_of(pipeline: "Pipeline", row: LemmaGold) -> str | None:
    if not row.context:
        return pipeline.lemma(row.form)
    for tok in pipeline.analyse(row.context).tokens:
        if tok.text == row.form:
            return tok.lemma
    return None  # the form is not a token of the context


def score_lemmas(pipeline: "Pipeline", gold: list[LemmaGold]) -> LemmaScore:
    correct = infl = infl_correct = 0
    errors = []
    for row in gold:
        got = lemma_of(pipeline, row)
        ok = got is not None and got == row.lemma.lower()
        inflected = row.form.lower() != row.lemma.lower()
        correct += ok
        infl += inflected
        infl_correct += ok and inflected
        if not ok:
            errors.append((row.form, row.lemma, got if got is not None else "<no such token>", row.context))
    n = len(gold)
    return LemmaScore(
        correct / n if n else 1.0, n, correct,
        infl_correct / infl if infl else 1.0, infl, errors,
    )
