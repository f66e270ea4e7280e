"""A short list of choices (1, 2, 3 or Enter): the base of the outcome and design choosers."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class JointChoice(ModalScreen[str | None]):
    """A short list: 1, 2, 3 or Enter chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("1", "pick(0)", show=False),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
    ]
    CHOICES: tuple[str, ...] = ()
    HELP: ClassVar[dict[str, str]] = {}

    def __init__(self, heading: str, current: str | None = None) -> None:
        super().__init__()
        self.heading, self.current = heading, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(*[
                Option(Content.assemble((f"{i}  ", "dim"), (c, "bold"), ("  ✓" if c == self.current else "", "green"),
                                        (f"  {self.HELP.get(c, '')}", "dim")), id=c)
                for i, c in enumerate(self.CHOICES, 1)], id="jd-choice")
            yield Label("1–3 or ↑↓ Enter choose · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.CHOICES.index(self.current) if self.current in self.CHOICES else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if index < len(self.CHOICES):
            self.dismiss(self.CHOICES[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
