"""The only place with SQL: schema, migrations, one module per table or concept, the action log.

Callers write ``store.codes.code(db, id)``; the submodules import nothing heavier than sqlite3.
"""
from themecoder.store import (
    codes,
    codings,
    documents,
    identifiers,
    memos,
    participants,
    project,
    settings,
    survey,
    themes,
)

__all__ = ["codes", "codings", "documents", "identifiers", "memos", "participants", "project", "settings", "survey", "themes"]
