"""The joint display and the coverage figure's data.

:func:`joint_display` gives one row per theme (top-level themes; subthemes that have
links, or all of them on request) with a few quotes (the theme's key quote first, then
one per participant), the numbers of participants and codings, and the linked findings
with outcome and meta-inference; :meth:`JointDisplay.by_finding` turns it around (one
row per finding with the themes that speak to it). A cell that rests on five or fewer
participants (:data:`SMALL_N`) is flagged, on the quantitative side too.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.survey_findings import SMALL_N, StoredSurveyFinding, get_design, list_findings
from themecoder.core.survey_links import Link, list_links, theme_paths
from themecoder.errors import NotFound
from themecoder.model import Theme
from themecoder.store.db import Database


@dataclass(frozen=True, slots=True)
class JointEntry:
    """One linked finding in a theme's row (or one theme in a finding's row)."""

    link: Link
    finding: StoredSurveyFinding
    theme: Theme
    theme_path: str

    @property
    def outcome(self) -> str:
        return self.link.outcome

    @property
    def meta_inference(self) -> str:
        return self.link.meta_inference


@dataclass(slots=True)
class JointRow:
    theme: Theme
    path: str
    level: int                      # 0 for a top-level theme, 1 for a subtheme, ...
    quotes: list                    # core.quotes.Quote, the key quote first
    key_coding_id: str | None       # the theme's key quote when it could be shown
    participants: list[str]         # pseudonyms (document titles for documents without one)
    codings: int
    entries: list[JointEntry] = field(default_factory=list)

    @property
    def n_participants(self) -> int:
        return len(self.participants)

    @property
    def small_n(self) -> bool:
        return self.n_participants <= SMALL_N

    @property
    def outcomes(self) -> list[str]:
        return list(dict.fromkeys(e.outcome for e in self.entries))

    @property
    def analytic_text(self) -> str:
        return self.theme.analytic_text or ""


@dataclass(slots=True)
class SurveyFindingRow:
    finding: StoredSurveyFinding
    entries: list[JointEntry]

    @property
    def small_n(self) -> bool:
        return self.finding.small_n


@dataclass(slots=True)
class CoverageRow:
    theme: Theme
    path: str
    level: int
    counts: list[int]           # codings per participant, in the order of Coverage.columns
    participants: int

    @property
    def small_n(self) -> bool:
        return self.participants <= SMALL_N


@dataclass(slots=True)
class Coverage:
    """Codings per theme and participant: the data of the heat-map figure."""

    columns: list[str]
    rows: list[CoverageRow]

    @property
    def max_count(self) -> int:
        return max((c for r in self.rows for c in r.counts), default=0)


@dataclass(slots=True)
class JointDisplay:
    project_name: str
    design: str | None
    rows: list[JointRow]
    findings: list[StoredSurveyFinding]
    links: list[Link]
    participants: list[str]
    documents: int = 0              # documents in the project

    def by_finding(self, *, linked_only: bool = False) -> list[SurveyFindingRow]:
        """One row per finding with the themes that speak to it (the stats-by-themes layout)."""
        entries: dict[str, list[JointEntry]] = defaultdict(list)
        for row in self.rows:
            for e in row.entries:
                entries[e.finding.id].append(e)
        out = [SurveyFindingRow(f, entries.get(f.id, [])) for f in self.findings]
        return [r for r in out if r.entries] if linked_only else out

    def row(self, theme_ref: str) -> JointRow:
        for r in self.rows:
            if theme_ref in (r.theme.id, r.theme.name, r.path):
                return r
        raise KeyError(theme_ref)

    @property
    def linked_themes(self) -> list[JointRow]:
        return [r for r in self.rows if r.entries]


def _units(db: Database) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """document id -> (unit id, label); and the units in display order. A unit is the
    participant, or the document itself when it has none."""
    of_doc: dict[str, tuple[str, str]] = {}
    for doc_id, title, participant_id, pseudonym in store.survey.document_units(db):
        if participant_id:
            of_doc[doc_id] = (participant_id, pseudonym or "")
        else:
            of_doc[doc_id] = ("doc:" + doc_id, title)
    named = sorted({v for v in of_doc.values() if not v[0].startswith("doc:")},
                   key=lambda u: u[1].casefold())
    unnamed = [v for v in dict.fromkeys(of_doc.values()) if v[0].startswith("doc:")]
    return of_doc, named + unnamed


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A coding as a quote candidate: what the choice needs, without the transcript."""

    id: str
    document_id: str
    code_id: str
    start: int
    end: int
    quote: str
    informant: str
    order: tuple

    @property
    def words(self) -> int:
        from themecoder.core.text import word_count

        return word_count(self.quote)


