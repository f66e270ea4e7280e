"""The identifier detector's capitalised-word rule: single-word gazetteer look-ups, sequences
of capitalised words read as full names, and the context cues that decide the kind."""
from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar

from themecoder.core.identifier_lexicon import _Lexicon
from themecoder.core.identifier_patterns import (
    _ABBREV,
    _NAME_PARTICLES,
    _PLACE_PREP,
    _STRONG_STREET_RE,
    _WORD_RE,
    _Cand,
    _is_allcaps,
    _is_cap,
    _norm,
    _person_cue,
    _prev_words,
    _strip_genitive,
    _work_cue,
)
from themecoder.core.text import Regions

Add = Callable[[_Cand], None]
# The lower-case words of the text being examined (set by core.identifiers per call): a word the
# same speaker also writes in lower case is an ordinary word, whatever the word lists say.
DOC_WORDS: ContextVar[frozenset[str]] = ContextVar("DOC_WORDS", default=frozenset())
# Interjections and fillers transcribers write with a capital letter («Hmm», «Eh», «Mhm»).
_INTERJECTION_RE = re.compile(r"h?m+h?m*|e+h*m*|ø+h*m*|a+h+a*|m+h+m+|hæ|uff|jøss|jepp|nja|tja|ja+|nei+|okei|ok|æh|hm+|"
                              r"wow|yes|oi|åh|æsj|huff|jaja|neida|joda|jada|nææ|næh|nåh")
Initial = Callable[[int], bool]
Item = tuple[int, int, str, set[str], str]  # start, end, word, classes, the form that matched


def _capitalised_words(text: str, lex: _Lexicon, sentence_initial: Initial, masked: Regions, skip: Regions,
                       ignored_set: set[str], add: Add) -> None:
    """Capital-letter rule and single-word gazetteer look-ups, with name sequences."""
    toks: list[tuple[int, int, str]] = []
    for m in _WORD_RE.finditer(text):
        w = m.group(0)
        if not _is_cap(w):
            continue
        s, e = m.start(), m.end()
        if masked and masked.overlaps(s, e) or skip and skip.overlaps(s, e):
            continue
        # hyphenated compound with a lower-case tail ("Oslo-området", "NAV-kontoret"):
        # look at the capitalised head only
        if "-" in w:
            parts = w.split("-")
            if any(p[:1].islower() for p in parts[1:]):
                head = []
                for p in parts:
                    if p[:1].isupper():
                        head.append(p)
                    else:
                        break
                w = "-".join(head)
                e = s + len(w)
        toks.append((s, e, w))

    # group into sequences separated only by spaces (or a name particle, or an initial)
    seqs: list[list[tuple[int, int, str]]] = []
    for tok in toks:
        if seqs:
            prev = seqs[-1][-1]
            gap = text[prev[1]:tok[0]]
            joinable = (
                prev[1] == prev[0] + len(prev[2])
                and (gap == " " or (re.fullmatch(r"\. ", gap) and len(prev[2]) == 1)
                     or (re.fullmatch(r" (\w+) ", gap) and gap.strip() in _NAME_PARTICLES))
            )
            if joinable:
                seqs[-1].append(tok)
                continue
        seqs.append([tok])

    for seq in seqs:
        _classify_sequence(text, seq, lex, sentence_initial, ignored_set, add)


def _token_class(w: str, lex: _Lexicon) -> tuple[set[str], str]:
    """Classes of a capitalised word and the form that matched (genitive stripped)."""
    forms = [w]
    g = _strip_genitive(w)
    if g:
        forms.append(g)
    for hw in ((w, g) if g else (w,)):
        if "-" in hw and all(p[:1].isupper() for p in hw.split("-")):
            parts = [p.casefold() for p in hw.split("-")]
            whole = hw.casefold()
            if not any(whole in s for s in (lex.first, lex.sur, lex.muni, lex.place, lex.work, lex.stop)):
                if all(p in lex.first for p in parts):
                    return {"first"}, hw  # "Mari-Ann", "Ole-Petter", "Anne-Karis"
                if all(p in lex.sur or p in lex.first for p in parts):
                    return {"sur"}, hw  # "Hansen-Berg"
    for f in forms:
        wf = f.casefold()
        cls = set()
        if wf in lex.stop:
            cls.add("stop")
        if wf in lex.work:
            cls.add("work")
        if wf in lex.first:
            cls.add("first")
        if wf in lex.sur:
            cls.add("sur")
        if wf in lex.muni:
            cls.add("muni")
        if wf in lex.place:
            cls.add("place")
        if cls:
            return cls, f
    return set(), w


