"""SQLite schema and migrations.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[i]`` upgrades a file from
version ``i`` to ``i + 1``; version 1 is the initial schema. Never edit a released migration:
append a new one.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

SCHEMA_V1 = """
CREATE TABLE project (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE coders (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    role    TEXT NOT NULL DEFAULT 'coder',
    created TEXT NOT NULL
);

CREATE TABLE participants (
    id        TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL UNIQUE,
    created   TEXT NOT NULL
);

-- Typed attributes (education, interview date, duration ...), one definition per name.
CREATE TABLE attributes (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL CHECK (type IN ('text', 'integer', 'float', 'date', 'boolean'))
);

CREATE TABLE participant_attributes (
    participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    attribute_id   TEXT NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
    value          TEXT,
    PRIMARY KEY (participant_id, attribute_id)
);

CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL UNIQUE,
    source_name    TEXT NOT NULL,
    text           TEXT NOT NULL,
    sha256         TEXT NOT NULL UNIQUE,
    participant_id TEXT REFERENCES participants(id) ON DELETE SET NULL,
    encoding       TEXT,
    imported       TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0
);

-- Speaker turns: [start, end) is the spoken text after the label; label_start marks the
-- label ("[00:12:31] Britt:") so that it is never coded or flagged by accident.
CREATE TABLE turns (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker     TEXT NOT NULL,
    label_start INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    timestamp   REAL,
    CHECK (label_start <= start AND start <= end)
);
CREATE INDEX turns_document ON turns(document_id, start);

-- Derived from the text by the NLP pipeline; rebuilt whenever the text changes, so it is
-- not captured in the action log.
CREATE TABLE sentences (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    PRIMARY KEY (document_id, start)
) WITHOUT ROWID;

CREATE TABLE tokens (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    lemma       TEXT NOT NULL,
    form        TEXT NOT NULL,
    PRIMARY KEY (document_id, start)
) WITHOUT ROWID;
CREATE INDEX tokens_lemma ON tokens(lemma);
CREATE INDEX tokens_form ON tokens(form);

CREATE TABLE codes (
    id          TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    colour      TEXT NOT NULL DEFAULT '#808080',
    in_vivo     INTEGER NOT NULL DEFAULT 0,
    author      TEXT,
    created     TEXT NOT NULL
);
CREATE UNIQUE INDEX codes_label ON codes(label);

CREATE TABLE codings (
    id             TEXT PRIMARY KEY,
    document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id        TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    quote          TEXT NOT NULL,
    context_before TEXT NOT NULL DEFAULT '',
    context_after  TEXT NOT NULL DEFAULT '',
    coder          TEXT,
    created        TEXT NOT NULL,
    CHECK (0 <= start AND start < end),
    UNIQUE (document_id, code_id, start, end)
);
CREATE INDEX codings_document ON codings(document_id, start);
CREATE INDEX codings_code ON codings(code_id);

