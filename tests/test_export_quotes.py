"""Quote tables for the thesis: every exported quote is read back and checked against its
transcript (the cell text without «» / “” and ellipses equals the coding's segments)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from export_fixtures import LONG_QUOTE, build_project, coding_for
from themecoder import store
from themecoder.cli import main
from themecoder.core import resolve
from themecoder.core.quotes import (
    BLOCK_WORDS,
    SETTING_PREFIX,
    QuoteSource,
    Segment,
    check_segments,
    clear_shortening,
    display_text,
    locate_segments,
    set_shortening,
    split_display,
    split_marked,
)
from themecoder.core.text import word_count
from themecoder.errors import UserError
from themecoder.io.docx_quotes import write_quotes_docx
from themecoder.io.i18n import default_ellipsis, quote_marks
from themecoder.io.tabular import atomic_write, nest_quotes, quotes_csv, quotes_markdown


@pytest.fixture
def project(tmp_path):
    p = build_project(tmp_path / "studie")
    yield p
    p.close()


# -- reading an exported document back -------------------------------------------------------
def tables_with_captions(path: Path):
    """[(caption text, table)] in document order."""
    d = docx.Document(str(path))
    out, last_caption = [], None
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(block, d)
            if p.style is not None and p.style.name == "Caption":
                last_caption = p.text
        elif tag == "tbl":
            out.append((last_caption, docx.table.Table(block, d)))
            last_caption = None
    return d, out


def quote_parts(cell_text: str, lang: str, ellipsis: str) -> list[str]:
    left, right = quote_marks(lang)
    body = cell_text
    if body.startswith(left) and body.endswith(right):
        body = body[len(left):-len(right)]
    return split_display(body, ellipsis)


def check_docx_against_transcripts(project, path: Path, lang: str, ellipsis: str, *,
                                   themes=None, max_per_code=None) -> int:
    """Every quote cell matches a coding's segments in the transcript. Returns the count."""
    src = QuoteSource(project)
    expected = src.quote_set(themes, max_per_code)
    d, tables = tables_with_captions(path)
    assert len(tables) == len(expected.tables)
    texts = {doc.title: store.documents.document_text(project.db, doc.id) for doc in store.documents.documents(project.db)}
    checked = 0
    label = "Tabell" if lang == "nb" else "Table"
    for n, ((caption, table), exp) in enumerate(zip(tables, expected.tables), 1):
        assert caption is not None and caption.startswith(f"{label} {n}\n")
        assert exp.path in caption
        assert table.style.name == "APA Table"
        header = table.rows[0]
        assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in header.cells] == (
            ["Tema", "Subtema", "Sitat", "Informant"] if lang == "nb" else ["Theme", "Subtheme", "Quote", "Participant"])
        body = table.rows[1:]
        assert len(body) == len(exp.rows)
        for row, erow in zip(body, exp.rows):
            q = erow.quote
            cell = row.cells[2]
            text = cell.text
            style = cell.paragraphs[0].style.name
            left, right = quote_marks(lang)
            parts = quote_parts(text, lang, ellipsis)
            # The segments, read fresh from the transcript, inside the coding, in order.
            doc_text = texts[q.document]
            coding = store.codings.coding(project.db, q.coding.id)
            expected = [doc_text[s:e] for s, e in q.spans]
            if text.startswith(left):  # inline: its own quotation marks become the inner ones
                expected = [nest_quotes(x, lang) for x in expected]
            assert parts == expected
            pos = coding.start
            for s, e in q.spans:
                assert pos <= s < e <= coding.end
                pos = e
            if len(parts) == 1:
                assert coding.quote == doc_text[coding.start:coding.end]
                assert parts[0] == expected[0] == (nest_quotes(coding.quote, lang)
                                                   if text.startswith(left) else coding.quote)
            words = sum(word_count(p) for p in parts)
            if words >= BLOCK_WORDS:
                assert style == "Table Block Quote"
                assert not text.startswith(left)
            else:
                assert style == "Table Quote"
                assert text.startswith(left) and text.endswith(right)
            who = row.cells[3].text
            assert who.split("\n")[0] == (q.participant or q.document)
            checked += 1
    return checked


