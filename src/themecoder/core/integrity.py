"""Verify a project: the SQLite file, and every coding against its transcript.

A coding keeps its quote and context so that it can be checked and, if the stored offsets
ever disagree with the text (a file edited by another tool, a bug), found again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.text import Anchor, context, reanchor


@dataclass(slots=True)
class Mismatch:
    coding_id: str
    document: str
    start: int
    end: int
    quote: str
    found: tuple[int, int] | None  # where the quote is now, if it can be found


@dataclass(slots=True)
class Report:
    sqlite: str
    foreign_keys: int
    codings: int
    mismatches: list[Mismatch] = field(default_factory=list)
    unindexed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.sqlite == "ok" and not self.foreign_keys and not self.mismatches


def verify(project: Project) -> Report:
    db = project.db
    sqlite = store.integrity.sqlite_check(db)
    foreign = store.integrity.foreign_key_problems(db)
    titles = {d.id: d.title for d in store.documents.documents(db)}
    texts: dict[str, str] = {}
    codings = store.codings.all_codings(db)
    mismatches = []
    for c in codings:
        text = texts.setdefault(c.document_id, store.documents.document_text(db, c.document_id))
        if text[c.start:c.end] != c.quote:
            found = reanchor(text, Anchor(c.start, c.end, c.quote, c.context_before, c.context_after))
            mismatches.append(Mismatch(c.id, titles.get(c.document_id, c.document_id), c.start, c.end,
                                       c.quote, found))
    return Report(sqlite, foreign, len(codings), mismatches, store.index.unindexed_documents(db))


def repair(project: Project, report: Report) -> int:
    """Re-anchor the codings whose quote was found again (one action, undoable).
    Codings whose quote is gone are left for the analyst. Returns how many moved."""
    movable = [(m, m.found) for m in report.mismatches if m.found is not None]
    if not movable:
        return 0
    with project.action("repair-codings", f"re-anchor {len(movable)} codings to their quotes") as conn:
        for m, (start, end) in movable:
            doc_id = store.codings.coding(project.db, m.coding_id).document_id
            text = store.documents.document_text(project.db, doc_id)
            before, after = context(text, start, end)
            store.codings.update_span(conn, m.coding_id, start, end, text[start:end], before, after)
    return len(movable)
