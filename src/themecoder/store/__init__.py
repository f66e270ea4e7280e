"""The only place with SQL: schema, migrations, one module per table or concept, the action log.

Callers write ``store.codes.code(db, id)``; the submodules import nothing heavier than sqlite3.
Every submodule is imported here, so ``from themecoder import store`` reaches each of them.
"""
from themecoder.store import (
    actionlog,
    codes,
    codings,
    db,
    documents,
    exchange,
    index,
    integrity,
    memos,
    participants,
    project,
    reviews,
    schema,
    themes,
)

__all__ = ["actionlog", "codes", "codings", "db", "documents", "exchange", "index", "integrity", "memos",
           "participants", "project", "reviews", "schema", "themes"]
