"""Which of the codings here? (remove, recode and memo when several overlap.)"""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core.text import collapse_ws
from themecoder.model import Code


class ChooseCoding(ModalScreen[str | None]):
    """Which of the codings here? (for remove, recode and memo when several overlap)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, heading: str, rows: list[tuple[str, Code, str]]) -> None:
        super().__init__()
        self.heading = heading
        self.rows = rows  # (coding id, code, quote)

    def compose(self) -> ComposeResult:
        with Vertical(id="choose-dialog", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            items = []
            for coding_id, code, quote in self.rows:
                q = collapse_ws(quote)
                q = q[:60] + "…" if len(q) > 61 else q
                items.append(Option(Content.assemble(("■ ", code.colour), code.label, ("  «" + q + "»", "dim")),
                                    id=coding_id))
            yield OptionList(*items, id="choose-options")
            yield Label("Enter chooses · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
