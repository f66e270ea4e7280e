"""Pure parts of the workbench: word wrap, quick sentences, coverage, the import guard."""
from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from themecoder.core.views import covered_length, quick_sentences
from themecoder.tui.widgets.transcript_view import wrap

TEXT_CHARS = st.sampled_from(list("abc æøå ÆØÅ.,!?\n") + ["  ", "漢", "字", "é", "\t"])


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=300).map("".join), st.integers(min_value=2, max_value=40))
def test_wrap_covers_every_offset_and_fits(text, width):
    display = text.replace("\t", " ")
    starts, ends = wrap(display, width)
    assert starts[0] == 0
    assert starts == sorted(starts)
    for i, (s, e) in enumerate(zip(starts, ends)):
        nxt = starts[i + 1] if i + 1 < len(starts) else len(display)
        assert s <= e <= nxt
        # what is skipped between lines is only blanks or one line break
        assert display[e:nxt].strip(" \n") == ""
        assert display[e:nxt].count("\n") <= 1
        assert "\n" not in display[s:e]
        assert cell_len(display[s:e]) <= width


def test_wrap_breaks_at_spaces_and_cuts_long_words():
    starts, ends = wrap("aaa bbb ccc", 7)
    assert [("aaa bbb ccc")[s:e] for s, e in zip(starts, ends)] == ["aaa bbb", "ccc"]
    starts, ends = wrap("x" * 25, 10)
    assert [e - s for s, e in zip(starts, ends)] == [10, 10, 5]
    starts, ends = wrap("a\n\nb", 10)
    assert len(starts) == 3  # the blank line is kept


def test_wrap_very_long_line_is_fast_enough_to_be_linear():
    text = ("ord " * 50_000).strip()  # one 200 000-character paragraph
    starts, ends = wrap(text, 70)
    assert len(starts) > 2500
    assert max(e - s for s, e in zip(starts, ends)) <= 70


def test_quick_sentences_stay_inside_turns_and_are_trimmed():
    from themecoder.model import Turn

    text = "I: Hei. Hvordan går det?\n\nAnna: Bra! Takk for at du spør.\n"
    turns = [Turn("1", "d", "I", 0, 3, 24, None), Turn("2", "d", "Anna", 26, 32, 57, None)]
    sents = quick_sentences(text, turns)
    assert [text[s:e] for s, e in sents] == ["Hei.", "Hvordan går det?", "Bra!", "Takk for at du spør."]


def test_covered_length_merges_overlaps():
    assert covered_length([(0, 10), (5, 15), (20, 25), (21, 22)]) == 20
    assert covered_length([]) == 0


def test_core_and_store_import_without_textual():
    """themecoder.core and themecoder.store never pull in Textual (nor spaCy)."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import themecoder.core, themecoder.store\n"
        "for pkg in (themecoder.core, themecoder.store):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "bad = [m for m in ('textual', 'spacy') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_tui_app_module_does_not_import_spacy():
    """The first screen comes before spaCy: importing the app must not load it."""
    code = (
        "import sys\n"
        "import themecoder.tui.app\n"
        "assert 'spacy' not in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


async def test_view_renders_wide_characters_and_control_characters_at_full_width():
    from textual.app import App

    from themecoder.model import Code, Coding, Turn
    from themecoder.tui.widgets.transcript_view import TranscriptView

    text = "I: 漢字も大丈夫ですか？\n\nAnna: Ja\tdet går bra 🙂 " + "ææ漢" * 40 + "\n"
    turns = [Turn("1", "d", "I", 0, 3, 14, None), Turn("2", "d", "Anna", 16, 22, len(text) - 1, None)]
    code = Code("c", "Bra", "", "#4E79A7", False, None, "")
    coding = Coding("x", "d", "c", 22, 40, text[22:40], "", "", None, "")

    class Host(App):
        def compose(self):
            yield TranscriptView()

    app = Host()
    async with app.run_test(size=(50, 12)) as pilot:
        view = app.query_one(TranscriptView)
        view.load(text, turns, [(3, 14), (22, len(text) - 1)], [coding], {"c": code})
        await pilot.pause()
        width = view.scrollable_content_region.width
        for y in range(view.line_count):
            strip = view._render_visual_line(y, width)
            assert strip.cell_length == width
        # a click on a wide character maps back to a code point offset inside the text
        assert 0 <= view._offset_at(10, 0) <= len(text)
