"""Replacing an identifier with a pseudonym or a [category], everywhere or at chosen places,
as ONE undoable action (the text edit itself: core.reanchor).

Replacement understands words (issue 16): it matches case-insensitively and in every
inflected form (a name's genitive «Karis», «Anne-Karis», «O'Brien's» keeps its ending outside
the replacement; a title's or a place's inflected form is replaced whole), never inside a
hyphenated word. When the original is also an ordinary word (Per/per, Liv/liv), the hits that
may be the word (lower case, or at a sentence start) are *ambiguous*: they are listed for the
analyst to confirm (`AmbiguousHits`), and only the confirmed ones are replaced.

The key and the text never get out of step (issue 18): a new link original -> pseudonym is
written to the key file first, marked pending; the replacement (and the project's link to the
key) is then one action; the pending mark is cleared after it commits. After a crash between
the steps, `core.key_file.open_key` drops a pending entry whose replacement never reached the
project and confirms one that did. (Deriving the key from the project was not possible: the
project never holds the originals.)
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
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
from themecoder.core.anonymise_guard import key_settings
from themecoder.core.anonymise_texts import (
    FieldEdit,
    ParticipantEdit,
    apply_field_edits,
    apply_participant_edits,
    field_edits,
    participant_edits,
    participant_values,
)
from themecoder.core.project import Project
from themecoder.core.pseudonyms import check_pseudonym, gender_of, normalise_category, suggest_pseudonym
from themecoder.core.reanchor import Edit, replace_spans, speaker_labels
from themecoder.core.text import Regions
from themecoder.errors import NotFound, UserError

if TYPE_CHECKING:
    from themecoder.core.key_file import KeyFile
    from themecoder.nlp import Pipeline

# Endings kept outside a name's replacement (genitive) and endings of inflected nouns (titles,
# places, workplaces: «ruskoordinatoren», «Lillevik sykehjems»), longest first.
_GENITIVE = r"(?:['’]s|['’]|s)"
_NOUN_ENDINGS = r"(?:ene|ane|ens|ets|en|et|er|ar|a|e|s)"
_SENT_START = re.compile(r"(?:^|[.!?:;…]\s+|\n\s*|[«\"“]\s*)$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One place where the original occurs. `ambiguous`: it may be the ordinary word."""

    document_id: str
    document: str
    start: int
    end: int
    text: str
    ambiguous: bool
    before: str = ""
    after: str = ""

    def place(self) -> tuple[str, int]:
        return (self.document_id, self.start)

    def snippet(self, width: int = 30) -> str:
        before = re.sub(r"\s+", " ", self.before)[-width:]
        after = re.sub(r"\s+", " ", self.after)[:width]
        return f"…{before}⟦{self.text}⟧{after}…"


class AmbiguousHits(UserError):
    """Some hits may be the ordinary word, not the name: the analyst confirms them first
    (`confirm=` with the places to include, "all" or "none")."""

    def __init__(self, original: str, hits: list[Hit]):
        self.original = original
        self.hits = hits
        shown = "; ".join(f"{i}. {h.document}: {h.snippet(20)}" for i, h in enumerate(hits[:5], 1))
        more = f"; and {len(hits) - 5} more" if len(hits) > 5 else ""
        super().__init__(
            f"«{original}» is also an ordinary word: {len(hits)} place{'s' if len(hits) != 1 else ''} "
            f"may be the word, not the name ({shown}{more}); confirm which to replace "
            f"(--confirm 1,3 or --confirm all or --confirm none)")


def occurrences(text: str, original: str, kind: str = "person") -> list[tuple[int, int]]:
    """Whole-word places of `original` in `text`, any case, any inflection (any whitespace
    between its words). A name's genitive stays outside the match («Karis» -> «Evas»); an
    inflected noun (title, place, workplace) is matched whole. Part of a hyphenated word is not
    a match («Kari» is not replaced inside «Anne-Kari»)."""
    return [(s, e) for s, e in _matches(text, original, kind)]


