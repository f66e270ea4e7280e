"""Read transcript files into normalised text plus speaker turns.

Supported: .txt/.md (UTF-8, UTF-8/UTF-16 with BOM, Windows-1252 detected and reported), .docx
(paragraphs in order), .vtt/.srt (cues become speaker turns with timestamps).
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from themecoder.core.text import normalise
from themecoder.core.turns import ParsedTranscript, TurnSpan, format_timestamp, parse_timestamp, parse_turns
from themecoder.errors import UserError

MAX_BYTES = 50 * 1024 * 1024
#: The most text one document may hold, however small its file (a .docx is a zip archive):
#: counted while the document is read, so a small file that unpacks to a huge text is refused
#: early and in bounded memory.
MAX_TEXT_BYTES = 50 * 1024 * 1024
#: The most a Word document's word/document.xml may unpack to (markup included).
MAX_DOCUMENT_XML_BYTES = 100 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUBTITLE_SUFFIXES = {".vtt", ".srt"}
SUPPORTED = TEXT_SUFFIXES | SUBTITLE_SUFFIXES | {".docx"}

__all__ = ["ImportError_", "ParsedTranscript", "decode", "read_transcript"]


class ImportError_(UserError):
    pass


def read_transcript(path: str | Path) -> ParsedTranscript:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportError_(f"{path.name}: no such file")
    if path.is_dir():
        raise ImportError_(f"{path.name}: is a folder, not a file")
    if suffix in {".qdpx", ".qdc", ".qde"}:
        raise ImportError_(f"{path.name}: REFI-QDA files are imported as projects, not transcripts")
    if suffix not in SUPPORTED:
        raise ImportError_(
            f"{path.name}: unsupported file type {suffix or '(none)'}; use .txt, .md, .docx, .vtt or .srt"
        )
    size = path.stat().st_size
    if size == 0:
        raise ImportError_(f"{path.name}: the file is empty")
    if size > MAX_BYTES:
        raise ImportError_(f"{path.name}: the file is {size / 1e6:.0f} MB; the limit is 50 MB")
    data = path.read_bytes()
    warnings: list[str] = []
    if suffix == ".docx":
        text, encoding = _docx_text(path, data), "docx"
        turns = parse_turns(text)
    else:
        raw, encoding = decode(data, path.name)
        if encoding == "cp1252":
            warnings.append("read as Windows-1252 (not UTF-8); check æ, ø and å")
        if suffix in SUBTITLE_SUFFIXES:
            text, turns = _subtitles(_clean_controls(normalise(raw)), path.name, vtt=suffix == ".vtt")
        else:
            text = _clean_controls(normalise(raw))
            turns = parse_turns(text)
    if not text.strip():
        raise ImportError_(f"{path.name}: no text in the file")
    return ParsedTranscript(
        source_name=path.name,
        title=path.stem,
        text=text,
        turns=turns,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,
        warnings=warnings,
    )


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file only where the encoding is certain (see io.refi.safety.decode_text:
    UTF-8, UTF-16/32 with BOM, Windows-1252 when nothing in the file is UTF-8); refuse UTF-8
    with invalid bytes, binary data anywhere in the file, archives, in one line saying where."""
    from themecoder.io.refi.safety import decode_text

    try:
        return decode_text(data, name)
    except UserError as exc:
        raise ImportError_(str(exc)) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def _docx_text(path: Path, data: bytes) -> str:
    """Check the archive first (real unpacked sizes, compression ratio, entry names, no DTDs
    in any XML part), then hand the bytes to python-docx."""
    import dataclasses
    import io

    from themecoder.io.refi.safety import DEFAULT_LIMITS, SafeZip

    if not zipfile.is_zipfile(path):
        raise ImportError_(f"{path.name}: not a Word .docx file (not a zip archive)")
    limits = dataclasses.replace(DEFAULT_LIMITS, max_total_bytes=4 * MAX_BYTES,
                                 max_entry_bytes=4 * MAX_BYTES, max_entries=5000)
    try:
        with SafeZip(path, limits) as archive:
            body_name = archive.find("word/document.xml")
            if body_name is None:
                raise ImportError_(f"{path.name}: not a Word .docx file (no word/document.xml)")
            _check_document_text(path.name, archive.chunks(body_name, limit=MAX_DOCUMENT_XML_BYTES,
                                                           what="document body (word/document.xml)"))
            for name in archive.names:
                if name == body_name:
                    continue
                part = archive.read(name)  # bounded: stops at the limits, whatever the headers say
                if name.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in part or b"<!ENTITY" in part):
                    raise ImportError_(f"{path.name}: the document contains a DTD, which is not allowed")
    except ImportError_:
        raise
    except UserError as exc:  # the archive checks speak for themselves
        raise ImportError_(str(exc)) from None
    import docx  # python-docx, only when a .docx is read

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds
        raise ImportError_(f"{path.name}: cannot read the Word file ({type(exc).__name__})") from None
    paragraphs = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(docx.text.paragraph.Paragraph(block, document).text)
        elif tag == "tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                cells = [c.text.strip() for c in row.cells]
                paragraphs.append(": ".join(c for c in cells if c) if len(cells) == 2 else "\t".join(cells))
    text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    return _clean_controls(normalise(text))


