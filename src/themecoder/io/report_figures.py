"""The report's figure: coverage of themes per participant, as a heat map.

No plotting library is needed (matplotlib is not a dependency): the same
:class:`themecoder.core.findings.Coverage` is drawn three ways,

* HTML: an inline SVG (a grid of shaded squares with the counts, theme names on the left,
  pseudonyms on top), which scales and prints sharply;
* Word: a table whose cells are shaded (``w:shd``) in proportion to the count, so the
  student can still edit names and fonts and it stays crisp at any zoom;
* markdown: a table of counts with a shade character (░ ▒ ▓ █) in front of each.

Darker means more codings of the theme (its subthemes included) in that participant's
interviews; an empty cell means none. Rows resting on five or fewer participants get the
⚠ n ≤ 5 mark like the rest of the report.

With more than :data:`MAX_COLUMNS` participants a column each would be unreadable, so the
figure becomes compact: per theme the share of participants with at least one coding
(shaded by that share, ``12 / 40``) and the number of codings.
"""
from __future__ import annotations

from html import escape

from themecoder.core.findings import Coverage, CoverageRow

LIGHT = (0xF4, 0xF6, 0xFA)
DARK = (0x1F, 0x3A, 0x68)
SHADES = "░▒▓█"
WARN = "⚠ n ≤ 5"
MAX_COLUMNS = 20


def compact(cov: Coverage) -> bool:
    """Too many participants for a column each."""
    return len(cov.columns) > MAX_COLUMNS


def _n_text(row: CoverageRow) -> str:
    return f"{row.participants}" + (f" {WARN}" if row.small_n else "")


def shade(count: int, top: int) -> tuple[str, str]:
    """(fill, text colour) as hex without '#': white for 0, up to dark blue for ``top``."""
    if count <= 0 or top <= 0:
        return "FFFFFF", "808080"
    x = 0.15 + 0.85 * (count / top)
    rgb = tuple(round(a + (b - a) * x) for a, b in zip(LIGHT, DARK))
    text = "FFFFFF" if x > 0.55 else "000000"
    return "".join(f"{v:02X}" for v in rgb), text


def shade_char(count: int, top: int) -> str:
    if count <= 0 or top <= 0:
        return ""
    i = min(len(SHADES) - 1, int((count / top) * len(SHADES) - 1e-9))
    return SHADES[i]


def row_label(row: CoverageRow) -> str:
    return ("\u2003" * row.level) + row.theme.name


