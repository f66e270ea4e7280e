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


def test_a_project_file_opens_without_the_server_backend(tmp_path: Path) -> None:
    """Opening a file project and showing its first screen never loads the PostgreSQL modules
    (or psycopg): the first screen does not pay for them. In a fresh interpreter, since this
    suite has loaded them long ago."""
    import json
    import subprocess
    import sys

    Project.create(tmp_path / "p.themecoder", coder="t").close()
    code = (
        "import asyncio, json, sys\n"
        "from themecoder.tui.app import ThemecoderApp\n"
        "async def main():\n"
        "    app = ThemecoderApp(sys.argv[1], coder='t', nlp=False, poll=None)\n"
        "    async with app.run_test(size=(100, 32)) as pilot:\n"
        "        while app.first_screen_at is None:\n"
        "            await asyncio.sleep(0.01)\n"
        "        print(json.dumps(sorted(m for m in sys.modules if m.startswith(\n"
        "            ('themecoder.store.pg', 'themecoder.store.transfer', 'psycopg', 'textual.widgets._text_area')))))\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p.themecoder")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[-1]) == []
    from themecoder import store as store_again

    assert store_again.pg.PgDatabase.__name__ == "PgDatabase"  # still there when asked for


def test_typing_is_recognised_in_a_text_area_once_one_exists() -> None:
    from textual.widgets import Input, Static, TextArea

    from themecoder.tui.screens.base import types_text

    assert types_text(Input()) and types_text(TextArea()) and not types_text(Static()) and not types_text(None)


async def test_work_waiting_for_the_first_screen_runs_once_it_is_painted(tmp_path: Path) -> None:
    from tui_fixtures import make_app

    path = tmp_path / "p.themecoder"
    Project.create(path, coder="t").close()
    app = make_app(path)
    ran: list[bool] = []
    app.after_first_screen(lambda: ran.append(app.first_screen_at is not None))
    async with app.run_test(size=(100, 32)) as pilot:
        while app.first_screen_at is None:
            await pilot.pause(0.01)
        assert ran == [True]  # it waited for the paint, and ran once
        app.after_first_screen(lambda: ran.append(True))
        assert ran == [True, True]  # afterwards: at once