class _Codings:
    """Every coding once (light), the theme tree, and which codings belong to which theme
    (the theme's codes and its subthemes' codes): one pass instead of a query per theme."""

    def __init__(self, db: Database, coder: str | None = None) -> None:
        self.of_doc, self.units = _units(db)
        docs = {r[0]: (r[1], r[2], r[3]) for r in store.survey.document_labels(db)}
        self.docs = docs
        self.by_code: dict[str, list[_Candidate]] = defaultdict(list)
        for cid, doc_id, code_id, start, end, quote in store.survey.coding_spans(db, coder=coder):
            title, position, pseudonym = docs[doc_id]
            who = (0, pseudonym.casefold()) if pseudonym else (1, "")
            informant = pseudonym or title
            self.by_code[code_id].append(_Candidate(
                cid, doc_id, code_id, start, end, quote, informant,
                (*who, position, title.casefold(), start, end)))
        self.themes = store.themes.themes(db)
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for t in self.themes:
            self.children[t.parent_id].append(t.id)
        self.codes_of: dict[str, list[str]] = defaultdict(list)
        for theme_id, code_id in store.survey.code_theme_pairs(db):
            self.codes_of[theme_id].append(code_id)
        self.level: dict[str, int] = {}
        for t in self.themes:  # parents come first
            self.level[t.id] = 0 if t.parent_id is None else self.level.get(t.parent_id, 0) + 1

    def subtree_codes(self, theme_id: str) -> set[str]:
        out: set[str] = set()
        stack, seen = [theme_id], set()
        while stack:
            tid = stack.pop()
            if tid in seen:
                continue
            seen.add(tid)
            out.update(self.codes_of.get(tid, ()))
            stack.extend(self.children.get(tid, ()))
        return out

    def of_theme(self, theme_id: str) -> list[_Candidate]:
        """The theme's codings (subthemes included), each once, in document order."""
        seen: dict[str, _Candidate] = {}
        for code_id in self.subtree_codes(theme_id):
            for c in self.by_code.get(code_id, ()):
                seen[c.id] = c
        return sorted(seen.values(), key=lambda c: c.order)


class _QuoteMaker:
    """Turns chosen codings into :class:`themecoder.core.quotes.Quote` (verbatim check,
    shortening, place in the transcript) one at a time, loading only the transcripts
    needed. It reuses QuoteSource's per-coding logic without loading every coding."""

    def __init__(self, db: Database) -> None:
        from themecoder.core.quotes import QuoteSource, shortenings

        src = QuoteSource.__new__(QuoteSource)
        src.db = db
        src.codes = {c.id: c for c in store.codes.codes(db)}
        src.shortenings = shortenings(db)
        src._texts, src._turns, src._paragraphs = {}, {}, {}
        self.src = src
        self.cache: dict[str, Any] = {}

    def __call__(self, c: _Candidate, docs: dict[str, tuple]) -> Any | None:
        """The quote, or None when it cannot be quoted verbatim any more."""
        if c.id not in self.cache:
            try:
                coding = store.codings.coding(self.src.db, c.id)
            except NotFound:
                self.cache[c.id] = None
            else:
                title, position, pseudonym = docs[coding.document_id]
                q = self.src._quote(coding, title, position, pseudonym)
                self.cache[c.id] = q if q.exportable else None
        return self.cache[c.id]


