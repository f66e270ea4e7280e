"""Import a batch of files: a bad file does not stop the others; each gets a result line."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from themecoder.errors import UserError

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.nlp import Pipeline


@dataclass(slots=True)
class FileResult:
    path: str
    ok: bool
    message: str
    document_id: str | None = None
    warnings: list[str] = field(default_factory=list)


def import_files(
    project: Project,
    paths: list[str | Path],
    *,
    participant: str | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    index: bool = True,
) -> list[FileResult]:
    """Import each file as its own action. With `index=False` the search index is left to be
    built later (ensure_index), so a large import is readable as soon as it is stored."""
    from themecoder.core.documents import add_transcript
    from themecoder.io.readers import read_transcript

    results: list[FileResult] = []
    for i, raw in enumerate(paths, 1):
        path = Path(raw)
        if progress:
            progress(i - 1, len(paths), path.name)
        try:
            if path.suffix.lower() in {".qdpx", ".qdc", ".qde"}:
                from themecoder.io.refi_project import import_refi

                summary = import_refi(project, path, index=index)
                results.append(FileResult(str(path), True, summary))
                continue
            parsed = read_transcript(path)
            doc = add_transcript(project, parsed, participant=participant, pipeline=pipeline, index=index)
            speakers = len({t.speaker for t in parsed.turns})
            msg = (f"imported as {doc.title!r}: {doc.length:,} characters, {len(parsed.turns)} turns, "
                   f"{speakers} speakers")
            results.append(FileResult(str(path), True, msg, doc.id, parsed.warnings))
        except UserError as exc:
            msg = str(exc)
            prefix = f"{path.name}: "
            results.append(FileResult(str(path), False, msg.removeprefix(prefix)))
    if progress:
        progress(len(paths), len(paths), "")
    return results


IMPORT_SUFFIXES = frozenset({".txt", ".md", ".docx", ".vtt", ".srt", ".qdpx", ".qdc", ".qde"})


@dataclass(slots=True)
class Expanded:
    """What `expand_paths` found: the files to import, and what it skipped (path, why)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def expand_paths(paths: list[str | Path]) -> Expanded:
    """Files as given; a folder becomes every supported file in it (sorted by name, not its
    subfolders), and what is left out there is listed with the reason (issue 14.9)."""
    out = Expanded()
    for raw in paths:
        path = Path(raw).expanduser()
        if not path.is_dir():
            out.files.append(path)
            continue
        found = []
        for p in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
            if p.is_dir():
                out.skipped.append((p, "a folder (folders inside are not searched)"))
            elif p.name.startswith("~$"):
                out.skipped.append((p, "a Word lock file"))
            elif p.name.startswith("."):
                out.skipped.append((p, "a hidden file"))
            elif p.suffix.lower() not in IMPORT_SUFFIXES:
                out.skipped.append((p, f"unsupported type {p.suffix or '(none)'}"))
            else:
                found.append(p)
        if not found:
            raise UserError(f"no transcripts in the folder {path} (.txt, .md, .docx, .vtt, .srt, .qdpx)")
        out.files.extend(found)
    return out
