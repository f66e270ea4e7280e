"""Whole coding flows through the workbench, driven with Textual's Pilot.

Each flow asserts on the project's state (codings in the database, their offsets, that
`quote == text[start:end]`), not only on the screen.
"""
from __future__ import annotations

from themecoder import store
from themecoder.core.coding import in_vivo_label, trim_span
from themecoder.core.project import Project
from themecoder.tui.dialogs.choose_coding import ChooseCoding
from themecoder.tui.dialogs.code_picker import CodePicker
from themecoder.tui.dialogs.memo_editor import MemoScreen
from themecoder.tui.screens.codes import CodeListScreen
from themecoder.tui.screens.search import SearchScreen
from themecoder.tui.screens.transcript import TranscriptScreen
from themecoder.tui.widgets.transcript_view import GUTTER, TranscriptView
from tui_fixtures import make_app, type_text, wait_for

SIZE = (100, 32)


def messages(app) -> list[str]:
    return app.notified


def check_coding(project: Project, coding) -> str:
    text = store.documents.document_text(project.db, coding.document_id)
    assert 0 <= coding.start < coding.end <= len(text)
    assert coding.quote == text[coding.start:coding.end]
    return text


def codings_by_label(project: Project, label: str):
    code = store.codes.code_by_label(project.db, label)
    return [] if code is None else store.codings.codings_for_code(project.db, code.id)


async def open_doc(pilot, row: int = 0) -> TranscriptScreen:
    app = pilot.app
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
    await pilot.pause()
    return app.screen


def highlighted_bg(view: TranscriptView, offset: int):
    """The background of the character at `offset` as the view paints it (no selection)."""
    line = view.line_of(offset)
    for s, e, style in view._line_pieces(line):
        if s <= offset < e:
            return style.bgcolor
    raise AssertionError("offset not on its line")


