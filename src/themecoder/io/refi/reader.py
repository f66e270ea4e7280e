"""Read REFI-QDA projects (.qdpx, .qde) and codebooks (.qdc) into :mod:`.model` objects.

Elements are matched on local names, so every namespace real producers use works
(``urn:QDA-XML:project:1.0``, ``urn:QDA-XML:codebook:1.0``, ``...:1:0``, ``...:0:4``, none).
Selection positions are converted to code points in the normalised text; see
:mod:`.positions` and the per-source :class:`~.model.SourceReport` in ``project.report``.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable

from themecoder.io.refi.consistency import check_unique_guids
from themecoder.io.refi.container import TextBudget, folder_loader, read_extension
from themecoder.io.refi.model import (
    EXTENSION_PATH,
    VARIABLE_TYPES,
    ImportReport,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiLink,
    RefiNote,
    RefiOtherSource,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiUser,
    RefiVariable,
    SourceReport,
    VariableValue,
)
from themecoder.io.refi.positions import TextMap, detect_convention
from themecoder.io.refi.safety import (
    DEFAULT_LIMITS,
    Limits,
    RefiError,
    SafeZip,
    decode_text,
    parse_xml,
    safe_relative,
)

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
)
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_NON_TEXT_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
# A selection name that is a label ("line:6", "L 6-8", "12"), not the quoted text (qc).
_LABEL_NAME = re.compile(r"^\s*(?:[^\W\d]+\s*){0,2}[:#.]?\s*\d+(?:\s*[-–:,.]\s*\d+)*\s*$")

#: Loads the bytes behind a source reference (``internal://x.txt``); None when absent.
SourceLoader = Callable[[str], "bytes | None"]


# -- small helpers ---------------------------------------------------------------------------

def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _kids(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _kid(el: Any, name: str) -> Any | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    return unicodedata.normalize("NFC", s.replace("\r\n", "\n").replace("\r", "\n"))


def _child_text(el: Any, name: str) -> str | None:
    k = _kid(el, name)
    if k is None:
        return None
    return _norm(k.text or "")


def _description(el: Any) -> str | None:
    d = _child_text(el, "Description")
    return d if d else None


@dataclass
class _Ctx:
    label: str
    report: ImportReport
    limits: Limits
    loader: SourceLoader | None
    origin: str | None = None
    bad_guids: int = 0
    bad_dates: int = 0
    note_links: dict[str, list[str]] = field(default_factory=dict)  # target guid -> note guids

    def guid(self, value: str | None) -> str | None:
        if value is None:
            return None
        m = _GUID.match(value.strip())
        if m:
            return m.group(1).lower()
        self.bad_guids += 1
        return value.strip() or None

    def required_guid(self, el: Any, what: str) -> str:
        g = self.guid(el.get("guid"))
        if not g:
            raise RefiError(f"{self.label}: a {what} has no guid")
        return g

    def date(self, value: str | None) -> str | None:
        if value is None:
            return None
        v = value.strip()
        if _DATETIME.match(v):
            return v
        self.bad_dates += 1
        return None

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)


def _colour(value: str | None, ctx: _Ctx) -> str | None:
    if not value:
        return None
    v = value.strip()
    if not _COLOUR.match(v):
        ctx.warn(f"ignored colour {value!r}")
        return None
    if len(v) == 4:
        v = "#" + "".join(ch * 2 for ch in v[1:])
    return v.upper()


def _bool(value: str | None, default: bool = True) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("true", "1")


def _int(value: str | None, what: str, ctx: _Ctx) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise RefiError(f"{ctx.label}: {what} is not a whole number: {value!r}") from None


# -- codes -----------------------------------------------------------------------------------

def _read_code(el: Any, ctx: _Ctx, depth: int) -> RefiCode:
    if depth > ctx.limits.max_code_depth:
        raise RefiError(f"{ctx.label}: refused: codes nested deeper than {ctx.limits.max_code_depth} levels")
    code = RefiCode(
        guid=ctx.required_guid(el, "code"),
        name=_norm(el.get("name")) or "",
        description=_description(el),
        colour=_colour(el.get("color") or el.get("colour"), ctx),
        is_codable=_bool(el.get("isCodable"), True),
    )
    code.note_refs = [g for g in (ctx.guid(n.get("targetGUID")) for n in _kids(el, "NoteRef")) if g]
    code.children = [_read_code(c, ctx, depth + 1) for c in _kids(el, "Code")]
    return code


def _read_codes(codes_el: Any | None, ctx: _Ctx) -> list[RefiCode]:
    if codes_el is None:
        return []
    return [_read_code(c, ctx, 1) for c in _kids(codes_el, "Code")]


def _read_sets(sets_el: Any | None, ctx: _Ctx) -> list[RefiSet]:
    out: list[RefiSet] = []
    if sets_el is None:
        return out  # Taguette writes an empty <Sets/>: nothing to read, nothing to complain about
    for s in _kids(sets_el, "Set"):

        def refs(name: str) -> list[str]:
            got = (ctx.guid(m.get("targetGUID") or m.get("guid")) for m in _kids(s, name))
            return [g for g in got if g]

        out.append(
            RefiSet(
                guid=ctx.required_guid(s, "set"),
                name=_norm(s.get("name")) or "",
                description=_description(s),
                member_codes=refs("MemberCode"),
                member_sources=refs("MemberSource"),
                member_notes=refs("MemberNote"),
            )
        )
    return out


# -- variables -------------------------------------------------------------------------------

_VALUE_ELEMENTS = {
    "TextValue": "Text",
    "BooleanValue": "Boolean",
    "IntegerValue": "Integer",
    "FloatValue": "Float",
    "DateValue": "Date",
    "DateTimeValue": "DateTime",
}


def _parse_value(kind: str, text: str, ctx: _Ctx) -> VariableValue:
    t = text.strip()
    try:
        if kind == "Text":
            return _norm(text) or ""
        if kind == "Boolean":
            if t.lower() in ("true", "1"):
                return True
            if t.lower() in ("false", "0"):
                return False
            raise ValueError(t)
        if kind == "Integer":
            return int(t)
        if kind == "Float":
            return float(t)
        if kind == "Date":
            return _dt.date.fromisoformat(re.sub(r"(Z|[+-]\d{2}:\d{2})$", "", t))
        if kind == "DateTime":
            return _dt.datetime.fromisoformat(t)
    except ValueError:
        ctx.warn(f"kept unreadable {kind} value {t!r} as text")
        return t
    return t


def _read_variable_values(el: Any, ctx: _Ctx, defs: dict[str, RefiVariable]) -> dict[str, tuple[str, VariableValue]]:
    out: dict[str, tuple[str, VariableValue]] = {}
    for vv in _kids(el, "VariableValue"):
        ref = _kid(vv, "VariableRef")
        vguid = ctx.guid(ref.get("targetGUID")) if ref is not None else None
        var = defs.get(vguid or "")
        value: VariableValue = None
        vtype = var.type if var is not None else "Text"
        for child in vv:
            kind = _VALUE_ELEMENTS.get(_local(child.tag))
            if kind is not None:
                if var is None:
                    vtype = kind
                value = _parse_value(kind, child.text or "", ctx)
        name = var.name if var is not None else (vguid or "?")
        if var is None:
            ctx.warn(f"a variable value refers to an unknown variable {vguid!r}")
        if name in out:
            ctx.warn(f"variable {name!r} given twice; kept the first value")
            continue
        out[name] = (vtype, value)
    return out


# -- sources ---------------------------------------------------------------------------------

def _load_text(ref: str | None, ctx: _Ctx) -> tuple[str | None, str | None, str | None]:
    """(raw text, encoding, problem) for a plainTextPath / path reference."""
    if not ref:
        return None, None, "no text path"
    r = ref.strip()
    low = r.lower()
    if low.startswith("internal://"):
        rel = safe_relative(r[len("internal://"):])
    elif "://" in r or low.startswith("file:"):
        return None, None, f"external file {r!r} not included in the archive"
    else:
        rel = safe_relative(r)
    if rel is None:
        return None, None, f"refused unsafe path {r!r}"
    if ctx.loader is None:
        return None, None, f"{r!r} not included (no source files with a bare project file)"
    data = ctx.loader(rel)
    if data is None:
        return None, None, f"{r!r} not found in the archive"
    text, encoding = decode_text(data, f"{ctx.label}: {rel}")
    return text, encoding, None


def _file_stem(ref: str | None) -> str:
    tail = re.split(r"[\\/]", (ref or "").strip().split("://", 1)[-1])[-1]
    return _norm(PurePosixPath(tail).stem if "." in tail else tail) or ""


def _read_coding(el: Any, ctx: _Ctx) -> RefiCoding | None:
    ref = _kid(el, "CodeRef")
    code_guid = ctx.guid(ref.get("targetGUID")) if ref is not None else None
    if not code_guid:
        ctx.warn("skipped a coding without a code reference")
        return None
    return RefiCoding(
        guid=ctx.required_guid(el, "coding"),
        code_guid=code_guid,
        creating_user=ctx.guid(el.get("creatingUser")),
        creation_date_time=ctx.date(el.get("creationDateTime")),
    )


def _codings(el: Any, ctx: _Ctx) -> list[RefiCoding]:
    return [c for c in (_read_coding(k, ctx) for k in _kids(el, "Coding")) if c is not None]


def _note_refs(el: Any, ctx: _Ctx) -> list[str]:
    return [g for g in (ctx.guid(n.get("targetGUID")) for n in _kids(el, "NoteRef")) if g]


def _read_text_source(el: Any, ctx: _Ctx, defs: dict[str, RefiVariable]) -> RefiTextSource:
    guid = ctx.required_guid(el, "text source")
    path = el.get("plainTextPath") or el.get("path")
    # No name (qc): the file's name says what it is, not "Dokument".
    name = _norm(el.get("name")) or _file_stem(path)
    inline = _kid(el, "PlainTextContent")
    src = RefiTextSource(
        guid=guid,
        name=name,
        text=None,
        plain_text_path=path,
        description=_description(el),
        codings=_codings(el, ctx),
        note_refs=_note_refs(el, ctx),
        variables=_read_variable_values(el, ctx, defs),
        creating_user=ctx.guid(el.get("creatingUser")),
        creation_date_time=ctx.date(el.get("creationDateTime")),
        modifying_user=ctx.guid(el.get("modifyingUser")),
        modified_date_time=ctx.date(el.get("modifiedDateTime")),
    )
    for s in _kids(el, "PlainTextSelection"):
        start = _int(s.get("startPosition"), "startPosition", ctx)
        end = _int(s.get("endPosition"), "endPosition", ctx)
        src.selections.append(
            RefiSelection(
                guid=ctx.required_guid(s, "selection"),
                start=start,
                end=end,
                name=_norm(s.get("name")),
                description=_description(s),
                codings=_codings(s, ctx),
                note_refs=_note_refs(s, ctx),
                creating_user=ctx.guid(s.get("creatingUser")),
                creation_date_time=ctx.date(s.get("creationDateTime")),
                modifying_user=ctx.guid(s.get("modifyingUser")),
                modified_date_time=ctx.date(s.get("modifiedDateTime")),
                raw_start=start,
                raw_end=end,
            )
        )
    rep = SourceReport(
        guid=guid,
        name=name,
        selections=len(src.selections),
        codings=sum(len(s.codings) for s in src.selections) + len(src.codings),
        named=sum(1 for s in src.selections if s.name and s.name.strip()),
    )
    ctx.report.sources.append(rep)

    raw, encoding, problem = (None, None, None)
    if path:
        raw, encoding, problem = _load_text(path, ctx)
    if raw is None and inline is not None:
        raw, encoding, problem = (inline.text or ""), "inline", None
    elif raw is None and not path:
        problem = "neither plainTextPath nor PlainTextContent"
    rep.encoding = encoding
    if raw is None:
        rep.status = "missing"
        rep.message = problem
        src.positions_converted = False
        return src
    if encoding and encoding.startswith("cp1252"):
        ctx.warn(f"source {name!r} is not valid UTF-8; read as Windows-1252")
    elif encoding and "damaged" in encoding:
        ctx.warn(f"source {name!r} has undecodable bytes; replaced with U+FFFD")

    tm = TextMap(raw)
    names = [s.name if s.name and s.name.strip() else None for s in src.selections]
    labels = [n for n in names if n is not None and _LABEL_NAME.match(n)]
    if labels and 2 * len(labels) >= sum(1 for n in names if n is not None):
        # Names are line labels, not quotes: nothing to check the positions against.
        rep.label_names, rep.label_example = len(labels), labels[0].strip()
        names = [None if n is not None and _LABEL_NAME.match(n) else n for n in names]
    det = detect_convention(tm, [(s.start, s.end, n) for s, n in zip(src.selections, names)], ctx.origin)
    conv = det.convention
    total = tm.total_units(conv)
    for sel in src.selections:
        a, b = sel.start, sel.end
        if b < a or a < 0 or b > total:
            rep.adjusted += 1
        sel.start, sel.end = tm.span_to_text(a, b, conv)
    src.text = tm.text
    src.text_map = tm
    src.position_convention = conv
    rep.convention = conv
    rep.method = det.method
    rep.named = det.named
    rep.matched = det.matched
    rep.boundary_rate = det.boundary_rate
    if rep.adjusted:
        ctx.warn(f"source {name!r}: {rep.adjusted} selection(s) outside the text were clamped")
    return src


def _count_descendants(el: Any, suffix: str) -> int:
    return sum(1 for d in el.iter() if _local(d.tag).endswith(suffix)) - (1 if _local(el.tag).endswith(suffix) else 0)


def _read_other_source(el: Any, ctx: _Ctx) -> RefiOtherSource:
    kind = _local(el.tag)
    other = RefiOtherSource(
        guid=ctx.required_guid(el, kind),
        name=_norm(el.get("name")) or "",
        kind=kind,
        path=el.get("path"),
        selections=_count_descendants(el, "Selection"),
        codings=sum(1 for d in el.iter() if _local(d.tag) == "Coding"),
    )
    ctx.report.sources.append(
        SourceReport(
            guid=other.guid,
            name=other.name,
            kind=kind,
            status="skipped",
            selections=other.selections,
            codings=other.codings,
            message=f"{kind} not supported (only text sources are imported)",
        )
    )
    return other


# -- notes, cases, links ---------------------------------------------------------------------

def _read_note(el: Any, ctx: _Ctx) -> RefiNote:
    text = _child_text(el, "PlainTextContent")
    path = el.get("plainTextPath")
    if text is None and path:
        raw, _, problem = _load_text(path, ctx)
        if raw is None:
            ctx.warn(f"note {el.get('name')!r}: {problem}")
        else:
            text = _norm(raw.lstrip("\ufeff"))
    return RefiNote(
        guid=ctx.required_guid(el, "note"),
        name=_norm(el.get("name")),
        text=text or "",
        description=_description(el),
        creating_user=ctx.guid(el.get("creatingUser")),
        creation_date_time=ctx.date(el.get("creationDateTime")),
        modifying_user=ctx.guid(el.get("modifyingUser")),
        modified_date_time=ctx.date(el.get("modifiedDateTime")),
    )


def _read_case(el: Any, ctx: _Ctx, defs: dict[str, RefiVariable]) -> RefiCase:
    def refs(name: str) -> list[str]:
        return [g for g in (ctx.guid(r.get("targetGUID")) for r in _kids(el, name)) if g]

    return RefiCase(
        guid=ctx.required_guid(el, "case"),
        name=_norm(el.get("name")),
        description=_description(el),
        variables=_read_variable_values(el, ctx, defs),
        source_refs=refs("SourceRef"),
        code_refs=refs("CodeRef"),
        selection_refs=refs("SelectionRef"),
    )


def _add_unique(seq: list[str], value: str) -> None:
    if value not in seq:
        seq.append(value)


def _link_notes(root: Any, project: RefiProject, links_el: Any | None, ctx: _Ctx) -> None:
    notes = {n.guid: n for n in project.notes}
    # NoteRef anywhere (codes, sources, selections, codings, other sources ...) -> note.refs
    for el in root.iter():
        if _local(el.tag) == "Project":
            continue
        target = ctx.guid(el.get("guid")) if el.get("guid") else None
        if not target:
            continue
        for n in _kids(el, "NoteRef"):
            g = ctx.guid(n.get("targetGUID"))
            if g in notes:
                _add_unique(notes[g].refs, target)
            elif g:
                ctx.warn(f"a note reference points to an unknown note {g!r}")
    # Links from or to a note (ATLAS.ti's memo links) are note refs too; other links stay links.
    if links_el is not None:
        for link in _kids(links_el, "Link"):
            origin = ctx.guid(link.get("originGUID"))
            target = ctx.guid(link.get("targetGUID"))
            if origin in notes and target:
                _add_unique(notes[origin].refs, target)  # type: ignore[index]
            elif target in notes and origin:
                _add_unique(notes[target].refs, origin)  # type: ignore[index]
            else:
                project.links.append(
                    RefiLink(
                        guid=ctx.required_guid(link, "link"),
                        name=_norm(link.get("name")),
                        direction=link.get("direction"),
                        colour=_colour(link.get("color"), ctx),
                        origin_guid=origin,
                        target_guid=target,
                    )
                )
    # Keep both directions in step for the objects that carry note_refs.
    holders: dict[str, Any] = {c.guid: c for c in project.all_codes()}
    for s in project.sources:
        holders[s.guid] = s
        for sel in s.selections:
            holders[sel.guid] = sel
    for note in project.notes:
        for target in note.refs:
            h = holders.get(target)
            if h is not None:
                _add_unique(h.note_refs, note.guid)


# -- project ---------------------------------------------------------------------------------

def _finish_report(ctx: _Ctx) -> None:
    if ctx.bad_guids:
        ctx.warn(f"{ctx.bad_guids} identifier(s) are not GUIDs; kept as they are")
    if ctx.bad_dates:
        ctx.warn(f"{ctx.bad_dates} date(s) are not xsd:dateTime; dropped")


def _project_from_root(root: Any, ctx: _Ctx) -> RefiProject:
    if _local(root.tag) != "Project":
        if _local(root.tag) == "CodeBook":
            raise RefiError(f"{ctx.label}: this is a codebook (.qdc), not a project")
        raise RefiError(f"{ctx.label}: not a REFI-QDA project (root element <{_local(root.tag)}>)")
    ctx.origin = root.get("origin")
    ctx.report.origin = ctx.origin
    project = RefiProject(
        name=_norm(root.get("name")) or "Untitled",
        origin=ctx.origin,
        creating_user=ctx.guid(root.get("creatingUserGUID")),
        creation_date_time=ctx.date(root.get("creationDateTime")),
        modifying_user=ctx.guid(root.get("modifyingUserGUID")),
        modified_date_time=ctx.date(root.get("modifiedDateTime")),
        description=_description(root),
        note_refs=_note_refs(root, ctx),
    )
    project.report = ctx.report
    users = _kid(root, "Users")
    if users is not None:
        project.users = [
            RefiUser(guid=ctx.required_guid(u, "user"), name=_norm(u.get("name")), id=u.get("id"))
            for u in _kids(users, "User")
        ]
    codebook = _kid(root, "CodeBook")
    if codebook is not None:
        project.codes = _read_codes(_kid(codebook, "Codes"), ctx)
    variables = _kid(root, "Variables")
    if variables is not None:
        for v in _kids(variables, "Variable"):
            vtype = (v.get("typeOfVariable") or "Text").strip()
            if vtype not in VARIABLE_TYPES:
                ctx.warn(f"variable {v.get('name')!r} has unknown type {vtype!r}; read as Text")
                vtype = "Text"
            project.variables.append(
                RefiVariable(
                    guid=ctx.required_guid(v, "variable"),
                    name=_norm(v.get("name")) or "",
                    type=vtype,
                    description=_description(v),
                )
            )
    defs = {v.guid: v for v in project.variables}
    cases = _kid(root, "Cases")
    if cases is not None:
        project.cases = [_read_case(c, ctx, defs) for c in _kids(cases, "Case")]
    sources = _kid(root, "Sources")
    if sources is not None:
        for s in sources:
            kind = _local(s.tag)
            if kind == "TextSource":
                project.sources.append(_read_text_source(s, ctx, defs))
            elif kind in _NON_TEXT_SOURCES:
                project.other_sources.append(_read_other_source(s, ctx))
            elif kind:
                ctx.report.unsupported.append(f"source element <{kind}>")
    notes = _kid(root, "Notes")
    if notes is not None:
        project.notes = [_read_note(n, ctx) for n in _kids(notes, "Note")]
    project.sets = _read_sets(_kid(root, "Sets"), ctx)
    _link_notes(root, project, _kid(root, "Links"), ctx)
    graphs = _kid(root, "Graphs")
    if graphs is not None and len(_kids(graphs, "Graph")):
        ctx.report.unsupported.append(f"{len(_kids(graphs, 'Graph'))} graph(s) not imported")
    transcripts = sum(1 for d in root.iter() if _local(d.tag) == "Transcript")
    if transcripts:
        ctx.report.unsupported.append(f"{transcripts} transcript(s) of audio/video not imported")
    check_unique_guids(project, ctx.label)
    _finish_report(ctx)
    return project


# -- public API ------------------------------------------------------------------------------

def read_qde_bytes(
    data: bytes,
    *,
    name: str = "project.qde",
    source_loader: SourceLoader | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RefiProject:
    """Read a project from the bytes of a ``.qde``.

    ``source_loader(relative_path)`` returns the bytes of a referenced source file (the part
    after ``internal://``) or None; without it every file-backed source is reported missing
    (sources with inline ``PlainTextContent`` are still read).
    """
    if len(data) > limits.max_entry_bytes:
        raise RefiError(f"{name}: refused: {len(data)} bytes (limit {limits.max_entry_bytes})")
    report = ImportReport(file=name)
    ctx = _Ctx(label=name, report=report, limits=limits, loader=source_loader)
    root = parse_xml(data, name)
    return _project_from_root(root, ctx)


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_entry_bytes:
            raise RefiError(f"{path.name}: refused: {size} bytes (limit {limits.max_entry_bytes})")
        return path.read_bytes()
    except FileNotFoundError:
        raise RefiError(f"{path.name}: file not found") from None
    except IsADirectoryError:
        raise RefiError(f"{path.name}: is a folder, not a file") from None
    except OSError as exc:
        raise RefiError(f"{path.name}: cannot read ({exc.strerror or exc})") from None


def read_qde(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a bare ``.qde`` file. Source files are read from beside it, as an unzipped
    ``.qdpx`` has them (``sources/`` next to ``project.qde``); sources whose file is not
    there are reported missing (codes, cases, notes, sets are all read)."""
    p = Path(path)
    project = read_qde_bytes(_read_file(p, limits), name=p.name, limits=limits,
                             source_loader=folder_loader(p.parent, limits))
    ext_file = p.parent / EXTENSION_PATH
    if ext_file.is_file() and not ext_file.is_symlink():
        project.extension = read_extension(_read_file(ext_file, limits), EXTENSION_PATH)
    return project


def _pick_qde(names: Iterable[str], label: str) -> str:
    at_root = [n for n in names if "/" not in n and "\\" not in n and n.lower().endswith(".qde")]
    if not at_root:
        raise RefiError(f"{label}: no .qde project file at the top of the archive")
    if len(at_root) > 1:
        raise RefiError(f"{label}: ambiguous: several .qde files at the top of the archive ({', '.join(sorted(at_root))})")
    return at_root[0]


def read_qdpx(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a ``.qdpx`` archive: the single ``.qde`` at its root plus the text sources it
    references (``internal://`` in ``sources/`` or ``Sources/``)."""
    p = Path(path)
    with SafeZip(p, limits) as zf:
        qde = _pick_qde(zf.names, p.name)
        data = zf.read(qde)
        budget = TextBudget(limits)

        def loader(rel: str) -> bytes | None:
            for candidate in (f"sources/{rel}", f"Sources/{rel}", rel):
                found = zf.find(candidate)
                if found is not None:
                    got = zf.read(found, limit=budget.allowance(), what="text file")
                    budget.spent(len(got))
                    return got
            return None

        project = read_qde_bytes(data, name=f"{p.name}:{qde}", source_loader=loader, limits=limits)
        project.report.file = p.name
        ext = zf.find(EXTENSION_PATH)
        if ext is not None:
            project.extension = read_extension(zf.read(ext), f"{p.name}:{ext}")
        return project


def read_qdc_bytes(data: bytes, *, name: str = "codebook.qdc", limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a codebook: a project with codes and code sets only."""
    if len(data) > limits.max_entry_bytes:
        raise RefiError(f"{name}: refused: {len(data)} bytes (limit {limits.max_entry_bytes})")
    report = ImportReport(file=name)
    ctx = _Ctx(label=name, report=report, limits=limits, loader=None)
    root = parse_xml(data, name)
    if _local(root.tag) != "CodeBook":
        if _local(root.tag) == "Project":
            raise RefiError(f"{name}: this is a project (.qde/.qdpx), not a codebook")
        raise RefiError(f"{name}: not a REFI-QDA codebook (root element <{_local(root.tag)}>)")
    ctx.origin = root.get("origin")
    report.origin = ctx.origin
    project = RefiProject(name=Path(name).stem, origin=ctx.origin)
    project.report = report
    project.codes = _read_codes(_kid(root, "Codes"), ctx)
    project.sets = _read_sets(_kid(root, "Sets"), ctx)
    _finish_report(ctx)
    return project


def read_qdc(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a ``.qdc`` codebook file."""
    p = Path(path)
    return read_qdc_bytes(_read_file(p, limits), name=p.name, limits=limits)


def read_refi(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read any REFI-QDA file, by content: a zip is a project archive, XML with a
    ``<Project>`` root a bare project, with ``<CodeBook>`` a codebook."""
    p = Path(path)
    if p.is_dir():  # an unzipped .qdpx: the one .qde at its top
        qdes = sorted(q for q in p.iterdir() if q.suffix.lower() == ".qde" and q.is_file())
        if len(qdes) != 1:
            raise RefiError(f"{p.name}: a folder to import as a REFI-QDA project holds exactly one .qde "
                            f"({len(qdes)} found)")
        return read_qde(qdes[0], limits)
    head = _read_head(p)
    if head.startswith(b"PK"):
        return read_qdpx(p, limits)
    data = _read_file(p, limits)
    root_name = _root_name(data)
    if root_name == "CodeBook":
        return read_qdc_bytes(data, name=p.name, limits=limits)
    return read_qde(p, limits)


def _read_head(p: Path) -> bytes:
    try:
        with p.open("rb") as fh:
            return fh.read(4)
    except FileNotFoundError:
        raise RefiError(f"{p.name}: file not found") from None
    except OSError as exc:
        raise RefiError(f"{p.name}: cannot read ({exc.strerror or exc})") from None


def _root_name(data: bytes) -> str:
    m = re.search(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)", data[:4096])
    return m.group(1).decode("ascii", "replace") if m else ""
