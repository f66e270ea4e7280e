"""Memo editor: a modal with a text area; ctrl+s saves, escape cancels (asking first when
there is unsaved text). `edit_memo_for` opens it on a target and saves the result as one
action."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from themecoder.core import memos, views


class MemoScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save memo", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
    ]

    def __init__(self, heading: str, text: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-dialog", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield TextArea(self.initial, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s saves · escape cancels · an emptied memo is deleted", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Escape: nothing typed goes without asking."""
        from themecoder.tui.dialogs.confirm import dismiss_unless_unsaved

        dismiss_unless_unsaved(self, self.query_one(TextArea).text != self.initial, "memo text")


def edit_memo_for(app, target_type: str, target_id: str | None, heading: str) -> None:
    """Open the memo of a target (the coder's own, else the newest) or start a new one."""
    existing = views.memo_for(app.project, target_type, target_id)

    def done(text: str | None) -> None:
        if text is None:
            return
        if existing is None:
            if text.strip():
                app.act(memos.add_memo, target_type, target_id, text, done="Memo saved.")
        elif not text.strip():
            app.act(memos.delete_memo, existing.id, done="Memo deleted.")
        elif text != existing.text:
            app.act(memos.edit_memo, existing.id, text, done="Memo saved.")

    app.push_screen(MemoScreen(heading, existing.text if existing else ""), done)
