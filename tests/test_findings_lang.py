"""`findings check` in nb and en (issue 13 follow-up): the verdicts, notes and closing count in
the language asked for (default: the project's), with Norwegian typography in nb (decimal comma,
minus sign U+2212, « »); --json the same whatever the language; one-tailed findings shown as such."""
from __future__ import annotations

import json
import re

from themecoder.cli import main
from themecoder.core.project import Project


def _check(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["findings", "check", *args])
    return rc, capsys.readouterr().out


def _notes(out: str) -> list[str]:
    """The note lines (indented), without the verdict lines that carry the titles."""
    return [line for line in out.splitlines() if line.startswith(" ")]


def test_check_in_norwegian_by_default(demo_project, capsys):
    rc, out = _check(capsys, str(demo_project))
    assert rc == 1
    lines = out.splitlines()
    assert lines[-1] == "8 funn: 1 i samsvar, 3 flagget (1 med beslutningsfeil), 4 uten p-verdi å sjekke"
    assert re.search(r"^BESLUTNINGSFEIL F7 +«RSA-R – Mangfold", out, re.M)
    assert re.search(r"^INKONSISTENT +F5 +«QPS Nordic – Støtte fra leder: med vs\. uten brukererfaring»$", out, re.M)
    assert re.search(r"^ok +F8 ", out, re.M)
    notes = "\n".join(_notes(out))
    # Norwegian words, decimal comma, minus sign; no English and no hyphen-minus before a number
    assert "t = −2,51 stemmer ikke med M, SD og n" in notes
    assert "r(38) = −,315 gir p = ,0474–,0481" in notes
    assert "beslutningsfeil: rapportert p = ,05 leses som signifikant på nivå ,05" in notes
    assert "n₁ + n₂ − 2 = 40 (14 + 28 − 2)" in notes
    assert " gives " not in notes and "does not match" not in notes
    assert not re.search(r"-\d|\d\.\d", notes), notes
    # the verdict column lines up: every note starts in the column after the widest verdict
    width = len("BESLUTNINGSFEIL") + 1
    assert all(line[:width].isspace() and not line[width].isspace() for line in _notes(out))


def test_check_in_english(demo_project, capsys):
    rc, out = _check(capsys, str(demo_project), "--lang", "en")
    assert rc == 1
    assert out.splitlines()[-1] == ("8 findings: 1 consistent, 3 flagged (1 with a decision error), "
                                    "4 without a p value to check")
    assert "DECISION F7   “RSA-R – Mangfold" in out and re.search(r"^FLAG +F5 ", out, re.M)
    notes = "\n".join(_notes(out))
    assert "t = -2.51 does not match M, SD and n" in notes and "r(38) = -.315 gives p = .0474–.0481" in notes
    assert "stemmer ikke" not in notes and "−" not in notes and not re.search(r"\d,\d|,\d", notes)


def test_check_follows_the_project_language(demo_project, capsys):
    with Project.open(demo_project) as p:
        p.set_setting("language", "en")
    _, out = _check(capsys, str(demo_project))
    assert "8 findings: 1 consistent" in out and "DECISION F7" in out
    _, out = _check(capsys, str(demo_project), "--lang", "nb")
    assert "8 funn: 1 i samsvar" in out and "BESLUTNINGSFEIL F7" in out


def test_json_is_the_same_in_both_languages(demo_project, capsys):
    rc_nb, nb = _check(capsys, str(demo_project), "--json", "--lang", "nb")
    rc_en, en = _check(capsys, str(demo_project), "--json", "--lang", "en")
    assert rc_nb == rc_en == 1 and nb == en
    data = {d["label"]: d for d in json.loads(nb)}
    f7 = data["F7"]
    assert f7["status"] == "decision-error" and f7["tails"] == 2
    # the notes as keys and numbers: the decision message carries both p values as numbers
    decision = next(m for m in f7["messages"] if m["key"] == "decision")
    assert decision["values"]["rep"] == {"op": "=", "value": 0.05, "decimals": 2}
    assert decision["values"]["rep_sig"] is True and decision["values"]["rec_sig"] is False
    assert 0.053 < decision["values"]["p"]["lo"] <= decision["values"]["p"]["hi"] < 0.054
    gives = next(m for m in data["F8"]["messages"] if m["key"] == "gives")
    assert gives["values"]["stat"] == {"symbol": "r", "df": 38.0, "shown": "-.315"}
    assert "signifikant" not in nb and "gir" not in json.dumps([m for d in data.values() for m in d["messages"]])


def test_one_tailed_finding_in_both_languages(tmp_path, capsys):
    path = str(tmp_path / "p.themecoder")
    assert main(["new", path]) == 0
    assert main(["findings", "add", path, "--test", "t-test", "--scale", "Mestring", "--statistic", "1.80",
                 "--df", "30", "--p-reported", ".04", "--tails", "1"]) == 0
    rc, out = _check(capsys, path)
    assert rc == 0
    assert "ensidig test: tosidig p halvert, p = ,0406–,0414" in out
    assert out.splitlines()[-1] == "1 funn: 1 i samsvar, 0 flagget (0 med beslutningsfeil), 0 uten p-verdi å sjekke"
    rc, out = _check(capsys, path, "--lang", "en")
    assert rc == 0 and "one-tailed: the two-tailed p halved, p = .0406–.0414" in out
    assert out.splitlines()[-1].startswith("1 finding: 1 consistent, 0 flagged")
    # the same finding two-tailed is a decision error, worded in nb
    assert main(["findings", "edit", path, "F1", "--tails", "2"]) == 0
    rc, out = _check(capsys, path)
    assert rc == 1 and re.search(r"^BESLUTNINGSFEIL F1 +«Mestring»$", out, re.M)
    assert "ensidig" not in out and "leses som signifikant" in out
    # findings list shows the tails after the APA result
    assert main(["findings", "edit", path, "F1", "--tails", "1"]) == 0
    capsys.readouterr()
    assert main(["findings", "list", path]) == 0
    assert "t(30) = 1,80, p = ,04, ensidig" in capsys.readouterr().out
    assert main(["findings", "list", path, "--lang", "en"]) == 0
    assert "t(30) = 1.80, p = .04, one-tailed" in capsys.readouterr().out


def test_alpha_other_than_05_is_said_in_the_language(tmp_path, capsys):
    path = str(tmp_path / "p.themecoder")
    assert main(["new", path]) == 0
    # r(38) = .39 gives p = .013: significant at .05, not at .01, where "p < .01" reads as significant
    assert main(["findings", "add", path, "--test", "pearson", "--statistic", ".39", "--n", "40",
                 "--p-reported", "< .01"]) == 0
    rc, out = _check(capsys, path, "--alpha", "0.01")
    assert out.splitlines()[0] == "signifikansnivå α = ,01"
    assert rc == 1 and "BESLUTNINGSFEIL F1" in out and "leses som signifikant på nivå ,01" in out
    _, out = _check(capsys, path, "--alpha", "0.01", "--lang", "en")
    assert out.splitlines()[0] == "significance level α = .01" and "at .01" in out
    _, out = _check(capsys, path)
    assert re.match(r"INKONSISTENT +F1 ", out.splitlines()[0]) and "BESLUTNINGSFEIL" not in out
