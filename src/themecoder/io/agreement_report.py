"""The agreement report: an APA-style table per code and overall, with the method described in
one paragraph (unit, coefficients, number of units, coders), in nb or en; and the disagreement
list. Written through the export service (io.export: kinds "agreement" and "disagreements").

python-docx is imported only when a .docx is written.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from themecoder.core.agreement import Agreement, CodeAgreement
from themecoder.core.apa import format_number
from themecoder.core.consensus import Disagreement, export_rows
from themecoder.io.i18n import CSV_DELIMITER, format_int, format_percent, t
from themecoder.io.tabular import atomic_write, write_text

COLUMNS_CM = (4.6, 1.6, 1.8, 1.5, 3.4, 2.2)


def _coef(x: float | None, lang: str) -> str:
    """APA: no leading zero for a coefficient bounded by 1; "undefined" rather than NaN."""
    return t("agreement.undefined", lang) if x is None else format_number(x, 2, lang, leading_zero=False)


def _ci(row: CodeAgreement, lang: str) -> str:
    c = row.coefficients
    if c.alpha is None:
        return t("agreement.undefined", lang)
    text = _coef(c.alpha, lang)
    if c.alpha_ci:
        sep = "; " if lang == "nb" else ", "
        text += f" [{_coef(c.alpha_ci[0], lang)}{sep}{_coef(c.alpha_ci[1], lang)}]"
    return text


def table_rows(result: Agreement, lang: str) -> list[list[str]]:
    """Header and one row per code plus the overall row, formatted for the language."""
    head = [t(k, lang) for k in ("code", "agreement.units", "agreement.percent", "agreement.kappa",
                                 "agreement.alpha", "agreement.segments")]
    rows = [head]
    for r in [*result.codes, result.overall]:
        c = r.coefficients
        seg = r.segments.get("percent")
        label = t("agreement.overall", lang) if r.code_id is None else r.code
        rows.append([label, format_int(c.units, lang),
                     format_percent(c.percent, lang) if c.percent is not None else "–",
                     _coef(c.kappa, lang), _ci(r, lang),
                     format_percent(seg, lang) if seg is not None else "–"])
    return rows


def method_paragraph(result: Agreement, lang: str) -> str:
    coders = result.coders
    names = (", ".join(coders[:-1]) + (" og " if lang == "nb" else " and ") + coders[-1])
    kappa = t("agreement.method_cohen" if len(coders) == 2 else "agreement.method_fleiss", lang)
    overlap = format_percent(result.min_overlap, lang)
    return t("agreement.method", lang, n_coders=format_int(len(coders), lang), coders=names,
             docs=format_int(len(result.documents), lang), unit=t(f"agreement.unit_{result.unit}", lang),
             units=format_int(result.overall.coefficients.units, lang), codes=format_int(len(result.codes), lang),
             kappa=kappa, samples=format_int(result.bootstrap, lang), overlap=overlap).replace("  ", " ")


def note_text(result: Agreement, lang: str) -> str:
    undefined = [r.code for r in result.codes if r.coefficients.kappa is None or r.coefficients.alpha is None]
    text = t("agreement.note", lang)
    if undefined:
        text += " " + t("agreement.note_undefined", lang, codes=", ".join(undefined))
    return text


def write_agreement(result: Agreement, path: str | Path, *, fmt: str, lang: str, project_name: str,
                    delimiter: str | None = None) -> Path:
    rows = table_rows(result, lang)
    title = t("agreement.title", lang, project=project_name)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter or CSV_DELIMITER[lang], lineterminator="\n")
        w.writerows(rows)
        return write_text(path, buf.getvalue(), bom=True)
    if fmt == "md":
        lines = [f"# {title}", "", method_paragraph(result, lang), "",
                 f"**{t('table', lang)} 1**", "", f"*{t('agreement.caption', lang)}*", ""]
        lines.append("| " + " | ".join(rows[0]) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + "|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:]]
        lines += ["", f"*{t('note', lang)}* {note_text(result, lang)}", ""]
        return write_text(path, "\n".join(lines))
    return atomic_write(path, _docx(result, rows, title, lang).save)


def _docx(result: Agreement, rows: list[list[str]], title: str, lang: str):
    from themecoder.io.docx_quotes import (
        DOC_LANG,
        add_caption,
        add_note,
        add_row,
        new_document,
        new_table,
        set_cell,
        use_style,
    )

    doc = new_document(lang)
    doc.core_properties.title = title
    doc.core_properties.language = DOC_LANG.get(lang, "en-GB")
    doc.add_heading(title, level=1)
    doc.add_paragraph(method_paragraph(result, lang))
    add_caption(doc, t("table", lang), 1, t("agreement.caption", lang))
    table = new_table(doc, rows[0], COLUMNS_CM)
    for cell in table.rows[0].cells[1:]:
        use_style(cell.paragraphs[0], doc.styles["Table Heading Number"])
    s_text, s_num = doc.styles["Table Text"], doc.styles["Table Number"]
    for row in rows[1:]:
        cells = add_row(table, COLUMNS_CM)
        for i, value in enumerate(row):
            set_cell(cells[i], value, s_text if i == 0 else s_num)
    add_note(doc, lang, note_text(result, lang))
    return doc


def write_disagreements(items: list[Disagreement], path: str | Path, *, fmt: str, lang: str,
                        delimiter: str | None = None) -> Path:
    rows = export_rows(items)
    rows[0] = [t(f"agreement.col_{i}", lang) for i in range(len(rows[0]))]
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter or CSV_DELIMITER[lang], lineterminator="\n").writerows(rows)
        return write_text(path, buf.getvalue(), bom=True)
    lines = [f"# {t('agreement.disagreements', lang)}", ""]
    lines.append("| " + " | ".join(rows[0]) + " |")
    lines.append("|" + "|".join("---" for _ in rows[0]) + "|")
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:]]
    return write_text(path, "\n".join(lines) + "\n")


# -- through the export service (io.export kinds "agreement" and "disagreements") -------------
def _compute(project, request: dict):
    from themecoder.core.agreement import compute

    if not request.get("coders"):
        raise_missing()
    return compute(project, **request)


def raise_missing() -> None:
    from themecoder.errors import UserError

    raise UserError("an agreement export needs the coders (--coders A B)")


def export_agreement(project, path: Path, fmt: str, lang: str, request: dict, delimiter: str | None = None):
    from themecoder.io.export import ExportResult

    result = _compute(project, request)
    write_agreement(result, path, fmt=fmt, lang=lang, project_name=project.name, delimiter=delimiter)
    return ExportResult(path, "agreement", fmt,
                        f"wrote {path}: {len(result.codes)} codes, {result.overall.coefficients.units} units "
                        f"({result.unit}), coders {', '.join(result.coders)}")


def export_disagreements(project, path: Path, fmt: str, lang: str, request: dict, delimiter: str | None = None):
    from themecoder.core.consensus import disagreements
    from themecoder.io.export import ExportResult

    items = disagreements(project, _compute(project, request))
    write_disagreements(items, path, fmt=fmt, lang=lang, delimiter=delimiter)
    return ExportResult(path, "disagreements", fmt, f"wrote {path}: {len(items)} disagreements")
