"""Quotes for the thesis: which codings go into the quote tables, in which order, where in
the transcript they come from, and shortened quotes. Pure Python: no python-docx here; the
exporters in ``themecoder.io`` turn a :class:`QuoteSet` into Word, markdown or CSV.

Verbatim guarantee
    A quote is always the transcript's own text. A coding is exported only when its stored
    quote still equals ``text[start:end]``. A *shortened* quote is a list of segments of the
    transcript (the parts the user keeps; what lies between them is omitted and marked with
    an ellipsis such as ``[…]``). It is exported only when every segment still equals
    ``text[start:end]``, the segments are in order, do not touch (something is omitted between
    them) and all lie inside the coding. Otherwise the quote is left out and reported.

Where shortenings are kept
    In the project's key/value table, key ``quote-segments:<coding id>``, value a JSON list of
    ``[start, end, text]``: no schema change, and setting or clearing one is an ordinary
    action (undoable, in the log). A coding that is deleted leaves a stale entry that is
    ignored; a coding that is resized or whose text changed makes the check above fail.

Order and selection
    Quotes are ordered by participant (pseudonym; documents without a participant after,
    by title), then document, then place. ``max_per_code=N`` keeps the first N codings of each
    code, but a theme's key quote (``themes.key_coding_id``) is always kept.

Place
    The speaker turn (1-based, counting every turn of the document) that contains the start
    of the coding, or its timestamp when the transcript has one; without turns, the
    paragraph (blocks separated by a blank line).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core import resolve
from themecoder.core.text import find_quote, word_count
from themecoder.errors import UserError
from themecoder.model import Code, Coding, Theme
from themecoder.store.db import Database

if TYPE_CHECKING:
    from themecoder.core.project import Project

BLOCK_WORDS = 40
SETTING_PREFIX = "quote-segments:"
PATH_SEPARATOR = resolve.PATH_SEPARATOR

# What a user may type between the kept parts of a shortened quote. A bare "…" or "..." is
# not a marker: transcripts use them for pauses ("for... ja").
_MARKER = re.compile(r"\s*(?:\[\s*(?:…|\.\s*\.\s*\.)\s*\]|\(\s*(?:…|\.\s*\.\s*\.)\s*\))\s*")


# -- segments ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    text: str


def split_marked(marked: str) -> list[str]:
    """``"første del […] andre del"`` -> ``["første del", "andre del"]``."""
    parts = [p.strip() for p in _MARKER.split(marked)]
    return [p for p in parts if p]


def locate_segments(text: str, start: int, end: int, parts: Sequence[str]) -> list[Segment]:
    """Find each kept part, in order, inside ``text[start:end]`` (whitespace-insensitively)."""
    if not parts:
        raise UserError("give the parts of the quote to keep, separated by […]")
    segments: list[Segment] = []
    pos = start
    inside = text[start:end]
    for i, part in enumerate(parts, 1):
        hits = [(s + start, e + start) for s, e in find_quote(inside, part) if s + start >= pos]
        if not hits:
            where = "in the coding" if i == 1 else "after the previous part"
            raise UserError(f"part {i} ({_short(part)!r}) is not found {where}")
        s, e = hits[0]
        segments.append(Segment(s, e, text[s:e]))
        pos = e
    problem = check_segments(text, start, end, segments)
    if problem:
        raise UserError(problem)
    return segments


def check_segments(text: str, start: int, end: int, segments: Sequence[Segment]) -> str | None:
    """Why these segments are not a faithful shortening of ``text[start:end]``, or None."""
    if not segments:
        return "no segments"
    prev_end: int | None = None
    for i, seg in enumerate(segments, 1):
        if not (start <= seg.start < seg.end <= end):
            return f"part {i} lies outside the coding"
        if text[seg.start:seg.end] != seg.text:
            return f"part {i} no longer matches the transcript"
        if seg.text != seg.text.strip():
            return f"part {i} starts or ends with a space"
        if prev_end is not None:
            if seg.start < prev_end:
                return f"part {i} overlaps or comes before part {i - 1}"
            if not text[prev_end:seg.start].strip():
                return f"nothing is omitted between part {i - 1} and part {i}"
        prev_end = seg.end
    return None


def display_text(segments: Sequence[str], ellipsis: str) -> str:
    """The kept parts joined by the ellipsis: ``"a […] b"``."""
    return f" {ellipsis} ".join(segments)


def split_display(text: str, ellipsis: str) -> list[str]:
    """The inverse of :func:`display_text` (used to check exported quotes)."""
    return text.split(f" {ellipsis} ")


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


# -- the user's shortenings, stored in the project table ---------------------------------------
def shortenings(db: Database) -> dict[str, list[Segment]]:
    out: dict[str, list[Segment]] = {}
    for key, value in store.project.settings_with_prefix(db, SETTING_PREFIX):
        try:
            out[key[len(SETTING_PREFIX):]] = [Segment(int(s), int(e), str(t)) for s, e, t in json.loads(value)]
        except (ValueError, TypeError):
            continue  # a damaged entry is ignored; the full quote is used
    return out


def set_shortening(project: Project, coding_ref: str, marked: str | None = None, *,
                   spans: Sequence[tuple[int, int]] | None = None) -> list[Segment]:
    """Shorten a coding's quote for the exports: one action (undoable).

    ``marked`` is the quote with the omitted parts replaced by ``[…]`` (or ``[...]``, ``(…)``);
    ``spans`` gives the kept parts as document offsets instead.
    """
    coding = resolve.coding(project, coding_ref)
    text = store.documents.document_text(project.db, coding.document_id)
    if spans is not None:
        segments = [Segment(s, e, text[s:e]) for s, e in spans]
        problem = check_segments(text, coding.start, coding.end, segments)
        if problem:
            raise UserError(problem)
    else:
        segments = locate_segments(text, coding.start, coding.end, split_marked(marked or ""))
    if len(segments) == 1 and (segments[0].start, segments[0].end) == (coding.start, coding.end):
        clear_shortening(project, coding.id)
        return segments
    value = json.dumps([[s.start, s.end, s.text] for s in segments], ensure_ascii=False)
    with project.action("shorten-quote", f"shorten a quote ({len(segments)} parts)",
                        {"coding": coding.id}) as conn:
        store.project.set_setting(conn, SETTING_PREFIX + coding.id, value)
    return segments


def clear_shortening(project: Project, coding_ref: str) -> bool:
    coding = resolve.coding(project, coding_ref)
    key = SETTING_PREFIX + coding.id
    if store.project.setting(project.db, key) is None:
        return False
    with project.action("unshorten-quote", "use the full quote again", {"coding": coding.id}) as conn:
        store.project.delete_setting(conn, key)
    return True


# -- quotes ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Place:
    document: str
    turn: int | None = None
    timestamp: float | None = None
    paragraph: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    coding: Coding
    code: str                      # the code's label
    document: str                  # document title
    document_position: int
    participant: str | None        # pseudonym
    place: Place
    segments: tuple[str, ...]      # the verbatim parts; one part unless shortened
    spans: tuple[tuple[int, int], ...]
    shortened: bool = False
    problem: str | None = None     # why it cannot be exported (not verbatim any more)

    @property
    def words(self) -> int:
        return sum(word_count(s) for s in self.segments)

    @property
    def is_block(self) -> bool:
        """APA: 40 words or more go into a block quote."""
        return self.words >= BLOCK_WORDS

    @property
    def informant(self) -> str:
        return self.participant or self.document

    @property
    def exportable(self) -> bool:
        return self.problem is None


def order_key(q: Quote) -> tuple:
    """Participant, then document, then place."""
    who = (0, q.participant.casefold()) if q.participant else (1, "")
    return (*who, q.document_position, q.document.casefold(), q.coding.start, q.coding.end, q.code.casefold())


def limit_per_code(quotes: Iterable[Quote], n: int | None, prefer: Iterable[str] = ()) -> list[Quote]:
    """The first ``n`` quotes of each code (in the given order); preferred codings are kept."""
    quotes = list(quotes)
    if n is None:
        return quotes
    if n < 1:
        raise UserError("--max-per-code must be 1 or more")
    prefer = set(prefer)
    by_code: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_code[q.coding.code_id].append(q)
    keep: set[str] = set()
    for items in by_code.values():
        chosen = {q.coding.id for q in items if q.coding.id in prefer}
        for q in items:
            if len(chosen) >= n:
                break
            chosen.add(q.coding.id)
        keep.update(chosen)
    return [q for q in quotes if q.coding.id in keep]


@dataclass(frozen=True, slots=True)
class Row:
    theme: str           # the top-level theme's name
    subtheme: str        # the path below it (" › " between levels), "" for the theme itself
    theme_id: str        # the theme the code is mapped to
    quote: Quote


@dataclass(slots=True)
class Table:
    theme: Theme
    path: str            # the theme's full name, "Theme › Subtheme" for a subtheme
    rows: list[Row]

    @property
    def shortened(self) -> bool:
        return any(r.quote.shortened for r in self.rows)

    @property
    def has_block(self) -> bool:
        return any(r.quote.is_block for r in self.rows)


@dataclass(frozen=True, slots=True)
class Problem:
    coding_id: str
    document: str
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.document}, «{self.code}», coding {self.coding_id[:8]}: {self.reason}"


@dataclass(slots=True)
class QuoteSet:
    tables: list[Table] = field(default_factory=list)
    empty: list[Theme] = field(default_factory=list)          # selected themes without quotes
    problems: list[Problem] = field(default_factory=list)     # quotes left out, and why

    @property
    def quote_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


class QuoteSource:
    """Everything the quote exports read, loaded once from the project."""

    def __init__(self, project: Project) -> None:
        db = project.db
        self.project = project
        self.db = db
        self.project_name = project.name
        self.codes: dict[str, Code] = {c.id: c for c in store.codes.codes(db)}
        self.themes: list[Theme] = store.themes.themes(db)
        self.theme_by_id = {t.id: t for t in self.themes}
        self.children: dict[str | None, list[Theme]] = defaultdict(list)
        for t in self.themes:
            self.children[t.parent_id].append(t)
        self.theme_codes: dict[str, list[str]] = defaultdict(list)
        self.code_themes: dict[str, list[str]] = defaultdict(list)
        for t in self.themes:
            for c in store.themes.theme_codes(db, t.id):
                self.theme_codes[t.id].append(c.id)
                self.code_themes[c.id].append(t.id)
        self.shortenings = shortenings(db)
        self._texts: dict[str, str] = {}
        self._turns: dict[str, tuple[list[int], list[tuple[int, float | None]]]] = {}
        self._paragraphs: dict[str, list[int]] = {}
        people = {p.id: p.pseudonym for p in store.participants.participants(db)}
        docs = {d.id: (d.title, d.position, people.get(d.participant_id or ""))
                for d in store.documents.documents(db)}
        self.quotes_by_code: dict[str, list[Quote]] = defaultdict(list)
        self.problems: list[Problem] = []
        # Two coders (and their consensus) may code the same passage with the same code: it is
        # one quote, taken from the consensus coding where there is one (issue 12).
        from themecoder.core.consensus import CONSENSUS_CODER

        seen: set[tuple[str, str, int, int]] = set()
        for coding in sorted(store.codings.all_codings(db), key=lambda c: c.coder != CONSENSUS_CODER):
            key = (coding.code_id, coding.document_id, coding.start, coding.end)
            if key in seen:
                continue
            seen.add(key)
            title, position, pseudonym = docs[coding.document_id]
            q = self._quote(coding, title, position, pseudonym)
            if q.problem:
                self.problems.append(Problem(coding.id, title, q.code, q.problem))
            self.quotes_by_code[coding.code_id].append(q)
        for items in self.quotes_by_code.values():
            items.sort(key=order_key)

    # -- per document, loaded when needed ---------------------------------------------------
    def text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = store.documents.text_or_none(self.db, doc_id) or ""
        return self._texts[doc_id]

    def place(self, doc_id: str, title: str, pos: int) -> Place:
        if doc_id not in self._turns:
            turns = store.documents.turns(self.db, doc_id)
            self._turns[doc_id] = ([t.label_start for t in turns], [(t.end, t.timestamp) for t in turns])
        starts, info = self._turns[doc_id]
        i = bisect_right(starts, pos) - 1
        if i >= 0 and pos <= info[i][0]:
            return Place(title, turn=i + 1, timestamp=info[i][1])
        if doc_id not in self._paragraphs:
            self._paragraphs[doc_id] = [m.end() for m in re.finditer(r"\n[ \t]*\n\s*", self.text(doc_id))]
        return Place(title, paragraph=bisect_right(self._paragraphs[doc_id], pos) + 1)

    def _quote(self, coding: Coding, title: str, position: int, pseudonym: str | None) -> Quote:
        code = self.codes[coding.code_id].label
        text = self.text(coding.document_id)
        place = self.place(coding.document_id, title, coding.start)
        full = Quote(coding, code, title, position, pseudonym, place, (coding.quote,),
                     ((coding.start, coding.end),))
        if text[coding.start:coding.end] != coding.quote:
            return _replace(full, problem="the coding no longer matches its transcript")
        segments = self.shortenings.get(coding.id)
        if not segments:
            return full
        problem = check_segments(text, coding.start, coding.end, segments)
        if problem:
            return _replace(full, problem=f"shortened quote: {problem}")
        return _replace(full, segments=tuple(s.text for s in segments),
                        spans=tuple((s.start, s.end) for s in segments), shortened=True)

    # -- theme paths ------------------------------------------------------------------------
    def path(self, theme_id: str) -> list[Theme]:
        out: list[Theme] = []
        t: Theme | None = self.theme_by_id[theme_id]
        while t is not None:
            out.append(t)
            t = self.theme_by_id.get(t.parent_id) if t.parent_id else None
        return out[::-1]

    def split_path(self, theme_id: str) -> tuple[str, str]:
        path = self.path(theme_id)
        return path[0].name, PATH_SEPARATOR.join(t.name for t in path[1:])

    def subtree(self, theme_id: str) -> list[Theme]:
        """The theme and its subthemes, depth first, in their order."""
        out: list[Theme] = []

        def walk(t: Theme) -> None:
            out.append(t)
            for child in self.children.get(t.id, []):
                walk(child)

        walk(self.theme_by_id[theme_id])
        return out

    def resolve_themes(self, refs: Sequence[str] | None) -> list[Theme]:
        """Themes named by the user (see core.resolve.theme); default: the top level."""
        if not refs:
            return list(self.children.get(None, []))
        out: list[Theme] = []
        for ref in refs:
            theme = self.theme_by_id[resolve.theme(self.project, ref).id]
            if theme not in out:
                out.append(theme)
        return out

    # -- selections -------------------------------------------------------------------------
    def table(self, theme: Theme, max_per_code: int | None = None) -> Table:
        """One table: the theme's and its subthemes' codings, each passage once."""
        groups = self.subtree(theme.id)
        depth = {t.id: len(self.path(t.id)) for t in groups}
        prefer = {t.key_coding_id for t in groups if t.key_coding_id}
        # A coding whose code sits in several groups of this table goes to the deepest one.
        home: dict[str, str] = {}
        for g in groups:
            for code_id in self.theme_codes.get(g.id, []):
                for q in self.quotes_by_code.get(code_id, []):
                    cur = home.get(q.coding.id)
                    if cur is None or depth[g.id] > depth[cur]:
                        home[q.coding.id] = g.id
        rows: list[Row] = []
        seen_spans: set[tuple] = set()
        for g in groups:
            quotes = [q for code_id in self.theme_codes.get(g.id, [])
                      for q in self.quotes_by_code.get(code_id, [])
                      if home.get(q.coding.id) == g.id and q.exportable]
            quotes.sort(key=order_key)
            quotes = limit_per_code(quotes, max_per_code, prefer)
            top, sub = self.split_path(g.id)
            for q in quotes:
                # The same passage coded with two codes of the theme is quoted once.
                span = (q.coding.document_id, q.spans)
                if span in seen_spans:
                    continue
                seen_spans.add(span)
                rows.append(Row(top, sub, g.id, q))
        return Table(theme, PATH_SEPARATOR.join(t.name for t in self.path(theme.id)), rows)

    def quote_set(self, theme_refs: Sequence[str] | None = None, max_per_code: int | None = None) -> QuoteSet:
        result = QuoteSet()
        selected = self.resolve_themes(theme_refs)
        involved_codes: set[str] = set()
        for theme in selected:
            for g in self.subtree(theme.id):
                involved_codes.update(self.theme_codes.get(g.id, []))
            table = self.table(theme, max_per_code)
            if table.rows:
                result.tables.append(table)
            else:
                result.empty.append(theme)
        involved = {q.coding.id for c in involved_codes for q in self.quotes_by_code.get(c, [])}
        result.problems = [p for p in self.problems if p.coding_id in involved]
        return result

    def coding_rows(self, theme_refs: Sequence[str] | None = None, max_per_code: int | None = None,
                    *, include_unthemed: bool = True) -> list[Row]:
        """One row per coding and theme it belongs to (through its code): for CSV.

        Codings that cannot be quoted verbatim any more are left out; a shortened quote that
        no longer matches keeps its row, without the shortened form.
        """
        selected = self.resolve_themes(theme_refs)
        rows: list[Row] = []
        for theme in selected:
            groups = self.subtree(theme.id)
            prefer = {t.key_coding_id for t in groups if t.key_coding_id}
            for g in groups:
                top, sub = self.split_path(g.id)
                quotes = [q for code_id in self.theme_codes.get(g.id, [])
                          for q in self.quotes_by_code.get(code_id, []) if not _unquotable(q)]
                quotes.sort(key=order_key)
                for q in limit_per_code(quotes, max_per_code, prefer):
                    rows.append(Row(top, sub, g.id, q))
        if include_unthemed and not theme_refs:
            quotes = [q for code_id, items in self.quotes_by_code.items() if not self.code_themes.get(code_id)
                      for q in items if not _unquotable(q)]
            quotes.sort(key=order_key)
            rows.extend(Row("", "", "", q) for q in limit_per_code(quotes, max_per_code))
        return rows

    def appendix(self, themes: Sequence[Theme]) -> list[tuple[Theme, str, list[tuple[Code, list[Quote]]]]]:
        """Theme > code > every exportable quote (no limit), for each theme and subtheme."""
        out = []
        for theme in themes:
            for g in self.subtree(theme.id):
                codes = []
                for code_id in self.theme_codes.get(g.id, []):
                    quotes = [q for q in self.quotes_by_code.get(code_id, []) if q.exportable]
                    if quotes:
                        codes.append((self.codes[code_id], quotes))
                if codes:
                    out.append((g, PATH_SEPARATOR.join(t.name for t in self.path(g.id)), codes))
        return out


def _unquotable(q: Quote) -> bool:
    return q.problem is not None and not q.problem.startswith("shortened quote")


def _replace(q: Quote, **changes) -> Quote:
    from dataclasses import replace

    return replace(q, **changes)
