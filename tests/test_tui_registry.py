"""The screen registry: every entry is reachable by its key and from the command palette,
and no key clashes with another entry or with the workbench's own bindings."""
from __future__ import annotations

from textual.screen import Screen

from themecoder.tui import registry
from themecoder.tui.app import ThemecoderApp
from themecoder.tui.commands import binding_commands


def _keys(binding_key: str) -> set[str]:
    return {k.strip() for k in binding_key.split(",")}


def test_registry_keys_are_unique_and_do_not_clash():
    from themecoder.tui.screens.codes import CodeListScreen
    from themecoder.tui.screens.overview import OverviewScreen
    from themecoder.tui.screens.transcript import TranscriptScreen
    from themecoder.tui.widgets.transcript_view import TranscriptView

    taken: dict[str, str] = {}
    for cls in (ThemecoderApp, OverviewScreen, TranscriptScreen, TranscriptView, CodeListScreen):
        for b in cls.BINDINGS:
            for k in _keys(b.key):
                taken.setdefault(k, f"{cls.__name__}: {b.description}")
    seen: dict[str, str] = {}
    for e in registry.SCREENS:
        for k in _keys(e.key):
            assert k not in seen, f"{e.title!r} and {seen[k]!r} both use {k!r}"
            assert k not in taken, f"{e.title!r} uses {k!r}, already {taken[k]}"
            seen[k] = e.title
        assert e.title and e.factory.count(":") == 1


def test_every_registry_factory_imports():
    for e in registry.SCREENS:
        factory = registry.load_factory(e)
        assert callable(factory), e


async def test_registry_entries_open_by_key_and_from_the_palette(tui_project, monkeypatch):
    app = ThemecoderApp(tui_project, coder="testkoder", nlp=False, poll=None)
    async with app.run_test(size=(100, 30)) as pilot:
        base = app.screen
        titles = {title for title, _, _ in binding_commands(base)}
        palette = {title for title, _, _ in app.palette_commands()}
        for e in registry.SCREENS:
            assert e.title in titles and f"Open: {e.title}" in palette
            await pilot.press(sorted(_keys(e.key), key=len)[0])
            await pilot.pause()
            assert isinstance(app.screen, Screen) and getattr(app.screen, "_registry_entry", None) == e.id
            await pilot.press("escape")
            await pilot.pause()
            if app.screen is not base:  # a screen whose escape does something else first
                app.pop_screen()
                await pilot.pause()
            assert app.screen is base
        # registry screens replace each other instead of stacking up
        first, second = registry.SCREENS[0], registry.SCREENS[1]
        app.action_open_screen(first.id)
        await pilot.pause()
        app.action_open_screen(second.id)
        await pilot.pause()
        assert len(app.screen_stack) == 2 and app.screen._registry_entry == second.id


def make_screen(app) -> Screen:
    """A factory as a teammate writes one: takes the app, returns a Screen."""
    from themecoder.tui.screens.help import HelpScreen

    assert app.project is not None
    return HelpScreen()


async def test_a_new_entry_is_one_line(tui_project, monkeypatch):
    """What a teammate does: append one ScreenEntry; the app binds it and lists it."""
    entry = registry.ScreenEntry("f9", "Test screen", "test_tui_registry:make_screen", "for the test")
    monkeypatch.setattr(registry, "SCREENS", [*registry.SCREENS, entry])
    app = ThemecoderApp(tui_project, coder="testkoder", nlp=False, poll=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert app.screen._registry_entry == "make_screen"
        assert any(t == "Open: Test screen" for t, _, _ in app.palette_commands())
