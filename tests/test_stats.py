"""themecoder.core.stats against scipy and against hand-worked examples."""
from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats as ss

from themecoder.core import stats
from themecoder.core.quant import Group

likert = st.lists(st.integers(1, 5), min_size=3, max_size=40)
real = st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).map(
    lambda x: round(x, 3)), min_size=3, max_size=40)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _has_spread(xs) -> bool:
    return len(set(xs)) > 1


# --- t-tests --------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
@SETTINGS
@given(x=st.one_of(likert, real), y=st.one_of(likert, real), equal_var=st.booleans())
def test_t_test_matches_scipy(x, y, equal_var):
    assume(_has_spread(x) or _has_spread(y))
    ours = stats.t_test(x, y, equal_var=equal_var)
    ref = ss.ttest_ind(x, y, equal_var=equal_var)
    assert close(ours.t, float(ref.statistic), rel=1e-7, abs_=1e-9)
    assert close(ours.p, float(ref.pvalue), rel=1e-6, abs_=1e-12)
    assert close(ours.df, float(ref.df), rel=1e-9)
    assert ours.test == ("t-test" if equal_var else "welch")


def test_t_test_summary_equals_raw_and_hand_d():
    # [1, 2, 3] vs [4, 5, 6]: means 2 and 5, both SDs 1, pooled SD 1, so d = (2 - 5) / 1 = -3
    raw = stats.t_test([1, 2, 3], [4, 5, 6])
    summ = stats.t_test_summary(Group("a", 3, 2.0, 1.0), Group("b", 3, 5.0, 1.0))
    assert close(raw.t, summ.t) and close(raw.p, summ.p)
    assert close(raw.d, -3.0)
    # t = -3 / sqrt(1 * (1/3 + 1/3)) = -3 / 0.8165 = -3.674
    assert close(raw.t, -3 / math.sqrt(2 / 3))
    # Hedges' g = d * J(4); J(4) = G(2) / (sqrt(2) G(1.5)) = 1 / (1.41421 * 0.886227) = 0.797885
    assert close(raw.g, -3 * 0.7978845608, rel=1e-8)
    welch = stats.t_test([1, 2, 3], [4, 5, 6], equal_var=False)
    assert welch.d == raw.d  # d uses the pooled SD for both tests


def test_hedges_j_near_the_usual_approximation():
    for df in (10, 38, 100):
        assert abs(stats.hedges_j(df) - (1 - 3 / (4 * df - 1))) < 5e-4


def test_t_test_finding_fields():
    f = stats.t_test([1, 2, 3, 4], [2, 4, 5, 6, 7], names=("med", "uten")).to_finding(
        instrument="QPS Nordic", scale="Støtte fra leder")
    assert f.test == "t-test" and f.df == 7 and f.n == 9 and f.effect_label == "d"
    assert [g.name for g in f.groups] == ["med", "uten"] and f.groups[0].n == 4
    assert f.details["g"] is not None and f.source == "computed"


def test_t_test_confidence_interval_of_difference():
    res = stats.t_test([1, 2, 3, 4], [2, 4, 5, 6, 7])
    ref = ss.ttest_ind([1, 2, 3, 4], [2, 4, 5, 6, 7]).confidence_interval()
    assert close(res.ci_low, float(ref.low)) and close(res.ci_high, float(ref.high))


def test_t_test_errors_are_one_line():
    with pytest.raises(ValueError, match="no variance") as exc:
        stats.t_test([3, 3, 3], [3, 3])
    assert "\n" not in str(exc.value)
    with pytest.raises(stats.StatsError, match="fewer than 2"):
        stats.t_test([1], [2, 3])


# --- Mann-Whitney ---------------------------------------------------------------------


@SETTINGS
@given(x=st.one_of(likert, real), y=st.one_of(likert, real))
def test_mann_whitney_matches_scipy(x, y):
    assume(len(set(x + y)) > 1)
    ours = stats.mann_whitney(x, y)
    # no continuity correction, so that p belongs to the reported z (as in SPSS)
    ref = ss.mannwhitneyu(x, y, alternative="two-sided", use_continuity=False)
    assert ours.u == float(ref.statistic)
    assert close(ours.p, float(ref.pvalue), rel=1e-9)
    assert -1 <= ours.rank_biserial <= 1
    assert math.copysign(1, ours.z) == math.copysign(1, ours.rank_biserial) or ours.z == 0


