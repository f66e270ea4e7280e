"""Confirm: a yes/no question with an optional detail line."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class Confirm(ModalScreen[bool]):
    """y confirms, n or escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,j", "answer(True)", "Yes", show=True),
        Binding("n,escape", "answer(False)", "No", show=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail)
            yield Label("y yes · n no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def dismiss_unless_unsaved(dialog: ModalScreen, unsaved: bool, what: str = "text") -> None:
    """Escape in an editor: close it at once when nothing was typed, else ask first ("n"
    goes back to the editor with the text as it was)."""
    if not unsaved:
        dialog.dismiss(None)
        return

    def answer(discard: bool | None) -> None:
        if discard:
            dialog.dismiss(None)

    dialog.app.push_screen(Confirm(f"Discard the unsaved {what}?",
                                   "y discards it · n goes back to it (ctrl+s saves)"), answer)
