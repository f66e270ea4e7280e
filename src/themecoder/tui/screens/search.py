"""Search: lemma-aware search over the project with keyword-in-context results. Enter jumps
to a hit (its sentence selected); c codes the hit's sentence without leaving the list."""
from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core import coding as coding_ops
from themecoder.core import views
from themecoder.core.search import Hit
from themecoder.core.text import collapse_ws
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar


def kwic(hit: Hit, width: int = 76, coded: list[str] | None = None) -> Content:
    """Two lines: who and where; then the match centred in its context (keyword in context)."""
    match = collapse_ws(hit.match)
    side = max(8, (width - len(match) - 2) // 2)
    left = hit.left[-side:]
    right = hit.right[:side]
    who = " · ".join(x for x in (hit.participant, hit.document) if x)
    parts: list = [(who, "dim")]
    if coded:
        parts.append(("  ✓ " + ", ".join(coded), "bold"))
    # the spaces around the match are the text's own: none before "." or ","
    parts += ["\n", "…" + left.rjust(side), (match, "bold reverse"), right + "…"]
    return Content.assemble(*parts)


class SearchScreen(WorkbenchScreen):
    TYPE_TO = "#search-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("c", "code_hit", "Code hit", show=True),
        Binding("down", "to_results", "To the results", show=False),
    ]

    def __init__(self, app=None) -> None:
        super().__init__()
        self.hits: list[Hit] = []
        self.coded: dict[int, list[str]] = {}
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield Input(id="search-input", placeholder="search words (lemmas: relasjon finds relasjonene); prefix*")
        yield Label("Type a word and press Enter.", id="search-status")
        yield OptionList(id="search-results")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Search"
        self.sub_title = self.app.project.name
        self.query_one(Input).focus()

    def reopened(self) -> None:
        """`/` again: a new search, so the box gets the focus (its text selected); what is
        typed next is the query, never a key of the result list or of the app."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        if not query:
            return
        self.query_text = query
        self.query_one("#search-status", Label).update(f"Searching for «{query}» …")
        self.run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        from themecoder.core.search import search

        app = self.app
        app.call_from_thread(app._task_start, "searching")
        try:
            if views.needs_indexing(app.project):  # a large import is readable before it is indexed
                app.call_from_thread(self._show_status, f"Indexing the documents for search, then searching "
                                                        f"for «{query}» …")
            hits = search(app.project, query, pipeline=app.pipeline_in_thread())
        except Exception as exc:  # noqa: BLE001 (a UserError or a broken pipeline: say so, keep the screen)
            app.call_from_thread(self._show_error, str(exc))
            return
        finally:
            app.call_from_thread(app._task_end, "searching")
        app.call_from_thread(self._show_hits, query, hits)

    def _show_status(self, message: str) -> None:
        self.query_one("#search-status", Label).update(message)

    def _show_error(self, message: str) -> None:
        self.query_one("#search-status", Label).update(f"Search failed: {message}")

    def _show_hits(self, query: str, hits: list[Hit]) -> None:
        self.hits = hits
        self.coded = {}
        docs = len({h.document_id for h in hits})
        self.query_one("#search-status", Label).update(
            f"{len(hits)} hits for «{query}» in {docs} documents. Enter jumps to a hit, c codes its sentence."
            if hits else f"No hits for «{query}».")
        results = self.query_one("#search-results", OptionList)
        width = self._kwic_width()
        results.set_options([Option(kwic(h, width), id=str(i)) for i, h in enumerate(hits)])
        if hits:
            results.highlighted = 0

    def _kwic_width(self) -> int:
        width = self.query_one("#search-results", OptionList).scrollable_content_region.width
        return max(40, (width or 80) - 4)

    def refresh_data(self) -> None:
        """Offsets of hits stay valid while the text is unchanged; nothing to reload."""

    def _current(self) -> tuple[int, Hit] | None:
        results = self.query_one("#search-results", OptionList)
        if results.highlighted is None or not self.hits:
            return None
        return results.highlighted, self.hits[results.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self.hits[int(event.option.id)]
        self.app.show_document(hit.document_id, (hit.sentence_start, hit.sentence_end))

    def action_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.focused is self.query_one(Input) and results.option_count:
            results.focus()
        elif isinstance(self.focused, OptionList):
            self.focused.action_cursor_down()

    def action_code_hit(self) -> None:
        from themecoder.tui.dialogs.code_picker import CodePicker

        current = self._current()
        if current is None:
            return
        index, hit = current
        app = self.app
        start, end = hit.sentence_start, hit.sentence_end
        text = views.document_text(app.project, hit.document_id)

        def done(pick) -> None:
            if pick is None:
                return
            if pick.code_id:
                result = app.act(coding_ops.apply_code, hit.document_id, start, end, pick.code_id)
            else:
                result = app.act(coding_ops.apply_new_code, hit.document_id, start, end, pick.label)
            if result is not None:
                label = views.code(app.project, result.code_id).label
                app.notify(f"Coded the hit's sentence with «{label}».", timeout=3)
                self.coded.setdefault(index, []).append(label)
                self.query_one("#search-results", OptionList).replace_option_prompt_at_index(
                    index, kwic(hit, self._kwic_width(), self.coded[index]))

        counts = views.coding_counts(app.project, coder=app.visible_coder)
        app.push_screen(CodePicker(views.codes(app.project), counts, heading="Code the hit's sentence",
                                   quote=text[start:end]), done)

    def action_back(self) -> None:
        self.app.pop_screen()
