"""Plain dataclasses for one REFI-QDA interchange project, independent of the database.

Positions (``RefiSelection.start`` / ``end``) are always Unicode code points into the
source's normalised text (NFC, LF, no BOM), end exclusive, so ``source.text[start:end]`` is
the quote. The reader converts whatever the producer counted; the writer writes exactly this.
Exception: a source whose file is missing (``text is None``) keeps the positions as found in
the file, unconverted; ``positions_converted`` is then False.

GUIDs are stored in canonical form: lower case, without braces (GUIDs are case-insensitive;
ATLAS.ti writes upper case, NVivo lower case).

Dates (``creation_date_time`` etc.) are the xsd:dateTime strings as found in the file, or None.

Notes link to what they are about in two directions that the reader fills both of:
``RefiNote.refs`` (target GUIDs) and the targets' ``note_refs`` (note GUIDs). The writer
writes the union of both.
"""
from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple, Union

VariableValue = Union[str, bool, int, float, _dt.date, _dt.datetime, None]

#: The ``typeOfVariable`` values of the standard.
VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")


def new_guid() -> str:
    """A fresh random GUID in canonical form."""
    return str(uuid.uuid4())


_GUID_NAMESPACE = uuid.UUID("0f7b6a55-6b2e-4c1f-9d0e-6e2d2f1b7c11")


def stable_guid(*parts: object) -> str:
    """A GUID derived from ``parts`` (uuid5), so re-exporting the same thing keeps its GUID."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


@dataclass
class RefiUser:
    guid: str
    name: str | None = None
    id: str | None = None


class RefiCoding(NamedTuple):
    """One code applied to a selection. A tuple: ``coding[:2] == (guid, code_guid)``."""

    guid: str
    code_guid: str
    creating_user: str | None = None
    creation_date_time: str | None = None


@dataclass
class RefiCode:
    guid: str
    name: str
    description: str | None = None
    colour: str | None = None          # "#RRGGBB", upper case
    is_codable: bool = True
    children: list["RefiCode"] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    start: int                          # code points into the normalised text, inclusive
    end: int                            # exclusive
    name: str | None = None             # as in the file; often the quote (ATLAS.ti, QualCoder)
    description: str | None = None      # ATLAS.ti keeps a quotation's comment here
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    creating_user: str | None = None
    creation_date_time: str | None = None
    modifying_user: str | None = None
    modified_date_time: str | None = None
    # The positions exactly as found in the file (producer's counting); not compared.
    raw_start: int | None = field(default=None, compare=False)
    raw_end: int | None = field(default=None, compare=False)


@dataclass
class RefiTextSource:
    guid: str
    name: str
    text: str | None                     # normalised (NFC, LF); None when the file is missing
    # As referenced in the file, e.g. internal://X.txt; a file detail, not compared.
    plain_text_path: str | None = field(default=None, compare=False)
    selections: list[RefiSelection] = field(default_factory=list)
    description: str | None = None
    codings: list[RefiCoding] = field(default_factory=list)   # whole-source codings
    note_refs: list[str] = field(default_factory=list)
    variables: dict[str, tuple[str, VariableValue]] = field(default_factory=dict)
    creating_user: str | None = None
    creation_date_time: str | None = None
    modifying_user: str | None = None
    modified_date_time: str | None = None
    # Import details, not compared: the convention the positions were converted from, the
    # raw->normalised mapping (a positions.TextMap) and whether positions were converted.
    position_convention: str | None = field(default=None, compare=False)
    positions_converted: bool = field(default=True, compare=False)
    text_map: object | None = field(default=None, compare=False, repr=False)

    def coded_spans(self) -> list[tuple[int, int, list[RefiCoding]]]:
        """Selections grouped by span: NVivo repeats one selection per code, ATLAS.ti puts
        several codings on one. Returns (start, end, codings) in order of first appearance."""
        spans: dict[tuple[int, int], list[RefiCoding]] = {}
        for sel in self.selections:
            spans.setdefault((sel.start, sel.end), []).extend(sel.codings)
        return [(a, b, codings) for (a, b), codings in spans.items()]

    def quote(self, selection: RefiSelection) -> str:
        """The selected text (``text[start:end]``)."""
        if self.text is None:
            raise ValueError(f"source {self.name!r} has no text")
        return self.text[selection.start:selection.end]


@dataclass
class RefiOtherSource:
    """A non-text source (picture, PDF, audio, video): kept so an import can report it."""

    guid: str
    name: str
    kind: str                    # the element name: PictureSource, PDFSource, AudioSource, VideoSource
    path: str | None = None
    selections: int = 0          # selections of any kind inside it
    codings: int = 0


@dataclass
class RefiVariable:
    guid: str
    name: str
    type: str = "Text"           # one of VARIABLE_TYPES
    description: str | None = None


@dataclass
class RefiCase:
    guid: str
    name: str | None = None
    description: str | None = None
    variables: dict[str, tuple[str, VariableValue]] = field(default_factory=dict)  # name -> (type, value)
    source_refs: list[str] = field(default_factory=list)
    code_refs: list[str] = field(default_factory=list)
    selection_refs: list[str] = field(default_factory=list)


@dataclass
class RefiNote:
    guid: str
    name: str | None = None
    text: str = ""
    refs: list[str] = field(default_factory=list)   # GUIDs of what the note is about
    description: str | None = None
    creating_user: str | None = None
    creation_date_time: str | None = None
    modifying_user: str | None = None
    modified_date_time: str | None = None


@dataclass
class RefiSet:
    guid: str
    name: str
    description: str | None = None
    member_codes: list[str] = field(default_factory=list)
    member_sources: list[str] = field(default_factory=list)
    member_notes: list[str] = field(default_factory=list)


@dataclass
class RefiLink:
    """A link between two objects that is not a note's link (those become note refs)."""

    guid: str
    name: str | None = None
    direction: str | None = None     # Associative, OneWay, Bidirectional
    colour: str | None = None
    origin_guid: str | None = None
    target_guid: str | None = None


