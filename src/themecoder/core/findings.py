"""Mixed methods: quantitative findings in the project, their links to themes, the design,
and the data of the joint display.

Findings
    A stored finding is a :class:`themecoder.core.quant.SurveyFinding` (every field kept; lists
    and mappings as JSON) plus a number: F1, F2, ... in the order they were added, never
    reused, so that "F3" in a draft keeps meaning the same finding. Findings are added by
    hand (:func:`add_finding`), from a CSV or YAML file (:func:`import_findings_file`), or
    computed from survey data (:func:`compute_survey_findings`, source "computed"). A
    finding whose id is already in the project is *updated* in place (its number and links
    stay): re-importing a corrected file, or re-computing after a data correction (the
    survey's ids are stable), refreshes the numbers without losing the integration work.

Links
    Any theme or subtheme can be linked to any finding, with an integration outcome
    (Fetters, Curry & Creswell 2013: the qualitative and quantitative results *confirm*
    each other, the one *expands* on the other, or they are *discordant*) and a
    meta-inference: what the two strands say together. One link per theme and finding.
    Deleting a theme or a finding deletes its links (and undo brings them back).

Design
    The project's mixed-methods design (Creswell & Plano Clark): convergent, explanatory
    sequential or exploratory sequential, stored in the project settings.

Joint display
    :func:`joint_display` gives one row per theme (top-level themes; subthemes that have
    links, or all of them on request) with a few quotes (the theme's key quote first, then
    one per participant), the numbers of participants and codings, and the linked findings
    with outcome and meta-inference; :meth:`JointDisplay.by_finding` turns it around (one
    row per finding with the themes that speak to it). A cell that rests on five or fewer
    participants (:data:`SMALL_N`) is flagged, on the quantitative side too (a finding with
    n <= 5 overall or in a group).

Every change is one action through :meth:`Project.action` (one undo). Pure Python: no
python-docx, no Textual; scipy only when findings are computed or checked.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from themecoder.errors import Conflict, NotFound, UserError
from themecoder.model import Theme
from themecoder.core.project import Project, new_id
from themecoder.core.quant import SurveyFinding, SurveyFindingError, Group, load_findings
from themecoder import store
from themecoder.store.db import Database, now

OUTCOMES = ("confirmation", "expansion", "discordance")
DESIGNS = ("convergent", "explanatory-sequential", "exploratory-sequential")
SMALL_N = 5                       # a cell resting on this many participants or fewer is flagged
DESIGN_KEY = "mixed-methods-design"
COUNTER_KEY = "findings-next-number"
PATH_SEPARATOR = " › "

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
class Link:
    id: str
    theme_id: str
    finding_id: str
    outcome: str
    meta_inference: str
    created: str
    modified: str


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
_COLUMNS = ("instrument", "scale", "comparison", "variables_json", "groups_json", "test",
            "statistic", "statistic_reported", "df", "p", "p_reported", "effect_size",
            "effect_label", "n", "statement", "source", "details_json")


def _json_safe(value: Any) -> Any:
    """NaN and infinities become None (JSON has no NaN); tuples become lists."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _values(f: SurveyFinding) -> tuple:
    return (
        f.instrument or "", f.scale or "", f.comparison or "",
        json.dumps(list(f.variables), ensure_ascii=False),
        json.dumps([_json_safe(g.to_dict()) for g in f.groups], ensure_ascii=False),
        f.test, _finite(f.statistic), f.statistic_reported, _finite(f.df), _finite(f.p),
        f.p_reported, _finite(f.effect_size), f.effect_label, f.n, f.statement or "",
        f.source or "reported",
        json.dumps(_json_safe(dict(f.details)), ensure_ascii=False, sort_keys=True),
    )


def _row_finding(r) -> StoredSurveyFinding:
    groups = [Group(g.get("name") or "", g.get("n"), g.get("mean"), g.get("sd"))
              for g in json.loads(r["groups_json"] or "[]")]
    f = SurveyFinding(
        id=r["id"], instrument=r["instrument"], scale=r["scale"], comparison=r["comparison"],
        variables=list(json.loads(r["variables_json"] or "[]")), groups=groups, test=r["test"],
        statistic=r["statistic"], df=r["df"], p=r["p"], p_reported=r["p_reported"],
        effect_size=r["effect_size"], effect_label=r["effect_label"], n=r["n"],
        statement=r["statement"], source=r["source"], statistic_reported=r["statistic_reported"],
        details=json.loads(r["details_json"] or "{}"),
    )
    return StoredSurveyFinding(f, r["position"], r["created"], r["modified"])


def _validate(f: SurveyFinding, where: str = "finding") -> SurveyFinding:
    """Run the finding through quant's checks (from_dict) and return the checked copy."""
    data = f.to_dict()
    data["details"] = _json_safe(data["details"])
    data["groups"] = [{k: v for k, v in g.items() if v is not None} for g in data["groups"]]
    checked = SurveyFinding.from_dict({k: v for k, v in data.items() if v is not None}, where=where)
    checked.id = f.id
    return checked


