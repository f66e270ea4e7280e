"""Issue 14: what a new student and a supervisor trip over in the workbench (Pilot)."""
from __future__ import annotations

from textual.widgets import Input, OptionList

from themecoder import store
from themecoder.tui.screens.search import SearchScreen
from themecoder.tui.screens.transcript import TranscriptScreen
from tui_fixtures import make_app, type_text, wait_for

SIZE = (100, 32)


async def open_doc(pilot, row: int = 0) -> TranscriptScreen:
    app = pilot.app
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
    await pilot.pause()
    return app.screen


# -- 1: a key that types text never quits or acts while an input is expected ---------------
async def test_reopened_search_focuses_its_input_and_q_is_text(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "relasjon")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(screen.hits), timeout=60)
        await pilot.press("down", "enter")  # into the results, jump to a hit
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        await pilot.press("slash")  # search again
        assert app.screen is screen
        box = screen.query_one("#search-input", Input)
        assert app.focused is box
        await pilot.press("ctrl+a", "ctrl+k", "q")
        assert app.is_running and app.return_code is None
        assert box.value == "q"


async def test_typing_on_the_result_list_goes_to_the_search_box(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = app.screen
        await type_text(pilot, "tid")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(screen.hits), timeout=60)
        await pilot.press("down")
        assert isinstance(app.focused, OptionList)
        await pilot.press("q", "T", "O")  # quit, Themes, overview: all text here
        assert app.is_running and app.screen is screen
        box = screen.query_one("#search-input", Input)
        assert app.focused is box and box.value == "tidqTO"


async def test_typing_on_the_code_list_goes_to_its_filter(tui_project):
    from themecoder.tui.screens.codes import CodeListScreen

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        screen = app.screen
        assert isinstance(screen, CodeListScreen)
        await pilot.press("down")  # from the filter to the list
        assert app.focused is screen.query_one("#code-list")
        await pilot.press("q", "X")  # quit and the matrix: text here
        assert app.is_running and app.screen is screen
        box = screen.query_one("#code-filter", Input)
        assert app.focused is box and box.value == "qX"
        await pilot.press("escape")  # the screen's own keys still work
        assert not isinstance(app.screen, CodeListScreen)


async def test_typing_on_a_pickers_list_goes_to_its_filter(tui_project):
    from themecoder.tui.dialogs.code_picker import CodePicker

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot)
        await pilot.press("c")
        picker = app.screen
        assert isinstance(picker, CodePicker)
        picker.query_one(OptionList).focus()
        await pilot.pause()
        await pilot.press("q")
        assert app.is_running and app.screen is picker
        assert picker.query_one(Input).value == "q"