CREATE TABLE themes (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT REFERENCES themes(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    analytic_text TEXT NOT NULL DEFAULT '',
    condensate    TEXT NOT NULL DEFAULT '',
    key_coding_id TEXT REFERENCES codings(id) ON DELETE SET NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    created       TEXT NOT NULL
);
CREATE INDEX themes_parent ON themes(parent_id, position);

CREATE TABLE code_themes (
    code_id  TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    theme_id TEXT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    created  TEXT NOT NULL,
    PRIMARY KEY (code_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX code_themes_theme ON code_themes(theme_id, position);

CREATE TABLE memos (
    id          TEXT PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('project', 'document', 'code', 'theme', 'coding')),
    target_id   TEXT,
    title       TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    author      TEXT,
    created     TEXT NOT NULL,
    modified    TEXT NOT NULL
);
CREATE INDEX memos_target ON memos(target_type, target_id);

-- The action log: one row per user action. Row changes are captured by triggers into
-- `changes` while `capture.action_id` is set (inside the action's transaction).
CREATE TABLE actions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    time     TEXT NOT NULL,
    coder    TEXT,
    kind     TEXT NOT NULL,
    summary  TEXT NOT NULL,
    details  TEXT NOT NULL DEFAULT '{}',
    undone   INTEGER NOT NULL DEFAULT 0,
    reverts  INTEGER
);

CREATE TABLE changes (
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl       TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('I', 'U', 'D')),
    old       TEXT,
    new       TEXT
);
CREATE INDEX changes_action ON changes(action_id, seq);

CREATE TABLE capture (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    action_id INTEGER
);
INSERT INTO capture VALUES (1, NULL);
"""

# Tables whose rows are not captured: derived data and the log itself. `review_history` is
# history: undoing an action must not erase it (an undone action is marked in `actions`).
UNCAPTURED = {"sentences", "tokens", "text_index", "index_terms", "actions", "changes", "capture",
              "review_history"}


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would commit the open transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement[:60]!r}")


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_V1)


# Reserved slots, one per area, so that work in parallel does not fight over numbers. Each
# area fills in its own SQL; an empty script is a no-op migration.
SCHEMA_V2_REVIEW = """
-- Supervisor review. A review item is a theme or a code-to-theme mapping with a status; it
-- keeps the labels it had when reviewed and has no foreign keys on purpose, so that a review
-- of a theme or mapping that is later deleted stays visible as an orphan instead of vanishing.
CREATE TABLE review_items (
    id          TEXT PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('theme', 'mapping')),
    theme_id    TEXT NOT NULL,
    code_id     TEXT NOT NULL DEFAULT '',
    theme_name  TEXT NOT NULL DEFAULT '',
    code_label  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'needs-revision')),
    status_by   TEXT,
    status_set  TEXT,
    created     TEXT NOT NULL,
    UNIQUE (target_type, theme_id, code_id)
);
CREATE INDEX review_items_code ON review_items(code_id);

-- Comment threads: a root comment on an item, replies point to the root. Ids are UUIDs that
-- travel through review export/import, which is what makes a second import a no-op.
CREATE TABLE review_comments (
    id          TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
    parent_id   TEXT REFERENCES review_comments(id) ON DELETE CASCADE,
    author      TEXT NOT NULL,
    text        TEXT NOT NULL,
    created     TEXT NOT NULL,
    resolved    TEXT,
    resolved_by TEXT
);
CREATE INDEX review_comments_item ON review_comments(item_id, created);

-- Reviews merged in from a copy of the project (themecoder review import).
CREATE TABLE review_imports (
    id             TEXT PRIMARY KEY,
    reviewer       TEXT,
    exported       TEXT,
    base_action_id INTEGER,
    source         TEXT NOT NULL DEFAULT '',
    imported       TEXT NOT NULL
);

-- A merged code's id points to the code it was merged into, so that reviews of the old
-- code (made on a copy) can follow it.
CREATE TABLE code_aliases (
    old_id    TEXT PRIMARY KEY,
    new_id    TEXT NOT NULL,
    old_label TEXT NOT NULL,
    created   TEXT NOT NULL
);
"""

SCHEMA_V3_MIXED_METHODS = """
-- Quantitative findings (one statistical result each: core.quant.SurveyFinding). Every field
-- of SurveyFinding has a column; lists and mappings are JSON text. `position` gives the stable
-- number users see (F1, F2 ...); it is never reused within a project.
CREATE TABLE findings (
    id                 TEXT PRIMARY KEY,
    position           INTEGER NOT NULL,
    instrument         TEXT NOT NULL DEFAULT '',
    scale              TEXT NOT NULL DEFAULT '',
    comparison         TEXT NOT NULL DEFAULT '',
    variables_json     TEXT NOT NULL DEFAULT '[]',
    groups_json        TEXT NOT NULL DEFAULT '[]',
    test               TEXT NOT NULL,
    statistic          REAL,
    statistic_reported TEXT,
    df                 REAL,
    p                  REAL,
    p_reported         TEXT,
    effect_size        REAL,
    effect_label       TEXT,
    n                  INTEGER,
    statement          TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT 'reported' CHECK (source IN ('reported', 'computed')),
    details_json       TEXT NOT NULL DEFAULT '{}',
    created            TEXT NOT NULL,
    modified           TEXT NOT NULL,
    UNIQUE (position)
);

