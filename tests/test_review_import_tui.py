"""Importing the supervisor's review file on the Review screen (key i): the same merge as
`review import`, one undoable action; a refused file changes nothing."""
from __future__ import annotations

import io
import json
import os
import sqlite3
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Label, OptionList

from themecoder.cli import main
from themecoder.core import review, themes
from themecoder.core.project import Project
from themecoder.tui.dialogs.import_review import newest_review_file
from tui_fixtures import make_app, wait_for

SIZE = (120, 40)


def copy_project(src: Path, dst: Path) -> Path:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()
    return dst


def mappings(project: Project, n: int) -> list[tuple]:
    """n (theme, code) pairs from different themes."""
    out = []
    for node in themes.flatten(themes.theme_tree(project)):
        if node.codes and len(out) < n:
            out.append((node.theme, node.codes[0]))
    assert len(out) == n
    return out


def review_state(project: Project) -> list:
    return sorted((i.target_type, i.theme_id, i.code_id, i.status, tuple(c.text for th in i.threads for c in th.comments))
                  for i in review.review_items(project))


def kari_reviews_a_copy(demo_project: Path, tmp_path: Path, capsys) -> tuple[Path, list[tuple]]:
    """Kari reviews a copy and writes her review file with `review export` into exports/."""
    copy = copy_project(demo_project, tmp_path / "kari.themecoder")
    with Project.open(copy, coder="Kari") as sup:
        pairs = mappings(sup, 3)
        (ta, ca), (tb, cb), (tc, cc) = pairs
        review.set_status(sup, ta.id, "approved", code_id=ca.id)
        review.set_status(sup, tb.id, "needs-revision", code_id=cb.id, comment="Passer dette i temaet?")
        review.set_status(sup, tc.id, "approved", code_id=cc.id)
    exports = demo_project.parent / "exports"
    exports.mkdir(exist_ok=True)
    capsys.readouterr()
    out = exports / "Kari.review.json"
    assert main(["--coder", "Kari", "review", "export", str(copy), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["reviewers"] == ["Kari"]
    return out, pairs


async def open_dialog(app, pilot):
    await pilot.press("R")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
    screen = app.screen
    await pilot.press("i")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ImportReview")
    return screen


async def test_import_a_review_file_on_the_review_screen_and_undo_it(demo_project, tmp_path, capsys):
    review_file, ((ta, ca), (tb, cb), (tc, cc)) = kari_reviews_a_copy(demo_project, tmp_path, capsys)
    # Meanwhile the student takes one reviewed code out of its theme: that item no longer exists.
    with Project.open(demo_project, coder="student") as p:
        themes.remove_code_from_theme(p, cc.id, tc.id)
        before = review_state(p)
        n_actions = len(p.history())
    app = make_app(demo_project, "student")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dialog(app, pilot)
        field = app.screen.query_one(Input)
        assert field.value == str(review_file)          # the newest review file, by default
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        # In the project: statuses and the comment, as one action under the student's name.
        assert review.status_of(app.project, ta.id, ca.id) == "approved"
        assert review.status_of(app.project, tb.id, cb.id) == "needs-revision"
        assert [(th.root.author, th.root.text) for _, th in review.open_threads(app.project)] == [
            ("Kari", "Passer dette i temaet?")]
        history = app.project.history()
        assert len(history) == n_actions + 1
        assert (history[-1].kind, history[-1].coder) == ("review-import", "student")
        # One notification: what was merged and what no longer exists.
        note = app.notified[-1]
        assert note.startswith("review by Kari: ") and "new items" in note and "1 comments" in note
        assert f"«{cc.label}» in «{tc.name}» no longer exists" in note
        # On the screen: the counts, the flagged mapping, the open comment, the orphan.
        await wait_for(pilot, lambda: "1 need revision" in str(screen.query_one("#rv-title", Label).content))
        title = str(screen.query_one("#rv-title", Label).content)
        assert "1 open comment threads" in title and "1 orphaned" in title
        opened = screen.query_one("#rv-open", OptionList)
        assert opened.option_count == 1 and "Passer dette i temaet?" in str(opened.get_option_at_index(0).prompt)
        steps = screen.query_one("#rv-steps", OptionList)
        flagged = next(n for n, s in enumerate(screen.steps) if s.code and s.code.id == cb.id and s.theme.id == tb.id)
        assert _plain(steps.get_option_at_index(flagged).prompt).lstrip().startswith("!")

        # ctrl+z takes the whole import out again, and the screen shows it.
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: review_state(app.project) == before)
        await wait_for(pilot, lambda: "orphaned" not in str(screen.query_one("#rv-title", Label).content))
        assert "0 need revision" in str(screen.query_one("#rv-title", Label).content)
        assert review.open_threads(app.project) == []

        # Imported again, then once more: the second time nothing new, and it says what was there.
        await pilot.press("i")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ImportReview")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        imported = review_state(app.project)
        assert imported != before
        n_now = len(app.project.history())
        await pilot.press("i")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ImportReview")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert review_state(app.project) == imported and len(app.project.history()) == n_now
        note = app.notified[-1]
        assert note.startswith("review by Kari: nothing new (this file was imported before)")
        assert "already in the project" in note


async def test_a_refused_file_changes_nothing(demo_project, tmp_path, capsys):
    exports = demo_project.parent / "exports"
    exports.mkdir()
    bad = exports / "Kari.review.json"
    bad.write_text('{"format": "themecoder-review", "version": 1, "items": [', encoding="utf-8")
    nested = exports / "deep.review.json"
    nested.write_text('{"format": "themecoder-review", "version": 1, "items": [], "comments": '
                      + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    # A review of another project.
    other = tmp_path / "other"
    other.mkdir()
    with Project.create(other / "annet.themecoder", coder="Kari") as p:
        other_id = p.id
    data = {"format": "themecoder-review", "version": 1, "project": {"id": other_id, "name": "annet"},
            "reviewers": ["Kari"], "items": [], "comments": []}
    foreign = exports / "annet.review.json"
    foreign.write_text(json.dumps(data), encoding="utf-8")
    old = 1_000_000_000
    os.utime(nested, (old, old))
    os.utime(foreign, (old, old))
    with Project.open(demo_project, coder="student") as p:
        before, n_actions = review_state(p), len(p.history())
    app = make_app(demo_project, "student")
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(app, pilot)
        field = app.screen.query_one(Input)
        assert field.value == str(bad)
        for path, says in ((bad, "not a review file"), (nested, "not a review file"),
                           (foreign, "review of another project"), (tmp_path / "missing.review.json", "no such file"),
                           (tmp_path, "is a folder")):
            field.value = str(path)
            n_notes = len(app.notified)
            await pilot.press("enter")
            await wait_for(pilot, lambda: len(app.notified) > n_notes)
            assert says in app.notified[-1] and "\n" not in app.notified[-1]
            assert type(app.screen).__name__ == "ImportReview"       # stays open for another path
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert review_state(app.project) == before and len(app.project.history()) == n_actions


def test_the_default_is_the_newest_review_file_beside_the_project_or_in_exports(tmp_path):
    project = tmp_path / "p.themecoder"
    assert newest_review_file(project) is None
    (tmp_path / "exports").mkdir()
    a = tmp_path / "Kari.review.json"
    b = tmp_path / "exports" / "Ola.review.json"
    (tmp_path / "exports" / "notes.json").write_text("{}", encoding="utf-8")
    a.write_text("{}", encoding="utf-8")
    b.write_text("{}", encoding="utf-8")
    os.utime(a, (2_000_000_000, 2_000_000_000))
    os.utime(b, (1_000_000_000, 1_000_000_000))
    assert newest_review_file(project) == a
    os.utime(b, (2_100_000_000, 2_100_000_000))
    assert newest_review_file(project) == b


def _plain(prompt) -> str:
    """A list row as text: rows may be Rich grids (hanging indents), not strings."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(prompt)
    return console.export_text()