# -- 2: ctrl+right moves the selection's start by a word ------------------------------------
async def test_ctrl_right_moves_the_start_one_word(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        text = view.text
        while len(view.selected_text.split()) < 4:
            await pilot.press("down")
        s, e = view.selection
        first = text[s:e].split()[0]
        await pilot.press("ctrl+right")
        s2, e2 = view.selection
        assert e2 == e
        assert text[s:s2].strip() == first, (text[s:e], text[s2:e])
        await pilot.press("ctrl+right")
        second = text[s:e].split()[1]
        assert text[s2:view.selection[0]].strip() == second
        await pilot.press("ctrl+left")
        assert view.selection[0] == s2


# -- 5: the matrix's Total counts each coding once ------------------------------------------
def nested_themes(path) -> int:
    """Relasjon ← Relasjon som grunnlag; Rammer ← Dokumentasjon and Relasjon som grunnlag
    (a code in two themes); Rammer › Tid ← Tidspress. Returns the codings under themes."""
    from themecoder.core import resolve, themes
    from themecoder.core.project import Project

    with Project.open(path, coder="student") as project:
        relasjon = themes.create_theme(project, "Relasjon")
        rammer = themes.create_theme(project, "Rammer")
        tid = themes.create_theme(project, "Tid", parent_id=rammer.id)
        rel = resolve.code(project, "Relasjon som grunnlag").id
        themes.map_codes(project, [rel], relasjon.id)
        themes.map_codes(project, [rel, resolve.code(project, "Dokumentasjon tar tid fra brukerne").id], rammer.id)
        themes.map_codes(project, [resolve.code(project, "Tidspress").id], tid.id)
    return 3 + 2 + 2


async def test_matrix_total_counts_distinct_codings(tui_project):
    from textual.widgets import DataTable

    from themecoder.tui.screens.matrix import MatrixScreen

    coded = nested_themes(tui_project)
    app = make_app(tui_project)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("X")
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(DataTable)
        total = table.get_row("__total__")
        assert str(total[-1]) == str(coded)
        assert sum(int(str(v)) for v in total[1:-1]) == coded


# -- 11: escape in the memo editor asks before throwing typed text away ---------------------
async def test_memo_escape_asks_before_discarding(tui_project):
    from themecoder.tui.dialogs.confirm import Confirm
    from themecoder.tui.dialogs.memo_editor import MemoScreen

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        await pilot.press("M")  # memo on the document
        memo = app.screen
        assert isinstance(memo, MemoScreen)
        await type_text(pilot, "Viktig intervju")
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # back to the memo, text kept
        assert app.screen is memo
        assert memo.query_one("TextArea").text == "Viktig intervju"
        await pilot.press("escape", "y")
        assert app.screen is screen
        assert store.memos.memos(app.project.db, "document", screen.doc_id) == []
        # nothing typed: escape closes at once
        await pilot.press("M")
        assert isinstance(app.screen, MemoScreen)
        await pilot.press("escape")
        assert app.screen is screen


# -- 7: the command palette: the app's own actions first, with their keys --------------------
async def palette_titles(pilot, query: str = "") -> list[tuple[str, str]]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    if query:
        await type_text(pilot, query)
    await pilot.pause(0.8)
    options = pilot.app.screen.query_one(CommandList)
    out = []
    for i in range(options.option_count):
        title, _, help_text = str(options.get_option_at_index(i).prompt).partition("\n")
        out.append((title, help_text))
    return out


async def test_palette_lists_the_workbench_first_and_finds_export_and_themes(tui_project):
    from themecoder.tui.screens.export import ExportScreen
    from themecoder.tui.screens.themes_grouping import ThemesScreen

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot)
        listed = await palette_titles(pilot)
        titles = [t for t, _ in listed]
        for generic in ("Cursor up", "Cursor down", "Page Left", "Focus Next"):
            assert generic not in titles
        # the reader's own keys first, each with its key; Textual's commands last
        assert titles[0] != "Colour scheme" and "key:" in listed[0][1]
        assert "Colour scheme" in titles and "Theme" not in titles
        assert titles.index("Colour scheme") > titles.index("Open: Export")
        assert ("Code", "key: c") in listed
        await pilot.press("escape")
        found = await palette_titles(pilot, "theme")
        assert found[0][0] == "Open: Themes" and "key: T" in found[0][1]
        await pilot.press("escape")
        found = await palette_titles(pilot, "export")
        assert found and found[0][0] == "Open: Export"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        found = await palette_titles(pilot, "themes")
        assert found[0][0] == "Open: Themes"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemesScreen))


# -- 6: help (f1) lists the keys of the screen it is opened on --------------------------------
async def test_help_lists_the_keys_of_every_registry_screen_first(tui_project):
    from textual.widgets import Static

    from themecoder.tui import registry
    from themecoder.tui.screens.help import HelpScreen, declared_bindings

    nested_themes(tui_project)
    app = make_app(tui_project)
    async with app.run_test(size=(110, 36)) as pilot:
        for e in registry.SCREENS:
            app.action_open_screen(e.id)
            await pilot.pause()
            screen = app.screen
            assert getattr(screen, "_registry_entry", None) == e.id
            app.action_help()
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            groups = [str(w.render()) for w in help_screen.query(".help-group").results(Static)]
            assert groups[0] == f"This screen: {e.title}", groups[:3]
            own = declared_bindings(type(screen))
            assert own, e.title
            first = help_screen.text.split("Everywhere")[0]
            for b in own:
                assert b.description in first, (e.title, b.description)
            await pilot.press("escape")
            assert app.screen is screen
            if e.title == "Themes":
                assert any(b.key == "k" and b.description == "Key quote" for b in own)
                assert "Key quote" in first


