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
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Iterable, Sequence

from themecoder.core.apa import format_finding_runs, format_number
from themecoder.core.findings import (
    Coverage, JointDisplay, JointEntry, JointRow, StoredSurveyFinding,
    check_project_findings, coverage, joint_display,
)
from themecoder.errors import UserError
from themecoder.core.quant import SurveyFinding, parse_p_reported
from themecoder.io.i18n import t
from themecoder.io.tabular import atomic_write, citation, quote_display, write_text

FORMATS = ("docx", "md", "html")
LAYOUTS = ("side-by-side", "stats-by-themes")
WARN = "⚠ n ≤ 5"

# -- strings ------------------------------------------------------------------------------------
S: dict[str, dict[str, str]] = {
    "title": {"nb": "Integrasjon av kvalitative og kvantitative funn",
              "en": "Integration of Qualitative and Quantitative Findings"},
    "project": {"nb": "Prosjekt: {name}", "en": "Project: {name}"},
    "design": {"nb": "Design", "en": "Design"},
    "joint": {"nb": "Felles fremstilling (joint display)", "en": "Joint Display"},
    "joint_title": {"nb": "Felles fremstilling av temaer og kvantitative funn",
                    "en": "Joint Display of Themes and Quantitative Findings"},
    "joint_title_stats": {"nb": "Felles fremstilling: kvantitative funn og temaene som belyser dem",
                          "en": "Joint Display: Quantitative Findings and the Themes That Speak to Them"},
    "figure": {"nb": "Figur", "en": "Figure"},
    "coverage": {"nb": "Temaer per informant", "en": "Themes per Participant"},
    "coverage_title": {"nb": "Antall kodinger per tema og informant",
                       "en": "Number of Codings per Theme and Participant"},
    "coverage_note": {
        "nb": "Hver celle viser antall kodinger for temaet (med subtemaer) i informantens intervju; "
              "mørkere felt betyr flere kodinger, – betyr ingen. n = antall informanter med minst én koding.",
        "en": "Each cell gives the number of codings of the theme (subthemes included) in the participant's "
              "interview; darker means more codings, – means none. n = participants with at least one coding."},
    "coverage_note_compact": {
        "nb": "For hvert tema: hvor mange av informantene som har minst én koding i temaet (n / N, med "
              "subtemaer; mørkere felt betyr en større andel), og antall kodinger.",
        "en": "For each theme: how many of the participants have at least one coding of the theme (n / N, "
              "subthemes included; darker means a larger share), and the number of codings."},
    "codings_col": {"nb": "Kodinger", "en": "Codings"},
    "coverage_title_compact": {"nb": "Andel informanter og antall kodinger per tema",
                               "en": "Share of Participants and Number of Codings per Theme"},
    "themes": {"nb": "Temaene", "en": "The Themes"},
    "findings": {"nb": "Kvantitative funn", "en": "Quantitative Findings"},
    "findings_title": {"nb": "Kvantitative funn fra spørreundersøkelsen",
                       "en": "Quantitative Findings From the Survey"},
    "check": {"nb": "Konsistenssjekk av rapporterte statistikker",
              "en": "Consistency Check of the Reported Statistics"},
    "check_title": {"nb": "Konsistenssjekk: p-verdier regnet ut på nytt",
                    "en": "Consistency Check: p Values Recomputed"},
    "check_intro": {
        "nb": "P-verdiene er regnet ut på nytt fra testobservatoren og frihetsgradene (og fra M, SD og n der "
              "de er oppgitt), i tråd med statcheck (Nuijten mfl., 2016), med hensyn til avrundingen i kilden. "
              "Merknadene fra sjekken står på engelsk.",
        "en": "The p values were recomputed from the test statistic and degrees of freedom (and from M, SD "
              "and n where given), in the spirit of statcheck (Nuijten et al., 2016), allowing for the "
              "rounding in the source."},
    "refs": {"nb": "Referanser", "en": "References"},
    "theme_col": {"nb": "Tema", "en": "Theme"},
    "qual_col": {"nb": "Kvalitative funn", "en": "Qualitative findings"},
    "quant_col": {"nb": "Kvantitative funn", "en": "Quantitative findings"},
    "outcome_col": {"nb": "Utfall", "en": "Outcome"},
    "meta_col": {"nb": "Metainferens", "en": "Meta-inference"},
    "themes_col": {"nb": "Temaer", "en": "Themes"},
    "counts": {"nb": "{p} informanter, {c} kodinger", "en": "{p} participants, {c} codings"},
    "counts_one": {"nb": "{p} informant, {c} kodinger", "en": "{p} participant, {c} codings"},
    "none": {"nb": "Ingen koblet kvantitativt funn.", "en": "No linked quantitative finding."},
    "no_quotes": {"nb": "Ingen sitater.", "en": "No quotes."},
    "no_findings": {"nb": "Prosjektet har ingen kvantitative funn ennå.",
                    "en": "The project has no quantitative findings yet."},
    "no_links": {"nb": "Ingen temaer er koblet til kvantitative funn ennå.",
                 "en": "No theme is linked to a quantitative finding yet."},
    "linked": {"nb": "Koblede kvantitative funn", "en": "Linked quantitative findings"},
    "outcome_label": {"nb": "Utfall", "en": "Outcome"},
    "joint_note": {
        "nb": "Utfall etter Fetters mfl. (2013): bekreftelse = resultatene peker samme vei; utvidelse = "
              "den ene datakilden utdyper eller forklarer den andre; uoverensstemmelse = resultatene "
              "spriker. Sitatene er ordrette fra transkripsjonene (temaets nøkkelsitat først, deretter "
              "ett per informant). – = ingen koblet kvantitativt funn.",
        "en": "Outcomes after Fetters et al. (2013): confirmation = the results point the same way; "
              "expansion = one strand elaborates on or explains the other; discordance = the results "
              "diverge. Quotes are verbatim from the transcripts (the theme's key quote first, then one "
              "per participant). – = no linked quantitative finding."},
    "warn_note": {
        "nb": "⚠ n ≤ 5 = cellen bygger på fem eller færre informanter eller deltakere og bør leses med forsiktighet.",
        "en": "⚠ n ≤ 5 = the cell rests on five or fewer participants and should be read with caution."},
    "findings_note": {
        "nb": "F = funnets nummer i prosjektet. p-verdier står slik de er rapportert i kilden, ellers med "
              "tre desimaler.",
        "en": "F = the finding's number in the project. p values are given as reported in the source, "
              "otherwise to three decimals."},
    "f_col": {"nb": "F", "en": "F"},
    "instrument_col": {"nb": "Instrument og skala", "en": "Instrument and scale"},
    "group_col": {"nb": "Gruppe", "en": "Group"},
    "test_col": {"nb": "Test", "en": "Test"},
    "stat_col": {"nb": "Testobservator", "en": "Statistic"},
    "effect_col": {"nb": "Effekt", "en": "Effect"},
    "status_col": {"nb": "Resultat", "en": "Result"},
    "note_col": {"nb": "Merknad", "en": "Note"},
    "design_none": {"nb": "Designet er ikke registrert i prosjektet.",
                    "en": "The design is not recorded in the project."},
    "integration": {
        "nb": "Integrasjonen vises i en felles fremstilling (joint display; Fetters mfl., 2013; Guetterman "
              "mfl., 2015), der hvert tema stilles side om side med de kvantitative funnene det belyser, "
              "sammen med utfallet av sammenstillingen og metainferensen: det de to datakildene sier sammen.",
        "en": "Integration is shown in a joint display (Fetters et al., 2013; Guetterman et al., 2015) that "
              "sets each theme side by side with the quantitative findings it speaks to, together with the "
              "outcome of the comparison and the meta-inference: what the two strands say together."},
    "material": {
        "nb": "Materialet består av {docs} intervjuer med {people} informanter, {themes} temaer og {findings} "
              "kvantitative funn; {links} koblinger mellom temaer og funn.",
        "en": "The material consists of {docs} interviews with {people} participants, {themes} themes and "
              "{findings} quantitative findings, with {links} links between themes and findings."},
}

