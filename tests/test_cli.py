"""The command line: thin, scriptable, one-line errors, and a fast --help."""
import json
import subprocess
import sys

from themecoder.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "themecoder", *args], capture_output=True, text=True, timeout=120)


def test_help_does_not_import_spacy_textual_or_docx():
    code = (
        "import sys\n"
        "from themecoder.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('spacy', 'textual', 'docx', 'scipy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "usage: themecoder" in out
    assert "HEAVY []" in out


def test_errors_are_one_line_without_traceback(tmp_path):
    r = run("info", str(tmp_path / "missing.themecoder"))
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0
    assert r.stderr.startswith("error: no project at")
    assert "Traceback" not in r.stderr


def test_new_import_info_search_code_flow(tmp_path, interview_file, capsys):
    proj = str(tmp_path / "p.themecoder")
    assert main(["new", proj]) == 0
    assert main(["--coder", "kari", "import", proj, str(interview_file)]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 file imported" in out
    assert main(["info", proj, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["documents"] == 1 and info["participants"] == 1 and info["sentences"] >= 4
    assert main(["search", proj, "relasjon", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert {h["match"] for h in hits} == {"Relasjonen", "relasjoner", "relasjonene"}
    assert main(["code", proj, "--doc", "anna", "--quote", "være   medmenneske", "--code", "å være medmenneske"]) == 0
    assert capsys.readouterr().out.startswith("coded [")
    assert main(["codes", proj, "--json"]) == 0
    codes = json.loads(capsys.readouterr().out)
    assert [(c["label"], c["codings"]) for c in codes] == [("å være medmenneske", 1)]
    assert main(["history", proj, "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert history[0]["coder"] == "kari" and history[0]["kind"] == "import-document"
    assert history[1]["kind"] == "create-and-apply-code"
    assert main(["undo", proj]) == 0
    assert "undo: new code «å være medmenneske»" in capsys.readouterr().out


def test_code_reports_missing_and_ambiguous_quotes(tmp_path, interview_file, capsys):
    proj = str(tmp_path / "p.themecoder")
    main(["new", proj])
    main(["import", proj, str(interview_file)])
    capsys.readouterr()
    assert main(["code", proj, "--doc", "anna", "--quote", "finnes ikke", "--code", "x"]) == 1
    assert "not found" in capsys.readouterr().err
    assert main(["code", proj, "--doc", "nope", "--quote", "x", "--code", "x"]) == 1
    assert "no document 'nope'" in capsys.readouterr().err


def test_import_exit_status_reflects_failures(tmp_path, interview_file, capsys):
    proj = str(tmp_path / "p.themecoder")
    main(["new", proj])
    (tmp_path / "empty.txt").write_text("")
    assert main(["import", proj, str(interview_file), str(tmp_path / "empty.txt")]) == 1
    out = capsys.readouterr().out
    assert "ok   anna.txt" in out and "FAIL empty.txt: the file is empty" in out


def test_doctor_reports_fallback(capsys, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "nb_core_news_sm_not_installed")
    assert main(["doctor", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pipeline"]["kind"] == "fallback"
    assert "pip install" in data["pipeline"]["install_hint"]


def test_demo_no_tui_prints_project_path_last(tmp_path):
    r = run("demo", "--no-tui", "--path", str(tmp_path / "d"))
    assert r.returncode == 0, r.stderr
    path = r.stdout.strip().splitlines()[-1]
    assert path.endswith("demo.themecoder")
    info = json.loads(run("info", path, "--json").stdout)
    assert info["documents"] == 3 and info["codes"] >= 60 and info["themes"] >= 5
    # A second demo in the same folder is refused, not overwritten.
    r2 = run("demo", "--no-tui", "--path", str(tmp_path / "d"))
    assert r2.returncode == 1 and "not empty" in r2.stderr


def test_project_path_alone_opens_the_tui(monkeypatch, tmp_path):
    from themecoder.cli import foundation as cli

    proj = tmp_path / "p.themecoder"
    assert main(["new", str(proj)]) == 0
    opened = []
    monkeypatch.setattr(cli, "_run_tui", lambda path, coder: opened.append((path, coder)) or 0)
    assert main(["--coder", "veileder", str(proj)]) == 0
    assert opened == [(str(proj), "veileder")]
