"""themecoder.core.quant: the SurveyFinding model and findings files."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themecoder.core.quant import (
    TESTS,
    Group,
    SurveyFinding,
    SurveyFindingError,
    load_findings,
    parse_p_reported,
)

DEMO_IDS = [
    "04603586-8c33-44b1-94bf-7b64d7db2e5d",
    "6a5ce765-95fb-413c-bc69-86e7ff0b40a4",
    "f60f2a7e-5087-44f3-a774-0672bc3f5b88",
    "994eff08-f922-48c6-8caf-186f0917730d",
    "11d77326-22c3-4ba7-8fd1-224f0d7d3b7e",
    "b465af17-0527-4f7d-b676-eca8e911bca7",
    "09a964c8-1a01-40dd-b93c-5c92cba9e006",
    "8ed6905b-73f8-4c6e-b29a-0425a4004116",
]

opt_float = st.none() | st.floats(-100, 100, allow_nan=False)
groups = st.lists(st.builds(Group, name=st.text(min_size=1, max_size=10),
                            n=st.none() | st.integers(0, 500), mean=opt_float,
                            sd=st.none() | st.floats(0, 10)), max_size=3)


@settings(max_examples=50, deadline=None)
@given(test=st.sampled_from(TESTS), statistic=opt_float, df=st.none() | st.floats(1, 500),
       p=st.none() | st.floats(0, 1), n=st.none() | st.integers(0, 1000), groups=groups,
       p_reported=st.none() | st.sampled_from(["< .001", ".02", "= .05", "ns"]),
       statement=st.text(max_size=40))
def test_to_dict_from_dict_round_trip(test, statistic, df, p, n, groups, p_reported, statement):
    f = SurveyFinding(test=test, instrument="RSA-R", scale="Involvering", statistic=statistic, df=df,
                p=p, n=n, groups=groups, p_reported=p_reported, statement=statement,
                variables=["a", "b"], details={"alpha_if_deleted": {"x": 0.8}})
    data = f.to_dict()
    json.dumps(data)  # plain data
    assert SurveyFinding.from_dict(data) == f


def test_id_is_stable_when_not_given():
    a = SurveyFinding(test="t-test", scale="X", statistic=2.5, df=38)
    b = SurveyFinding(test="t-test", scale="X", statistic=2.5, df=38)
    c = SurveyFinding(test="t-test", scale="X", statistic=2.6, df=38)
    assert a.id == b.id != c.id


def test_load_demo_findings(root):
    fs = load_findings(root / "corpora/survey/findings.yaml")
    assert [f.id for f in fs] == DEMO_IDS
    by_id = {f.id: f for f in fs}
    mangfold = by_id["09a964c8-1a01-40dd-b93c-5c92cba9e006"]
    assert mangfold.statistic == 1.996 and mangfold.statistic_reported == "1.996"
    assert mangfold.df == 38 and mangfold.p_reported == ".05"
    assert [(g.name, g.n, g.mean, g.sd) for g in mangfold.groups] == [
        ("sjeldnere enn daglig", 14, 3.92, 0.82), ("daglig", 28, 3.37, 0.80)]
    assert all(f.statement and "\n" not in f.statement for f in fs)
    assert {f.test for f in fs} == {"descriptive", "cronbach-alpha", "t-test", "pearson"}


CSV = """id,instrument,scale,comparison,variables,test,statistic,df,p_reported,n,\
group1_name,group1_n,group1_mean,group1_sd,group2_name,group2_n,group2_mean,group2_sd
,QPS Nordic,Støtte fra leder,med vs. uten,Støtte fra leder;brukererfaring,t-test,-2.50,38,.02,40,\
med,10,3.25,1.24,uten,30,3.99,0.57
,RSA-R,Involvering,,,pearson,-.315,,.05,40,,,,,,,,
"""


def test_load_csv(tmp_path):
    path = tmp_path / "funn.csv"
    path.write_text(CSV, encoding="utf-8")
    f1, f2 = load_findings(path)
    assert f1.statistic == -2.5 and f1.statistic_reported == "-2.50"
    assert f1.variables == ["Støtte fra leder", "brukererfaring"]
    assert f1.groups == [Group("med", 10, 3.25, 1.24), Group("uten", 30, 3.99, 0.57)]
    assert f2.groups == [] and f2.n == 40 and f2.df is None
    assert load_findings(path)[0].id == f1.id  # stable across loads


def test_load_semicolon_csv_with_decimal_comma(tmp_path):
    path = tmp_path / "funn.csv"
    path.write_text("test;statistic;df;p_reported\nt-test;−2,51;38;,02\n", encoding="utf-8")
    (f,) = load_findings(path)
    assert f.statistic == -2.51 and f.p_reported == ",02"
    assert parse_p_reported(f.p_reported).value == 0.02


@pytest.mark.parametrize("text, op, value, decimals, interval", [
    (".02", "=", 0.02, 2, (0.015, 0.025)),
    ("p = .016", "=", 0.016, 3, (0.0155, 0.0165)),
    ("< .001", "<", 0.001, 3, (0.0, 0.001)),
    ("p<0.05", "<", 0.05, 2, (0.0, 0.05)),
    (",05", "=", 0.05, 2, (0.045, 0.055)),
    ("> .05", ">", 0.05, 2, (0.05, 1.0)),
    (".000", "=", 0.0, 3, (0.0, 0.0005)),
])
def test_parse_p_reported(text, op, value, decimals, interval):
    rp = parse_p_reported(text)
    assert (rp.op, rp.value, rp.decimals) == (op, value, decimals)
    assert rp.interval() == pytest.approx(interval)


def test_parse_p_reported_ns_and_bad():
    assert parse_p_reported("n.s.").op == "ns"
    with pytest.raises(ValueError, match="not a p value"):
        parse_p_reported("p = 2")


def test_impossible_values_in_a_file_flag_that_finding_not_the_file(tmp_path):
    # issue 13: p = 1.5 or a negative SD (typos in the source) no longer reject the whole file;
    # the value is left out and the finding carries the problem for the check to flag.
    path = tmp_path / "f.yaml"
    path.write_text("findings:\n  - {test: t-test, scale: A, p: 1.5}\n"
                    "  - {test: t-test, scale: B, groups: [{name: a, sd: -1}]}\n"
                    "  - {test: t-test, scale: C, statistic: 2.1, df: 30, p_reported: '.04'}\n",
                    encoding="utf-8")
    a, b, c = load_findings(path)
    assert a.p is None and "p = 1.5" in a.problems[0]
    assert b.groups[0].sd is None and "SD = -1" in b.problems[0]
    assert c.problems == [] and c.p_reported == ".04"
    with pytest.raises(ValueError, match="not between 0 and 1"):
        SurveyFinding.from_dict({"test": "t-test", "p": 1.5})  # by hand it is still refused


@pytest.mark.parametrize("body, message", [
    ("findings:\n  - {test: anova}\n", r"f\.yaml: finding 1: field 'test': 'anova' is not one of"),
    ("findings:\n  - {test: t-test, scale: X, df: abc}\n",
     r"f\.yaml: finding 1 \(X\): field 'df': 'abc' is not a number"),
    ("findings:\n  - {test: t-test, colour: red}\n", r"finding 1: unknown field 'colour'"),
    ("findings:\n  - {test: t-test, id: F1}\n", r"field 'id': 'F1' is not a UUID"),
    ("findings:\n  - {statistic: 2}\n", r"finding 1: field 'test' is required"),
    ("findings:\n  - {test: t-test, n: 10.5}\n", r"field 'n': 10.5 is not a whole number"),
    ("findings:\n  - {test: t-test, p_reported: 'small'}\n", r"field 'p_reported': 'small'"),
    ("findings:\n  - {test: t-test, statistic: 2}\n  - {test: t-test, statistic: 2}\n",
     r"finding 2: id .* is used twice"),
    ("findings: [\n", r"f\.yaml: line \d+ invalid YAML"),
    ("other: 1\n", r"expected a list of findings"),
])
def test_yaml_errors_are_one_line(tmp_path, body, message):
    path = tmp_path / "f.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as exc:
        load_findings(path)
    assert "\n" not in str(exc.value)
    assert isinstance(exc.value, SurveyFindingError)


@pytest.mark.parametrize("body, message", [
    ("test,colour\nt-test,red\n", r"f\.csv: unknown column 'colour'"),
    ("scale\nX\n", r"f\.csv: column 'test' is missing"),
    ("test,df\nt-test,38\nt-test,x\n", r"f\.csv: row 3: field 'df': 'x' is not a number"),
    ("test,group1_n\nt-test,ten\n", r"f\.csv: row 2: group 1 field 'n': 'ten'"),
    ("test,df\nt-test,38,1\n", r"row 2: more cells than columns"),
])
def test_csv_errors_are_one_line(tmp_path, body, message):
    path = tmp_path / "f.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as exc:
        load_findings(path)
    assert "\n" not in str(exc.value)


def test_file_errors(tmp_path):
    with pytest.raises(ValueError, match="nope.yaml: file not found"):
        load_findings(tmp_path / "nope.yaml")
    (tmp_path / "f.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown findings format '.json'"):
        load_findings(tmp_path / "f.json")


def test_finding_rejects_unknown_test():
    with pytest.raises(ValueError, match="unknown test 'chi2'"):
        SurveyFinding(test="chi2")
