"""`themecoder import` returns once the documents are stored and leaves the search index to a
detached `themecoder index --background` (issue 19): the index it builds equals the one built
before returning, a search meanwhile builds what it needs, and indexers never overlap."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import indexing
from themecoder.core.project import Project

TEXT = ("I: Hvordan var det å begynne?\n\nKari: Det var krevende. Vi hadde for mange brukere, "
        "og relasjonen tok tid. Men jeg lærte mye av kollegene.\n\nI: Takk.\n")


def _files(tmp_path: Path, n: int = 3) -> list[str]:
    out = []
    for i in range(n):
        path = tmp_path / f"intervju{i}.txt"
        path.write_text(TEXT.replace("Kari", f"Person{i}"), encoding="utf-8")
        out.append(str(path))
    return out


def _index_of(path: str) -> list:
    project = Project.open(path)
    try:
        docs = sorted(store.documents.documents(project.db), key=lambda d: d.title)
        return [(d.title, store.index.sentences(project.db, d.id),
                 [h[1:] for h in store.index.matching_tokens(project.db, "relasjon", "relasjon",
                                                             document_id=d.id)]) for d in docs]
    finally:
        project.close()


def _wait_until_indexed(path: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        project = Project.open(path)
        try:
            if not store.index.unindexed_documents(project.db):
                return
        finally:
            project.close()
        time.sleep(0.1)
    raise AssertionError("the background indexer did not finish")


def test_import_returns_and_a_detached_process_builds_the_same_index(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(indexing.INDEX_ENV, raising=False)
    background, waited = str(tmp_path / "bg.themecoder"), str(tmp_path / "wait.themecoder")
    files = _files(tmp_path)
    for proj in (background, waited):
        assert main(["--coder", "kari", "new", proj]) == 0
    capsys.readouterr()
    assert main(["--coder", "kari", "import", background, *files]) == 0
    assert "search index: being built in the background" in capsys.readouterr().out
    project = Project.open(background)
    assert len(store.documents.documents(project.db)) == 3  # stored and readable at once
    project.close()
    assert main(["--coder", "kari", "import", waited, *files, "--wait"]) == 0
    assert "in the background" not in capsys.readouterr().out
    project = Project.open(waited)
    assert store.index.unindexed_documents(project.db) == []  # --wait: built before returning
    project.close()
    _wait_until_indexed(background)
    assert _index_of(background) == _index_of(waited)
    assert all(hits for _, _, hits in _index_of(background))


def test_a_search_before_the_index_is_built_builds_what_it_needs(tmp_path: Path, capsys) -> None:
    proj = str(tmp_path / "p.themecoder")
    assert main(["--coder", "kari", "new", proj]) == 0
    project = Project.open(proj, coder="kari")
    from themecoder.io.batch import import_files

    import_files(project, [Path(f) for f in _files(tmp_path, 2)], index=False)  # as a background import leaves it
    assert len(store.index.unindexed_documents(project.db)) == 2
    project.close()
    capsys.readouterr()
    assert main(["search", proj, "relasjon"]) == 0
    assert capsys.readouterr().out.count("[relasjonen]") == 2


def test_the_index_command_says_what_it_did(tmp_path: Path, capsys) -> None:
    proj = str(tmp_path / "p.themecoder")
    assert main(["--coder", "kari", "new", proj]) == 0
    project = Project.open(proj, coder="kari")
    from themecoder.io.batch import import_files

    import_files(project, [Path(f) for f in _files(tmp_path, 2)], index=False)
    project.close()
    capsys.readouterr()
    assert main(["index", proj]) == 0
    assert "search index: 2 documents indexed" in capsys.readouterr().out
    assert main(["index", proj]) == 0
    assert capsys.readouterr().out.strip() == "search index: up to date"


def test_the_indexer_stops_when_a_pass_brings_nothing_new(tmp_path: Path, monkeypatch) -> None:
    project = Project.create(tmp_path / "p.themecoder", coder="t")
    calls: list[int] = []

    def stuck(_project, progress=None):  # a document that never gets an index
        calls.append(1)
        return ["d1"]

    monkeypatch.setattr(indexing, "ensure_index", stuck)
    assert indexing.index_until_done(project) == ["d1"]
    assert len(calls) == 2
    project.close()


def test_a_second_indexer_of_the_same_project_waits_for_the_first(tmp_path: Path) -> None:
    pytest.importorskip("fcntl")
    path = tmp_path / "p.themecoder"
    path.touch()
    entered = threading.Event()
    with indexing._one_indexer(path):
        def run() -> None:
            with indexing._one_indexer(path):
                entered.set()

        second = threading.Thread(target=run)
        second.start()
        assert not entered.wait(0.3)  # held by the first
        with indexing._one_indexer(tmp_path / "other.themecoder"):
            pass  # another project's lock is free
    assert entered.wait(10)
    second.join()


def test_a_server_project_or_wait_indexes_in_the_foreground(tmp_path: Path, monkeypatch) -> None:
    project = Project.create(tmp_path / "p.themecoder", coder="t")
    started: list[list[str]] = []
    monkeypatch.setattr(indexing.subprocess, "Popen", lambda args, **kw: started.append(args))
    monkeypatch.setenv(indexing.INDEX_ENV, "wait")
    assert indexing.index_in_background(project) is False and started == []
    monkeypatch.delenv(indexing.INDEX_ENV)
    assert indexing.index_in_background(project) is True
    assert started[0][-3:] == ["index", "--background", str(project.path.resolve())]
    project.close()


def test_another_indexer_is_seen_without_waiting_for_it(tmp_path: Path) -> None:
    pytest.importorskip("fcntl")
    path = tmp_path / "p.themecoder"
    path.touch()
    assert not indexing.another_indexer_running(path)
    with indexing._one_indexer(path):
        assert indexing.another_indexer_running(path)
        assert indexing.another_indexer_running(path)  # probing twice takes nothing from the holder
    assert not indexing.another_indexer_running(path)


async def test_the_workbench_leaves_the_documents_to_a_running_indexer(tmp_path: Path) -> None:
    """Opened right after `themecoder import`, the workbench waits for the detached indexer
    instead of indexing the same documents again; once that one is gone it indexes what is
    left itself."""
    pytest.importorskip("fcntl")
    from contextlib import ExitStack

    from themecoder.io.batch import import_files
    from tui_fixtures import make_app, wait_for

    path = tmp_path / "p.themecoder"
    project = Project.create(path, coder="kari")
    import_files(project, [Path(f) for f in _files(tmp_path, 2)], index=False)
    project.close()
    app = make_app(path)
    with ExitStack() as other:
        other.enter_context(indexing._one_indexer(path))  # "the detached indexer", still at work
        async with app.run_test(size=(100, 32)) as pilot:
            app.ensure_index()
            await wait_for(pilot, lambda: app.task_label == "indexing documents", timeout=30)
            await pilot.pause(0.6)
            assert len(store.index.unindexed_documents(app.project.db)) == 2  # left to the other
            other.close()  # it ended without indexing them: the workbench does
            await wait_for(pilot, lambda: store.index.unindexed_documents(app.project.db) == [], timeout=60)


def test_a_cli_search_waits_for_the_running_indexer_and_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    pytest.importorskip("fcntl")
    import sys
    proj = tmp_path / "p.themecoder"
    assert main(["--coder", "kari", "new", str(proj)]) == 0
    project = Project.open(proj, coder="kari")
    from themecoder.io.batch import import_files

    import_files(project, [Path(f) for f in _files(tmp_path, 2)], index=False)
    project.close()
    holding, release = threading.Event(), threading.Event()

    def other_indexer() -> None:  # holds the lock until told, as a detached indexer would
        with indexing._one_indexer(proj):
            holding.set()
            release.wait(10)

    t = threading.Thread(target=other_indexer)
    t.start()
    assert holding.wait(10)
    threading.Timer(0.5, release.set).start()
    capsys.readouterr()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # on a terminal: it says why it waits
    assert main(["search", str(proj), "relasjon"]) == 0
    out = capsys.readouterr()
    t.join()
    assert "waiting for the indexer that the import started" in out.err
    assert out.out.count("[relasjonen]") == 2
