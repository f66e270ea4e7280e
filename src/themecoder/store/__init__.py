"""The only place with SQL: schema, migrations, one module per table or concept, the action log.

Callers write ``store.codes.code(db, id)``; the submodules import nothing heavier than sqlite3.
Every submodule is reachable as ``store.<name>``. Those of the PostgreSQL backend (and psycopg
behind them) load on first use, so that opening a project file does not pay for them.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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
    project,
    reviews,
    schema,
    survey,
    themes,
    views,
)

if TYPE_CHECKING:
    from themecoder.store import pg, pg_schema, pg_sql, pg_team, transfer

_ON_FIRST_USE = frozenset({"pg", "pg_schema", "pg_sql", "pg_team", "transfer"})


def __getattr__(name: str):
    if name in _ON_FIRST_USE:
        return importlib.import_module(f"themecoder.store.{name}")
    raise AttributeError(f"module 'themecoder.store' has no attribute {name!r}")

__all__ = ["actionlog", "codes", "codings", "db", "documents", "exchange", "identifiers", "index", "integrity",
           "memos", "participants", "project", "reviews", "schema", "survey", "themes", "views",
           "pg", "pg_schema", "pg_sql", "pg_team", "transfer"]
