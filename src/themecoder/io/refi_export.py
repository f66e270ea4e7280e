"""REFI-QDA export of a project (see io.refi_project for the mapping)."""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from pathlib import Path

from themecoder import store
from themecoder.core.project import Project
from themecoder.core.resolve import theme_paths
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
    stable_guid,
    write_qdc,
    write_qdpx,
)
from themecoder.io.refi_mapping import (
    ANALYTIC_PREFIX,
    ATTR_TO_REFI,
    CONDENSATE_PREFIX,
    HEX,
    is_uuid,
    refi_date,
)
from themecoder.store import exchange

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
    rp = RefiProject(name=project.name, creation_date_time=refi_date(project.setting("created")))
    users = _users(db)
    rp.users = [RefiUser(guid=g, name=n) for n, g in users.items()]
    codes = {c.id: RefiCode(guid=c.id, name=c.label, description=c.description or None,
                            colour=c.colour.upper() if HEX.match(c.colour or "") else None)
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
        users[name] = coder_id if is_uuid(coder_id) else stable_guid("user", name)
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
           paths: dict[str, str]) -> None:
    """Memos as notes on what they are about; theme texts as notes named after the theme."""
    valid = {
        "document": {s.guid for s in rp.sources}, "code": set(codes), "theme": set(paths),
        "coding": {c.guid for s in rp.sources for sel in s.selections for c in sel.codings},
    }
    for m in store.memos.memos(db):
        note = RefiNote(guid=m.id if is_uuid(m.id) else stable_guid("memo", m.id),
                        name=m.title or None, text=m.text,
                        creating_user=users.get(m.author) if m.author else None,
                        creation_date_time=refi_date(m.created), modified_date_time=refi_date(m.modified))
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


