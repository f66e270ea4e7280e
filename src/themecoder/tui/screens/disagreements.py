"""Disagreements between coders: each passage where the coders did not code alike (code,
document, text, who coded what), the coders' codings of it side by side, and keys that settle
it: accept one coder's side (1, 2 …), both (b) or neither (n), each one undoable action by you
that writes the consensus coding. Enter opens the passage in its transcript; e exports the list;
u changes the unit; the coders are edited at the top (Enter recomputes)."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import agreement, consensus
from themecoder.errors import UserError
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.status_bar import StatusBar

CONTEXT_CHARS = 160


class DisagreementsScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("1", "accept(0)", "Accept left", show=True),
        Binding("2", "accept(1)", "Accept right", show=True),
        Binding("3", "accept(2)", "Accept third", show=False),
        Binding("b", "settle('both')", "Both", show=True),
        Binding("n", "settle('neither')", "Neither", show=True),
        Binding("e", "export", "Export list", show=True),
        Binding("u", "cycle_unit", "Unit", show=False),
    ]
    DEFAULT_CSS = """
    DisagreementsScreen #dis-head { height: auto; }
    DisagreementsScreen #dis-coders { width: 1fr; }
    DisagreementsScreen #dis-title { padding: 0 1; height: 1; width: 1fr; }
    DisagreementsScreen #dis-list { height: 1fr; }
    DisagreementsScreen #dis-sides { height: 1fr; }
    DisagreementsScreen .dis-side { width: 1fr; padding: 0 1; border: round $primary-darken-2; }
    """

    def __init__(self, app=None) -> None:
        super().__init__()
        self.unit = "sentence"
        self.coders: list[str] = []
        self.items: list[consensus.Disagreement] = []
        self.result: agreement.Agreement | None = None
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Vertical():
            with Horizontal(id="dis-head"):
                yield Input(id="dis-coders", placeholder="coders to compare, e.g. Kari Ola")
            yield Label("", id="dis-title")
            yield OptionList(id="dis-list")
            yield Horizontal(id="dis-sides")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Disagreements"
        self.sub_title = self.app.project.name
        self.coders = consensus.coders_to_compare(self.app.project)
        self.query_one("#dis-coders", Input).value = " ".join(self.coders)
        self.refresh_data()
        self.query_one("#dis-list", OptionList).focus()

    # -- data ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        title = self.query_one("#dis-title", Label)
        options = self.query_one("#dis-list", OptionList)
        keep = options.highlighted
        self.items, self.result = [], None
        if self.app.visible_coder is not None:
            self.message = "Blind coding is on: other coders' codings stay hidden (ctrl+b, or compute agreement)."
        else:
            try:
                self.result = agreement.compute(self.app.project, self.coders, unit=self.unit, bootstrap=0)
                self.items = consensus.disagreements(self.app.project, self.result)
                open_ = sum(1 for d in self.items if d.decision is None)
                self.message = (f"{len(self.items)} disagreements ({open_} open) between {', '.join(self.coders)}, "
                                f"unit: {self.unit}")
            except UserError as exc:
                self.message = str(exc)
        title.update(self.message)
        options.set_options([Option(self._row(d), id=str(i)) for i, d in enumerate(self.items)])
        if self.items:
            options.highlighted = min(keep or 0, len(self.items) - 1)
        self._show_sides()

    def _row(self, d: consensus.Disagreement) -> Content:
        done = ("✓ " + d.decision + "  ", "green") if d.decision else ("● ", "yellow")
        return Content.assemble(done, (d.code, "bold"), " · ", d.document, "  ",
                                (f"coded by {', '.join(d.coded_by)}; not by {', '.join(d.not_coded_by)}", "dim"),
                                "\n", f"«{' '.join(d.text.split())[:200]}»")

    def current(self) -> consensus.Disagreement | None:
        options = self.query_one("#dis-list", OptionList)
        if options.highlighted is None or not self.items:
            return None
        return self.items[options.highlighted]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_sides()

    def _show_sides(self) -> None:
        """Each coder's codings of the passage, side by side, in the passage's context."""
        sides = self.query_one("#dis-sides", Horizontal)
        d = self.current()
        if d is None:
            sides.remove_children()
            return
        from themecoder.core import views

        text = views.document_text(self.app.project, d.document_id)
        colour = views.code(self.app.project, d.code_id).colour
        lo, hi = max(0, d.start - CONTEXT_CHARS), min(len(text), d.end + CONTEXT_CHARS)
        panes = []
        for i, coder in enumerate(self.coders):
            spans = d.codings.get(coder, ())
            parts: list = [(f"{i + 1}: {coder}" + (" (coded)" if spans else " (not coded)"), "bold"), "\n"]
            cuts = sorted({lo, hi, *(max(lo, min(hi, x)) for s in spans for x in s)})
            for a, b in zip(cuts, cuts[1:]):
                inside = any(s <= a and b <= e for s, e in spans)
                in_passage = d.start <= a and b <= d.end
                style = f"#FFFFFF on {colour}" if inside else ("underline" if in_passage else "dim")
                parts.append((text[a:b], style))
            panes.append(Content.assemble(*parts))
        shown = list(sides.query(".dis-side").results(Static))
        if len(shown) == len(panes):
            for widget, content in zip(shown, panes):
                widget.update(content)
            return
        sides.remove_children()
        sides.mount_all([Static(content, classes="dis-side") for content in panes])

    # -- settling ------------------------------------------------------------------------
    def action_accept(self, index: int) -> None:
        if index < len(self.coders):
            self.action_settle(self.coders[index])

    def action_settle(self, choice: str) -> None:
        d = self.current()
        if d is None:
            return
        what = {"both": "both sides", "neither": "neither side"}.get(choice, f"{choice}'s coding")
        self.app.act(consensus.settle, d, choice, done=f"Consensus: {what} accepted.")

    def action_export(self) -> None:
        from themecoder.io.export import ExportOptions, run_export

        try:
            result = run_export(self.app.project, "disagreements", None,
                                ExportOptions(agreement={"coders": self.coders, "unit": self.unit}))
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Exported: {result.path}", timeout=6)

    def action_cycle_unit(self) -> None:
        units = agreement.UNITS
        self.unit = units[(units.index(self.unit) + 1) % len(units)]
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.coders = event.value.split()
        self.refresh_data()
        self.query_one("#dis-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        d = self.items[int(event.option.id)]
        self.app.show_document(d.document_id, (d.start, d.end))

    def action_back(self) -> None:
        self.app.pop_screen()
