"""Survey findings, their links to themes, review data and shortened quotes in a .qdpx: what the REFI-QDA
standard has no place for, kept in themecoder's own archive part (``RefiExtension``), so a
themecoder -> themecoder round trip through .qdpx loses none of it. Other programs ignore the
part; the export summary says what they will not see.

Export: :func:`gather` fills the records. Import: :func:`apply` writes them inside the import's
action through the core's in-action operations (core.survey_findings.insert_stored,
core.review.ensure_item_in/set_status_in/add_comment_in); what is in the project already (the
same finding, link, review item or comment) is kept, not duplicated.
"""
from __future__ import annotations

import json

from themecoder import store
from themecoder.core import quotes, review
from themecoder.core.project import Project, new_id
from themecoder.core.quant import SurveyFinding
from themecoder.core.survey_findings import insert_stored, json_safe, list_findings, normalise_outcome, validated
from themecoder.errors import UserError
from themecoder.io.refi import RefiExtension
from themecoder.store.db import now


def gather(project: Project, ext: RefiExtension) -> None:
    """The project's findings, links and review items (with comments) as records."""
    db = project.db
    ext.findings = [json_safe(s.finding.to_dict()) for s in list_findings(project)]
    ext.finding_links = [{"theme_id": r["theme_id"], "finding_id": r["finding_id"], "outcome": r["outcome"],
                          "meta_inference": r["meta_inference"], "created": r["created"]}
                         for r in store.survey.links(db)]
    ext.reviews = []
    for item in review.review_items(project):
        if item.orphaned:
            continue   # its theme or mapping is gone: nothing to attach it to on the other side
        ext.reviews.append({
            "target_type": item.target_type, "theme_id": item.theme_id, "code_id": item.code_id,
            "theme_name": item.theme_name, "code_label": item.code_label, "status": item.status,
            "status_by": item.status_by, "status_set": item.status_set, "created": item.created,
            "comments": [{"id": c.id, "parent_id": c.parent_id, "author": c.author, "text": c.text,
                          "created": c.created, "resolved": c.resolved, "resolved_by": c.resolved_by}
                         for t in item.threads for c in t.comments],
        })


def gather_shortenings(project: Project, ext: RefiExtension, coding_guids: set[str]) -> None:
    """Shortened quotes of the exported codings (document offsets: the text goes out as is)."""
    ext.shortenings = [{"coding": cid, "segments": [[s.start, s.end, s.text] for s in segments]}
                       for cid, segments in quotes.shortenings(project.db).items() if cid in coding_guids]


def counts(ext: RefiExtension) -> list[tuple[int, str]]:
    """(number, what) of the records, for the export summary."""
    comments = sum(len(r.get("comments") or []) for r in ext.reviews)
    return [(len(ext.findings), "survey finding(s)"), (len(ext.finding_links), "finding link(s)"),
            (len(ext.reviews), "review item(s)"), (comments, "review comment(s)"),
            (len(ext.shortenings), "shortened quote(s)")]


def apply(conn, project: Project, ext: RefiExtension, theme_of: dict[str, str], code_of: dict[str, str],
          coding_ids: dict[str, list[str]], skipped: list[str]) -> int:
    """Write the records into the project (inside the import's action). `theme_of`, `code_of`
    and `coding_ids` map the file's theme, code and coding ids to this project's. Returns how
    many records were added; what cannot be attached is counted into `skipped`."""
    added = 0
    stamp = now()
    bad = 0
    for record in ext.findings:
        try:
            finding = validated(SurveyFinding.from_dict(record, where="finding in the file"))
        except UserError:
            bad += 1
            continue
        if not store.survey.has_finding(project.db, finding.id):
            insert_stored(conn, finding, stamp)
            added += 1
    lost = 0
    for link in ext.finding_links:
        tid, fid = theme_of.get(str(link.get("theme_id"))), str(link.get("finding_id"))
        if tid is None or not store.survey.has_finding(project.db, fid):
            lost += 1
            continue
        if store.survey.link(project.db, tid, fid) is None:
            try:
                outcome = normalise_outcome(str(link.get("outcome")))
            except UserError:
                bad += 1
                continue
            store.survey.insert_link(conn, new_id(), tid, fid, outcome, str(link.get("meta_inference") or ""),
                                     str(link.get("created") or stamp))
            added += 1
    known_comments = {r["id"] for r in store.reviews.comments(project.db)}
    for item in ext.reviews:
        tid = theme_of.get(str(item.get("theme_id")))
        mapping = item.get("target_type") == "mapping"
        cid = code_of.get(str(item.get("code_id"))) if mapping else ""
        if tid is None or cid is None:
            lost += 1
            continue
        try:
            item_id = review.ensure_item_in(conn, str(item.get("target_type")), tid, cid or "",
                                            str(item.get("theme_name") or ""), str(item.get("code_label") or ""),
                                            created=item.get("created"), follow_labels=False)
            if item.get("status") and item.get("status") != "proposed":
                review.set_status_in(conn, item_id, str(item["status"]), item.get("status_by"), item.get("status_set"))
            ids: dict[str, str] = {}
            for c in item.get("comments") or []:
                old = str(c.get("id"))
                if old in known_comments:
                    ids[old] = old
                    continue
                parent = ids.get(str(c.get("parent_id"))) if c.get("parent_id") else None
                ids[old] = review.add_comment_in(
                    conn, item_id, parent, str(c.get("author") or ""), str(c.get("text") or ""),
                    comment_id=old, created=c.get("created"), resolved=c.get("resolved"),
                    resolved_by=c.get("resolved_by"))
                known_comments.add(old)
                added += 1
            added += 1
        except UserError:
            bad += 1
    for record in ext.shortenings:
        ids = coding_ids.get(str(record.get("coding")), [])
        if not ids:
            lost += 1
            continue
        key = quotes.SETTING_PREFIX + ids[0]
        if store.project.setting(project.db, key) is not None:
            continue
        coding = store.codings.coding(project.db, ids[0])
        text = store.documents.document_text(project.db, coding.document_id)
        try:
            segments = [quotes.Segment(int(s), int(e), str(t)) for s, e, t in record.get("segments") or []]
        except (TypeError, ValueError):
            bad += 1
            continue
        if not segments or quotes.check_segments(text, coding.start, coding.end, segments):
            bad += 1
            continue
        store.project.set_setting(conn, key, json.dumps([[s.start, s.end, s.text] for s in segments],
                                                        ensure_ascii=False))
        added += 1
    if bad:
        skipped.append(f"{bad} finding(s), link(s) or review record(s) of themecoder's part that do not "
                       "pass the project's checks")
    if lost:
        skipped.append(f"{lost} finding link(s), review item(s) or shortened quote(s) whose theme, code, "
                       "coding or finding was not imported")
    return added