DESIGN_TEXT = {
    "convergent": {
        "nb": "Studien har et konvergent design: spørreundersøkelsen og intervjuene ble gjennomført "
              "parallelt og analysert hver for seg, og resultatene ble deretter sammenstilt for å se "
              "hvor de bekrefter, utvider eller motsier hverandre (Creswell & Plano Clark, 2018).",
        "en": "The study has a convergent design: the survey and the interviews were conducted in "
              "parallel and analysed separately, and the results were then brought together to see where "
              "they confirm, expand on or contradict each other (Creswell & Plano Clark, 2018)."},
    "explanatory-sequential": {
        "nb": "Studien har et forklarende sekvensielt design: først ble spørreundersøkelsen gjennomført "
              "og analysert, og deretter ble intervjuene brukt til å forklare og utdype de kvantitative "
              "resultatene (Creswell & Plano Clark, 2018).",
        "en": "The study has an explanatory sequential design: the survey was conducted and analysed "
              "first, and the interviews were then used to explain and elaborate on the quantitative "
              "results (Creswell & Plano Clark, 2018)."},
    "exploratory-sequential": {
        "nb": "Studien har et utforskende sekvensielt design: først ble intervjuene gjennomført og "
              "analysert, og de kvalitative funnene ble deretter brukt til å utvikle eller velge det "
              "som ble målt og prøvd ut kvantitativt (Creswell & Plano Clark, 2018).",
        "en": "The study has an exploratory sequential design: the interviews were conducted and analysed "
              "first, and the qualitative findings then shaped what was measured and tested "
              "quantitatively (Creswell & Plano Clark, 2018)."},
}

