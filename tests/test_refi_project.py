"""REFI-QDA exchange of whole projects: export (schema-valid), import of every real sample,
round trip themecoder -> qdpx -> new project, one-action import, hostile files refused."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from export_fixtures import build_project
from themecoder import store
from themecoder.cli import main
from themecoder.core import resolve
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.refi import read_qdc, read_qdpx, read_refi
from themecoder.io.refi_project import (
    export_codebook_qdc,
    export_qdpx,
    import_refi,
    import_refi_file,
    project_to_refi,
)


@pytest.fixture
def project(tmp_path):
    p = build_project(tmp_path / "studie")
    theme = resolve.theme(p, "Systemet rundt")
    with p.action("analytic", "analytic text") as conn:
        conn.execute("UPDATE themes SET analytic_text = ?, condensate = ? WHERE id = ?",
                     ("Informantene beskriver rammene som styrende.", "Vi har for mange brukere.", theme.id))
    yield p
    p.close()


@pytest.fixture(scope="module")
def schemas(shared):
    base = shared / "refi" / "schema"
    return {"project": etree.XMLSchema(etree.parse(str(base / "Project.xsd"))),
            "codebook": etree.XMLSchema(etree.parse(str(base / "Codebook.xsd")))}


def empty_project(tmp_path: Path, name: str = "ny") -> Project:
    return Project.create(tmp_path / name, coder="mottaker")


def validate(schema, data: bytes) -> None:
    doc = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert schema.validate(doc), str(schema.error_log)


# -- a comparable picture of a project -------------------------------------------------------
def snapshot(p: Project) -> dict:
    db = p.db
    docs = {d.id: d for d in store.documents.documents(db)}
    codes = {c.id: c for c in store.codes.codes(db)}
    themes = {t.id: t for t in store.themes.themes(db)}

    def path(tid):
        names = []
        while tid:
            names.append(themes[tid].name)
            tid = themes[tid].parent_id
        return " › ".join(reversed(names))

    participants = {pp.id: pp for pp in store.participants.participants(db)}

    def target(m):
        if m.target_type == "document":
            return docs[m.target_id].title
        if m.target_type == "code":
            return codes[m.target_id].label
        if m.target_type == "theme":
            return path(m.target_id)
        if m.target_type == "coding":
            c = store.codings.coding(db, m.target_id)
            return (docs[c.document_id].title, codes[c.code_id].label, c.start, c.end)
        return None

    return {
        "documents": {d.title: store.documents.document_text(db, d.id) for d in docs.values()},
        "codes": {c.label: (c.description, c.colour) for c in codes.values()},
        "themes": {path(t.id): (t.description, t.analytic_text, t.condensate,
                                frozenset(c.label for c in store.themes.theme_codes(db, t.id)))
                   for t in themes.values()},
        "codings": sorted((docs[c.document_id].title, codes[c.code_id].label, c.start, c.end, c.quote, c.coder)
                          for c in store.codings.all_codings(db)),
        "memos": sorted((m.target_type, str(target(m)), m.title, m.text) for m in store.memos.memos(db)),
        "participants": {pp.pseudonym: sorted((a.name, a.type, a.value) for a in pp.attributes)
                         for pp in participants.values()},
        "document_participants": {d.title: participants[d.participant_id].pseudonym if d.participant_id else None
                                  for d in docs.values()},
    }


# -- export ----------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["codes", "sets"])
def test_export_is_schema_valid(project, tmp_path, schemas, mode):
    out = tmp_path / f"p-{mode}.qdpx"
    summary = export_qdpx(project, out, themes_as=mode)
    assert "2 documents" in summary and "8 codings" in summary
    with zipfile.ZipFile(out) as zf:
        validate(schemas["project"], zf.read("project.qde"))
        names = zf.namelist()
    docs = store.documents.documents(project.db)
    assert all(f"sources/{d.id}.txt" in names for d in docs)
    rp = read_qdpx(out)
    assert {s.guid for s in rp.sources} == {d.id for d in docs}          # GUIDs = the project's ids
    assert {c.guid for c in rp.all_codes() if c.is_codable} == {c.id for c in store.codes.codes(project.db)}
    sels = [sel for s in rp.sources for sel in s.selections]
    assert len(sels) == 8 and all(sel.name == s.quote(sel) for s in rp.sources for sel in s.selections)
    assert {c.guid for sel in sels for c in sel.codings} == {c.id for c in store.codings.all_codings(project.db)}
    case = next(c for c in rp.cases if c.name == "Astrid")
    assert case.variables["erfaring_år"] == ("Integer", 5)
    bjorn = next(c for c in rp.cases if c.name == "Bjørn")
    assert bjorn.variables["intervjudato"][0] == "Date"
    themes = store.themes.themes(project.db)
    if mode == "codes":
        parents = [c for c in rp.all_codes() if not c.is_codable]
        assert {c.guid for c in parents} == {t.id for t in themes}
        rel = next(c for c in rp.codes if c.name == "Relasjonen som verktøy")
        assert [ch.name for ch in rel.children][0] == "Tid og tillit"
        # "tidspress" sits in two themes: once in the tree, once as a set
        assert [s.name for s in rp.sets] == ["Systemet rundt"]
    else:
        assert all(c.is_codable and not c.children for c in rp.codes)
        assert {s.name for s in rp.sets} == {"Relasjonen som verktøy", "Relasjonen som verktøy › Tid og tillit",
                                            "Systemet rundt"}
    # memos as notes, linked to their targets
    texts = {n.text: n for n in rp.notes}
    assert "Relasjon går igjen hos alle informantene." in texts
    assert rp.note_refs and texts["Prosjektmemo: analysen følger Braun og Clarke."].guid in rp.note_refs


def test_codebook_qdc(project, tmp_path, schemas):
    out = export_codebook_qdc(project, tmp_path / "kodebok.qdc")
    validate(schemas["codebook"], out.read_bytes())
    cb = read_qdc(out)
    assert {c.name for c in cb.all_codes() if c.is_codable} == {c.label for c in store.codes.codes(project.db)}
    # and back into an empty project: codes and themes, no codings
    q = empty_project(tmp_path)
    summary = import_refi(q, out)
    assert "6 codes" in summary and "3 themes" in summary
    a, b = snapshot(project), snapshot(q)
    assert b["codes"] == a["codes"]
    assert {k: v[3] for k, v in b["themes"].items()} == {k: v[3] for k, v in a["themes"].items()}
    q.close()
    assert main(["export", "codebook", str(project.path), "-o", str(tmp_path / "cb2.qdc")]) == 0


# -- round trip ------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["codes", "sets"])
def test_round_trip(project, tmp_path, mode):
    out = tmp_path / "rundtur.qdpx"
    export_qdpx(project, out, themes_as=mode)
    q = empty_project(tmp_path)
    summary, stats = import_refi_file(q, out)
    assert stats.matched == stats.named == 8, summary
    a, b = snapshot(project), snapshot(q)
    for key in a:
        assert b[key] == a[key], key
    # ids survive too
    assert {d.id for d in store.documents.documents(q.db)} == {d.id for d in store.documents.documents(project.db)}
    assert {c.id for c in store.codings.all_codings(q.db)} == {c.id for c in store.codings.all_codings(project.db)}
    # the import is one action: one undo removes all of it
    assert [h.kind for h in q.history()] == ["import-refi"]
    q.undo()
    counts = store.project.counts(q.db)
    assert all(counts[k] == 0 for k in ("documents", "codes", "codings", "themes", "memos", "participants"))
    q.redo()
    assert snapshot(q)["codings"] == a["codings"]
    q.close()


def test_import_into_project_that_has_the_documents(project, tmp_path):
    """The same text already in the project: the document is reused, codings are not doubled."""
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    before = snapshot(project)
    summary, stats = import_refi_file(project, out)
    assert stats.documents == 0 and stats.reused_documents == 2
    assert stats.codings == 0 and stats.duplicate_codings == 8
    assert stats.codes == 0 and stats.reused_codes == 6
    after = snapshot(project)
    assert after["codings"] == before["codings"] and after["documents"] == before["documents"]


# -- the real samples ------------------------------------------------------------------------
SAMPLES = {
    # file: documents, codes, themes, codings, participants, memos, (skipped fragments)
    "nvivo-win-12.6.qdpx": (1, 60, 17, 97, 0, 0, ()),
    "nvivo-mac-12.7.qdpx": (2, 151, 32, 297, 0, 0, ()),
    "atlasti-mac-8.4-standard-project.qde": (
        0, 14, 5, 0, 0, 2, ("6 text source(s) whose file is missing", "6 non-text source(s)",
                            "11 set(s) of documents", "graph")),
    "atlasti-win-23.4-codebook.qdc": (0, 1, 1, 0, 0, 0, ()),
    "taguette-codebook.qdc": (0, 3, 0, 0, 0, 0, ()),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_imports(shared, tmp_path, name):
    docs, codes, themes, codings, participants, memos, skipped = SAMPLES[name]
    path = shared / "refi" / "samples" / name
    p = empty_project(tmp_path)
    summary, stats = import_refi_file(p, path, index=False)
    print(summary)
    counts = store.project.counts(p.db)
    assert (counts["documents"], counts["codes"], counts["themes"], counts["codings"],
            counts["participants"], counts["memos"]) == (docs, codes, themes, codings, participants, memos), summary
    for fragment in skipped:
        assert fragment in summary
    # every coding is verbatim: quote == text[start:end], never starting or ending in blanks
    texts = {d.id: store.documents.document_text(p.db, d.id) for d in store.documents.documents(p.db)}
    for c in store.codings.all_codings(p.db):
        assert c.quote == texts[c.document_id][c.start:c.end] and c.quote == c.quote.strip()
    # every file code is a code or a theme; the tree is kept as themes
    rp = read_refi(path)
    assert len(rp.all_codes()) <= counts["codes"] + counts["themes"]
    assert [h.kind for h in p.history()] == ["import-refi"]
    p.close()


def test_nvivo_quotes_match_the_reader(shared, tmp_path):
    """NVivo repeats a selection once per code: each becomes a coding with the reader's quote."""
    path = shared / "refi" / "samples" / "nvivo-win-12.6.qdpx"
    rp = read_qdpx(path)
    src = rp.sources[0]
    p = empty_project(tmp_path)
    import_refi_file(p, path, index=False)
    got = {c.quote for c in store.codings.all_codings(p.db)}
    assert got == {src.quote(sel).strip() for sel in src.selections}
    assert "Mi az a fityesznek? Akkor írják át amikor akarják 🤣🤣🤣" in got
    # codable parents became themes named after them, holding them and their children
    parents = [c for c in rp.all_codes() if c.children]
    for parent in parents:
        theme = next(t for t in store.themes.themes(p.db) if t.name == parent.name)
        labels = {c.label for c in store.themes.theme_codes(p.db, theme.id)}
        assert {ch.name for ch in parent.children if not ch.children} <= labels
    p.close()


