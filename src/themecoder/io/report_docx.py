"""The mixed-methods report rendered as a Word document (python-docx, imported lazily)."""
from __future__ import annotations

from collections.abc import Sequence

from themecoder.io.docx_layout import orient
from themecoder.io.i18n import t
from themecoder.io.report_model import FigureBlock, Heading, Para, Report, Run, TableBlock, s
from themecoder.io.report_render import _rowspans


# -- Word -----------------------------------------------------------------------------------------
def render_docx(report: Report):
    """A python-docx Document (styles from :mod:`themecoder.io.docx_quotes`)."""
    from docx.enum.section import WD_ORIENT

    from themecoder.io.docx_quotes import DOC_LANG, add_caption, new_document
    from themecoder.io.report_figures import add_heatmap_docx

    lang = report.lang
    doc = new_document(lang)
    doc.core_properties.title = report.title
    doc.core_properties.language = DOC_LANG.get(lang, "en-GB")
    _define_report_styles(doc)
    styles = {
        "body": doc.styles["Normal"], "quote": doc.styles["Quote"], "block": doc.styles["Block Quote"],
        "small": doc.styles["Normal"], "note": doc.styles["Table Note"],
        "reference": doc.styles["Reference"], "number": doc.styles["Normal"],
    }
    landscape_at = _landscape_sections(report.blocks)
    for i, b in enumerate(report.blocks):
        if isinstance(b, Heading):
            if i in landscape_at and i > 0:
                orient(doc, landscape_at[i])
            doc.add_heading(b.text, level=min(b.level, 4))
        elif isinstance(b, Para):
            _fill(doc.add_paragraph(style=styles.get(b.style, styles["body"])), b.runs)
        elif isinstance(b, TableBlock):
            _add_table(doc, b, lang)
        elif isinstance(b, FigureBlock):
            width = orient(doc, doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE)
            add_caption(doc, s("figure", lang), b.number, b.title)
            add_heatmap_docx(doc, b.coverage, theme_heading=s("theme_col", lang), text_width_cm=width,
                             codings_heading=s("codings_col", lang))
            _note(doc, lang, b.note, _fill)
    return doc


def _landscape_sections(blocks: Sequence[object]) -> dict[int, bool]:
    """A top-level section (H1/H2 and what follows) is landscape when it holds a wide table:
    {index of the section's heading: landscape}."""
    landscape_at: dict[int, bool] = {}
    start = None
    for i, b in enumerate(blocks):
        if isinstance(b, Heading) and b.level <= 2:
            start = i
            landscape_at[i] = False
        elif isinstance(b, TableBlock) and b.landscape and start is not None:
            landscape_at[start] = True
    return landscape_at


def _fill(paragraph, runs: Sequence[Run]) -> None:
    for r in runs:
        if not r.text:
            continue
        run = paragraph.add_run(r.text)
        if r.italic:
            run.italic = True
        if r.bold:
            run.bold = True


def _add_table(doc, b: TableBlock, lang: str) -> None:
    """Caption, table (columns sized from their content within the text width, rows kept
    on one page, cells spanning rows merged) and note."""
    from docx.enum.section import WD_ORIENT

    from themecoder.io.docx_layout import apply, plan
    from themecoder.io.docx_quotes import add_caption, add_row, new_table

    cell_styles = {
        "body": doc.styles["Table Text"], "small": doc.styles["Table Text"],
        "quote": doc.styles["Table Quote"], "block": doc.styles["Table Block Quote"],
        "number": doc.styles["Table Number"], "note": doc.styles["Table Text"],
    }
    width = orient(doc, doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE)
    texts = [["\n".join(p.text for p in cell) if cell else "" for cell in row] for row in b.rows]
    # the model's widths say how to share the space; no column narrower than its longest word
    widths = plan(b.headings, texts, portrait_cm=width, allow_landscape=False,
                  weights=b.widths_cm).widths_cm
    add_caption(doc, t("table", lang), b.number, b.title)
    table = new_table(doc, b.headings, widths)
    for i, c in enumerate(table.rows[0].cells):
        if i in b.numeric:
            c.paragraphs[0]._p.style = doc.styles["Table Heading Number"].style_id
        if b.headings[i] in ("n", "M", "SD", "df", "p"):
            for run in c.paragraphs[0].runs:
                run.italic = True
    grid = []
    for row in b.rows:
        cells = add_row(table, widths)
        grid.append(cells)
        for ci, (cell, content) in enumerate(zip(cells, row)):
            if content is None:
                continue
            for pi, para in enumerate(content):
                p = cell.paragraphs[0] if pi == 0 else cell.add_paragraph()
                style = "number" if ci in b.numeric else para.style
                p._p.style = cell_styles.get(style, cell_styles["small"]).style_id
                _fill(p, para.runs)
    spans = _rowspans(b.rows)
    for ri, row in enumerate(b.rows):
        for ci in range(len(row)):
            if spans[ri][ci] > 1:
                grid[ri][ci].merge(grid[ri + spans[ri][ci] - 1][ci])
    apply(table, widths)
    _note(doc, lang, b.note, _fill)


def _note(doc, lang: str, runs: Sequence[Run], fill) -> None:
    p = doc.add_paragraph(style="Table Note")
    p.add_run(t("note", lang), style="Emphasis")
    p.add_run(" ")
    fill(p, runs)


def _define_report_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt

    try:
        doc.styles["Reference"]
        return
    except KeyError:
        pass
    ref = doc.styles.add_style("Reference", WD_STYLE_TYPE.PARAGRAPH)
    ref.base_style = doc.styles["Normal"]
    ref.quick_style = True
    ref.paragraph_format.left_indent = Cm(1.27)
    ref.paragraph_format.first_line_indent = Cm(-1.27)
    ref.paragraph_format.space_after = Pt(6)
