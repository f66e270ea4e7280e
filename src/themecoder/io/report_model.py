"""The mixed-methods report's strings (nb/en) and its small document model (headings,
paragraphs of runs, tables, a figure) that the renderers turn into Word, markdown and HTML."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from themecoder.core.findings import Coverage

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
