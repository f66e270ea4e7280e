"""The transcript reader's model, without Textual: word wrap, highlight runs, gutter stripes.

`TranscriptView` (tui/widgets/transcript_view.py) only paints what this computes and handles
keys and the mouse, as Toolong's `log_lines.py` paints what `log_file.py` reads. Everything
here is plain data and can be tested without an app:

* the text is word-wrapped once per width into visual lines (offsets only, no copies);
* coded spans are swept once into *runs* of constant coding sets, so a line's pieces are
  found by bisection (the widget caches them, styled, per line);
* a gutter shows one stripe per overlapping coding (columns by interval partitioning) and,
  when the terminal is wide enough, a margin names the codes where their codings begin;
* the selection (or any other highlighted range, such as a search hit) is an overlay split
  into a line's pieces at paint time, so moving it costs only the lines it touches.

Offsets are code points into the document text. Widths are terminal cells (rich's table of
wide characters; the only import beyond the standard library and the model).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from rich.cells import get_character_cell_size

from themecoder.core.turns import is_interviewer
from themecoder.model import Code, Coding, Turn

GUTTER = 5  # four stripe columns and a space
STRIPES = 4
MARGIN = 24  # code labels on the right, when there is room
MIN_TEXT_FOR_MARGIN = 60
NO_COLOUR = "#808080"  # a coding whose code is gone
_CONTROL = {i: " " for i in [*range(32), 127] if i != 10}
_NOT_NARROW = re.compile(r"[^\x20-\u02ff]")  # anything that might not be one cell wide

# What a piece of text is: plain, a speaker label, an interviewer's label.
TEXT, SPEAKER, INTERVIEWER = 0, 1, 2

T = TypeVar("T")


def display_text(text: str) -> str:
    """The text as painted: control characters (tabs ...) as one blank each, so offsets and
    cells stay one to one for narrow text."""
    return text.translate(_CONTROL)


def text_widths(total: int) -> tuple[int, int]:
    """(text width, margin width) for a view `total` cells wide: the margin only if the text
    keeps MIN_TEXT_FOR_MARGIN cells beside it."""
    text_width = max(1, total) - GUTTER
    margin = 0
    if text_width - MARGIN >= MIN_TEXT_FOR_MARGIN:
        margin = MARGIN
        text_width -= MARGIN
    return max(8, text_width), margin


# -- wrapping --------------------------------------------------------------------------------
def wrap(display: str, width: int) -> tuple[list[int], list[int]]:
    """Visual lines of `display` at `width` cells: (starts, ends), ends exclusive and without
    trailing blanks. A paragraph (text between line breaks) wraps at spaces; a word longer
    than the width is cut. Every offset belongs to exactly one [starts[i], starts[i+1])."""
    width = max(2, width)
    starts: list[int] = []
    ends: list[int] = []
    n = len(display)
    pos = 0
    while True:
        nl = display.find("\n", pos)
        pe = n if nl < 0 else nl
        if _NOT_NARROW.search(display, pos, pe):
            _wrap_wide(display, pos, pe, width, starts, ends)
        else:
            _wrap_narrow(display, pos, pe, width, starts, ends)
        if nl < 0:
            break
        pos = nl + 1
    return starts, ends


def _wrap_narrow(d: str, s: int, b: int, width: int, starts: list[int], ends: list[int]) -> None:
    """One paragraph of one-cell characters: cells are offsets, so no measuring."""
    while b - s > width:
        cut = d.rfind(" ", s + 1, s + width + 1)
        if cut < 0:
            e = nxt = s + width
        else:
            e, nxt = cut, cut + 1
            while e > s and d[e - 1] == " ":
                e -= 1
            while nxt < b and d[nxt] == " ":
                nxt += 1
        starts.append(s)
        ends.append(e)
        s = nxt
    e = b
    while e > s and d[e - 1] == " ":
        e -= 1
    starts.append(s)
    ends.append(e)


def _wrap_wide(d: str, s: int, b: int, width: int, starts: list[int], ends: list[int]) -> None:
    """One paragraph with characters that may be two cells wide (or none): measured."""
    while True:
        w = 0
        i = s
        last_space = -1
        while i < b:
            cw = get_character_cell_size(d[i])
            if w + cw > width and i > s:
                break
            if d[i] == " ":
                last_space = i
            w += cw
            i += 1
        if i >= b:
            e = b
            while e > s and d[e - 1] == " ":
                e -= 1
            starts.append(s)
            ends.append(e)
            return
        if d[i] == " ":
            e, nxt = i, i
        elif last_space > s:
            e, nxt = last_space, last_space
        else:
            e = nxt = i
        while e > s and d[e - 1] == " ":
            e -= 1
        while nxt < b and d[nxt] == " ":
            nxt += 1
        starts.append(s)
        ends.append(e)
        if nxt >= b:
            return
        s = nxt


# -- marks: runs, stripes, margin labels -----------------------------------------------------
@dataclass(slots=True)
class Marks:
    """Everything derived from the codings for one layout: runs, stripes, margin labels."""

    run_pos: list[int] = field(default_factory=list)  # boundaries, sorted
    run_top: list[int] = field(default_factory=list)  # coding index shown in the run, -1 none
    run_count: list[int] = field(default_factory=list)  # codings covering the run
    col_first: list[list[int]] = field(default_factory=list)  # per column: first lines
    col_last: list[list[int]] = field(default_factory=list)
    col_coding: list[list[int]] = field(default_factory=list)
    margin: dict[int, int] = field(default_factory=dict)  # line -> coding index


def coding_runs(codings: list[Coding]) -> tuple[list[int], list[int], list[int]]:
    """Runs of constant coding sets, by a sweep over start/end events: (boundaries, the
    coding shown in each run or -1, how many codings cover it). The most specific (shortest)
    coding gives a run its colour."""
    events: list[tuple[int, int, int]] = []
    for i, c in enumerate(codings):
        events.append((c.start, 1, i))
        events.append((c.end, 0, i))
    events.sort()
    pos_out: list[int] = []
    top_out: list[int] = []
    count_out: list[int] = []
    active: set[int] = set()
    k = 0
    while k < len(events):
        pos = events[k][0]
        while k < len(events) and events[k][0] == pos:
            _, kind, i = events[k]
            if kind:
                active.add(i)
            else:
                active.discard(i)
            k += 1
        top = min(active, key=lambda j: (codings[j].end - codings[j].start, j)) if active else -1
        pos_out.append(pos)
        top_out.append(top)
        count_out.append(len(active))
    return pos_out, top_out, count_out


def compute_marks(codings: list[Coding], line_of: Callable[[int], int], n_lines: int, *,
                  margin: bool) -> Marks:
    """Runs, gutter columns (interval partitioning, longest first at equal starts) and the
    margin line of each coding (its first line, or the next free one within six)."""
    marks = Marks()
    if not n_lines:
        return marks
    marks.run_pos, marks.run_top, marks.run_count = coding_runs(codings)
    order = sorted(range(len(codings)), key=lambda j: (codings[j].start, -codings[j].end))
    col_end: list[int] = []
    for j in order:
        c = codings[j]
        for col, end in enumerate(col_end):
            if end <= c.start:
                break
        else:
            col = len(col_end)
            col_end.append(0)
            marks.col_first.append([])
            marks.col_last.append([])
            marks.col_coding.append([])
        col_end[col] = c.end
        marks.col_first[col].append(line_of(c.start))
        marks.col_last[col].append(line_of(max(c.start, c.end - 1)))
        marks.col_coding[col].append(j)
    if margin:
        taken: set[int] = set()
        for j in order:
            first = line_of(codings[j].start)
            for y in range(first, min(first + 6, n_lines)):
                if y not in taken:
                    taken.add(y)
                    marks.margin[y] = j
                    break
    return marks


def overlay(pieces: Iterable[tuple[int, int, T]], start: int, end: int) -> list[tuple[int, int, T, bool]]:
    """A line's pieces split where [start, end) begins and ends: (s, e, what, inside)."""
    out: list[tuple[int, int, T, bool]] = []
    for s, e, what in pieces:
        if end <= s or e <= start:
            out.append((s, e, what, False))
            continue
        a, b = max(s, start), min(e, end)
        if a > s:
            out.append((s, a, what, False))
        out.append((a, b, what, True))
        if e > b:
            out.append((b, e, what, False))
    return out


