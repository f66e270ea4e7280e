"""The CLI as a package: one resolver for every reference, no store access,
plain output when not on a terminal, small modules."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from themecoder.cli import build_parser, main

CLI = Path(__file__).resolve().parents[1] / "src" / "themecoder" / "cli"
PATH = "Relasjoner og sosial inkludering › Nettverk og tilhørighet"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("sep", [" › ", "/", " > "])
def test_a_theme_path_means_the_same_theme_in_every_command(demo_project, capsys, sep):
    p = str(demo_project)
    ref = PATH.replace(" › ", sep)
    assert run(capsys, "memo", p, "--on", "theme", "--target", ref, "a memo")[0] == 0
    code, out, _ = run(capsys, "review", "status", p, "--theme", ref, "approved")
    assert code == 0 and "Nettverk og tilhørighet" in out
    code, out, err = run(capsys, "link", p, "--theme", ref, "--finding", "F1", "--outcome", "expansion")
    assert code == 0, err
    assert "«Nettverk og tilhørighet»" in out
    assert run(capsys, "unlink", p, "--theme", ref, "--finding", "F1")[1].strip() == "unlinked"
    code, out, _ = run(capsys, "theme", "describe", p, ref, "described")
    assert code == 0 and "Nettverk og tilhørighet" in out


def test_an_unknown_theme_is_worded_once_everywhere(demo_project, capsys):
    p = str(demo_project)
    errors = set()
    for argv in (("memo", p, "--on", "theme", "--target", "Nettverk og tilhorighet", "x"),
                 ("review", "status", p, "--theme", "Nettverk og tilhorighet", "approved"),
                 ("link", p, "--theme", "Nettverk og tilhorighet", "--finding", "F1", "--outcome", "expansion"),
                 ("theme", "rename", p, "Nettverk og tilhorighet", "Nytt"),
                 ("export", "quotes", p, "--theme", "Nettverk og tilhorighet")):
        code, _, err = run(capsys, *argv)
        assert code == 1
        errors.add(err.strip().split(";")[0])
    assert errors == {"error: no theme 'Nettverk og tilhorighet'"}, errors


def test_code_with_a_new_label_that_is_a_prefix_of_another_creates_it(demo_project, capsys):
    p = str(demo_project)
    codes = json.loads(run(capsys, "codes", p, "--json")[1])
    label = max((c["label"] for c in codes), key=len)
    prefix = label[:4]
    assert prefix not in {c["label"] for c in codes}
    code, out, err = run(capsys, "code", p, "--doc", "anna", "--quote", "jeg", "--code", prefix, "--occurrence", "1")
    assert code == 0, err
    assert f"«{prefix}»" in out
    after = {c["label"] for c in json.loads(run(capsys, "codes", p, "--json")[1])}
    assert prefix in after and label in after


def test_progress_is_silent_when_not_on_a_terminal(tmp_path, interview_file, capsys):
    proj = str(tmp_path / "p.themecoder")
    main(["new", proj])
    capsys.readouterr()
    assert main(["import", proj, str(interview_file), "--check"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "1 of 1 file imported" in out and "identifier check" in out


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_the_cli_talks_to_core_and_io_only():
    for path in CLI.glob("*.py"):
        assert not any(n == "themecoder.store" or n.startswith("themecoder.store.") for n in _imports(path)), path
        assert "SELECT " not in path.read_text(encoding="utf-8"), path


def test_cli_modules_are_small():
    for path in CLI.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 800, path


def test_every_command_group_is_registered():
    sub = build_parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
    assert {"new", "import", "info", "search", "code", "codes", "memo", "undo", "redo", "history", "verify",
            "purge-undo", "demo", "doctor", "open", "codebook", "theme", "matrix", "review", "export",
            "findings", "link", "unlink", "links", "design", "joint-display", "report", "check",
            "anonymise"} <= set(sub.choices)


def test_progress_bar_on_a_terminal_draws_on_stderr_only(monkeypatch, capsys):
    import sys

    from themecoder.cli.common import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress_bar("checking") as update:
        for i in range(3):
            update(i, 3, f"doc {i}")
        update(3, 3)
    out, _ = capsys.readouterr()
    assert out == ""
