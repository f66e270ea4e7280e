"""Issue 14 (core and command line): matrix totals, a document's participant, title and
deletion, the code picker's ranking, search snippets."""
from __future__ import annotations

from test_tui_issue14 import nested_themes
from themecoder.cli import main


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
    code, out, err = run(capsys, "matrix", str(tui_project), "--json")
    assert code == 0, err
    import json

    data = json.loads(out)
    assert data["total"] == coded and sum(data["column_totals"]) == coded
    assert sum(r["total"] for r in data["rows"]) > coded  # the rows overlap; the total does not


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

    from test_tui_issue14 import open_doc
    from themecoder.core.coding import create_code
    from themecoder.core.project import Project
    from themecoder.tui.dialogs.code_picker import CodePicker
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


# -- 3: a document's participant, title and deletion, from the command line -------------------
def participant_of(path, title: str) -> str | None:
    from themecoder.core import resolve, views
    from themecoder.core.project import Project

    with Project.open(path, coder="student") as project:
        doc = resolve.document(project, title)
        return views.participant_names(project).get(doc.participant_id) if doc.participant_id else None


def test_document_set_participant_rename_delete_each_undoable(tui_project, capsys):
    p = str(tui_project)
    assert participant_of(tui_project, "anna") == "Anna"
    code, out, err = run(capsys, "document", "set-participant", p, "anna", "--new", "Informant 1")
    assert code == 0, err
    assert participant_of(tui_project, "anna") == "Informant 1"
    assert "Informant 1" in out
    # an existing participant, by pseudonym
    code, _, err = run(capsys, "document", "set-participant", p, "anna", "britt")
    assert code == 0, err
    assert participant_of(tui_project, "anna") == "Britt"
    # a typo is not a new person: one line, a did-you-mean, nothing changed
    code, _, err = run(capsys, "document", "set-participant", p, "anna", "Crl")
    assert code == 1 and "no participant 'Crl'" in err and "Carl" in err and "Traceback" not in err
    assert participant_of(tui_project, "anna") == "Britt"
    code, _, err = run(capsys, "document", "set-participant", p, "anna", "--new", "Carl")
    assert code == 1 and "exists already" in err
    code, _, err = run(capsys, "document", "set-participant", p, "anna")
    assert code == 1 and "--new" in err
    code, _, err = run(capsys, "document", "set-participant", p, "anna", "--none")
    assert code == 0, err
    assert participant_of(tui_project, "anna") is None
    # undo walks back: none → Britt → Informant 1
    assert run(capsys, "undo", p)[0] == 0
    assert participant_of(tui_project, "anna") == "Britt"
    assert run(capsys, "undo", p)[0] == 0
    assert participant_of(tui_project, "anna") == "Informant 1"
    # rename and delete
    code, out, err = run(capsys, "document", "rename", p, "anna", "Intervju 1")
    assert code == 0 and "Intervju 1" in out, err
    code, out, err = run(capsys, "document", "list", p)
    assert code == 0 and "Intervju 1\tInformant 1" in out
    code, _, err = run(capsys, "document", "delete", p, "Intervju 1")
    assert code == 1 and "--yes" in err  # not a terminal: no silent deletion
    code, out, err = run(capsys, "document", "delete", p, "Intervju 1", "--yes")
    assert code == 0 and "(2 codings)" in out, err
    code, out, _ = run(capsys, "document", "list", p)
    assert "Intervju 1" not in out
    assert run(capsys, "undo", p)[0] == 0
    code, out, _ = run(capsys, "document", "list", p)
    assert "Intervju 1\tInformant 1" in out


# -- 14: search snippets put no space before punctuation -----------------------------------
def test_search_snippets_keep_the_texts_own_spacing(tui_project):
    from themecoder.core.project import Project
    from themecoder.core.search import search
    from themecoder.tui.screens.search import kwic

    with Project.open(tui_project, coder="student") as project:
        hits = search(project, "relasjon")
        texts = {h.document_id: project_text(project, h.document_id) for h in hits}
    assert hits
    punct = [h for h in hits if texts[h.document_id][h.end] in ".,"]
    assert punct, [h.match + h.right[:3] for h in hits]
    for h in hits:
        text = texts[h.document_id]
        assert h.right.startswith(" ") == text[h.end].isspace()
        assert h.left.endswith(" ") == text[h.start - 1].isspace()
        line = str(kwic(h, 90)).splitlines()[1]
        assert (h.left[-5:] + h.match + h.right[:5]) in line
    for h in punct:
        assert not h.right.startswith(" ")
        assert h.match + h.right[0] in str(kwic(h, 90))


def project_text(project, doc_id: str) -> str:
    from themecoder.core import views

    return views.document_text(project, doc_id)
