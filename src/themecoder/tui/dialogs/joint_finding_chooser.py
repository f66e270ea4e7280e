"""Choose a survey finding to link to a theme (or the form for a new one)."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core.findings import StoredSurveyFinding
from themecoder.tui.screens.base import FilterPicker

NEW_FINDING = "__new__"


class JointFindingChooser(FilterPicker, ModalScreen[str | None]):
    """Type to filter the findings; Enter chooses one (or the form for a new finding)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, heading: str, findings: list[tuple[StoredSurveyFinding, str]], *,
                 exclude: set[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.findings = [(sf, apa) for sf, apa in findings if not exclude or sf.id not in exclude]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jd-chooser"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type to filter: F5, a scale, a comparison …", id="jd-chooser-input")
            yield OptionList(id="jd-chooser-options")
            yield Label("↑↓ choose · Enter links · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._filter("")

    def _filter(self, query: str) -> None:
        q = query.casefold().strip()
        items = [Option(Content.assemble(("＋ ", "green"), ("Enter a new finding …", "bold")), id=NEW_FINDING)]
        for sf, apa in self.findings:
            hay = f"{sf.label} {sf.title} {sf.finding.test} {sf.finding.statement}".casefold()
            if q and q not in hay:
                continue
            items.append(Option(Content.assemble((f"{sf.label:<4} ", "bold"), sf.title,
                                                 (f"  [{sf.finding.test}]", "dim"), "\n     ", (apa, "italic")),
                                id=sf.id))
        options = self.query_one(OptionList)
        options.set_options(items)
        options.highlighted = 1 if len(items) > 1 and q else 0

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _choose(self, option_id: str | None) -> None:
        self.dismiss(option_id)
