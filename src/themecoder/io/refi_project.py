"""REFI-QDA exchange for a whole project: the project <-> :class:`themecoder.io.refi.RefiProject`.

The file format itself (safe reading, positions, XML) is :mod:`themecoder.io.refi`; this
module maps the project's tables to that model and back.

Export (``export_qdpx``, ``export_codebook_qdc``)
    ==================  ============================================================
    themecoder          REFI-QDA
    ==================  ============================================================
    document            TextSource (GUID = the document's id), its text as a file
    coding              PlainTextSelection (GUID derived from the coding) with one
                        Coding (GUID = the coding's id); the quote in ``name``
    code                Code, codable (GUID = the code's id)
    theme / subtheme    ``--themes-as codes`` (default): a non-codable Code
                        (GUID = the theme's id) with its subthemes and codes nested
                        inside. A code can sit in one place of the tree only: a code in
                        several themes is placed under the first, and each further
                        membership is written as a Set named after that theme's path
                        ("Tema › Subtema"), which the import folds back in.
                        ``--themes-as sets``: codes stay flat; every theme is a Set of
                        codes named by its path (GUID = the theme's id).
    participant         Case (GUID = the participant's id) with its documents and
                        its attributes as typed VariableValues
    attribute           Variable (Text, Integer, Float, Date, Boolean)
    memo                Note linked to what it is about (project, document, code,
                        theme, coding); a theme's analytic text and condensate become
                        Notes named "Analytic text: <theme>" / "Condensate: <theme>"
    coder               User
    ==================  ============================================================

    Parent codes are the default because every QDA program shows a code tree (NVivo,
    ATLAS.ti, MAXQDA, QualCoder all import nested codes), while support for sets of codes
    varies (NVivo ignores them), and because only a tree keeps theme > subtheme. Not
    exported: in-vivo flags, key quotes, shortened quotes, review data, findings.

Import (``import_refi``), one action (one undo) for the whole file:
    * text sources -> documents (text NFC/LF as the reader gives it; speaker turns parsed;
      a source whose text is already in the project is reused and gets the codings);
      non-text sources and sources whose file is missing are skipped and reported;
    * codes: a non-codable code with children -> a theme (nested ones -> subthemes); a
      codable code -> a code; a codable code *with* children (MAXQDA) -> a code, plus a
      theme of the same name holding it and its children, so the hierarchy survives;
      codes with the same name in different branches get the parent's name added;
      a code whose GUID is a code of the project (or was merged into one) is that code, and
      a code whose label exists in the project already is reused;
    * every document, participant, attribute, code, theme, mapping, coding and memo is made
      by the core's own operations (core.documents.insert_transcript/participant_id_for/
      attribute_for, core.coding.new_code/place_coding, core.themes.new_theme/map_code,
      core.memos.new_memo), so the TUI's rules hold: a document's title is made unique, an
      attribute keeps the type it was first defined with, a nameless code or theme is named
      "Kode"/"Tema", a theme nested deeper than themes.MAX_DEPTH is attached at the deepest
      level allowed; the summary lists each repair;
    * sets of codes -> themes (a name "A › B" -> subtheme B of A; an existing theme of that
      path gets the members); sets of documents only are reported and skipped;
    * selections -> codings, quote = text[start:end] (trimmed of surrounding whitespace),
      with context; a selection's description (ATLAS.ti comment) -> a memo on the coding;
      whole-source codings -> a coding of the whole text;
    * cases -> participants with their variables as typed attributes, linked to their sources;
    * notes -> memos on their targets (one per target), notes on nothing -> project memos.

    The file is read and checked completely before anything is written; any error rolls the
    whole import back. The text index (sentences, lemmas) of new documents is built
    afterwards, outside the action (it is derived data).
"""
from __future__ import annotations

