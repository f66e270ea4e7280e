"""The joint display screen driven with Pilot on the demo project; assertions are on the
database: link a finding to a theme, change its outcome, edit the meta-inference, remove
it, enter a new finding in the form, set the design, undo."""
from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Select, TextArea

from themecoder.core import findings as F
from themecoder.core import resolve
from themecoder.core.project import Project
from tui_fixtures import make_app, wait_for

SIZE = (140, 45)


def on(app, name: str):
    return lambda: type(app.screen).__name__ == name


def links(path) -> dict[tuple[str, str], F.Link]:
    with Project.open(path) as p:
        paths = F.theme_paths(p.db)
        return {(paths[link.theme_id], F.get_finding(p, link.finding_id).label): link for link in F.list_links(p)}


async def open_joint_display(pilot, app) -> None:
    await pilot.press("J")
    await wait_for(pilot, on(app, "JointDisplayScreen"))
    await pilot.pause()


async def test_link_a_finding_change_outcome_edit_and_remove(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_joint_display(pilot, app)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.keys) >= 8

        # a: link "Samarbeid med andre tjenester" (no links yet) to F6 as discordance
        screen.select_theme("Samarbeid med andre tjenester")
        await pilot.pause()
        assert screen.current()[1] is None
        await pilot.press("a")
        await wait_for(pilot, on(app, "JointFindingChooser"))
        chooser_input = app.screen.query_one(Input)
        chooser_input.value = "Rolleforventninger"
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, on(app, "JointOutcomeChooser"))
        await pilot.press("3")
        await wait_for(pilot, on(app, "JointMetaInferenceEditor"))
        app.screen.query_one(TextArea).insert("Samarbeidet med andre tjenester tar tid fra de erfarne.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        got = links(demo_project)[("Samarbeid med andre tjenester", "F6")]
        assert got.outcome == "discordance"
        assert got.meta_inference == "Samarbeidet med andre tjenester tar tid fra de erfarne."
        # the cursor is on the new link
        assert screen.current()[1].link.id == got.id

        # o: change the outcome to confirmation
        await pilot.press("o")
        await wait_for(pilot, on(app, "JointOutcomeChooser"))
        await pilot.press("1")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        assert links(demo_project)[("Samarbeid med andre tjenester", "F6")].outcome == "confirmation"

        # e: rewrite the meta-inference
        await pilot.press("e")
        await wait_for(pilot, on(app, "JointMetaInferenceEditor"))
        area = app.screen.query_one(TextArea)
        area.text = "Ny metainferens."
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        assert links(demo_project)[("Samarbeid med andre tjenester", "F6")].meta_inference == "Ny metainferens."

        # x: remove the link, then ctrl+z brings it back
        await pilot.press("x")
        await wait_for(pilot, on(app, "JointConfirm"))
        await pilot.press("y")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        assert ("Samarbeid med andre tjenester", "F6") not in links(demo_project)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert links(demo_project)[("Samarbeid med andre tjenester", "F6")].meta_inference == "Ny metainferens."

        # an existing demo link: change its outcome from the table
        screen.select_theme("Relasjoner og sosial inkludering")
        await pilot.pause()
        assert screen.current()[1].outcome == "discordance"
        await pilot.press("o")
        await wait_for(pilot, on(app, "JointOutcomeChooser"))
        await pilot.press("2")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        assert links(demo_project)[("Relasjoner og sosial inkludering", "F8")].outcome == "expansion"
        # the other demo links are untouched
        assert links(demo_project)[("Faglig utvikling", "F5")].outcome == "expansion"
        assert len(links(demo_project)) == 9


async def test_enter_a_finding_in_the_form_and_link_it(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_joint_display(pilot, app)
        screen = app.screen
        screen.select_theme("Faglig utvikling")
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, on(app, "JointFindingChooser"))
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(0).id == "__new__"
        # F5 is linked to this theme already, so it is not offered again
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        with Project.open(demo_project) as p:
            assert F.find_finding(p, "F5").id not in ids and F.find_finding(p, "F6").id in ids
        await pilot.press("enter")  # "Enter a new finding …"
        await wait_for(pilot, on(app, "JointFindingForm"))
        form = app.screen
        form.query_one("#jd-f-test", Select).value = "welch"
        values = {"instrument": "QPS Nordic", "scale": "Kontroll i arbeidet", "comparison": "nye vs. erfarne",
                  "statistic": "-2,14", "df": "31,6", "p_reported": ",04", "n": "42",
                  "statement": "Nyansatte opplevde mindre kontroll i arbeidet."}
        for name, value in values.items():
            form.query_one(f"#jd-f-{name}", Input).value = value
        for k, (name, n, m, sd) in enumerate([("nye", "18", "3,61", "0,70"), ("erfarne", "24", "4,05", "0,58")], 1):
            for part, value in zip(("name", "n", "mean", "sd"), (name, n, m, sd)):
                form.query_one(f"#jd-g{k}-{part}", Input).value = value
        # a bad value keeps the form open with the problem shown
        form.query_one("#jd-f-df", Input).value = "tretti"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "JointFindingForm"
        assert "df" in str(form.query_one("#jd-form-error").render())
        form.query_one("#jd-f-df", Input).value = "31,6"
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointOutcomeChooser"))
        await pilot.press("2")
        await wait_for(pilot, on(app, "JointMetaInferenceEditor"))
        app.screen.query_one(TextArea).insert("De nye forteller om usikkerhet.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()

    with Project.open(demo_project) as p:
        sf = F.find_finding(p, "F9")
        f = sf.finding
        assert (f.instrument, f.scale, f.comparison, f.test) == ("QPS Nordic", "Kontroll i arbeidet",
                                                                 "nye vs. erfarne", "welch")
        assert (f.statistic, f.statistic_reported, f.df, f.p_reported, f.n) == (-2.14, "-2,14", 31.6, ",04", 42)
        assert [(g.name, g.n, g.mean, g.sd) for g in f.groups] == [("nye", 18, 3.61, 0.70),
                                                                    ("erfarne", 24, 4.05, 0.58)]
        assert f.source == "reported"
        theme = resolve.theme(p, "Faglig utvikling")
        link = F.get_link(p, theme.id, sf.id)
        assert (link.outcome, link.meta_inference) == ("expansion", "De nye forteller om usikkerhet.")


async def test_design_and_subthemes(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_joint_display(pilot, app)
        screen = app.screen
        rows_before = screen.query_one(DataTable).row_count
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one(DataTable).row_count > rows_before  # every subtheme now
        await pilot.press("d")
        await wait_for(pilot, on(app, "JointDesignChooser"))
        await pilot.press("1")
        await wait_for(pilot, on(app, "JointDisplayScreen"))
        await pilot.pause()
        with Project.open(demo_project) as p:
            assert F.get_design(p) == "convergent"
        await pilot.press("ctrl+z")
        await pilot.pause()
        with Project.open(demo_project) as p:
            assert F.get_design(p) == "explanatory-sequential"
        assert "explanatory-sequential" in str(screen.query_one("#jd-title").render())
