"""The schema on PostgreSQL: the same MIGRATIONS as a file, and the capture in PL/pgSQL.

A project is one schema. Its version is the schema's comment (`themecoder schema 5`), the
counterpart of `PRAGMA user_version`. Migrations are the very functions of store.schema,
run through PgConnection (which rewrites their SQLite DDL, see store.pg_sql). Afterwards the
capture and review-history triggers are regenerated from the live schema, as on a file.

Capture is done by triggers, as on a file, and not in the store layer: a trigger covers every
writer (several store modules write the same tables, other helpers add writers), the rows in
`changes` are the same JSON on both backends (so push/pull copies the log verbatim and undo
replays it with the same code), and a role that may not write `changes` still has its own
actions captured (the functions are SECURITY DEFINER). The action in flight is a
transaction-local setting (`themecoder.action`), not a shared row: concurrent sessions never
see each other's; `capture` is a view over it so the store's reads of it are unchanged.
"""
from __future__ import annotations

from typing import Any

from themecoder.errors import UserError

COMMENT_PREFIX = "themecoder schema "
ACTION_SETTING = "nullif(current_setting('themecoder.action', true), '')::bigint"


def channel(project: str) -> str:
    return f"themecoder_{project}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def version(conn: Any) -> int:
    row = conn.raw.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
        (conn.schema_name,)).fetchone()
    comment = (row[0] if row else None) or ""
    return int(comment[len(COMMENT_PREFIX):]) if comment.startswith(COMMENT_PREFIX) else 0


def migrate(conn: Any, *, create: bool) -> tuple[int, int]:
    """Create (in one transaction with its tables) or upgrade the project's schema."""
    import psycopg

    from themecoder.store import schema

    raw = conn.raw
    target = schema.current_version()
    if create:
        conn.execute("BEGIN IMMEDIATE")
        try:
            raw.execute(f"CREATE SCHEMA {_q(conn.schema_name)}")
            raw.execute(f"SET search_path TO {_q(conn.schema_name)}")
            _upgrade(conn, 0, target)
            conn.execute("COMMIT")
        except psycopg.errors.DuplicateSchema:
            conn.execute("ROLLBACK")
            raise UserError(f"project {conn.schema_name!r} already exists on the server") from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return 0, target
    raw.execute(f"SET search_path TO {_q(conn.schema_name)}")
    start = version(conn)
    if start > target:
        raise UserError(f"this project was written by a newer themecoder (schema {start}, this version "
                        f"reads up to {target}); upgrade themecoder")
    if start == target:
        return start, target
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version(conn) == start:  # nobody migrated it while we waited for the lock
            _upgrade(conn, start, target)
            from themecoder.store import pg_team

            pg_team.regrant_after_migration(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return start, target


def _upgrade(conn: Any, start: int, target: int) -> None:
    from themecoder.store import schema

    for v in range(start, target):
        schema.MIGRATIONS[v](conn)
    install_triggers(conn)
    conn.raw.execute(f"COMMENT ON SCHEMA {_q(conn.schema_name)} IS '{COMMENT_PREFIX}{target}'")


# -- the live schema -------------------------------------------------------------------------
def tables(conn: Any) -> list[str]:
    rows = conn.raw.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
        (conn.schema_name,)).fetchall()
    return sorted(r[0] for r in rows)


def columns(conn: Any, table: str) -> list[str]:
    return [r[0] for r in conn.raw.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
        "ORDER BY ordinal_position", (conn.schema_name, table)).fetchall()]


def primary_key(conn: Any, table: str) -> list[str]:
    return [r[0] for r in conn.raw.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)",
        (f"{_q(conn.schema_name)}.{_q(table)}",)).fetchall()]


def reset_sequences(conn: Any) -> None:
    for table, column in conn.raw.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
            "AND is_identity = 'YES'", (conn.schema_name,)).fetchall():
        qualified = f"{_q(conn.schema_name)}.{_q(table)}"
        conn.raw.execute(f"SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({_q(column)}), 0) + 1, false) "
                         f"FROM {qualified}", (qualified, column))


