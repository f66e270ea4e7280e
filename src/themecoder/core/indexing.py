"""The derived text index: sentences and lemmas, rebuilt from the text whenever it changes."""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Callable

from themecoder import store

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.nlp import Analysis, Pipeline


def analysis_spans(text: str, turn_spans: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Turns are analysed one by one so sentences never cross a change of speaker."""
    return [s for s in turn_spans if s[1] > s[0]] or None


def analyse(text: str, turn_spans: list[tuple[int, int]], pipeline: "Pipeline | None" = None) -> "Analysis":
    if pipeline is None:
        from themecoder.nlp import get_pipeline

        pipeline = get_pipeline()
    return pipeline.analyse(text, analysis_spans(text, turn_spans))


def write_index(conn: sqlite3.Connection, doc_id: str, analysis: "Analysis") -> None:
    conn.execute("DELETE FROM sentences WHERE document_id = ?", (doc_id,))
    conn.execute("DELETE FROM tokens WHERE document_id = ?", (doc_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO sentences(document_id, start, end) VALUES (?, ?, ?)",
        ((doc_id, s, e) for s, e in analysis.sentences),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO tokens(document_id, start, end, lemma, form) VALUES (?, ?, ?, ?, ?)",
        ((doc_id, t.start, t.end, t.lemma, t.text.casefold()) for t in analysis.tokens),
    )


def index_document(project: "Project", doc_id: str, pipeline: "Pipeline | None" = None) -> None:
    text = store.documents.document_text(project.db, doc_id)
    spans = [(t.start, t.end) for t in store.documents.turns(project.db, doc_id)]
    result = analyse(text, spans, pipeline)
    with project.db.transaction() as conn:
        # The text may have changed while we analysed; only write a matching index.
        current = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if current is not None and current[0] == text:
            write_index(conn, doc_id, result)


def ensure_index(
    project: "Project", pipeline: "Pipeline | None" = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Index every document that has no index (after undo/redo or a text change)."""
    missing = store.documents.unindexed_documents(project.db)
    for i, doc_id in enumerate(missing, 1):
        index_document(project, doc_id, pipeline)
        if progress:
            progress(i, len(missing))
    return missing
