"""Killing the process at any moment loses at most the action in flight."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

from themecoder import store
from themecoder.core.project import Project
from themecoder.io.readers import read_transcript

CHILD = r"""
import sys
from pathlib import Path
from themecoder.core.project import Project
from themecoder.io.batch import import_files
from themecoder.nlp import get_pipeline
pipeline = get_pipeline()
project = Project.open(sys.argv[1], coder="killed")
files = sorted(Path(sys.argv[2]).glob("*.txt"))
print("READY", flush=True)
import_files(project, files, pipeline=pipeline, progress=lambda i, n, name: print("FILE", i, flush=True))
print("DONE", flush=True)
"""


def _write_files(folder, n=25):
    folder.mkdir()
    for i in range(n):
        turns = []
        for t in range(120):
            who = "I" if t % 2 == 0 else f"Person{i}"
            turns.append(f"{who}: Dette er ytring {t} i intervju {i}. Vi snakker om relasjoner og arbeid, "
                         f"om hverdagen og om hva som hjelper når det er tungt.")
        (folder / f"intervju{i:02d}.txt").write_text("\n\n".join(turns), encoding="utf-8")


def test_sigkill_during_import_leaves_each_document_whole_or_absent(tmp_path):
    files = tmp_path / "files"
    _write_files(files)
    path = tmp_path / "k.themecoder"
    Project.create(path).close()
    for delay in (0.05, 0.3, 0.7):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(files)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "READY"
        proc.stdout.readline()  # the first file has started
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
    project = Project.open(path)
    docs = store.documents.documents(project.db)
    assert 0 < len(docs) < 25 * 3, "some imports happened, not all (re-imports are refused)"
    for doc in docs:
        expected = read_transcript(files / doc.source_name)
        assert store.documents.document_text(project.db, doc.id) == expected.text
        assert len(store.documents.turns(project.db, doc.id)) == len(expected.turns) == 120
    # The search index is derived data written in its own transaction after the import: a kill
    # between the two leaves a document without one, which the next search (or the TUI's
    # worker) builds. It is never half there, and building it gives the full index.
    for doc in docs:
        sentences = store.index.sentences(project.db, doc.id)
        assert sentences == [] or len(sentences) >= 120
    from themecoder.core.indexing import ensure_index
    from themecoder.nlp import load_pipeline

    ensure_index(project, load_pipeline("fallback"))
    for doc in docs:
        assert len(store.index.sentences(project.db, doc.id)) >= 120
    # Every committed import is one logged action; nothing half-done is logged.
    assert len([a for a in project.history() if a.kind == "import-document"]) == len(docs)
    project.close()