# -- SVG -----------------------------------------------------------------------------------------
def heatmap_svg(cov: Coverage, *, title: str, cell: int = 34, font: int = 12) -> str:
    """An inline SVG heat map (``role="img"`` with the title as its accessible name)."""
    if compact(cov):
        return _compact_svg(cov, title=title, font=font)
    top = cov.max_count
    label_w = max((len(row_label(r)) for r in cov.rows), default=10) * font * 0.55 + 40
    head_h = max((len(c) for c in cov.columns), default=4) * font * 0.6 + 16
    n_w = 60
    width = int(label_w + cell * len(cov.columns) + n_w + 10)
    height = int(head_h + cell * len(cov.rows) + 10)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{font}">',
           f"<title>{escape(title)}</title>"]
    for j, name in enumerate(cov.columns):
        x = label_w + j * cell + cell / 2
        out.append(f'<text x="{x:.1f}" y="{head_h - 6:.1f}" transform="rotate(-45 {x:.1f} {head_h - 6:.1f})">'
                   f"{escape(name)}</text>")
    out.append(f'<text x="{label_w + cell * len(cov.columns) + 8:.1f}" y="{head_h - 6:.1f}" '
               f'font-style="italic">n</text>')
    for i, row in enumerate(cov.rows):
        y = head_h + i * cell
        weight = ' font-weight="bold"' if row.level == 0 else ""
        out.append(f'<text x="{4 + 12 * row.level}" y="{y + cell / 2 + font / 3:.1f}"{weight}>'
                   f"{escape(row.theme.name)}</text>")
        for j, count in enumerate(row.counts):
            fill, ink = shade(count, top)
            x = label_w + j * cell
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2}" height="{cell - 2}" '
                       f'fill="#{fill}" stroke="#BBBBBB" stroke-width="0.5"/>')
            if count:
                out.append(f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + font / 3:.1f}" '
                           f'text-anchor="middle" fill="#{ink}">{count}</text>')
        n_text = f"{row.participants}" + (f" {WARN}" if row.small_n else "")
        out.append(f'<text x="{label_w + cell * len(cov.columns) + 8:.1f}" '
                   f'y="{y + cell / 2 + font / 3:.1f}">{escape(n_text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _compact_svg(cov: Coverage, *, title: str, font: int = 12, bar: int = 240, row_h: int = 22) -> str:
    """Per theme a bar: the share of participants with a coding of the theme."""
    total = len(cov.columns)
    label_w = max((len(row_label(r)) for r in cov.rows), default=10) * font * 0.55 + 40
    width = int(label_w + bar + 200)
    height = int(row_h * len(cov.rows) + 10)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="{font}">',
           f"<title>{escape(title)}</title>"]
    for i, row in enumerate(cov.rows):
        y = i * row_h
        weight = ' font-weight="bold"' if row.level == 0 else ""
        out.append(f'<text x="{4 + 12 * row.level}" y="{y + row_h * 0.7:.1f}"{weight}>{escape(row.theme.name)}</text>')
        share = row.participants / total if total else 0
        fill, _ = shade(row.participants, total)
        out.append(f'<rect x="{label_w:.1f}" y="{y + 3}" width="{bar}" height="{row_h - 6}" fill="none" '
                   f'stroke="#BBBBBB" stroke-width="0.5"/>')
        out.append(f'<rect x="{label_w:.1f}" y="{y + 3}" width="{bar * share:.1f}" height="{row_h - 6}" '
                   f'fill="#{fill}"/>')
        text = f"{row.participants} / {total}, {sum(row.counts)}" + (f" {WARN}" if row.small_n else "")
        out.append(f'<text x="{label_w + bar + 8:.1f}" y="{y + row_h * 0.7:.1f}">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


# -- markdown ------------------------------------------------------------------------------------
def heatmap_markdown(cov: Coverage, *, theme_heading: str, cell_escape, codings_heading: str = "codings"
                     ) -> list[str]:
    if compact(cov):
        total = len(cov.columns)
        lines = [f"| {cell_escape(theme_heading)} | *n* / *N* | {cell_escape(codings_heading)} |", "|---|--:|--:|"]
        for row in cov.rows:
            name = ("\u2003" * row.level) + (f"**{cell_escape(row.theme.name)}**" if row.level == 0
                                             else cell_escape(row.theme.name))
            lines.append(f"| {name} | {shade_char(row.participants, total)} {row.participants} / {total}"
                         + (f" {WARN}" if row.small_n else "") + f" | {sum(row.counts)} |")
        return lines
    top = cov.max_count
    head = [theme_heading, *cov.columns, "*n*"]
    lines = ["| " + " | ".join(cell_escape(h) if i not in (len(head) - 1,) else h
                               for i, h in enumerate(head)) + " |",
             "|---|" + "--:|" * (len(cov.columns) + 1)]
    for row in cov.rows:
        name = ("\u2003" * row.level) + (f"**{cell_escape(row.theme.name)}**" if row.level == 0
                                         else cell_escape(row.theme.name))
        cells = [f"{shade_char(c, top)} {c}".strip() if c else "–" for c in row.counts]
        n_text = f"{row.participants}" + (f" {WARN}" if row.small_n else "")
        lines.append("| " + " | ".join([name, *cells, n_text]) + " |")
    return lines


# -- Word ----------------------------------------------------------------------------------------
def add_heatmap_docx(doc, cov: Coverage, *, theme_heading: str, text_width_cm: float = 16.0,
                     codings_heading: str = "codings") -> None:
    """A shaded table: theme names, one column per participant, and n (compact: the share
    of participants, shaded, and the codings)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm, Pt, RGBColor

    from themecoder.io.docx_quotes import add_row, new_table

    if compact(cov):
        cols_list, counts_of = ["n / N"], lambda r: [r.participants]
        top, total = len(cov.columns), len(cov.columns)
    else:
        cols_list, counts_of = list(cov.columns), lambda r: r.counts
        top, total = cov.max_count, None
    cols = len(cols_list)
    n_w = 1.6
    cell_w = 2.4 if total else max(0.9, min(1.6, (text_width_cm - 5.5 - n_w) / max(cols, 1)))
    name_w = max(4.0, text_width_cm - n_w - cell_w * cols)
    widths = (name_w, *([cell_w] * cols), n_w)
    table = new_table(doc, [theme_heading, *cols_list, codings_heading if total else "n"], widths)
    header = table.rows[0].cells
    heading_number = doc.styles["Table Heading Number"].style_id
    for c in header[1:]:
        c.paragraphs[0]._p.style = heading_number
    if not total:
        for run in header[-1].paragraphs[0].runs:
            run.italic = True
    s_text, s_num = doc.styles["Table Text"].style_id, doc.styles["Table Number"].style_id
    for row in cov.rows:
        cells = add_row(table, widths)
        p = cells[0].paragraphs[0]
        p._p.style = s_text
        if row.level:
            p.paragraph_format.left_indent = Cm(0.4 * row.level)
        r = p.add_run(row.theme.name)
        r.bold = row.level == 0
        for cell, count in zip(cells[1:-1], counts_of(row)):
            fill, ink = shade(count, top)
            cell._tc.get_or_add_tcPr().append(
                parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))
            q = cell.paragraphs[0]
            q._p.style = s_num
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            label = (f"{count} / {total}" + (f" {WARN}" if row.small_n else "")) if total else (
                str(count) if count else "–")
            run = q.add_run(label)
            run.font.color.rgb = RGBColor.from_string(ink)
            run.font.size = Pt(9)
        q = cells[-1].paragraphs[0]
        q._p.style = s_num
        q.add_run(str(sum(row.counts)) if total else _n_text(row))
