"""The mixed-methods report's strings (nb/en) and its small document model (headings,
paragraphs of runs, tables, a figure) that the renderers turn into Word, markdown and HTML."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from themecoder.core.findings import Coverage
from themecoder.io.i18n import t

FORMATS = ("docx", "md", "html")
LAYOUTS = ("side-by-side", "stats-by-themes")
WARN = "⚠ n ≤ 5"

# -- strings ------------------------------------------------------------------------------------


def references(lang: str) -> list[list[tuple[str, bool]]]:
    """The report's references; in nb with Norwegian edition wording (APA 7 på norsk:
    «3. utg.»), as Norwegian style guides write it."""
    edition = "(3. utg.)" if lang == "nb" else "(3rd ed.)"
    return [
        [("Creswell, J. W., & Plano Clark, V. L. (2018). ", False),
         ("Designing and conducting mixed methods research", True), (f" {edition}. SAGE.", False)],
        [("Fetters, M. D., Curry, L. A., & Creswell, J. W. (2013). Achieving integration in mixed "
          "methods designs—Principles and practices. ", False), ("Health Services Research, 48", True),
         ("(6 Pt 2), 2134–2156. https://doi.org/10.1111/1475-6773.12117", False)],
        [("Guetterman, T. C., Fetters, M. D., & Creswell, J. W. (2015). Integrating quantitative and "
          "qualitative results in health science mixed methods research through joint displays. ", False),
         ("Annals of Family Medicine, 13", True), ("(6), 554–561. https://doi.org/10.1370/afm.1865", False)],
    ]


REFERENCES = references("en")
STATCHECK_REFERENCE = [
    ("Nuijten, M. B., Hartgerink, C. H. J., van Assen, M. A. L. M., Epskamp, S., & Wicherts, J. M. "
     "(2016). The prevalence of statistical reporting errors in psychology (1985–2013). ", False),
    ("Behavior Research Methods, 48", True), ("(4), 1205–1226. https://doi.org/10.3758/s13428-015-0664-2", False),
]


def s(key: str, lang: str, **kw: object) -> str:
    """The report's strings live in the one string table (io.i18n), under "report."."""
    return t("report." + key, lang, **kw)


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
