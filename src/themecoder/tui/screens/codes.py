"""The code list: every code with its count and colour, a fuzzy filter, and every quote of
the highlighted code across documents; Enter on a quote jumps to it in its transcript."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import views
from themecoder.core.coding import fuzzy_codes
from themecoder.core.text import plural
from themecoder.tui.dialogs.code_picker import code_prompt
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

QUOTE_CHARS = 220


class CodeListScreen(WorkbenchScreen):
    TYPE_TO = "#code-filter"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("m", "memo", "Memo", show=True),
        Binding("down", "to_list", "To the codes", show=False),
        Binding("f", "filter", "Filter codes", show=False),
    ]

    def __init__(self, app=None) -> None:
        super().__init__()
        self.stats = []
        self.quotes: list[views.QuoteRow] = []
        self.code_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Horizontal(id="codes-body"):
            with Vertical(id="codes-pane"):
                yield Input(id="code-filter", placeholder="filter codes (fuzzy)")
                yield OptionList(id="code-list")
            with Vertical(id="quotes-pane"):
                yield Label("", id="quotes-title")
                yield OptionList(id="quote-list")
                yield Static("", id="code-detail")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Codes"
        self.sub_title = self.app.project.name
        self.refresh_data()
        self.query_one("#code-filter", Input).focus()

    # -- data ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.stats = views.code_stats(self.app.project, coder=self.app.visible_coder)
        self._fill_codes(self.query_one("#code-filter", Input).value)

    def _fill_codes(self, query: str) -> None:
        codes = [s.code for s in self.stats]
        counts = {s.code.id: s.codings for s in self.stats}
        suggestions = fuzzy_codes(codes, query, limit=len(codes) or 1, cutoff=50 if query.strip() else 0)
        shown = [s.code for s in views.rank_codes(suggestions, query)[0]]
        options = self.query_one("#code-list", OptionList)
        keep = self.code_id
        options.set_options([Option(code_prompt(c, counts.get(c.id, 0)), id=c.id) for c in shown])
        ids = [c.id for c in shown]
        if ids:
            options.highlighted = ids.index(keep) if keep in ids else 0
            self._show_code(ids[options.highlighted])
        else:
            self._show_code(None)

    def _show_code(self, code_id: str | None) -> None:
        self.code_id = code_id
        title = self.query_one("#quotes-title", Label)
        quotes = self.query_one("#quote-list", OptionList)
        detail = self.query_one("#code-detail", Static)
        if code_id is None:
            self.quotes = []
            quotes.clear_options()
            title.update("No codes match." if self.stats else "No codes yet: code a passage with c in a transcript.")
            detail.update("")
            return
        project = self.app.project
        code = views.code(project, code_id)
        self.quotes = views.quotes_for_code(project, code_id, coder=self.app.visible_coder)
        docs = len({q.coding.document_id for q in self.quotes})
        title.update(Content.assemble(("■ ", code.colour), (code.label, "bold"),
                                      (f"  {plural(len(self.quotes), 'quotes')} in {plural(docs, 'documents')}", "dim")))
        items = []
        for q in self.quotes:
            who = q.participant or "—"
            text = q.quote if len(q.quote) <= QUOTE_CHARS else q.quote[: QUOTE_CHARS - 1] + "…"
            items.append(Option(Content.assemble((f"{who} · {q.document} · {q.place}", "dim"), "\n", f"«{text}»"),
                                id=q.coding.id))
        quotes.set_options(items)
        memo = views.memo_for(project, "code", code_id)
        bits = []
        if code.description:
            bits.append(code.description)
        if code.in_vivo:
            bits.append("(in vivo)")
        if memo:
            bits.append(f"Memo: {memo.text}")
        detail.update(" ".join(bits))

    # -- events --------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_codes(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter: straight to the quotes of the highlighted code."""
        event.stop()
        quotes = self.query_one("#quote-list", OptionList)
        if quotes.option_count:
            quotes.highlighted = 0
            quotes.focus()
        else:
            self.query_one("#code-list", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_list.id == "code-list" and event.option.id != self.code_id:
            self._show_code(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "code-list":
            self._show_code(event.option.id)
            quotes = self.query_one("#quote-list", OptionList)
            if quotes.option_count:
                quotes.highlighted = 0
                quotes.focus()
        else:
            self.jump(event.option.id)

    def jump(self, coding_id: str) -> None:
        c = views.coding(self.app.project, coding_id)
        self.app.show_document(c.document_id, (c.start, c.end))

    def action_to_list(self) -> None:
        if self.focused is self.query_one("#code-filter", Input):
            self.query_one("#code-list", OptionList).focus()
        else:
            focused = self.focused
            if isinstance(focused, OptionList):
                focused.action_cursor_down()

    def action_filter(self) -> None:
        self.query_one("#code-filter", Input).focus()

    def action_memo(self) -> None:
        from themecoder.tui.dialogs.memo_editor import edit_memo_for

        quotes = self.query_one("#quote-list", OptionList)
        if self.focused is quotes and quotes.highlighted is not None and self.quotes:
            q = self.quotes[quotes.highlighted]
            edit_memo_for(self.app, "coding", q.coding.id, f"Memo on the quote «{q.quote[:50]}»")
            return
        if self.code_id:
            code = views.code(self.app.project, self.code_id)
            edit_memo_for(self.app, "code", self.code_id, f"Memo on the code «{code.label}»")

    def action_back(self) -> None:
        self.app.pop_screen()
