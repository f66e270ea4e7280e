"""The gazetteer files: format, order, sizes, and loading through importlib.resources."""
from __future__ import annotations

from importlib import resources

import pytest

from themecoder.core.identifiers import gazetteer

FILES = {
    "first_names": ("first_names.txt", 800),
    "surnames": ("surnames.txt", 500),
    "municipalities": ("municipalities.txt", 355),
    "places": ("places.txt", 300),
    "workplaces": ("workplaces.txt", 150),
    "stopwords": ("stopwords_capitalised.txt", 200),
    "common_words": ("common_words.txt", 150),
    "regions": ("regions.txt", 80),
    "national": ("national_bodies.txt", 80),
}
_ORDER = {"æ": "z\x01", "ø": "z\x02", "å": "z\x03", "ä": "z\x01", "ö": "z\x02", "é": "e", "ü": "u"}


def norwegian_key(entry: str) -> tuple[str, str]:
    """Case-insensitive Norwegian order: æ, ø, å after z (ä, ö sorted as æ, ø)."""
    return "".join(_ORDER.get(c, c) for c in entry.casefold()), entry


def _lines(fname: str) -> list[str]:
    path = resources.files("themecoder") / "data" / "gazetteers" / fname
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", FILES)
def test_file_format_sorted_unique(name):
    fname, minimum = FILES[name]
    lines = _lines(fname)
    entries = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert all(e == e.strip() for e in entries), "no leading/trailing blanks"
    assert len(entries) >= minimum, f"{fname}: {len(entries)} entries"
    folded = [e.casefold() for e in entries]
    dupes = {e for e in folded if folded.count(e) > 1}
    assert not dupes, f"{fname}: duplicates {sorted(dupes)[:10]}"
    keys = [norwegian_key(e) for e in entries]
    for a, b in zip(keys, keys[1:]):
        assert a <= b, f"{fname}: {a[1]!r} should come after {b[1]!r}"
    assert tuple(entries) == gazetteer(name)


def test_municipalities_2024():
    muni = set(gazetteer("municipalities"))
    # 357 municipalities, 355 names (Herøy and Våler twice)
    assert len(muni) == 355
    for m in ["Oslo", "Haram", "Ålesund", "Nore og Uvdal", "Evje og Hornnes", "Aurskog-Høland", "Sør-Varanger",
              "Kautokeino", "Indre Østfold", "Nordre Follo", "Bjørnafjorden", "Hustadvika", "Nærøysund",
              "Lillestrøm", "Kinn", "Stad", "Herøy", "Våler"]:
        assert m in muni, m
    # merged away before 2024
    for gone in ["Skedsmo", "Oppegård", "Ski", "Sandvika", "Fræna", "Tysfjord", "Klæbu", "Sandefjord og Stokke"]:
        assert gone not in muni, gone


def test_lowercase_lists_are_lowercase():
    assert all(w == w.lower() for w in gazetteer("common_words"))


def test_no_stopword_is_a_first_name_that_matters():
    # names that must stay detectable mid-sentence
    stop = {s.casefold() for s in gazetteer("stopwords")}
    for name in ["finn", "kari", "per", "liv", "dag", "grønland"]:
        assert name not in stop


def test_sources_documented():
    text = (resources.files("themecoder") / "data" / "gazetteers" / "SOURCES.md").read_text(encoding="utf-8")
    for fname, _ in FILES.values():
        assert fname in text
    assert "without network access" in text
