"""Fault injection (issue 18): every multi-step command is made to fail between its steps, and
the project is always in a state it was in before the command, or after one of its committed
steps: never half-written.

How: the project's SQLite connection is wrapped so that the k-th statement the command sends
raises (as a crash, a full disk or an I/O error would) before it runs. A clean run first counts
the statements and records the project's state after every COMMIT; each faulty run must end in
the state before the command or one of those recorded states, say so in one line (exit 1),
and leave a file that passes SQLite's integrity check. Exports are interrupted at the write and
the rename: the old file stays, no temporary file is left.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from themecoder.cli import main
from themecoder.store import db as store_db

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")
DERIVED = {"sentences", "tokens", "text_index", "index_terms"}  # rebuilt from the text: count per document


def state(path: Path) -> str:
    """The project's content with ids and times made neutral (a clean run and a faulty run
    make different ones), as one digest."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        h = hashlib.sha256()
        for table in tables:
            if table in DERIVED:
                rows = conn.execute(f'SELECT document_id, count(*) FROM "{table}" GROUP BY document_id').fetchall()
            else:
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            norm = sorted(_TIME.sub("<t>", _UUID.sub("<id>", repr(r))) for r in rows)
            h.update(f"{table}:{len(norm)}:{norm!r}".encode())
        return h.hexdigest()
    finally:
        conn.close()


class Injected(sqlite3.OperationalError):
    pass


class Plan:
    """Counts statements; raises at statement `fail_at`; records the state after each COMMIT."""

    def __init__(self, path: Path, fail_at: int | None = None, record: bool = False) -> None:
        self.path, self.fail_at, self.record = path, fail_at, record
        self.n = 0
        self.commits: list[str] = []
        self.fired = False

    def before(self, sql: str) -> None:
        self.n += 1
        if self.n == self.fail_at:
            self.fired = True
            raise Injected("disk I/O error (injected)")

    def after(self, sql: str) -> None:
        if self.record and sql.strip().upper().startswith("COMMIT"):
            self.commits.append(state(self.path))


class FaultyConnection:
    def __init__(self, conn: sqlite3.Connection, plan: Plan) -> None:
        object.__setattr__(self, "_conn", conn)
        object.__setattr__(self, "_plan", plan)

    def execute(self, sql: str, params=()):
        self._plan.before(sql)
        result = self._conn.execute(sql, params)
        self._plan.after(sql)
        return result

    def executemany(self, sql: str, seq):
        self._plan.before(sql)
        return self._conn.executemany(sql, seq)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._conn, name, value)


def _run(monkeypatch, capsys, path: Path, argv: list[str], plan: Plan) -> tuple[int, str]:
    original = store_db.Database._connect

    def connect(self):
        return FaultyConnection(original(self), plan)

    monkeypatch.setattr(store_db.Database, "_connect", connect)
    try:
        rc = main(["--coder", "student", *[a.replace("{P}", str(path)) for a in argv]])
    finally:
        monkeypatch.setattr(store_db.Database, "_connect", original)
    out, err = capsys.readouterr()
    return rc, out + err


def _points(n: int, most: int = 14) -> list[int]:
    """Statement numbers to fail at: the first few, the last few (COMMIT and around), and an
    even spread between."""
    if n <= most:
        return list(range(1, n + 1))
    edge = list(range(1, 4)) + list(range(n - 3, n + 1))
    step = max(1, (n - 6) // (most - len(edge)))
    return sorted(set(edge + list(range(4, n - 3, step))))


def _review_file(demo_project: Path, tmp_path: Path) -> Path:
    other = tmp_path / "reviewer.themecoder"
    shutil.copy(demo_project, other)
    theme = "Faglig utvikling"
    assert main(["--coder", "veileder", "review", "comment", str(other), "--theme", theme, "Godt tema"]) == 0
    assert main(["--coder", "veileder", "review", "status", str(other), "--theme", theme, "approved"]) == 0
    out = tmp_path / "review.json"
    assert main(["--coder", "veileder", "review", "export", str(other), "-o", str(out),
                 "--allow-unreviewed"]) == 0
    return out


COMMANDS = {
    "code-new-code": ["code", "{P}", "--doc", "carl", "--quote", "en personlig prosess, det er jeg helt enig i",
                      "--code", "helt ny kode"],
    "merge": ["codebook", "merge", "{P}", "bolig først", "--into", "bolig er grunnmuren"],
    "theme-delete": ["theme", "delete", "{P}", "Faglig utvikling", "--yes"],
    "theme-move": ["theme", "move", "{P}", "Faglig utvikling › Å være ny", "--top", "--position", "1"],
    "memo": ["memo", "{P}", "--on", "code", "--target", "bolig først", "a memo"],
    "import": ["import", "{P}", "{DIR}"],
    "review-import": ["review", "import", "{P}", "{REVIEW}"],
    "undo": ["undo", "{P}"],
    "redo": ["redo", "{P}"],
    "code-delete": ["codebook", "delete", "{P}", "bolig først", "--yes"],
    "purge-undo": ["purge-undo", "{P}", "--yes"],
}


def _clean_run(demo_project, tmp_path, monkeypatch, capsys, argv):
    """The command run on a copy without a fault, recording its statements and commits: the
    pristine copy, its state, the plan, and the states a faulty run may leave (before or after
    any commit)."""
    pristine = tmp_path / "pristine.themecoder"
    shutil.copy(demo_project, pristine)
    before = state(pristine)
    clean = tmp_path / "clean.themecoder"
    shutil.copy(pristine, clean)
    plan = Plan(clean, record=True)
    rc, err = _run(monkeypatch, capsys, clean, argv, plan)
    assert rc == 0, err
    allowed = {before, *plan.commits}
    assert state(clean) in allowed
    return pristine, before, plan, allowed


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_failing_between_any_two_steps_leaves_before_or_after(name, demo_project, tmp_path,
                                                                      monkeypatch, capsys):
    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    argv = list(COMMANDS[name])
    if name == "import":
        folder = tmp_path / "nye"
        folder.mkdir()
        # one file: a batch goes on after a file that failed, so two files have four end states
        (folder / "dora.txt").write_text("I: Hei.\n\nDora: Hei, jeg heter Dora. Relasjoner betyr mye.\n",
                                         encoding="utf-8")
        (folder / "notater.pdf").write_bytes(b"%PDF-1.4")  # skipped, said so
        argv = [a.replace("{DIR}", str(folder)) for a in argv]
    if name == "review-import":
        argv = [a.replace("{REVIEW}", str(_review_file(demo_project, tmp_path))) for a in argv]
    if name in ("undo", "redo"):  # something of the student's to undo (and to redo)
        assert main(["--coder", "student", "theme", "delete", str(demo_project), "Faglig utvikling", "--yes"]) == 0
        if name == "redo":
            assert main(["--coder", "student", "undo", str(demo_project)]) == 0
        capsys.readouterr()

    pristine, before, plan, allowed = _clean_run(demo_project, tmp_path, monkeypatch, capsys, argv)
    assert plan.commits, "the command changed something"

    for k in _points(plan.n):
        target = tmp_path / f"fault-{k}.themecoder"
        shutil.copy(pristine, target)
        faulty = Plan(target, fail_at=k)
        rc, err = _run(monkeypatch, capsys, target, argv, faulty)
        assert faulty.fired
        now = state(target)
        assert now in allowed, f"{name}: a fault at statement {k} of {plan.n} left a half-written project"
        if now == before:
            assert rc != 0, f"{name}: fault at {k} changed nothing but exit status 0"
        if rc != 0:  # said in a line ("error: ..."; a batch import says "FAIL file: ...")
            assert re.search(r"^(error: |FAIL )", err, re.M) and "unexpected" not in err, err
            assert "Traceback" not in err
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)