# -- docx ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_docx_quotes_match_transcripts(project, tmp_path, lang):
    src = QuoteSource(project)
    qs = src.quote_set()
    out = write_quotes_docx(tmp_path / f"sitater-{lang}.docx", qs, src, lang=lang)
    n = check_docx_against_transcripts(project, out, lang, default_ellipsis(lang))
    assert n == qs.quote_count == 9
    d = docx.Document(str(out))
    # Styles are named styles, defined in the document.
    names = {s.name for s in d.styles}
    assert {"Quote", "Table Quote", "Block Quote", "Table Block Quote", "Caption", "APA Table",
            "Table Note", "Table Heading"} <= names
    apa = d.styles["APA Table"].element
    borders = apa.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    assert borders.find(qn("w:top")).get(qn("w:val")) == "single"
    assert borders.find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
    assert borders.find(qn("w:left")).get(qn("w:val")) == "nil"
    first = apa.find(qn("w:tblStylePr"))
    assert first.get(qn("w:type")) == "firstRow"
    # The long quote (>= 40 words) is a block quote without quotation marks.
    assert word_count(LONG_QUOTE) >= 40
    cells = [c for t in d.tables for r in t.rows for c in r.cells]
    long = [c for c in cells if c.text == LONG_QUOTE]
    assert long and long[0].paragraphs[0].style.name == "Table Block Quote"
    assert abs(d.sections[0].page_width - docx.shared.Cm(21.0)) < docx.shared.Cm(0.01)
    note = [p for p in d.paragraphs if p.style.name == "Table Note"]
    assert len(note) == 2 and note[0].text.startswith("Merknad." if lang == "nb" else "Note.")


def test_shortened_quote_exported_and_checked(project, tmp_path):
    long = coding_for(project, "For meg er relasjonen alt")
    segs = set_shortening(project, long.id[:8],
                          "For meg er relasjonen alt, egentlig. […] Det tar tid, men det er den tiden som gjør "
                          "at de tør å fortelle meg når det går dårlig")
    assert len(segs) == 2 and segs[0].text == "For meg er relasjonen alt, egentlig."
    src = QuoteSource(project)
    qs = src.quote_set()
    row = next(r for t in qs.tables for r in t.rows if r.quote.coding.id == long.id)
    assert row.quote.shortened and not row.quote.is_block  # shortened below 40 words: inline
    for lang, ellipsis in (("nb", "[…]"), ("en", "[...]"), ("nb", "(...)")):
        out = write_quotes_docx(tmp_path / f"s-{lang}.docx", qs, src, lang=lang,
                                ellipsis=None if ellipsis == default_ellipsis(lang) else ellipsis)
        check_docx_against_transcripts(project, out, lang, ellipsis)
        d = docx.Document(str(out))
        texts = [c.text for t in d.tables for r in t.rows for c in r.cells]
        left, right = quote_marks(lang)
        assert f"{left}For meg er relasjonen alt, egentlig. {ellipsis} Det tar tid" in "\n".join(texts)
        notes = " ".join(p.text for p in d.paragraphs if p.style.name == "Table Note")
        assert ellipsis in notes
    # Undo takes the shortening away in one step.
    project.undo()
    assert not QuoteSource(project).shortenings