import datetime as _dt
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from themecoder import store
from themecoder.core import documents, memos, themes
from themecoder.core.codebook import resolve_alias
from themecoder.core.coding import check_label, new_code, place_coding, trim_span
from themecoder.core.project import Project, new_id
from themecoder.core.resolve import PATH_SEPARATOR, theme_paths
from themecoder.core.turns import ParsedTranscript, parse_turns
from themecoder.errors import UserError
from themecoder.io.refi import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiUser,
    RefiVariable,
    read_refi,
    stable_guid,
    write_qdc,
    write_qdpx,
)
from themecoder.store import exchange
from themecoder.store.db import now

THEMES_AS = ("codes", "sets")
ATTR_TO_REFI = {"text": "Text", "integer": "Integer", "float": "Float", "date": "Date", "boolean": "Boolean"}
REFI_TO_ATTR = {"Text": "text", "Integer": "integer", "Float": "float", "Date": "date", "Boolean": "boolean",
                "DateTime": "text"}
ANALYTIC_PREFIX = "Analytic text: "
CONDENSATE_PREFIX = "Condensate: "
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _date(value: str | None) -> str | None:
    return value if value and _DATETIME.match(value) else None


def _is_uuid(value: str | None) -> bool:
    try:
        return value is not None and str(uuid.UUID(value)) == value
    except ValueError:
        return False


# ==============================================================================================
# export
# ==============================================================================================
def _value(attr_type: str, value: str | None):
    if value is None:
        return None
    try:
        if attr_type == "integer":
            return int(value)
        if attr_type == "float":
            return float(value)
        if attr_type == "date":
            return _dt.date.fromisoformat(value)
        if attr_type == "boolean":
            return value == "true"
    except ValueError:
        return None
    return value


def project_to_refi(project: Project, *, themes_as: str = "codes", with_sources: bool = True) -> RefiProject:
    """The project as a REFI-QDA model (see the module docstring for the mapping)."""
    if themes_as not in THEMES_AS:
        raise UserError(f"--themes-as must be one of {', '.join(THEMES_AS)}")
    db = project.db
    rp = RefiProject(name=project.name, creation_date_time=_date(project.setting("created")))
    users = _users(db)
    rp.users = [RefiUser(guid=g, name=n) for n, g in users.items()]
    codes = {c.id: RefiCode(guid=c.id, name=c.label, description=c.description or None,
                            colour=c.colour.upper() if _HEX.match(c.colour or "") else None)
             for c in store.codes.codes(db)}
    ordered_themes = store.themes.themes(db)    # parents before children, in order
    paths = theme_paths(ordered_themes)
    members: dict[str, list[str]] = defaultdict(list)
    for code_id, theme_id in store.themes.code_theme_pairs(db):
        members[theme_id].append(code_id)
    if themes_as == "codes":
        _themes_as_codes(rp, codes, ordered_themes, members, paths)
    else:
        rp.codes = list(codes.values())
        for t in ordered_themes:
            rp.sets.append(RefiSet(guid=t.id, name=paths[t.id], description=t.description or None,
                                   member_codes=list(members.get(t.id, []))))
    _cases(rp, db)
    if with_sources:
        _sources(rp, db, users)
        _notes(rp, db, users, codes, ordered_themes, paths)
    return rp


def _users(db) -> dict[str, str]:
    """Coder name -> GUID: the coders, plus any name only found on codings or memos."""
    users: dict[str, str] = {}
    for coder_id, name in exchange.coders(db):
        users[name] = coder_id if _is_uuid(coder_id) else stable_guid("user", name)
    for name in exchange.coding_and_memo_authors(db):
        users.setdefault(name, stable_guid("user", name))
    return users


