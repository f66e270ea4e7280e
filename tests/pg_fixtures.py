"""A throwaway PostgreSQL server for the tests, and the `backend` parametrisation.

`pg_server` (session) runs initdb and pg_ctl on a temporary folder; the server listens only on
a Unix socket in that folder (`listen_addresses=''`), so the suite's socket guard (which blocks
Python-level sockets) is not involved: libpq talks over the socket from C. As root the server
runs as the `postgres` system user (PostgreSQL refuses root). No binaries: the PG tests skip,
except under CI (`CI` or `THEMECODER_REQUIRE_PG` set, as .ci/run does), where that is a failure.

Both backends: the test modules in BOTH_BACKENDS run twice, `[sqlite]` and `[postgresql]`. In
the PostgreSQL run, every project a test creates or opens by path (Project.create(tmp/x),
the `project` and `demo_project` fixtures, CLI commands given a path) is transparently a fresh
schema on the test server: `store.db.open_database` maps the path to a URL, and a small marker
file stands at the path so that `exists()` checks hold. The tests themselves are unchanged.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

# Test modules run on both backends (the store, core and CLI suites).
BOTH_BACKENDS = {
    "test_store.py", "test_undo.py", "test_themes.py", "test_codebook.py", "test_review.py",
    "test_review_history.py", "test_resolve.py", "test_findings.py", "test_survey.py",
    "test_purge_undo.py", "test_one_writer.py", "test_offsets.py", "test_import.py", "test_cli.py",
    "test_codebook_cli.py", "test_review_cli.py", "test_themes_properties.py",
    "test_anonymisation.py", "test_verify.py", "test_demo_content.py", "test_export_service.py",
    "test_export_codebook.py", "test_export_quotes.py", "test_export_demo.py", "test_findings_joint.py",
    "test_stats_findings.py", "test_report.py", "test_refi_project.py", "test_refi_rules.py",
    "test_refi_roundtrip.py", "test_kill.py", "test_identifiers.py", "test_review_tui.py",
    "test_report_figures.py", "test_refi_positions.py", "test_export_tui.py", "test_anonymisation_tui.py",
    "test_joint_display_tui.py", "test_blind_everywhere.py",
    "test_anonymise_participants.py",
}
# Tests in those modules that look inside the SQLite file itself (sqlite3.connect, PRAGMA,
# copying the file): they test the file format, which a server does not have.
SQLITE_ONLY_MARK = "sqlite_only"
SQLITE_ONLY = {
    "test_store.py": {"test_new_project_uses_wal_foreign_keys_and_current_version",
                      "test_every_captured_table_has_three_triggers",  # PG: one trigger per table
                      "test_version_1_file_opens_after_a_migration_is_added",
                      "test_failed_migration_leaves_the_file_at_its_old_version", "test_newer_file_is_refused"},
    "test_review_history.py": {"test_review_history_is_not_captured_for_undo",
                               "test_migration_v5_backfills_the_history_from_the_undo_data",
                               "test_a_merge_carries_review_items_over_through_retarget_in"},
    "test_purge_undo.py": {"test_purge_removes_original_names_but_keeps_the_log"},  # reads the file's bytes
    "test_export_service.py": {"test_another_project_file_is_refused",  # recognise project files by content
                               "test_the_cli_refuses_to_export_over_its_own_project"},
    "test_export_tui.py": {"test_the_path_check_refuses_the_project_file"},  # the file's size
    "test_kill.py": {"test_sigkill_during_import_leaves_each_document_whole_or_absent"},  # a child process
}


def bin_dir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    if shutil.which("initdb"):
        return Path(shutil.which("initdb") or "").parent
    return None


class PgServer:
    """initdb + pg_ctl on a temporary folder; `url(project)` gives a project URL."""

    def __init__(self) -> None:
        bindir = bin_dir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) not found")
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="themecoder-pg-"))
        self.data = self.folder / "data"
        self.socket = self.folder / "sock"
        self.socket.mkdir()
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
            shutil.chown(self.socket, "postgres", "postgres")
            os.chmod(self.folder, 0o755)
        self.user = "postgres" if self.as_root else (os.environ.get("USER") or "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-E", "UTF8", "--locale=C", "-A", "trust")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-o",
                  f"-c listen_addresses='' -c unix_socket_directories='{self.socket}' -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start")
        self.dsn = f"postgresql://{self.user}@/themecoder?host={self.socket}"
        self._run("createdb", "-h", str(self.socket), "-U", self.user, "themecoder")

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stderr or result.stdout}")

    def url(self, project: str, user: str | None = None) -> str:
        dsn = self.dsn if user is None else self.dsn.replace(f"{self.user}@", f"{user}@", 1)
        return f"{dsn}&project={project}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("THEMECODER_REQUIRE_PG"):
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    try:
        server = PgServer()
    except (FileNotFoundError, RuntimeError) as exc:
        _unavailable(str(exc))
    yield server
    server.stop()


_counter = iter(range(1, 10**9))


@pytest.fixture
def pg_url(pg_server):
    """A fresh project URL (no schema yet) on the test server."""
    return pg_server.url(f"t{os.getpid()}_{next(_counter)}")


# -- both backends -------------------------------------------------------------------------------
def pytest_generate_tests(metafunc):
    module = Path(str(metafunc.definition.fspath)).name
    everywhere = os.environ.get("THEMECODER_TEST_ALL_BACKENDS")  # try any module on both
    if (module in BOTH_BACKENDS or everywhere) and "backend" not in metafunc.fixturenames:
        metafunc.fixturenames.append("backend")
    if "backend" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker(SQLITE_ONLY_MARK) or (
            metafunc.definition.originalname in SQLITE_ONLY.get(module, ()))
        params = ["sqlite"] if only else ["sqlite", "postgresql"]
        metafunc.parametrize("backend", params, indirect=True)


def pytest_configure(config):
    config.addinivalue_line("markers", f"{SQLITE_ONLY_MARK}: looks inside the SQLite file; runs on sqlite only")


MARKER = b"themecoder-test-redirect\n"


@pytest.fixture
def backend(request):
    """'sqlite' or 'postgresql' (see the module doc)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(autouse=True)
