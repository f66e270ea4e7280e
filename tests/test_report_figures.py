"""The report's figure (themes per participant) in its three forms, normal and compact."""
from __future__ import annotations

import re

from docx.oxml.ns import qn

from themecoder.core.findings import Coverage, CoverageRow
from themecoder.io.docx_quotes import new_document
from themecoder.io.report_figures import (
    MAX_COLUMNS,
    WARN,
    add_heatmap_docx,
    compact,
    heatmap_markdown,
    heatmap_svg,
    shade,
    shade_char,
)
from themecoder.model import Theme


def theme(name: str, parent: str | None = None) -> Theme:
    return Theme(name, parent, name, "", "", "", None, 0, "")


def coverage(columns: int) -> Coverage:
    names = [f"P{i:02d}" for i in range(columns)]
    rows = [
        CoverageRow(theme("Alle"), "Alle", 0, [1 + i % 4 for i in range(columns)], columns),
        CoverageRow(theme("Få", "Alle"), "Alle › Få", 1, [3 if i < 2 else 0 for i in range(columns)], 2),
    ]
    return Coverage(names, rows)


def test_shading_runs_from_white_to_dark():
    assert shade(0, 10) == ("FFFFFF", "808080")
    light, _ = shade(1, 10)
    dark, ink = shade(10, 10)
    assert int(light[:2], 16) > int(dark[:2], 16) and ink == "FFFFFF"
    assert [shade_char(x, 4) for x in (0, 1, 2, 3, 4)] == ["", "░", "▒", "▓", "█"]


def test_normal_figure_has_a_column_per_participant():
    cov = coverage(3)
    assert not compact(cov)
    md = heatmap_markdown(cov, theme_heading="Tema", cell_escape=str)
    assert md[0] == "| Tema | P00 | P01 | P02 | *n* |"
    assert md[2] == "| **Alle** | ▒ 1 | ▓ 2 | █ 3 | 3 ⚠ n ≤ 5 |"  # relative to the largest cell (3)
    assert "| – |" in md[3] and WARN in md[3]
    svg = heatmap_svg(cov, title="Figur")
    assert svg.startswith("<svg") and svg.count("<rect") == 6 and "<title>Figur</title>" in svg
    doc = new_document("nb")
    add_heatmap_docx(doc, cov, theme_heading="Tema")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Tema", "P00", "P01", "P02", "n"]
    assert [c.text for c in table.rows[2].cells] == ["Få", "3", "3", "–", f"2 {WARN}"]
    fills = [el.get(qn("w:fill")) for el in table._tbl.iter(qn("w:shd"))]
    assert len(fills) == 6 and fills[-1] == "FFFFFF"


def test_many_participants_give_a_compact_figure():
    cov = coverage(MAX_COLUMNS + 5)
    assert compact(cov)
    md = heatmap_markdown(cov, theme_heading="Tema", cell_escape=str, codings_heading="Kodinger")
    assert md[0] == "| Tema | *n* / *N* | Kodinger |"
    assert md[2] == f"| **Alle** | █ 25 / 25 | {sum(cov.rows[0].counts)} |"
    assert md[3] == f"| \u2003Få | ░ 2 / 25 {WARN} | 6 |"
    svg = heatmap_svg(cov, title="Figur")
    assert "P03" not in svg and "25 / 25" in svg and re.search(r"2 / 25, 6 ⚠", svg)
    doc = new_document("en")
    add_heatmap_docx(doc, cov, theme_heading="Theme", codings_heading="Codings")
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Theme", "n / N", "Codings"]
    assert [c.text for c in table.rows[2].cells] == ["Få", f"2 / 25 {WARN}", "6"]
