"""Statistics for the quantitative strand: descriptives, Cronbach's alpha, t-tests,
Mann-Whitney U, Pearson and Spearman correlations.

Arithmetic is plain Python (``math.fsum``); scipy is imported inside the functions that
need a distribution, so importing this module is cheap. Missing values (``None`` or NaN)
are dropped: per variable for descriptives and group tests, pairwise for correlations,
listwise for Cronbach's alpha.

Every function returns a small result dataclass with the numbers and a
``to_finding(**fields)`` method that turns it into a :class:`~themecoder.core.quant.SurveyFinding`
(``fields`` are the descriptive ones: instrument, scale, comparison, variables, statement,
id, ...). All p values are two-sided.

Choices worth knowing:

* SD uses n - 1. The CI of a mean uses the t distribution with n - 1 df.
* Cohen's d = (M1 - M2) / pooled SD (the pooled SD with n - 1 weights) for both Student and
  Welch; Hedges' g = d * J with the exact correction J = G(df/2) / (sqrt(df/2) G((df-1)/2)),
  df = n1 + n2 - 2. The finding carries d; g is in ``details``.
* Mann-Whitney: U is the statistic of the first group (scipy's convention; recorded as
  ``details["u_of"]`` and said in the report), the finding's groups carry medians, p comes from
  ``scipy.stats.mannwhitneyu``: exact when there are no ties and a group has at most 8
  values (scipy's "auto" rule, chosen here explicitly and recorded as ``p_method``),
  otherwise the normal approximation with tie correction and *without* continuity
  correction, so that p belongs to the reported Z (as SPSS's "Asymp. Sig." does; R's
  ``wilcox.test`` and scipy's default apply a continuity correction). The effect size is
  r = Z / sqrt(N), with that same Z; the rank-biserial correlation 2 U / (n1 n2) - 1 is in
  ``details``. Both are positive when the first group tends to have the higher values.
* Correlations: df = n - 2, p from the t distribution (as scipy does). 95% CI by Fisher z
  with SE 1 / sqrt(n - 3) for Pearson, and SE sqrt(1.06 / (n - 3)) for Spearman
  (Fieller, Hartley & Pearson, 1957).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from themecoder.core.quant import Group, SurveyFinding
from themecoder.errors import UserError

Number = float | int | None


class StatsError(UserError, ValueError):
    """The data do not allow the statistic (too few values, no variance, ...)."""


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def clean(values: Sequence[Number]) -> list[float]:
    """The non-missing values as floats."""
    return [float(x) for x in values if x is not None and not _is_missing(x)]


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs)


def _var(xs: Sequence[float]) -> float:
    m = _mean(xs)
    return math.fsum((x - m) ** 2 for x in xs) / (len(xs) - 1)


def _tdist():
    from scipy import stats

    return stats.t


def _two_sided_t(t: float, df: float) -> float:
    return float(min(1.0, 2.0 * _tdist().sf(abs(t), df)))


# ---------------------------------------------------------------------------------------
# Descriptives


@dataclass
class Descriptives:
    n: int
    mean: float | None
    sd: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n_missing: int = 0
    conf: float = 0.95

    def group(self, name: str = "Alle") -> Group:
        return Group(name=name, n=self.n, mean=self.mean, sd=self.sd)

    def to_finding(self, group_name: str = "Alle", **fields: Any) -> SurveyFinding:
        details = {"se": self.se, "ci_low": self.ci_low, "ci_high": self.ci_high,
                   "conf": self.conf, "n_missing": self.n_missing}
        return SurveyFinding(test="descriptive", groups=[self.group(group_name)], n=self.n,
                       source="computed", details=details, **fields)


def describe(values: Sequence[Number], conf: float = 0.95) -> Descriptives:
    """n, mean, SD (n - 1), SE and the t-based confidence interval of the mean."""
    xs = clean(values)
    n, missing = len(xs), len(values) - len(xs)
    if n == 0:
        return Descriptives(0, None, None, None, None, None, missing, conf)
    mean = _mean(xs)
    if n == 1:
        return Descriptives(1, mean, None, None, None, None, missing, conf)
    sd = math.sqrt(_var(xs))
    se = sd / math.sqrt(n)
    half = float(_tdist().ppf(0.5 + conf / 2, n - 1)) * se
    return Descriptives(n, mean, sd, se, mean - half, mean + half, missing, conf)


# ---------------------------------------------------------------------------------------
# Cronbach's alpha


@dataclass
class AlphaResult:
    alpha: float
    k: int
    n: int
    n_excluded: int
    items: list[str]
    alpha_if_deleted: dict[str, float | None]
    item_total: dict[str, float | None]

    def to_finding(self, **fields: Any) -> SurveyFinding:
        details = {"k": self.k, "n_excluded": self.n_excluded,
                   "alpha_if_deleted": dict(self.alpha_if_deleted),
                   "item_total": dict(self.item_total)}
        return SurveyFinding(test="cronbach-alpha", statistic=self.alpha, n=self.n,
                       source="computed", details=details,
                       variables=fields.pop("variables", list(self.items)), **fields)


def _alpha(columns: Sequence[Sequence[float]]) -> float:
    k = len(columns)
    totals = [math.fsum(row) for row in zip(*columns)]
    var_total = _var(totals)
    if var_total == 0:
        raise StatsError("Cronbach's alpha: the total score has no variance")
    return k / (k - 1) * (1 - math.fsum(_var(c) for c in columns) / var_total)


def cronbach_alpha(items: Mapping[str, Sequence[Number]]) -> AlphaResult:
    """Alpha = k/(k-1) * (1 - sum of item variances / variance of the sum score).

    ``items`` maps item name to its column (all the same length, one entry per respondent).
    Respondents with any missing item are left out (listwise deletion). Also gives, per
    item, alpha if the item is deleted (None when fewer than 2 items would remain) and the
    corrected item-total correlation (the item against the sum of the *other* items; None
    when either has no variance).
    """
    names = list(items)
    if len(names) < 2:
        raise StatsError("Cronbach's alpha needs at least 2 items")
    lengths = {len(items[name]) for name in names}
    if len(lengths) != 1:
        raise StatsError("Cronbach's alpha: the item columns differ in length")
    rows = [r for r in zip(*(items[name] for name in names))
            if not any(_is_missing(x) for x in r)]
    total_rows = lengths.pop()
    if len(rows) < 2:
        raise StatsError("Cronbach's alpha needs at least 2 complete respondents")
    columns = [[float(r[j]) for r in rows] for j in range(len(names))]
    alpha = _alpha(columns)
    if_deleted: dict[str, float | None] = {}
    item_total: dict[str, float | None] = {}
    for j, name in enumerate(names):
        rest = columns[:j] + columns[j + 1:]
        try:
            if_deleted[name] = _alpha(rest) if len(rest) >= 2 else None
        except StatsError:
            if_deleted[name] = None
        rest_sum = [math.fsum(row) for row in zip(*rest)]
        item_total[name] = _pearson_r(columns[j], rest_sum)
    return AlphaResult(alpha, len(names), len(rows), total_rows - len(rows), names,
                       if_deleted, item_total)


# ---------------------------------------------------------------------------------------
# t-tests


@dataclass
class TTestResult:
    t: float
    df: float
    p: float
    equal_var: bool
    mean_diff: float
    se: float
    ci_low: float
    ci_high: float
    d: float | None
    g: float | None
    groups: list[Group]
    conf: float = 0.95

    @property
    def test(self) -> str:
        return "t-test" if self.equal_var else "welch"

    def to_finding(self, **fields: Any) -> SurveyFinding:
        details = {"g": self.g, "mean_diff": self.mean_diff, "se": self.se,
                   "ci_low": self.ci_low, "ci_high": self.ci_high, "conf": self.conf}
        return SurveyFinding(test=self.test, groups=list(self.groups), statistic=self.t,
                       df=self.df, p=self.p, effect_size=self.d, effect_label="d",
                       n=sum(g.n or 0 for g in self.groups), source="computed",
                       details=details, **fields)


def t_test_summary(group1: Group, group2: Group, *, equal_var: bool = True,
                   conf: float = 0.95) -> TTestResult:
    """Independent-samples t-test from M, SD and n per group (Student or Welch).

    t = (M1 - M2) / SE. Student: SE from the pooled variance, df = n1 + n2 - 2. Welch:
    SE = sqrt(s1^2/n1 + s2^2/n2) with Welch-Satterthwaite df.
    """
    for g in (group1, group2):
        if g.n is not None and g.n < 2:
            raise StatsError(f"t-test: group {g.name!r} has fewer than 2 values")
        if g.n is None or g.mean is None or g.sd is None:
            raise StatsError(f"t-test: group {g.name!r} needs n, mean and SD")
    n1, n2 = group1.n, group2.n
    assert n1 is not None and n2 is not None  # checked above
    assert group1.sd is not None and group2.sd is not None and group1.mean is not None and group2.mean is not None
    v1, v2 = group1.sd ** 2, group2.sd ** 2
    diff = group1.mean - group2.mean
    pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    if equal_var:
        se = math.sqrt(pooled * (1 / n1 + 1 / n2))
        df = float(n1 + n2 - 2)
    else:
        a, b = v1 / n1, v2 / n2
        se = math.sqrt(a + b)
        df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1)) if se > 0 else math.nan
    if se == 0:
        raise StatsError("t-test: both groups have no variance")
    t = diff / se
    half = float(_tdist().ppf(0.5 + conf / 2, df)) * se
    d = diff / math.sqrt(pooled) if pooled > 0 else None
    hedges_g = d * hedges_j(n1 + n2 - 2) if d is not None else None
    return TTestResult(t, df, _two_sided_t(t, df), equal_var, diff, se, diff - half,
                       diff + half, d, hedges_g, [group1, group2], conf)


def hedges_j(df: float) -> float:
    """Small-sample correction for Hedges' g: G(df/2) / (sqrt(df/2) G((df-1)/2))."""
    return math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)


