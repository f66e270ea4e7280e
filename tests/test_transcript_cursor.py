"""Where the reader's selection goes on a key or a click: plain unit tests, no app."""
from __future__ import annotations

from themecoder.model import Turn
from themecoder.tui.transcript_cursor import Sentences, end_word, head, start_word, word_at

#       0         1         2         3         4         5
#       0123456789012345678901234567890123456789012345678901234
TEXT = "I: Hei. Hvordan går det?\n\nAnna: Bra! Takk for at du spør.\n"
TURNS = [Turn("1", "d", "I", 0, 3, 24, None), Turn("2", "d", "Anna", 26, 32, 57, None)]
SENTS = Sentences([(3, 7), (8, 24), (32, 36), (37, 57)])


def test_head_is_the_moving_end():
    assert head((3, 7, True)) == 6
    assert head((3, 7, False)) == 3


def test_down_and_up_move_by_sentence_and_stop_at_the_edges():
    assert SENTS.step((3, 7, True), 1) == (8, 24, True)
    assert SENTS.step((37, 57, True), 1) == (37, 57, True)  # the last stays
    assert SENTS.step((8, 24, True), -1) == (3, 7, True)
    assert SENTS.step((3, 7, True), -1) == (3, 7, True)
    # from inside a sentence, up goes to its start
    assert SENTS.step((12, 15, True), -1) == (8, 24, True)
    assert Sentences([]).step((0, 1, True), 1) is None


def test_shift_extends_and_shrinks_by_sentence():
    grown = SENTS.extend((3, 7, True), 1)
    assert grown == (3, 24, True)
    assert SENTS.extend(grown, 1) == (3, 36, True)
    assert SENTS.extend((3, 36, True), -1) == (3, 24, True)  # back over the head: shrinks
    # head at the start: up grows the start
    assert SENTS.extend((32, 36, False), -1) == (8, 36, False)


def test_turn_keys_go_to_the_first_sentence_of_a_turn():
    assert SENTS.turn(TURNS, (3, 7, True), 1) == (32, 36, True)
    assert SENTS.turn(TURNS, (37, 57, True), -1) == (3, 7, True)
    assert SENTS.turn([], (3, 7, True), 1) is None
    # a turn without sentences: the whole turn
    assert Sentences([]).turn(TURNS, (0, 1, True), 1) == (32, 57, True)


def test_page_selects_the_sentence_at_the_target_line():
    assert SENTS.page(10, 1) == (8, 24, True)
    assert SENTS.page(25, 1) == (32, 36, True)  # between sentences, going down: the next
    assert SENTS.page(25, -1) == (8, 24, True)


def test_escape_collapses_to_the_sentence_of_the_head():
    assert SENTS.collapse((3, 24, True)) == (8, 24, True)
    assert SENTS.collapse((8, 24, True)) is None  # already one sentence: nothing to do


def test_a_click_selects_the_nearer_sentence():
    assert SENTS.at_click(10) == (8, 24, True)
    assert SENTS.at_click(25) == (8, 24, True)  # the blank line after it
    assert SENTS.at_click(30) == (32, 36, True)  # inside "Anna: "
    assert SENTS.at_click(0) == (3, 7, True)


def test_word_keys_move_one_end_by_a_word():
    assert end_word(TEXT, (8, 15, True), 1) == (8, 19, True)
    assert end_word(TEXT, (8, 15, True), -1) is None  # would empty the selection
    assert end_word(TEXT, (8, 24, True), -1) == (8, 23, True)
    assert start_word(TEXT, (7, 24, True), 1) == (8, 24, False)
    assert start_word(TEXT, (16, 24, True), -1) == (8, 24, False)


def test_double_click_selects_the_word():
    assert word_at(TEXT, 10) == (8, 15, True)
    assert word_at(TEXT, 25) is None


def test_count_of_sentences_a_selection_touches():
    assert SENTS.count(3, 7) == 1
    assert SENTS.count(3, 24) == 2
    assert SENTS.count(12, 40) == 3
    assert SENTS.count(0, 2) == 1  # before the first sentence: still one
