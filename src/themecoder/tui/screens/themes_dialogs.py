"""Small dialogs for the theme screens: ask for a line of text, confirm, the fuzzy
"move to …" theme picker, the theme texts editor and the key-quote chooser."""
from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from themecoder.model import Theme
from themecoder.core.text import collapse_ws
from themecoder.tui.screens.base import FilterPicker


class AskText(ModalScreen[str | None]):
    """One line of text: Enter accepts, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, heading: str, initial: str = "", *, placeholder: str = "", hint: str = "",
                 allow_empty: bool = False) -> None:
        super().__init__()
        self.heading, self.initial, self.placeholder = heading, initial, placeholder
        self.hint = hint or "Enter accepts · escape cancels"
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(self.initial, placeholder=self.placeholder, id="ask-input")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = collapse_ws(event.value)
        if value or self.allow_empty:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """y confirms, n or escape cancels."""

    BINDINGS = [
        Binding("y,j", "answer(True)", "Yes", show=True),
        Binding("n,escape", "answer(False)", "No", show=True),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question, self.detail = question, detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail)
            yield Label("y yes · n no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True, slots=True)
class ThemePick:
    theme_id: str | None = None       # an existing theme (None with top_level: the top level)
    new_name: str | None = None       # or a new theme with this name ...
    parent_id: str | None = None      # ... under this parent (None: at the top level)
    top_level: bool = False


class ThemePicker(FilterPicker, ModalScreen[ThemePick | None]):
    """Type to filter themes (fuzzy over "Theme › Subtheme" paths); Enter chooses. A name
    that is not a theme offers a new theme, at the top level or under `context` (and
    "Parent/Name" makes a subtheme of Parent)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, heading: str, themes: list[tuple[Theme, str]], *, context: Theme | None = None,
                 allow_new: bool = True, allow_top: bool = False, exclude: set[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.themes = [(t, p) for t, p in themes if not exclude or t.id not in exclude]
        self.context = context
        self.allow_new = allow_new
        self.allow_top = allow_top
        self._new: dict[str, ThemePick] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="theme-picker"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type a theme" + (", or a new name" if self.allow_new else ""),
                        id="theme-picker-input")
            yield OptionList(id="theme-picker-options")
            yield Label("↑↓ choose · Enter moves · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._filter("")

    def _filter(self, query: str) -> None:
        query = collapse_ws(query)
        options = self.query_one(OptionList)
        items: list[Option] = []
        if query:
            from rapidfuzz import fuzz, process, utils

            paths = [p for _, p in self.themes]
            hits = process.extract(query, paths, scorer=fuzz.WRatio, processor=utils.default_process,
                                   limit=None, score_cutoff=50)
            q = query.casefold()

            def rank(hit):
                path, score, idx = hit
                name = self.themes[idx][0].name.casefold()
                boost = 30 if name.startswith(q) else 20 if q in path.casefold() else 0
                return -(score + boost), path.casefold()

            ranked = [self.themes[i] for _, _, i in sorted(hits, key=rank)]
        else:
            ranked = list(self.themes)
        exact = any(t.name.casefold() == query.casefold() or p.casefold() == query.casefold()
                    for t, p in self.themes)
        if self.allow_top and not query:
            items.append(Option(Content.assemble(("↑ ", "bold"), "the top level"), id="top"))
        for t, path in ranked:
            items.append(Option(path, id=f"theme:{t.id}"))
        self._new = {}
        if self.allow_new and query and not exact:
            parent, name = self._parent_and_name(query)
            if parent is not None:
                self._new["new-sub"] = ThemePick(new_name=name, parent_id=parent.id)
                items.insert(0, Option(Content.assemble(("+ New subtheme ", "bold"), f"«{name}»",
                                                        (f" under «{parent.name}»", "dim")), id="new-sub"))
            else:
                self._new["new-top"] = ThemePick(new_name=query)
                items.insert(0 if not ranked else len(items), Option(
                    Content.assemble(("+ New theme ", "bold"), f"«{query}»"), id="new-top"))
                if self.context is not None:
                    self._new["new-context"] = ThemePick(new_name=query, parent_id=self.context.id)
                    items.append(Option(Content.assemble(("+ New subtheme ", "bold"), f"«{query}»",
                                                         (f" under «{self.context.name}»", "dim")),
                                        id="new-context"))
        options.set_options(items)
        if items:
            options.highlighted = 0

    def _parent_and_name(self, query: str) -> tuple[Theme | None, str]:
        for sep in ("›", "/"):
            if sep in query:
                head, _, name = query.rpartition(sep)
                head, name = collapse_ws(head), collapse_ws(name)
                for t, path in self.themes:
                    if name and head and (path.casefold() == head.casefold() or t.name.casefold() == head.casefold()):
                        return t, name
        return None, query

    def _choose(self, option_id: str | None) -> None:
        if not option_id:
            return
        if option_id == "top":
            self.dismiss(ThemePick(top_level=True))
        elif option_id.startswith("theme:"):
            self.dismiss(ThemePick(theme_id=option_id[6:]))
        elif option_id in self._new:
            self.dismiss(self._new[option_id])

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class ThemeTexts:
    description: str
    analytic_text: str
    condensate: str


class ThemeTextsEditor(ModalScreen[ThemeTexts | None]):
    """Description, analytic text and condensate of a theme; ctrl+s saves all three."""

    BINDINGS = [
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
        self.dismiss(None)


class KeyQuotePicker(ModalScreen[str | None]):
    """Choose the key quote ("gullsitat") among the quotes of a theme's codes. Returns a
    coding id, "" to clear, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]
    DEFAULT_CSS = """
    KeyQuotePicker #key-quotes { height: auto; max-height: 20; }
    """

    def __init__(self, theme: Theme, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.theme = theme
        self.rows = rows  # (coding id, "who · code", quote)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Key quote for «{self.theme.name}»", classes="dialog-title")
            items = [Option(Content.assemble(("✕ ", "bold"), "no key quote"), id="none")]
            for coding_id, who, quote in self.rows:
                mark = "★ " if coding_id == self.theme.key_coding_id else ""
                items.append(Option(Content.assemble((mark, "bold"), (who, "dim"), "\n", f"«{quote}»"),
                                    id=coding_id))
            yield OptionList(*items, id="key-quotes")
            yield Label("Enter chooses · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = ["none"] + [r[0] for r in self.rows]
        options.highlighted = ids.index(self.theme.key_coding_id) if self.theme.key_coding_id in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss("" if event.option.id == "none" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
