"""Help: every key binding of the workbench, by screen, plus the mouse and the registry."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from themecoder.tui import registry
from themecoder.tui.widgets.key_footer import KeyFooter

MOUSE = [
    ("click", "select the sentence under the pointer"),
    ("drag", "select any range of characters"),
    ("double-click", "select a word"),
    ("wheel", "scroll"),
]


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """Every binding, grouped by where it works. Imports the screens' classes (not the
    registry's teammate screens, which are listed by key and title)."""
    from themecoder.tui.app import ThemecoderApp
    from themecoder.tui.dialogs.code_picker import CodePicker
    from themecoder.tui.dialogs.memo_editor import MemoScreen
    from themecoder.tui.screens.codes import CodeListScreen
    from themecoder.tui.screens.overview import OverviewScreen
    from themecoder.tui.screens.search import SearchScreen
    from themecoder.tui.screens.transcript import TranscriptScreen
    from themecoder.tui.widgets.transcript_view import TranscriptView

    def bindings(cls) -> list[Binding]:
        return [b for b in cls.BINDINGS if isinstance(b, Binding) and b.description]

    core = bindings(ThemecoderApp)
    core.append(Binding("ctrl+p", "command_palette", "Command palette: every action"))
    return [
        ("Everywhere", core),
        ("Screens", [Binding(e.key, "", f"{e.title}: {e.description}") for e in registry.SCREENS]),
        ("Project overview", bindings(OverviewScreen)),
        ("Transcript: moving and selecting", bindings(TranscriptView)),
        ("Transcript: coding", bindings(TranscriptScreen)),
        ("Code picker",
         bindings(CodePicker) + [Binding("enter", "", "Apply the highlighted code / create the new one")]),
        ("Codes", bindings(CodeListScreen) + [Binding("enter", "", "Show the quotes / jump to the quote")]),
        ("Search", bindings(SearchScreen) + [Binding("enter", "", "Search / jump to the hit")]),
        ("Memo", bindings(MemoScreen)),
    ]


class HelpScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1,question_mark", "close", "Close help", show=True)]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with VerticalScroll(id="help-body"):
            yield Static(Content.assemble(("Keys of the workbench. ", "bold"),
                                          ("Every action is also in the command palette (ctrl+p).", "dim")),
                         classes="help-intro")
            for title, bindings in binding_groups():
                yield Static(title, classes="help-group")
                with Grid(classes="help-keys"):
                    for b in bindings:
                        yield Static(self._keys(b), classes="help-key")
                        yield Static(b.description, classes="help-what")
                    if title.startswith("Transcript: moving"):
                        for what, does in MOUSE:
                            yield Static(f"mouse {what}", classes="help-key")
                            yield Static(does, classes="help-what")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Help"
        self.sub_title = "every key"
        self.query_one("#help-body").focus()

    def _keys(self, binding: Binding) -> str:
        shown = []
        for key in binding.key.split(","):
            key = key.strip()
            shown.append(self.app.get_key_display(Binding(key, "")))
        return " ".join(dict.fromkeys(shown))

    @property
    def text(self) -> str:
        """Everything the help screen says, as plain text."""
        return "\n".join(str(w.render()) for w in self.query(Static))

    def action_close(self) -> None:
        self.app.pop_screen()
