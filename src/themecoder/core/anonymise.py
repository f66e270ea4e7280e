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
      occurrences in all documents, one action) or at chosen places, with a pseudonym (the
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
    * the detector's confidence is at least `BLOCKING_CONFIDENCE` (0.5), unless the text is a
      participant's pseudonym (the name in the `participants` table and the speaker labels,
      which the project declares to be pseudonyms and which the exports print anyway).

    Weaker hints (a capitalised word in no list, a rare job title, an exact date or age) are
    listed for review but do not block. The demo project, whose transcripts are already
    anonymised, therefore exports by default without any marking: what the rules find there
    is a participant's pseudonym in running text («Britt») and weak hints below 0.5
    (tests/test_anonymisation.py pins this; with the full spaCy model, entities count 0.55
    and may block until reviewed).
"""
from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from themecoder.errors import Conflict, NotFound, UserError
from themecoder.core.project import Project, new_id
from themecoder.core.text import CONTEXT_CHARS, Regions, context, shift_offset
from themecoder import store
from themecoder.store.db import now

if TYPE_CHECKING:
    from themecoder.core.key_file import KeyFile
    from themecoder.nlp import Pipeline

# -- vocabulary -------------------------------------------------------------------------------
CATEGORY_PLACEHOLDERS: dict[str, str] = {
    "person": "[navn]",
    "place": "[sted]",
    "organisation": "[organisasjon]",
    "workplace": "[arbeidsplass]",
    "phone": "[telefon]",
    "email": "[e-post]",
    "national_id": "[fødselsnummer]",
    "d_number": "[d-nummer]",
    "birth_date": "[fødselsdato]",
    "date": "[dato]",
    "address": "[adresse]",
    "postcode": "[postnummer]",
    "url": "[nettadresse]",
    "vehicle": "[kjennemerke]",
    "age": "[alder]",
    "job_title": "[stilling]",
}

KIND_NAMES: dict[str, str] = {  # English, for action summaries and messages
    "person": "name", "place": "place", "organisation": "organisation", "workplace": "workplace",
    "phone": "phone number", "email": "e-mail address", "national_id": "national identity number",
    "d_number": "D number", "birth_date": "date of birth", "date": "date", "address": "address",
    "postcode": "postcode", "url": "web address", "vehicle": "registration number", "age": "age",
    "job_title": "job title",
}

KIND_LABELS: dict[str, str] = {  # Norwegian
    "person": "navn", "place": "sted", "organisation": "organisasjon", "workplace": "arbeidsplass",
    "phone": "telefon", "email": "e-post", "national_id": "fødselsnummer", "d_number": "d-nummer",
    "birth_date": "fødselsdato", "date": "dato", "address": "adresse", "postcode": "postnummer",
    "url": "nettadresse", "vehicle": "kjennemerke", "age": "alder", "job_title": "stilling",
}

# Direct identifiers: an open finding of these kinds always blocks an export.
DIRECT_KINDS = frozenset({
    "national_id", "d_number", "phone", "email", "address", "postcode", "url", "vehicle", "birth_date",
})
BLOCKING_CONFIDENCE = 0.5

LABEL_PSEUDONYMISED = "avidentifisert"
LABEL_ANONYMISED = "anonymisert"
LABEL_UNRESOLVED = "uavklarte funn"
LABEL_UNCHECKED = "ikke kontrollert"

# Pseudonym suggestions: common Norwegian first names (SSB's most frequent) and surnames.
# Names that are also ordinary words (Liv, Dag, Per, Tor, Odd) are left out on purpose.
FEMALE_NAMES = (
    "Anne Inger Kari Marit Ingrid Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne Randi Ida "
    "Nina Maria Elisabeth Kristin Bente Heidi Silje Hanne Gunn Tone Julie Ragnhild Wenche Karin "
    "Camilla Elin Linda Turid Mona Ellen Grethe Tove Sara Marte Hege Emma Nora Sofie Thea "
    "Ingeborg Lene Siri Mari Tonje Kristine Helene Emilie Trine Unni Aud Laila Ane Maja Ella "
    "Olivia Frida Vilde Synne Tuva Sigrid Guro Ragna Oda Kaja Mathilde Hedda Amalie Ingvild "
    "Marthe Stine Vigdis Torill Gerd Reidun Åse Sissel Kirsten Margrethe Helga Jorunn Lise "
    "Cecilie Irene Janne Rigmor Sølvi Agnes Else Henny Tiril Selma Iselin Margit Oddny"
).split()
MALE_NAMES = (
    "Jan Bjørn Ole Lars Kjell Knut Svein Arne Thomas Hans Geir Morten Terje Martin Erik Andreas "
    "Rune Trond John Harald Anders Jon Olav Tore Gunnar Espen Nils Rolf Stein Leif Øyvind Einar "
    "Kristian Magnus Jonas Daniel Henrik Fredrik Kristoffer Håkon Sindre Sander Emil Mathias "
    "Tobias Jakob Filip Oskar Aksel William Noah Elias Isak Johannes Sigurd Eirik Halvor "
    "Torbjørn Steinar Roar Frode Helge Ivar Vidar Egil Ola Petter Asbjørn Reidar Sverre Øystein "
    "Vegard Audun Ragnar Sigmund Gaute Jørgen Simen Sebastian Adrian Vetle Markus Brage Torstein "
    "Atle Bård Eivind Hallvard Jostein Kåre Lasse Ottar Pål Snorre Tormod Ulrik"
).split()
SURNAMES = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Rasmussen Lunde Solheim Berge "
    "Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen "
    "Evensen Sæther Aas Myhre Hanssen Haugland Ruud Tangen Vik Engen Aasen Brekke Sandvik"
).split()

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]")
_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case- and whitespace-insensitive form (how 'not identifying' texts are matched)."""
    return " ".join(text.split()).casefold()