def choose_quotes(theme: Theme, candidates: Sequence[_Candidate], max_quotes: int,
                  make: Callable[[_Candidate], Any | None]) -> list:
    """The theme's key quote first, then one quote per participant not yet quoted.

    Per participant the quote comes from the code most participants share within the
    theme (it speaks for the theme rather than for one voice), preferring a quote of 8-40
    words, then the earliest. ``make`` turns a candidate into a Quote, or None when it can
    no longer be quoted verbatim (then the next candidate is taken).
    """
    if max_quotes <= 0:
        return []
    by_id = {c.id: c for c in candidates}
    chosen: list = []
    covered: set[str] = set()
    spans: set[tuple] = set()
    if theme.key_coding_id and theme.key_coding_id in by_id:
        key = make(by_id[theme.key_coding_id])
        if key is not None:
            chosen.append(key)
            covered.add(by_id[theme.key_coding_id].informant)
            spans.add((key.coding.document_id, key.spans))
    spread: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        spread[c.code_id].add(c.informant)
    per_person: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:  # in document order: participants in order
        per_person[c.informant].append(c)

    def score(c: _Candidate) -> tuple:
        words = c.words
        return (-len(spread[c.code_id]), 0 if 8 <= words <= 40 else 1, c.order)

    for person, items in per_person.items():
        if len(chosen) >= max_quotes:
            break
        if person in covered:
            continue
        for c in sorted(items, key=score):
            q = make(c)
            if q is None:
                continue
            span = (q.coding.document_id, q.spans)
            if span not in spans:
                chosen.append(q)
                spans.add(span)
                covered.add(person)
                break
    return chosen


def joint_display(project: Project, *, include_subthemes: bool = False,
                  max_quotes: int = 3, coder: str | None = None) -> JointDisplay:
    """The joint display's data (see the module doc).

    Rows: every top-level theme; a subtheme when it has links, or always with
    ``include_subthemes``. Counts include the theme's subthemes (the codings of
    ``store.store.codings.codings_for_theme``). Quotes are verbatim: a coding whose text no longer
    matches its transcript is never shown (see core.quotes). `coder`: that coder's codings
    alone (blind coding).
    """
    db = project.db
    data = _Codings(db, coder)
    make_quote = _QuoteMaker(db)
    paths = theme_paths(db)
    stored = list_findings(db)
    finding_by_id = {s.id: s for s in stored}
    links = list_links(db)
    links_of: dict[str, list[Link]] = defaultdict(list)
    for lk in links:
        links_of[lk.theme_id].append(lk)
    rows: list[JointRow] = []
    for t in data.themes:
        level = data.level[t.id]
        if level > 0 and not include_subthemes and not links_of.get(t.id):
            continue
        candidates = data.of_theme(t.id)
        people = {data.of_doc[c.document_id] for c in candidates if c.document_id in data.of_doc}
        names = [label for uid, label in data.units if (uid, label) in people]
        picked = choose_quotes(t, candidates, max_quotes, lambda c: make_quote(c, data.docs))
        key_id = t.key_coding_id if picked and picked[0].coding.id == t.key_coding_id else None
        entries = [JointEntry(lk, finding_by_id[lk.finding_id], t, paths[t.id])
                   for lk in links_of.get(t.id, []) if lk.finding_id in finding_by_id]
        entries.sort(key=lambda e: e.finding.number)
        rows.append(JointRow(t, paths[t.id], level, picked, key_id, names, len(candidates), entries))
    return JointDisplay(project.name, get_design(db), rows, stored, links,
                        [label for _, label in data.units], len(data.docs))


def coverage(project: Project, *, include_subthemes: bool = True) -> Coverage:
    """Codings per theme (subthemes included in their parents' counts) and participant."""
    db = project.db
    data = _Codings(db)
    col = {u: i for i, u in enumerate(data.units)}
    paths = theme_paths(db)
    rows = []
    for t in data.themes:
        level = data.level[t.id]
        if level > 0 and not include_subthemes:
            continue
        counts = [0] * len(data.units)
        for c in data.of_theme(t.id):
            u = data.of_doc.get(c.document_id)
            if u is not None:
                counts[col[u]] += 1
        rows.append(CoverageRow(t, paths[t.id], level, counts, sum(1 for x in counts if x)))
    return Coverage([label for _, label in data.units], rows)
