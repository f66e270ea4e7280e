"""Hostile and careless input at the import doors (issue 18, points 3, 4, 6 and 14; issue 14.3):
duplicate GUIDs, small archives that unpack to huge texts, bad bytes, nested archives,
re-imported memos, impossible subtitle times, and interview header lines taken for speakers."""
from __future__ import annotations

import dataclasses
import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from export_fixtures import build_project
from themecoder import store
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io import readers
from themecoder.io.batch import import_files
from themecoder.io.readers import read_transcript
from themecoder.io.refi import DEFAULT_LIMITS, read_qdpx
from themecoder.io.refi_project import export_qdpx, import_refi, import_refi_file

CODE_A = "11111111-1111-4111-8111-111111111111"
CODE_B = "11111111-1111-4111-8111-222222222222"
SRC_A = "22222222-2222-4222-8222-111111111111"
SRC_B = "22222222-2222-4222-8222-222222222222"


def _state(p: Project) -> tuple:
    db = p.db
    return (len(store.documents.documents(db)), len(store.codes.codes(db)),
            len(store.codings.all_codings(db)), len(store.memos.memos(db)))


def _selection(n: int, code: str, start: int, end: int) -> str:
    return (f'<PlainTextSelection guid="33333333-3333-4333-8333-{n:012d}" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="44444444-4444-4444-8444-{n:012d}"><CodeRef targetGUID="{code}"/>'
            "</Coding></PlainTextSelection>")


def _qdpx(path: Path, codes: list[tuple[str, str]], sources: list[tuple[str, str, str]],
          files: dict[str, bytes], selections: dict[str, str] | None = None) -> Path:
    code_xml = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in codes)
    src_xml = "".join(f'<TextSource guid="{g}" name="{n}" plainTextPath="internal://{f}">'
                      f'{(selections or {}).get(n, "")}</TextSource>' for g, n, f in sources)
    qde = (f'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test"><CodeBook><Codes>{code_xml}'
           f"</Codes></CodeBook><Sources>{src_xml}</Sources></Project>")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", qde)
        for name, data in files.items():
            zf.writestr(f"sources/{name}", data)
    return path


# -- 18.3 duplicate GUIDs: refuse, never guess -------------------------------------------------
def test_a_duplicate_code_guid_is_refused_and_nothing_changes(project, tmp_path):
    text = "Vi venter lenge. Det er lang kø."
    path = _qdpx(tmp_path / "dup.qdpx", [(CODE_A, "ventetid"), (CODE_A, "kø")], [(SRC_A, "a", "a.txt")],
                 {"a.txt": text.encode()}, {"a": _selection(1, CODE_A, 0, 16) + _selection(2, CODE_A, 17, 31)})
    before = _state(project)
    with pytest.raises(UserError, match=f"two codes have the same GUID {CODE_A}") as info:
        import_refi(project, path)
    assert "\n" not in str(info.value) and "'ventetid' and 'kø'" in str(info.value)
    assert _state(project) == before


def test_a_duplicate_source_guid_is_refused_and_nothing_changes(project, tmp_path):
    path = _qdpx(tmp_path / "dup.qdpx", [(CODE_A, "ventetid")], [(SRC_A, "a", "a.txt"), (SRC_A, "b", "b.txt")],
                 {"a.txt": "Vi venter lenge.".encode(), "b.txt": "Noe helt annet her, og mer.".encode()},
                 {"b": _selection(1, CODE_A, 0, 14)})
    before = _state(project)
    with pytest.raises(UserError, match="two sources have the same GUID"):
        import_refi(project, path)
    assert _state(project) == before


# -- 18.4 extracted text is limited while it is read ------------------------------------------
def _words(n_bytes: int) -> bytes:
    """Text that deflates about 3:1 (below any zip-bomb ratio limit), like real transcripts."""
    import random

    rnd = random.Random(7)
    vocab = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyzæøå") for _ in range(rnd.randint(2, 9)))
             for _ in range(4000)]
    out, size = [], 0
    while size < n_bytes:
        w = rnd.choice(vocab)
        out.append(w)
        size += len(w.encode()) + 1
    return " ".join(out).encode()