def category_for(kind: str) -> str:
    return CATEGORY_PLACEHOLDERS.get(kind, "[anonymisert]")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


# -- records ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IdentifierFinding:
    """A suspected identifier in a document's current text (``text == doc[start:end]``)."""

    id: str
    document_id: str
    document: str
    start: int
    end: int
    text: str
    kind: str
    reason: str
    confidence: float
    source: str
    turn: int | None = None        # 1-based speaker turn that holds it, if any
    speaker: str | None = None
    context_before: str = ""
    context_after: str = ""
    blocking: bool = True

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}

    def place(self) -> str:
        where = f"turn {self.turn} ({self.speaker})" if self.turn else f"offset {self.start}"
        return f"{self.document}, {where}"

    def snippet(self, width: int = 30) -> str:
        before = re.sub(r"\s+", " ", self.context_before)[-width:]
        after = re.sub(r"\s+", " ", self.context_after)[:width]
        return f"…{before}⟦{' '.join(self.text.split())}⟧{after}…"


@dataclass(slots=True)
class CheckSummary:
    documents: int = 0
    rechecked: int = 0
    findings: int = 0
    blocking: int = 0
    by_document: dict[str, Counter] = field(default_factory=dict)  # title -> kind counts
    pipeline: str = "rules"
    seconds: float = 0.0


@dataclass(slots=True)
class ReplaceResult:
    replacement: str
    mode: str
    kind: str
    occurrences: int = 0
    documents: dict[str, int] = field(default_factory=dict)  # title -> places replaced
    skipped_in_labels: int = 0
    key_entry: str | None = None
    codings_moved: int = 0
    warnings: list[str] = field(default_factory=list)


# -- detection ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def detector_fingerprint() -> str:
    """Changes when the detector or its gazetteers change, so stored findings are redone."""
    from importlib import resources

    from themecoder.core import identifiers

    h = hashlib.sha256()
    try:
        with open(identifiers.__file__, "rb") as fh:
            h.update(fh.read())
    except OSError:
        h.update(b"identifiers")
    try:
        folder = resources.files("themecoder") / "data" / "gazetteers"
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".txt"):
                h.update(entry.name.encode())
                h.update(entry.read_bytes())
    except (OSError, FileNotFoundError, NotADirectoryError):
        pass
    return h.hexdigest()[:16]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ignored_texts(project: Project) -> list[dict]:
    return [dict(r) for r in project.db.query(
        "SELECT text, kind, coder, created FROM anon_ignored ORDER BY text COLLATE NOCASE")]


def known_names(project: Project) -> list[dict]:
    return [dict(r) for r in project.db.query(
        "SELECT name, kind, gender, coder, created FROM anon_known_names ORDER BY name COLLATE NOCASE")]


def _ner_name(pipeline: "Pipeline | None" = None) -> str:
    """What supplies named entities: the model's name, or 'rules' (no model installed)."""
    if pipeline is not None:
        return pipeline.name if getattr(pipeline, "has_entities", False) else "rules"
    from themecoder.nlp import pipeline_status

    status = pipeline_status()
    return status.name if status.kind == "model" else "rules"


def _rules_fingerprint(project: Project, ner: str) -> str:
    data = {
        "detector": detector_fingerprint(),
        "known": sorted((r["name"], r["kind"]) for r in known_names(project)),
        "ignored": sorted(fold(r["text"]) for r in ignored_texts(project)),
        "ner": ner,
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def _doc_ids(project: Project, document_ids: Iterable[str] | None) -> list[str]:
    if document_ids is None:
        return [d.id for d in store.documents.documents(project.db)]
    return list(dict.fromkeys(document_ids))


def stale_documents(project: Project, document_ids: Iterable[str] | None = None, *,
                    pipeline: "Pipeline | None" = None) -> list[str]:
    """Documents never checked, or whose text or rules changed since their check."""
    ids = _doc_ids(project, document_ids)
    if not ids:
        return []
    rules = _rules_fingerprint(project, _ner_name(pipeline))
    checks = {r[0]: (r[1], r[2]) for r in project.db.query_tuples(
        "SELECT document_id, text_sha256, rules FROM anon_checks")}
    stale = []
    for doc_id, text in project.db.query_tuples("SELECT id, text FROM documents"):
        if doc_id not in ids:
            continue
        if checks.get(doc_id) != (_sha(text), rules):
            stale.append(doc_id)
    order = {d: i for i, d in enumerate(ids)}
    return sorted(stale, key=order.get)


def _replacement_spans(db, doc_id: str) -> list[tuple[int, int]]:
    """Where this module's replacements stand in the document's current text."""
    spans: list[tuple[int, int]] = []
    for (value,) in db.query_tuples("SELECT spans FROM anon_replacements WHERE document_id = ?", (doc_id,)):
        spans.extend((int(s), int(e)) for s, e in json.loads(value or "[]"))
    return sorted(spans)


def finding_id(doc_id: str, kind: str, text: str, occurrence: int) -> str:
    """Stable across edits elsewhere in the text: the document, the kind, the text and which
    occurrence of that text (of that kind) in the document it is."""
    return hashlib.sha1(f"{doc_id}:{kind}:{fold(text)}:{occurrence}".encode()).hexdigest()[:12]


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
            ner: "Pipeline | None") -> list:
    from themecoder.core.identifiers import detect_identifiers
    from themecoder.core.indexing import analysis_spans

    turns = store.documents.turns(project.db, doc_id)
    labels = [(t.label_start, t.start) for t in turns if t.start > t.label_start]
    sentences = store.documents.sentences(project.db, doc_id) or None
    entities: list[tuple[int, int, str]] = []
    if ner is not None:
        analysis = ner.analyse(text, analysis_spans(text, [(t.start, t.end) for t in turns]))
        sentences = analysis.sentences or sentences
        entities = [(e.start, e.end, e.label) for e in analysis.entities]
    suspects = detect_identifiers(
        text, sentences=sentences, entities=entities,
        known_names=[k["name"] for k in known], ignored=ignored, skip_spans=labels,
    )
    known_kind = {fold(k["name"]): k["kind"] for k in known}
    replaced = Regions(_replacement_spans(project.db, doc_id))
    ignored_keys = {fold(t) for t in ignored}
    out = []
    for s in suspects:
        if not (0 <= s.start < s.end <= len(text)) or text[s.start:s.end] != s.text:
            continue
        if replaced.starts and replaced.covers(s.start, s.end):
            continue  # a pseudonym or category this module put there
        if _inside_placeholder(text, s.start, s.end):
            continue
        if fold(s.text) in ignored_keys:
            continue
        kind = s.kind
        if s.source == "known_names":
            kind = known_kind.get(fold(_strip_genitive(s.text)), known_kind.get(fold(s.text), kind))
        out.append((s, kind))
    return out


