"""Blind coding from every door (issue 12 follow-up): the overview, review and theme screens,
the CLI commands that print codings or their counts, and exports.

The three-interview project is coded by "testkoder"; a second coder, "ola", codes one passage
of Anna with a code of her own ("Egen kode") and one passage with the shared "Tidspress". Both
codes are grouped under the theme "Rammer". Blind, testkoder sees none of ola's codings.
"""
from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, OptionList, Static

from themecoder import store
from themecoder.cli import main
from themecoder.core import blind, resolve, themes
from themecoder.core.project import Project
from tui_fixtures import CODER, make_app, wait_for
from tui_fixtures import add_ola as add_second_coder

SIZE = (120, 40)


def add_ola(path) -> None:
    """ola codes (see tui_fixtures.add_ola); both codes go under the theme «Rammer»."""
    add_second_coder(path)
    with Project.open(path, coder=CODER) as p:
        theme = themes.create_theme(p, "Rammer")
        for label in ("Tidspress", "Egen kode"):
            themes.add_code_to_theme(p, store.codes.code_by_label(p.db, label).id, theme.id)


@pytest.fixture
def two_coders(tui_project):
    add_ola(tui_project)
    return tui_project


def ola_ids(project: Project) -> set[str]:
    return {c.id for c in store.codings.all_codings(project.db) if c.coder == "ola"}


# -- the rule ---------------------------------------------------------------------------------
def test_the_views_count_only_the_visible_coders_codings(two_coders):
    from themecoder.core import views

    with Project.open(two_coders, coder=CODER) as p:
        everyone = views.counts(p)["codings"]
        assert views.counts(p, coder=CODER)["codings"] == everyone - 2
        anna = resolve.document(p, "anna").id
        rows = {r.id: r for r in views.document_overview(p)}
        mine = {r.id: r for r in views.document_overview(p, coder=CODER)}
        assert rows[anna].codings == mine[anna].codings + 2
        assert mine[anna].coded_share < rows[anna].coded_share   # ola's own passage is not counted
        m = themes.code_matrix(p, rows="codes", coder=CODER)
        totals, total = views.matrix_totals(p, m)
        assert total == everyone - 2 == sum(m.row_total(i) for i in range(len(m.rows)))


