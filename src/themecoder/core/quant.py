"""Quantitative findings: the survey side of a mixed-methods thesis.

A :class:`SurveyFinding` is one statistical result, either *reported* (copied from a published
article or a thesis draft) or *computed* (by :mod:`themecoder.core.stats` or
:mod:`themecoder.core.survey`). Findings are plain data: ``to_dict``/``from_dict`` round-trip
through YAML/JSON, and :func:`load_findings` reads a findings file.

File formats read by :func:`load_findings`
------------------------------------------
YAML (``.yaml``/``.yml``): either a list of findings or a mapping with a ``findings:`` list.
Each finding is a mapping with the field names of :class:`SurveyFinding`; ``groups`` is a list of
mappings ``{name, n, mean, sd}``. Quote ``p_reported`` (``p_reported: ".02"``), otherwise
YAML turns it into a number and trailing zeros are lost. A statistic whose trailing zeros
matter for the rounding check may be given as a string (``statistic: "2.10"``), or the
printed form may be put in ``statistic_reported``.

CSV (``.csv``, comma- or semicolon-separated, UTF-8): one finding per row, columns named
like the fields: ``id, instrument, scale, comparison, variables, test, statistic,
statistic_reported, df, p, p_reported, effect_size, effect_label, n, statement, source``
and, per group *k* = 1, 2, ...: ``group<k>_name, group<k>_n, group<k>_mean, group<k>_sd``.
``variables`` holds several names separated by ``;`` or ``|``. Empty cells mean "not
given". Only ``test`` is required; unknown columns are an error (they are usually typos).
A ``tails`` column (or field) says whether the test was one-tailed (``1``) or two-tailed
(``2``, the default); a group may give ``group<k>_median`` instead of M and SD.

An impossible value in a file (``p = -.16``, ``p = 1.3``, a negative SD: a typo in the
source) does not reject the file: the value is left out and the finding carries the problem
in ``details["problems"]``, so the consistency check flags that finding and the others
are imported as usual. Malformed text (a p that is no number at all) is still an error.

A missing ``id`` is replaced by a stable UUID derived from the finding's content, so
loading the same file twice gives the same ids.
"""
from __future__ import annotations

import csv
import io
import math
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themecoder.core.text import read_utf8_file
from themecoder.errors import UserError

TESTS = (
    "t-test",
    "welch",
    "mann-whitney",
    "pearson",
    "spearman",
    "descriptive",
    "cronbach-alpha",
)

SOURCES = ("reported", "computed")

# Namespace for ids derived from content (uuid5); never change it, ids depend on it.
_ID_NAMESPACE = uuid.UUID("6f4d0c52-1b1e-4a53-9a0e-7c1f3e0b8a11")

_SCALAR_FIELDS = (
    "id",
    "instrument",
    "scale",
    "comparison",
    "test",
    "statistic",
    "statistic_reported",
    "df",
    "p",
    "p_reported",
    "effect_size",
    "effect_label",
    "n",
    "statement",
    "source",
)
_FLOAT_FIELDS = ("statistic", "df", "p", "effect_size")
_TEXT_FIELDS = (
    "instrument",
    "scale",
    "comparison",
    "statement",
    "effect_label",
    "statistic_reported",
    "p_reported",
    "source",
)


class SurveyFindingError(UserError, ValueError):
    """Bad findings input. The message is one line and names file, row and field."""


@dataclass
class Group:
    """One group in a comparison (or the whole sample for a descriptive finding).
    ``median`` is what a rank test (Mann-Whitney) reports instead of M and SD."""

    name: str
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "n": self.n, "mean": self.mean, "sd": self.sd}
        if self.median is not None:
            out["median"] = self.median
        return out