def _strip_genitive(text: str) -> str:
    for suffix in ("'s", "’s", "'", "’", "s"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _inside_placeholder(text: str, start: int, end: int) -> bool:
    lo = text.rfind("[", max(0, start - 62), start + 1)
    if lo < 0:
        return False
    m = _PLACEHOLDER.match(text, lo)
    return bool(m and m.start() <= start and end <= m.end())


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
    ids = _doc_ids(project, document_ids)
    ner = _entity_pipeline(pipeline)
    ner_name = ner.name if ner is not None else "rules"
    todo = ids if force else stale_documents(project, ids, pipeline=ner if ner is not None else pipeline)
    rules = _rules_fingerprint(project, ner_name)
    known = known_names(project)
    ignored = [r["text"] for r in ignored_texts(project)]
    for i, doc_id in enumerate(todo, 1):
        text = store.documents.document_text(project.db, doc_id)
        found = _detect(project, doc_id, text, known, ignored, ner)
        with project.db.transaction() as conn:
            current = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if current is None or current[0] != text:
                continue  # changed meanwhile: stays stale, checked next time
            conn.execute("DELETE FROM anon_findings WHERE document_id = ?", (doc_id,))
            conn.executemany(
                "INSERT OR IGNORE INTO anon_findings(id, document_id, start, end, text, kind, reason, "
                "confidence, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(fid, doc_id, s.start, s.end, s.text, kind, s.reason, float(s.confidence), s.source)
                 for fid, s, kind in _with_ids(doc_id, found)],
            )
            conn.execute(
                "INSERT INTO anon_checks(document_id, text_sha256, rules, pipeline, checked) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
                "text_sha256 = excluded.text_sha256, rules = excluded.rules, "
                "pipeline = excluded.pipeline, checked = excluded.checked",
                (doc_id, _sha(text), rules, ner_name, now()),
            )
        if progress:
            progress(i, len(todo))
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


def is_blocking(kind: str, confidence: float, source: str = "", *, participant: bool = False) -> bool:
    """Whether an open finding blocks exports (see the module docstring)."""
    if kind in DIRECT_KINDS or source == "known_names":
        return True
    if participant:
        return False
    return confidence >= BLOCKING_CONFIDENCE


def _participant_names(project: Project) -> set[str]:
    return {fold(p.pseudonym) for p in store.participants.participants(project.db)}


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
    ids = _doc_ids(project, document_ids)
    if not ids:
        return []
    wanted = set(kinds) if kinds else None
    ignored = {fold(r["text"]) for r in ignored_texts(project)}
    docs = {d.id: d for d in store.documents.documents(project.db)}
    participants = _participant_names(project)
    order = {d: i for i, d in enumerate(ids)}
    marks = ",".join("?" for _ in ids)
    rows = project.db.query_tuples(
        f"SELECT id, document_id, start, end, text, kind, reason, confidence, source FROM anon_findings "
        f"WHERE document_id IN ({marks}) ORDER BY start", tuple(ids))
    by_doc: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        by_doc[r[1]].append(r)
    out: list[IdentifierFinding] = []
    for doc_id in sorted(by_doc, key=order.get):
        if doc_id not in docs:
            continue
        text = store.documents.document_text(project.db, doc_id)
        turns = store.documents.turns(project.db, doc_id)
        turn_starts = [t.label_start for t in turns]
        regions = Regions(spans.get(doc_id, [])) if spans is not None else None
        for fid, _, s, e, ftext, kind, reason, conf, source in by_doc[doc_id]:
            if wanted and kind not in wanted:
                continue
            if fold(ftext) in ignored or fold(_strip_genitive(ftext)) in ignored:
                continue
            if text[s:e] != ftext:
                continue  # stale row (text changed, not yet re-checked)
            if regions is not None and not regions.overlaps(s, e):
                continue
            participant = fold(_strip_genitive(ftext)) in participants or fold(ftext) in participants
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
    rows = project.db.query_tuples("SELECT id, document_id FROM anon_findings WHERE id LIKE ? || '%'", (ref,))
    if not rows:
        raise NotFound(f"no finding {ref!r} (run `themecoder check` to list them)")
    if len({r[0] for r in rows}) > 1:
        raise UserError(f"several findings start with {ref!r}; give more of the id")
    for f in findings(project, [rows[0][1]]):
        if f.id == rows[0][0]:
            return f
    raise NotFound(f"finding {ref!r} is resolved already (marked as not identifying or replaced)")


