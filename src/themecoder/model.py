"""Domain records. Plain frozen dataclasses (Coding: a named tuple, see there): the UI and
exporters read these, never rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: str  # text | integer | float | date | boolean
    value: str | None


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    pseudonym: str
    attributes: tuple[Attribute, ...] = ()

    def attribute(self, name: str) -> str | None:
        for a in self.attributes:
            if a.name == name:
                return a.value
        return None


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    source_name: str
    sha256: str
    participant_id: str | None
    encoding: str | None
    imported: str
    position: int
    length: int  # code points


@dataclass(frozen=True, slots=True)
class Turn:
    id: str
    document_id: str
    speaker: str
    label_start: int
    start: int
    end: int
    timestamp: float | None


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    label: str
    description: str
    colour: str
    in_vivo: bool
    author: str | None
    created: str


class Coding(NamedTuple):
    """A coded passage. A named tuple rather than a dataclass because a theme's codings are
    read by the thousand: tuple.__new__ builds one from its row in C, four times faster than a
    slotted dataclass (a 6,000-coding theme is fetched within a frame). Immutable all the same."""

    id: str
    document_id: str
    code_id: str
    start: int
    end: int
    quote: str
    context_before: str
    context_after: str
    coder: str | None
    created: str


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    parent_id: str | None
    name: str
    description: str
    analytic_text: str
    condensate: str
    key_coding_id: str | None
    position: int
    created: str


@dataclass(frozen=True, slots=True)
class Memo:
    id: str
    target_type: str  # project | document | code | theme | coding
    target_id: str | None
    title: str
    text: str
    author: str | None
    created: str
    modified: str


@dataclass(frozen=True, slots=True)
class CodeStats:
    code: Code
    codings: int
    documents: int
    participants: int
    theme_ids: tuple[str, ...] = field(default_factory=tuple)
