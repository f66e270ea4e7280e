"""APA 7 formatting in English and Norwegian."""
from __future__ import annotations

import pytest

from themecoder.core import stats
from themecoder.core.apa import (
    format_finding,
    format_finding_runs,
    format_group_runs,
    format_number,
    runs_to_markdown,
    runs_to_text,
)
from themecoder.core.quant import Group, SurveyFinding

MINUS = "\u2212"


@pytest.mark.parametrize("x, decimals, lang, leading_zero, expected", [
    (2.505, 2, "en", True, "2.51"),          # half away from zero on the decimal value
    (0.125, 2, "en", True, "0.13"),          # not banker's rounding
    (-2.505, 2, "en", True, "-2.51"),
    (-0.001, 2, "en", True, "0.00"),         # no negative zero
    (0.016, 3, "en", False, ".016"),
    (0.016, 3, "nb", False, ",016"),
    (-0.315, 2, "nb", False, MINUS + ",32"),
    (-0.315, 2, "en", False, "-.32"),
    (-2.51, 2, "nb", True, MINUS + "2,51"),
    (0.57, 2, "nb", True, "0,57"),
    (1.5, 2, "en", False, "1.50"),           # leading_zero only affects 0.x
    (38.0, 0, "en", True, "38"),
    (4.0, 2, "nb", True, "4,00"),
])
def test_format_number(x, decimals, lang, leading_zero, expected):
    assert format_number(x, decimals, lang, leading_zero) == expected


def test_format_number_minus_override_and_bad_language():
    assert format_number(-1.2, 1, "en", minus=MINUS) == MINUS + "1.2"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        format_number(1.0, 2, "de")


T = SurveyFinding(test="t-test", statistic=-2.51, df=38, p=0.0163, effect_size=-0.8291,
            effect_label="d")


def test_t_test_en_and_nb():
    assert format_finding(T) == "*t*(38) = -2.51, *p* = .016, *d* = -0.83"
    assert format_finding(T, "nb") == f"*t*(38) = {MINUS}2,51, *p* = ,016, *d* = {MINUS}0,83"


def test_a_one_tailed_p_says_so_right_after_it():
    """APA: a one-tailed test is named beside its p, in every place the result is printed
    (the Word tables, the report, the TUI and the CLI all take it from here)."""
    import dataclasses

    one = dataclasses.replace(T, tails=1)
    assert format_finding(one) == "*t*(38) = -2.51, *p* = .016, one-tailed, *d* = -0.83"
    assert format_finding(one, "nb") == f"*t*(38) = {MINUS}2,51, *p* = ,016, ensidig, *d* = {MINUS}0,83"
    r = SurveyFinding(test="pearson", statistic=0.31, n=40, p=0.026, tails=1)
    assert runs_to_text(format_finding_runs(r)).endswith("p = .026, one-tailed")
    assert "tailed" not in format_finding(T)  # two-tailed, the default, goes unsaid


def test_runs_carry_italics():
    runs = format_finding_runs(T)
    assert runs == [("t", True), ("(38) = -2.51, ", False), ("p", True), (" = .016, ", False),
                    ("d", True), (" = -0.83", False)]
    assert runs_to_markdown(runs) == format_finding(T)
    assert runs_to_text(runs) == "t(38) = -2.51, p = .016, d = -0.83"


def test_small_and_large_p():
    f = SurveyFinding(test="t-test", statistic=5.2, df=40, p=0.00002)
    assert format_finding(f) == "*t*(40) = 5.20, *p* < .001"
    assert format_finding(f, "nb") == "*t*(40) = 5,20, *p* < ,001"
    g = SurveyFinding(test="t-test", statistic=0.0, df=40, p=0.99999)
    assert format_finding(g) == "*t*(40) = 0.00, *p* > .999"


