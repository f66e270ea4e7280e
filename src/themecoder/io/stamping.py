"""Stamping an export with the identifier guard's result, in each format's own metadata."""
from __future__ import annotations

import html
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from themecoder.io.tabular import atomic_write

QDE_NS = "urn:QDA-XML:project:1.0"


def stamp_file(path: Path, meta: dict[str, Any], fmt: str | None = None) -> None:
    """docx core properties (comments, keywords), an HTML <meta>, a comment line at the top of
    markdown, the Description of a qdpx project; a CSV gets a first line only when unreviewed
    findings were allowed (a comment line would otherwise confuse spreadsheet programs)."""
    from themecoder.core.anonymise import metadata_line

    line = "themecoder " + metadata_line(meta)
    suffix = "." + fmt if fmt else path.suffix.lower()
    if suffix == ".docx":
        _docx(path, line, meta)
    elif suffix in (".md", ".markdown"):
        text = path.read_text(encoding="utf-8")
        atomic_write(path, lambda fh: fh.write(f"<!-- {line} -->\n\n{text}".encode("utf-8")))
    elif suffix in (".html", ".htm"):
        _html(path, line)
    elif suffix == ".csv" and meta.get("unresolved"):
        raw = path.read_bytes()
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        atomic_write(path, lambda fh: fh.write(bom + f"# {line}\r\n".encode("utf-8") + raw[len(bom):]))
    elif suffix == ".qdpx":
        _qdpx(path, line)


def _docx(path: Path, line: str, meta: dict[str, Any]) -> None:
    import docx

    doc = docx.Document(str(path))
    props = doc.core_properties
    props.comments = (props.comments + "\n" if props.comments else "") + line
    props.keywords = ", ".join(x for x in (props.keywords, f"anonymisation: {meta.get('label')}") if x)
    atomic_write(path, doc.save)


def _html(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    tag = f'<meta name="themecoder-anonymisation" content="{html.escape(line, quote=True)}">'
    i = text.find("<head>")
    text = text[:i + 6] + "\n" + tag + text[i + 6:] if i >= 0 else f"<!-- {line} -->\n{text}"
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def _qdpx(path: Path, line: str) -> None:
    with zipfile.ZipFile(path) as zf:
        entries = [(info, zf.read(info.filename)) for info in zf.infolist()]
    ET.register_namespace("", QDE_NS)
    out = []
    for info, data in entries:
        if info.filename == "project.qde":
            root = ET.fromstring(data)
            desc = root.find(f"{{{QDE_NS}}}Description")
            if desc is None:
                desc = ET.Element(f"{{{QDE_NS}}}Description")
                refs = [i for i, el in enumerate(root) if el.tag == f"{{{QDE_NS}}}NoteRef"]
                root.insert(refs[0] if refs else len(root), desc)
            desc.text = (desc.text + "\n" if desc.text else "") + line
            ET.indent(root, space="  ")
            data = ('<?xml version="1.0" encoding="utf-8"?>\n'
                    + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
        out.append((info.filename, data))

    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, data in out:
                zf.writestr(name, data)

    atomic_write(path, write)
