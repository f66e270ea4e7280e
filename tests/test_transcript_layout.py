"""The transcript reader's headless model: wrap, line offsets, highlight runs, stripes, margin.
Plain unit tests: no app, no Pilot."""
from __future__ import annotations

import subprocess
import sys

from rich.cells import cell_len

from themecoder.model import Code, Coding, Turn
from themecoder.tui.transcript_layout import (
    GUTTER,
    INTERVIEWER,
    MARGIN,
    NO_COLOUR,
    SPEAKER,
    STRIPES,
    TEXT,
    TranscriptLayout,
    coding_runs,
    display_text,
    overlay,
    text_widths,
    wrap,
)

RED, BLUE, GREEN = "#E15759", "#4E79A7", "#59A14F"
CODES = {
    "r": Code("r", "Tillit", "", RED, False, None, ""),
    "b": Code("b", "Relasjon til hjelperen", "", BLUE, False, None, ""),
    "g": Code("g", "Håp", "", GREEN, False, None, ""),
}


def coding(cid: str, code_id: str, start: int, end: int) -> Coding:
    return Coding(cid, "d", code_id, start, end, "", "", "", None, "")


def lines(text: str, width: int) -> list[str]:
    starts, ends = wrap(text, width)
    return [text[s:e] for s, e in zip(starts, ends)]


def laid_out(text: str, codings: list[Coding], *, width: int = 20, margin: int = 0,
             turns: list[Turn] | None = None) -> TranscriptLayout:
    model = TranscriptLayout()
    model.load(text, turns or [])
    model.set_codings(codings, CODES)
    model.layout(width, margin)
    return model


# -- wrapping ----------------------------------------------------------------------------------
def test_wrap_at_a_width_breaks_at_spaces_and_keeps_line_breaks():
    text = "Jeg har alltid stolt på henne.\nHun hjalp meg."
    assert lines(text, 12) == ["Jeg har", "alltid stolt", "på henne.", "Hun hjalp", "meg."]
    assert all(len(line) <= 12 for line in lines(text, 12))


def test_offsets_of_each_line_cover_the_text_in_order():
    text = "aa bb cc dd\n\nee ff"
    starts, ends = wrap(text, 5)
    assert starts == [0, 6, 12, 13]
    assert ends == [5, 11, 12, 18]
    assert [text[s:e] for s, e in zip(starts, ends)] == ["aa bb", "cc dd", "", "ee ff"]
    model = laid_out(text, [], width=5)
    assert model.line_count == 4
    # every offset belongs to the line that starts at or before it
    assert [model.line_of(o) for o in (0, 5, 6, 11, 12, 13, 18)] == [0, 0, 1, 1, 2, 3, 3]


def test_a_word_longer_than_the_width_is_cut():
    assert lines("x" * 12 + " y", 5) == ["xxxxx", "xxxxx", "xx y"]


def test_wide_characters_take_two_cells():
    text = "漢字漢字漢字 ok"
    for line in lines(text, 7):
        assert cell_len(line) <= 7
    assert lines(text, 7) == ["漢字漢", "字漢字", "ok"]


def test_control_characters_show_as_one_blank_each():
    assert display_text("a\tb\rc\nd") == "a b c\nd"


def test_text_widths_leave_room_for_a_margin_only_when_wide():
    assert text_widths(80) == (80 - GUTTER, 0)
    assert text_widths(120) == (120 - GUTTER - MARGIN, MARGIN)
    assert text_widths(3) == (8, 0)  # never narrower than 8 cells


# -- highlight runs -----------------------------------------------------------------------------
def test_runs_of_overlapping_codings_take_the_colour_of_the_shortest():
    # long red [0, 30), blue inside it [10, 20), green overlapping the end [25, 40)
    codings = [coding("1", "r", 0, 30), coding("2", "b", 10, 20), coding("3", "g", 25, 40)]
    pos, top, count = coding_runs(codings)
    assert pos == [0, 10, 20, 25, 30, 40]
    assert top == [0, 1, 0, 2, 2, -1]  # in [25, 30) green (15 long) is shorter than red (30)
    assert count == [1, 2, 1, 2, 1, 0]


def test_line_pieces_carry_colour_and_overlap():
    text = "a" * 10 + "b" * 10 + "c" * 10
    model = laid_out(text, [coding("1", "r", 0, 30), coding("2", "b", 10, 20)], width=40)
    assert model.line_pieces(0) == [
        (0, 10, ("text", TEXT, RED, False)),
        (10, 20, ("text", TEXT, BLUE, True)),
        (20, 30, ("text", TEXT, RED, False)),
    ]


