"""Hostile input and faults at the project file (issue 18 points 1, 7, 11, 14): output paths
that would destroy something, damaged pages, a full disk, read-only projects, file modes.
Each failure is one true line and a non-zero exit; nothing half-written stays behind."""
from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.store import db as store_db


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["--coder", "student", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str, *words: str) -> None:
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert "unexpected" not in err and "Traceback" not in err, err
    for w in words:
        assert w in err, err


# -- 1. output paths ---------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["export", "quotes", "{P}", "-o", "{P}", "--format", "csv"],
    ["export", "quotes", "{P}", "-o", "{P}", "--format", "md"],
    ["export", "quotes", "{P}", "-o", "{P}", "--format", "docx"],
    ["export", "codebook", "{P}", "-o", "{P}", "--format", "csv"],
    ["report", "{P}", "-o", "{P}", "--format", "md"],
    ["review", "export", "{P}", "-o", "{P}"],
    ["review", "summary", "{P}", "-o", "{P}"],
    ["export", "qdpx", "{P}", "-o", "{P}"],
    ["export", "quotes", "{P}", "-o", "{OTHER}", "--format", "csv"],
])
def test_no_export_door_overwrites_a_project(argv, demo_project, tmp_path, capsys):
    other = tmp_path / "annen.themecoder"
    Project.create(other).close()
    before = {p: p.read_bytes() for p in (demo_project, other)}
    argv = [a.replace("{P}", str(demo_project)).replace("{OTHER}", str(other)) for a in argv]
    rc, out, err = run(capsys, *argv, "--allow-unreviewed")
    assert rc != 0 and "wrote" not in out
    one_line_error(err)
    assert {p: p.read_bytes() for p in before} == before


def test_the_atomic_writer_never_renames_over_a_link_fifo_or_project(tmp_path):
    """The writer checks again just before its rename: whatever called it."""
    from themecoder.io.tabular import atomic_write, write_text

    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    project = tmp_path / "copy.bak"
    Project.create(tmp_path / "p.themecoder").close()
    shutil.copy(tmp_path / "p.themecoder", project)
    for target in (link, fifo, project):
        with pytest.raises(UserError, match="refusing"):
            write_text(target, "new")
    with pytest.raises(UserError, match="refusing"):
        atomic_write(tmp_path / "x.themecoder", lambda fh: fh.write(b"x"))
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert project.read_bytes().startswith(b"SQLite format 3\x00")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_journal_of_any_database_is_refused(demo_project, tmp_path):
    """A WAL of a database with another name (x.db-wal) is known by its neighbour and its magic."""
    from themecoder.io.export import ExportOptions, run_export

    db = tmp_path / "data.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE t(x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    wal = tmp_path / "data.db-wal"
    assert wal.exists()
    renamed = tmp_path / "wal-copy.csv"
    shutil.copy(wal, renamed)
    with Project.open(demo_project) as project:
        for target in (wal, renamed):
            before = target.read_bytes()
            with pytest.raises(UserError, match="refusing"):
                run_export(project, "quotes", target, ExportOptions(fmt="csv", allow_unreviewed=True))
            assert target.read_bytes() == before
    con.close()


# -- 14. file modes ----------------------------------------------------------------------------
def test_projects_and_exports_are_private(tmp_path, demo_project, capsys):
    p = tmp_path / "ny.themecoder"
    assert run(capsys, "new", str(p))[0] == 0
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    out = tmp_path / "ut"
    for kind, fmt in (("quotes", "docx"), ("quotes", "csv"), ("codebook", "md")):
        target = out / f"{kind}.{fmt}"
        rc, _, err = run(capsys, "export", kind, str(demo_project), "-o", str(target), "--allow-unreviewed")
        assert rc == 0, err
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600, target


# -- 7. damaged pages ------------------------------------------------------------------------------
def _damaged_copies(demo_project: Path, tmp_path: Path, n: int = 6):
    con = sqlite3.connect(demo_project)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages, size = con.execute("PRAGMA page_count").fetchone()[0], con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    rng = random.Random(18)
    for page in sorted(rng.sample(range(2, pages + 1), n)):
        target = tmp_path / f"damaged-{page}.themecoder"
        shutil.copy(demo_project, target)
        with open(target, "r+b") as fh:
            fh.seek((page - 1) * size)
            fh.write(bytes(rng.randrange(256) for _ in range(size)))
        yield page, target


