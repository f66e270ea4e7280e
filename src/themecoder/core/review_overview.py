"""The review summary for the supervision meeting: the theme tree with statuses, counts, key
quotes, open threads, orphans and what changed since the last review (written to docx/md by
io.review_summary)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.review import ReviewItem, progress, review_items
from themecoder.core.review_changes import ChangeReport, changes_since
from themecoder.errors import NotFound
from themecoder.model import Code, Coding, Theme
from themecoder.store.db import now


@dataclass(slots=True)
class SummaryCode:
    code: Code
    codings: int
    participants: int
    status: str
    item: ReviewItem | None


@dataclass(slots=True)
class SummaryTheme:
    theme: Theme
    path: str
    depth: int
    status: str
    item: ReviewItem | None
    codes: list[SummaryCode]
    key_quote: Coding | None
    codings: int
    participants: int
    subthemes: int = 0


@dataclass(slots=True)
class ReviewSummary:
    project: str
    generated: str
    reviewers: list[str]
    themes: list[SummaryTheme]
    unthemed: list[Code]
    orphans: list[ReviewItem]
    progress: dict[str, int]
    open_threads: int
    changes: ChangeReport


def summary(project: Project) -> ReviewSummary:
    from themecoder.core.themes import flatten, theme_tree, unthemed_codes

    items = {(i.target_type, i.theme_id, i.code_id): i for i in review_items(project)}
    unit_of_doc = {d.id: d.participant_id or f"doc:{d.id}" for d in store.documents.documents(project.db)}
    per_code: dict[str, list[str]] = defaultdict(list)
    for coding in store.codings.all_codings(project.db):
        per_code[coding.code_id].append(coding.document_id)
    themes = []
    paths: dict[str, str] = {}
    for node in flatten(theme_tree(project)):
        t = node.theme
        path = f"{paths[t.parent_id]} › {t.name}" if t.parent_id in paths else t.name
        paths[t.id] = path
        titem = items.get(("theme", t.id, ""))
        codes = []
        for c in node.codes:
            citem = items.get(("mapping", t.id, c.id))
            docs = per_code.get(c.id, [])
            codes.append(SummaryCode(c, len(docs), len({unit_of_doc[d] for d in docs}),
                                     citem.status if citem else "proposed", citem))
        key = None
        if t.key_coding_id:
            try:
                key = store.codings.coding(project.db, t.key_coding_id)
            except NotFound:
                key = None
        themes.append(SummaryTheme(t, path, node.depth, titem.status if titem else "proposed", titem, codes,
                                   key, node.codings, node.participants, len(node.children)))
    all_items = list(items.values())
    reviewers = sorted({i.status_by for i in all_items if i.status_by} |
                       {t.root.author for i in all_items for t in i.threads})
    return ReviewSummary(
        project.name, now(), reviewers, themes, unthemed_codes(project),
        [i for i in all_items if i.orphaned], progress(project),
        sum(len(i.open_threads) for i in all_items), changes_since(project),
    )