def t_test(x: Sequence[Number], y: Sequence[Number], *, equal_var: bool = True,
           names: tuple[str, str] = ("Gruppe 1", "Gruppe 2"),
           conf: float = 0.95) -> TTestResult:
    """Independent-samples t-test on raw values (missing values dropped)."""
    gx = describe(x).group(names[0])
    gy = describe(y).group(names[1])
    return t_test_summary(gx, gy, equal_var=equal_var, conf=conf)


# ---------------------------------------------------------------------------------------
# Mann-Whitney U


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties get their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            out[order[k]] = avg
        i = j + 1
    return out


@dataclass
class MannWhitneyResult:
    u: float
    p: float
    z: float
    r: float
    rank_biserial: float
    method: str
    groups: list[Group]
    medians: list[float]

    def to_finding(self, **fields: Any) -> SurveyFinding:
        details = {"z": self.z, "rank_biserial": self.rank_biserial,
                   "medians": list(self.medians), "p_method": self.method,
                   "u_of": self.groups[0].name,
                   "effect": "r = Z/sqrt(N), Z tie-corrected without continuity correction"}
        # a rank test reports medians, not M and SD (the t-test beside it has those)
        groups = [Group(g.name, g.n, median=m) for g, m in zip(self.groups, self.medians)]
        return SurveyFinding(test="mann-whitney", groups=groups, statistic=self.u,
                       p=self.p, effect_size=self.r, effect_label="r",
                       n=sum(g.n or 0 for g in self.groups), source="computed",
                       details=details, **fields)


