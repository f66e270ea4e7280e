"""Anonymisation guard: the check (detection per document, stored as derived data), the open
findings, and the analyst's decisions (not identifying, known names).

`core.identifiers.detect_identifiers` (rules, gazetteers, the project's known names and,
when the full spaCy model is installed, its named entities) runs per document. Speaker
labels are skipped; placeholders such as ``[navn]`` and the pseudonyms the guard put into
the text are never reported. Results are stored with the text hash and rule fingerprint
they were computed from and recomputed when either changes. SQL: store.identifiers.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from themecoder import store
from themecoder.core.anonymise_base import (
    CheckSummary,
    IdentifierFinding,
    doc_ids,
    finding_id,
    fold,
    ignored_texts,
    inside_placeholder,
    is_blocking,
    kind_name,
    known_names,
    participant_names,
    replacement_spans,
    replacements_applied,
    strip_genitive,
    text_hash,
)
from themecoder.core.project import Project
from themecoder.core.text import Regions, context
from themecoder.errors import NotFound, UserError
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.nlp import Pipeline


# -- detection ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def detector_fingerprint() -> str:
    """Changes when the detector or its gazetteers change, so stored findings are redone."""
    from importlib import resources

    from themecoder.core import (
        identifier_lexicon,
        identifier_names,
        identifier_patterns,
        identifier_propagate,
        identifier_rules,
        identifiers,
    )

    h = hashlib.sha256()
    for module in (identifiers, identifier_rules, identifier_names, identifier_patterns, identifier_lexicon,
                   identifier_propagate):
        try:
            with open(module.__file__ or "", "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(module.__name__.encode())
    try:
        for sub in ("gazetteers", "norway"):
            folder = resources.files("themecoder") / "data" / sub
            for entry in sorted(folder.iterdir(), key=lambda p: p.name):
                if entry.name.endswith((".txt", ".tsv", ".gz")):
                    h.update(entry.name.encode())
                    h.update(entry.read_bytes())
    except (OSError, FileNotFoundError, NotADirectoryError):
        pass
    return h.hexdigest()[:16]


def _ner_name(pipeline: "Pipeline | None" = None) -> str:
    """What supplies named entities: the model's name, or 'rules' (no model installed)."""
    if pipeline is not None:
        return pipeline.name if getattr(pipeline, "has_entities", False) else "rules"
    from themecoder.nlp import pipeline_status

    status = pipeline_status()
    return status.name if status.kind == "model" else "rules"


