"""The project file: WAL, foreign keys, versioned migrations, refusal of foreign files."""
import sqlite3

import pytest

from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.store import schema
from themecoder.store.db import Database


def test_new_project_uses_wal_foreign_keys_and_current_version(project):
    conn = project.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.current_version()
    assert project.id and len(project.id) == 36


def test_every_captured_table_has_three_triggers(project):
    names = {r[0] for r in project.db.query("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in schema.captured_tables(project.db.conn):
        for op in "iud":
            assert f"capture_{table}_{op}" in names


def test_version_1_file_opens_after_a_migration_is_added(tmp_path, monkeypatch):
    path = tmp_path / "old.themecoder"
    # A file as version 1 wrote it.
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    p = Project.create(path, coder="a")
    from themecoder.core.coding import create_code

    create_code(p, "eldre kode")
    p.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1

    def add_column(conn):
        conn.execute("ALTER TABLE codes ADD COLUMN shorthand TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1] + [add_column])
    p = Project.open(path, coder="a")
    assert p.db.migrated_from == 1 and p.db.version == 2
    assert "shorthand" in schema.columns(p.db.conn, "codes")
    # Old data survives and the new column is captured for undo.
    assert [c.label for c in __import__("themecoder.store.codes", fromlist=["x"]).codes(p.db)] == ["eldre kode"]
    with p.action("t", "set shorthand") as conn:
        conn.execute("UPDATE codes SET shorthand = 'ek'")
    assert '"shorthand":"ek"' in p.db.scalar("SELECT new FROM changes ORDER BY seq DESC LIMIT 1")
    p.undo()
    assert p.db.scalar("SELECT shorthand FROM codes") == ""
    p.close()


def test_failed_migration_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.themecoder"
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    Project.create(path, coder="a").close()

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1] + [broken])
    with pytest.raises(RuntimeError):
        Project.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchone() is None


def test_newer_file_is_refused(tmp_path):
    path = tmp_path / "new.themecoder"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.current_version() + 5}")
    conn.close()
    with pytest.raises(UserError, match="newer themecoder"):
        Project.open(path)


@pytest.mark.parametrize("content", [b"", b"hello world, not a database", b"PK\x03\x04zip"])
def test_non_project_files_are_refused(tmp_path, content):
    path = tmp_path / "x.themecoder"
    path.write_bytes(content)
    with pytest.raises(UserError, match="not a themecoder project"):
        Database(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(UserError, match="is a folder"):
        Database(tmp_path)


def test_foreign_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="not a themecoder project"):
        Project.open(path)
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert tables == {"t"}


def test_create_refuses_existing_file_and_missing_folder(tmp_path):
    Project.create(tmp_path / "a.themecoder").close()
    with pytest.raises(UserError, match="exists"):
        Project.create(tmp_path / "a.themecoder")
    with pytest.raises(UserError, match="does not exist"):
        Project.create(tmp_path / "nope" / "b.themecoder")


def test_action_is_one_transaction(project):
    from themecoder import store

    with pytest.raises(RuntimeError):
        with project.action("t", "half an action") as conn:
            conn.execute("INSERT INTO codes(id, label, created) VALUES ('x', 'x', 'now')")
            raise RuntimeError("crash in the middle")
    assert store.codes.codes(project.db) == []
    assert project.history() == []


def test_second_connection_sees_committed_action(tmp_path):
    from themecoder import store
    from themecoder.core.coding import create_code

    a = Project.create(tmp_path / "shared.themecoder", coder="student")
    b = Project.open(tmp_path / "shared.themecoder", coder="supervisor")
    create_code(a, "fra studenten")
    assert [c.label for c in store.codes.codes(b.db)] == ["fra studenten"]
    assert b.last_action_id() == a.last_action_id()
    a.close()
    b.close()