def test_stale_shortening_is_left_out_and_reported(project, tmp_path):
    long = coding_for(project, "For meg er relasjonen alt")
    set_shortening(project, long.id, "For meg er relasjonen alt, egentlig. […] Det tar tid")
    key = SETTING_PREFIX + long.id
    value = json.loads(project.setting(key))
    value[1][2] = "Det tok tid"  # the transcript no longer says this
    project.set_setting(key, json.dumps(value, ensure_ascii=False))
    src = QuoteSource(project)
    qs = src.quote_set()
    assert all(r.quote.coding.id != long.id for t in qs.tables for r in t.rows)
    assert any(p.coding_id == long.id and "no longer matches" in p.reason for p in qs.problems)
    out = write_quotes_docx(tmp_path / "s.docx", qs, src, lang="nb")
    check_docx_against_transcripts(project, out, "nb", "[…]")
    # The CSV keeps the coding (verbatim) but not the stale shortened form.
    rows = src.coding_rows()
    row = next(r for r in rows if r.quote.coding.id == long.id)
    assert not row.quote.shortened


def test_changed_transcript_is_never_exported_as_a_quote(project, tmp_path):
    c = coding_for(project, "Tidspresset er det verste")
    # Simulate text that changed under the coding (e.g. an edit outside themecoder).
    with project.db.transaction() as conn:
        conn.execute("UPDATE codings SET quote = 'Tidspresset var det verste.' WHERE id = ?", (c.id,))
    src = QuoteSource(project)
    qs = src.quote_set()
    assert all(r.quote.coding.id != c.id for t in qs.tables for r in t.rows)
    assert any(p.coding_id == c.id for p in qs.problems)
    assert all(r.quote.coding.id != c.id for r in src.coding_rows())


def test_max_per_code_keeps_the_key_quote(project):
    nav = [c for c in store.codings.all_codings(project.db) if c.quote.startswith(("Samarbeidet", "Før var"))]
    second = next(c for c in nav if c.quote.startswith("Før var"))
    theme = resolve.theme(project, "Systemet rundt")
    with project.action("set-key", "key quote") as conn:
        conn.execute("UPDATE themes SET key_coding_id = ? WHERE id = ?", (second.id, theme.id))
    qs = QuoteSource(project).quote_set(["Systemet rundt"], max_per_code=1)
    quotes = [r.quote for r in qs.tables[0].rows]
    nav_kept = [q for q in quotes if q.code == "samarbeid med NAV"]
    assert [q.coding.id for q in nav_kept] == [second.id]
    assert len([q for q in quotes if q.code == "tidspress"]) == 1
    with pytest.raises(UserError):
        QuoteSource(project).quote_set(max_per_code=0)


def test_theme_selection_order_and_dedup(project):
    src = QuoteSource(project)
    qs = src.quote_set(["Relasjonen som verktøy › Tid og tillit"])
    assert len(qs.tables) == 1 and qs.tables[0].path == "Relasjonen som verktøy › Tid og tillit"
    row = qs.tables[0].rows[0]
    assert (row.theme, row.subtheme) == ("Relasjonen som verktøy", "Tid og tillit")
    with pytest.raises(UserError):
        src.quote_set(["finnes ikke"])
    # Ordered by participant, then place.
    rows = src.quote_set(["Systemet rundt"]).tables[0].rows
    keys = [(r.quote.participant, r.quote.coding.start) for r in rows]
    assert keys == sorted(keys)
    # The same passage under two codes of a theme is quoted once.
    tidspress = resolve.code(project, "tidspress")
    nav = resolve.code(project, "samarbeid med NAV")
    from themecoder.core.coding import apply_code

    c = coding_for(project, "Tidspresset er det verste")
    apply_code(project, c.document_id, c.start, c.end, nav.id)
    rows = QuoteSource(project).quote_set(["Systemet rundt"]).tables[0].rows
    assert sum(1 for r in rows if r.quote.coding.start == c.start) == 1
    assert tidspress


def test_place_uses_turn_numbers(project):
    src = QuoteSource(project)
    q = next(q for qs in src.quotes_by_code.values() for q in qs if q.coding.quote.startswith("Vi gikk tur"))
    assert q.place.turn == 6 and q.place.timestamp is None