def _classify_sequence(text: str, seq: list[tuple[int, int, str]], lex: _Lexicon, sentence_initial: Initial,
                       ignored_set: set[str], add: Add) -> None:
    items: list[Item | None] = []
    for s, e, w in seq:
        if _norm(w) in ignored_set or (_strip_genitive(w) or "\0").casefold() in ignored_set:
            items.append(None)
            continue
        if len(w) == 1:  # initials and the pronoun "I"
            items.append((s, e, w, {"initial"}, w))
            continue
        cls, form = _token_class(w, lex)
        if _is_allcaps(w) and not (cls & {"work"}) and len(w) < 4:
            cls = {"stop"} if not cls or "stop" in cls else {"stop"}
        items.append((s, e, w, cls, form))

    # split at ignored words and stop words
    runs: list[list] = [[]]
    for it in items:
        if it is None or "stop" in it[3]:
            runs.append([])
        else:
            runs[-1].append(it)
    for run in runs:
        if len(run) > 6:
            # a long run of capitalised words is a heading or a title, not a name
            for it in run:
                _classify_single(text, it, lex, sentence_initial, add)
            continue
        lo, hi = 0, len(run)
        # drop a sentence-initial word that is not itself a name ("Ifølge Kari Hansen")
        while hi - lo > 1:
            s, e, w, cls, form = run[lo]
            if sentence_initial(s) and (not (cls & {"first", "muni", "place", "work"})
                                        or lex.ambiguous(form.casefold())) and _ordinary(w, form, lex):
                lo += 1
                continue
            break
        # drop trailing initials not followed by a full stop
        while hi - lo > 1 and "initial" in run[hi - 1][3] and text[run[hi - 1][1]:run[hi - 1][1] + 1] != ".":
            hi -= 1
        run = run[lo:hi]
        if not run:
            continue
        if len(run) == 1:
            _classify_single(text, run[0], lex, sentence_initial, add)
            continue
        _classify_multi(text, run, lex, sentence_initial, add)


def _ordinary(w: str, form: str, lex: _Lexicon) -> bool:
    """The common-word test: an ordinary word (any inflected form), not a name candidate."""
    wf = w.casefold()
    if not lex.is_name(wf) and wf in DOC_WORDS.get():
        return True  # written in lower case elsewhere in the same text: a word here («Recovery»)
    if wf.endswith("s") and len(wf) > 4 and not lex.is_name(wf[:-1]) and (
            lex.is_word(wf[:-1]) or lex.is_compound(wf[:-1]) or wf[:-1] in DOC_WORDS.get()):
        return True  # a genitive of an ordinary word («Sosionomens»)
    if wf in _ABBREV or _INTERJECTION_RE.fullmatch(wf) or lex.is_word(wf) or lex.is_compound(wf) or (form != w and lex.is_word(form.casefold())):
        return True
    if "-" in wf:
        return all(lex.is_word(p) for p in wf.split("-") if p)
    return False


def _context_kind(text: str, s: int) -> tuple[str, float, str]:
    if _work_cue(text, s):
        return "workplace", 0.55, "stor forbokstav etter «jobber på/i/ved»"
    if _person_cue(text, s, strong=True):
        return "person", 0.6, "stor forbokstav etter «heter/fru/doktor»"
    prev = _prev_words(text, s, 1)
    if prev and prev[-1] in _PLACE_PREP:
        return "place", 0.4, "stor forbokstav midt i setningen, etter stedspreposisjon"
    if _person_cue(text, s, strong=False):
        return "person", 0.4, "stor forbokstav midt i setningen"
    return "person", 0.3, "stor forbokstav midt i setningen (ukjent ord)"