def _matches(text: str, original: str, kind: str) -> list[tuple[int, int]]:
    words = original.split()
    if not words:
        return []
    body = r"\s+".join(re.escape(w) for w in words)
    lead = r"(?<!\w)(?<!\w-)" if re.match(r"\w", words[0]) else ""
    last = words[-1][-1]
    if not re.match(r"\w", last):
        rx = re.compile(lead + body, re.IGNORECASE)
        return [(m.start(), m.end()) for m in rx.finditer(text)]
    if kind == "person" or not last.isalpha():
        tail = rf"(?={_GENITIVE}?(?!\w|-\w))" if last.isalpha() else r"(?!\w|-\w)"
        rx = re.compile(lead + body + tail, re.IGNORECASE)
        return [(m.start(), m.end()) for m in rx.finditer(text)]
    rx = re.compile(lead + body + rf"{_NOUN_ENDINGS}?(?!\w|-\w)", re.IGNORECASE)
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def _is_ambiguous_word(original: str) -> bool:
    words = original.split()
    if len(words) != 1:
        return False
    from themecoder.core.identifier_lexicon import _lexicon

    return _lexicon().ambiguous(fold(words[0]))


def find_hits(project: Project, original: str, kind: str = "person",
              document_ids: Iterable[str] | None = None, *, participants: bool | None = None,
              speakers: bool | None = None) -> list[Hit]:
    """Every place the original occurs (as `occurrences`), outside earlier replacements, each
    marked ambiguous or not. For the confirmation list. Both default to searching all
    documents: with `speakers` the turns' speaker labels are searched too (otherwise left
    alone); with `participants` the participant labels and text attribute values that hold it
    follow the documents' hits (their `document_id` is a `core.anonymise_texts.PARTICIPANT_PLACE`
    or `ATTRIBUTE_PLACE`)."""
    from themecoder.core.text import context

    original = " ".join((original or "").split())
    ambiguous_word = _is_ambiguous_word(original)
    titles = {d.id: d.title for d in store.documents.documents(project.db)}
    everywhere = document_ids is None
    in_labels = speakers if speakers is not None else everywhere
    out: list[Hit] = []
    for doc_id in doc_ids(project, document_ids):
        text = store.documents.document_text(project.db, doc_id)
        labels = Regions(speaker_labels(project, doc_id))
        replaced = Regions(replacement_spans(project.db, doc_id))
        for s, e in _matches(text, original, kind):
            if (labels and not in_labels and labels.overlaps(s, e)) or (replaced and replaced.overlaps(s, e)):
                continue
            frag = text[s:e]
            amb = ambiguous_word and (not frag[:1].isupper() or bool(_SENT_START.search(text[max(0, s - 4):s]))
                                      or _after_label(labels, s))
            before, after = context(text, s, e, 40)
            out.append(Hit(doc_id, titles.get(doc_id, doc_id), s, e, frag, amb, before, after))
    if participants if participants is not None else everywhere:
        out += participant_hits(project, original, kind)
    return out


def participant_hits(project: Project, original: str, kind: str = "person") -> list[Hit]:
    """The places in participant labels and text attribute values, ambiguous by the same rule
    as in the text (a label starts like a sentence)."""
    original = " ".join((original or "").split())
    ambiguous_word = _is_ambiguous_word(original)
    out: list[Hit] = []
    for pv in participant_values(project):
        for s, e in _matches(pv.value, original, kind):
            frag = pv.value[s:e]
            amb = ambiguous_word and (not frag[:1].isupper() or bool(_SENT_START.search(pv.value[max(0, s - 4):s])))
            out.append(Hit(pv.place, pv.title, s, e, frag, amb, pv.value[:s], pv.value[e:]))
    return out


