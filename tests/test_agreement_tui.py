"""Blind coding and the disagreements screen in the workbench (issue 12), driven with Pilot.

The three-interview project is coded by "testkoder"; here a second coder, "ola", codes a passage
with a code of their own and one passage with a shared code. Blind, testkoder sees none of it in
the transcript, the code list, the quotes of a code and the matrix.
"""
from __future__ import annotations

from textual.widgets import OptionList

from themecoder import store
from themecoder.core import blind, consensus, resolve
from themecoder.core.project import Project
from themecoder.tui.screens.codes import CodeListScreen
from themecoder.tui.screens.transcript import TranscriptScreen
from tui_fixtures import CODER, add_ola, make_app, wait_for

SIZE = (120, 40)


def ola_ids(app) -> set[str]:
    return {c.id for c in store.codings.all_codings(app.project.db) if c.coder == "ola"}


async def open_anna(pilot) -> TranscriptScreen:
    app = pilot.app
    anna = resolve.document(app.project, "anna")
    app.show_document(anna.id)
    await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
    await pilot.pause()
    return app.screen


async def test_blind_hides_the_other_coder_everywhere(tui_project):
    add_ola(tui_project)
    app = make_app(tui_project, coder=CODER, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        hidden = ola_ids(app)
        assert len(hidden) == 2
        # transcript
        screen = await open_anna(pilot)
        assert {c.coder for c in screen.codings} == {CODER}
        # code list: counts, and the quotes of a code (retrieval)
        await pilot.press("escape")
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeListScreen))
        codes = app.screen
        counts = {s.code.label: s.codings for s in codes.stats}
        assert counts["Egen kode"] == 0 and counts["Tidspress"] == 2
        tidspress = store.codes.code_by_label(app.project.db, "Tidspress")
        from themecoder.core import views

        assert {q.coding.coder for q in views.quotes_for_code(app.project, tidspress.id, coder=app.visible_coder)} \
            == {CODER}
        # matrix
        app.action_open_screen("MatrixScreen")   # (X would go into the code filter)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MatrixScreen")
        await pilot.pause()
        await pilot.press("t")                  # codes by participant
        await wait_for(pilot, lambda: app.screen.matrix.rows[0].kind == "code")
        m = app.screen.matrix
        row = next(i for i, r in enumerate(m.rows) if r.label == "Egen kode")
        assert m.row_total(row) == 0
        total_blind = sum(m.row_total(i) for i in range(len(m.rows)))
        # the toggle shows everyone's codings again, on every screen
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.visible_coder is None
        m = app.screen.matrix
        assert m.row_total(row) == 1 and sum(m.row_total(i) for i in range(len(m.rows))) == total_blind + 2
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeListScreen))
        counts = {s.code.label: s.codings for s in app.screen.stats}
        assert counts["Egen kode"] == 1 and counts["Tidspress"] == 3
        screen = await open_anna(pilot)
        assert hidden <= {c.id for c in screen.codings}


async def test_quotes_of_a_code_on_the_screen_are_filtered(tui_project):
    add_ola(tui_project)
    app = make_app(tui_project, coder=CODER, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeListScreen))
        screen = app.screen
        screen._show_code(store.codes.code_by_label(app.project.db, "Tidspress").id)
        await pilot.pause()
        assert len(screen.quotes) == 2 and screen.query_one("#quote-list", OptionList).option_count == 2
        assert {q.coding.coder for q in screen.quotes} == {CODER}
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: len(screen.quotes) == 3)


async def test_the_project_setting_keeps_coders_blind_until_agreement(tui_project):
    add_ola(tui_project)
    with Project.open(tui_project, coder=CODER) as p:
        blind.set_blind_until_agreement(p, True)
    app = make_app(tui_project, coder=CODER)   # no --blind: the project decides
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_anna(pilot)
        assert {c.coder for c in screen.codings} == {CODER}
        await pilot.press("ctrl+b")           # cannot be switched off while the project says so
        await pilot.pause()
        assert app.visible_coder == CODER
        assert any("until agreement is computed" in m for m in app.notified)


async def test_settle_disagreements_from_the_screen(tui_project, tmp_path):
    add_ola(tui_project)
    app = make_app(tui_project, coder=CODER)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("K")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DisagreementsScreen")
        screen = app.screen
        assert screen.coders == ["ola", CODER]
        items = screen.items
        # ola's own code on one passage; the rest are testkoder's codes ola never used
        assert any(d.code == "Egen kode" and d.coded_by == ("ola",) for d in items)
        assert len(screen.query(".dis-side")) == 2          # the two sides, side by side
        target = next(i for i, d in enumerate(items) if d.code == "Egen kode")
        options = screen.query_one("#dis-list", OptionList)
        options.highlighted = target
        await pilot.pause()
        await pilot.press("1")                               # accept the left side: ola's
        await wait_for(pilot, lambda: any(c.coder == consensus.CONSENSUS_CODER
                                          for c in store.codings.all_codings(app.project.db)))
        assert app.project.history()[-1].coder == CODER
        await wait_for(pilot, lambda: any(d.decision == "ola" for d in screen.items))
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: not any(c.coder == consensus.CONSENSUS_CODER
                                              for c in store.codings.all_codings(app.project.db)))
        await pilot.press("e")
        await wait_for(pilot, lambda: any(m.startswith("Exported: ") for m in app.notified), timeout=5)
        out = next(m for m in app.notified if m.startswith("Exported: ")).split(": ", 1)[1]
        assert out.endswith(".csv") and "Egen kode" in open(out, encoding="utf-8-sig").read()
