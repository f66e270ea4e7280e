"""What changed since the last review, in Norwegian and English: core returns structured
records (kind, target, old and new names, who, when), the text is rendered at the edge through
the one string table (io.review_change_text), in the pack, the summary and the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest

from themecoder.cli import main
from themecoder.core import codebook, review, review_changes, review_overview, themes
from themecoder.core.project import Project
from themecoder.core.review_changes import Change
from themecoder.io.review_change_text import change_lines, change_text, since_line
from themecoder.io.review_pack import pack_data
from themecoder.io.review_summary import render_markdown

# Every kind core knows, with the fields it fills.
EXAMPLES = [
    Change(1, "2026-01-01T10:00", "student", "code-added", "code", "c1", name="ny kode"),
    Change(1, "2026-01-01T10:00", "student", "code-deleted", "code", "c1", name="gammel", old_name="gammel"),
    Change(1, "2026-01-01T10:00", "student", "code-renamed", "code", "c1", name="nytt", old_name="gammelt",
           new_name="nytt"),
    Change(1, "2026-01-01T10:00", "student", "code-merged", "code", name="mål", new_name="mål",
           merged=("a", "b")),
    Change(1, "2026-01-01T10:00", "student", "code-split", "code", name="hel", old_name="hel", new_name="del",
           count=3),
    Change(1, "2026-01-01T10:00", "student", "code-moved", "code", "c1", name="kode",
           from_themes=("Fra",), to_themes=("Til", None)),
    Change(1, "2026-01-01T10:00", "student", "code-mapped", "code", "c1", name="kode", to_themes=("Til",)),
    Change(1, "2026-01-01T10:00", "student", "code-unmapped", "code", "c1", name="kode", from_themes=("Fra",)),
    Change(1, "2026-01-01T10:00", "student", "theme-added", "theme", "t1", name="Tema", new_name="Tema"),
    Change(1, "2026-01-01T10:00", "student", "theme-added", "theme", "t1", name="Under", new_name="Under",
           parent="Over"),
    Change(1, "2026-01-01T10:00", "student", "theme-deleted", "theme", "t1", name="Borte", old_name="Borte"),
    Change(1, "2026-01-01T10:00", "student", "theme-renamed", "theme", "t1", name="B", old_name="A", new_name="B"),
    Change(1, "2026-01-01T10:00", "student", "theme-moved", "theme", "t1", name="Tema",
           from_themes=(None,), to_themes=("Over",)),
    Change(1, "2026-01-01T10:00", "student", "theme-edited", "theme", "t1", name="Tema",
           fields=("description", "analytic_text", "condensate", "key_coding_id")),
    Change(1, "2026-01-01T10:00", "student", "codings-added", "codings", count=1),
    Change(1, "2026-01-01T10:00", "student", "codings-removed", "codings", count=2345),
]

NB = {
    "code-added": "koden «ny kode» lagt til",
    "code-deleted": "koden «gammel» slettet",
    "code-renamed": "koden «gammelt» omdøpt til «nytt»",
    "code-merged": "«a», «b» slått sammen med «mål»",
    "code-split": "3 kodinger av «hel» skilt ut i «del»",
    "code-moved": "«kode» flyttet fra «Fra» til «Til», toppnivået",
    "code-mapped": "«kode» lagt i «Til»",
    "code-unmapped": "«kode» tatt ut av «Fra»",
    "theme-deleted": "temaet «Borte» slettet",
    "theme-renamed": "temaet «A» omdøpt til «B»",
    "theme-moved": "temaet «Tema» flyttet fra toppnivået til «Over»",
    "theme-edited": "temaet «Tema»: beskrivelse, analytisk tekst, kondensat, gullsitat endret",
    "codings-added": "1 koding lagt til av student",
    "codings-removed": "2\u00a0345 kodinger fjernet av student",
}

EN = {
    "code-added": "code «ny kode» added",
    "code-renamed": "code «gammelt» renamed «nytt»",
    "code-merged": "«a», «b» merged into «mål»",
    "code-split": "3 codings of «hel» split off into «del»",
    "code-moved": "«kode» moved from «Fra» to «Til», the top level",
    "theme-moved": "theme «Tema» moved from the top level to «Over»",
    "theme-edited": "theme «Tema»: description, analytic text, condensate, key coding id changed",
    "codings-added": "1 coding added by student",
    "codings-removed": "2,345 codings removed by student",
}


def test_every_kind_renders_in_norwegian_and_english():
    nb = {c.category: change_text(c, "nb") for c in EXAMPLES if c.parent is None}
    en = {c.category: change_text(c, "en") for c in EXAMPLES if c.parent is None}
    for kind, text in NB.items():
        assert nb[kind] == text
    for kind, text in EN.items():
        assert en[kind] == text
    under = next(c for c in EXAMPLES if c.parent)
    assert change_text(under, "nb") == "temaet «Under» lagt til under «Over»"
    assert change_text(under, "en") == "theme «Under» added under «Over»"
    assert change_text(EXAMPLES[8], "nb") == "temaet «Tema» lagt til"
    # no English word left in any Norwegian line
    for c in EXAMPLES:
        words = set(change_text(c, "nb").replace(",", " ").split())
        assert not words & {"code", "theme", "added", "renamed", "moved", "deleted", "changed", "by", "into"}


def test_an_unknown_kind_is_a_bug_not_an_empty_line():
    with pytest.raises(KeyError):
        change_text(Change(1, "t", None, "code-exploded", "code", name="x"), "nb")


def reviewed_then_changed(demo_project: Path) -> tuple[str, str, str]:
    """Kari reviews; the student renames a code and a theme afterwards."""
    with Project.open(demo_project, coder="Kari") as sup:
        first = themes.flatten(themes.theme_tree(sup))[0].theme
        review.set_theme_status(sup, first.id, "approved")
    with Project.open(demo_project, coder="student") as p:
        node = next(n for n in themes.flatten(themes.theme_tree(p)) if n.codes)
        code = node.codes[0]
        codebook.rename_code(p, code.id, "nytt kodenavn")
        themes.rename_theme(p, node.theme.id, "Nytt temanavn")
    return code.label, node.theme.name, node.theme.id


def test_core_returns_structured_records(demo_project):
    old_code, old_theme, theme_id = reviewed_then_changed(demo_project)
    with Project.open(demo_project, coder="student") as p:
        report = review_changes.changes_since(p)
    by = report.by_category()
    (code,) = by["code-renamed"]
    assert (code.kind, code.target, code.old_name, code.new_name, code.coder) == (
        "code-renamed", "code", old_code, "nytt kodenavn", "student")
    assert code.time and code.action_id
    (theme,) = by["theme-renamed"]
    assert (theme.target, theme.target_id, theme.old_name, theme.new_name) == (
        "theme", theme_id, old_theme, "Nytt temanavn")
    assert not hasattr(theme, "text")        # the text is rendered at the edge, in a language


def test_pack_and_summary_show_the_changes_in_norwegian(demo_project):
    old_code, old_theme, _ = reviewed_then_changed(demo_project)
    with Project.open(demo_project, coder="student") as p:
        nb = pack_data(p, lang="nb")["changes"]["lines"]
        en = pack_data(p, lang="en")["changes"]["lines"]
        summary = review_overview.summary(p)
    assert f"koden «{old_code}» omdøpt til «nytt kodenavn»" in nb
    assert f"temaet «{old_theme}» omdøpt til «Nytt temanavn»" in nb
    assert not any("renamed" in line for line in nb)
    assert f"code «{old_code}» renamed «nytt kodenavn»" in en
    md_nb = render_markdown(summary, lang="nb")
    md_en = render_markdown(summary, lang="en")
    assert f"- koden «{old_code}» omdøpt til «nytt kodenavn»" in md_nb and " renamed " not in md_nb
    assert f"- code «{old_code}» renamed «nytt kodenavn»" in md_en
    assert change_lines(summary.changes, "nb") == nb


def test_summary_docx_in_norwegian(demo_project, tmp_path):
    from docx import Document

    from themecoder.io.review_summary import write_review_summary

    old_code, _, _ = reviewed_then_changed(demo_project)
    with Project.open(demo_project, coder="student") as p:
        write_review_summary(review_overview.summary(p), tmp_path / "s.docx", lang="nb")
    texts = [para.text for para in Document(str(tmp_path / "s.docx")).paragraphs]
    assert f"koden «{old_code}» omdøpt til «nytt kodenavn»" in texts


def test_cli_prints_the_changes_in_the_projects_language_or_lang(demo_project, capsys):
    old_code, _, _ = reviewed_then_changed(demo_project)
    capsys.readouterr()
    assert main(["--coder", "student", "review", "changes", str(demo_project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("siden veiledningen til Kari (")
    assert f"koden «{old_code}» omdøpt til «nytt kodenavn»" in out and "renamed" not in out
    assert main(["--coder", "student", "review", "changes", str(demo_project), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("since the review by Kari (")
    assert f"code «{old_code}» renamed «nytt kodenavn»" in out
    assert main(["--coder", "student", "review", "changes", str(demo_project), "--json", "--lang", "nb"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    renamed = next(c for c in data["changes"] if c["category"] == "code-renamed")
    assert renamed["old_name"] == old_code and renamed["new_name"] == "nytt kodenavn"
    assert renamed["text"] == f"koden «{old_code}» omdøpt til «nytt kodenavn»"


def test_cli_with_no_review_and_no_change(demo_project, capsys):
    capsys.readouterr()
    assert main(["--coder", "student", "review", "changes", str(demo_project), "--lang", "nb"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "ingen veiledning ennå: alt er nytt"
    assert since_line(None, "en") == "no review yet: everything is new"
