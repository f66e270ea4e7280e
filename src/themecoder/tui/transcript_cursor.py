"""Where the reader's selection goes on a key or a click, without Textual.

A selection is (start, end, head_at_end): a non-empty [start, end) range of code points and
which end moves (the "head"). The keyboard moves it by sentence (shift extends), by speaker
turn, and adjusts its ends by a word; a click selects the sentence under the pointer and a
double click the word. `TranscriptView` asks these functions for the next selection and
paints it; every answer is None when the key does nothing here.
"""
from __future__ import annotations

import bisect
import re

from themecoder.model import Turn

Selection = tuple[int, int, bool]  # start, end, head at the end?
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def head(sel: Selection) -> int:
    """The offset of the moving end: the last selected character, or the first."""
    s, e, at_end = sel
    return e - 1 if at_end else s


class Sentences:
    """The sentences of a document ([start, end), sorted), and moves between them."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def index(self, offset: int) -> int:
        """Index of the sentence containing offset, else the one before it (-1 if none)."""
        return bisect.bisect_right(self.starts, offset) - 1

    def count(self, start: int, end: int) -> int:
        """How many sentences [start, end) touches (at least one)."""
        first = self.index(start)
        last = bisect.bisect_left(self.starts, end) - 1
        return max(1, last - first + 1) if first >= 0 else 1

    def select(self, i: int) -> Selection | None:
        """Sentence i (clamped to the document), head at its end."""
        if not self.spans:
            return None
        s, e = self.spans[max(0, min(i, len(self.spans) - 1))]
        return s, e, True

    def step(self, sel: Selection, delta: int) -> Selection | None:
        """down/up: the next or previous sentence; from inside a sentence, up goes to its start."""
        if not self.spans:
            return None
        i = self.index(head(sel))
        s, e, _ = sel
        if delta > 0:
            return self.select(i + 1 if i >= 0 else 0)
        if i >= 0 and self.spans[i][0] < s and e <= self.spans[i][1]:
            return self.select(i)
        return self.select(i - 1 if i >= 0 else 0)

    def extend(self, sel: Selection, delta: int) -> Selection | None:
        """shift+down/up: move the head one sentence; back over the anchor it shrinks."""
        sents = self.spans
        if not sents:
            return None
        s, e, at_end = sel
        n = len(sents)
        if delta > 0:
            if not at_end:
                i = self.index(s)
                if i + 1 < n and sents[i + 1][0] < e:
                    return sents[i + 1][0], e, False
            j = self.index(e - 1)
            if j >= 0 and sents[j][1] > e:
                e = sents[j][1]
            elif j + 1 < n:
                e = sents[j + 1][1]
            return s, e, True
        if at_end:
            i = self.index(e - 1)
            if i > 0 and sents[i - 1][1] > s and sents[i][0] >= s:
                return s, sents[i - 1][1], True
        j = self.index(s)
        if j >= 0 and sents[j][0] < s:
            s = sents[j][0]
        elif j > 0:
            s = sents[j - 1][0]
        elif j < 0:
            s = sents[0][0]
        return s, max(e, s + 1), False

    def turn(self, turns: list[Turn], sel: Selection, delta: int) -> Selection | None:
        """]/[: the first sentence of the next or previous speaker turn (or the whole turn)."""
        if not turns:
            return None
        starts = [t.label_start for t in turns]
        i = bisect.bisect_right(starts, head(sel)) - 1
        turn = turns[max(0, min(len(turns) - 1, i + delta if i >= 0 else 0))]
        k = bisect.bisect_left(self.starts, turn.start)
        if k < len(self.spans) and self.spans[k][0] < max(turn.end, turn.start + 1):
            return self.select(k)
        if turn.end > turn.start:
            return turn.start, turn.end, True
        return None

    def page(self, target: int, delta: int) -> Selection | None:
        """page down/up: the sentence at `target` (the first offset of the line a page away);
        going down, the next one if target is past it."""
        if not self.spans:
            return None
        i = self.index(target)
        if delta > 0 and (i < 0 or self.spans[i][1] <= target):
            i += 1
        return self.select(max(0, i))

    def collapse(self, sel: Selection) -> Selection | None:
        """escape: back to the one sentence holding the head (None if that is the selection)."""
        i = self.index(head(sel))
        if i >= 0 and (sel[0], sel[1]) != self.spans[i]:
            return self.select(i)
        return None

    def at_click(self, anchor: int) -> Selection | None:
        """A click: the sentence under the pointer; between sentences (a speaker label, a
        blank line), the nearer one."""
        if not self.spans:
            return None
        i = self.index(anchor)
        if i < 0:
            return self.select(0)
        if anchor < self.spans[i][1] or i + 1 >= len(self.spans):
            return self.select(i)
        before = anchor - self.spans[i][1]
        after = self.spans[i + 1][0] - anchor
        return self.select(i if before < after else i + 1)


# -- words ---------------------------------------------------------------------------------------
def word_boundary(text: str, pos: int, delta: int, *, want: str) -> int:
    """The next word end/start after pos (delta > 0) or the previous one before it."""
    if delta > 0:
        if want == "start":
            inside = WORD.match(text, pos)  # from a word's start: past that word, not one letter
            pos = inside.end() if inside else pos + 1
        m = WORD.search(text, pos)
        if m is None:
            return len(text)
        return m.start() if want == "start" else m.end()
    found = [m.start() if want == "start" else m.end() for m in WORD.finditer(text, max(0, pos - 200), pos)]
    found = [p for p in found if p < pos]
    return found[-1] if found else max(0, pos - 1)


def end_word(text: str, sel: Selection, delta: int) -> Selection | None:
    """shift+right/left: the end of the selection one word on (never before its start)."""
    s, e, _ = sel
    new = word_boundary(text, e, delta, want="end")
    return (s, new, True) if new > s else None


def start_word(text: str, sel: Selection, delta: int) -> Selection | None:
    """ctrl+right/left: the start of the selection one word on (never past its end)."""
    s, e, _ = sel
    new = word_boundary(text, s, delta, want="start")
    return (new, e, False) if new < e else None


def word_at(text: str, pos: int) -> Selection | None:
    """A double click: the word under the pointer."""
    for m in WORD.finditer(text, max(0, pos - 80), min(len(text), pos + 80)):
        if m.start() <= pos < m.end():
            return m.start(), m.end(), True
    return None
