"""AskText: one line of text in a dialog (a name, a comment)."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from themecoder.core.text import collapse_ws


class AskText(ModalScreen[str | None]):
    """One line of text: Enter accepts, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, heading: str, initial: str = "", *, placeholder: str = "", hint: str = "",
                 allow_empty: bool = False) -> None:
        super().__init__()
        self.heading, self.initial, self.placeholder = heading, initial, placeholder
        self.hint = hint or "Enter accepts · escape cancels"
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(self.initial, placeholder=self.placeholder, id="ask-input")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = collapse_ws(event.value)
        if value or self.allow_empty:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
