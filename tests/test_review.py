"""Supervisor review: statuses, comment threads, changes since the review, review on a copy
(export, import into a project that changed meanwhile), and the summary document."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from themecoder import store
from themecoder.core import codebook, coding, review, review_changes, review_exchange, review_overview, themes
from themecoder.core.project import Project
from themecoder.errors import Conflict, UserError
from themecoder.io.review_change_text import change_text

REVIEW_TABLES = ["review_items", "review_comments", "review_imports"]
WORK_TABLES = ["codes", "codings", "themes", "code_themes", "memos", "documents"]


def rows(project: Project, tables: list[str]) -> dict:
    return {t: sorted(tuple(r) for r in project.db.query(f"SELECT * FROM {t}")) for t in tables}


def copy_file(src: Path, dst: Path) -> Path:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()
    return dst


def first_mappings(project: Project, n: int) -> list[tuple]:
    """n (theme, code) pairs from different themes where possible, in tree order."""
    out, used = [], set()
    for node in themes.flatten(themes.theme_tree(project)):
        for c in node.codes:
            if node.theme.id not in used and c.id not in {x[1].id for x in out}:
                out.append((node.theme, c))
                used.add(node.theme.id)
                break
    assert len(out) >= n
    return out[:n]


# -- statuses and threads on one file --------------------------------------------------------
def test_status_comment_reply_resolve_and_undo(demo_project):
    sup = Project.open(demo_project, coder="Kari")
    try:
        (t1, c1), = first_mappings(sup, 1)
        before = rows(sup, REVIEW_TABLES)
        item = review.set_mapping_status(sup, c1.id, t1.id, "approved")
        assert item.status == "approved" and item.status_by == "Kari"
        assert review.status_of(sup, t1.id, c1.id) == "approved"
        review.set_theme_status(sup, t1.id, "needs revision", comment="Temaet er for bredt.")
        last = sup.history()[-1]
        assert (last.kind, last.coder) == ("review-status", "Kari")
        threads = review.open_threads(sup)
        assert [(i.target_type, th.root.text) for i, th in threads] == [("theme", "Temaet er for bredt.")]
        with pytest.raises(UserError):
            review.set_theme_status(sup, t1.id, "maybe")
        with pytest.raises(UserError):
            review.add_comment(sup, t1.id, "   ")
    finally:
        sup.close()

    student = Project.open(demo_project, coder="student")
    try:
        root = review.open_threads(student)[0][1].root
        review.reply(student, root.id[:8], "Jeg deler det i to undertemaer.")
        assert review.open_threads(student)[0][1].replies[0].author == "student"
        review.resolve(student, root.id)
        assert review.open_threads(student) == []
        # A new answer in the thread opens it again.
        review.reply(student, root.id, "Gjort.")
        assert len(review.open_threads(student)) == 1
        # Each coder undoes only their own actions: the student's three, then Kari's two.
        for _ in range(3):
            assert student.undo().kind.startswith("review-")
        assert rows(student, REVIEW_TABLES) != before  # Kari's status and comment remain
    finally:
        student.close()
    sup = Project.open(demo_project, coder="Kari")
    try:
        for _ in range(2):
            assert sup.undo() is not None
        assert rows(sup, REVIEW_TABLES) == before
    finally:
        sup.close()


def test_status_needs_a_live_mapping(demo_project):
    project = Project.open(demo_project, coder="Kari")
    try:
        (t1, c1), (t2, c2) = first_mappings(project, 2)
        with pytest.raises(UserError, match="not in theme"):
            review.set_mapping_status(project, c2.id, t1.id, "approved")
    finally:
        project.close()


def test_walk_visits_every_theme_and_mapping_with_quotes(demo_project):
    project = Project.open(demo_project, coder="Kari")
    try:
        steps = review.walk(project)
        n_themes = len(store.themes.themes(project.db))
        n_maps = len(store.themes.code_theme_pairs(project.db))
        assert sum(s.kind == "theme" for s in steps) == n_themes
        assert sum(s.kind == "mapping" for s in steps) == n_maps
        mapping = next(s for s in steps if s.kind == "mapping" and s.codings)
        assert all(c.code_id == mapping.code.id for c in mapping.codings)
        assert steps[0].kind == "theme" and steps[0].depth == 0
        assert review.progress(project) == {"proposed": n_themes + n_maps, "approved": 0, "needs-revision": 0}
    finally:
        project.close()


# -- review on a copy -------------------------------------------------------------------------
def test_review_on_a_copy_is_imported_without_losing_new_work(demo_project, tmp_path):
    copy = copy_file(demo_project, tmp_path / "veileder.themecoder")
    # The supervisor works on the copy.
    sup = Project.open(copy, coder="Kari")
    try:
        (ta, ca), (tb, cb), (tc, cc), (td, cd) = first_mappings(sup, 4)
        review.set_mapping_status(sup, ca.id, ta.id, "approved")
        review.set_mapping_status(sup, cb.id, tb.id, "needs-revision", comment="Passer dette i temaet?")
        review.set_mapping_status(sup, cc.id, tc.id, "approved")  # the student will unmap this one
        review.set_mapping_status(sup, cd.id, td.id, "approved")  # ... and merge this code away
        review.add_comment(sup, ta.id, "Godt avgrenset tema.")
        export = tmp_path / "review.json"
        data = review_exchange.export_review(sup, export)
    finally:
        sup.close()
    assert data["reviewers"] == ["Kari"]
    assert len(data["items"]) == 5 and len(data["comments"]) == 2
    flagged = next(i for i in data["items"] if i["status"] == "needs-revision")
    assert flagged["code"] == {"id": cb.id, "label": cb.label}
    assert flagged["mapping_id"] == review.mapping_id(cb.id, tb.id)
    assert json.loads(export.read_text(encoding="utf-8"))["format"] == "themecoder-review"

    # Meanwhile the student keeps working on the original.
    student = Project.open(demo_project, coder="student")
    try:
        doc = store.documents.documents(student.db)[0]
        text = store.documents.document_text(student.db, doc.id)
        fresh = coding.create_code(student, "ny kode fra i går")
        start = text.index(" ", 200) + 1
        coding.apply_code(student, doc.id, start, start + 40, fresh.id)
        themes.remove_code_from_theme(student, cc.id, tc.id)
        survivor = next(c for c in store.codes.codes(student.db) if c.id not in {ca.id, cb.id, cc.id, cd.id}
                        and (c.id, td.id) not in set(store.themes.code_theme_pairs(student.db)))
        codebook.merge_codes(student, cd.id, survivor.id)
        codebook.rename_code(student, ca.id, ca.label + " (omdøpt)")
        work_before = rows(student, WORK_TABLES)
        codings_before = len(store.codings.all_codings(student.db))

        report = review_exchange.import_review(student, export)

        # Nothing lost: the codebook and every coding are exactly as before the import.
        assert rows(student, WORK_TABLES) == work_before
        assert len(store.codings.all_codings(student.db)) == codings_before
        assert any(c.code_id == fresh.id for c in store.codings.all_codings(student.db))
        # The flag shows, the approval shows, comments are there.
        assert review.status_of(student, tb.id, cb.id) == "needs-revision"
        assert review.status_of(student, ta.id, ca.id) == "approved"
        texts = sorted(th.root.text for _, th in review.open_threads(student))
        assert texts == ["Godt avgrenset tema.", "Passer dette i temaet?"]
        # Conflicts are reported and kept, not dropped; the merged code's review followed it.
        assert report.orphaned == [f"«{cc.label}» in «{tc.name}»"]
        assert [o.code_label for o in review.orphans(student)] == [cc.label]
        assert len(report.retargeted) == 1 and cd.label in report.retargeted[0]
        assert review.status_of(student, td.id, survivor.id) == "approved"
        assert (report.items_added, report.comments_added) == (5, 2)
        last = student.history()[-1]
        assert (last.kind, last.coder) == ("review-import", "student")
        assert last.details["reviewers"] == ["Kari"]
        # What changed since the review: the student's work, not the review itself.
        changes = review_changes.changes_since(student)
        cats = changes.by_category()
        assert changes.since is not None and changes.since.source == "import"
        assert any(cd.label in change_text(c, "en") for c in cats["code-merged"])
        assert any(ca.label in change_text(c, "en") for c in cats["code-renamed"])
        assert any(cc.label in change_text(c, "en") for c in cats["code-unmapped"])
        assert cats["code-added"] and cats["codings-added"]
        assert "review" not in " ".join(c.category for c in changes.changes)

        # Importing the same file again duplicates nothing.
        snapshot = rows(student, REVIEW_TABLES + WORK_TABLES)
        n_actions = len(student.history())
        again = review_exchange.import_review(student, export)
        assert not again.changed and again.already_imported
        assert rows(student, REVIEW_TABLES + WORK_TABLES) == snapshot
        assert len(student.history()) == n_actions
        assert again.orphaned == report.orphaned  # still reported

        # The import is one action: undo takes the whole review out again, nothing else.
        student.undo()
        assert rows(student, WORK_TABLES) == work_before
        assert rows(student, ["review_items", "review_comments"]) == {"review_items": [], "review_comments": []}
    finally:
        student.close()


def test_import_merges_statuses_by_time_and_threads_both_ways(demo_project, tmp_path):
    copy = copy_file(demo_project, tmp_path / "copy.themecoder")
    sup = Project.open(copy, coder="Kari")
    (t1, c1), (t2, c2) = first_mappings(sup, 2)
    review.set_mapping_status(sup, c1.id, t1.id, "approved")
    comment = review.add_comment(sup, t2.id, "Hva med dette?")
    review_exchange.export_review(sup, tmp_path / "r1.json")

    student = Project.open(demo_project, coder="student")
    review_exchange.import_review(student, tmp_path / "r1.json")
    # The student answers and marks the mapping proposed again after revising it (newer).
    review.reply(student, comment.id, "Svar fra studenten.")
    review.set_mapping_status(student, c1.id, t1.id, "proposed")
    # The supervisor, on the copy, resolves the thread; a second export.
    review.resolve(sup, comment.id)
    review_exchange.export_review(sup, tmp_path / "r2.json")
    report = review_exchange.import_review(student, tmp_path / "r2.json")
    assert report.statuses_kept == 1 and report.comments_resolved == 1
    assert review.status_of(student, t1.id, c1.id) == "proposed"  # the newer one wins
    assert review.open_threads(student) == []
    item = review.item_for(student, t2.id)
    assert [c.text for c in item.threads[0].comments] == ["Hva med dette?", "Svar fra studenten."]
    sup.close()
    student.close()


def test_import_refuses_foreign_and_broken_files(demo_project, tmp_path):
    other = Project.create(tmp_path / "other.themecoder", coder="Kari")
    theme = themes.create_theme(other, "Noe")
    review.set_theme_status(other, theme.id, "approved")
    review_exchange.export_review(other, tmp_path / "other.json")
    other.close()
    student = Project.open(demo_project, coder="student")
    try:
        with pytest.raises(Conflict, match="another project"):
            review_exchange.import_review(student, tmp_path / "other.json")
        forced = review_exchange.import_review(student, tmp_path / "other.json", force=True)
        assert forced.orphaned == ["theme «Noe»"]
        (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
        with pytest.raises(UserError, match="not a review file"):
            review_exchange.import_review(student, tmp_path / "bad.json")
        (tmp_path / "wrong.json").write_text('{"format": "x"}', encoding="utf-8")
        with pytest.raises(UserError, match="not a themecoder review"):
            review_exchange.import_review(student, tmp_path / "wrong.json")
    finally:
        student.close()


def test_changes_since_a_local_review(demo_project):
    sup = Project.open(demo_project, coder="Kari")
    (t1, c1), = first_mappings(sup, 1)
    review.set_theme_status(sup, t1.id, "approved")
    sup.close()
    student = Project.open(demo_project, coder="student")
    try:
        assert review_changes.changes_since(student).changes == ()
        new = themes.create_theme(student, "Nytt tema")
        themes.move_codes(student, [c1.id], new.id, from_theme_id=t1.id)
        themes.rename_theme(student, new.id, "Nytt tema 2")
        undone = themes.create_theme(student, "Angret")
        student.undo()
        report = review_changes.changes_since(student)
        assert report.since.reviewer == "Kari" and report.since.source == "local"
        texts = [change_text(c, "en") for c in report.changes]
        assert texts == [
            "theme «Nytt tema» added",
            f"«{c1.label}» moved from «{t1.name}» to «Nytt tema 2»",
            "theme «Nytt tema» renamed «Nytt tema 2»",
        ]
        assert undone.name not in " ".join(texts)
    finally:
        student.close()


# -- the summary --------------------------------------------------------------------------------
def test_summary_docx_reads_back(demo_project, tmp_path):
    from docx import Document

    from themecoder.io.review_summary import write_review_summary

    sup = Project.open(demo_project, coder="Kari")
    (t1, c1), (t2, c2) = first_mappings(sup, 2)
    review.set_mapping_status(sup, c1.id, t1.id, "approved")
    review.set_mapping_status(sup, c2.id, t2.id, "needs-revision", comment="Flytt til et annet tema?")
    review.set_theme_status(sup, t1.id, "approved", comment="Fint.")
    sup.close()
    student = Project.open(demo_project, coder="student")
    try:
        root = review.open_threads(student)[0][1].root
        review.reply(student, root.id, "Takk!")
        summary = review_overview.summary(student)
        path = write_review_summary(summary, tmp_path / "veiledning.docx")
        doc = Document(str(path))
        styles = [p.style.name for p in doc.paragraphs]
        texts = [p.text for p in doc.paragraphs]
        assert styles[0] == "Title" and student.name in texts[0]
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        for t in store.themes.themes(student.db):
            assert t.name in headings
        top_level = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert [t.name for t in store.themes.themes(student.db) if t.parent_id is None] == top_level[:len(top_level) - 2]
        themes_with_codes = [n for n in themes.flatten(themes.theme_tree(student)) if n.codes]
        assert len(doc.tables) == len(themes_with_codes)
        cells = {(row.cells[0].text, row.cells[3].text, row.cells[4].text)
                 for table in doc.tables for row in table.rows[1:]}
        assert any(lbl == c1.label and st == "godkjent" for lbl, st, _ in cells)
        flagged = next(x for x in cells if x[0] == c2.label and x[1] == "må revideres")
        assert "Kari" in flagged[2] and "Flytt til et annet tema?" in flagged[2]
        assert doc.tables[0].rows[0].cells[0].text == "Kode"
        assert doc.tables[0].style.name == "Light Grid Accent 1"
        assert "Kari" in " ".join(texts) and any("Takk!" in x for x in texts)
        bullets = [p.text for p in doc.paragraphs if p.style.name in ("List Bullet", "List Bullet 2")]
        assert any("Fint." in b for b in bullets)
        # Markdown, in English.
        md = write_review_summary(summary, tmp_path / "summary.md", lang="en").read_text(encoding="utf-8")
        assert md.startswith("# Review summary:") and "| Code | Codings |" in md and "needs revision" in md
        with pytest.raises(UserError):
            write_review_summary(summary, tmp_path / "summary.pdf")
    finally:
        student.close()


def test_reviews_follow_a_merged_code(demo_project):
    project = Project.open(demo_project, coder="Kari")
    try:
        node = next(n for n in themes.flatten(themes.theme_tree(project)) if len(n.codes) >= 3)
        a, b, c = node.codes[:3]
        t = node.theme
        review.set_mapping_status(project, a.id, t.id, "approved", comment="Fin kode.")
        review.set_mapping_status(project, c.id, t.id, "needs-revision", comment="Uklar.")
        before = rows(project, REVIEW_TABLES)
        # a has no partner item on b: its item moves to (b, t) with its status and thread.
        codebook.merge_codes(project, a.id, b.id)
        assert review.status_of(project, t.id, b.id) == "approved"
        assert review.orphans(project) == []
        # c into b: b's status stays, c's thread joins b's item.
        codebook.merge_codes(project, c.id, b.id)
        item = review.item_for(project, t.id, b.id)
        assert item.status == "approved"
        assert sorted(th.root.text for th in item.threads) == ["Fin kode.", "Uklar."]
        project.undo()
        project.undo()
        assert rows(project, REVIEW_TABLES) == before
    finally:
        project.close()
