"""Survey findings in the project: the records (F1, F2 ...), adding, importing, computing,
editing and deleting them, the consistency check, and the mixed-methods design.

A stored finding is a :class:`themecoder.core.quant.SurveyFinding` (every field kept; lists
and mappings as JSON) plus a number: F1, F2, ... in the order they were added, never
reused, so that "F3" in a draft keeps meaning the same finding. A finding whose id is
already in the project is *updated* in place (its number and links stay). SQL: store.survey.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project
from themecoder.core.quant import Group, SurveyFinding, SurveyFindingError, load_findings
from themecoder.errors import Conflict, NotFound, UserError
from themecoder.store.db import Database, now

OUTCOMES = ("confirmation", "expansion", "discordance")
DESIGNS = ("convergent", "explanatory-sequential", "exploratory-sequential")
SMALL_N = 5                       # a cell resting on this many participants or fewer is flagged
DESIGN_KEY = "mixed-methods-design"
COUNTER_KEY = "findings-next-number"

_OUTCOME_ALIASES = {
    "confirmation": "confirmation", "confirm": "confirmation", "confirms": "confirmation",
    "bekreftelse": "confirmation", "bekrefter": "confirmation", "bekreft": "confirmation",
    "expansion": "expansion", "expand": "expansion", "expands": "expansion",
    "utvidelse": "expansion", "utvider": "expansion", "utdyping": "expansion",
    "utdyper": "expansion",
    "discordance": "discordance", "discordant": "discordance", "disconfirmation": "discordance",
    "uoverensstemmelse": "discordance", "motstrid": "discordance", "motsier": "discordance",
}
_DESIGN_ALIASES = {
    "convergent": "convergent", "convergent-parallel": "convergent", "parallel": "convergent",
    "konvergent": "convergent", "parallelt": "convergent",
    "explanatory-sequential": "explanatory-sequential", "explanatory": "explanatory-sequential",
    "forklarende": "explanatory-sequential", "forklarende-sekvensielt": "explanatory-sequential",
    "exploratory-sequential": "exploratory-sequential", "exploratory": "exploratory-sequential",
    "utforskende": "exploratory-sequential", "utforskende-sekvensielt": "exploratory-sequential",
}


def normalise_outcome(value: str) -> str:
    key = (value or "").strip().casefold()
    if key not in _OUTCOME_ALIASES:
        raise UserError(f"unknown outcome {value!r}; use confirmation, expansion or discordance")
    return _OUTCOME_ALIASES[key]


def normalise_design(value: str) -> str:
    key = re.sub(r"[\s_]+", "-", (value or "").strip().casefold())
    if key not in _DESIGN_ALIASES:
        raise UserError(f"unknown design {value!r}; use convergent, explanatory-sequential "
                        "or exploratory-sequential")
    return _DESIGN_ALIASES[key]


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StoredSurveyFinding:
    """A finding in the project: the :class:`SurveyFinding` and its number (F1, F2 ...)."""

    finding: SurveyFinding
    number: int
    created: str
    modified: str

    @property
    def id(self) -> str:
        return self.finding.id

    @property
    def label(self) -> str:
        return f"F{self.number}"

    @property
    def title(self) -> str:
        """``QPS Nordic – Støtte fra leder: med vs. uten brukererfaring``."""
        f = self.finding
        head = " – ".join(x for x in (f.instrument, f.scale) if x) or f.test
        return f"{head}: {f.comparison}" if f.comparison else head

    @property
    def small_n(self) -> bool:
        return finding_small_n(self.finding)


def finding_small_n(f: SurveyFinding) -> bool:
    """True when the finding (or one of its groups) rests on SMALL_N or fewer people."""
    sizes = [g.n for g in f.groups if g.n is not None]
    if f.n is not None:
        sizes.append(f.n)
    return any(n <= SMALL_N for n in sizes)


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: list[StoredSurveyFinding]
    updated: list[StoredSurveyFinding]
    unchanged: list[StoredSurveyFinding]

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged")


# -- rows <-> findings -------------------------------------------------------------------------
def json_safe(value: Any) -> Any:
    """NaN and infinities become None (JSON has no NaN); tuples become lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _values(f: SurveyFinding) -> tuple:
    return (
        f.instrument or "", f.scale or "", f.comparison or "",
        json.dumps(list(f.variables), ensure_ascii=False),
        json.dumps([json_safe(g.to_dict()) for g in f.groups], ensure_ascii=False),
        f.test, _finite(f.statistic), f.statistic_reported, _finite(f.df), _finite(f.p),
        f.p_reported, _finite(f.effect_size), f.effect_label, f.n, f.statement or "",
        f.source or "reported",
        json.dumps(json_safe(_details_with_tails(f)), ensure_ascii=False, sort_keys=True),
    )


