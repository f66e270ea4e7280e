"""The one export service (io.export.run_export), without the TUI: every kind and format on
the demo project, the output-path check that refuses to destroy anything, and the identifier
guard that leaves no file behind when it refuses."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest

from themecoder import store
from themecoder.cli import main
from themecoder.core import anonymise as an
from themecoder.core.codebook import describe_code
from themecoder.core.coding import apply_new_code
from themecoder.core.documents import add_transcript
from themecoder.core.project import Project
from themecoder.errors import UserError
from themecoder.io.export import KINDS, ExportOptions, check_output_path, default_path, run_export
from themecoder.io.readers import read_transcript

CASES = [(kind, fmt) for kind, k in KINDS.items() for fmt in k.formats]
SECRET = "Ring Kari Nordmann på 922 33 444"


def assert_valid(path: Path, fmt: str) -> None:
    """The file is what its format says (opened the way a reader would)."""
    assert path.is_file() and path.stat().st_size > 0
    if fmt == "docx":
        import docx

        props = docx.Document(str(path)).core_properties
        assert "anonymisation" in (props.comments or "")
    elif fmt == "qdpx":
        with zipfile.ZipFile(path) as zf:
            assert "project.qde" in zf.namelist()
    elif fmt == "json":
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)
    elif fmt == "csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    elif fmt in ("md", "html"):
        assert "themecoder anonymisation: checked" in path.read_text(encoding="utf-8")
    elif fmt == "qdc":
        assert b"CodeBook" in path.read_bytes()


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_every_kind_and_format_writes_the_file(demo_project, tmp_path, kind, fmt):
    out = tmp_path / "out" / "sub" / f"{kind}.{fmt}"  # folders are created
    with Project.open(demo_project) as project:
        result = run_export(project, kind, out, ExportOptions(fmt=fmt, lang="en"))
    assert result.path == out and result.kind == kind and result.fmt == fmt
    assert result.headline.startswith(f"wrote {out}") and result.lines()[0] == result.headline
    assert result.anonymisation["anonymisation"] == "checked: no unresolved findings"
    assert_valid(out, fmt)


@pytest.mark.parametrize("kind", list(KINDS))
def test_default_path_beside_the_project(demo_project, kind):
    with Project.open(demo_project) as project:
        result = run_export(project, kind)
        fmt = KINDS[kind].formats[0]
        assert result.path == default_path(project, kind, fmt, "nb")
    assert result.path.parent == demo_project.parent / "exports"
    assert result.path.name.startswith("demo-") and result.path.suffix == "." + fmt
    assert_valid(result.path, fmt)


def test_options_reach_the_writers(demo_project, tmp_path):
    with Project.open(demo_project) as project:
        top = [t for t in store.themes.themes(project.db) if t.parent_id is None]
        one = run_export(project, "quotes", tmp_path / "q.md", ExportOptions(themes=[top[0].name], appendix=True))
        run_export(project, "quotes", tmp_path / "q.csv", ExportOptions(delimiter="\t", max_per_code=1))
        sets = run_export(project, "qdpx", tmp_path / "sets.qdpx", ExportOptions(themes_as="sets"))
        run_export(project, "report", tmp_path / "r.md", ExportOptions(check=False, max_quotes=1, lang="en"))
    assert "1 table," in one.headline and "with appendix" in one.headline
    header = (tmp_path / "q.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "\t" in header
    assert "as sets" in sets.headline
    assert "<!-- themecoder anonymisation" in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_a_file_named_as_another_format_is_refused(demo_project, tmp_path):
    with Project.open(demo_project) as project:
        with pytest.raises(UserError, match=r"named \.md but the format is docx"):
            run_export(project, "quotes", tmp_path / "x.md", ExportOptions(fmt="docx"))
        # a suffix that is no export format is the user's choice; the stamp still goes in
        result = run_export(project, "quotes", tmp_path / "x.txt", ExportOptions(fmt="md"))
    assert not (tmp_path / "x.md").exists()
    assert result.path.read_text(encoding="utf-8").startswith("<!-- themecoder anonymisation")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- the output-path check -----------------------------------------------------------------------
def _fingerprint(path: Path):
    st = os.lstat(path)
    data = b"" if not os.path.isfile(path) or os.path.islink(path) else path.read_bytes()
    return st.st_ino, st.st_mode, st.st_size, data


def _refused(project: Project, target: Path, kind: str = "quotes", fmt: str = "md", match: str = "") -> None:
    before = _fingerprint(target) if os.path.lexists(target) else None
    with pytest.raises(UserError, match=match) as err:
        run_export(project, kind, target, ExportOptions(fmt=fmt))
    assert "\n" not in str(err.value)
    if before is None:
        assert not os.path.lexists(target)
    else:
        assert _fingerprint(target) == before


def test_the_project_file_and_its_companions_are_refused(demo_project):
    with Project.open(demo_project) as project:
        for name in (demo_project.name, demo_project.name + "-wal", demo_project.name + "-shm",
                     demo_project.name + "-journal"):
            for kind, fmt in (("quotes", "csv"), ("review", "json"), ("codebook", "md")):
                _refused(project, demo_project.parent / name, kind, fmt, match="project file")
        assert project.db.scalar("SELECT count(*) FROM documents") == 3


def test_another_project_file_is_refused(demo_project, tmp_path):
    other = tmp_path / "other" / "annen.themecoder"
    other.parent.mkdir()
    Project.create(other, coder="x").close()
    with Project.open(demo_project) as project:
        _refused(project, other, "quotes", "csv", match="project file")
        _refused(project, tmp_path / "new.THEMECODER", "quotes", "csv", match="project file")
        # by content too: a project copied to an innocent name
        copy = tmp_path / "copy.csv"
        copy.write_bytes(other.read_bytes())
        _refused(project, copy, "quotes", "csv", match="database")
        data = tmp_path / "data.md"
        con = sqlite3.connect(data)
        con.execute("CREATE TABLE t(x)")
        con.commit()
        con.close()
        _refused(project, data, "quotes", "md", match="database")
    with Project.open(other) as p:
        assert p.db.scalar("SELECT count(*) FROM documents") == 0


def test_links_fifos_and_folders_are_refused(demo_project, tmp_path):
    victim = tmp_path / "victim.md"
    victim.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    to_project = tmp_path / "to-project.csv"
    to_project.symlink_to(demo_project)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    (folder / "inside.txt").write_text("x", encoding="utf-8")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    signal.alarm(20)  # opening the FIFO would block: fail instead of hanging
    try:
        with Project.open(demo_project) as project:
            _refused(project, link, match="link")
            _refused(project, dangling, match="link")
            _refused(project, to_project, "quotes", "csv", match="project")
            _refused(project, fifo, match="not a regular file")
            _refused(project, folder, match="folder")
    finally:
        signal.alarm(0)
    assert victim.read_text(encoding="utf-8") == "keep me\n" and not (tmp_path / "nowhere.md").exists()
    assert os.listdir(folder) == ["inside.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["victim.md", "link.md", "dangling.md", "to-project.csv", "folder.md", "pipe.md", "demo.themecoder"]
        + [p.name for p in tmp_path.iterdir() if p.name.startswith("demo.themecoder-")])


def test_the_key_file_is_refused(demo_project, tmp_path):
    from themecoder.core.key_file import open_key

    safe = tmp_path / "safe"
    safe.mkdir()
    with Project.open(demo_project) as project:
        key = open_key(safe / "nokkel.json", project=project)
        key.save()
        an.link_key(project, key)
        _refused(project, safe / "nokkel.json", "review", "json", match="key")
        # the same key under another name (a copy) is known by its content
        copy = safe / "kopi.json"
        copy.write_bytes((safe / "nokkel.json").read_bytes())
        _refused(project, copy, "review", "json", match="key file")
        # and the check alone, as the TUI uses it before exporting
        with pytest.raises(UserError, match="key"):
            check_output_path(project, safe / "nokkel.json")
    assert json.loads((safe / "nokkel.json").read_text(encoding="utf-8"))["format"] == "themecoder-key"


def test_an_ordinary_existing_export_is_replaced(demo_project, tmp_path):
    out = tmp_path / "q.md"
    out.write_text("OLD-EXPORT-XYZ\n", encoding="utf-8")
    with Project.open(demo_project) as project:
        assert check_output_path(project, out) == out
        run_export(project, "quotes", out)
    assert "OLD-EXPORT-XYZ" not in out.read_text(encoding="utf-8")


def test_the_cli_refuses_to_export_over_its_own_project(demo_project, capsys):
    before = demo_project.read_bytes()
    code = main(["export", "quotes", str(demo_project), "-o", str(demo_project), "--format", "csv"])
    assert code != 0
    assert "project file" in capsys.readouterr().err
    assert demo_project.read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(demo_project.read_bytes()) >= len(before) // 2
    with Project.open(demo_project) as project:
        assert project.db.scalar("SELECT count(*) FROM documents") == 3
        assert project.db.scalar("SELECT count(*) FROM codings") > 100
    assert main(["info", str(demo_project)]) == 0


# -- the identifier guard ------------------------------------------------------------------------
def _block_with_a_code_description(project: Project) -> None:
    """An identifier in the analyst's own text: every export prints code descriptions."""
    code = store.codes.codes(project.db)[0]
    describe_code(project, code.id, f"{SECRET}, sa informanten.")


