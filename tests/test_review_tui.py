"""The review screen, driven with Pilot: the supervisor sets statuses and comments, the
student answers and resolves, and sees what changed since the review."""
from __future__ import annotations

from textual.widgets import ContentSwitcher, OptionList

from themecoder import store
from themecoder.core import review, themes
from themecoder.core.project import Project
from tui_fixtures import make_app, wait_for
from tui_fixtures import type_text as type_into

SIZE = (120, 40)


async def test_supervisor_reviews_and_student_answers(demo_project):
    app = make_app(demo_project, "Kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        screen = app.screen
        first_theme = screen.steps[0]
        assert first_theme.kind == "theme"
        await pilot.press("a")  # approve the first theme; the cursor moves on
        steps = screen.query_one("#rv-steps", OptionList)
        await wait_for(pilot, lambda: steps.highlighted == 1)
        mapping_index = next(n for n, s in enumerate(screen.steps) if s.kind == "mapping")
        steps.highlighted = mapping_index
        await pilot.pause()
        mapping = screen.steps[mapping_index]
        # the code's quotes are shown beside it
        quotes = screen.query_one("#rv-quotes", OptionList)
        assert quotes.option_count == len(store.codings.codings_for_code(app.project.db, mapping.code.id))
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AskText")
        await type_into(pilot, "Hører denne hjemme her?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        assert review.status_of(app.project, first_theme.theme.id) == "approved"
        assert review.status_of(app.project, mapping.theme.id, mapping.code.id) == "needs-revision"
        assert [(a.kind, a.coder) for a in app.project.history()[-2:]] == [("review-status", "Kari")] * 2
        await pilot.press("o")
        assert screen.query_one(ContentSwitcher).current == "rv-open"
        assert screen.query_one("#rv-open", OptionList).option_count == 1

    # The student answers, resolves, then changes something.
    with Project.open(demo_project, coder="student") as p:
        new = themes.create_theme(p, "Et nytt tema etter veiledning")
    app = make_app(demo_project, "student")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        screen = app.screen
        await pilot.press("o")
        await pilot.press("y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AskText")
        await type_into(pilot, "Jeg flytter den.")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        await pilot.press("x")
        await wait_for(pilot, lambda: review.open_threads(app.project) == [])
        item = review.item_for(app.project, mapping.theme.id, mapping.code.id)
        thread = item.threads[0]
        assert [c.author for c in thread.comments] == ["Kari", "student"]
        assert thread.resolved and thread.root.resolved_by == "student"
        await pilot.press("g")
        changes = screen.query_one("#rv-changes", OptionList)
        texts = [str(changes.get_option_at_index(i).prompt) for i in range(changes.option_count)]
        assert "Kari" in texts[0]
        assert any(new.name in t for t in texts)
        # Enter on a thread in the open list goes back to its step in the walk (none open now).
        await pilot.press("escape")
        assert screen.query_one(ContentSwitcher).current == "rv-walk"
