"""Replace a suspected identifier: the replacement (a suggestion filled in), the key file
when the project has none yet (pseudonyms only), everywhere or only here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Static

from themecoder.core import anonymise as an


@dataclass(frozen=True, slots=True)
class ReplaceChoice:
    replacement: str
    mode: str               # "pseudonym" | "category"
    everywhere: bool = True
    key_path: str | None = None


class ReplaceDialog(ModalScreen[ReplaceChoice | None]):
    """Choose the replacement (a suggestion is filled in), and the key file if the project has
    none yet (pseudonyms only). Enter replaces; escape cancels."""

    DEFAULT_CSS = """
    #anon-dialog-context { color: $text-muted; max-height: 3; }
    #anon-key-label { color: $text-warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, finding: an.IdentifierFinding, mode: str, suggestion: str, *,
                 needs_key: bool) -> None:
        super().__init__()
        self.finding = finding
        self.mode = mode
        self.suggestion = suggestion
        self.needs_key = needs_key

    def compose(self) -> ComposeResult:
        f = self.finding
        what = "a pseudonym" if self.mode == "pseudonym" else "a category"
        with Vertical(id="anon-dialog", classes="dialog"):
            yield Label(f"Replace «{f.text}» ({an.kind_name(f.kind)}) with {what}", classes="dialog-title")
            yield Static(f.snippet(50), id="anon-dialog-context")
            yield Input(self.suggestion, id="anon-replacement",
                        placeholder="pseudonym" if self.mode == "pseudonym" else "[kategori]")
            if self.needs_key:
                yield Label("Key file (koblingsnøkkel): a new file outside the project and its exports, "
                            "on protected storage", id="anon-key-label")
                yield Input("", id="anon-key", placeholder="e.g. /path/to/safe/place/nokkel.json")
            yield Checkbox("only this place (default: every occurrence in all documents)", id="anon-here")
            yield Label("Enter replaces · escape cancels · ctrl+z undoes afterwards", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#anon-replacement", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = self.query_one("#anon-replacement", Input).value.strip()
        key = self.query_one("#anon-key", Input).value.strip() if self.needs_key else None
        if not value:
            self.notify("Type a replacement.", severity="warning")
            return
        if self.needs_key and not key:
            self.query_one("#anon-key", Input).focus()
            self.notify("A pseudonym needs a key file: type its path.", severity="warning")
            return
        self.dismiss(ReplaceChoice(value, self.mode, not self.query_one("#anon-here", Checkbox).value, key))

    def action_cancel(self) -> None:
        self.dismiss(None)
