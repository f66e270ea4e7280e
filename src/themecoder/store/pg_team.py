"""People and rights on the server: PostgreSQL roles and grants, enforced by the database.

Each project has three group roles, `<project>_coder`, `<project>_supervisor` and
`<project>_owner`; each person logs in as their own role and is a member of one of them. The
grants (not a home-made login) decide what a connection may change, so hand-written SQL is held
to the same rules as themecoder:

- every role reads everything and may write the action log (only under its own name: row-level
  security on `actions` and `coders`), its own row in `coders`, and the
  derived caches (the word index and the identifier check, rebuilt from the text on reading);
  `changes` and `review_history` are written only by the capture triggers (SECURITY DEFINER);
- coder: codes, codings, themes, the code-to-theme mappings, memos, merged-code aliases, links
  from themes to findings; and the labels a review item keeps of its theme and code;
- supervisor: review items (their status) and review comments, nothing else;
- owner: everything, which is the codebook structure (documents, participants, attributes,
  settings), findings, anonymisation and purging undo data.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from themecoder.errors import UserError

ROLES = ("coder", "supervisor", "owner")

COMMON_WRITE = {
    "actions": "INSERT, UPDATE",
    "coders": "INSERT",
    # the search index (store/index.py): derived data that whoever searches first rebuilds
    "text_index": "INSERT, UPDATE, DELETE",
    "index_terms": "INSERT, UPDATE, DELETE",
    "anon_findings": "INSERT, UPDATE, DELETE",
    "anon_checks": "INSERT, UPDATE, DELETE",
}
ROLE_WRITE: dict[str, dict[str, str]] = {
    "coder": {
        "codes": "INSERT, UPDATE, DELETE",
        "codings": "INSERT, UPDATE, DELETE",
        "themes": "INSERT, UPDATE, DELETE",
        "code_themes": "INSERT, UPDATE, DELETE",
        "memos": "INSERT, UPDATE, DELETE",
        "code_aliases": "INSERT, UPDATE, DELETE",
        "finding_links": "INSERT, UPDATE, DELETE",
        "review_items": "UPDATE (theme_name, code_label, code_id)",
    },
    "supervisor": {
        "coders": "INSERT, UPDATE (role)",  # core.review.mark_reviewer
        "review_items": "INSERT, UPDATE (status, status_by, status_set, theme_name, code_label)",
        "review_comments": "INSERT, UPDATE, DELETE",
        "review_imports": "INSERT",
    },
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def group_role(project: str, role: str) -> str:
    return f"{project}_{role}"


def _raw(db: Any) -> Any:
    return db.conn.raw


def role_exists(db: Any, name: str) -> bool:
    return _raw(db).execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None


def current_user(db: Any) -> str:
    return _raw(db).execute("SELECT current_user").fetchone()[0]


@contextmanager
def _admin(raw: Any) -> Iterator[None]:
    """Creating roles and granting need rights on the server: say so in one line."""
    import psycopg

    try:
        with raw.transaction():
            yield
    except psycopg.errors.InsufficientPrivilege as exc:
        first = str(exc).strip().splitlines()[0]
        raise UserError(f"{raw.info.user} may not manage roles on this server ({first}); run this as the "
                        "project's owner or a database administrator (a role with CREATEROLE)") from None


def apply_grants(db: Any) -> None:
    """Create the three group roles if missing and (re)grant every table of the project."""
    with _admin(_raw(db)):
        _grant(_raw(db), db.project)


def regrant_after_migration(conn: Any) -> None:
    """A migration of a team project: the new tables get their grants in the same transaction."""
    if conn.raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                        (group_role(conn.schema_name, "owner"),)).fetchone() is not None:
        _grant(conn.raw, conn.schema_name)


def _grant(raw: Any, project: str) -> None:
    schema = _q(project)
    tables = [r[0] for r in raw.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (project,)).fetchall()]
    for role in ROLES:
        name = group_role(project, role)
        if raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None:
            raw.execute(f"CREATE ROLE {_q(name)} NOLOGIN")
        raw.execute(f"GRANT USAGE ON SCHEMA {schema} TO {_q(name)}")
        raw.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {_q(name)}")
        raw.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {_q(name)}")
        raw.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {_q(name)}")
        grants = dict(COMMON_WRITE)
        if role == "owner":
            grants = {t: "INSERT, UPDATE, DELETE, TRUNCATE" for t in tables}
        else:
            grants.update(ROLE_WRITE[role])
        for table, privileges in grants.items():
            if table in tables:
                raw.execute(f"GRANT {privileges} ON {schema}.{_q(table)} TO {_q(name)}")
    # The owner group may also migrate the schema (new tables, triggers) on upgrades.
    raw.execute(f"GRANT CREATE ON SCHEMA {schema} TO {_q(group_role(project, 'owner'))}")
    _own_rows(raw, project, tables)


# Row-level security: the log says who did what, so a person writes log rows (and their row
# in `coders`) only under their own name; owners may write any (imports for others, roles).
OWN_ROWS = {"actions": "coder", "coders": "name"}


def _own_rows(raw: Any, project: str, tables: list[str]) -> None:
    owner = group_role(project, "owner").replace("'", "''")
    for table, column in OWN_ROWS.items():
        if table not in tables:
            continue
        target = f"{_q(project)}.{_q(table)}"
        mine = f"({_q(column)} = current_user OR pg_has_role(current_user, '{owner}', 'MEMBER'))"
        raw.execute(f"ALTER TABLE {target} ENABLE ROW LEVEL SECURITY")
        for policy, clause in (("read", "FOR SELECT USING (true)"),
                               ("insert", f"FOR INSERT WITH CHECK {mine}"),
                               ("update", f"FOR UPDATE USING {mine} WITH CHECK {mine}"),
                               ("delete", f"FOR DELETE USING {mine}")):
            raw.execute(f"DROP POLICY IF EXISTS {_q(table + '_' + policy)} ON {target}")
            raw.execute(f"CREATE POLICY {_q(table + '_' + policy)} ON {target} {clause}")


def add_member(db: Any, person: str, role: str, *, create_login: bool) -> bool:
    """Make `person` (a PostgreSQL role) a member of the project in `role`. True if the login
    role was created."""
    raw = _raw(db)
    created = False
    with _admin(raw):
        if not role_exists(db, person):
            if not create_login:
                raise UserError(f"no PostgreSQL role {person!r} on the server (leave out --existing to create it)")
            raw.execute(f"CREATE ROLE {_q(person)} LOGIN")
            created = True
        raw.execute(f"GRANT CONNECT ON DATABASE {_q(raw.info.dbname)} TO {_q(person)}")
        for other in ROLES:
            raw.execute(f"REVOKE {_q(group_role(db.project, other))} FROM {_q(person)}")
        raw.execute(f"GRANT {_q(group_role(db.project, role))} TO {_q(person)}")
    return created


def members(db: Any) -> list[tuple[str, str]]:
    """(person, role) of everyone in one of the project's groups."""
    names = {group_role(db.project, r): r for r in ROLES}
    rows = _raw(db).execute(
        "SELECT m.rolname, g.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid "
        "JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = ANY(%s) ORDER BY m.rolname",
        (list(names),)).fetchall()
    return [(member, names[group]) for member, group in rows]


def role_of(db: Any, person: str) -> str | None:
    return dict(members(db)).get(person)


def drop_project(url: str) -> None:
    """Remove a project schema (a failed push leaves nothing behind)."""
    from themecoder.store.pg import _connect, split_target

    conninfo, project = split_target(url)
    raw = _connect(conninfo)
    try:
        raw.execute(f"DROP SCHEMA IF EXISTS {_q(project)} CASCADE")
    finally:
        raw.close()
