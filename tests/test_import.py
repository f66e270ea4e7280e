"""Transcript import: encodings, speaker turns, formats, and bad input that changes nothing."""
import zipfile

import pytest

from themecoder import store
from themecoder.core.turns import parse_turns
from themecoder.errors import UserError
from themecoder.io import readers
from themecoder.io.batch import import_files
from themecoder.io.readers import read_transcript

TEXT = "I: Hvordan var det å være ny?\n\nAnna: Det var skummelt, ærlig talt. Men kollegaene hjalp.\n"


@pytest.mark.parametrize("encoding,bom,reported", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16"),
    ("utf-16-be", b"\xfe\xff", "utf-16"),
    ("cp1252", b"", "cp1252"),
])
def test_encodings_are_detected_and_text_is_identical(tmp_path, encoding, bom, reported):
    path = tmp_path / "anna.txt"
    path.write_bytes(bom + TEXT.replace("\n", "\r\n").encode(encoding))
    parsed = read_transcript(path)
    assert parsed.text == TEXT.rstrip("\n") + "\n" or parsed.text == TEXT
    assert "\r" not in parsed.text and "\ufeff" not in parsed.text
    assert parsed.encoding == reported
    assert bool(parsed.warnings) == (reported == "cp1252")


def test_nfc_normalisation(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text("Anna: Bla\u030a og o\u0308\n\nI: ja\n\nAnna: mm\n", encoding="utf-8")  # decomposed
    text = read_transcript(path).text
    assert "Anna: Blå og ö" in text and "\u030a" not in text
    import unicodedata

    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n  \n", "no text"),
    ("binary.txt", b"\x00\x01\x02PNG\x00" * 50, "binary"),
    ("photo.jpg", b"\xff\xd8\xff\xe0", "unsupported file type"),
    ("bad16.txt", b"\xff\xfe\x00\xd8", "not valid UTF-16"),
    ("fake.docx", b"this is not a zip", "not a Word .docx"),
    ("novtt.vtt", b"00:00:01.000 --> 00:00:02.000\nhei\n", "WEBVTT"),
])
def test_bad_files_get_one_line_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as info:
        read_transcript(path)
    assert "\n" not in str(info.value)


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("Anna: " + "ord " * 100, encoding="utf-8")
    with pytest.raises(UserError, match="limit is 50 MB"):
        read_transcript(path)


def test_docx_bomb_and_dtd_are_refused(tmp_path):
    path = tmp_path / "evil.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(UserError, match="DTD"):
        read_transcript(path)


def test_docx_zip_bomb_is_refused_by_its_real_size(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * 12_000_000 + "</w:document>")
    assert path.stat().st_size < 100_000
    with pytest.raises(UserError, match="compression ratio|unpacks to more"):
        read_transcript(path)


def test_docx_with_unsafe_entry_name_is_refused(tmp_path):
    path = tmp_path / "slip.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("../../evil.txt", "x")
    with pytest.raises(UserError, match="unsafe entry name"):
        read_transcript(path)


def test_batch_continues_after_bad_files_and_leaves_no_trace(project, tmp_path, interview_file):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 100)
    before = store.project.counts(project.db)
    results = import_files(project, [tmp_path / "empty.txt", interview_file, tmp_path / "bin.txt",
                                     tmp_path / "missing.txt", interview_file])
    assert [r.ok for r in results] == [False, True, False, False, False]
    assert "already imported" in results[4].message
    after = store.project.counts(project.db)
    assert after["documents"] == before["documents"] + 1
    assert len(project.history()) == 1  # only the good import is an action


def test_speaker_labels_and_participant(project, tmp_path):
    path = tmp_path / "britt.txt"
    path.write_text(
        "[00:00:05] I: Velkommen.\n\n[00:00:09] Britt: Takk.\nDet er fint å være her.\n\n"
        "[00:01:10] Intervjuer: Hva tenker du?\n\n[00:01:15] Britt: Men: det er vanskelig.\n",
        encoding="utf-8",
    )
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["I", "Britt", "Intervjuer", "Britt"]
    assert [t.timestamp for t in parsed.turns] == [5, 9, 70, 75]
    second = parsed.turns[1]
    assert parsed.text[second.start:second.end] == "Takk.\nDet er fint å være her."
    assert parsed.text[second.label_start:second.start] == "[00:00:09] Britt: "
    # "Men:" inside a turn is not taken for a speaker.
    assert parsed.text[parsed.turns[3].start:parsed.turns[3].end] == "Men: det er vanskelig."
    doc = import_files(project, [path])[0]
    assert doc.ok
    (p,) = store.participants.participants(project.db)
    assert p.pseudonym == "Britt"
    assert store.documents.document(project.db, doc.document_id).participant_id == p.id


def test_participant_option_overrides_label(project, interview_file):
    r = import_files(project, [interview_file], participant="P07")[0]
    assert [p.pseudonym for p in store.participants.participants(project.db)] == ["P07"]
    assert r.ok


def test_turns_not_found_in_prose():
    assert parse_turns("Dette er et notat: ingen talere her.\nOg en linje til.") == []


def test_docx_paragraphs_in_order(project, tmp_path):
    import docx

    d = docx.Document()
    for line in ["I: Hva betyr recovery?", "Carl: Det er jo en prosess.", "I: Og ellers?",
                 "Carl: Tja, det kommer an på. Ærlig talt."]:
        d.add_paragraph(line)
    path = tmp_path / "carl.docx"
    d.save(path)
    parsed = read_transcript(path)
    assert parsed.text.split("\n\n") == ["I: Hva betyr recovery?", "Carl: Det er jo en prosess.",
                                         "I: Og ellers?", "Carl: Tja, det kommer an på. Ærlig talt."]
    assert [t.speaker for t in parsed.turns] == ["I", "Carl", "I", "Carl"]
    assert import_files(project, [path])[0].ok


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Intervjuer>Hei, og velkommen.</v>

00:00:04.500 --> 00:00:07.000
<v Anna Hansen>Takk skal du ha.</v>

00:00:07.100 --> 00:00:09.000
<v Anna Hansen>Jeg gleder meg.</v>

00:01:02.000 --> 00:01:05.000
<v Intervjuer>Første spørsmål.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
I: Hei.

2
00:00:05,000 --> 00:00:08,000
Britt: Hei på deg.
"""


def test_vtt_cues_become_turns_with_timestamps(tmp_path):
    path = tmp_path / "teams.vtt"
    path.write_text(VTT, encoding="utf-8")
    parsed = read_transcript(path)
    assert [(t.speaker, t.timestamp) for t in parsed.turns] == [
        ("Intervjuer", 1.0), ("Anna Hansen", 4.5), ("Intervjuer", 62.0)]
    t = parsed.turns[1]
    assert parsed.text[t.start:t.end] == "Takk skal du ha. Jeg gleder meg."
    assert parsed.text[t.label_start:t.start] == "[00:00:04] Anna Hansen: "


def test_srt_with_inline_speakers(tmp_path):
    path = tmp_path / "zoom.srt"
    path.write_text(SRT, encoding="utf-8")
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["I", "Britt"]
    assert parsed.text.endswith("Britt: Hei på deg.")
