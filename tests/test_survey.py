"""Survey scoring and findings on the demo survey, and the errors bad input gives."""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from themecoder.core.quant import SurveyFinding
from themecoder.core.survey import (
    SurveyError,
    compute_findings,
    load_scales,
    read_survey,
    score,
    score_all,
    scored_items,
)


@pytest.fixture
def survey(root):
    return root / "corpora" / "survey"


@pytest.fixture
def demo_findings(survey):
    return compute_findings(survey / "data.csv", survey / "scales.yaml")


def _one(findings, scale, test):
    (f,) = [f for f in findings if f.scale == scale and f.test == test]
    return f


def test_generator_reproduces_data_csv(survey, tmp_path):
    spec = importlib.util.spec_from_file_location("survey_generate", survey / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "data.csv"
    module.write_csv(out)
    assert out.read_bytes() == (survey / "data.csv").read_bytes()


def test_demo_data_shape(survey):
    config = load_scales(survey / "scales.yaml")
    data = read_survey(survey / "data.csv", config)
    assert len(data) == 42 and data.ids[0] == "R01"
    assert sum(data.codes.values()) == 9  # the 98/99 answers became missing
    assert len(config.scales) == 11  # 5 + 4 subscales and 2 totals
    assert data.columns["brukererfaring"].count(None) == 2


def test_reverse_scoring_and_missing_codes_by_hand(survey):
    config = load_scales(survey / "scales.yaml")
    data = read_survey(survey / "data.csv", config)
    inv = config.scale("Involvering")
    assert inv.items == ["rsa05", "rsa06", "rsa07", "rsa08"] and inv.reverse == ["rsa08"]
    scores = score(data, inv)
    # R01 answered rsa05..rsa08 = 4, 4, 3, 2; rsa08 is reverse-worded: 6 - 2 = 4,
    # so Involvering = (4 + 4 + 3 + 4) / 4 = 3.75 (unreversed it would be 3.25)
    assert [data.columns[i][0] for i in inv.items] == [4, 4, 3, 2]
    assert scored_items(data, inv)["rsa08"][0] == 4
    assert scores[0] == 3.75
    # R12 answered rsa06 = 98 (vet ikke): missing, so (5 + 3 + (6 - 2)) / 3 = 4.0
    r12 = data.ids.index("R12")
    assert data.columns["rsa06"][r12] is None
    assert scores[r12] == 4.0
    # min_valid 0.6 of 4 items = 3; with 2 items gone the score would be missing
    data.columns["rsa05"][r12] = None
    assert score(data, inv)[r12] is None


def test_demo_findings_overview(demo_findings):
    tests = [f.test for f in demo_findings]
    assert tests.count("descriptive") == 11 and tests.count("cronbach-alpha") == 11
    assert tests.count("t-test") == tests.count("welch") == tests.count("mann-whitney") == 3
    assert tests.count("pearson") == 1 and tests.count("spearman") == 2
    assert len({f.id for f in demo_findings}) == len(demo_findings)
    for f in demo_findings:
        assert f.source == "computed" and f.statement and "\n" not in f.statement
        json.dumps(f.to_dict())
        assert SurveyFinding.from_dict(f.to_dict()) == f


def test_demo_alphas_plausible(demo_findings):
    alphas = {(f.instrument, f.scale): f.statistic for f in demo_findings
              if f.test == "cronbach-alpha"}
    assert all(0.5 < a < 0.95 for a in alphas.values()), alphas
    assert alphas[("RSA-R", "Totalskår")] > 0.8 and alphas[("QPS Nordic", "Totalskår")] > 0.8
    inv = _one(demo_findings, "Involvering", "cronbach-alpha")
    assert set(inv.details["alpha_if_deleted"]) == {"rsa05", "rsa06", "rsa07", "rsa08"}
    assert inv.details["k"] == 4 and inv.n + inv.details["n_excluded"] == 42
    # the reverse-worded item correlates positively with the rest once it is turned round
    assert inv.details["item_total"]["rsa08"] > 0.2


def test_demo_descriptives(demo_findings):
    for f in demo_findings:
        if f.test == "descriptive":
            assert f.n == 42 and 3 < f.groups[0].mean < 4.6
    total = _one([f for f in demo_findings if f.instrument == "RSA-R"], "Totalskår",
                 "descriptive")
    assert total.details["items"] == 20


def test_demo_groups_resemble_the_published_ones(demo_findings):
    def groups(scale):
        f = _one(demo_findings, scale, "t-test")
        return [(g.name, g.n) for g in f.groups], f

    g, f = groups("Støtte fra leder")
    assert g == [("med brukererfaring", 10), ("uten brukererfaring", 30)]
    assert f.statistic < 0 and f.df == 38 and f.p < 0.05
    g, f = groups("Rolleforventninger")
    assert g == [("mer enn 8 år", 24), ("8 år eller mindre", 18)]
    assert f.statistic < 0 and f.df == 40
    g, f = groups("Mangfold i behandlingstilbud")
    assert g == [("sjeldnere enn daglig", 14), ("daglig", 28)]
    assert f.statistic > 0
    welch = _one(demo_findings, "Støtte fra leder", "welch")
    student = _one(demo_findings, "Støtte fra leder", "t-test")
    assert welch.df < 38 and welch.statistic < 0  # unequal SDs and n: fewer df
    assert welch.groups == student.groups and welch.effect_size == student.effect_size
    mw = _one(demo_findings, "Støtte fra leder", "mann-whitney")
    assert mw.effect_label == "r" and -1 < mw.effect_size < 0
    r = _one(demo_findings, "Involvering", "pearson")
    assert r.n == 42 and r.df == 40 and r.statistic < 0
    assert r.comparison == "Involvering med Sosial samhandling"


def test_statements_are_norwegian(demo_findings):
    f = _one(demo_findings, "Støtte fra leder", "t-test")
    assert f.statement.startswith("Støtte fra leder (QPS Nordic): med brukererfaring skåret "
                                  "lavere enn uten brukererfaring")
    assert "t(38) = \u2212" in f.statement and "p = ," in f.statement


def test_ids_are_stable(survey, demo_findings):
    again = compute_findings(survey / "data.csv", survey / "scales.yaml")
    assert [f.id for f in again] == [f.id for f in demo_findings]


# --- errors -------------------------------------------------------------------------------

SCALES = """\
id_column: id
valid_range: [1, 5]
missing_codes: {98: vet ikke, 99: ikke relevant}
scoring: {method: mean, min_valid: 2}
instruments:
  RSA-R:
    scales:
      A: {items: [a1, a2, a3], reverse: [a3]}
      B: {items: [b1, b2]}
comparisons:
  - name: g
    group1: {name: ja, where: grp == 1}
correlations:
  - {x: A, y: B}
"""
DATA = """\
id,grp,a1,a2,a3,b1,b2
P1,1,1,2,5,2,3
P2,0,2,3,4,3,2
P3,1,3,3,3,4,4
P4,0,4,4,2,4,5
P5,1,5,98,1,5,5
P6,0,2,3,5,1,2
"""


def _write(tmp_path, scales=SCALES, data=DATA):
    (tmp_path / "scales.yaml").write_text(scales, encoding="utf-8")
    (tmp_path / "data.csv").write_text(data, encoding="utf-8")
    return tmp_path / "data.csv", tmp_path / "scales.yaml"


def test_small_survey_works(tmp_path):
    findings = compute_findings(*_write(tmp_path))
    a = _one(findings, "A", "descriptive")
    # a3 reversed: P1 = (1 + 2 + 1)/3, ..., P5 = (5 + (6 - 1))/2 = 5
    assert a.groups[0].n == 6
    t = _one(findings, "A", "t-test")
    assert [g.name for g in t.groups] == ["ja", "ikke ja"]  # default name of "the rest"
    assert [g.n for g in t.groups] == [3, 3]


def test_semicolon_data_with_decimal_comma(tmp_path):
    data = DATA.replace(",", ";").replace("P1;1;", "P1;1,0;")
    findings = compute_findings(*_write(tmp_path, data=data))
    assert [g.n for g in _one(findings, "A", "t-test").groups] == [3, 3]


@pytest.mark.parametrize("old, new, message", [
    ("reverse: [a3]", "reverse: [a9]", r"scale 'A' \(RSA-R\): reverse item 'a9' is not "
                                      r"among its items"),
    ("[a1, a2, a3]", "[a1, a2, a3, zz]", r"scales\.yaml: scale 'A' \(RSA-R\): item 'zz' is "
                                        r"not a column in data\.csv"),
    ("valid_range: [1, 5]", "valid_range: [5, 1]", r"valid_range: expected \[low, high\]"),
    ("{98: vet ikke", "{3: vet ikke", r"missing code 3 lies inside valid_range of RSA-R"),
    ("min_valid: 2}", "min_valid: 5}", r"scale 'A' \(RSA-R\): min_valid 5 must be between 1 "
                                      r"and 3"),
    ("method: mean", "method: sum", r"scoring method 'sum' is not supported"),
    ("grp == 1", "grp is 1", r"comparison 1: group1: where 'grp is 1' is not like"),
    ("grp == 1", "nope == 1", r"comparison 'g': column 'nope' is not in data\.csv"),
    ("{x: A, y: B}", "{x: A, y: C}", r"correlation: 'C' is neither a scale nor a column"),
    ("  - name: g\n", "  - name: g\n    scales: [Z]\n", r"scales\.yaml: unknown scale 'Z'"),
    ("  - name: g\n", "  - name: g\n    tests: [anova]\n", r"test 'anova' is not one of"),
    ("id_column: id", "id_colum: id", r"scales\.yaml: unknown key 'id_colum'"),
    ("B: {items: [b1, b2]}", "B: {items: [b1, b1]}", r"item 'b1' is listed twice"),
    ("instruments:", "instruments: {}\nx:", r"unknown key 'x'"),
    ("correlations:", "correlations: [", r"scales\.yaml: line \d+: invalid YAML"),
])
def test_bad_scales_give_one_line_errors(tmp_path, old, new, message):
    assert old in SCALES
    with pytest.raises(ValueError, match=message) as exc:
        compute_findings(*_write(tmp_path, scales=SCALES.replace(old, new)))
    assert "\n" not in str(exc.value) and isinstance(exc.value, SurveyError)


def test_ambiguous_scale_name(tmp_path):
    scales = SCALES.replace("instruments:\n", "instruments:\n  QPS:\n    total: true\n"
                            "    scales: {C: {items: [b2]}}\n").replace(
        "  RSA-R:\n", "  RSA-R:\n    total: true\n").replace("y: B}", "y: Totalskår}")
    scales = scales.replace("B: {items: [b1, b2]}", "B: {items: [b1]}").replace(
        "min_valid: 2}", "min_valid: 0.5}")
    with pytest.raises(ValueError, match=r"scale 'Totalskår' is ambiguous; write "
                                         r"'QPS/Totalskår' or 'RSA-R/Totalskår'"):
        compute_findings(*_write(tmp_path, scales=scales))
    ok = scales.replace("y: Totalskår}", "y: RSA-R/Totalskår}")
    findings = compute_findings(*_write(tmp_path, scales=ok))
    assert any(f.comparison == "A med Totalskår" for f in findings)


@pytest.mark.parametrize("old, new, message", [
    ("P2,0,2,3,4", "P2,0,7,3,4", r"data\.csv line 3 \(id P2\), column 'a1': 7 is outside "
                                 r"1–5 and not a missing code \(98, 99\)"),
    ("P2,0,2,3,4", "P2,0,x,3,4", r"data\.csv line 3 \(id P2\), column 'a1': 'x' is not a "
                                 r"number"),
    ("P2,0,2,3,4", "P2,ja,2,3,4", r"column 'grp': 'ja' is not a number"),
    ("P2,0,2,3,4,3,2", "P2,0,2,3,4,3", r"data\.csv line 3: 6 cells, expected 7"),
    ("id,grp", "id,a1", r"data\.csv: column 'a1' appears twice"),
])
def test_bad_data_give_one_line_errors(tmp_path, old, new, message):
    assert old in DATA
    with pytest.raises(ValueError, match=message) as exc:
        compute_findings(*_write(tmp_path, data=DATA.replace(old, new)))
    assert "\n" not in str(exc.value)


def test_too_small_group_flags_that_finding_and_computes_the_rest(tmp_path):
    # issue 13: one group with fewer than 2 members no longer aborts the whole compute
    from themecoder.core.statcheck import check_finding

    data = DATA.replace("P3,1,", "P3,0,").replace("P5,1,", "P5,0,")
    findings = compute_findings(*_write(tmp_path, data=data))
    t = _one(findings, "A", "t-test")
    assert t.statistic is None and t.p is None
    assert [g.n for g in t.groups] == [1, 5]
    assert "group 'ja' has 1 answers" in t.problems[0]
    result = check_finding(t)
    assert not result.consistent and "group 'ja' has 1 answers" in result.note
    assert _one(findings, "A", "descriptive").groups[0].n == 6  # the rest is computed
    assert _one(findings, "A", "mann-whitney").statistic is not None


def test_missing_files(tmp_path, survey):
    with pytest.raises(ValueError, match="nope.yaml: file not found"):
        compute_findings(survey / "data.csv", tmp_path / "nope.yaml")
    shutil.copy(survey / "scales.yaml", tmp_path / "scales.yaml")
    with pytest.raises(ValueError, match="nope.csv: file not found"):
        compute_findings(tmp_path / "nope.csv", tmp_path / "scales.yaml")


def test_score_all_keys(survey):
    config = load_scales(survey / "scales.yaml")
    scores = score_all(read_survey(survey / "data.csv", config), config)
    assert "RSA-R/Totalskår" in scores and "QPS Nordic/Totalskår" in scores
    assert all(len(v) == 42 for v in scores.values())
