"""Intercoder agreement between two or more coders, per code and overall.

The units: sentences (the default, from the project's sentence index), speaker turns, or
characters. For each code every unit gets, for each coder, 1 when one of the coder's codings with
the code overlaps it and 0 otherwise; the coefficients are computed on those binary ratings:

* percent agreement: the share of units on which all coders give the same value;
* Cohen's kappa (two coders) and Fleiss' kappa (any number);
* Krippendorff's alpha, nominal, by the `krippendorff` package, with a bootstrap 95 % CI
  (units resampled with replacement, a fixed seed, so the same data give the same interval);
* the MAXQDA-style segment agreement: a coding counts as matched when every other coder has a
  coding with the same code that overlaps it by at least `min_overlap` of the two segments'
  extent together (intersection over union).

"Overall" pools every (unit, code) pair of the chosen codes. A coefficient that is undefined
(every unit rated the same by everyone: no variation to agree beyond chance) is None with a note
saying so, never NaN. Characters as units are weighted runs (a run of equal ratings counts as
its length), so long documents cost no more than short ones.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.model import Coding

UNITS = ("sentence", "turn", "character")
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20120  # fixed: the same data always give the same interval
DEFAULT_MIN_OVERLAP = 0.9
UNDEFINED_KAPPA = "undefined: every unit has the same value for every coder, so chance agreement is 100 %"
UNDEFINED_ALPHA = "undefined: every unit has the same value for every coder (no variation)"

Pattern = tuple[int, ...]  # one 0/1 per coder, in the order of the coders


# -- the numbers, from weighted rating patterns ------------------------------------------------
@dataclass(frozen=True, slots=True)
class Coefficients:
    units: int
    percent: float | None
    kappa: float | None           # Cohen's kappa (two coders), else Fleiss'
    fleiss_kappa: float | None
    alpha: float | None
    alpha_ci: tuple[float, float] | None
    kappa_note: str | None = None
    alpha_note: str | None = None


def _clean(x: float) -> float:
    """Round away floating-point dust (0.19999999999999996 -> 0.2) without hiding real digits."""
    return round(float(x), 12)


def percent_agreement(patterns: dict[Pattern, int]) -> float | None:
    n = sum(patterns.values())
    if n == 0:
        return None
    return _clean(sum(w for p, w in patterns.items() if len(set(p)) == 1) / n)


def cohen_kappa(patterns: dict[Pattern, int]) -> float | None:
    """Cohen's kappa of two coders' binary ratings; None when undefined (chance agreement 1)."""
    n = sum(patterns.values())
    if n == 0:
        return None
    po = sum(w for p, w in patterns.items() if p[0] == p[1]) / n
    a1 = sum(w for p, w in patterns.items() if p[0]) / n
    b1 = sum(w for p, w in patterns.items() if p[1]) / n
    pe = a1 * b1 + (1 - a1) * (1 - b1)
    if math.isclose(pe, 1.0, abs_tol=1e-12):
        return None
    return _clean((po - pe) / (1 - pe))


def fleiss_kappa(patterns: dict[Pattern, int]) -> float | None:
    """Fleiss' kappa for any number of coders (every coder rates every unit)."""
    n = sum(patterns.values())
    if n == 0:
        return None
    m = len(next(iter(patterns)))
    if m < 2:
        return None
    agreeing = sum(w * (sum(p) * (sum(p) - 1) + (m - sum(p)) * (m - sum(p) - 1)) for p, w in patterns.items())
    p_bar = agreeing / (n * m * (m - 1))
    p1 = sum(w * sum(p) for p, w in patterns.items()) / (n * m)
    pe = p1 * p1 + (1 - p1) * (1 - p1)
    if math.isclose(pe, 1.0, abs_tol=1e-12):
        return None
    return _clean((p_bar - pe) / (1 - pe))


def _value_counts(patterns: dict[Pattern, int]) -> tuple[Any, Any]:
    """(rows of [coders rating 0, coders rating 1] per distinct pattern, their weights)."""
    import numpy as np

    keys = list(patterns)
    counts = np.array([[len(p) - sum(p), sum(p)] for p in keys], dtype=float)
    return counts, np.array([patterns[p] for p in keys], dtype=np.int64)


