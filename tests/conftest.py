"""Shared fixtures. Nothing in the test suite may reach the network."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

# The TUI fixtures (tui_project and its session template) for every test module.
pytest_plugins = ["tui_fixtures", "pg_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# `themecoder import` leaves the search index to a detached process; in the suite the commands
# build it before they return, so that a test never races a process it did not start (and no
# process outlives the run). tests/test_background_index.py covers the detached path.
os.environ.setdefault("THEMECODER_INDEX", "wait")


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any download attempt fails loudly."""

    def refuse(*args, **kwargs):
        raise NetworkBlocked("network access attempted during tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


@pytest.fixture
def root() -> Path:
    return ROOT


SHARED_MISSING = (
    "needs ../shared/refi (real vendor REFI-QDA files and the standard's schemas), which is not beside "
    "this clone; CI has it and runs these tests"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the repository: vendor files a fresh clone does not have.

    Without it the test skips with a reason; under CI (CI=true) a missing folder fails instead,
    so the vendor tests can never silently stop running there.
    """
    if not (SHARED / "refi").is_dir():
        if in_ci():
            pytest.fail("CI=true but ../shared/refi is missing: the vendor-file tests must run in CI")
        pytest.skip(SHARED_MISSING)
    return SHARED


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The demo project, built once per test session. Do not modify: use `demo_project`."""
    from themecoder.io.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo-master") / "demo", coder="student")


@pytest.fixture
def demo_project(demo_master, tmp_path) -> Path:
    """A private copy of the demo project file for one test."""
    import shutil
    import sqlite3

    target = tmp_path / "demo.themecoder"
    # Copy through SQLite's backup API: the WAL of the master is included.
    src = sqlite3.connect(demo_master)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    assert target.exists()
    shutil.copystat(demo_master, target)
    return target


@pytest.fixture
def project(tmp_path):
    """An empty project with coder 'tester'."""
    from themecoder.core.project import Project

    p = Project.create(tmp_path / "test.themecoder", coder="tester")
    yield p
    p.close()


INTERVIEW = (
    "I: Hva betyr recovery for deg?\n\n"
    "Anna: Det er en personlig prosess. Relasjonen til brukerne er viktig for meg.\n\n"
    "I: Kan du si mer om relasjoner?\n\n"
    "Anna: Ja, altså, relasjonene handler om å være medmenneske. Vi møtes i [kommune] hver uke.\n"
)


@pytest.fixture
def interview_file(tmp_path) -> Path:
    path = tmp_path / "anna.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    return path
