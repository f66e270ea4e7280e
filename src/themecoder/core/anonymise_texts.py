"""The texts around the transcripts that exports print (issue 18, point 2): document titles,
participant labels, memo titles and texts, code labels and descriptions, theme texts and
review comments. The export guard checks them (`core.anonymise_guard.analyst_texts`) and a
replacement covers them: `field_edits` finds the original in each field (any case, every
form, as in the transcripts) and `apply_field_edits` writes the new values inside the
replacement's one action.

Participant labels and their text attributes (issue 16 follow-up) are covered too, with the
transcripts' confirmation list: `participant_values` gives each as a place that
`core.anonymise_replace.find_hits` lists like a document, `participant_edits` plans the new
values (refusing a label that would collide with another participant's) and
`apply_participant_edits` writes them inside the same action."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from themecoder import store
from themecoder.core.project import Project
from themecoder.errors import Conflict
from themecoder.store.db import now


@dataclass(frozen=True, slots=True)
class FieldEdit:
    table: str      # documents | memos | codes | themes | review_comments
    row_id: str
    field: str
    old: str
    new: str


def fields(project: Project) -> list[tuple[str, str, str, str]]:
    """(table, row id, field, value) for every text field a replacement covers."""
    db = project.db
    out: list[tuple[str, str, str, str]] = []
    for d in store.documents.documents(db):
        out.append(("documents", d.id, "title", d.title))
    for m in store.memos.memos(db):
        out.append(("memos", m.id, "title", m.title or ""))
        out.append(("memos", m.id, "text", m.text or ""))
    for c in store.codes.codes(db):
        out.append(("codes", c.id, "label", c.label))
        out.append(("codes", c.id, "description", c.description or ""))
    for t in store.themes.themes(db):
        for f in ("name", "description", "analytic_text", "condensate"):
            out.append(("themes", t.id, f, getattr(t, f) or ""))
    for r in store.reviews.comments(db):
        out.append(("review_comments", r["id"], "text", r["text"] or ""))
    return [x for x in out if x[3]]


def field_edits(project: Project, original: str, replacement: str, kind: str, *,
                include_ambiguous: bool = False) -> list[FieldEdit]:
    """The fields that hold `original`, with their new values. Hits that may be an ordinary
    word (Per/per) are left alone unless `include_ambiguous`."""
    from themecoder.core.anonymise_replace import _SENT_START, _is_ambiguous_word, _matches

    ambiguous_word = _is_ambiguous_word(original)
    out: list[FieldEdit] = []
    for table, row_id, field, value in fields(project):
        spans = []
        for s, e in _matches(value, original, kind):
            frag = value[s:e]
            unsure = ambiguous_word and (not frag[:1].isupper() or bool(_SENT_START.search(value[max(0, s - 4):s])))
            if unsure and not include_ambiguous:
                continue
            spans.append((s, e))
        if not spans:
            continue
        parts, pos = [], 0
        for s, e in spans:
            parts.append(value[pos:s])
            parts.append(replacement)
            pos = e
        parts.append(value[pos:])
        out.append(FieldEdit(table, row_id, field, value, "".join(parts)))
    return out


def apply_field_edits(project: Project, conn: sqlite3.Connection, edits: list[FieldEdit]) -> None:
    """Write the new values (inside the replacement's action)."""
    memos: dict[str, dict[str, str]] = {}
    for e in edits:
        if e.table == "documents":
            store.documents.set_title(conn, e.row_id, e.new)
        elif e.table == "codes":
            store.codes.update(conn, e.row_id, **{e.field: e.new})
        elif e.table == "themes":
            store.themes.update(conn, e.row_id, **{e.field: e.new})
        elif e.table == "review_comments":
            store.reviews.set_comment_text(conn, e.row_id, e.new)
        elif e.table == "memos":
            memos.setdefault(e.row_id, {})[e.field] = e.new
    for memo_id, changed in memos.items():
        memo = store.memos.memo(project.db, memo_id)
        if memo is None:
            continue
        store.memos.update(conn, memo_id, text=changed.get("text", memo.text), title=changed.get("title", memo.title),
                           modified=now())


# -- participant labels and attribute values ---------------------------------------------------
PARTICIPANT_PLACE = "participant:"  # a Hit's document_id for a label: participant:<id>
ATTRIBUTE_PLACE = "attribute:"      # ... for a text attribute's value: attribute:<id>:<name>


@dataclass(frozen=True, slots=True)
class ParticipantValue:
    place: str             # the Hit's document_id (see above)
    title: str             # how the confirmation list names it
    participant_id: str
    attribute: str | None  # None: the participant's label (pseudonym)
    value: str


@dataclass(frozen=True, slots=True)
class ParticipantEdit:
    participant_id: str
    attribute: str | None
    old: str
    new: str


def participant_values(project: Project) -> list[ParticipantValue]:
    """Every participant label and text attribute value (dates, numbers and booleans cannot
    hold a name)."""
    out: list[ParticipantValue] = []
    for p in store.participants.participants(project.db):
        out.append(ParticipantValue(PARTICIPANT_PLACE + p.id, f"participant «{p.pseudonym}»", p.id, None,
                                    p.pseudonym))
        for a in p.attributes:
            if a.type == "text" and a.value:
                out.append(ParticipantValue(f"{ATTRIBUTE_PLACE}{p.id}:{a.name}",
                                            f"participant «{p.pseudonym}», {a.name}", p.id, a.name, a.value))
    return out


def participant_edits(project: Project, spans: dict[str, list[tuple[int, int]]],
                      replacement: str) -> list[ParticipantEdit]:
    """The new labels and attribute values, given the chosen places ({place: [(start, end)]}
    in the values of `participant_values`). Conflict (nothing changes) when a new label would
    be another participant's label (labels are unique, ignoring case)."""
    edits: list[ParticipantEdit] = []
    for pv in participant_values(project):
        chosen = sorted(set(spans.get(pv.place, ())))
        if not chosen:
            continue
        parts, pos = [], 0
        for s, e in chosen:
            parts.append(pv.value[pos:s])
            parts.append(replacement)
            pos = e
        parts.append(pv.value[pos:])
        new = "".join(parts)
        if new != pv.value:
            edits.append(ParticipantEdit(pv.participant_id, pv.attribute, pv.value, new))
    renamed = {e.participant_id: e for e in edits if e.attribute is None}
    if renamed:
        final: dict[str, str] = {}  # folded label -> participant id
        for p in store.participants.participants(project.db):
            label = renamed[p.id].new if p.id in renamed else p.pseudonym
            other = final.get(label.casefold())
            if other is not None:
                clash = renamed.get(p.id) or renamed[other]
                raise Conflict(f"renaming participant «{clash.old}» to «{clash.new}» would collide with another "
                               f"participant's label; rename one of them first (nothing was replaced)")
            final[label.casefold()] = p.id
    return edits


def apply_participant_edits(conn: sqlite3.Connection, edits: list[ParticipantEdit]) -> None:
    """Write the new labels and values (inside the replacement's action)."""
    for e in edits:
        if e.attribute is None:
            store.participants.set_pseudonym(conn, e.participant_id, e.new)
            continue
        defined = store.participants.attribute_definition(conn, e.attribute)
        if defined is not None:
            store.participants.set_value(conn, e.participant_id, defined[0], e.new)