def krippendorff_alpha(patterns: dict[Pattern, int]) -> float | None:
    """Nominal alpha by the `krippendorff` package; None when undefined (one value only)."""
    import krippendorff
    import numpy as np

    if not patterns or sum(patterns.values()) == 0:
        return None
    counts, weights = _value_counts(patterns)
    totals = (counts * weights[:, None]).sum(axis=0)
    if (totals == 0).any():
        return None
    value_counts = np.repeat(counts, weights, axis=0)
    return _clean(krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal"))


def alpha_from_counts(counts: Any, weights: Any) -> Any:
    """Nominal alpha of binary ratings from pattern rows and (a batch of) weights: the
    coincidence-matrix formula, vectorised for the bootstrap; NaN where undefined. Tested
    against the `krippendorff` package."""
    import numpy as np

    n0, n1 = counts[:, 0], counts[:, 1]
    m = n0 + n1
    pairable = m > 1
    d = np.where(pairable, m - 1, 1)
    o01 = np.where(pairable, n0 * n1 / d, 0)
    o00 = np.where(pairable, n0 * (n0 - 1) / d, 0)
    o11 = np.where(pairable, n1 * (n1 - 1) / d, 0)
    w = np.atleast_2d(weights).astype(float)
    off = w @ o01
    tot0 = w @ (o00 + o01)
    tot1 = w @ (o11 + o01)
    n = tot0 + tot1
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * off / (tot0 * tot1)
    alpha = np.where((tot0 > 0) & (tot1 > 0), alpha, np.nan)
    return alpha if np.ndim(weights) > 1 else float(alpha[0])


def bootstrap_alpha_ci(patterns: dict[Pattern, int], *, samples: int = BOOTSTRAP_SAMPLES,
                       seed: int = BOOTSTRAP_SEED) -> tuple[float, float] | None:
    """The 2.5th and 97.5th percentiles of alpha over `samples` resamples of the units."""
    import numpy as np

    n = sum(patterns.values())
    if n < 2:
        return None
    counts, weights = _value_counts(patterns)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, weights / n, size=samples)
    alphas = alpha_from_counts(counts, draws)
    finite = alphas[np.isfinite(alphas)]
    if len(finite) < samples / 2:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return (_clean(low), _clean(high))


def coefficients(patterns: dict[Pattern, int], *, bootstrap: int = BOOTSTRAP_SAMPLES,
                 seed: int = BOOTSTRAP_SEED) -> Coefficients:
    n = sum(patterns.values())
    m = len(next(iter(patterns))) if patterns else 2
    fleiss = fleiss_kappa(patterns)
    kappa = cohen_kappa(patterns) if m == 2 else fleiss
    alpha = krippendorff_alpha(patterns)
    ci = bootstrap_alpha_ci(patterns, samples=bootstrap, seed=seed) if alpha is not None and bootstrap else None
    return Coefficients(
        n, percent_agreement(patterns), kappa, fleiss, alpha, ci,
        kappa_note=UNDEFINED_KAPPA if kappa is None and n else ("no units" if not n else None),
        alpha_note=UNDEFINED_ALPHA if alpha is None and n else ("no units" if not n else None),
    )


# -- segment agreement (MAXQDA style) --------------------------------------------------------------
def overlap_share(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two [start, end) spans."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def segment_agreement(spans: dict[str, list[tuple[str, int, int]]], coders: Sequence[str],
                      min_overlap: float) -> dict[str, Any]:
    """`spans`: coder -> [(document id, start, end)] of one code. A segment is matched when every
    other coder has one in the same document overlapping it by at least `min_overlap`."""
    by_doc: dict[str, dict[str, list[tuple[int, int]]]] = {c: defaultdict(list) for c in coders}
    for c in coders:
        for doc_id, s, e in spans.get(c, ()):
            by_doc[c][doc_id].append((s, e))
    total = matched = 0
    per_coder: dict[str, dict[str, int]] = {}
    for c in coders:
        mine = mine_matched = 0
        for doc_id, s, e in spans.get(c, ()):
            mine += 1
            if all(any(overlap_share((s, e), o) >= min_overlap - 1e-12 for o in by_doc[d].get(doc_id, ()))
                   for d in coders if d != c):
                mine_matched += 1
        per_coder[c] = {"segments": mine, "matched": mine_matched}
        total += mine
        matched += mine_matched
    return {"segments": total, "matched": matched, "percent": _clean(matched / total) if total else None,
            "min_overlap": min_overlap, "by_coder": per_coder}


# -- units and ratings ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Rated:
    """A stretch of a document with the same ratings: one unit, or a run of characters."""

    document_id: str
    start: int
    end: int
    weight: int        # 1 for a sentence or turn; the length for characters
    pattern: Pattern