def _details_with_tails(f: SurveyFinding) -> dict[str, Any]:
    """The details as stored: a one-tailed test is recorded there (``"tails": 1``)."""
    details = {k: v for k, v in f.details.items() if k != "tails"}
    if f.tails == 1:
        details["tails"] = 1
    return details


def _row_finding(r) -> StoredSurveyFinding:
    groups = [Group(g.get("name") or "", g.get("n"), g.get("mean"), g.get("sd"), g.get("median"))
              for g in json.loads(r["groups_json"] or "[]")]
    details = json.loads(r["details_json"] or "{}")
    tails = 1 if details.pop("tails", 2) == 1 else 2
    f = SurveyFinding(
        id=r["id"], instrument=r["instrument"], scale=r["scale"], comparison=r["comparison"],
        variables=list(json.loads(r["variables_json"] or "[]")), groups=groups, test=r["test"],
        statistic=r["statistic"], df=r["df"], p=r["p"], p_reported=r["p_reported"],
        effect_size=r["effect_size"], effect_label=r["effect_label"], n=r["n"],
        statement=r["statement"], source=r["source"], statistic_reported=r["statistic_reported"],
        details=details, tails=tails,
    )
    return StoredSurveyFinding(f, r["position"], r["created"], r["modified"])


def validated(f: SurveyFinding, where: str = "finding") -> SurveyFinding:
    """Run the finding through quant's checks (from_dict) and return the checked copy."""
    data = f.to_dict()
    data["details"] = json_safe(data["details"])
    data["groups"] = [{k: v for k, v in g.items() if v is not None} for g in data["groups"]]
    checked = SurveyFinding.from_dict({k: v for k, v in data.items() if v is not None}, where=where)
    checked.id = f.id
    return checked


# -- reading -----------------------------------------------------------------------------------
def as_db(project_or_db) -> Database:
    return project_or_db.db if isinstance(project_or_db, Project) else project_or_db


def list_findings(project: Project | Database) -> list[StoredSurveyFinding]:
    db = as_db(project)
    return [_row_finding(r) for r in store.survey.findings(db)]


def get_finding(project: Project | Database, finding_id: str) -> StoredSurveyFinding:
    r = store.survey.finding(as_db(project), finding_id)
    if r is None:
        raise NotFound(f"no finding with id {finding_id}")
    return _row_finding(r)


def find_finding(project: Project | Database, ref: str) -> StoredSurveyFinding:
    """A finding by number (``3`` or ``F3``), id, unique id prefix (6+ characters), or a
    text that matches exactly one finding's instrument, scale, comparison or test.
    Errors are worded as every other reference's (core.resolve)."""
    db = as_db(project)
    ref = (ref or "").strip()
    if not ref:
        raise UserError("which finding? give its number (F3), id or scale")
    m = re.fullmatch(r"[Ff]?(\d+)", ref)
    if m:
        r = store.survey.finding_at(db, int(m[1]))
        if r is None:
            raise resolve.not_found("finding", f"F{int(m[1])}")
        return _row_finding(r)
    r = store.survey.finding(db, ref)
    if r is not None:
        return _row_finding(r)
    every = list_findings(db)
    hits = _matching(every, ref)
    if not hits:
        raise resolve.not_found("finding", ref, [s.title for s in every])
    if len(hits) > 1:
        raise resolve.ambiguous("finding", ref, [_candidate(s) for s in hits])
    return hits[0]


def _matching(every: list[StoredSurveyFinding], ref: str) -> list[StoredSurveyFinding]:
    """Findings that `ref` names: a unique id prefix, else the title or scale, else a text in
    them (a descriptive or alpha result gives way to a test of the same scale)."""
    hits = [s for s in every if len(ref) >= resolve.MIN_ID_PREFIX and s.id.startswith(ref)]
    if hits:
        return hits
    key = ref.casefold()
    exact = [s for s in every if key in {s.title.casefold(), s.finding.scale.casefold(),
                                         f"{s.finding.instrument} {s.finding.scale}".casefold()}]
    hits = exact or [s for s in every if key in _haystack(s)]
    if len(hits) > 1:
        narrowed = [s for s in hits if s.finding.test not in ("descriptive", "cronbach-alpha")]
        if len(narrowed) == 1 and not exact:
            hits = narrowed
    return hits