def test_appendix_has_all_quotes(project, tmp_path):
    src = QuoteSource(project)
    qs = src.quote_set(max_per_code=1)
    out = write_quotes_docx(tmp_path / "a.docx", qs, src, lang="nb", appendix=True)
    d = docx.Document(str(out))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Vedlegg: Sitater etter tema og kode" in heads
    assert "Relasjonen som verktøy › Tid og tillit" in heads and "samarbeid med NAV" in heads
    quotes = [p for p in d.paragraphs if p.style.name in ("Quote", "Block Quote")]
    # Every coding of every themed code, once per theme (tidspress is in two themes).
    assert len(quotes) == 9
    for p in quotes:
        runs = [r for r in p.runs if r.style is None or r.style.name != "Quote Source"]
        source = [r.text for r in p.runs if r.style is not None and r.style.name == "Quote Source"]
        assert len(source) == 1 and source[0].startswith("(") and source[0].endswith(")")
        text = "".join(r.text for r in runs).strip()
        inline = text.startswith("«")
        body = text[1:-1] if inline else text
        assert any(body == (nest_quotes(c.quote, "nb") if inline else c.quote)
                   for c in store.codings.all_codings(project.db))


# -- markdown and CSV ------------------------------------------------------------------------
def test_markdown(project):
    src = QuoteSource(project)
    md = quotes_markdown(src.quote_set(), src, lang="nb", appendix=True)
    assert "**Tabell 1**" in md and "*Sitater i temaet «Relasjonen som verktøy»*" in md
    assert "| Tema | Subtema | Sitat | Informant |" in md
    assert "«Tidspresset er det verste.»" in md
    assert "> For meg er relasjonen alt" in md
    en = quotes_markdown(src.quote_set(), src, lang="en")
    assert "**Table 1**" in en and "\u201cTidspresset er det verste.\u201d" in en


def test_csv_rows_per_theme(project):
    src = QuoteSource(project)
    text = quotes_csv(src.coding_rows(), lang="nb")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["tema", "subtema", "kode", "sitat", "forkortet_sitat", "informant", "dokument",
                       "sted", "start", "slutt", "koding_id"]
    body = rows[1:]
    assert len(body) == 10  # 8 codings; tidspress (2 codings) is in two themes
    texts = {d.id: store.documents.document_text(project.db, d.id) for d in store.documents.documents(project.db)}
    for r in body:
        c = store.codings.coding(project.db, r[10])
        assert r[3] == c.quote == texts[c.document_id][int(r[8]):int(r[9])]
    tid = [r for r in body if r[2] == "tidspress"]
    assert sorted({r[0] for r in tid}) == ["Relasjonen som verktøy", "Systemet rundt"]
    unthemed = [r for r in body if r[2] == "mestring"]
    assert unthemed and unthemed[0][0] == ""
    en = list(csv.reader(io.StringIO(quotes_csv(src.coding_rows(["Systemet rundt"]), lang="en"))))
    assert en[0][:4] == ["theme", "subtheme", "code", "quote"] and len(en) == 6


