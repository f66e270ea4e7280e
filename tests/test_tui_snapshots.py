"""SVG snapshots of the main screens (pytest-textual-snapshot).

Deterministic: the three-interview fixture project (no ids, paths or times on screen), the
NLP fallback forced (so the status bar reads the same everywhere), no pipeline loading, no
polling, cursor blink off, fixed terminal sizes. Update with `pytest --snapshot-update`
after checking the new SVGs by eye.
"""
from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from themecoder.tui import registry
from themecoder.tui.app import ThemecoderApp


@pytest.fixture
def app(tui_project, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    # only the workbench's own screens: teammates' registry entries do not change these images
    own = [e for e in registry.SCREENS if e.id in ("CodeListScreen", "SearchScreen")]
    monkeypatch.setattr(registry, "SCREENS", own)
    return ThemecoderApp(tui_project, coder="testkoder", nlp=False, poll=None)


def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(TextArea):
        widget.cursor_blink = False


def steps(*keys_or_text):
    """run_before: press keys (a list) or type text (a str) step by step, blink off."""

    async def run(pilot):
        await pilot.pause()
        for step in keys_or_text:
            if isinstance(step, str):
                focused = pilot.app.focused
                assert isinstance(focused, Input), focused
                focused.insert_text_at_cursor(step)
            else:
                await pilot.press(*step)
            await pilot.pause()
            no_blink(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


def test_overview(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=steps())


def test_reader_two_sentences_selected_wide(snap_compare, app):
    # britt: coded passages, one overlapping pair, labels in the margin
    assert snap_compare(app, terminal_size=(110, 30),
                        run_before=steps(["down", "enter"], ["down", "down", "shift+down"]))


def test_reader_small_terminal(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(["enter"], ["n"]))


def test_code_picker_filtering(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30),
                        run_before=steps(["enter"], ["down", "c"], "tid"))


def test_code_picker_did_you_mean(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30),
                        run_before=steps(["enter"], ["down", "c"], "Grunnlag for relasjon", ["enter"]))


def test_code_list_with_quotes(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=steps(["C"], "relasjon"))


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=steps(["f1"]))