# -- triggers --------------------------------------------------------------------------------
def install_triggers(conn: Any) -> None:
    """The capture view, the capture and history trigger functions, a trigger per table."""
    from themecoder.store import schema

    raw = conn.raw
    s = _q(conn.schema_name)
    kind = raw.execute(
        "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = 'capture'", (conn.schema_name,)).fetchone()
    if kind and kind[0] == "r":
        raw.execute(f"DROP TABLE {s}.capture")
    raw.execute(f"CREATE OR REPLACE VIEW {s}.capture AS SELECT 1 AS one, {ACTION_SETTING} AS action_id")
    raw.execute(f"""
        CREATE OR REPLACE FUNCTION {s}.capture_row() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = {s} AS $$
        DECLARE a bigint := {ACTION_SETTING};
        BEGIN
            IF a IS NULL THEN RETURN NULL; END IF;
            IF TG_OP = 'INSERT' THEN
                INSERT INTO changes(action_id, tbl, op, old, new) VALUES (a, TG_TABLE_NAME, 'I', NULL, row_to_json(NEW)::text);
            ELSIF TG_OP = 'UPDATE' THEN
                INSERT INTO changes(action_id, tbl, op, old, new)
                VALUES (a, TG_TABLE_NAME, 'U', row_to_json(OLD)::text, row_to_json(NEW)::text);
            ELSE
                INSERT INTO changes(action_id, tbl, op, old, new) VALUES (a, TG_TABLE_NAME, 'D', row_to_json(OLD)::text, NULL);
            END IF;
            RETURN NULL;
        END $$""")
    for (name, table) in raw.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal "
            "AND (t.tgname LIKE 'capture\\_%%' OR t.tgname LIKE 'history\\_%%')", (conn.schema_name,)).fetchall():
        raw.execute(f"DROP TRIGGER {_q(name)} ON {s}.{_q(table)}")
    for table in schema.captured_tables(conn):
        raw.execute(f"CREATE TRIGGER {_q('capture_' + table)} AFTER INSERT OR UPDATE OR DELETE ON {s}.{_q(table)} "
                    f"FOR EACH ROW EXECUTE FUNCTION {s}.capture_row()")
    if "review_history" not in tables(conn):
        return
    for table in schema.HISTORY_COLUMNS:
        for op in "iud":
            fn = _q(f"history_{table}_{op}")
            raw.execute(f"""
                CREATE OR REPLACE FUNCTION {s}.{fn}() RETURNS trigger LANGUAGE plpgsql
                SECURITY DEFINER SET search_path = {s} AS $$
                BEGIN
                    IF {_history_condition(conn, table, op)} THEN
                        {_history_insert(conn, table, op)};
                    END IF;
                    RETURN NULL;
                END $$""")
            event = schema._EVENTS[op]
            raw.execute(f"CREATE TRIGGER {fn} AFTER {event} ON {s}.{_q(table)} FOR EACH ROW EXECUTE FUNCTION {s}.{fn}()")


def _history_condition(conn: Any, table: str, op: str) -> str:
    from themecoder.store import schema

    cond = f"{ACTION_SETTING} IS NOT NULL"
    watched = schema.HISTORY_UPDATES[table]
    if op == "u" and watched:
        cond += " AND (" + " OR ".join(f'OLD."{c}" IS DISTINCT FROM NEW."{c}"' for c in watched) + ")"
    return cond


def _history_insert(conn: Any, table: str, op: str) -> str:
    from themecoder.store import schema

    row_id, code_id, theme_id, parent, name = schema.HISTORY_COLUMNS[table]
    old = None if op == "i" else "OLD"
    new = None if op == "d" else "NEW"
    either = new or old

    def col(prefix: str | None, c: str | None) -> str:
        return "NULL" if prefix is None or c is None else f'{prefix}."{c}"'

    fields = "''"
    if op == "u":
        fields = "rtrim(" + " || ".join(f"""CASE WHEN OLD."{c}" IS DISTINCT FROM NEW."{c}" THEN '{c},' ELSE '' END"""
                                        for c in columns(conn, table)) + ", ',')"
    return ("INSERT INTO review_history(action_id, tbl, op, row_id, code_id, theme_id, old_parent, new_parent, "
            f"old_name, new_name, fields) VALUES ({ACTION_SETTING}, '{table}', '{op.upper()}', "
            f"{col(either, row_id)}, {col(either, code_id)}, {col(either, theme_id)}, "
            f"{col(old, parent)}, {col(new, parent)}, {col(old, name)}, {col(new, name)}, {fields})")