-- A theme (or subtheme) linked to a finding: the integration outcome (Fetters, Curry &
-- Creswell 2013) and the meta-inference drawn from the two together.
CREATE TABLE finding_links (
    id             TEXT PRIMARY KEY,
    theme_id       TEXT NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    finding_id     TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    outcome        TEXT NOT NULL CHECK (outcome IN ('confirmation', 'expansion', 'discordance')),
    meta_inference TEXT NOT NULL DEFAULT '',
    created        TEXT NOT NULL,
    modified       TEXT NOT NULL,
    UNIQUE (theme_id, finding_id)
);
CREATE INDEX finding_links_finding ON finding_links(finding_id);
"""

SCHEMA_V4_ANONYMISATION = """
-- Anonymisation guard (core.anonymise). Suspected identifiers found by the check: derived
-- from the text, written outside user actions and recomputed whenever the document's text
-- (or the known-names list) no longer matches `anon_checks`.
CREATE TABLE anon_findings (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    confidence  REAL NOT NULL DEFAULT 0,
    source      TEXT NOT NULL DEFAULT '',
    CHECK (0 <= start AND start < end)
);
CREATE INDEX anon_findings_document ON anon_findings(document_id, start);

-- One row per checked document: what the findings were computed from.
CREATE TABLE anon_checks (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text_sha256 TEXT NOT NULL,
    rules       TEXT NOT NULL,
    pipeline    TEXT NOT NULL DEFAULT '',
    checked     TEXT NOT NULL
);

-- Texts the analyst marked as not identifying: never reported again, project-wide,
-- case-insensitively (text_key is the case- and whitespace-folded text).
CREATE TABLE anon_ignored (
    text_key TEXT PRIMARY KEY,
    text     TEXT NOT NULL,
    kind     TEXT NOT NULL DEFAULT '',
    coder    TEXT,
    created  TEXT NOT NULL
);

-- The project's own list of names (and other identifiers) to find in every document.
CREATE TABLE anon_known_names (
    name_key TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL DEFAULT 'person',
    gender   TEXT CHECK (gender IS NULL OR gender IN ('f', 'm')),
    coder    TEXT,
    created  TEXT NOT NULL
);

-- Replacements applied to the text. Only what was put IN (a pseudonym or a [category]) is
-- kept here, never the original: the link original -> pseudonym lives in the key file the
-- user chose, outside the project (key_entry is the entry's id in that file). `spans` are
-- where the replacement stands now, so that the check never flags its own pseudonyms.
CREATE TABLE anon_replacements (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('pseudonym', 'category')),
    replacement TEXT NOT NULL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    spans       TEXT NOT NULL DEFAULT '[]',  -- JSON [[start, end], ...], kept re-anchored
    key_entry   TEXT,
    coder       TEXT,
    created     TEXT NOT NULL
);
CREATE INDEX anon_replacements_document ON anon_replacements(document_id);
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def migration(conn: sqlite3.Connection) -> None:
        run_script(conn, sql)

    return migration


