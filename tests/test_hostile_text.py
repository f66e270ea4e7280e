"""Hostile text (issue 18 points 9 and 12): control characters are stripped at every door and
never reach the terminal raw; Word exports do not break on them; a label has one canonical
form (NFC, folded whitespace, no control or zero-width characters, capped length) and
duplicates are found case-insensitively."""
from __future__ import annotations

import json
import sqlite3
import unicodedata

import docx
import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import codebook, coding, themes
from themecoder.core.project import Project
from themecoder.core.text import LABEL_MAX, canonical_label, label_key
from themecoder.errors import Conflict, UserError

ESC_LABEL = "\x1b]0;pwned\x07\x1b[31mrød kode\x1b[0m"
CONTROL = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A)] + ["\x7f", "\x9b"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def no_controls(text: str) -> bool:
    return not any(ch in text for ch in CONTROL)


# -- 9. control characters -----------------------------------------------------------------------
def test_a_label_with_escape_sequences_is_stored_clean(demo_project, capsys):
    rc, out, err = run(capsys, "code", str(demo_project), "--doc", "carl", "--quote", "en personlig prosess",
                       "--occurrence", "1", "--code", ESC_LABEL)
    assert rc == 0, err
    with Project.open(demo_project) as project:
        labels = [c.label for c in store.codes.codes(project.db)]
    new = [lb for lb in labels if "rød kode" in lb]
    assert new and all(no_controls(lb) for lb in new), new
    assert "\x1b" not in out + err


def test_theme_texts_memos_and_comments_lose_control_characters(project):
    t = themes.create_theme(project, "Tema\x1b[2J med\x00 kontroll")
    assert t.name == "Tema [2J med kontroll"
    t = themes.update_theme(project, t.id, description="linje 1\r\nlinje\x07 2\x1b]8;;http://x\x07")
    assert t.description == "linje 1\nlinje 2]8;;http://x"
    from themecoder.core.memos import add_memo

    memo = add_memo(project, "project", None, "notat\x1b[5m med blink", title="tittel\x08")
    assert no_controls(memo.text) and no_controls(memo.title)
    from themecoder.core import review

    c = review.add_comment(project, t.id, "kommentar \x1b]52;c;c2VjcmV0\x07 slutt")
    assert no_controls(c.text) and "slutt" in c.text


def test_nothing_raw_reaches_the_terminal_even_from_old_data(demo_project, capsys):
    """Rows written before the doors were closed: printing shows the escapes, never obeys them."""
    con = sqlite3.connect(demo_project)
    con.execute("UPDATE codes SET label = ? WHERE label = 'bolig først'", ("bolig\x1b]0;x\x07 først\x9b2J",))
    con.commit()
    con.close()
    for argv in (["codes", str(demo_project)], ["codes", str(demo_project), "--json"],
                 ["theme", "list", str(demo_project)]):
        rc, out, err = run(capsys, *argv)
        assert rc == 0
        assert no_controls(out + err), argv
    rc, out, _ = run(capsys, "codes", str(demo_project), "--json")
    labels = [c["label"] for c in json.loads(out)]
    assert "bolig\x1b]0;x\x07 først\x9b2J" in labels, "--json stays valid JSON and exact"


def test_a_review_file_with_control_sequences_is_imported_clean_and_exports_to_word(demo_project, tmp_path, capsys):
    p = str(demo_project)
    review_file = tmp_path / "r.json"
    assert main(["--coder", "veileder", "review", "comment", p, "--theme", "Faglig utvikling", "ok"]) == 0
    assert main(["--coder", "veileder", "review", "export", p, "-o", str(review_file), "--allow-unreviewed"]) == 0
    capsys.readouterr()
    data = json.loads(review_file.read_text(encoding="utf-8"))
    data["comments"][0]["text"] = "Se \x1b]0;hacked\x07her\x1b[2J og \x0c\x0b slutt"
    data["comments"][0]["id"] = "11111111-2222-3333-4444-555555555555"
    data["reviewers"] = ["veil\x1b[31meder"]
    review_file.write_text(json.dumps(data), encoding="utf-8")
    rc, out, err = run(capsys, "review", "import", p, str(review_file))
    assert rc == 0, err
    assert no_controls(out + err)
    rc, out, err = run(capsys, "review", "list", p)
    assert rc == 0 and no_controls(out + err)
    with Project.open(demo_project) as project:
        texts = [r[0] for r in project.db.query_tuples("SELECT text FROM review_comments")]
    assert any("slutt" in t for t in texts) and all(no_controls(t) for t in texts)
    out_docx = tmp_path / "sammendrag.docx"
    rc, _, err = run(capsys, "review", "summary", p, "-o", str(out_docx), "--allow-unreviewed")
    assert rc == 0, err
    body = "\n".join(par.text for par in docx.Document(str(out_docx)).paragraphs)
    assert no_controls(body)
    rc, _, err = run(capsys, "export", "quotes", p, "-o", str(tmp_path / "q.docx"), "--allow-unreviewed")
    assert rc == 0, err


# -- 12. canonical labels ------------------------------------------------------------------------
def test_one_canonical_form_for_a_label():
    nfd = unicodedata.normalize("NFD", "Å være ny")
    assert canonical_label(nfd) == "Å være ny" == unicodedata.normalize("NFC", canonical_label(nfd))
    assert canonical_label("  å\u200bvære \t\n ny\u00ad ") == "åvære ny"
    assert canonical_label("a\x1b[31mb") == "a [31mb"
    assert label_key("Tillit") == label_key("TILLIT") == label_key("til\u200blit") == label_key(" tillit ")
    assert label_key(unicodedata.normalize("NFD", "Ærlighet")) == label_key("ærlighet")
    with pytest.raises(UserError, match="at most"):
        canonical_label("x" * (LABEL_MAX + 1))


@pytest.mark.parametrize("variant", [
    "tillit", "TILLIT", "Til\u200blit", " Tillit ", "Tillit\u2060", "T\u00adillit",
])
def test_identical_looking_codes_cannot_coexist(project, variant):
    coding.create_code(project, "Tillit")
    with pytest.raises(Conflict, match="exists already"):
        coding.create_code(project, variant)
    assert [c.label for c in store.codes.codes(project.db)] == ["Tillit"]


def test_nfd_and_nfc_and_case_of_non_ascii_letters_are_one_code(project):
    coding.create_code(project, "Ærlighet og åpenhet")
    for variant in (unicodedata.normalize("NFD", "Ærlighet og åpenhet"), "ærlighet OG ÅPENHET"):
        with pytest.raises(Conflict):
            coding.create_code(project, variant)
    other = coding.create_code(project, "Mestring")
    with pytest.raises(Conflict):
        codebook.rename_code(project, other.id, "ÆRLIGHET og Åpenhet")


def test_a_huge_label_is_refused_in_one_line(project, capsys, tmp_path):
    with pytest.raises(UserError) as err:
        coding.create_code(project, "x" * 100_000)
    assert "\n" not in str(err.value) and "at most" in str(err.value)
    with pytest.raises(UserError, match="at most"):
        themes.create_theme(project, "t" * 100_000)
    assert store.codes.count(project.db) == 0


def test_a_file_name_with_escape_sequences_becomes_a_clean_title(project, tmp_path, interview_file):
    from themecoder.io.batch import import_files

    hostile = tmp_path / "intervju\x1b]0;pwned\x07 anna.txt"
    hostile.write_text(interview_file.read_text(encoding="utf-8"), encoding="utf-8")
    [result] = import_files(project, [hostile])
    assert result.ok, result.message
    [doc] = store.documents.documents(project.db)
    assert no_controls(doc.title) and "anna" in doc.title


def test_old_rows_with_control_characters_are_cleaned_and_word_exports_work(demo_project, tmp_path, capsys):
    """Rows written before the doors were closed break python-docx ("All strings must be XML
    compatible"); the h18 migration cleans them, keeping unique labels unique."""
    from themecoder.store import schema

    con = sqlite3.connect(demo_project)
    con.execute("UPDATE codes SET label = ? WHERE label = 'bolig først'", ("bolig\x1b først",))
    con.execute("UPDATE codes SET label = ? WHERE label = 'bolig er grunnmuren'", ("bolig\x07først",))
    con.execute("UPDATE themes SET name = ?, description = ? WHERE name = 'Faglig utvikling'",
                ("Faglig\x1b]0;x\x07 utvikling", "linje\x0b én\r\nto\x00"))
    con.execute("UPDATE memos SET text = text || ?", ("\x1b[2J",))
    con.commit()
    rc, _, err = run(capsys, "export", "codebook", str(demo_project), "-o", str(tmp_path / "before.docx"),
                     "--allow-unreviewed")
    assert rc != 0  # python-docx refuses the control characters
    con.execute("BEGIN")
    schema._migration_h18(con)
    con.execute("COMMIT")
    labels = sorted(r[0] for r in con.execute("SELECT label FROM codes WHERE label LIKE 'bolig%'"))
    name, description = con.execute("SELECT name, description FROM themes WHERE name LIKE 'Faglig%utvikling'").fetchone()
    memos = [r[0] for r in con.execute("SELECT text FROM memos")]
    con.close()
    assert "bolig først" in labels and "bolig først (2)" in labels, labels
    assert name == "Faglig ]0;x utvikling" and description == "linje én\nto"
    assert all(no_controls(m) for m in memos)
    for kind in ("codebook", "quotes"):
        rc, _, err = run(capsys, "export", kind, str(demo_project), "-o", str(tmp_path / f"{kind}.docx"),
                         "--allow-unreviewed")
        assert rc == 0, err