def _check_document_text(name: str, chunks) -> None:
    """Stream word/document.xml through expat, counting the text of its w:t runs, and refuse
    it as soon as that passes MAX_TEXT_BYTES (or it declares a DTD); nothing is kept."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    state = {"depth": 0, "text": 0}

    def start(tag, attrs):
        if tag.rsplit(":", 1)[-1] == "t":
            state["depth"] += 1

    def end(tag):
        if tag.rsplit(":", 1)[-1] == "t" and state["depth"]:
            state["depth"] -= 1

    def data(chars):
        if state["depth"]:
            state["text"] += len(chars.encode("utf-8"))
            if state["text"] > MAX_TEXT_BYTES:
                raise ImportError_(f"{name}: refused: the document holds more than "
                                   f"{MAX_TEXT_BYTES // (1024 * 1024)} MB of text (limit for one document)")

    def doctype(*_args):
        raise ImportError_(f"{name}: the document contains a DTD, which is not allowed")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = data, doctype
    parser.EntityDeclHandler = doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ImportError_(f"{name}: cannot read the Word file (word/document.xml: {expat.errors.messages.get(exc.code, exc)})") from None


_CUE_TIME = re.compile(
    r"^(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
_VOICE = re.compile(r"<v(?:\.[^ >]*)?\s+([^>]+)>")
_TAGS = re.compile(r"</?[^>]+>")
_INLINE_SPEAKER = re.compile(r"^(?P<name>[A-ZÆØÅ][\wÆØÅæøå.'’-]{0,24}(?: [A-ZÆØÅ0-9][\wÆØÅæøå.'’-]{0,24}){0,2})\s*:\s+")


def _valid_cue_time(value: str) -> bool:
    """hh:mm:ss.ttt or mm:ss.ttt with minutes and seconds below 60."""
    *head, last = value.replace(",", ".").split(":")
    minutes_seconds = [*head[-1:], last.split(".")[0]]
    return all(int(part) < 60 for part in minutes_seconds)


def _subtitles(raw: str, name: str, *, vtt: bool) -> tuple[str, list[TurnSpan]]:
    """Cues become turns; consecutive cues of one speaker merge into one turn."""
    lines = raw.split("\n")
    if vtt and not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise ImportError_(f"{name}: not a WebVTT file (no WEBVTT header)")
    cues: list[tuple[float, str, str]] = []
    i = 0
    while i < len(lines):
        m = _CUE_TIME.match(lines[i].strip())
        if not m:
            i += 1
            continue
        for value in (m.group("start"), m.group("end")):
            if not _valid_cue_time(value):
                raise ImportError_(f"{name}: line {i + 1}: {value} is not a time (minutes and seconds "
                                   "go up to 59); nothing imported")
        start = parse_timestamp(m.group("start"))
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        text = " ".join(body)
        voice = _VOICE.search(text)
        speaker = voice.group(1).strip() if voice else ""
        text = _TAGS.sub("", text).strip()
        if not speaker:
            sm = _INLINE_SPEAKER.match(text)
            if sm:
                speaker, text = sm.group("name"), text[sm.end():]
        if text:
            cues.append((start or 0.0, speaker or "Ukjent", text))
    if not cues:
        raise ImportError_(f"{name}: no subtitle cues found")
    merged: list[list] = []
    for start, speaker, text in cues:
        if merged and merged[-1][1] == speaker:
            merged[-1][2] += " " + text
        else:
            merged.append([start, speaker, text])
    parts: list[str] = []
    turns: list[TurnSpan] = []
    pos = 0
    for start, speaker, text in merged:
        label = f"[{format_timestamp(start)}] {speaker}: "
        para = label + text
        turns.append(TurnSpan(speaker, pos, pos + len(label), pos + len(para), start))
        parts.append(para)
        pos += len(para) + 2
    return "\n\n".join(parts), turns
