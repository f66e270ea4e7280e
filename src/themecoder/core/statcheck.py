"""Consistency check of reported statistics, in the spirit of statcheck (Nuijten et al.).

For every finding, :func:`check_findings` recomputes the p value from what is reported
and says whether the reported p fits, taking the printed precision into account:

* from the test statistic and df: t (t-test, Welch) with its df; r and rho via
  t = r sqrt(df / (1 - r^2)) with df = n - 2; Mann-Whitney U via the reported z (in
  ``details``) or via U and the group sizes (normal approximation with and without
  continuity correction, exact distribution for n1 n2 <= 400). Software differs in which
  it uses, so the reported p fits if it fits any of them; as unknown ties only lower p,
  a U without z is flagged only when the reported p is too large (see ``_mann_whitney``);
* from M, SD and n per group, for t-tests with two such groups: the t and p those figures
  imply (Student or Welch as the finding says), and whether the reported df, t and its
  sign agree with them.

Rounding: a value printed with k decimals stands for the interval value +/- 0.5 * 10^-k
(t = 2.51 means [2.505, 2.515]; M = 3.25 means [3.245, 3.255]). The precision of the
statistic is read from ``SurveyFinding.statistic_reported`` if present, otherwise from the
shortest decimal form of ``SurveyFinding.statistic`` (so 2.10 stored as a number counts as 2.1,
which is more lenient). For group means and SDs the finding's largest number of decimals
is taken for all of them (3.2 next to 0.57 counts as 3.20). The reported p is read from
``p_reported`` (``"= .02"`` covers [.015, .025]; ``"< .001"`` covers [0, .001]) or, when
that is empty, from ``p``. The reported p is *consistent* when its interval meets the
interval of p values the rounded statistic allows.

``consistent`` is False when any check fails; each failure is one entry in ``issues``
and the ``note`` says what was checked. ``decision_error`` is True when the reported p and
the recomputed p fall on different sides of alpha (.05): a reported ``p = .05`` counts as
significant (statcheck's default, ``p_equal_alpha_significant=True``), and a recomputed
p whose rounding interval straddles alpha decides nothing. Unlike statcheck, a decision
error is flagged even when the reported p is a correct rounding (t(38) = 1.996 gives
p = .053, which rounds to the reported .05 but is not below .05); ``consistent`` and
``decision_error`` are reported separately so both readings are available.

statcheck's rules that apply here (Nuijten et al. 2016; ``findings check --help`` says the
same):

* a p reported as 0 (``p = .00``, ``p = .000``) is an error: p is never 0, APA asks for
  ``p < .001``. A computed p that underflows to 0 is stored as a number and printed
  ``p < .001``, so it is not flagged;
* ``p < .05``, ``p < .01``, ``p > .05`` and ``ns`` are read as the ranges they state;
* one-tailed tests: a finding marked ``tails: 1`` fits when its p matches either the
  two-tailed p or half of it (statcheck's ``OneTailedInTxt``), and the decision is judged
  on the one-tailed p;
* a reported p is never compared as text: p is stored and passed as a number, and text is
  made only when printing (:mod:`themecoder.core.apa`);
* an impossible value in the source (``p = -.16``) flags that finding only
  (``details["problems"]``); negative alpha or negative corrected item-total correlations
  are warnings (an undeclared reverse-scored item), as SPSS gives them.

Every issue and note is also a :class:`Msg` (a key and its values): io.report_check words
them in nb or en with the language's number typography (io.i18n, keys ``statcheck.*``), for
reports, the ⚑ markers, the TUI and ``findings check``. ``note`` (and ``issues``, ``warnings``)
is a fixed English summary for ``findings check --json`` and the API, the same whatever the
language asked for.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from themecoder.core.quant import ReportedP, SurveyFinding, parse_p_reported

_EPS = 1e-9


@dataclass(frozen=True)
class Num:
    """A number in a message, printed in the report's language (decimal comma, minus)."""

    value: float
    decimals: int = 2
    leading_zero: bool = True


