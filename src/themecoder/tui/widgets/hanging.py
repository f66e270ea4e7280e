"""A list row whose text wraps under itself, not under its marks: "[ ] ■ a long code label"
continues below "a", never below "[". Rows of Textual's OptionList may be Rich renderables,
and a two-column Rich grid gives the hanging indent."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text

Part = str | tuple[str, str]


def hanging(prefix: list[Part], body: list[Part], *more: list[Part]) -> Table:
    """`prefix` (marks, indentation) in a column of its own width, `body` wrapping beside
    it; each of `more` is one more line in the body's column."""
    lead = Text.assemble(*prefix)
    grid = Table.grid(padding=0, expand=True)
    grid.add_column(no_wrap=True, width=max(lead.cell_len, 0))
    grid.add_column(ratio=1)
    grid.add_row(lead, Text.assemble(*body))
    for line in more:
        grid.add_row(Text(""), Text.assemble(*line))
    return grid
