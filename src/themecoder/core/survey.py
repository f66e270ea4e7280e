"""Score a raw survey and compute its findings.

:func:`compute_findings` reads survey data (one row per respondent: a CSV file here, or
SPSS ``.sav``, Stata ``.dta`` or Excel ``.xlsx`` read by :mod:`themecoder.io.tabular` into a
:class:`~themecoder.core.survey_data.SurveyTable`) and a scoring key
(``scales.yaml``) and returns :class:`~themecoder.core.quant.SurveyFinding` objects:
descriptives and Cronbach's alpha per scale, group comparisons (Student t, Welch t,
Mann-Whitney U) and correlations (Pearson, Spearman), in that order (no alpha for a
one-item scale). Ids are stable (derived from instrument, scale, comparison and test), so
a re-run after a data correction gives the same ids with new numbers.

The scoring key (YAML)::

    id_column: id                  # optional; used in error messages
    valid_range: [1, 5]            # item values allowed (inclusive); per instrument too
    missing_codes:                 # item values that mean "missing" (code: label)
      98: vet ikke
      99: ikke relevant
    scoring:
      method: mean                 # scale score = mean of the valid items (only method)
      min_valid: 0.75              # fraction of items (0 < x < 1) or a count (1, 2, ...)
    instruments:
      RSA-R:
        total: Totalskår           # optional: a scale over all the instrument's items
        valid_range: [1, 5]        # optional override
        scales:
          Involvering:
            items: [rsa05, rsa06, rsa07, rsa08]
            reverse: [rsa08]       # scored as (low + high) - value
            min_valid: 3           # optional override
    comparisons:
      - name: med vs. uten brukererfaring          # becomes SurveyFinding.comparison
        group1: {name: med brukererfaring, where: brukererfaring == 1}
        group2: {name: uten brukererfaring, where: brukererfaring == 0}
        scales: [Støtte fra leder]                 # default: every scale
        tests: [t-test, welch, mann-whitney]       # default: all three
      - name: mer vs. mindre enn 8 års erfaring
        group1: {name: mer enn 8 år, where: erfaring_ar > 8}
        group2: {name: 8 år eller mindre}          # no 'where': the rest
    correlations:
      - {x: Involvering, y: Sosial samhandling, methods: [pearson, spearman]}

``where`` is ``<column> <op> <number>`` with op one of ``== != > >= < <=``. "The rest"
means respondents with a value in that column for whom the condition is false; respondents
with an empty cell there are in neither group. A scale is named by its name, or by
``Instrument/Name`` when two instruments use the same name (e.g. ``RSA-R/Totalskår``).
Correlation variables may also be numeric columns of the data (``erfaring_ar``).

Data: UTF-8 CSV, comma- or semicolon-separated (with semicolons a decimal comma is
accepted). An empty cell is missing. Missing codes apply to item columns only; background
columns used for groups or correlations must be numeric or empty. Any problem raises
:class:`SurveyError` (a ``ValueError``) with a one-line message naming file, line,
respondent and column.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from themecoder.core import stats
from themecoder.core.apa import format_finding_runs, format_number, runs_to_text
from themecoder.core.quant import Group, SurveyFinding, stable_id
from themecoder.core.survey_data import SurveyDataError, SurveyTable, csv_table
from themecoder.errors import UserError

COMPARISON_TESTS = ("t-test", "welch", "mann-whitney")
CORRELATION_METHODS = ("pearson", "spearman")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq, "!=": operator.ne, ">=": operator.ge, "<=": operator.le,
    ">": operator.gt, "<": operator.lt,
}
_WHERE = re.compile(r"^\s*(?P<col>[^\s=!<>]+)\s*(?P<op>==|!=|>=|<=|>|<)\s*"
                    r"(?:(?P<num>[-+]?\d+(?:[.,]\d+)?)|(?P<label>\"[^\"]+\"|'[^']+'|[^\s\d\"'][^\"']*?))\s*$")


class SurveyError(UserError, ValueError):
    """Bad scoring key or survey data; the message is one line."""


# ---------------------------------------------------------------------------------------
# The scoring key


@dataclass
class Scale:
    instrument: str
    name: str
    items: list[str]
    reverse: list[str]
    min_valid: int
    valid_range: tuple[float, float]
    is_total: bool = False

    @property
    def key(self) -> str:
        return f"{self.instrument}/{self.name}"


@dataclass
class GroupRule:
    column: str
    op: str
    value: float
    label: str | None = None  # a value label (``== ja``); read_survey sets ``value`` from it

    def __call__(self, x: float) -> bool:
        return _OPS[self.op](x, self.value)


@dataclass
class Comparison:
    name: str
    group1_name: str
    group1: GroupRule
    group2_name: str
    group2: GroupRule | None  # None: the rest
    scales: list[Scale]
    tests: list[str]


@dataclass
class CorrelationSpec:
    x: str  # a scale key or a data column
    y: str
    methods: list[str]


@dataclass
class ScaleConfig:
    source: str
    id_column: str | None
    missing_codes: dict[float, str]
    scales: list[Scale]
    comparisons: list[Comparison] = field(default_factory=list)
    correlations: list[CorrelationSpec] = field(default_factory=list)

    def find(self, ref: str) -> Scale | None:
        """A scale by ``Instrument/Name`` or by ``Name`` (an error if two instruments have
        it); None if there is no such scale."""
        for s in self.scales:
            if s.key == ref:
                return s
        matches = [s for s in self.scales if s.name == ref]
        if len(matches) > 1:
            options = " or ".join(repr(s.key) for s in matches)
            raise SurveyError(f"{self.source}: scale {ref!r} is ambiguous; write {options}")
        return matches[0] if matches else None

    def scale(self, ref: str) -> Scale:
        """Like :meth:`find`, but an unknown scale is an error."""
        found = self.find(ref)
        if found is None:
            raise SurveyError(f"{self.source}: unknown scale {ref!r}")
        return found

    def item_range(self) -> dict[str, tuple[float, float]]:
        return {item: s.valid_range for s in self.scales for item in s.items}


def _mapping(value: Any, where: str, allowed: set[str], required: set[str] | frozenset[str] = frozenset()
             ) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SurveyError(f"{where}: expected a mapping")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise SurveyError(f"{where}: unknown key {unknown[0]!r}")
    missing = sorted(required - set(value))
    if missing:
        raise SurveyError(f"{where}: key {missing[0]!r} is required")
    return value


def _names(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise SurveyError(f"{where}: expected a list of names")
    return [str(v) for v in value]


def _range(value: Any, where: str) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            or value[0] >= value[1]):
        raise SurveyError(f"{where}: expected [low, high] with low < high, got {value!r}")
    return float(value[0]), float(value[1])


def _min_valid(value: Any, k: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SurveyError(f"{where}: min_valid must be a count or a fraction, got {value!r}")
    if isinstance(value, int):
        if not 1 <= value <= k:
            raise SurveyError(f"{where}: min_valid {value} must be between 1 and {k} items")
        return value
    if not 0 < value <= 1:
        raise SurveyError(f"{where}: min_valid {value} must be a fraction in (0, 1]")
    return max(1, math.ceil(value * k - 1e-9))


def load_scales(path: str | Path) -> ScaleConfig:
    """Read and check a scoring key (format in the module doc)."""
    import yaml

    path = Path(path)
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise SurveyError(f"{name}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark is not None else ""
        raise SurveyError(f"{name}:{line} invalid YAML") from None
    top = _mapping(data, name, {"id_column", "valid_range", "missing_codes", "scoring",
                                "instruments", "comparisons", "correlations"},
                   {"valid_range", "instruments"})
    codes = top.get("missing_codes") or {}
    if isinstance(codes, list):
        codes = {c: "" for c in codes}
    if not isinstance(codes, dict) or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) for c in codes):
        raise SurveyError(f"{name}: missing_codes must map numeric codes to labels")
    missing_codes = {float(c): str(label or "") for c, label in codes.items()}
    scoring = _mapping(top.get("scoring") or {}, f"{name}: scoring", {"method", "min_valid"})
    if scoring.get("method", "mean") != "mean":
        raise SurveyError(f"{name}: scoring method {scoring['method']!r} is not supported "
                          "(only 'mean')")
    scales = _instruments(top["instruments"], name, _range(top["valid_range"],
                          f"{name}: valid_range"), scoring.get("min_valid", 1.0))
    for s in scales:
        inside = next((c for c in missing_codes
                       if s.valid_range[0] <= c <= s.valid_range[1]), None)
        if inside is not None:
            raise SurveyError(f"{name}: missing code {inside:g} lies inside valid_range "
                              f"of {s.instrument}")
    config = ScaleConfig(name, top.get("id_column"), missing_codes, scales)
    config.comparisons = _comparisons(top.get("comparisons") or [], config)
    config.correlations = _correlations(top.get("correlations") or [], config)
    return config


def _instruments(instruments: Any, name: str, default_range: tuple[float, float],
                 default_min: Any) -> list[Scale]:
    if not isinstance(instruments, dict) or not instruments:
        raise SurveyError(f"{name}: instruments must be a non-empty mapping")
    scales: list[Scale] = []
    owner: dict[str, str] = {}
    for inst, spec in instruments.items():
        inst = str(inst)
        iw = f"{name}: instrument {inst!r}"
        spec = _mapping(spec, iw, {"scales", "total", "valid_range"}, {"scales"})
        vr = _range(spec["valid_range"], f"{iw}: valid_range") if "valid_range" in spec \
            else default_range
        sub = spec["scales"]
        if not isinstance(sub, dict) or not sub:
            raise SurveyError(f"{iw}: scales must be a non-empty mapping")
        inst_items: list[str] = []
        inst_reverse: list[str] = []
        for sname, sspec in sub.items():
            scale = _scale(inst, str(sname), sspec, vr, default_min, name)
            for item in scale.items:
                if owner.setdefault(item, inst) != inst:
                    raise SurveyError(f"{name}: scale {scale.name!r} ({inst}): item {item!r} "
                                      f"already belongs to instrument {owner[item]!r}")
            scales.append(scale)
            inst_items += [i for i in scale.items if i not in inst_items]
            inst_reverse += [r for r in scale.reverse if r not in inst_reverse]
        if spec.get("total"):
            tname = "Totalskår" if spec["total"] is True else str(spec["total"])
            mv = _min_valid(default_min, len(inst_items), f"{iw}: total")
            scales.append(Scale(inst, tname, inst_items, inst_reverse, mv, vr, is_total=True))
    keys = [s.key for s in scales]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup:
        raise SurveyError(f"{name}: scale {dup!r} is defined twice")
    return scales


def _scale(inst: str, sname: str, sspec: Any, vr: tuple[float, float], default_min: Any,
           name: str) -> Scale:
    sw = f"{name}: scale {sname!r} ({inst})"
    sspec = _mapping(sspec, sw, {"items", "reverse", "min_valid"}, {"items"})
    items = _names(sspec["items"], f"{sw}: items")
    if not items:
        raise SurveyError(f"{sw}: items is empty")
    dup = next((i for i in items if items.count(i) > 1), None)
    if dup:
        raise SurveyError(f"{sw}: item {dup!r} is listed twice")
    reverse = _names(sspec.get("reverse") or [], f"{sw}: reverse")
    stray = next((r for r in reverse if r not in items), None)
    if stray:
        raise SurveyError(f"{sw}: reverse item {stray!r} is not among its items")
    mv = _min_valid(sspec.get("min_valid", default_min), len(items), sw)
    return Scale(inst, sname, items, reverse, mv, vr)


def _comparisons(comps: Any, config: ScaleConfig) -> list[Comparison]:
    name = config.source
    if not isinstance(comps, list):
        raise SurveyError(f"{name}: comparisons must be a list")
    out = []
    for i, c in enumerate(comps, start=1):
        cw = f"{name}: comparison {i}"
        c = _mapping(c, cw, {"name", "group1", "group2", "scales", "tests"},
                     {"name", "group1"})
        g1_name, g1 = _rule(c["group1"], f"{cw}: group1", required_where=True)
        g2_name, g2 = _rule(c.get("group2") or {"name": f"ikke {g1_name}"}, f"{cw}: group2",
                            required_where=False)
        refs = _names(c["scales"], f"{cw}: scales") if "scales" in c else None
        chosen = [config.scale(r) for r in refs] if refs is not None else list(config.scales)
        tests = _names(c.get("tests", list(COMPARISON_TESTS)), f"{cw}: tests")
        bad = next((t for t in tests if t not in COMPARISON_TESTS), None)
        if bad:
            raise SurveyError(f"{cw}: test {bad!r} is not one of {', '.join(COMPARISON_TESTS)}")
        assert g1 is not None  # required_where=True
        out.append(Comparison(str(c["name"]), g1_name, g1, g2_name, g2, chosen, tests))
    return out


def _correlations(corrs: Any, config: ScaleConfig) -> list[CorrelationSpec]:
    name = config.source
    if not isinstance(corrs, list):
        raise SurveyError(f"{name}: correlations must be a list")
    out = []
    for i, c in enumerate(corrs, start=1):
        cw = f"{name}: correlation {i}"
        c = _mapping(c, cw, {"x", "y", "methods"}, {"x", "y"})
        methods = _names(c.get("methods", list(CORRELATION_METHODS)), f"{cw}: methods")
        bad = next((m for m in methods if m not in CORRELATION_METHODS), None)
        if bad:
            raise SurveyError(f"{cw}: method {bad!r} is not pearson or spearman")
        out.append(CorrelationSpec(_var_ref(config, str(c["x"])),
                                   _var_ref(config, str(c["y"])), methods))
    return out


def _var_ref(config: ScaleConfig, ref: str) -> str:
    """A scale key when ``ref`` names a scale, else ``ref`` itself (a data column)."""
    found = config.find(ref)
    return found.key if found is not None else ref


def _rule(value: Any, where: str, required_where: bool) -> tuple[str, GroupRule | None]:
    """The group's name and its rule (None: no ``where``, i.e. "the rest")."""
    required = {"name", "where"} if required_where else {"name"}
    value = _mapping(value, where, {"name", "where"}, required)
    name = str(value["name"])
    if "where" not in value:
        return name, None
    m = _WHERE.match(str(value["where"]))
    if not m:
        raise SurveyError(f"{where}: where {value['where']!r} is not like 'column > 8'")
    if m["num"] is None:
        if m["op"] not in ("==", "!="):
            raise SurveyError(f"{where}: a value label ({m['label']}) takes == or !=")
        return name, GroupRule(m["col"], m["op"], math.nan, m["label"].strip("\"'"))
    return name, GroupRule(m["col"], m["op"], float(m["num"].replace(",", ".")))


