"""The code picker: type to filter codes (fuzzy, best first), Enter applies the highlighted
one; a label that matches no code offers a new empirically-near code, but before it is
created, similar existing codes are shown ("did you mean …") so near-duplicates are caught.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core.coding import fuzzy_codes, similar_codes
from themecoder.core.text import collapse_ws
from themecoder.core.views import rank_codes
from themecoder.model import Code
from themecoder.tui.screens.base import FilterPicker
from themecoder.tui.widgets.hanging import hanging


@dataclass(frozen=True, slots=True)
class Pick:
    code_id: str | None = None  # an existing code
    label: str | None = None  # or a new code with this label


def code_prompt(code: Code, count: int | None = None):
    """A code's row in a list: a long label wraps under itself, not under the colour mark."""
    parts: list = [code.label]
    if count is not None:
        parts.append((f"  {count}", "dim"))
    return hanging([("■ ", code.colour)], parts)


class CodePicker(FilterPicker, ModalScreen[Pick | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", "Next code", show=False),
        Binding("up", "move(-1)", "Previous code", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, codes: list[Code], counts: dict[str, int] | None = None, *, heading: str = "Code the selection",
                 quote: str = "", allow_new: bool = True, initial: str = "", exclude: set[str] | None = None) -> None:
        super().__init__()
        self.codes = [c for c in codes if not exclude or c.id not in exclude]
        self.counts = counts or {}
        self.heading = heading
        self.quote = quote
        self.allow_new = allow_new
        self.initial = initial
        self.confirming: str | None = None  # the new label awaiting "did you mean"
        self._by_id = {c.id: c for c in self.codes}

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            if self.quote:
                q = collapse_ws(self.quote)
                yield Static(f"«{q[:157] + '…' if len(q) > 160 else q}»", id="picker-quote")
            placeholder = "type to filter codes" + (", or a new code label" if self.allow_new else "")
            yield Input(self.initial, id="picker-input", placeholder=placeholder)
            yield Label("", id="picker-prompt")
            yield OptionList(id="picker-options")
            hint = "↑↓ choose · Enter applies · escape cancels"
            yield Label(hint, classes="dialog-hint", id="picker-hint")

    def on_mount(self) -> None:
        self.query_one("#picker-prompt", Label).display = False
        self.query_one(Input).focus()
        self._filter(self.initial)

    # -- filtering -----------------------------------------------------------------------
    def _filter(self, query: str) -> None:
        self.confirming = None
        prompt = self.query_one("#picker-prompt", Label)
        prompt.display = False
        options = self.query_one(OptionList)
        query_clean = collapse_ws(query)
        suggestions = fuzzy_codes(self.codes, query_clean, limit=len(self.codes))
        suggestions, strong = rank_codes(suggestions, query_clean)
        if query_clean:
            suggestions = suggestions[:50]
        items: list[Option] = []
        exact = any(c.label.casefold() == query_clean.casefold() for c in self.codes)
        offer_new = self.allow_new and bool(query_clean) and not exact
        if offer_new:
            items.append(Option(Content.assemble(("+ New code ", "bold"), f"«{query_clean}»"), id="new"))
        for s in suggestions:
            items.append(Option(code_prompt(s.code, self.counts.get(s.code.id, 0)), id=f"code:{s.code.id}"))
        options.set_options(items)
        if not items:
            return
        highlight = 0
        if offer_new and strong:
            highlight = 1  # the best word-for-word match, not "new code"
        options.highlighted = highlight

    def _choose(self, option_id: str | None) -> None:
        if not option_id:
            return
        if option_id.startswith("code:"):
            self.dismiss(Pick(code_id=option_id[5:]))
            return
        label = collapse_ws(self.query_one(Input).value)
        if option_id == "create" or not label:
            if label:
                self.dismiss(Pick(label=label))
            return
        similar = similar_codes(self.codes, label)
        if not similar:
            self.dismiss(Pick(label=label))
            return
        self._confirm(label, [s.code for s in similar])

    def _confirm(self, label: str, similar: list[Code]) -> None:
        """Did you mean …? Similar codes first, then "create anyway"."""
        self.confirming = label
        prompt = self.query_one("#picker-prompt", Label)
        prompt.update(Content.assemble(("Did you mean …? ", "bold"),
                                       f"«{label}» is close to existing codes. Choose one, or create the new code."))
        prompt.display = True
        options = self.query_one(OptionList)
        items = [Option(code_prompt(c, self.counts.get(c.id, 0)), id=f"code:{c.id}") for c in similar]
        items.append(Option(Content.assemble(("+ Create new code ", "bold"), f"«{label}»", (" anyway", "dim")),
                            id="create"))
        options.set_options(items)
        options.highlighted = 0

    def action_cancel(self) -> None:
        if self.confirming is not None:
            self._filter(self.query_one(Input).value)
            return
        self.dismiss(None)
