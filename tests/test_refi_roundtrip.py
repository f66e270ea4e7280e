"""Writing: schema-valid output, atomic files, and read(write(p)) == p."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from themecoder.io.refi import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiError,
    RefiLink,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiUser,
    RefiVariable,
    normalise_text,
    qde_xml,
    read_qdc,
    read_qdpx,
    stable_guid,
    write_qdc,
    write_qdpx,
)
from themecoder.io.refi.writer import ORIGIN


@pytest.fixture(scope="module")
def schemas(shared: Path) -> dict[str, etree.XMLSchema]:
    base = shared / "refi" / "schema"
    return {
        "project": etree.XMLSchema(etree.parse(str(base / "Project.xsd"))),
        "codebook": etree.XMLSchema(etree.parse(str(base / "Codebook.xsd"))),
    }


def validate(schema: etree.XMLSchema, data: bytes) -> None:
    doc = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(doc):
        raise AssertionError(str(schema.error_log))


def g(*parts: object) -> str:
    return stable_guid("test", *parts)


def norwegian_project() -> RefiProject:
    raw_1 = (
        "Intervjuer: Hvordan var det å begynne på skolen?\r\n"
        "Kari: Det var skummelt 😬 men læreren var snill. Vi spiste blåbærsyltetøy 🫐!\r\n"
        "Intervjuer: Og e\u0301tterpå?\r\n"                       # é as e + combining acute
        "Kari: Å\u0308 nei, jeg husker ikke. Bla\u030abær, kanskje 👩🏽‍🏫."  # combining ring -> å
    )
    text_1 = normalise_text(raw_1)
    assert "é" in text_1 and "Blåbær" in text_1 and "\r" not in text_1
    text_2 = "Ola: Jeg bodde i Tromsø. Det var mørkt 🌌 om vinteren.\nOla: Æ e fra nord."

    def span(text: str, quote: str) -> tuple[int, int]:
        start = text.index(quote)
        return start, start + len(quote)

    users = [RefiUser(g("u1"), "Ingrid Ås", "IÅ"), RefiUser(g("u2"), "Ørjan", None)]
    codes = [
        RefiCode(g("c1"), "Skolestart", "Første skoledag – følelser", "#1F77B4", True, [
            RefiCode(g("c1a"), "Frykt 😬", None, "#FF7F0E", True),
            RefiCode(g("c1b"), "Trygghet", "Læreren som trygg base", None, True),
        ]),
        RefiCode(g("c2"), "Mat", None, None, False, [RefiCode(g("c2a"), "Blåbær", None, "#2CA02C", True)]),
    ]
    s1, e1 = span(text_1, "Det var skummelt 😬 men læreren var snill.")
    s2, e2 = span(text_1, "blåbærsyltetøy 🫐")
    s3, e3 = span(text_1, "Blåbær, kanskje 👩🏽‍🏫.")
    s4, e4 = span(text_2, "mørkt 🌌 om vinteren")
    src1 = RefiTextSource(
        guid=g("s1"), name="Intervju Kari", text=text_1, description="Første intervju, høst",
        selections=[
            RefiSelection(g("sel1"), s1, e1, name=text_1[s1:e1], description="Viktig sitat",
                          codings=[RefiCoding(g("cod1"), g("c1a"), g("u1"), "2024-10-01T12:00:00Z"),
                                   RefiCoding(g("cod2"), g("c1b"))],
                          note_refs=[g("n1")],
                          creating_user=g("u1"), creation_date_time="2024-10-01T12:00:00Z",
                          modifying_user=g("u2"), modified_date_time="2024-10-02T08:30:00+02:00"),
            RefiSelection(g("sel2"), s2, e2, name=text_1[s2:e2], codings=[RefiCoding(g("cod3"), g("c2a"))]),
            RefiSelection(g("sel3"), s3, e3, name=text_1[s3:e3], codings=[RefiCoding(g("cod4"), g("c2a"))]),
            RefiSelection(g("sel0"), 0, 0, name=""),  # empty selection, no codings (a comment)
        ],
        codings=[RefiCoding(g("cod5"), g("c1"))],
        variables={"Alder": ("Integer", 9), "Skole": ("Text", "Bodø barneskole")},
        creating_user=g("u1"), creation_date_time="2024-09-30T10:00:00Z",
    )
    src2 = RefiTextSource(
        guid=g("s2"), name="Intervju Ola", text=text_2,
        selections=[RefiSelection(g("sel4"), s4, e4, name=text_2[s4:e4], codings=[RefiCoding(g("cod6"), g("c1a"))])],
        note_refs=[g("n2")],
    )
    variables = [
        RefiVariable(g("v1"), "Alder", "Integer", "Alder ved intervju"),
        RefiVariable(g("v2"), "Skole", "Text"),
        RefiVariable(g("v3"), "Kjønn", "Text"),
        RefiVariable(g("v4"), "Samtykke", "Boolean"),
        RefiVariable(g("v5"), "Høyde", "Float"),
        RefiVariable(g("v6"), "Født", "Date"),
        RefiVariable(g("v7"), "Intervjuet", "DateTime"),
    ]
    cases = [
        RefiCase(g("case1"), "Kari", "Elev, 4. trinn", {
            "Kjønn": ("Text", "jente"), "Samtykke": ("Boolean", True), "Høyde": ("Float", 1.325),
            "Født": ("Date", dt.date(2015, 3, 1)),
            "Intervjuet": ("DateTime", dt.datetime(2024, 10, 1, 12, 0, tzinfo=dt.timezone.utc)),
            "Alder": ("Integer", 9),
        }, source_refs=[g("s1")], code_refs=[g("c1")], selection_refs=[g("sel1")]),
        RefiCase(g("case2"), "Ola", None, {"Samtykke": ("Boolean", False), "Høyde": ("Float", 0.00001)},
                 source_refs=[g("s2")]),
    ]
    notes = [
        RefiNote(g("n1"), "Metodenotat", "Kari nøler her.\nSe også Ola.", refs=[g("sel1"), g("case1")],
                 description="Om nøling", creating_user=g("u2"), creation_date_time="2024-10-03T09:00:00Z"),
        RefiNote(g("n2"), "Om Ola", "Nordnorsk 🌌", refs=[g("s2")]),
        RefiNote(g("n3"), "Prosjektlogg", "Startet i september."),
    ]
    codes[0].note_refs = []
    sets = [
        RefiSet(g("set1"), "Følelser", "Emosjonelle koder", member_codes=[g("c1a"), g("c1b")]),
        RefiSet(g("set2"), "Nord-Norge", member_sources=[g("s2")], member_notes=[g("n2")]),
        RefiSet(g("set3"), "Tomt sett"),
    ]
    links = [RefiLink(g("l1"), "motsetning", "Bidirectional", "#000000", g("c1a"), g("c1b"))]
    return RefiProject(
        name="Skolestart – masteroppgave", origin=ORIGIN, users=users, codes=codes, sources=[src1, src2],
        cases=cases, variables=variables, notes=notes, sets=sets, links=links,
        description="Intervjuer om første skoledag", note_refs=[g("n3")],
        creating_user=g("u1"), creation_date_time="2024-09-01T08:00:00Z",
    )


def dated(project: RefiProject) -> RefiProject:
    """The project as the writer dates it (issue 15.1): every element whose type allows dates
    gets them; what has none is dated with the project's last change (here: its creation)."""
    import copy
    import dataclasses

    p = copy.deepcopy(project)
    default = p.modified_date_time or p.creation_date_time

    def fill(obj):
        created = obj.creation_date_time or getattr(obj, "modified_date_time", None) or default
        changes = {"creation_date_time": created}
        if hasattr(obj, "modified_date_time"):
            changes["modified_date_time"] = obj.modified_date_time or created
        return dataclasses.replace(obj, **changes) if dataclasses.is_dataclass(obj) else obj._replace(**changes)

    p.creation_date_time = p.creation_date_time or default
    p.modified_date_time = p.modified_date_time or p.creation_date_time
    for src in p.sources:
        src.creation_date_time, src.modified_date_time = fill(src).creation_date_time, fill(src).modified_date_time
        src.codings = [fill(c) for c in src.codings]
        for sel in src.selections:
            sel.creation_date_time, sel.modified_date_time = fill(sel).creation_date_time, fill(sel).modified_date_time
            sel.codings = [fill(c) for c in sel.codings]
    p.notes = [fill(n) for n in p.notes]
    return p