# ---------------------------------------------------------------------------------------
# The data


@dataclass
class SurveyData:
    """Numeric columns (``None`` = missing) of the respondents, plus their ids.

    Item columns have missing codes replaced by ``None`` and are *not* yet reverse-scored.
    ``codes`` counts the missing codes met per item column.
    """

    source: str
    ids: list[str]
    columns: dict[str, list[float | None]]
    codes: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


def read_survey(data: str | Path | SurveyTable, config: ScaleConfig) -> SurveyData:
    """Read the columns ``config`` needs from ``data`` (a CSV file, or a
    :class:`~themecoder.core.survey_data.SurveyTable` from io.tabular for .sav, .dta and
    .xlsx) and check every value. An item may be named by its column or its variable
    label; a group's ``where`` may use a value label (``brukererfaring == ja``)."""
    try:
        table = data if isinstance(data, SurveyTable) else csv_table(data)
    except SurveyDataError as exc:
        raise SurveyError(str(exc)) from None
    name = table.source
    columns = table.columns
    dup = next((c for c in columns if columns.count(c) > 1), None)
    if dup:
        raise SurveyError(f"{name}: column {dup!r} appears twice")
    index = {c: i for i, c in enumerate(columns)}
    source_of: dict[str, str] = {}   # the name the key uses -> the column in the data

    def column(ref: str) -> str | None:
        found = table.column_for(ref)
        if found is not None:
            source_of[ref] = found
        return found

    ranges = config.item_range()
    needed: list[str] = list(ranges)
    for s in config.scales:
        for item in s.items:
            if column(item) is None:
                raise SurveyError(f"{config.source}: scale {s.name!r} ({s.instrument}): "
                                  f"item {item!r} is not a column in {name}")
    background: list[str] = []
    for c in config.comparisons:
        for rule in (c.group1, c.group2):
            if rule is not None and rule.column:
                if column(rule.column) is None:
                    raise SurveyError(f"{config.source}: comparison {c.name!r}: column "
                                      f"{rule.column!r} is not in {name}")
                _resolve_label(rule, table, source_of[rule.column], c.name, config.source)
                background.append(rule.column)
    scale_keys = {s.key for s in config.scales}
    for spec in config.correlations:
        for ref in (spec.x, spec.y):
            if ref not in scale_keys:
                if column(ref) is None:
                    raise SurveyError(f"{config.source}: correlation: {ref!r} is neither a "
                                      f"scale nor a column in {name}")
                background.append(ref)
    id_col = config.id_column
    if id_col is not None and id_col not in index:
        raise SurveyError(f"{config.source}: id_column {id_col!r} is not a column in {name}")

    out = SurveyData(name, [], {c: [] for c in needed + background})
    for row, line in zip(table.rows, table.lines):
        if len(row) != len(columns):
            raise SurveyError(f"{name} line {line}: {len(row)} cells, expected {len(columns)}")
        rid = _text(row[index[id_col]]) if id_col else str(len(out.ids) + 1)
        out.ids.append(rid)
        where = f"{name} line {line}" + (f" (id {rid})" if id_col else "")
        for col in out.columns:
            raw = row[index[source_of[col]]]
            value = _cell(raw, table.decimal_comma)
            shown = _text(raw)
            if shown and value is None:
                raise SurveyError(f"{where}, column {col!r}: {shown!r} is not a number")
            if col in ranges and value is not None:
                lo, hi = ranges[col]
                if value in config.missing_codes:
                    out.codes[col] = out.codes.get(col, 0) + 1
                    value = None
                elif not lo <= value <= hi:
                    codes = ", ".join(f"{c:g}" for c in config.missing_codes) or "none"
                    raise SurveyError(f"{where}, column {col!r}: {shown} is outside "
                                      f"{lo:g}–{hi:g} and not a missing code ({codes})")
            out.columns[col].append(value)
    for col in out.columns:
        declared = table.missing.get(source_of[col], 0)
        if declared and col in ranges:
            out.codes[col] = out.codes.get(col, 0) + declared
    if not out.ids:
        raise SurveyError(f"{name}: no respondents")
    return out


