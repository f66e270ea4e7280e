"""The mixed-methods report: design, joint display, figure, themes, findings, consistency.

``themecoder report PROJECT -o exports/rapport.docx`` (or ``.md``, ``.html``). The content
is built once as a small document model (headings, paragraphs of runs, tables, a figure)
and rendered three ways, so the Word, markdown and HTML versions say the same thing.

Contents, in order:

1. the design, in a sentence that explains it (convergent, explanatory sequential or
   exploratory sequential; Creswell & Plano Clark 2018) and how integration is shown;
2. the joint display (Fetters, Curry & Creswell 2013; Guetterman, Fetters & Creswell 2015),
   "Tabell 1"/"Table 1". Layout ``side-by-side`` (default): Theme | Qualitative (quotes,
   n participants and codings) | Quantitative (APA) | Outcome | Meta-inference, one row per
   theme and linked finding, the theme's cells spanning its findings. Layout
   ``stats-by-themes``: one row per linked finding with the themes that speak to it;
3. a figure: codings per theme and participant as a heat map (see
   :mod:`themecoder.io.report_figures`: SVG in HTML, a shaded table in Word);
4. each theme: its analytic text (the description when there is none yet), its quotes
   (verbatim, with pseudonym and place) and its linked findings;
5. the findings table: instrument, scale, groups with n, M, SD, test, statistic, df, p,
   effect size;
6. the consistency check of the reported statistics (statcheck-style; optional);
7. references.

Cells that rest on five or fewer participants carry "⚠ n ≤ 5". Norwegian (``nb``, the
default) uses the decimal comma, the minus sign and «» quotes; English ``en`` uses “”.
Statistical symbols are italic runs (from :func:`themecoder.core.apa.format_finding_runs`),
real italics in Word and HTML, ``*t*`` in markdown. Word output uses named styles
(headings, Caption with a SEQ field, "APA Table", "Table Quote" ...) shared with the quote
tables (:mod:`themecoder.io.docx_quotes`); the joint display sits in a landscape section.
Every file is written atomically.

The code: the strings and document model live in :mod:`themecoder.io.report_model`, the
renderers in :mod:`themecoder.io.report_render` (markdown, HTML) and
:mod:`themecoder.io.report_docx` (Word); this module builds the content and writes it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from themecoder.core.apa import format_finding_runs, format_number, format_p, statistic_decimals
from themecoder.core.findings import (
    CheckedSurveyFinding,
    Coverage,
    JointDisplay,
    JointEntry,
    JointRow,
    StoredSurveyFinding,
    check_project_findings,
    coverage,
    joint_display,
)
from themecoder.core.quant import SurveyFinding
from themecoder.errors import UserError
from themecoder.io.i18n import t, t_or
from themecoder.io.report_check import check_runs, flag_runs
from themecoder.io.report_docx import render_docx
from themecoder.io.report_model import (
    FORMATS,
    LAYOUTS,
    STATCHECK_REFERENCE,
    WARN,
    Block,
    Cell,
    FigureBlock,
    Heading,
    P,
    Para,
    Report,
    Run,
    TableBlock,
    references,
    runs_of,
    s,
)
from themecoder.io.report_render import render_html, render_markdown
from themecoder.io.tabular import atomic_write, citation, quote_display, write_text

Checks = dict[str, CheckedSurveyFinding]


# -- content --------------------------------------------------------------------------------------
@dataclass(slots=True)
class ReportOptions:
    lang: str = "nb"
    layout: str = "side-by-side"
    include_subthemes: bool = False
    max_quotes: int = 3
    check: bool = True


def _counts(row: JointRow, lang: str) -> Para:
    key = "counts_one" if row.n_participants == 1 else "counts"
    runs = [Run(s(key, lang, p=row.n_participants, c=row.codings))]
    if row.small_n:
        runs.append(Run(f" {WARN}", bold=True))
    return Para(runs, "small")


def _quote_paras(row: JointRow, lang: str, *, in_table: bool) -> list[Para]:
    out = []
    for q in row.quotes:
        style = "block" if q.is_block else "quote"
        out.append(Para([Run(quote_display(q, lang)), Run(f" ({citation(q, lang)})")], style))
    if not out:
        out.append(P(s("no_quotes", lang), "small", italic=True))
    return out


def finding_heading(sf: StoredSurveyFinding, lang: str, checks: Checks | None = None) -> list[Run]:
    runs = [Run(sf.label, bold=True), Run(" " + sf.title)]
    if sf.small_n:
        runs.append(Run(f" {WARN}", bold=True))
    return runs


def flag_para(sf: StoredSurveyFinding, lang: str, checks: Checks | None) -> list[Para]:
    """The marker and reason of a flagged finding, as a paragraph ([] when not flagged)."""
    runs = flag_runs((checks or {}).get(sf.id), lang)
    return [Para(runs, "small")] if runs else []


def apa_runs(f: SurveyFinding, lang: str) -> list[Run]:
    return runs_of(format_finding_runs(f, lang))


def _finding_paras(sf: StoredSurveyFinding, lang: str, *, statement: bool = True,
                   checks: Checks | None = None) -> list[Para]:
    out = [Para(finding_heading(sf, lang), "small")]
    if statement and sf.finding.statement:
        out.append(P(sf.finding.statement, "small"))
    apa = apa_runs(sf.finding, lang)
    if apa:
        out.append(Para(apa, "small"))
    return out + flag_para(sf, lang, checks)


def _outcome(e: JointEntry, lang: str) -> str:
    return t("outcome." + e.outcome, lang)


def _dash() -> Cell:
    return [P("–", "small")]


def joint_table_side_by_side(jd: JointDisplay, lang: str, number: int,
                             checks: Checks | None = None) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for row in jd.rows:
        theme_cell = [Para([Run(row.theme.name, bold=row.level == 0)], "small")]
        if row.level:
            theme_cell.insert(0, P(row.path.rsplit(" › ", 1)[0] + " ›", "small"))
        qual_cell = _quote_paras(row, lang, in_table=True) + [_counts(row, lang)]
        if not row.entries:
            rows.append([theme_cell, qual_cell, _dash(), _dash(), _dash()])
            continue
        for i, e in enumerate(row.entries):
            rows.append([
                theme_cell if i == 0 else None,
                qual_cell if i == 0 else None,
                _finding_paras(e.finding, lang, checks=checks),
                [P(_outcome(e, lang), "small")],
                [P(e.meta_inference or "–", "small")],
            ])
    return TableBlock(
        number, s("joint_title", lang),
        [s("theme_col", lang), s("qual_col", lang), s("quant_col", lang), s("outcome_col", lang),
         s("meta_col", lang)],
        rows, (3.2, 7.0, 5.0, 3.9, 5.4),  # the outcome column fits «Uoverensstemmelse»
        note=[Run(s("joint_note", lang) + " " + s("warn_note", lang) + _flag_note(checks, lang))],
        landscape=True, css="joint")


def _flag_note(checks: Checks | None, lang: str) -> str:
    return " " + t("flag.note", lang) if any(c.flagged for c in (checks or {}).values()) else ""


def joint_table_stats_by_themes(jd: JointDisplay, lang: str, number: int,
                                checks: Checks | None = None) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for fr in jd.by_finding(linked_only=True):
        fcell = _finding_paras(fr.finding, lang, checks=checks)
        for i, e in enumerate(fr.entries):
            row = jd.row(e.theme.id)
            tcell = [Para([Run(e.theme_path, bold=True)], "small")]
            tcell += _quote_paras(row, lang, in_table=True)[:2] + [_counts(row, lang)]
            rows.append([fcell if i == 0 else None, tcell, [P(_outcome(e, lang), "small")],
                         [P(e.meta_inference or "–", "small")]])
    return TableBlock(
        number, s("joint_title_stats", lang),
        [s("quant_col", lang), s("themes_col", lang), s("outcome_col", lang), s("meta_col", lang)],
        rows, (6.0, 8.2, 3.9, 6.6),
        note=[Run(s("joint_note", lang) + " " + s("warn_note", lang) + _flag_note(checks, lang))],
        landscape=True, css="joint")


def _num(x: float | None, lang: str, decimals: int = 2, leading_zero: bool = True) -> str:
    return "" if x is None else format_number(x, decimals, lang, leading_zero)


def p_text(f: SurveyFinding, lang: str) -> str:
    """p as reported (operator and decimals kept), else as APA prints it (core.apa.format_p)."""
    return format_p(f.p, f.p_reported, lang)


def stat_runs(f: SurveyFinding, lang: str) -> list[Run]:
    """The statistic with the decimals it was reported with (never re-rounded: a reported
    1.996 stays 1.996), at least APA's two for a computed one."""
    if f.statistic is None:
        return []
    x = f.statistic
    if f.test in ("t-test", "welch"):
        return [Run("t", True), Run(" = " + _num(x, lang, statistic_decimals(f, 2)))]
    if f.test == "mann-whitney":
        return [Run("U", True), Run(" = " + _num(x, lang, statistic_decimals(
            f, 0 if float(x).is_integer() else 1)))]
    if f.test == "pearson":
        return [Run("r", True), Run(" = " + _num(x, lang, statistic_decimals(f, 2), False))]
    if f.test == "spearman":
        return [Run("ρ = " + _num(x, lang, statistic_decimals(f, 2), False))]
    if f.test == "cronbach-alpha":
        return [Run("α = " + _num(x, lang, statistic_decimals(f, 2), False))]
    return [Run(_num(x, lang, statistic_decimals(f, 2)))]