# -- decisions --------------------------------------------------------------------------------
def ignore_text(project: Project, text: str, *, kind: str = "") -> int:
    """Mark a text as not identifying (project-wide, case-insensitive). Returns how many open
    findings that resolves."""
    text = " ".join((text or "").split())
    if not text:
        raise UserError("say which text is not identifying")
    key = fold(text)
    if project.db.scalar("SELECT 1 FROM anon_ignored WHERE text_key = ?", (key,)):
        return 0
    n = sum(1 for f in findings(project) if fold(f.text) == key or fold(_strip_genitive(f.text)) == key)
    with project.action("anonymise-ignore", f"mark «{text}» as not identifying",
                        {"text": text, "kind": kind}) as conn:
        conn.execute(
            "INSERT INTO anon_ignored(text_key, text, kind, coder, created) VALUES (?, ?, ?, ?, ?)",
            (key, text, kind, project.coder, now()),
        )
    return n


def unignore_text(project: Project, text: str) -> bool:
    key = fold(text or "")
    if not project.db.scalar("SELECT 1 FROM anon_ignored WHERE text_key = ?", (key,)):
        return False
    with project.action("anonymise-unignore", f"check «{text.strip()}» again", {"text": text}) as conn:
        conn.execute("DELETE FROM anon_ignored WHERE text_key = ?", (key,))
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
    if project.db.scalar("SELECT 1 FROM anon_known_names WHERE name_key = ?", (key,)):
        return False
    with project.action("anonymise-known-name", f"add a {kind_name(kind)} to the known-names list",
                        {"kind": kind}) as conn:
        conn.execute(
            "INSERT INTO anon_known_names(name_key, name, kind, gender, coder, created) VALUES (?, ?, ?, ?, ?, ?)",
            (key, name, kind, gender, project.coder, now()),
        )
    return True


def remove_known_name(project: Project, name: str) -> bool:
    key = fold(name or "")
    if not project.db.scalar("SELECT 1 FROM anon_known_names WHERE name_key = ?", (key,)):
        return False
    with project.action("anonymise-forget-name", "remove a name from the known-names list") as conn:
        conn.execute("DELETE FROM anon_known_names WHERE name_key = ?", (key,))
    return True


# -- re-anchoring ------------------------------------------------------------------------------
Edit = tuple[int, int, str]


def edited_text(text: str, edits: list[Edit]) -> str:
    out: list[str] = []
    pos = 0
    for s, e, rep in edits:
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def map_offset(offset: int, edits: list[Edit], *, is_end: bool) -> int:
    """Where an offset lands after all edits (sorted, non-overlapping, original offsets)."""
    for s, e, rep in reversed(edits):
        offset = shift_offset(offset, s, e, len(rep), is_end=is_end)
    return offset