OUTCOME_TEXT = {
    "confirmation": {"nb": "Bekreftelse", "en": "Confirmation"},
    "expansion": {"nb": "Utvidelse", "en": "Expansion"},
    "discordance": {"nb": "Uoverensstemmelse", "en": "Discordance"},
}

TEST_TEXT = {
    "t-test": {"nb": "t-test", "en": "Student's t test"},
    "welch": {"nb": "Welchs t-test", "en": "Welch's t test"},
    "mann-whitney": {"nb": "Mann–Whitney U", "en": "Mann–Whitney U"},
    "pearson": {"nb": "Pearsons r", "en": "Pearson's r"},
    "spearman": {"nb": "Spearmans ρ", "en": "Spearman's ρ"},
    "descriptive": {"nb": "Deskriptiv", "en": "Descriptive"},
    "cronbach-alpha": {"nb": "Cronbachs α", "en": "Cronbach's α"},
}

STATUS_TEXT = {
    "ok": {"nb": "I samsvar", "en": "Consistent"},
    "not-checked": {"nb": "Ikke sjekket (ingen p-verdi)", "en": "Not checked (no p value)"},
    "inconsistent": {"nb": "Inkonsistent", "en": "Inconsistent"},
    "decision-error": {"nb": "Beslutningsfeil", "en": "Decision error"},
}

REFERENCES = [
    [("Creswell, J. W., & Plano Clark, V. L. (2018). ", False),
     ("Designing and conducting mixed methods research", True), (" (3rd ed.). SAGE.", False)],
    [("Fetters, M. D., Curry, L. A., & Creswell, J. W. (2013). Achieving integration in mixed methods "
      "designs—Principles and practices. ", False), ("Health Services Research, 48", True),
     ("(6 Pt 2), 2134–2156. https://doi.org/10.1111/1475-6773.12117", False)],
    [("Guetterman, T. C., Fetters, M. D., & Creswell, J. W. (2015). Integrating quantitative and "
      "qualitative results in health science mixed methods research through joint displays. ", False),
     ("Annals of Family Medicine, 13", True), ("(6), 554–561. https://doi.org/10.1370/afm.1865", False)],
]
STATCHECK_REFERENCE = [
    ("Nuijten, M. B., Hartgerink, C. H. J., van Assen, M. A. L. M., Epskamp, S., & Wicherts, J. M. "
     "(2016). The prevalence of statistical reporting errors in psychology (1985–2013). ", False),
    ("Behavior Research Methods, 48", True), ("(4), 1205–1226. https://doi.org/10.3758/s13428-015-0664-2", False),
]


def s(key: str, lang: str, **kw: object) -> str:
    text = S[key].get(lang) or S[key]["en"]
    return text.format(**kw) if kw else text


# -- the document model ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Run:
    text: str
    italic: bool = False
    bold: bool = False


@dataclass(slots=True)
class Para:
    runs: list[Run]
    style: str = "body"  # body | quote | block | note | small | title

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


Cell = list[Para]


@dataclass(slots=True)
class Heading:
    level: int
    text: str


