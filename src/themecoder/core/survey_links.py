"""Links between themes and survey findings: the integration outcome (Fetters, Curry &
Creswell 2013: confirmation, expansion, discordance) and the meta-inference.

One link per theme and finding; deleting a theme or a finding deletes its links (and undo
brings them back). Themes are named as everywhere else (core.resolve.theme). SQL: store.survey.
"""
from __future__ import annotations

from dataclasses import dataclass

from themecoder import store
from themecoder.core import resolve
from themecoder.core.project import Project, new_id
from themecoder.core.survey_findings import as_db, find_finding, get_finding, normalise_outcome
from themecoder.errors import NotFound
from themecoder.store.db import Database, now


@dataclass(frozen=True, slots=True)
class Link:
    id: str
    theme_id: str
    finding_id: str
    outcome: str
    meta_inference: str
    created: str
    modified: str


def theme_paths(db: Database) -> dict[str, str]:
    """Theme id -> ``Theme › Subtheme``."""
    return resolve.theme_paths(store.themes.themes(db))


# -- links -------------------------------------------------------------------------------------
def _link(r) -> Link:
    return Link(r["id"], r["theme_id"], r["finding_id"], r["outcome"], r["meta_inference"],
                r["created"], r["modified"])


def list_links(project: Project | Database, *, theme_id: str | None = None,
               finding_id: str | None = None) -> list[Link]:
    """Links in the order of the themes, then of the findings."""
    db = as_db(project)
    links = [_link(r) for r in store.survey.links(db, theme_id=theme_id, finding_id=finding_id)]
    order = {t.id: i for i, t in enumerate(store.themes.themes(db))}
    return sorted(links, key=lambda lk: order.get(lk.theme_id, len(order)))


def get_link(project: Project | Database, theme_id: str, finding_id: str) -> Link | None:
    r = store.survey.link(as_db(project), theme_id, finding_id)
    return None if r is None else _link(r)


def link_theme(project: Project, theme_ref: str, finding_ref: str, outcome: str,
               meta_inference: str | None = None) -> Link:
    """Link a theme to a finding, or change the outcome (and text) of an existing link.

    ``meta_inference=None`` keeps the text of an existing link (empty for a new one).
    """
    theme = resolve.theme(project, theme_ref)
    stored = find_finding(project, finding_ref)
    outcome = normalise_outcome(outcome)
    text = None if meta_inference is None else meta_inference.strip()
    existing = get_link(project, theme.id, stored.id)
    stamp = now()
    if existing is None:
        link_id = new_id()
        with project.action("link-finding", f"link «{theme.name}» to {stored.label} ({outcome})",
                            {"theme_id": theme.id, "finding_id": stored.id, "outcome": outcome}) as conn:
            store.survey.insert_link(conn, link_id, theme.id, stored.id, outcome, text or "", stamp)
        return _get_link_by_id(project, link_id)
    return update_link(project, existing.id, outcome=outcome, meta_inference=text)


def _get_link_by_id(project: Project | Database, link_id: str) -> Link:
    r = store.survey.link_by_id(as_db(project), link_id)
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
        store.survey.update_link(conn, link.id, changes, now())
    return _get_link_by_id(project, link.id)


def unlink_theme(project: Project, theme_ref: str, finding_ref: str) -> bool:
    """Remove the link between a theme and a finding (one action). False: there was none."""
    theme = resolve.theme(project, theme_ref)
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
        store.survey.delete_link(conn, link.id)