def test_a_damaged_page_is_one_true_line_and_a_failure(demo_project, tmp_path, capsys):
    with Project.open(demo_project) as project:
        texts = [store.documents.document_text(project.db, d.id) for d in store.documents.documents(project.db)]
    for page, target in _damaged_copies(demo_project, tmp_path):
        for argv in (["info", str(target)], ["verify", str(target)],
                     ["export", "quotes", str(target), "-o", str(tmp_path / "q.csv"), "--allow-unreviewed"]):
            rc, out, err = run(capsys, *argv)
            assert rc == 1, (page, argv, out, err)
            one_line_error(err, "damaged")
            assert not any(t[100:160] in err for t in texts), "no transcript text is echoed"
        assert not (tmp_path / "q.csv").exists()


# -- 7. a full disk --------------------------------------------------------------------------------
def _small_disk(monkeypatch, spare_pages: int = 0) -> None:
    """SQLite's max_page_count: the file cannot grow, so writes fail with a real SQLITE_FULL."""
    original = store_db.Database._connect

    def connect(self):
        conn = original(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(store_db.Database, "_connect", connect)


def test_a_full_disk_is_said_and_nothing_is_half_written(demo_project, tmp_path, monkeypatch, capsys):
    big = tmp_path / "lang.txt"
    big.write_text("\n\n".join(f"{'I' if i % 2 else 'Eva'}: Dette er ytring {i} om relasjoner og arbeid. " * 5
                               for i in range(800)), encoding="utf-8")
    before = demo_project.read_bytes()
    _small_disk(monkeypatch)
    rc, out, err = run(capsys, "import", str(demo_project), str(big))
    assert rc == 1
    assert "disk full" in out + err and "rollback" not in out + err and "unexpected" not in out + err
    rc, out, err = run(capsys, "memo", str(demo_project), "x" * 200_000)
    assert rc == 1
    one_line_error(err, "disk full")
    monkeypatch.undo()
    with Project.open(demo_project) as project:
        assert len(store.documents.documents(project.db)) == 3
        assert not store.project.has_coder(project.db, "student") or True
    con = sqlite3.connect(demo_project)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert len(before) > 0


class _FullAtCommit:
    """A connection whose COMMIT fails with SQLITE_FULL and whose ROLLBACK then fails too (SQLite
    rolled back already): the ROLLBACK's error must never be the one reported."""

    def __init__(self, conn):
        object.__setattr__(self, "_conn", conn)

    def execute(self, sql, params=()):
        word = sql.strip().upper()
        if word.startswith("COMMIT"):
            self._conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        if word.startswith("ROLLBACK") and not self._conn.in_transaction:
            raise sqlite3.OperationalError("cannot rollback - no transaction is active")
        return self._conn.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        setattr(self._conn, name, value)


def test_a_failed_rollback_never_masks_a_full_disk(demo_project, monkeypatch, capsys):
    original = store_db.Database._connect
    monkeypatch.setattr(store_db.Database, "_connect", lambda self: _FullAtCommit(original(self)))
    for argv in (["memo", str(demo_project), "et notat"],
                 ["theme", "create", str(demo_project), "Nytt tema"],
                 ["undo", str(demo_project)]):
        rc, _, err = run(capsys, *argv)
        assert rc == 1, argv
        one_line_error(err, "disk full")
    monkeypatch.undo()
    with Project.open(demo_project) as project:
        assert not [m for m in store.memos.memos(project.db) if m.text == "et notat"]


def test_purge_undo_on_a_full_disk_leaves_no_original(demo_project, monkeypatch, capsys):
    """The VACUUM that purge-undo ends with needs room for a copy of the file; when it fails,
    the deleted undo rows must be gone anyway (overwritten in the deleting transaction)."""
    from themecoder.core.memos import add_memo, edit_memo

    secret = "Solveig Haugland fra Vardø"
    p = str(demo_project)
    with Project.open(demo_project, coder="student") as project:  # the original is only in the undo data
        memo = add_memo(project, "project", None, f"Intervjuet med {secret} gikk bra")
        edit_memo(project, memo.id, "Intervjuet med informanten gikk bra")
    original = store_db.Database._connect

    class NoRoomToVacuum(_FullAtCommit):
        def execute(self, sql, params=()):
            if sql.strip().upper() == "VACUUM":
                raise sqlite3.OperationalError("database or disk is full")
            return self._conn.execute(sql, params)

    monkeypatch.setattr(store_db.Database, "_connect", lambda self: NoRoomToVacuum(original(self)))
    rc, out, err = run(capsys, "purge-undo", p, "--yes")
    assert "unexpected" not in err
    monkeypatch.undo()
    data = b"".join(Path(f"{p}{s}").read_bytes() for s in ("", "-wal") if Path(f"{p}{s}").exists())
    assert secret.encode() not in data, "an original survived in the file"
    assert rc == 0, err


def test_a_project_that_could_not_be_created_whole_is_not_left(tmp_path, monkeypatch):
    from themecoder.store import schema

    def broken(conn):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(schema, "migrate", broken)
    with pytest.raises(UserError, match="disk full"):
        Project.create(tmp_path / "ny.themecoder")
    assert list(tmp_path.iterdir()) == []


# -- 11. reading never writes; read-only projects ------------------------------------------------
def test_opening_and_reading_never_write(demo_project, capsys):
    def coders():
        con = sqlite3.connect(demo_project)
        try:
            return sorted(r[0] for r in con.execute("SELECT name FROM coders"))
        finally:
            con.close()

    before = coders()
    for argv in (["--coder", "ukjent", "info", str(demo_project)], ["--coder", "ukjent", "codes", str(demo_project)],
                 ["--coder", "ukjent", "history", str(demo_project)]):
        assert main(argv) == 0
    capsys.readouterr()
    assert coders() == before, "opening registered a coder"
    assert main(["--coder", "ukjent", "memo", str(demo_project), "et notat"]) == 0
    assert "ukjent" in coders(), "registered with the first write"


def test_a_read_only_project_reads_and_refuses_writes_in_one_line(demo_project, monkeypatch, capsys):
    monkeypatch.setattr(store_db, "_writable", lambda path: False)
    size = demo_project.stat().st_size
    rc, out, err = run(capsys, "info", str(demo_project))
    assert rc == 0 and "documents" in out, err
    rc, out, err = run(capsys, "codes", str(demo_project))
    assert rc == 0
    for argv in (["memo", str(demo_project), "et notat"], ["undo", str(demo_project)],
                 ["theme", "create", str(demo_project), "Nytt"]):
        rc, out, err = run(capsys, *argv)
        assert rc == 1
        one_line_error(err, "read-only")
    assert demo_project.stat().st_size == size


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_and_folder_for_real(demo_project, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "p.themecoder"
    con, dst = sqlite3.connect(demo_project), sqlite3.connect(target)
    con.backup(dst)
    con.close()
    dst.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.chmod(0o400)
    folder.chmod(0o500)
    try:
        rc, out, err = run(capsys, "info", str(target))
        assert rc == 0, err
        rc, out, err = run(capsys, "memo", str(target), "x")
        assert rc == 1
        one_line_error(err, "read-only")
    finally:
        folder.chmod(0o700)
        target.chmod(0o600)


# -- 14. a refused review import adds nobody -------------------------------------------------------
def test_a_refused_review_import_adds_no_coder(demo_project, tmp_path, capsys):
    other = tmp_path / "annen.themecoder"
    Project.create(other).close()
    theme_file = tmp_path / "r.json"
    assert run(capsys, "theme", "create", str(other), "Et tema")[0] == 0
    assert main(["--coder", "veileder", "review", "comment", str(other), "--theme", "Et tema", "bra"]) == 0
    assert main(["--coder", "veileder", "review", "export", str(other), "-o", str(theme_file),
                 "--allow-unreviewed"]) == 0
    capsys.readouterr()
    rc, out, err = run(capsys, "review", "import", str(demo_project), str(theme_file), "--as", "Kari")
    assert rc == 1 and "another project" in err
    with Project.open(demo_project) as project:
        assert not store.project.has_coder(project.db, "Kari")