def test_a_small_archive_holding_a_huge_source_is_refused_in_bounded_memory(tmp_path):
    limits = dataclasses.replace(DEFAULT_LIMITS, max_text_bytes=1024 * 1024, ratio_grace_bytes=64 * 1024)
    big = _words(8 * 1024 * 1024)
    path = _qdpx(tmp_path / "big.qdpx", [(CODE_A, "c")], [(SRC_A, "a", "a.txt")], {"a.txt": big})
    assert path.stat().st_size < len(big) / 2          # small on disk, inside the ratio limit
    del big
    tracemalloc.start()
    try:
        with pytest.raises(UserError, match="more than 1 MB") as info:
            read_qdpx(path, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "limit for text" in str(info.value)
    assert peak < 6 * 1024 * 1024, peak                # stopped at the limit, not after 8 MB


def test_the_text_limit_is_a_running_total_over_all_sources(tmp_path):
    limits = dataclasses.replace(DEFAULT_LIMITS, max_text_bytes=1024 * 1024,
                                 max_total_text_bytes=1536 * 1024)
    part = _words(900 * 1024)
    path = _qdpx(tmp_path / "two.qdpx", [(CODE_A, "c")], [(SRC_A, "a", "a.txt"), (SRC_B, "b", "b.txt")],
                 {"a.txt": part, "b.txt": part[::-1]})
    with pytest.raises(UserError, match="limit for text"):
        read_qdpx(path, limits)


def _docx_with_body(path: Path, body_xml: bytes) -> Path:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = body_xml if info.filename == "word/document.xml" else src.read(info.filename)
            dst.writestr(info.filename, data)
    return path


def test_a_docx_whose_text_is_huge_is_refused_while_streaming(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_TEXT_BYTES", 1024 * 1024)
    words = _words(6 * 1024 * 1024).decode()
    paras = "".join(f"<w:p><w:r><w:t>{words[i:i + 4000]}</w:t></w:r></w:p>" for i in range(0, len(words), 4000))
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paras}</w:body></w:document>").encode()
    path = _docx_with_body(tmp_path / "stor.docx", body)
    del words, paras, body
    tracemalloc.start()
    try:
        with pytest.raises(UserError, match="more than 1 MB of text") as info:
            read_transcript(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(info.value)
    assert peak < 16 * 1024 * 1024, peak   # the file is read (bytes), the body never held whole


def test_a_normal_docx_still_reads(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("I: Hei.")
    doc.add_paragraph("Anna: Hei på deg.")
    doc.save(tmp_path / "ok.docx")
    assert "Anna: Hei på deg." in read_transcript(tmp_path / "ok.docx").text


# -- 18.6 bad bytes are not text -------------------------------------------------------------
TEXT = "I: Hvordan var det å være ny?\n\nAnna: Det var skummelt, ærlig talt. Men kollegaene hjalp.\n"


def test_utf8_with_a_few_bad_bytes_is_refused_saying_where(tmp_path):
    data = (TEXT * 40).encode()
    cut = data.index(b"kollegaene", 2000)
    bad = data[:cut] + b"\xe6\xf8\xe5" + data[cut:]        # three Windows-1252 bytes in UTF-8 text
    path = tmp_path / "blandet.txt"
    path.write_bytes(bad)
    with pytest.raises(UserError) as info:
        read_transcript(path)
    msg = str(info.value)
    line = bad[:cut].count(b"\n") + 1
    assert "blandet.txt" in msg and "not UTF-8" in msg and f"line {line}" in msg and "3 byte" in msg
    assert "Ã" not in msg


def test_text_followed_by_random_bytes_is_refused(tmp_path):
    data = (TEXT * 200).encode("utf-8") + os.urandom(200 * 1024)
    assert len(data) - 200 * 1024 > 8192                   # the good part is longer than 8 KB
    path = tmp_path / "hale.txt"
    path.write_bytes(data)
    with pytest.raises(UserError, match="binary|neither UTF-8") as info:
        read_transcript(path)
    assert "line" in str(info.value)


def test_text_followed_by_control_characters_only_is_refused(tmp_path):
    """No NUL and no undecodable byte: the control characters themselves give it away."""
    tail = bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 2000
    path = tmp_path / "kontroll.txt"
    path.write_bytes((TEXT * 300).encode() + tail)
    with pytest.raises(UserError, match="binary data, not text, from line"):
        read_transcript(path)


def test_windows_1252_is_still_read(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes((TEXT * 40).replace("\n", "\r\n").encode("cp1252"))
    parsed = read_transcript(path)
    assert parsed.encoding == "cp1252" and "ærlig" in parsed.text


def test_windows_1252_with_an_accidental_utf8_pair_is_still_read(tmp_path):
    """"PÅ»" is C5 BB in Windows-1252, which is also a valid UTF-8 pair: a rare accident among
    many bytes that are not UTF-8, so the file is still certainly Windows-1252."""
    path = tmp_path / "win.txt"
    path.write_bytes(((TEXT * 20) + "Han sa «HEI PÅ».\n").encode("cp1252"))
    parsed = read_transcript(path)
    assert parsed.encoding == "cp1252" and "«HEI PÅ»" in parsed.text


def test_a_zip_nested_in_a_qdpx_does_not_become_document_text(project, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.txt", "hei " * 100)
    path = _qdpx(tmp_path / "nested.qdpx", [(CODE_A, "c")], [(SRC_A, "a", "a.txt")],
                 {"a.txt": inner.getvalue()})
    before = _state(project)
    with pytest.raises(UserError, match="is a zip archive, not text"):
        import_refi(project, path)
    assert _state(project) == before


def test_a_qdpx_source_in_broken_utf8_is_refused_not_mojibake(project, tmp_path):
    text = ("Blåbær og tyttebær. " * 50).encode() + b"\xf8" + "Slutt på teksten.".encode()
    path = _qdpx(tmp_path / "bad.qdpx", [(CODE_A, "c")], [(SRC_A, "a", "a.txt")], {"a.txt": text})
    with pytest.raises(UserError, match="not UTF-8"):
        import_refi(project, path)
    assert _state(project)[0] == 0


# -- 18.14 re-importing a .qdpx does not duplicate its memos ----------------------------------
def test_reimporting_a_qdpx_does_not_duplicate_its_memos(tmp_path):
    source = build_project(tmp_path / "studie")
    out = tmp_path / "p.qdpx"
    export_qdpx(source, out)
    n_memos = len(store.memos.memos(source.db))
    source.close()
    p = Project.create(tmp_path / "mottaker", coder="mottaker")
    import_refi_file(p, out, index=False)
    first = sorted((m.target_type, m.title, m.text) for m in store.memos.memos(p.db))
    assert len(first) == n_memos
    summary, stats = import_refi_file(p, out, index=False)
    again = sorted((m.target_type, m.title, m.text) for m in store.memos.memos(p.db))
    assert again == first, summary
    assert stats.memos == 0 and stats.reused_memos == n_memos
    assert f"+{n_memos} already in the project" in summary
    p.close()


# -- 18.14 impossible subtitle times ---------------------------------------------------------
@pytest.mark.parametrize("bad", ["99:99:99.000", "00:61:00.000", "00:00:75.000", "12:60.000"])
def test_vtt_with_an_impossible_time_is_refused(tmp_path, bad):
    path = tmp_path / "x.vtt"
    path.write_text(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hei\n\n{bad} --> 99:99:99.999\n"
                    "<v Ola>Hallo\n", encoding="utf-8")
    with pytest.raises(UserError, match="is not a time") as info:
        read_transcript(path)
    assert "line 6" in str(info.value)


def test_vtt_with_hours_over_99_is_fine(tmp_path):
    path = tmp_path / "lang.vtt"
    path.write_text("WEBVTT\n\n100:00:01.000 --> 100:00:02.000\n<v Anna>Hei\n", encoding="utf-8")
    assert read_transcript(path).turns[0].timestamp == 360001.0


# -- issue 14.3 header lines are metadata, not speakers ---------------------------------------
HEADED = ("Dato: [fjernet].\nTid: 10.00–11.15\nSted: Kontoret\n\nIntervju 4: Anna\n\n"
          "I: Hvordan var det å begynne?\n\nAnna: Det var skummelt.\n\nI: Og nå?\n\nAnna: Nå går det bra.\n")


def _check_headed(project: Project, results) -> None:
    assert results[0].ok, results[0].message
    doc = store.documents.document(project.db, results[0].document_id)
    assert doc.participant_id is not None
    assert store.participants.participant(project.db, doc.participant_id).pseudonym == "Anna"
    assert [t.speaker for t in store.documents.turns(project.db, doc.id)] == ["I", "Anna", "I", "Anna"]
    assert "4 turns, 2 speakers" in results[0].message


def test_header_lines_of_a_txt_are_not_speakers(project, tmp_path):
    path = tmp_path / "anna.txt"
    path.write_text(HEADED, encoding="utf-8")
    _check_headed(project, import_files(project, [path]))


def test_header_lines_of_a_docx_are_not_speakers(project, tmp_path):
    from docx import Document

    doc = Document()
    for para in HEADED.strip().split("\n\n"):
        for line in para.split("\n"):
            doc.add_paragraph(line)
    doc.save(tmp_path / "anna.docx")
    _check_headed(project, import_files(project, [tmp_path / "anna.docx"]))


def test_a_header_word_later_in_the_text_is_left_alone():
    from themecoder.core.turns import parse_turns

    text = "I: Når var det?\n\nAnna: Tid: det husker jeg ikke.\n\nI: Ok.\n\nAnna: Ja."
    assert [t.speaker for t in parse_turns(text)] == ["I", "Anna", "I", "Anna"]
