"""The review summary for the supervision meeting, as Word (.docx) or Markdown (.md).

Per theme (in the order of the theme tree): its status, description, key quote and review
comments, then one table of its codes with codings, informants, status and comments. At the
end: codes in no theme, orphaned review items and what changed since the last review.
Real Word styles throughout (Title, Heading 1-4, Quote, List Bullet, a table style), so the
document can be restyled and gets a navigation pane.
"""
from __future__ import annotations

from pathlib import Path

from themecoder.core.review import ReviewItem, Thread
from themecoder.core.review_overview import ReviewSummary
from themecoder.errors import UserError
from themecoder.io.i18n import LANGS, quote_marks
from themecoder.io.i18n import t as _t
from themecoder.io.review_change_text import change_lines
from themecoder.io.tabular import atomic_write, write_text


def t(key: str, lang: str, **kw: object) -> str:
    """The summary's strings live in the one string table, under "review."."""
    return _t("review." + key, lang, **kw)


def _q(text: str, lang: str) -> str:
    from themecoder.io.tabular import nest_quotes

    left, right = quote_marks(lang)
    return f"{left}{nest_quotes(text, lang)}{right}"


def _comment_lines(threads: list[Thread], lang: str) -> list[tuple[int, str]]:
    """(level, text): level 0 for a thread's first comment, 1 for the answers."""
    out = []
    for th in threads:
        flag = f" [{t('resolved', lang)}]" if th.resolved else ""
        out.append((0, f"{th.root.author} ({th.root.created[:10]}): {th.root.text}{flag}"))
        for r in th.replies:
            out.append((1, f"{r.author} ({r.created[:10]}): {r.text}"))
    return out


def _threads(item: ReviewItem | None) -> list[Thread]:
    return item.threads if item else []


def _orphan_label(item: ReviewItem, lang: str) -> str:
    if item.target_type == "theme":
        return _q(item.theme_name, lang)
    return f"{_q(item.code_label, lang)} → {_q(item.theme_name, lang)}"


# -- Markdown ---------------------------------------------------------------------------------
def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(s: ReviewSummary, *, lang: str = "nb") -> str:
    lines = [f"# {t('title', lang, project=s.project)}", ""]
    lines.append(t("generated", lang, date=s.generated[:10]))
    if s.reviewers:
        lines.append(t("reviewers", lang, names=", ".join(s.reviewers)))
    lines.append(t("progress", lang, approved=s.progress.get("approved", 0),
                   revision=s.progress.get("needs-revision", 0), proposed=s.progress.get("proposed", 0),
                   open=s.open_threads))
    lines.append("")
    if not s.themes:
        lines += [t("no_themes", lang), ""]
    for th in s.themes:
        lines.append("#" * min(6, 2 + th.depth) + " " + th.theme.name)
        lines.append("")
        lines.append(f"**{t('theme_status', lang, status=t(th.status, lang))}** · "
                     f"{t('codings', lang)}: {th.codings} · {t('participants', lang)}: {th.participants}")
        lines.append("")
        if th.theme.description:
            lines += [th.theme.description, ""]
        if th.key_quote:
            lines += [f"*{t('key_quote', lang)}:*", "", f"> {th.key_quote.quote}", ""]
        if th.theme.condensate:
            lines += [f"*{t('condensate', lang)}:* {th.theme.condensate}", ""]
        if th.theme.analytic_text:
            lines += [f"*{t('analytic_text', lang)}:* {th.theme.analytic_text}", ""]
        for level, text in _comment_lines(_threads(th.item), lang):
            lines.append("  " * level + f"- {text}")
        if th.item and th.item.threads:
            lines.append("")
        if th.codes:
            lines.append(f"| {t('code', lang)} | {t('codings', lang)} | {t('participants', lang)} | "
                         f"{t('status', lang)} | {t('comments', lang)} |")
            lines.append("|---|---:|---:|---|---|")
            for c in th.codes:
                comments = "<br>".join(("↳ " if lvl else "") + _md_cell(x)
                                       for lvl, x in _comment_lines(_threads(c.item), lang))
                lines.append(f"| {_md_cell(c.code.label)} | {c.codings} | {c.participants} | "
                             f"{t(c.status, lang)} | {comments} |")
        elif not th.subthemes:
            lines.append(t("no_codes", lang))
        lines.append("")
    if s.unthemed:
        lines += [f"## {t('unthemed', lang)}", ""]
        lines += [f"- {c.label}" for c in s.unthemed]
        lines.append("")
    if s.orphans:
        lines += [f"## {t('orphans', lang)}", "", t("orphans_intro", lang), ""]
        for item in s.orphans:
            lines.append(f"- {_orphan_label(item, lang)}: {t(item.status, lang)}")
            for level, text in _comment_lines(item.threads, lang):
                lines.append("  " * (level + 1) + f"- {text}")
        lines.append("")
    lines += [f"## {t('changes', lang)}", ""]
    if s.changes.changes:
        lines += [f"- {text}" for text in change_lines(s.changes, lang)]
    else:
        lines.append(t("no_changes", lang))
    lines.append("")
    return "\n".join(lines)


