"""The codebook export: docx, csv, md (the .qdc form is tested with the REFI tests)."""
from __future__ import annotations

import csv
import io

import docx
import pytest

from export_fixtures import build_project
from themecoder.cli import main
from themecoder.io.codebook_export import codebook_entries, write_codebook
from themecoder.io.i18n import format_decimal, format_int, format_percent


@pytest.fixture
def project(tmp_path):
    p = build_project(tmp_path / "studie")
    yield p
    p.close()


def test_entries(project):
    entries = codebook_entries(project)
    rows = [(e.theme, e.subtheme, e.label, e.codings, e.participants) for e in entries]
    assert rows[0] == ("Relasjonen som verktøy", "", "", 4, 1)   # theme row: totals over subthemes too
    assert ("Relasjonen som verktøy", "", "relasjon er alt", 1, 1) in rows
    assert ("Relasjonen som verktøy", "Tid og tillit", "bli kjent over tid", 1, 1) in rows
    assert ("Systemet rundt", "", "", 5, 2) in rows
    assert ("Systemet rundt", "", "samarbeid med NAV", 2, 1) in rows
    assert rows[-1] == ("(uten tema)", "", "mestring", 1, 1)
    assert [e.label for e in codebook_entries(project, lang="en") if e.theme == "(no theme)"] == ["mestring"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_docx(project, tmp_path, lang):
    path, n = write_codebook(project, tmp_path / "kodebok.docx", fmt="docx", lang=lang)
    assert n == 6
    d = docx.Document(str(path))
    (table,) = d.tables
    assert table.style.name == "APA Table"
    head = [c.text for c in table.rows[0].cells]
    assert head == (["Tema", "Subtema", "Kode", "Beskrivelse", "Kodinger", "Informanter"] if lang == "nb"
                    else ["Theme", "Subtheme", "Code", "Description", "Codings", "Participants"])
    body = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert ["", "", "relasjon er alt", "Relasjonen som grunnlag.", "1", "1"] in body
    assert body[0][0] == "Relasjonen som verktøy" and body[0][3] == "Tillit og tid."
    assert len(body) == len(codebook_entries(project))
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert captions == [("Tabell 1\nKodebok" if lang == "nb" else "Table 1\nCodebook")]


def test_csv_and_md(project, tmp_path):
    path, _ = write_codebook(project, tmp_path / "k.csv", fmt="csv", lang="nb")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["tema", "subtema", "kode", "beskrivelse", "kodinger", "informanter"]
    assert ["Systemet rundt", "", "budsjettet bestemmer", "Økonomiske rammer.", "1", "1"] in rows
    path, _ = write_codebook(project, tmp_path / "k.md", fmt="md", lang="en")
    md = path.read_text(encoding="utf-8")
    assert "| Theme | Subtheme | Code | Description | Codings | Participants |" in md
    assert "| Relasjonen som verktøy | Tid og tillit | bli kjent over tid |" in md


def test_cli(project, tmp_path):
    path = str(project.path)
    project.close()
    assert main(["export", "codebook", path]) == 0
    assert (project.path.parent / "exports" / "studie-kodebok.docx").exists()
    assert main(["export", "codebook", path, "--lang", "en", "-o", str(tmp_path / "cb.md")]) == 0
    assert main(["export", "codebook", path, "--format", "csv", "-o", str(tmp_path / "cb.txt")]) == 0
    assert (tmp_path / "cb.txt").read_bytes().startswith(b"\xef\xbb\xbf")


def test_norwegian_numbers():
    assert format_int(12345, "nb") == "12\u00a0345" and format_int(12345, "en") == "12,345"
    assert format_decimal(1234.55, "nb") == "1\u00a0234,6" and format_decimal(2.25, "en") == "2.3"
    assert format_decimal(-0.5, "nb") == "\u22120,5"
    assert format_percent(0.953, "nb") == "95\u00a0%" and format_percent(0.953, "en") == "95%"