def _strictly_inside(offset: int, edits: list[Edit]) -> bool:
    starts = [s for s, _, _ in edits]
    i = bisect_right(starts, offset) - 1
    return i >= 0 and edits[i][0] < offset < edits[i][1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def check_edits(text: str, edits: Iterable[Edit], *, labels: Iterable[tuple[int, int]] = ()) -> list[Edit]:
    """Sorted, validated edits: inside the text, non-overlapping, outside speaker labels,
    each replacement non-empty without edge whitespace, the result still NFC."""
    out = sorted((int(s), int(e), str(r)) for s, e, r in edits)
    label_regions = Regions(labels)
    prev = 0
    for s, e, rep in out:
        if not (0 <= s < e <= len(text)):
            raise UserError(f"the place [{s}, {e}) is outside the text")
        if s < prev:
            raise UserError("two replacements overlap")
        if not rep or rep != rep.strip() or "\r" in rep:
            raise UserError("a replacement must be some text without leading or trailing blanks")
        if label_regions.starts and label_regions.overlaps(s, e):
            raise UserError("speaker labels are not replaced here; rename the speaker instead")
        prev = e
    return out


def _reanchor(conn, doc_id: str, text: str, edits: list[Edit], new_text: str) -> int:
    """Inside an action: move codings, turns, shortened quotes and replacement spans of one
    document from `text` to `new_text`. Returns how many codings changed."""
    rows = conn.execute(
        "SELECT id, code_id, start, end, quote, context_before, context_after FROM codings "
        "WHERE document_id = ? ORDER BY start, end, id", (doc_id,)).fetchall()
    plain: list[tuple] = []
    snapped: list[tuple] = []
    for row in rows:
        s, e = row[2], row[3]
        (snapped if _strictly_inside(s, edits) or _strictly_inside(e, edits) else plain).append(row)
    taken: set[tuple[str, int, int]] = set()
    placed: dict[str, tuple[int, int]] = {}
    for row in plain:
        span = (map_offset(row[2], edits, is_end=False), map_offset(row[3], edits, is_end=True))
        placed[row[0]] = span
        taken.add((row[1], *span))
    for row in snapped:
        s, e = row[2], row[3]
        # shift_offset's rule first (an end inside the replaced text takes in the replacement,
        # a start inside it starts at the replacement); then the other edge of the replacement,
        # so that two codings of one code that differed only inside the replaced text stay two.
        candidates = [
            (map_offset(s, edits, is_end=False), map_offset(e, edits, is_end=True)),
            (map_offset(s, edits, is_end=True), map_offset(e, edits, is_end=True)),
            (map_offset(s, edits, is_end=False), map_offset(e, edits, is_end=False)),
            (map_offset(s, edits, is_end=True), map_offset(e, edits, is_end=False)),
        ]
        for cs, ce in candidates:
            cs, ce = _trim(new_text, cs, ce)
            if cs < ce and (row[1], cs, ce) not in taken:
                placed[row[0]] = (cs, ce)
                taken.add((row[1], cs, ce))
                break
        else:
            code = conn.execute("SELECT label FROM codes WHERE id = ?", (row[1],)).fetchone()
            raise Conflict(
                f"two codings of «{code[0] if code else row[1]}» would become the same passage; "
                f"remove or resize one of them first (coding {row[0][:8]})")
    changed = 0
    # Codings whose span moves go through a parking place beyond any text first, so that a
    # coding never lands, for a moment, on the span another coding of its code still holds
    # (UNIQUE (document_id, code_id, start, end)). Undo replays the steps backwards.
    moving = [row for row in rows if placed[row[0]] != (row[2], row[3])]
    park = 1 << 40
    for row in moving:
        s, e = placed[row[0]]
        conn.execute("UPDATE codings SET start = ?, end = ? WHERE id = ?", (park + s, park + e, row[0]))
    for row in rows:
        s, e = placed[row[0]]
        quote = new_text[s:e]
        before, after = context(new_text, s, e, CONTEXT_CHARS)
        if (s, e, quote, before, after) != (row[2], row[3], row[4], row[5], row[6]):
            changed += 1
            conn.execute(
                "UPDATE codings SET start = ?, end = ?, quote = ?, context_before = ?, context_after = ? "
                "WHERE id = ?", (s, e, quote, before, after, row[0]))
    for tid, label_start, start, end in conn.execute(
            "SELECT id, label_start, start, end FROM turns WHERE document_id = ?", (doc_id,)).fetchall():
        new = (map_offset(label_start, edits, is_end=False), map_offset(start, edits, is_end=False),
               map_offset(end, edits, is_end=True))
        new = (new[0], new[1], max(new[1], new[2]))
        if new != (label_start, start, end):
            conn.execute("UPDATE turns SET label_start = ?, start = ?, end = ? WHERE id = ?", (*new, tid))
    # Shortened quotes (core.quotes): segments move with the text and take its new wording.
    prefix = "quote-segments:"
    for (coding_id,) in [(r[0],) for r in rows]:
        value = conn.execute("SELECT value FROM project WHERE key = ?", (prefix + coding_id,)).fetchone()
        if value is None:
            continue
        try:
            segments = json.loads(value[0])
        except (TypeError, ValueError):
            continue
        moved = []
        for seg in segments:
            s = map_offset(int(seg[0]), edits, is_end=False)
            e = map_offset(int(seg[1]), edits, is_end=True)
            moved.append([s, e, new_text[s:e]])
        new_value = json.dumps(moved, ensure_ascii=False)
        if new_value != value[0]:
            conn.execute("UPDATE project SET value = ? WHERE key = ?", (new_value, prefix + coding_id))
    for rid, spans in conn.execute(
            "SELECT id, spans FROM anon_replacements WHERE document_id = ?", (doc_id,)).fetchall():
        moved = [[map_offset(int(s), edits, is_end=False), map_offset(int(e), edits, is_end=True)]
                 for s, e in json.loads(spans or "[]")]
        new_value = json.dumps(moved)
        if new_value != spans:
            conn.execute("UPDATE anon_replacements SET spans = ? WHERE id = ?", (new_value, rid))
    conn.execute("UPDATE documents SET text = ? WHERE id = ?", (new_text, doc_id))
    # The sentence/lemma index is derived data: dropped here, rebuilt after the action.
    conn.execute("DELETE FROM sentences WHERE document_id = ?", (doc_id,))
    conn.execute("DELETE FROM tokens WHERE document_id = ?", (doc_id,))
    return changed


def _labels(project: Project, doc_id: str) -> list[tuple[int, int]]:
    return [(t.label_start, t.start) for t in store.documents.turns(project.db, doc_id) if t.start > t.label_start]


def replace_spans(
    project: Project,
    doc_edits: dict[str, list[Edit]],
    *,
    kind: str = "person",
    mode: str = "category",
    key_entry: str | None = None,
    summary: str | None = None,
    reindex: bool = True,
    pipeline: "Pipeline | None" = None,
) -> int:
    """Apply text replacements in one or more documents as ONE action, re-anchoring every
    coding, turn and shortened quote. Returns the number of codings that moved or changed.

    The lower-level operation behind `replace_identifier`; usable for any edit that swaps
    stretches of text for non-empty replacements."""
    if mode not in ("pseudonym", "category"):
        raise UserError("mode is 'pseudonym' or 'category'")
    prepared: dict[str, tuple[str, list[Edit], str]] = {}
    for doc_id, edits in doc_edits.items():
        if not edits:
            continue
        text = store.documents.document_text(project.db, doc_id)
        checked = check_edits(text, edits, labels=_labels(project, doc_id))
        new_text = edited_text(text, checked)
        if not unicodedata.is_normalized("NFC", new_text):
            raise UserError("the replacement would leave the text un-normalised (a combining "
                            "character at its edge); choose another replacement")
        prepared[doc_id] = (text, checked, new_text)
    if not prepared:
        return 0
    n_places = sum(len(v[1]) for v in prepared.values())
    replacements = sorted({r for v in prepared.values() for _, _, r in v[1]})
    summary = summary or (f"replace {n_places} place(s) in {len(prepared)} document(s) with "
                          + ", ".join(f"«{r}»" for r in replacements[:3]))
    details = {"kind": kind, "mode": mode, "replacements": replacements[:20], "occurrences": n_places,
               "documents": [store.documents.document(project.db, d).title for d in prepared]}
    moved = 0
    with project.action("anonymise-replace", summary, details) as conn:
        for doc_id, (text, edits, new_text) in prepared.items():
            current = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if current is None or current[0] != text:
                raise Conflict("the document changed meanwhile; check again and retry")
            moved += _reanchor(conn, doc_id, text, edits, new_text)
            by_rep: dict[str, list[list[int]]] = defaultdict(list)
            for s, e, rep in edits:
                ns = map_offset(s, edits, is_end=False)
                by_rep[rep].append([ns, ns + len(rep)])
            for rep, spans in by_rep.items():
                conn.execute(
                    "INSERT INTO anon_replacements(id, document_id, kind, mode, replacement, occurrences, "
                    "spans, key_entry, coder, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (new_id(), doc_id, kind, mode, rep, len(spans), json.dumps(spans), key_entry,
                     project.coder, now()))
    if reindex:
        _reindex(project, list(prepared), pipeline)
    return moved


