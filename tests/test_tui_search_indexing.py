"""A search while documents still await their index says so, then finds their words."""
from __future__ import annotations

from themecoder import store
from themecoder.core.project import Project
from themecoder.tui.screens.search import SearchScreen
from tui_fixtures import make_app, type_text, wait_for


async def test_search_says_it_is_indexing_then_finds_the_new_words(tui_project, monkeypatch):
    project = Project.open(tui_project)
    docs = store.documents.documents(project.db)
    with project.db.transaction() as conn:  # as after a large import: stored, not yet indexed
        for d in docs:
            store.index.clear(conn, d.id)
    project.close()
    said: list[str] = []
    original = SearchScreen._show_status
    monkeypatch.setattr(SearchScreen, "_show_status", lambda self, m: (said.append(m), original(self, m)))
    app = make_app(tui_project)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await type_text(pilot, "relasjon")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.hits), timeout=60)
        assert any(m.startswith("Indexing the documents for search") for m in said)
        assert store.index.unindexed_documents(app.project.db) == []