@dataclass(slots=True)
class TableBlock:
    number: int
    title: str
    headings: list[str]
    rows: list[list[Cell | None]]       # None: merged with the cell above
    widths_cm: tuple[float, ...]
    note: list[Run] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()
    landscape: bool = False
    css: str = ""


@dataclass(slots=True)
class FigureBlock:
    number: int
    title: str
    coverage: Coverage
    note: list[Run]


Block = Heading | Para | TableBlock | FigureBlock


@dataclass(slots=True)
class Report:
    lang: str
    title: str
    blocks: list[Block]


def P(text: str, style: str = "body", *, italic: bool = False, bold: bool = False) -> Para:
    return Para([Run(text, italic, bold)], style)


def runs_of(pairs: Iterable[tuple[str, bool]]) -> list[Run]:
    return [Run(text, italic) for text, italic in pairs]


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


def finding_heading(sf: StoredSurveyFinding, lang: str) -> list[Run]:
    runs = [Run(sf.label, bold=True), Run(" " + sf.title)]
    if sf.small_n:
        runs.append(Run(f" {WARN}", bold=True))
    return runs


def apa_runs(f: SurveyFinding, lang: str) -> list[Run]:
    return runs_of(format_finding_runs(f, lang))


def _finding_paras(sf: StoredSurveyFinding, lang: str, *, statement: bool = True) -> list[Para]:
    out = [Para(finding_heading(sf, lang), "small")]
    if statement and sf.finding.statement:
        out.append(P(sf.finding.statement, "small"))
    apa = apa_runs(sf.finding, lang)
    if apa:
        out.append(Para(apa, "small"))
    return out


def _outcome(e: JointEntry, lang: str) -> str:
    return OUTCOME_TEXT[e.outcome][lang]


def _dash() -> Cell:
    return [P("–", "small")]


def joint_table_side_by_side(jd: JointDisplay, lang: str, number: int) -> TableBlock:
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
                _finding_paras(e.finding, lang),
                [P(_outcome(e, lang), "small")],
                [P(e.meta_inference or "–", "small")],
            ])
    return TableBlock(
        number, s("joint_title", lang),
        [s("theme_col", lang), s("qual_col", lang), s("quant_col", lang), s("outcome_col", lang),
         s("meta_col", lang)],
        rows, (3.2, 7.0, 5.0, 3.9, 5.4),  # the outcome column fits «Uoverensstemmelse»
        note=[Run(s("joint_note", lang) + " " + s("warn_note", lang))], landscape=True, css="joint")


def joint_table_stats_by_themes(jd: JointDisplay, lang: str, number: int) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for fr in jd.by_finding(linked_only=True):
        fcell = _finding_paras(fr.finding, lang)
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
        note=[Run(s("joint_note", lang) + " " + s("warn_note", lang))], landscape=True, css="joint")


def _num(x: float | None, lang: str, decimals: int = 2, leading_zero: bool = True) -> str:
    return "" if x is None else format_number(x, decimals, lang, leading_zero)


def p_text(f: SurveyFinding, lang: str) -> str:
    """p as reported (operator and decimals kept), else as APA prints it."""
    if f.p_reported:
        rp = parse_p_reported(f.p_reported)
        if rp.op == "ns":
            return "ns"
        value = format_number(rp.value, rp.decimals, lang, leading_zero=False)
        return value if rp.op == "=" else f"{rp.op} {value}"
    if f.p is None:
        return ""
    if f.p < 0.001:
        return "< " + format_number(0.001, 3, lang, False)
    if f.p > 0.999:
        return "> " + format_number(0.999, 3, lang, False)
    return format_number(f.p, 3, lang, False)


def stat_runs(f: SurveyFinding, lang: str) -> list[Run]:
    if f.statistic is None:
        return []
    x = f.statistic
    if f.test in ("t-test", "welch"):
        return [Run("t", True), Run(" = " + _num(x, lang))]
    if f.test == "mann-whitney":
        return [Run("U", True), Run(" = " + _num(x, lang, 0 if float(x).is_integer() else 1))]
    if f.test == "pearson":
        return [Run("r", True), Run(" = " + _num(x, lang, 2, False))]
    if f.test == "spearman":
        return [Run("ρ = " + _num(x, lang, 2, False))]
    if f.test == "cronbach-alpha":
        return [Run("α = " + _num(x, lang, 2, False))]
    return [Run(_num(x, lang))]


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


