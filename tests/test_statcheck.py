"""themecoder.core.statcheck on constructed cases and on the demo findings."""
from __future__ import annotations

import pytest
from scipy import stats as ss

from themecoder.core import stats
from themecoder.core.quant import Group, SurveyFinding, load_findings
from themecoder.core.statcheck import check_finding, check_findings, decimals_of
from themecoder.core.survey import compute_findings


def t_finding(t, df, p_reported, **kw):
    return SurveyFinding(test="t-test", statistic=t, df=df, p_reported=p_reported, **kw)


def test_decimals_of():
    assert decimals_of(2.51) == 2 and decimals_of(1.996) == 3 and decimals_of(38.0) == 1
    assert decimals_of(2.1, "2.10") == 2 and decimals_of(0.0, ",016") == 3


def test_consistent_t():
    # t(28) = 2.20 gives p = .0362 -> reported .036 fits
    r = check_finding(t_finding(2.20, 28, ".036"))
    assert r.consistent and not r.decision_error and r.checked
    assert r.recomputed_p == pytest.approx(2 * ss.t.sf(2.2, 28))
    assert r.recomputed_from == "statistic" and r.issues == []


def test_inconsistent_without_decision_error():
    r = check_finding(t_finding(2.20, 28, ".01"))
    assert not r.consistent and not r.decision_error
    assert "reported p = .01 does not match" in r.note


def test_inconsistent_with_decision_error():
    # t(28) = 1.20 gives p = .24, reported as significant
    r = check_finding(t_finding(1.20, 28, ".03"))
    assert not r.consistent and r.decision_error
    r = check_finding(t_finding(1.90, 50, "< .001"))  # p = .063
    assert not r.consistent and r.decision_error
    r = check_finding(t_finding(5.0, 50, "< .001"))
    assert r.consistent and not r.decision_error


def test_precision_of_the_statistic_counts():
    # t = 2.0 stands for [1.95, 2.05]: p from .0473 to .0586, so p = .048 fits ...
    loose = SurveyFinding(test="t-test", statistic=2.0, statistic_reported="2.0", df=38,
                    p_reported=".048")
    assert check_finding(loose).consistent
    # ... but t = 2.00 stands for [1.995, 2.005]: p from .0521 to .0533, so .048 does not
    tight = SurveyFinding(test="t-test", statistic=2.0, statistic_reported="2.00", df=38,
                    p_reported=".048")
    r = check_finding(tight)
    assert not r.consistent
    lo, hi = r.recomputed_range
    assert lo == pytest.approx(2 * ss.t.sf(2.005, 38)) and hi == pytest.approx(
        2 * ss.t.sf(1.995, 38))


def test_p_equal_alpha_counts_as_significant_by_default():
    # t(38) = 2.10 gives p = .042 (significant); reported p = .05 fits the rounding? no:
    # .042 rounds to .04. Use t(38) = 1.99: p = .0539, reported ".05" fits but .0539 >= .05
    f = t_finding(1.99, 38, ".05")
    r = check_finding(f)
    assert r.consistent and r.decision_error
    assert "decision error" in r.note
    r = check_finding(f, p_equal_alpha_significant=False)
    assert r.consistent and not r.decision_error


def test_no_decision_when_recomputed_p_straddles_alpha():
    # t = 2.0 (one decimal) allows p from .047 to .059: undecided
    f = SurveyFinding(test="t-test", statistic=2.0, statistic_reported="2.0", df=38, p_reported=".04")
    r = check_finding(f)
    assert not r.decision_error


def test_correlation_checks():
    r = check_finding(SurveyFinding(test="pearson", statistic=0.315, n=40, p_reported=".05"))
    assert r.consistent and r.recomputed_range[1] < 0.05
    r = check_finding(SurveyFinding(test="pearson", statistic=0.315, n=40, df=30, p_reported=".05"))
    assert not r.consistent and "df = 30 but n - 2 = 38" in r.note
    r = check_finding(SurveyFinding(test="spearman", statistic=0.6, n=20, p_reported=".20"))
    assert not r.consistent and r.decision_error
    r = check_finding(SurveyFinding(test="pearson", statistic=1.2, n=20, p_reported=".01"))
    assert not r.consistent and "impossible" in r.note


def test_mann_whitney_checks():
    x = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 2, 1]
    y = [3, 4, 4, 5, 5, 5, 4, 3, 5, 4, 5, 2, 4]
    f = stats.mann_whitney(x, y).to_finding()
    assert check_finding(f).consistent  # via the reported z
    f.details.pop("z")
    f.p = None
    f.p_reported = f"{stats.mann_whitney(x, y).p:.3f}".lstrip("0")
    r = check_finding(f)  # via U and the normal approximation
    assert r.consistent and r.recomputed_from == "statistic"
    f.p_reported = ".50"
    assert not check_finding(f).consistent
    f.statistic = 500.0
    assert "outside 0–156" in check_finding(f).note


def test_mann_whitney_small_samples_use_the_exact_p():
    f = stats.mann_whitney([1.1, 2.3, 3.2, 4.8], [2.2, 5.1, 6.3, 7.4, 8.0]).to_finding()
    assert f.details["p_method"] == "exact"
    r = check_finding(f)
    assert r.consistent, r.note
    f.p, f.p_reported = None, f"{f.p:.3f}".lstrip("0")
    f.details.pop("z")
    assert check_finding(f).consistent


def test_summary_statistics_consistent():
    g1, g2 = Group("a", 20, 3.41, 0.62), Group("b", 22, 3.87, 0.71)
    res = stats.t_test_summary(g1, g2)
    f = SurveyFinding(test="t-test", groups=[g1, g2], statistic=round(res.t, 2), df=40,
                p_reported=f"{res.p:.3f}".lstrip("0"))
    r = check_finding(f)
    assert r.consistent, r.note
    assert "from M, SD, n: Student t(40)" in r.note


