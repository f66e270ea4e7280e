"""Every real REFI-QDA sample in ../shared/refi/samples reads with the counts its README gives,
and converted positions give the right quotes.

None of the samples has both source files *and* quote text in the selection names (NVivo
leaves ``name=""``; the ATLAS.ti project ships without its sources), so the name match rate is
measured on files built from the real NVivo texts in the ATLAS.ti and QualCoder styles; for
NVivo itself the evidence is (a) selection boundaries fall exactly between words and (b) the
Windows export (CRLF, UTF-16 counting) and the Mac export (LF) of the same project give the
same quotes for the same comments.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from themecoder.io.refi import (
    CODEPOINTS_CRLF_AS_ONE,
    RefiProject,
    read_qdc,
    read_qde,
    read_qdpx,
    read_refi,
)
from themecoder.io.refi.positions import CODEPOINTS, UTF16, TextMap, quote_matches


@pytest.fixture
def samples(shared: Path) -> Path:
    return shared / "refi" / "samples"


def _report(project: RefiProject, label: str, record_property) -> None:
    for s in project.report.sources:
        if s.status == "ok":
            line = (
                f"{label}: {s.name}: {s.selections} selections, {s.codings} codings, convention "
                f"{s.convention} by {s.method}, boundary rate {s.boundary_rate}, name match "
                f"{'n/a' if s.match_rate is None else f'{s.match_rate:.1%}'}"
            )
            print(line)
            record_property(f"{label}:{s.name}", line)


# -- NVivo ---------------------------------------------------------------------------------

def test_nvivo_windows_12_6(samples: Path, record_property) -> None:
    p = read_qdpx(samples / "nvivo-win-12.6.qdpx")
    assert p.origin == "NVivo for Windows 12.6"
    assert len(p.all_codes()) == 60
    assert len(p.codes) < 60  # nested
    assert len(p.sources) == 1 and not p.other_sources
    src = p.sources[0]
    assert src.name == "videos_selection"
    assert src.plain_text_path.startswith("internal://")  # found under Sources/ (capital S)
    assert p.selection_count() == 97
    assert p.coding_count() == 97
    assert all(len(sel.codings) == 1 for sel in src.selections)  # NVivo: one code per selection
    assert len(p.users) == 2
    assert "\r" not in src.text and not src.text.startswith("\ufeff")

    rep = p.report.sources[0]
    assert rep.encoding == "utf-8-sig"
    assert rep.convention == UTF16 and rep.method == "boundaries"
    assert rep.boundary_rate == 1.0
    assert rep.named == 0  # NVivo writes name="": no quote text to compare
    _report(p, "nvivo-win", record_property)

    by_raw = {(s.raw_start, s.raw_end): s for s in src.selections}
    # 2560-2616 in UTF-16 over CRLF text; three emoji (2 units each) close the comment.
    sel = by_raw[(2560, 2616)]
    assert src.quote(sel) == "Mi az a fityesznek? Akkor írják át amikor akarják 🤣🤣🤣"
    assert src.quote(by_raw[(2780, 2808)]) == "Nem tehetik kötelezővé! 😡😡"
    # Under plain code points the same selection would be cut wrongly.
    tm: TextMap = src.text_map
    a, b = tm.span_to_text(2560, 2616, CODEPOINTS)
    assert tm.text[a:b] != src.quote(sel)


def test_nvivo_mac_12_7(samples: Path, record_property) -> None:
    p = read_qdpx(samples / "nvivo-mac-12.7.qdpx")
    assert p.origin == "NVivo for Mac 12.7.0"
    assert len(p.all_codes()) == 152
    assert len(p.sources) == 2 and not p.other_sources  # the .docx twins are rich text, not sources
    assert p.selection_count() == 297
    assert p.coding_count() == 297
    coded = next(s for s in p.sources if s.selections)
    rep = next(r for r in p.report.sources if r.guid == coded.guid)
    assert rep.convention == UTF16 and rep.method == "boundaries"
    assert rep.boundary_rate >= 0.99  # 3 of 594 boundaries cut a word: the coder's own slips
    _report(p, "nvivo-mac", record_property)
    by_raw = {(s.raw_start, s.raw_end): s for s in coded.selections}
    assert coded.quote(by_raw[(2483, 2539)]) == "Mi az a fityesznek? Akkor írják át amikor akarják 🤣🤣🤣"


def test_nvivo_windows_and_mac_exports_agree(samples: Path) -> None:
    """The same comments coded in the same project, exported by NVivo for Windows (CRLF, BOM,
    UTF-16 counting) and for Mac (LF): converted quotes agree."""
    win = read_qdpx(samples / "nvivo-win-12.6.qdpx")
    mac = read_qdpx(samples / "nvivo-mac-12.7.qdpx")
    w = win.sources[0]
    m = next(s for s in mac.sources if s.selections)
    win_quotes = {w.quote(s) for s in w.selections}
    mac_quotes = {m.quote(s) for s in m.selections}
    exact = win_quotes & mac_quotes
    near = {q for q in win_quotes - exact if any(q.strip() in x or x.strip() in q for x in mac_quotes)}
    print(f"nvivo win/mac agreement: {len(exact)} exact + {len(near)} up to extent of {len(win_quotes)}")
    assert len(exact) >= 15
    assert len(exact) + len(near) == len(win_quotes) == 20
    # Wrong conventions would not agree.
    tm: TextMap = w.text_map
    cp_quotes = {tm.text[slice(*tm.span_to_text(s.raw_start, s.raw_end, CODEPOINTS))] for s in w.selections}
    assert len(cp_quotes & mac_quotes) < len(exact)


# -- ATLAS.ti ------------------------------------------------------------------------------

def test_atlasti_standard_project_without_sources(samples: Path, record_property) -> None:
    p = read_qde(samples / "atlasti-mac-8.4-standard-project.qde")
    assert p.origin.startswith("ATLAS.ti 8.4.0")
    assert len(p.all_codes()) == 14
    assert {c.name for c in p.all_codes()} >= {"Coke::diet Coke", '"rushed"', "cornflakes"}
    assert next(c for c in p.all_codes() if c.name == "cornflakes").colour == "#DC0000"
    assert len(p.users) == 3
    # 12 sources of every kind: 6 text (files not included), 6 others skipped.
    assert len(p.sources) + len(p.other_sources) == 12
    assert len(p.sources) == 6
    assert sorted(o.kind for o in p.other_sources) == [
        "AudioSource", "PDFSource", "PDFSource", "PictureSource", "VideoSource", "VideoSource",
    ]
    assert len(p.report.missing_sources) == 6
    assert len(p.report.skipped_sources) == 6
    assert all(s.text is None and not s.positions_converted for s in p.sources)
    assert p.selection_count() == 6 and p.coding_count() == 7
    # ATLAS.ti: several codings on one selection, or none (a comment only).
    counts = sorted(len(sel.codings) for s in p.sources for sel in s.selections)
    assert counts == [0, 1, 1, 1, 1, 3]
    mabel2 = next(s for s in p.sources if s.name == "Mabêl 2ième.txt")
    assert mabel2.selections[0].description == "Mabel is not the only person I know who has Coke for breakfast!"
    assert mabel2.selections[0].name.startswith("For some reason babies")
    assert sum(1 for s in p.sources for sel in s.selections if sel.name) == 6  # quotes, but no text
    # Positions stay as found (cannot be converted without the text).
    simon = next(s for s in p.sources if s.name == "Simon.docx")
    assert (simon.selections[0].start, simon.selections[0].end) == (688, 907)
    # Cases: the file defines none.
    assert p.cases == [] and p.variables == []
    assert len(p.sets) == 16
    assert next(s for s in p.sets if s.name == "Feelings").member_codes[0] == "3dd1a2a6-3aef-4a4c-9138-718e9ce2386d"
    assert next(s for s in p.sets if s.name == "Text files").member_sources
    assert next(s for s in p.sets if s.name == "<3").member_codes == []
    assert len(p.notes) == 2
    coke = next(n for n in p.notes if n.name == "My favorite Coke ad")
    assert coke.text.startswith("This version is much better")
    assert coke.refs == ["238965cb-e557-405d-b4f0-6f824b2f4570"]  # via ATLAS.ti's memo Link
    plan = next(n for n in p.notes if n.name == "Research Plan")
    assert plan.description == "day to day log about this amazing project"
    assert any("graph" in u for u in p.report.unsupported)
    print("atlasti standard project:", p.report.summary())


def test_atlasti_standard_project_via_read_refi(samples: Path) -> None:
    p = read_refi(samples / "atlasti-mac-8.4-standard-project.qde")
    assert len(p.all_codes()) == 14


def test_atlasti_standard_project_inside_an_archive_named_after_the_project(samples: Path, tmp_path: Path) -> None:
    """ATLAS.ti names the .qde after the project; and here the sources are absent too."""
    qdpx = tmp_path / "Breakfast.qdpx"
    with zipfile.ZipFile(qdpx, "w") as zf:
        zf.write(samples / "atlasti-mac-8.4-standard-project.qde", "Breakfast study.qde")
    p = read_qdpx(qdpx)
    assert len(p.all_codes()) == 14
    assert len(p.report.missing_sources) == 6
    assert "not found in the archive" in p.report.missing_sources[0].message


def test_atlasti_windows_codebook(samples: Path) -> None:
    p = read_qdc(samples / "atlasti-win-23.4-codebook.qdc")
    assert p.origin == "ATLAS.ti Win 23.4.0"
    assert len(p.codes) == 1
    code = p.codes[0]
    assert (code.name, code.colour, code.description, code.is_codable) == ("code1", "#46AA00", "description", True)
    assert len(p.sets) == 1
    assert p.sets[0].name == "code group 1" and p.sets[0].description == "kategorie 1"
    assert p.sets[0].member_codes == [code.guid]


def test_taguette_codebook(samples: Path) -> None:
    p = read_qdc(samples / "taguette-codebook.qdc")
    assert [c.name for c in p.codes] == ["interesting", "people", "interesting\\places"]
    assert all(not c.children and c.is_codable for c in p.codes)
    assert p.sets == []  # the empty <Sets/> is accepted
    assert p.report.warnings == []


@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4", "urn:QDA-XML:codebook:1.0", None])
def test_codebook_namespaces(tmp_path: Path, ns: str | None) -> None:
    xmlns = f' xmlns="{ns}"' if ns else ""
    (tmp_path / "c.qdc").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><CodeBook{xmlns} origin="x"><Codes>'
        '<Code guid="{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}" name="parent" isCodable="true" color="#abc">'
        '<Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="child" isCodable="true"/></Code>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    p = read_qdc(tmp_path / "c.qdc")
    assert p.codes[0].guid == "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
    assert p.codes[0].colour == "#AABBCC"
    # MAXQDA style: a codable code with children is a code with sub-codes.
    assert p.codes[0].is_codable and [c.name for c in p.codes[0].children] == ["child"]


# -- name match rate on real texts, in other producers' styles --------------------------------

def _restyle(src_qdpx: Path, out: Path, *, origin: str, convention: str, crlf: bool, bom: bool,
             truncate: int | None) -> list[str]:
    """A file in another producer's style, from a real NVivo text and its real selections:
    positions counted in ``convention`` over the text as written, the quote in ``name``."""
    p = read_qdpx(src_qdpx)
    src = next(s for s in p.sources if s.selections)
    raw = src.text.replace("\n", "\r\n") if crlf else src.text
    tm = TextMap(raw)
    quotes = []
    sels = []
    for i, sel in enumerate(src.selections):
        q = src.quote(sel)
        quotes.append(q)
        name = q if truncate is None or len(q) <= truncate else q[:truncate] + "…"
        start = tm.from_text(sel.start, convention)
        end = tm.from_text(sel.end, convention, "end")
        name_attr = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace("\n", "&#10;")
        sels.append(
            f'<PlainTextSelection guid="00000000-0000-4000-8000-{i:012d}" name="{name_attr}" '
            f'startPosition="{start}" endPosition="{end}"><Coding guid="10000000-0000-4000-8000-{i:012d}">'
            f'<CodeRef targetGUID="{sel.codings[0].code_guid}"/></Coding></PlainTextSelection>'
        )
    codes = "".join(
        f'<Code guid="{c.guid}" name="c" isCodable="true"/>' for c in p.all_codes()
    )
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="{origin}">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>"
        f'<TextSource guid="{src.guid}" name="{src.name}" plainTextPath="internal://{src.guid}.txt">'
        + "".join(sels)
        + "</TextSource></Sources></Project>"
    )
    data = raw.encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("t.qde", qde)
        zf.writestr(f"sources/{src.guid}.txt", (b"\xef\xbb\xbf" if bom else b"") + data)
    return quotes


@pytest.mark.parametrize(
    "style",
    [
        dict(origin="ATLAS.ti Windows 23.4.0", convention=CODEPOINTS_CRLF_AS_ONE, crlf=True, bom=True, truncate=100),
        dict(origin="QualCoder 3.5", convention=CODEPOINTS, crlf=False, bom=False, truncate=None),
        # A misleading origin: the names still decide.
        dict(origin="NVivo for Windows 12.6", convention=CODEPOINTS_CRLF_AS_ONE, crlf=True, bom=False, truncate=100),
    ],
    ids=["atlasti-win-style", "qualcoder-style", "misleading-origin"],
)
@pytest.mark.parametrize("sample", ["nvivo-win-12.6.qdpx", "nvivo-mac-12.7.qdpx"])
def test_quote_names_decide_the_convention(samples: Path, tmp_path: Path, style: dict, sample: str,
                                           record_property) -> None:
    out = tmp_path / "styled.qdpx"
    quotes = _restyle(samples / sample, out, **style)
    p = read_qdpx(out)
    src = p.sources[0]
    rep = p.report.sources[0]
    _report(p, f"{sample}/{style['origin']}", record_property)
    assert rep.method == "names"
    assert rep.convention == style["convention"]
    assert rep.match_rate == 1.0
    assert [src.quote(s) for s in src.selections] == quotes
    assert all(quote_matches(src.quote(s), s.name) for s in src.selections)


def test_nvivo_repeated_selections_group_into_coded_spans(samples: Path) -> None:
    src = read_qdpx(samples / "nvivo-win-12.6.qdpx").sources[0]
    spans = src.coded_spans()
    assert len(spans) == 20  # 97 selections, one per code, over 20 distinct passages
    assert sum(len(c) for _, _, c in spans) == 97
    assert all(src.text[a:b] for a, b, _ in spans)
