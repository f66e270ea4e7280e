"""Position conversion between producers' counting and code points in the normalised text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themecoder.io.refi import CONVENTIONS, RefiError, TextMap, detect_convention, normalise_text
from themecoder.io.refi.positions import (
    CODEPOINTS,
    CODEPOINTS_CRLF_AS_ONE,
    UTF16,
    UTF16_CRLF_AS_ONE,
    quote_matches,
)

RAW = "\ufeffHei på deg 😀\r\nBla\u030abær 👍🏽 og e\u0301n\r\nslutt"


def units(raw: str, convention: str) -> int:
    """Reference counting, written the obvious way, to check TextMap against."""
    raw = raw.lstrip("\ufeff")
    n = 0
    i = 0
    while i < len(raw):
        ch = raw[i]
        if convention.endswith("crlf_as_one") and raw.startswith("\r\n", i):
            n += 1
            i += 2
            continue
        n += 2 if convention.startswith("utf16") and ord(ch) > 0xFFFF else 1
        i += 1
    return n


def test_normalised_text_is_nfc_lf_without_bom() -> None:
    tm = TextMap(RAW)
    assert tm.text == "Hei på deg 😀\nBlåbær 👍🏽 og én\nslutt"
    assert tm.text == normalise_text(RAW) == unicodedata.normalize("NFC", RAW[1:].replace("\r\n", "\n"))


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_total_units_per_convention(convention: str) -> None:
    assert TextMap(RAW).total_units(convention) == units(RAW, convention)


@pytest.mark.parametrize(
    "convention, start, end",
    [
        # "Blåbær": raw (no BOM) index 14 .. 21 in NFD (a + ring = 2 code points)
        (CODEPOINTS, 14, 21),
        (CODEPOINTS_CRLF_AS_ONE, 13, 20),
        (UTF16, 15, 22),           # the emoji before counts 2
        (UTF16_CRLF_AS_ONE, 14, 21),
    ],
)
def test_known_positions(convention: str, start: int, end: int) -> None:
    tm = TextMap(RAW)
    a, b = tm.span_to_text(start, end, convention)
    assert tm.text[a:b] == "Blåbær"
    assert (tm.from_text(a, convention), tm.from_text(b, convention, "end")) == (start, end)


def test_positions_inside_merged_units_snap_outwards() -> None:
    tm = TextMap("a😀b\r\nc")
    # UTF-16: a=0, 😀=1..3, b=3, CR=4, LF=5, c=6; code points: a=0, 😀=1, b=2, CR=3, LF=4, c=5
    assert tm.span_to_text(2, 3, UTF16) == (1, 2)        # half an emoji -> the whole emoji
    assert tm.span_to_text(4, 5, CODEPOINTS) == (3, 4)   # from between CR and LF -> the line break
    assert not tm.is_clean(2, UTF16)
    assert tm.is_clean(3, UTF16)
    assert not tm.is_clean(4, CODEPOINTS)                # between CR and LF
    assert tm.is_clean(3, CODEPOINTS)


def test_positions_inside_nfc_composition_snap_outwards() -> None:
    tm = TextMap("xe\u0301y")  # raw: x e ◌́ y ; text: x é y
    assert tm.text == "xéy"
    assert tm.span_to_text(2, 3, CODEPOINTS) == (1, 2)   # only the accent -> the whole é
    assert tm.span_to_text(1, 3, CODEPOINTS) == (1, 2)
    assert tm.span_to_text(3, 4, CODEPOINTS) == (2, 3)


def test_out_of_range_positions_are_clamped_and_swapped() -> None:
    tm = TextMap("abc")
    assert tm.span_to_text(-5, 99, CODEPOINTS) == (0, 3)
    assert tm.span_to_text(2, 1, CODEPOINTS) == (1, 2)


def test_lone_cr_is_a_line_break() -> None:
    tm = TextMap("a\rb\r\nc")
    assert tm.text == "a\nb\nc"
    assert tm.span_to_text(2, 3, CODEPOINTS) == (2, 3)
    assert tm.span_to_text(5, 6, CODEPOINTS) == (4, 5)
    assert tm.span_to_text(4, 5, CODEPOINTS_CRLF_AS_ONE) == (4, 5)


def test_unknown_convention() -> None:
    with pytest.raises(RefiError):
        TextMap("x").to_text(0, "bytes")


def test_quote_matches() -> None:
    assert quote_matches("Hei  på\ndeg", "Hei på deg")
    assert quote_matches("Hei på deg, sa hun", "Hei på…")
    assert quote_matches("Hei på deg, sa hun", "Hei på...")
    assert not quote_matches("Hei på deg", "Quotation 6:1")
    assert not quote_matches("Hei", "")
    assert not quote_matches("Hei", None)
    assert not quote_matches("Hei", "…")


def test_detection_prefers_names_then_boundaries_then_origin() -> None:
    raw = "Første 😀 linje\r\nAndre linje med 😀 og mer tekst\r\nTredje"
    tm = TextMap(raw)
    target = tm.text.index("mer tekst")
    span = (target, target + len("mer tekst"))
    sels = []
    for conv in (CODEPOINTS_CRLF_AS_ONE,):
        sels.append((tm.from_text(span[0], conv), tm.from_text(span[1], conv, "end"), "mer tekst"))
    d = detect_convention(tm, sels, origin="NVivo")
    assert (d.convention, d.method, d.match_rate) == (CODEPOINTS_CRLF_AS_ONE, "names", 1.0)
    # Without names: boundaries pick the convention that cuts between words.
    d = detect_convention(tm, [(s, e, None) for s, e, _ in sels], origin="NVivo")
    assert d.method == "boundaries" and d.convention == CODEPOINTS_CRLF_AS_ONE
    assert d.match_rate is None
    # Without selections: the origin's convention.
    assert detect_convention(tm, [], origin="NVivo for Mac").convention == UTF16
    assert detect_convention(tm, [], origin="ATLAS.ti Win 23").convention == CODEPOINTS_CRLF_AS_ONE
    assert detect_convention(tm, [], origin="QualCoder").convention == CODEPOINTS
    # A plain ASCII LF text: every convention counts alike; the standard's wins unless the origin says.
    plain = TextMap("abc def")
    d = detect_convention(plain, [(0, 3, "abc")], origin=None)
    assert d.convention == CODEPOINTS and d.match_rate == 1.0


# -- properties ------------------------------------------------------------------------------

# Atoms that normalise independently of their neighbours; boundaries between atoms are exact.
ATOMS = [
    "a", "Z", " ", "æ", "ø", "å", "Å", "é", "\n", "\r\n", "😀", "👍🏽", "🇳🇴", "𝔘",
    "a\u030a",          # a + combining ring: NFC composes to å
    "e\u0301\u0323",    # e + acute + dot below: NFC reorders and composes
    "\u1100\u1161",     # Hangul L + V: NFC composes to a syllable
    "\u212b",           # ANGSTROM SIGN: NFC maps it to Å
    "o\u0308\u0308",    # two diaereses: one composes, one stays
    "\u0915\u093c",     # Devanagari KA + nukta (composition excluded: stays two)
]

texts = st.lists(st.sampled_from(ATOMS), max_size=40)


@settings(max_examples=300, deadline=None)
@given(atoms=texts, bom=st.booleans(), data=st.data())
def test_conversion_round_trips(atoms: list[str], bom: bool, data) -> None:
    raw = ("\ufeff" if bom else "") + "".join(atoms)
    tm = TextMap(raw)
    assert tm.text == unicodedata.normalize("NFC", raw.lstrip("\ufeff").replace("\r\n", "\n"))
    # Atom boundaries in the raw text and in the normalised text.
    raw_bounds = [0]
    text_bounds = [0]
    for atom in atoms:
        raw_bounds.append(raw_bounds[-1] + len(atom))
        text_bounds.append(text_bounds[-1] + len(normalise_text(atom)))
    assert text_bounds[-1] == len(tm.text)
    for convention in CONVENTIONS:
        # producer units of each atom boundary, counted the obvious way
        unit_bounds = [units(raw.lstrip("\ufeff")[: rb], convention) for rb in raw_bounds]
        for k, u in enumerate(unit_bounds):
            assert tm.to_text(u, convention, "start") == text_bounds[k]
            assert tm.to_text(u, convention, "end") == text_bounds[k]
            assert tm.from_text(text_bounds[k], convention) == u
        # any atom-aligned selection gives the normalised raw slice as its quote
        i = data.draw(st.integers(0, len(atoms)))
        j = data.draw(st.integers(i, len(atoms)))
        a, b = tm.span_to_text(unit_bounds[i], unit_bounds[j], convention)
        assert tm.text[a:b] == normalise_text("".join(atoms[i:j]))


@settings(max_examples=300, deadline=None)
@given(atoms=texts, data=st.data())
def test_any_position_converts_to_a_covering_span(atoms: list[str], data) -> None:
    raw = "".join(atoms)
    tm = TextMap(raw)
    for convention in CONVENTIONS:
        total = tm.total_units(convention)
        s = data.draw(st.integers(-2, total + 2))
        e = data.draw(st.integers(-2, total + 2))
        a, b = tm.span_to_text(s, e, convention)
        assert 0 <= a <= b <= len(tm.text)
        # snapping outwards: a clean position converts back exactly
        for pos, side in ((s, "start"), (e, "end")):
            if tm.is_clean(pos, convention, side):
                back = tm.from_text(tm.to_text(pos, convention, side), convention, side)
                assert back == pos or convention.endswith("crlf_as_one")


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_arbitrary_text_normalises_like_core(text: str) -> None:
    tm = TextMap(text)
    body = text[1:] if text.startswith("\ufeff") else text
    assert tm.text == unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    for convention in CONVENTIONS:
        total = tm.total_units(convention)
        for pos in range(len(tm.text) + 1):
            down = tm.from_text(pos, convention, "start")
            up = tm.from_text(pos, convention, "end")
            assert 0 <= down <= up <= total
            assert tm.to_text(down, convention, "start") <= pos <= tm.to_text(up, convention, "end")