def _resolve_label(rule: GroupRule, table: SurveyTable, column: str, comparison: str,
                   source: str) -> None:
    """A ``where`` written with a value label gets the label's code."""
    if rule.label is None:
        return
    code = table.code_for(column, rule.label)
    if code is None:
        known = ", ".join(sorted(table.value_labels.get(column, {}).values())) or "none"
        raise SurveyError(f"{source}: comparison {comparison!r}: {rule.label!r} is not a value "
                          f"label of {rule.column!r} (labels: {known})")
    rule.value = code


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float):
        return "" if not math.isfinite(raw) else (f"{raw:.0f}" if raw.is_integer() else repr(raw))
    return str(raw).strip()


def _cell(raw: Any, decimal_comma: bool) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(float(raw)) else None
    return _number(str(raw).strip(), decimal_comma)


def _number(raw: str, decimal_comma: bool) -> float | None:
    if not raw:
        return None
    if decimal_comma:
        raw = raw.replace(",", ".")
    try:
        x = float(raw)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def scored_items(data: SurveyData, scale: Scale) -> dict[str, list[float | None]]:
    """The scale's item columns with reverse-scored items turned around."""
    lo, hi = scale.valid_range
    out = {}
    for item in scale.items:
        col = data.columns[item]
        out[item] = [lo + hi - x if x is not None else None for x in col] \
            if item in scale.reverse else list(col)
    return out


