"""The participant picker: who a document is an interview with. Type to filter the
participants; Enter chooses one, a name that is none of them makes a new participant, and
"no participant" clears it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core.text import collapse_ws
from themecoder.tui.screens.base import FilterPicker


@dataclass(frozen=True, slots=True)
class ParticipantPick:
    participant_id: str | None = None  # an existing participant
    new: str | None = None             # or a new one with this pseudonym
    # neither: the document has no participant


class ParticipantPicker(FilterPicker, ModalScreen[ParticipantPick | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, heading: str, participants: dict[str, str], current: str | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.participants = participants  # id -> pseudonym
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="participant-picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type a participant, or a new pseudonym", id="participant-input")
            yield OptionList(id="participant-options")
            yield Label("↑↓ choose · Enter sets it · escape cancels · undo changes it back", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._filter("")

    def _filter(self, query: str) -> None:
        query = collapse_ws(query)
        q = query.casefold()
        names = sorted(self.participants.items(), key=lambda kv: kv[1].casefold())
        shown = [(pid, name) for pid, name in names if q in name.casefold()] if q else names
        items: list[Option] = []
        for pid, name in shown:
            mark = ("  (now)", "dim") if pid == self.current else ""
            items.append(Option(Content.assemble(name, mark), id=f"p:{pid}"))
        if query and not any(name.casefold() == q for _, name in names):
            items.insert(0 if not shown else len(items),
                         Option(Content.assemble(("+ New participant ", "bold"), f"«{query}»"), id="new"))
        if not query and self.current is not None:
            items.append(Option(Content("— no participant"), id="none"))
        options = self.query_one(OptionList)
        options.set_options(items)
        if items:
            options.highlighted = 0

    def _choose(self, option_id: str | None) -> None:
        if not option_id:
            return
        if option_id.startswith("p:"):
            self.dismiss(ParticipantPick(participant_id=option_id[2:]))
        elif option_id == "new":
            self.dismiss(ParticipantPick(new=collapse_ws(self.query_one(Input).value)))
        elif option_id == "none":
            self.dismiss(ParticipantPick())

    def action_cancel(self) -> None:
        self.dismiss(None)