# -- the workbench ----------------------------------------------------------------------------
async def test_overview_hides_the_other_coders_codings_when_blind(two_coders):
    app = make_app(two_coders, coder=CODER, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        anna = resolve.document(app.project, "anna").id
        table = app.screen.query_one(DataTable)
        everyone = len(store.codings.codings_for_document(app.project.db, anna))
        summary = app.screen.query_one("#overview-summary", Static)
        total = store.project.counts(app.project.db)["codings"]
        assert table.get_cell(anna, "codings") == str(everyone - 2)
        assert f"{total - 2} codings" in str(summary.render())
        await pilot.press("ctrl+b")                                  # blind off: ola's are counted
        await wait_for(pilot, lambda: table.get_cell(anna, "codings") == str(everyone))
        assert f"{total} codings" in str(summary.render())


async def test_review_screen_hides_the_other_coders_quotes_when_blind(two_coders):
    app = make_app(two_coders, coder=CODER, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReviewScreen")
        screen = app.screen
        steps = screen.query_one("#rv-steps", OptionList)
        quotes = screen.query_one("#rv-quotes", OptionList)
        at = next(i for i, s in enumerate(screen.steps) if s.code is not None and s.code.label == "Tidspress")
        steps.highlighted = at
        await pilot.pause()
        await wait_for(pilot, lambda: quotes.option_count == 2)
        shown = {quotes.get_option_at_index(i).id for i in range(quotes.option_count)}
        assert not shown & ola_ids(app.project)
        assert not any("ola" in t and "coding" in t for t in _change_lines(screen))   # nor her codings in the changes
        await pilot.press("ctrl+b")                                  # blind off
        await pilot.pause()
        steps.highlighted = at
        await wait_for(pilot, lambda: quotes.option_count == 3)
        shown = {quotes.get_option_at_index(i).id for i in range(quotes.option_count)}
        assert ola_ids(app.project) & shown
        assert any("ola" in t and "coding" in t for t in _change_lines(screen))


def _change_lines(screen) -> list[str]:
    changes = screen.query_one("#rv-changes", OptionList)
    return [str(changes.get_option_at_index(i).prompt) for i in range(changes.option_count)]


def _theme_row(screen) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(screen.query_one("#tg-tree", OptionList).get_option_at_index(0).prompt)
    return console.export_text()


async def test_theme_screen_counts_and_key_quotes_follow_blindness(two_coders):
    from themecoder.tui.dialogs.key_quote_picker import KeyQuotePicker

    app = make_app(two_coders, coder=CODER, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThemesScreen")
        screen = app.screen
        # Tidspress: testkoder 2 + ola 1; Egen kode: ola 1
        assert "2 codings" in _theme_row(screen), _theme_row(screen)
        screen.query_one("#tg-tree", OptionList).highlighted = 0
        await pilot.pause()
        screen.action_key_quote()
        await wait_for(pilot, lambda: isinstance(app.screen, KeyQuotePicker))
        await pilot.pause()
        assert len(app.screen.rows) == 2
        assert not {r[0] for r in app.screen.rows} & ola_ids(app.project)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+b")                                  # blind off
        await wait_for(pilot, lambda: "4 codings" in _theme_row(screen))
        screen.query_one("#tg-tree", OptionList).highlighted = 0
        screen.action_key_quote()
        await wait_for(pilot, lambda: isinstance(app.screen, KeyQuotePicker))
        await pilot.pause()
        assert ola_ids(app.project) <= {r[0] for r in app.screen.rows}
        assert app.screen.query_one("#key-quotes", OptionList).option_count == 1 + 4   # "no key quote" + 4


async def test_the_project_setting_blinds_the_overview_without_the_flag(two_coders):
    with Project.open(two_coders, coder=CODER) as p:
        blind.set_blind_until_agreement(p, True)
    app = make_app(two_coders, coder=CODER)   # no --blind: the project decides
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        anna = resolve.document(app.project, "anna").id
        everyone = len(store.codings.codings_for_document(app.project.db, anna))
        assert app.screen.query_one(DataTable).get_cell(anna, "codings") == str(everyone - 2)


# -- the command line ---------------------------------------------------------------------------
def _json(capsys, argv: list[str]):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_codes_blind(two_coders, capsys):
    p = str(two_coders)
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["--coder", CODER, "codes", p, "--json"])}
    assert counts["Tidspress"] == 3 and counts["Egen kode"] == 1
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["--coder", CODER, "codes", p, "--blind", "--json"])}
    assert counts["Tidspress"] == 2 and counts["Egen kode"] == 0
    # the other coder, blind, sees her own
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["--coder", "ola", "codes", p, "--blind", "--json"])}
    assert counts["Tidspress"] == 1 and counts["Egen kode"] == 1 and counts["Relasjon som grunnlag"] == 0


def test_matrix_blind(two_coders, capsys):
    p = str(two_coders)
    full = _json(capsys, ["--coder", CODER, "matrix", p, "--rows", "codes", "--json"])
    seen = _json(capsys, ["--coder", CODER, "matrix", p, "--rows", "codes", "--json", "--blind"])
    assert seen["total"] == full["total"] - 2
    cell = _json(capsys, ["--coder", CODER, "matrix", p, "--rows", "codes", "--blind", "--json",
                          "--cell", "Egen kode", "Anna"])
    assert cell == []
    cell = _json(capsys, ["--coder", CODER, "matrix", p, "--rows", "codes", "--json", "--cell", "Egen kode", "Anna"])
    assert [c["coder"] for c in cell] == ["ola"]


def test_quotes_of_a_code_blind(two_coders, capsys):
    p = str(two_coders)
    shown = _json(capsys, ["--coder", CODER, "codebook", "show", p, "Tidspress", "--json", "--blind"])
    assert {c["coder"] for c in shown["codings"]} == {CODER} and len(shown["codings"]) == 2
    shown = _json(capsys, ["--coder", CODER, "codebook", "show", p, "Tidspress", "--json"])
    assert len(shown["codings"]) == 3
    steps = _json(capsys, ["--coder", CODER, "theme", "list", p, "--json", "--blind"])
    assert steps[0]["codings"] == 2


def test_info_and_document_list_blind(two_coders, capsys):
    p = str(two_coders)
    full = _json(capsys, ["--coder", CODER, "info", p, "--json"])
    seen = _json(capsys, ["--coder", CODER, "info", p, "--json", "--blind"])
    assert seen["codings"] == full["codings"] - 2
    assert sum(d["codings"] for d in seen["document_list"]) == seen["codings"]
    docs = _json(capsys, ["--coder", CODER, "document", "list", p, "--json", "--blind"])
    assert sum(d["codings"] for d in docs) == seen["codings"]


