"""find_quote matches words with runs of whitespace between them, exactly as the regex
`w1\\s+w2...` did, without compiling a pattern per quote (re-anchoring and codebook import call
it for every coding)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from themecoder.core.text import find_quote, normalise

ALPHABET = st.sampled_from(list("aab ø\n\t\u00a0\u2028.«»-") + ["  "])


def reference(text: str, quote: str) -> list[tuple[int, int]]:
    words = normalise(quote).split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    places, pos = [], 0
    while (m := pattern.search(text, pos)) is not None:
        places.append((m.start(), m.end()))
        pos = m.start() + 1
    return places


@settings(max_examples=400, deadline=None)
@given(text=st.lists(ALPHABET, max_size=60).map("".join), quote=st.lists(ALPHABET, max_size=12).map("".join))
def test_find_quote_equals_the_whitespace_insensitive_regex(text: str, quote: str) -> None:
    assert find_quote(text, quote) == reference(text, quote)


def test_examples() -> None:
    text = "Hun sa:\nat  relasjonen\u00a0var viktig. Relasjonen var viktig."
    assert find_quote(text, "relasjonen var viktig") == [(12, 33)] == reference(text, "relasjonen var viktig")
    assert find_quote("aaaa", "aaa") == [(0, 3), (1, 4)]
    assert find_quote("abc", "   ") == []
