"""Codebook maintenance: rename, describe, recolour, merge, split, delete, near-duplicates.

Every operation is one action (one transaction, one undo). Merging never loses anything:
codings move to the surviving code, a coding that would duplicate one the survivor already has
at the same span collapses into it (its memos and key-quote use follow), theme mappings and
memos are carried over, and the merged code's id is remembered as an alias so that a review
made on a copy of the project can follow it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from themecoder import store
from themecoder.core import resolve, review
from themecoder.core.coding import check_colour, check_label, check_label_free, new_code
from themecoder.core.project import Project, new_id
from themecoder.core.resolve import MIN_ID_PREFIX
from themecoder.core.text import clean_text
from themecoder.errors import NotFound, UserError
from themecoder.model import Code
from themecoder.store.db import now


def _code(project: Project, code_id: str) -> Code:
    return store.codes.code(project.db, code_id)


# -- rename, describe, recolour -------------------------------------------------------------
def rename_code(project: Project, code_id: str, label: str) -> Code:
    code = _code(project, code_id)
    label = check_label(label)
    if label == code.label:
        return code
    with project.action("rename-code", f"rename code «{code.label}» → «{label}»",
                        {"code_id": code.id, "from": code.label, "to": label}) as conn:
        check_label_free(conn, label, except_id=code.id, ignore_case=True,
                         hint="; merge the two codes instead")
        store.codes.update(conn, code.id, label=label)
    return _code(project, code_id)


def describe_code(project: Project, code_id: str, description: str) -> Code:
    code = _code(project, code_id)
    description = clean_text(description or "").strip()
    if description == code.description:
        return code
    with project.action("describe-code", f"describe code «{code.label}»",
                        {"code_id": code.id, "code": code.label}) as conn:
        store.codes.update(conn, code.id, description=description)
    return _code(project, code_id)


def recolour_code(project: Project, code_id: str, colour: str) -> Code:
    code = _code(project, code_id)
    colour = check_colour(colour)
    if colour == code.colour.upper():
        return code
    with project.action("recolour-code", f"recolour code «{code.label}» {colour}",
                        {"code_id": code.id, "code": code.label, "from": code.colour, "to": colour}) as conn:
        store.codes.update(conn, code.id, colour=colour)
    return _code(project, code_id)


# -- merge ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MergeResult:
    code: Code                # the surviving code
    merged: tuple[str, ...]   # labels of the codes merged into it (now gone)
    moved: int                # codings moved over
    collapsed: int            # codings that duplicated the survivor's at the same span
    mappings: int             # theme mappings carried over
    memos: int                # memos carried over


def merge_codes(project: Project, source_ids: str | Sequence[str], target_id: str) -> MergeResult:
    """Merge one or more codes into `target_id`: one action, one undo restores every code."""
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    target = _code(project, target_id)
    sources: list[Code] = []
    for sid in dict.fromkeys(source_ids):
        if sid == target.id:
            continue
        sources.append(_code(project, sid))
    if not sources:
        raise UserError("choose at least one other code to merge into the surviving code")
    labels = ", ".join(f"«{s.label}»" for s in sources)
    moved = collapsed = mappings = memos = 0
    with project.action("merge-codes", f"merge {labels} into «{target.label}»",
                        {"into_id": target.id, "into": target.label,
                         "merged": [{"id": s.id, "label": s.label} for s in sources]}) as conn:
        descriptions = [target.description] if target.description else []
        for src in sources:
            # Codings: move, or collapse into the survivor's coding at the same span.
            for cid, doc_id, start, end, coder in store.codings.spans_of_code(conn, src.id):
                twin = store.codings.at_span(conn, doc_id, target.id, start, end, coder)
                if twin is None:
                    store.codings.set_code(conn, cid, target.id)
                    moved += 1
                else:
                    _collapse_coding(conn, cid, twin)
                    collapsed += 1
            # Theme mappings: carried over, keeping the merged code's place in the theme.
            for theme_id, position, created in store.themes.mappings_of_code(conn, src.id):
                mappings += store.themes.map_code(conn, target.id, theme_id, position=position, created=created)
            store.themes.unmap(conn, code_id=src.id)
            # Memos on the code follow it.
            memos += store.memos.retarget(conn, "code", src.id, target.id)
            if src.description and src.description not in descriptions:
                descriptions.append(f"[{src.label}] {src.description}")
            # Review items of its mappings follow it, unless the survivor has one (core.review).
            review.retarget_in(conn, src.id, target.id)
            store.codes.add_alias(conn, src.id, target.id, src.label, now())
            store.codes.delete(conn, src.id)
        description = "\n\n".join(descriptions)
        if description != target.description:
            store.codes.update(conn, target.id, description=description)
        project.db.update_action_summary(
            conn, f"merge {labels} into «{target.label}» ({moved + collapsed} codings)",
            {"into_id": target.id, "into": target.label,
             "merged": [{"id": s.id, "label": s.label} for s in sources],
             "moved": moved, "collapsed": collapsed, "mappings": mappings, "memos": memos},
        )
    return MergeResult(_code(project, target.id), tuple(s.label for s in sources),
                       moved, collapsed, mappings, memos)


def _collapse_coding(conn, dup_id: str, keep_id: str) -> None:
    """`dup_id` duplicates `keep_id` (same document, span, code after a merge): fold it in."""
    store.memos.retarget(conn, "coding", dup_id, keep_id)
    store.themes.replace_key_coding(conn, dup_id, keep_id)
    store.codings.delete(conn, dup_id)


def resolve_alias(project: Project, code_id: str) -> str | None:
    """The code that `code_id` now lives on (itself, or what it was merged into), if any."""
    seen = set()
    while code_id not in seen:
        seen.add(code_id)
        if store.codes.code_exists(project.db, code_id):
            return code_id
        nxt = store.codes.alias_target(project.db, code_id)
        if nxt is None:
            return None
        code_id = nxt
    return None


# -- split ----------------------------------------------------------------------------------
def split_code(
    project: Project, code_id: str, coding_ids: Iterable[str], new_label: str, *,
    description: str = "", colour: str | None = None, keep_themes: bool = True,
) -> Code:
    """Move the chosen codings of a code to a new code (which joins the same themes)."""
    code = _code(project, code_id)
    new_label = check_label(new_label)
    coding_ids = list(dict.fromkeys(coding_ids))
    if not coding_ids:
        raise UserError("choose the codings that go to the new code")
    for cid in coding_ids:
        c = store.codings.coding(project.db, cid)
        if c.code_id != code.id:
            raise UserError(f"coding {cid[:8]} is not coded with «{code.label}»")
    colour = check_colour(colour) if colour else None
    new_code_id = new_id()
    with project.action("split-code", f"split {len(coding_ids)} codings of «{code.label}» into «{new_label}»",
                        {"code_id": code.id, "code": code.label, "new_code_id": new_code_id,
                         "new": new_label, "codings": len(coding_ids)}) as conn:
        check_label_free(conn, new_label, ignore_case=True, hint="; use recode or merge instead")
        new_code(conn, project, new_label, description=description, colour=colour, code_id=new_code_id)
        store.codings.set_code(conn, coding_ids, new_code_id)
        if keep_themes:
            for theme_id, position, _created in store.themes.mappings_of_code(conn, code.id):
                store.themes.map_code(conn, new_code_id, theme_id, position=position, created=now())
    return _code(project, new_code_id)


def codings_to_split(project: Project, code: Code, coding_refs: Sequence[str] = (), doc_ref: str | None = None,
                     containing: str | None = None) -> list[str]:
    """Ids of `code`'s codings chosen by id or id prefix (6+ characters), all of one document,
    and all whose quote contains a text (ignoring case), in document order."""
    codings = store.codings.codings_for_code(project.db, code.id)
    chosen = set()
    for ref in coding_refs:
        hits = [c.id for c in codings if c.id == ref or (len(ref) >= MIN_ID_PREFIX and c.id.startswith(ref))]
        if len(hits) != 1:
            raise NotFound(f"«{code.label}» has no coding {ref!r}")
        chosen.add(hits[0])
    if doc_ref:
        doc = resolve.document(project, doc_ref)
        chosen.update(c.id for c in codings if c.document_id == doc.id)
    if containing:
        needle = containing.casefold()
        chosen.update(c.id for c in codings if needle in c.quote.casefold())
    return [c.id for c in codings if c.id in chosen]


# -- delete ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DeleteImpact:
    code: Code
    codings: int
    themes: int
    memos: int


def delete_impact(project: Project, code_id: str) -> DeleteImpact:
    """What deleting a code takes with it (for the confirmation question)."""
    code = _code(project, code_id)
    db = project.db
    return DeleteImpact(code, store.codings.count_for_code(db, code.id), store.themes.count_for_code(db, code.id),
                        store.memos.count_for_code(db, code.id))


def delete_code(project: Project, code_id: str) -> DeleteImpact:
    """Delete a code with its codings, theme mappings and memos. Undoable."""
    impact = delete_impact(project, code_id)
    code = impact.code
    with project.action("delete-code", f"delete code «{code.label}» ({impact.codings} codings)",
                        {"code_id": code.id, "code": code.label, "codings": impact.codings}) as conn:
        store.memos.delete_for_codings_of(conn, code_id=code.id)
        store.memos.delete_for(conn, "code", code.id)
        # Explicit deletes rather than relying on cascades: every row lands in the action log.
        store.themes.replace_key_coding(conn, [c[0] for c in store.codings.spans_of_code(conn, code.id)], None)
        store.themes.unmap(conn, code_id=code.id)
        store.codings.delete_for_code(conn, code.id)
        store.codes.delete(conn, code.id)
    return impact


# -- near-duplicates ------------------------------------------------------------------------
_PUNCT = re.compile(r"[^\w]+", re.UNICODE)
# Function words that make two labels look different without changing what they code.
STOPWORDS = frozenset(
    ["og", "i", "på", "å", "til", "av", "for", "med", "som", "er", "en", "et", "ei", "det", "den", "de", "om", "at", "har", "ikke", "seg", "sin", "sitt", "sine"]
)


def norwegian_processor(label: str) -> str:
    """Case-folded, accents off (é → e) but æ ø å kept, old «aa» spelling as «å», punctuation
    and a few function words dropped, whitespace folded."""
    s = unicodedata.normalize("NFC", label).casefold()
    s = s.replace("aa", "å")
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch):
            # Keep the ring of å (a + U+030A); drop other accents.
            if ch == "\u030a" and out and out[-1] == "a":
                out[-1] = "å"
            continue
        out.append(ch)
    s = unicodedata.normalize("NFC", "".join(out))
    s = s.replace("_", " ")
    words = [w for w in _PUNCT.sub(" ", s).split() if w]
    kept = [w for w in words if w not in STOPWORDS]
    return " ".join(kept or words)


@dataclass(frozen=True, slots=True)
class DuplicateCluster:
    codes: tuple[Code, ...]                     # most used first: the suggested survivor
    pairs: tuple[tuple[int, int, float], ...]   # (i, j, score) into `codes`, score ≥ threshold
    score: float                                # the best pair score in the cluster
    codings: tuple[int, ...] = field(default=())  # coding counts, parallel to `codes`

    @property
    def survivor(self) -> Code:
        return self.codes[0]


def near_duplicates(
    project: Project, *, threshold: float = 85.0, codes: Sequence[Code] | None = None,
    coder: str | None = None,
) -> list[DuplicateCluster]:
    """Clusters of codes whose labels are at least `threshold` similar (0-100).

    All labels are compared at once (rapidfuzz `process.cdist`, all cores); clusters are the
    connected components of the pairs at or above the threshold (single link).
    """
    codes = list(codes if codes is not None else store.codes.codes(project.db))
    counts = store.codings.counts_by_code(project.db, coder=coder)  # `coder`: blind coding
    return cluster_labels(codes, threshold=threshold, counts=counts)


def similarity_pairs(labels: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Every pair (i < j) of labels with similarity ≥ threshold."""
    if len(labels) < 2:
        return []
    import numpy as np
    from rapidfuzz import fuzz, process

    # token_sort_ratio, computed as plain ratio over labels whose words are sorted once up
    # front: the same scores, and cdist's fast path for ratio (about 8x faster).
    processed = [" ".join(sorted(norwegian_processor(lb).split())) for lb in labels]
    cutoff = max(0, min(100, int(threshold)))
    matrix = process.cdist(processed, processed, scorer=fuzz.ratio,
                           score_cutoff=cutoff, dtype=np.uint8, workers=-1)
    ii, jj = np.nonzero(np.triu(matrix, k=1))
    pairs = []
    for i, j in zip(ii.tolist(), jj.tolist()):
        score = float(matrix[i, j])
        if score >= threshold:
            pairs.append((i, j, score))
    return pairs


