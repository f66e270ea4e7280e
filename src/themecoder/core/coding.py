"""Codes and codings: create, apply, remove, recode, and suggestions while typing."""
from __future__ import annotations

import re
from dataclasses import dataclass

from themecoder.errors import Conflict, NotFound, UserError
from themecoder.model import Code, Coding
from themecoder.core.project import Project, new_id
from themecoder.core.text import collapse_ws, context, find_quote
from themecoder import store
from themecoder.store.db import now

# Distinguishable on dark and light terminals; new codes take the next colour.
PALETTE = [
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC", "#1F77B4", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
    "#17BECF", "#BCBD22",
]
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check_colour(colour: str) -> str:
    if not _HEX.match(colour or ""):
        raise UserError(f"colour must look like #RRGGBB, not {colour!r}")
    return colour.upper()


def check_label(label: str) -> str:
    label = collapse_ws(label or "")
    if not label:
        raise UserError("a code needs a label")
    return label


def next_colour(project: Project) -> str:
    n = project.db.scalar("SELECT count(*) FROM codes") or 0
    return PALETTE[n % len(PALETTE)]


def create_code(
    project: Project,
    label: str,
    *,
    description: str = "",
    colour: str | None = None,
    in_vivo: bool = False,
) -> Code:
    label = check_label(label)
    if store.codes.code_by_label(project.db, label) is not None:
        raise Conflict(f"a code called {label!r} exists already")
    colour = check_colour(colour) if colour else next_colour(project)
    code_id = new_id()
    with project.action("create-code", f"create code «{label}»", {"code": label}) as conn:
        _insert_code(conn, code_id, label, description, colour, in_vivo, project.coder)
    return store.codes.code(project.db, code_id)


def _insert_code(conn, code_id, label, description, colour, in_vivo, author) -> None:
    conn.execute(
        "INSERT INTO codes(id, label, description, colour, in_vivo, author, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (code_id, label, description, colour, int(in_vivo), author, now()),
    )


def _insert_coding(conn, project: Project, doc_id: str, code_id: str, start: int, end: int) -> str:
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if text is None:
        raise NotFound(f"no document with id {doc_id}")
    text = text[0]
    start, end = trim_span(text, start, end)
    if not (0 <= start < end <= len(text)):
        raise UserError("select some text to code")
    exists = conn.execute(
        "SELECT id FROM codings WHERE document_id = ? AND code_id = ? AND start = ? AND end = ?",
        (doc_id, code_id, start, end),
    ).fetchone()
    if exists:
        raise Conflict("that passage already has that code")
    before, after = context(text, start, end)
    coding_id = new_id()
    conn.execute(
        "INSERT INTO codings(id, document_id, code_id, start, end, quote, context_before, context_after, coder, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (coding_id, doc_id, code_id, start, end, text[start:end], before, after, project.coder, now()),
    )
    return coding_id


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Codings never start or end in whitespace."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def apply_code(project: Project, doc_id: str, start: int, end: int, code_id: str) -> Coding:
    code = store.codes.code(project.db, code_id)
    with project.action("apply-code", f"code passage with «{code.label}»", {"code": code.label}) as conn:
        coding_id = _insert_coding(conn, project, doc_id, code_id, start, end)
    return store.codings.coding(project.db, coding_id)


def apply_new_code(
    project: Project, doc_id: str, start: int, end: int, label: str, *,
    description: str = "", colour: str | None = None, in_vivo: bool = False,
) -> Coding:
    """Create a code and code the passage with it: one action, one undo."""
    label = check_label(label)
    if store.codes.code_by_label(project.db, label) is not None:
        raise Conflict(f"a code called {label!r} exists already")
    colour = check_colour(colour) if colour else next_colour(project)
    code_id = new_id()
    kind = "in-vivo-code" if in_vivo else "create-and-apply-code"
    with project.action(kind, f"new code «{label}» on a passage", {"code": label}) as conn:
        _insert_code(conn, code_id, label, description, colour, in_vivo, project.coder)
        coding_id = _insert_coding(conn, project, doc_id, code_id, start, end)
    return store.codings.coding(project.db, coding_id)


def in_vivo_label(text: str, start: int, end: int, max_chars: int = 120) -> str:
    """The informant's own words as a label: whitespace folded, edge punctuation trimmed."""
    label = collapse_ws(text[start:end]).strip(" ,.;:!?-–—\"'«»()[]")
    if len(label) > max_chars:
        cut = label[:max_chars].rsplit(" ", 1)[0]
        label = cut + " …"
    return label


def remove_coding(project: Project, coding_id: str) -> None:
    c = store.codings.coding(project.db, coding_id)
    code = store.codes.code(project.db, c.code_id)
    with project.action("remove-coding", f"remove «{code.label}» from a passage",
                        {"code": code.label, "quote": c.quote[:200]}) as conn:
        conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))


