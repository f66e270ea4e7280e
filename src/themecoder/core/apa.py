"""APA 7 formatting of quantitative findings, in English (``"en"``) and Norwegian
(bokmål, ``"nb"``).

Two forms of the same text: :func:`format_finding_runs` gives a list of ``(text, italic)``
runs so that the Word export can set real italics; :func:`format_finding` gives markdown
(``*t*(38) = -2.51, *p* = .016, *d* = -0.83``).

Conventions (APA 7, section 6.36 and the statistics tables):

* Rounding is half away from zero on the decimal value as written (2.505 -> 2.51), not on
  its binary approximation. A value that rounds to zero loses its sign.
* Two decimals for M, SD, t, U with ties, d, g, r, rho and alpha; p with three decimals,
  and ``p < .001`` below that (``p > .999`` at the top). A p value taken from the source
  (``p_reported``) is printed with the operator and the number of decimals it was given with.
* No leading zero for values that cannot exceed 1 (p, r, rho, alpha); a leading zero
  elsewhere (``SD = 0.57``, ``d = 0.83``).
* Statistical symbols in Latin letters are italic (t, p, d, g, r, M, SD, n, U, z); Greek
  letters are upright (alpha, rho). Spearman's rho is written "ρ" (APA's alternative
  *r*ₛ needs a subscript, which the run form cannot carry).
* A *reported* statistic is never re-rounded: it keeps the decimals it was printed with
  when they are more than APA's two (a reported ``t = 1.996`` stays 1.996, not 2.00), see
  :func:`statistic_decimals`. Computed statistics get APA's decimals.
* Mann-Whitney: U is the first group's U (said in the report), groups show the median
  (*Mdn*) rather than M and SD, and z is printed only beside a p from the normal
  approximation: an exact p next to an approximate z would not match it (statcheck would
  flag our own output).
* ``lang="nb"`` uses the decimal comma and, following Norwegian APA practice, also drops
  the leading zero: ``p = ,016``, ``r = −,32``. Negative numbers get the real minus sign
  U+2212 ("−"), as Språkrådet prescribes for mathematics, since a hyphen looks wrong next
  to a decimal comma. English keeps the ASCII hyphen-minus ("-"), which is what
  statistics software prints and what the APA examples look like in plain text; pass
  ``minus="\\u2212"`` to get the typographic sign in English too. Confidence intervals are
  ``95% CI [a, b]`` in English and ``95 % KI [a; b]`` in Norwegian (the semicolon because
  the comma is the decimal sign; space before % as in Norwegian typography).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from themecoder.core.quant import Group, SurveyFinding, parse_p_reported

Run = tuple[str, bool]
LANGS = ("en", "nb")
MINUS = {"en": "-", "nb": "\u2212"}
_CI_LABEL = {"en": ("% CI", ", "), "nb": (" % KI", "; ")}
_ONE_TAILED = {"en": "one-tailed", "nb": "ensidig"}  # APA: say so right after a one-tailed p


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use 'en' or 'nb'")


def format_number(x: float, decimals: int = 2, lang: str = "en", leading_zero: bool = True,
                  minus: str | None = None) -> str:
    """``x`` rounded half away from zero to ``decimals`` places, in the language's style.

    >>> format_number(-0.315, 2, "nb", leading_zero=False)
    '−,32'
    """
    _check_lang(lang)
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(abs(q), "f")
    if not leading_zero and text.startswith("0.") and decimals > 0:
        text = text[1:]
    if lang == "nb":
        text = text.replace(".", ",")
    if q < 0:
        text = (MINUS[lang] if minus is None else minus) + text
    return text


class _Writer:
    """Collects runs for one finding in one language."""

    def __init__(self, lang: str, minus: str | None) -> None:
        _check_lang(lang)
        self.lang = lang
        self.minus = minus
        self.runs: list[Run] = []

    def num(self, x: float, decimals: int = 2, leading_zero: bool = True) -> str:
        return format_number(x, decimals, self.lang, leading_zero, self.minus)

    def add(self, text: str, italic: bool = False) -> None:
        if not text:
            return
        if self.runs and self.runs[-1][1] == italic:
            self.runs[-1] = (self.runs[-1][0] + text, italic)
        else:
            self.runs.append((text, italic))

    def sep(self, text: str = ", ") -> None:
        if self.runs:
            self.add(text)

    def symbol(self, sym: str, value: str, italic: bool = True) -> None:
        """``sym = value`` with the symbol in italics (Latin) or upright (Greek)."""
        self.sep()
        self.add(sym, italic)
        self.add(" = " + value if not value.startswith(("<", ">")) else " " + value)

    def df(self, df: float) -> str:
        if float(df).is_integer():
            return str(int(df))
        return self.num(df, 2)

    def p(self, p: float | None, reported: str | None, tails: int = 2) -> None:
        text = format_p(p, reported, self.lang, self.minus)
        if text == "ns":
            self.sep()
            self.add("ns")
        elif text:
            self.symbol("p", text)
        if text and tails == 1:
            self.sep()
            self.add(_ONE_TAILED[self.lang])

    def ci(self, details: dict[str, Any], leading_zero: bool) -> None:
        lo, hi = details.get("ci_low"), details.get("ci_high")
        if lo is None or hi is None:
            return
        conf = details.get("conf", 0.95)
        label, between = _CI_LABEL[self.lang]
        pct = format_number(conf * 100, 0 if float(conf * 100).is_integer() else 1, self.lang)
        self.sep()
        self.add(f"{pct}{label} [{self.num(lo, 2, leading_zero)}{between}"
                 f"{self.num(hi, 2, leading_zero)}]")

    def group(self, g: Group) -> None:
        if g.mean is None and g.median is not None:
            self.symbol("Mdn", self.num(g.median))
        if g.mean is not None:
            self.symbol("M", self.num(g.mean))
        if g.sd is not None:
            self.symbol("SD", self.num(g.sd))
        if g.n is not None:
            self.symbol("n", str(g.n))


def format_p(p: float | None, reported: str | None = None, lang: str = "en",
             minus: str | None = None) -> str:
    """The p value as printed, without the symbol: ``.016``, ``< .001``, ``ns``; '' when
    there is none. The one place where a p becomes text: a reported p keeps its operator and
    decimals; a p stored as a number gets three decimals, ``< .001`` below that and
    ``> .999`` above."""
    if reported is not None:
        rp = parse_p_reported(reported)
        if rp.op == "ns":
            return "ns"
        assert rp.value is not None and rp.decimals is not None  # only "ns" has no number
        value = format_number(rp.value, rp.decimals, lang, False, minus)
        return value if rp.op == "=" else f"{rp.op} {value}"
    if p is None:
        return ""
    if p < 0.001:
        return "< " + format_number(0.001, 3, lang, False, minus)
    if p > 0.999:
        return "> " + format_number(0.999, 3, lang, False, minus)
    return format_number(p, 3, lang, False, minus)


def statistic_decimals(f: SurveyFinding, default: int = 2) -> int:
    """Decimals to print the statistic with: ``default`` (APA), or more when the source
    printed more (``statistic_reported``; a findings file sets it from the value as written),
    so that a reported value is never silently re-rounded. Capped at 4."""
    if f.statistic is None or f.source == "computed" or not f.statistic_reported:
        return default
    text = f.statistic_reported.strip().replace(",", ".").replace("\u2212", "-")
    if "e" in text.lower():
        return default
    shown = len(text.split(".")[1]) if "." in text else 0
    return min(4, max(default, shown))


def format_group_runs(g: Group, lang: str = "en", minus: str | None = None) -> list[Run]:
    """``M = 3.25, SD = 1.24, n = 10`` for one group."""
    w = _Writer(lang, minus)
    w.group(g)
    return w.runs


def format_finding_runs(f: SurveyFinding, lang: str = "en", minus: str | None = None) -> list[Run]:
    """The APA result text of ``f`` as ``(text, italic)`` runs (see the module doc)."""
    w = _Writer(lang, minus)
    test = f.test
    if test in ("t-test", "welch") and f.statistic is not None:
        w.add("t", True)
        w.add(f"({w.df(f.df)})" if f.df is not None else "")
        w.add(" = " + w.num(f.statistic, statistic_decimals(f)))
        w.p(f.p, f.p_reported, f.tails)
        _effect(w, f)
    elif test == "mann-whitney" and f.statistic is not None:
        u = f.statistic
        w.symbol("U", w.num(u, statistic_decimals(f, 0 if float(u).is_integer() else 1)))
        if f.details.get("z") is not None and f.details.get("p_method") != "exact":
            w.symbol("z", w.num(f.details["z"]))
        w.p(f.p, f.p_reported, f.tails)
        _effect(w, f)
    elif test in ("pearson", "spearman") and f.statistic is not None:
        if test == "pearson":
            w.add("r", True)
        else:
            w.add("\u03c1")
        df = f.df if f.df is not None else (f.n - 2 if f.n is not None else None)
        w.add(f"({w.df(df)})" if df is not None else "")
        w.add(" = " + w.num(f.statistic, statistic_decimals(f), leading_zero=False))
        w.p(f.p, f.p_reported, f.tails)
        w.ci(f.details, leading_zero=False)
    elif test == "cronbach-alpha" and f.statistic is not None:
        w.symbol("\u03b1", w.num(f.statistic, statistic_decimals(f), leading_zero=False),
                 italic=False)
    else:
        for i, g in enumerate(f.groups):
            if len(f.groups) > 1:
                w.sep("; " if i else "")
                w.add(f"{g.name}: ")
                sub = _Writer(lang, minus)
                sub.group(g)
                for text, italic in sub.runs:
                    w.add(text, italic)
            else:
                w.group(g)
        if test == "descriptive" and len(f.groups) == 1:
            w.ci(f.details, leading_zero=True)
        w.p(f.p, f.p_reported, f.tails)
    return w.runs


def _effect(w: _Writer, f: SurveyFinding) -> None:
    if f.effect_size is None or not f.effect_label:
        return
    label = f.effect_label
    bounded = label in ("r", "rho", "rank-biserial")
    sym, italic = ("\u03c1", False) if label == "rho" else (label, True)
    w.symbol(sym, w.num(f.effect_size, 2, leading_zero=not bounded), italic=italic)


def runs_to_markdown(runs: list[Run]) -> str:
    """Italic runs in asterisks: ``[("t", True), ("(38) = 2.51", False)]`` -> ``*t*(38) = 2.51``."""
    return "".join(f"*{text}*" if italic else text for text, italic in runs)


def runs_to_text(runs: list[Run]) -> str:
    """The runs as plain text, italics dropped."""
    return "".join(text for text, _ in runs)


def format_finding(f: SurveyFinding, lang: str = "en", minus: str | None = None) -> str:
    """The APA result text of ``f`` in markdown, e.g. ``*t*(38) = -2.51, *p* = .016``."""
    return runs_to_markdown(format_finding_runs(f, lang, minus))
