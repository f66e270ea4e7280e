"""Review on a copy: export the review to a small JSON file, import it into the student's project.

The supervisor reviews a copy of the project file, `export_review` writes the review (statuses
and comments, with ids and labels), `import_review` merges it into the student's project. Only
review rows are written, never codes or codings, and only through the review's own rules
(core.review's `*_in` functions). Comments carry UUIDs, so importing a file twice changes
nothing the second time. A reviewed theme or mapping that no longer exists is kept as an
orphan (with the labels it had) and reported.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from themecoder import store
from themecoder.core.project import Project, new_id
from themecoder.core.review import (
    add_comment_in,
    check_status,
    ensure_item_in,
    resolve_in,
    review_items,
    set_status_in,
)
from themecoder.core.text import strip_controls
from themecoder.errors import Conflict, UserError
from themecoder.store import reviews
from themecoder.store.db import now

FORMAT = "themecoder-review"
FORMAT_VERSION = 1


def _base_action(project: Project) -> dict | None:
    """The newest action that is not review work: where the copy left the student's project."""
    for aid, time, kind, reverted_kind in reviews.actions_newest_first(project.db):
        if kind.startswith("review-"):
            continue
        if kind in ("undo", "redo") and (reverted_kind or "").startswith("review-"):
            continue
        return {"id": aid, "time": time}
    return None


def export_review(project: Project, path: str | Path | None = None, *, reviewer: str | None = None) -> dict:
    """The review (statuses and comments, with ids and labels) as a dict; written to `path`
    as JSON when given. `reviewer` limits it to one reviewer's statuses and comments."""
    items = review_items(project)
    base = _base_action(project)
    since = base["time"] if base else ""
    codes = {c.id: c.label for c in store.codes.codes(project.db)}
    themes = {t.id: t.name for t in store.themes.themes(project.db)}
    out_items: list[dict] = []
    out_comments: list[dict] = []
    reviewers: set[str] = set()     # who did review work after the copy was made
    everyone: set[str] = set()
    for item in items:
        # Whole threads travel (the student's answers included); with `reviewer`, only the
        # threads that reviewer started.
        mine = [c for t in item.threads if reviewer is None or t.root.author == reviewer
                for c in t.comments]
        has_status = item.status_set is not None and (reviewer is None or item.status_by == reviewer)
        if not has_status and not mine:
            continue
        if has_status and item.status_by:
            everyone.add(item.status_by)
            if (item.status_set or "") > since:
                reviewers.add(item.status_by)
        for c in mine:
            if c.parent_id is None:
                everyone.add(c.author)
                if c.created > since:
                    reviewers.add(c.author)
        theme_label = themes.get(item.theme_id, item.theme_name)
        code_label = codes.get(item.code_id, item.code_label) if item.code_id else None
        out_items.append({
            "id": item.id,
            "target": item.target_type,
            "theme": {"id": item.theme_id, "name": theme_label},
            "code": {"id": item.code_id, "label": code_label} if item.code_id else None,
            "mapping_id": item.mapping_id,
            "status": item.status if has_status else None,
            "status_by": item.status_by if has_status else None,
            "status_set": item.status_set if has_status else None,
            "created": item.created,
        })
        for c in mine:
            out_comments.append({
                "id": c.id, "item_id": c.item_id, "parent_id": c.parent_id, "author": c.author,
                "text": c.text, "created": c.created, "resolved": c.resolved, "resolved_by": c.resolved_by,
            })
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "review_id": new_id(),
        "project": {"id": project.id, "name": project.name},
        "exported": now(),
        "exported_by": project.coder,
        "reviewers": sorted(reviewers or everyone),
        "base_action": base,
        "items": out_items,
        "comments": out_comments,
    }
    if path is not None:
        path = Path(path)
        if not path.parent.exists():
            raise UserError(f"folder {path.parent} does not exist")
        # A fresh temporary name beside the target, then a rename: never half a file, and never
        # through a link someone planted at a fixed temporary name.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return data


@dataclass(slots=True)
class ImportReport:
    reviewers: list[str]
    items_added: int = 0
    statuses_updated: int = 0
    statuses_kept: int = 0          # the project had a newer status for the same target
    comments_added: int = 0
    comments_resolved: int = 0
    unchanged: int = 0              # items and comments that were already there
    retargeted: list[str] = field(default_factory=list)   # followed a merged code
    orphaned: list[str] = field(default_factory=list)     # reviewed targets that no longer exist
    already_imported: bool = False
    action_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.items_added or self.statuses_updated or self.comments_added or self.comments_resolved)

    def lines(self) -> list[str]:
        who = ", ".join(self.reviewers) or "unknown reviewer"
        out = [(f"review by {who}: {self.items_added} new items, {self.statuses_updated} statuses, "
                f"{self.comments_added} comments, {self.comments_resolved} threads resolved")]
        if not self.changed:
            out[0] = f"review by {who}: nothing new" + (" (this file was imported before)" if self.already_imported else "")
        if self.statuses_kept:
            out.append(f"{self.statuses_kept} statuses kept: the project has a newer one")
        for r in self.retargeted:
            out.append(f"followed a merge: {r}")
        for o in self.orphaned:
            out.append(f"conflict: {o} no longer exists; kept as an orphaned review item")
        return out


