"""TranscriptView: a Line-API reader for long transcripts with coded spans.

Built on `ScrollView.render_line` (as Toolong does), not `TextArea`. What to paint comes from
the headless model in tui/transcript_layout.py (word wrap, highlight runs, gutter stripes,
margin notes), and where a key or a click moves the selection from tui/transcript_cursor.py;
both are tested without an app. This widget turns the model into styled strips, caches them
per line, and handles keys and the mouse:

* the selection is an overlay applied at render time, so moving the cursor repaints only the
  lines of the old and the new selection;
* a gutter on the left shows one coloured stripe per overlapping coding (as NVivo and MAXQDA
  do) and, when the terminal is wide enough, a margin on the right names the codes where
  their codings begin.

Offsets are code points into the document text. The selection is always a non-empty
[start, end) range: the keyboard moves it by sentence (shift extends), by speaker turn, and
adjusts its ends by a word; the mouse selects any character range by dragging.
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.events import Click, MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from themecoder.model import Code, Coding, Turn
from themecoder.tui.transcript_cursor import Selection, Sentences, end_word, head, start_word, word_at
from themecoder.tui.transcript_layout import (
    GUTTER,
    INTERVIEWER,
    SPEAKER,
    STRIPES,
    Marks,
    TranscriptLayout,
    overlay,
    text_widths,
    wrap,
)

# wrap and GUTTER: the tests and the benchmark import them from here
__all__ = ["GUTTER", "TranscriptView", "wrap"]

class TranscriptView(ScrollView, can_focus=True):
    """A long transcript, word-wrapped, with coded spans, a selection and a coding gutter."""

    ALLOW_SELECT = False  # the view handles the mouse itself (character ranges)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "transcript--speaker",
        "transcript--interviewer",
        "transcript--selection",
        "transcript--gutter",
        "transcript--margin",
    }

    DEFAULT_CSS = """
    TranscriptView {
        overflow-y: scroll;
        overflow-x: hidden;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "sentence(1)", "Next sentence", show=False),
        Binding("up,k", "sentence(-1)", "Previous sentence", show=False),
        Binding("shift+down", "extend(1)", "Extend selection down", show=False),
        Binding("shift+up", "extend(-1)", "Extend selection up", show=False),
        Binding("shift+right", "end_word(1)", "Selection end one word right", show=False),
        Binding("shift+left", "end_word(-1)", "Selection end one word left", show=False),
        Binding("ctrl+right", "start_word(1)", "Selection start one word right", show=False),
        Binding("ctrl+left", "start_word(-1)", "Selection start one word left", show=False),
        Binding("right_square_bracket,ctrl+down", "turn(1)", "Next speaker turn", show=False),
        Binding("left_square_bracket,ctrl+up", "turn(-1)", "Previous speaker turn", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(-1)", "First sentence", show=False),
        Binding("end", "edge(1)", "Last sentence", show=False),
        Binding("escape", "collapse", "Back to one sentence", show=False),
    ]

    class SelectionChanged(Message):
        def __init__(self, view: TranscriptView, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end

        @property
        def control(self) -> TranscriptView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.layout_model = TranscriptLayout()
        self._sentences = Sentences([])
        # painting: styled pieces per visual line, styles per key
        self._pieces: dict[int, list[tuple[int, int, Style]]] = {}
        self._styles: dict[tuple, Style] = {}
        self._base: Style | None = None
        # selection
        self._sel = (0, 0)
        self._head_at_end = True
        self._drag_anchor: int | None = None
        self._drag_moved = False
        self._pending_center: tuple[int, int] | None = None
        self.render_count = 0  # lines rendered (for the benchmark)

    # -- the model, as the screen and the tests see it -----------------------------------------
    @property
    def text(self) -> str:
        return self.layout_model.text

    @property
    def turns(self) -> list[Turn]:
        return self.layout_model.turns

    @property
    def codings(self) -> list[Coding]:
        return self.layout_model.codings

    @property
    def codes(self) -> dict[str, Code]:
        return self.layout_model.codes

    @property
    def memo_codings(self) -> set[str]:
        return self.layout_model.memo_codings

    @memo_codings.setter
    def memo_codings(self, ids: set[str]) -> None:
        self.layout_model.memo_codings = ids

    @property
    def _display(self) -> str:
        return self.layout_model.display

    @property
    def _starts(self) -> list[int]:
        return self.layout_model.starts

    @property
    def _ends(self) -> list[int]:
        return self.layout_model.ends

    @property
    def _text_width(self) -> int:
        return self.layout_model.text_width

    @property
    def _margin(self) -> int:
        return self.layout_model.margin

    @property
    def _marks(self) -> Marks:
        return self.layout_model.marks

    # -- data ----------------------------------------------------------------------------
    def load(self, text: str, turns: list[Turn], sentences: list[tuple[int, int]],
             codings: list[Coding], codes: dict[str, Code]) -> None:
        model = self.layout_model
        model.load(text, turns)
        self.set_sentences(sentences)
        model.codings, model.codes = codings, codes
        self._relayout()
        if self.sentences:
            self._set_selection(*self.sentences[0], head_at_end=True, scroll=False)

    def set_sentences(self, sentences: list[tuple[int, int]]) -> None:
        self._sentences = Sentences(list(sentences) or ([(0, len(self.text))] if self.text else []))

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self._sentences.spans

    def sentences_in(self, start: int, end: int) -> int:
        """How many sentences [start, end) touches (at least one)."""
        return self._sentences.count(start, end)

    def set_codings(self, codings: list[Coding], codes: dict[str, Code]) -> None:
        self.layout_model.set_codings(codings, codes)
        self._pieces.clear()
        self.refresh()

    @property
    def selection(self) -> tuple[int, int]:
        return self._sel

    @property
    def selected_text(self) -> str:
        return self.text[self._sel[0]:self._sel[1]]

    @property
    def line_count(self) -> int:
        return self.layout_model.line_count

    def select_range(self, start: int, end: int, *, center: bool = True) -> None:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            end = min(len(self.text), start + 1)
        self._set_selection(start, end, head_at_end=True, scroll=not center and bool(self._starts))
        if center:
            if self._starts:
                self._center_on(self.line_of(start), self.line_of(max(start, end - 1)))
            else:
                self._pending_center = (start, end)

    # -- geometry ------------------------------------------------------------------------
    def line_of(self, offset: int) -> int:
        return self.layout_model.line_of(offset)

    def on_resize(self, event: Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        if not self.is_mounted or self.scrollable_content_region.width <= 0:
            return
        model = self.layout_model
        starts = model.starts
        top = starts[min(self.scroll_offset.y, len(starts) - 1)] if starts else 0
        head_visible = bool(starts) and self._is_visible(self.line_of(self._head()))
        if not model.layout(*text_widths(self.scrollable_content_region.width)):
            return
        self._pieces.clear()
        self.virtual_size = Size(model.width, model.line_count)
        if top:
            self.scroll_to(y=self.line_of(top), animate=False)
        if head_visible:  # what the reader was looking at stays in view
            self._ensure_visible(self.line_of(self._head()))
        if self._pending_center is not None:
            span, self._pending_center = self._pending_center, None
            self._center_on(self.line_of(span[0]), self.line_of(max(span[0], span[1] - 1)))
        self.refresh()

    def _compute_marks(self) -> None:
        self.layout_model.compute_marks()
        self._pieces.clear()

    # -- styles --------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._pieces.clear()
        self._base = None

    @property
    def base_style(self) -> Style:
        """The widget's own rich style, cached until the styles change."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _style(self, key: tuple[Hashable, ...]) -> Style:
        style = self._styles.get(key)
        if style is not None:
            return style
        kind = key[0]
        base = self.base_style
        if kind == "text":
            _, label, colour, overlap = key
            style = base
            if label == SPEAKER:
                style = style + self.get_component_rich_style("transcript--speaker", partial=True)
            elif label == INTERVIEWER:
                style = style + self.get_component_rich_style("transcript--interviewer", partial=True)
            if colour:
                bg = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
                tint = bg.blend(Color.parse(colour), 0.5)
                style = style + Style(bgcolor=tint.rich_color, color=tint.get_contrast_text(0.9).rich_color,
                                      underline=overlap)
        elif kind == "sel":
            style = key[1] + self.get_component_rich_style("transcript--selection", partial=True)
        elif kind == "stripe":
            style = self.get_component_rich_style("transcript--gutter") + Style(color=Color.parse(key[1]).rich_color)
        elif kind == "gutter":
            style = self.get_component_rich_style("transcript--gutter")
        elif kind == "margin":
            style = self.get_component_rich_style("transcript--margin")
            if key[1]:
                style = style + Style(color=Color.parse(key[1]).rich_color)
        else:  # pragma: no cover
            style = base
        self._styles[key] = style
        return style

    # -- rendering -----------------------------------------------------------------------
    def _line_pieces(self, y: int) -> list[tuple[int, int, Style]]:
        pieces = self._pieces.get(y)
        if pieces is None:
            pieces = [(s, e, self._style(key)) for s, e, key in self.layout_model.line_pieces(y)]
            self._pieces[y] = pieces
        return pieces

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        total = max(1, self.scrollable_content_region.width)
        if not self._starts or line >= len(self._starts) or line < 0:
            return Strip.blank(total, self.base_style)
        self.render_count += 1
        return self._render_visual_line(line, total)

    def _render_visual_line(self, y: int, total: int) -> Strip:
        model = self.layout_model
        segments: list[Segment] = []
        # gutter
        gutter_style = self._style(("gutter",))
        cols, overflow = model.stripes(y)
        for col, colour in enumerate(cols):
            if overflow and col == STRIPES - 1:
                segments.append(Segment("+", gutter_style))
            elif colour:
                segments.append(Segment("┃", self._style(("stripe", colour))))
            else:
                segments.append(Segment(" ", gutter_style))
        segments.append(Segment(" " * (GUTTER - STRIPES), gutter_style))
        # text, the selection laid over it
        d = model.display
        ss, se = self._sel
        pieces = self._line_pieces(y)
        if se <= model.starts[y] or model.ends[y] <= ss:  # most lines: the selection is elsewhere
            segments += [Segment(d[s:e], style) for s, e, style in pieces]
        else:
            for s, e, style, selected in overlay(pieces, ss, se):
                segments.append(Segment(d[s:e], self._style(("sel", style)) if selected else style))
        # a selected line break or wrap point shows as one selected cell
        text_width = model.text_width
        text_cells = sum(seg.cell_length for seg in segments) - GUTTER
        pad_style = self.base_style
        if text_cells < text_width and model.break_selected(y, ss, se):
            segments.append(Segment(" ", self._style(("sel", pad_style))))
            text_cells += 1
        if text_cells < text_width:
            segments.append(Segment(" " * (text_width - text_cells), pad_style))
        elif text_cells > text_width:  # a wide character at the edge
            segments = list(Strip(segments).crop(0, GUTTER + text_width))
        # margin
        if model.margin:
            note = model.margin_note(y)
            if note is None:
                segments.append(Segment(" " * model.margin, self._style(("margin", None))))
            else:
                segments.append(Segment(note.mark, self._style(("margin", note.colour))))
                segments.append(Segment(note.label.ljust(model.margin - 3), self._style(("margin", None))))
        return Strip(segments).adjust_cell_length(total, pad_style)

    # -- selection -----------------------------------------------------------------------
    def _refresh_span(self, start: int, end: int) -> None:
        if not self._starts:
            return
        a, b = self.line_of(start), self.line_of(max(start, end))
        self.refresh_lines(a, b - a + 1)

    def _set_selection(self, start: int, end: int, *, head_at_end: bool, scroll: bool = True) -> None:
        old = self._sel
        if end <= start:
            end = min(len(self.text), start + 1)
        self._sel = (start, end)
        self._head_at_end = head_at_end
        if old != self._sel:
            self._refresh_span(*old)
            self._refresh_span(*self._sel)
        if scroll and self._starts:
            head = end - 1 if head_at_end else start
            self._ensure_visible(self.line_of(head))
        self.post_message(self.SelectionChanged(self, start, end))

    def show_offset(self, offset: int) -> None:
        """Scroll (if needed) so the line holding `offset` is in view."""
        if self._starts:
            self._ensure_visible(self.line_of(offset))

    def _ensure_visible(self, line: int, pad: int = 2) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        pad = min(pad, max(0, (height - 1) // 2))
        top = self.scroll_offset.y
        if line < top + pad:
            self.scroll_to(y=max(0, line - pad), animate=False)
        elif line > top + height - 1 - pad:
            self.scroll_to(y=line - height + 1 + pad, animate=False)

    def _is_visible(self, line: int) -> bool:
        top = self.scroll_offset.y
        return top <= line < top + max(1, self.scrollable_content_region.height)

    def _center_on(self, first: int, last: int) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            self.call_after_refresh(self._center_on, first, last)
            return
        span = last - first + 1
        y = first - max(0, (height - span) // 2) if span < height else first
        self.scroll_to(y=max(0, y), animate=False)

    def _apply(self, sel: Selection | None, *, scroll: bool = True) -> None:
        if sel is not None:
            self._set_selection(sel[0], sel[1], head_at_end=sel[2], scroll=scroll)

    @property
    def _cursor(self) -> Selection:
        return self._sel[0], self._sel[1], self._head_at_end

    def _head(self) -> int:
        return head(self._cursor)

    def action_sentence(self, delta: int) -> None:
        self._apply(self._sentences.step(self._cursor, delta))

    def action_extend(self, delta: int) -> None:
        self._apply(self._sentences.extend(self._cursor, delta))

    def action_end_word(self, delta: int) -> None:
        self._apply(end_word(self.text, self._cursor, delta))

    def action_start_word(self, delta: int) -> None:
        self._apply(start_word(self.text, self._cursor, delta))

    def action_turn(self, delta: int) -> None:
        if not self.turns:
            raise SkipAction()
        self._apply(self._sentences.turn(self.turns, self._cursor, delta))

    def action_page(self, delta: int) -> None:
        if not self._starts or not self.sentences:
            return
        height = max(1, self.scrollable_content_region.height - 2)
        line = max(0, min(len(self._starts) - 1, self.line_of(self._head()) + delta * height))
        sel = self._sentences.page(self._starts[line], delta)
        self.scroll_to(y=max(0, self.scroll_offset.y + delta * height), animate=False)
        self._apply(sel)

    def action_edge(self, delta: int) -> None:
        self._apply(self._sentences.select(0 if delta < 0 else len(self._sentences) - 1))

    def action_collapse(self) -> None:
        sel = self._sentences.collapse(self._cursor)
        if sel is None:
            raise SkipAction()
        self._apply(sel)

    # -- mouse ---------------------------------------------------------------------------
    def _offset_at(self, x: int, y: int) -> int | None:
        """Text offset of the boundary nearest to content cell (x, y)."""
        if not self._starts:
            return None
        return self.layout_model.offset_at(self.scroll_offset.y + y, x - GUTTER)

    def on_mouse_down(self, event: MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is None or event.button not in (0, 1):
            return
        pos = self._offset_at(offset.x, offset.y)
        if pos is None:
            return
        self.focus()
        self._drag_anchor = pos
        self._drag_moved = False
        self.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag_anchor is None:
            return
        offset = event.get_content_offset_capture(self)
        height = self.scrollable_content_region.height
        if offset.y < 0:
            self.scroll_to(y=max(0, self.scroll_offset.y - 1), animate=False)
        elif offset.y >= height:
            self.scroll_to(y=self.scroll_offset.y + 1, animate=False)
        pos = self._offset_at(offset.x, max(-1, min(offset.y, height)))
        if pos is None or pos == self._drag_anchor:
            return
        self._drag_moved = True
        a = self._drag_anchor
        self._set_selection(min(a, pos), max(a, pos), head_at_end=pos > a, scroll=False)
        event.stop()

    def on_mouse_up(self, event: MouseUp) -> None:
        if self._drag_anchor is None:
            return
        anchor = self._drag_anchor
        self._drag_anchor = None
        self.release_mouse()
        if not self._drag_moved:  # a click: the sentence under the pointer
            self._apply(self._sentences.at_click(anchor))
        event.stop()

    def on_click(self, event: Click) -> None:
        if event.chain == 2:
            offset = event.get_content_offset(self)
            if offset is None:
                return
            pos = self._offset_at(offset.x, offset.y)
            if pos is None:
                return
            self._apply(word_at(self.text, pos), scroll=False)
