"""The identifier detector's knowledge: Norwegian identity and organisation numbers (mod-11
check digits) and the gazetteers (first names, surnames, municipalities, places,
workplaces, stop words), read lazily, once, with importlib.resources."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from themecoder.core.identifier_patterns import _UP

# --------------------------------------------------------------------------------------
# Identity numbers
# --------------------------------------------------------------------------------------
_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def fnr_kind(digits: str) -> str | None:
    """"fnr", "d_number" or "h_number" if `digits` is a well-formed Norwegian identity
    number (11 digits, plausible date, both mod-11 check digits right), else None.
    Spaces, dots and hyphens are ignored. D-numbers add 4 to the first digit of the day,
    H-numbers add 4 to the first digit of the month. (Synthetic test numbers, which add
    8 to the month digit, are also accepted as "fnr".)"""
    d = re.sub(r"[\s.\-]", "", digits)
    if len(d) != 11 or not d.isdigit():
        return None
    day, month = int(d[0:2]), int(d[2:4])
    kind = "fnr"
    if day > 40:
        day -= 40
        kind = "d_number"
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
        if kind == "fnr":
            kind = "h_number"
    if not (1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return None
    k1 = _mod11(d[:9], _W1)
    if k1 is None or k1 != int(d[9]):
        return None
    k2 = _mod11(d[:10], _W2)
    if k2 is None or k2 != int(d[10]):
        return None
    return kind


def valid_fnr(digits: str) -> bool:
    """True if `digits` is a fødselsnummer, D-nummer or H-nummer with valid mod-11 check
    digits and a plausible date. Spaces, dots and hyphens between the digits are ignored.
    (The reformed numbers planned from 2032 may have other check digits; not handled.)"""
    return fnr_kind(digits) is not None


def valid_orgnr(digits: str) -> bool:
    """True for a 9-digit Norwegian organisation number with a valid mod-11 check digit."""
    d = re.sub(r"[\s.\-]", "", digits)
    if len(d) != 9 or not d.isdigit() or d[0] not in "89":
        return False
    k = _mod11(d[:8], (3, 2, 7, 6, 5, 4, 3, 2))
    return k is not None and k == int(d[8])


# --------------------------------------------------------------------------------------
# Gazetteers
# --------------------------------------------------------------------------------------
_GAZETTEER_FILES = {
    "first_names": "first_names.txt",
    "surnames": "surnames.txt",
    "municipalities": "municipalities.txt",
    "places": "places.txt",
    "workplaces": "workplaces.txt",
    "stopwords": "stopwords_capitalised.txt",
    "common_words": "common_words.txt",
}


@functools.cache
def gazetteer(name: str) -> tuple[str, ...]:
    """Entries of one gazetteer ("first_names", "surnames", "municipalities", "places",
    "workplaces", "stopwords", "common_words"), as written in the data file."""
    fname = _GAZETTEER_FILES[name]
    text = (resources.files("themecoder") / "data" / "gazetteers" / fname).read_text("utf-8")
    return tuple(s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#"))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    first: frozenset[str]
    sur: frozenset[str]
    muni: frozenset[str]
    place: frozenset[str]
    work: frozenset[str]
    stop: frozenset[str]
    common: frozenset[str]
    multi: dict[str, str]  # casefolded multi-word entry -> class
    multi_re: re.Pattern[str] | None


@functools.cache
def _lexicon() -> _Lexicon:
    def fold(name: str) -> frozenset[str]:
        return frozenset(e.casefold() for e in gazetteer(name))

    multi: dict[str, str] = {}
    # Later classes win for duplicates: stop words last, so "Helse Sør-Øst" stays generic.
    for name, cls in (("places", "place"), ("municipalities", "muni"), ("workplaces", "work"),
                      ("stopwords", "stop")):
        for e in gazetteer(name):
            if " " in e or "." in e:
                multi[e.casefold()] = cls
    phrases = sorted(multi, key=len, reverse=True)
    pattern = None
    if phrases:
        alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
        # entries start with a capital; the case-sensitive look-ahead rejects most positions fast
        pattern = re.compile(rf"(?-i:(?=[{_UP}]))(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)
    return _Lexicon(fold("first_names"), fold("surnames"), fold("municipalities"),
                    fold("places"), fold("workplaces"), fold("stopwords"),
                    fold("common_words"), multi, pattern)