@dataclass(frozen=True)
class PRange:
    """A p value or range in a message (``.0123`` or ``.0120–.0131``)."""

    lo: float
    hi: float


@dataclass(frozen=True)
class Msg:
    """One issue or note: an io.i18n key (``statcheck.<key>``) and its values (str, int,
    :class:`Num`, :class:`PRange`). ``issue``: it makes the finding inconsistent."""

    key: str
    args: dict[str, Any]
    issue: bool = True


@dataclass
class CheckResult:
    finding_id: str
    recomputed_p: float | None
    reported_p: str | None
    consistent: bool
    decision_error: bool
    note: str
    checked: bool = True  # False: nothing in the finding could be recomputed
    recomputed_from: str = ""  # "statistic", "summary" or ""
    recomputed_range: tuple[float, float] | None = None
    issues: list[str] = field(default_factory=list)
    messages: list[Msg] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a negative alpha (not an inconsistency)


@dataclass(frozen=True)
class Stat:
    """A statistic as printed in a message: symbol (t, r, rho, U, z), df or None, and the
    value as the source printed it (``"-2.51"``)."""

    symbol: str
    df: float | None
    shown: str


class _Out:
    """Issues (the finding does not add up) and notes (what was checked), each kept both as
    English text and as a :class:`Msg`."""

    def __init__(self) -> None:
        self.issues: list[str] = []
        self.notes: list[str] = []
        self.msgs: list[Msg] = []

    def issue(self, key: str, english: str, /, **args: Any) -> None:
        self.issues.append(english)
        self.msgs.append(Msg(key, args, True))

    def note(self, key: str, english: str, /, first: bool = False, **args: Any) -> None:
        if first:
            self.notes.insert(0, english)
            self.msgs.insert(0, Msg(key, args, False))
        else:
            self.notes.append(english)
            self.msgs.append(Msg(key, args, False))


def decimals_of(x: float, printed: str | None = None) -> int:
    """Decimals of ``printed`` if given ("2.10" -> 2), else of the shortest form of x."""
    text = printed if printed is not None else repr(float(x))
    text = text.strip().replace(",", ".")
    if "e" in text.lower():
        return 17
    return len(text.split(".")[1]) if "." in text else 0


def _half(decimals: int) -> float:
    return 0.5 * 10.0 ** -decimals


def _p_t(t: float, df: float) -> float:
    from scipy import stats

    return float(min(1.0, 2.0 * stats.t.sf(abs(t), df)))


def _p_z(z: float) -> float:
    from scipy import stats

    return float(min(1.0, 2.0 * stats.norm.sf(abs(z))))


def _abs_range(x: float, half: float) -> tuple[float, float]:
    return max(0.0, abs(x) - half), abs(x) + half


def _fmt(p: float) -> str:
    return f"{p:.4f}".lstrip("0") if p < 1 else "1"


def _fmt_range(lo: float, hi: float) -> str:
    return _fmt(lo) if _fmt(lo) == _fmt(hi) else f"{_fmt(lo)}–{_fmt(hi)}"


def _p_fits(rp: ReportedP, lo: float, hi: float) -> bool:
    a, b = rp.interval()
    if rp.op == "<":
        return lo < b + _EPS
    if rp.op == ">":
        return hi > a - _EPS
    return lo <= b + _EPS and hi >= a - _EPS


def _reported_significance(rp: ReportedP, alpha: float, equal_is_sig: bool) -> bool | None:
    if rp.op == "ns":
        return False
    v = rp.value
    assert v is not None  # only "ns" has no number
    if rp.op == "=":
        if abs(v - alpha) < _EPS:
            return equal_is_sig
        return v < alpha
    if rp.op == "<":
        return True if v <= alpha + _EPS else None
    return False if v >= alpha - _EPS else None