def findings_table(findings: Sequence[StoredSurveyFinding], lang: str, number: int) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for sf in findings:
        f = sf.finding
        groups = f.groups or [None]
        for i, g in enumerate(groups):
            first = i == 0
            inst = [P(f.instrument + (" – " if f.instrument and f.scale else "") + f.scale, "small")]
            if f.comparison:
                inst.append(P(f.comparison, "small", italic=False))
            n_val = g.n if g is not None and g.n is not None else (f.n if first and g is None else None)
            row: list[Cell | None] = [
                [Para([Run(sf.label, bold=True)], "small")] if first else [P("", "small")],
                inst if first else [P("", "small")],
                [P(g.name if g is not None else "", "small")],
                [P("" if n_val is None else str(n_val), "number")],
                [P(_num(g.mean, lang) if g is not None else "", "number")],
                [P(_num(g.sd, lang) if g is not None else "", "number")],
                [P(TEST_TEXT.get(f.test, {}).get(lang, f.test), "small")] if first else [P("", "small")],
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
                      note=[Run(s("findings_note", lang))],
                      numeric=frozenset({3, 4, 5, 7, 8, 9, 10}), landscape=True, css="findings")


def check_table(checked, lang: str, number: int) -> TableBlock:
    rows: list[list[Cell | None]] = []
    for c in checked:
        rows.append([
            [Para([Run(c.finding.label, bold=True)], "small")],
            [P(c.finding.title, "small")],
            [Para([Run(STATUS_TEXT[c.status][lang], bold=c.flagged)], "small")],
            [P(c.result.note, "small")],
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
    cov = coverage(project, include_subthemes=True)
    blocks: list[Block] = [Heading(1, s("title", lang)), P(s("project", lang, name=project.name), "small")]

    # 1 design
    blocks.append(Heading(2, s("design", lang)))
    blocks.append(P(DESIGN_TEXT[jd.design][lang] if jd.design else s("design_none", lang)))
    blocks.append(P(s("integration", lang)))
    n_docs = project.db.scalar("SELECT count(*) FROM documents") or 0
    blocks.append(P(s("material", lang, docs=n_docs, people=len(jd.participants),
                      themes=sum(1 for r in every.rows if r.level == 0), findings=len(jd.findings),
                      links=len(jd.links))))

    # 2 joint display
    table_no = 1
    blocks.append(Heading(2, s("joint", lang)))
    if not jd.links:
        blocks.append(P(s("no_links", lang), italic=True))
    if o.layout == "side-by-side":
        blocks.append(joint_table_side_by_side(jd, lang, table_no))
    elif jd.links:
        blocks.append(joint_table_stats_by_themes(jd, lang, table_no))
    else:
        table_no -= 1

    # 3 figure
    if cov.rows and cov.columns:
        blocks.append(Heading(2, s("coverage", lang)))
        from themecoder.io.report_figures import compact

        wide = compact(cov)
        note = "coverage_note_compact" if wide else "coverage_note"
        blocks.append(FigureBlock(1, s("coverage_title_compact" if wide else "coverage_title", lang), cov,
                                  [Run(s(note, lang) + " " + s("warn_note", lang))]))

    # 4 the themes
    blocks.append(Heading(2, s("themes", lang)))
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

    # 5 findings
    blocks.append(Heading(2, s("findings", lang)))
    if jd.findings:
        table_no += 1
        blocks.append(findings_table(jd.findings, lang, table_no))
    else:
        blocks.append(P(s("no_findings", lang), italic=True))

    # 6 consistency
    refs = list(REFERENCES)
    if o.check and jd.findings:
        checked = check_project_findings(project)
        table_no += 1
        blocks.append(Heading(2, s("check", lang)))
        blocks.append(check_table(checked, lang, table_no))
        refs.append(STATCHECK_REFERENCE)
        refs.sort(key=lambda r: r[0][0])

    # 7 references
    blocks.append(Heading(2, s("refs", lang)))
    for ref in refs:
        blocks.append(Para(runs_of(ref), "reference"))
    return Report(lang, f"{s('title', lang)}: {project.name}", blocks)


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
p.caption { margin: 1.5em 0 0.4em; }
table.apa { border-collapse: collapse; border-top: 2px solid #000; border-bottom: 2px solid #000;
            margin-bottom: 0.4em; font-size: 0.9em; width: 100%; }
table.apa th { border-bottom: 1px solid #000; text-align: left; vertical-align: bottom; padding: 0.3em 0.5em; }
table.apa td { vertical-align: top; padding: 0.3em 0.5em; }
table.apa td.num, table.apa th.num { text-align: right; white-space: nowrap; }
table.apa tr.first td { border-top: 1px solid #ccc; }
p.note { font-size: 0.9em; margin-top: 0.3em; }
.warn { font-weight: bold; color: #8a4b00; }
figure { margin: 1em 0; overflow-x: auto; }
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
           '<meta charset="utf-8">', f"<title>{escape(report.title)}</title>",
           f"<style>{CSS}</style>", "</head>", "<body>"]
    for b in report.blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{escape(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(_html_para(b))
        elif isinstance(b, TableBlock):
            out.append(f'<p class="caption"><strong>{t("table", lang)} {b.number}</strong><br>'
                       f"<em>{escape(b.title)}</em></p>")
            out.append(f'<table class="apa {b.css}">')
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
            out.append(f'<p class="caption"><strong>{s("figure", lang)} {b.number}</strong><br>'
                       f"<em>{escape(b.title)}</em></p>")
            out.append("<figure>" + heatmap_svg(b.coverage, title=b.title) + "</figure>")
            out.append(f'<p class="note"><em>{t("note", lang)}</em> {_html_runs(b.note)}</p>')
    out += ["</body>", "</html>"]
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


# -- Word -----------------------------------------------------------------------------------------
def render_docx(report: Report):
    """A python-docx Document (styles from :mod:`themecoder.io.docx_quotes`)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    from themecoder.io.docx_quotes import DOC_LANG, add_caption, add_row, new_document, new_table
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
    cell_styles = {
        "body": doc.styles["Table Text"], "small": doc.styles["Table Text"],
        "quote": doc.styles["Table Quote"], "block": doc.styles["Table Block Quote"],
        "number": doc.styles["Table Number"], "note": doc.styles["Table Text"],
    }

    def orient(landscape: bool) -> float:
        section = doc.sections[-1]
        is_land = section.orientation == WD_ORIENT.LANDSCAPE
        if is_land != landscape:
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            w, h = section.page_width, section.page_height
            if (w < h) == landscape:
                section.page_width, section.page_height = h, w
        section = doc.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / Cm(1)

    def fill(paragraph, runs: Sequence[Run]) -> None:
        for r in runs:
            if not r.text:
                continue
            run = paragraph.add_run(r.text)
            if r.italic:
                run.italic = True
            if r.bold:
                run.bold = True

    # A top-level section (H1/H2 and what follows) is landscape when it holds a wide table.
    landscape_at: dict[int, bool] = {}
    start = None
    for i, b in enumerate(report.blocks):
        if isinstance(b, Heading) and b.level <= 2:
            start = i
            landscape_at[i] = False
        elif isinstance(b, TableBlock) and b.landscape and start is not None:
            landscape_at[start] = True

    for i, b in enumerate(report.blocks):
        if isinstance(b, Heading):
            if i in landscape_at and i > 0:
                orient(landscape_at[i])
            doc.add_heading(b.text, level=min(b.level, 4))
        elif isinstance(b, Para):
            fill(doc.add_paragraph(style=styles.get(b.style, styles["body"])), b.runs)
        elif isinstance(b, TableBlock):
            width = orient(doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE)
            scale = min(1.0, width / sum(b.widths_cm))
            widths = tuple(w * scale for w in b.widths_cm)
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
                        fill(p, para.runs)
            spans = _rowspans(b.rows)
            for ri, row in enumerate(b.rows):
                for ci in range(len(row)):
                    if spans[ri][ci] > 1:
                        grid[ri][ci].merge(grid[ri + spans[ri][ci] - 1][ci])
            _note(doc, lang, b.note, fill)
        elif isinstance(b, FigureBlock):
            width = orient(doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE)
            add_caption(doc, s("figure", lang), b.number, b.title)
            add_heatmap_docx(doc, b.coverage, theme_heading=s("theme_col", lang), text_width_cm=width,
                             codings_heading=s("codings_col", lang))
            _note(doc, lang, b.note, fill)
    return doc


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
