"""Anonymisation guard: find identifiers, pseudonymise consistently, keep the key apart.

Norwegian research ethics ask that transcripts hold no direct identifiers and no
combination of indirect ones that points to a person. This module checks the project's
transcripts and helps the analyst resolve what it finds; it never changes the text unless
the analyst asks for a replacement, and every replacement is one undoable action.

Detection (`check`, `findings`)
    `core.identifiers.detect_identifiers` (rules, gazetteers, the project's known names and,
    when the full spaCy model is installed, its named entities) runs per document. Speaker
    labels ``[label_start, start)`` are skipped; placeholders such as ``[navn]`` and the
    pseudonyms this module put into the text are never reported. Results are stored in
    ``anon_findings`` with the text hash and rule fingerprint they were computed from
    (``anon_checks``) and recomputed when either changes. Texts marked as not identifying
    are remembered project-wide, case-insensitively.

Resolving
    * `replace_identifier` / `replace_finding`: replace an identifier, everywhere (all
      occurrences in all documents, any case and every inflected form; hits that may be an
      ordinary word are confirmed first, `find_hits` / `AmbiguousHits`; one action) or at chosen places, with a pseudonym (the
      same original always gets the same pseudonym: the link is kept in the key file) or a
      bracketed category (``[navn]``, ``[sted]`` …). Codings, turns and shortened quotes are
      re-anchored (`core.text.shift_offset`); each coding's quote and context are rewritten so
      that ``quote == text[start:end]`` still holds and no coding is lost; the sentence/lemma
      index is rebuilt.
    * `ignore_text`: mark a text as not identifying.
    * `add_known_name`: add a name to the project's list; the next check finds it everywhere.

The key (koblingsnøkkel)
    Pseudonyms need a key file the user chooses (`themecoder.core.key_file`); the project
    stores only the replacements it applied, the key's random id and its last path. While a
    key exists the project is *avidentifisert* (pseudonymised), not anonymous:
    `anonymisation_label`. `forget_key` deletes the key at the end of the project.

What "unresolved" means (the export guard)
    A stored finding that is not marked as not identifying and is not inside a replacement
    is *open*. An open finding *blocks* exports (`export_guard`) when

    * it is a direct identifier (identity number, phone, e-mail, address, postcode, URL,
      vehicle, date of birth) or a name from the project's known-names list: always; else
    * it is a person (names, nicknames, initials), a place (below municipality level too) or
      a workplace with confidence at least `NAME_BLOCKING_CONFIDENCE` (0.4), or any other kind
      with confidence at least `BLOCKING_CONFIDENCE` (0.5); unless the text is a participant's
      pseudonym (the name in the `participants` table and the speaker labels, which the
      project declares to be pseudonyms and which the exports print anyway). Regions,
      counties and national organisations and programmes are not reported at all (issue 16).

    The guard reads the transcripts and the texts exports print beside them: document titles,
    participant labels, code labels and descriptions, theme texts, memos (qdpx) and review
    comments (review exports); `themecoder check` lists the same, so check and export agree.

    Weaker hints (a capitalised word in no list, a rare job title, an exact date or age) are
    listed for review but do not block. The demo project, whose transcripts are already
    anonymised, therefore exports by default without any marking: what the rules find there
    is a participant's pseudonym in running text («Britt») and weak hints below 0.5
    (tests/test_anonymisation.py pins this; with the full spaCy model, entities count 0.55
    and may block until reviewed).

Where the code lives
    This module gathers the guard's API; the code is in core.anonymise_base (vocabulary,
    records, shared rules), core.anonymise_check (check, findings, decisions),
    core.reanchor (text replacement and re-anchoring), core.pseudonyms (suggestions),
    core.anonymise_replace (replacing identifiers) and core.anonymise_guard (key, label,
    export guard). SQL: store.identifiers. The detector itself: core.identifiers.
"""
from __future__ import annotations

from themecoder.core.anonymise_base import (
    BLOCKING_CONFIDENCE,
    CATEGORY_PLACEHOLDERS,
    DIRECT_KINDS,
    KIND_LABELS,
    KIND_NAMES,
    LABEL_ANONYMISED,
    LABEL_PSEUDONYMISED,
    LABEL_UNCHECKED,
    LABEL_UNRESOLVED,
    NAME_BLOCKING_CONFIDENCE,
    CheckSummary,
    IdentifierFinding,
    ReplaceResult,
    category_for,
    finding_id,
    fold,
    ignored_texts,
    inside_placeholder,
    is_blocking,
    kind_label,
    kind_name,
    known_names,
    replacements_applied,
    strip_genitive,
    suggestion_source,
)
from themecoder.core.anonymise_check import (
    add_known_name,
    check,
    detector_fingerprint,
    find_finding,
    findings,
    ignore_text,
    known_name_hits,
    remove_known_name,
    stale_documents,
    text_findings,
    unignore_text,
)
from themecoder.core.anonymise_guard import (
    analyst_texts,
    anonymisation_label,
    anonymisation_status,
    coding_spans,
    describe_label,
    export_guard,
    forget_key,
    key_path,
    link_key,
    metadata_line,
)
from themecoder.core.anonymise_replace import (
    AmbiguousHits,
    Hit,
    find_hits,
    occurrences,
    replace_finding,
    replace_identifier,
)
from themecoder.core.pseudonyms import FEMALE_NAMES, MALE_NAMES, SURNAMES, suggest_pseudonym
from themecoder.core.reanchor import Edit, check_edits, edited_text, map_offset, replace_spans

__all__ = [
    "BLOCKING_CONFIDENCE", "NAME_BLOCKING_CONFIDENCE", "CATEGORY_PLACEHOLDERS", "DIRECT_KINDS", "FEMALE_NAMES", "KIND_LABELS",
    "KIND_NAMES", "LABEL_ANONYMISED", "LABEL_PSEUDONYMISED", "LABEL_UNCHECKED", "LABEL_UNRESOLVED",
    "MALE_NAMES", "SURNAMES", "CheckSummary", "Edit", "IdentifierFinding", "ReplaceResult",
    "inside_placeholder", "strip_genitive", "add_known_name", "analyst_texts", "anonymisation_label",
    "anonymisation_status", "category_for", "check", "check_edits", "coding_spans", "describe_label",
    "detector_fingerprint", "edited_text", "export_guard", "find_finding", "finding_id", "findings",
    "fold", "forget_key", "ignore_text", "ignored_texts", "is_blocking", "key_path", "kind_label",
    "kind_name", "known_names", "link_key", "map_offset", "metadata_line", "occurrences",
    "remove_known_name", "replace_finding", "replace_identifier", "replace_spans", "stale_documents",
    "suggest_pseudonym", "text_findings", "unignore_text", "known_name_hits", "replacements_applied",
    "suggestion_source", "AmbiguousHits", "Hit", "find_hits",
]