def _themes_as_codes(rp: RefiProject, codes: dict[str, RefiCode], ordered_themes: list,
                     members: dict[str, list[str]], paths: dict[str, str]) -> None:
    """Themes as non-codable parent codes; a code's further themes as sets named by path."""
    placed: set[str] = set()
    extra: dict[str, list[str]] = defaultdict(list)
    theme_codes: dict[str, RefiCode] = {}
    for t in ordered_themes:
        tc = RefiCode(guid=t.id, name=t.name, description=t.description or None, is_codable=False)
        theme_codes[t.id] = tc
        if t.parent_id:
            theme_codes[t.parent_id].children.append(tc)
        else:
            rp.codes.append(tc)
    for t in ordered_themes:
        for code_id in members.get(t.id, []):
            if code_id in placed:
                extra[t.id].append(code_id)
            else:
                placed.add(code_id)
    # Codes after subthemes inside each theme, in the theme's order.
    for t in ordered_themes:
        for code_id in members.get(t.id, []):
            if code_id not in extra[t.id]:
                theme_codes[t.id].children.append(codes[code_id])
    rp.codes.extend(c for cid, c in codes.items() if cid not in placed)
    for theme_id, code_ids in extra.items():
        if code_ids:
            rp.sets.append(RefiSet(guid=stable_guid("theme-set", theme_id), name=paths[theme_id],
                                   member_codes=list(code_ids)))


def _cases(rp: RefiProject, db) -> None:
    """Attributes as variables, participants as cases with their documents and values."""
    rp.variables = [RefiVariable(guid=aid if _is_uuid(aid) else stable_guid("variable", name),
                                 name=name, type=ATTR_TO_REFI.get(type_, "Text"))
                    for aid, name, type_ in exchange.attributes(db)]
    docs_of: dict[str, list[str]] = defaultdict(list)
    for d in store.documents.documents(db):
        if d.participant_id is not None:
            docs_of[d.participant_id].append(d.id)
    for p in store.participants.participants(db):
        values = {a.name: (ATTR_TO_REFI.get(a.type, "Text"), _value(a.type, a.value)) for a in p.attributes}
        rp.cases.append(RefiCase(guid=p.id, name=p.pseudonym, variables=values, source_refs=docs_of.get(p.id, [])))


def _sources(rp: RefiProject, db, users: dict[str, str]) -> None:
    """Documents as text sources, each coding as a selection with one coding."""
    for d in store.documents.documents(db):
        src = RefiTextSource(guid=d.id, name=d.title, text=store.documents.document_text(db, d.id),
                             creation_date_time=_date(d.imported))
        for c in store.codings.codings_for_document(db, d.id):
            user = users.get(c.coder) if c.coder else None
            created = _date(c.created)
            src.selections.append(RefiSelection(
                guid=stable_guid("selection", c.id), start=c.start, end=c.end,
                codings=[RefiCoding(c.id, c.code_id, user, created)],
                creating_user=user, creation_date_time=created))
        rp.sources.append(src)


def _notes(rp: RefiProject, db, users: dict[str, str], codes: dict[str, RefiCode], ordered_themes: list,
           paths: dict[str, str]) -> None:
    """Memos as notes on what they are about; theme texts as notes named after the theme."""
    valid = {
        "document": {s.guid for s in rp.sources}, "code": set(codes), "theme": set(paths),
        "coding": {c.guid for s in rp.sources for sel in s.selections for c in sel.codings},
    }
    for m in store.memos.memos(db):
        note = RefiNote(guid=m.id if _is_uuid(m.id) else stable_guid("memo", m.id),
                        name=m.title or None, text=m.text,
                        creating_user=users.get(m.author) if m.author else None,
                        creation_date_time=_date(m.created), modified_date_time=_date(m.modified))
        if m.target_type == "project":
            rp.note_refs.append(note.guid)
        elif m.target_id is not None and m.target_id in valid.get(m.target_type, ()):
            note.refs.append(m.target_id)
        else:
            continue  # a memo on something not exported
        rp.notes.append(note)
    for t in ordered_themes:
        for prefix, text in ((ANALYTIC_PREFIX, t.analytic_text), (CONDENSATE_PREFIX, t.condensate)):
            if text:
                col = "analytic_text" if prefix == ANALYTIC_PREFIX else "condensate"
                rp.notes.append(RefiNote(guid=stable_guid(col, t.id), name=prefix + paths[t.id],
                                         text=text, refs=[t.id]))


