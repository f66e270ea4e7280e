"""The derived text index: sentences and lemmas, rebuilt from the text whenever it changes."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
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


# -- in the background ------------------------------------------------------------------------
# Loading the language pipeline takes about a second and indexing runs at ~250,000 words/s, so
# `themecoder import` leaves the index to a detached process (as `git gc --auto` does) and
# returns as soon as the documents are stored. Anything that needs the index before that
# process is done builds what is missing itself (search, agreement by sentence, the workbench).
INDEX_ENV = "THEMECODER_INDEX"  # "wait": commands build the index before they return


def waits_for_index() -> bool:
    return os.environ.get(INDEX_ENV, "").strip().lower() == "wait"


def index_in_background(project: Project) -> bool:
    """Start `themecoder index --background` on this project, detached from this process and
    its terminal. False when the index is built here instead: a server project, $THEMECODER_INDEX
    set to "wait", or no process could be started."""
    if project.on_server or waits_for_index():
        return False
    detach: dict = ({"creationflags": getattr(subprocess, "DETACHED_PROCESS", 0)
                     | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
                    if sys.platform == "win32" else {"start_new_session": True})
    try:
        subprocess.Popen(
            [sys.executable, "-m", "themecoder", "index", "--background", str(project.path.resolve())],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=True, **detach,
        )
    except OSError:
        return False
    return True


def _lock_path(path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"themecoder-index-{os.getuid()}-{key}.lock"


@contextmanager
def _one_indexer(path: Path) -> Iterator[None]:
    """One background indexer per project file at a time; a second one waits for the first.
    (The lock is a file in the temporary folder, never beside the project: flock on the
    project file itself could meet SQLite's own locks on network file systems.)"""
    try:
        import fcntl
    except ImportError:  # Windows: two indexers may overlap, which costs time, not correctness
        yield
        return
    fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def another_indexer_running(path: Path) -> bool:
    """Whether a background indexer holds this project's lock now (never waits for it)."""
    try:
        import fcntl
    except ImportError:
        return False
    lock = _lock_path(path)
    if not lock.exists():
        return False
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True  # held
    finally:
        os.close(fd)  # closing releases a lock taken here
    return False


def index_until_done(project: Project, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """ensure_index, again while documents keep arriving (an import during the indexing),
    holding the project's indexer lock. Stops when a pass brings nothing new, so a document
    that cannot be indexed never keeps it going."""
    done: list[str] = []
    if project.on_server:  # no detached indexers there (index_in_background); nothing to wait for
        return ensure_index(project, progress=progress)
    with _one_indexer(project.path):
        while True:
            batch = ensure_index(project, progress=progress)
            if not batch or set(batch) <= set(done):
                return done
            done += [d for d in batch if d not in done]