def score(data: SurveyData, scale: Scale) -> list[float | None]:
    """Per respondent the mean of the valid (reverse-scored) items, or None when fewer
    than ``scale.min_valid`` items are valid."""
    cols = list(scored_items(data, scale).values())
    scores: list[float | None] = []
    for values in zip(*cols):
        valid = [v for v in values if v is not None]
        scores.append(math.fsum(valid) / len(valid) if len(valid) >= scale.min_valid
                      else None)
    return scores


def score_all(data: SurveyData, config: ScaleConfig) -> dict[str, list[float | None]]:
    """Scores of every scale, keyed by ``Instrument/Name``."""
    return {s.key: score(data, s) for s in config.scales}


# ---------------------------------------------------------------------------------------
# Findings


def compute_findings(data_csv: str | Path | SurveyTable, scales_yaml: str | Path
                     ) -> list[SurveyFinding]:
    """Score the survey and return all configured findings (see the module doc). The data
    is a CSV file or a table read by io.tabular (.sav, .dta, .xlsx)."""
    config = load_scales(scales_yaml)
    data = read_survey(data_csv, config)
    scores = score_all(data, config)
    findings: list[SurveyFinding] = []

    for s in config.scales:
        f = stats.describe(scores[s.key]).to_finding(
            id=stable_id("survey", s.instrument, s.name, "", "descriptive"),
            instrument=s.instrument, scale=s.name, variables=[s.name])
        f.details["items"] = len(s.items)
        _state(f, f"{s.name} ({s.instrument})")
        findings.append(f)
    for s in config.scales:
        if len(s.items) < 2:
            continue  # a single item has no internal consistency
        fid = stable_id("survey", s.instrument, s.name, "", "cronbach-alpha")
        try:
            res = stats.cronbach_alpha(scored_items(data, s))
        except stats.StatsError as exc:
            findings.append(_not_computed(fid, "cronbach-alpha", str(exc), instrument=s.instrument,
                                          scale=s.name, variables=list(s.items)))
            continue
        f = res.to_finding(id=fid, instrument=s.instrument, scale=s.name)
        _state(f, f"Indre konsistens, {s.name} ({s.instrument}, {res.k} ledd, n = {res.n})")
        findings.append(f)
    for c in config.comparisons:
        findings += _compare(c, data, scores)
    for spec in config.correlations:
        findings += _correlate(spec, config, data, scores)
    return findings


