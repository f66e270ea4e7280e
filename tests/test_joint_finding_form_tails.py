"""The finding form's tails field (issue 13 follow-up), driven with Pilot on the demo project:
a t(30) = 1.80, p = .04 entered two-tailed (the default) is a decision error; corrected in the
form to one-tailed, the stored finding is one-tailed, the check finds it consistent, and the
joint display says "ensidig" and no longer shows the ⚑ marker."""
from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from themecoder.core import findings as F
from themecoder.core.project import Project
from tui_fixtures import make_app, wait_for

SIZE = (140, 45)


def on(app, name: str):
    return lambda: type(app.screen).__name__ == name


def stored(path, label: str) -> tuple[F.StoredSurveyFinding, F.CheckedSurveyFinding]:
    with Project.open(path) as p:
        sf = F.find_finding(p, label)
        return sf, F.checks_by_id(p)[sf.id]


def detail(app) -> str:
    return str(app.screen.query_one("#jd-detail").render())


async def test_tails_in_the_form_changes_the_stored_finding_and_its_check(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        app.screen.select_theme("Faglig utvikling")
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, on(app, "JointFindingChooser"))
        await pilot.press("enter")  # "Enter a new finding …"
        await wait_for(pilot, on(app, "JointFindingForm"))
        form = app.screen
        tails = form.query_one("#jd-f-tails", Select)
        assert tails.value == 2  # two-tailed unless said otherwise
        for name, value in {"scale": "Mestring", "statistic": "1,80", "df": "30", "p_reported": ",04",
                            "n": "32"}.items():
            form.query_one(f"#jd-f-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointOutcomeChooser"))
        await pilot.press("1")
        await wait_for(pilot, on(app, "JointMetaInferenceEditor"))
        app.screen.query_one(TextArea).insert("Mestring henger sammen med erfaring.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()

        sf, checked = stored(demo_project, "F9")
        assert sf.finding.tails == 2 and sf.finding.scale == "Mestring"
        assert checked.status == "decision-error"  # p = .04 two-tailed, but t(30) = 1.80 gives .08
        assert app.screen.current()[1].finding.id == sf.id
        assert "⚑ Beslutningsfeil" in detail(app) and "ensidig" not in detail(app)

        # u: correct the finding; the form shows its tails; choose one-tailed with the keyboard
        await pilot.press("u")
        await wait_for(pilot, on(app, "JointFindingForm"))
        form = app.screen
        tails = form.query_one("#jd-f-tails", Select)
        assert tails.value == 2
        tails.focus()
        await pilot.pause()
        await pilot.press("enter")      # open the menu
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert tails.value == 1
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()

        sf, checked = stored(demo_project, "F9")
        assert sf.finding.tails == 1
        assert (sf.finding.statistic, sf.finding.df, sf.finding.p_reported) == (1.8, 30, ",04")
        assert checked.status == "ok" and not checked.flagged
        assert any(m.key == "one_tailed" for m in checked.result.messages)
        text = detail(app)
        assert "p = ,04, ensidig" in text and "⚑" not in text

        # reopened, the form keeps one-tailed; escape changes nothing
        await pilot.press("u")
        await wait_for(pilot, on(app, "JointFindingForm"))
        assert app.screen.query_one("#jd-f-tails", Select).value == 1
        await pilot.press("escape")
        await wait_for(pilot, on(app, "JointDisplayScreen"))

        # one undo brings the two-tailed finding back, and with it the decision error
        await pilot.press("ctrl+z")
        await pilot.pause()
        sf, checked = stored(demo_project, "F9")
        assert sf.finding.tails == 2 and checked.status == "decision-error"