def cluster_labels(
    codes: Sequence[Code], *, threshold: float = 85.0, counts: dict[str, int] | None = None,
) -> list[DuplicateCluster]:
    counts = counts or {}
    pairs = similarity_pairs([c.label for c in codes], threshold)
    parent = list(range(len(codes)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for i, _, _ in pairs:
        groups.setdefault(find(i), [])
    for idx in range(len(codes)):
        root = find(idx)
        if root in groups:
            groups[root].append(idx)
    clusters = []
    for members in groups.values():
        members.sort(key=lambda k: (-counts.get(codes[k].id, 0), codes[k].label.casefold()))
        where = {k: n for n, k in enumerate(members)}
        cpairs = tuple(sorted(
            ((min(where[i], where[j]), max(where[i], where[j]), s) for i, j, s in pairs if i in where),
            key=lambda p: -p[2]))
        clusters.append(DuplicateCluster(
            tuple(codes[k] for k in members), cpairs, max(p[2] for p in cpairs),
            tuple(counts.get(codes[k].id, 0) for k in members)))
    clusters.sort(key=lambda c: (-c.score, c.codes[0].label.casefold()))
    return clusters


def merge_cluster(project: Project, cluster: DuplicateCluster, survivor_id: str | None = None) -> MergeResult:
    """The one-key merge of a near-duplicate cluster: everything into the survivor."""
    survivor = survivor_id or cluster.survivor.id
    if survivor not in {c.id for c in cluster.codes}:
        raise NotFound("the surviving code is not in the cluster")
    return merge_codes(project, [c.id for c in cluster.codes if c.id != survivor], survivor)