def export_qdpx(project: Project, path: str | Path, *, themes_as: str = "codes") -> str:
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise UserError(f"{path.name}: a REFI-QDA project file ends in .qdpx")
    path.parent.mkdir(parents=True, exist_ok=True)
    rp = project_to_refi(project, themes_as=themes_as)
    write_qdpx(rp, path)
    n_codings = sum(len(s.selections) for s in rp.sources)
    n_themes = store.themes.count(project.db)
    n_codes = store.codes.count(project.db)
    return (f"{len(rp.sources)} documents, {n_codes} codes, "
            f"{n_themes} themes (as {'parent codes' if themes_as == 'codes' else 'sets'}), "
            f"{n_codings} codings, {len(rp.cases)} participants, {len(rp.notes)} notes")


def export_codebook_qdc(project: Project, path: str | Path, *, themes_as: str = "codes") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rp = project_to_refi(project, themes_as=themes_as, with_sources=False)
    if not rp.codes:
        raise UserError("the project has no codes; a REFI-QDA codebook needs at least one")
    write_qdc(rp, path)
    return path


# ==============================================================================================
# import
# ==============================================================================================
@dataclass
class ImportStats:
    documents: int = 0
    reused_documents: int = 0
    codes: int = 0
    reused_codes: int = 0
    themes: int = 0
    mappings: int = 0
    codings: int = 0
    duplicate_codings: int = 0
    participants: int = 0
    attributes: int = 0
    memos: int = 0
    skipped: list[str] = field(default_factory=list)
    repaired: Counter = field(default_factory=Counter)    # what the project's rules changed -> how often
    named: int = 0
    matched: int = 0
    positions: list[str] = field(default_factory=list)   # per source: how positions were read

    def summary(self, file: str = "") -> str:
        """One line; prefixed with ``file: `` when a file name is given."""
        parts = [f"{self.documents} documents"
                 + (f" (+{self.reused_documents} already in the project)" if self.reused_documents else ""),
                 f"{self.codes} codes" + (f" (+{self.reused_codes} existing)" if self.reused_codes else ""),
                 f"{self.themes} themes", f"{self.codings} codings", f"{self.participants} participants",
                 f"{self.memos} memos"]
        text = (f"{file}: " if file else "") + ", ".join(parts)
        if self.named:
            text += f"; quotes in the file match the text: {self.matched}/{self.named} ({self.matched / self.named:.0%})"
        elif self.positions:
            text += "; no quote text in the file to check against; positions read as " + ", ".join(self.positions)
        if self.repaired:
            text += "; repaired: " + "; ".join(f"{n} {what}" for what, n in self.repaired.items())
        if self.skipped:
            text += "; skipped: " + "; ".join(self.skipped)
        return text