# -- exports: interrupted at the write and at the rename ------------------------------------------
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # docx's zip, closed under it
@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize("fmt", ["docx", "md", "csv"])
def test_an_export_interrupted_keeps_the_old_file_and_leaves_no_temporary(where, fmt, demo_project, tmp_path,
                                                                          monkeypatch, capsys):
    import errno

    from themecoder.io import tabular

    out = tmp_path / "out" / f"sitater.{fmt}"
    out.parent.mkdir()
    out.write_bytes(b"OLD EXPORT")

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "replace":
        monkeypatch.setattr(tabular.os, "replace", fail)
    elif where == "fsync":
        monkeypatch.setattr(tabular.os, "fsync", fail)
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh, self.written = fh, 0

            def write(self, data):
                self.written += len(data)
                if self.written > 100:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return self.fh.write(data)

            def __getattr__(self, name):
                return getattr(self.fh, name)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

        monkeypatch.setattr(tabular.os, "fdopen", lambda fd, mode="r", *a, **k: Full(real_fdopen(fd, mode, *a, **k)))
    rc = main(["--coder", "student", "export", "quotes", str(demo_project), "-o", str(out), "--allow-unreviewed"])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.count("\n") == 1 and "disk full" in err and "unexpected" not in err, err
    assert out.read_bytes() == b"OLD EXPORT"
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "no temporary file is left"


# -- the same, killed: SIGKILL at a statement in a child process ---------------------------------
KILL_CHILD = r"""
import os, signal, sys
from themecoder.cli import main
from themecoder.store import db as store_db

fail_at = int(sys.argv[1])
count = [0]
original = store_db.Database._connect

class Killing:
    def __init__(self, conn):
        object.__setattr__(self, "_conn", conn)
    def _tick(self):
        count[0] += 1
        if count[0] == fail_at:
            os.kill(os.getpid(), signal.SIGKILL)
    def execute(self, sql, params=()):
        self._tick()
        return self._conn.execute(sql, params)
    def executemany(self, sql, seq):
        self._tick()
        return self._conn.executemany(sql, seq)
    def __getattr__(self, name):
        return getattr(self._conn, name)
    def __setattr__(self, name, value):
        setattr(self._conn, name, value)

store_db.Database._connect = lambda self: Killing(original(self))
raise SystemExit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("name", ["merge", "purge-undo"])
def test_a_command_killed_between_any_two_steps_leaves_before_or_after(name, demo_project, tmp_path, monkeypatch,
                                                                      capsys):
    import signal
    import subprocess
    import sys

    monkeypatch.setenv("THEMECODER_MODEL", "fallback")
    argv = COMMANDS[name]
    pristine, before, plan, allowed = _clean_run(demo_project, tmp_path, monkeypatch, capsys, argv)
    for k in _points(plan.n, most=5):
        target = tmp_path / f"killed-{k}.themecoder"
        shutil.copy(pristine, target)
        args = ["--coder", "student", *[a.replace("{P}", str(target)) for a in argv]]
        proc = subprocess.run([sys.executable, "-c", KILL_CHILD, str(k), *args], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == -signal.SIGKILL, proc.stderr
        assert state(target) in allowed, f"{name}: killed at statement {k} of {plan.n}: half-written"
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