def recode(project: Project, coding_id: str, new_code_id: str) -> Coding:
    c = store.codings.coding(project.db, coding_id)
    old, new = store.codes.code(project.db, c.code_id), store.codes.code(project.db, new_code_id)
    if old.id == new.id:
        return c
    with project.action("recode", f"recode passage «{old.label}» → «{new.label}»",
                        {"from": old.label, "to": new.label}) as conn:
        clash = conn.execute(
            "SELECT 1 FROM codings WHERE document_id = ? AND code_id = ? AND start = ? AND end = ?",
            (c.document_id, new.id, c.start, c.end),
        ).fetchone()
        if clash:
            conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
        else:
            conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (new.id, coding_id))
    return store.codings.coding(project.db, coding_id) if not clash else c


def recode_to_new_code(project: Project, coding_id: str, label: str, *, description: str = "",
                       colour: str | None = None) -> Coding:
    """Move a coding to a new code: one action, one undo."""
    c = store.codings.coding(project.db, coding_id)
    old = store.codes.code(project.db, c.code_id)
    label = check_label(label)
    if store.codes.code_by_label(project.db, label) is not None:
        raise Conflict(f"a code called {label!r} exists already")
    colour = check_colour(colour) if colour else next_colour(project)
    code_id = new_id()
    with project.action("recode", f"recode passage «{old.label}» → new code «{label}»",
                        {"from": old.label, "to": label}) as conn:
        _insert_code(conn, code_id, label, description, colour, False, project.coder)
        conn.execute("UPDATE codings SET code_id = ? WHERE id = ?", (code_id, coding_id))
    return store.codings.coding(project.db, coding_id)


def resize_coding(project: Project, coding_id: str, start: int, end: int) -> Coding:
    c = store.codings.coding(project.db, coding_id)
    text = store.documents.document_text(project.db, c.document_id)
    start, end = trim_span(text, start, end)
    if not (0 <= start < end <= len(text)):
        raise UserError("a coding needs some text")
    before, after = context(text, start, end)
    with project.action("resize-coding", "change the extent of a coding") as conn:
        conn.execute(
            "UPDATE codings SET start = ?, end = ?, quote = ?, context_before = ?, context_after = ? WHERE id = ?",
            (start, end, text[start:end], before, after, coding_id),
        )
    return store.codings.coding(project.db, coding_id)


def code_quote(project: Project, doc_ref: str, quote: str, code_label: str, *, occurrence: int | None = None) -> Coding:
    """Find `quote` in a document (whitespace-insensitively) and code it; creates the code if new."""
    doc = store.documents.find_document(project.db, doc_ref)
    text = store.documents.document_text(project.db, doc.id)
    places = find_quote(text, quote)
    if not places:
        raise NotFound(f"the quote was not found in {doc.title!r}")
    if len(places) > 1 and occurrence is None:
        raise UserError(
            f"the quote occurs {len(places)} times in {doc.title!r}; give --occurrence N (1-{len(places)})"
        )
    start, end = places[(occurrence or 1) - 1] if occurrence and occurrence <= len(places) else places[0]
    code = store.codes.code_by_label(project.db, check_label(code_label))
    if code is None:
        return apply_new_code(project, doc.id, start, end, code_label)
    return apply_code(project, doc.id, start, end, code.id)


# -- suggestions --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Suggestion:
    code: Code
    score: float


def fuzzy_codes(codes: list[Code], query: str, *, limit: int = 50, cutoff: float = 0) -> list[Suggestion]:
    """Codes matching what the user types, best first. An empty query lists all codes."""
    if not query.strip():
        return [Suggestion(c, 100.0) for c in codes[:limit]]
    from rapidfuzz import fuzz, process, utils

    labels = [c.label for c in codes]
    q = query.casefold()
    hits = process.extract(query, labels, scorer=fuzz.WRatio, processor=utils.default_process,
                           limit=None, score_cutoff=cutoff)
    scored = []
    for label, score, idx in hits:
        # Prefix and substring matches go first: that is what a typing user means.
        boost = 20 if labels[idx].casefold().startswith(q) else 10 if q in labels[idx].casefold() else 0
        scored.append(Suggestion(codes[idx], min(100.0, score + boost) if boost else score))
    scored.sort(key=lambda s: (-s.score, s.code.label.casefold()))
    return scored[:limit]


def similar_codes(codes: list[Code], label: str, *, threshold: float = 70, limit: int = 5) -> list[Suggestion]:
    """Existing codes that a new label nearly duplicates ("did you mean ...")."""
    from rapidfuzz import fuzz, process, utils

    labels = [c.label for c in codes]
    hits = process.extract(label, labels, scorer=fuzz.token_set_ratio, processor=utils.default_process,
                           limit=limit, score_cutoff=threshold)
    return [Suggestion(codes[i], s) for _, s, i in hits]
