"""The overview adds its rows in slices (10,000 documents open in about a second), and ends
with every document listed and the cursor where it was."""
from __future__ import annotations

from textual.widgets import DataTable

from themecoder.tui.screens import overview
from tui_fixtures import make_app, wait_for


async def test_rows_arrive_in_slices_and_the_cursor_stays(tui_project, monkeypatch):
    monkeypatch.setattr(overview, "ROW_CHUNK", 1)
    app = make_app(tui_project)
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 1
        await wait_for(pilot, lambda: table.row_count == 3)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        app.data_changed()  # a refresh rebuilds the rows in slices again
        await wait_for(pilot, lambda: table.row_count == 3)
        await pilot.pause()
        assert table.cursor_row == 2
