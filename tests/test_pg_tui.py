"""Live changes in the TUI of a server project: another person's action appears without polling
(LISTEN/NOTIFY), and a dialog keeps the version it was opened with."""
from __future__ import annotations

from themecoder.core import team
from themecoder.core.coding import code_quote
from themecoder.core.project import Project
from tui_fixtures import make_app, wait_for


async def test_another_persons_action_appears_in_an_open_tui_without_polling(tui_project, pg_url):
    team.push(tui_project, pg_url)
    app = make_app(pg_url, poll=None)  # no polling at all: only the server's notifications
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.live.active
        version = app.data_version
        seen = app.project.seen
        with Project.open(pg_url, coder="veileder") as supervisor:
            coding = code_quote(supervisor, "carl", "Snart ti år.", "Lang erfaring")
            newest = supervisor.last_action_id()
        await wait_for(pilot, lambda: app.data_version > version, timeout=10)
        assert any("another window" in m for m in app.notified)
        await wait_for(pilot, lambda: app.project.seen == newest, timeout=10)
        assert seen < newest
        assert app.project.db.scalar("SELECT quote FROM codings WHERE id = ?", (coding.id,)) == "Snart ti år."


async def test_a_file_project_has_no_listener(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=(120, 40)):
        assert not app.live.active


async def test_an_edit_begun_in_a_dialog_does_not_overwrite_a_newer_change(tui_project, pg_url):
    import pytest
    from textual.screen import ModalScreen

    from themecoder import store
    from themecoder.core.codebook import rename_code
    from themecoder.errors import Conflict

    team.push(tui_project, pg_url)
    app = make_app(pg_url, poll=None)
    async with app.run_test(size=(120, 40)) as pilot:
        code = store.codes.codes(app.project.db)[0]
        app.push_screen(ModalScreen())  # e.g. the code editor, opened on the code as it was
        await pilot.pause()
        version = app.data_version
        with Project.open(pg_url, coder="veileder") as supervisor:
            rename_code(supervisor, code.id, "omdøpt av veileder")
        await wait_for(pilot, lambda: app.data_version > version, timeout=10)
        with pytest.raises(Conflict, match="veileder changed this code meanwhile"):
            rename_code(app.project, code.id, "omdøpt av studenten")
        app.pop_screen()  # the dialog closes; the person sees the new name
        await wait_for(pilot, lambda: app.project.seen == app.project.last_action_id(), timeout=10)
        rename_code(app.project, code.id, "omdøpt av studenten")
        assert store.codes.code(app.project.db, code.id).label == "omdøpt av studenten"