async def test_help_on_the_reader_lists_its_keys_and_the_mouse_apart(tui_project):
    from textual.widgets import Static

    from themecoder.tui.screens.help import HelpScreen

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        groups = [str(w.render()) for w in app.screen.query(".help-group").results(Static)]
        assert groups[:2] == ["This screen: Transcript: coding", "This screen: Transcript: moving and selecting"]
        assert groups.count("Transcript: moving and selecting") == 0  # not twice
        keys = [w for w in app.screen.query(".help-key").results(Static) if "double-click" in str(w.render())]
        assert keys
        label = str(keys[0].render())
        # the key column is wide enough: "mouse double-click" never runs into "select a word"
        assert keys[0].content_region.width >= len(label)


# -- 3: a document's participant, title and deletion in the workbench --------------------------
async def test_overview_sets_the_participant_renames_and_deletes_a_document(tui_project):
    from textual.widgets import DataTable

    from themecoder.tui.dialogs.participant_picker import ParticipantPicker

    app = make_app(tui_project)

    def participant(title: str) -> str | None:
        from themecoder.core import views

        row = next(r for r in views.document_overview(app.project) if r.title == title)
        return row.participant

    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(DataTable)
        assert participant("anna") == "Anna"
        await pilot.press("p")
        assert isinstance(app.screen, ParticipantPicker)
        await type_text(pilot, "Informant 1")
        await pilot.press("enter")
        assert participant("anna") == "Informant 1"
        assert "Informant 1" in str(table.get_row_at(0)[1])
        await pilot.press("p")
        await type_text(pilot, "brit")
        await pilot.press("enter")
        assert participant("anna") == "Britt"
        await pilot.press("ctrl+z")
        assert participant("anna") == "Informant 1"
        # rename (r) and delete (delete, confirmed), both undoable
        await pilot.press("r")
        box = app.screen.query_one(Input)
        box.value = "Intervju 1"
        await pilot.press("enter")
        assert participant("Intervju 1") == "Informant 1"
        await pilot.press("delete")
        await pilot.press("y")
        from themecoder.core import views

        assert [r.title for r in views.document_overview(app.project)] == ["britt", "carl"]
        await pilot.press("ctrl+z")
        assert "Intervju 1" in [r.title for r in views.document_overview(app.project)]


# -- 14: long code labels wrap under themselves; the unthemed list in T is wide enough --------
LONG = "nyutdannede kommer med nye ideer og utfordrer det etablerte i teamet"


async def test_long_code_labels_wrap_with_a_hanging_indent(tui_project):
    from themecoder.core.coding import create_code
    from themecoder.core.project import Project
    from themecoder.tui.screens.codes import CodeListScreen
    from themecoder.tui.screens.themes_grouping import ThemesScreen

    with Project.open(tui_project, coder="student") as project:
        create_code(project, LONG)
    app = make_app(tui_project)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("T")
        assert isinstance(app.screen, ThemesScreen)
        await pilot.pause()
        unthemed = app.screen.query_one("#tg-unthemed", OptionList)
        assert unthemed.size.width >= 45  # half the screen, not a strip
        lines = ["".join(s.text for s in unthemed.render_line(y)) for y in range(unthemed.size.height)]
        first = next(i for i, line in enumerate(lines) if "nyutdannede" in line)
        rows = [first]
        while first + len(rows) < len(lines) and lines[first + len(rows)].startswith("      "):
            rows.append(first + len(rows))
        assert len(rows) == 2, lines[first:first + 4]  # wrapped once, under the label
        label_col = lines[first].index("nyutdannede")
        assert lines[rows[1]][:label_col].strip() == ""
        assert lines[rows[1]][label_col] != " "
        # the code list (C) too
        await pilot.press("escape", "C")
        assert isinstance(app.screen, CodeListScreen)
        await pilot.pause()
        codes = app.screen.query_one(OptionList)
        lines = ["".join(s.text for s in codes.render_line(y)) for y in range(codes.size.height)]
        first = next(i for i, line in enumerate(lines) if "nyutdannede" in line)
        col = lines[first].index("nyutdannede")
        assert lines[first + 1][:col].strip() == "" and lines[first + 1][col] != " "


