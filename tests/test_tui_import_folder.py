"""The workbench imports a folder by the CLI's rules and says what it left out (issue 14.9)."""
from __future__ import annotations

from themecoder import store
from tui_fixtures import make_app, type_text, wait_for


async def test_a_folder_imports_its_transcripts_and_names_what_was_skipped(tui_project, tmp_path):
    folder = tmp_path / "intervjuer"
    folder.mkdir()
    (folder / "dina.txt").write_text("I: Hei.\n\nDina: Hei. Jeg jobber i NAV.\n", encoding="utf-8")
    (folder / "eirik.md").write_text("I: Hei.\n\nEirik: Hei på deg.\n", encoding="utf-8")
    (folder / "skjema.pdf").write_bytes(b"%PDF-1.4\n")
    app = make_app(tui_project)
    async with app.run_test(size=(100, 32)) as pilot:
        before = len(store.documents.documents(app.project.db))
        await pilot.press("i")
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(store.documents.documents(app.project.db)) == before + 2, timeout=60)
        await wait_for(pilot, lambda: any("2 of 2 files imported" in m for m in app.notified))
        message = next(m for m in app.notified if "2 of 2 files imported" in m)
        assert "skjema.pdf (unsupported type .pdf)" in message
