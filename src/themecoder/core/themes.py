"""Themes (code groups): nested theme > subtheme, ordered, with codes mapped many-to-many."""
from __future__ import annotations

from themecoder.core.errors import Conflict, UserError
from themecoder.core.model import Theme
from themecoder.core.project import Project, new_id
from themecoder.store import repo
from themecoder.store.db import now


def create_theme(project: Project, name: str, *, parent_id: str | None = None, description: str = "") -> Theme:
    name = " ".join(name.split())
    if not name:
        raise UserError("a theme needs a name")
    if parent_id is not None:
        repo.theme(project.db, parent_id)
    theme_id = new_id()
    where = "parent_id IS ?" 
    with project.action("create-theme", f"create theme «{name}»", {"theme": name}) as conn:
        clash = conn.execute(f"SELECT 1 FROM themes WHERE {where} AND lower(name) = lower(?)", (parent_id, name)).fetchone()
        if clash:
            raise Conflict(f"a theme called {name!r} exists already at that level")
        position = conn.execute(f"SELECT coalesce(max(position), 0) + 1 FROM themes WHERE {where}", (parent_id,)).fetchone()[0]
        conn.execute(
            "INSERT INTO themes(id, parent_id, name, description, position, created) VALUES (?, ?, ?, ?, ?, ?)",
            (theme_id, parent_id, name, description, position, now()),
        )
    return repo.theme(project.db, theme_id)


def add_code_to_theme(project: Project, code_id: str, theme_id: str) -> None:
    code, theme = repo.code(project.db, code_id), repo.theme(project.db, theme_id)
    with project.action("map-code", f"«{code.label}» → theme «{theme.name}»",
                        {"code": code.label, "theme": theme.name}) as conn:
        _map(conn, code_id, theme_id)


def _map(conn, code_id: str, theme_id: str) -> None:
    position = conn.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM code_themes WHERE theme_id = ?", (theme_id,)).fetchone()[0]
    conn.execute(
        "INSERT OR IGNORE INTO code_themes(code_id, theme_id, position, created) VALUES (?, ?, ?, ?)",
        (code_id, theme_id, position, now()),
    )


def remove_code_from_theme(project: Project, code_id: str, theme_id: str) -> None:
    code, theme = repo.code(project.db, code_id), repo.theme(project.db, theme_id)
    with project.action("unmap-code", f"«{code.label}» out of theme «{theme.name}»",
                        {"code": code.label, "theme": theme.name}) as conn:
        conn.execute("DELETE FROM code_themes WHERE code_id = ? AND theme_id = ?", (code_id, theme_id))