def _after_label(labels: Regions, s: int) -> bool:
    # a turn's first word follows its label: a sentence start
    import bisect

    i = bisect.bisect_right(labels.ends, s) - 1
    return i >= 0 and 0 <= s - labels.ends[i] <= 3


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
    confirm: str | Collection[tuple[str, int]] | None = None,
    cover_texts: bool | None = None,
) -> ReplaceResult:
    """Replace an identifier with a pseudonym or a [category], as ONE undoable action.

    `cover_texts` (default: when replacing everywhere) also replaces it in document titles,
    memos, code labels and descriptions, theme texts and review comments (issue 18), and in
    participant labels, text attribute values and the turns' speaker labels (their
    ambiguous hits confirmed like the text's; a participant label that would collide with
    another participant's is refused: Conflict, nothing changes).

    Without `places`, every occurrence of `original` (any case, every inflected form, see
    `occurrences`) in the documents (all, or `document_ids`) is replaced, except inside
    earlier replacements and (unless the texts are covered) in speaker labels. When the
    original is also an ordinary word, the ambiguous hits need `confirm`: "all", "none", or
    the (document id, start) places to include; without it, `AmbiguousHits` lists them and
    nothing changes. With `places`
    ({document id: [(start, end)]}) exactly those are replaced.

    Pseudonyms need `key` (an open `core.key_file.KeyFile`): the same original always gets the
    same pseudonym. The key's new entry is written first, marked pending, and confirmed after
    the action commits (see the module docstring). Categories need no key. Neither the action
    log's summary nor the project's tables name the original.
    """
    original = " ".join((original or "").split())
    if not original:
        raise UserError("say what to replace")
    if mode not in ("pseudonym", "category"):
        raise UserError("replace with a pseudonym or a category")
    replacement = _choose_replacement(project, original, replacement, mode=mode, kind=kind, gender=gender,
                                      key=key)
    texts: list[FieldEdit] = []
    people: list[ParticipantEdit] = []
    cover = cover_texts if cover_texts is not None else (places is None and document_ids is None)
    if cover:
        # the titles, memos, code labels, theme texts and review comments that name it (issue 18)
        texts = field_edits(project, original, replacement, kind, include_ambiguous=confirm == "all")
        # the participant labels and attribute values (issue 16 follow-up)
        people = _plan_participants(project, original, replacement, kind, document_ids, places, confirm)
    try:
        doc_edits, skipped_labels = _plan_edits(project, original, replacement, kind, document_ids, places,
                                                confirm, speakers=cover)
    except NotFound:
        if not texts and not people:
            raise
        doc_edits, skipped_labels = {}, 0
    n = sum(len(v) for v in doc_edits.values())
    speakers = _speaker_renames(project, original, replacement, kind, doc_edits) if cover else []
    n_labels = sum(1 for p in people if p.attribute is None)
    n_values = len(people) - n_labels
    summary = (f"replace a {kind_name(kind)} with «{replacement}» "
               f"({n} place{'s' if n != 1 else ''} in {len(doc_edits)} document{'s' if len(doc_edits) != 1 else ''}"
               + (f", {n_labels} participant label{'s' if n_labels != 1 else ''}" if n_labels else "")
               + (f", {n_values} attribute value{'s' if n_values != 1 else ''}" if n_values else "") + ")")
    key_entry_id = None
    new_entry = False
    settings: dict[str, str] = {}
    if mode == "pseudonym":
        assert key is not None
        settings = key_settings(project, key)
        entry, new_entry = key.add_pending(original, replacement, kind=kind,
                                           gender=gender_of(project, original, gender), coder=project.coder)
        key_entry_id = entry.id
        if new_entry:
            key.save()  # 1. the link is safe (pending) before the text changes
    try:
        # 2. the text, the codings, the replacement rows and the project's link to the key: one action
        moved = replace_spans(project, doc_edits, kind=kind, mode=mode, key_entry=key_entry_id,
                              summary=summary, pipeline=pipeline, settings=settings,
                              extra=(lambda conn: _apply_texts(project, conn, texts, people, speakers))
                              if texts or people or speakers else None, labels=cover)
    except BaseException:
        if new_entry and key is not None and key_entry_id is not None:
            key.drop(key_entry_id)
            key.save()
        raise
    if new_entry and key is not None and key_entry_id is not None and key.confirm(key_entry_id):
        key.save()  # 3. committed: the entry is no longer pending
    titles = {d.id: d.title for d in store.documents.documents(project.db)}
    result = ReplaceResult(replacement, mode, kind, n,
                           {titles[d]: len(v) for d, v in doc_edits.items()}, skipped_labels,
                           key_entry_id, moved, [], n_labels, n_values, len(speakers))
    if skipped_labels:
        result.warnings.append(f"{skipped_labels} occurrence(s) in speaker labels were not replaced")
    if texts:
        result.warnings.append(f"also replaced in {len(texts)} title(s), label(s), memo(s) or comment(s)")
    if recheck:
        check(project, list(doc_edits), pipeline=pipeline)
    return result