# -- 14: the language-pipeline notice shows once, then the status bar keeps it ---------------
async def test_fallback_notice_shows_once_and_stays_in_the_status_bar(tui_project, tmp_path, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    notices = tmp_path / "state" / "notices.json"
    for start in (1, 2):
        app = make_app(tui_project, nlp=True, notices=notices)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.pipeline is not None, timeout=60)
            await pilot.pause()
            shown = [m for m in app.notified if "fallback" in m.casefold() or "model" in m.casefold()]
            nlp = app.screen.query_one("#status-nlp")
            assert "FALLBACK" in str(nlp.render())
            assert nlp.tooltip and app.pipeline.status.message in str(nlp.tooltip)
            if start == 1:
                assert len(shown) == 1, app.notified
            else:
                assert shown == [], app.notified


async def test_no_text_key_acts_while_any_input_has_the_focus(tui_project):
    """The whole class: on every registry screen and in the dialogs with a text field, with
    the field focused, q (quit), the screens' capitals and ? (help) are text."""
    from textual.widgets import TextArea

    from themecoder.core import views
    from themecoder.tui import registry
    from themecoder.tui.dialogs.ask_text import AskText
    from themecoder.tui.dialogs.code_picker import CodePicker
    from themecoder.tui.dialogs.memo_editor import MemoScreen
    from themecoder.tui.dialogs.participant_picker import ParticipantPicker

    keys = ["q", "question_mark", "O", *sorted({k.strip() for e in registry.SCREENS for k in e.key.split(",")
                                               if len(k.strip()) == 1})]
    typed = "q?O" + "".join(k for k in keys[3:])

    async def check_fields(pilot, screen) -> int:
        fields = [w for w in screen.query("*") if isinstance(w, (Input, TextArea)) and w.display
                  and not w.disabled]
        for field in fields:
            field.focus()
            await pilot.pause()
            if isinstance(field, Input):
                field.value = ""
            else:
                field.text = ""
            await pilot.press(*keys)
            assert pilot.app.is_running and pilot.app.screen is screen, (type(screen).__name__, field.id)
            value = field.value if isinstance(field, Input) else field.text
            numeric = isinstance(field, Input) and field.type in ("integer", "number")
            assert value == ("" if numeric else typed), (type(screen).__name__, field.id, value)
        return len(fields)

    app = make_app(tui_project)
    async with app.run_test(size=(110, 36)) as pilot:
        checked = 0
        for e in registry.SCREENS:
            app.action_open_screen(e.id)
            await pilot.pause()
            checked += await check_fields(pilot, app.screen)
        app.action_overview()
        await pilot.pause()
        dialogs = [
            CodePicker(views.codes(app.project), {}),
            MemoScreen("Memo"),
            AskText("Name"),
            ParticipantPicker("Participant", views.participant_names(app.project)),
        ]
        for dialog in dialogs:
            await app.push_screen(dialog)
            await pilot.pause()
            checked += await check_fields(pilot, dialog)
            dialog.dismiss(None)
            await pilot.pause()
        assert checked >= 6


async def test_every_text_editor_asks_before_discarding_on_escape(tui_project):
    from textual.widgets import TextArea

    from themecoder.core import themes
    from themecoder.core.project import Project
    from themecoder.tui.dialogs.confirm import Confirm
    from themecoder.tui.dialogs.joint_meta_inference_editor import JointMetaInferenceEditor
    from themecoder.tui.dialogs.theme_texts_editor import ThemeTextsEditor

    with Project.open(tui_project, coder="student") as project:
        theme = themes.create_theme(project, "Relasjon", description="Om relasjoner")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        base = app.screen
        for editor in (ThemeTextsEditor(theme), JointMetaInferenceEditor("Meta-inference", "Begge sier det")):
            results = []
            await app.push_screen(editor, results.append)
            await pilot.pause()
            await pilot.press("escape")  # nothing typed: closes at once
            assert app.screen is base and results == [None]
            await app.push_screen(editor.__class__(*editor_args(editor)), results.append)
            await pilot.pause()
            again = app.screen
            await pilot.press("x")
            await pilot.press("escape")
            assert isinstance(app.screen, Confirm)
            await pilot.press("n")
            assert app.screen is again and "x" in again.query_one(TextArea).text
            await pilot.press("escape", "y")
            assert app.screen is base and results == [None, None]


def editor_args(editor) -> tuple:
    from themecoder.tui.dialogs.theme_texts_editor import ThemeTextsEditor

    return (editor.theme,) if isinstance(editor, ThemeTextsEditor) else (editor.heading, editor.text)
