"""Team projects on a PostgreSQL server: moving a project there and back, people and roles.

A file is the default; a research group puts the project on its PostgreSQL server
(`push`), each person connects as their own PostgreSQL role, and the server's grants decide
what each may change (see `ROLES`). `pull` brings a server project back into a file.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from themecoder import store
from themecoder.errors import UserError
from themecoder.store import db as store_db
from themecoder.store import pg_team, transfer
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.core.project import Project

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
        _owner_only(source, "copying the whole project into a file (team pull)")
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
    try:
        pg_team.drop_project(url)
    except Exception:  # the copy failed already; that error is the one to report
        pass


# -- people and roles ---------------------------------------------------------------------------
def _server_project(project: Project) -> Any:
    if not project.on_server:
        raise UserError("roles live on a PostgreSQL server; this project is a file "
                        "(move it there with `themecoder team push`)")
    return project.db


def init(url: str, *, name: str | None = None, coder: str | None = None) -> Project:
    """Create the project on the server (or take the existing one), its three group roles and
    their grants; the person running it becomes the owner."""
    from themecoder.core.project import Project

    _url(url)
    try:
        project = Project.open(url, coder=coder)
    except UserError:
        project = Project.create(url, name=name, coder=coder)
    db = _server_project(project)
    pg_team.apply_grants(db)
    with project.db.transaction() as conn:
        store.project.set_coder_role(conn, project.coder, "owner")
    return project


def add_member(project: Project, person: str, role: str, *, create_login: bool = True,
               password: str | None = None) -> bool:
    """Give `person` (their PostgreSQL role; created as a login role if missing) `role` in the
    project, and with `password` that login's password (hashed before it leaves this process).
    True if the login role was created."""
    role = _check_role(role)
    db = _server_project(project)
    if password is not None and not password:
        raise UserError("the password is empty; nothing was changed")
    pg_team.apply_grants(db)  # tables a later migration added get their grants too
    created = pg_team.add_member(db, person, role, create_login=create_login)
    if password is not None:
        pg_team.set_password(db, person, password)
    _record_role(project, person, role)
    return created


def set_role(project: Project, person: str, role: str) -> None:
    role = _check_role(role)
    db = _server_project(project)
    if pg_team.role_of(db, person) is None:
        raise UserError(f"{person} is not a member of this project (add them with `themecoder team add-member`)")
    pg_team.add_member(db, person, role, create_login=False)
    _record_role(project, person, role)


def members(project: Project) -> list[tuple[str, str]]:
    return pg_team.members(_server_project(project))


# -- what the app checks (the server cannot: these only read) ------------------------------------
def my_role(project: Project) -> str | None:
    """The connected person's role in a server project; None for a file or a server project
    without team roles (one person, who may do everything)."""
    return pg_team.my_role(project.db) if project.on_server else None


def _owner_only(db: Any, what: str) -> None:
    if getattr(db, "dialect", "sqlite") != "postgresql" or not pg_team.has_team(db):
        return
    role = pg_team.my_role(db)
    if role != "owner":
        who = f"{db.user} is {role}" if role else f"{db.user} is not a member"
        raise UserError(f"{what} is for the project's owner; {who} in this project "
                        "(the owner decides roles: themecoder team set-role)")


def check_may_export(project: Project) -> None:
    """Exports are the owner's (issue 17): on a server project anyone else gets one line."""
    if project.on_server:
        _owner_only(project.db, "exporting")


def _check_role(role: str) -> str:
    if role not in pg_team.ROLES:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(pg_team.ROLES)}")
    return role


def _record_role(project: Project, person: str, role: str) -> None:
    """The role in `coders` too, so that the file after `team pull` still says who was what."""
    from themecoder.core.project import new_id

    with project.action("team-role", f"{person} is {role}", {"person": person, "role": role}) as conn:
        if not store.project.has_coder(project.db, person):
            store.project.add_coder(conn, new_id(), person, now(), role)
        store.project.set_coder_role(conn, person, role)