def mann_whitney(x: Sequence[Number], y: Sequence[Number], *,
                 names: tuple[str, str] = ("Gruppe 1", "Gruppe 2")) -> MannWhitneyResult:
    """Mann-Whitney U test, two-sided (U of the first group; see the module notes)."""
    from scipy import stats

    xs, ys = clean(x), clean(y)
    n1, n2 = len(xs), len(ys)
    if n1 == 0 or n2 == 0:
        raise StatsError("Mann-Whitney: each group needs at least one value")
    n = n1 + n2
    ties = _tie_counts(xs + ys)
    method = "exact" if (n1 <= 8 or n2 <= 8) and max(ties) == 1 else "asymptotic"
    res = stats.mannwhitneyu(xs, ys, alternative="two-sided", method=method,
                             use_continuity=False)
    u = float(res.statistic)
    tie_term = math.fsum(t ** 3 - t for t in ties) / (n * (n - 1)) if n > 1 else 0.0
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term))
    if sigma == 0:
        raise StatsError("Mann-Whitney: all values are equal")
    z = (u - n1 * n2 / 2) / sigma
    groups = [describe(xs).group(names[0]), describe(ys).group(names[1])]
    return MannWhitneyResult(
        u, float(res.pvalue), z, z / math.sqrt(n), 2 * u / (n1 * n2) - 1,
        method, groups, [_median(xs), _median(ys)],
    )