# -- the main flow on the demo project ----------------------------------------------------
async def test_code_two_sentences_with_a_new_code_then_an_existing_one(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        doc_id = screen.doc_id
        assert view.selection == view.sentences[0]
        # to Anna's first turn, then two sentences
        await pilot.press("right_square_bracket")
        k = view.sentences.index(view.selection)
        assert view.selection[0] == view.turns[1].start
        await pilot.press("shift+down")
        start, end = view.selection
        assert (start, end) == (view.sentences[k][0], view.sentences[k + 1][1])
        assert view.selected_text.startswith("Ja, det er helt greit.")
        # a new code: typing a label that matches nothing
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "nervos for intervjuet")
        picker = app.screen
        options = picker.query_one("OptionList")
        assert options.get_option_at_index(options.highlighted).id == "new"
        await pilot.press("enter")
        if isinstance(app.screen, CodePicker):  # "did you mean …": create it anyway
            assert app.screen.confirming == "nervos for intervjuet"
            options = app.screen.query_one("OptionList")
            options.highlighted = options.option_count - 1
            await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        project = app.project
        [coding] = codings_by_label(project, "nervos for intervjuet")
        text = check_coding(project, coding)
        assert (coding.document_id, coding.start, coding.end) == (doc_id, *trim_span(text, start, end))
        assert coding.coder == "student"
        # the passage is highlighted in the code's colour and named in the "here" line
        assert highlighted_bg(view, coding.start) is not None
        assert "nervos for intervjuet" in str(screen.query_one("#here").render())

        # an existing code through the fuzzy picker: a typo still finds it, best first
        await pilot.press("down")
        s2, e2 = view.selection
        await pilot.press("c")
        await type_text(pilot, "brukern ekspert")
        options = app.screen.query_one("OptionList")
        best = options.get_option_at_index(options.highlighted).id
        expert = store.codes.code_by_label(project.db, "brukeren er ekspert på eget liv")
        assert best == f"code:{expert.id}"
        before = len(store.codings.codings_for_code(project.db, expert.id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        after = store.codings.codings_for_code(project.db, expert.id)
        assert len(after) == before + 1
        new = next(c for c in after if c.document_id == doc_id and c.start == trim_span(text, s2, e2)[0])
        check_coding(project, new)
        assert new.end == trim_span(text, s2, e2)[1]


async def test_undo_and_redo_with_notifications_and_across_restarts(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        await pilot.press("down", "down")
        start, end = view.selection
        label = in_vivo_label(screen.text, start, end)
        await pilot.press("v")  # an in-vivo code: one action
        code = store.codes.code_by_label(app.project.db, label)
        assert code is not None and code.in_vivo
        [coding] = store.codings.codings_for_code(app.project.db, code.id)
        check_coding(app.project, coding)
        assert any(c.id == coding.id for c in view.codings)

        await pilot.press("ctrl+z")
        assert store.codes.code_by_label(app.project.db, code.label) is None
        assert not any(c.id == coding.id for c in view.codings)
        assert any(m.startswith("Undone: new code «") for m in messages(app))

        await pilot.press("ctrl+y")
        assert store.codings.coding(app.project.db, coding.id).quote == coding.quote
        assert any(c.id == coding.id for c in view.codings)
        assert any(m.startswith("Redone:") for m in messages(app))

    # a new session undoes what the last one did
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        assert store.codes.code_by_label(app.project.db, code.label) is None
        assert any(m.startswith("Undone: new code «") for m in messages(app))
        await pilot.press("ctrl+z", "ctrl+y", "ctrl+y")
    with Project.open(demo_project) as project:
        assert store.codes.code_by_label(project.db, code.label) is not None


async def test_code_list_lists_quotes_and_jumps_to_one(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        assert isinstance(app.screen, CodeListScreen)
        await type_text(pilot, "tillit tar tid")
        codes = app.screen.query_one("#code-list")
        code = store.codes.code_by_label(app.project.db, "tillit tar tid")
        assert codes.get_option_at_index(codes.highlighted).id == code.id
        quotes = store.codings.codings_for_code(app.project.db, code.id)
        assert app.screen.query_one("#quote-list").option_count == len(quotes) >= 2
        await pilot.press("enter")  # to the quotes
        await pilot.press("down")  # the second quote
        await pilot.press("enter")  # jump
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        await pilot.pause()
        target = quotes[1]
        screen = app.screen
        assert screen.doc_id == target.document_id
        view = screen.view
        assert view.selection == (target.start, target.end)
        assert view.selected_text == target.quote
        first_line = view.line_of(target.start)
        top = view.scroll_offset.y
        assert top <= first_line < top + view.scrollable_content_region.height
        # back to the list, and the list is where we left it
        codes_screen = app.screen_stack[-2]
        await pilot.press("C")
        assert app.screen is codes_screen
        assert app.screen.query_one("#code-list").highlighted == codes.highlighted
        # Jump again, then escape from the transcript returns to the list; the stack stays short.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        assert len(app.screen_stack) <= 4
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, TranscriptScreen):  # escape first shrinks the selection
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is codes_screen


async def test_search_a_lemma_code_a_hit_and_jump_to_one(demo_project):
    app = make_app(demo_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        screen = app.screen
        await type_text(pilot, "relasjon")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(screen.hits), timeout=60)
        hits = screen.hits
        # lemma-aware: inflected forms are found too
        forms = {h.match.casefold() for h in hits}
        assert "relasjonen" in forms and len(forms) > 1
        await pilot.press("down", "down")  # into the results, second hit
        hit = hits[1]
        await pilot.press("c")
        assert isinstance(app.screen, CodePicker)
        await type_text(pilot, "relasjonen er selve")
        options = app.screen.query_one("OptionList")
        code = store.codes.code_by_label(app.project.db, "relasjonen er selve arbeidet")
        assert options.get_option_at_index(options.highlighted).id == f"code:{code.id}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        text = store.documents.document_text(app.project.db, hit.document_id)
        s, e = trim_span(text, hit.sentence_start, hit.sentence_end)
        mine = [c for c in store.codings.codings_for_code(app.project.db, code.id)
                if (c.document_id, c.start, c.end) == (hit.document_id, s, e)]
        assert len(mine) == 1
        check_coding(app.project, mine[0])
        assert hit.match in mine[0].quote
        assert "✓" in str(screen.query_one("#search-results").get_option_at_index(1).prompt)
        # jump to the first hit: its sentence is selected in its transcript
        await pilot.press("up", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TranscriptScreen))
        await pilot.pause()
        first = hits[0]
        assert app.screen.doc_id == first.document_id
        assert app.screen.view.selection == (first.sentence_start, first.sentence_end)


async def test_did_you_mean_offers_similar_codes_before_creating(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot, row=2)  # carl
        await pilot.press("down", "c")
        await type_text(pilot, "Relasjon er grunnlag")
        picker = app.screen
        await pilot.press("enter")
        # not created yet: the near-duplicate is offered first
        assert app.screen is picker and picker.confirming == "Relasjon er grunnlag"
        options = picker.query_one("OptionList")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        existing = store.codes.code_by_label(app.project.db, "Relasjon som grunnlag")
        assert ids[0] == f"code:{existing.id}" and ids[-1] == "create"
        assert store.codes.code_by_label(app.project.db, "Relasjon er grunnlag") is None
        await pilot.press("enter")  # take the existing code
        await wait_for(pilot, lambda: app.screen is screen)
        assert store.codes.code_by_label(app.project.db, "Relasjon er grunnlag") is None
        start, end = screen.view.selection
        text = screen.text
        assert any((c.start, c.end) == trim_span(text, start, end)
                   for c in store.codings.codings_for_code(app.project.db, existing.id))

        # and "create anyway" does create it
        await pilot.press("down", "c")
        await type_text(pilot, "Relasjon er grunnlag")
        await pilot.press("enter")
        await pilot.press("down", "down", "down", "down")
        options = app.screen.query_one("OptionList")
        assert options.get_option_at_index(options.highlighted).id == "create"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        [coding] = codings_by_label(app.project, "Relasjon er grunnlag")
        check_coding(app.project, coding)
        # escape in "did you mean" returns to typing; escape again cancels
        await pilot.press("c")
        await type_text(pilot, "Grunnlag for relasjon")
        await pilot.press("enter")
        assert app.screen.confirming == "Grunnlag for relasjon"
        await pilot.press("escape")
        assert app.screen.confirming is None
        assert app.screen.query_one("Input").value == "Grunnlag for relasjon"
        await pilot.press("escape")
        assert app.screen is screen


async def test_remove_recode_and_memos(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot, row=1)  # britt: 3 codings
        db = app.project.db
        n = len(store.codings.codings_for_document(db, screen.doc_id))
        # next coded passage, then remove it
        await pilot.press("n")
        first = screen.codings[0]
        assert screen.view.selection == (first.start, first.end)
        await pilot.press("x")
        assert len(store.codings.codings_for_document(db, screen.doc_id)) == n - 1
        assert any(m.startswith("Removed «") for m in messages(app))
        # recode the next one to another existing code
        await pilot.press("n")
        target = screen.view.selection
        coding = next(c for c in screen.codings if (c.start, c.end) == target)
        await pilot.press("r")
        assert isinstance(app.screen, CodePicker) and app.screen.allow_new
        await type_text(pilot, "brukermedvirkning")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        recoded = store.codings.coding(db, coding.id)
        assert store.codes.code(db, recoded.code_id).label == "Brukermedvirkning i praksis"
        check_coding(app.project, recoded)
        # ... and then to a brand-new code: one action, one undo
        await pilot.press("r")
        await type_text(pilot, "ventetid på bolig")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        recoded = store.codings.coding(db, coding.id)
        assert store.codes.code(db, recoded.code_id).label == "ventetid på bolig"
        check_coding(app.project, recoded)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: store.codes.code_by_label(db, "ventetid på bolig") is None)
        assert store.codes.code(db, store.codings.coding(db, coding.id).code_id).label == "Brukermedvirkning i praksis"
        # a memo on that coding
        await pilot.press("m")
        assert isinstance(app.screen, MemoScreen)
        await type_text(pilot, "Sterkt uttrykt")
        await pilot.press("ctrl+s")
        [memo] = store.memos.memos(db, "coding", coding.id)
        assert memo.text == "Sterkt uttrykt" and memo.author == "student"
        assert coding.id in screen.view.memo_codings  # ✎ in the margin and the "here" line
        assert "✎" in str(screen.query_one("#here").render())
        # editing it again shows the text; an emptied memo is deleted
        await pilot.press("m")
        assert app.screen.query_one("TextArea").text == "Sterkt uttrykt"
        await pilot.press("escape")
        # a memo on the document
        await pilot.press("M")
        await type_text(pilot, "Kort intervju")
        await pilot.press("ctrl+s")
        [doc_memo] = store.memos.memos(db, "document", screen.doc_id)
        assert doc_memo.text == "Kort intervju"
        # a memo on a code, from the code list
        await pilot.press("C")
        await type_text(pilot, "Tidspress")
        await pilot.press("down", "m")  # from the filter to the code list; m: memo on the code
        assert isinstance(app.screen, MemoScreen)
        await type_text(pilot, "Gjennomgaende")
        await pilot.press("ctrl+s")
        code = store.codes.code_by_label(db, "Tidspress")
        assert [m.text for m in store.memos.memos(db, "code", code.id)] == ["Gjennomgaende"]
        # every one of these is undoable
        await pilot.press("ctrl+z")
        assert store.memos.memos(db, "code", code.id) == []


async def test_overlapping_codings_ask_which_one(tui_project):
    from themecoder.core.coding import apply_code

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot, row=0)
        await pilot.press("n")
        s, e = screen.view.selection
        other = store.codes.code_by_label(app.project.db, "Tidspress")
        app.act(apply_code, screen.doc_id, s, e - 3, other.id)
        await pilot.pause()
        assert len(screen.view._marks.col_first) >= 2  # two stripes in the gutter
        await pilot.press("x")
        assert isinstance(app.screen, ChooseCoding)
        await pilot.press("down", "enter")
        await pilot.pause()
        left = [c for c in store.codings.codings_for_document(app.project.db, screen.doc_id) if c.start == s]
        assert len(left) == 1