def _covers(codings: list[tuple[int, int]], s: int, e: int) -> int:
    return int(any(cs < e and s < ce for cs, ce in codings))


def unit_spans(project: Project, doc_id: str, unit: str) -> list[tuple[int, int]]:
    """The units of a document: its sentences (indexed on demand) or its turns (the whole
    text when it has none)."""
    text_len = len(store.documents.document_text(project.db, doc_id))
    if unit == "sentence":
        spans = store.index.sentences(project.db, doc_id)
        if not spans:
            from themecoder.core.indexing import index_document

            index_document(project, doc_id)
            spans = store.index.sentences(project.db, doc_id)
        return spans or ([(0, text_len)] if text_len else [])
    turns = [(t.start, t.end) for t in store.documents.turns(project.db, doc_id) if t.end > t.start]
    return turns or ([(0, text_len)] if text_len else [])


def rate(project: Project, doc_id: str, unit: str, coders: Sequence[str],
         spans: dict[str, list[tuple[int, int]]]) -> list[Rated]:
    """Ratings of one code in one document; `spans`: coder -> that coder's coded spans."""
    if unit == "character":
        length = len(store.documents.document_text(project.db, doc_id))
        cuts = sorted({0, length, *(x for c in coders for span in spans.get(c, ()) for x in span)})
        out: list[Rated] = []
        for a, b in zip(cuts, cuts[1:]):
            if b <= a:
                continue
            pattern = tuple(int(any(cs <= a and b <= ce for cs, ce in spans.get(c, ()))) for c in coders)
            if out and out[-1].pattern == pattern and out[-1].end == a:
                last = out.pop()
                out.append(Rated(doc_id, last.start, b, last.weight + b - a, pattern))
            else:
                out.append(Rated(doc_id, a, b, b - a, pattern))
        return out
    return [Rated(doc_id, s, e, 1, tuple(_covers(spans.get(c, []), s, e) for c in coders))
            for s, e in unit_spans(project, doc_id, unit)]


# -- the request and the result -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CodeAgreement:
    code: str                 # the label ("overall" for the pooled row)
    code_id: str | None
    coefficients: Coefficients
    counts: dict[str, Any]
    segments: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        c = self.coefficients
        return {
            "code": self.code, "code_id": self.code_id, "units": c.units, "percent": c.percent,
            "kappa": c.kappa, "kappa_note": c.kappa_note, "fleiss_kappa": c.fleiss_kappa,
            "alpha": c.alpha, "alpha_ci": list(c.alpha_ci) if c.alpha_ci else None, "alpha_note": c.alpha_note,
            "counts": self.counts, "segments": self.segments,
        }


@dataclass
class Agreement:
    coders: list[str]
    unit: str
    documents: list[tuple[str, str]]      # (id, title)
    codes: list[CodeAgreement]
    overall: CodeAgreement
    min_overlap: float
    bootstrap: int = BOOTSTRAP_SAMPLES
    seed: int = BOOTSTRAP_SEED
    ratings: dict[str, list[Rated]] = field(default_factory=dict)   # code id -> ratings
    code_labels: dict[str, str] = field(default_factory=dict)
    codings: list[Coding] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "coders": self.coders, "unit": self.unit, "documents": [t for _, t in self.documents],
            "min_overlap": self.min_overlap, "bootstrap": {"samples": self.bootstrap, "seed": self.seed},
            "codes": [c.as_json() for c in self.codes], "overall": self.overall.as_json(),
        }


def _counts(patterns: dict[Pattern, int], coders: Sequence[str]) -> dict[str, Any]:
    m = len(coders)
    out: dict[str, Any] = {
        "all_coded": sum(w for p, w in patterns.items() if sum(p) == m),
        "none_coded": sum(w for p, w in patterns.items() if sum(p) == 0),
        "disagree": sum(w for p, w in patterns.items() if 0 < sum(p) < m),
        "coded_by": {c: sum(w for p, w in patterns.items() if p[i]) for i, c in enumerate(coders)},
    }
    if m == 2:
        out["only"] = {coders[0]: patterns.get((1, 0), 0), coders[1]: patterns.get((0, 1), 0)}
    return out


def check_coders(project: Project, coders: Sequence[str]) -> list[str]:
    names = list(dict.fromkeys(c.strip() for c in coders if c and c.strip()))
    if len(names) < 2:
        raise UserError("agreement needs at least two different coders (--coders A B)")
    known = store.codings.coders(project.db)
    for c in names:
        if c not in known:
            raise resolve.not_found("coder with codings", c, known)
    return names