def _classify_single(text: str, item: Item, lex: _Lexicon, sentence_initial: Initial, add: Add) -> None:
    s, e, w, cls, form = item
    if "initial" in cls:
        return
    initial = sentence_initial(s)
    common = form.casefold() in lex.common or w.casefold() in lex.common
    if initial and not common and cls & {"first", "sur"} and lex.ambiguous(form.casefold()):
        common = True  # «Andre», «Man» at a sentence start: the word, not the name
    ordinary = _ordinary(w, form, lex)
    if initial and (common or (not cls and ordinary) or (cls <= {"sur"} and ordinary)):
        return
    prev = _prev_words(text, s, 1)
    after_place_prep = bool(prev) and prev[-1] in _PLACE_PREP
    work_cue = _work_cue(text, s)
    person_cue = _person_cue(text, s, strong=True)
    d = 0.15 if initial else 0.0
    is_place = bool(cls & {"muni", "place"})
    if "work" in cls and (not (cls & {"first", "sur"}) or work_cue):
        add(_Cand(s, e, "workplace", "institusjon i listen over arbeidsplasser", 0.75 - d, "gazetteer"))
    elif is_place and (after_place_prep or not (cls & {"first", "sur"}) or "muni" in cls) and not person_cue:
        if work_cue and "muni" not in cls:
            add(_Cand(s, e, "workplace", "stedsnavn etter «jobber på» (arbeidsplass?)", 0.6 - d, "gazetteer"))
        elif "muni" in cls:
            add(_Cand(s, e, "place", "kommunenavn i kommunelisten", 0.75 - d, "gazetteer"))
        else:
            add(_Cand(s, e, "place", "stedsnavn i stedslisten", 0.7 - d, "gazetteer"))
    elif "first" in cls:
        add(_Cand(s, e, "person", "fornavn i navnelisten", 0.75 - d, "gazetteer"))
    elif "sur" in cls:
        if initial and not person_cue and ordinary:
            return
        if work_cue:
            add(_Cand(s, e, "workplace", "navn etter «jobber på» (arbeidsplass?)", 0.6, "gazetteer"))
            return
        if after_place_prep and not person_cue:
            # most Norwegian surnames are farm names: «på Haukeland», «på Mongstad» is a place
            add(_Cand(s, e, "place", "etternavn etter stedspreposisjon (gård, sted eller arbeidsplass)", 0.55,
                      "gazetteer"))
            return
        add(_Cand(s, e, "person", "etternavn i navnelisten", 0.6 if not person_cue else 0.75, "gazetteer"))
    elif is_place:
        add(_Cand(s, e, "place", "stedsnavn i stedslisten", 0.6 - d, "gazetteer"))
    else:
        if _is_allcaps(w) or common:
            return  # unknown acronyms (KPI, ADHD ...) and function words ("Men", "Og") are noise
        if _STRONG_STREET_RE.search(w):
            add(_Cand(s, e, "address", "gatenavn (uten husnummer)", 0.5, "rule"))
            return
        kind, conf, why = _context_kind(text, s)
        if not initial:
            conf = max(conf, 0.5)  # a capitalised word mid-sentence names something: a nickname, a place
        if not ordinary:
            # the common-word test: not an ordinary word, so a name (or a place) wherever it stands
            conf = max(conf, 0.55 if not initial else 0.5)
            why = "stor forbokstav, ikke et vanlig ord (navn?)" if kind == "person" else why
        add(_Cand(s, e, kind, why, conf, "rule"))


def _classify_multi(text: str, run: list[Item], lex: _Lexicon, sentence_initial: Initial, add: Add) -> None:
    s0, e0 = run[0][0], run[-1][1]
    classes = [it[3] for it in run]
    if _work_cue(text, s0) and not (
            "first" in classes[0] and all(c & {"first", "sur", "initial"} for c in classes)):
        add(_Cand(s0, e0, "workplace", "ord med stor forbokstav etter «jobber på/går på»", 0.65, "rule"))
        return
    first_is_name = "first" in classes[0]
    namey = all(c & {"first", "sur", "initial"} or not c for c in classes)
    last = classes[-1]
    if first_is_name and namey:
        conf = 0.9 if (last & {"sur", "first"}) else 0.8
        why = "fornavn og etternavn" if "sur" in last else "navnesekvens med fornavn"
        add(_Cand(s0, e0, "person", why, conf, "gazetteer"))
        return
    if all("sur" in c or "first" in c for c in classes):
        add(_Cand(s0, e0, "person", "sekvens av navn i navnelistene", 0.75, "gazetteer"))
        return
    if any(c & {"muni", "place", "work"} for c in classes) and not first_is_name:
        if classes[0] & {"muni", "place"} and not any(c for c in classes[1:]):
            # "Tønsberg Montessori", "Bergen Kino": a place followed by unknown capitalised words
            add(_Cand(s0, e0, "organisation", "stedsnavn fulgt av ord med stor forbokstav (navngitt virksomhet?)",
                      0.5, "gazetteer"))
            return
        # "Oslo Sentrum", "Rudshøgda Nord": classify word by word
        for it in run:
            _classify_single(text, it, lex, sentence_initial, add)
        return
    if first_is_name:
        add(_Cand(s0, e0, "person", "fornavn fulgt av ord med stor forbokstav", 0.75, "gazetteer"))
        return
    if all(c & {"first", "sur", "initial"} or not _ordinary(it[2], it[4], lex) for c, it in zip(classes, run)):
        add(_Cand(s0, e0, "person", "navnesekvens (navn og ord som ikke er vanlige ord)", 0.7, "rule"))
        return
    if sentence_initial(s0) and not any(classes):
        run = run[1:]
        if not run:
            return
        s0 = run[0][0]
    kind, conf, why = _context_kind(text, s0)
    if not sentence_initial(s0) and kind != "person":
        conf = max(conf, 0.55)  # «på Quality Hotel Grand Royal»: a named place or workplace
    add(_Cand(s0, e0, kind, "flere ord med stor forbokstav" if conf < 0.5 else why,
              max(conf, 0.45), "rule"))
