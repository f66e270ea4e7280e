"""Reads the commands need that have no core function yet.

This is the only CLI module that touches themecoder.store; each function says where it
belongs, and the integrator moves it there (then the CLI imports core only).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.model import Coding, Document


# INTEGRATION: belongs in core.views
def project_counts(project: Project) -> dict[str, int]:
    """Rows per table: documents, participants, sentences, codes, codings, themes, memos."""
    from themecoder import store

    return store.project.counts(project.db)


# INTEGRATION: belongs in core.views
def code_stats(project: Project) -> list:
    """Every code with its codings, documents, participants and theme ids."""
    from themecoder import store

    return store.codes.code_stats(project.db)


# INTEGRATION: belongs in core.views
def code_label(project: Project, code_id: str) -> str:
    from themecoder import store

    return store.codes.code(project.db, code_id).label


# INTEGRATION: belongs in core.views
def codings_of_code(project: Project, code_id: str) -> list[Coding]:
    from themecoder import store

    return store.codings.codings_for_code(project.db, code_id)


# INTEGRATION: belongs in core.views
def document_titles(project: Project) -> dict[str, str]:
    """Document id -> title."""
    from themecoder import store

    return {d.id: d.title for d in store.documents.documents(project.db)}


# INTEGRATION: belongs in core.views
def speaker_of_documents(project: Project) -> dict[str, str]:
    """Document id -> the participant's pseudonym, else the document title (for quote lists)."""
    from themecoder import store

    docs: list[Document] = store.documents.documents(project.db)
    who = {d.id: d.title for d in docs}
    for p in store.participants.participants(project.db):
        for d in docs:
            if d.participant_id == p.id:
                who[d.id] = p.pseudonym
    return who


# INTEGRATION: belongs in core.views
def participant_pseudonyms(project: Project) -> list[str]:
    from themecoder import store

    return sorted(p.pseudonym for p in store.participants.participants(project.db))


# INTEGRATION: belongs in core.project (a purge_undo operation beside undo/redo)
def purge_undo(project: Project) -> int:
    """Forget the undo data of every action; the action log stays. Returns the number of actions."""
    from themecoder.store.actionlog import purge_undo_data

    return purge_undo_data(project.db)


# INTEGRATION: belongs in core.anonymise (its SQL in store, e.g. store.anonymisation.replacements)
def anonymisation_replacements(project: Project) -> list[dict]:
    """The replacements applied, oldest first (the originals are only in the key)."""
    return [dict(r) for r in project.db.query(
        "SELECT d.title AS document, r.kind, r.mode, r.replacement, r.occurrences, r.created "
        "FROM anon_replacements r JOIN documents d ON d.id = r.document_id ORDER BY r.created")]



# INTEGRATION: belongs in core.views (core.resolve.theme_paths over the project's themes)
def theme_paths(project: Project) -> dict[str, str]:
    """Theme id -> "Theme › Subtheme"."""
    from themecoder import store
    from themecoder.core.resolve import theme_paths as paths

    return paths(store.themes.themes(project.db))
