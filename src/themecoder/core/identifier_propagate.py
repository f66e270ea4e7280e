"""The identifier detector's second look: a name found once is searched for in every form in
the whole text (and, through `project_names`, in the whole project), and transcripts typed
without capitals are read with the name and place lists case-insensitively.

Both use the common-word test (`_Lexicon.is_word`): a name that is also an ordinary word
(Per/per, Liv/liv, Berg/berg) is only matched where it is written with a capital letter and
does not start a sentence, or after a cue such as «heter» or the dialect «han»/«ho».
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from themecoder.core.identifier_lexicon import _lexicon
from themecoder.core.identifier_patterns import (
    _STRONG_PERSON_CUES,
    _WORD_RE,
    _WP_TYPES,
    _Cand,
    _norm,
    _prev_words,
    _work_cue,
)
from themecoder.core.text import Regions

if TYPE_CHECKING:
    from themecoder.core.identifier_rules import Block

# dialect and spoken cues before a bare first name: «han Per», «ho Liv», «a Kari»
_NAME_CUES = _STRONG_PERSON_CUES | frozenset("han ho hun hu a n kona mannen sønnen dattera dotter dottera "
                                            "sambo samboeren venninna kameraten".split())
_GENITIVE = r"(?:['’]s|['’]|s)?"


def mostly_lower_case(text: str) -> bool:
    """A transcript typed without capitals: at least 40 words and under 2 % of them capitalised
    (sentence starts included), or a shorter text of 8 words or more without any capital."""
    n = caps = 0
    for m in _WORD_RE.finditer(text):
        n += 1
        if m.group(0)[:1].isupper():
            caps += 1
        if n >= 4000:
            break
    return (n >= 40 and caps < 0.02 * n) or (n >= 8 and caps == 0)


def _forms(name: str, lex) -> list[tuple[str, bool]]:
    """(form, case-insensitive?) for a name found once: the name, the parts of a hyphenated
    or multi-word name that are names themselves. Lower case only for forms that are not
    ordinary words."""
    out: list[tuple[str, bool]] = []
    name = " ".join(name.split())
    words = name.split()
    # lower case only when no word of the name is an ordinary word (Per/per stays case-sensitive)
    whole_ok = not any(_ambiguous(lex, w.casefold()) for w in words)
    out.append((name, whole_ok))
    parts = [p for w in words for p in w.split("-")] if len(words) > 1 or "-" in name else []
    for p in parts:
        pf = p.casefold()
        if len(p) < 3 or not p[:1].isupper() or pf in lex.stop:
            continue
        if lex.is_name(pf) or not lex.is_word(pf):
            out.append((p, not _ambiguous(lex, pf)))
    return out


def _ambiguous(lex, wf: str) -> bool:
    return lex.ambiguous(wf)


def name_forms(text: str, found: list[Any], project_names: list[str], ignored: Iterable[str],
               skip: Regions, lower_case: bool) -> list[tuple]:
    """Suspects (as tuples for core.identifiers.Suspect) for other mentions of the person
    names in `found` and of `project_names`, where nothing was found yet."""
    lex = _lexicon()
    ignored_set = {_norm(x) for x in ignored if x and x.strip()}
    # strong evidence only: a listed name, a name after a cue, an unknown word mid-sentence
    names = {s.text for s in found if s.kind == "person" and s.confidence >= 0.55 and s.source != "model"}
    names |= {n for n in project_names if n and n.strip()}
    forms: dict[str, bool] = {}
    for n in names:
        n = _strip_gen(n)
        if len(n) < 2 or not any(c.isalpha() for c in n) or _norm(n) in ignored_set:
            continue
        for form, ci in _forms(n, lex):
            if _norm(form) in ignored_set:
                continue
            forms[form] = forms.get(form, False) or ci
    if not forms:
        return []
    sensitive = sorted((f for f, ci in forms.items() if not ci), key=len, reverse=True)
    insensitive = sorted((f for f, ci in forms.items() if ci), key=len, reverse=True)
    taken = Regions((s.start, s.end) for s in found)
    out: list[tuple] = []

    def scan(alts: list[str], flags: int, ambiguous: bool) -> None:
        if not alts:
            return
        body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts)
        rx = re.compile(rf"(?<![\w\-])(?:{body}){_GENITIVE}(?![\w]|-\w)", flags)
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if taken.overlaps(s, e) or (skip and skip.overlaps(s, e)):
                continue
            if ambiguous and not _capitalised_mid_sentence(text, s):
                continue
            frag = text[s:e]
            if lower_case is False and frag.islower() and not ambiguous and len(frag) < 3:
                continue
            out.append((s, e, frag, "person", "samme navn som er funnet ellers (alle former)", 0.7, "rule"))

    scan(insensitive, re.IGNORECASE, False)
    scan(sensitive, 0, True)
    return out


def _capitalised_mid_sentence(text: str, s: int) -> bool:
    """A capitalised word that does not open a sentence, or any word after a naming cue."""
    prev = _prev_words(text, s, 1)
    if prev and prev[-1] in _NAME_CUES:
        return True
    if not text[s:s + 1].isupper():
        return False
    before = text[max(0, s - 3):s].rstrip(" \t«\"“(")
    return bool(before) and before[-1] not in ".!?:;\n»" and s > 0


def _strip_gen(name: str) -> str:
    for suf in ("'s", "’s", "'", "’"):
        if name.endswith(suf) and len(name) > len(suf) + 1:
            return name[: -len(suf)]
    return name


def merge(found: list, extra: list) -> list:
    """The suspects with the extra ones that overlap none of them, sorted by position."""
    taken = Regions((s.start, s.end) for s in found)
    keep = []
    last_end = -1
    for x in sorted(extra, key=lambda x: (x.start, -x.end)):
        if x.start < last_end or taken.overlaps(x.start, x.end):
            continue
        keep.append(x)
        last_end = x.end
    return sorted(found + keep, key=lambda x: (x.start, x.end))


def lower_case_names(b: "Block", masked: Regions) -> None:
    """Names and places written in lower case, in a document typed without capitals."""
    lex, text = b.lex, b.text
    for m in _WORD_RE.finditer(text):
        w = m.group(0)
        if not w.islower() or len(w) < 3:
            continue
        s, e = m.start(), m.end()
        if (masked and masked.overlaps(s, e)) or (b.skip and b.skip.overlaps(s, e)):
            continue
        wf = w
        cls = _classes(lex, wf)
        if not cls and wf.endswith("s") and len(wf) > 3:
            wf = wf[:-1]
            cls = _classes(lex, wf)
        if not cls or wf in lex.stop:
            continue
        if _ambiguous(lex, wf) or (not cls & {"first"} and (lex.is_word(w) or lex.is_word(wf))):
            prev = _prev_words(text, s, 1)
            if not ((prev and prev[-1] in _NAME_CUES and cls & {"first", "sur"})
                    or ("work" in cls and _work_cue(text, s))
                    or ("place" in cls and prev and prev[-1] in _CUE_PLACE and wf not in lex.common)):
                continue
            if "place" in cls and prev and prev[-1] in _CUE_PLACE:
                cls = {"place"}
        if cls & {"first", "sur"}:
            b.add(_Cand(s, e, "person", "navn med liten forbokstav (tekst uten store bokstaver)", 0.6, "gazetteer"))
        elif "work" in cls:
            b.add(_Cand(s, e, "workplace", "arbeidsplass med liten forbokstav", 0.6, "gazetteer"))
        else:
            b.add(_Cand(s, e, "place", "stedsnavn med liten forbokstav (tekst uten store bokstaver)", 0.6,
                        "gazetteer"))


_LOWER_WP_RE = re.compile(
    r"\b(?:på|ved|i|hos)\s+(?P<name>[a-zæøå][a-zæøå\-]{2,})\s+(?P<type>" + _WP_TYPES.replace("DPS|BUP|", "dps|bup|")
    + r")(?![\w])")


def lower_case_workplaces(b: "Block") -> None:
    """«på lade behandlingssenter», «ved tiller videregående skole» in a lower-case text."""
    lex = b.lex
    for m in _LOWER_WP_RE.finditer(b.text):
        name = m.group("name")
        cued = _work_cue(b.text, m.start("name"))
        if not cued and (name in lex.common or (lex.is_word(name) and name not in lex.place
                                                and name not in lex.muni)):
            continue
        b.add(_Cand(m.start("name"), m.end(), "workplace", "navngitt arbeidsplass med liten forbokstav", 0.6,
                    "rule"))


def _classes(lex, wf: str) -> set[str]:
    cls = set()
    if wf in lex.first:
        cls.add("first")
    if wf in lex.sur:
        cls.add("sur")
    if wf in lex.muni or wf in lex.place:
        cls.add("place")
    if wf in lex.work:
        cls.add("work")
    return cls


_CUED_LOWER_RE = re.compile(
    r"\b(?P<cue>sa|sier|seier|heter|het|heiter|heitte|kalt|kalles|spurte|ringte|med|og|han|hun|ho|hu|på|i|fra|frå"
    r"|til|ved|bor|bur|bodde|budde)\s+(?P<w>[a-zæøå][a-zæøå\-]{2,})(?![\w])")
_CUE_PERSON = frozenset("sa sier seier heter het heiter heitte kalt kalles spurte ringte med og han hun ho hu".split())
_CUE_PLACE = frozenset("på i fra frå til ved bor bur bodde budde".split())


def cued_lower_names(b: "Block", masked: Regions) -> None:
    """A name or place typed in lower case in an ordinary text: only right after a cue («sa
    kari», «på tøyen»), and only when it is not an ordinary word."""
    lex, text = b.lex, b.text
    for m in _CUED_LOWER_RE.finditer(text):
        w, cue = m.group("w"), m.group("cue").casefold()
        s, e = m.start("w"), m.end("w")
        if (masked and masked.overlaps(s, e)) or (b.skip and b.skip.overlaps(s, e)):
            continue
        if w in lex.common or w in lex.stop:
            continue
        if cue in _CUE_PERSON and w in lex.first and not _ambiguous(lex, w):
            b.add(_Cand(s, e, "person", "fornavn med liten forbokstav etter «sa/heter/han»", 0.55, "gazetteer"))
        elif cue in _CUE_PLACE and (w in lex.place or w in lex.muni) and (
                not lex.is_word(w) or _prev_words(text, m.start(), 1) in (["bor"], ["bur"], ["bodde"], ["budde"])):
            b.add(_Cand(s, e, "place", "stedsnavn med liten forbokstav etter stedspreposisjon", 0.55, "gazetteer"))
