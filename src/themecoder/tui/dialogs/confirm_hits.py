"""Confirm the ambiguous hits of a replacement: the places where a name that is also an
ordinary word (Per/per, Liv/liv) may be the word. Each is listed with its context and can be
ticked; only the ticked ones are replaced with the rest."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList

from themecoder.core import anonymise as an


class ConfirmHitsDialog(ModalScreen["list[tuple[str, int]] | None"]):
    """Tick the places to replace too (space toggles); enter replaces; escape cancels."""

    DEFAULT_CSS = """
    #anon-hits { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("enter", "done", "Replace", show=True, priority=True),
    ]

    def __init__(self, original: str, hits: list[an.Hit]) -> None:
        super().__init__()
        self.original = original
        self.hits = hits

    def compose(self) -> ComposeResult:
        with Vertical(id="anon-hits-dialog", classes="dialog"):
            yield Label(f"«{self.original}» is also an ordinary word: tick the places that are the name",
                        classes="dialog-title")
            yield SelectionList[int](*[(f"{h.document}: {h.snippet(30)}", i, False)
                                       for i, h in enumerate(self.hits)], id="anon-hits")
            yield Label("space ticks · enter replaces the ticked places with the others · escape cancels",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#anon-hits", SelectionList).focus()

    def action_done(self) -> None:
        chosen = self.query_one("#anon-hits", SelectionList).selected
        self.dismiss([self.hits[i].place() for i in sorted(chosen)])

    def action_cancel(self) -> None:
        self.dismiss(None)
