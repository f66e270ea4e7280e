"""Issue 14 (core and command line): matrix totals, a document's participant, title and
deletion, the code picker's ranking, search snippets."""
from __future__ import annotations

from themecoder.cli import main
from test_tui_issue14 import nested_themes


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- 5 -------------------------------------------------------------------------------------
def test_cli_matrix_has_a_total_row_of_distinct_codings(tui_project, capsys):
    coded = nested_themes(tui_project)
    code, out, err = run(capsys, "matrix", str(tui_project))
    assert code == 0, err
    last = out.splitlines()[-1].split()
    assert last[0] == "Total" and last[-1] == str(coded)
    assert sum(int(v) for v in last[1:-1]) == coded


# -- 12: the code picker ranks by shared lemmas as well as characters -------------------------
QUERY = "nyutdannet sosionom i første jobb"


def test_rank_codes_by_shared_lemmas():
    from themecoder.core.coding import fuzzy_codes
    from themecoder.core.views import rank_codes
    from themecoder.model import Code

    codes = [Code(str(i), label, "", "#000000", False, None, "") for i, label in enumerate(
        ["bolig først", "nyutdannede kommer med nye ideer", "Relasjon som grunnlag", "Tidspress"])]
    ranked, strong = rank_codes(fuzzy_codes(codes, QUERY), QUERY)
    assert strong == 0
    assert [s.code.label for s in ranked][0] == "nyutdannede kommer med nye ideer"


async def test_picker_offers_the_code_sharing_a_lemma_first(tui_project):
    from textual.widgets import OptionList

    from themecoder.core.coding import create_code
    from themecoder.core.project import Project
    from themecoder.tui.dialogs.code_picker import CodePicker
    from test_tui_issue14 import open_doc
    from tui_fixtures import make_app, type_text

    with Project.open(tui_project, coder="student") as project:
        create_code(project, "bolig først")
        wanted = create_code(project, "nyutdannede kommer med nye ideer")
    app = make_app(tui_project)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_doc(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, QUERY)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[0] == "new"
        assert ids[1] == f"code:{wanted.id}"
