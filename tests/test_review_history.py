"""What the supervisor sees as changed since a review comes from the review's own history
(review_history, filled inside every action), not from the undo data: it survives
purge-undo, a change undone is no change, and older files are backfilled by migration v5."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise, codebook, coding, review, review_changes, themes
from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.io.readers import read_transcript
from themecoder.io.review_change_text import change_text
from themecoder.store import schema


def student_work(student: Project) -> None:
    """A bit of everything the change report knows about."""
    tree = themes.flatten(themes.theme_tree(student))
    (t1, c1), (t2, c2) = [(n.theme, n.codes[0]) for n in tree if n.codes][:2]
    new = themes.create_theme(student, "Nytt tema", parent_id=t1.id)
    themes.move_codes(student, [c1.id], new.id, from_theme_id=t1.id)
    themes.rename_theme(student, new.id, "Nytt tema 2")
    themes.describe_theme(student, t2.id, "En ny beskrivelse.")
    codebook.rename_code(student, c2.id, c2.label + " (omdøpt)")
    fresh = coding.create_code(student, "ny kode")
    doc = store.documents.documents(student.db)[0]
    text = store.documents.document_text(student.db, doc.id)
    start = text.index(" ", 300) + 1
    coding.apply_code(student, doc.id, start, start + 30, fresh.id)
    themes.add_code_to_theme(student, fresh.id, t2.id)
    others = [c for c in store.codes.codes(student.db) if c.id not in {c1.id, c2.id, fresh.id}]
    codebook.merge_codes(student, others[0].id, others[1].id)
    codebook.delete_code(student, others[2].id)
    themes.create_theme(student, "Angret")
    student.undo()


def report(project: Project) -> list[tuple]:
    return [(c.action_id, c.coder, c.category, change_text(c, "en")) for c in review_changes.changes_since(project).changes]


def cli_changes(path: Path, capsys) -> dict:
    capsys.readouterr()
    assert main(["--coder", "student", "review", "changes", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def reviewed_demo(demo_project: Path) -> None:
    sup = Project.open(demo_project, coder="Kari")
    first = themes.flatten(themes.theme_tree(sup))[0].theme
    review.set_theme_status(sup, first.id, "approved")
    sup.close()


def test_changes_since_the_review_survive_purge_undo(demo_project, capsys):
    reviewed_demo(demo_project)
    with Project.open(demo_project, coder="student") as student:
        student_work(student)
        before = report(student)
    cli_before = cli_changes(demo_project, capsys)
    categories = {c[2] for c in before}
    assert {"theme-added", "code-moved", "theme-renamed", "theme-edited", "code-renamed", "code-added",
            "codings-added", "code-mapped", "code-merged", "code-deleted"} <= categories
    assert "Angret" not in " ".join(c[3] for c in before)  # undone: no change
    assert {c["category"] for c in cli_before["changes"]} == categories

    capsys.readouterr()
    assert main(["purge-undo", str(demo_project), "--yes"]) == 0
    with Project.open(demo_project, coder="student") as student:
        assert student.db.scalar("SELECT count(*) FROM changes") == 0
        assert report(student) == before
    assert cli_changes(demo_project, capsys) == cli_before


def test_undo_leaves_the_history_and_hides_the_change_redo_brings_it_back(demo_project):
    reviewed_demo(demo_project)
    with Project.open(demo_project, coder="student") as student:
        themes.create_theme(student, "Et tema")
        n_rows = student.db.scalar("SELECT count(*) FROM review_history")
        assert [c[3] for c in report(student)] == ["theme «Et tema» added"]
        student.undo()
        assert report(student) == []
        # History is not undo data: undo marks the action, the rows stay.
        assert student.db.scalar("SELECT count(*) FROM review_history") == n_rows
        student.redo()
        assert [c[3] for c in report(student)] == ["theme «Et tema» added"]
        assert student.db.scalar("SELECT count(*) FROM review_history") == n_rows


def test_review_history_is_not_captured_for_undo(project):
    names = {r[0] for r in project.db.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert "review_history" not in schema.captured_tables(project.db.conn)
    assert not any(n.startswith("capture_review_history") for n in names)
    for table in schema.HISTORY_COLUMNS:
        assert {f"history_{table}_{op}" for op in "iud"} <= names


def test_the_history_holds_no_text_that_purge_forgets(project, tmp_path):
    src = tmp_path / "anna.txt"
    src.write_text("I: Hvem hjalp deg?\n\nAnna: Det var Gunnhild Tveitereid som hjalp meg mest.\n",
                   encoding="utf-8")
    doc = add_transcript(project, read_transcript(src))
    coding.code_quote(project, doc.id, "Gunnhild Tveitereid som hjalp", "hjelp fra kollega")
    anonymise.replace_identifier(project, "Gunnhild Tveitereid", "[navn]", mode="category")
    rows = project.db.query("SELECT * FROM review_history")
    assert rows and "Tveitereid" not in json.dumps([tuple(r) for r in rows], ensure_ascii=False)
    assert {r["tbl"] for r in rows} == {"codes", "codings"}


def test_migration_v5_backfills_the_history_from_the_undo_data(tmp_path, monkeypatch):
    def build(path: Path) -> None:
        p = Project.create(path, coder="Kari")
        theme = themes.create_theme(p, "Tema")
        code = coding.create_code(p, "kode")
        themes.add_code_to_theme(p, code.id, theme.id)
        review.set_theme_status(p, theme.id, "approved")
        p.close()
        p = Project.open(path, coder="student")
        other = themes.create_theme(p, "Annet")
        themes.move_codes(p, [code.id], other.id, from_theme_id=theme.id)
        themes.rename_theme(p, theme.id, "Tema 2")
        codebook.rename_code(p, code.id, "kode 2")
        themes.set_condensate(p, other.id, "Kort.")
        p.close()

    build(tmp_path / "new.themecoder")
    with Project.open(tmp_path / "new.themecoder", coder="student") as p:
        expected = [(c.category, change_text(c, "en")) for c in review_changes.changes_since(p).changes]
    assert [c for c, _ in expected] == ["theme-added", "code-moved", "theme-renamed", "code-renamed", "theme-edited"]

    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:4])
        old = tmp_path / "old.themecoder"
        build(old)
        assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 4
    with Project.open(old, coder="student") as p:
        assert p.db.version == schema.current_version()
        assert p.db.scalar("SELECT count(*) FROM review_history") > 0
        assert [(c.category, change_text(c, "en")) for c in review_changes.changes_since(p).changes] == expected


def test_a_merge_carries_review_items_over_through_retarget_in(demo_project, tmp_path):
    """core.codebook's merge moves review items by core.review.retarget_in (it used to write the
    review tables itself); the result is the same on any copy of the project."""
    from themecoder.core import codebook as cb

    with Project.open(demo_project, coder="Kari") as sup:
        node = next(n for n in themes.flatten(themes.theme_tree(sup)) if len(n.codes) >= 3)
        t, (a, b, c) = node.theme, node.codes[:3]
        d = next(x for x in store.codes.codes(sup.db) if x.id not in {y.id for y in node.codes})
        review.set_mapping_status(sup, a.id, t.id, "approved", comment="Bra.")
        review.set_mapping_status(sup, b.id, t.id, "needs-revision", comment="Uklar.")
        review.add_comment(sup, t.id, "Og denne?", code_id=c.id)
    copy = tmp_path / "copy.themecoder"
    src, dst = sqlite3.connect(demo_project), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()

    def merged(path: Path) -> list:
        with Project.open(path, coder="student") as p:
            cb.merge_codes(p, a.id, b.id)  # b has a review item on t: the threads join it
            cb.merge_codes(p, c.id, d.id)  # d has none: the item follows the code
            return [sorted(tuple(r) for r in p.db.query(f"SELECT * FROM {t}"))
                    for t in ("review_items", "review_comments")]

    expected = merged(demo_project)
    assert {(i[1], i[3]) for i in expected[0]} == {("mapping", b.id), ("mapping", d.id)}
    assert len(expected[1]) == 3
    assert merged(copy) == expected


def test_each_review_module_imports_on_its_own():
    import subprocess
    import sys

    for module in ("review", "review_changes", "review_exchange", "review_overview"):
        code = (f"import themecoder.core.{module}; from themecoder.core.review_overview import ReviewSummary; "
                "from themecoder.core.review_changes import changes_since")
        subprocess.run([sys.executable, "-c", code], check=True)
