"""The layout of every Word table we write (quote tables, codebook, review summary, report).

One helper so that all tables behave the same in the thesis:

* **columns sized from their content**: every column is at least as wide as its longest
  word (in the header too, which is bold), so Norwegian compounds ("Brukermedvirkning",
  "Tradisjonelle tankemønstre", "Informanter") never break mid-word; the space left over
  goes to the columns with the most text (quotes, descriptions), never beyond what their
  longest line needs;
* **rows never split across pages** (``w:cantSplit`` on every row) and the **header row
  repeats** on each page (``w:tblHeader``);
* **landscape when the content needs it**: when the columns' longest words do not fit in
  the portrait text width, the table goes into a landscape section.

Text width is estimated from character counts at the font size (:func:`text_cm`): an
average character of a proportional font such as Calibri is about half an em; we count
0.55 em (0.6 in bold) and a cell's left and right padding, so the estimate errs on the
wide side. python-docx is imported lazily (only the Word exporters call this).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PT_PER_CM = 72 / 2.54
CHAR_EM = 0.55            # average character width in em (regular)
BOLD_CHAR_EM = 0.6        # ... in bold (the header row)
CELL_PADDING_CM = 0.30 + 0.1  # left + right cell margin (85 twips each) and a little slack
DEFAULT_PT = 11.0         # python-docx's default template: Calibri 11 pt
PORTRAIT_CM = 16.0        # A4 with 2.5 cm margins
LANDSCAPE_CM = 24.7


def text_cm(text: str, font_pt: float = DEFAULT_PT, *, bold: bool = False) -> float:
    """Estimated width of ``text`` on one line, in cm."""
    em = BOLD_CHAR_EM if bold else CHAR_EM
    return len(text) * em * font_pt / PT_PER_CM


def longest_word(text: str) -> str:
    """The longest piece Word will not break: a word, or the part of a hyphenated word up to
    and after its hyphen ("recovery-" and "orientering"; Word breaks after a hyphen or slash)."""
    words = text.replace("/", "/ ").replace("-", "- ").replace("\u2013", "\u2013 ").split()
    return max(words, key=len) if words else ""


def longest_line(text: str) -> str:
    lines = text.split("\n")
    return max(lines, key=len) if lines else ""


@dataclass(frozen=True)
class Layout:
    widths_cm: tuple[float, ...]
    landscape: bool
    min_cm: tuple[float, ...]       # each column's longest word (the width it must have)


def plan(headings: Sequence[str], rows: Sequence[Sequence[str]], *, font_pt: float = DEFAULT_PT,
         portrait_cm: float = PORTRAIT_CM, landscape_cm: float = LANDSCAPE_CM,
         allow_landscape: bool = True, force_landscape: bool = False,
         weights: Sequence[float] | None = None) -> Layout:
    """Column widths for a table whose cells hold ``rows`` (plain text per cell).
    ``weights``: how the space beyond the longest words is shared (default: by the amount
    of text in each column)."""
    n = len(headings)
    min_cm = []
    natural = []
    volume = []
    for i in range(n):
        column = [r[i] if i < len(r) else "" for r in rows]
        word = max([text_cm(longest_word(headings[i]), font_pt, bold=True)]
                   + [text_cm(longest_word(c), font_pt) for c in column])
        line = max([text_cm(longest_line(headings[i]), font_pt, bold=True)]
                   + [text_cm(longest_line(c), font_pt) for c in column])
        min_cm.append(word + CELL_PADDING_CM)
        natural.append(max(word, line) + CELL_PADDING_CM)
        volume.append(sum(len(c) for c in column) + len(headings[i]))
    if weights is not None:
        volume = [max(1, round(w * 100)) for w in weights]
    landscape = force_landscape or (allow_landscape and sum(min_cm) > portrait_cm)
    width = landscape_cm if landscape else portrait_cm
    return Layout(_share(min_cm, natural, volume, width), landscape, tuple(min_cm))


def _share(min_cm: list[float], natural: list[float], volume: list[int], width: float
           ) -> tuple[float, ...]:
    """Every column its minimum; the rest of ``width`` to the columns that want more, by
    their amount of text, none beyond its natural width; what is still left is spread
    evenly. When the minimums alone are too wide, they are scaled down (nothing else is
    possible)."""
    total_min = sum(min_cm)
    if total_min >= width:
        return tuple(w * width / total_min for w in min_cm)
    widths = list(min_cm)
    left = width - total_min
    wanting = [i for i in range(len(widths)) if natural[i] > widths[i] + 1e-9]
    while left > 1e-6 and wanting:
        weight = sum(max(volume[i], 1) for i in wanting)
        given = 0.0
        for i in list(wanting):
            share = left * max(volume[i], 1) / weight
            take = min(share, natural[i] - widths[i])
            widths[i] += take
            given += take
            if natural[i] - widths[i] <= 1e-9:
                wanting.remove(i)
        left -= given
        if given <= 1e-9:
            break
    if left > 1e-6:
        widths = [w + left / len(widths) for w in widths]
    return tuple(widths)


# -- applying it to a python-docx table ---------------------------------------------------------
def apply(table, widths_cm: Sequence[float], *, header_rows: int = 1) -> None:
    """Fixed layout with these column widths, every row ``cantSplit``, the header row(s)
    repeated on each page."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm

    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in its place
    tbl_pr = table._tbl.tblPr
    total = sum(Cm(w) for w in widths_cm)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = parse_xml(f'<w:tblW {nsdecls("w")}/>')
        tbl_pr.insert_element_before(tbl_w, *_AFTER_TBLW)
    tbl_w.set(qn("w:w"), str(int(total / 635)))  # EMU -> twips
    tbl_w.set(qn("w:type"), "dxa")
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    for i, row in enumerate(table.rows):
        mark_row(row, header=i < header_rows)
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def mark_row(row, *, header: bool = False) -> None:
    """``w:cantSplit`` on the row (and ``w:tblHeader`` on a header row), once."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:  # the schema's order: cantSplit, trHeight, tblHeader
        tr_pr.insert_element_before(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'), *_AFTER_CANTSPLIT)
    if header and tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.insert_element_before(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'), *_AFTER_TBLHEADER)


# what follows these elements in w:tblPr and w:trPr (ECMA-376), so each goes in its place
_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
               "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBLHEADER)


def cell_texts(table) -> tuple[list[str], list[list[str]]]:
    """The header and the body of a python-docx table as text (merged cells once)."""
    rows = [[c.text for c in r.cells] for r in table.rows]
    return (rows[0] if rows else []), rows[1:]


def orient(doc, landscape: bool) -> float:
    """The last section in the orientation asked for (a new section on a new page when it
    changes); the text width in cm."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = doc.sections[-1]
    if (section.orientation == WD_ORIENT.LANDSCAPE) != landscape:
        if _section_is_empty(doc):
            new = section
        else:
            new = doc.add_section(WD_SECTION.NEW_PAGE)
        new.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        w, h = new.page_width, new.page_height
        if (w < h) == landscape:
            new.page_width, new.page_height = h, w
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Cm(1)


def _section_is_empty(doc) -> bool:
    body = doc.element.body
    return len([el for el in body if not el.tag.endswith("}sectPr")]) == 0


def fit(doc, table, *, font_pt: float = DEFAULT_PT, allow_landscape: bool = True,
        force_landscape: bool = False) -> Layout:
    """Size an already filled table from its content (see :func:`plan`) and apply it."""
    headings, body = cell_texts(table)
    portrait = _text_width(doc, landscape=False)
    layout = plan(headings, body, font_pt=font_pt, portrait_cm=portrait,
                  landscape_cm=_text_width(doc, landscape=True),
                  allow_landscape=allow_landscape, force_landscape=force_landscape)
    apply(table, layout.widths_cm)
    return layout


def _text_width(doc, *, landscape: bool) -> float:
    from docx.shared import Cm

    s = doc.sections[-1]
    long_side, short_side = max(s.page_width, s.page_height), min(s.page_width, s.page_height)
    page = long_side if landscape else short_side
    return (page - s.left_margin - s.right_margin) / Cm(1)
