"""Help (f1): the keys of the screen it was opened on first, generated from that screen's
bindings (and those of the workbench's widgets on it), then the keys that work everywhere,
the screens, and every other screen's keys for reference. Nothing is listed by hand but the
mouse and the Enter of Textual's lists."""
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

# Names of the screens and widgets that are not registry screens.
NAMES = {
    "OverviewScreen": "Project overview",
    "TranscriptScreen": "Transcript: coding",
    "TranscriptView": "Transcript: moving and selecting",
    "CodePicker": "Code picker",
    "MemoScreen": "Memo",
}

# Enter on Textual's own lists and tables, which the generated groups leave out.
ENTER = {
    "CodePicker": "Apply the highlighted code / create the new one",
    "CodeListScreen": "Show the quotes / jump to the quote",
    "SearchScreen": "Search / jump to the hit",
}


def declared_bindings(cls) -> list[Binding]:
    """The bindings with a description that the workbench's own classes in `cls`'s MRO
    declare (not those Textual's classes bring along), base classes first."""
    out: list[Binding] = []
    seen: set[tuple[str, str]] = set()
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("textual.") or klass is object:
            continue
        for b in klass.__dict__.get("BINDINGS", ()):
            if isinstance(b, tuple):
                b = Binding(*b)
            if not isinstance(b, Binding) or not b.description or b.system:
                continue
            if (b.key, b.action) not in seen:
                seen.add((b.key, b.action))
                out.append(b)
    enter = ENTER.get(cls.__name__)
    if enter:
        out.append(Binding("enter", "", enter))
    return out


def name_of(cls) -> str:
    for e in registry.SCREENS:
        if e.id == cls.__name__:
            return e.title
    return NAMES.get(cls.__name__, cls.__name__)


def screen_classes(screen: Screen) -> list[type]:
    """The screen's class and those of the workbench's widgets on it."""
    out = [type(screen)]
    for widget in screen.query("*"):
        cls = type(widget)
        if cls not in out and not cls.__module__.startswith("textual."):
            out.append(cls)
    return out


def screen_groups(screen: Screen) -> list[tuple[str, list[Binding]]]:
    """The keys of `screen`: its own, then those of the workbench's widgets on it."""
    groups = [(name_of(cls), declared_bindings(cls)) for cls in screen_classes(screen)]
    return [g for g in groups if g[1]]


def binding_groups(exclude: set[type] | None = None) -> list[tuple[str, list[Binding]]]:
    """Every binding, grouped by where it works: everywhere, the screens, then each screen
    (the registry's, the reader's and the dialogs') for reference, but `exclude`."""
    from themecoder.tui.app import ThemecoderApp
    from themecoder.tui.dialogs.code_picker import CodePicker
    from themecoder.tui.dialogs.memo_editor import MemoScreen
    from themecoder.tui.screens.overview import OverviewScreen
    from themecoder.tui.screens.transcript import TranscriptScreen
    from themecoder.tui.widgets.transcript_view import TranscriptView

    core = declared_bindings(ThemecoderApp)
    core.append(Binding("ctrl+p", "command_palette", "Command palette: every action"))
    groups = [
        ("Everywhere", core),
        ("Screens", [Binding(e.key, "", f"{e.title}: {e.description}") for e in registry.SCREENS]),
    ]
    classes: list[type] = [OverviewScreen, TranscriptView, TranscriptScreen, CodePicker]
    for e in registry.SCREENS:
        try:
            factory = registry.load_factory(e)
        except Exception:  # noqa: BLE001 (a teammate's screen that fails to import: still list the rest)
            continue
        if isinstance(factory, type):
            classes.append(factory)
    classes.append(MemoScreen)
    for cls in classes:
        if exclude and cls in exclude:
            continue
        bindings = declared_bindings(cls)
        if bindings:
            groups.append((name_of(cls), bindings))
    return groups


class HelpScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1,question_mark", "close", "Close help", show=True)]

    def __init__(self, screen: Screen | None = None) -> None:
        super().__init__()
        self.for_screen = screen

    def groups(self) -> list[tuple[str, list[Binding]]]:
        if self.for_screen is None:
            return binding_groups()
        here = [(f"This screen: {title}", bindings) for title, bindings in screen_groups(self.for_screen)]
        return here + binding_groups(set(screen_classes(self.for_screen)))

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with VerticalScroll(id="help-body"):
            yield Static(Content.assemble(("Keys of the workbench, this screen's first. ", "bold"),
                                          ("Every action is also in the command palette (ctrl+p).", "dim")),
                         classes="help-intro")
            for title, bindings in self.groups():
                yield Static(title, classes="help-group")
                with Grid(classes="help-keys"):
                    for b in bindings:
                        # plain text: a description like "[Category]" is not markup
                        yield Static(Content(self._keys(b)), classes="help-key")
                        yield Static(Content(b.description), classes="help-what")
                    if title.endswith("Transcript: moving and selecting"):
                        for what, does in MOUSE:
                            yield Static(f"mouse {what}", classes="help-key")
                            yield Static(does, classes="help-what")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Help"
        self.sub_title = f"keys of {name_of(type(self.for_screen))}" if self.for_screen is not None else "every key"
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
