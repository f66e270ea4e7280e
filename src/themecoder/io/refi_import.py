"""REFI-QDA import into a project, one action (see io.refi_project for the mapping)."""
from __future__ import annotations

import dataclasses
import datetime as _dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from themecoder import store
from themecoder.core import documents, memos, themes
from themecoder.core.codebook import resolve_alias
from themecoder.core.coding import check_label, new_code, place_coding, trim_span
from themecoder.core.project import Project, new_id
from themecoder.core.resolve import PATH_SEPARATOR
from themecoder.core.text import plural
from themecoder.core.turns import ParsedTranscript, parse_turns
from themecoder.errors import UserError
from themecoder.io import refi_extension
from themecoder.io.refi import (
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    read_refi,
    stable_guid,
)
from themecoder.io.refi_mapping import (
    ANALYTIC_PREFIX,
    CONDENSATE_PREFIX,
    HEX,
    REFI_TO_ATTR,
    is_uuid,
    refi_date,
)
from themecoder.store.db import now


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
    reused_memos: int = 0
    extension_records: int = 0     # findings, links, review items and comments from themecoder's part
    label_names: int = 0
    label_example: str = ""
    skipped: list[str] = field(default_factory=list)
    repaired: Counter = field(default_factory=Counter)    # what the project's rules changed -> how often
    named: int = 0
    matched: int = 0
    positions: list[str] = field(default_factory=list)   # per source: how positions were read

    def summary(self, file: str = "") -> str:
        """One line; prefixed with ``file: `` when a file name is given."""
        parts = [plural(self.documents, "documents")
                 + (f" (+{self.reused_documents} already in the project)" if self.reused_documents else ""),
                 plural(self.codes, "codes") + (f" (+{self.reused_codes} existing)" if self.reused_codes else ""),
                 plural(self.themes, "themes"), plural(self.codings, "codings"), plural(self.participants, "participants"),
                 plural(self.memos, "memos") + (f" (+{self.reused_memos} already in the project)"
                                           if self.reused_memos else "")]
        text = (f"{file}: " if file else "") + ", ".join(parts)
        if self.label_names:
            text += (f"; selection names are labels such as {self.label_example!r}, not quotes "
                     f"({self.label_names}), so they cannot confirm the positions")
        if self.named:
            text += f"; quotes in the file match the text: {self.matched}/{self.named} ({self.matched / self.named:.0%})"
        elif self.positions:
            text += "; no quote text in the file to check against; positions read as " + ", ".join(self.positions)
        if self.extension_records:
            text += f"; {self.extension_records} finding, link, review and shortened-quote record(s) from themecoder's own part"
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
        self.ext = rp.extension                  # themecoder's own part, when the file is ours
        self.in_vivo = set(self.ext.in_vivo_codes)
        self.old_theme: dict[str, str] = {}      # a themecoder file's theme id -> theme id here
        self.new_memos: set[str] = set()

    # -- ids -------------------------------------------------------------------------------------
    def _id(self, guid: str | None, table: str) -> str:
        """The file's GUID as the new row's id when it is a UUID not in use yet; else a new id."""
        if guid and is_uuid(guid) and guid not in self.used_ids and not self._taken(table, guid):
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
        colour = code.colour if code.colour and HEX.match(code.colour) else None
        cid = new_code(self.conn, self.project, label, description=code.description or "", colour=colour,
                       in_vivo=code.guid in self.in_vivo, code_id=self._id(code.guid, "codes"))
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
                self.old_theme[code.guid] = tid
                for child in code.children:
                    visit(child, tid, code.name)
                return
            ours = self.ext.code_themes.get(code.guid)
            if ours:  # a themecoder file: the code's own description, not the one shown to others
                code = dataclasses.replace(code, description=ours[3] or None)
            cid = self._code(code, parent_name)
            self.code_id[code.guid] = cid
            if code.children or ours:
                # A code with sub-codes: a theme named after it holds it and its children (a
                # themecoder file says which theme it was: its id, name and description).
                name, guid, about = (ours[1] or code.name, ours[0], ours[2] or None) if ours else \
                    (code.name, None, None)
                tid = self._theme(name, theme, about, guid or stable_guid("code-theme", code.guid))
                self.theme_id[code.guid] = tid
                if ours:
                    self.old_theme[ours[0]] = tid
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
            self.old_theme.setdefault(s.guid, parent)
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
                    created = refi_date(c.creation_date_time) or (sel and refi_date(sel.creation_date_time)) or now()
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
        # The same file imported again: its notes are here already (by GUID or by content).
        if guid and guid not in self.used_ids and store.memos.exists(self.conn, guid):
            self.used_ids.add(guid)
            self.stats.reused_memos += 1
            return
        title, text = title or "", text or ""
        if any(m.title == title and m.text.strip() == text.strip() and m.id not in self.new_memos
               for m in store.memos.memos(self.project.db, target_type, target_id)):
            self.stats.reused_memos += 1
            return
        self.new_memos.add(self._memo_new(target_type, target_id, title, text, author, created, modified, guid))

    def _memo_new(self, target_type: str, target_id: str | None, title: str, text: str,
                  author: str | None, created: str | None, modified: str | None, guid: str | None) -> str:
        memo_id = memos.new_memo(self.conn, self.project, target_type, target_id, text or "", title=title or "",
                                 author=author, created=created, modified=modified,
                                 memo_id=self._id(guid, "memos"), allow_empty=True)
        self.stats.memos += 1
        return memo_id

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
            created, modified = refi_date(note.creation_date_time), refi_date(note.modified_date_time)
            placed = [targets[g] for g in note.refs if g in targets]
            ours = self.ext.note_targets.get(note.guid)
            if ours and ours[0] == "theme" and ours[1] in self.old_theme:
                placed = [("theme", self.old_theme[ours[1]])]   # a theme written as a code
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

    def key_quotes(self) -> None:
        """A themecoder file's key quotes ("gullsitat"), kept in its extension."""
        for old_theme, coding_guid in self.ext.key_codings.items():
            tid, ids = self.old_theme.get(old_theme), self.coding_ids.get(coding_guid)
            if tid and ids and not store.themes.theme(self.project.db, tid).key_coding_id:
                store.themes.update(self.conn, tid, key_coding_id=ids[0])

    def run(self) -> ImportStats:
        for name in {u for u in self.users.values() if u}:
            store.project.add_coder(self.conn, new_id(), name, now())
        self.sources()
        self.codes()
        self.sets()
        self.codings()
        self.cases()
        self.notes()
        self.key_quotes()
        self.stats.extension_records = refi_extension.apply(self.conn, self.project, self.ext, self.old_theme,
                                                            self.code_id, self.coding_ids, self.stats.skipped)
        rep = self.rp.report
        for s in rep.sources:
            if s.label_names:
                self.stats.label_names += s.label_names
                self.stats.label_example = self.stats.label_example or (s.label_example or "")
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
            conn, f"import {path.name}: {plural(stats.documents, 'documents')}, {plural(stats.codes, 'codes')}, "
                  f"{plural(stats.codings, 'codings')}",
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