def test_mann_whitney_hand_example():
    # x = [1, 2, 3], y = [4, 5, 6]: U1 = 0, mean of U = 3*3/2 = 4.5,
    # sigma = sqrt(3*3*(6+1)/12) = sqrt(5.25) = 2.29129, z = -4.5/2.29129 = -1.96396,
    # r = z / sqrt(6) = -0.80178, rank-biserial = 2*0/9 - 1 = -1, exact p = 2/20 = .1
    res = stats.mann_whitney([1, 2, 3], [4, 5, 6])
    assert res.u == 0 and res.method == "exact"
    assert close(res.z, -4.5 / math.sqrt(5.25))
    assert close(res.r, -4.5 / math.sqrt(5.25) / math.sqrt(6))
    assert res.rank_biserial == -1
    assert close(res.p, 0.1)
    f = res.to_finding()
    assert f.effect_label == "r" and f.details["p_method"] == "exact"


def test_mann_whitney_ties_use_tie_corrected_z():
    x, y = [1, 1, 2, 2, 3, 3, 4, 5, 5], [2, 3, 3, 4, 4, 5, 5, 5, 5, 5]
    res = stats.mann_whitney(x, y)
    ref = ss.mannwhitneyu(x, y, use_continuity=False, method="asymptotic")
    assert res.method == "asymptotic"
    assert close(res.p, float(ref.pvalue))
    assert close(2 * ss.norm.sf(abs(res.z)), res.p, rel=1e-9)


# --- correlations ---------------------------------------------------------------------


@SETTINGS
@given(data=st.lists(st.tuples(st.integers(1, 5), st.floats(-50, 50).map(lambda v: round(v, 2))),
                     min_size=5, max_size=40))
def test_correlations_match_scipy(data):
    x = [a for a, _ in data]
    y = [b for _, b in data]
    assume(_has_spread(x) and _has_spread(y))
    p = stats.pearson(x, y)
    ref = ss.pearsonr(x, y)
    assume(abs(float(ref.statistic)) < 1 - 1e-9)
    assert close(p.r, float(ref.statistic), rel=1e-9, abs_=1e-12)
    assert close(p.p, float(ref.pvalue), rel=1e-6, abs_=1e-12)
    ci = ref.confidence_interval()
    assert close(p.ci_low, float(ci.low), rel=1e-7, abs_=1e-9)
    assert close(p.ci_high, float(ci.high), rel=1e-7, abs_=1e-9)
    assert p.df == len(x) - 2 and p.n == len(x)
    s = stats.spearman(x, y)
    sref = ss.spearmanr(x, y)
    assume(abs(float(sref.statistic)) < 1 - 1e-9)
    assert close(s.r, float(sref.statistic), rel=1e-9, abs_=1e-12)
    assert close(s.p, float(sref.pvalue), rel=1e-6, abs_=1e-12)


def test_fisher_ci_by_hand():
    # r = .5, n = 28: z = atanh(.5) = 0.549306, SE = 1/sqrt(25) = 0.2,
    # z +/- 1.959964 * 0.2 = [0.157313, 0.941299], back with tanh: [0.156028, 0.735818]
    lo, hi = stats.fisher_ci(0.5, 28)
    assert abs(lo - 0.156028) < 1e-6 and abs(hi - 0.735818) < 1e-6
    # Spearman: SE = sqrt(1.06/25) = 0.205913, half-width 0.403582
    lo, hi = stats.fisher_ci(0.5, 28, se_factor=1.06)
    assert abs(lo - math.tanh(0.549306 - 0.403582)) < 1e-5
    assert stats.fisher_ci(0.5, 3) == (None, None)


def test_correlation_pairwise_deletion_and_errors():
    res = stats.pearson([1, 2, None, 4, 5, float("nan")], [2, 1, 3, 5, 4, 6])
    assert res.n == 4 and res.df == 2
    with pytest.raises(ValueError, match="no variance"):
        stats.pearson([1, 1, 1, 1], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="differ in length"):
        stats.spearman([1, 2, 3], [1, 2])
    f = stats.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).to_finding()
    assert f.test == "spearman" and f.effect_label == "rho" and f.df == 3


# --- descriptives ---------------------------------------------------------------------


