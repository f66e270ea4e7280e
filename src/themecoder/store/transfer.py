"""Copy a whole project between two databases (a file and a server, either way).

Every data table, row for row and column for column: documents, codes, themes, codings, memos,
reviews, findings, the action log with its undo data and the review history, and the derived
index. Rows are read in the order they were stored, so that a copy lists ties as the original
does (byte-identical exports). Nothing is captured: the copy is not a user action.
"""
from __future__ import annotations

from typing import Any

from themecoder.store import schema


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_all(source: Any, target: Any, *, batch: int = 2000) -> dict[str, int]:
    """Copy every row of `source` into the empty, same-version `target`. Returns rows per table."""
    counts: dict[str, int] = {}
    with source._lock:
        src = source.conn
        tables = schema.data_tables(src)
        with target.transaction() as conn:
            # Parents and children arrive in any order: checked at commit.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            present = set(schema.data_tables(conn))
            for table in tables:
                if table not in present:
                    continue
                target_cols = set(schema.columns(conn, table))
                cols = [c for c in schema.columns(src, table) if c in target_cols]
                names = ", ".join(_quote(c) for c in cols)
                # Rows a migration put there (none today) give way to the source's.
                conn.execute(f"DELETE FROM {_quote(table)}")
                cur = src.cursor()
                rows = cur.execute(f"SELECT {names} FROM {_quote(table)} {schema.physical_order(src, table)}")
                insert = f"INSERT INTO {_quote(table)} ({names}) VALUES ({', '.join('?' for _ in cols)})"
                all_rows = [tuple(r) for r in rows.fetchall()]
                for i in range(0, len(all_rows), batch):
                    conn.executemany(insert, all_rows[i:i + batch])
                counts[table] = len(all_rows)
            schema.reset_sequences(conn)
    return counts