# -- the command line ------------------------------------------------------------------------
def test_cli_export_quotes(project, tmp_path, capsys, monkeypatch):
    path = str(project.path)
    project.close()
    monkeypatch.chdir(tmp_path)
    assert main(["export", "quotes", path]) == 0
    default = project.path.parent / "exports" / "studie-sitater.docx"
    assert default.exists()
    assert main(["export", "quotes", path, "-o", "ut/sitater.md", "--lang", "en"]) == 0
    assert "\n# Quote Tables" in "\n" + (tmp_path / "ut" / "sitater.md").read_text(encoding="utf-8")
    assert main(["export", "quotes", path, "-o", "ut/sitater.csv", "--theme", "Systemet rundt"]) == 0
    data = (tmp_path / "ut" / "sitater.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "Bjørn".encode() in data
    assert main(["export", "quotes", path, "-o", "ut/x.docx", "--max-per-code", "1", "--appendix",
                 "--ellipsis", "(…)"]) == 0
    assert main(["export", "quotes", path, "-o", "ut/x.pdf"]) == 1
    assert main(["export", "quotes", path, "--theme", "nope"]) == 1
    coding = None
    from themecoder.core.project import Project

    with Project.open(path) as p:
        coding = coding_for(p, "Før var det mye")
    assert main(["export", "shorten", path, coding.id[:10], "Før var det mye «ping-pong» mellom etatene, […] "
                 "vi heller hverandre."]) == 0
    assert main(["export", "quotes", path, "-o", "ut/s.docx"]) == 0
    with Project.open(path) as p:
        check_docx_against_transcripts(p, tmp_path / "ut" / "s.docx", "nb", "[…]")
    assert main(["export", "shorten", path, coding.id, "--clear"]) == 0
    assert main(["export", "shorten", path, coding.id, "finnes ikke […] heller"]) == 1
    err = capsys.readouterr().err
    assert "not found" in err


# -- atomic writing --------------------------------------------------------------------------
def test_atomic_write_keeps_the_old_file_on_error(tmp_path):
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def boom(fh):
        fh.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, boom)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
    atomic_write(target, lambda fh: fh.write(b"new"))
    assert target.read_bytes() == b"new"
    with pytest.raises(UserError):
        atomic_write(tmp_path, lambda fh: fh.write(b"x"))


# -- segments: pure functions ----------------------------------------------------------------
TEXT = "Astrid: Ja, jeg vet ikke helt. Det var liksom ... vanskelig å si nei. Æsj, altså."


def test_split_marked():
    assert split_marked("a […] b [...] c (…) d ( ... ) e") == ["a", "b", "c", "d", "e"]
    assert split_marked("det var liksom ... vanskelig") == ["det var liksom ... vanskelig"]


def test_locate_and_check_segments():
    start, end = 8, len(TEXT)
    segs = locate_segments(TEXT, start, end, ["Ja, jeg vet", "vanskelig å si nei."])
    assert [s.text for s in segs] == ["Ja, jeg vet", "vanskelig å si nei."]
    assert check_segments(TEXT, start, end, segs) is None
    with pytest.raises(UserError):
        locate_segments(TEXT, start, end, ["vanskelig", "Ja"])          # wrong order
    with pytest.raises(UserError):
        locate_segments(TEXT, start, end, ["Ja, jeg", "vet ikke"])       # nothing omitted
    with pytest.raises(UserError):
        locate_segments(TEXT, 20, end, ["Ja, jeg vet"])                  # outside the coding
    bad = [Segment(8, 11, "Ja,"), Segment(5, 7, "id")]
    assert check_segments(TEXT, start, end, bad)
    assert check_segments(TEXT, start, end, [Segment(8, 11, "Nei")])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcæøå ÆØÅ.,\n", min_size=5, max_size=80), st.data())
def test_segments_roundtrip(text, data):
    """Any in-order, non-touching, trimmed segments survive display -> split unchanged."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=8, unique=True)))
    segs = []
    for i in range(0, len(cuts) - 1, 2):
        s, e = cuts[i], cuts[i + 1]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e and (not segs or text[segs[-1].end:s].strip()):
            segs.append(Segment(s, e, text[s:e]))
    if not segs or any("[…]" in s.text for s in segs):
        return
    assert check_segments(text, 0, len(text), segs) is None
    shown = display_text([s.text for s in segs], "[…]")
    assert split_display(shown, "[…]") == [s.text for s in segs]


def test_clear_shortening(project):
    c = coding_for(project, "Vi spør brukerne")
    set_shortening(project, c.id, "Vi spør brukerne hva de vil, […] budsjettet som bestemmer til slutt.")
    assert clear_shortening(project, c.id) is True
    assert clear_shortening(project, c.id) is False
    # Keeping the whole coding is no shortening.
    set_shortening(project, c.id, c.quote)
    assert not QuoteSource(project).shortenings