class _Importer:
    def __init__(self, project: Project, rp: RefiProject, conn) -> None:
        self.project, self.rp, self.conn = project, rp, conn
        self.stats = ImportStats()
        self.code_id: dict[str, str] = {}        # refi code guid -> project code id
        self.theme_id: dict[str, str] = {}       # refi code/set guid -> project theme id
        self.doc_id: dict[str, str] = {}         # refi source guid -> document id
        self.coding_ids: dict[str, list[str]] = defaultdict(list)   # selection/coding guid -> coding ids
        self.users = {u.guid: (u.name or u.id or "") for u in rp.users}
        self.used_ids: set[str] = set()
        self.labels = {label.casefold(): cid for cid, label in store.codes.ids_and_labels(conn)}
        self.new_labels: set[str] = set()
        self.new_documents: list[str] = []

    # -- ids -------------------------------------------------------------------------------------
    def _id(self, guid: str | None, table: str) -> str:
        """The file's GUID as the new row's id when it is a UUID not in use yet; else a new id."""
        if guid and _is_uuid(guid) and guid not in self.used_ids and not self._taken(table, guid):
            self.used_ids.add(guid)
            return guid
        nid = new_id()
        self.used_ids.add(nid)
        return nid

    def _taken(self, table: str, guid: str) -> bool:
        exists = {"codes": store.codes.exists, "themes": store.themes.exists, "codings": store.codings.exists,
                  "memos": store.memos.exists, "documents": store.documents.exists,
                  "participants": store.participants.exists}
        return exists[table](self.conn, guid)

    # -- codes and themes ----------------------------------------------------------------------
    def _theme(self, name: str, parent: str | None, description: str | None, guid: str | None) -> str:
        """Find or create a theme by the project's rules: a nameless one is named "Tema", one
        nested deeper than the limit is attached at the deepest level allowed (both reported)."""
        try:
            name = themes.clean_name(name)
        except UserError:
            name = "Tema"
            self.stats.repaired['theme(s) without a name, named "Tema"'] += 1
        allowed = themes.deepest_allowed_parent(self.project, parent)
        if allowed != parent:
            self.stats.repaired[f"theme(s) nested deeper than {themes.MAX_DEPTH} levels, "
                                f"attached at level {themes.MAX_DEPTH}"] += 1
            parent = allowed
        existing = store.themes.named(self.conn, parent, name)
        if existing is not None:
            if description:
                themes.set_texts(self.conn, self.project, existing, {"description": description}, only_if_empty=True)
            return existing
        tid = themes.new_theme(self.conn, self.project, name, parent, description=description or "",
                               theme_id=self._id(guid, "themes"))
        self.stats.themes += 1
        return tid

    def _map(self, code_id: str, theme_id: str) -> None:
        self.stats.mappings += themes.map_code(self.conn, code_id, theme_id)

    def _code(self, code: RefiCode, parent_name: str | None) -> str:
        # A code of this project (an export coming back), or one merged here since: the survivor.
        here = resolve_alias(self.project, code.guid) if code.guid not in self.used_ids else None
        if here is not None:
            self.used_ids.add(code.guid)
            self.stats.reused_codes += 1
            return here
        try:
            label = check_label(code.name)
        except UserError:
            label = "Kode"
            self.stats.repaired['code(s) without a name, named "Kode"'] += 1
        key = label.casefold()
        if key in self.labels and key not in self.new_labels:
            self.stats.reused_codes += 1
            return self.labels[key]
        if key in self.labels:  # the same name twice in this file: tell them apart
            base = f"{label} ({parent_name})" if parent_name else label
            label, n = base, 2
            while label.casefold() in self.labels:
                label, n = f"{base} ({n})", n + 1
        colour = code.colour if code.colour and _HEX.match(code.colour) else None
        cid = new_code(self.conn, self.project, label, description=code.description or "", colour=colour,
                       code_id=self._id(code.guid, "codes"))
        self.labels[label.casefold()] = cid
        self.new_labels.add(label.casefold())
        self.stats.codes += 1
        return cid

    def codes(self) -> None:
        coded = {c.code_guid for s in self.rp.sources for sel in s.selections for c in sel.codings}
        coded |= {c.code_guid for s in self.rp.sources for c in s.codings}

        def visit(code: RefiCode, theme: str | None, parent_name: str | None) -> None:
            if not code.is_codable and code.guid not in coded:
                tid = self._theme(code.name, theme, code.description, code.guid)
                self.theme_id[code.guid] = tid
                for child in code.children:
                    visit(child, tid, code.name)
                return
            cid = self._code(code, parent_name)
            self.code_id[code.guid] = cid
            if code.children:
                # A code with sub-codes: a theme named after it holds it and its children.
                tid = self._theme(code.name, theme, None, stable_guid("code-theme", code.guid))
                self.theme_id[code.guid] = tid
                self._map(cid, tid)
                for child in code.children:
                    visit(child, tid, code.name)
            elif theme is not None:
                self._map(cid, theme)

        for code in self.rp.codes:
            visit(code, None, None)

    def sets(self) -> None:
        doc_sets = 0
        for s in self.rp.sets:
            member_codes = [self.code_id[g] for g in s.member_codes if g in self.code_id]
            if not s.member_codes and (s.member_sources or s.member_notes):
                doc_sets += 1
                continue
            parent: str | None = None
            names = [n.strip() for n in (s.name or "Sett").split(PATH_SEPARATOR.strip()) if n.strip()] or ["Sett"]
            for i, name in enumerate(names):
                last = i == len(names) - 1
                parent = self._theme(name, parent, s.description if last else None, s.guid if last else None)
            assert parent is not None  # names is never empty
            self.theme_id[s.guid] = parent
            for cid in member_codes:
                self._map(cid, parent)
        if doc_sets:
            self.stats.skipped.append(f"{doc_sets} set(s) of documents or notes")

    # -- documents and codings --------------------------------------------------------------
    def sources(self) -> None:
        from hashlib import sha256

        missing = 0
        missing_codings = 0
        for src in self.rp.sources:
            if src.text is None:
                missing += 1
                missing_codings += sum(len(sel.codings) for sel in src.selections) + len(src.codings)
                continue
            text = src.text
            digest = sha256(text.encode("utf-8")).hexdigest()
            known = documents.duplicate_of(self.project, digest)
            if known is not None:
                self.doc_id[src.guid] = known.id
                self.stats.reused_documents += 1
                continue
            if not text.strip():
                self.stats.skipped.append(f"empty source {src.name!r}")
                continue
            title = documents.unique_title(self.project, " ".join((src.name or "").split()) or "Dokument")
            did = self._id(src.guid, "documents")
            source_name = Path((src.plain_text_path or "").replace("internal://", "")).name or f"{title}.txt"
            parsed = ParsedTranscript(source_name=source_name, title=title, text=text, turns=parse_turns(text),
                                      sha256=digest, encoding="refi-qda")
            documents.insert_transcript(self.conn, did, parsed, title=title)
            self.doc_id[src.guid] = did
            self.new_documents.append(did)
            self.stats.documents += 1
        if missing:
            self.stats.skipped.append(f"{missing} text source(s) whose file is missing "
                                      f"({missing_codings} codings in them)")
        others = self.rp.other_sources
        if others:
            kinds = Counter(o.kind.replace("Source", "").lower() for o in others)
            n_codings = sum(o.codings for o in others)
            self.stats.skipped.append(
                f"{len(others)} non-text source(s) (" + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                + f"; {n_codings} codings in them)")

    def codings(self) -> None:
        unknown_code = 0
        empty = 0
        rows = []
        for src in self.rp.sources:
            did = self.doc_id.get(src.guid)
            if did is None or src.text is None:
                continue
            text = src.text
            spans: list[tuple[RefiSelection | None, int, int, list[RefiCoding]]] = [
                (sel, sel.start, sel.end, sel.codings) for sel in src.selections]
            spans += [(None, 0, len(text), src.codings)] if src.codings else []
            for sel, start, end, codings in spans:
                s, e = trim_span(text, start, end)
                if not (0 <= s < e <= len(text)):
                    empty += len(codings)
                    continue
                for c in codings:
                    cid = self.code_id.get(c.code_guid)
                    if cid is None:
                        unknown_code += 1
                        continue
                    coder = self.users.get(c.creating_user or "") or (
                        self.users.get(sel.creating_user or "") if sel else None) or self.project.coder
                    created = _date(c.creation_date_time) or (sel and _date(sel.creation_date_time)) or now()
                    rows.append((sel, c, did, cid, s, e, text, coder, created))
        for sel, c, did, cid, s, e, text, coder, created in rows:
            coding_id, is_new = place_coding(self.conn, self.project, did, cid, s, e, text=text, coder=coder,
                                             created=created, coding_id=self._id(c.guid, "codings"), reuse=True)
            if is_new:
                self.stats.codings += 1
            else:
                self.stats.duplicate_codings += 1
            self.coding_ids[c.guid].append(coding_id)
            if sel is not None:
                self.coding_ids[sel.guid].append(coding_id)
        if unknown_code:
            self.stats.skipped.append(f"{unknown_code} coding(s) with an unknown code")
        if empty:
            self.stats.skipped.append(f"{empty} coding(s) of empty or blank text")
        # ATLAS.ti keeps a quotation's comment in the selection's description.
        for src in self.rp.sources:
            for sel in src.selections:
                ids = self.coding_ids.get(sel.guid)
                if sel.description and ids:
                    self._memo("coding", ids[0], "", sel.description, None, None, None, None)
        for src in self.rp.sources:
            if src.description and src.guid in self.doc_id:
                self._memo("document", self.doc_id[src.guid], "", src.description, None, None, None, None)

    # -- participants --------------------------------------------------------------------------
    def _attribute(self, pid: str, name: str, vtype: str, value) -> bool:
        """One typed value for a participant, by the rules of core.documents (an attribute keeps
        the type it was first defined with); False when the value does not fit that type."""
        aid, attr_type = documents.attribute_for(self.conn, name, REFI_TO_ATTR.get(vtype, "text"))
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (_dt.date, _dt.datetime)):
            value = value.isoformat()
        elif value is not None:
            value = str(value)
        try:
            value = documents.check_attribute_value(value, attr_type, name)
        except UserError:
            return False
        store.participants.set_value(self.conn, pid, aid, value)
        self.stats.attributes += 1
        return True

    def _participant(self, pseudonym: str, guid: str) -> str:
        """The participant with this pseudonym; a new one keeps the case's GUID as its id."""
        pid = store.participants.id_by_pseudonym(self.conn, pseudonym)
        if pid is None:
            pid = documents.participant_id_for(self.conn, pseudonym, id_if_new=self._id(guid, "participants"))
            self.stats.participants += 1
        return pid

    def cases(self) -> None:
        bad_values = 0
        claimed: set[str] = set()
        for n, case in enumerate(self.rp.cases, 1):
            pid = self._participant(" ".join((case.name or "").split()) or f"Case {n}", case.guid)
            for name, (vtype, value) in case.variables.items():
                if not self._attribute(pid, name, vtype, value):
                    bad_values += 1
            for g in case.source_refs:
                did = self.doc_id.get(g)
                if did and did not in claimed:
                    claimed.add(did)
                    store.documents.set_participant(self.conn, did, pid, only_if_unset=True)
        # Variables on sources (NVivo file attributes) go to the source's participant.
        lost = 0
        for src in self.rp.sources:
            if not src.variables:
                continue
            did = self.doc_id.get(src.guid)
            owner = store.documents.document(self.project.db, did).participant_id if did else None
            if not owner:
                lost += len(src.variables)
                continue
            for name, (vtype, value) in src.variables.items():
                if not self._attribute(owner, name, vtype, value):
                    bad_values += 1
        if bad_values:
            self.stats.skipped.append(f"{bad_values} attribute value(s) that do not fit the attribute's type")
        if lost:
            self.stats.skipped.append(f"{lost} document variable value(s) of documents without a participant")

    # -- notes ---------------------------------------------------------------------------------
    def _memo(self, target_type: str, target_id: str | None, title: str, text: str,
              author: str | None, created: str | None, modified: str | None, guid: str | None) -> None:
        memos.new_memo(self.conn, self.project, target_type, target_id, text or "", title=title or "",
                       author=author, created=created, modified=modified, memo_id=self._id(guid, "memos"),
                       allow_empty=True)
        self.stats.memos += 1

    def notes(self) -> None:
        targets: dict[str, tuple[str, str]] = {}
        for g, did in self.doc_id.items():
            targets[g] = ("document", did)
        for g, tid in self.theme_id.items():
            targets[g] = ("theme", tid)
        for g, cid in self.code_id.items():
            targets[g] = ("code", cid)
        for g, ids in self.coding_ids.items():
            targets[g] = ("coding", ids[0])
        project_notes = set(self.rp.note_refs)
        unplaced = 0
        for note in self.rp.notes:
            if not (note.text or "").strip() and not note.name:
                continue
            author = self.users.get(note.creating_user or "")
            created, modified = _date(note.creation_date_time), _date(note.modified_date_time)
            placed = [targets[g] for g in note.refs if g in targets]
            name = note.name or ""
            if len(placed) == 1 and placed[0][0] == "theme":
                for prefix, col in ((ANALYTIC_PREFIX, "analytic_text"), (CONDENSATE_PREFIX, "condensate")):
                    if name.startswith(prefix):
                        themes.set_texts(self.conn, self.project, placed[0][1], {col: note.text or ""})
                        break
                else:
                    self._memo("theme", placed[0][1], name, note.text, author, created, modified, note.guid)
                continue
            if not placed:
                if note.refs and note.guid not in project_notes:
                    unplaced += 1
                self._memo("project", None, name, note.text, author, created, modified, note.guid)
                continue
            seen = set()
            for i, (kind, tid) in enumerate(placed):
                if (kind, tid) in seen:
                    continue
                seen.add((kind, tid))
                self._memo(kind, tid, name, note.text, author, created, modified, note.guid if i == 0 else None)
        if unplaced:
            self.stats.skipped.append(f"{unplaced} note(s) about things not imported (kept as project memos)")

    def run(self) -> ImportStats:
        for name in {u for u in self.users.values() if u}:
            store.project.add_coder(self.conn, new_id(), name, now())
        self.sources()
        self.codes()
        self.sets()
        self.codings()
        self.cases()
        self.notes()
        rep = self.rp.report
        for s in rep.sources:
            if s.status == "ok" and s.named:
                self.stats.named += s.named
                self.stats.matched += s.matched
            elif s.status == "ok" and s.selections:
                how = f" (selection edges between words: {s.boundary_rate:.0%})" if s.boundary_rate is not None else ""
                self.stats.positions.append(f"{s.convention}{how}")
        if self.rp.links:
            self.stats.skipped.append(f"{len(self.rp.links)} link(s) between objects")
        self.stats.skipped.extend(rep.unsupported)
        return self.stats