@dataclass(frozen=True, slots=True)
class MarginNote:
    """The code named in the right margin on a line."""

    mark: str  # " ■ ", or " ✎ " when the coding has a memo
    label: str  # clipped to the room with "…"
    colour: str


class TranscriptLayout:
    """One document laid out at one width: visual lines, runs, stripes, margin notes.

    `load` sets the text and turns, `set_codings` the codings, `layout(width, margin)` wraps;
    then `line_pieces`, `stripes` and `margin_note` answer per visual line.
    """

    def __init__(self) -> None:
        self.text = ""
        self.display = ""
        self.turns: list[Turn] = []
        self.labels: list[tuple[int, int, bool]] = []  # (label_start, start, interviewer)
        self.label_starts: list[int] = []
        self.codings: list[Coding] = []
        self.codes: dict[str, Code] = {}
        self.memo_codings: set[str] = set()  # codings with a memo: ✎ in the margin
        self.text_width = 0
        self.margin = 0
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.marks = Marks()

    # -- input -----------------------------------------------------------------------------
    def load(self, text: str, turns: list[Turn]) -> None:
        self.text = text
        self.display = display_text(text)
        self.turns = turns
        self.labels = [(t.label_start, t.start, is_interviewer(t.speaker)) for t in turns if t.start > t.label_start]
        self.label_starts = [x[0] for x in self.labels]
        # The next `layout` wraps the new text. Until then the old lines stay, so a reader
        # can keep its place: the offset at the top of the view is found in them.
        self.text_width = 0

    def set_codings(self, codings: list[Coding], codes: dict[str, Code]) -> None:
        self.codings = codings
        self.codes = codes
        self.compute_marks()

    def layout(self, text_width: int, margin: int) -> bool:
        """Wrap at `text_width` with a margin of `margin` cells; False if nothing changed."""
        if text_width == self.text_width and margin == self.margin and self.starts:
            return False
        self.text_width, self.margin = text_width, margin
        self.starts, self.ends = wrap(self.display, text_width)
        self.compute_marks()
        return True

    def compute_marks(self) -> None:
        self.marks = compute_marks(self.codings, self.line_of, len(self.starts), margin=bool(self.margin))

    # -- geometry --------------------------------------------------------------------------
    @property
    def line_count(self) -> int:
        return len(self.starts)

    @property
    def width(self) -> int:
        """Cells of a whole painted line: gutter, text and margin."""
        return GUTTER + self.text_width + self.margin

    def line_of(self, offset: int) -> int:
        """The visual line holding `offset` (0 before the text)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def offset_at(self, line: int, col: int) -> int:
        """Text offset of the boundary nearest to text cell `col` of visual `line` (col 0 is
        the first text cell, after the gutter); clamped to the text."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        ls, le = self.starts[line], self.ends[line]
        if col <= 0:
            return ls
        d = self.display
        if not _NOT_NARROW.search(d, ls, le):
            return min(le, ls + col)
        w = 0
        for i in range(ls, le):
            w += get_character_cell_size(d[i])
            if w > col:
                return i
        return le

    def break_selected(self, y: int, start: int, end: int) -> bool:
        """Does [start, end) cover the line break (or wrap point) at the end of line y? It
        shows as one selected cell."""
        le = self.ends[y]
        nxt = self.starts[y + 1] if y + 1 < len(self.starts) else len(self.display)
        return start <= le < end and le < nxt

    # -- per visual line -------------------------------------------------------------------
    def colour(self, coding_index: int) -> str:
        code = self.codes.get(self.codings[coding_index].code_id)
        return code.colour if code else NO_COLOUR

    def line_pieces(self, y: int) -> list[tuple[int, int, tuple[Hashable, ...]]]:
        """The pieces of line y: (start, end, key) with key ("text", label kind, colour of
        the coding shown or None, several codings overlap). Labels are never tinted."""
        ls, le = self.starts[y], self.ends[y]
        cuts = {ls, le}
        marks = self.marks
        r = max(0, bisect.bisect_right(marks.run_pos, ls) - 1)
        while r < len(marks.run_pos) and marks.run_pos[r] < le:
            if marks.run_pos[r] > ls:
                cuts.add(marks.run_pos[r])
            r += 1
        labels = self.labels
        li = max(0, bisect.bisect_right(self.label_starts, ls) - 1)
        while li < len(labels) and labels[li][0] < le:
            for p in labels[li][:2]:
                if ls < p < le:
                    cuts.add(p)
            li += 1
        bounds = sorted(cuts)
        pieces: list[tuple[int, int, tuple[Hashable, ...]]] = []
        for s, e in zip(bounds, bounds[1:]):  # noqa: RUF007 (pairwise is slower on short lists)
            label = TEXT
            k = bisect.bisect_right(self.label_starts, s) - 1
            if k >= 0 and labels[k][0] <= s < labels[k][1]:
                label = INTERVIEWER if labels[k][2] else SPEAKER
            colour, overlap = None, False
            ri = bisect.bisect_right(marks.run_pos, s) - 1
            if ri >= 0 and marks.run_top[ri] >= 0 and label == TEXT:
                colour = self.colour(marks.run_top[ri])
                overlap = marks.run_count[ri] > 1
            pieces.append((s, e, ("text", label, colour, overlap)))
        return pieces

    def stripes(self, y: int) -> tuple[list[str | None], bool]:
        """The gutter of line y: a colour (or None) per stripe column, and whether more
        codings overlap here than there are columns (shown as "+" in the last one)."""
        marks = self.marks
        cols: list[str | None] = []
        overflow = False
        for col in range(len(marks.col_first)):
            i = bisect.bisect_right(marks.col_first[col], y) - 1
            hit = self.colour(marks.col_coding[col][i]) if i >= 0 and marks.col_last[col][i] >= y else None
            if col < STRIPES:
                cols.append(hit)
            elif hit:
                overflow = True
                break
        cols += [None] * (STRIPES - len(cols))
        return cols, overflow

    def margin_note(self, y: int) -> MarginNote | None:
        """The code named in the margin on line y, if any (and if there is a margin)."""
        if not self.margin:
            return None
        j = self.marks.margin.get(y)
        if j is None:
            return None
        coding = self.codings[j]
        code = self.codes.get(coding.code_id)
        label = code.label if code else "?"
        room = self.margin - 3
        if len(label) > room:
            label = label[: room - 1] + "…"
        mark = " ✎ " if coding.id in self.memo_codings else " ■ "
        return MarginNote(mark, label, code.colour if code else NO_COLOUR)