# -- Word -------------------------------------------------------------------------------------
def review_document(s: ReviewSummary, *, lang: str = "nb"):
    from docx import Document
    from docx.shared import Pt

    from themecoder.io.docx_layout import fit

    doc = Document()
    doc.core_properties.title = t("title", lang, project=s.project)
    doc.core_properties.language = "nb-NO" if lang == "nb" else "en-GB"
    doc.add_paragraph(t("title", lang, project=s.project), style="Title")
    intro = [t("generated", lang, date=s.generated[:10])]
    if s.reviewers:
        intro.append(t("reviewers", lang, names=", ".join(s.reviewers)))
    intro.append(t("progress", lang, approved=s.progress.get("approved", 0),
                   revision=s.progress.get("needs-revision", 0), proposed=s.progress.get("proposed", 0),
                   open=s.open_threads))
    doc.add_paragraph(" ".join(intro))
    if not s.themes:
        doc.add_paragraph(t("no_themes", lang))
    for th in s.themes:
        doc.add_heading(th.theme.name, level=min(9, 1 + th.depth))
        p = doc.add_paragraph()
        p.add_run(t("theme_status", lang, status=t(th.status, lang))).bold = True
        p.add_run(f" · {t('codings', lang)}: {th.codings} · {t('participants', lang)}: {th.participants}")
        if th.theme.description:
            doc.add_paragraph(th.theme.description)
        if th.key_quote:
            doc.add_paragraph(t("key_quote", lang) + ":").runs[0].italic = True
            doc.add_paragraph(th.key_quote.quote, style="Quote")
        if th.theme.condensate:
            p = doc.add_paragraph()
            p.add_run(t("condensate", lang) + ": ").italic = True
            p.add_run(th.theme.condensate)
        if th.theme.analytic_text:
            p = doc.add_paragraph()
            p.add_run(t("analytic_text", lang) + ": ").italic = True
            p.add_run(th.theme.analytic_text)
        for level, text in _comment_lines(_threads(th.item), lang):
            doc.add_paragraph(text, style="List Bullet" if level == 0 else "List Bullet 2")
        if not th.codes:
            if not th.subthemes:
                doc.add_paragraph(t("no_codes", lang))
            continue
        heads = [t("code", lang), t("codings", lang), t("participants", lang), t("status", lang), t("comments", lang)]
        table = doc.add_table(rows=1, cols=len(heads))
        table.style = doc.styles["Light Grid Accent 1"]
        for cell, head in zip(table.rows[0].cells, heads):
            cell.text = head
        for c in th.codes:
            cells = table.add_row().cells
            cells[0].text = c.code.label
            cells[1].text = str(c.codings)
            cells[2].text = str(c.participants)
            cells[3].text = t(c.status, lang)
            lines = _comment_lines(_threads(c.item), lang)
            cells[4].text = "\n".join(("↳ " if lvl else "") + x for lvl, x in lines)
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
        fit(doc, table, font_pt=9, allow_landscape=False)
        doc.add_paragraph()
    if s.unthemed:
        doc.add_heading(t("unthemed", lang), level=1)
        for code in s.unthemed:
            doc.add_paragraph(code.label, style="List Bullet")
    if s.orphans:
        doc.add_heading(t("orphans", lang), level=1)
        doc.add_paragraph(t("orphans_intro", lang))
        table = doc.add_table(rows=1, cols=3)
        table.style = doc.styles["Light Grid Accent 1"]
        for cell, head in zip(table.rows[0].cells, (t("target", lang), t("status", lang), t("comments", lang))):
            cell.text = head
        for item in s.orphans:
            cells = table.add_row().cells
            cells[0].text = _orphan_label(item, lang)
            cells[1].text = t(item.status, lang)
            cells[2].text = "\n".join(("↳ " if lvl else "") + x for lvl, x in _comment_lines(item.threads, lang))
        fit(doc, table, allow_landscape=False)
    doc.add_heading(t("changes", lang), level=1)
    if s.changes.changes:
        for text in change_lines(s.changes, lang):
            doc.add_paragraph(text, style="List Bullet")
    else:
        doc.add_paragraph(t("no_changes", lang))
    return doc


def write_review_summary(s: ReviewSummary, path: str | Path, *, lang: str = "nb", fmt: str | None = None) -> Path:
    """Write the summary as `fmt` ("docx" or "md"; default: the suffix)."""
    path = Path(path)
    if lang not in LANGS:
        raise UserError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    suffix = "." + fmt if fmt else path.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise UserError(f"the summary is written as .docx or .md, not {path.suffix or 'no suffix'!r}")
    if not path.parent.exists():
        raise UserError(f"folder {path.parent} does not exist")
    # atomic_write: a fresh temporary name, so a link planted at a fixed one is never followed
    if suffix == ".md":
        write_text(path, render_markdown(s, lang=lang))
    else:
        doc = review_document(s, lang=lang)
        atomic_write(path, doc.save)
    return path
