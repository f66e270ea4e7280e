"""Quote tables for the thesis as a Word document (python-docx).

Everything that looks like something is a named style, so the tables take on the thesis's
look when pasted into it (Word keeps the destination's definition of a style of the same
name), and the student can change them all at once:

===================  =========  =====================================================
style                type       used for
===================  =========  =====================================================
Caption              paragraph  "Tabell 1" (bold) above each table, with a SEQ field so
                                Word's list of tables finds it; the title follows on
                                the next line in the character style "Caption Title"
Caption Title        character  the table's title (italic), APA 7
APA Table            table      top and bottom rule of the table, a rule under the
                                header row, no vertical lines (a custom table style,
                                not "Table Grid")
Table Heading        paragraph  header row cells
Table Text           paragraph  other cells (theme, subtheme, participant)
Table Number         paragraph  counts (right-aligned); "Table Heading Number" above them
Quote                paragraph  a quote under 40 words, inline in «» (nb) or “” (en),
                                in the appendix (upright, not indented)
Table Quote          paragraph  the same inside a table (no spacing); based on "Quote"
Table Block Quote    paragraph  a quote of 40 words or more inside a table (indented,
                                no quotation marks); based on "Block Quote"
Block Quote          paragraph  a quote of 40 words or more in the appendix (APA: 0.5 in)
Table Note           paragraph  "Merknad." under a table ("Note." in en); the word
                                itself in the built-in character style "Emphasis"
Quote Source         character  "(Anna, taletur 12)" after a quote in the appendix
===================  =========  =====================================================

The header row repeats on every page (``w:tblHeader``), no row splits across pages
(``w:cantSplit``), and the columns are sized from their content so that no word breaks
(:mod:`themecoder.io.docx_layout`; a table too wide for portrait gets a landscape section).
Pages are A4 with 2.5 cm margins;
the document language is nb-NO or en-GB so Word's spelling check uses the right language.
python-docx is imported only here and in the other Word exporters (never in core).
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

from themecoder.core.quotes import Quote, QuoteSet, QuoteSource
from themecoder.io.docx_layout import apply, orient, plan
from themecoder.io.i18n import default_ellipsis, t
from themecoder.io.tabular import atomic_write, citation, quote_display, table_note, table_title

DOC_LANG = {"nb": "nb-NO", "en": "en-GB"}
TEXT_WIDTH_CM = 16.0
# Tema, Subtema, Sitat, Informant: the widths come from the content (io.docx_layout)
BLACK = RGBColor(0, 0, 0)


# -- styles ------------------------------------------------------------------------------------
def new_document(lang: str) -> DocumentObject:
    """A4, 2.5 cm margins, the document language set, and the export styles defined."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Twips(11906), Twips(16838)  # A4
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
    lang_el = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/"
                                      + qn("w:rPr") + "/" + qn("w:lang"))
    if lang_el is not None:
        lang_el.set(qn("w:val"), DOC_LANG.get(lang, "en-GB"))
    define_styles(doc)
    return doc


