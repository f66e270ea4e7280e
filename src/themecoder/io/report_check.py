"""The consistency check in the report's language: the notes of
:func:`themecoder.core.statcheck.check_finding` (its :class:`~themecoder.core.statcheck.Msg`
records) worded from io.i18n (``statcheck.*``), with the language's number typography
(decimal comma and the minus sign U+2212 in nb) and the statistical symbols as italic runs;
and the marker a flagged finding carries wherever it is shown (``⚑ Inkonsistent: …``).
"""
from __future__ import annotations

import re
from typing import Any

from themecoder.core.apa import format_number
from themecoder.core.quant import ReportedP
from themecoder.core.statcheck import CheckResult, Msg, Num, PRange, Stat
from themecoder.io.i18n import t
from themecoder.io.report_model import Run

_TOKEN = re.compile(r"(\{\w+\}|\*[^*]+\*)")
_SYMBOLS = {"t": ("t", True), "r": ("r", True), "rho": ("ρ", False), "U": ("U", True),
            "z": ("z", True), "": ("", False)}


def _local(text: str, lang: str) -> str:
    """A number as the source printed it (``-2.51``) in the language's typography."""
    if lang != "nb":
        return text
    return text.replace("-", "\u2212").replace(".", ",")


def p_value(p: float, lang: str) -> str:
    """A recomputed p with four decimals, no leading zero (``.0123``; ``,0123`` in nb)."""
    if p >= 1:
        return "1"
    return format_number(p, 4, lang, leading_zero=False)


def p_range(r: PRange, lang: str) -> str:
    lo, hi = p_value(r.lo, lang), p_value(r.hi, lang)
    return lo if lo == hi else f"{lo}–{hi}"


def reported(rp: ReportedP, lang: str) -> str:
    """``= .02``, ``< .001`` or ``(ns)`` in the language's typography."""
    if rp.op == "ns":
        return "(ns)"
    assert rp.value is not None and rp.decimals is not None
    value = format_number(rp.value, rp.decimals, lang, leading_zero=False)
    return f"{rp.op} {value}"


def _stat_runs(st: Stat, lang: str) -> list[Run]:
    sym, italic = _SYMBOLS.get(st.symbol, (st.symbol, True))
    runs = [Run(sym, italic)] if sym else []
    if st.df is not None:
        df = str(int(st.df)) if float(st.df).is_integer() else format_number(st.df, 1, lang)
        runs.append(Run(f"({df})"))
    runs.append(Run((" = " if sym else "") + _local(st.shown, lang)))
    return runs


def _value_runs(value: Any, lang: str) -> list[Run]:
    if isinstance(value, Stat):
        return _stat_runs(value, lang)
    if isinstance(value, Num):
        return [Run(format_number(value.value, value.decimals, lang, value.leading_zero))]
    if isinstance(value, PRange):
        return [Run(p_range(value, lang))]
    if isinstance(value, ReportedP):
        return [Run(reported(value, lang))]
    if isinstance(value, bool):
        return [Run(t("statcheck.significant" if value else "statcheck.not_significant", lang))]
    return [Run(str(value))]


def template_runs(template: str, values: dict[str, Any], lang: str) -> list[Run]:
    """``*p*`` becomes an italic run, ``{name}`` the formatted value."""
    runs: list[Run] = []
    for part in _TOKEN.split(template):
        if not part:
            continue
        if part.startswith("{") and part.endswith("}"):
            runs += _value_runs(values.get(part[1:-1], ""), lang)
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            runs.append(Run(part[1:-1], True))
        else:
            runs.append(Run(part))
    return runs


def msg_runs(msg: Msg, lang: str) -> list[Run]:
    """One note of the check, worded in ``lang``."""
    values = msg.args
    runs = template_runs(t("statcheck." + msg.key, lang), values, lang)
    if msg.key == "gives":
        extra: list[list[Run]] = []
        if values.get("n1"):
            extra.append(template_runs(t("statcheck.with_n", lang), values, lang))
        if values.get("ties"):
            extra.append(template_runs(t("statcheck.ties", lang), {}, lang))
        for more in extra:
            runs = runs + [Run(" (")] + more + [Run(")")]
    return merge(runs)


def check_runs(result: CheckResult, lang: str, *, issues_only: bool = False) -> list[Run]:
    """All the notes of one check (issues first), separated by "; "."""
    msgs = sorted(result.messages, key=lambda m: not m.issue)
    if issues_only:
        msgs = [m for m in msgs if m.issue or m.key in ("decision", "alpha_negative",
                                                         "item_total_negative")]
    runs: list[Run] = []
    for i, m in enumerate(msgs):
        if i:
            runs.append(Run("; "))
        runs += msg_runs(m, lang)
    return merge(runs)


def flag_runs(checked: Any, lang: str) -> list[Run]:
    """``⚑ Inkonsistent: <reason>`` for a flagged finding (a ``CheckedSurveyFinding``);
    [] when it is not flagged."""
    if checked is None or not checked.flagged:
        return []
    status = checked.status if checked.status in ("inconsistent", "decision-error") else "warning"
    runs = [Run(t("flag." + status, lang), bold=True), Run(": ")]
    return merge(runs + check_runs(checked.result, lang, issues_only=True))


def merge(runs: list[Run]) -> list[Run]:
    """Neighbouring runs with the same look joined into one."""
    out: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and out[-1].italic == r.italic and out[-1].bold == r.bold:
            out[-1] = Run(out[-1].text + r.text, r.italic, r.bold)
        else:
            out.append(r)
    return out


def runs_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)