def _reindex(project: Project, doc_ids: list[str], pipeline: "Pipeline | None") -> None:
    from themecoder.core.indexing import index_document

    for doc_id in doc_ids:
        try:
            index_document(project, doc_id, pipeline)
        except UserError:
            pass  # left without an index: ensure_index rebuilds it later


# -- replacing identifiers ------------------------------------------------------------------
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


def _check_pseudonym(project: Project, pseudonym: str, original: str, key: "KeyFile") -> str:
    pseudonym = " ".join((pseudonym or "").split())
    if not pseudonym:
        raise UserError("the pseudonym is empty")
    if pseudonym.startswith("[") and pseudonym.endswith("]"):
        raise UserError("a [category] is a category replacement, not a pseudonym")
    if fold(pseudonym) == fold(original):
        raise UserError("the pseudonym is the name itself")
    entry = key.lookup(original)
    own = entry is not None and fold(entry.replacement) == fold(pseudonym)
    if not own:
        used = _used_words(project)
        clash = [w for w in _WORDS.findall(pseudonym.casefold()) if w in used]
        if clash:
            raise Conflict(f"«{pseudonym}» occurs in the project's text already ({', '.join(clash)}); "
                           f"a pseudonym must not be mistaken for someone in the data: choose another")
    return pseudonym


def _used_words(project: Project) -> set[str]:
    used: set[str] = set()
    for (text,) in project.db.query_tuples("SELECT text FROM documents"):
        used.update(_WORDS.findall(text.casefold()))
    for p in store.participants.participants(project.db):
        used.update(_WORDS.findall(p.pseudonym.casefold()))
    for k in known_names(project):
        used.update(_WORDS.findall(k["name"].casefold()))
    return used


def _gender_of(project: Project, original: str, gender: str | None) -> str | None:
    if gender in ("f", "m"):
        return gender
    row = project.db.query_one("SELECT gender FROM anon_known_names WHERE name_key = ?", (fold(original),))
    if row is not None and row[0]:
        return row[0]
    first = original.split()[0] if original.split() else ""
    female = {n.casefold() for n in FEMALE_NAMES}
    male = {n.casefold() for n in MALE_NAMES}
    if first.casefold() in female and first.casefold() not in male:
        return "f"
    if first.casefold() in male and first.casefold() not in female:
        return "m"
    return None


def suggest_pseudonym(
    project: Project, original: str, *, gender: str | None = None, key: "KeyFile | None" = None,
    kind: str = "person", avoid: Iterable[str] = (),
) -> str:
    """A pseudonym for `original`: its pseudonym in the key if it has one; otherwise a common
    Norwegian first name (of the same gender when known), plus a surname for a full name,
    that occurs nowhere in the project's text and is no one else's pseudonym."""
    if kind != "person":
        return category_for(kind)
    original = " ".join(original.split())
    if key is not None:
        entry = key.lookup(original)
        if entry is not None:
            return entry.replacement
    used = _used_words(project) | {fold(a) for a in avoid}
    taken = set()
    if key is not None:
        taken = {fold(r) for r in key.replacements()}
        for r in key.replacements():
            used.update(_WORDS.findall(r.casefold()))
    parts = original.split()
    seed = fold(original) + (key.key_id if key is not None else project.id)

    def pick(pool: list[str], salt: str) -> str | None:
        ranked = sorted(pool, key=lambda n: hashlib.sha256((seed + salt + n).encode()).hexdigest())
        return next((n for n in ranked if n.casefold() not in used), None)

    # Same person, other form: "Kari" when "Kari Nordmann" is keyed as "Eva Hansen", and back.
    first_given: str | None = None
    if key is not None and parts:
        for e in key.entries:
            eparts, rparts = e.original.split(), e.replacement.split()
            if eparts and rparts and fold(eparts[0]) == fold(parts[0]) and e.kind == "person":
                if len(parts) == 1 and len(eparts) > 1 and fold(rparts[0]) not in taken:
                    return rparts[0]
                if len(parts) > 1 and len(eparts) == 1:
                    first_given = rparts[0]
    g = _gender_of(project, original, gender)
    pool = FEMALE_NAMES if g == "f" else MALE_NAMES if g == "m" else FEMALE_NAMES + MALE_NAMES
    first = first_given or pick(list(pool), "first") or pick(FEMALE_NAMES + MALE_NAMES, "first")
    if first is None:
        raise UserError("no unused pseudonym left in the suggestion list; choose one yourself")
    if len(parts) == 1:
        return first
    surname = pick(SURNAMES, "sur")
    if surname is None:
        raise UserError("no unused surname left in the suggestion list; choose one yourself")
    suggestion = f"{first} {surname}"
    return suggestion