def effect_runs(f: SurveyFinding, lang: str) -> list[Run]:
    if f.effect_size is None or not f.effect_label:
        return []
    label = f.effect_label
    bounded = label in ("r", "rho", "rank-biserial")
    value = _num(f.effect_size, lang, 2, not bounded)
    if label == "rho":
        return [Run(f"ρ = {value}")]
    return [Run(label, True), Run(f" = {value}")]


def df_text(f: SurveyFinding, lang: str) -> str:
    df = f.df
    if df is None and f.test in ("pearson", "spearman") and f.n is not None:
        df = f.n - 2
    if df is None:
        return ""
    return str(int(df)) if float(df).is_integer() else _num(df, lang)


def findings_table(findings: Sequence[StoredSurveyFinding], lang: str, number: int,
                   checks: Checks | None = None) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for sf in findings:
        f = sf.finding
        groups = f.groups or [None]
        for i, g in enumerate(groups):
            first = i == 0
            inst = [P(f.instrument + (" – " if f.instrument and f.scale else "") + f.scale, "small")]
            if f.comparison:
                inst.append(P(f.comparison, "small", italic=False))
            if f.test == "mann-whitney" and f.groups:
                inst += [Para(runs_of([(x, i) for x, i in _u_note(f, lang)]), "small")]
            inst += flag_para(sf, lang, checks)
            n_val = g.n if g is not None and g.n is not None else (f.n if first and g is None else None)
            row: list[Cell | None] = [
                [Para([Run(sf.label, bold=True)], "small")] if first else [P("", "small")],
                inst if first else [P("", "small")],
                [P(g.name if g is not None else "", "small")],
                [P("" if n_val is None else str(n_val), "number")],
                _mean_cell(g, lang),
                [P(_num(g.sd, lang) if g is not None else "", "number")],
                [Para(symbol_runs(t_or("test." + f.test, lang, f.test)), "small")] if first
                else [P("", "small")],
                [Para(stat_runs(f, lang), "number")] if first else [P("", "number")],
                [P(df_text(f, lang), "number")] if first else [P("", "number")],
                [P(p_text(f, lang), "number")] if first else [P("", "number")],
                [Para(effect_runs(f, lang), "number")] if first else [P("", "number")],
            ]
            if first and sf.small_n:
                row[3] = [P(((str(n_val) + " ") if n_val is not None else "") + WARN, "number")]
            rows.append(row)
    head = [s("f_col", lang), s("instrument_col", lang), s("group_col", lang), "n", "M", "SD",
            s("test_col", lang), s("stat_col", lang), "df", "p", s("effect_col", lang)]
    return TableBlock(number, s("findings_title", lang), head, rows,
                      (1.0, 4.6, 3.6, 1.2, 1.3, 1.3, 2.4, 2.6, 1.0, 1.4, 2.4),
                      note=[Run(s("findings_note", lang) + _flag_note(checks, lang))],
                      numeric=frozenset({3, 4, 5, 7, 8, 9, 10}), landscape=True, css="findings")