def test_cli_import_routes_refi(project, tmp_path, capsys):
    out = tmp_path / "p.qdpx"
    assert main(["export", "qdpx", str(project.path), "-o", str(out), "--themes-as", "sets"]) == 0
    target = empty_project(tmp_path, "cli")
    target.close()
    assert main(["import", str(target.path), str(out)]) == 0
    assert "quotes in the file match the text: 8/8 (100%)" in capsys.readouterr().out
    assert main(["export", "qdpx", str(project.path), "-o", str(tmp_path / "x.zip")]) == 1


# -- errors: nothing is written --------------------------------------------------------------
def _state(p: Project):
    return store.project.counts(p.db), p.last_action_id()


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


GOOD_QDE = (b'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
            b'<Sources><TextSource guid="0f7b6a55-6b2e-4c1f-9d0e-6e2d2f1b7c12" name="a" '
            b'plainTextPath="internal://a.txt"/></Sources></Project>')


@pytest.mark.parametrize("kind", ["zip-slip", "dtd", "bomb-entity", "not-zip", "two-qde"])
def test_hostile_files_are_refused_and_nothing_is_written(project, tmp_path, kind):
    before = _state(project)
    if kind == "zip-slip":
        path = _zip(tmp_path / "x.qdpx", {"project.qde": GOOD_QDE, "../../evil.txt": b"x"})
    elif kind == "dtd":
        qde = (b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
               b'<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>')
        path = _zip(tmp_path / "x.qdpx", {"project.qde": qde})
    elif kind == "bomb-entity":
        lol = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
            b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8))
        qde = b'<?xml version="1.0"?><!DOCTYPE Project [' + lol + b']><Project name="&i;"/>'
        path = _zip(tmp_path / "x.qdpx", {"project.qde": qde})
    elif kind == "not-zip":
        path = tmp_path / "x.qdpx"
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    else:
        path = _zip(tmp_path / "x.qdpx", {"a.qde": GOOD_QDE, "b.qde": GOOD_QDE})
    with pytest.raises(UserError):
        import_refi(project, path)
    assert _state(project) == before


def test_failure_inside_the_import_rolls_everything_back(project, tmp_path, monkeypatch):
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    q = empty_project(tmp_path)
    before = _state(q)
    from themecoder.io import refi_project

    def boom(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(refi_project._Importer, "notes", boom)   # after documents, codes, codings
    with pytest.raises(RuntimeError):
        import_refi(q, out)
    assert _state(q) == before
    q.close()


def test_project_to_refi_rejects_unknown_mode(project):
    with pytest.raises(UserError):
        project_to_refi(project, themes_as="folders")