def _candidate(s: StoredSurveyFinding) -> resolve.Candidate:
    return resolve.Candidate(s.id, (f"{s.label} {s.title} ({s.finding.test})",), s)


def _haystack(s: StoredSurveyFinding) -> str:
    f = s.finding
    return " ".join([f.instrument, f.scale, f.comparison, f.test, f.statement]).casefold()


# -- writing -----------------------------------------------------------------------------------
def insert_stored(conn, f: SurveyFinding, stamp: str) -> None:
    store.survey.insert_finding(conn, f.id, store.survey.next_number(conn, COUNTER_KEY), _values(f), stamp)


def _update(conn, f: SurveyFinding, stamp: str) -> bool:
    """Update the row of ``f.id``; False when nothing changed."""
    new = _values(f)
    if store.survey.finding_values(conn, f.id) == new:
        return False
    store.survey.update_finding(conn, f.id, new, stamp)
    return True


def add_finding(project: Project, finding: SurveyFinding | dict) -> StoredSurveyFinding:
    """Add one finding (one action). A finding with the same id already present: Conflict."""
    f = finding if isinstance(finding, SurveyFinding) else SurveyFinding.from_dict(finding)
    f = validated(f)
    if store.survey.has_finding(project.db, f.id):
        raise Conflict(f"the project has this finding already ({find_finding(project, f.id).label})")
    stamp = now()
    with project.action("add-finding", f"add finding: {_short_title(f)}", {"finding_id": f.id}) as conn:
        insert_stored(conn, f, stamp)
    return get_finding(project, f.id)


def add_findings(project: Project, findings: Sequence[SurveyFinding], *, origin: str = "",
                 kind: str = "import-findings") -> ImportResult:
    """Add or update many findings in one action (same id: updated, number and links kept).
    No findings: nothing to do, and no action is logged."""
    if not findings:
        return ImportResult([], [], [])
    checked = []
    seen: set[str] = set()
    for i, f in enumerate(findings, 1):
        checked.append(validated(f, where=f"{origin or 'finding'} {i}"))
        if f.id in seen:
            raise SurveyFindingError(f"{origin or 'findings'}: id {f.id} is used twice")
        seen.add(f.id)
    added, updated, unchanged = [], [], []
    stamp = now()
    what = f" from {origin}" if origin else ""
    with project.action(kind, f"{kind.replace('-', ' ')}{what}: {len(checked)} findings",
                        {"origin": origin, "count": len(checked)}) as conn:
        for f in checked:
            if store.survey.finding_values(conn, f.id) is None:
                insert_stored(conn, f, stamp)
                added.append(f.id)
            elif _update(conn, f, stamp):
                updated.append(f.id)
            else:
                unchanged.append(f.id)
        project.db.update_action_summary(
            conn, f"{kind.replace('-', ' ')}{what}: {len(added)} added, {len(updated)} updated")
    return ImportResult([get_finding(project, i) for i in added],
                        [get_finding(project, i) for i in updated],
                        [get_finding(project, i) for i in unchanged])


def import_findings_file(project: Project, path: str | Path) -> ImportResult:
    """Findings from a ``.csv`` or ``.yaml`` file (formats: :mod:`themecoder.core.quant`)."""
    path = Path(path)
    return add_findings(project, load_findings(path), origin=path.name)


def compute_survey_findings(project: Project, data_csv: Any,
                            scales_yaml: str | Path) -> ImportResult:
    """Score the survey (:func:`themecoder.core.survey.compute_findings`; ``data_csv`` a CSV
    path or a :class:`~themecoder.core.survey_data.SurveyTable`) and store the results with
    source "computed". Re-running after a correction updates them in place."""
    from themecoder.core.survey import compute_findings

    findings = compute_findings(data_csv, scales_yaml)
    for f in findings:
        f.source = "computed"
    origin = getattr(data_csv, "source", None) or Path(data_csv).name
    return add_findings(project, findings, origin=origin, kind="compute-findings")


_EDITABLE = {"instrument", "scale", "comparison", "variables", "groups", "test", "statistic",
             "statistic_reported", "df", "p", "p_reported", "effect_size", "effect_label", "n",
             "statement", "source", "details", "tails"}


