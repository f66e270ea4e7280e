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
    identifiers,
    index,
    integrity,
    memos,
    participants,
    pg,
    pg_schema,
    pg_sql,
    pg_team,
    project,
    reviews,
    schema,
    survey,
    themes,
    transfer,
    views,
)

__all__ = ["actionlog", "codes", "codings", "db", "documents", "exchange", "identifiers", "index", "integrity",
           "memos", "participants", "project", "reviews", "schema", "survey", "themes", "views",
           "pg", "pg_schema", "pg_sql", "pg_team", "transfer"]