def test_reported_p_keeps_its_form():
    f = SurveyFinding(test="t-test", statistic=2.93, df=40, p_reported=".01")
    assert format_finding(f) == "*t*(40) = 2.93, *p* = .01"
    assert format_finding(f, "nb") == "*t*(40) = 2,93, *p* = ,01"
    f.p_reported = "< .001"
    assert format_finding(f, "nb") == "*t*(40) = 2,93, *p* < ,001"
    f.p_reported = "ns"
    assert format_finding(f) == "*t*(40) = 2.93, ns"


def test_welch_df_with_decimals():
    f = stats.t_test([1, 2, 3, 4, 9], [2, 2, 3, 3], equal_var=False).to_finding()
    text = format_finding(f)
    assert text.startswith("*t*(4.") and "*d* = " in text
    assert format_finding(f, "nb").startswith("*t*(4,")


def test_pearson_with_ci():
    f = SurveyFinding(test="pearson", statistic=-0.315, df=38, p=0.0477,
                details={"ci_low": -0.57, "ci_high": -0.005})
    assert format_finding(f) == "*r*(38) = -.32, *p* = .048, 95% CI [-.57, -.01]"
    assert format_finding(f, "nb") == (f"*r*(38) = {MINUS},32, *p* = ,048, "
                                       f"95 % KI [{MINUS},57; {MINUS},01]")


def test_pearson_df_from_n_and_spearman_is_rho():
    f = SurveyFinding(test="pearson", statistic=0.3, n=42, p_reported=".05")
    assert format_finding(f) == "*r*(40) = .30, *p* = .05"
    s = SurveyFinding(test="spearman", statistic=0.3, df=40, p=0.054)
    assert format_finding(s) == "\u03c1(40) = .30, *p* = .054"
    assert format_finding_runs(s)[0] == ("\u03c1(40) = .30, ", False)  # Greek is upright


def test_descriptive_and_alpha():
    d = SurveyFinding(test="descriptive", groups=[Group("Alle", 42, 4.07, 0.39)], n=42)
    assert format_finding(d) == "*M* = 4.07, *SD* = 0.39, *n* = 42"
    assert format_finding(d, "nb") == "*M* = 4,07, *SD* = 0,39, *n* = 42"
    computed = stats.describe([2, 4, 4, 4, 5, 5, 7, 9]).to_finding()
    assert format_finding(computed) == "*M* = 5.00, *SD* = 2.14, *n* = 8, 95% CI [3.21, 6.79]"
    assert format_finding(computed, "nb").endswith("95 % KI [3,21; 6,79]")
    a = SurveyFinding(test="cronbach-alpha", statistic=0.85)
    assert format_finding(a) == "\u03b1 = .85"
    assert format_finding(a, "nb") == "\u03b1 = ,85"
    assert format_finding_runs(a) == [("\u03b1 = .85", False)]


def test_descriptive_with_two_groups():
    d = SurveyFinding(test="descriptive", groups=[Group("med", 10, 3.25, 1.24),
                                            Group("uten", 30, 3.99, 0.57)])
    assert format_finding(d) == ("med: *M* = 3.25, *SD* = 1.24, *n* = 10; "
                                 "uten: *M* = 3.99, *SD* = 0.57, *n* = 30")


def test_mann_whitney():
    f = SurveyFinding(test="mann-whitney", statistic=73.0, p=0.0161, effect_size=-0.377,
                effect_label="r", details={"z": -2.418})
    assert format_finding(f) == "*U* = 73, *z* = -2.42, *p* = .016, *r* = -.38"
    f.statistic = 296.5
    assert format_finding(f, "nb") == (f"*U* = 296,5, *z* = {MINUS}2,42, *p* = ,016, "
                                       f"*r* = {MINUS},38")


def test_hedges_g_label():
    f = SurveyFinding(test="t-test", statistic=2.0, df=20, p=0.059, effect_size=0.85,
                effect_label="g")
    assert format_finding(f) == "*t*(20) = 2.00, *p* = .059, *g* = 0.85"


def test_group_runs():
    runs = format_group_runs(Group("med", 10, 3.25, 1.24), "nb")
    assert runs_to_markdown(runs) == "*M* = 3,25, *SD* = 1,24, *n* = 10"