def _split(c: Comparison, data: SurveyData, values: list[float | None]
           ) -> tuple[list[float], list[float]]:
    col1 = data.columns[c.group1.column]
    col2 = data.columns[c.group2.column] if c.group2 else col1
    a, b = [], []
    for v, x1, x2 in zip(values, col1, col2):
        if v is None:
            continue
        in1 = x1 is not None and c.group1(x1)
        if c.group2 is None:
            in2 = x1 is not None and not in1
        else:
            in2 = x2 is not None and c.group2(x2)
        if in1 and in2:
            raise SurveyError(f"{data.source}: comparison {c.name!r}: a respondent is in "
                              "both groups")
        if in1:
            a.append(v)
        elif in2:
            b.append(v)
    return a, b


def _compare(c: Comparison, data: SurveyData, scores: dict[str, list[float | None]]
             ) -> list[SurveyFinding]:
    out = []
    names = (c.group1_name, c.group2_name)
    columns = [c.group1.column] + ([c.group2.column] if c.group2 and
                                   c.group2.column != c.group1.column else [])
    for s in c.scales:
        a, b = _split(c, data, scores[s.key])
        for test in c.tests:
            fid = stable_id("survey", s.instrument, s.name, c.name, test)
            fields = {"instrument": s.instrument, "scale": s.name, "comparison": c.name,
                      "variables": [s.name, *columns]}
            small = next(((name, len(v)) for name, v in zip(names, (a, b)) if len(v) < 2), None)
            if small is not None and test != "mann-whitney":
                # one small group flags this finding; the rest of the survey is computed
                out.append(_small_group(fid, test, small, names, (a, b), fields))
                continue
            try:
                if test == "mann-whitney":
                    res: Any = stats.mann_whitney(a, b, names=names)
                else:
                    res = stats.t_test(a, b, equal_var=test == "t-test", names=names)
            except stats.StatsError as exc:
                out.append(_not_computed(fid, test, str(exc), **fields,
                                         groups=_plain_groups(names, (a, b))))
                continue
            f = res.to_finding(id=fid, **fields)
            g1, g2 = f.groups
            if test == "mann-whitney":
                _state(f, f"{s.name} ({s.instrument}): {g1.name} skåret {_direction(g1.median, g2.median)} "
                          f"enn {g2.name} ({_mdn(g1)} mot {_mdn(g2)}; {_TEST_NB[test]}, "
                          f"U for {g1.name})")
            else:
                _state(f, f"{s.name} ({s.instrument}): {g1.name} skåret "
                          f"{_direction(g1.mean, g2.mean)} enn {g2.name} ({_m(g1)} mot {_m(g2)}; "
                          f"{_TEST_NB[test]})")
            out.append(f)
    return out


