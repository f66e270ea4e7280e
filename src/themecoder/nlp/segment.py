"""Sentence boundaries for Norwegian text over a tokenised spaCy Doc.

This is the fallback's sentence splitter (used instead of spaCy's `sentencizer`, which splits
after every full stop and misses stops glued to numbers). It works on token texts only and
never imports spaCy, so it also serves pipelines that set no sentence boundaries at all.

Rules, per candidate boundary:
- `?` / `!` (and runs like `?!`) end a sentence unless the next word starts in lowercase
  (`«Nei!» sa hun.` is one sentence).
- A full stop after a word ends a sentence unless the next word starts in lowercase.
- A full stop after a number or date (`i 2021.`, `01.09.2021.`), an ellipsis (`…`, `...`) and
  abbreviations that can close a sentence (`osv.`, `o.l.`, `m.m.` …) end a sentence only if
  the next word is capitalised (`den 5. mai`, `jeg vet ikke … kanskje` stay whole).
- Other abbreviations (`f.eks.`, `bl.a.`, `dvs.`, `ca.`, `nr.`, `kl.`, `jf.`, `evt.`, `mht.`,
  initials like `K.`) never end a sentence.
- Closing quotes and brackets right after the terminator stay with the sentence; an aside in
  brackets after `.`, `?` or `!` (`(ler)`, `[00:12:30]`) starts the next one.
- A blank line always ends a sentence; a single line break does when the next line starts
  with a capital letter, a digit, a quote or a dash and the line before did not end in a
  comma or hyphen.
"""
from __future__ import annotations

import re
from typing import Collection, Sequence

LINEBREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
CLOSERS = frozenset({"»", "”", "’", '"', "'", ")", "]", "}", "›"})
OPENERS = frozenset({"«", "“", "„", '"', "'", "(", "[", "{", "‹", "‘", "‚", "–", "—", "-", "‒", "―", "−"})
CONTINUERS = frozenset({",", ";", ":", ")", "]", "}", "»", "”", "’", "›"})

# Abbreviations that may also close a sentence (checked lowercase).
FINAL_ABBREVIATIONS = frozenset({
    "osv.", "o.s.v.", "o.l.", "e.l.", "el.l.", "m.m.", "mm.", "m.v.", "mv.", "etc.", "o.a.",
    "m.fl.", "mfl.", "stk.", "kr.", "mill.", "mrd.", "mnd.", "pst.", "moh.", "f.kr.", "e.kr.",
    "årh.", "etg.", "utg.", "vol.", "p.t.", "d.d.", "s.å.", "n.å.", "spm.", "vgs.", "ph.d.",
    "jan.", "feb.", "mar.", "apr.", "jun.", "aug.", "sep.", "okt.", "nov.", "des.",
})

_TERMINATOR = re.compile(r"[.!?…‽⁇⁈⁉]+")
_NUMBER = re.compile(r"[0-9.,:/\-–]*[0-9]")
_NUMBER_WITH_STOP = re.compile(r"[0-9][0-9.,:/\-–]*\.")

STRONG, PERIOD, WEAK, NEWLINE, PARAGRAPH = range(5)


def is_terminator(text: str) -> bool:
    return _TERMINATOR.fullmatch(text) is not None


def _linebreaks(text: str) -> int:
    return sum(1 for ch in text if ch in LINEBREAKS)


def _is_space(text: str) -> bool:
    return text.isspace()


def _terminator_kind(texts: Sequence[str], ws: Sequence[str], i: int) -> int:
    t = texts[i]
    if "?" in t or "!" in t or "‽" in t or "⁇" in t or "⁈" in t or "⁉" in t:
        return STRONG
    if "…" in t or t.count(".") >= 2:
        return WEAK
    # a lone "." glued to a number or date: "i 2021." / "01.09.2021." / "den 5. mai"
    if i > 0 and ws[i - 1] == "" and _NUMBER.fullmatch(texts[i - 1]):
        return WEAK
    return PERIOD


def _kind(texts: Sequence[str], ws: Sequence[str], i: int, abbreviations: Collection[str]) -> int | None:
    t = texts[i]
    if is_terminator(t):
        return _terminator_kind(texts, ws, i)
    if t.isspace():
        n = _linebreaks(t)
        if n >= 2:
            return PARAGRAPH
        if n == 1:
            return NEWLINE
        return None
    if len(t) > 1 and t.endswith("."):
        # tokens that keep their stop: abbreviations, initials, numbers (in model tokenizers)
        if t.lower() in FINAL_ABBREVIATIONS or _NUMBER_WITH_STOP.fullmatch(t):
            return WEAK
        if t in abbreviations or "." in t[:-1] or (len(t) == 2 and t[0].isalpha()):
            return None  # f.eks., bl.a., ca., kl., initials like "K."
        return PERIOD  # a word the tokenizer left its stop on ("UiO.")
    return None


def _starts_sentence(kind: int, nxt: str) -> bool:
    c = nxt[:1]
    if kind in (STRONG, PERIOD):
        return not (c.islower() or c in CONTINUERS)
    if kind == WEAK:
        return c.isupper() or c.istitle()
    if kind == NEWLINE:
        return c.isupper() or c.istitle() or c.isdigit() or nxt in OPENERS
    return True  # PARAGRAPH


def sentence_starts(
    texts: Sequence[str], ws: Sequence[str], abbreviations: Collection[str] = frozenset()
) -> list[int]:
    """Indices of the tokens that start a sentence, given token texts, their trailing
    whitespace (`token.whitespace_`) and the tokenizer's abbreviations (special cases ending
    in "."). The first index is always 0 for a non-empty doc."""
    n = len(texts)
    if n == 0:
        return []
    starts = [0]
    last_content = -1  # index of the last non-space token seen
    i = 0
    while i < n:
        # A token of letters and digits only is never a boundary (the common case, decided in C).
        kind = None if texts[i].isalnum() else _kind(texts, ws, i, abbreviations)
        if kind is None:
            if not texts[i].isspace():
                last_content = i
            i += 1
            continue
        if kind in (NEWLINE, PARAGRAPH):
            # a line break only matters inside a sentence that already has content
            if last_content < starts[-1] or (
                kind == NEWLINE
                and (texts[last_content] in (",", ";") or texts[last_content].endswith(("-", "–")))
            ):
                i += 1
                continue
            j = i + 1
            k = j
            while k < n and texts[k].isspace():
                k += 1
            if k < n and _starts_sentence(kind, texts[k]):
                starts.append(j)
            i = j
            continue
        # a terminator: keep following terminators and closing quotes/brackets with it
        j = i + 1
        while j < n and ws[j - 1] == "" and (is_terminator(texts[j]) or texts[j] in CLOSERS):
            if is_terminator(texts[j]):
                kind = min(kind, _terminator_kind(texts, ws, j))
            j += 1
        last_content = j - 1
        k = j
        bracket = False
        while k < n and (texts[k].isspace() or texts[k] in OPENERS):
            bracket = bracket or texts[k] in ("(", "[")
            k += 1
        if k >= n:
            break
        # "… på. (ler) Jeg tror …": an aside in brackets after a full stop opens a sentence
        if (bracket and kind in (STRONG, PERIOD)) or _starts_sentence(kind, texts[k]):
            starts.append(j)
        i = j
    return starts
