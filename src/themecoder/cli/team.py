"""`themecoder team`: a project on a PostgreSQL server for a research group or a course.

    themecoder team init postgresql://server/db?project=masterstudie
    themecoder team add-member postgresql://server/db?project=masterstudie kari --role coder
    themecoder team set-role postgresql://server/db?project=masterstudie kari supervisor
    themecoder team push oppgave.themecoder postgresql://server/db?project=masterstudie
    themecoder team pull postgresql://server/db?project=masterstudie kopi.themecoder
"""
from __future__ import annotations

import argparse

from themecoder.cli.common import Commands, emit_json, json_option, open_project, option

commands = Commands()
register = commands.register
team = commands.group(
    "team", dest="team_command", required=True,
    help="team projects on a PostgreSQL server: init, add-member, set-role, members, push, pull",
    description="A project on a PostgreSQL server (postgresql://host/database?project=name): each person "
                "connects as their own PostgreSQL role, and the server's grants enforce the roles coder "
                "(codes, codings, themes, memos), supervisor (review statuses and comments) and owner "
                "(everything: the codebook structure, documents, settings, findings, anonymisation, exports).")
URL = option("url", help="the project on the server: postgresql://host/database?project=name")
ROLE_HELP = "coder, supervisor or owner"


@team.command("init", URL, option("--name", help="the project's display name"), json_option,
              help="create the project on the server (if new), its roles and grants; you become owner")
def cmd_init(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    with core_team.init(args.url, name=args.name, coder=args.coder) as project:
        if args.json:
            emit_json({"url": args.url, "owner": project.coder})
        else:
            print(f"team project ready: {project.name}; owner {project.coder}")
    return 0


@team.command("add-member", URL, option("person", help="their PostgreSQL role (login name)"),
              option("--role", default="coder", help=ROLE_HELP),
              option("--existing", action="store_true", help="the login role must exist already"),
              option("--password-prompt", action="store_true",
                     help="ask for the login's password (twice, not shown); it is hashed before it is sent"),
              help="give a person a role in the project (creates their login role if missing)")
def cmd_add_member(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    password = _ask_password(args.person) if args.password_prompt else None
    with open_project(args.url, args.coder) as project:
        created = core_team.add_member(project, args.person, args.role, create_login=not args.existing,
                                       password=password)
    note = ""
    if created and password is None:
        note = " (new login role without a password: use --password-prompt, or peer/certificate authentication)"
    print(f"{args.person} is {args.role}{note}")
    return 0


def _ask_password(person: str) -> str:
    """Read a password from the terminal, never from the command line (it would stand in the
    shell's history and the process list)."""
    from getpass import getpass

    from themecoder.errors import UserError

    first = getpass(f"password for {person}: ")
    if not first:
        raise UserError("the password is empty; nothing was changed")
    if getpass(f"password for {person} again: ") != first:
        raise UserError("the two passwords differ; nothing was changed")
    return first


@team.command("set-role", URL, option("person", help="their PostgreSQL role"), option("role", help=ROLE_HELP),
              help="change a member's role")
def cmd_set_role(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    with open_project(args.url, args.coder) as project:
        core_team.set_role(project, args.person, args.role)
    print(f"{args.person} is {args.role}")
    return 0


@team.command("members", URL, json_option, help="list the members and their roles")
def cmd_members(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    with open_project(args.url, args.coder) as project:
        rows = core_team.members(project)
    if args.json:
        emit_json([{"person": p, "role": r} for p, r in rows])
    else:
        for person, role in rows:
            print(f"{person:<24} {role}")
    return 0


def _print_counts(counts: dict[str, int], verb: str, where: str) -> None:
    keys = ("documents", "codes", "codings", "themes", "memos", "actions")
    print(f"{verb} {where}: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in keys))


@team.command("push", option("file", help="the project file (*.themecoder)"), URL,
              help="copy a whole project file to a new project on the server")
def cmd_push(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    _print_counts(core_team.push(args.file, args.url), "copied to", args.url)
    return 0


@team.command("pull", URL, option("file", help="the new project file (*.themecoder)"),
              help="copy a whole server project into a new project file")
def cmd_pull(args: argparse.Namespace) -> int:
    from themecoder.core import team as core_team

    _print_counts(core_team.pull(args.url, args.file), "copied to", args.file)
    return 0