def update_finding(project: Project, ref: str, **fields: Any) -> StoredSurveyFinding:
    """Change fields of a finding (one action). Values as in a findings file: numbers or
    strings; ``groups`` a list of ``Group`` or of mappings; None clears a field."""
    stored = find_finding(project, ref)
    unknown = sorted(set(fields) - _EDITABLE)
    if unknown:
        raise UserError(f"a finding has no field {unknown[0]!r}")
    data = stored.finding.to_dict()
    for key, value in fields.items():
        if key == "groups" and value is not None:
            value = [g.to_dict() if isinstance(g, Group) else dict(g) for g in value]
        data[key] = value
        if key == "statistic" and "statistic_reported" not in fields:
            data["statistic_reported"] = None
    data["groups"] = [{k: v for k, v in g.items() if v is not None} for g in data.get("groups") or []]
    data["details"] = json_safe(data.get("details") or {})
    f = SurveyFinding.from_dict({k: v for k, v in data.items() if v is not None}, where=stored.label)
    f.id = stored.id
    stamp = now()
    with project.action("edit-finding", f"edit finding {stored.label}: {', '.join(sorted(fields))}",
                        {"finding_id": stored.id, "fields": sorted(fields)}) as conn:
        _update(conn, f, stamp)
    return get_finding(project, stored.id)


def replace_finding(project: Project, ref: str, finding: SurveyFinding) -> StoredSurveyFinding:
    """Replace every field of a stored finding by those of ``finding`` (its id is kept)."""
    stored = find_finding(project, ref)
    f = validated(finding, where=stored.label)
    f.id = stored.id
    with project.action("edit-finding", f"edit finding {stored.label}", {"finding_id": stored.id}) as conn:
        _update(conn, f, now())
    return get_finding(project, stored.id)


def delete_finding(project: Project, ref: str) -> StoredSurveyFinding:
    """Delete a finding and its links (one action; undo brings both back)."""
    stored = find_finding(project, ref)
    n_links = store.survey.count_links(project.db, stored.id)
    extra = f" and {n_links} link{'s' if n_links != 1 else ''}" if n_links else ""
    with project.action("delete-finding", f"delete finding {stored.label}{extra}: {stored.title}",
                        {"finding_id": stored.id}) as conn:
        store.survey.delete_finding(conn, stored.id)
    return stored


def _short_title(f: SurveyFinding) -> str:
    return " – ".join(x for x in (f.instrument, f.scale, f.comparison) if x) or f.test


# -- consistency check -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CheckedSurveyFinding:
    finding: StoredSurveyFinding
    result: Any  # statcheck.CheckResult

    @property
    def flagged(self) -> bool:
        """The reported p does not fit, something else does not add up, the decision flips,
        or a warning (a negative alpha or item-total correlation) needs a look."""
        return (not self.result.consistent) or self.result.decision_error \
            or bool(getattr(self.result, "warnings", None))

    @property
    def status(self) -> str:
        """``ok``, ``not-checked``, ``decision-error``, ``inconsistent``, ``warning``."""
        r = self.result
        if r.decision_error:
            return "decision-error"
        if not r.consistent:
            return "inconsistent"
        if getattr(r, "warnings", None):
            return "warning"
        return "ok" if r.checked else "not-checked"


def checks_by_id(project: Project | Database) -> dict[str, CheckedSurveyFinding]:
    """The check of every stored finding, by finding id (for markers where findings show)."""
    return {c.finding.id: c for c in check_project_findings(project)}


def check_project_findings(project: Project | Database, alpha: float = 0.05) -> list[CheckedSurveyFinding]:
    """Run :func:`themecoder.core.statcheck.check_findings` over the stored findings."""
    from themecoder.core.statcheck import check_findings

    stored = list_findings(project)
    results = check_findings([s.finding for s in stored], alpha=alpha)
    return [CheckedSurveyFinding(s, r) for s, r in zip(stored, results)]


# -- design ------------------------------------------------------------------------------------
def get_design(project: Project | Database) -> str | None:
    value = store.project.setting(as_db(project), DESIGN_KEY)
    return value if value in DESIGNS else None


def set_design(project: Project, design: str | None) -> str | None:
    """Record the design (one action); None clears it."""
    if design is None:
        if get_design(project) is None:
            return None
        with project.action("setting", "clear the mixed-methods design", {"key": DESIGN_KEY}) as conn:
            store.project.delete_settings(conn, (DESIGN_KEY,))
        return None
    design = normalise_design(design)
    if get_design(project) != design:
        project.set_setting(DESIGN_KEY, design, summary=f"mixed-methods design: {design}")
    return design


