"""The command line's doors (issue 18 point 13, issue 14 points 8, 9, 10 and its CLI texts):
arguments validated before anything opens, input files that end deep in a library say so in
one line, both word orders and a missing extension work, folders import like in the TUI,
undo names whose action it is, and counts are in the right number."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from themecoder.cli import main
from themecoder.core.project import Project


def run(capsys, *argv: str, coder: str = "student") -> tuple[int, str, str]:
    rc = main(["--coder", coder, *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["--coder", "student", *argv])
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert "unexpected" not in err and "Traceback" not in err
    return err


# -- 13. arguments at the door ----------------------------------------------------------------------
@pytest.mark.parametrize("argv, option", [
    (["code", "{P}", "--doc", "carl", "--quote", "personlig", "--code", "x", "--occurrence", "-1"], "--occurrence"),
    (["code", "{P}", "--doc", "carl", "--quote", "personlig", "--code", "x", "--occurrence", "0"], "--occurrence"),
    (["theme", "move", "{P}", "Faglig utvikling › Å være ny", "--top", "--position", "-5"], "--position"),
    (["theme", "reorder", "{P}", "Faglig utvikling", "--to", "0"], "--to"),
    (["search", "{P}", "relasjon", "--limit", "-1"], "--limit"),
    (["search", "{P}", "relasjon", "--limit", "0"], "--limit"),
    (["history", "{P}", "--limit", "-3"], "--limit"),
    (["export", "quotes", "{P}", "--max-per-code", "0"], "--max-per-code"),
    (["codebook", "duplicates", "{P}", "--threshold", "150"], "--threshold"),
    (["findings", "check", "{P}", "--alpha", "0"], "--alpha"),
])
def test_bad_numbers_are_usage_errors_and_change_nothing(argv, option, demo_project, capsys):
    before = demo_project.read_bytes()
    err = usage_error(capsys, *[a.replace("{P}", str(demo_project)) for a in argv])
    assert option in err
    assert demo_project.read_bytes() == before


def test_an_occurrence_past_the_last_is_refused_not_taken_as_the_first(demo_project, capsys):
    rc, out, err = run(capsys, "code", str(demo_project), "--doc", "carl", "--quote", "personlig prosess",
                       "--code", "ny kode", "--occurrence", "99")
    assert rc == 1 and err.startswith("error: --occurrence 99") and err.count("\n") == 1, err


def test_input_files_that_break_a_library_are_one_line(demo_project, tmp_path, capsys, root):
    survey = root / "corpora" / "survey"
    nested_yaml = tmp_path / "nested.yaml"
    nested_yaml.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    binary = tmp_path / "scales.yaml"
    binary.write_bytes(bytes(range(256)) * 20)
    header, first = (survey / "data.csv").read_text(encoding="utf-8").splitlines()[:2]
    cells = first.split(",")
    cells[1] = "9" * 200_000
    big = tmp_path / "big.csv"
    big.write_text(header + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    nested_json = tmp_path / "review.json"
    nested_json.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    before = demo_project.read_bytes()
    cases = [
        (["findings", "import", str(demo_project), str(nested_yaml)], "nested"),
        (["findings", "compute", str(demo_project), str(survey / "data.csv"), "--scales", str(nested_yaml)], "nested"),
        (["findings", "compute", str(demo_project), str(survey / "data.csv"), "--scales", str(binary)], "--scales"),
        (["findings", "compute", str(demo_project), str(big), "--scales", str(survey / "scales.yaml")], "128 KB"),
        (["review", "import", str(demo_project), str(nested_json)], "nested"),
    ]
    for argv, words in cases:
        rc, out, err = run(capsys, *argv)
        assert rc == 1, (argv, err)
        assert err.count("\n") == 1 and words in err and "unexpected" not in err, err
    assert demo_project.read_bytes() == before


# -- 14.10 word order and the missing extension ------------------------------------------------------
def test_a_project_without_its_extension_and_the_project_before_the_action(demo_project, capsys, monkeypatch):
    monkeypatch.chdir(demo_project.parent)
    rc, out, _ = run(capsys, "review", "list", "demo")
    assert rc == 0
    rc2, out2, err = run(capsys, "review", "demo", "list")
    assert rc2 == 0 and out2 == out, err
    rc, out, err = run(capsys, "theme", "demo.themecoder", "list")
    assert rc == 0 and "Faglig utvikling" in out, err
    opened = []
    monkeypatch.setattr("themecoder.cli.foundation._run_tui", lambda path, coder, **kw: opened.append(path) or 0)
    assert main(["demo"]) == 0
    assert opened and Path(opened[0]).stem == "demo"


def test_an_unknown_word_gets_the_right_command(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["oppgave"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "themecoder new oppgave" in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


# -- 14.9 folders -------------------------------------------------------------------------------------
def test_a_folder_imports_every_supported_file_and_says_what_was_skipped(tmp_path, capsys, interview_file):
    p = tmp_path / "p.themecoder"
    Project.create(p).close()
    folder = tmp_path / "intervjuer"
    folder.mkdir()
    (folder / "anna.txt").write_text(interview_file.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bjørn.md").write_text("I: Hei?\n\nBjørn: Hei, jeg jobber i bolig.\n", encoding="utf-8")
    (folder / "notater.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$anna.docx").write_bytes(b"lock")
    (folder / "gammelt").mkdir()
    rc, out, err = run(capsys, "import", str(p), str(folder))
    assert rc == 0, out + err
    assert "2 of 2 files imported, 3 files skipped" in out
    for name in ("notater.pdf", "~$anna.docx", "gammelt"):
        assert re.search(rf"^skip {re.escape(name)}: ", out, re.M), out
    with Project.open(p) as project:
        from themecoder.core import views

        assert views.counts(project)["documents"] == 2
    empty = tmp_path / "tom"
    empty.mkdir()
    rc, out, err = run(capsys, "import", str(p), str(empty))
    assert rc == 1 and "no transcripts" in err


# -- 14.8 undo as another identity --------------------------------------------------------------------
def test_undo_as_another_identity_says_whose_action_it_is(demo_project, capsys):
    p = str(demo_project)
    assert run(capsys, "memo", p, "Kari sitt notat", coder="kari")[0] == 0
    rc, out, err = run(capsys, "undo", p, coder="ola")
    assert rc == 1
    assert "the last action is kari's: memo" in out, out
    assert "themecoder --coder kari undo" in out
    rc, out, _ = run(capsys, "undo", p, coder="kari")
    assert rc == 0 and out.startswith("undo:")


# -- 14.14 texts ----------------------------------------------------------------------------------------
def test_one_is_singular(demo_project, capsys, tmp_path):
    p = str(demo_project)
    assert run(capsys, "theme", "create", p, "Nytt tema")[0] == 0
    rc, out, err = run(capsys, "theme", "move-codes", p, "bolig først", "--to", "Nytt tema")
    assert rc == 0 and "1 code moved" in out, out + err
    rc, out, _ = run(capsys, "search", p, "grunnmuren", "--limit", "1")
    assert rc == 0 and re.search(r"^1 hit for", out, re.M), out
    rc, out, _ = run(capsys, "theme", "list", p)
    assert not re.search(r"\b1 (codes|codings|informants|themes)\b", out), out
    single = tmp_path / "en.themecoder"
    Project.create(single).close()
    assert run(capsys, "import", str(single), str(Path(__file__).parent.parent / "corpora" / "anna.txt"))[0] == 0
    rc, out, _ = run(capsys, "codes", str(single))
    assert out.strip().endswith("0 codes")
    rc, out, err = run(capsys, "code", str(single), "--doc", "anna", "--quote", "litt nervøs", "--code", "x",
                       "--occurrence", "1")
    assert rc == 0, err
    rc, out, _ = run(capsys, "codes", str(single))
    assert out.strip().endswith("1 code"), out


def test_doctor_says_how_to_install_the_model_once(capsys, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    main(["doctor"])
    out = capsys.readouterr().out
    assert "To install the full model: To get" not in out
    assert out.count("To get the full") <= 1


def test_the_demo_says_where_its_copy_is(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("themecoder.cli.foundation._run_tui", lambda path, coder, **kw: 0)
    assert main(["demo", "--path", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    saved = list((tmp_path / "d").glob("*.themecoder"))
    assert saved and str(saved[0]) in out
