"""Documents and participants: import a transcript, name and link them, typed attributes."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core import resolve
from themecoder.core.indexing import analyse, write_index_if_current
from themecoder.core.project import Project, new_id
from themecoder.core.text import strip_controls
from themecoder.core.turns import ParsedTranscript, informant_labels
from themecoder.errors import Conflict, NotFound, UserError
from themecoder.model import Document, Participant
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.nlp import Pipeline

ATTRIBUTE_TYPES = {"text", "integer", "float", "date", "boolean"}
_TRUE = {"1", "true", "ja", "yes", "sann"}
_FALSE = {"0", "false", "nei", "no", "usann"}


def duplicate_of(project: Project, sha256: str) -> Document | None:
    return store.documents.document_with_text(project.db, sha256)


def unique_title(project: Project, title: str) -> str:
    """`title`, or "title (2)", "title (3)" ... when a document has it already (ignoring case)."""
    title = strip_controls(title, keep_lines=False)  # a file name may hold ESC/OSC (issue 18.9)
    existing = {t.casefold() for t in store.documents.titles(project.db)}
    if title.casefold() not in existing:
        return title
    n = 2
    while f"{title} ({n})".casefold() in existing:
        n += 1
    return f"{title} ({n})"


def add_transcript(
    project: Project,
    parsed: ParsedTranscript,
    *,
    participant: str | None = None,
    title: str | None = None,
    pipeline: Pipeline | None = None,
    index: bool = True,
) -> Document:
    """Add one transcript with its turns and participant as one action, then its search index.

    The text is analysed before the action and the index written after it, in its own short
    transaction: the write lock is held only for the rows themselves, so other people's actions
    never wait for the language pipeline. With `index=False` the document is readable at once
    and its index is built later (core.indexing.ensure_index; the TUI does it in a worker).
    """
    dup = duplicate_of(project, parsed.sha256)
    if dup is not None:
        raise Conflict(f"{parsed.source_name}: already imported as {dup.title!r} (same text)")
    turns = parsed.turns
    analysis = analyse(parsed.text, [(t.start, t.end) for t in turns], pipeline) if index else None
    pseudonym = participant
    if pseudonym is None:
        informants = informant_labels(turns)
        pseudonym = informants[0] if len(informants) == 1 else None
    doc_id = new_id()
    title = unique_title(project, title or parsed.title)
    with project.action("import-document", f"import {parsed.source_name}",
                        {"document": title, "source": parsed.source_name}) as conn:
        participant_id = participant_id_for(conn, pseudonym) if pseudonym else None
        insert_transcript(conn, doc_id, parsed, title=title, participant_id=participant_id)
    if analysis is not None:
        write_index_if_current(project, doc_id, parsed.text, analysis)
    return store.documents.document(project.db, doc_id)


def insert_transcript(conn: sqlite3.Connection, doc_id: str, parsed: ParsedTranscript, *, title: str,
                      participant_id: str | None = None) -> None:
    """The rows of one transcript, its document and turns, at the end of the document list,
    inside the caller's action (an importer's). The index is built by the caller or later
    (core.indexing.ensure_index)."""
    store.documents.insert(
        conn, doc_id, title=title, source_name=parsed.source_name, text=parsed.text,
        sha256=parsed.sha256, participant_id=participant_id, encoding=parsed.encoding,
        imported=now(), position=store.documents.next_position(conn),
    )
    store.documents.insert_turns(
        conn, doc_id, ((new_id(), t.speaker, t.label_start, t.start, t.end, t.timestamp) for t in parsed.turns))


def participant_id_for(conn: sqlite3.Connection, pseudonym: str, *, id_if_new: str | None = None) -> str:
    """The participant with this pseudonym (ignoring case), created if new (with the id
    `id_if_new` when given: an importer keeps the file's), inside an action."""
    pseudonym = strip_controls(pseudonym, keep_lines=False)  # issue 18.9
    pid = store.participants.id_by_pseudonym(conn, pseudonym)
    if pid is None:
        pid = id_if_new or new_id()
        store.participants.insert(conn, pid, pseudonym, now())
    return pid


def create_participant(project: Project, pseudonym: str) -> Participant:
    pseudonym = strip_controls(pseudonym, keep_lines=False)
    if not pseudonym:
        raise UserError("a participant needs a pseudonym")
    if store.participants.participant_by_pseudonym(project.db, pseudonym):
        raise Conflict(f"participant {pseudonym!r} exists already")
    with project.action("create-participant", f"add participant {pseudonym}") as conn:
        pid = participant_id_for(conn, pseudonym)
    return store.participants.participant(project.db, pid)


def set_attribute(project: Project, pseudonym: str, name: str, value: str | None, type_: str = "text") -> None:
    p = store.participants.participant_by_pseudonym(project.db, pseudonym)
    if p is None:
        raise NotFound(f"no participant {pseudonym!r}")
    if type_ not in ATTRIBUTE_TYPES:
        raise UserError(f"attribute type must be one of {', '.join(sorted(ATTRIBUTE_TYPES))}")
    value = check_attribute_value(value, type_, name)
    with project.action("set-attribute", f"{pseudonym}: {name} = {value}") as conn:
        set_attribute_in(conn, p.id, name, value, type_)


def set_attribute_in(conn: sqlite3.Connection, participant_id: str, name: str, value: object,
                     type_: str = "text") -> str | None:
    """One participant's value of an attribute, inside an action: the value must fit `type_`
    and the type the attribute was first defined with. Returns the value as stored."""
    checked = check_attribute_value(value, type_, name)
    attr_id, stored_type = attribute_for(conn, name, type_)
    if stored_type != type_:
        checked = check_attribute_value(checked, stored_type, name)
    store.participants.set_value(conn, participant_id, attr_id, checked)
    return checked


def attribute_for(conn: sqlite3.Connection, name: str, type_: str) -> tuple[str, str]:
    """(id, type) of the attribute called `name`, defined with `type_` if new, inside an
    action. An attribute keeps the type it was first defined with."""
    defined = store.participants.attribute_definition(conn, name)
    if defined is not None:
        return defined
    attr_id = new_id()
    store.participants.insert_attribute(conn, attr_id, name, type_)
    return attr_id, type_


def check_attribute_value(value: object, type_: str, name: str) -> str | None:
    """The value as stored for an attribute of this type ("ja" -> "true", "3,5" -> "3.5")."""
    if value is None or value == "":
        return None
    text = str(value)
    try:
        if type_ == "integer":
            return str(int(text))
        if type_ == "float":
            return str(float(text.replace(",", ".")))
        if type_ == "boolean":
            v = text.strip().casefold()
            if v in _TRUE or v in _FALSE:
                return "true" if v in _TRUE else "false"
            raise ValueError
        if type_ == "date":
            return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserError(f"{name}: {text!r} is not a valid {type_}") from None
    return text


def assign_participant(project: Project, doc_ref: str, participant_ref: str | None = None, *,
                       new: str | None = None) -> Document:
    """Set a document's participant: an existing one (`participant_ref`, as core.resolve
    reads it: a typo gets a did-you-mean, never a new person), a new one (`new`, which must
    not exist yet), or none (neither given). One undoable action."""
    doc = resolve.document(project, doc_ref)
    if participant_ref is not None and new is not None:
        raise UserError("give an existing participant or --new NAME, not both")
    if new is not None:
        new = " ".join(new.split())
        if not new:
            raise UserError("a participant needs a pseudonym")
        if store.participants.participant_by_pseudonym(project.db, new):
            raise Conflict(f"participant {new!r} exists already; give it without --new")
        pseudonym: str | None = new
    elif participant_ref is not None:
        pseudonym = resolve.participant(project, participant_ref).pseudonym
    else:
        pseudonym = None
    current = store.participants.participant(project.db, doc.participant_id).pseudonym if doc.participant_id else None
    if current == pseudonym:
        raise UserError(f"{doc.title}: the participant is {pseudonym or '(none)'} already")
    with project.action("set-participant", f"{doc.title}: participant {current or '(none)'} → {pseudonym or '(none)'}",
                        {"document": doc.title, "participant": pseudonym}) as conn:
        pid = participant_id_for(conn, pseudonym) if pseudonym else None
        store.documents.set_participant(conn, doc.id, pid)
    return store.documents.document(project.db, doc.id)


@dataclass(frozen=True, slots=True)
class DocumentImpact:
    """What deleting a document takes with it (undo brings it all back)."""
    document: Document
    codings: int


def delete_impact(project: Project, doc_ref: str) -> DocumentImpact:
    doc = resolve.document(project, doc_ref)
    return DocumentImpact(doc, len(store.codings.codings_for_document(project.db, doc.id)))


def set_document_participant(project: Project, doc_ref: str, pseudonym: str | None) -> None:
    doc = resolve.document(project, doc_ref)
    with project.action("set-participant", f"{doc.title}: participant {pseudonym or '(none)'}") as conn:
        pid = participant_id_for(conn, pseudonym) if pseudonym else None
        store.documents.set_participant(conn, doc.id, pid)


def rename_document(project: Project, doc_ref: str, title: str) -> Document:
    doc = resolve.document(project, doc_ref)
    title = title.strip()
    if not title:
        raise UserError("a document needs a title")
    with project.action("rename-document", f"rename document {doc.title} → {title}") as conn:
        if store.documents.title_taken(conn, title, except_id=doc.id):
            raise Conflict(f"a document called {title!r} exists already")
        store.documents.set_title(conn, doc.id, title)
    return store.documents.document(project.db, doc.id)


def delete_document(project: Project, doc_ref: str) -> None:
    doc = resolve.document(project, doc_ref)
    n = len(store.codings.codings_for_document(project.db, doc.id))
    with project.action("delete-document", f"delete document {doc.title} ({n} codings)") as conn:
        # Memos point at their target by type and id, without a foreign key: they go first.
        store.memos.delete_for(conn, "document", doc.id)
        store.memos.delete_for_codings_of(conn, document_id=doc.id)
        store.documents.delete(conn, doc.id)