SCHEMA_V5_REVIEW_HISTORY = """
-- What the supervisor sees as "changed since the review": one row per change of a code,
-- theme, code-to-theme mapping or coding made by a user action. Unlike `changes` (the undo
-- data, which purge-undo deletes) it survives purge-undo, so it holds no quote, context or
-- document text (what pseudonymisation rewrites): only ids, the column names an update
-- changed, and the names of codes and themes as they were, which pseudonymisation never
-- rewrites and the action summaries (kept by purge) hold anyway. Filled by triggers, not by
-- store functions: codes, themes and codings have writers in several modules, and a trigger
-- covers every one of them, as the undo capture does. Not captured for undo (UNCAPTURED):
-- an undone action keeps its rows and is left out through actions.undone.
CREATE TABLE review_history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id  INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    tbl        TEXT NOT NULL CHECK (tbl IN ('codes', 'themes', 'code_themes', 'codings')),
    op         TEXT NOT NULL CHECK (op IN ('I', 'U', 'D')),
    row_id     TEXT,
    code_id    TEXT,
    theme_id   TEXT,
    old_parent TEXT,
    new_parent TEXT,
    old_name   TEXT,
    new_name   TEXT,
    fields     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_history_action ON review_history(action_id, seq);
"""

# Per tracked table: the columns that go into review_history as (row_id, code_id, theme_id,
# parent, name); None where the table has no such column.
HISTORY_COLUMNS: dict[str, tuple[str | None, str | None, str | None, str | None, str | None]] = {
    "codes": ("id", "id", None, None, "label"),
    "themes": ("id", None, "id", "parent_id", "name"),
    "code_themes": (None, "code_id", "theme_id", None, None),
    "codings": ("id", "code_id", None, None, None),
}
# An update is history only if one of these columns changed (None: any column). Re-anchored
# offsets and rewritten quotes of codings (anonymisation touches many) and the order of codes
# in a theme are not what a supervisor reviews.
HISTORY_UPDATES: dict[str, tuple[str, ...] | None] = {
    "codes": None,
    "themes": None,
    "code_themes": ("code_id", "theme_id"),
    "codings": ("code_id", "document_id"),
}


