"""Choose the key quote ("gullsitat") of a theme."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from themecoder.model import Theme


class KeyQuotePicker(ModalScreen[str | None]):
    """Choose the key quote ("gullsitat") among the quotes of a theme's codes. Returns a
    coding id, "" to clear, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]
    DEFAULT_CSS = """
    KeyQuotePicker #key-quotes { height: auto; max-height: 20; }
    """

    def __init__(self, theme: Theme, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.theme = theme
        self.rows = rows  # (coding id, "who · code", quote)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Key quote for «{self.theme.name}»", classes="dialog-title")
            items = [Option(Content.assemble(("✕ ", "bold"), "no key quote"), id="none")]
            for coding_id, who, quote in self.rows:
                mark = "★ " if coding_id == self.theme.key_coding_id else ""
                items.append(Option(Content.assemble((mark, "bold"), (who, "dim"), "\n", f"«{quote}»"),
                                    id=coding_id))
            yield OptionList(*items, id="key-quotes")
            yield Label("Enter chooses · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = ["none"] + [r[0] for r in self.rows]
        options.highlighted = ids.index(self.theme.key_coding_id) if self.theme.key_coding_id in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss("" if event.option.id == "none" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