def _style(doc: DocumentObject, name: str, kind: WD_STYLE_TYPE, base: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        if base:
            style.base_style = styles[base]
    style.hidden = False
    style.quick_style = True
    return style


def define_styles(doc: DocumentObject) -> None:
    P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

    caption = _style(doc, "Caption", P)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.size = None
    caption.font.color.rgb = BLACK
    caption.paragraph_format.space_before = Pt(12)
    caption.paragraph_format.space_after = Pt(6)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.line_spacing = 1.0

    title = _style(doc, "Caption Title", C)
    title.font.italic = True
    title.font.bold = False

    text = _style(doc, "Table Text", P, "Normal")
    text.paragraph_format.space_before = Pt(0)
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.line_spacing = 1.0

    heading = _style(doc, "Table Heading", P, "Table Text")
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True

    number = _style(doc, "Table Number", P, "Table Text")
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading_number = _style(doc, "Table Heading Number", P, "Table Heading")
    heading_number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    quote = _style(doc, "Quote", P)
    quote.base_style = doc.styles["Normal"]
    quote.font.italic = False
    quote.font.color.rgb = BLACK
    quote.paragraph_format.left_indent = Cm(0)
    quote.paragraph_format.right_indent = Cm(0)
    quote.paragraph_format.space_before = Pt(0)
    quote.paragraph_format.space_after = Pt(8)

    table_quote = _style(doc, "Table Quote", P, "Quote")
    table_quote.paragraph_format.space_after = Pt(0)
    table_quote.paragraph_format.line_spacing = 1.0

    block = _style(doc, "Block Quote", P, "Normal")
    block.font.italic = False
    block.paragraph_format.left_indent = Cm(1.27)
    block.paragraph_format.space_before = Pt(0)
    block.paragraph_format.space_after = Pt(12)

    table_block = _style(doc, "Table Block Quote", P, "Block Quote")
    table_block.paragraph_format.left_indent = Cm(0.5)
    table_block.paragraph_format.space_after = Pt(0)
    table_block.paragraph_format.line_spacing = 1.0

    note = _style(doc, "Table Note", P, "Normal")
    note.paragraph_format.space_before = Pt(6)
    note.paragraph_format.space_after = Pt(18)
    note.paragraph_format.line_spacing = 1.0

    _style(doc, "Quote Source", C, "Default Paragraph Font")
    _apa_table_style(doc)


def _apa_table_style(doc: DocumentObject) -> None:
    try:
        doc.styles["APA Table"]
        return
    except KeyError:
        pass
    style = doc.styles.add_style("APA Table", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    el = style.element
    rule = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'
    thin = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    el.append(parse_xml(
        f'<w:pPr {nsdecls("w")}><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'))
    el.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}>'
        f'<w:tblBorders><w:top {rule}/><w:left w:val="nil"/><w:bottom {rule}/><w:right w:val="nil"/>'
        f'<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        f'<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        f'</w:tblPr>'))
    el.append(parse_xml(
        f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:tblPr/>'
        f'<w:tcPr><w:tcBorders><w:bottom {thin}/></w:tcBorders></w:tcPr></w:tblStylePr>'))


# -- building blocks ---------------------------------------------------------------------------
def use_style(paragraph, style) -> None:
    """Give a paragraph a named style by its id. (python-docx's ``paragraph.style = ...``
    scans every style for the default on each call, which made a few hundred cells slow.)"""
    paragraph._p.style = style.style_id


def styled_paragraph(doc: DocumentObject, style):
    p = doc.add_paragraph()
    use_style(p, style)
    return p