def _recomputed_significance(lo: float, hi: float, alpha: float) -> bool | None:
    if hi < alpha:
        return True
    if lo >= alpha:
        return False
    return None


# ---------------------------------------------------------------------------------------
# p ranges from the reported statistic


def _from_statistic(f: SurveyFinding, out: _Out
                    ) -> tuple[float, float, float, str, Stat, dict[str, Any]] | None:
    """(p at the reported value, lowest p, highest p, description, the statistic, more
    values for the message) or None."""
    if f.statistic is None:
        return None
    stat = f.statistic
    half = _half(decimals_of(stat, f.statistic_reported))
    shown = f.statistic_reported or f"{stat:g}"
    if f.test in ("t-test", "welch"):
        df = f.df
        if df is None and f.test == "t-test" and _two_full_groups(f):
            n1, n2 = _sizes(f)
            df = float(n1 + n2 - 2)
        if df is None:
            return None
        if df <= 0:
            out.issue("df_not_positive", f"df = {df:g} is not positive", df=Num(df, _dfdec(df)))
            return None
        lo_abs, hi_abs = _abs_range(stat, half)
        return (_p_t(stat, df), _p_t(hi_abs, df), _p_t(lo_abs, df),
                f"t({df:g}) = {shown}", Stat("t", df, shown), {})
    if f.test in ("pearson", "spearman"):
        df = f.df
        if f.n is not None:
            if df is not None and abs(df - (f.n - 2)) > _EPS:
                out.issue("df_r", f"df = {df:g} but n - 2 = {f.n - 2}", df=Num(df, _dfdec(df)),
                          n2=f.n - 2)
            df = float(f.n - 2) if df is None else df
        if df is None or df < 1:
            return None
        if abs(stat) > 1:
            out.issue("r_impossible", f"a correlation of {shown} is impossible (|r| > 1)",
                      stat=Stat("", None, shown))
            return None
        lo_abs, hi_abs = _abs_range(stat, half)

        def p_r(r: float) -> float:
            r = min(r, 1.0)
            return 0.0 if r >= 1 else _p_t(r * math.sqrt(df / (1 - r * r)), df)

        sym = "r" if f.test == "pearson" else "rho"
        return (p_r(abs(stat)), p_r(hi_abs), p_r(lo_abs), f"{sym}({df:g}) = {shown}",
                Stat(sym, df, shown), {})
    if f.test == "mann-whitney":
        return _mann_whitney(f, stat, half, shown, out)
    return None


def _dfdec(df: float) -> int:
    return 0 if float(df).is_integer() else 1