def _apply_texts(project: Project, conn, texts: list[FieldEdit], people: list[ParticipantEdit],
                 speakers: list[tuple[str, str]]) -> None:
    apply_field_edits(project, conn, texts)
    apply_participant_edits(conn, people)
    for turn_id, speaker in speakers:
        store.documents.set_turn_speaker(conn, turn_id, speaker)


def _speaker_renames(project: Project, original: str, replacement: str, kind: str,
                     doc_edits: dict[str, list[Edit]]) -> list[tuple[str, str]]:
    """(turn id, new speaker) for the turns whose speaker label one of the edits falls in: the
    speaker's name changes with its label."""
    out: list[tuple[str, str]] = []
    for doc_id, edits in doc_edits.items():
        for t in store.documents.turns(project.db, doc_id):
            if t.start <= t.label_start or not any(t.label_start <= s < t.start for s, _e, _r in edits):
                continue
            spans = _matches(t.speaker, original, kind)
            if not spans:
                continue
            parts, pos = [], 0
            for s, e in spans:
                parts += [t.speaker[pos:s], replacement]
                pos = e
            out.append((t.id, "".join(parts) + t.speaker[pos:]))
    return out


def _plan_participants(project: Project, original: str, replacement: str, kind: str,
                       document_ids: Iterable[str] | None, places: dict[str, list[tuple[int, int]]] | None,
                       confirm: str | Collection[tuple[str, int]] | None) -> list[ParticipantEdit]:
    """The participant labels and attribute values to change: with `places`, those among
    them; otherwise every hit, the ambiguous ones when confirmed (AmbiguousHits lists them
    after the documents' when `confirm` is None)."""
    hits = participant_hits(project, original, kind)
    if places is not None:
        chosen = {(d, s) for d, spans in places.items() for s, _e in spans}
        hits = [h for h in hits if h.place() in chosen]
    else:
        unsure = [h for h in hits if h.ambiguous]
        if unsure and confirm is None:
            in_docs = [h for h in find_hits(project, original, kind, document_ids, participants=False, speakers=True)
                       if h.ambiguous]
            raise AmbiguousHits(original, in_docs + unsure)
        picked = _confirmed(unsure, confirm)
        hits = [h for h in hits if not h.ambiguous or h.place() in picked]
    spans: dict[str, list[tuple[int, int]]] = {}
    for h in hits:
        spans.setdefault(h.document_id, []).append((h.start, h.end))
    return participant_edits(project, spans, replacement)


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


def _plan_edits(project: Project, original: str, replacement: str, kind: str,
                document_ids: Iterable[str] | None, places: dict[str, list[tuple[int, int]]] | None,
                confirm: str | Collection[tuple[str, int]] | None, *,
                speakers: bool = False) -> tuple[dict[str, list[Edit]], int]:
    """{document id: edits} and how many places in speaker labels were left alone (all are
    replaced with `speakers`). Places inside earlier replacements are skipped; ambiguous hits
    need confirming; NotFound when nothing is left to replace."""
    doc_edits: dict[str, list[Edit]] = {}
    skipped_labels = 0
    if places is None:
        hits = find_hits(project, original, kind, document_ids, participants=False, speakers=speakers)
        unsure = [h for h in hits if h.ambiguous]
        if unsure and confirm is None:
            raise AmbiguousHits(original, unsure)
        chosen = _confirmed(unsure, confirm)
        for h in hits:
            if h.ambiguous and h.place() not in chosen:
                continue
            doc_edits.setdefault(h.document_id, []).append((h.start, h.end, replacement))
        skipped_labels = 0 if speakers else _in_labels(project, original, kind, document_ids)
    else:
        for doc_id in doc_ids(project, document_ids):
            labels = Regions(speaker_labels(project, doc_id))
            replaced = Regions(replacement_spans(project.db, doc_id))
            edits = []
            for s, e in places.get(doc_id, []):
                if labels.starts and not speakers and labels.overlaps(s, e):
                    skipped_labels += 1
                    continue
                if replaced.starts and replaced.overlaps(s, e):
                    continue
                edits.append((s, e, replacement))
            if edits:
                doc_edits[doc_id] = edits
    if not doc_edits:
        where = "the given places" if places is not None else "the text (whole words, any case)"
        raise NotFound(f"nothing to replace: not found in {where}"
                       + (f"; {skipped_labels} in speaker labels are not replaced" if skipped_labels else ""))
    return doc_edits, skipped_labels


