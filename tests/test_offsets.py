"""Offsets are sacred: normalisation is stable, shifts and re-anchoring keep quotes exact."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from themecoder.core.text import Anchor, context, find_quote, normalise, reanchor, shift_offset

ALPHABET = st.sampled_from(list("abc æøå ÆØÅ\n\r\t.,") + ["\r\n", "a\u030a", "o\u0308", "é", "🤣", "\ufeff"])
TEXTS = st.lists(ALPHABET, max_size=80).map("".join)


@given(TEXTS)
def test_normalise_is_idempotent_nfc_and_lf(raw):
    text = normalise(raw)
    assert normalise(text) == text  # stored text never shifts when normalised again
    assert "\r" not in text
    assert unicodedata.is_normalized("NFC", text)


@given(TEXTS, st.data())
def test_spans_on_stored_text_survive_renormalisation(raw, data):
    text = normalise(raw)
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assert normalise(text)[start:end] == quote


@settings(max_examples=200)
@given(TEXTS, st.data())
def test_shift_offset_keeps_text_outside_the_edit(raw, data):
    text = normalise(raw)
    if len(text) < 2:
        return
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a, len(text)))
    s = data.draw(st.integers(0, len(text) - 1))
    e = data.draw(st.integers(s + 1, len(text)))
    replacement = data.draw(st.text(alphabet="[]navn", min_size=0, max_size=8))
    new_text = text[:a] + replacement + text[b:]
    ns = shift_offset(s, a, b, len(replacement), is_end=False)
    ne = shift_offset(e, a, b, len(replacement), is_end=True)
    assert 0 <= ns <= ne <= len(new_text)
    if e <= a:  # wholly before the edit: untouched
        assert (ns, ne) == (s, e)
    if s >= b and b > a:  # wholly after: same text, moved
        assert new_text[ns:ne] == text[s:e]


@given(st.text(alphabet="abc æø.\n", min_size=5, max_size=60), st.data())
def test_reanchor_finds_the_quote_after_text_is_inserted_before_it(text, data):
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip() or quote != quote.strip():
        return  # codings never start or end in whitespace
    before, after = context(text, start, end)
    inserted = data.draw(st.text(alphabet="XYZ ", min_size=1, max_size=10))
    new_text = inserted + text
    place = reanchor(new_text, Anchor(start, end, quote, before, after))
    assert place is not None
    assert new_text[place[0]:place[1]] == quote
    if len(find_quote(new_text, quote)) == 1 or len(set(quote)) > 1 and quote.strip() == quote:
        # Where the quote is not ambiguous, the exact place is found.
        if len(find_quote(new_text, quote)) == 1:
            assert place == (start + len(inserted), end + len(inserted))


def test_find_quote_is_whitespace_insensitive_and_nfc():
    text = normalise("Det er jo\nderes  prosess, ikke vår.")
    assert find_quote(text, "deres prosess,   ikke va\u030ar") == [(10, 34)]
    assert find_quote(text, "   ") == []