def _mann_whitney(f: SurveyFinding, u: float, half: float, shown: str, out: _Out
                  ) -> tuple[float, float, float, str, Stat, dict[str, Any]] | None:
    """p range for U. Software differs (exact or normal approximation, with or without
    continuity and tie correction), so every variant is accepted:

    * with a reported z: p from z (over its rounding), also with a continuity correction,
      and the exact p for small groups;
    * from U and the group sizes alone: the normal approximation with and without
      continuity correction and, for n1 n2 <= 400, the exact p. Ties (unknown here) only
      make p smaller, so unless the finding says its p was exact (no ties), any p below
      the approximation fits and only a reported p that is too *large* is flagged.
    """
    z = f.details.get("z")
    groups = len(f.groups) == 2 and all(g.n for g in f.groups)
    if z is None and not groups:
        return None
    ranges: list[tuple[float, float]] = []
    desc = []
    sigma = exact = None
    n1 = n2 = 0
    if groups:
        n1, n2 = _sizes(f)
        if u < 0 or u > n1 * n2:
            out.issue("u_outside", f"U = {shown} is outside 0–{n1 * n2} for groups of {n1} and {n2}",
                      stat=Stat("U", None, shown), max=n1 * n2, n1=n1, n2=n2)
            return None
        sigma = math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
        if n1 * n2 <= 400:
            values = range(math.ceil(u - half), math.floor(u + half) + 1)
            ps = [_exact_u_p(v, n1, n2) for v in values]
            exact = (min(ps), max(ps)) if ps else None
    if z is not None:
        lo_abs, hi_abs = _abs_range(z, _half(decimals_of(z)))
        p_mid = _p_z(z)
        cc = 0.5 / sigma if sigma else 0.0
        ranges.append((_p_z(hi_abs), _p_z(max(0.0, lo_abs - cc))))
        desc.append(f"z = {z:g}")
    else:
        assert sigma is not None  # no z: the groups gave sigma
        mu = n1 * n2 / 2
        dev_lo, dev_hi = _abs_range(u - mu, half)
        p_mid = _p_z((u - mu) / sigma)
        low = _p_z(dev_hi / sigma)
        if f.details.get("p_method") != "exact":
            low = 0.0
            desc.append("ties would only lower p")
        ranges.append((low, _p_z(max(0.0, dev_lo - 0.5) / sigma)))
        desc.insert(0, f"U = {shown} with n = {n1} + {n2}")
    if exact is not None:
        ranges.append(exact)
    extra: dict[str, Any] = {"z": Num(z, decimals_of(z)) if z is not None else None,
                             "n1": n1 if sigma else None, "n2": n2 if sigma else None,
                             "ties": "ties would only lower p" in desc}
    stat_shown = Stat("z", None, f"{z:g}") if z is not None else Stat("U", None, shown)
    return (p_mid, min(r[0] for r in ranges), max(r[1] for r in ranges), ", ".join(desc),
            stat_shown, extra)


def _exact_u_p(u: int, n1: int, n2: int) -> float:
    """Two-sided exact p of U = u without ties: 2 P(U <= min(u, n1 n2 - u)), at most 1."""
    counts = _u_counts(n1, n2)
    k = min(u, n1 * n2 - u)
    return min(1.0, 2 * sum(counts[: k + 1]) / sum(counts))


def _u_counts(n1: int, n2: int) -> list[int]:
    """Number of orderings of n1 + n2 distinct values giving U = 0 .. n1 n2.

    f(i, j) = f(i - 1, j) shifted by j (the largest value is from group 1 and beats all j
    of group 2) + f(i, j - 1) (the largest value is from group 2)."""
    prev = [[1] for _ in range(n2 + 1)]
    for i in range(1, n1 + 1):
        cur = [[1]]
        for j in range(1, n2 + 1):
            shifted = [0] * j + prev[j]
            other = cur[j - 1]
            cur.append([(shifted[k] if k < len(shifted) else 0)
                        + (other[k] if k < len(other) else 0)
                        for k in range(max(len(shifted), len(other)))])
        prev = cur
    return prev[n2]


def _sizes(f: SurveyFinding) -> tuple[int, int]:
    """n of the two groups (the caller made sure both are given)."""
    n1, n2 = f.groups[0].n, f.groups[1].n
    assert n1 is not None and n2 is not None
    return n1, n2


def _two_full_groups(f: SurveyFinding) -> bool:
    return len(f.groups) == 2 and all(
        g.n is not None and g.mean is not None and g.sd is not None for g in f.groups)


# ---------------------------------------------------------------------------------------
# t and p from M, SD and n