_SYMBOL = re.compile(r"(?<![\w-])([trUzpnMd]|SD|Mdn)(?![\w])")


def symbol_runs(text: str) -> list[Run]:
    """``Pearsons r`` with the statistical symbol as an italic run (APA: symbols italic in
    every column, test names included)."""
    runs: list[Run] = []
    pos = 0
    for m in _SYMBOL.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos:m.start()]))
        runs.append(Run(m.group(1), True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return runs


def _mean_cell(g, lang: str) -> Cell:
    """M, or the median (italic *Mdn*) for a rank test's group."""
    if g is None:
        return [P("", "number")]
    if g.mean is None and getattr(g, "median", None) is not None:
        return [Para([Run("Mdn", True), Run(" " + _num(g.median, lang))], "number")]
    return [P(_num(g.mean, lang), "number")]


def _u_note(f: SurveyFinding, lang: str) -> list[tuple[str, bool]]:
    """Which U is reported: that of the first group (scipy's and SPSS's convention)."""
    text = t("report.u_note", lang, group=f.groups[0].name)
    return [(part, i % 2 == 1) for i, part in enumerate(text.split("*")) if part]


def check_table(checked, lang: str, number: int) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for c in checked:
        rows.append([
            [Para([Run(c.finding.label, bold=True)], "small")],
            [P(c.finding.title, "small")],
            [Para([Run(t("check." + c.status, lang), bold=c.flagged)], "small")],
            [Para(check_runs(c.result, lang), "small")],
        ])
    return TableBlock(number, s("check_title", lang),
                      [s("f_col", lang), s("instrument_col", lang), s("status_col", lang), s("note_col", lang)],
                      rows, (1.0, 6.0, 3.4, 14.3), note=[Run(s("check_intro", lang))], landscape=True,
                      css="check")


def build_report(project, options: ReportOptions | None = None) -> Report:
    """The report's content (format-neutral)."""
    o = options or ReportOptions()
    lang = o.lang
    if o.layout not in LAYOUTS:
        raise UserError(f"unknown layout {o.layout!r}; use {' or '.join(LAYOUTS)}")
    every = joint_display(project, include_subthemes=True, max_quotes=o.max_quotes)
    jd = every if o.include_subthemes else replace(
        every, rows=[r for r in every.rows if r.level == 0 or r.entries])
    blocks: list[Block] = [Heading(1, s("title", lang)), P(s("project", lang, name=project.name), "small")]
    blocks += _design_section(jd, every, lang)
    checked = check_project_findings(project) if jd.findings else []
    checks = {c.finding.id: c for c in checked}
    joint, table_no = _joint_section(jd, o.layout, lang, checks)
    blocks += joint
    blocks += _figure_section(coverage(project, include_subthemes=True), lang)
    blocks += _theme_sections(every, lang, checks)
    blocks.append(Heading(2, s("findings", lang)))
    if jd.findings:
        table_no += 1
        blocks.append(findings_table(jd.findings, lang, table_no, checks))
    else:
        blocks.append(P(s("no_findings", lang), italic=True))
    refs = references(lang)
    if o.check and jd.findings:
        table_no += 1
        blocks.append(Heading(2, s("check", lang)))
        blocks.append(check_table(checked, lang, table_no))
        refs.append(STATCHECK_REFERENCE)
        refs.sort(key=lambda r: r[0][0])
    blocks.append(Heading(2, s("refs", lang)))
    blocks += [Para(runs_of(ref), "reference") for ref in refs]
    return Report(lang, f"{s('title', lang)}: {project.name}", blocks)


def _design_section(jd: JointDisplay, every: JointDisplay, lang: str) -> list[Block]:
    return [
        Heading(2, s("design", lang)),
        P(t("design." + jd.design, lang) if jd.design else s("design_none", lang)),
        P(s("integration", lang)),
        P(s("material", lang, docs=jd.documents, people=len(jd.participants),
            themes=sum(1 for r in every.rows if r.level == 0), findings=len(jd.findings),
            links=len(jd.links))),
    ]


def _joint_section(jd: JointDisplay, layout: str, lang: str,
                   checks: Checks | None = None) -> tuple[list[Block], int]:
    """The joint display and the number of tables so far (0 or 1)."""
    blocks: list[Block] = [Heading(2, s("joint", lang))]
    if not jd.links:
        blocks.append(P(s("no_links", lang), italic=True))
    if layout == "side-by-side":
        blocks.append(joint_table_side_by_side(jd, lang, 1, checks))
    elif jd.links:
        blocks.append(joint_table_stats_by_themes(jd, lang, 1, checks))
    else:
        return blocks, 0
    return blocks, 1


def _figure_section(cov: Coverage, lang: str) -> list[Block]:
    if not (cov.rows and cov.columns):
        return []
    from themecoder.io.report_figures import compact

    wide = compact(cov)
    note = "coverage_note_compact" if wide else "coverage_note"
    return [Heading(2, s("coverage", lang)),
            FigureBlock(1, s("coverage_title_compact" if wide else "coverage_title", lang), cov,
                        [Run(s(note, lang) + " " + s("warn_note", lang))])]


def _theme_sections(every: JointDisplay, lang: str, checks: Checks | None = None) -> list[Block]:
    """Each theme: its analytic text (else its description), counts, quotes, linked findings."""
    blocks: list[Block] = [Heading(2, s("themes", lang))]
    for row in every.rows:
        blocks.append(Heading(3 + min(row.level, 2), row.theme.name if row.level == 0 else row.path))
        text = row.theme.analytic_text.strip() or row.theme.description.strip()
        for paragraph in [x.strip() for x in text.split("\n\n") if x.strip()]:
            blocks.append(P(paragraph))
        blocks.append(_counts(row, lang))
        blocks.extend(_quote_paras(row, lang, in_table=False))
        if row.entries:
            blocks.append(P(s("linked", lang) + ":", "body", bold=True))
            for e in row.entries:
                runs = finding_heading(e.finding, lang) + [Run(": ")] + apa_runs(e.finding.finding, lang)
                runs += [Run(". "), Run(s("outcome_label", lang) + ": ", italic=True),
                         Run(_outcome(e, lang) + ".")]
                if e.meta_inference:
                    runs.append(Run(" " + e.meta_inference))
                blocks.append(Para(runs, "body"))
                flag = flag_runs((checks or {}).get(e.finding.id), lang)
                if flag:
                    blocks.append(Para(flag, "body"))
    return blocks


# -- writing --------------------------------------------------------------------------------------
def write_report(project, path: str | Path, *, fmt: str | None = None,
                 options: ReportOptions | None = None) -> Path:
    """Build the report and write it atomically as .docx, .md or .html."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "docx").lower()
    if fmt in ("markdown",):
        fmt = "md"
    if fmt in ("htm",):
        fmt = "html"
    if fmt not in FORMATS:
        raise UserError(f"unknown report format {fmt!r}; use {', '.join(FORMATS)}")
    report = build_report(project, options)
    if fmt == "md":
        return write_text(path, render_markdown(report))
    if fmt == "html":
        return write_text(path, render_html(report))
    doc = render_docx(report)
    return atomic_write(path, doc.save)


__all__ = ["FORMATS", "LAYOUTS", "WARN", "ReportOptions", "Report", "build_report",
           "render_markdown", "render_html", "render_docx", "write_report", "p_text"]