def check_min_overlap(value: float) -> float:
    if 1 < value <= 100:
        value = value / 100
    if not 0 < value <= 1:
        raise UserError("--min-overlap is a share between 0 and 1 (0.9) or a percentage (90)")
    return value


def compute(project: Project, coders: Sequence[str], *, unit: str = "sentence",
            documents: Sequence[str] | None = None, codes: Sequence[str] | None = None,
            min_overlap: float = DEFAULT_MIN_OVERLAP, bootstrap: int = BOOTSTRAP_SAMPLES,
            seed: int = BOOTSTRAP_SEED) -> Agreement:
    """Agreement of `coders` on the chosen documents and codes (references as a person types
    them). Without documents: every document one of the coders has coded; without codes: every
    code one of them used there (a code named explicitly is reported even if nobody used it)."""
    if unit not in UNITS:
        raise UserError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    names = check_coders(project, coders)
    min_overlap = check_min_overlap(min_overlap)
    docs = resolve.documents(project, documents)
    chosen_codes = [resolve.code(project, r) for r in codes] if codes else None
    all_codings = store.codings.codings_of_coders(
        project.db, names, doc_ids=[d.id for d in docs] if docs is not None else None)
    if docs is None:
        used = {c.document_id for c in all_codings}
        docs = [d for d in store.documents.documents(project.db) if d.id in used]
    if chosen_codes is not None:
        wanted = {c.id for c in chosen_codes}
        all_codings = [c for c in all_codings if c.code_id in wanted]
    if chosen_codes is None:
        used_codes = {c.code_id for c in all_codings}
        chosen_codes = [c for c in store.codes.codes(project.db) if c.id in used_codes]
    if not docs:
        raise UserError(f"none of {', '.join(names)} has coded anything in the chosen documents")
    spans: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for c in all_codings:
        spans[(c.code_id, c.document_id)][c.coder or ""].append((c.start, c.end))
    unit_cache: dict[str, list[tuple[int, int]]] = {}
    results: list[CodeAgreement] = []
    pooled: dict[Pattern, int] = defaultdict(int)
    seg_total = {"segments": 0, "matched": 0}
    ratings: dict[str, list[Rated]] = {}
    for code in chosen_codes:
        patterns: dict[Pattern, int] = defaultdict(int)
        rated: list[Rated] = []
        seg_spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for d in docs:
            by_coder = spans.get((code.id, d.id), {})
            if unit != "character" and not by_coder and d.id in unit_cache:
                n_units = len(unit_cache[d.id])
                patterns[(0,) * len(names)] += n_units
                rated.extend(Rated(d.id, s, e, 1, (0,) * len(names)) for s, e in unit_cache[d.id])
                continue
            doc_rated = rate(project, d.id, unit, names, by_coder)
            if unit != "character":
                unit_cache[d.id] = [(r.start, r.end) for r in doc_rated]
            rated.extend(doc_rated)
            for r in doc_rated:
                patterns[r.pattern] += r.weight
            for coder, coder_spans in by_coder.items():
                seg_spans[coder].extend((d.id, s, e) for s, e in coder_spans)
        for p, w in patterns.items():
            pooled[p] += w
        seg = segment_agreement(seg_spans, names, min_overlap)
        seg_total["segments"] += seg["segments"]
        seg_total["matched"] += seg["matched"]
        results.append(CodeAgreement(code.label, code.id, coefficients(dict(patterns), bootstrap=bootstrap, seed=seed),
                                     _counts(patterns, names), seg))
        ratings[code.id] = rated
    overall_seg = {**seg_total, "min_overlap": min_overlap,
                   "percent": _clean(seg_total["matched"] / seg_total["segments"]) if seg_total["segments"] else None}
    overall = CodeAgreement("overall", None, coefficients(dict(pooled), bootstrap=bootstrap, seed=seed),
                            _counts(pooled, names), overall_seg)
    return Agreement(names, unit, [(d.id, d.title) for d in docs], results, overall, min_overlap,
                     bootstrap, seed, ratings, {c.id: c.label for c in chosen_codes}, all_codings)


def format_value(x: float | None, note: str | None = None, decimals: int = 2) -> str:
    """For text output: the number, or the word "undefined" (never NaN)."""
    if x is None:
        return "undefined" if note and note.startswith("undefined") else "–"
    return f"{x:.{decimals}f}"
