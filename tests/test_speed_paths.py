"""The paths that make importing and opening fast keep the rules: a document is readable as
soon as its action commits, the language pipeline never runs inside the write lock, the index
built later equals the one built at once, and Ctrl+C while indexing loses nothing."""
from __future__ import annotations

from pathlib import Path

from themecoder import store
from themecoder.cli import main
from themecoder.core import indexing
from themecoder.core.documents import add_transcript
from themecoder.core.indexing import ensure_index
from themecoder.core.project import Project
from themecoder.io.readers import read_transcript
from themecoder.nlp import load_pipeline

TEXT = ("I: Hvordan var det å begynne?\n\nKari: Det var krevende. Vi hadde for mange brukere, "
        "og relasjonen tok tid. Men jeg lærte mye av kollegene.\n\nI: Takk.\n")


def _file(tmp_path: Path, name: str = "kari.txt") -> Path:
    path = tmp_path / name
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_a_deferred_index_equals_the_one_built_at_once(tmp_path: Path) -> None:
    pipeline = load_pipeline("fallback")
    now = Project.create(tmp_path / "now.themecoder", coder="t")
    later = Project.create(tmp_path / "later.themecoder", coder="t")
    a = add_transcript(now, read_transcript(_file(tmp_path)), pipeline=pipeline)
    b = add_transcript(later, read_transcript(_file(tmp_path)), pipeline=pipeline, index=False)
    assert store.documents.document_text(later.db, b.id) == TEXT  # readable at once
    assert store.index.unindexed_documents(later.db) == [b.id]
    assert ensure_index(later, pipeline) == [b.id]
    assert store.index.sentences(later.db, b.id) == store.index.sentences(now.db, a.id) != []
    for word in ("relasjon", "bruker", "kollega"):
        hits_now = store.index.matching_tokens(now.db, word, word)
        hits_later = store.index.matching_tokens(later.db, word, word)
        assert [h[1:] for h in hits_now] == [h[1:] for h in hits_later] != []


def test_the_language_pipeline_never_runs_inside_the_write_lock(tmp_path: Path, monkeypatch) -> None:
    project = Project.create(tmp_path / "p.themecoder", coder="t")
    seen: list[bool] = []
    real = indexing.analyse

    def spy(text, turns, pipeline=None):
        seen.append(project.db.conn.in_transaction)
        return real(text, turns, pipeline)

    monkeypatch.setattr(indexing, "analyse", spy)
    monkeypatch.setattr("themecoder.core.documents.analyse", spy)
    add_transcript(project, read_transcript(_file(tmp_path)), pipeline=load_pipeline("fallback"))
    assert seen == [False]
    assert store.index.unindexed_documents(project.db) == []


def test_ctrl_c_while_indexing_keeps_the_import(tmp_path: Path, monkeypatch, capsys) -> None:
    proj = str(tmp_path / "p.themecoder")
    assert main(["--coder", "kari", "new", proj]) == 0

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(indexing, "ensure_index", interrupted)
    assert main(["--coder", "kari", "import", proj, str(_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 file imported" in out
    assert "search index: left for later" in out
    project = Project.open(proj)
    assert len(store.documents.documents(project.db)) == 1
    assert store.index.unindexed_documents(project.db) != []  # built by the next search


def test_the_cli_import_indexes_after_saving(tmp_path: Path, capsys) -> None:
    proj = str(tmp_path / "p.themecoder")
    assert main(["--coder", "kari", "new", proj]) == 0
    assert main(["--coder", "kari", "import", proj, str(_file(tmp_path))]) == 0
    project = Project.open(proj)
    assert store.index.unindexed_documents(project.db) == []


def test_the_demo_for_the_workbench_is_built_without_the_pipeline(tmp_path: Path, monkeypatch) -> None:
    from themecoder.io.demo import build_demo

    def no_pipeline(*args, **kwargs):
        raise AssertionError("the language pipeline was loaded while building the demo")

    from themecoder.nlp import clear_pipeline_cache

    clear_pipeline_cache()  # so a cached pipeline cannot hide a load
    monkeypatch.setattr("themecoder.nlp.loader._build", no_pipeline)  # every way to a pipeline ends here
    path = build_demo(tmp_path / "demo", index=False)
    project = Project.open(path)
    assert len(store.index.unindexed_documents(project.db)) == 3
    assert store.project.counts(project.db)["codings"] > 100


async def test_the_workbench_checks_an_unchecked_demo_in_the_background(tmp_path: Path) -> None:
    from themecoder.core.anonymise_check import stale_documents
    from themecoder.io.demo import build_demo
    from tui_fixtures import make_app, wait_for

    path = build_demo(tmp_path / "demo", index=False, check=False)  # as `themecoder demo` builds it
    project = Project.open(path)
    assert len(stale_documents(project)) == 3  # not checked yet
    project.close()
    app = make_app(path, check_identifiers=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: stale_documents(app.project) == [], timeout=60)
        await wait_for(pilot, lambda: "ikke kontrollert" not in str(
            app.screen.query_one("#status-anon").render()), timeout=30)
