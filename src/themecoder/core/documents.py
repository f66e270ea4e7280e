"""Documents and participants."""
from __future__ import annotations

from typing import TYPE_CHECKING

from themecoder.errors import Conflict, NotFound, UserError
from themecoder.core.indexing import analyse, write_index
from themecoder.model import Document, Participant
from themecoder.core.project import Project, new_id
from themecoder.core.turns import TurnSpan, informant_labels
from themecoder import store
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.io.readers import ParsedTranscript
    from themecoder.nlp import Pipeline

ATTRIBUTE_TYPES = {"text", "integer", "float", "date", "boolean"}


def duplicate_of(project: Project, sha256: str) -> Document | None:
    row = project.db.query_one("SELECT id FROM documents WHERE sha256 = ?", (sha256,))
    return None if row is None else store.documents.document(project.db, row[0])


def _unique_title(project: Project, title: str) -> str:
    existing = {d.title.casefold() for d in store.documents.documents(project.db)}
    if title.casefold() not in existing:
        return title
    n = 2
    while f"{title} ({n})".casefold() in existing:
        n += 1
    return f"{title} ({n})"


def add_transcript(
    project: Project,
    parsed: "ParsedTranscript",
    *,
    participant: str | None = None,
    title: str | None = None,
    pipeline: "Pipeline | None" = None,
) -> Document:
    """Add one transcript with its turns, participant and index: all in one action."""
    dup = duplicate_of(project, parsed.sha256)
    if dup is not None:
        raise Conflict(f"{parsed.source_name}: already imported as {dup.title!r} (same text)")
    turns: list[TurnSpan] = parsed.turns
    analysis = analyse(parsed.text, [(t.start, t.end) for t in turns], pipeline)
    pseudonym = participant
    if pseudonym is None:
        informants = informant_labels(turns)
        pseudonym = informants[0] if len(informants) == 1 else None
    doc_id = new_id()
    title = _unique_title(project, title or parsed.title)
    with project.action("import-document", f"import {parsed.source_name}",
                        {"document": title, "source": parsed.source_name}) as conn:
        participant_id = None
        if pseudonym:
            participant_id = _participant_id(conn, pseudonym)
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM documents").fetchone()[0]
        conn.execute(
            "INSERT INTO documents(id, title, source_name, text, sha256, participant_id, encoding, imported, position) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, title, parsed.source_name, parsed.text, parsed.sha256, participant_id,
             parsed.encoding, now(), position),
        )
        conn.executemany(
            "INSERT INTO turns(id, document_id, speaker, label_start, start, end, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((new_id(), doc_id, t.speaker, t.label_start, t.start, t.end, t.timestamp) for t in turns),
        )
        write_index(conn, doc_id, analysis)
    return store.documents.document(project.db, doc_id)


def _participant_id(conn, pseudonym: str) -> str:
    row = conn.execute("SELECT id FROM participants WHERE lower(pseudonym) = lower(?)", (pseudonym,)).fetchone()
    if row:
        return row[0]
    pid = new_id()
    conn.execute("INSERT INTO participants(id, pseudonym, created) VALUES (?, ?, ?)", (pid, pseudonym, now()))
    return pid


def create_participant(project: Project, pseudonym: str) -> Participant:
    pseudonym = pseudonym.strip()
    if not pseudonym:
        raise UserError("a participant needs a pseudonym")
    if store.participants.participant_by_pseudonym(project.db, pseudonym):
        raise Conflict(f"participant {pseudonym!r} exists already")
    with project.action("create-participant", f"add participant {pseudonym}") as conn:
        pid = _participant_id(conn, pseudonym)
    return store.participants.participant(project.db, pid)


def set_attribute(project: Project, pseudonym: str, name: str, value: str | None, type_: str = "text") -> None:
    p = store.participants.participant_by_pseudonym(project.db, pseudonym)
    if p is None:
        raise NotFound(f"no participant {pseudonym!r}")
    if type_ not in ATTRIBUTE_TYPES:
        raise UserError(f"attribute type must be one of {', '.join(sorted(ATTRIBUTE_TYPES))}")
    value = _check_value(value, type_, name)
    with project.action("set-attribute", f"{pseudonym}: {name} = {value}") as conn:
        row = conn.execute("SELECT id, type FROM attributes WHERE name = ?", (name,)).fetchone()
        if row is None:
            attr_id = new_id()
            conn.execute("INSERT INTO attributes(id, name, type) VALUES (?, ?, ?)", (attr_id, name, type_))
        else:
            attr_id = row[0]
            if row[1] != type_:
                value = _check_value(value, row[1], name)
        conn.execute(
            "INSERT INTO participant_attributes(participant_id, attribute_id, value) VALUES (?, ?, ?) "
            "ON CONFLICT(participant_id, attribute_id) DO UPDATE SET value = excluded.value",
            (p.id, attr_id, value),
        )


def _check_value(value, type_: str, name: str) -> str | None:
    if value is None or value == "":
        return None
    value = str(value)
    try:
        if type_ == "integer":
            return str(int(value))
        if type_ == "float":
            return str(float(value.replace(",", ".")))
        if type_ == "boolean":
            v = value.strip().casefold()
            if v in {"1", "true", "ja", "yes", "sann"}:
                return "true"
            if v in {"0", "false", "nei", "no", "usann"}:
                return "false"
            raise ValueError
        if type_ == "date":
            from datetime import date

            return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UserError(f"{name}: {value!r} is not a valid {type_}") from None
    return value


def set_document_participant(project: Project, doc_ref: str, pseudonym: str | None) -> None:
    doc = store.documents.find_document(project.db, doc_ref)
    with project.action("set-participant", f"{doc.title}: participant {pseudonym or '(none)'}") as conn:
        pid = _participant_id(conn, pseudonym) if pseudonym else None
        conn.execute("UPDATE documents SET participant_id = ? WHERE id = ?", (pid, doc.id))


def rename_document(project: Project, doc_ref: str, title: str) -> Document:
    doc = store.documents.find_document(project.db, doc_ref)
    title = title.strip()
    if not title:
        raise UserError("a document needs a title")
    with project.action("rename-document", f"rename document {doc.title} → {title}") as conn:
        clash = conn.execute("SELECT 1 FROM documents WHERE title = ? AND id != ?", (title, doc.id)).fetchone()
        if clash:
            raise Conflict(f"a document called {title!r} exists already")
        conn.execute("UPDATE documents SET title = ? WHERE id = ?", (title, doc.id))
    return store.documents.document(project.db, doc.id)


def delete_document(project: Project, doc_ref: str) -> None:
    doc = store.documents.find_document(project.db, doc_ref)
    n = project.db.scalar("SELECT count(*) FROM codings WHERE document_id = ?", (doc.id,))
    with project.action("delete-document", f"delete document {doc.title} ({n} codings)") as conn:
        conn.execute("DELETE FROM memos WHERE target_type = 'document' AND target_id = ?", (doc.id,))
        conn.execute(
            "DELETE FROM memos WHERE target_type = 'coding' AND target_id IN "
            "(SELECT id FROM codings WHERE document_id = ?)", (doc.id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
