"""The codebook for the thesis: theme, subtheme, code, description, number of codings and
number of participants, as Word (.docx), CSV, markdown or REFI-QDA codebook (.qdc).

Rows: each theme (and subtheme) gets a row of its own with its description and the totals
over its codes (each coding and participant counted once), followed by its codes; a code in
several themes is listed under each. Codes in no theme come last, under "(uten tema)".
python-docx is imported only when a .docx is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from themecoder.core.quotes import PATH_SEPARATOR
from themecoder.errors import UserError
from themecoder.io.i18n import format_int, t
from themecoder.io.tabular import atomic_write, codebook_csv, codebook_markdown, write_text
from themecoder.model import Code

FORMATS = ("docx", "csv", "md", "qdc")
# the columns are sized from their content (io.docx_layout)


@dataclass(frozen=True, slots=True)
class Entry:
    theme: str
    subtheme: str
    code: Code | None          # None for the theme's own row
    description: str
    codings: int
    participants: int

    @property
    def label(self) -> str:
        return self.code.label if self.code else ""


def codebook_entries(project, *, lang: str = "nb") -> list[Entry]:
    from themecoder import store

    db = project.db
    stats = {s.code.id: s for s in store.codes.code_stats(db)}
    themes = store.themes.themes(db)
    by_id = {th.id: th for th in themes}

    def path(theme_id: str) -> list[str]:
        names = []
        th = by_id.get(theme_id)
        while th is not None:
            names.append(th.name)
            th = by_id.get(th.parent_id) if th.parent_id else None
        return names[::-1]

    entries: list[Entry] = []
    mapped: set[str] = set()
    for th in themes:
        names = path(th.id)
        top, sub = names[0], PATH_SEPARATOR.join(names[1:])
        totals = store.views.theme_totals(db, th.id)
        entries.append(Entry(top, sub, None, th.description, totals[0], totals[1]))
        for code in store.themes.theme_codes(db, th.id):
            s = stats[code.id]
            mapped.add(code.id)
            entries.append(Entry(top, sub, code, code.description, s.codings, s.participants))
    for s in stats.values():
        if s.code.id not in mapped:
            entries.append(Entry(t("no_theme", lang), "", s.code, s.code.description, s.codings, s.participants))
    return entries


def write_codebook(project, path: str | Path, *, fmt: str, lang: str = "nb",
                   delimiter: str | None = None) -> tuple[Path, int]:
    """Write the codebook; returns the path and the number of codes."""
    from themecoder import store

    n_codes = store.codes.count(project.db)
    if fmt == "qdc":
        from themecoder.io.refi_project import export_codebook_qdc

        return export_codebook_qdc(project, path), n_codes
    entries = codebook_entries(project, lang=lang)
    if fmt == "csv":
        return write_text(path, codebook_csv(entries, lang=lang, delimiter=delimiter),
                          bom=True), n_codes
    if fmt == "md":
        return write_text(path, codebook_markdown(entries, project_name=project.name,
                                                  lang=lang)), n_codes
    if fmt == "docx":
        doc = codebook_document(entries, project_name=project.name, lang=lang)
        return atomic_write(path, doc.save), n_codes
    raise UserError(f"unknown codebook format {fmt!r}; use {', '.join(FORMATS)}")


def codebook_document(entries: list[Entry], *, project_name: str, lang: str):
    from themecoder.io.docx_layout import apply, orient, plan
    from themecoder.io.docx_quotes import (
        DOC_LANG,
        TEXT_WIDTH_CM,
        add_caption,
        add_note,
        add_row,
        new_document,
        new_table,
        set_cell,
        use_style,
    )

    headings = [t(k, lang) for k in ("theme", "subtheme", "code", "description", "codings", "participants")]
    texts = [[e.theme, e.subtheme if e.code is None else "", e.label, e.description,
              format_int(e.codings, lang), format_int(e.participants, lang)] for e in entries]
    layout = plan(headings, texts, portrait_cm=TEXT_WIDTH_CM)
    widths = layout.widths_cm
    doc = new_document(lang)
    orient(doc, layout.landscape)  # the whole codebook, heading included, when it needs it
    doc.core_properties.title = t("codebook_title", lang, project=project_name)
    doc.core_properties.language = DOC_LANG.get(lang, "en-GB")
    doc.add_heading(t("codebook_title", lang, project=project_name), level=1)
    add_caption(doc, t("table", lang), 1, t("codebook", lang))
    table = new_table(doc, headings, widths)
    for cell in table.rows[0].cells[4:]:
        use_style(cell.paragraphs[0], doc.styles["Table Heading Number"])
    s_text, s_head, s_num = doc.styles["Table Text"], doc.styles["Table Heading"], doc.styles["Table Number"]
    last = (None, None)
    for e in entries:
        cells = add_row(table, widths)
        theme_row = e.code is None
        set_cell(cells[0], e.theme if last[0] != e.theme else "", s_head if theme_row and not e.subtheme else s_text)
        set_cell(cells[1], e.subtheme if theme_row else "", s_head if theme_row and e.subtheme else s_text)
        last = (e.theme, e.subtheme)
        set_cell(cells[2], e.label, s_text)
        set_cell(cells[3], e.description, s_text)
        set_cell(cells[4], format_int(e.codings, lang), s_num)
        set_cell(cells[5], format_int(e.participants, lang), s_num)
    apply(table, widths)
    add_note(doc, lang, t("codebook_note", lang))
    return doc
