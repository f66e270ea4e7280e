"""The code matrix (like MAXQDA's code matrix browser): themes or codes by participant (or
document), coded segments per cell, the cell coloured by its count. Enter on a cell lists
its quotes below; Enter on a quote opens it in its transcript."""
from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Header, Label, OptionList
from textual.widgets.option_list import Option

from themecoder.core import themes, views
from themecoder.core.text import plural
from themecoder.tui.screens.base import WorkbenchScreen
from themecoder.tui.widgets.key_footer import KeyFooter
from themecoder.tui.widgets.status_bar import StatusBar

# Light to dark; a cell's shade is its count relative to the largest cell.
SHADES = ["#DCE9F5", "#B9D3EA", "#8DB7DC", "#5F97C9", "#3473B0", "#1B4F86"]


def shade(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return ""
    step = min(len(SHADES) - 1, int((value / top) * (len(SHADES) - 1) + 0.5))
    fg = "#000000" if step < 3 else "#FFFFFF"
    return f"{fg} on {SHADES[step]}"


class MatrixScreen(WorkbenchScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", show=True),
        Binding("t", "toggle_rows", "Themes/codes", show=True),
        Binding("b", "toggle_columns", "By participant/document", show=True),
    ]
    DEFAULT_CSS = """
    MatrixScreen #mx-title { padding: 0 1; height: 1; width: 1fr; text-style: bold; }
    MatrixScreen #mx-table { height: 2fr; }
    MatrixScreen #mx-cell-title { padding: 0 1; height: 1; width: 1fr; }
    MatrixScreen #mx-quotes { height: 1fr; }
    """

    def __init__(self, app=None, rows: str = "themes", by: str = "participant") -> None:
        super().__init__()
        self.rows_kind = rows
        self.by = by
        self.matrix: themes.Matrix | None = None
        self.cell_codings = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        with Vertical():
            yield Label("", id="mx-title")
            yield DataTable(id="mx-table", cursor_type="cell", zebra_stripes=False)
            yield Label("Enter on a cell shows its quotes here.", id="mx-cell-title")
            yield OptionList(id="mx-quotes")
        yield StatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "Code matrix"
        self.sub_title = self.app.project.name
        self.refresh_data()
        self.query_one(DataTable).focus()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        m = themes.code_matrix(self.app.project, rows=self.rows_kind, by=self.by, coder=self.app.visible_coder)
        self.matrix = m
        table.clear(columns=True)
        table.add_column("Theme" if self.rows_kind == "themes" else "Code", key="label")
        for c in m.columns:
            table.add_column(c.label, key=c.id)
        table.add_column("Total", key="total")
        top = m.max
        for i, r in enumerate(m.rows):
            label = Text("  " * r.depth + r.label, style="bold" if r.kind == "theme" and r.depth == 0 else "")
            if r.colour:
                label = Text.assemble(("■ ", r.colour), label)
            cells = [label]
            for v in m.counts[i]:
                cells.append(Text(f"{v:^5}" if v else "  ·  ", style=shade(v, top), justify="center"))
            cells.append(Text(str(m.row_total(i)), style="bold", justify="right"))
            table.add_row(*cells, key=r.id)
        if m.rows:
            # distinct codings: a theme's row already holds its subthemes' codings
            column_totals, total = views.matrix_totals(self.app.project, m)
            table.add_row(Text("Total", style="bold"),
                          *[Text(str(v), style="bold", justify="center") for v in column_totals],
                          Text(str(total), style="bold", justify="right"),
                          key="__total__")
            table.move_cursor(row=min(cursor.row, len(m.rows) - 1), column=max(1, min(cursor.column, len(m.columns))))
        unit = "participant" if self.by == "participant" else "document"
        self.query_one("#mx-title", Label).update(
            f"{'Themes' if self.rows_kind == 'themes' else 'Codes'} by {unit}: coded segments"
            + ("" if m.rows else " — nothing to show yet"))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self._drill(event.coordinate.row, event.coordinate.column)

    def _drill(self, row: int, column: int) -> None:
        m = self.matrix
        title = self.query_one("#mx-cell-title", Label)
        quotes = self.query_one("#mx-quotes", OptionList)
        if m is None or row >= len(m.rows) or not (1 <= column <= len(m.columns)):
            return
        r, c = m.rows[row], m.columns[column - 1]
        self.cell_codings = themes.matrix_cell_codings(self.app.project, r, c, by=self.by,
                                                       coder=self.app.visible_coder)
        codes = views.codes_by_id(self.app.project)
        places = views.coding_places(self.app.project, self.cell_codings)
        items = []
        for coding, place in zip(self.cell_codings, places):
            code = codes.get(coding.code_id)
            items.append(Option(Content.assemble(("■ ", code.colour if code else ""),
                                                 (f"{code.label if code else ''} · {place}", "dim"), "\n",
                                                 f"«{' '.join(coding.quote.split())[:300]}»"), id=coding.id))
        quotes.set_options(items)
        title.update(Content.assemble((r.label, "bold"), " × ", (c.label, "bold"),
                                      (f"  {plural(len(items), 'quotes')} · Enter opens one in its transcript", "dim")))
        if items:
            quotes.highlighted = 0
            quotes.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        coding = views.coding(self.app.project, event.option.id)
        self.app.show_document(coding.document_id, (coding.start, coding.end))

    def action_toggle_rows(self) -> None:
        self.rows_kind = "codes" if self.rows_kind == "themes" else "themes"
        self.refresh_data()

    def action_toggle_columns(self) -> None:
        self.by = "document" if self.by == "participant" else "participant"
        self.refresh_data()

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()
