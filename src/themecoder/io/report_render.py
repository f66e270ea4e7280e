"""The mixed-methods report rendered as markdown and as HTML."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from themecoder.io.i18n import t
from themecoder.io.report_model import WARN, Cell, FigureBlock, Heading, Para, Report, Run, TableBlock, s


# -- markdown -------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
            .replace("`", "\\`"))


def _md_runs(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        body = _md_escape(r.text)
        if not body:
            continue
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()):]
        core = body.strip()
        if core and r.bold:
            core = f"**{core}**"
        if core and r.italic:
            core = f"*{core}*"
        out.append(lead + core + trail)
    return "".join(out)


def _md_cell(cell: Cell | None) -> str:
    if cell is None:
        return ""
    text = "<br>".join(_md_runs(p.runs) for p in cell if p.text)
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def render_markdown(report: Report) -> str:
    lang = report.lang
    out: list[str] = []
    for b in report.blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            text = _md_runs(b.runs)
            if b.style == "block":
                out += ["> " + line if line else ">" for line in text.split("\n")]
                out.append("")
            else:
                out += [text, ""]
        elif isinstance(b, TableBlock):
            out += [f"**{t('table', lang)} {b.number}**", "", f"*{b.title}*", ""]
            out.append("| " + " | ".join(_md_escape(h) if h not in ("n", "M", "SD", "df", "p") else f"*{h}*"
                                         for h in b.headings) + " |")
            out.append("|" + "".join("--:|" if i in b.numeric else "---|" for i in range(len(b.headings))))
            for row in b.rows:
                out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            out += ["", f"*{t('note', lang)}* " + _md_runs(b.note), ""]
        elif isinstance(b, FigureBlock):
            from themecoder.io.report_figures import heatmap_markdown

            out += [f"**{s('figure', lang)} {b.number}**", "", f"*{b.title}*", ""]
            out += heatmap_markdown(b.coverage, theme_heading=s("theme_col", lang),
                                    cell_escape=lambda x: _md_escape(x).replace("|", "\\|"),
                                    codings_heading=s("codings_col", lang))
            out += ["", f"*{t('note', lang)}* " + _md_runs(b.note), ""]
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------------
CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 2em; } h3 { font-size: 1.1em; }
h4 { font-size: 1em; font-style: italic; }
p.small { margin: 0.15em 0; font-size: 0.95em; }
p.quote { margin: 0.3em 0; }
p.block, blockquote { margin: 0.5em 0 0.5em 2em; }
p.reference { padding-left: 2em; text-indent: -2em; }
caption, figcaption { text-align: left; margin: 1.5em 0 0.4em; caption-side: top; }
table.apa { border-collapse: collapse; border-bottom: 2px solid #000; margin-bottom: 0.4em; font-size: 0.9em;
            width: 100%; }
table.apa thead tr:first-child th { border-top: 2px solid #000; }
table.apa th { border-bottom: 1px solid #000; text-align: left; vertical-align: bottom; padding: 0.3em 0.5em; }
table.apa td { vertical-align: top; padding: 0.3em 0.5em; }
table.apa td.num, table.apa th.num { text-align: right; white-space: nowrap; }
table.apa tr.first td { border-top: 1px solid #ccc; }
p.note { font-size: 0.9em; margin-top: 0.3em; }
.warn { font-weight: bold; color: #8a4b00; }
figure { margin: 1em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
@page { margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  h1, h2, h3, h4 { break-after: avoid; }
  table.apa, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  figure { overflow: visible; }
}
"""


def _html_runs(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        body = escape(r.text).replace("\n", "<br>")
        if r.text.strip() == WARN:
            body = f'<span class="warn">{body}</span>'
        elif r.bold:
            body = f"<strong>{body}</strong>"
        if r.italic:
            body = f"<em>{body}</em>"
        out.append(body)
    return "".join(out)


def _html_para(p: Para) -> str:
    return f'<p class="{p.style}">{_html_runs(p.runs)}</p>'


def render_html(report: Report) -> str:
    from themecoder.io.report_figures import heatmap_svg

    lang = report.lang
    out = ["<!DOCTYPE html>", f'<html lang="{"nb" if lang == "nb" else "en"}">', "<head>",
           '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(report.title)}</title>",
           f"<style>{CSS}</style>", "</head>", "<body>", "<main>"]
    for b in report.blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{escape(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(_html_para(b))
        elif isinstance(b, TableBlock):
            # APA: number and title above the table, as the table's own <caption>
            out.append(f'<table class="apa {b.css}">')
            out.append(f'<caption><strong>{t("table", lang)} {b.number}</strong><br>'
                       f"<em>{escape(b.title)}</em></caption>")
            heads = []
            for i, h in enumerate(b.headings):
                cls = ' class="num"' if i in b.numeric else ""
                body = f"<em>{escape(h)}</em>" if h in ("n", "M", "SD", "df", "p") else escape(h)
                heads.append(f"<th{cls}>{body}</th>")
            out.append("<thead><tr>" + "".join(heads) + "</tr></thead><tbody>")
            spans = _rowspans(b.rows)
            for ri, row in enumerate(b.rows):
                first = row[0] is not None
                cells = []
                for ci, cell in enumerate(row):
                    if cell is None:
                        continue
                    attrs = []
                    if spans[ri][ci] > 1:
                        attrs.append(f'rowspan="{spans[ri][ci]}"')
                    if ci in b.numeric:
                        attrs.append('class="num"')
                    attr = (" " + " ".join(attrs)) if attrs else ""
                    cells.append(f"<td{attr}>" + "".join(_html_para(p) for p in cell) + "</td>")
                klass = ' class="first"' if first and ri else ""
                out.append(f"<tr{klass}>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
            out.append(f'<p class="note"><em>{t("note", lang)}</em> {_html_runs(b.note)}</p>')
        elif isinstance(b, FigureBlock):
            # APA: number and title above the figure (its <figcaption>), the note below it
            out.append(f'<figure><figcaption><strong>{s("figure", lang)} {b.number}</strong><br>'
                       f"<em>{escape(b.title)}</em></figcaption>")
            out.append(heatmap_svg(b.coverage, title=b.title))
            out.append(f'<p class="note"><em>{t("note", lang)}</em> {_html_runs(b.note)}</p></figure>')
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _rowspans(rows: Sequence[Sequence[Cell | None]]) -> list[list[int]]:
    spans = [[1] * len(r) for r in rows]
    for ci in range(len(rows[0]) if rows else 0):
        anchor = None
        for ri, row in enumerate(rows):
            if row[ci] is None and anchor is not None:
                spans[anchor][ci] += 1
            else:
                anchor = ri
    return spans