def _direction(a: float | None, b: float | None) -> str:
    assert a is not None and b is not None  # computed groups have both
    return "høyere" if a > b else "lavere" if a < b else "likt"


def _mdn(g: Group) -> str:
    assert g.median is not None  # a computed rank-test group has its median
    return f"Mdn = {format_number(g.median, 2, 'nb')}"


def _plain_groups(names: tuple[str, str], values: tuple[list[float], list[float]]) -> list[Group]:
    return [Group(name, len(v), math.fsum(v) / len(v) if v else None) for name, v in zip(names, values)]


def _not_computed(fid: str, test: str, reason: str, **fields: Any) -> SurveyFinding:
    """A finding that could not be computed, flagged with the reason (the rest goes on)."""
    f = SurveyFinding(id=fid, test=test, source="computed", **fields)
    f.details["problems"] = [{"key": "not_computed", "reason": reason,
                              "text": f"not computed: {reason}"}]
    f.statement = f"Ikke regnet ut: {reason}"
    return f


def _small_group(fid: str, test: str, small: tuple[str, int], names: tuple[str, str],
                 values: tuple[list[float], list[float]], fields: dict[str, Any]) -> SurveyFinding:
    name, n = small
    f = SurveyFinding(id=fid, test=test, source="computed", groups=_plain_groups(names, values),
                      n=sum(len(v) for v in values), **fields)
    label = _TEST_NB[test]
    f.details["problems"] = [{"key": "small_group", "group": name, "n": n, "test": label,
                              "text": f"{label} not computed: group {name!r} has {n} answers "
                                      "(at least 2 are needed)"}]
    f.statement = f"{label} ble ikke regnet ut: gruppen {name} har {n} svar (minst 2 trengs)."
    return f


