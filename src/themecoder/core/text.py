"""Text normalisation and the offset rules every coding obeys.

Documents are stored NFC with LF line endings; a coded span is [start, end) in code points and
always equals text[start:end]. A coding keeps its quote and some context so it can be found
again (re-anchored) if the text ever changes.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from themecoder.errors import UserError

CONTEXT_CHARS = 80
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def normalise(text: str) -> str:
    """NFC, LF line endings, no BOM."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    return text[max(0, start - width):start], text[end:end + width]


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def collapse_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _match_words(text: str, i: int, words: list[str]) -> int:
    """The end of `words` matched at `i` with runs of whitespace between them, or -1.

    The same as the regex `w1\\s+w2\\s+...` anchored at `i` (a word holds no whitespace, so
    the greedy run is forced), without compiling a pattern for every quote."""
    n = len(text)
    pos = i
    for k, word in enumerate(words):
        if k:
            j = pos
            while j < n and text[j].isspace():
                j += 1
            if j == pos:
                return -1
            pos = j
        if not text.startswith(word, pos):
            return -1
        pos += len(word)
    return pos


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """All places where `quote` occurs in `text`, whitespace-insensitively."""
    words = normalise(quote).split()
    if not words:
        return []
    first = words[0]
    places = []
    # Overlapping occurrences count too ("aaa" in "aaaa" twice): re-anchoring needs them all.
    i = text.find(first)
    while i >= 0:
        end = _match_words(text, i, words)
        if end >= 0:
            places.append((i, end))
        i = text.find(first, i + 1)
    return places


@dataclass(frozen=True, slots=True)
class Anchor:
    start: int
    end: int
    quote: str
    context_before: str = ""
    context_after: str = ""


def reanchor(text: str, anchor: Anchor) -> tuple[int, int] | None:
    """Find a coding again in changed text: exact place first, then the best-matching copy."""
    if 0 <= anchor.start < anchor.end <= len(text) and text[anchor.start:anchor.end] == anchor.quote:
        return anchor.start, anchor.end
    places = find_quote(text, anchor.quote)
    if not places:
        return None

    def score(place: tuple[int, int]) -> tuple[int, int]:
        before, after = context(text, *place)
        agree = _common_suffix(before, anchor.context_before) + _common_prefix(after, anchor.context_after)
        return (-agree, abs(place[0] - anchor.start))

    return min(places, key=score)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def shift_offset(offset: int, edit_start: int, edit_end: int, new_length: int, *, is_end: bool) -> int:
    """Where an offset lands after text[edit_start:edit_end] is replaced by new_length chars."""
    if offset <= edit_start:
        return offset
    if offset >= edit_end:
        return offset + new_length - (edit_end - edit_start)
    # Inside the replaced stretch: snap to the nearer edge of the replacement.
    return edit_start + new_length if is_end else edit_start


class Regions:
    """Sorted, non-overlapping [start, end) regions with fast overlap tests."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for s, e in sorted((int(a), int(b)) for a, b in spans if b > a):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [m[0] for m in merged]
        self.ends = [m[1] for m in merged]

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, e - 1) - 1
        return i >= 0 and self.ends[i] > s

    def covers(self, s: int, e: int) -> bool:
        i = bisect_right(self.starts, s) - 1
        return i >= 0 and self.ends[i] >= e

    def __bool__(self) -> bool:
        return bool(self.starts)


# -- canonical labels and clean texts (issue 18 points 9 and 12) --------------------------------
LABEL_MAX = 256  # characters in a code label or theme name; longer text belongs in a description
# Control characters (C0 but tab and line feed, DEL, C1): an ESC or OSC sequence in a label or
# a review file would otherwise reach the terminal and break Word files.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters that make two labels look the same: zero-width space/joiners, word
# joiner, BOM, soft hyphen, invisible operators.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_controls(text: str, *, keep_lines: bool = True) -> str:
    """`text` without control characters (tab and line feed kept when `keep_lines`; CR becomes
    LF): the one cleaning every text from outside gets at the door."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text if keep_lines else collapse_ws(text)


def clean_text(text: str) -> str:
    """A free text (description, memo, comment) as stored: NFC, LF, no control characters."""
    return unicodedata.normalize("NFC", strip_controls(text))


def canonical_label(label: str, *, what: str = "a code label", max_chars: int = LABEL_MAX) -> str:
    """The one canonical form of a label or name: NFC, no control or zero-width characters,
    whitespace folded to single spaces. UserError when longer than `max_chars`."""
    label = unicodedata.normalize("NFC", label or "")
    label = collapse_ws(_INVISIBLE.sub("", _CONTROL.sub(" ", label)))
    if len(label) > max_chars:
        raise UserError(f"{what} can be at most {max_chars} characters (this one has {len(label):,}); "
                        "put the rest in the description".replace(",", " "))
    return label


def label_key(label: str) -> str:
    """What two labels are compared by for duplicates: canonical form, case folded."""
    return collapse_ws(_INVISIBLE.sub("", _CONTROL.sub(" ", unicodedata.normalize("NFC", label or "")))).casefold()


def plural(n: int, words: str) -> str:
    """``plural(1, "codes")`` is "1 code", ``plural(2, "codes")`` "2 codes" (issue 14.14)."""
    if n == 1 or n == -1:
        if words.endswith("ies"):
            words = words[:-3] + "y"
        elif words.endswith(("ches", "shes", "sses", "xes")):
            words = words[:-2]
        elif words.endswith("s"):
            words = words[:-1]
    return f"{n:,}".replace(",", " ") + f" {words}"


def read_utf8_file(path: Path, error: type[Exception] = UserError) -> str:
    """The text of a UTF-8 file (a BOM dropped), or `error` in one line naming the file when it
    is missing or not UTF-8 (survey data and findings files)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{path.name}: file not found") from None
    except UnicodeDecodeError:
        raise error(f"{path.name}: not UTF-8 text") from None
