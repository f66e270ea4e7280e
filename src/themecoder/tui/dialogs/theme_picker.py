"""The fuzzy "move to …" theme picker, which can also make a new theme or subtheme."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core import resolve
from themecoder.core.text import collapse_ws
from themecoder.errors import UserError
from themecoder.model import Theme
from themecoder.tui.screens.base import FilterPicker

_PATH_SPLIT = re.compile(r"\s*(?:›|>|/)\s*")  # as core.resolve splits a theme path


@dataclass(frozen=True, slots=True)
class ThemePick:
    theme_id: str | None = None       # an existing theme (None with top_level: the top level)
    new_name: str | None = None       # or a new theme with this name ...
    parent_id: str | None = None      # ... under this parent (None: at the top level)
    top_level: bool = False


class ThemePicker(FilterPicker, ModalScreen[ThemePick | None]):
    """Type to filter themes (fuzzy over "Theme › Subtheme" paths); Enter chooses. A name
    that is not a theme offers a new theme, at the top level or under `context` (and
    "Parent/Name" makes a subtheme of Parent)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, heading: str, themes: list[tuple[Theme, str]], *, context: Theme | None = None,
                 allow_new: bool = True, allow_top: bool = False, exclude: set[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.themes = [(t, p) for t, p in themes if not exclude or t.id not in exclude]
        self.context = context
        self.allow_new = allow_new
        self.allow_top = allow_top
        self._new: dict[str, ThemePick] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="theme-picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type a theme" + (", or a new name" if self.allow_new else ""),
                        id="theme-picker-input")
            yield OptionList(id="theme-picker-options")
            yield Label("↑↓ choose · Enter moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._filter("")

    def _filter(self, query: str) -> None:
        query = collapse_ws(query)
        options = self.query_one(OptionList)
        items: list[Option] = []
        if query:
            from rapidfuzz import fuzz, process, utils

            paths = [p for _, p in self.themes]
            hits = process.extract(query, paths, scorer=fuzz.WRatio, processor=utils.default_process,
                                   limit=None, score_cutoff=50)
            q = query.casefold()

            def rank(hit):
                path, score, idx = hit
                name = self.themes[idx][0].name.casefold()
                boost = 30 if name.startswith(q) else 20 if q in path.casefold() else 0
                return -(score + boost), path.casefold()

            ranked = [self.themes[i] for _, _, i in sorted(hits, key=rank)]
        else:
            ranked = list(self.themes)
        exact = any(t.name.casefold() == query.casefold() or p.casefold() == query.casefold()
                    for t, p in self.themes)
        if self.allow_top and not query:
            items.append(Option(Content.assemble(("↑ ", "bold"), "the top level"), id="top"))
        for t, path in ranked:
            items.append(Option(path, id=f"theme:{t.id}"))
        self._new = {}
        if self.allow_new and query and not exact:
            parent, name = self._parent_and_name(query)
            if parent is not None:
                self._new["new-sub"] = ThemePick(new_name=name, parent_id=parent.id)
                items.insert(0, Option(Content.assemble(("+ New subtheme ", "bold"), f"«{name}»",
                                                        (f" under «{parent.name}»", "dim")), id="new-sub"))
            else:
                self._new["new-top"] = ThemePick(new_name=query)
                items.insert(0 if not ranked else len(items), Option(
                    Content.assemble(("+ New theme ", "bold"), f"«{query}»"), id="new-top"))
                if self.context is not None:
                    self._new["new-context"] = ThemePick(new_name=query, parent_id=self.context.id)
                    items.append(Option(Content.assemble(("+ New subtheme ", "bold"), f"«{query}»",
                                                         (f" under «{self.context.name}»", "dim")),
                                        id="new-context"))
        options.set_options(items)
        if items:
            options.highlighted = 0

    def _parent_and_name(self, query: str) -> tuple[Theme | None, str]:
        """"Parent/Name" or "Parent › Name": the parent (its whole name or path, read as
        core.resolve reads theme references) and the new name; else (None, query)."""
        candidates = [resolve.Candidate(t.id, (path, t.name), t) for t, path in self.themes]
        for sep in ("›", "/"):
            if sep in query:
                head, _, name = query.rpartition(sep)
                head, name = collapse_ws(head), collapse_ws(name)
                if not (head and name):
                    continue
                head = resolve.PATH_SEPARATOR.join(p for p in _PATH_SPLIT.split(head) if p)
                try:
                    return resolve.pick("theme", head, candidates, prefix=False), name
                except UserError:  # no such theme, or several: a new top-level name
                    continue
        return None, query

    def _choose(self, option_id: str | None) -> None:
        if not option_id:
            return
        if option_id == "top":
            self.dismiss(ThemePick(top_level=True))
        elif option_id.startswith("theme:"):
            self.dismiss(ThemePick(theme_id=option_id[6:]))
        elif option_id in self._new:
            self.dismiss(self._new[option_id])

    def action_cancel(self) -> None:
        self.dismiss(None)
