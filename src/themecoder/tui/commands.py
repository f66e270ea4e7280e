"""The command palette (ctrl+p): the workbench's own actions first, with their keys (the
screen's, then the app's, the registry screens and the documents), Textual's system
commands last ("Theme" renamed "Colour scheme" so that "theme" finds analysis themes).
Built on Textual's command Provider API; the app lists only this provider."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], Any]]


def textual_bindings(node) -> set[tuple[str, str]]:
    """(key, action) of the bindings Textual's own classes give `node` (focus next, copy …)."""
    out: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("textual."):
            for b in cls.__dict__.get("BINDINGS", ()):
                if isinstance(b, Binding):
                    out.update((k.strip(), b.action) for k in b.key.split(","))
    return out


def ours(node, binding: Binding) -> bool:
    """A binding of the workbench (its app, screens and widgets), not one Textual brings
    along ("Cursor up", "Page Left" of a list or a table, "Focus Next")."""
    if type(node).__module__.startswith("textual.") or binding.action == "command_palette":
        return False
    return (binding.key, binding.action) not in textual_bindings(node)


def binding_commands(screen) -> list[Command]:
    """(title, help, callback) for each enabled binding with a description on `screen`:
    the screen's (and its widgets') first, then the app's."""
    near: list[Command] = []
    far: list[Command] = []
    seen: set[str] = set()
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        node = active.node
        if not binding.description or binding.system or not active.enabled or not ours(node, binding):
            continue
        title = binding.description
        if title in seen:
            continue
        seen.add(title)
        keys = app.get_key_display(binding)
        (far if node is app else near).append((title, f"key: {keys}", partial(node.run_action, binding.action)))
    return near + far


def system_commands(screen) -> list[Command]:
    """Textual's own commands (colour scheme, keys panel, screenshot, quit), after ours."""
    get = getattr(screen.app, "get_system_commands", None)
    if get is None:
        return []
    return [(c.title, c.help, c.callback) for c in get(screen) if c.discover]


class WorkbenchCommands(Provider):
    def _commands(self) -> list[Command]:
        commands = binding_commands(self.screen)
        extra = getattr(self.app, "palette_commands", None)
        if extra is not None:
            listed = extra()
            opens = {title.removeprefix("Open: ") for title, _, _ in listed if title.startswith("Open: ")}
            commands = [c for c in commands if c[0] not in opens]  # "Open: Export", with its key
            titles = {c[0] for c in commands}
            commands += [c for c in listed if c[0] not in titles]
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands() + system_commands(self.screen):
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(1000 + score, matcher.highlight(title), callback, help=help_text)
        for title, help_text, callback in system_commands(self.screen):
            score = matcher.match(title)
            if score > 0:  # below every workbench command that matches
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
