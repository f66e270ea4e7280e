"""The derived text index: sentences and lemmas, rebuilt from the text whenever it changes."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core.text import word_count

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.nlp import Analysis, Pipeline


def analysis_spans(text: str, turn_spans: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Turns are analysed one by one so sentences never cross a change of speaker."""
    return [s for s in turn_spans if s[1] > s[0]] or None


def analyse(text: str, turn_spans: list[tuple[int, int]], pipeline: Pipeline | None = None) -> Analysis:
    if pipeline is None:
        from themecoder.nlp import get_pipeline

        pipeline = get_pipeline()
    return pipeline.analyse(text, analysis_spans(text, turn_spans))


def write_index(conn: sqlite3.Connection, doc_id: str, analysis: Analysis, text: str | None = None) -> None:
    """Replace a document's index by this analysis (forms are stored case-folded), with the
    text's word count when the text is given."""
    store.index.replace(conn, doc_id, analysis.sentences,
                        ((t.start, t.end, t.lemma, t.text.casefold()) for t in analysis.tokens),
                        None if text is None else word_count(text))


def write_index_if_current(project: Project, doc_id: str, text: str, analysis: Analysis) -> bool:
    """Write an analysis of `text` in one short transaction (derived data, not a user action),
    unless the document's text changed meanwhile (or it is gone). Returns whether it wrote."""
    with project.db.transaction() as conn:
        if store.documents.text_or_none(project.db, doc_id) != text:
            return False
        write_index(conn, doc_id, analysis, text)
    return True


def index_document(project: Project, doc_id: str, pipeline: Pipeline | None = None) -> None:
    text = store.documents.document_text(project.db, doc_id)
    spans = [(t.start, t.end) for t in store.documents.turns(project.db, doc_id)]
    write_index_if_current(project, doc_id, text, analyse(text, spans, pipeline))


def ensure_index(
    project: Project, pipeline: Pipeline | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Index every document that has no index (after undo/redo or a text change)."""
    missing = store.index.unindexed_documents(project.db)
    for i, doc_id in enumerate(missing, 1):
        index_document(project, doc_id, pipeline)
        if progress:
            progress(i, len(missing))
    return missing
