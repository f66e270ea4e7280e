"""Reads for the front doors (the CLI now, the TUI later): counts, code statistics, names.

Plain queries over the store, nothing written. The integrator folds this module into
core.views (owned elsewhere while this wave lands).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core.resolve import theme_paths as _paths

if TYPE_CHECKING:
    from themecoder.core.project import Project
    from themecoder.model import CodeStats, Coding


def project_counts(project: Project) -> dict[str, int]:
    """Rows per table: documents, participants, sentences, codes, codings, themes, memos."""
    return store.project.counts(project.db)


def code_stats(project: Project) -> list[CodeStats]:
    """Every code with its codings, documents, participants and theme ids."""
    return store.codes.code_stats(project.db)


def code_label(project: Project, code_id: str) -> str:
    return store.codes.code(project.db, code_id).label


def codings_of_code(project: Project, code_id: str) -> list[Coding]:
    """A code's codings in document order."""
    return store.codings.codings_for_code(project.db, code_id)


def document_titles(project: Project) -> dict[str, str]:
    """Document id -> title."""
    return {d.id: d.title for d in store.documents.documents(project.db)}


def speaker_of_documents(project: Project) -> dict[str, str]:
    """Document id -> the participant's pseudonym, else the document title (for quote lists)."""
    pseudonyms = {p.id: p.pseudonym for p in store.participants.participants(project.db)}
    return {d.id: pseudonyms.get(d.participant_id or "", d.title) for d in store.documents.documents(project.db)}


def participant_pseudonyms(project: Project) -> list[str]:
    return sorted(p.pseudonym for p in store.participants.participants(project.db))


def theme_paths(project: Project) -> dict[str, str]:
    """Theme id -> "Theme › Subtheme"."""
    return _paths(store.themes.themes(project.db))
