"""Team projects on a PostgreSQL server: moving a project there and back, people and roles.

A file is the default; a research group puts the project on its PostgreSQL server
(`push`), each person connects as their own PostgreSQL role, and the server's grants decide
what each may change (see `ROLES`). `pull` brings a server project back into a file.
"""
from __future__ import annotations

from pathlib import Path

from themecoder.errors import UserError
from themecoder.store import db as store_db
from themecoder.store import transfer

SUFFIX = ".themecoder"


def _file(path: str | Path) -> Path:
    path = Path(path)
    if store_db.is_server_target(str(path)):
        raise UserError(f"{path} is a server URL; give a project file (*.themecoder)")
    return path


def _url(target: str) -> str:
    if not store_db.is_server_target(target):
        raise UserError(f"{target} is not a server URL (postgresql://host/database?project=name)")
    return target


def push(path: str | Path, url: str) -> dict[str, int]:
    """Copy the project file at `path` into a new project on the server. Rows per table."""
    source = store_db.Database(_file(path))
    try:
        target = store_db.open_database(_url(url), create=True)
        try:
            return transfer.copy_all(source, target)
        except BaseException:
            target.close()
            _drop_quietly(url)
            raise
        finally:
            target.close()
    finally:
        source.close()


def pull(url: str, path: str | Path) -> dict[str, int]:
    """Copy the server project at `url` into a new project file at `path`. Rows per table."""
    path = _file(path)
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    source = store_db.open_database(_url(url))
    try:
        target = store_db.Database(path, create=True)
        try:
            return transfer.copy_all(source, target)
        except BaseException:
            target.close()
            path.unlink(missing_ok=True)
            raise
        finally:
            target.close()
    finally:
        source.close()


def _drop_quietly(url: str) -> None:
    from themecoder.store import pg_team

    try:
        pg_team.drop_project(url)
    except Exception:  # the copy failed already; that error is the one to report
        pass