@pytest.mark.parametrize(("kind", "fmt"), [(k, KINDS[k].formats[0]) for k in KINDS])
def test_the_guard_refuses_and_leaves_nothing_behind(demo_project, tmp_path, kind, fmt):
    out = tmp_path / "not-yet" / f"{kind}.{fmt}"
    with Project.open(demo_project) as project:
        _block_with_a_code_description(project)
        with pytest.raises(UserError, match="export refused") as err:
            run_export(project, kind, out, ExportOptions(fmt=fmt))
        assert "922 33 444" in str(err.value) and "\n" not in str(err.value)
        assert not out.parent.exists()
        result = run_export(project, kind, out, ExportOptions(fmt=fmt, allow_unreviewed=True))
    assert result.anonymisation["anonymisation"] == "unreviewed findings allowed by user"
    assert result.anonymisation["unresolved"] >= 1
    assert out.is_file()
    if fmt == "docx":
        import docx

        assert "unreviewed findings allowed by user" in docx.Document(str(out)).core_properties.comments
    elif fmt == "qdpx":
        with zipfile.ZipFile(out) as zf:
            assert "unreviewed findings allowed by user" in zf.read("project.qde").decode("utf-8")


def test_the_guard_looks_at_what_the_export_prints(demo_project, tmp_path):
    """A name and a phone number in a coded passage block the quote tables, not the codebook."""
    src = tmp_path / "intervju-x.txt"
    src.write_text("I: Hvem hjalp deg?\n\nIP: " + SECRET + ", hun hjalp meg mest.\n", encoding="utf-8")
    with Project.open(demo_project) as project:
        doc = add_transcript(project, read_transcript(src))
        text = store.documents.document_text(project.db, doc.id)
        start = text.index(SECRET)
        apply_new_code(project, doc.id, start, start + len(SECRET), "Hjelp fra andre")
        with pytest.raises(UserError, match="export refused.*Kari Nordmann"):
            run_export(project, "quotes", tmp_path / "q.csv")
        assert not (tmp_path / "q.csv").exists()
        run_export(project, "codebook", tmp_path / "kb.csv")
        result = run_export(project, "quotes", tmp_path / "q.csv", ExportOptions(allow_unreviewed=True))
    assert result.anonymisation["unresolved"] >= 1
    first = (tmp_path / "q.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first.startswith("# themecoder anonymisation: unreviewed findings allowed by user")


def test_review_exports_do_not_follow_a_link_at_a_temporary_name(demo_project, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    with Project.open(demo_project) as project:
        for kind, name in (("review", "r.json"), ("review-summary", "s.md"), ("review-summary", "s.docx")):
            (tmp_path / (name + ".tmp")).symlink_to(victim)
            result = run_export(project, kind, tmp_path / name)
            assert result.path == tmp_path / name
            assert_valid(result.path, result.fmt)
    assert victim.read_text(encoding="utf-8") == "keep me\n"