@dataclass
class SourceReport:
    """How one source was imported."""

    guid: str
    name: str
    kind: str = "TextSource"
    status: str = "ok"               # ok | missing | skipped
    convention: str | None = None
    method: str | None = None        # names | boundaries | origin
    selections: int = 0
    codings: int = 0
    named: int = 0                   # selections with a non-empty name
    matched: int = 0                 # ... whose name equals the converted quote
    boundary_rate: float | None = None
    label_names: int = 0             # names that are labels ("line:6"), not quotes
    label_example: str | None = None
    adjusted: int = 0                # positions clamped into the text or swapped
    encoding: str | None = None
    message: str | None = None

    @property
    def match_rate(self) -> float | None:
        return self.matched / self.named if self.named else None


@dataclass
class ImportReport:
    """What an import found, converted, skipped or could not find."""

    file: str = ""
    origin: str | None = None
    sources: list[SourceReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)   # e.g. "1 graph", "2 transcripts"

    @property
    def missing_sources(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == "missing"]

    @property
    def skipped_sources(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == "skipped"]

    def summary(self) -> str:
        ok = [s for s in self.sources if s.status == "ok"]
        parts = [f"{len(ok)} text source(s) read"]
        if self.missing_sources:
            parts.append(f"{len(self.missing_sources)} missing")
        if self.skipped_sources:
            parts.append(f"{len(self.skipped_sources)} non-text skipped")
        for s in ok:
            rate = f", quotes match {s.match_rate:.0%}" if s.match_rate is not None else ""
            parts.append(f"{s.name}: {s.convention} ({s.method}{rate})")
        return "; ".join(parts)


@dataclass
class RefiExtension:
    """What themecoder keeps beside the standard, in its own archive part (``themecoder/
    extension.xml``, namespace :data:`EXTENSION_NS`), which other programs do not read: the
    project schema allows no foreign element or attribute anywhere in the ``.qde``.

    All keys and values are GUIDs of the file (or themecoder ids where noted)."""

    in_vivo_codes: list[str] = field(default_factory=list)          # codes made in vivo
    key_codings: dict[str, str] = field(default_factory=dict)       # theme id -> coding guid
    # A theme written as the codable parent code of the same name: code guid -> (theme id,
    # theme name, theme description, the code's own description)
    code_themes: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    # What a note is about in themecoder terms: note guid -> (target type, target id)
    note_targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Mixed methods and review, as plain JSON-able records (io.refi_extension makes and reads them)
    findings: list[dict] = field(default_factory=list)
    finding_links: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    shortenings: list[dict] = field(default_factory=list)           # shortened quotes, per coding

    def is_empty(self) -> bool:
        return not (self.in_vivo_codes or self.key_codings or self.code_themes or self.note_targets
                    or self.findings or self.finding_links or self.reviews or self.shortenings)


#: The namespace of themecoder's extension part.
EXTENSION_NS = "urn:themecoder:refi-qda-extension:1"
#: Where the extension lives inside a .qdpx.
EXTENSION_PATH = "themecoder/extension.xml"


@dataclass
class RefiProject:
    name: str = "Untitled"
    origin: str | None = None
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)            # top level; children nested
    sources: list[RefiTextSource] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    variables: list[RefiVariable] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    links: list[RefiLink] = field(default_factory=list)
    other_sources: list[RefiOtherSource] = field(default_factory=list)
    description: str | None = None
    note_refs: list[str] = field(default_factory=list)              # notes about the project
    creating_user: str | None = None
    creation_date_time: str | None = None
    modifying_user: str | None = None
    modified_date_time: str | None = None
    extension: RefiExtension = field(default_factory=RefiExtension, compare=False)
    report: ImportReport = field(default_factory=ImportReport, compare=False, repr=False)

    # -- conveniences -------------------------------------------------------------------------
    def iter_codes(self) -> Iterator[tuple[RefiCode, str | None, int]]:
        """Every code, depth first: (code, parent guid or None, depth)."""
        stack: list[tuple[RefiCode, str | None, int]] = [(c, None, 0) for c in reversed(self.codes)]
        while stack:
            code, parent, depth = stack.pop()
            yield code, parent, depth
            stack.extend((child, code.guid, depth + 1) for child in reversed(code.children))

    def all_codes(self) -> list[RefiCode]:
        return [c for c, _, _ in self.iter_codes()]

    def code_by_guid(self) -> dict[str, RefiCode]:
        return {c.guid: c for c in self.all_codes()}

    def selection_count(self) -> int:
        return sum(len(s.selections) for s in self.sources)

    def coding_count(self) -> int:
        return sum(len(sel.codings) for s in self.sources for sel in s.selections) + sum(
            len(s.codings) for s in self.sources
        )
