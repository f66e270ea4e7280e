"""Exports of the demo project (the shared `demo_project` fixture): every quote in the Word
tables is read back and checked against its transcript, in both languages; the demo survives a
REFI-QDA round trip."""
from __future__ import annotations

import docx
import pytest

from test_export_quotes import check_docx_against_transcripts
from test_refi_project import snapshot
from themecoder import store
from themecoder.cli import main
from themecoder.core.project import Project
from themecoder.core.quotes import QuoteSource, set_shortening
from themecoder.io.refi_project import export_qdpx, import_refi_file


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_demo_quote_tables(demo_project, tmp_path, lang):
    out = tmp_path / f"sitater-{lang}.docx"
    assert main(["export", "quotes", str(demo_project), "-o", str(out), "--lang", lang, "--appendix"]) == 0
    with Project.open(demo_project) as p:
        n = check_docx_against_transcripts(p, out, lang, "[…]" if lang == "nb" else "[...]")
        themes = [t for t in store.themes.themes(p.db) if t.parent_id is None]
    assert n > 100
    d = docx.Document(str(out))
    assert len(d.tables) == len(themes)
    blocks = [c for t in d.tables for r in t.rows for c in r.cells
              if c.paragraphs[0].style.name == "Table Block Quote"]
    inline = [c for t in d.tables for r in t.rows for c in r.cells if c.paragraphs[0].style.name == "Table Quote"]
    assert inline and all(c.text[0] == ("«" if lang == "nb" else "\u201c") for c in inline)
    assert all(c.text[0] not in "«\u201c" or c.text[-1] not in "»\u201d" for c in blocks)


def test_demo_shortened_and_limited(demo_project, tmp_path):
    with Project.open(demo_project, coder="student") as p:
        src = QuoteSource(p)
        longest = max((q for qs in src.quotes_by_code.values() for q in qs), key=lambda q: len(q.coding.quote))
        words = longest.coding.quote.split()
        assert len(words) > 12
        marked = " ".join(words[:4]) + " […] " + " ".join(words[-4:])
        set_shortening(p, longest.coding.id, marked)
        out = tmp_path / "kort.docx"
        assert main(["export", "quotes", str(demo_project), "-o", str(out), "--max-per-code", "2"]) == 0
        qs = QuoteSource(p).quote_set(max_per_code=2)
        per_code = {}
        for t in qs.tables:
            for r in t.rows:
                per_code.setdefault((t.theme.id, r.quote.coding.code_id), []).append(r)
        assert all(len(v) <= 2 for v in per_code.values())
        check_docx_against_transcripts(p, out, "nb", "[…]", max_per_code=2)
        full = tmp_path / "alle.docx"
        assert main(["export", "quotes", str(demo_project), "-o", str(full)]) == 0
        check_docx_against_transcripts(p, full, "nb", "[…]")
        text = "\n".join(c.text for t in docx.Document(str(full)).tables for r in t.rows for c in r.cells)
        assert " […] " in text


def test_demo_round_trip(demo_project, tmp_path):
    with Project.open(demo_project) as p:
        export_qdpx(p, tmp_path / "demo.qdpx")
        a = snapshot(p)
    with Project.create(tmp_path / "kopi", coder="student") as q:
        summary, stats = import_refi_file(q, tmp_path / "demo.qdpx", index=False)
        assert stats.named == stats.matched > 200, summary
        b = snapshot(q)
    for key in a:
        assert b[key] == a[key], key


def test_demo_codebook_formats(demo_project, tmp_path):
    for suffix in ("docx", "csv", "md", "qdc"):
        assert main(["export", "codebook", str(demo_project), "-o", str(tmp_path / f"kodebok.{suffix}")]) == 0
    d = docx.Document(str(tmp_path / "kodebok.docx"))
    with Project.open(demo_project) as p:
        n_codes = len(store.codes.codes(p.db))
    labels = {r.cells[2].text for r in d.tables[0].rows[1:]} - {""}
    assert len(labels) == n_codes