def test_the_project_setting_applies_to_the_cli(two_coders, capsys, monkeypatch):
    p = str(two_coders)
    assert main(["blind", p, "on"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("THEMECODER_CODER", CODER)                    # the coder from the environment
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["codes", p, "--json"])}
    assert counts["Egen kode"] == 0 and counts["Tidspress"] == 2
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["--coder", "ola", "codes", p, "--json"])}
    assert counts["Egen kode"] == 1 and counts["Tidspress"] == 1
    assert main(["agreement", p, "--coders", "ola", CODER, "--json"]) == 0   # computing lifts it
    capsys.readouterr()
    counts = {r["label"]: r["codings"] for r in _json(capsys, ["codes", p, "--json"])}
    assert counts["Egen kode"] == 1 and counts["Tidspress"] == 3


# -- exports ----------------------------------------------------------------------------------
def test_exports_are_refused_while_the_exporter_is_blind(two_coders, capsys, tmp_path):
    p = str(two_coders)
    assert main(["blind", p, "on"]) == 0
    capsys.readouterr()
    for what, out in (("quotes", "q.md"), ("codebook", "c.csv"), ("qdpx", "x.qdpx")):
        target = tmp_path / out
        assert main(["--coder", CODER, "export", what, p, "-o", str(target), "--allow-unreviewed"]) == 1
        err = capsys.readouterr().err
        assert "blind until agreement is computed" in err and "Traceback" not in err
        assert not target.exists()
    target = tmp_path / "pack.html"
    assert main(["--coder", CODER, "review", "pack", p, "-o", str(target), "--allow-unreviewed"]) == 1
    assert not target.exists()
    capsys.readouterr()
    # agreement reports are not refused, and computing agreement lifts the blindness
    report = tmp_path / "agreement.md"
    assert main(["--coder", CODER, "agreement", p, "--coders", "ola", CODER, "-o", str(report),
                 "--allow-unreviewed"]) == 0
    assert report.is_file()
    target = tmp_path / "c.csv"
    assert main(["--coder", CODER, "export", "codebook", p, "-o", str(target), "--allow-unreviewed"]) == 0
    assert target.is_file()


def test_an_export_asked_for_blind_is_refused_too(two_coders, capsys, tmp_path):
    from themecoder.errors import UserError
    from themecoder.io.export import ExportOptions, run_export

    target = tmp_path / "c.csv"
    assert main(["--coder", CODER, "export", "codebook", str(two_coders), "-o", str(target),
                 "--allow-unreviewed", "--blind"]) == 1
    assert "export without --blind" in capsys.readouterr().err and not target.exists()
    with Project.open(two_coders, coder=CODER) as p, pytest.raises(UserError, match="blind"):
        run_export(p, "quotes", tmp_path / "q.md", ExportOptions(blind=True, allow_unreviewed=True))
    # the review file holds no codings: allowed while blind
    with Project.open(two_coders, coder=CODER) as p:
        result = run_export(p, "review", tmp_path / "r.json", ExportOptions(blind=True, allow_unreviewed=True))
        assert result.path.is_file()


def test_joint_display_blind(two_coders, capsys):
    p = str(two_coders)
    rows = {r["theme"]: r for r in _json(capsys, ["--coder", CODER, "joint-display", p, "--json", "--blind"])["rows"]}
    assert rows["Rammer"]["codings"] == 2
    rows = {r["theme"]: r for r in _json(capsys, ["--coder", CODER, "joint-display", p, "--json"])["rows"]}
    assert rows["Rammer"]["codings"] == 4


async def test_the_export_screen_refuses_while_blind(two_coders, tmp_path):
    from textual.widgets import Input, Select

    from themecoder.tui.screens.export import ExportScreen

    out = tmp_path / "koder.csv"
    app = make_app(two_coders, coder=CODER, blind=True)
    async with app.run_test(size=(110, 44)) as pilot:
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#export-kind", Select).value = "codebook"
        await pilot.pause()
        screen.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        field = screen.query_one("#export-path", Input)
        field.value = str(out)
        field.focus()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.exporting)
        await pilot.pause()
        assert "blind" in str(screen.query_one("#export-result", Static).render())
        assert not out.exists()
