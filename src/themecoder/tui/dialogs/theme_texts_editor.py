"""The texts of a theme: description, analytic text and condensate."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from themecoder.model import Theme


@dataclass(frozen=True, slots=True)
class ThemeTexts:
    description: str
    analytic_text: str
    condensate: str


class ThemeTextsEditor(ModalScreen[ThemeTexts | None]):
    """Description, analytic text and condensate of a theme; ctrl+s saves all three."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]
    DEFAULT_CSS = """
    ThemeTextsEditor #theme-texts TextArea { height: 6; }
    """

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="theme-texts"):
            yield Label(f"Theme «{self.theme.name}»", classes="dialog-title")
            yield Label("Description")
            yield TextArea(self.theme.description, id="text-description", soft_wrap=True)
            yield Label("Analytic text")
            yield TextArea(self.theme.analytic_text, id="text-analytic", soft_wrap=True)
            yield Label("Condensate (Malterud: an artificial quote in the informants' voice)")
            yield TextArea(self.theme.condensate, id="text-condensate", soft_wrap=True)
            yield Label("tab next field · ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-description", TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(ThemeTexts(self.query_one("#text-description", TextArea).text,
                                self.query_one("#text-analytic", TextArea).text,
                                self.query_one("#text-condensate", TextArea).text))

    def action_cancel(self) -> None:
        """Escape: nothing typed goes without asking."""
        from themecoder.tui.dialogs.confirm import dismiss_unless_unsaved

        now = (self.query_one("#text-description", TextArea).text, self.query_one("#text-analytic", TextArea).text,
               self.query_one("#text-condensate", TextArea).text)
        before = (self.theme.description, self.theme.analytic_text, self.theme.condensate)
        dismiss_unless_unsaved(self, now != before, "theme texts")
