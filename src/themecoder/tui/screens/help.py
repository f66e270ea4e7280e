"""Help: every key binding of the workbench, by screen, plus the mouse and the registry."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from themecoder.tui import registry

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
    from themecoder.tui.screens.code_picker import CodePicker
    from themecoder.tui.screens.codes import CodeListScreen
    from themecoder.tui.screens.memo import MemoScreen
    from themecoder.tui.screens.overview import OverviewScreen
    from themecoder.tui.screens.search import SearchScreen
    from themecoder.tui.screens.transcript import TranscriptScreen
    from themecoder.tui.widgets.transcript_view import TranscriptView

    def bindings(cls) -> list[Binding]:
        return [b for b in cls.BINDINGS if isinstance(b, Binding) and b.description]

    core = [b for b in bindings(ThemecoderApp) if not b.action.startswith("app.open_screen")]
    core.append(Binding("ctrl+p", "command_palette", "Command palette: every action"))
    core.append(Binding("ctrl+q", "quit", "Quit"))
    return [
        ("Everywhere", core),
        ("Screens", [Binding(e.key, "", f"{e.title}: {e.description}") for e in registry.SCREENS]),
        ("Project overview", bindings(OverviewScreen)),
        ("Transcript: moving and selecting", bindings(TranscriptView)),
        ("Transcript: coding", bindings(TranscriptScreen)),
        ("Code picker", bindings(CodePicker) + [Binding("enter", "", "Apply the highlighted code / create the new one")]),
        ("Codes", bindings(CodeListScreen) + [Binding("enter", "", "Show the quotes / jump to the quote")]),
        ("Search", bindings(SearchScreen) + [Binding("enter", "", "Search / jump to the hit")]),
        ("Memo", bindings(MemoScreen)),
    ]


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close help", show=True)]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with VerticalScroll(id="help-body"):
            yield Static(self._content(), id="help-text")
        yield Footer()

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

    def _content(self) -> Content:
        parts: list = [("Keys of the workbench", "bold"), "\n",
                       ("Everything also works from the command palette (ctrl+p).", "dim"), "\n"]
        for title, bindings in binding_groups():
            parts += ["\n", (title, "bold underline"), "\n"]
            for b in bindings:
                parts += [(f"  {self._keys(b):<18}", "bold"), f" {b.description}\n"]
            if title.startswith("Transcript: moving"):
                for what, does in MOUSE:
                    parts += [(f"  {'mouse ' + what:<18}", "bold"), f" {does}\n"]
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.app.pop_screen()