def _backend_redirect(request, monkeypatch):
    """Autouse, so that it is in place before the fixtures that create projects."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("backend") == "postgresql":
        _redirect_paths(monkeypatch, request.getfixturevalue("pg_server"))
    yield


def _redirect_paths(monkeypatch, server: PgServer) -> None:
    from themecoder.errors import UserError
    from themecoder.store import db as store_db
    from themecoder.store import transfer

    original = store_db.open_database

    def url_for(path: Path) -> str:
        key = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:20]
        return server.url(f"p{key}")

    def marked(path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data[len(MARKER):].decode() if data.startswith(MARKER) else None

    def open_database(target, *, create=False):
        if store_db.is_server_target(target):
            return original(target, create=create)
        path = Path(target)
        if create:
            if path.exists():
                raise UserError(f"{path} already exists")
            if not path.parent.exists():
                raise UserError(f"folder {path.parent} does not exist")
            url = url_for(path)
            db = original(url, create=True)
            path.write_bytes(MARKER + url.encode())
        elif marked(path) is not None:
            db = original(marked(path))
        elif path.is_file() and path.read_bytes()[:16] == store_db.SQLITE_MAGIC:
            # A project file made outside Project.create (a copy of the demo): moved onto the
            # server on first open, then the path stands for the server project.
            source = store_db.Database(path)
            url = url_for(path)
            db = original(url, create=True)
            try:
                transfer.copy_all(source, db)
            finally:
                source.close()
            for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                extra.unlink(missing_ok=True)
            path.write_bytes(MARKER + url.encode())
        else:
            return original(target, create=create)
        db.path = path  # type: ignore[attr-defined]
        return db

    monkeypatch.setattr(store_db, "open_database", open_database)


def pg_available() -> bool:
    return bin_dir() is not None and sys.platform != "win32"


def wait_until(predicate, timeout: float = 10.0) -> bool:
    """Poll (tests never assert on time; this only bounds a wait)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