def _tie_counts(values: Sequence[float]) -> list[int]:
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return list(counts.values())


def _median(xs: Sequence[float]) -> float:
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


# ---------------------------------------------------------------------------------------
# Correlations


@dataclass
class CorrelationResult:
    method: str
    r: float
    n: int
    df: int
    p: float
    ci_low: float | None
    ci_high: float | None
    conf: float = 0.95

    def to_finding(self, **fields: Any) -> SurveyFinding:
        details = {"ci_low": self.ci_low, "ci_high": self.ci_high, "conf": self.conf}
        label = "r" if self.method == "pearson" else "rho"
        return SurveyFinding(test=self.method, statistic=self.r, df=float(self.df), p=self.p,
                       effect_size=self.r, effect_label=label, n=self.n, source="computed",
                       details=details, **fields)


def _pearson_r(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    mx, my = _mean(xs), _mean(ys)
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(xs, ys))
    sxx = math.fsum((a - mx) ** 2 for a in xs)
    syy = math.fsum((b - my) ** 2 for b in ys)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def fisher_ci(r: float, n: int, conf: float = 0.95,
              se_factor: float = 1.0) -> tuple[float | None, float | None]:
    """CI for a correlation: tanh(atanh(r) -/+ z_crit * se_factor / sqrt(n - 3))."""
    if n <= 3:
        return None, None
    if abs(r) >= 1:
        return r, r
    from scipy import stats

    zc = float(stats.norm.ppf(0.5 + conf / 2))
    z = math.atanh(r)
    half = zc * math.sqrt(se_factor) / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def _pairs(x: Sequence[Number], y: Sequence[Number]) -> tuple[list[float], list[float]]:
    if len(x) != len(y):
        raise StatsError("correlation: the two variables differ in length")
    kept = [(float(a), float(b)) for a, b in zip(x, y)
            if a is not None and b is not None and not _is_missing(a) and not _is_missing(b)]
    return [a for a, _ in kept], [b for _, b in kept]


def _correlation(method: str, xs: list[float], ys: list[float], conf: float,
                 se_factor: float) -> CorrelationResult:
    n = len(xs)
    if n < 3:
        raise StatsError(f"{method}: needs at least 3 complete pairs")
    r = _pearson_r(xs, ys)
    if r is None:
        raise StatsError(f"{method}: a variable has no variance")
    df = n - 2
    p = 0.0 if abs(r) >= 1 else _two_sided_t(r * math.sqrt(df / (1 - r * r)), df)
    lo, hi = fisher_ci(r, n, conf, se_factor)
    return CorrelationResult(method, r, n, df, p, lo, hi, conf)


def pearson(x: Sequence[Number], y: Sequence[Number], conf: float = 0.95) -> CorrelationResult:
    """Pearson r with pairwise deletion, df = n - 2, p and Fisher-z CI."""
    xs, ys = _pairs(x, y)
    return _correlation("pearson", xs, ys, conf, 1.0)


def spearman(x: Sequence[Number], y: Sequence[Number], conf: float = 0.95) -> CorrelationResult:
    """Spearman rho (Pearson r of average ranks), p by the t approximation as scipy."""
    xs, ys = _pairs(x, y)
    return _correlation("spearman", ranks(xs), ranks(ys), conf, 1.06)
