"""People and rights on the server: PostgreSQL roles and grants, enforced by the database.

Each project has three group roles, `<project>_coder`, `<project>_supervisor` and
`<project>_owner`; each person logs in as their own role and is a member of one of them. The
grants (not a home-made login) decide what a connection may change, so hand-written SQL is held
to the same rules as themecoder:

- every role reads everything and may write the action log (only under its own name: row-level
  security on `actions` and `coders`), its own row in `coders`, and the
  derived caches (the word index and the identifier check, rebuilt from the text on reading);
  `changes` and `review_history` are written only by the capture triggers (SECURITY DEFINER);
- coder: codes (creating, renaming, describing, recolouring: creating a code while coding is
  coding), codings, themes and the theme tree, the code-to-theme mappings, memos, links from
  themes to findings; and the labels a review item keeps of its theme and code;
- supervisor: review items (their status) and review comments, nothing else;
- owner: everything, which is the codebook structure (merging, splitting and deleting codes,
  importing a codebook; documents, participants, attributes, settings), findings,
  anonymisation (pseudonym replacement, the known-name and ignore lists, the key file and its
  settings) and purging undo data.

Two guards (triggers, `GUARDS`) hold what a grant cannot say: a code is deleted (merged away or
deleted) only by an owner, except that a coder may withdraw a code they created themselves once
it codes nothing (undoing "code with a new code" does exactly that); and the action kinds of
`OWNER_ACTIONS` (a split is, row by row, a new code and recoded codings, which a coder may do)
are logged only by an owner. Exports only read, so the app checks them (`may_export`).
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


# Actions that only an owner may log (checked by the server when the action starts): the
# codebook structure and anonymisation. What each is called in the refusal.
OWNER_ACTIONS = {
    "merge-codes": "merging codes",
    "split-code": "splitting a code",
    "delete-code": "deleting a code",
    "import-codebook": "importing a codebook",
    "anonymise-replace": "pseudonym replacement",
    "anonymise-ignore": "the anonymisation ignore list",
    "anonymise-unignore": "the anonymisation ignore list",
    "anonymise-known-name": "the anonymisation list of known names",
    "anonymise-forget-name": "the anonymisation list of known names",
    "anonymise-key": "the key file (koblingsnøkkel)",
    "anonymise-key-delete": "the key file (koblingsnøkkel)",
    "setting": "the project's settings",
}
PRIVILEGE = "insufficient_privilege"


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
        _grant(conn.raw, conn.schema_name, replace=False)


def _grant(raw: Any, project: str, *, replace: bool = True) -> None:
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
    _guards(raw, project, tables, replace=replace)


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


# -- the guards: what a grant cannot say -------------------------------------------------------
def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _guard_functions(project: str) -> dict[str, str]:
    s = _q(project)
    owner = _lit(group_role(project, "owner"))
    is_owner = (f"(pg_has_role(current_user, {owner}, 'MEMBER') OR pg_has_role(current_user, "
                f"(SELECT nspowner FROM pg_namespace WHERE nspname = {_lit(project)}), 'MEMBER'))")
    kinds = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in OWNER_ACTIONS.items())
    # SECURITY INVOKER (the default): current_user is the person acting.
    return {
        "guard_owner_actions": f"""
            CREATE OR REPLACE FUNCTION {s}.guard_owner_actions() RETURNS trigger LANGUAGE plpgsql
            SET search_path = {s} AS $$
            DECLARE what text := CASE NEW.kind {kinds} ELSE NULL END;
            BEGIN
                IF what IS NOT NULL AND NOT {is_owner} THEN
                    RAISE EXCEPTION USING ERRCODE = '{PRIVILEGE}',
                        MESSAGE = what || ' is for the project''s owner';
                END IF;
                RETURN NEW;
            END $$""",
        "guard_code_delete": f"""
            CREATE OR REPLACE FUNCTION {s}.guard_code_delete() RETURNS trigger LANGUAGE plpgsql
            SET search_path = {s} AS $$
            BEGIN
                IF NOT {is_owner} AND NOT (OLD.author IS NOT DISTINCT FROM current_user::text
                        AND NOT EXISTS (SELECT 1 FROM codings WHERE code_id = OLD.id)) THEN
                    RAISE EXCEPTION USING ERRCODE = '{PRIVILEGE}',
                        MESSAGE = 'deleting or merging codes is for the project''s owner';
                END IF;
                RETURN OLD;
            END $$""",
    }


# trigger name -> (table, event, function)
GUARDS = {
    "guard_owner_actions": ("actions", "BEFORE INSERT OR UPDATE OF kind", "guard_owner_actions"),
    "guard_code_delete": ("codes", "BEFORE DELETE", "guard_code_delete"),
}


def _guards(raw: Any, project: str, tables: list[str], *, replace: bool) -> None:
    """Install the guard functions and triggers. `replace` (team init, add-member: someone who
    manages roles) renews them; after a migration only what is missing is added (a table that a
    migration rebuilt lost its trigger; the functions belong to whoever created them)."""
    functions = _guard_functions(project)
    have = {r[0] for r in raw.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s", (project,)).fetchall()}
    for name, sql in functions.items():
        if replace or name not in have:
            raw.execute(sql)
    triggers = {r[0] for r in raw.execute(
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s", (project,)).fetchall()}
    for name, (table, event, function) in GUARDS.items():
        if table not in tables or (name in triggers and not replace):
            continue
        target = f"{_q(project)}.{_q(table)}"
        raw.execute(f"DROP TRIGGER IF EXISTS {_q(name)} ON {target}")
        raw.execute(f"CREATE TRIGGER {_q(name)} {event} ON {target} FOR EACH ROW "
                    f"EXECUTE FUNCTION {_q(project)}.{_q(function)}()")


def my_role(db: Any) -> str | None:
    """The role of the person connected: 'owner', 'supervisor' or 'coder'; None on a project
    without team roles (pushed, never shared: its one user may do everything) and for someone
    in none of the groups. Whoever owns the schema (or administers the server) is an owner."""
    raw = _raw(db)
    groups = [group_role(db.project, r) for r in ("owner", "supervisor", "coder")]
    present = {r[0] for r in raw.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)",
                                         (groups,)).fetchall()}
    if group_role(db.project, "owner") not in present:
        return None
    if raw.execute("SELECT pg_has_role(current_user, nspowner, 'MEMBER') FROM pg_namespace "
                   "WHERE nspname = %s", (db.project,)).fetchone()[0]:
        return "owner"
    for role, group in zip(("owner", "supervisor", "coder"), groups, strict=True):
        if group in present and raw.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')",
                                            (group,)).fetchone()[0]:
            return role
    return None


def has_team(db: Any) -> bool:
    return role_exists(db, group_role(db.project, "owner"))


# -- refusals: one line naming the role ------------------------------------------------------
def writers_of(table: str) -> list[str]:
    """The roles that write `table` (beyond a few columns), the owner last."""
    roles = [r for r in ("coder", "supervisor")
             if table in COMMON_WRITE or not ROLE_WRITE[r].get(table, "UPDATE (").startswith("UPDATE (")]
    return [*roles, "owner"]


def refusal(user: str, exc: Any) -> str:
    """The one line for the server refusing `user` (an InsufficientPrivilege error)."""
    import re

    diag = getattr(exc, "diag", None)
    primary = (getattr(diag, "message_primary", None) or str(exc).strip().splitlines()[0]).strip()
    hint = "the project owner decides roles (themecoder team set-role)"
    if primary.endswith("is for the project's owner"):
        return f"not allowed for {user} in this project: {primary}; {hint}"
    table = re.match(r'permission denied for (?:table|relation) "?([\w.]+)"?', primary)
    if table:
        name = table.group(1).rsplit(".", 1)[-1]
        roles = writers_of(name)
        needed = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " or " + roles[-1]
        return f"not allowed for {user} in this project: changing {name} needs the role {needed} ({primary}); {hint}"
    return f"not allowed for {user} in this project ({primary}); {hint}"


def set_password(db: Any, person: str, password: str) -> None:
    """Give a login role a password, hashed here (SCRAM-SHA-256) so that neither the server's
    statement log nor anything else ever holds it in clear text."""
    raw = _raw(db)
    if not password:
        raise UserError("the password is empty; nothing was changed")
    digest = raw.pgconn.encrypt_password(password.encode(), person.encode(), b"scram-sha-256").decode()
    with _admin(raw):
        raw.execute(f"ALTER ROLE {_q(person)} PASSWORD {_lit(digest)}")


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
