"""The review command line: the interactive walk, statuses, threads, export/import, summary."""
from __future__ import annotations

import io
import json
import sqlite3

from themecoder import store
from themecoder.cli import main
from themecoder.core import review
from themecoder.core.project import Project


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def copy_file(src, dst):
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()
    return dst


def test_walk_reads_answers_from_the_terminal(demo_project, capsys, monkeypatch):
    # theme 1: approve; theme 2 (a subtheme): needs revision with a comment; then a comment
    # on the first code, Enter to move on, quit.
    monkeypatch.setattr("sys.stdin", io.StringIO("a\nr\nFor bredt?\nc\nGodt navn.\n\nq\n"))
    code, out, err = run(capsys, "review", str(demo_project), "--as", "Kari")
    assert code == 0, err
    assert "1 approved, 1 need revision" in out
    with Project.open(demo_project, coder="student") as p:
        steps = review.walk(p)
        assert [s.status for s in steps[:3]] == ["approved", "needs-revision", "proposed"]
        items = {(i.theme_id, i.code_id): i for i in review.review_items(p)}
        flagged = items[(steps[1].theme.id, "")]
        assert flagged.status_by == "Kari" and flagged.threads[0].root.text == "For bredt?"
        assert items[(steps[2].theme.id, steps[2].code.id)].threads[0].root.text == "Godt navn."
        kinds = [(a.kind, a.coder) for a in p.history()[-3:]]
        assert kinds == [("review-status", "Kari"), ("review-status", "Kari"), ("review-comment", "Kari")]
        role = p.db.scalar("SELECT role FROM coders WHERE name = 'Kari'")
        assert role == "supervisor"


def test_walk_stops_cleanly_at_end_of_input(demo_project, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, _ = run(capsys, "review", "walk", str(demo_project), "--as", "Kari", "--unreviewed")
    assert code == 0 and "0 approved" in out


def test_review_on_a_copy_from_the_command_line(demo_project, tmp_path, capsys):
    p = str(demo_project)
    copy = str(copy_file(demo_project, tmp_path / "kopi.themecoder"))
    with Project.open(demo_project) as project:
        node = next(n for n in review.walk(project) if n.kind == "mapping")
        theme, code_label = node.path, node.code.label
        n_codings = len(store.codings.all_codings(project.db))
    assert run(capsys, "review", "status", copy, "--theme", theme, "--code", code_label, "needs-revision",
               "--comment", "Hører denne hjemme her?", "--as", "Kari")[0] == 0
    assert run(capsys, "--coder", "Kari", "review", "status", copy, "--theme", theme, "approved")[0] == 0
    out_file = tmp_path / "review.json"
    code, out, err = run(capsys, "review", "export", copy, "-o", str(out_file), "--as", "Kari")
    assert code == 0, err
    assert "2 items" in out
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["reviewers"] == ["Kari"] and len(data["comments"]) == 1

    # The student codes something new meanwhile, then imports.
    assert run(capsys, "--coder", "student", "code", p, "--doc", "anna", "--quote", "recovery", "--code",
               "helt ny kode", "--occurrence", "1")[0] == 0
    code, out, err = run(capsys, "--coder", "student", "review", "import", p, str(out_file))
    assert code == 0, err
    assert "review by Kari: 2 new items" in out
    code, out, _ = run(capsys, "--coder", "student", "review", "import", p, str(out_file), "--json")
    assert json.loads(out)["changed"] is False
    with Project.open(demo_project) as project:
        assert len(store.codings.all_codings(project.db)) == n_codings + 1
    listed = json.loads(run(capsys, "review", "list", p, "--open", "--json")[1])
    assert [i["status"] for i in listed] == ["needs-revision"]
    comment_id = listed[0]["threads"][0]["comments"][0]["id"]
    assert run(capsys, "--coder", "student", "review", "reply", p, comment_id[:8], "Ja, se memo.")[0] == 0
    assert run(capsys, "--coder", "student", "review", "resolve", p, comment_id[:8])[0] == 0
    assert json.loads(run(capsys, "review", "list", p, "--open", "--json")[1]) == []
    changes = json.loads(run(capsys, "--coder", "student", "review", "changes", p, "--json")[1])
    assert {c["category"] for c in changes["changes"]} == {"code-added", "codings-added"}
    # The summary, both formats.
    code, out, err = run(capsys, "review", "summary", p, "-o", str(tmp_path / "møte.docx"))
    assert code == 0, err
    assert (tmp_path / "møte.docx").exists()
    assert run(capsys, "review", "summary", p, "-o", str(tmp_path / "møte.md"), "--lang", "en")[0] == 0
    assert "Hører denne hjemme her?" in (tmp_path / "møte.md").read_text(encoding="utf-8")
    code, _, err = run(capsys, "review", "summary", p, "-o", str(tmp_path / "møte.pdf"))
    assert code == 1 and err.startswith("error:")


def test_review_errors_are_one_line(demo_project, tmp_path, capsys):
    p = str(demo_project)
    code, _, err = run(capsys, "review", "status", p, "--theme", "finnes ikke", "approved")
    assert code == 1 and err.count("\n") == 1
    code, _, err = run(capsys, "review", "import", p, str(tmp_path / "missing.json"))
    assert code == 1 and "no such file" in err
    code, _, err = run(capsys, "review", "reply", p, "abcdef12", "hei")
    assert code == 1 and "no review comment" in err
