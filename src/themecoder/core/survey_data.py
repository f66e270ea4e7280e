"""Survey data as a table, whatever the file: :class:`SurveyTable` is what
:func:`themecoder.core.survey.read_survey` checks and scores.

The CSV reader lives here (UTF-8, comma- or semicolon-separated; with semicolons a decimal
comma is accepted). SPSS (``.sav``), Stata (``.dta``) and Excel (``.xlsx``) files are read
in :mod:`themecoder.io.tabular` (pyreadstat and openpyxl) into the same table, with what
those formats add:

* ``labels``: the variable labels (the item's wording), so a scoring key may name an item
  by its label instead of its column name;
* ``value_labels``: per column, code -> label (``1: ja``), so a group may be written
  ``where: brukererfaring == ja``;
* ``missing``: per column, the number of cells that were declared missing in the file
  (SPSS user-missing values, Stata's extended missing values); they arrive as ``None``.

A cell is a string (CSV text, Excel text), a number, or None (missing).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themecoder.core.text import read_utf8_file
from themecoder.errors import UserError


class SurveyDataError(UserError, ValueError):
    """Unreadable survey data; one line naming the file."""


@dataclass
class SurveyTable:
    source: str                       # the file name, for messages
    columns: list[str]
    rows: list[list[Any]]
    lines: list[int]                  # the file's line (CSV) or row (Excel, SPSS) of each row
    decimal_comma: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)

    def column_for(self, name: str) -> str | None:
        """The column ``name`` names: a column name, else a unique variable label
        (compared without case and surrounding spaces)."""
        if name in self.columns:
            return name
        key = " ".join(name.split()).casefold()
        hits = [c for c, label in self.labels.items() if " ".join(label.split()).casefold() == key]
        return hits[0] if len(hits) == 1 else None

    def code_for(self, column: str, label: str) -> float | None:
        """The code whose value label is ``label`` in ``column`` (None if there is none)."""
        key = label.strip().strip("\"'").casefold()
        hits = [code for code, text in self.value_labels.get(column, {}).items()
                if text.strip().casefold() == key]
        return hits[0] if len(hits) == 1 else None


def csv_table(path: str | Path) -> SurveyTable:
    """A survey CSV as a table of text cells."""
    path = Path(path)
    name = path.name
    text = read_utf8_file(path, SurveyDataError)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise SurveyDataError(f"{name}: the file is empty") from None
    rows: list[list[Any]] = []
    lines: list[int] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows.append(row)
        lines.append(reader.line_num)
    return SurveyTable(name, columns, rows, lines, decimal_comma=delimiter == ";")
