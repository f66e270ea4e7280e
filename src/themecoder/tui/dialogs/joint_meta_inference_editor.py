"""The meta-inference of a link: what the two strands say together."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea


class JointMetaInferenceEditor(ModalScreen[str | None]):
    """The meta-inference: what the two strands say together. ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, heading: str, text: str = "", context: str = "") -> None:
        super().__init__()
        self.heading, self.text, self.context = heading, text, context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jd-meta"):
            yield Label(self.heading, classes="dialog-title")
            if self.context:
                yield Static(self.context, id="jd-meta-context")
            yield TextArea(self.text, id="jd-meta-text", soft_wrap=True)
            yield Label("ctrl+s saves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        """Escape: nothing typed goes without asking."""
        from themecoder.tui.dialogs.confirm import dismiss_unless_unsaved

        dismiss_unless_unsaved(self, self.query_one(TextArea).text != self.text, "meta-inference")