_TEST_NB = {"t-test": "t-test", "welch": "Welch t-test", "mann-whitney": "Mann–Whitney U",
            "pearson": "Pearson", "spearman": "Spearman"}


def _m(g: Group) -> str:
    assert g.mean is not None  # a computed group always has its mean
    return f"M = {format_number(g.mean, 2, 'nb')}"


def _correlate(spec: CorrelationSpec, config: ScaleConfig, data: SurveyData,
               scores: dict[str, list[float | None]]) -> list[SurveyFinding]:
    def resolve(ref: str) -> tuple[list[float | None], str, str]:
        if ref in scores:
            s = config.scale(ref)
            return scores[ref], s.name, s.instrument
        return data.columns[ref], ref, ""

    x, xname, xinst = resolve(spec.x)
    y, yname, yinst = resolve(spec.y)
    instrument = " / ".join(dict.fromkeys(i for i in (xinst, yinst) if i))
    out = []
    for method in spec.methods:
        try:
            res = (stats.pearson if method == "pearson" else stats.spearman)(x, y)
        except stats.StatsError as exc:
            raise SurveyError(f"{data.source}: correlation {xname!r} with {yname!r}: {exc}") \
                from None
        comparison = f"{xname} med {yname}"
        f = res.to_finding(id=stable_id("survey", instrument, xname, comparison, method),
                           instrument=instrument, scale=xname, comparison=comparison,
                           variables=[xname, yname])
        _state(f, f"Sammenheng mellom {xname} og {yname} ({_TEST_NB[method]}, n = {res.n})")
        out.append(f)
    return out


def _state(f: SurveyFinding, prefix: str) -> None:
    """One Norwegian line: the prefix and the APA result in Norwegian, without italics."""
    f.statement = f"{prefix}: {runs_to_text(format_finding_runs(f, 'nb'))}."