def _rules_fingerprint(project: Project, ner: str, names: Iterable[str] | None = None) -> str:
    """What a document's findings depend on besides its text: the detector, the analyst's
    lists, the pseudonyms put in, the NER model, and the person names found anywhere in the
    project (a name found once is searched for in every document, issue 16)."""
    data = {
        "detector": detector_fingerprint(),
        "known": sorted((r["name"], r["kind"]) for r in known_names(project)),
        "ignored": sorted(fold(r["text"]) for r in ignored_texts(project)),
        "pseudonyms": sorted(pseudonyms_in_text(project)),
        "names": sorted(project_names(project) if names is None else names),
        "ner": ner,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def pseudonyms_in_text(project: Project) -> set[str]:
    """The pseudonyms this module put into the text: known, never reported again."""
    return {fold(r["replacement"]) for r in replacements_applied(project)
            if r.get("mode") == "pseudonym" and r.get("replacement")}


def project_names(project: Project) -> set[str]:
    """Person names found (with some confidence, written with a capital) in the project's
    stored findings, without genitive: each is searched for in every document."""
    ignored = {fold(r["text"]) for r in ignored_texts(project)}
    ids = [d.id for d in store.documents.documents(project.db)]
    out: dict[str, str] = {}
    for _fid, _doc, _s, _e, ftext, kind, _reason, conf, source in store.identifiers.finding_rows(project.db, ids):
        if kind != "person" or source == "model" or float(conf) < 0.55 or not ftext[:1].isupper():
            continue
        name = " ".join((strip_genitive(ftext) if ftext.endswith(("'s", "’s")) else ftext).split())
        if name and fold(name) not in ignored and fold(ftext) not in ignored:
            out.setdefault(fold(name), name)
    return set(out.values())


def _vocabulary(project: Project) -> set[str]:
    """Lower-case words of the project's documents (not those typed without capitals, where
    names are lower case too)."""
    from themecoder.core.identifier_propagate import mostly_lower_case
    from themecoder.core.identifiers import lower_case_words

    vocab: set[str] = set()
    for _doc_id, text in store.identifiers.document_texts(project.db):
        if not mostly_lower_case(text):
            vocab |= lower_case_words(text)
    return vocab


def stale_documents(project: Project, document_ids: Iterable[str] | None = None, *,
                    pipeline: "Pipeline | None" = None) -> list[str]:
    """Documents never checked, or whose text or rules changed since their check."""
    ids = doc_ids(project, document_ids)
    if not ids:
        return []
    rules = _rules_fingerprint(project, _ner_name(pipeline))
    checks = store.identifiers.checks(project.db)
    stale = []
    for doc_id, text in store.identifiers.document_texts(project.db):
        if doc_id not in ids:
            continue
        if checks.get(doc_id) != (text_hash(text), rules):
            stale.append(doc_id)
    order = {d: i for i, d in enumerate(ids)}
    return sorted(stale, key=lambda d: order[d])


def _with_ids(doc_id: str, found: list) -> list[tuple[str, Any, str]]:
    seen: Counter = Counter()
    out = []
    for s, kind in sorted(found, key=lambda x: (x[0].start, x[0].end)):
        n = seen[(kind, fold(s.text))]
        seen[(kind, fold(s.text))] += 1
        out.append((finding_id(doc_id, kind, s.text, n), s, kind))
    return out


def _entity_pipeline(pipeline: "Pipeline | None") -> "Pipeline | None":
    if pipeline is not None:
        return pipeline if getattr(pipeline, "has_entities", False) else None
    if _ner_name() == "rules":
        return None
    from themecoder.nlp import get_pipeline

    loaded = get_pipeline()
    return loaded if loaded.has_entities else None


def _detect(project: Project, doc_id: str, text: str, known: list[dict], ignored: list[str],
            ner: "Pipeline | None", names: Iterable[str] = (), vocabulary: Iterable[str] = ()) -> list:
    from themecoder.core.identifiers import detect_identifiers
    from themecoder.core.indexing import analysis_spans

    turns = store.documents.turns(project.db, doc_id)
    labels = [(t.label_start, t.start) for t in turns if t.start > t.label_start]
    sentences = store.index.sentences(project.db, doc_id) or None
    entities: list[tuple[int, int, str]] = []
    if ner is not None:
        analysis = ner.analyse(text, analysis_spans(text, [(t.start, t.end) for t in turns]))
        sentences = analysis.sentences or sentences
        entities = [(e.start, e.end, e.label) for e in analysis.entities]
    suspects = detect_identifiers(
        text, sentences=sentences, entities=entities,
        known_names=[k["name"] for k in known], ignored=ignored, skip_spans=labels,
        project_names=names, vocabulary=vocabulary,
    )
    known_kind = {fold(k["name"]): k["kind"] for k in known}
    replaced = Regions(replacement_spans(project.db, doc_id))
    ignored_keys = {fold(t) for t in ignored}
    out = []
    for s in suspects:
        if not (0 <= s.start < s.end <= len(text)) or text[s.start:s.end] != s.text:
            continue
        if replaced.starts and replaced.covers(s.start, s.end):
            continue  # a pseudonym or category this module put there
        if inside_placeholder(text, s.start, s.end):
            continue
        if fold(s.text) in ignored_keys:
            continue
        kind = s.kind
        if s.source == "known_names":
            kind = known_kind.get(fold(strip_genitive(s.text)), known_kind.get(fold(s.text), kind))
        out.append((s, kind))
    return out


def check(
    project: Project,
    document_ids: Iterable[str] | None = None,
    *,
    force: bool = False,
    pipeline: "Pipeline | None" = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckSummary:
    """Detect identifiers in the documents whose findings are stale (or all, with force).

    Findings are derived data: written outside the user's actions (never undone), replaced
    as a whole per document, and tied to the text hash they were computed from.
    """
    started = time.perf_counter()
    ids = doc_ids(project, document_ids)
    ner = _entity_pipeline(pipeline)
    ner_name = ner.name if ner is not None else "rules"
    todo = ids if force else stale_documents(project, ids, pipeline=ner if ner is not None else pipeline)
    known = known_names(project)
    ignored = [r["text"] for r in ignored_texts(project)] + sorted(pseudonyms_in_text(project))
    vocabulary = _vocabulary(project) if todo else set()
    # A name found in one document is searched for in all: check, then (at most twice more)
    # re-check what the names found meanwhile make stale.
    for _round in range(3):
        names = project_names(project)
        rules = _rules_fingerprint(project, ner_name, names)
        for i, doc_id in enumerate(todo, 1):
            text = store.documents.document_text(project.db, doc_id)
            found = _detect(project, doc_id, text, known, ignored, ner, sorted(names), vocabulary)
            with project.db.transaction() as conn:
                if store.identifiers.current_text(conn, doc_id) != text:
                    continue  # changed meanwhile: stays stale, checked next time
                store.identifiers.replace_findings(conn, doc_id, [
                    (fid, doc_id, s.start, s.end, s.text, kind, s.reason, float(s.confidence), s.source)
                    for fid, s, kind in _with_ids(doc_id, found)])
                store.identifiers.record_check(conn, doc_id, text_hash(text), rules, ner_name, now())
            if progress:
                progress(i, len(todo))
        if not todo or project_names(project) == names:
            break
        todo = stale_documents(project, ids, pipeline=ner if ner is not None else pipeline)
    summary = CheckSummary(documents=len(ids), rechecked=len(todo), pipeline=ner_name)
    titles = {d.id: d.title for d in store.documents.documents(project.db)}
    for doc_id in ids:
        summary.by_document[titles.get(doc_id, doc_id)] = Counter()
    for f in findings(project, ids):
        summary.findings += 1
        summary.blocking += f.blocking
        summary.by_document[f.document][f.kind] += 1
    summary.seconds = time.perf_counter() - started
    return summary


def findings(
    project: Project,
    document_ids: Iterable[str] | None = None,
    *,
    kinds: Iterable[str] | None = None,
    blocking_only: bool = False,
    spans: dict[str, list[tuple[int, int]]] | None = None,
) -> list[IdentifierFinding]:
    """Open findings as stored (run `check` first to bring stale documents up to date).

    Texts marked as not identifying are left out at once (also before the next check).
    `spans` limits a document's findings to those overlapping the given regions.
    """
    ids = doc_ids(project, document_ids)
    if not ids:
        return []
    wanted = set(kinds) if kinds else None
    ignored = {fold(r["text"]) for r in ignored_texts(project)}
    docs = {d.id: d for d in store.documents.documents(project.db)}
    participants = participant_names(project)
    order = {d: i for i, d in enumerate(ids)}
    rows = store.identifiers.finding_rows(project.db, ids)
    by_doc: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        by_doc[r[1]].append(r)
    out: list[IdentifierFinding] = []
    for doc_id in sorted(by_doc, key=lambda d: order[d]):
        if doc_id not in docs:
            continue
        text = store.documents.document_text(project.db, doc_id)
        turns = store.documents.turns(project.db, doc_id)
        turn_starts = [t.label_start for t in turns]
        regions = Regions(spans.get(doc_id, [])) if spans is not None else None
        for fid, _, s, e, ftext, kind, reason, conf, source in by_doc[doc_id]:
            if wanted and kind not in wanted:
                continue
            if fold(ftext) in ignored or fold(strip_genitive(ftext)) in ignored:
                continue
            if text[s:e] != ftext:
                continue  # stale row (text changed, not yet re-checked)
            if regions is not None and not regions.overlaps(s, e):
                continue
            participant = fold(strip_genitive(ftext)) in participants or fold(ftext) in participants
            if participant:
                reason = f"{reason}; deltakerens pseudonym (blokkerer ikke)"
            blocking = is_blocking(kind, conf, source, participant=participant)
            if blocking_only and not blocking:
                continue
            i = bisect_right(turn_starts, s) - 1
            turn = speaker = None
            if i >= 0 and turns[i].label_start <= s <= turns[i].end:
                turn, speaker = i + 1, turns[i].speaker
            before, after = context(text, s, e, 60)
            out.append(IdentifierFinding(fid, doc_id, docs[doc_id].title, s, e, ftext, kind, reason,
                                         conf, source, turn, speaker, before, after, blocking))
    return out


def find_finding(project: Project, ref: str) -> IdentifierFinding:
    """A stored open finding by id or unique id prefix (4+ characters)."""
    ref = ref.strip()
    if len(ref) < 4:
        raise UserError("give at least 4 characters of the finding's id")
    rows = store.identifiers.findings_with_prefix(project.db, ref)
    if not rows:
        raise NotFound(f"no finding {ref!r} (run `themecoder check` to list them)")
    if len({r[0] for r in rows}) > 1:
        raise UserError(f"several findings start with {ref!r}; give more of the id")
    for f in findings(project, [rows[0][1]]):
        if f.id == rows[0][0]:
            return f
    raise NotFound(f"finding {ref!r} is resolved already (marked as not identifying or replaced)")


_AUTHOR = r"[A-ZÆØÅ][\w'’\-]+(?:\s+(?:og|&|and)\s+[A-ZÆØÅ][\w'’\-]+)?(?:\s+(?:et\s+al\.?|mfl\.?|m\.fl\.))?"
_YEAR = r"(?:1[89]\d{2}|20\d{2})[a-z]?(?:[,:]\s*(?:s\.\s*)?\d+(?:[-–]\d+)?)?"
_CITATION_RE = re.compile(
    rf"\((?:{_AUTHOR}),?\s+{_YEAR}(?:;\s*{_AUTHOR},?\s+{_YEAR})*\)"   # (Tjora, 2021; Braun og Clarke 2006)
    rf"|{_AUTHOR}\s+\({_YEAR}\)"                                        # Malterud (2017)
    # «analysen følger Braun og Clarke.»: an author after a citing verb, at a clause end
    rf"|\({_AUTHOR}\)(?=\s*[:;,.])"                                   # (Tjora): in an analyst's note
    rf"|\b(?:følger|ifølge|jamfør|jf\.|inspirert av|basert på|beskrevet av|i tråd med)\s"
    rf"(?P<cited>{_AUTHOR})(?=\s*(?:[.,;:]|\(|$))",
    re.MULTILINE)


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Literature references in the analyst's own texts (memos, theme texts): authors, not
    informants, so not identifiers."""
    return [(m.start("cited"), m.end("cited")) if m.group("cited") else (m.start(), m.end())
            for m in _CITATION_RE.finditer(text)]


def text_findings(project: Project, texts: dict[str, str]) -> list[IdentifierFinding]:
    """Findings in texts that are not documents (not stored; same rules and decisions)."""
    from themecoder.core.identifiers import detect_identifiers, lower_case_words

    known = known_names(project)
    ignored_rows = [r["text"] for r in ignored_texts(project)] + sorted(pseudonyms_in_text(project))
    ignored = {fold(t) for t in ignored_rows}
    participants = participant_names(project)
    known_kind = {fold(k["name"]): k["kind"] for k in known}
    names = sorted(project_names(project))
    vocabulary = _vocabulary(project)
    for text in texts.values():
        vocabulary |= lower_case_words(text)
    out: list[IdentifierFinding] = []
    for place, text in texts.items():
        if not text.strip():
            continue
        for sus in detect_identifiers(text, known_names=[k["name"] for k in known], ignored=ignored_rows,
                                      project_names=names, vocabulary=vocabulary,
                                      skip_spans=citation_spans(text)):
            if inside_placeholder(text, sus.start, sus.end) or fold(sus.text) in ignored \
                    or fold(strip_genitive(sus.text)) in ignored:
                continue
            kind = sus.kind
            if sus.source == "known_names":
                kind = known_kind.get(fold(strip_genitive(sus.text)), known_kind.get(fold(sus.text), kind))
            participant = fold(strip_genitive(sus.text)) in participants or fold(sus.text) in participants
            if participant and place.startswith(("participant «", "title of document «")) \
                    and len(sus.text.split()) > 1:
                participant = False  # a full name as a participant's label or a title: not a pseudonym
            before, after = context(text, sus.start, sus.end, 60)
            out.append(IdentifierFinding(
                finding_id("text:" + place, kind, sus.text, sus.start), "", place, sus.start, sus.end,
                sus.text, kind, sus.reason, sus.confidence, sus.source, None, None, before, after,
                is_blocking(kind, sus.confidence, sus.source, participant=participant)))
    return out


# -- decisions --------------------------------------------------------------------------------


def ignore_text(project: Project, text: str, *, kind: str = "") -> int:
    """Mark a text as not identifying (project-wide, case-insensitive). Returns how many open
    findings that resolves."""
    text = " ".join((text or "").split())
    if not text:
        raise UserError("say which text is not identifying")
    key = fold(text)
    if store.identifiers.is_ignored(project.db, key):
        return 0
    n = sum(1 for f in findings(project) if fold(f.text) == key or fold(strip_genitive(f.text)) == key)
    with project.action("anonymise-ignore", f"mark «{text}» as not identifying",
                        {"text": text, "kind": kind}) as conn:
        store.identifiers.insert_ignored(conn, key, text, kind, project.coder, now())
    return n


def unignore_text(project: Project, text: str) -> bool:
    key = fold(text or "")
    if not store.identifiers.is_ignored(project.db, key):
        return False
    with project.action("anonymise-unignore", f"check «{text.strip()}» again", {"text": text}) as conn:
        store.identifiers.delete_ignored(conn, key)
    return True


def add_known_name(project: Project, name: str, *, kind: str = "person", gender: str | None = None) -> bool:
    """Add a name to the project's list; the next check finds it in every document.

    The action's summary does not repeat the name (the action log should not become a list
    of real names); the list itself is in the project file, like the text it protects."""
    from themecoder.core.identifiers import KINDS

    name = " ".join((name or "").split())
    if not name:
        raise UserError("give the name to add")
    if kind not in KINDS:
        raise UserError(f"kind must be one of {', '.join(KINDS)}")
    if gender not in (None, "f", "m"):
        raise UserError("gender is f, m or not given")
    key = fold(name)
    if store.identifiers.is_known_name(project.db, key):
        return False
    with project.action("anonymise-known-name", f"add a {kind_name(kind)} to the known-names list",
                        {"kind": kind}) as conn:
        store.identifiers.insert_known_name(conn, key, name, kind, gender, project.coder, now())
    return True


def remove_known_name(project: Project, name: str) -> bool:
    key = fold(name or "")
    if not store.identifiers.is_known_name(project.db, key):
        return False
    with project.action("anonymise-forget-name", "remove a name from the known-names list") as conn:
        store.identifiers.delete_known_name(conn, key)
    return True


def known_name_hits(project: Project, name: str) -> list[IdentifierFinding]:
    """The findings a name on the known-names list produced (any of its forms)."""
    return [f for f in findings(project) if f.source == "known_names"
            and fold(strip_genitive(f.text)) == fold(name)]
