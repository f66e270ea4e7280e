"""Anonymisation guard, detection half: find direct and indirect identifiers in a transcript.

Norwegian research ethics ask that transcripts hold no direct identifiers (names, identity
numbers, phone numbers, addresses) and no combination of indirect ones (exact age, a rare
job title, a small municipality, a named workplace) that points to a person. This module
only *finds* candidates ("suspects"); storing findings, resolving and replacing them is
done elsewhere.

`detect_identifiers` combines

* rules (precompiled regular expressions): identity numbers with valid mod-11 check digits
  (fødselsnummer, D-nummer, H-nummer), phone numbers, e-mail, URLs, dates of birth and
  other exact dates, street addresses, postcodes, vehicle registration numbers, exact
  ages, rare job titles, named workplaces ("Solbakken barnehage", "jobber på X"), company
  and club names ("X AS", "Y IL", "Z kommune");
* capitalised words checked against gazetteers and the reference data shipped in
  data/norway (SSB first names and surnames, municipalities, Kartverket places, city
  districts, health trusts; see data/ATTRIBUTION.md and data/gazetteers/SOURCES.md), with
  sequences of capitalised words read as full names, and the common-word test (Norsk
  Ordbank word forms, Nynorsk lemmas, compounds, the text's own lower-case words): a
  capitalised word that is no ordinary word is a name candidate anywhere, sentence starts
  included; regions, counties and national bodies are never reported;
* a second look (core.identifier_propagate): every name found is searched for again in all
  its forms (genitive, hyphenated parts, lower case unless it is also a word), in this text
  and, through `project_names`, in the whole project; texts typed without capitals are read
  case-insensitively;
* the project's own list of known names (case-insensitive, whole word, genitive -s);
* named entities from a language model, if the caller passes them (spaCy nb labels).

Confidence is a rough, hand-set score in [0, 1] meant for ordering and filtering in the
review screen, not a calibrated probability:

====================================================  ==========
evidence                                              confidence
====================================================  ==========
11 digits with valid check digits, e-mail             0.97-0.98
known name from the project's list                    0.95
phone number (8 digits, Norwegian number plan)        0.85-0.95
first name + surname, address with number             0.85-0.9
date after "født", company "X AS", "X kommune"        0.7-0.9
single name or place from a gazetteer                 0.55-0.75
exact age, vehicle plate, unknown named workplace     0.55-0.75
model entity (PER, LOC, ORG ...)                      0.55
rare job title, other exact date                      0.3-0.6
capitalised word not in any list                      0.3-0.45
====================================================  ==========

The code: this module (the entry point, the order of the rules, merging overlaps),
core.identifier_rules (one function per kind), core.identifier_names (capitalised words
and names), core.identifier_propagate (every form, lower-case texts),
core.identifier_patterns (regular expressions, cues) and core.identifier_lexicon
(identity numbers, gazetteers, reference data, the common-word test).

Offsets are Unicode code points into the text that was passed in. Nothing here imports
spaCy or Textual; the gazetteers are read lazily, once, with importlib.resources, so the
module also works from an installed wheel.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from themecoder.core import identifier_propagate as propagate
from themecoder.core import identifier_rules as rules
from themecoder.core.identifier_lexicon import fnr_kind, gazetteer, valid_fnr, valid_orgnr
from themecoder.core.identifier_names import DOC_WORDS, _capitalised_words
from themecoder.core.identifier_patterns import (
    _BLOCK_BREAK_RE,
    _PLACEHOLDER_RE,
    ENTITY_KINDS,
    _Cand,
    _labels_and_starts,
    _norm,
)
from themecoder.core.text import Regions

__all__ = [
    "KINDS",
    "SOURCES",
    "Suspect",
    "detect_identifiers",
    "valid_fnr",
    "fnr_kind",
    "valid_orgnr",
    "gazetteer",
    "ENTITY_KINDS",
]

KINDS: tuple[str, ...] = (
    "person", "place", "organisation", "phone", "email", "national_id", "d_number",
    "birth_date", "date", "address", "postcode", "url", "vehicle", "age", "job_title",
    "workplace",
)
SOURCES: tuple[str, ...] = ("rule", "gazetteer", "known_names", "model")

# When detections overlap, the most specific kind wins (lower index = more specific).
_PRIORITY = {k: i for i, k in enumerate((
    "national_id", "d_number", "email", "url", "phone", "vehicle", "birth_date", "address",
    "postcode", "workplace", "organisation", "person", "place", "job_title", "date", "age",
))}


@dataclass(frozen=True, slots=True)
class Suspect:
    """A span that may identify someone. `text == document[start:end]`."""

    start: int
    end: int
    text: str
    kind: str
    reason: str
    confidence: float
    source: str  # "rule" | "gazetteer" | "known_names" | "model"


def detect_identifiers(
    text: str,
    *,
    sentences: list[tuple[int, int]] | None = None,
    entities: Iterable[tuple[int, int, str]] = (),
    known_names: Iterable[str] = (),
    ignored: Iterable[str] = (),
    skip_spans: Iterable[tuple[int, int]] = (),
    project_names: Iterable[str] = (),
    vocabulary: Iterable[str] = (),
) -> list[Suspect]:
    """Candidate identifiers in `text`, sorted by position, overlaps merged.

    `vocabulary`: words the project writes in lower case elsewhere (other documents, other
    fields); with the text's own lower-case words they count as ordinary words here.

    Each block between blank lines (a speaker turn, a paragraph, a theme's name and its
    description) is examined on its own, so no detection ever spans two blocks. The spans
    passed in are cut into blocks in one sorted sweep (linear in text and spans, issue 18).

    After the blocks, every person name found (and every name in `project_names`, the names
    found in the project's other documents) is searched for again in the whole text in every
    form: genitive, the parts of a hyphenated name, and lower case when it is not also an
    ordinary word. A text written almost entirely in lower case (a transcript typed without
    capitals) is read with the name and place lists case-insensitively, with the common-word
    test. See `_detect_block` for the other arguments.
    """
    known_names, ignored = list(known_names), list(ignored)
    lower_case = propagate.mostly_lower_case(text)
    blocks, pos = [], 0
    for m in _BLOCK_BREAK_RE.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    cut_sent = None if sentences is None else _Cutter([(int(s), int(e)) for s, e in sentences])
    cut_ent = _Cutter(list(entities))
    cut_skip = _Cutter([(int(s), int(e)) for s, e in skip_spans])
    out: list[Suspect] = []
    token = DOC_WORDS.set(frozenset() if lower_case else
                          frozenset(_LOWER_WORD_RE.findall(text)).union(vocabulary))
    try:
        _all_blocks(text, blocks, out, cut_sent, cut_ent, cut_skip, known_names, ignored, lower_case)
    finally:
        DOC_WORDS.reset(token)
    labels, _starts = _labels_and_starts(text)
    skip_all = Regions([(s, e) for s, e, *_r in cut_skip.spans] + labels
                       + [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text)])
    extra = propagate.name_forms(text, out, list(project_names), ignored, skip_all, lower_case)
    if extra:
        out = propagate.merge(out, [Suspect(*x) for x in extra])
    return out


def lower_case_words(text: str) -> set[str]:
    """The lower-case words (4 letters and more) of a text: a project's vocabulary."""
    return set(_LOWER_WORD_RE.findall(text))


_LOWER_WORD_RE = re.compile(r"(?<![\w\-])[a-zæøåäöüé][a-zæøåäöüé]{3,}(?![\w\-])")


def _all_blocks(text, blocks, out, cut_sent, cut_ent, cut_skip, known_names, ignored, lower_case) -> None:
    for a, b in blocks:
        if a >= b:
            continue
        found = _detect_block(
            text[a:b],
            sentences=None if cut_sent is None else [(s, e) for s, e, *_r in cut_sent.inside(a, b)],
            entities=cut_ent.inside(a, b), known_names=known_names, ignored=ignored,
            skip_spans=[(s, e) for s, e, *_r in cut_skip.inside(a, b)], lower_case=lower_case,
        )
        out.extend(Suspect(x.start + a, x.end + a, x.text, x.kind, x.reason, x.confidence, x.source)
                   for x in found)


class _Cutter:
    """Spans sorted once and handed out block by block, relative to the block (one sweep)."""

    def __init__(self, spans: list):
        good = []
        for x in spans:
            try:
                good.append((int(x[0]), int(x[1]), *x[2:]))
            except (TypeError, ValueError, IndexError):
                continue  # a malformed span from a caller is ignored, never fatal
        self.spans = sorted(good, key=lambda x: (x[0], x[1]))
        self._i = 0
        self._ends = [int(x[1]) for x in self.spans]

    def inside(self, a: int, b: int) -> list:
        """Spans overlapping [a, b), clipped and relative to a. Blocks must come in order."""
        spans, i = self.spans, self._i
        while i < len(spans) and int(spans[i][1]) <= a and int(spans[i][0]) < a:
            i += 1
        self._i = i
        out = []
        j = i
        while j < len(spans) and int(spans[j][0]) < b:
            s, e, *rest = spans[j]
            s, e = int(s), int(e)
            if e > a:
                out.append((max(s, a) - a, min(e, b) - a, *rest))
            j += 1
        return out


def _detect_block(
    text: str,
    *,
    sentences: list[tuple[int, int]] | None = None,
    entities: Iterable[tuple[int, int, str]] = (),
    known_names: Iterable[str] = (),
    ignored: Iterable[str] = (),
    skip_spans: Iterable[tuple[int, int]] = (),
    lower_case: bool = False,
) -> list[Suspect]:
    """Candidate identifiers in one block, sorted by position, overlaps merged.

    lower_case: the document is written (almost) without capitals: match the name and place
        lists case-insensitively (words that are not ordinary words only).
    sentences: (start, end) spans from the NLP layer, used to tell which capitalised words
        start a sentence; when None, sentence starts are found with a simple rule (after
        . ? ! : ; and at line starts, after speaker labels and timestamps).
    entities: model NER spans (start, end, label) with spaCy nb labels (PER, LOC, GPE_LOC,
        GPE_ORG, ORG, ...); other labels are ignored.
    known_names: the project's own list; matched case-insensitively, whole word, also with
        genitive -s.
    ignored: texts the analyst marked as not identifying; never reported (case-insensitive).
    skip_spans: regions not to look at (for example speaker labels from the turn parser).

    Speaker labels at the start of a turn (`Anna:`, `[00:12:31] I:`) and placeholders in
    brackets (`[kommune]`, `[navn]`) are never suspects. The rules run in a fixed order:
    when candidates overlap, `_finish` keeps the first of equals.
    """
    if not text:
        return []
    b = rules.prepare(text, sentences=sentences, ignored=ignored, skip_spans=skip_spans)
    for rule in (rules.emails, rules.urls, rules.national_ids, rules.phones, rules.org_numbers,
                 rules.vehicles, rules.dates, rules.word_dates, rules.ages, rules.job_titles,
                 rules.job_title_endings, rules.initials, rules.workplaces,
                 rules.addresses):
        rule(b)
    masked = rules.multiword_entries(b)
    rules.known_names(b, known_names)
    _capitalised_words(text, b.lex, b.sentence_initial, masked, b.skip, b.ignored, b.add)
    if lower_case:
        propagate.lower_case_names(b, masked)
        propagate.lower_case_workplaces(b)
    else:
        propagate.cued_lower_names(b, masked)
    rules.entities(b, entities)
    return _finish(text, b.cands, b.skip, b.ignored)


def _finish(text: str, cands: list[_Cand], skip: Regions, ignored_set: set[str]) -> list[Suspect]:
    keep = [c for c in cands
            if 0 <= c.start < c.end <= len(text) and not (skip and skip.overlaps(c.start, c.end))]
    # trim whitespace at the edges
    for c in keep:
        while c.start < c.end and text[c.start].isspace():
            c.start += 1
        while c.end > c.start and text[c.end - 1].isspace():
            c.end -= 1
    keep = [c for c in keep if c.end > c.start]
    keep.sort(key=lambda c: (c.start, -c.end))
    out: list[Suspect] = []
    i = 0
    while i < len(keep):
        cluster = [keep[i]]
        end = keep[i].end
        j = i + 1
        while j < len(keep) and keep[j].start < end:
            cluster.append(keep[j])
            end = max(end, keep[j].end)
            j += 1
        i = j
        start = cluster[0].start
        # ties go to the model: its entity explains a word better than "capitalised, unknown"
        win = min(cluster, key=lambda c: (c.confidence < 0.5, _PRIORITY[c.kind], -c.confidence,
                                          c.source != "model"))
        conf = max(c.confidence for c in cluster)
        if len({c.source for c in cluster}) > 1 or len({c.kind for c in cluster if c.confidence >= 0.5}) > 1:
            conf = min(0.99, conf + 0.05)
        reasons = [win.reason] + [c.reason for c in cluster if c.reason != win.reason]
        reason = "; ".join(dict.fromkeys(reasons))
        frag = text[start:end]
        if _norm(frag) in ignored_set or _norm(frag.rstrip("s’'")) in ignored_set:
            continue
        out.append(Suspect(start, end, frag, win.kind, reason, round(conf, 2), win.source))
    return out
