"""Near-duplicate codes: clusters of similar labels with their similarity; one key merges a
cluster into its most used code (the survivor, which v cycles). Undo restores every code."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from themecoder.core import codebook
from themecoder.core.text import plural
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

STEP = 5.0


class DuplicatesScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("m,enter", "merge", "Merge cluster", show=True),
        Binding("v", "cycle_survivor", "Other survivor", show=True),
        Binding("plus,equals_sign", "threshold(1)", "Stricter", show=True),
        Binding("minus", "threshold(-1)", "Looser", show=True),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen #dup-title { padding: 0 1; height: 1; width: 1fr; text-style: bold; }
    DuplicatesScreen #dup-list { height: 1fr; }
    DuplicatesScreen #dup-detail { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, app=None, threshold: float = 85.0) -> None:
        super().__init__()
        self.threshold = threshold
        self.clusters: list[codebook.DuplicateCluster] = []
        self.survivor: dict[int, int] = {}   # cluster index -> index of the chosen survivor

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Vertical():
            yield Label("", id="dup-title")
            yield OptionList(id="dup-list")
            yield Static("", id="dup-detail")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Near-duplicate codes"
        self.sub_title = self.app.project.name
        self.refresh_data()
        self.query_one(OptionList).focus()

    def refresh_data(self) -> None:
        self.clusters = codebook.near_duplicates(self.app.project, threshold=self.threshold,
                                                 coder=self.app.visible_coder)
        self.survivor = {}
        options = self.query_one(OptionList)
        old = options.highlighted or 0
        options.set_options([Option(self._prompt(i), id=str(i)) for i in range(len(self.clusters))])
        if self.clusters:
            options.highlighted = min(old, len(self.clusters) - 1)
        n = len(self.clusters)
        self.query_one("#dup-title", Label).update(
            f"{plural(n, 'groups')} of similar code labels at ≥ {self.threshold:g}% similarity"
            + ("" if n else " — none: try a lower threshold with -"))
        self._show_detail()

    def _prompt(self, i: int) -> Content:
        cl = self.clusters[i]
        keep = self.survivor.get(i, 0)
        parts: list = [(f"{cl.score:5.1f}  ", "bold")]
        for k, (code, n) in enumerate(zip(cl.codes, cl.codings)):
            if k:
                parts.append(("  |  ", "dim"))
            parts.append(("■ ", code.colour))
            parts.append((code.label, "bold underline") if k == keep else code.label)
            parts.append((f" ({n})", "dim"))
        return Content.assemble(*parts)

    def _index(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.clusters:
            return None
        return options.highlighted

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_merge()

    def _show_detail(self) -> None:
        i = self._index()
        detail = self.query_one("#dup-detail", Static)
        if i is None:
            detail.update("")
            return
        cl = self.clusters[i]
        keep = cl.codes[self.survivor.get(i, 0)]
        lines = [Content.assemble("m merges everything into ", ("■ ", keep.colour), (keep.label, "bold"),
                                  " (v chooses another survivor; ctrl+z undoes)")]
        for a, b, s in cl.pairs[:6]:
            lines.append(Content(f"{s:5.1f}  «{cl.codes[a].label}» ~ «{cl.codes[b].label}»"))
        detail.update(Content("\n").join(lines))

    def action_cycle_survivor(self) -> None:
        i = self._index()
        if i is None:
            return
        self.survivor[i] = (self.survivor.get(i, 0) + 1) % len(self.clusters[i].codes)
        self.query_one(OptionList).replace_option_prompt_at_index(i, self._prompt(i))
        self._show_detail()

    def action_merge(self) -> None:
        i = self._index()
        if i is None:
            return
        cl = self.clusters[i]
        keep = cl.codes[self.survivor.get(i, 0)]
        result = self.app.act(codebook.merge_cluster, cl, keep.id)
        if result is not None:
            self.notify(f"Merged {len(result.merged)} codes into «{keep.label}» "
                        f"({result.moved + result.collapsed} codings). ctrl+z undoes.", timeout=4)

    def action_threshold(self, direction: int) -> None:
        self.threshold = max(50.0, min(100.0, self.threshold + STEP * direction))
        self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()
