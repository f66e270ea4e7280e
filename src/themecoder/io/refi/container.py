"""Where a project's files come from besides a zip: the folder of an unzipped ``.qdpx``, the
running total of text read from one project, and themecoder's own extension part."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from themecoder.io.refi.model import EXTENSION_NS, RefiExtension
from themecoder.io.refi.safety import Limits, RefiError, parse_xml

#: Loads the bytes behind a source reference (``internal://x.txt``); None when absent.
SourceLoader = Callable[[str], "bytes | None"]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class TextBudget:
    """The running total of text read from one project's files: each file and all of them
    together are limited while they are read, not after."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.total = 0

    def allowance(self) -> int:
        return max(0, min(self.limits.max_text_bytes, self.limits.max_total_text_bytes - self.total))

    def spent(self, n: int) -> None:
        self.total += n


def folder_loader(base: Path, limits: Limits) -> SourceLoader:
    """Source files of an unzipped .qdpx: ``sources/`` (or ``Sources/``) beside the .qde.
    Only regular files inside that folder are read (no link out of it), each streamed
    against the text limits."""
    budget = TextBudget(limits)
    root = base.resolve()

    def find(rel: str) -> Path | None:
        for folder in ("sources", "Sources", ""):
            candidate = base / folder / rel if folder else base / rel
            if candidate.is_file():
                return candidate
            parent = candidate.parent
            if parent.is_dir():  # the name in another case (NVivo writes Sources/, refers to sources/)
                for entry in parent.iterdir():
                    if entry.name.lower() == candidate.name.lower() and entry.is_file():
                        return entry
        return None

    def load(rel: str) -> bytes | None:
        found = find(rel)
        if found is None:
            return None
        real = found.resolve()
        if not real.is_relative_to(root) or found.is_symlink():
            raise RefiError(f"{base.name}/{rel}: refused: a link out of the project folder")
        cap = budget.allowance()
        out = bytearray()
        try:
            with real.open("rb") as fh:
                while chunk := fh.read(limits.chunk_bytes):
                    out += chunk
                    if len(out) > cap:
                        raise RefiError(f"{rel}: refused: more than {cap // (1024 * 1024)} MB of text "
                                        "(limit for text)")
        except OSError as exc:
            raise RefiError(f"{rel}: cannot read ({exc.strerror or exc})") from None
        budget.spent(len(out))
        return bytes(out)

    return load


_RECORDS = {"Findings": "findings", "FindingLinks": "finding_links", "Reviews": "reviews",
            "ShortenedQuotes": "shortenings"}


def _records(text: str | None, kind: str, label: str) -> list[dict]:
    try:
        records = json.loads(text or "[]")
    except ValueError:
        raise RefiError(f"{label}: damaged <{kind}> (not JSON)") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise RefiError(f"{label}: damaged <{kind}> (not a list of records)")
    return records


def read_extension(data: bytes | None, label: str) -> RefiExtension:
    """themecoder's own part (see RefiExtension); other programs' files have none."""
    ext = RefiExtension()
    if data is None:
        return ext
    root = parse_xml(data, label)
    if root.tag != f"{{{EXTENSION_NS}}}Extension":
        raise RefiError(f"{label}: not a themecoder extension (root element <{_local(root.tag)}>)")
    for el in root:
        kind, a = _local(el.tag), el.attrib
        if kind == "InVivoCode" and a.get("code"):
            ext.in_vivo_codes.append(a["code"].lower())
        elif kind == "KeyQuote" and a.get("theme") and a.get("coding"):
            ext.key_codings[a["theme"]] = a["coding"].lower()
        elif kind == "CodeTheme" and a.get("code") and a.get("theme"):
            ext.code_themes[a["code"].lower()] = (a["theme"], a.get("name", ""), a.get("themeDescription", ""),
                                                   a.get("codeDescription", ""))
        elif kind == "NoteTarget" and a.get("note") and a.get("type") and a.get("target"):
            ext.note_targets[a["note"].lower()] = (a["type"], a["target"])
        elif kind in _RECORDS:
            setattr(ext, _RECORDS[kind], _records(el.text, kind, label))
    return ext
