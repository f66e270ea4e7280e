"""Coding a selection paints at once and writes behind (issue: a frame per key).

The action is still one transaction in the one write thread; a failure takes the paint back
and says why; undo waits for a write in flight, so it never undoes the action before it.
"""
from __future__ import annotations

import threading

import pytest

from themecoder import store
from themecoder.core import coding as coding_ops
from themecoder.errors import UserError
from themecoder.tui.screens.transcript import TranscriptScreen
from tui_fixtures import make_app, wait_for

SIZE = (100, 32)


async def _open(pilot) -> TranscriptScreen:
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TranscriptScreen))
    await pilot.pause()
    return pilot.app.screen


@pytest.fixture
def held_write(monkeypatch) -> threading.Event:
    """apply_code waits in the write thread until the returned event is set."""
    release = threading.Event()
    real = coding_ops.apply_code

    def slow_apply(project, *args, **kwargs):
        assert release.wait(10)
        return real(project, *args, **kwargs)

    monkeypatch.setattr(coding_ops, "apply_code", slow_apply)
    return release


def _db_codings(app, doc_id: str):
    return store.codings.codings_for_document(app.project.db, doc_id)


async def test_the_highlight_is_painted_before_the_row_is_written(tui_project, held_write):
    release = held_write
    app = make_app(tui_project, write_behind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        before = len(_db_codings(app, screen.doc_id))
        code = store.codes.codes(app.project.db)[0]
        start, end = screen.view.selection
        screen.code_behind(start, end, code.id)
        await pilot.pause()
        # painted now: the view holds the new coding, the project does not yet
        assert any(c.id == "pending" and c.code_id == code.id for c in screen.view.codings)
        assert len(_db_codings(app, screen.doc_id)) == before
        release.set()
        await wait_for(pilot, lambda: len(_db_codings(app, screen.doc_id)) == before + 1)
        await wait_for(pilot, lambda: not any(c.id == "pending" for c in screen.view.codings))
        saved = [c for c in _db_codings(app, screen.doc_id) if c.code_id == code.id]
        assert any(c.id in {v.id for v in screen.view.codings} for c in saved)
        assert any("Coded with" in m for m in app.notified)


async def test_a_failed_write_takes_the_paint_back_and_says_why(tui_project, monkeypatch):
    def failing(project, *args, **kwargs):
        raise UserError("the project file is read-only")

    monkeypatch.setattr(coding_ops, "apply_code", failing)
    app = make_app(tui_project, write_behind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        before = len(_db_codings(app, screen.doc_id))
        code = store.codes.codes(app.project.db)[0]
        screen.code_behind(*screen.view.selection, code.id)
        await wait_for(pilot, lambda: "the project file is read-only" in app.notified)
        await wait_for(pilot, lambda: not any(c.id == "pending" for c in screen.view.codings))
        assert len(_db_codings(app, screen.doc_id)) == before


async def test_undo_waits_for_the_write_in_flight(tui_project, held_write):
    release = held_write
    app = make_app(tui_project, write_behind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        before = len(_db_codings(app, screen.doc_id))
        code = store.codes.codes(app.project.db)[0]
        screen.code_behind(*screen.view.selection, code.id)
        threading.Timer(0.3, release.set).start()
        await pilot.press("ctrl+z")  # must undo the coding, after it is written
        await wait_for(pilot, lambda: len(_db_codings(app, screen.doc_id)) == before)
        assert any("Undone: code passage" in m for m in app.notified)
