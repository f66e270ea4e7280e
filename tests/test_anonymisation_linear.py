"""Issue 18, point 5: detection and replacement are linear. Tests never time anything; they
pin the structures that make it so (spans cut per block in one sweep, offsets mapped by
binary search) and that these give the same answers as the simple, quadratic versions."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from themecoder.core import identifiers
from themecoder.core.identifiers import _Cutter, detect_identifiers
from themecoder.core.reanchor import OffsetMap
from themecoder.core.text import shift_offset


@st.composite
def edits_and_offsets(draw):
    n = draw(st.integers(0, 12))
    points = sorted(draw(st.lists(st.integers(0, 200), min_size=2 * n, max_size=2 * n, unique=True)))
    edits = [(points[2 * i], points[2 * i + 1], "x" * draw(st.integers(1, 9))) for i in range(n)]
    offsets = draw(st.lists(st.integers(0, 210), max_size=30))
    return edits, offsets


@settings(max_examples=300, deadline=None)
@given(edits_and_offsets(), st.booleans())
def test_offset_map_equals_shifting_edit_by_edit(data, is_end):
    edits, offsets = data
    om = OffsetMap(edits)
    for off in offsets:
        slow = off
        for s, e, rep in reversed(edits):
            slow = shift_offset(slow, s, e, len(rep), is_end=is_end)
        assert om.map(off, is_end=is_end) == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=40),
       st.lists(st.integers(1, 60), min_size=1, max_size=12))
def test_cutter_gives_each_block_exactly_its_spans(raw, lengths):
    spans = [(s, s + n) for s, n in raw]
    blocks, pos = [], 0
    for n in lengths:
        blocks.append((pos, pos + n))
        pos += n + 2
    cut = _Cutter(spans)
    for a, b in blocks:
        expected = sorted((max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a)
        assert sorted(cut.inside(a, b)) == expected


def test_cutter_is_one_sweep():
    # each block starts its scan where the previous one stopped: the index never goes back
    spans = [(i * 10, i * 10 + 5) for i in range(1000)]
    cut = _Cutter(spans)
    seen = []
    for k in range(100):
        cut.inside(k * 100, k * 100 + 95)
        seen.append(cut._i)
    assert seen == sorted(seen) and seen[-1] >= 990


def test_many_blocks_with_sentences_same_as_one_by_one():
    block = "IP: Jeg heter Kari Nordmann og bor i Steinkjer. Hun er 34 år."
    text = "\n\n".join([block] * 200)
    sentences, pos = [], 0
    for _ in range(200):
        sentences.append((pos + 4, pos + 47))
        sentences.append((pos + 48, pos + len(block)))
        pos += len(block) + 2
    many = detect_identifiers(text, sentences=sentences)
    one = detect_identifiers(block, sentences=[(4, 47), (48, len(block))])
    assert len(many) == 200 * len(one)
    assert [(s.text, s.kind) for s in many[:len(one)]] == [(s.text, s.kind) for s in one]


def test_no_per_block_rescan_of_all_spans(monkeypatch):
    # the old code filtered the whole span list for every block; count span visits instead
    visits = 0
    real_inside = _Cutter.inside

    def counting(self, a, b):
        nonlocal visits
        out = real_inside(self, a, b)
        visits += len(out)
        return out

    monkeypatch.setattr(identifiers._Cutter, "inside", counting)
    text = "\n\n".join(["Hei."] * 500)
    sentences = [(i * 6, i * 6 + 4) for i in range(500)]
    detect_identifiers(text, sentences=sentences, skip_spans=[(i * 6, i * 6 + 1) for i in range(500)])
    assert visits == 1000  # each span handed out once, not 500 times