def import_refi_file(project: Project, path: str | Path, *, index: bool = True) -> tuple[str, ImportStats]:
    """Import a .qdpx project, a bare .qde or a .qdc codebook as one action.

    Returns the one-line summary and the counts. Reading and every safety check happen
    before the action starts; an error inside it rolls the whole import back.
    """
    path = Path(path)
    rp = read_refi(path)
    with project.action("import-refi", f"import {path.name}", {"file": path.name}) as conn:
        importer = _Importer(project, rp, conn)
        stats = importer.run()
        summary = stats.summary()
        project.db.update_action_summary(
            conn, f"import {path.name}: {stats.documents} documents, {stats.codes} codes, {stats.codings} codings",
            {"file": path.name, "documents": stats.documents, "codes": stats.codes, "themes": stats.themes,
             "codings": stats.codings, "participants": stats.participants, "memos": stats.memos,
             "skipped": stats.skipped, "repaired": dict(stats.repaired)})
    if index and importer.new_documents:
        try:
            from themecoder.core.indexing import index_document

            for did in importer.new_documents:
                index_document(project, did)
        except Exception as exc:  # noqa: BLE001 -- the import stands; the index is rebuilt lazily later
            summary += f"; text index not built yet ({type(exc).__name__})"
    return summary, stats


def import_refi(project: Project, path: str | Path, *, index: bool = True) -> str:
    """What `themecoder import PROJECT FILE.qdpx|FILE.qdc` calls: import, return the summary."""
    return import_refi_file(project, path, index=index)[0]