def test_round_trip_equal(tmp_path: Path, schemas) -> None:
    project = norwegian_project()
    out = tmp_path / "skolestart.qdpx"
    write_qdpx(project, out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[0] == "project.qde"
        # each source's text, and each note's text as a note file (issue 15.3)
        assert sorted(names[1:]) == sorted(f"sources/{s.guid}.txt" for s in [*project.sources, *project.notes])
        qde = zf.read("project.qde")
        for s in project.sources:
            data = zf.read(f"sources/{s.guid}.txt")
            assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
            assert data.decode("utf-8") == s.text
    validate(schemas["project"], qde)
    assert b"<Sets />" not in qde and b"<Sets/>" not in qde
    back = read_qdpx(out)
    assert back == dated(project)
    for rep in back.report.sources:
        assert rep.convention == "codepoints" and rep.method in ("names", "origin")
        assert rep.match_rate in (None, 1.0)
    # the quote is in each selection's name, and equals text[start:end]
    for src in back.sources:
        for sel in src.selections:
            assert sel.name == src.text[sel.start:sel.end]


def test_selection_names_are_the_quotes_even_if_the_model_says_otherwise(tmp_path: Path) -> None:
    project = norwegian_project()
    project.sources[0].selections[0].name = "Quotation 1:1"
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    sel = back.sources[0].selections[0]
    assert sel.name == back.sources[0].quote(sel)


def test_codebook_round_trip(tmp_path: Path, schemas) -> None:
    project = norwegian_project()
    out = tmp_path / "kodebok.qdc"
    write_qdc(project, out)
    data = out.read_bytes()
    validate(schemas["codebook"], data)
    back = read_qdc(out)
    assert back.codes == project.codes
    # code sets (and empty sets) travel; a set of sources only does not belong in a codebook
    assert [s.name for s in back.sets] == ["Følelser", "Tomt sett"]
    assert back.sets[0] == project.sets[0]


def test_codebook_needs_codes(tmp_path: Path) -> None:
    with pytest.raises(RefiError, match="without codes"):
        write_qdc(RefiProject(), tmp_path / "x.qdc")
    assert not (tmp_path / "x.qdc").exists()


def test_minimal_project_is_valid(tmp_path: Path, schemas) -> None:
    qde, files = qde_xml(RefiProject(name="tomt"))
    validate(schemas["project"], qde)
    assert files == []
    for tag in (b"<Users", b"<CodeBook", b"<Sources", b"<Sets", b"<Notes", b"<Cases", b"<Variables", b"<Links"):
        assert tag not in qde


@pytest.mark.parametrize("sample", ["nvivo-win-12.6.qdpx", "nvivo-mac-12.7.qdpx"])
def test_real_projects_re_export_valid_and_equal(tmp_path: Path, shared: Path, schemas, sample: str) -> None:
    first = read_qdpx(shared / "refi" / "samples" / sample)
    out = tmp_path / "again.qdpx"
    write_qdpx(first, out, origin=first.origin)
    with zipfile.ZipFile(out) as zf:
        validate(schemas["project"], zf.read("project.qde"))
    second = read_qdpx(out)
    # Selection names now hold the quotes (NVivo left them empty); everything else is equal.
    for src in first.sources:
        for sel in src.selections:
            sel.name = src.text[sel.start:sel.end]
    assert second == first
    for rep in second.report.sources:
        if rep.selections:
            assert rep.method == "names" and rep.match_rate == 1.0


def test_atlasti_project_without_sources_can_still_export_codebook(tmp_path: Path, shared: Path, schemas) -> None:
    p = read_qdpx_or_qde(shared / "refi" / "samples" / "atlasti-mac-8.4-standard-project.qde")
    write_qdc(p, tmp_path / "atlas.qdc")
    validate(schemas["codebook"], (tmp_path / "atlas.qdc").read_bytes())
    assert len(read_qdc(tmp_path / "atlas.qdc").all_codes()) == 14
    # The project itself cannot be written: its texts are missing. Nothing is left behind.
    with pytest.raises(RefiError, match="text is missing"):
        write_qdpx(p, tmp_path / "atlas.qdpx")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["atlas.qdc"]


def read_qdpx_or_qde(path: Path) -> RefiProject:
    from themecoder.io.refi import read_refi

    return read_refi(path)


# -- refusals and atomicity ------------------------------------------------------------------

@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda p: setattr(p.sources[0], "text", p.sources[0].text.replace("\n", "\r\n")), "not normalised"),
        (lambda p: setattr(p.sources[0], "text", "Bla\u030abær"), "not normalised"),
        (lambda p: setattr(p.sources[0].selections[0], "end", 10**6), "outside its text"),
        (lambda p: setattr(p.codes[0], "guid", "kode-1"), "not a GUID"),
        (lambda p: setattr(p.codes[0], "colour", "blue"), "colour"),
        (lambda p: p.cases[0].variables.update({"Alder": ("Integer", "ni")}), "does not fit"),
        (lambda p: p.cases[0].variables.update({"Alder": ("Text", "ni")}), "defined as Integer"),
        (lambda p: setattr(p.sources[0].selections[0], "creation_date_time", "i går"), "xsd:dateTime"),
        (lambda p: p.notes[0].refs.append(g("nowhere")) or p.sources[0].note_refs.append(g("no-note")), "no note"),
    ],
)
def test_invalid_projects_are_refused_and_leave_no_file(tmp_path: Path, breakage, message: str) -> None:
    project = norwegian_project()
    breakage(project)
    out = tmp_path / "p.qdpx"
    out.write_bytes(b"previous export")
    with pytest.raises(RefiError, match=message) as exc:
        write_qdpx(project, out)
    assert "\n" not in str(exc.value)
    assert out.read_bytes() == b"previous export"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["p.qdpx"]


def test_failure_while_writing_removes_the_temporary_file(tmp_path: Path, monkeypatch) -> None:
    project = norwegian_project()
    out = tmp_path / "p.qdpx"

    def explode(self, *a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", explode)
    with pytest.raises(RefiError, match="No space left"):
        write_qdpx(project, out)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(RefiError, match="does not exist"):
        write_qdpx(norwegian_project(), tmp_path / "nope" / "p.qdpx")


def test_variables_without_definitions_get_stable_ones(tmp_path: Path, schemas) -> None:
    project = norwegian_project()
    project.variables = []
    qde, _ = qde_xml(project)
    validate(schemas["project"], qde)
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    assert back.cases == project.cases
    assert {v.name for v in back.variables} == {"Alder", "Skole", "Kjønn", "Samtykke", "Høyde", "Født", "Intervjuet"}
    again, _ = qde_xml(project)
    assert again == qde  # same GUIDs every time
