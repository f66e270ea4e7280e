"""Codes and codings: create, apply, remove, recode, and suggestions while typing."""
from __future__ import annotations

import re
from dataclasses import dataclass

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project, new_id
from themecoder.core.text import canonical_label, clean_text, collapse_ws, context, find_quote, label_key
from themecoder.errors import Conflict, NotFound, UserError
from themecoder.model import Code, Coding
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
    """The label as stored (core.text.canonical_label: NFC, no control or zero-width characters,
    whitespace folded, length capped); UserError if there is nothing left."""
    label = canonical_label(label)
    if not label:
        raise UserError("a code needs a label")
    return label


def check_label_free(conn, label: str, *, except_id: str | None = None, ignore_case: bool = False,
                     hint: str = "") -> None:
    """Conflict if another code already has this label (compared by `label_key`: case,
    Unicode form and invisible characters do not make two labels different)."""
    clash = store.codes.label_taken(conn, label, except_id=except_id, ignore_case=ignore_case)
    if clash is None:
        key = label_key(label)
        clash = next((other for code_id, other in store.codes.ids_and_labels(conn)
                      if code_id != except_id and label_key(other) == key), None)
    if clash is not None:
        raise Conflict(f"a code called {clash!r} exists already{hint}")


def next_colour(project: Project) -> str:
    return PALETTE[store.codes.count(project.db) % len(PALETTE)]


# -- inside an open action (importers use these to stay one action) ---------------------------
def new_code(conn, project: Project, label: str, *, description: str = "", colour: str | None = None,
             in_vivo: bool = False, author: str | None = None, code_id: str | None = None) -> str:
    """Create a code inside the caller's action, with every rule; returns its id."""
    label = check_label(label)
    check_label_free(conn, label)
    colour = check_colour(colour) if colour else next_colour(project)
    code_id = code_id or new_id()
    store.codes.insert(conn, code_id, label, description=clean_text(description or ""), colour=colour,
                       in_vivo=in_vivo, author=author or project.coder, created=now())
    return code_id


def place_coding(conn, project: Project, doc_id: str, code_id: str, start: int, end: int, *,
                 text: str | None = None, coder: str | None = None, created: str | None = None,
                 coding_id: str | None = None, reuse: bool = False) -> tuple[str, bool]:
    """Code a passage inside the caller's action: (coding id, whether it is new).

    The span is trimmed of whitespace; a passage that already has the code is a Conflict,
    or with `reuse` that coding's id. `text` saves reading the document again (importers).
    """
    if text is None:
        text = store.documents.document_text(project.db, doc_id)
    start, end = trim_span(text, start, end)
    if not (0 <= start < end <= len(text)):
        raise UserError("select some text to code")
    coder = coder or project.coder
    exists = store.codings.at_span(conn, doc_id, code_id, start, end, coder)
    if exists is not None:
        if reuse:
            return exists, False
        raise Conflict("that passage already has that code")
    before, after = context(text, start, end)
    coding_id = coding_id or new_id()
    store.codings.insert(conn, coding_id, doc_id, code_id, start, end, quote=text[start:end], before=before,
                         after=after, coder=coder, created=created or now())
    return coding_id, True


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Codings never start or end in whitespace."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- the public operations: one action each -------------------------------------------------------
def create_code(
    project: Project,
    label: str,
    *,
    description: str = "",
    colour: str | None = None,
    in_vivo: bool = False,
) -> Code:
    label = check_label(label)
    with project.action("create-code", f"create code «{label}»", {"code": label}) as conn:
        code_id = new_code(conn, project, label, description=description, colour=colour, in_vivo=in_vivo)
    return store.codes.code(project.db, code_id)


def apply_code(project: Project, doc_id: str, start: int, end: int, code_id: str) -> Coding:
    code = store.codes.code(project.db, code_id)
    with project.action("apply-code", f"code passage with «{code.label}»", {"code": code.label}) as conn:
        coding_id, _new = place_coding(conn, project, doc_id, code_id, start, end)
    return store.codings.coding(project.db, coding_id)


def apply_new_code(
    project: Project, doc_id: str, start: int, end: int, label: str, *,
    description: str = "", colour: str | None = None, in_vivo: bool = False,
) -> Coding:
    """Create a code and code the passage with it: one action, one undo."""
    label = check_label(label)
    kind = "in-vivo-code" if in_vivo else "create-and-apply-code"
    with project.action(kind, f"new code «{label}» on a passage", {"code": label}) as conn:
        code_id = new_code(conn, project, label, description=description, colour=colour, in_vivo=in_vivo)
        coding_id, _new = place_coding(conn, project, doc_id, code_id, start, end)
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
        store.codings.delete(conn, coding_id)


def recode(project: Project, coding_id: str, new_code_id: str) -> Coding:
    c = store.codings.coding(project.db, coding_id)
    old, new = store.codes.code(project.db, c.code_id), store.codes.code(project.db, new_code_id)
    if old.id == new.id:
        return c
    with project.action("recode", f"recode passage «{old.label}» → «{new.label}»",
                        {"from": old.label, "to": new.label}) as conn:
        clash = store.codings.at_span(conn, c.document_id, new.id, c.start, c.end, c.coder) is not None
        if clash:
            store.codings.delete(conn, coding_id)
        else:
            store.codings.set_code(conn, coding_id, new.id)
    return store.codings.coding(project.db, coding_id) if not clash else c


def recode_to_new_code(project: Project, coding_id: str, label: str, *, description: str = "",
                       colour: str | None = None) -> Coding:
    """Move a coding to a new code: one action, one undo."""
    c = store.codings.coding(project.db, coding_id)
    old = store.codes.code(project.db, c.code_id)
    label = check_label(label)
    with project.action("recode", f"recode passage «{old.label}» → new code «{label}»",
                        {"from": old.label, "to": label}) as conn:
        code_id = new_code(conn, project, label, description=description, colour=colour)
        store.codings.set_code(conn, coding_id, code_id)
    return store.codings.coding(project.db, coding_id)


def resize_coding(project: Project, coding_id: str, start: int, end: int) -> Coding:
    c = store.codings.coding(project.db, coding_id)
    text = store.documents.document_text(project.db, c.document_id)
    start, end = trim_span(text, start, end)
    if not (0 <= start < end <= len(text)):
        raise UserError("a coding needs some text")
    before, after = context(text, start, end)
    with project.action("resize-coding", "change the extent of a coding") as conn:
        store.codings.update_span(conn, coding_id, start, end, text[start:end], before, after)
    return store.codings.coding(project.db, coding_id)


def code_quote(project: Project, doc_ref: str, quote: str, code_label: str, *, occurrence: int | None = None) -> Coding:
    """Find `quote` in a document (whitespace-insensitively) and code it; creates the code if new."""
    doc = resolve.document(project, doc_ref)
    text = store.documents.document_text(project.db, doc.id)
    places = find_quote(text, quote)
    if not places:
        raise NotFound(f"the quote was not found in {doc.title!r}")
    if len(places) > 1 and occurrence is None:
        raise UserError(
            f"the quote occurs {len(places)} times in {doc.title!r}; give --occurrence N (1-{len(places)})"
        )
    if occurrence is not None and not 1 <= occurrence <= len(places):
        raise UserError(f"--occurrence {occurrence}: the quote occurs {len(places)} "
                        f"time{'s' if len(places) != 1 else ''} in {doc.title!r}; give 1-{len(places)}")
    start, end = places[(occurrence or 1) - 1]
    try:  # whole names only: "use this code, or create it"
        code = resolve.code(project, check_label(code_label), prefix=False)
    except NotFound:
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
