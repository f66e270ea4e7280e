"""Anonymisation guard: the vocabulary (kinds, placeholders, labels), the records, and the
small rules every part shares (folding, what blocks an export, what the project knows).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from themecoder import store
from themecoder.core.project import Project

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


_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]")


WORDS = re.compile(r"\w+")


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
    participants: int = 0  # participant labels renamed
    attributes: int = 0    # participant attribute values changed
    speaker_labels: int = 0  # speaker labels (turns) renamed


# -- shared rules -------------------------------------------------------------------------------


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ignored_texts(project: Project) -> list[dict]:
    return store.identifiers.ignored_texts(project.db)


def known_names(project: Project) -> list[dict]:
    return store.identifiers.known_names(project.db)


def replacements_applied(project: Project) -> list[dict]:
    """The replacements applied, oldest first (the originals are only in the key file)."""
    return store.identifiers.replacements_applied(project.db)


def suggestion_source(finding: Any) -> tuple[str, str]:
    """What a pseudonym is suggested for: a person's genitive ("Karis", "Kari's") counts as
    the name itself, so the pseudonym fits every form."""
    if finding.kind == "person" and finding.text.endswith(("'s", "’s")):
        return strip_genitive(finding.text), finding.kind
    return finding.text, finding.kind


def doc_ids(project: Project, document_ids: Iterable[str] | None) -> list[str]:
    if document_ids is None:
        return [d.id for d in store.documents.documents(project.db)]
    return list(dict.fromkeys(document_ids))


def replacement_spans(db, doc_id: str) -> list[tuple[int, int]]:
    """Where this module's replacements stand in the document's current text."""
    spans: list[tuple[int, int]] = []
    for value in store.identifiers.replacement_spans(db, doc_id):
        spans.extend((int(s), int(e)) for s, e in json.loads(value or "[]"))
    return sorted(spans)


def finding_id(doc_id: str, kind: str, text: str, occurrence: int) -> str:
    """Stable across edits elsewhere in the text: the document, the kind, the text and which
    occurrence of that text (of that kind) in the document it is."""
    return hashlib.sha1(f"{doc_id}:{kind}:{fold(text)}:{occurrence}".encode()).hexdigest()[:12]


def strip_genitive(text: str) -> str:
    for suffix in ("'s", "’s", "'", "’", "s"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def inside_placeholder(text: str, start: int, end: int) -> bool:
    lo = text.rfind("[", max(0, start - 62), start + 1)
    if lo < 0:
        return False
    m = _PLACEHOLDER.match(text, lo)
    return bool(m and m.start() <= start and end <= m.end())


# Issue 16: every person name (nicknames, initials), place and workplace the detector reports
# blocks unless marked; only very weak hints of these kinds stay below this line. Regions,
# counties and national organisations and programmes are not reported at all.
NAME_KINDS = frozenset({"person", "place", "workplace"})
NAME_BLOCKING_CONFIDENCE = 0.4


def is_blocking(kind: str, confidence: float, source: str = "", *, participant: bool = False) -> bool:
    """Whether an open finding blocks exports (see the module docstring)."""
    if kind in DIRECT_KINDS or source == "known_names":
        return True
    if participant:
        return False
    if kind in NAME_KINDS:
        return confidence >= NAME_BLOCKING_CONFIDENCE
    return confidence >= BLOCKING_CONFIDENCE


def participant_names(project: Project) -> set[str]:
    return {fold(p.pseudonym) for p in store.participants.participants(project.db)}