def _t_summary(m1: float, s1: float, n1: int, m2: float, s2: float, n2: int,
               welch: bool) -> tuple[float, float]:
    if welch:
        a, b = s1 * s1 / n1, s2 * s2 / n2
        se = math.sqrt(a + b)
        df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1)) if se > 0 else math.nan
    else:
        pooled = ((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n1 + n2 - 2)
        se = math.sqrt(pooled * (1 / n1 + 1 / n2))
        df = float(n1 + n2 - 2)
    if se == 0:
        return math.copysign(math.inf, m1 - m2), df
    return (m1 - m2) / se, df


def _from_summary(f: SurveyFinding, out: _Out) -> tuple[float, float, float] | None:
    """Check df, t and sign against M, SD, n; returns (p, lowest p, highest p)."""
    if f.test not in ("t-test", "welch") or not _two_full_groups(f):
        return None
    g1, g2 = f.groups
    assert g1.n is not None and g1.mean is not None and g1.sd is not None  # _two_full_groups
    assert g2.n is not None and g2.mean is not None and g2.sd is not None
    if g1.n < 2 or g2.n < 2:
        return None
    welch = f.test == "welch"
    dec = max(decimals_of(v) for v in (g1.mean, g1.sd, g2.mean, g2.sd))
    h = _half(dec)
    t_mid, df_mid = _t_summary(g1.mean, g1.sd, g1.n, g2.mean, g2.sd, g2.n, welch)
    corners = [
        _t_summary(m1, max(s1, 0.0), g1.n, m2, max(s2, 0.0), g2.n, welch)
        for m1, m2, s1, s2 in itertools.product(
            (g1.mean - h, g1.mean + h), (g2.mean - h, g2.mean + h),
            (g1.sd - h, g1.sd + h), (g2.sd - h, g2.sd + h))
    ]
    t_lo = min(t for t, _ in corners)
    t_hi = max(t for t, _ in corners)
    dfs = [d for _, d in corners]
    kind = "Welch" if welch else "Student"
    if not math.isfinite(t_mid):
        out.issue("sd_both_zero", "both SDs are 0, so t is not defined")
        return None
    if f.df is not None:
        if welch:
            if not min(dfs) - 1 <= f.df <= max(dfs) + 1:
                out.issue("df_welch", f"df = {f.df:g} but Welch's df from the SDs and n is "
                          f"{df_mid:.1f}", df=Num(f.df, _dfdec(f.df)), expected=Num(df_mid, 1))
        elif abs(f.df - df_mid) > _EPS:
            out.issue("df_student", f"df = {f.df:g} but n1 + n2 - 2 = {df_mid:g} "
                      f"({g1.n} + {g2.n} - 2)", df=Num(f.df, _dfdec(f.df)),
                      expected=Num(df_mid, 0), n1=g1.n, n2=g2.n)
    if f.statistic is not None:
        sh = _half(decimals_of(f.statistic, f.statistic_reported))
        rep_lo, rep_hi = f.statistic - sh, f.statistic + sh
        shown = f.statistic_reported or f"{f.statistic:g}"
        if not (rep_lo <= t_hi + _EPS and rep_hi >= t_lo - _EPS):
            if -rep_hi <= t_hi + _EPS and -rep_lo >= t_lo - _EPS:
                sign = "lower" if t_mid < 0 else "higher"
                out.issue(
                    "t_sign",
                    f"the sign of t = {shown} is opposite to the means: {g1.name} "
                    f"(M = {g1.mean:g}) is {sign} than {g2.name} (M = {g2.mean:g}), so with "
                    f"the groups in this order t is {'negative' if t_mid < 0 else 'positive'}"
                    f" ({t_mid:.2f})", stat=Stat("t", None, shown), g1=g1.name, g2=g2.name,
                    m1=Num(g1.mean, dec), m2=Num(g2.mean, dec), lower=t_mid < 0,
                    t=Num(t_mid, 2))
            else:
                out.issue(
                    "t_summary",
                    f"t = {shown} does not match M, SD and n: {kind}'s t from them lies "
                    f"between {t_lo:.2f} and {t_hi:.2f} (with missing data the analysis n "
                    "may be smaller than the group n printed, which changes t)",
                    stat=Stat("t", None, shown), kind=kind, lo=Num(t_lo, 2), hi=Num(t_hi, 2))
    lo_abs = 0.0 if t_lo <= 0 <= t_hi else min(abs(t_lo), abs(t_hi))
    hi_abs = max(abs(t_lo), abs(t_hi))
    p_mid = _p_t(t_mid, df_mid)
    p_lo = min(_p_t(hi_abs, d) for d in dfs)
    p_hi = max(_p_t(lo_abs, d) for d in dfs)
    out.note("summary", f"from M, SD, n: {kind} t({df_mid:.4g}) = {t_mid:.2f}, p = {_fmt(p_mid)}",
             kind=kind, stat=Stat("t", float(f"{df_mid:.4g}"), f"{t_mid:.2f}"),
             p=PRange(p_mid, p_mid))
    if not welch:
        t_w, df_w = _t_summary(g1.mean, g1.sd, g1.n, g2.mean, g2.sd, g2.n, True)
        p_w = _p_t(t_w, df_w)
        if (p_w < 0.05) != (p_mid < 0.05):
            out.note(
                "welch_depends",
                f"Welch's t (no equal variances assumed; SDs {g1.sd:g} and {g2.sd:g}) gives "
                f"t({df_w:.1f}) = {t_w:.2f}, p = {_fmt(p_w)}: the conclusion depends on "
                "assuming equal variances", sd1=Num(g1.sd, decimals_of(g1.sd)),
                sd2=Num(g2.sd, decimals_of(g2.sd)), stat=Stat("t", round(df_w, 1), f"{t_w:.2f}"),
                p=PRange(p_w, p_w))
    return p_mid, p_lo, p_hi


# ---------------------------------------------------------------------------------------


def _reported(f: SurveyFinding) -> tuple[str | None, ReportedP | None]:
    """The reported p: ``p_reported`` as printed, else the stored number (never its repr:
    5e-05 is a number, not a text to parse)."""
    if f.p_reported is not None:
        return f.p_reported, parse_p_reported(f.p_reported)
    if f.p is not None:
        rp = ReportedP.from_number(f.p)
        return rp.text, rp
    return None, None


def _problems(f: SurveyFinding, out: _Out) -> None:
    """Values that cannot be: in the source (import), or a test that could not run."""
    for item in f.details.get("problems") or []:
        if isinstance(item, dict):
            key = str(item.get("key") or "impossible")
            text = str(item.get("text") or key)
            out.issue("problem." + key, text, **{k: v for k, v in item.items()
                                                  if k not in ("key", "text")})
        else:
            out.issue("problem.text", str(item), text=str(item))
    if f.test == "cronbach-alpha" and f.statistic is not None and f.statistic > 1:
        out.issue("alpha_impossible", f"alpha = {f.statistic:g} is impossible (alpha cannot "
                  "exceed 1)", alpha=Num(f.statistic, max(2, decimals_of(f.statistic))))
    for g in f.groups:
        if g.sd is not None and g.sd < 0:
            out.issue("sd_negative", f"SD of {g.name} is negative", group=g.name)


def _warnings(f: SurveyFinding, out: _Out) -> list[str]:
    """A negative alpha or negative corrected item-total correlations (SPSS warns too)."""
    found: list[str] = []
    if f.test != "cronbach-alpha":
        return found
    if f.statistic is not None and f.statistic < 0:
        text = (f"alpha = {f.statistic:.2f} is negative: an item is probably reverse-worded "
                "but not declared reverse in the scoring key")
        found.append(text)
        out.note("alpha_negative", text, alpha=Num(f.statistic, 2, False))
    negative = sorted(k for k, v in (f.details.get("item_total") or {}).items()
                      if v is not None and v < 0)
    if negative:
        text = (f"negative corrected item-total correlation for {', '.join(negative)}: "
                "reverse-worded and not declared reverse?")
        found.append(text)
        out.note("item_total_negative", text, items=", ".join(negative))
    return found


def check_finding(f: SurveyFinding, alpha: float = 0.05,
                  p_equal_alpha_significant: bool = True) -> CheckResult:
    """Check one finding (see the module doc)."""
    out = _Out()
    reported_text, rp = _reported(f)
    _problems(f, out)
    warnings = _warnings(f, out)

    primary = _from_statistic(f, out)
    summary = _from_summary(f, out)
    source = ""
    rng: tuple[float, float] | None = None
    recomputed: float | None = None
    if primary is not None:
        recomputed, lo, hi, desc, stat, extra = primary
        rng, source = (lo, hi), "statistic"
        out.note("gives", f"{desc} gives p = {_fmt_range(lo, hi)}", first=True, stat=stat,
                 p=PRange(lo, hi), **extra)
    elif summary is not None:
        recomputed, lo, hi = summary
        rng, source = (lo, hi), "summary"

    if rp is not None and rp.op == "=" and rp.value == 0.0 and (
            f.p_reported is not None or f.source != "computed"):
        out.issue("p_zero", f"p reported as {_show(rp)}: a p value is never 0 (statcheck "
                  "counts it as an error); write p < .001", rep=rp)
    decision = False
    if rp is not None and rng is not None:
        judged = rng
        if f.tails == 1:
            half_rng = (rng[0] / 2, rng[1] / 2)
            if _p_fits(rp, *half_rng) or not _p_fits(rp, *rng):
                judged = half_rng
            out.note("one_tailed", f"one-tailed: the two-tailed p halved, p = "
                     f"{_fmt_range(*half_rng)}", p=PRange(*half_rng))
        fits = _p_fits(rp, *judged)
        if not fits:
            out.issue("p_mismatch", f"reported p {_show(rp)} does not match the recomputed "
                      f"p = {_fmt_range(*judged)}", rep=rp, p=PRange(*judged))
        rep_sig = _reported_significance(rp, alpha, p_equal_alpha_significant)
        rec_sig = _recomputed_significance(*judged, alpha)
        if rep_sig is not None and rec_sig is not None and rep_sig != rec_sig:
            decision = True
            text = (f"decision error: reported p {_show(rp)} reads as "
                    f"{'significant' if rep_sig else 'not significant'} at "
                    f"{format(alpha, 'g').lstrip('0')}, but the "
                    f"recomputed p = {_fmt_range(*judged)} is "
                    f"{'significant' if rec_sig else 'not significant'}")
            args: dict[str, Any] = dict(rep=rp, rep_sig=rep_sig, alpha=Num(alpha, decimals_of(alpha), False),
                        p=PRange(*judged), rec_sig=rec_sig)
            if fits:
                out.note("decision", text, **args)
            else:
                out.issue("decision", text, **args)
    if summary is not None and source == "statistic" and rp is not None:
        if not _p_fits(rp, summary[1], summary[2]):
            out.issue("p_summary", f"reported p {_show(rp)} does not match p = "
                      f"{_fmt_range(summary[1], summary[2])} from M, SD, n", rep=rp,
                      p=PRange(summary[1], summary[2]))

    checked = rng is not None or bool(out.issues)
    if not checked:
        what = "descriptive finding" if f.test == "descriptive" else f"{f.test} finding"
        out.note("no_p_value", f"{what}: no p value to recompute", test=f.test)
    elif rp is None and rng is not None:
        out.note("no_reported_p", "no reported p to compare with")
    note = "; ".join(out.issues + out.notes)
    return CheckResult(f.id, recomputed, reported_text, not out.issues, decision, note, checked,
                       source, rng, list(out.issues), list(out.msgs), warnings)


def _show(rp: ReportedP) -> str:
    if rp.op == "ns":
        return "(ns)"
    text = rp.text.strip()
    if text[:1].lower() == "p":
        text = text[1:].strip()
    return text if text[:1] in "<>=≤≥" else f"= {text}"


def check_findings(findings: Iterable[SurveyFinding], alpha: float = 0.05,
                   p_equal_alpha_significant: bool = True) -> list[CheckResult]:
    """One :class:`CheckResult` per finding, in order."""
    return [check_finding(f, alpha, p_equal_alpha_significant) for f in findings]
