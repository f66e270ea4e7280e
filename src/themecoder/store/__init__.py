"""The only place with SQL: schema, migrations, one module per table or concept, the action log.

Callers write ``store.codes.code(db, id)``; the submodules import nothing heavier than sqlite3.
"""
from themecoder.store import (
    codes,
    codings,
    documents,
    exchange,
    identifiers,
    index,
    integrity,
    memos,
    participants,
    project,
    reviews,
    survey,
    themes,
    views,
)

__all__ = ["codes", "codings", "documents", "exchange", "identifiers", "index", "integrity", "memos",
           "participants", "project", "reviews", "survey", "themes", "views"]