def _normalise_category(category: str | None, kind: str) -> str:
    if category is None or category.strip() == "":
        return category_for(kind)
    c = " ".join(category.split())
    if not (c.startswith("[") and c.endswith("]")):
        c = f"[{c.strip('[]')}]"
    if len(c) < 3 or "[" in c[1:-1] or "]" in c[1:-1]:
        raise UserError(f"a category looks like [navn], not {category!r}")
    return c


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
    result_warnings: list[str] = []
    new_entry = None
    if mode == "pseudonym":
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
        replacement = _check_pseudonym(project, replacement, original, key)
    else:
        replacement = _normalise_category(replacement, kind)
    doc_ids = _doc_ids(project, document_ids)
    doc_edits: dict[str, list[Edit]] = {}
    skipped_labels = 0
    for doc_id in doc_ids:
        text = store.documents.document_text(project.db, doc_id)
        labels = Regions(_labels(project, doc_id))
        replaced = Regions(_replacement_spans(project.db, doc_id))
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
    key_entry_id = None
    if mode == "pseudonym":
        assert key is not None
        link_key(project, key)
        before = key.lookup(original)
        entry = key.add(original, replacement, kind=kind, gender=_gender_of(project, original, gender),
                        coder=project.coder)
        new_entry = entry if before is None else None
        key.save()  # the link is safe before the text changes
        key_entry_id = entry.id
    n = sum(len(v) for v in doc_edits.values())
    summary = (f"replace a {kind_name(kind)} with «{replacement}» "
               f"({n} place{'s' if n != 1 else ''} in {len(doc_edits)} document{'s' if len(doc_edits) != 1 else ''})")
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
                           key_entry_id, moved, result_warnings)
    if skipped_labels:
        result.warnings.append(f"{skipped_labels} occurrence(s) in speaker labels were not replaced")
    if recheck:
        check(project, list(doc_edits), pipeline=pipeline)
    return result


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
    stem = _strip_genitive(original)
    if stem != original and f.kind == "person":
        # «Karis» names Kari: replace the name, keep the genitive
        known = {fold(k["name"]) for k in known_names(project)}
        keyed = key is not None and key.lookup(stem) is not None
        if fold(stem) in known or keyed or f.source == "known_names" or original.endswith(("'s", "’s")):
            original, end = stem, start + len(stem)
    places = {f.document_id: [(start, end)]}
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


