"""The command palette (ctrl+p): every action of the screen it opens on, plus the registry
screens and the documents. Built on Textual's command Provider API."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


def binding_commands(screen) -> list[tuple[str, str, Callable[[], Any]]]:
    """(title, help, callback) for each enabled binding with a description on `screen`."""
    out: list[tuple[str, str, Callable[[], Any]]] = []
    seen: set[str] = set()
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or not active.enabled:
            continue
        title = binding.description
        if title in seen:
            continue
        seen.add(title)
        keys = app.get_key_display(binding)
        node = active.node
        out.append((title, f"key: {keys}", partial(node.run_action, binding.action)))
    return out


class WorkbenchCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        commands = binding_commands(self.screen)
        extra = getattr(self.app, "palette_commands", None)
        if extra is not None:
            titles = {c[0] for c in commands}
            commands += [c for c in extra() if c[0] not in titles]
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