async def test_mouse_drag_selects_a_character_range_and_click_a_sentence(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        text = screen.text
        a = text.index("ambulant")
        b = text.index("kommunen") + len("kommunen")
        la, lb = view.line_of(a), view.line_of(b)
        top = view.scroll_offset.y
        pa = (GUTTER + a - view._starts[la], la - top)
        pb = (GUTTER + b - view._starts[lb], lb - top)
        await pilot.mouse_down("#transcript", offset=pa)
        await pilot.hover("#transcript", offset=pb)
        await pilot.mouse_up("#transcript", offset=pb)
        assert view.selection == (a, b)
        assert view.selected_text == "ambulant team i kommunen"
        await pilot.press("c")
        await type_text(pilot, "ambulant arbeid")
        await pilot.press("enter")
        if isinstance(app.screen, CodePicker):
            app.screen._choose("create")
        await wait_for(pilot, lambda: app.screen is screen)
        [coding] = codings_by_label(app.project, "ambulant arbeid")
        assert (coding.start, coding.end, coding.quote) == (a, b, "ambulant team i kommunen")
        # a click selects the sentence under the pointer
        c = text.index("viktigste")
        lc = view.line_of(c)
        await pilot.click("#transcript", offset=(GUTTER + c - view._starts[lc], lc - view.scroll_offset.y))
        sent = next(sn for sn in view.sentences if sn[0] <= c < sn[1])
        assert view.selection == sent


async def test_keyboard_selection_moves_by_sentence_turn_and_word(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        sents = view.sentences
        await pilot.press("down", "down")
        assert view.selection == sents[2]
        await pilot.press("shift+down", "shift+down")
        assert view.selection == (sents[2][0], sents[4][1])
        await pilot.press("shift+up")
        assert view.selection == (sents[2][0], sents[3][1])
        await pilot.press("escape")  # back to one sentence
        assert view.selection == sents[3]
        await pilot.press("shift+left")  # the end moves back one word
        s, e = view.selection
        assert s == sents[3][0] and e < sents[3][1]
        await pilot.press("ctrl+right")  # the start moves on one word
        assert view.selection[0] > s
        await pilot.press("right_square_bracket")  # next speaker turn
        turn = next(t for t in view.turns if t.start > sents[3][0])
        assert view.selection[0] == turn.start
        await pilot.press("end")
        assert view.selection == sents[-1]
        await pilot.press("home")
        assert view.selection == sents[0]
        await pilot.press("escape")  # nothing to collapse: back to the overview
        assert not isinstance(app.screen, TranscriptScreen)


async def test_second_window_changes_appear_after_a_poll(tui_project):
    from themecoder.core.coding import code_quote

    app = make_app(tui_project, poll=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot, row=2)
        before = len(screen.view.codings)
        with Project.open(tui_project, coder="veileder") as supervisor:
            coding = code_quote(supervisor, "carl", "Snart ti år.", "Lang erfaring")
        await wait_for(pilot, lambda: len(screen.view.codings) == before + 1, timeout=5)
        assert any(c.id == coding.id for c in screen.view.codings)
        assert any("another window" in m for m in messages(app))
        # and the refresh key reloads too
        await pilot.press("f5")
        assert len(screen.view.codings) == before + 1


async def test_command_palette_runs_actions(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        await pilot.press("down", "down")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "In vivo")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(c.in_vivo for c in store.codes.codes(app.project.db)))
        assert app.screen is screen


async def test_help_lists_every_binding(tui_project):
    from themecoder.tui.screens.help import HelpScreen, binding_groups

    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_doc(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for _, bindings in binding_groups():
            for b in bindings:
                assert b.description in text
        for cls in (TranscriptView, TranscriptScreen):
            for b in cls.BINDINGS:
                assert b.description in text
        await pilot.press("escape")
        assert isinstance(app.screen, TranscriptScreen)


async def test_status_bar_names_the_fallback_and_the_coder(tui_project, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    app = make_app(tui_project, coder="Kari")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        nlp = str(app.screen.query_one("#status-nlp").render())
        assert "FALLBACK" in nlp
        assert "Kari" in str(app.screen.query_one("#status-coder").render())


async def test_pipeline_loads_in_a_worker_after_the_first_screen(tui_project, monkeypatch):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    app = make_app(tui_project, nlp=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.pipeline is not None, timeout=60)
        await pilot.pause()
        assert app.first_screen_at is not None
        assert app.nlp_label.startswith("NLP: FALLBACK") and "loading" not in app.nlp_label
        assert app.task_label == ""


async def test_small_terminal_resize_and_a_very_long_line(tmp_path):
    from themecoder.core.documents import add_transcript
    from themecoder.io.readers import read_transcript

    long_para = " ".join(f"ord{i}" for i in range(4000)) + " " + "x" * 3000
    src = tmp_path / "lang.txt"
    src.write_text("I: Fortell.\n\nAnna: " + long_para + ".\n\nI: Takk.\n", encoding="utf-8")
    path = tmp_path / "lang.themecoder"
    with Project.create(path, coder="student") as project:
        add_transcript(project, read_transcript(src))
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        lines_80 = view.line_count
        await pilot.press("end")  # last sentence, far below
        await pilot.pause()

        def visible() -> bool:
            line = view.line_of(view.selection[1] - 1)
            top = view.scroll_offset.y
            return top <= line < top + view.scrollable_content_region.height

        assert visible()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert view.line_count > lines_80
        assert max(e - s for s, e in zip(view._starts, view._ends)) <= view._text_width
        await pilot.press("home", "end")
        await pilot.pause()
        assert visible()
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        assert view._margin > 0  # wide: code labels in the right margin
        await pilot.press("c", "escape")
        assert app.screen is screen


async def test_import_from_the_overview(tui_project, tmp_path):
    src = tmp_path / "dina.txt"
    src.write_text("I: Hei.\n\nDina: Hei. Jeg jobber i NAV.\n\nI: Takk.\n\nDina: Bare hyggelig.\n", encoding="utf-8")
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await type_text(pilot, str(src))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(store.documents.documents(app.project.db)) == 4, timeout=60)
        await wait_for(pilot, lambda: app.screen.query_one("DataTable").row_count == 4)
        assert any("1 of 1 files imported" in m for m in messages(app))


async def test_a_coding_never_starts_or_ends_in_a_speaker_label(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        view = screen.view
        text = screen.text
        second = view.turns[1]  # "Anna: Ja. Jeg jobber …"
        # from inside the label to the end of the turn's first sentence
        view.select_range(second.label_start + 2, text.index("Ja.") + 3, center=False)
        await pilot.press("c")
        await type_text(pilot, "Svarer ja")
        await pilot.press("enter")
        if isinstance(app.screen, CodePicker):
            app.screen._choose("create")
        await wait_for(pilot, lambda: app.screen is screen)
        [coding] = codings_by_label(app.project, "Svarer ja")
        assert (coding.start, coding.quote) == (second.start, "Ja.")


async def test_undo_waits_while_a_dialog_is_open(tui_project):
    app = make_app(tui_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_doc(pilot)
        await pilot.press("down", "v")
        n = len(store.codings.codings_for_document(app.project.db, screen.doc_id))
        await pilot.press("c")
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, CodePicker)
        assert len(store.codings.codings_for_document(app.project.db, screen.doc_id)) == n
        await pilot.press("escape", "ctrl+z")
        assert len(store.codings.codings_for_document(app.project.db, screen.doc_id)) == n - 1
