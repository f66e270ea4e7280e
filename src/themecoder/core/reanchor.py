"""Replacing stretches of a document's text as one action, re-anchoring everything that
points into it: codings (quote and context rewritten so that ``quote == text[start:end]``
still holds and no coding is lost), turns, shortened quotes and earlier replacements. The
sentence/lemma index is rebuilt after the action.
"""
from __future__ import annotations

import json
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from themecoder import store
from themecoder.core.project import Project, new_id
from themecoder.core.text import CONTEXT_CHARS, Regions, context
from themecoder.errors import Conflict, UserError
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.nlp import Pipeline


Edit = tuple[int, int, str]


def edited_text(text: str, edits: list[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for s, e, rep in edits:
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out)


class OffsetMap:
    """Where offsets land after a list of edits (sorted, non-overlapping, original offsets):
    built once, O(log n) per offset, so re-anchoring thousands of codings after thousands of
    replacements stays linear-logarithmic (issue 18), with `shift_offset`'s rules."""

    def __init__(self, edits: list[Edit]):
        self.edits = edits
        self.starts = [s for s, _, _ in edits]
        self.ends = [e for _, e, _ in edits]
        self.prefix = [0]
        for s, e, rep in edits:
            self.prefix.append(self.prefix[-1] + len(rep) - (e - s))

    def map(self, offset: int, *, is_end: bool) -> int:
        i = bisect_right(self.ends, offset)  # edits wholly before (e <= offset) shift it
        if i < len(self.edits) and self.starts[i] < offset < self.ends[i]:
            s, _e, rep = self.edits[i]
            return s + (len(rep) if is_end else 0) + self.prefix[i]
        return offset + self.prefix[i]

    def strictly_inside(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and self.edits[i][0] < offset < self.edits[i][1]


def map_offset(offset: int, edits: list[Edit], *, is_end: bool) -> int:
    """Where an offset lands after all edits (sorted, non-overlapping, original offsets).
    For many offsets, build an `OffsetMap` once instead."""
    return OffsetMap(edits).map(offset, is_end=is_end)


def _strictly_inside(offset: int, edits: list[Edit]) -> bool:
    return OffsetMap(edits).strictly_inside(offset)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def check_edits(text: str, edits: Iterable[Edit], *, labels: Iterable[tuple[int, int]] = ()) -> list[Edit]:
    """Sorted, validated edits: inside the text, non-overlapping, outside speaker labels,
    each replacement non-empty without edge whitespace, the result still NFC."""
    out = sorted((int(s), int(e), str(r)) for s, e, r in edits)
    label_regions = Regions(labels)
    prev = 0
    for s, e, rep in out:
        if not (0 <= s < e <= len(text)):
            raise UserError(f"the place [{s}, {e}) is outside the text")
        if s < prev:
            raise UserError("two replacements overlap")
        if not rep or rep != rep.strip() or "\r" in rep:
            raise UserError("a replacement must be some text without leading or trailing blanks")
        if label_regions.starts and label_regions.overlaps(s, e):
            raise UserError("speaker labels are not replaced here; rename the speaker instead")
        prev = e
    return out


def _reanchor(conn, doc_id: str, text: str, edits: list[Edit], new_text: str) -> int:
    """Inside an action: move codings, turns, shortened quotes and replacement spans of one
    document from `text` to `new_text`. Returns how many codings changed."""
    rows = store.identifiers.codings_to_move(conn, doc_id)
    om = OffsetMap(edits)
    placed = _place_codings(conn, rows, om, new_text)
    changed = _write_codings(conn, rows, placed, new_text)
    _move_turns(conn, doc_id, om)
    _move_segments(conn, [row[0] for row in rows], om, new_text)
    _move_replacements(conn, doc_id, om)
    store.documents.set_text(conn, doc_id, new_text)  # drops the derived index too
    return changed


def _place_codings(conn, rows: list[store.identifiers.CodingSpan], om: OffsetMap,
                   new_text: str) -> dict[str, tuple[int, int]]:
    """Where each coding lands in the new text. Two codings of one code never land on the
    same passage: Conflict instead (the user removes or resizes one first)."""
    plain: list[store.identifiers.CodingSpan] = []
    snapped: list[store.identifiers.CodingSpan] = []
    for row in rows:
        s, e = row[2], row[3]
        (snapped if om.strictly_inside(s) or om.strictly_inside(e) else plain).append(row)
    taken: set[tuple[str, int, int]] = set()
    placed: dict[str, tuple[int, int]] = {}
    for row in plain:
        span = (om.map(row[2], is_end=False), om.map(row[3], is_end=True))
        placed[row[0]] = span
        taken.add((row[1], *span))
    for row in snapped:
        s, e = row[2], row[3]
        # shift_offset's rule first (an end inside the replaced text takes in the replacement,
        # a start inside it starts at the replacement); then the other edge of the replacement,
        # so that two codings of one code that differed only inside the replaced text stay two.
        candidates = [
            (om.map(s, is_end=False), om.map(e, is_end=True)),
            (om.map(s, is_end=True), om.map(e, is_end=True)),
            (om.map(s, is_end=False), om.map(e, is_end=False)),
            (om.map(s, is_end=True), om.map(e, is_end=False)),
        ]
        for cs, ce in candidates:
            cs, ce = _trim(new_text, cs, ce)
            if cs < ce and (row[1], cs, ce) not in taken:
                placed[row[0]] = (cs, ce)
                taken.add((row[1], cs, ce))
                break
        else:
            raise Conflict(
                f"two codings of «{_code_label(conn, row[1])}» would become the same passage; "
                f"remove or resize one of them first (coding {row[0][:8]})")
    return placed


def _code_label(conn, code_id: str) -> str:
    return store.identifiers.code_label(conn, code_id) or code_id


def _write_codings(conn, rows: list[store.identifiers.CodingSpan], placed: dict[str, tuple[int, int]],
                   new_text: str) -> int:
    """Write the codings' new places, quotes and contexts; how many changed."""
    # Codings whose span moves go through a parking place beyond any text first, so that a
    # coding never lands, for a moment, on the span another coding of its code still holds
    # (UNIQUE (document_id, code_id, start, end)). Undo replays the steps backwards.
    park = 1 << 40
    for row in rows:
        if placed[row[0]] != (row[2], row[3]):
            s, e = placed[row[0]]
            store.codings.update_span(conn, row[0], park + s, park + e)
    changed = 0
    for row in rows:
        s, e = placed[row[0]]
        quote = new_text[s:e]
        before, after = context(new_text, s, e, CONTEXT_CHARS)
        if (s, e, quote, before, after) != (row[2], row[3], row[4], row[5], row[6]):
            changed += 1
            store.codings.update_span(conn, row[0], s, e, quote, before, after)
    return changed


def _move_turns(conn, doc_id: str, om: OffsetMap) -> None:
    for tid, label_start, start, end in store.identifiers.turns_to_move(conn, doc_id):
        new = (om.map(label_start, is_end=False), om.map(start, is_end=False),
               om.map(end, is_end=True))
        new = (new[0], new[1], max(new[1], new[2]))
        if new != (label_start, start, end):
            store.documents.set_turn_span(conn, tid, *new)


def _move_segments(conn, coding_ids: list[str], om: OffsetMap, new_text: str) -> None:
    """Shortened quotes (core.quotes): segments move with the text and take its new wording."""
    prefix = "quote-segments:"
    for coding_id in coding_ids:
        value = store.project.setting_in(conn, prefix + coding_id)
        if value is None:
            continue
        try:
            segments = json.loads(value)
        except (TypeError, ValueError):
            continue
        moved = []
        for seg in segments:
            s = om.map(int(seg[0]), is_end=False)
            e = om.map(int(seg[1]), is_end=True)
            moved.append([s, e, new_text[s:e]])
        new_value = json.dumps(moved, ensure_ascii=False)
        if new_value != value:
            store.project.set_setting(conn, prefix + coding_id, new_value)


def _move_replacements(conn, doc_id: str, om: OffsetMap) -> None:
    for rid, spans in store.identifiers.replacements_of(conn, doc_id):
        moved = [[om.map(int(s), is_end=False), om.map(int(e), is_end=True)]
                 for s, e in json.loads(spans or "[]")]
        new_value = json.dumps(moved)
        if new_value != spans:
            store.identifiers.set_replacement_spans(conn, rid, new_value)


def speaker_labels(project: Project, doc_id: str) -> list[tuple[int, int]]:
    return [(t.label_start, t.start) for t in store.documents.turns(project.db, doc_id) if t.start > t.label_start]


def replace_spans(
    project: Project,
    doc_edits: dict[str, list[Edit]],
    *,
    kind: str = "person",
    mode: str = "category",
    key_entry: str | None = None,
    summary: str | None = None,
    reindex: bool = True,
    pipeline: "Pipeline | None" = None,
    settings: dict[str, str] | None = None,
    extra: "Callable[[Any], None] | None" = None,
    labels: bool = False,
) -> int:
    """Apply text replacements in one or more documents as ONE action, re-anchoring every
    coding, turn and shortened quote. Returns the number of codings that moved or changed.

    The lower-level operation behind `replace_identifier`; usable for any edit that swaps
    stretches of text for non-empty replacements. `settings` are written in the same action
    (the project's link to the key file, so that a pseudonym and its key link commit together).
    With `labels`, edits inside speaker labels are allowed (the caller renames the turns'
    speakers, e.g. in `extra`)."""
    if mode not in ("pseudonym", "category"):
        raise UserError("mode is 'pseudonym' or 'category'")
    prepared: dict[str, tuple[str, list[Edit], str]] = {}
    for doc_id, edits in doc_edits.items():
        if not edits:
            continue
        text = store.documents.document_text(project.db, doc_id)
        checked = check_edits(text, edits, labels=() if labels else speaker_labels(project, doc_id))
        new_text = edited_text(text, checked)
        if not unicodedata.is_normalized("NFC", new_text):
            raise UserError("the replacement would leave the text un-normalised (a combining "
                            "character at its edge); choose another replacement")
        prepared[doc_id] = (text, checked, new_text)
    if not prepared and extra is None:
        return 0
    n_places = sum(len(v[1]) for v in prepared.values())
    replacements = sorted({r for v in prepared.values() for _, _, r in v[1]})
    summary = summary or (f"replace {n_places} place(s) in {len(prepared)} document(s) with "
                          + ", ".join(f"«{r}»" for r in replacements[:3]))
    summary = summary or "replace an identifier in the project's texts"
    details = {"kind": kind, "mode": mode, "replacements": replacements[:20], "occurrences": n_places,
               "documents": [store.documents.document(project.db, d).title for d in prepared]}
    moved = 0
    with project.action("anonymise-replace", summary, details) as conn:
        if settings:
            for k, v in settings.items():
                store.project.set_setting(conn, k, v)
            store.project.delete_settings(conn, ("anonymisation.key_deleted",))
        if extra is not None:
            extra(conn)  # the titles, memos, labels and comments that hold the original
        for doc_id, (text, edits, new_text) in prepared.items():
            if store.identifiers.current_text(conn, doc_id) != text:
                raise Conflict("the document changed meanwhile; check again and retry")
            moved += _reanchor(conn, doc_id, text, edits, new_text)
            by_rep: dict[str, list[list[int]]] = defaultdict(list)
            om = OffsetMap(edits)
            for s, e, rep in edits:
                ns = om.map(s, is_end=False)
                by_rep[rep].append([ns, ns + len(rep)])
            for rep, spans in by_rep.items():
                store.identifiers.insert_replacement(conn, new_id(), doc_id, kind, mode, rep, len(spans),
                                                     json.dumps(spans), key_entry, project.coder, now())
    if reindex:
        _reindex(project, list(prepared), pipeline)
    return moved


def _reindex(project: Project, doc_ids: list[str], pipeline: "Pipeline | None") -> None:
    from themecoder.core.indexing import index_document

    for doc_id in doc_ids:
        try:
            index_document(project, doc_id, pipeline)
        except UserError:
            pass  # left without an index: ensure_index rebuilds it later
