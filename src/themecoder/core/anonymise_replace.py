"""Replacing an identifier with a pseudonym or a [category], everywhere or at chosen places,
as one undoable action (the text edit itself: core.reanchor)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from themecoder import store
from themecoder.core.anonymise_base import (
    ReplaceResult,
    category_for,
    doc_ids,
    fold,
    kind_name,
    known_names,
    replacement_spans,
    strip_genitive,
)
from themecoder.core.anonymise_check import check, find_finding
from themecoder.core.anonymise_guard import link_key
from themecoder.core.project import Project
from themecoder.core.pseudonyms import check_pseudonym, gender_of, normalise_category, suggest_pseudonym
from themecoder.core.reanchor import Edit, replace_spans, speaker_labels
from themecoder.core.text import Regions
from themecoder.errors import NotFound, UserError

if TYPE_CHECKING:
    from themecoder.core.key_file import KeyEntry, KeyFile
    from themecoder.nlp import Pipeline


def occurrences(text: str, original: str) -> list[tuple[int, int]]:
    """Whole-word, case-sensitive places of `original` (any whitespace between its words).
    A Norwegian genitive s after a name is kept outside the match: «Karis» -> «Evas». Part of
    a hyphenated name is not a match («Kari» is not replaced inside «Anne-Kari»)."""
    words = original.split()
    if not words:
        return []
    body = r"\s+".join(re.escape(w) for w in words)
    lead = r"(?<!\w)(?<!\w-)" if re.match(r"\w", words[0]) else ""
    last = words[-1][-1]
    if last.isalpha():
        trail = r"(?=(?:['’]?s)?(?!\w|-\w))"
    elif re.match(r"\w", last):
        trail = r"(?!\w|-\w)"
    else:
        trail = ""
    return [(m.start(), m.end()) for m in re.finditer(lead + body + trail, text)]


def replace_identifier(
    project: Project,
    original: str,
    replacement: str | None = None,
    *,
    mode: str = "pseudonym",
    kind: str = "person",
    gender: str | None = None,
    key: "KeyFile | None" = None,
    document_ids: Iterable[str] | None = None,
    places: dict[str, list[tuple[int, int]]] | None = None,
    pipeline: "Pipeline | None" = None,
    recheck: bool = True,
) -> ReplaceResult:
    """Replace an identifier with a pseudonym or a [category], as one undoable action.

    Without `places`, every whole-word (case-sensitive) occurrence of `original` in the
    documents (all, or `document_ids`) is replaced, except in speaker labels and inside
    earlier replacements. With `places` ({document id: [(start, end)]}) only those.

    Pseudonyms need `key` (an open `core.key_file.KeyFile`): the same original always gets the
    same pseudonym, written to the key before the project changes. Categories need no key.
    Neither the action log's summary nor the project's tables name the original.
    """
    original = " ".join((original or "").split())
    if not original:
        raise UserError("say what to replace")
    if mode not in ("pseudonym", "category"):
        raise UserError("replace with a pseudonym or a category")
    replacement = _choose_replacement(project, original, replacement, mode=mode, kind=kind, gender=gender,
                                      key=key)
    doc_edits, skipped_labels = _plan_edits(project, original, replacement, document_ids, places)
    n = sum(len(v) for v in doc_edits.values())
    summary = (f"replace a {kind_name(kind)} with «{replacement}» "
               f"({n} place{'s' if n != 1 else ''} in {len(doc_edits)} document{'s' if len(doc_edits) != 1 else ''})")
    key_entry_id = None
    new_entry = None
    if mode == "pseudonym":
        assert key is not None
        key_entry_id, new_entry = _keep_in_key(project, key, original, replacement, kind, gender)
    try:
        moved = replace_spans(project, doc_edits, kind=kind, mode=mode, key_entry=key_entry_id,
                              summary=summary, pipeline=pipeline)
    except BaseException:
        if new_entry is not None and key is not None:
            key.entries.remove(new_entry)
            key.save()
        raise
    titles = {d.id: d.title for d in store.documents.documents(project.db)}
    result = ReplaceResult(replacement, mode, kind, n,
                           {titles[d]: len(v) for d, v in doc_edits.items()}, skipped_labels,
                           key_entry_id, moved, [])
    if skipped_labels:
        result.warnings.append(f"{skipped_labels} occurrence(s) in speaker labels were not replaced")
    if recheck:
        check(project, list(doc_edits), pipeline=pipeline)
    return result


def _choose_replacement(project: Project, original: str, replacement: str | None, *, mode: str, kind: str,
                        gender: str | None, key: "KeyFile | None") -> str:
    """The checked pseudonym (the key's, the given one, or a suggestion) or [category]."""
    if mode != "pseudonym":
        return normalise_category(replacement, kind)
    if key is None:
        raise UserError("a pseudonym needs a key file (--key FILE) that links it to the real name; "
                        "a [category] needs none")
    if replacement is None:
        entry = key.lookup(original)
        if entry is None and kind != "person":
            raise UserError(f"pseudonyms are suggested for names only; give one for this "
                            f"{kind_name(kind)} or replace it with {category_for(kind)}")
        replacement = entry.replacement if entry is not None else \
            suggest_pseudonym(project, original, gender=gender, key=key, kind="person")
    return check_pseudonym(project, replacement, original, key)


def _plan_edits(project: Project, original: str, replacement: str, document_ids: Iterable[str] | None,
                places: dict[str, list[tuple[int, int]]] | None) -> tuple[dict[str, list[Edit]], int]:
    """{document id: edits} and how many places in speaker labels were left alone. Places
    inside earlier replacements are skipped; NotFound when nothing is left to replace."""
    doc_edits: dict[str, list[Edit]] = {}
    skipped_labels = 0
    for doc_id in doc_ids(project, document_ids):
        text = store.documents.document_text(project.db, doc_id)
        labels = Regions(speaker_labels(project, doc_id))
        replaced = Regions(replacement_spans(project.db, doc_id))
        if places is not None:
            spans = places.get(doc_id, [])
        else:
            spans = occurrences(text, original)
        edits = []
        for s, e in spans:
            if labels.starts and labels.overlaps(s, e):
                skipped_labels += 1
                continue
            if replaced.starts and replaced.overlaps(s, e):
                continue
            edits.append((s, e, replacement))
        if edits:
            doc_edits[doc_id] = edits
    if not doc_edits:
        where = "the given places" if places is not None else "the text (whole words, same case)"
        raise NotFound(f"nothing to replace: not found in {where}"
                       + (f"; {skipped_labels} in speaker labels are not replaced" if skipped_labels else ""))
    return doc_edits, skipped_labels


def _keep_in_key(project: Project, key: "KeyFile", original: str, replacement: str, kind: str,
                 gender: str | None) -> tuple[str, "KeyEntry | None"]:
    """Write the link original -> pseudonym to the key (saved before the text changes).
    Returns the entry's id and the entry when it is new (to take back if the replacement fails)."""
    link_key(project, key)
    before = key.lookup(original)
    entry = key.add(original, replacement, kind=kind, gender=gender_of(project, original, gender),
                    coder=project.coder)
    key.save()  # the link is safe before the text changes
    return entry.id, (entry if before is None else None)


def replace_finding(
    project: Project,
    finding_ref: str,
    replacement: str | None = None,
    *,
    mode: str = "pseudonym",
    everywhere: bool = True,
    key: "KeyFile | None" = None,
    gender: str | None = None,
    pipeline: "Pipeline | None" = None,
) -> ReplaceResult:
    """Replace a finding: this place only, or (default) every occurrence of its text in all
    documents, with a pseudonym or a [category] (default: the finding's kind's category)."""
    f = find_finding(project, finding_ref)
    original, start, end = f.text, f.start, f.end
    stem = strip_genitive(original)
    if stem != original and f.kind == "person":
        # «Karis» names Kari: replace the name, keep the genitive
        known = {fold(k["name"]) for k in known_names(project)}
        keyed = key is not None and key.lookup(stem) is not None
        if fold(stem) in known or keyed or f.source == "known_names" or original.endswith(("'s", "’s")):
            original, end = stem, start + len(stem)
    places: dict[str, list[tuple[int, int]]] | None = {f.document_id: [(start, end)]}
    if everywhere:
        places = None
        text = store.documents.document_text(project.db, f.document_id)
        if (start, end) not in occurrences(text, original):
            # a case variant the whole-word search would miss: replace it too
            all_places: dict[str, list[tuple[int, int]]] = {}
            for doc in store.documents.documents(project.db):
                all_places[doc.id] = occurrences(store.documents.document_text(project.db, doc.id), original)
            if (start, end) not in all_places[f.document_id]:
                all_places[f.document_id] = sorted(all_places[f.document_id] + [(start, end)])
            places = all_places
    return replace_identifier(project, original, replacement, mode=mode, kind=f.kind, gender=gender,
                              key=key, places=places, pipeline=pipeline)