def add_caption(doc: DocumentObject, label: str, number: int, title: str) -> None:
    """``Tabell 1`` (bold, with a SEQ field) and, on the next line, the italic title (APA 7)."""
    p = doc.add_paragraph(style="Caption")
    p.add_run(f"{label} ")
    begin, instr, sep, result, end = (p.add_run() for _ in range(5))
    begin._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    instr._r.append(parse_xml(
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> SEQ {label} \\* ARABIC </w:instrText>'))
    sep._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    result.text = str(number)
    end._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    p.add_run().add_break()
    p.add_run(title, style="Caption Title")


def new_table(doc: DocumentObject, headings: list[str], widths_cm: tuple[float, ...]):
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = doc.styles["APA Table"]
    table.autofit = False
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    tr_pr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, heading, w in zip(row.cells, headings, widths_cm):
        cell.width = Cm(w)
        p = cell.paragraphs[0]
        use_style(p, doc.styles["Table Heading"])
        p.add_run(heading)
    return table


def add_row(table, widths_cm: tuple[float, ...]):
    from themecoder.io.docx_layout import mark_row

    row = table.add_row()
    mark_row(row)  # a row never splits across pages
    cells = row.cells
    for cell, w in zip(cells, widths_cm):
        cell.width = Cm(w)
    return cells


def set_cell(cell, text: str, style) -> None:
    p = cell.paragraphs[0]
    use_style(p, style)
    if text:
        p.add_run(text)   # "\n" in a quote becomes a line break, read back as "\n"


def add_note(doc: DocumentObject, lang: str, text: str) -> None:
    p = doc.add_paragraph(style="Table Note")
    p.add_run(t("note", lang), style="Emphasis")
    p.add_run(" " + text)


# -- the quote document ------------------------------------------------------------------------
def quotes_document(qs: QuoteSet, src: QuoteSource, *, lang: str, ellipsis: str | None = None,
                    appendix: bool = False) -> DocumentObject:
    ellipsis = ellipsis or default_ellipsis(lang)
    headings = [t("theme", lang), t("subtheme", lang), t("quote", lang), t("participant", lang)]
    layouts = [plan(headings, _row_texts(table, lang, ellipsis), portrait_cm=TEXT_WIDTH_CM)
               for table in qs.tables]
    doc = new_document(lang)
    orient(doc, bool(layouts) and layouts[0].landscape)  # the heading goes with the first table
    heading = t("quotes_heading", lang, project=src.project_name)
    doc.core_properties.title = heading
    doc.core_properties.language = DOC_LANG.get(lang, "en-GB")
    doc.add_heading(heading, level=1)
    styles = doc.styles
    s_text, s_quote, s_block = styles["Table Text"], styles["Table Quote"], styles["Table Block Quote"]
    for n, (table, layout) in enumerate(zip(qs.tables, layouts), 1):
        orient(doc, layout.landscape)
        widths = layout.widths_cm
        add_caption(doc, t("table", lang), n, table_title(table, lang))
        tbl = new_table(doc, headings, widths)
        last_group = None
        for i, row in enumerate(table.rows):
            cells = add_row(tbl, widths)
            q = row.quote
            set_cell(cells[0], row.theme if i == 0 else "", s_text)
            set_cell(cells[1], row.subtheme if row.theme_id != last_group else "", s_text)
            last_group = row.theme_id
            set_cell(cells[2], quote_display(q, lang, ellipsis), s_block if q.is_block else s_quote)
            _participant_cell(cells[3], q, lang, s_text)
        apply(tbl, widths)
        add_note(doc, lang, table_note(table, lang, ellipsis))
    orient(doc, False)
    if appendix:
        _appendix(doc, qs, src, lang, ellipsis)
    return doc


def _row_texts(table, lang: str, ellipsis: str) -> list[list[str]]:
    """The cells of a quote table as text, for sizing its columns (docx_layout)."""
    from themecoder.io.tabular import place_text

    return [[row.theme, row.subtheme, quote_display(row.quote, lang, ellipsis),
             "\n".join(x for x in (row.quote.participant, place_text(row.quote, lang)) if x)]
            for row in table.rows]


def _participant_cell(cell, q: Quote, lang: str, style) -> None:
    """Pseudonym on the first line, the place in the transcript on the second."""
    from themecoder.io.tabular import place_text

    p = cell.paragraphs[0]
    use_style(p, style)
    if q.participant:
        p.add_run(q.participant).add_break()
    p.add_run(place_text(q, lang))


def _appendix(doc: DocumentObject, qs: QuoteSet, src: QuoteSource, lang: str, ellipsis: str) -> None:
    doc.add_page_break()
    doc.add_heading(t("appendix", lang), level=1)
    doc.add_paragraph(t("appendix_intro", lang))
    s_block, s_quote = doc.styles["Block Quote"], doc.styles["Quote"]
    source_id = doc.styles["Quote Source"].style_id
    for _theme, path, codes in src.appendix([tb.theme for tb in qs.tables]):
        doc.add_heading(path, level=2)
        for code, quotes in codes:
            doc.add_heading(code.label, level=3)
            for q in quotes:
                p = styled_paragraph(doc, s_block if q.is_block else s_quote)
                p.add_run(quote_display(q, lang, ellipsis))
                p.add_run(" ")
                p.add_run(f"({citation(q, lang)})")._r.style = source_id


def write_quotes_docx(path: str | Path, qs: QuoteSet, src: QuoteSource, *, lang: str,
                      ellipsis: str | None = None, appendix: bool = False) -> Path:
    doc = quotes_document(qs, src, lang=lang, ellipsis=ellipsis, appendix=appendix)
    return atomic_write(path, doc.save)