def test_summary_statistics_sign_df_and_size():
    g1, g2 = Group("a", 20, 3.41, 0.62), Group("b", 22, 3.87, 0.71)
    t = stats.t_test_summary(g1, g2).t  # negative
    r = check_finding(SurveyFinding(test="t-test", groups=[g1, g2], statistic=round(-t, 2), df=40,
                              p_reported=".03"))
    assert not r.consistent and len(r.issues) == 1 and "sign of t" in r.issues[0]
    r = check_finding(SurveyFinding(test="t-test", groups=[g1, g2], statistic=round(t, 2), df=38,
                              p_reported=".03"))
    assert any("df = 38 but n1 + n2 - 2 = 40" in i for i in r.issues)
    r = check_finding(SurveyFinding(test="t-test", groups=[g1, g2], statistic=-3.5, df=40,
                              p_reported=".001"))
    assert any("does not match M, SD and n" in i for i in r.issues)


def test_summary_only_and_welch():
    g1, g2 = Group("a", 12, 3.1, 1.3), Group("b", 30, 3.9, 0.5)
    w = stats.t_test_summary(g1, g2, equal_var=False)
    f = SurveyFinding(test="welch", groups=[g1, g2], p_reported=f"{w.p:.3f}".lstrip("0"))
    r = check_finding(f)
    assert r.recomputed_from == "summary" and r.consistent
    assert r.recomputed_p == pytest.approx(w.p)
    f2 = SurveyFinding(test="welch", groups=[g1, g2], statistic=round(w.t, 2), df=round(w.df, 1),
                 p_reported=f"{w.p:.3f}".lstrip("0"))
    assert check_finding(f2).consistent
    f2.df = 40
    assert "Welch's df" in check_finding(f2).note


def test_nothing_to_check():
    r = check_finding(SurveyFinding(test="descriptive", groups=[Group("Alle", 42, 4.07, 0.39)]))
    assert r.consistent and not r.checked and r.recomputed_p is None
    r = check_finding(SurveyFinding(test="cronbach-alpha", statistic=1.2))
    assert not r.consistent and "cannot exceed 1" in r.note
    r = check_finding(SurveyFinding(test="t-test", statistic=2.5, df=30))
    assert r.consistent and r.reported_p is None and "no reported p" in r.note


def test_computed_survey_findings_are_consistent(root):
    data = root / "corpora/survey/data.csv"
    scales = root / "corpora/survey/scales.yaml"
    results = check_findings(compute_findings(data, scales))
    assert results and all(r.consistent and not r.decision_error for r in results), [
        r.note for r in results if not r.consistent]


# --- the published demo figures ---------------------------------------------------------

STOTTE = "11d77326-22c3-4ba7-8fd1-224f0d7d3b7e"
ROLLE = "b465af17-0527-4f7d-b676-eca8e911bca7"
MANGFOLD = "09a964c8-1a01-40dd-b93c-5c92cba9e006"
INVOLVERING = "8ed6905b-73f8-4c6e-b29a-0425a4004116"


@pytest.fixture
def demo(root):
    findings = load_findings(root / "corpora/survey/findings.yaml")
    return {r.finding_id: r for r in check_findings(findings)}


def test_demo_descriptives_have_nothing_to_recompute(demo):
    others = [r for fid, r in demo.items() if fid not in (STOTTE, ROLLE, MANGFOLD, INVOLVERING)]
    assert len(others) == 4
    assert all(r.consistent and not r.checked and not r.decision_error for r in others)


def test_demo_stotte_fra_leder(demo):
    # t(38) = -2.51 gives p = .0165, which rounds to the reported .02: p fits t. But M, SD
    # and n give Student t between -2.64 and -2.54, so t = -2.51 cannot come from them.
    r = demo[STOTTE]
    assert not r.consistent and not r.decision_error
    assert r.recomputed_p == pytest.approx(2 * ss.t.sf(2.51, 38))
    assert len(r.issues) == 1 and "t = -2.51 does not match M, SD and n" in r.issues[0]
    assert "Welch" in r.note and "depends on assuming equal variances" in r.note


def test_demo_rolleforventninger(demo):
    # p = .0056 fits .01, but the sign of t is opposite to the means (3.81 < 4.29)
    r = demo[ROLLE]
    assert not r.consistent and not r.decision_error
    assert r.recomputed_p == pytest.approx(2 * ss.t.sf(2.93, 40))
    assert len(r.issues) == 1 and "sign of t = 2.93 is opposite" in r.issues[0]


def test_demo_mangfold(demo):
    # df = 38 does not fit n = 14 + 28; t = 1.996 does not fit M, SD, n (t = 2.08); and
    # t(38) = 1.996 gives p = .053: rounds to .05 but is not below .05
    r = demo[MANGFOLD]
    assert not r.consistent and r.decision_error
    assert r.recomputed_p == pytest.approx(2 * ss.t.sf(1.996, 38))
    assert 0.053 < r.recomputed_range[0] < r.recomputed_range[1] < 0.0533
    assert any("df = 38 but n1 + n2 - 2 = 40" in i for i in r.issues)
    assert any("t = 1.996 does not match M, SD and n" in i for i in r.issues)
    assert "decision error" in r.note


def test_demo_involvering(demo):
    # r(38) = -.315 gives p = .0477 (.0474-.0481 over the rounding): fits .05, significant
    r = demo[INVOLVERING]
    assert r.consistent and not r.decision_error and r.checked
    assert r.recomputed_p == pytest.approx(0.0477, abs=1e-4)