def _history_values(table: str, old: dict | None, new: dict | None, fields: str) -> tuple:
    row_id, code_id, theme_id, parent, name = HISTORY_COLUMNS[table]
    either = new or old or {}

    def get(row: dict | None, col: str | None) -> object:
        return None if row is None or col is None else row.get(col)

    return (get(either, row_id), get(either, code_id), get(either, theme_id), get(old, parent),
            get(new, parent), get(old, name), get(new, name), fields)


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """The review history, backfilled from the undo data that is still there (actions whose
    undo data was purged before this version show no changes, as they did before)."""
    run_script(conn, SCHEMA_V5_REVIEW_HISTORY)
    marks = ", ".join("?" for _ in HISTORY_COLUMNS)
    rows = conn.execute(f"SELECT action_id, tbl, op, old, new FROM changes WHERE tbl IN ({marks}) ORDER BY seq",
                        tuple(HISTORY_COLUMNS)).fetchall()
    for action_id, table, op, old_text, new_text in rows:
        old = json.loads(old_text) if old_text else None
        new = json.loads(new_text) if new_text else None
        fields = ""
        if op == "U" and old is not None and new is not None:
            fields = ",".join(c for c in new if old.get(c) != new[c])
            if not set(fields.split(",")) & set(HISTORY_UPDATES[table] or new):
                continue
        conn.execute(
            "INSERT INTO review_history(action_id, tbl, op, row_id, code_id, theme_id, old_parent, new_parent, "
            "old_name, new_name, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (action_id, table, op, *_history_values(table, old, new, fields)))


def _migration_h18(conn: sqlite3.Connection) -> None:
    """Issue 18.9: control characters out of the labels and texts written before every door
    stripped them (an ESC in a label reached the terminal and broke Word exports). One-line
    fields get a space for each run of them; texts keep tab and line feed. A cleaned value that
    would collide with another row's unique value gets " (2)", " (3)" ... Runs outside any user
    action, so neither the undo capture nor the review history records it."""
    import re

    bad = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    fields = {  # table: (one-line columns, text columns)
        "codes": (("label",), ("description",)),
        "themes": (("name",), ("description", "analytic_text", "condensate")),
        "memos": (("title",), ("text",)),
        "review_comments": (("author",), ("text",)),
        "review_items": (("theme_name", "code_label"), ()),
        "documents": (("title",), ()),
        "participants": (("pseudonym",), ()),
    }
    for table, (one_line, texts) in fields.items():
        present = set(columns(conn, table))
        for column in (c for c in (*one_line, *texts) if c in present):
            rows = conn.execute(f'SELECT id, "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL').fetchall()
            for row_id, value in rows:
                if not isinstance(value, str) or not bad.search(value):
                    continue
                if column in one_line:
                    clean = " ".join(bad.sub(" ", value).split())
                else:
                    clean = bad.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
                for n in range(1, 1000):
                    candidate = clean if n == 1 else f"{clean} ({n})"
                    conn.execute("SAVEPOINT h18_clean")
                    try:
                        conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', (candidate, row_id))
                    except Exception as exc:  # noqa: BLE001 -- a unique value taken: the next suffix
                        from themecoder.store.db import is_integrity_error

                        if not is_integrity_error(exc):
                            raise
                        conn.execute("ROLLBACK TO h18_clean")
                        conn.execute("RELEASE h18_clean")
                        continue
                    conn.execute("RELEASE h18_clean")
                    break


def _migration_h12(conn: sqlite3.Connection) -> None:
    """Intercoder agreement (issue 12): two coders may code the same passage with the same
    code, so a coding is unique per coder. SQLite cannot change a table constraint in place:
    the table is rebuilt, its rows and indexes kept. `migrate` runs with foreign keys off, so
    dropping the old table fires no ON DELETE action elsewhere; the themes' key quotes are put
    back all the same, for a caller that runs this with them on."""
    if _is_pg(conn):  # PostgreSQL changes a constraint in place (no rebuild, no FK juggling)
        qualified = f'"{conn.schema_name}".codings'  # type: ignore[attr-defined]
        for (name,) in conn.raw.execute(  # type: ignore[attr-defined]
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
                (qualified,)).fetchall():
            conn.raw.execute(f'ALTER TABLE {qualified} DROP CONSTRAINT "{name}"')  # type: ignore[attr-defined]
        conn.raw.execute(f'ALTER TABLE {qualified} ADD UNIQUE (document_id, code_id, start, "end", coder)')  # type: ignore[attr-defined]
        conn.execute("CREATE INDEX codings_coder ON codings(coder)")
        return
    keys = conn.execute("SELECT id, key_coding_id FROM themes WHERE key_coding_id IS NOT NULL").fetchall()
    run_script(conn, """
CREATE TABLE codings_h12 (
    id             TEXT PRIMARY KEY,
    document_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    code_id        TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    quote          TEXT NOT NULL,
    context_before TEXT NOT NULL DEFAULT '',
    context_after  TEXT NOT NULL DEFAULT '',
    coder          TEXT,
    created        TEXT NOT NULL,
    CHECK (0 <= start AND start < end),
    UNIQUE (document_id, code_id, start, end, coder)
);
INSERT INTO codings_h12(id, document_id, code_id, start, end, quote, context_before, context_after, coder, created)
    SELECT id, document_id, code_id, start, end, quote, context_before, context_after, coder, created FROM codings;
DROP TABLE codings;
ALTER TABLE codings_h12 RENAME TO codings;
CREATE INDEX codings_document ON codings(document_id, start);
CREATE INDEX codings_code ON codings(code_id);
CREATE INDEX codings_coder ON codings(coder);
""")
    conn.executemany("UPDATE themes SET key_coding_id = ? WHERE id = ?", [(k, t) for t, k in keys])


# The text index stored compactly (store/index.py says why): one row per document and one per
# distinct lemma or form, instead of a row per token. The old rows are derived data: they are
# dropped, and every document is indexed again on first use.
SCHEMA_COMPACT_INDEX = """
DROP TABLE IF EXISTS tokens;
DROP TABLE IF EXISTS sentences;
CREATE TABLE text_index (
    document_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    generation     INTEGER NOT NULL,
    words          INTEGER,
    sentence_count INTEGER NOT NULL,
    sentences      BLOB NOT NULL,
    starts         BLOB NOT NULL,
    ends           BLOB NOT NULL,
    lemmas         TEXT NOT NULL,
    forms          TEXT NOT NULL
);
CREATE TABLE index_terms (
    kind        INTEGER NOT NULL,
    term        TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    spans       BLOB NOT NULL,
    PRIMARY KEY (kind, term, document_id)
) WITHOUT ROWID;
CREATE INDEX index_terms_document ON index_terms(document_id);
"""


def _migration_h19(conn: sqlite3.Connection) -> None:
    run_script(conn, SCHEMA_COMPACT_INDEX)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v0_to_v1,
    _script(SCHEMA_V2_REVIEW),
    _script(SCHEMA_V3_MIXED_METHODS),
    _script(SCHEMA_V4_ANONYMISATION),
    _v4_to_v5,
    _migration_h18,
    _migration_h12,
    _migration_h19,
]


