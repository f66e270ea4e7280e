"""The one read the commands need that has no core function yet.

This is the only CLI module that touches the project's data directly; the integrator moves
what is left here into its core home (then the CLI imports core only). The reads that were
here live in core.project_views, purge-undo is Project.purge_undo.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themecoder.core.project import Project


# INTEGRATION: belongs in core.anonymise (its SQL in store, e.g. store.anonymisation.replacements)
def anonymisation_replacements(project: Project) -> list[dict]:
    """The replacements applied, oldest first (the originals are only in the key)."""
    return [dict(r) for r in project.db.query(
        "SELECT d.title AS document, r.kind, r.mode, r.replacement, r.occurrences, r.created "
        "FROM anon_replacements r JOIN documents d ON d.id = r.document_id ORDER BY r.created")]