def _load(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = _clean(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder; give the review file (.json)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path.name}: not a review file ({exc})") from None
    except RecursionError:
        raise UserError(f"{path.name}: not a review file (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UserError(f"{path.name}: not a themecoder review file")
    if data.get("version") != FORMAT_VERSION:
        raise UserError(f"{path.name}: review format version {data.get('version')} is not supported; upgrade themecoder")
    for key in ("items", "comments"):
        if not isinstance(data.get(key), list):
            raise UserError(f"{path.name}: the review file has no {key} list")
    return data


def _clean(value: Any, depth: int = 0) -> Any:
    """Every text of a review file without control characters (an ESC or OSC sequence in a
    comment would reach the terminal and break Word exports; issue 18.9)."""
    if depth > 20:
        raise RecursionError
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {strip_controls(str(k)): _clean(v, depth + 1) for k, v in value.items()}
    return value


def _str(d: Any, key: str, required: bool = True) -> str:
    v = d.get(key) if isinstance(d, dict) else None
    if v is None and not required:
        return None  # type: ignore[return-value]
    if not isinstance(v, str) or (required and not v):
        raise UserError(f"review file: an entry lacks {key!r}")
    return v


@dataclass(slots=True)
class _Plan:
    """What an import would write: new items, newer statuses, new comments, resolutions."""
    items: list[dict] = field(default_factory=list)
    statuses: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)  # status, by, set, item
    comments: list[dict] = field(default_factory=list)
    resolutions: list[tuple[str, str | None, str]] = field(default_factory=list)  # when, by, comment
    item_map: dict[str, str] = field(default_factory=dict)  # file item id -> local item id


def import_review(project: Project, path: str | Path, *, force: bool = False, dry_run: bool = False) -> ImportReport:
    """Merge a review file into the project. Writes review rows only, in one action under the
    importing user's name. A second import of the same file is a no-op."""
    data = _load(path)
    src_project = data.get("project") or {}
    if not force and src_project.get("id") and project.id and src_project["id"] != project.id:
        raise Conflict(f"{Path(path).name} is a review of another project ({src_project.get('name')!r}); "
                       "use --force to import it anyway")
    report = ImportReport(list(data.get("reviewers") or []))
    review_id = data.get("review_id") or ""
    report.already_imported = reviews.import_known(project.db, review_id)
    plan = _Plan()
    _plan_items(project, data, report, plan)
    _plan_comments(project, data, report, plan)
    if dry_run or not report.changed:
        return report
    report.action_id = _write(project, path, data, report, plan)
    return report


def _plan_items(project: Project, data: dict, report: ImportReport, plan: _Plan) -> None:
    from themecoder.core.codebook import resolve_alias

    db = project.db
    themes = {t.id for t in store.themes.themes(db)}
    mapped = set(store.themes.code_theme_pairs(db))
    code_names = {c.id: c.label for c in store.codes.codes(db)}
    local: dict[tuple[str, str, str], dict] = {
        (i.target_type, i.theme_id, i.code_id): {"id": i.id, "status": i.status, "status_set": i.status_set}
        for i in review_items(project)}
    local_ids = {r["id"] for r in local.values()}
    for it in data["items"]:
        target = _str(it, "target")
        if target not in ("theme", "mapping"):
            raise UserError(f"review file: unknown target {target!r}")
        theme = it.get("theme") or {}
        theme_id, theme_label = _str(theme, "id"), theme.get("name") or ""
        code = it.get("code") or {}
        code_id, code_label = (code.get("id") or "", code.get("label") or "") if target == "mapping" else ("", "")
        if target == "mapping" and not code_id:
            raise UserError("review file: a mapping without a code id")
        desc = f"theme «{theme_label}»" if target == "theme" else f"«{code_label}» in «{theme_label}»"
        if target == "mapping" and code_id not in code_names:
            alias = resolve_alias(project, code_id)
            if alias and alias != code_id and (alias, theme_id) in mapped:
                report.retargeted.append(f"{desc} → «{code_names.get(alias, alias[:8])}»")
                code_id = alias
        exists = theme_id in themes if target == "theme" else (code_id, theme_id) in mapped
        if not exists:
            report.orphaned.append(desc)
        key = (target, theme_id, code_id)
        status, status_set = it.get("status"), it.get("status_set")
        if status is not None:
            status = check_status(status)
        row = local.get(key)
        if row is None:
            item_id = it.get("id") if it.get("id") and it["id"] not in local_ids else new_id()
            local_ids.add(item_id)
            plan.items.append({"id": item_id, "target": target, "theme_id": theme_id, "code_id": code_id,
                               "theme_name": theme_label, "code_label": code_label, "status": status,
                               "status_by": it.get("status_by") if status else None,
                               "status_set": status_set if status else None,
                               "created": it.get("created") or now()})
            local[key] = {"id": item_id, "status": status, "status_set": status_set}
            report.items_added += 1
        else:
            item_id = row["id"]
            if status is not None and status_set:
                if row["status_set"] is None or status_set > row["status_set"]:
                    if (row["status"], row["status_set"]) != (status, status_set):
                        plan.statuses.append((status, it.get("status_by"), status_set, item_id))
                        report.statuses_updated += 1
                elif status_set < row["status_set"]:
                    report.statuses_kept += 1
                else:
                    report.unchanged += 1
            else:
                report.unchanged += 1
        plan.item_map[_str(it, "id")] = item_id


def _plan_comments(project: Project, data: dict, report: ImportReport, plan: _Plan) -> None:
    """Roots before replies; known ids are skipped (or only pick up a resolution)."""
    existing = {c.id: c.resolved for i in review_items(project) for t in i.threads for c in t.comments}
    incoming = sorted(data["comments"], key=lambda c: (c.get("parent_id") is not None, c.get("created") or ""))
    seen_ids = set(existing)
    for c in incoming:
        cid = _str(c, "id")
        if cid in existing:
            if c.get("resolved") and existing[cid] is None:
                plan.resolutions.append((c["resolved"], c.get("resolved_by"), cid))
                report.comments_resolved += 1
            else:
                report.unchanged += 1
            continue
        item_id = plan.item_map.get(_str(c, "item_id"))
        if item_id is None:
            raise UserError(f"review file: comment {cid[:8]} belongs to no item in the file")
        parent = c.get("parent_id")
        if parent is not None and parent not in seen_ids:
            parent = None  # its thread is missing: keep the comment as a thread of its own
        plan.comments.append({"id": cid, "item_id": item_id, "parent_id": parent, "author": _str(c, "author"),
                              "text": _str(c, "text"), "created": _str(c, "created"),
                              "resolved": c.get("resolved"), "resolved_by": c.get("resolved_by")})
        seen_ids.add(cid)
        report.comments_added += 1


def _write(project: Project, path: str | Path, data: dict, report: ImportReport, plan: _Plan) -> int:
    """The import as one action, through the review's own writes. Returns the action's id."""
    db = project.db
    reviewers = report.reviewers
    base = data.get("base_action") or {}
    base_id = None
    if base.get("id") is not None and reviews.action_time(db, base["id"]) == base.get("time"):
        base_id = int(base["id"])
    n_statuses = report.statuses_updated + sum(1 for p in plan.items if p["status_set"])
    summary = (f"review by {', '.join(reviewers) or 'unknown'} imported from {Path(path).name}: "
               f"{n_statuses} statuses, {report.comments_added} comments")
    # The importing user owns the action, so their ctrl+z can take the whole import out again;
    # the reviewers are in the details and in review_imports.
    with project.action("review-import", summary,
                        {"review_id": data.get("review_id") or "", "file": Path(path).name,
                         "reviewers": reviewers, "imported_by": project.coder,
                         "orphaned": report.orphaned}) as conn:
        action_id: int = reviews.action_in_flight(conn)
        _write_rows(conn, plan)
        reviews.insert_import(conn, data.get("review_id") or new_id(), ", ".join(reviewers), data.get("exported"),
                              base_id if base_id is not None else action_id - 1, Path(path).name, now())
    return action_id


def _write_rows(conn: sqlite3.Connection, plan: _Plan) -> None:
    for p in plan.items:
        item_id = ensure_item_in(conn, p["target"], p["theme_id"], p["code_id"], p["theme_name"], p["code_label"],
                                 item_id=p["id"], created=p["created"], follow_labels=False)
        if p["status"] is not None:
            set_status_in(conn, item_id, p["status"], p["status_by"], p["status_set"])
    for status, by, when, target in plan.statuses:
        set_status_in(conn, target, status, by, when)
    for c in plan.comments:
        add_comment_in(conn, c["item_id"], c["parent_id"], c["author"], c["text"], comment_id=c["id"],
                       created=c["created"], resolved=c["resolved"], resolved_by=c["resolved_by"])
    for resolved, resolved_by, comment_id in plan.resolutions:
        resolve_in(conn, comment_id, resolved_by, resolved)