def test_describe_ci_by_hand():
    # 2, 4, 4, 4, 5, 5, 7, 9: n = 8, mean = 40/8 = 5, squares of deviations
    # 9+1+1+1+0+0+4+16 = 32, SD = sqrt(32/7) = 2.13809, SE = 2.13809/sqrt(8) = 0.755929,
    # t(.975, 7) = 2.364624 (table), half-width = 1.787492, CI [3.212508, 6.787492]
    d = stats.describe([2, 4, 4, 4, 5, 5, 7, 9, None])
    assert d.n == 8 and d.n_missing == 1 and d.mean == 5
    assert abs(d.sd - 2.138090) < 1e-6
    assert abs(d.ci_low - 3.212508) < 1e-5 and abs(d.ci_high - 6.787492) < 1e-5
    f = d.to_finding(scale="Involvering")
    assert f.test == "descriptive" and f.groups[0].n == 8 and f.details["ci_low"] == d.ci_low


def test_describe_small_samples():
    assert stats.describe([]).mean is None
    one = stats.describe([3])
    assert one.mean == 3 and one.sd is None and one.ci_low is None


# --- Cronbach's alpha -----------------------------------------------------------------


def test_cronbach_alpha_hand_example():
    # Respondent  i1 i2 i3  total
    #   R1         1  2  2     5
    #   R2         2  3  3     8
    #   R3         3  3  4    10
    #   R4         4  4  5    13
    #   R5         5  -  1     (missing i2: left out, listwise)
    # Item variances (n - 1): i1 = 5/3, i2 = 2/3, i3 = 5/3; sum = 4.
    # Total: mean 9, variance (16 + 1 + 1 + 16)/3 = 34/3.
    # alpha = 3/2 * (1 - 4 / (34/3)) = 3/2 * 22/34 = 33/34 = 0.970588
    # Without i1: vars 2/3 + 5/3 = 7/3, totals 4 6 7 9 variance 13/3,
    #   alpha = 2 * (1 - 7/13) = 12/13 = 0.923077
    # Without i2: vars 10/3, totals 3 5 7 9 variance 20/3, alpha = 2 * (1 - 1/2) = 1
    # Corrected item-total r for i2: i2 = 2 3 3 4 vs i1 + i3 = 3 5 7 9:
    #   deviations (-1 0 0 1) and (-3 -1 1 3): 6 / sqrt(2 * 20) = 0.948683
    items = {"i1": [1, 2, 3, 4, 5], "i2": [2, 3, 3, 4, None], "i3": [2, 3, 4, 5, 1]}
    res = stats.cronbach_alpha(items)
    assert res.n == 4 and res.n_excluded == 1 and res.k == 3
    assert close(res.alpha, 33 / 34)
    assert close(res.alpha_if_deleted["i1"], 12 / 13)
    assert close(res.alpha_if_deleted["i2"], 1.0)
    assert close(res.item_total["i2"], 6 / math.sqrt(40))
    f = res.to_finding(scale="Demo")
    assert f.test == "cronbach-alpha" and f.statistic == res.alpha and f.n == 4
    assert f.details["alpha_if_deleted"]["i1"] == res.alpha_if_deleted["i1"]
    assert f.variables == ["i1", "i2", "i3"]


def test_cronbach_alpha_two_items_and_errors():
    res = stats.cronbach_alpha({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4]})
    assert res.alpha_if_deleted == {"a": None, "b": None}
    with pytest.raises(ValueError, match="at least 2 items"):
        stats.cronbach_alpha({"a": [1, 2, 3]})
    with pytest.raises(ValueError, match="no variance"):
        stats.cronbach_alpha({"a": [2, 2, 2], "b": [3, 3, 3]})


@SETTINGS
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
                min_size=3, max_size=30))
def test_cronbach_alpha_matches_variance_formula(rows):
    cols = [list(c) for c in zip(*rows)]
    totals = [sum(r) for r in rows]
    assume(len(set(totals)) > 1)
    import statistics

    expected = 1.5 * (1 - sum(statistics.variance(c) for c in cols) / statistics.variance(totals))
    res = stats.cronbach_alpha({"a": cols[0], "b": cols[1], "c": cols[2]})
    assert close(res.alpha, expected, rel=1e-9, abs_=1e-9)
    assert res.alpha <= 1 + 1e-12


# --- the module stays cheap to import -------------------------------------------------


def test_import_does_not_load_heavy_modules():
    code = ("import sys, themecoder.core.stats, themecoder.core.statcheck, "
            "themecoder.core.apa, themecoder.core.quant, themecoder.core.survey; "
            "print(sorted(m for m in ('scipy', 'numpy', 'yaml', 'textual', 'docx') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