# -- the key ----------------------------------------------------------------------------------
def link_key(project: Project, key: "KeyFile") -> bool:
    """Remember in the project that a key exists: its id (fingerprint) and path, never its
    content. One action, only when something changes."""
    path = str(key.path.expanduser().resolve())
    if project.setting("anonymisation.key_id") == key.key_id and project.setting("anonymisation.key_path") == path:
        return False
    with project.action("anonymise-key", "link the key file (koblingsnøkkel)", {"key_id": key.key_id}) as conn:
        for k, v in (("anonymisation.key_id", key.key_id), ("anonymisation.key_path", path),
                     ("anonymisation.key_linked", now())):
            conn.execute("INSERT INTO project(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (k, v))
        conn.execute("DELETE FROM project WHERE key = 'anonymisation.key_deleted'")
    return True


def key_path(project: Project) -> str | None:
    return project.setting("anonymisation.key_path") if project.setting("anonymisation.key_id") else None


def forget_key(project: Project, *, delete_file: bool = True, path: str | None = None) -> dict:
    """End of the project: delete the key file and record that the key is gone. After this
    the pseudonyms can no longer be linked to anyone (unless a copy of the key exists)."""
    from pathlib import Path

    from themecoder.core.key_file import delete_key_file, open_key

    key_id = project.setting("anonymisation.key_id")
    if not key_id:
        raise UserError("the project has no key")
    where = path or project.setting("anonymisation.key_path")
    deleted = False
    if delete_file and where:
        if Path(where).expanduser().exists():
            key = open_key(where, project=project, create=False)  # refuses another project's key
            deleted = delete_key_file(key.path)
    with project.action("anonymise-key-delete", "delete the key file (koblingsnøkkel)",
                        {"key_id": key_id, "file_deleted": deleted}) as conn:
        conn.execute("DELETE FROM project WHERE key IN ('anonymisation.key_id', 'anonymisation.key_path', "
                     "'anonymisation.key_linked')")
        conn.execute("INSERT INTO project(key, value) VALUES ('anonymisation.key_deleted', ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (now(),))
    return {"key_id": key_id, "path": where, "file_deleted": deleted}


# -- status -----------------------------------------------------------------------------------
def anonymisation_status(project: Project) -> dict[str, Any]:
    """Cheap (no detection): the label and what it rests on."""
    db = project.db
    docs = [d.id for d in store.documents.documents(db)]
    stale = stale_documents(project, docs)
    open_ = findings(project, [d for d in docs if d not in set(stale)])
    blocking = sum(f.blocking for f in open_)
    has_key = bool(project.setting("anonymisation.key_id"))
    if has_key:
        label = LABEL_PSEUDONYMISED
    elif stale:
        label = LABEL_UNCHECKED
    elif blocking:
        label = LABEL_UNRESOLVED
    else:
        label = LABEL_ANONYMISED
    return {
        "label": label,
        "key": has_key,
        "key_id": project.setting("anonymisation.key_id"),
        "key_path": key_path(project),
        "key_deleted": project.setting("anonymisation.key_deleted"),
        "documents": len(docs),
        "unchecked": len(stale),
        "open": len(open_),
        "blocking": blocking,
        "replacements": db.scalar("SELECT coalesce(sum(occurrences), 0) FROM anon_replacements") or 0,
        "pseudonyms": db.scalar("SELECT count(DISTINCT replacement) FROM anon_replacements "
                                "WHERE mode = 'pseudonym'") or 0,
        "ignored": db.scalar("SELECT count(*) FROM anon_ignored") or 0,
        "known_names": db.scalar("SELECT count(*) FROM anon_known_names") or 0,
    }


def anonymisation_label(project: Project) -> str:
    """'avidentifisert' while a key exists (pseudonymised, still personal data);
    'ikke kontrollert' while a document is unchecked or changed since its check;
    'uavklarte funn' while findings that block exports are open; else 'anonymisert'
    (checked, nothing open that blocks, no key). For status bars and export metadata."""
    return anonymisation_status(project)["label"]


def describe_label(label: str) -> str:
    return {
        LABEL_PSEUDONYMISED: "pseudonymised: a key links pseudonyms to real names (still personal data)",
        LABEL_ANONYMISED: "checked, no unresolved findings, no key (indirect identifiers remain your judgement)",
        LABEL_UNRESOLVED: "findings that block exports are open",
        LABEL_UNCHECKED: "not checked since the text changed (run themecoder check)",
    }.get(label, label)


# -- export guard -------------------------------------------------------------------------------
def coding_spans(project: Project) -> dict[str, list[tuple[int, int]]]:
    """Every coded passage per document: what quote exports can contain."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, s, e in project.db.query_tuples("SELECT document_id, start, end FROM codings"):
        spans[doc_id].append((s, e))
    return dict(spans)


def analyst_texts(project: Project, *, codes: bool = True, themes: bool = True,
                  memos: bool = False) -> dict[str, str]:
    """The analyst's own texts that exports print beside the transcripts: code labels and
    descriptions (an in-vivo label is a quote), theme names, descriptions and analytic texts,
    and (for qdpx) memos. {place: text}, one entry per field so that nothing is read across
    two fields."""
    out: dict[str, str] = {}

    def put(place: str, text: str | None) -> None:
        if text and text.strip():
            out[place] = text

    if codes:
        for c in store.codes.codes(project.db):
            put(f"code label «{c.label[:40]}»", c.label)
            put(f"description of code «{c.label[:40]}»", c.description)
    if themes:
        for t in store.themes.themes(project.db):
            put(f"theme «{t.name[:40]}»", t.name)
            put(f"description of theme «{t.name[:40]}»", t.description)
            put(f"analytic text of theme «{t.name[:40]}»", t.analytic_text)
            put(f"condensate of theme «{t.name[:40]}»", t.condensate)
    if memos:
        for m in store.memos.memos(project.db):
            label = (m.title or m.text)[:30].replace("\n", " ")
            put(f"memo title «{label}» ({m.id[:8]})", m.title)
            put(f"memo «{label}» ({m.id[:8]})", m.text)
    return out


def text_findings(project: Project, texts: dict[str, str]) -> list[IdentifierFinding]:
    """Findings in texts that are not documents (not stored; same rules and decisions)."""
    from themecoder.core.identifiers import detect_identifiers

    known = known_names(project)
    ignored_rows = [r["text"] for r in ignored_texts(project)]
    ignored = {fold(t) for t in ignored_rows}
    participants = _participant_names(project)
    known_kind = {fold(k["name"]): k["kind"] for k in known}
    out: list[IdentifierFinding] = []
    for place, text in texts.items():
        if not text.strip():
            continue
        for sus in detect_identifiers(text, known_names=[k["name"] for k in known], ignored=ignored_rows):
            if _inside_placeholder(text, sus.start, sus.end) or fold(sus.text) in ignored \
                    or fold(_strip_genitive(sus.text)) in ignored:
                continue
            kind = sus.kind
            if sus.source == "known_names":
                kind = known_kind.get(fold(_strip_genitive(sus.text)), known_kind.get(fold(sus.text), kind))
            participant = fold(_strip_genitive(sus.text)) in participants or fold(sus.text) in participants
            before, after = context(text, sus.start, sus.end, 60)
            out.append(IdentifierFinding(
                finding_id("text:" + place, kind, sus.text, sus.start), "", place, sus.start, sus.end,
                sus.text, kind, sus.reason, sus.confidence, sus.source, None, None, before, after,
                is_blocking(kind, sus.confidence, sus.source, participant=participant)))
    return out


def export_guard(
    project: Project,
    document_ids: Iterable[str] | None = None,
    *,
    allow_unreviewed: bool = False,
    spans: dict[str, list[tuple[int, int]]] | None = None,
    texts: dict[str, str] | None = None,
    pipeline: "Pipeline | None" = None,
    show: int = 3,
) -> dict[str, Any]:
    """Refuse an export while blocking findings are open in the text it would export.

    `document_ids` (default: all) and `spans` ({document id: [(start, end)]}, e.g.
    `coding_spans(project)` for quote tables) say which transcript text that is; `texts`
    ({place: text}, e.g. `analyst_texts(project)`) adds other text the export prints. Stale
    documents are checked first. Raises UserError naming the first few findings (document,
    place, context) and how many more; with `allow_unreviewed` returns instead, and the
    returned dict is meant for the export's metadata:

        {"anonymisation": "checked: no unresolved findings" |
                          "unreviewed findings allowed by user",
         "unresolved": N, "label": "avidentifisert" | ..., "checked": "<time>"}
    """
    ids = _doc_ids(project, document_ids)
    check(project, ids, pipeline=pipeline)
    open_ = findings(project, ids, blocking_only=True, spans=spans)
    if texts:
        open_ += [f for f in text_findings(project, texts) if f.blocking]
    meta = {
        "anonymisation": "checked: no unresolved findings",
        "unresolved": len(open_),
        "label": anonymisation_label(project),
        "checked": now(),
    }
    if open_ and not allow_unreviewed:
        shown = "; ".join(f"{kind_name(f.kind)} «{f.text}» in {f.place()}: {f.snippet(25)}"
                          for f in open_[:show])
        more = f"; and {len(open_) - show} more" if len(open_) > show else ""
        raise UserError(
            f"export refused: {len(open_)} unresolved identifier finding{'s' if len(open_) != 1 else ''} "
            f"in the exported text: {shown}{more}. Resolve them (themecoder check, themecoder anonymise, "
            f"or the Anonymisation screen) or pass --allow-unreviewed"
        )
    if open_:
        meta["anonymisation"] = "unreviewed findings allowed by user"
    return meta


def metadata_line(meta: dict[str, Any]) -> str:
    """One line for a header in md/csv exports or a document property."""
    return (f"anonymisation: {meta.get('anonymisation')}; label: {meta.get('label')}; "
            f"unresolved: {meta.get('unresolved')}")