def test_speaker_labels_are_pieces_of_their_own_and_never_tinted():
    text = "I: Hei.\nAnna: Ja, bra."
    turns = [Turn("1", "d", "I", 0, 3, 7, None), Turn("2", "d", "Anna", 8, 14, 22, None)]
    model = laid_out(text, [coding("1", "r", 0, 22)], width=40, turns=turns)
    assert model.line_pieces(0) == [(0, 3, ("text", INTERVIEWER, None, False)), (3, 7, ("text", TEXT, RED, False))]
    assert model.line_pieces(1) == [(8, 14, ("text", SPEAKER, None, False)), (14, 22, ("text", TEXT, RED, False))]


def test_the_selection_is_laid_over_a_line_pieces():
    pieces = [(0, 10, "a"), (10, 20, "b")]
    assert overlay(pieces, 5, 12) == [(0, 5, "a", False), (5, 10, "a", True), (10, 12, "b", True),
                                      (12, 20, "b", False)]
    assert overlay(pieces, 30, 40) == [(0, 10, "a", False), (10, 20, "b", False)]


def test_a_selected_line_break_shows_as_one_cell():
    model = laid_out("abc\ndef", [], width=10)
    assert model.break_selected(0, 0, 5)
    assert not model.break_selected(0, 0, 3)
    assert not model.break_selected(1, 0, 7)  # the end of the text is not a break


# -- gutter stripes and margin --------------------------------------------------------------------
def test_stripes_one_column_per_overlapping_coding():
    text = " ".join(["ord"] * 40)  # 159 characters: 8 lines at 20 cells
    codings = [coding("1", "r", 0, 100), coding("2", "b", 30, 60), coding("3", "g", 110, 130)]
    model = laid_out(text, codings, width=20)
    first, last = model.line_of(30), model.line_of(59)
    cols, overflow = model.stripes(first)
    assert cols == [RED, BLUE, None, None] and not overflow
    assert model.stripes(last)[0][:2] == [RED, BLUE]
    # the green coding starts after the red one ends: it reuses the first column
    assert model.stripes(model.line_of(120))[0] == [GREEN, None, None, None]
    assert model.stripes(model.line_of(158))[0] == [None] * STRIPES


def test_more_overlaps_than_columns_overflow():
    codings = [coding(str(i), "r", 0, 50 - i) for i in range(STRIPES + 1)]
    model = laid_out("x " * 25, codings, width=60)
    cols, overflow = model.stripes(0)
    assert overflow and all(cols)


def test_a_coding_of_a_deleted_code_is_grey():
    model = laid_out("abcdef", [coding("1", "gone", 0, 3)], width=10)
    assert model.line_pieces(0)[0][2][2] == NO_COLOUR
    assert model.stripes(0)[0][0] == NO_COLOUR


def test_margin_names_each_code_where_its_coding_begins():
    text = "one two three four five six seven eight"
    codings = [coding("1", "b", 0, 3), coding("2", "r", 4, 7), coding("3", "g", 20, 30)]
    model = laid_out(text, codings, width=10, margin=MARGIN)
    model.memo_codings = {"2"}
    assert model.margin_note(0).mark == " ■ "
    assert model.margin_note(0).label == "Relasjon til hjelper…"  # clipped to MARGIN - 3 cells
    # the second coding begins on the same line: its note goes on the next free one
    assert model.margin_note(1).mark == " ✎ " and model.margin_note(1).label == "Tillit"
    assert model.margin_note(model.line_of(20)).colour == GREEN
    narrow = laid_out(text, codings, width=10, margin=0)
    assert narrow.margin_note(0) is None


def test_margin_labels_are_clipped_to_the_room():
    long = Code("l", "en svært lang kode om relasjonen mellom bruker og hjelper", "", RED, False, None, "")
    model = TranscriptLayout()
    model.load("abc", [])
    model.set_codings([coding("1", "l", 0, 3)], {"l": long})
    model.layout(60, MARGIN)
    note = model.margin_note(0)
    assert len(note.label) == MARGIN - 3 and note.label.endswith("…")


# -- mouse --------------------------------------------------------------------------------------
def test_offset_at_maps_cells_back_to_offsets():
    model = laid_out("abc def ghi", [], width=7)
    assert model.offset_at(0, 2) == 2
    assert model.offset_at(0, 99) == 7  # past the end of the line: its end
    assert model.offset_at(1, 0) == 8
    assert model.offset_at(-1, 3) == 0
    assert model.offset_at(9, 0) == 11
    wide = laid_out("漢字ok", [], width=10)
    assert wide.offset_at(0, 1) == 0 and wide.offset_at(0, 2) == 1 and wide.offset_at(0, 4) == 2


def test_relayout_only_when_the_width_changes():
    model = laid_out("a b c d e f", [], width=4)
    assert not model.layout(4, 0)
    assert model.layout(6, 0)
    model.load("new text", [])
    assert model.layout(6, 0)  # a new text always wraps again


def test_the_model_imports_no_textual():
    code = ("import sys\nimport themecoder.tui.transcript_layout, themecoder.tui.transcript_cursor\n"
            "assert 'textual' not in sys.modules, 'textual imported'\nprint('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