# -- reading -----------------------------------------------------------------------------------
def _db(project_or_db) -> Database:
    return project_or_db.db if isinstance(project_or_db, Project) else project_or_db


def list_findings(project: Project | Database) -> list[StoredSurveyFinding]:
    db = _db(project)
    return [_row_finding(r) for r in db.query("SELECT * FROM findings ORDER BY position")]


def get_finding(project: Project | Database, finding_id: str) -> StoredSurveyFinding:
    r = _db(project).query_one("SELECT * FROM findings WHERE id = ?", (finding_id,))
    if r is None:
        raise NotFound(f"no finding with id {finding_id}")
    return _row_finding(r)


def find_finding(project: Project | Database, ref: str) -> StoredSurveyFinding:
    """A finding by number (``3`` or ``F3``), id, unique id prefix (6+ characters), or a
    text that matches exactly one finding's instrument, scale, comparison or test."""
    db = _db(project)
    ref = (ref or "").strip()
    if not ref:
        raise UserError("which finding? give its number (F3), id or scale")
    m = re.fullmatch(r"[Ff]?(\d+)", ref)
    if m:
        r = db.query_one("SELECT * FROM findings WHERE position = ?", (int(m[1]),))
        if r is None:
            raise NotFound(f"no finding F{int(m[1])} (see `themecoder findings list`)")
        return _row_finding(r)
    r = db.query_one("SELECT * FROM findings WHERE id = ?", (ref,))
    if r is not None:
        return _row_finding(r)
    every = list_findings(db)
    hits = [s for s in every if len(ref) >= 6 and s.id.startswith(ref)]
    if not hits:
        key = ref.casefold()
        exact = [s for s in every if key in {s.title.casefold(), s.finding.scale.casefold(),
                                             f"{s.finding.instrument} {s.finding.scale}".casefold()}]
        hits = exact or [s for s in every if key in _haystack(s)]
        if len(hits) > 1:
            narrowed = [s for s in hits if s.finding.test not in ("descriptive", "cronbach-alpha")]
            if len(narrowed) == 1 and not exact:
                hits = narrowed
    if not hits:
        raise NotFound(f"no finding {ref!r} (see `themecoder findings list`)")
    if len(hits) > 1:
        names = "; ".join(f"{s.label} {s.title} ({s.finding.test})" for s in hits[:6])
        raise UserError(f"{ref!r} matches {len(hits)} findings: {names}; give the number")
    return hits[0]


def _haystack(s: StoredSurveyFinding) -> str:
    f = s.finding
    return " ".join([f.instrument, f.scale, f.comparison, f.test, f.statement]).casefold()