@dataclass(kw_only=True)
class SurveyFinding:
    """One quantitative result (all fields are keyword-only; only ``test`` is required).

    ``statistic`` is t, U, r, rho or alpha depending on ``test``; for ``descriptive`` it is
    None and the numbers live in ``groups``. ``p_reported`` is the p value as printed in the
    source (``"< .001"``, ``".02"``); ``statistic_reported`` likewise for the statistic (it
    fixes the rounding precision for :mod:`themecoder.core.statcheck`; by default the
    precision is read off ``statistic``, so 2.10 counts as 2.1). ``details`` holds extras
    that do not fit the columns (alpha-if-item-deleted, confidence intervals, Hedges' g,
    ...); it must stay YAML/JSON-serialisable. An empty ``id`` becomes :func:`stable_id` of
    the content.
    """

    id: str = ""
    instrument: str = ""
    scale: str = ""
    comparison: str = ""
    variables: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    test: str
    statistic: float | None = None
    df: float | None = None
    p: float | None = None
    p_reported: str | None = None
    effect_size: float | None = None
    effect_label: str | None = None
    n: int | None = None
    statement: str = ""
    source: str = "reported"
    statistic_reported: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    tails: int = 2

    def __post_init__(self) -> None:
        if self.test not in TESTS:
            raise SurveyFindingError(f"unknown test {self.test!r}; expected one of {', '.join(TESTS)}")
        if self.tails not in (1, 2):
            raise SurveyFindingError(f"tails must be 1 or 2, not {self.tails!r}")
        if not self.id:
            self.id = stable_id(
                self.instrument, self.scale, self.comparison, self.test, self.statistic_reported
                or _num_key(self.statistic), _num_key(self.df), self.source
            )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in _SCALAR_FIELDS}
        out["variables"] = list(self.variables)
        out["groups"] = [g.to_dict() for g in self.groups]
        out["details"] = dict(self.details)
        out["tails"] = self.tails
        return out

    @property
    def problems(self) -> list[str]:
        """Impossible values met on import (left out of the finding; see the module doc)."""
        return [str(x.get("text") if isinstance(x, dict) else x)
                for x in self.details.get("problems") or []]

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "finding", *,
                  lenient: bool = False) -> "SurveyFinding":
        """Build a finding from a mapping; ``where`` prefixes error messages. ``lenient``
        (files): an impossible p or SD is left out and noted in ``details["problems"]``
        instead of raising."""
        if not isinstance(data, dict):
            raise SurveyFindingError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
        known = set(_SCALAR_FIELDS) | {"variables", "groups", "details", "tails"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SurveyFindingError(f"{where}: unknown field {unknown[0]!r}")
        test = data.get("test")
        if test is None or str(test).strip() == "":
            raise SurveyFindingError(f"{where}: field 'test' is required")
        test = str(test).strip()
        if test not in TESTS:
            raise SurveyFindingError(
                f"{where}: field 'test': {test!r} is not one of {', '.join(TESTS)}"
            )
        kw: dict[str, Any] = {"test": test}
        for name in _TEXT_FIELDS:
            value = data.get(name)
            if value is not None:
                kw[name] = _text(value)
        for name in _FLOAT_FIELDS:
            raw = data.get(name)
            kw[name] = parse_number(raw, f"{where}: field {name!r}")
            if name == "statistic" and isinstance(raw, str) and raw.strip():
                kw.setdefault("statistic_reported", raw.strip())
            elif name == "statistic" and lenient and isinstance(raw, float):
                kw.setdefault("statistic_reported", repr(raw))  # as written in the file
        kw["n"] = _parse_int(data.get("n"), f"{where}: field 'n'")
        problems: list[dict[str, Any]] = []
        if kw["p"] is not None and not 0.0 <= kw["p"] <= 1.0:
            if not lenient:
                raise SurveyFindingError(f"{where}: field 'p': {kw['p']} is not between 0 and 1")
            problems.append(_p_problem(_shown(data.get("p"))))
            kw["p"] = None
        if kw.get("p_reported") is not None:
            bad = _impossible_p(kw["p_reported"]) if lenient else None
            if bad is not None:
                problems.append(_p_problem(bad))
                del kw["p_reported"]
            else:
                parse_p_reported(kw["p_reported"], f"{where}: field 'p_reported'")
        kw["tails"] = _tails(data.get("tails"), where)
        kw["variables"] = _variables(data.get("variables"), where)
        kw["groups"] = _groups(data.get("groups"), where, problems if lenient else None)
        details = data.get("details") or {}
        if not isinstance(details, dict):
            raise SurveyFindingError(f"{where}: field 'details' must be a mapping")
        kw["details"] = dict(details)
        if problems:
            kw["details"]["problems"] = list(kw["details"].get("problems") or []) + problems
        ident = data.get("id")
        if ident is not None and str(ident).strip():
            ident = str(ident).strip()
            try:
                uuid.UUID(ident)
            except ValueError:
                raise SurveyFindingError(f"{where}: field 'id': {ident!r} is not a UUID") from None
            kw["id"] = ident
        return cls(**kw)


def stable_id(*parts: Any) -> str:
    """A UUID derived from ``parts``: the same content always gives the same id."""
    return str(uuid.uuid5(_ID_NAMESPACE, "\x1f".join("" if p is None else str(p) for p in parts)))


def _num_key(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_number(value: Any, where: str = "value") -> float | None:
    """A float from a number or a string (decimal point or decimal comma, U+2212 minus).

    None and empty strings give None. Anything else raises :class:`SurveyFindingError`.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise SurveyFindingError(f"{where}: {value!r} is not a number")
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        cleaned = text.replace("\u2212", "-").replace("\u2013", "-").replace(",", ".")
        cleaned = cleaned.replace(" ", "").replace("\u00a0", "")
        try:
            x = float(cleaned)
        except ValueError:
            raise SurveyFindingError(f"{where}: {text!r} is not a number") from None
    if math.isnan(x) or math.isinf(x):
        raise SurveyFindingError(f"{where}: {value!r} is not a finite number")
    return x


def _p_problem(value: str) -> dict[str, Any]:
    return {"key": "p", "value": value,
            "text": f"p = {value} in the source is impossible (p lies between 0 and 1)"}


def _shown(value: Any) -> str:
    return str(value).strip() if isinstance(value, str) else f"{value:g}"


def _impossible_p(text: str) -> str | None:
    """The text when it is a number outside [0, 1] (a typo like "-.16"), else None."""
    raw = str(text).strip()
    if raw[:1].lower() == "p":
        raw = raw[1:].strip()
    raw = raw.lstrip("=<>≤≥ ").strip()
    try:
        x = parse_number(raw)
    except SurveyFindingError:
        return None
    return raw if x is not None and not 0.0 <= x <= 1.0 else None


def _tails(value: Any, where: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 2
    text = str(value).strip().casefold()
    named = {"one": 1, "one-tailed": 1, "ensidig": 1, "two": 2, "two-tailed": 2, "tosidig": 2}
    if text in named:
        return named[text]
    x = parse_number(value, f"{where}: field 'tails'")
    if x not in (1.0, 2.0):
        raise SurveyFindingError(f"{where}: field 'tails': {value!r} is not 1 or 2")
    return int(x)  # type: ignore[arg-type]


def _parse_int(value: Any, where: str) -> int | None:
    x = parse_number(value, where)
    if x is None:
        return None
    if x != int(x) or x < 0:
        raise SurveyFindingError(f"{where}: {value!r} is not a whole number >= 0")
    return int(x)


def _variables(value: Any, where: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[;|]", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    raise SurveyFindingError(f"{where}: field 'variables' must be a list or a ';'-separated string")


def _groups(value: Any, where: str, problems: list[dict[str, Any]] | None = None) -> list[Group]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SurveyFindingError(f"{where}: field 'groups' must be a list")
    groups = []
    for i, g in enumerate(value, start=1):
        gw = f"{where}: group {i}"
        if not isinstance(g, dict):
            raise SurveyFindingError(f"{gw}: expected a mapping with name, n, mean, sd")
        unknown = sorted(set(g) - {"name", "n", "mean", "sd", "median"})
        if unknown:
            raise SurveyFindingError(f"{gw}: unknown field {unknown[0]!r}")
        sd = parse_number(g.get("sd"), f"{gw} field 'sd'")
        if sd is not None and sd < 0:
            if problems is None:
                raise SurveyFindingError(f"{gw} field 'sd': {sd} is negative")
            problems.append({"key": "sd", "value": _shown(g.get("sd")), "group": i,
                             "text": f"SD = {_shown(g.get('sd'))} of group {i} in the source "
                                     "is impossible (an SD is never negative)"})
            sd = None
        groups.append(
            Group(
                name=_text(g.get("name") or f"Gruppe {i}"),
                n=_parse_int(g.get("n"), f"{gw} field 'n'"),
                mean=parse_number(g.get("mean"), f"{gw} field 'mean'"),
                sd=sd,
                median=parse_number(g.get("median"), f"{gw} field 'median'"),
            )
        )
    return groups


# ---------------------------------------------------------------------------------------
# Reported p values

_P_RE = re.compile(
    r"^\s*(?:p\s*)?(?P<op><=|>=|=|<|>|\u2264|\u2265)?\s*(?P<num>0?[.,]\d+|0|1(?:[.,]0+)?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReportedP:
    """A reported p value: ``op`` is '=', '<' or '>'; ``decimals`` the printed precision.

    ``op == 'ns'`` stands for "not significant" without a number.
    """

    op: str
    value: float | None
    decimals: int | None
    text: str

    @classmethod
    def from_number(cls, p: float) -> "ReportedP":
        """A p stored as a number (never as text): taken as exact, to its shortest decimals
        (5e-05 counts as 0.00005, five decimals)."""
        from decimal import Decimal

        exponent = Decimal(repr(float(p))).normalize().as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 17
        return cls("=", float(p), decimals, format(Decimal(repr(float(p))), "f"))

    def interval(self) -> tuple[float, float]:
        """The set of true p values this report is consistent with (closed interval)."""
        if self.op == "ns":
            return (0.05, 1.0)
        assert self.value is not None and self.decimals is not None
        if self.op == "<":
            return (0.0, self.value)
        if self.op == ">":
            return (self.value, 1.0)
        half = 0.5 * 10.0 ** -self.decimals
        return (max(0.0, self.value - half), min(1.0, self.value + half))


def parse_p_reported(text: Any, where: str = "p_reported") -> ReportedP:
    """Parse ``".02"``, ``"p = .02"``, ``"< .001"``, ``",016"``, ``"ns"`` and the like."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return ReportedP.from_number(float(text))
    raw = str(text).strip()
    if raw.lower().replace(".", "").replace(" ", "") in {"ns", "ikkesignifikant"}:
        return ReportedP("ns", None, None, raw)
    m = _P_RE.match(raw)
    if not m:
        raise SurveyFindingError(f"{where}: {raw!r} is not a p value like '.02' or '< .001'")
    op = {"<=": "<", "\u2264": "<", ">=": ">", "\u2265": ">", None: "="}.get(m["op"], m["op"])
    num = m["num"].replace(",", ".")
    decimals = len(num.split(".")[1]) if "." in num else 0
    return ReportedP(op, float(num), decimals, raw)


# ---------------------------------------------------------------------------------------
# Loading files


def load_findings(path: str | Path) -> list[SurveyFinding]:
    """Read findings from a ``.csv`` or ``.yaml``/``.yml`` file (formats in the module doc).

    Raises :class:`SurveyFindingError` (a ``ValueError``) with a one-line message naming the
    file, the row or entry, and the field.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    text = read_utf8_file(path, SurveyFindingError)
    if suffix in (".yaml", ".yml"):
        findings = _load_yaml(text, path.name)
    elif suffix == ".csv":
        findings = _load_csv(text, path.name)
    else:
        raise SurveyFindingError(f"{path.name}: unknown findings format {suffix!r} (use .csv or .yaml)")
    seen: set[str] = set()
    for i, f in enumerate(findings, start=1):
        if f.id in seen:
            raise SurveyFindingError(f"{path.name}: finding {i}: id {f.id} is used twice")
        seen.add(f.id)
    return findings


def _load_yaml(text: str, name: str) -> list[SurveyFinding]:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise SurveyFindingError(f"{name}:{line} invalid YAML") from None
    if isinstance(data, dict):
        if "findings" not in data:
            raise SurveyFindingError(f"{name}: expected a list of findings or a 'findings:' key")
        data = data["findings"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise SurveyFindingError(f"{name}: 'findings' must be a list")
    return [
        SurveyFinding.from_dict(entry, where=f"{name}: finding {i}{_label(entry)}", lenient=True)
        for i, entry in enumerate(data, start=1)
    ]


def _label(entry: Any) -> str:
    if isinstance(entry, dict) and entry.get("scale"):
        return f" ({entry['scale']})"
    return ""


_GROUP_COL = re.compile(r"^group(\d+)_(name|n|mean|sd|median)$")


def _load_csv(text: str, name: str) -> list[SurveyFinding]:
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        return []
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    allowed = set(_SCALAR_FIELDS) | {"variables", "tails"}
    for col in columns:
        if col not in allowed and not _GROUP_COL.match(col):
            raise SurveyFindingError(f"{name}: unknown column {col!r}")
    if "test" not in columns:
        raise SurveyFindingError(f"{name}: column 'test' is missing")
    findings = []
    for row in reader:
        rownum = reader.line_num
        if None in row:
            raise SurveyFindingError(f"{name}: row {rownum}: more cells than columns")
        if all((v or "").strip() == "" for v in row.values()):
            continue
        data: dict[str, Any] = {}
        groups: dict[int, dict[str, Any]] = {}
        for col, value in row.items():
            value = (value or "").strip()
            m = _GROUP_COL.match(col)
            if m:
                if value:
                    groups.setdefault(int(m[1]), {})[m[2]] = value
            elif value:
                data[col] = value
        if groups:
            data["groups"] = [groups[k] for k in sorted(groups)]
        findings.append(SurveyFinding.from_dict(data, where=f"{name}: row {rownum}", lenient=True))
    return findings