def _confirmed(unsure: list[Hit], confirm: str | Collection[tuple[str, int]] | None) -> set[tuple[str, int]]:
    if confirm is None or confirm == "none":
        return set()
    if confirm == "all":
        return {h.place() for h in unsure}
    if isinstance(confirm, str):
        raise UserError("confirm is 'all', 'none' or a list of places")
    return {(str(d), int(s)) for d, s in confirm}


def _in_labels(project: Project, original: str, kind: str, document_ids: Iterable[str] | None) -> int:
    n = 0
    for doc_id in doc_ids(project, document_ids):
        labels = Regions(speaker_labels(project, doc_id))
        if not labels:
            continue
        text = store.documents.document_text(project.db, doc_id)
        n += sum(1 for s, e in _matches(text, original, kind) if labels.overlaps(s, e))
    return n


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
    confirm: str | Collection[tuple[str, int]] | None = None,
) -> ReplaceResult:
    """Replace a finding: this place only, or (default) every occurrence of its text in all
    documents (any case, every form; ambiguous hits as `replace_identifier`), with a pseudonym
    or a [category] (default: the finding's kind's category). The finding's own place is
    always included."""
    f = find_finding(project, finding_ref)
    original, start, end = f.text, f.start, f.end
    stem = strip_genitive(original)
    if stem != original and f.kind == "person":
        # «Karis» names Kari: replace the name, keep the genitive
        known = {fold(k["name"]) for k in known_names(project)}
        keyed = key is not None and key.lookup(stem) is not None
        if fold(stem) in known or keyed or f.source == "known_names" or original.endswith(("'s", "’s")) \
                or _stem_elsewhere(project, stem):
            original, end = stem, start + len(stem)
    if not everywhere:
        return replace_identifier(project, original, replacement, mode=mode, kind=f.kind, gender=gender,
                                  key=key, places={f.document_id: [(start, end)]}, pipeline=pipeline)
    hits = find_hits(project, original, f.kind)
    own = (f.document_id, start)
    unsure = [h for h in hits if h.ambiguous and h.place() != own]
    if unsure and confirm is None:
        raise AmbiguousHits(original, unsure)
    chosen = _confirmed(unsure, confirm) | {own}
    places: dict[str, list[tuple[int, int]]] = {}
    for h in hits:
        if h.ambiguous and h.place() not in chosen:
            continue
        places.setdefault(h.document_id, []).append((h.start, h.end))
    if own not in {(d, s) for d, spans in places.items() for s, _e in spans}:
        places.setdefault(f.document_id, []).append((start, end))  # a form the search misses
    places = {d: sorted(set(v)) for d, v in places.items()}
    return replace_identifier(project, original, replacement, mode=mode, kind=f.kind, gender=gender,
                              key=key, places=places, pipeline=pipeline, cover_texts=True,
                              confirm="all" if confirm == "all" else "none")


def _stem_elsewhere(project: Project, stem: str) -> bool:
    """«Evas» is Eva's: the stem stands on its own somewhere in the project."""
    rx = re.compile(rf"(?<![\w-]){re.escape(stem)}(?![\w-])", re.IGNORECASE)
    return any(rx.search(text) for _d, text in store.identifiers.document_texts(project.db))