# -- writing -----------------------------------------------------------------------------------
def _next_number(conn) -> int:
    stored = conn.execute("SELECT value FROM project WHERE key = ?", (COUNTER_KEY,)).fetchone()
    top = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM findings").fetchone()[0]
    number = max(int(stored[0]) if stored and str(stored[0]).isdigit() else 1, top)
    conn.execute("INSERT INTO project(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (COUNTER_KEY, str(number + 1)))
    return number


def _insert(conn, f: SurveyFinding, stamp: str) -> None:
    number = _next_number(conn)
    conn.execute(
        f"INSERT INTO findings(id, position, {', '.join(_COLUMNS)}, created, modified) "
        f"VALUES (?, ?, {', '.join('?' for _ in _COLUMNS)}, ?, ?)",
        (f.id, number, *_values(f), stamp, stamp),
    )


def _update(conn, f: SurveyFinding, stamp: str) -> bool:
    """Update the row of ``f.id``; False when nothing changed."""
    old = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM findings WHERE id = ?", (f.id,)).fetchone()
    new = _values(f)
    if old is not None and tuple(old) == new:
        return False
    conn.execute(
        f"UPDATE findings SET {', '.join(c + ' = ?' for c in _COLUMNS)}, modified = ? WHERE id = ?",
        (*new, stamp, f.id),
    )
    return True


def add_finding(project: Project, finding: SurveyFinding | dict) -> StoredSurveyFinding:
    """Add one finding (one action). A finding with the same id already present: Conflict."""
    f = finding if isinstance(finding, SurveyFinding) else SurveyFinding.from_dict(finding)
    f = _validate(f)
    if project.db.scalar("SELECT 1 FROM findings WHERE id = ?", (f.id,)):
        raise Conflict(f"the project has this finding already ({find_finding(project, f.id).label})")
    stamp = now()
    with project.action("add-finding", f"add finding: {_short_title(f)}", {"finding_id": f.id}) as conn:
        _insert(conn, f, stamp)
    return get_finding(project, f.id)


def add_findings(project: Project, findings: Sequence[SurveyFinding], *, origin: str = "",
                 kind: str = "import-findings") -> ImportResult:
    """Add or update many findings in one action (same id: updated, number and links kept)."""
    checked = []
    seen: set[str] = set()
    for i, f in enumerate(findings, 1):
        checked.append(_validate(f, where=f"{origin or 'finding'} {i}"))
        if f.id in seen:
            raise SurveyFindingError(f"{origin or 'findings'}: id {f.id} is used twice")
        seen.add(f.id)
    added, updated, unchanged = [], [], []
    stamp = now()
    what = f" from {origin}" if origin else ""
    with project.action(kind, f"{kind.replace('-', ' ')}{what}: {len(checked)} findings",
                        {"origin": origin, "count": len(checked)}) as conn:
        for f in checked:
            exists = conn.execute("SELECT 1 FROM findings WHERE id = ?", (f.id,)).fetchone()
            if exists is None:
                _insert(conn, f, stamp)
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


def compute_survey_findings(project: Project, data_csv: str | Path,
                            scales_yaml: str | Path) -> ImportResult:
    """Score the survey (:func:`themecoder.core.survey.compute_findings`) and store the
    results with source "computed". Re-running after a correction updates them in place."""
    from themecoder.core.survey import compute_findings

    findings = compute_findings(data_csv, scales_yaml)
    for f in findings:
        f.source = "computed"
    return add_findings(project, findings, origin=Path(data_csv).name, kind="compute-findings")


_EDITABLE = {"instrument", "scale", "comparison", "variables", "groups", "test", "statistic",
             "statistic_reported", "df", "p", "p_reported", "effect_size", "effect_label", "n",
             "statement", "source", "details"}


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
    data["details"] = _json_safe(data.get("details") or {})
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
    f = _validate(finding, where=stored.label)
    f.id = stored.id
    with project.action("edit-finding", f"edit finding {stored.label}", {"finding_id": stored.id}) as conn:
        _update(conn, f, now())
    return get_finding(project, stored.id)


def delete_finding(project: Project, ref: str) -> StoredSurveyFinding:
    """Delete a finding and its links (one action; undo brings both back)."""
    stored = find_finding(project, ref)
    n_links = project.db.scalar("SELECT count(*) FROM finding_links WHERE finding_id = ?", (stored.id,))
    extra = f" and {n_links} link{'s' if n_links != 1 else ''}" if n_links else ""
    with project.action("delete-finding", f"delete finding {stored.label}{extra}: {stored.title}",
                        {"finding_id": stored.id}) as conn:
        conn.execute("DELETE FROM finding_links WHERE finding_id = ?", (stored.id,))
        conn.execute("DELETE FROM findings WHERE id = ?", (stored.id,))
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
        """The reported p does not fit, something else does not add up, or the decision flips."""
        return (not self.result.consistent) or self.result.decision_error

    @property
    def status(self) -> str:
        """``ok``, ``not-checked``, ``decision-error``, ``inconsistent``."""
        r = self.result
        if r.decision_error:
            return "decision-error"
        if not r.consistent:
            return "inconsistent"
        return "ok" if r.checked else "not-checked"


def check_project_findings(project: Project | Database, alpha: float = 0.05) -> list[CheckedSurveyFinding]:
    """Run :func:`themecoder.core.statcheck.check_findings` over the stored findings."""
    from themecoder.core.statcheck import check_findings

    stored = list_findings(project)
    results = check_findings([s.finding for s in stored], alpha=alpha)
    return [CheckedSurveyFinding(s, r) for s, r in zip(stored, results)]


# -- design ------------------------------------------------------------------------------------
def get_design(project: Project | Database) -> str | None:
    value = store.project.setting(_db(project), DESIGN_KEY)
    return value if value in DESIGNS else None


def set_design(project: Project, design: str | None) -> str | None:
    """Record the design (one action); None clears it."""
    if design is None:
        if get_design(project) is None:
            return None
        with project.action("setting", "clear the mixed-methods design", {"key": DESIGN_KEY}) as conn:
            conn.execute("DELETE FROM project WHERE key = ?", (DESIGN_KEY,))
        return None
    design = normalise_design(design)
    if get_design(project) != design:
        project.set_setting(DESIGN_KEY, design, summary=f"mixed-methods design: {design}")
    return design


# -- themes ------------------------------------------------------------------------------------
def theme_paths(db: Database) -> dict[str, str]:
    """Theme id -> ``Theme › Subtheme``."""
    themes = store.themes.themes(db)
    by_id = {t.id: t for t in themes}
    out: dict[str, str] = {}
    for t in themes:
        names, cur, guard = [], t, 0
        while cur is not None and guard < 64:
            names.append(cur.name)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
            guard += 1
        out[t.id] = PATH_SEPARATOR.join(reversed(names))
    return out


def find_theme(project: Project | Database, ref: str) -> Theme:
    """A theme by id, name, ``Theme › Subtheme`` path or unique id prefix."""
    db = _db(project)
    ref = (ref or "").strip()
    if not ref:
        raise UserError("which theme? give its name or id")
    try:
        return store.themes.find_theme(db, ref)
    except NotFound as exc:
        paths = theme_paths(db)
        norm = " ".join(re.split(r"\s*(?:›|>|/)\s*", ref)).casefold()
        hits = [tid for tid, p in paths.items()
                if " ".join(p.split(PATH_SEPARATOR)).casefold() == norm]
        if len(hits) == 1:
            return store.themes.theme(db, hits[0])
        if "several" in str(exc):
            raise UserError(f"several themes are called {ref!r}; write 'Theme › Subtheme' or "
                            "use the id") from None
        tops = ", ".join(t.name for t in store.themes.themes(db) if t.parent_id is None) or "none"
        raise NotFound(f"no theme {ref!r} (themes: {tops})") from None


# -- links -------------------------------------------------------------------------------------
def _link(r) -> Link:
    return Link(r["id"], r["theme_id"], r["finding_id"], r["outcome"], r["meta_inference"],
                r["created"], r["modified"])


def list_links(project: Project | Database, *, theme_id: str | None = None,
               finding_id: str | None = None) -> list[Link]:
    """Links in the order of the themes, then of the findings."""
    db = _db(project)
    sql = "SELECT l.* FROM finding_links l JOIN findings f ON f.id = l.finding_id"
    where, params = [], []
    if theme_id is not None:
        where.append("l.theme_id = ?")
        params.append(theme_id)
    if finding_id is not None:
        where.append("l.finding_id = ?")
        params.append(finding_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    links = [_link(r) for r in db.query(sql + " ORDER BY f.position", params)]
    order = {t.id: i for i, t in enumerate(store.themes.themes(db))}
    return sorted(links, key=lambda l: order.get(l.theme_id, len(order)))


def get_link(project: Project | Database, theme_id: str, finding_id: str) -> Link | None:
    r = _db(project).query_one("SELECT * FROM finding_links WHERE theme_id = ? AND finding_id = ?",
                               (theme_id, finding_id))
    return None if r is None else _link(r)


def link_theme(project: Project, theme_ref: str, finding_ref: str, outcome: str,
               meta_inference: str | None = None) -> Link:
    """Link a theme to a finding, or change the outcome (and text) of an existing link.

    ``meta_inference=None`` keeps the text of an existing link (empty for a new one).
    """
    theme = find_theme(project, theme_ref)
    stored = find_finding(project, finding_ref)
    outcome = normalise_outcome(outcome)
    text = None if meta_inference is None else meta_inference.strip()
    existing = get_link(project, theme.id, stored.id)
    stamp = now()
    if existing is None:
        link_id = new_id()
        with project.action("link-finding", f"link «{theme.name}» to {stored.label} ({outcome})",
                            {"theme_id": theme.id, "finding_id": stored.id, "outcome": outcome}) as conn:
            conn.execute(
                "INSERT INTO finding_links(id, theme_id, finding_id, outcome, meta_inference, created, modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (link_id, theme.id, stored.id, outcome, text or "", stamp, stamp))
        return _get_link_by_id(project, link_id)
    return update_link(project, existing.id, outcome=outcome, meta_inference=text)


def _get_link_by_id(project: Project | Database, link_id: str) -> Link:
    r = _db(project).query_one("SELECT * FROM finding_links WHERE id = ?", (link_id,))
    if r is None:
        raise NotFound(f"no link with id {link_id}")
    return _link(r)


def update_link(project: Project, link_id: str, *, outcome: str | None = None,
                meta_inference: str | None = None) -> Link:
    """Change a link's outcome and/or meta-inference (one action; None leaves it as it is)."""
    link = _get_link_by_id(project, link_id)
    changes: dict[str, str] = {}
    if outcome is not None and normalise_outcome(outcome) != link.outcome:
        changes["outcome"] = normalise_outcome(outcome)
    if meta_inference is not None and meta_inference.strip() != link.meta_inference:
        changes["meta_inference"] = meta_inference.strip()
    if not changes:
        return link
    theme = store.themes.theme(project.db, link.theme_id)
    stored = get_finding(project, link.finding_id)
    what = ", ".join("outcome → " + changes["outcome"] if k == "outcome" else "meta-inference"
                     for k in changes)
    with project.action("edit-link", f"link «{theme.name}» – {stored.label}: {what}",
                        {"link_id": link.id, "fields": sorted(changes)}) as conn:
        conn.execute(
            f"UPDATE finding_links SET {', '.join(k + ' = ?' for k in changes)}, modified = ? WHERE id = ?",
            (*changes.values(), now(), link.id))
    return _get_link_by_id(project, link.id)


def unlink_theme(project: Project, theme_ref: str, finding_ref: str) -> bool:
    """Remove the link between a theme and a finding (one action). False: there was none."""
    theme = find_theme(project, theme_ref)
    stored = find_finding(project, finding_ref)
    link = get_link(project, theme.id, stored.id)
    if link is None:
        return False
    delete_link(project, link.id)
    return True


def delete_link(project: Project, link_id: str) -> None:
    link = _get_link_by_id(project, link_id)
    theme = store.themes.theme(project.db, link.theme_id)
    stored = get_finding(project, link.finding_id)
    with project.action("unlink-finding", f"unlink «{theme.name}» from {stored.label}",
                        {"theme_id": theme.id, "finding_id": stored.id}) as conn:
        conn.execute("DELETE FROM finding_links WHERE id = ?", (link.id,))


# -- the joint display -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class JointEntry:
    """One linked finding in a theme's row (or one theme in a finding's row)."""

    link: Link
    finding: StoredSurveyFinding
    theme: Theme
    theme_path: str

    @property
    def outcome(self) -> str:
        return self.link.outcome

    @property
    def meta_inference(self) -> str:
        return self.link.meta_inference


@dataclass(slots=True)
class JointRow:
    theme: Theme
    path: str
    level: int                      # 0 for a top-level theme, 1 for a subtheme, ...
    quotes: list                    # core.quotes.Quote, the key quote first
    key_coding_id: str | None       # the theme's key quote when it could be shown
    participants: list[str]         # pseudonyms (document titles for documents without one)
    codings: int
    entries: list[JointEntry] = field(default_factory=list)

    @property
    def n_participants(self) -> int:
        return len(self.participants)

    @property
    def small_n(self) -> bool:
        return self.n_participants <= SMALL_N

    @property
    def outcomes(self) -> list[str]:
        return list(dict.fromkeys(e.outcome for e in self.entries))

    @property
    def analytic_text(self) -> str:
        return self.theme.analytic_text or ""


@dataclass(slots=True)
class SurveyFindingRow:
    finding: StoredSurveyFinding
    entries: list[JointEntry]

    @property
    def small_n(self) -> bool:
        return self.finding.small_n


@dataclass(slots=True)
class CoverageRow:
    theme: Theme
    path: str
    level: int
    counts: list[int]           # codings per participant, in the order of Coverage.columns
    participants: int

    @property
    def small_n(self) -> bool:
        return self.participants <= SMALL_N


@dataclass(slots=True)
class Coverage:
    """Codings per theme and participant: the data of the heat-map figure."""

    columns: list[str]
    rows: list[CoverageRow]

    @property
    def max_count(self) -> int:
        return max((c for r in self.rows for c in r.counts), default=0)


@dataclass(slots=True)
class JointDisplay:
    project_name: str
    design: str | None
    rows: list[JointRow]
    findings: list[StoredSurveyFinding]
    links: list[Link]
    participants: list[str]

    def by_finding(self, *, linked_only: bool = False) -> list[SurveyFindingRow]:
        """One row per finding with the themes that speak to it (the stats-by-themes layout)."""
        entries: dict[str, list[JointEntry]] = defaultdict(list)
        for row in self.rows:
            for e in row.entries:
                entries[e.finding.id].append(e)
        out = [SurveyFindingRow(f, entries.get(f.id, [])) for f in self.findings]
        return [r for r in out if r.entries] if linked_only else out

    def row(self, theme_ref: str) -> JointRow:
        for r in self.rows:
            if theme_ref in (r.theme.id, r.theme.name, r.path):
                return r
        raise KeyError(theme_ref)

    @property
    def linked_themes(self) -> list[JointRow]:
        return [r for r in self.rows if r.entries]


def _units(db: Database) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """document id -> (unit id, label); and the units in display order. A unit is the
    participant, or the document itself when it has none."""
    docs = db.query(
        "SELECT d.id, d.title, d.participant_id, p.pseudonym FROM documents d "
        "LEFT JOIN participants p ON p.id = d.participant_id ORDER BY d.position, d.title")
    of_doc: dict[str, tuple[str, str]] = {}
    for r in docs:
        if r["participant_id"]:
            of_doc[r["id"]] = (r["participant_id"], r["pseudonym"])
        else:
            of_doc[r["id"]] = ("doc:" + r["id"], r["title"])
    named = sorted({v for v in of_doc.values() if not v[0].startswith("doc:")},
                   key=lambda u: u[1].casefold())
    unnamed = [v for v in dict.fromkeys(of_doc.values()) if v[0].startswith("doc:")]
    return of_doc, named + unnamed


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A coding as a quote candidate: what the choice needs, without the transcript."""

    id: str
    document_id: str
    code_id: str
    start: int
    end: int
    quote: str
    informant: str
    order: tuple

    @property
    def words(self) -> int:
        from themecoder.core.text import word_count

        return word_count(self.quote)


class _Codings:
    """Every coding once (light), the theme tree, and which codings belong to which theme
    (the theme's codes and its subthemes' codes): one pass instead of a query per theme."""

    def __init__(self, db: Database) -> None:
        self.of_doc, self.units = _units(db)
        docs = {r[0]: (r[1], r[2], r[3]) for r in db.query_tuples(
            "SELECT d.id, d.title, d.position, p.pseudonym FROM documents d "
            "LEFT JOIN participants p ON p.id = d.participant_id")}
        self.docs = docs
        self.by_code: dict[str, list[_Candidate]] = defaultdict(list)
        for cid, doc_id, code_id, start, end, quote in db.query_tuples(
                "SELECT id, document_id, code_id, start, end, quote FROM codings"):
            title, position, pseudonym = docs[doc_id]
            who = (0, pseudonym.casefold()) if pseudonym else (1, "")
            informant = pseudonym or title
            self.by_code[code_id].append(_Candidate(
                cid, doc_id, code_id, start, end, quote, informant,
                (*who, position, title.casefold(), start, end)))
        self.themes = store.themes.themes(db)
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for t in self.themes:
            self.children[t.parent_id].append(t.id)
        self.codes_of: dict[str, list[str]] = defaultdict(list)
        for theme_id, code_id in db.query_tuples("SELECT theme_id, code_id FROM code_themes"):
            self.codes_of[theme_id].append(code_id)
        self.level: dict[str, int] = {}
        for t in self.themes:  # parents come first
            self.level[t.id] = 0 if t.parent_id is None else self.level.get(t.parent_id, 0) + 1

    def subtree_codes(self, theme_id: str) -> set[str]:
        out: set[str] = set()
        stack, seen = [theme_id], set()
        while stack:
            tid = stack.pop()
            if tid in seen:
                continue
            seen.add(tid)
            out.update(self.codes_of.get(tid, ()))
            stack.extend(self.children.get(tid, ()))
        return out

    def of_theme(self, theme_id: str) -> list[_Candidate]:
        """The theme's codings (subthemes included), each once, in document order."""
        seen: dict[str, _Candidate] = {}
        for code_id in self.subtree_codes(theme_id):
            for c in self.by_code.get(code_id, ()):
                seen[c.id] = c
        return sorted(seen.values(), key=lambda c: c.order)


class _QuoteMaker:
    """Turns chosen codings into :class:`themecoder.core.quotes.Quote` (verbatim check,
    shortening, place in the transcript) one at a time, loading only the transcripts
    needed. It reuses QuoteSource's per-coding logic without loading every coding."""

    def __init__(self, db: Database) -> None:
        from themecoder.core.quotes import QuoteSource, shortenings

        src = QuoteSource.__new__(QuoteSource)
        src.db = db
        src.codes = {c.id: c for c in store.codes.codes(db)}
        src.shortenings = shortenings(db)
        src._texts, src._turns, src._paragraphs = {}, {}, {}
        self.src = src
        self.cache: dict[str, Any] = {}

    def __call__(self, c: _Candidate, docs: dict[str, tuple]) -> Any | None:
        """The quote, or None when it cannot be quoted verbatim any more."""
        from themecoder.model import Coding

        if c.id not in self.cache:
            r = self.src.db.query_one("SELECT * FROM codings WHERE id = ?", (c.id,))
            if r is None:
                self.cache[c.id] = None
            else:
                coding = Coding(r["id"], r["document_id"], r["code_id"], r["start"], r["end"], r["quote"],
                                r["context_before"], r["context_after"], r["coder"], r["created"])
                title, position, pseudonym = docs[coding.document_id]
                q = self.src._quote(coding, title, position, pseudonym)
                self.cache[c.id] = q if q.exportable else None
        return self.cache[c.id]


def choose_quotes(theme: Theme, candidates: Sequence[_Candidate], max_quotes: int,
                  make: Callable[[_Candidate], Any | None]) -> list:
    """The theme's key quote first, then one quote per participant not yet quoted.

    Per participant the quote comes from the code most participants share within the
    theme (it speaks for the theme rather than for one voice), preferring a quote of 8-40
    words, then the earliest. ``make`` turns a candidate into a Quote, or None when it can
    no longer be quoted verbatim (then the next candidate is taken).
    """
    if max_quotes <= 0:
        return []
    by_id = {c.id: c for c in candidates}
    chosen: list = []
    covered: set[str] = set()
    spans: set[tuple] = set()
    if theme.key_coding_id and theme.key_coding_id in by_id:
        key = make(by_id[theme.key_coding_id])
        if key is not None:
            chosen.append(key)
            covered.add(by_id[theme.key_coding_id].informant)
            spans.add((key.coding.document_id, key.spans))
    spread: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        spread[c.code_id].add(c.informant)
    per_person: dict[str, list[_Candidate]] = defaultdict(list)
    for c in candidates:  # in document order: participants in order
        per_person[c.informant].append(c)

    def score(c: _Candidate) -> tuple:
        words = c.words
        return (-len(spread[c.code_id]), 0 if 8 <= words <= 40 else 1, c.order)

    for person, items in per_person.items():
        if len(chosen) >= max_quotes:
            break
        if person in covered:
            continue
        for c in sorted(items, key=score):
            q = make(c)
            if q is None:
                continue
            span = (q.coding.document_id, q.spans)
            if span not in spans:
                chosen.append(q)
                spans.add(span)
                covered.add(person)
                break
    return chosen


def joint_display(project: Project, *, include_subthemes: bool = False,
                  max_quotes: int = 3) -> JointDisplay:
    """The joint display's data (see the module doc).

    Rows: every top-level theme; a subtheme when it has links, or always with
    ``include_subthemes``. Counts include the theme's subthemes (the codings of
    ``store.store.codings.codings_for_theme``). Quotes are verbatim: a coding whose text no longer
    matches its transcript is never shown (see core.quotes).
    """
    db = project.db
    data = _Codings(db)
    make_quote = _QuoteMaker(db)
    paths = theme_paths(db)
    stored = list_findings(db)
    finding_by_id = {s.id: s for s in stored}
    links = list_links(db)
    links_of: dict[str, list[Link]] = defaultdict(list)
    for l in links:
        links_of[l.theme_id].append(l)
    rows: list[JointRow] = []
    for t in data.themes:
        level = data.level[t.id]
        if level > 0 and not include_subthemes and not links_of.get(t.id):
            continue
        candidates = data.of_theme(t.id)
        people = {data.of_doc[c.document_id] for c in candidates if c.document_id in data.of_doc}
        names = [label for uid, label in data.units if (uid, label) in people]
        picked = choose_quotes(t, candidates, max_quotes, lambda c: make_quote(c, data.docs))
        key_id = t.key_coding_id if picked and picked[0].coding.id == t.key_coding_id else None
        entries = [JointEntry(l, finding_by_id[l.finding_id], t, paths[t.id])
                   for l in links_of.get(t.id, []) if l.finding_id in finding_by_id]
        entries.sort(key=lambda e: e.finding.number)
        rows.append(JointRow(t, paths[t.id], level, picked, key_id, names, len(candidates), entries))
    return JointDisplay(project.name, get_design(db), rows, stored, links,
                        [label for _, label in data.units])


def coverage(project: Project, *, include_subthemes: bool = True) -> Coverage:
    """Codings per theme (subthemes included in their parents' counts) and participant."""
    db = project.db
    data = _Codings(db)
    col = {u: i for i, u in enumerate(data.units)}
    paths = theme_paths(db)
    rows = []
    for t in data.themes:
        level = data.level[t.id]
        if level > 0 and not include_subthemes:
            continue
        counts = [0] * len(data.units)
        for c in data.of_theme(t.id):
            u = data.of_doc.get(c.document_id)
            if u is not None:
                counts[col[u]] += 1
        rows.append(CoverageRow(t, paths[t.id], level, counts, sum(1 for x in counts if x)))
    return Coverage([label for _, label in data.units], rows)


# -- the demo --------------------------------------------------------------------------------
DEMO_DESIGN = "explanatory-sequential"

# (theme path, finding id, outcome, meta-inference). Finding ids are those of
# corpora/survey/findings.yaml.
F_RSA_TOTAL = "04603586-8c33-44b1-94bf-7b64d7db2e5d"
F_LEADER = "11d77326-22c3-4ba7-8fd1-224f0d7d3b7e"
F_ROLE = "b465af17-0527-4f7d-b676-eca8e911bca7"
F_DIVERSITY = "09a964c8-1a01-40dd-b93c-5c92cba9e006"
F_INVOLVEMENT = "8ed6905b-73f8-4c6e-b29a-0425a4004116"

DEMO_LINKS: tuple[tuple[str, str, str, str], ...] = (
    ("Recovery som personlig prosess", F_RSA_TOTAL, "confirmation",
     "De ansatte skårer høyt på recovery-orientering, og informantene beskriver recovery "
     "på samme måte: som brukerens egen prosess, båret av håp og egne mål, der hjelperen går "
     "ved siden av. Begge datakildene peker mot en tydelig recovery-orientert verdiforankring "
     "i tjenestene."),
    ("Tradisjonelle tankemønstre › Regler, rammer og tid", F_RSA_TOTAL, "discordance",
     "Den høye RSA-R-skåren står i kontrast til intervjuene, der informantene forteller at "
     "vedtak, regler og tidspress styrer hjelpen, og at «vi sier én ting og gjør en annen». "
     "Skalaen kan fange opp verdiene de ansatte slutter seg til, mer enn hva rammene tillater "
     "i praksis; spriket mellom holdning og handling er selv et funn."),
    ("Faglig utvikling", F_LEADER, "expansion",
     "Intervjuene utdyper hva støtte fra leder betyr: at lederen går foran og etterspør det "
     "nye i hverdagen, og at fagdager og veiledning følges opp. Forskjellen mellom ansatte "
     "med og uten brukererfaring må likevel leses med forsiktighet: t-verdien stemmer ikke "
     "med gjennomsnittene, og med Welchs test (ulike varianser) er forskjellen ikke "
     "signifikant."),
    ("Recovery som personlig prosess › Brukermedvirkning", F_LEADER, "expansion",
     "Informantene beskriver erfaringskonsulenter som troverdige, men én frykter at de brukes "
     "som «alibi». Det gir en mulig forklaring på at ansatte med egen brukererfaring opplever "
     "mindre støtte fra leder: de verdsettes i festtalene, men følges kanskje ikke opp som "
     "fagpersoner."),
    ("Tradisjonelle tankemønstre", F_ROLE, "expansion",
     "Erfarne ansatte beskrives som fornærmet av nye metoder, som de opplever som kritikk av "
     "det de har gjort før. Når recovery-tenkningen endrer hva som forventes av dem, kan det "
     "forklare hvorfor ansatte med mer enn åtte års erfaring opplever rolleforventningene som "
     "mindre klare. Merk at fortegnet på t i kilden ikke stemmer med gjennomsnittene."),
    ("Faglig utvikling › Å være ny", F_ROLE, "discordance",
     "Den nyansatte informanten forteller at hun er usikker på egen rolle og ikke vet hva som "
     "er regelen, mens undersøkelsen viser klarere rolleforventninger blant ansatte med kort "
     "erfaring. Spørreskjemaet kan måle formelle forventninger, mens intervjuet får fram de "
     "uskrevne reglene; funnet bygger dessuten på én informant."),
    ("Tradisjonelle tankemønstre › Regler, rammer og tid", F_DIVERSITY, "expansion",
     "Ansatte i daglig kontakt med brukerne vurderer mangfoldet i tilbudet lavere, og "
     "intervjuene viser hvorfor det kan være slik: de som står nærmest brukerne, merker best "
     "hvordan vedtak og regler snevrer inn hva som kan tilbys. Forskjellen er likevel ikke "
     "signifikant når p regnes ut på nytt (p = ,053), så dette er en hypotese, ikke en "
     "bekreftelse."),
    ("Relasjoner og sosial inkludering", F_INVOLVEMENT, "discordance",
     "Informantene beskriver relasjonen til brukeren som selve arbeidet, og mer involvering "
     "som noe som krever nærhet. Undersøkelsen finner derimot at mer involvering henger "
     "sammen med mindre sosial samhandling. En mulig forklaring fra intervjuene er at de "
     "ansatte blir brukernes nettverk og får mindre rom for fellesskapet med kolleger; "
     "sammenhengen er svak (r = −,32) og bør undersøkes videre."),
)


def import_demo_survey(project: Project, survey_dir: str | Path) -> None:
    """The demo's mixed-methods layer: the published findings (findings.yaml), the design,
    and links from the demo themes to the findings with outcomes and meta-inferences.

    Called by :func:`themecoder.core.demo.build_demo`. A link whose theme is missing (the
    demo codebook changed) is skipped rather than failing the whole demo.
    """
    survey_dir = Path(survey_dir)
    path = survey_dir / "findings.yaml"
    if not path.exists():
        return
    findings = load_findings(path)
    paths = theme_paths(project.db)
    by_path = {p.casefold(): tid for tid, p in paths.items()}
    ids = {f.id for f in findings}
    stamp = now()
    with project.action("import-findings", f"demo survey: {len(findings)} findings, design and links",
                        {"origin": path.name, "count": len(findings)}) as conn:
        for f in findings:
            f = _validate(f, where=path.name)
            if conn.execute("SELECT 1 FROM findings WHERE id = ?", (f.id,)).fetchone() is None:
                _insert(conn, f, stamp)
        conn.execute("INSERT INTO project(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (DESIGN_KEY, DEMO_DESIGN))
        for theme_path, finding_id, outcome, text in DEMO_LINKS:
            theme_id = by_path.get(theme_path.casefold())
            if theme_id is None or finding_id not in ids:
                continue
            conn.execute(
                "INSERT OR IGNORE INTO finding_links(id, theme_id, finding_id, outcome, meta_inference, "
                "created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (new_id(), theme_id, finding_id, outcome, text, stamp, stamp))


__all__ = [
    "OUTCOMES", "DESIGNS", "SMALL_N", "StoredSurveyFinding", "Link", "ImportResult", "CheckedSurveyFinding",
    "JointDisplay", "JointRow", "JointEntry", "SurveyFindingRow", "Coverage", "CoverageRow",
    "normalise_outcome", "normalise_design", "finding_small_n", "list_findings", "get_finding",
    "find_finding", "add_finding", "add_findings", "import_findings_file",
    "compute_survey_findings", "update_finding", "replace_finding", "delete_finding",
    "check_project_findings", "get_design", "set_design", "theme_paths", "find_theme",
    "list_links", "get_link", "link_theme", "update_link", "unlink_theme", "delete_link",
    "choose_quotes", "joint_display", "coverage", "import_demo_survey",
]

# Old names, for cli.py and tui/ until they are updated.
StoredFinding = StoredSurveyFinding  # TRANSITIONAL: remove at integration
CheckedFinding = CheckedSurveyFinding  # TRANSITIONAL: remove at integration
FindingRow = SurveyFindingRow  # TRANSITIONAL: remove at integration