def current_version() -> int:
    return len(MIGRATIONS)


def _is_pg(conn: object) -> bool:
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def captured_tables(conn: sqlite3.Connection) -> list[str]:
    if _is_pg(conn):
        from themecoder.store import pg_schema

        return [t for t in pg_schema.tables(conn) if t not in UNCAPTURED]
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return sorted(r[0] for r in rows if r[0] not in UNCAPTURED)


def data_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table that holds project data (the engine's own and `capture` left out)."""
    if _is_pg(conn):
        from themecoder.store import pg_schema

        return [t for t in pg_schema.tables(conn) if t != "capture"]
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return sorted(r[0] for r in rows if r[0] != "capture")


def physical_order(conn: sqlite3.Connection, table: str) -> str:
    """An ORDER BY that reads rows in the order they were stored (rowid, ctid), so that a copy
    of the project lists ties the same way; '' for a table without one."""
    if _is_pg(conn):
        return "ORDER BY ctid"
    without_rowid = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND upper(sql) LIKE '%WITHOUT ROWID%'",
        (table,)).fetchone()
    return "" if without_rowid else "ORDER BY rowid"


def reset_sequences(conn: sqlite3.Connection) -> None:
    """After rows were copied in with their ids: the next generated id follows the largest."""
    if not _is_pg(conn):
        return  # SQLite's AUTOINCREMENT follows inserted ids by itself
    from themecoder.store import pg_schema

    pg_schema.reset_sequences(conn)


def primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    if _is_pg(conn):
        from themecoder.store import pg_schema

        return pg_schema.primary_key(conn, table)
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    pk = sorted((r[5], r[1]) for r in info if r[5])
    return [name for _, name in pk]


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    if _is_pg(conn):
        from themecoder.store import pg_schema

        return pg_schema.columns(conn, table)
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def install_capture_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the triggers that copy every row change into `changes`.

    Generated from the live schema so that a migration that adds a column or table is
    captured without hand-written triggers.
    """
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'capture_%'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    when = "(SELECT action_id FROM capture WHERE one = 1) IS NOT NULL"
    action = "(SELECT action_id FROM capture WHERE one = 1)"
    for table in captured_tables(conn):
        cols = columns(conn, table)

        def value(prefix: str, c: str) -> str:
            # JSON keeps only 15 digits of a REAL; tag reals with exact text (decoded in actionlog).
            col = f'{prefix}."{c}"'
            return f"CASE typeof({col}) WHEN 'real' THEN json_object('$r', printf('%!.17g', {col})) ELSE {col} END"

        def obj(prefix: str, cols: list[str] = cols) -> str:
            return "json_object(" + ", ".join(f"'{c}', {value(prefix, c)}" for c in cols) + ")"

        conn.execute(
            f'CREATE TRIGGER "capture_{table}_i" AFTER INSERT ON "{table}" WHEN {when} BEGIN '
            f"INSERT INTO changes(action_id, tbl, op, old, new) "
            f"VALUES ({action}, '{table}', 'I', NULL, {obj('NEW')}); END"
        )
        conn.execute(
            f'CREATE TRIGGER "capture_{table}_u" AFTER UPDATE ON "{table}" WHEN {when} BEGIN '
            f"INSERT INTO changes(action_id, tbl, op, old, new) "
            f"VALUES ({action}, '{table}', 'U', {obj('OLD')}, {obj('NEW')}); END"
        )
        conn.execute(
            f'CREATE TRIGGER "capture_{table}_d" AFTER DELETE ON "{table}" WHEN {when} BEGIN '
            f"INSERT INTO changes(action_id, tbl, op, old, new) "
            f"VALUES ({action}, '{table}', 'D', {obj('OLD')}, NULL); END"
        )


_EVENTS = {"i": "INSERT", "u": "UPDATE", "d": "DELETE"}


def install_history_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the triggers that fill `review_history` inside a user action.

    Generated from the live schema like the capture triggers, so that `fields` names every
    column an update changed, a column added later included. Undo and redo replay rows
    outside any action (capture.action_id is NULL), so they add nothing here.
    """
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history_%'"
    ).fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_history'").fetchone() is None:
        return  # a file migrated only part of the way (tests of older versions)
    for table in HISTORY_COLUMNS:
        for op in "iud":
            conn.execute(_history_trigger(conn, table, op))


def _history_trigger(conn: sqlite3.Connection, table: str, op: str) -> str:
    """CREATE TRIGGER history_<table>_<op>: one review_history row per row change in an action."""
    row_id, code_id, theme_id, parent, name = HISTORY_COLUMNS[table]
    old = None if op == "i" else "OLD"
    new = None if op == "d" else "NEW"
    either = new or old

    def col(prefix: str | None, c: str | None) -> str:
        return "NULL" if prefix is None or c is None else f'{prefix}."{c}"'

    when = "(SELECT action_id FROM capture WHERE one = 1) IS NOT NULL"
    fields = "''"
    if op == "u":
        fields = "rtrim(" + " || ".join(f"""CASE WHEN OLD."{c}" IS NOT NEW."{c}" THEN '{c},' ELSE '' END"""
                                        for c in columns(conn, table)) + ", ',')"
        watched = HISTORY_UPDATES[table]
        if watched:
            when += " AND (" + " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in watched) + ")"
    return (
        f'CREATE TRIGGER "history_{table}_{op}" AFTER {_EVENTS[op]} ON "{table}" WHEN {when} BEGIN '
        "INSERT INTO review_history(action_id, tbl, op, row_id, code_id, theme_id, old_parent, new_parent, "
        f"old_name, new_name, fields) VALUES ((SELECT action_id FROM capture WHERE one = 1), '{table}', "
        f"'{op.upper()}', {col(either, row_id)}, {col(either, code_id)}, {col(either, theme_id)}, "
        f"{col(old, parent)}, {col(new, parent)}, {col(old, name)}, {col(new, name)}, {fields}); END"
    )


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Bring the file up to the current version, in one transaction. Returns (from, to)."""
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    target = current_version()
    if start > target:
        from themecoder.errors import UserError

        raise UserError(
            f"this project was written by a newer themecoder (schema {start}, this version "
            f"reads up to {target}); upgrade themecoder"
        )
    if start == target:
        return start, target
    # Foreign keys off while migrating (they cannot change inside a transaction): a migration
    # that rebuilds a table (h12: codings) must not fire ON DELETE actions in other tables.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(start, target):
            MIGRATIONS[version](conn)
        install_capture_triggers(conn)
        install_history_triggers(conn)
        conn.execute(f"PRAGMA user_version = {target}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    return start, target
